//! Commented starter scenario files for `ovopsim new`: the full default scenario, or a variant that extends another file.

use super::params::{PARAMS, allowed_of};
use super::schema::Scenario;

/// The default scenario with every key written out and explained (scenarios/ovop.toml), under a new name.
pub fn full(name: &str) -> String {
    let text = include_str!("../../scenarios/ovop.toml");
    let mut out = format!(
        "# {name}: written by `ovopsim new` from the default scenario; edit any value.\n#\n"
    );
    let mut top = true;
    for line in text.lines() {
        // Only the top-level name and description; lists have names too.
        top &= !line.starts_with('[');
        if top && line.starts_with("name = ") {
            out.push_str(&format!(
                "name = \"{name}\" # short name, used in result files and as the output folder\n"
            ));
        } else if top && line.starts_with("description = ") {
            out.push_str("description = \"\" # free text kept in the manifest\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
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
    let mut section = String::new();
    for p in PARAMS {
        if p.key.contains('[') || matches!(p.key, "name" | "description") {
            continue;
        }
        let (sec, field) = p.key.rsplit_once('.').unwrap_or(("", p.key));
        let mut v = &values;
        for part in p.key.split('.') {
            match v.get(part) {
                Some(x) => v = x,
                None => break,
            }
        }
        if sec != section {
            out.push_str(&format!("\n# [{sec}]\n"));
            section = sec.to_string();
        }
        let allowed = allowed_of(p.key);
        let range = if allowed == "-" {
            p.unit.to_string()
        } else {
            format!("{allowed}; {}", p.unit)
        };
        out.push_str(&format!("# {field} = {v} # {} ({range})\n", p.meaning));
    }
    out
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
}
