//! Checks that every value has the shape its key needs (a section, a list of entries, a table of shares, a plain value) before serde reads it, so a misshapen value is named in the user's words.
//!
//! Serde alone reads a list given for a section positionally (`district =
//! [1, 2]` would set `districts` and `villages`) or reports Rust's view of
//! it ("expected a string", "invalid type: map" for a date). The expected
//! shapes come from the default scenario itself, so they follow the schema.

use super::schema::key::Item;
use super::schema::*;
use std::sync::LazyLock;

/// Where the value was written: the advice differs between a file and `--set`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Written {
    File,
    Set,
}

/// The default scenario as a TOML tree, with one entry in each list so that
/// every entry's shape is known.
static TEMPLATE: LazyLock<toml::Table> = LazyLock::new(|| {
    let mut s = Scenario {
        agencies: default_agencies(),
        products: default_products(),
        ..Scenario::default()
    };
    s.events.weather.push(WeatherEvent {
        kind: WeatherKind::ElNino,
        year: 2030,
        month: 1,
        duration_months: 12,
        severity: 1.0,
    });
    s.events.price.push(PriceShock {
        product: "all".into(),
        year: 2030,
        month: 1,
        change: -0.3,
        duration_months: 12,
        recovery_months: 12,
    });
    toml::Table::try_from(&s).expect("a scenario always serializes")
});

/// [`TEMPLATE`] as parsed TOML, the source of [`placeholder`]s.
static TEMPLATE_DOC: LazyLock<toml::de::DeTable<'static>> = LazyLock::new(|| {
    let text: &'static str = TEMPLATE_TEXT.as_str();
    toml::de::DeTable::parse(text)
        .expect("the template is valid TOML")
        .into_inner()
});
static TEMPLATE_TEXT: LazyLock<String> =
    LazyLock::new(|| toml::to_string(&*TEMPLATE).expect("a scenario always serializes"));

/// A valid value for a key path (`agencies[3].budget`, any index read as the
/// list's first entry), put in place of a wrong one so that the rest of a
/// file can be read; `None` for a key the schema does not have.
pub(super) fn placeholder(key: &str) -> Option<toml::de::DeValue<'static>> {
    use toml::de::DeValue;
    let mut value: Option<&DeValue<'static>> = None;
    let mut table = &*TEMPLATE_DOC;
    for segment in key.split('.') {
        let (name, indexed) = match segment.split_once('[') {
            Some((name, _)) => (name, true),
            None => (segment, false),
        };
        let mut v = table.get(name)?.get_ref();
        if indexed {
            v = match v {
                DeValue::Array(items) => items.first()?.get_ref(),
                _ => return None,
            };
        }
        if let DeValue::Table(t) = v {
            table = t;
        }
        value = Some(v);
    }
    value.cloned()
}

/// The sections written as `[name]` headers (the top level is not one).
static SECTIONS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut items = Vec::new();
    Scenario::declare(&mut items);
    let mut sections: Vec<&str> = items
        .iter()
        .filter_map(|item| match item {
            Item::Table(t) if !t.path.is_empty() => Some(t.path),
            _ => None,
        })
        .collect();
    sections.push("events");
    sections
});

/// Every misshapen value of `root` as (key path, message); each is one the
/// deserializer must not see.
pub(super) fn check(root: &toml::Table, written: Written) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    walk(root, &TEMPLATE, "", written, &mut problems);
    problems
}

fn walk(
    given: &toml::Table,
    template: &toml::Table,
    prefix: &str,
    written: Written,
    out: &mut Vec<(String, String)>,
) {
    for (name, value) in given {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        value_shape(value, template.get(name), &path, written, out);
    }
}

fn value_shape(
    value: &toml::Value,
    template: Option<&toml::Value>,
    path: &str,
    written: Written,
    out: &mut Vec<(String, String)>,
) {
    use toml::Value::{Array, Datetime, Table};
    match (value, template) {
        (Datetime(date), _) => out.push((path.to_string(), date_message(path, date))),
        (Table(given), Some(Table(template))) => walk(given, template, path, written, out),
        (_, Some(Table(template))) => out.push((
            path.to_string(),
            table_message(path, template, value, written),
        )),
        (Array(items), Some(Array(template_items))) => match template_items.first() {
            Some(Table(entry)) => {
                for (ix, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{ix}]");
                    match item {
                        Table(given) => walk(given, entry, &item_path, written, out),
                        other => out.push((item_path, entry_message(path, other, written))),
                    }
                }
            }
            // A list of numbers: only a date in it needs words serde lacks.
            _ => {
                for (ix, item) in items.iter().enumerate() {
                    if let Datetime(date) = item {
                        let item_path = format!("{path}[{ix}]");
                        out.push((item_path.clone(), date_message(&item_path, date)));
                    }
                }
            }
        },
        (_, Some(Array(template_items))) => {
            // A list of numbers given something else is serde's to report.
            if let Some(Table(_)) = template_items.first() {
                out.push((path.to_string(), list_message(path, value, written)));
            }
        }
        _ => {}
    }
}

/// What a value is, in words.
pub(super) fn kind_of(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("the text \"{s}\""),
        toml::Value::Integer(i) => format!("the number {i}"),
        toml::Value::Float(f) => format!("the number {f}"),
        toml::Value::Boolean(b) => format!("{b}"),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Array(_) => "a list [...]".into(),
        toml::Value::Table(_) => "a table".into(),
    }
}

