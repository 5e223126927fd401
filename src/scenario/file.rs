//! One scenario file read on its own: parsed, its keys and types checked, and every problem listed with its line and column, in the user's words.

use super::schema::Scenario;
use super::{
    Origin, Problem, ScenarioError, Source, allowed_of, line_col, locate, shape, validate,
    villages_csv,
};
use std::path::Path;

/// Parses one file of a chain and checks its keys and types on their own, so
/// errors point into it: every misshapen, mistyped or unknown key is listed
/// (up to [`villages_csv::MAX_PROBLEMS`]), and the table returned has each
/// replaced by a valid placeholder (or removed, if unknown) so that the rest
/// of the scenario can still be range-checked. A syntax error ends the
/// reading: TOML cannot be read past it.
pub(super) fn parse_file(source: &Source) -> Result<(toml::Table, Vec<Problem>), ScenarioError> {
    use serde::Deserialize;
    let (text, path) = (source.text.as_str(), source.path.as_path());
    let syntax =
        |e: toml::de::Error| ScenarioError::Invalid(vec![toml_problem(&e, text, path, None)]);
    let mut doc = toml::de::DeTable::parse(text).map_err(syntax)?;
    let plain: toml::Table = toml::from_str(text).map_err(syntax)?;
    let mut problems = Vec::new();
    for (key, message) in shape::check(&plain, shape::Written::File) {
        problems.push(Problem {
            origin: locate(std::slice::from_ref(source), &[], &key),
            key: key.clone(),
            message,
        });
        put_placeholder(doc.get_mut(), &key);
    }
    loop {
        let de = toml::de::Deserializer::from(doc.clone());
        let Err(e) = serde_path_to_error::deserialize::<_, Scenario>(de) else {
            break;
        };
        let key = e.path().to_string();
        let key = (key != ".").then_some(key);
        problems.push(toml_problem(e.inner(), text, path, key.clone()));
        // A missing key of a list entry gets its placeholder; any other the
        // key found wrong.
        let missing = e
            .inner()
            .message()
            .strip_prefix("missing field `")
            .and_then(|m| m.strip_suffix('`'));
        let target = match (key, missing) {
            (Some(key), Some(field)) => format!("{key}.{field}"),
            (Some(key), None) => key,
            (None, _) => return Err(ScenarioError::Invalid(problems)),
        };
        if problems.len() > villages_csv::MAX_PROBLEMS || !put_placeholder(doc.get_mut(), &target) {
            return Err(ScenarioError::Invalid(capped(problems)));
        }
    }
    let table = toml::Table::deserialize(toml::de::Deserializer::from(doc)).map_err(syntax)?;
    Ok((table, problems))
}

/// Puts a valid value (see [`shape::placeholder`]) at a key path (`a.b[2].c`)
/// of a parsed file, or removes the key if the schema has none; an entry of a
/// list of values (`a.b[2]`) stands for the whole list. False when the path
/// leads nowhere, so that nothing changed.
fn put_placeholder(root: &mut toml::de::DeTable<'_>, key: &str) -> bool {
    use toml::de::DeValue;
    let mut key = key;
    while let Some((list, _)) = key.strip_suffix(']').and_then(|k| k.rsplit_once('[')) {
        key = list;
    }
    let segments: Vec<&str> = key.split('.').collect();
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut table = root;
    for segment in parents {
        let (name, index) = match segment.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (*segment, None),
        };
        let Some(value) = table.get_mut(name) else {
            return false;
        };
        let value = match (value.get_mut(), index) {
            (DeValue::Array(items), Some(ix)) => match items.get_mut(ix) {
                Some(item) => item.get_mut(),
                None => return false,
            },
            (value, None) => value,
            _ => return false,
        };
        table = match value {
            DeValue::Table(t) => t,
            _ => return false,
        };
    }
    match shape::placeholder(key) {
        Some(value) => {
            let at = table.get(*last).map_or(0..0, |v| v.span());
            let name = toml::Spanned::new(at.clone(), std::borrow::Cow::Owned(last.to_string()));
            table.insert(name, toml::Spanned::new(at, value));
            true
        }
        None => table.remove(*last).is_some(),
    }
}

/// At most [`villages_csv::MAX_PROBLEMS`] problems; a last line says the
/// listing stopped (the problems after it depend on those before).
pub(super) fn capped(mut problems: Vec<Problem>) -> Vec<Problem> {
    if problems.len() > villages_csv::MAX_PROBLEMS {
        let origin = match &problems[0].origin {
            Origin::File { path, .. } | Origin::FileOnly(path) => Origin::FileOnly(path.clone()),
            other => other.clone(),
        };
        problems.truncate(villages_csv::MAX_PROBLEMS);
        problems.push(Problem {
            origin,
            key: String::new(),
            message: format!(
                "more problems not listed (the first {} are); fix these and check again",
                villages_csv::MAX_PROBLEMS
            ),
        });
    }
    problems
}

