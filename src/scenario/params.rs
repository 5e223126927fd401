//! The parameter table: every scenario key's default, allowed range, unit, meaning and source, rendered from the declarations.
//!
//! The keys are declared once, in `schema/` (sections) and `schema/lists.rs`
//! (list entries); this module only lists them: `ovopsim params`, the
//! Markdown that docs/ODD.md embeds (`ovopsim params --markdown`, kept
//! current by a test), and the defaults as shown. Sources: "calibrated"
//! means chosen so the model's patterns emerge; "assumption" means a
//! plausible value with no figure behind it.

use super::schema::key::{Item, Key};
use super::schema::{LIST_KEYS, Scenario, default_agencies, default_products};
use std::sync::LazyLock;

/// Documentation of one scenario key, as listed.
#[derive(Debug, Clone)]
pub struct Param {
    /// Key path; `[]` marks a field of every entry of a list.
    pub key: String,
    pub unit: &'static str,
    pub meaning: String,
    pub source: &'static str,
    /// Allowed values as text ("-" when unchecked).
    pub allowed: String,
    /// A model constant most users leave alone (listed with `--all`).
    pub advanced: bool,
}

impl Param {
    fn new(key: &Key, path: String, meaning: String) -> Self {
        Self {
            key: path,
            unit: key.unit,
            meaning,
            source: key.source,
            allowed: key.allowed.text(),
            advanced: key.advanced,
        }
    }
}

/// Every scenario key, in file order; a map key gives one row per entry.
pub static PARAMS: LazyLock<Vec<Param>> = LazyLock::new(|| {
    let mut items = Vec::new();
    Scenario::declare(&mut items);
    let declared = items.into_iter().filter_map(|item| match item {
        Item::Key(key) => Some(key),
        Item::Table(_) => None,
    });
    let mut out = Vec::new();
    for key in declared.chain(LIST_KEYS.iter().copied()) {
        if key.entries.is_empty() {
            out.push(Param::new(&key, key.path.into(), key.meaning.into()));
        }
        for (name, what) in key.entries {
            let path = format!("{}.{name}", key.path);
            out.push(Param::new(&key, path, format!("{}: {what}", key.meaning)));
        }
    }
    out
});

/// Every key of a scenario as written in `PARAMS` (lists as `[]`, agency mixes as `<kind>`).
pub fn scenario_keys(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let value = toml::Value::try_from(s).expect("a scenario serializes");
    walk("", &value, &mut out);
    // Lists that are empty by default still have documented fields.
    for key in LIST_KEYS.iter().filter(|k| k.path.starts_with("events.")) {
        out.push(key.path.to_string());
    }
    out.retain(|k| k != "events.weather" && k != "events.price");
    out.sort();
    out.dedup();
    out
}

fn walk(prefix: &str, v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else if prefix.ends_with("].mix") {
                    format!("{prefix}.<kind>")
                } else {
                    format!("{prefix}.{k}")
                };
                walk(&key, x, out);
            }
        }
        toml::Value::Array(items) if items.iter().any(toml::Value::is_table) => {
            for item in items {
                walk(&format!("{prefix}[]"), item, out);
            }
        }
        _ => out.push(prefix.to_string()),
    }
}

/// Default value of a key as shown in the table.
pub fn default_of(key: &str) -> String {
    if key.starts_with("agencies[]") || key.starts_with("products[]") {
        return "see lists below".into();
    }
    if key.starts_with("events.") {
        return "none".into();
    }
    let s = Scenario::default();
    let mut v = toml::Value::try_from(&s).expect("a scenario serializes");
    for part in key.split('.') {
        match v.get(part) {
            Some(x) => v = x.clone(),
            None => return String::new(),
        }
    }
    match v {
        toml::Value::String(x) if x.is_empty() => "(empty)".into(),
        toml::Value::String(x) => x,
        toml::Value::Float(f) => fmt_num(f),
        other => other.to_string(),
    }
}

