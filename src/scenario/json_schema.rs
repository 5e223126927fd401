//! The JSON Schema of a scenario file (`ovopsim schema`), written from the same declarations as `ovopsim params`, so that editors complete and check keys.
//!
//! Every section and key comes from `Scenario::declare`, every list entry
//! key from `LIST_KEYS` and the lists themselves from `LISTS`; types follow
//! the keys' Rust types (`value_type.rs`), bounds their `allowed:` ranges.
//! Only `extends`, read by the loader rather than serde, is described here.
//!
//! Draft 7 rather than 2020-12: Taplo, the checker behind the "Even Better
//! TOML" editor extension, validates with a jsonschema release that reads
//! drafts 4 to 7, and the keywords used here mean the same in 2020-12. No
//! key is `required`, since a file that `extends` another and an overlay
//! state only what differs; a list entry must state the keys serde has no
//! default for. Bounds that depend on other keys (`by_hand`) are only
//! described: `ovopsim check` remains the full check.

use super::schema::key::{Allowed, Item, Key};
use super::schema::value_type::ValueType;
use super::schema::{
    EVENTS_DOC, LIST_KEYS, LISTS, ProgrammeKind, Scenario, default_agencies, default_products,
};
use serde_json::{Map, Value, json};

/// The schema as JSON.
pub fn schema() -> Value {
    let mut items = Vec::new();
    Scenario::declare(&mut items);
    let defaults = serde_json::to_value(Scenario {
        agencies: default_agencies(),
        products: default_products(),
        ..Scenario::default()
    })
    .expect("a scenario serializes");
    let mut root = table("");
    for item in items {
        match item {
            Item::Table(t) if t.path.is_empty() => {
                root["description"] = json!(format!(
                    "{} Written by `ovopsim schema` from the key declarations. Every key is optional: a file that extends another, or an overlay, states only what differs.",
                    doc(t.doc)
                ));
            }
            Item::Table(t) => {
                let (parent, name) = split(t.path);
                properties(&mut root, parent).insert(name.into(), table(&doc(t.doc)));
            }
            Item::Key(key) => {
                let (parent, name) = split(key.path);
                let default = defaults.pointer(&pointer(key.path));
                properties(&mut root, parent).insert(name.into(), key_schema(&key, default));
            }
        }
    }
    properties(&mut root, "").insert(
        "extends".into(),
        json!({
            "type": "string",
            "description": "path of a scenario file this one starts from, relative to this file; this file then states only what differs (not in overlays)",
        }),
    );
    properties(&mut root, "").insert("events".into(), table(EVENTS_DOC));
    for list in LISTS {
        let prefix = format!("{}[].", list.path);
        let mut entry = table("");
        entry["required"] = json!(list.required);
        for key in LIST_KEYS.iter().filter(|k| k.path.starts_with(&prefix)) {
            let field = key.path[prefix.len()..].trim_end_matches(".<kind>");
            properties(&mut entry, "").insert(field.into(), key_schema(key, None));
        }
        let (parent, name) = split(list.path);
        let default = defaults.pointer(&pointer(list.path)).cloned();
        properties(&mut root, parent).insert(
            name.into(),
            json!({
                "type": "array",
                "description": list.doc,
                "items": entry,
                "default": default,
            }),
        );
    }
    let mut out = Map::new();
    out.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    out.insert("title".into(), json!("ovopsim scenario file"));
    out.extend(root.as_object().expect("a table is an object").clone());
    sorted(Value::Object(out))
}

/// The schema as the text `ovopsim schema` prints and the repository keeps.
pub fn text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a schema serializes");
    text.push('\n');
    text
}

/// A table's comment lines as one text.
fn doc(lines: &[&str]) -> String {
    let words: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    words.join(" ")
}

/// A table that flags misspelt keys.
fn table(description: &str) -> Value {
    let mut t = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {},
    });
    if !description.is_empty() {
        t["description"] = json!(description);
    }
    t
}

