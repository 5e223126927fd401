//! Scenario loading: TOML text and `--set` overrides in, a validated `Config` out, or an error naming file, line, column and key.
//!
//! Parsing happens once, here. The engine only ever sees a `Config`, whose
//! numbers are known to be in range, whose agency and product lists are
//! resolved, and whose villages (generated or read from CSV) are described.

mod params;
mod schema;
mod validate;
mod villages_csv;

pub use params::{PARAMS, Param, markdown as params_markdown, scenario_keys};
pub use schema::*;
pub use villages_csv::VillageRecord;

use std::fmt;
use std::path::{Path, PathBuf};

/// A validated scenario, ready to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The scenario with defaults, overrides and resolved lists in place.
    pub scenario: Scenario,
    /// Villages read from `district.villages_file`, if one was given.
    pub village_records: Option<Vec<VillageRecord>>,
}

impl Config {
    /// Months simulated.
    pub fn months(&self) -> usize {
        self.scenario.years as usize * 12
    }
}

/// Where an error was found.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A position in a file (1-based line and column).
    File {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    /// A file without a known position.
    FileOnly(PathBuf),
    /// A `--set` argument.
    Set(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path, line, column } => {
                write!(f, "{}:{line}:{column}", path.display())
            }
            Origin::FileOnly(path) => write!(f, "{}", path.display()),
            Origin::Set(arg) => write!(f, "--set {arg}"),
        }
    }
}

/// One problem in a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub origin: Origin,
    /// Key path, e.g. `coordination.quality` or `agencies[1].budget`.
    pub key: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}: {}", self.origin, self.message)
        } else {
            write!(f, "{}: key `{}`: {}", self.origin, self.key, self.message)
        }
    }
}

/// Why a scenario could not be loaded. Always the user's input, so exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("cannot read scenario {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

/// Loads, overrides and validates a scenario file.
pub fn load(path: &Path, sets: &[String]) -> Result<Config, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let base_dir = path.parent().unwrap_or(Path::new("."));
    load_str(&text, path, base_dir, sets)
}

/// Loads a scenario from text; `path` is only used in messages, `base_dir` resolves `villages_file`.
pub fn load_str(
    text: &str,
    path: &Path,
    base_dir: &Path,
    sets: &[String],
) -> Result<Config, ScenarioError> {
    let mut scenario = parse(text, path)?;
    if !sets.is_empty() {
        scenario = apply_sets(scenario, sets)?;
    }
    if scenario.agencies.is_empty() {
        scenario.agencies = default_agencies();
    }
    if scenario.products.is_empty() {
        scenario.products = default_products();
    }
    let problems = validate::check(&scenario);
    if !problems.is_empty() {
        let located = problems
            .into_iter()
            .map(|(key, message)| Problem {
                origin: locate(text, path, sets, &key),
                key,
                message,
            })
            .collect();
        return Err(ScenarioError::Invalid(located));
    }
    let village_records = if scenario.district.villages_file.is_empty() {
        None
    } else {
        let csv_path = base_dir.join(&scenario.district.villages_file);
        Some(villages_csv::read(&csv_path, &scenario)?)
    };
    Ok(Config {
        scenario,
        village_records,
    })
}

fn parse(text: &str, path: &Path) -> Result<Scenario, ScenarioError> {
    let de = toml::de::Deserializer::parse(text).map_err(|e| toml_problem(&e, text, path))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        let inner = e.into_inner();
        let mut problem = toml_problem(&inner, text, path);
        if let ScenarioError::Invalid(ps) = &mut problem
            && key != "."
        {
            ps[0].key = key;
        }
        problem
    })
}

fn toml_problem(e: &toml::de::Error, text: &str, path: &Path) -> ScenarioError {
    let origin = match e.span() {
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
    ScenarioError::Invalid(vec![Problem {
        origin,
        key: String::new(),
        message: e.message().trim().to_string(),
    }])
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Applies `key.path=value` overrides on the TOML tree, then deserializes again.
fn apply_sets(scenario: Scenario, sets: &[String]) -> Result<Scenario, ScenarioError> {
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
        // A value that is not valid TOML (e.g. `kawasan`) is taken as a string.
        let value = toml::from_str::<toml::Table>(&format!("v = {raw}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(raw.trim().to_string()));
        let parts: Vec<&str> = key.split('.').collect();
        let mut table = &mut root;
        for part in &parts[..parts.len() - 1] {
            table = match table
                .entry(part.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            {
                toml::Value::Table(t) => t,
                _ => return Err(problem(format!("`{part}` is not a table"))),
            };
        }
        table.insert(parts[parts.len() - 1].to_string(), value);
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
            message: e.into_inner().message().trim().to_string(),
        }])
    })
}