/// What values a key allows (`-` for text, choices and switches, or an unknown key).
///
/// `key` is written with `[]` for list indices; an agency's mix entry
/// (`agencies[].mix.website`) is found under `agencies[].mix.<kind>`.
pub fn allowed_of(key: &str) -> String {
    let find = |k: &str| PARAMS.iter().find(|p| p.key == k);
    let kind = key
        .rsplit_once('.')
        .map(|(table, _)| format!("{table}.<kind>"));
    match find(key).or_else(|| kind.as_deref().and_then(find)) {
        Some(p) => p.allowed.clone(),
        None => "-".into(),
    }
}

/// The `ovopsim params` listing of keys containing `filter` (every key when
/// `None`); advanced keys only with `all`, otherwise counted in a last line.
/// `None` when no key matches.
pub fn listing(filter: Option<&str>, all: bool) -> Option<String> {
    // Users search by what a key means as often as by its name, in any
    // case; with no hit, a word's ending is dropped ("financing" finds
    // finance.*, "loans" the loan terms).
    let filter = filter.map(str::to_lowercase);
    let find = |f: Option<&str>| -> Vec<&Param> {
        PARAMS
            .iter()
            .filter(|p| {
                f.is_none_or(|f| {
                    [p.key.as_str(), &p.meaning, p.unit]
                        .iter()
                        .any(|t| t.to_lowercase().contains(f))
                })
            })
            .collect()
    };
    let mut matching = find(filter.as_deref());
    if matching.is_empty()
        && let Some(stem) = filter.as_deref().and_then(|f| {
            ["ing", "ed", "es", "s"]
                .iter()
                .find_map(|end| f.strip_suffix(end))
                .filter(|s| s.len() >= 4)
        })
    {
        matching = find(Some(stem));
    }
    if matching.is_empty() {
        return None;
    }
    let mut text = String::new();
    for p in matching.iter().filter(|p| all || !p.advanced) {
        let marker = if p.advanced { " [advanced]" } else { "" };
        text.push_str(&format!(
            "{}{marker}\n    default {}; allowed {}; unit {}\n    {} [source: {}]\n",
            p.key,
            default_of(&p.key),
            p.allowed,
            p.unit,
            p.meaning,
            p.source
        ));
    }
    let hidden = matching.iter().filter(|p| p.advanced).count();
    if hidden > 0 && !all {
        let keys = if hidden == 1 { "key" } else { "keys" };
        text.push_str(&format!(
            "({hidden} advanced {keys} not shown: model constants most scenarios leave alone; `--all` lists them)\n"
        ));
    }
    Some(text)
}

fn fmt_num(f: f64) -> String {
    if f.abs() >= 1e6 && f.fract() == 0.0 {
        format!("{:.0}", f)
            .as_bytes()
            .rchunks(3)
            .rev()
            .map(|c| std::str::from_utf8(c).expect("ascii"))
            .collect::<Vec<_>>()
            .join(",")
    } else {
        f.to_string()
    }
}

/// The parameter table, the default agencies and the default products, as Markdown.
pub fn markdown() -> String {
    let mut out = String::new();
    let header =
        "| key | default | allowed | unit | meaning | source |\n|---|---|---|---|---|---|\n";
    out.push_str(header);
    table(&mut out, PARAMS.iter().filter(|p| !p.advanced));
    if PARAMS.iter().any(|p| p.advanced) {
        out.push_str("\nAdvanced keys (model constants most scenarios leave alone; `ovopsim params --all`):\n\n");
        out.push_str(header);
        table(&mut out, PARAMS.iter().filter(|p| p.advanced));
    }
    out.push_str("\nDefault agencies (used when a scenario lists none):\n\n");
    out.push_str("| name | level | budget (Rp/year) | mix |\n|---|---|---|---|\n");
    for a in default_agencies() {
        let mix: Vec<String> = a
            .mix
            .iter()
            .map(|(k, v)| format!("{} {v}", k.name()))
            .collect();
        out.push_str(&format!(
            "| {} | {:?} | {} | {} |\n",
            a.name,
            a.level,
            fmt_num(a.budget),
            mix.join(", ")
        ));
    }
    out.push_str("\nDefault products (used when a scenario lists none):\n\n");
    out.push_str("| name | raw yield kg/ha/month | peak | seasonality | farm gate Rp/kg | conversion | domestic Rp/kg | export Rp/kg | worker-months/t | capital Rp per t/month | drought loss | volatility | tier premiums |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for p in default_products() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:?} |\n",
            p.name,
            p.raw_yield_kg_ha,
            p.peak_month,
            p.seasonality,
            p.farmgate_price,
            p.conversion,
            p.domestic_price,
            p.export_price,
            p.labour_per_t,
            fmt_num(p.capital_per_t),
            p.drought_loss,
            p.volatility,
            p.tier_premium
        ));
    }
    out
}