/// The keys of a table in the order the schema declares them (`path` with
/// `[]` for list indices); a table of shares has one per programme kind.
pub(super) fn declared_keys(path: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for param in super::PARAMS.iter() {
        let Some(rest) = param
            .key
            .strip_prefix(path)
            .and_then(|r| r.strip_prefix('.'))
        else {
            continue;
        };
        let first = rest.split('.').next().unwrap_or(rest);
        let first = first.strip_suffix("[]").unwrap_or(first);
        if first == "<kind>" {
            return ProgrammeKind::NAMES
                .iter()
                .map(|(n, _)| n.to_string())
                .collect();
        }
        if !keys.iter().any(|k| k == first) {
            keys.push(first.to_string());
        }
    }
    keys
}

/// The first plain key of a table in declared order as `key = value`, for an example.
fn example(path: &str, table: &toml::Table) -> Option<(String, String)> {
    declared_keys(path)
        .into_iter()
        .find_map(|k| match table.get(&k) {
            Some(toml::Value::Table(_) | toml::Value::Array(_)) | None => None,
            Some(v) => Some((k, v.to_string())),
        })
}

fn date_message(path: &str, date: &toml::value::Datetime) -> String {
    let allowed = super::allowed_of(&super::validate::strip_indices(path));
    let allowed = if allowed == "-" {
        String::new()
    } else {
        format!("; allowed: {allowed}")
    };
    let year = date
        .date
        .map(|d| format!(", e.g. {} for {date}", d.year))
        .unwrap_or_default();
    if path.ends_with("year") {
        format!("got the date {date}, but years are written as a number alone{year}{allowed}")
    } else {
        format!("got the date {date}, but no key takes a date{allowed}")
    }
}

fn table_message(
    path: &str,
    template: &toml::Table,
    value: &toml::Value,
    written: Written,
) -> String {
    let got = kind_of(value);
    let norm = super::validate::strip_indices(path);
    if !SECTIONS.contains(&path) {
        let names = declared_keys(&norm).join(", ");
        return format!(
            "expected a table of `name = value` entries, got {got}: write it as {{ technology = 0.5, website = 0.5 }} with any of: {names}"
        );
    }
    let see = format!("`ovopsim params {path}` lists its keys");
    match (written, example(&norm, template)) {
        (Written::File, Some((k, v))) => format!(
            "expected a section of keys, got {got}: write [{path}] on a line of its own and its keys below it, one per line (e.g. {k} = {v}); {see}"
        ),
        (Written::File, None) => format!(
            "expected a section of keys, got {got}: write [{path}] on a line of its own and its keys below it; {see}"
        ),
        (Written::Set, Some((k, v))) => format!(
            "expected a section of keys, got {got}: set one key at a time, e.g. --set {path}.{k}={v}; {see}"
        ),
        (Written::Set, None) => {
            format!("expected a section of keys, got {got}: set one key at a time; {see}")
        }
    }
}

fn list_message(path: &str, value: &toml::Value, written: Written) -> String {
    let got = kind_of(value);
    let keys = declared_keys(&format!("{}[]", super::validate::strip_indices(path)));
    match written {
        Written::File => format!(
            "expected a list of entries, got {got}: write each entry under its own [[{path}]] header (two brackets), with its keys below it: {}",
            keys.join(", ")
        ),
        Written::Set => format!(
            "expected a list of entries, got {got}: change one entry's key at a time, e.g. --set {path}[0].{}=...; its keys: {}",
            keys.first().map_or("name", String::as_str),
            keys.join(", ")
        ),
    }
}

fn entry_message(path: &str, value: &toml::Value, written: Written) -> String {
    let got = kind_of(value);
    let keys = declared_keys(&format!("{}[]", super::validate::strip_indices(path)));
    match written {
        Written::File => format!(
            "expected an entry of `{path}`, a table of keys ({}), got {got}: write each entry under its own [[{path}]] header, with its keys below it",
            keys.join(", ")
        ),
        Written::Set => format!(
            "expected an entry of `{path}`, a table of keys ({}), got {got}: change one entry's key at a time, e.g. --set {path}[0].{}=...",
            keys.join(", "),
            keys.first().map_or("name", String::as_str)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(String, String)> {
        check(&toml::from_str(text).unwrap(), Written::File)
    }

    #[test]
    fn a_well_shaped_scenario_has_no_problem() {
        let text = include_str!("../../scenarios/oita-like.toml");
        assert_eq!(problems(text), Vec::<(String, String)>::new());
    }

    #[test]
    fn misshapen_values_are_named() {
        let p = problems("district = [1, 2]\n");
        assert_eq!(p[0].0, "district");
        assert!(p[0].1.starts_with("expected a section of keys, got a list [...]: write [district] on a line of its own"), "{}", p[0].1);
        let p = problems(
            "agencies = 3\n[[products]]\nname = 1\n[[events.weather]]\nyear = 2030-05-01\n",
        );
        let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["agencies", "events.weather[0].year"]);
        assert!(p[1].1.contains("e.g. 2030 for 2030-05-01"), "{}", p[1].1);
        let p = problems("[[agencies]]\nmix = [1]\n");
        assert_eq!(p[0].0, "agencies[0].mix");
        assert!(
            p[0].1
                .starts_with("expected a table of `name = value` entries"),
            "{}",
            p[0].1
        );
        let p = problems("agencies = [1]\n");
        assert_eq!(p[0].0, "agencies[0]");
    }
}