/// Finds where a key path is written: in a `--set` if one names it, else in the file.
fn locate(text: &str, path: &Path, sets: &[String], key: &str) -> Origin {
    if let Some(arg) = sets
        .iter()
        .rev()
        .find(|s| s.split('=').next().map(str::trim) == Some(key))
    {
        return Origin::Set(arg.clone());
    }
    match span_of(text, key) {
        Some(offset) => {
            let (line, column) = line_col(text, offset);
            Origin::File {
                path: path.to_path_buf(),
                line,
                column,
            }
        }
        None => Origin::FileOnly(path.to_path_buf()),
    }
}

/// Byte offset of a key path's value (`a.b[2].c`) in TOML text, if written there.
fn span_of(text: &str, key: &str) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut table = root.get_ref();
    let mut found: Option<usize> = None;
    let segments: Vec<&str> = key.split('.').collect();
    for (i, seg) in segments.iter().enumerate() {
        let (name, index) = match seg.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (*seg, None),
        };
        let value = table.get(name)?;
        found = Some(value.span().start);
        let mut v = value.get_ref();
        if let Some(ix) = index {
            match v {
                DeValue::Array(items) => {
                    let item = items.get(ix)?;
                    found = Some(item.span().start);
                    v = item.get_ref();
                }
                _ => return found,
            }
        }
        if i + 1 < segments.len() {
            match v {
                DeValue::Table(t) => table = t,
                _ => return found,
            }
        }
    }
    found
}

/// The default scenario with its lists resolved, as every scenario file starts.
pub fn defaults() -> Scenario {
    load_str(
        "name = \"default\"\n",
        Path::new("default.toml"),
        Path::new("."),
        &[],
    )
    .expect("the defaults are valid")
    .scenario
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str, sets: &[&str]) -> Result<Config, ScenarioError> {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        load_str(text, Path::new("s.toml"), Path::new("."), &sets)
    }

    fn problems(r: Result<Config, ScenarioError>) -> Vec<Problem> {
        match r {
            Err(ScenarioError::Invalid(p)) => p,
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn empty_file_gives_defaults() {
        let c = load_text("name = \"x\"\n", &[]).unwrap();
        assert_eq!(c.scenario.district.villages, 50);
        assert_eq!(c.scenario.products.len(), 6);
        assert_eq!(c.scenario.agencies.len(), 5);
        assert_eq!(c.months(), 240);
    }

    #[test]
    fn unknown_key_is_located() {
        let p = problems(load_text("name = \"x\"\n[district]\nvilages = 3\n", &[]));
        assert_eq!(
            p[0].origin,
            Origin::File {
                path: "s.toml".into(),
                line: 3,
                column: 1
            }
        );
        assert!(p[0].message.contains("unknown field"), "{}", p[0].message);
    }

    #[test]
    fn out_of_range_names_key_line_and_range() {
        let p = problems(load_text(
            "name = \"x\"\n\n[coordination]\nquality = 1.5\n",
            &[],
        ));
        assert_eq!(p[0].key, "coordination.quality");
        assert_eq!(
            p[0].origin,
            Origin::File {
                path: "s.toml".into(),
                line: 4,
                column: 11
            }
        );
        assert!(p[0].message.contains("0 to 1"), "{}", p[0].message);
    }

    #[test]
    fn wrong_type_is_located_with_key() {
        let p = problems(load_text("name = \"x\"\nyears = \"ten\"\n", &[]));
        assert_eq!(p[0].key, "years");
        assert!(matches!(p[0].origin, Origin::File { line: 2, .. }));
    }

    #[test]
    fn set_overrides_and_reports_itself() {
        let c = load_text("name = \"x\"\n", &["coordination.quality=0.2"]).unwrap();
        assert_eq!(c.scenario.coordination.quality, 0.2);
        let c = load_text("name = \"x\"\n", &["approach=kawasan"]).unwrap();
        assert_eq!(c.scenario.approach, Approach::Kawasan);
        let p = problems(load_text("name = \"x\"\n", &["coordination.quality=7"]));
        assert_eq!(p[0].origin, Origin::Set("coordination.quality=7".into()));
        let p = problems(load_text("name = \"x\"\n", &["district.nope=1"]));
        assert!(p[0].message.contains("unknown field"), "{}", p[0].message);
        let p = problems(load_text("name = \"x\"\n", &["novalue"]));
        assert!(p[0].message.contains("key.path=value"));
    }

    #[test]
    fn array_keys_are_located() {
        let text = "name = \"x\"\n[[agencies]]\nname = \"a\"\nlevel = \"central\"\nbudget = -5.0\nmix = { technology = 1.0 }\n";
        let p = problems(load_text(text, &[]));
        assert_eq!(p[0].key, "agencies[0].budget");
        assert!(matches!(p[0].origin, Origin::File { line: 5, .. }));
    }
}