/// The properties of the table at a dotted path below `root` ("" for `root` itself).
fn properties<'a>(root: &'a mut Value, path: &str) -> &'a mut Map<String, Value> {
    let mut node = root;
    for name in path.split('.').filter(|n| !n.is_empty()) {
        node = &mut node["properties"][name];
    }
    node["properties"]
        .as_object_mut()
        .unwrap_or_else(|| panic!("{path} is declared as a table"))
}

/// A dotted path as (its table's path, its last name).
fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('.').unwrap_or(("", path))
}

/// A dotted path as a JSON pointer.
fn pointer(path: &str) -> String {
    format!("/{}", path.replace('.', "/"))
}

fn key_schema(key: &Key, default: Option<&Value>) -> Value {
    let mut s = value_schema(key.value, key.allowed);
    let mut text = String::new();
    if key.advanced {
        text.push_str("Advanced (a model constant most scenarios leave alone): ");
    }
    text.push_str(&format!("{} ({}).", key.meaning, key.unit));
    if key.allowed != Allowed::Any {
        text.push_str(&format!(" Allowed: {}.", key.allowed.text()));
    }
    if key.source != "-" {
        text.push_str(&format!(" Source: {}.", key.source));
    }
    s["description"] = json!(text);
    if let Some(default) = default {
        s["default"] = default.clone();
    }
    s
}

/// The schema of one value of a type, within its allowed range.
fn value_schema(value: ValueType, allowed: Allowed) -> Value {
    let number = || bounded(json!({"type": "number"}), allowed, false);
    match value {
        ValueType::Number => number(),
        ValueType::Count => bounded(
            json!({"type": "integer", "minimum": 0, "maximum": u32::MAX}),
            allowed,
            true,
        ),
        ValueType::Integer => bounded(
            json!({"type": "integer", "minimum": i32::MIN, "maximum": i32::MAX}),
            allowed,
            true,
        ),
        ValueType::Text => json!({"type": "string"}),
        ValueType::Switch => json!({"type": "boolean"}),
        ValueType::Choice(names) => json!({"type": "string", "enum": names()}),
        ValueType::Numbers => json!({"type": "array", "items": number()}),
        ValueType::FixedNumbers(n) => {
            json!({"type": "array", "items": number(), "minItems": n, "maxItems": n})
        }
        ValueType::PerKind => {
            let mut t = table("");
            for (name, what) in ProgrammeKind::NAMES {
                let mut entry = number();
                entry["description"] = json!(what);
                properties(&mut t, "").insert(name.into(), entry);
            }
            t
        }
    }
}

/// A number schema with the bounds of `allowed` (whole-number bounds for an integer).
fn bounded(mut s: Value, allowed: Allowed, whole: bool) -> Value {
    let n = |v: f64| if whole { json!(v as i64) } else { json!(v) };
    let (lo, hi, above) = match allowed {
        Allowed::Any | Allowed::ByHand(_) => return s,
        Allowed::Share => (Some(0.0), Some(1.0), None),
        Allowed::Positive => (None, None, Some(0.0)),
        Allowed::NonNegative => (Some(0.0), None, None),
        Allowed::AtMost(hi) => (Some(0.0), Some(hi), None),
        Allowed::PositiveAtMost(hi) => (None, Some(hi), Some(0.0)),
        Allowed::Range(lo, hi) => (Some(lo), Some(hi), None),
        Allowed::Int(lo, hi) => (Some(f64::from(lo)), Some(f64::from(hi)), None),
    };
    if let Some(lo) = lo {
        s["minimum"] = n(lo);
    }
    if let Some(hi) = hi {
        s["maximum"] = n(hi);
    }
    if let Some(above) = above {
        s["exclusiveMinimum"] = n(above);
    }
    s
}

