//! Commented scenario files written from the key declarations: scenarios/ovop.toml, and `ovopsim new`'s full default scenario or a variant that extends another file.

use super::params::{PARAMS, Param};
use super::schema::key::Item;
use super::schema::{LIST_KEYS, Scenario, default_agencies, default_products};

/// The opening comment of the default scenario file.
const HEADER: &str = "\
# ovop: the default scenario, with every key written out and explained.
#
# One district of 50 villages (about 30,000 households) under a coordinated
# One Village One Product programme for 20 years: each village chooses its own
# product by scoring its candidates on the five OVOP criteria, five agencies
# spend Rp15 billion a year on the ten programme types with a joint plan
# (coordination quality 0.8), and lead firms partner with the producer groups.
#
# Every value below equals the built-in default, so this file is also the
# reference for writing new scenarios: a scenario only needs the keys it
# changes (see scenarios/ovop-fragmented.toml). Units are given after each
# key; sources and the model behind each key are in docs/ODD.md (parameter
# table) and `ovopsim params`. Money is constant rupiah of start_year.
";

const AGENCIES: &str = "\
# Agencies and their programme budgets for the simulated area. Each agency
# spends its yearly budget (Rp per year) on programme kinds in the shares of
# its mix; kinds: technology, quality_standards, promotion_channels,
# trade_fairs, finance_access, human_resources, website, raw_material,
# infrastructure, empowerment. Level is central, province or district;
# regional agencies (province, district) face elections every
# coordination.election_interval_years.
";

const PRODUCTS: &str = "\
# The product catalogue. Units: raw_yield_kg_ha kg of raw material per ha per
# month (yearly mean); peak_month 1-12 and seasonality 0-1 shape the harvest;
# farmgate_price Rp/kg raw; conversion kg processed per kg raw;
# domestic_price and export_price Rp/kg processed (ungraded); labour_per_t
# worker-months per tonne processed; capital_per_t Rp of equipment per tonne
# of monthly capacity; drought_loss share of yield lost in the worst drought;
# volatility monthly sd of the log global price; tier_premium price premium
# for tiers none, PIRT home-industry permit, SNI/halal, GMP, HACCP.
";

const EVENTS: &str = "\
# Scheduled events (none in this scenario). Examples:
#
# [[events.weather]]
# kind = \"el_nino\"     # el_nino, la_nina or flood
# year = 2030          # calendar year it starts
# month = 1            # month it starts (1-12)
# duration_months = 12 # months
# severity = 1.0       # 0-1; 1 = 1997-98 strength; floods: share of villages hit
#
# [[events.price]]
# product = \"coffee\"   # a product name, or \"all\"
# year = 2030
# month = 1
# change = -0.5        # share: -0.5 halves the world price index
# duration_months = 12 # months at the shocked level
# recovery_months = 12 # months of linear recovery
";

/// The description of the shipped default scenario.
const DEFAULT_DESCRIPTION: &str = "Coordinated OVOP in one district of 50 villages, 20 years.";

/// scenarios/ovop.toml: the default scenario with every key written out and explained.
pub fn default_file() -> String {
    document("ovop", DEFAULT_DESCRIPTION)
}

/// The default scenario with every key written out and explained, under a new name.
pub fn full(name: &str) -> String {
    format!(
        "# {name}: written by `ovopsim new` from the default scenario; edit any value.\n#\n{}",
        document(name, "")
    )
}

/// A variant of `parent` (written as `extends = "<parent_path>"`): every
/// plain key is listed, commented out, with the parent's value, its allowed
/// range and unit, so a user uncomments only what differs.
pub fn variant(name: &str, parent_path: &str, parent: &Scenario) -> String {
    let values = toml::Value::try_from(parent).expect("a scenario serializes");
    let mut out = format!(
        "# {name}: a variant of {parent_path}, written by `ovopsim new`.\n\
         #\n\
         # Every value comes from {parent_path} except the keys set below. To change\n\
         # one, uncomment its line and its [section] line. `ovopsim params` lists\n\
         # every key; `ovopsim check` checks this file. Lists (agencies, products,\n\
         # events) replace the inherited list whole when written here.\n\n\
         extends = {}\n\
         name = \"{name}\"\n\
         description = \"\"\n",
        toml::Value::String(parent_path.to_string())
    );
    for table in tables() {
        let rows: Vec<&Param> = table
            .rows
            .into_iter()
            .filter(|p| !matches!(p.key.as_str(), "name" | "description"))
            .collect();
        if rows.is_empty() {
            continue;
        }
        if !table.path.is_empty() {
            out.push_str(&format!("\n# [{}]\n", table.path));
        }
        for p in rows {
            let field = p.key.rsplit('.').next().unwrap_or(&p.key);
            let range = if p.allowed == "-" {
                p.unit.to_string()
            } else {
                format!("{}; {}", p.allowed, p.unit)
            };
            let v = value_at(&values, &p.key);
            out.push_str(&format!("# {field} = {v} # {} ({range})\n", p.meaning));
        }
    }
    out
}