pub(super) fn toml_problem(
    e: &toml::de::Error,
    text: &str,
    path: &Path,
    key: Option<String>,
) -> Problem {
    let span = e.span();
    let origin = match &span {
        Some(span) => {
            let (line, column) = line_col(text, span.start);
            Origin::File {
                path: path.to_path_buf(),
                line,
                column,
            }
        }
        None => Origin::FileOnly(path.to_path_buf()),
    };
    let mut message = explain(e.message());
    if let Some(span) = &span
        && !message.contains("decimals take a point")
    {
        let line_start = text[..span.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        // Lists have commas of their own.
        if !line.contains('[')
            && let Some(hint) = decimal_comma_hint(line)
        {
            message = format!("{message}; {hint}");
        }
    }
    let mut key = key.unwrap_or_default();
    if message == "duplicate key"
        && let Some(name) = span.and_then(|s| text.get(s)).map(str::trim)
    {
        message = format!("`{name}` is written twice; each key may appear once");
        if key.is_empty() {
            key = name.trim_matches('"').to_string();
        }
    }
    if message.starts_with("invalid ") {
        let allowed = allowed_of(&validate::strip_indices(&key));
        if allowed != "-" {
            message = format!("{message}; allowed: {allowed}");
        }
    }
    Problem {
        origin,
        key,
        message,
    }
}

/// Rewrites serde's "unknown field `x`, expected one of ..." into a message with the nearest valid name.
pub(super) fn explain(message: &str) -> String {
    // Rust type names mean nothing to most users.
    let message = message
        .trim()
        .replace("expected u32", "expected a whole number 0 or more")
        .replace("expected u8", "expected a whole number 0 or more")
        .replace("expected u64", "expected a whole number 0 or more")
        .replace("expected i32", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("invalid type: map,", "invalid type: a table { ... },")
        .replace("invalid type: sequence,", "invalid type: a list [...],")
        .replace("expected a sequence", "expected a list [...]")
        .replace("expected a map", "expected a table { ... }");
    // Only a value read as a string ("0,5") is a suspect; lists have commas of their own.
    if let Some(value) = message.split("string \"").nth(1)
        && let Some(hint) = decimal_comma_hint(value.split('"').next().unwrap_or(""))
    {
        return format!("{message}; {hint}");
    }
    let message = message.as_str();
    let (what, rest) = if let Some(r) = message.strip_prefix("unknown field ") {
        ("key", r)
    } else if let Some(r) = message.strip_prefix("unknown variant ") {
        ("value", r)
    } else {
        return message.to_string();
    };
    let names: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let Some((given, allowed)) = names.split_first() else {
        return message.to_string();
    };
    if allowed.is_empty() {
        return format!("unknown {what} `{given}`; nothing is allowed here");
    }
    let nearest = allowed
        .iter()
        .map(|a| (strsim::damerau_levenshtein(given, a), *a))
        .min()
        .filter(|(d, a)| *d <= (a.len() / 3).max(2));
    let list = allowed.join(", ");
    match nearest {
        Some((_, a)) => format!("unknown {what} `{given}`; did you mean `{a}`? (allowed: {list})"),
        None => format!("unknown {what} `{given}` (allowed: {list})"),
    }
}

/// A hint when `text` holds a number written with a decimal comma (`0,5`,
/// as Indonesian and most European writing has it), which TOML reads as a
/// string or a syntax error.
fn decimal_comma_hint(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (1..bytes.len().saturating_sub(1)).find_map(|i| {
        if !(bytes[i] == b',' && bytes[i - 1].is_ascii_digit() && bytes[i + 1].is_ascii_digit()) {
            return None;
        }
        // ASCII digits around an ASCII comma: every index here is a char boundary.
        let start = text[..i]
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .len();
        let end = text[i + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(text.len(), |e| i + 1 + e);
        let (int, frac) = (&text[start..i], &text[i + 1..end]);
        // Thousands (1,000) are not decimals; a comma before 1-2 digits or after a lone 0 is.
        (frac.len() != 3 || int == "0").then(|| {
            format!("decimals take a point, not a comma: write {int}.{frac}, not {int},{frac}")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_commas_are_hinted_and_thousands_are_not() {
        assert_eq!(
            decimal_comma_hint("quality = 0,5").as_deref(),
            Some("decimals take a point, not a comma: write 0.5, not 0,5")
        );
        assert!(decimal_comma_hint("12,75").unwrap().contains("12.75"));
        assert!(decimal_comma_hint("0,125").unwrap().contains("0.125"));
        assert_eq!(decimal_comma_hint("budget = 30,000"), None);
        assert_eq!(decimal_comma_hint("a, b"), None);
        assert!(decimal_comma_hint("\u{e9}5,5").unwrap().contains("5.5"));
    }
}