fn table<'a>(out: &mut String, params: impl Iterator<Item = &'a Param>) {
    for p in params {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            p.key,
            default_of(&p.key),
            p.allowed,
            p.unit,
            p.meaning,
            p.source
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_documented_and_every_row_is_a_key() {
        let s = Scenario {
            agencies: default_agencies(),
            products: default_products(),
            ..Scenario::default()
        };
        let keys = scenario_keys(&s);
        let documented: Vec<&str> = PARAMS.iter().map(|p| p.key.as_str()).collect();
        let missing: Vec<&String> = keys
            .iter()
            .filter(|k| !documented.contains(&k.as_str()))
            .collect();
        assert!(missing.is_empty(), "undocumented keys: {missing:?}");
        let stale: Vec<&&str> = documented
            .iter()
            .filter(|d| !keys.iter().any(|k| k == *d))
            .collect();
        assert!(stale.is_empty(), "rows naming no key: {stale:?}");
    }

    #[test]
    fn defaults_are_read_from_the_code() {
        let md = markdown();
        assert!(
            md.contains(
                "| `economy.poverty_line` | 556874 | greater than 0 and at most 1000000000 |"
            ),
            "{md}"
        );
        assert!(
            md.contains("| `coordination.quality` | 0.8 | 0 to 1 |"),
            "{md}"
        );
        assert!(
            md.contains("| `years` | 20 | a whole number 1 to 100 |"),
            "{md}"
        );
        assert!(md.contains("| `finance.kur_micro_rates` | [0.06, 0.07, 0.08, 0.09] |"));
        assert!(md.contains("| industry | Central | 4,000,000,000 |"));
    }

    #[test]
    fn every_numeric_key_has_a_checked_range() {
        let unchecked: Vec<&str> = PARAMS
            .iter()
            .filter(|p| p.allowed == "-" && default_of(&p.key).parse::<f64>().is_ok())
            .map(|p| p.key.as_str())
            .collect();
        assert!(
            unchecked.is_empty(),
            "numeric keys without a range: {unchecked:?}"
        );
    }

    #[test]
    fn allowed_ranges_are_found_for_list_entries_and_kinds() {
        assert_eq!(allowed_of("agencies[].mix.website"), "0 to 1000000");
        assert_eq!(
            allowed_of("programme.saturation.website"),
            "greater than 0 and at most 1000000000000000"
        );
        assert_eq!(allowed_of("products[].tier_premium"), "0 to 5");
        assert_eq!(allowed_of("no.such_key"), "-");
    }

    #[test]
    fn listing_filters_and_marks_advanced_keys() {
        let text = listing(Some("coordination.quality"), false).unwrap();
        assert!(text.starts_with("coordination.quality\n    default 0.8; allowed 0 to 1;"));
        assert!(listing(Some("no_such_key"), true).is_none());
        // Meanings and units are searched too, in any case.
        let text = listing(Some("KUR"), false).unwrap();
        assert!(text.contains("finance.kur_supply"), "{text}");
        let text = listing(Some("capita"), true).unwrap();
        assert!(text.contains("economy.poverty_line") && !text.contains("coordination.quality"));
        let text = listing(Some("financing"), false).unwrap();
        assert!(text.contains("finance.kur_supply"), "{text}");
    }
}