/// One TOML table of the scenario file and the rows written in it.
struct TableRows {
    path: String,
    doc: Vec<String>,
    rows: Vec<&'static Param>,
}

/// The scenario's tables in file order; in each, its plain keys, then its
/// advanced keys, then a table of its own for each map key (TOML puts a
/// table's keys before its sub-tables).
fn tables() -> Vec<TableRows> {
    let mut items = Vec::new();
    Scenario::declare(&mut items);
    let mut out: Vec<TableRows> = Vec::new();
    let mut maps: Vec<TableRows> = Vec::new();
    for item in items {
        match item {
            Item::Table(t) => {
                out.append(&mut maps);
                out.push(TableRows {
                    path: t.path.into(),
                    doc: t.doc.iter().map(|d| d.trim().to_string()).collect(),
                    rows: Vec::new(),
                });
            }
            Item::Key(key) if !key.entries.is_empty() => {
                let prefix = format!("{}.", key.path);
                maps.push(TableRows {
                    path: key.path.into(),
                    doc: vec![format!(
                        "{} ({}), per entry:",
                        capitalized(key.meaning),
                        key.unit
                    )],
                    rows: PARAMS
                        .iter()
                        .filter(|p| p.key.starts_with(&prefix))
                        .collect(),
                });
            }
            Item::Key(key) => {
                let table = out.last_mut().expect("the top level is declared first");
                let row = PARAMS.iter().find(|p| p.key == key.path);
                table.rows.extend(row);
            }
        }
    }
    out.append(&mut maps);
    for table in &mut out {
        table.rows.sort_by_key(|p| p.advanced);
    }
    out
}

