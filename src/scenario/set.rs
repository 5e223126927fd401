//! `--set key.path=value` overrides applied to a scenario's TOML tree, each checked for its shape and type, with errors naming the override.

use super::file::explain;
use super::schema::Scenario;
use super::{Origin, Problem, ScenarioError, shape, validate};

/// Applies `key.path=value` overrides on the TOML tree, then deserializes again.
pub(super) fn apply_sets(scenario: Scenario, sets: &[String]) -> Result<Scenario, ScenarioError> {
    let mut root = toml::Table::try_from(&scenario).expect("a scenario always serializes");
    for arg in sets {
        let problem = |message: String| {
            ScenarioError::Invalid(vec![Problem {
                origin: Origin::Set(arg.clone()),
                key: arg.split('=').next().unwrap_or("").trim().to_string(),
                message,
            }])
        };
        let Some((key, raw)) = arg.split_once('=') else {
            return Err(problem("expected key.path=value".into()));
        };
        let key = key.trim();
        if key == "extends" {
            // The chain is read with the file, before any override: an
            // `extends` set here would be silently ignored.
            return Err(problem(
                "can only be written in a scenario file (it names the file that one builds on); write it there, or --set the keys themselves".into(),
            ));
        }
        // A value that is not valid TOML (e.g. `kawasan`) is taken as a string.
        let value = toml::from_str::<toml::Table>(&format!("v = {raw}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(raw.trim().to_string()));
        let parts: Vec<&str> = key.split('.').collect();
        let mut table = &mut root;
        for part in &parts[..parts.len() - 1] {
            // `name[i]`: entry i of a list of tables, e.g. agencies[0].
            let (name, index) = match part.split_once('[') {
                Some((n, rest)) => {
                    match rest.strip_suffix(']').and_then(|i| i.parse::<usize>().ok()) {
                        Some(i) => (n, Some(i)),
                        None => {
                            return Err(problem(format!(
                                "`{part}`: write a list entry as name[index], e.g. agencies[0]"
                            )));
                        }
                    }
                }
                None => (*part, None),
            };
            let entry = table
                .entry(name.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            let entry = match (entry, index) {
                (toml::Value::Array(items), Some(i)) => {
                    let n = items.len();
                    items.get_mut(i).ok_or_else(|| {
                        problem(format!(
                            "`{name}` has {n} entries (0 to {}), so [{i}] is out of range",
                            n.saturating_sub(1)
                        ))
                    })?
                }
                (v, None) => v,
                (_, Some(_)) => {
                    let unindexed = key.replacen(part, name, 1);
                    return Err(problem(format!(
                        "`{name}` is not a list, so it takes no [index]: write --set {unindexed}=..."
                    )));
                }
            };
            table = match entry {
                toml::Value::Table(t) => t,
                _ => return Err(problem(format!("`{part}` is not a table"))),
            };
        }
        let last = parts[parts.len() - 1];
        match last.split_once('[') {
            Some((name, index)) if table.contains_key(name) => {
                let path = key.rsplit_once('[').map_or(key, |(p, _)| p);
                return Err(problem(indexed_message(path, index, &table[name], raw)));
            }
            // An unknown key is named without the index, as serde reports it.
            Some((name, _)) => table.insert(name.to_string(), value),
            None => table.insert(last.to_string(), value),
        };
    }
    if let Some((key, message)) = shape::check(&root, shape::Written::Set).into_iter().next() {
        let arg = sets
            .iter()
            .rev()
            .find(|s| {
                let set = s.split('=').next().unwrap_or("").trim();
                key.strip_prefix(set)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
            })
            .cloned()
            .unwrap_or_else(|| sets.join(" "));
        return Err(ScenarioError::Invalid(vec![Problem {
            origin: Origin::Set(arg),
            key,
            message,
        }]));
    }
    serde_path_to_error::deserialize(root).map_err(|e| {
        let key = e.path().to_string();
        let arg = sets
            .iter()
            .find(|s| s.split('=').next().map(str::trim) == Some(key.as_str()))
            .cloned()
            .unwrap_or_else(|| sets.join(" "));
        ScenarioError::Invalid(vec![Problem {
            origin: Origin::Set(arg),
            key,
            message: explain(e.into_inner().message()),
        }])
    })
}

/// Why `--set path[index]=raw` cannot be applied: a list is given whole, an
/// entry of a list of tables changes one key at a time, and a plain key takes no index.
fn indexed_message(path: &str, index: &str, current: &toml::Value, raw: &str) -> String {
    let toml::Value::Array(items) = current else {
        return format!("`{path}` is not a list, so it takes no [index]: write --set {path}=...");
    };
    if let Some(toml::Value::Table(_)) = items.first() {
        let keys = shape::declared_keys(&format!("{}[]", validate::strip_indices(path)));
        let first = keys.first().map_or("name", String::as_str);
        return format!(
            "an entry of `{path}` is changed one key at a time: write --set {path}[{index}.{first}=..., with any of its keys: {}",
            keys.join(", ")
        );
    }
    let written: Vec<String> = items.iter().map(ToString::to_string).collect();
    let at = index
        .strip_suffix(']')
        .and_then(|i| i.parse::<usize>().ok());
    match at {
        Some(i) if i < items.len() => {
            let mut changed = written.clone();
            changed[i] = raw.trim().to_string();
            format!(
                "--set does not change one entry of a list; give the whole list, here with entry {i} changed: --set '{path}=[{}]'",
                changed.join(", ")
            )
        }
        _ => format!(
            "--set does not change one entry of a list; give the whole list ({} entries now): --set '{path}=[{}]'",
            items.len(),
            written.join(", ")
        ),
    }
}