/// The same value with every object's keys in alphabetical order, so the
/// text is the same whether or not serde_json keeps insertion order.
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::schema::{Agency, PriceShock, Product, WeatherEvent, WeatherKind};
    use serde::de::DeserializeOwned;

    /// The keys an entry cannot leave out, as serde finds them.
    fn required_by_serde<T: DeserializeOwned>(sample: Value) -> Vec<String> {
        let fields = sample.as_object().unwrap();
        let mut required: Vec<String> = fields
            .keys()
            .filter(|field| {
                let mut without = fields.clone();
                without.remove(*field);
                serde_json::from_value::<T>(Value::Object(without)).is_err()
            })
            .cloned()
            .collect();
        required.sort();
        required
    }

    #[test]
    fn list_entries_require_what_serde_requires() {
        let samples = [
            (
                "agencies",
                required_by_serde::<Agency>(json!(default_agencies()[0])),
            ),
            (
                "products",
                required_by_serde::<Product>(json!(default_products()[0])),
            ),
            (
                "events.weather",
                required_by_serde::<WeatherEvent>(json!(WeatherEvent {
                    kind: WeatherKind::Flood,
                    year: 2030,
                    month: 2,
                    duration_months: 3,
                    severity: 0.5,
                })),
            ),
            (
                "events.price",
                required_by_serde::<PriceShock>(json!(PriceShock {
                    product: "all".into(),
                    year: 2030,
                    month: 2,
                    change: -0.5,
                    duration_months: 3,
                    recovery_months: 4,
                })),
            ),
        ];
        for (path, by_serde) in samples {
            let list = LISTS.iter().find(|l| l.path == path).unwrap();
            let mut declared: Vec<String> = list.required.iter().map(|s| s.to_string()).collect();
            declared.sort();
            assert_eq!(declared, by_serde, "{path}");
        }
    }

    #[test]
    fn keys_get_types_bounds_defaults_and_descriptions() {
        let s = schema();
        let years = &s["properties"]["years"];
        assert_eq!(years["type"], "integer");
        assert_eq!(
            (years["minimum"].clone(), years["maximum"].clone()),
            (json!(1), json!(100))
        );
        assert_eq!(years["default"], 20);
        let quality = &s["properties"]["coordination"]["properties"]["quality"];
        assert_eq!(quality["type"], "number");
        assert_eq!(quality["maximum"], 1.0);
        assert!(
            quality["description"]
                .as_str()
                .unwrap()
                .contains("Allowed: 0 to 1.")
        );
        let approach = &s["properties"]["approach"];
        assert_eq!(approach["enum"], json!(["ovop", "kawasan", "none"]));
        let saturation = &s["properties"]["programme"]["properties"]["saturation"];
        assert_eq!(saturation["properties"]["website"]["exclusiveMinimum"], 0.0);
        assert_eq!(saturation["additionalProperties"], false);
        let mix = &s["properties"]["agencies"]["items"]["properties"]["mix"];
        assert_eq!(mix["properties"]["website"]["maximum"], 1e6);
        let tiers = &s["properties"]["products"]["items"]["properties"]["tier_premium"];
        assert_eq!(
            (tiers["minItems"].clone(), tiers["maxItems"].clone()),
            (json!(5), json!(5))
        );
        let advanced = &s["properties"]["programme"]["properties"]["evaluation_saturated"];
        assert!(
            advanced["description"]
                .as_str()
                .unwrap()
                .starts_with("Advanced")
        );
        assert_eq!(
            s["properties"]["agencies"]["default"]
                .as_array()
                .unwrap()
                .len(),
            5
        );
    }

    #[test]
    fn every_declared_key_is_in_the_schema() {
        let s = schema();
        for key in LIST_KEYS {
            let (list, field) = key.path.split_once("[].").unwrap();
            let field = field.trim_end_matches(".<kind>");
            let items = s.pointer(&format!("{}/items", pointer_in(list))).unwrap();
            assert!(items["properties"].get(field).is_some(), "{}", key.path);
        }
        let mut items = Vec::new();
        Scenario::declare(&mut items);
        for item in items {
            if let Item::Key(key) = item {
                assert!(s.pointer(&pointer_in(key.path)).is_some(), "{}", key.path);
            }
        }
    }

    fn pointer_in(path: &str) -> String {
        path.split('.')
            .map(|n| format!("/properties/{n}"))
            .collect()
    }
}