/// The default scenario written out: every key with its value, meaning and unit.
fn document(name: &str, description: &str) -> String {
    let mut values = toml::Value::try_from(Scenario::default()).expect("a scenario serializes");
    values["name"] = name.into();
    values["description"] = description.into();
    let mut out = format!("{HEADER}\n");
    for table in tables() {
        if !table.path.is_empty() {
            out.push('\n');
            for line in &table.doc {
                out.push_str(&format!("# {line}\n"));
            }
            out.push_str(&format!("[{}]\n", table.path));
        }
        let mut advanced = false;
        for p in table.rows {
            if p.advanced && !advanced {
                out.push_str("# advanced: model constants most scenarios leave alone\n");
                advanced = true;
            }
            let field = p.key.rsplit('.').next().unwrap_or(&p.key);
            let v = fmt_value(&value_at(&values, &p.key));
            let what = p.meaning.rsplit(": ").next().unwrap_or(&p.meaning);
            if table.path.contains('.') {
                out.push_str(&format!("{field} = {v} # {what}\n"));
            } else {
                out.push_str(&format!("{field} = {v} # {} ({})\n", p.meaning, p.unit));
            }
        }
    }
    out.push('\n');
    out.push_str(AGENCIES);
    for (ix, a) in default_agencies().into_iter().enumerate() {
        let mix: Vec<String> = a
            .mix
            .iter()
            .map(|(k, v)| format!("{} = {v}", k.name()))
            .collect();
        out.push_str(&format!(
            "{}[[agencies]]\nname = \"{}\"\nlevel = {}\nbudget = {}\nmix = {{ {} }}\n",
            if ix == 0 { "" } else { "\n" },
            a.name,
            toml::Value::try_from(a.level).expect("a level serializes"),
            fmt_value(&toml::Value::Float(a.budget)),
            mix.join(", ")
        ));
    }
    out.push('\n');
    out.push_str(PRODUCTS);
    for product in default_products() {
        let v = toml::Value::try_from(&product).expect("a product serializes");
        out.push_str("\n[[products]]\n");
        for key in LIST_KEYS {
            if let Some(field) = key.path.strip_prefix("products[].") {
                out.push_str(&format!("{field} = {}\n", fmt_value(&v[field])));
            }
        }
    }
    out.push('\n');
    out.push_str(EVENTS);
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The value at a dotted key path.
fn value_at(values: &toml::Value, key: &str) -> toml::Value {
    let mut v = values;
    for part in key.split('.') {
        match v.get(part) {
            Some(x) => v = x,
            None => break,
        }
    }
    v.clone()
}

/// A value as a person writes it: whole numbers without a decimal point, large ones in groups of three.
fn fmt_value(v: &toml::Value) -> String {
    match v {
        toml::Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            let digits = format!("{f:.0}");
            if f.abs() < 1e6 {
                return digits;
            }
            digits
                .as_bytes()
                .rchunks(3)
                .rev()
                .map(|c| std::str::from_utf8(c).expect("ascii"))
                .collect::<Vec<_>>()
                .join("_")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{defaults, load_str};
    use std::path::Path;

    #[test]
    fn full_template_is_the_default_scenario() {
        let text = full("mine");
        let c = load_str(&text, Path::new("mine.toml"), Path::new("."), &[]).unwrap();
        assert_eq!(c.scenario.name, "mine");
        let mut a = serde_json::to_value(&c.scenario).unwrap();
        let mut b = serde_json::to_value(defaults()).unwrap();
        for v in [&mut a, &mut b] {
            v["name"] = "".into();
            v["description"] = "".into();
        }
        assert_eq!(a, b);
    }

    #[test]
    fn variant_lists_every_plain_key_commented_and_uncomments_cleanly() {
        let parent = defaults();
        let text = variant("v", "ovop.toml", &parent);
        assert!(text.contains("extends = \"ovop.toml\"\nname = \"v\"\n"));
        assert!(text.contains("\n# [coordination]\n# quality = 0.8 # "));
        assert!(text.contains("(0 to 1; "));
        // Uncommenting a section and a key gives a valid override.
        let edited = text.replace("extends = \"ovop.toml\"\n", "").replace(
            "# [coordination]\n# quality = 0.8",
            "[coordination]\nquality = 0.3",
        );
        let c = load_str(&edited, Path::new("v.toml"), Path::new("."), &[]).unwrap();
        assert_eq!(c.scenario.coordination.quality, 0.3);
    }

    #[test]
    fn variant_writes_each_table_once_and_loads_with_every_line_uncommented() {
        let text = variant("v", "ovop.toml", &defaults());
        let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("# [")).collect();
        for h in &headers {
            assert_eq!(headers.iter().filter(|x| *x == h).count(), 1, "{h} twice");
        }
        // Uncommenting every table and key line, as the header tells users to, gives a valid file.
        let is_toml = |l: &str| {
            l.starts_with('[')
                || l.split_once(" = ").is_some_and(|(k, _)| {
                    k.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                })
        };
        let edited: String = text
            .replace("extends = \"ovop.toml\"\n", "")
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if is_toml(rest) => format!("{rest}\n"),
                _ => format!("{l}\n"),
            })
            .collect();
        let c = load_str(&edited, Path::new("v.toml"), Path::new("."), &[]).unwrap();
        assert_eq!(c.scenario.coordination.quality, 0.8);
    }

    #[test]
    fn full_template_writes_every_key() {
        let table = toml::Value::Table(toml::from_str(&full("x")).unwrap());
        for p in PARAMS.iter().filter(|p| !p.key.starts_with("events.")) {
            let mut v = &table;
            for part in p.key.split('.').take_while(|part| *part != "<kind>") {
                v = match part.strip_suffix("[]") {
                    Some(list) => v.get(list).and_then(|l| l.get(0)),
                    None => v.get(part),
                }
                .unwrap_or_else(|| panic!("the template does not write `{}`", p.key));
            }
        }
    }

    #[test]
    fn values_are_written_as_people_write_them() {
        assert_eq!(fmt_value(&toml::Value::Float(600.0)), "600");
        assert_eq!(fmt_value(&toml::Value::Float(1.3e6)), "1_300_000");
        assert_eq!(fmt_value(&toml::Value::Float(0.25)), "0.25");
        assert_eq!(fmt_value(&toml::Value::Integer(3)), "3");
    }
}
