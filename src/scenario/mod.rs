//! Scenario loading: TOML text and `--set` overrides in, a validated `Config` out, or an error naming file, line, column and key.
//!
//! Parsing happens once, here. The engine only ever sees a `Config`, whose
//! numbers are known to be in range, whose agency and product lists are
//! resolved, and whose villages (generated or read from CSV) are described.

mod file;
mod input;
mod json_schema;
mod params;
mod schema;
mod set;
mod shape;
mod template;
mod validate;
mod villages_csv;

pub use json_schema::{schema as json_schema, text as json_schema_text};
pub use params::{
    PARAMS, Param, allowed_of, default_of, listing as params_listing, markdown as params_markdown,
    scenario_keys,
};
pub use schema::*;
pub use template::{
    default_file as template_default_file, full as template_full, variant as template_variant,
};
pub use villages_csv::VillageRecord;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A validated scenario, ready to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The scenario with defaults, overrides and resolved lists in place.
    pub scenario: Scenario,
    /// Villages read from `district.villages_file`, if one was given.
    pub village_records: Option<Arc<Vec<VillageRecord>>>,
    /// Every file read to make it: the scenario file, the files it extends,
    /// the overlays in the order given, and the villages file; for the manifest.
    pub inputs: Vec<PathBuf>,
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
    #[error("cannot read scenario {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

/// One file of an `extends` chain.
#[derive(Debug, Clone)]
struct Source {
    path: PathBuf,
    text: String,
}

/// Longest `extends` chain followed; deeper chains are almost surely a mistake.
const MAX_EXTENDS: usize = 32;

/// Loads, merges (`extends`), overrides and validates a scenario file.
pub fn load(path: &Path, sets: &[String]) -> Result<Config, ScenarioError> {
    Resolved::read(path)?.apply(sets)
}

/// [`load`] with overlays merged on top of the file before the overrides.
pub fn load_with(
    path: &Path,
    overlays: &[PathBuf],
    sets: &[String],
) -> Result<Config, ScenarioError> {
    Resolved::read_with(path, overlays)?.apply(sets)
}

fn read_text(path: &Path) -> Result<String, ScenarioError> {
    let read_err = |reason: String| ScenarioError::Read {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = input::read_limited(path, input::SCENARIO_MAX_BYTES).map_err(read_err)?;
    String::from_utf8(bytes).map_err(|e| {
        read_err(format!(
            "not a text file (invalid UTF-8 at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Loads a scenario from text; `path` names it in messages, `base_dir` resolves `extends` and `villages_file`.
pub fn load_str(
    text: &str,
    path: &Path,
    base_dir: &Path,
    sets: &[String],
) -> Result<Config, ScenarioError> {
    Resolved::parse(text, path, base_dir)?.apply(sets)
}

/// A scenario file read once and resolved (`extends` merged, lists filled in),
/// to which any number of override lists are applied in memory.
///
/// A study applies one list per point, so it reads and parses its files once
/// instead of once per point. [`Resolved::apply`] gives exactly what
/// [`load`] gives with the same overrides, errors included.
#[derive(Debug)]
pub struct Resolved {
    /// The overlays (last given first), then the file and the files it
    /// extends, child first: errors point into them.
    chain: Vec<Source>,
    /// How many of `chain` are overlays.
    overlays: usize,
    base_dir: PathBuf,
    /// The merged scenario before any override.
    scenario: Scenario,
    /// The folder `district.villages_file` is relative to, found once.
    villages_dir: std::sync::OnceLock<PathBuf>,
    /// The last villages file read, kept for the next configuration that names it.
    villages: std::sync::Mutex<Option<VillagesRead>>,
}

/// A villages file as read and checked for one scenario.
#[derive(Debug)]
struct VillagesRead {
    path: PathBuf,
    /// What the records were checked against: `district.districts` and the product names.
    districts: u32,
    products: Vec<String>,
    records: Arc<Vec<VillageRecord>>,
}

impl Resolved {
    /// Reads a scenario file and the files it extends.
    pub fn read(path: &Path) -> Result<Self, ScenarioError> {
        Self::read_with(path, &[])
    }

    /// Reads a scenario file and the files it extends, with overlays (partial
    /// scenarios, later ones winning) merged on top of it.
    pub fn read_with(path: &Path, overlays: &[PathBuf]) -> Result<Self, ScenarioError> {
        let text = read_text(path)?;
        let base_dir = path.parent().unwrap_or(Path::new("."));
        Self::parse_with(&text, path, base_dir, overlays)
    }

    /// Resolves a scenario from text; `path` names it in messages, `base_dir` resolves `extends` and `villages_file`.
    pub fn parse(text: &str, path: &Path, base_dir: &Path) -> Result<Self, ScenarioError> {
        Self::parse_with(text, path, base_dir, &[])
    }

    fn parse_with(
        text: &str,
        path: &Path,
        base_dir: &Path,
        overlays: &[PathBuf],
    ) -> Result<Self, ScenarioError> {
        let (mut chain, mut tables, mut problems) = read_chain(text, path, base_dir)?;
        // A name is the file's own, never inherited: two files must not share an output folder.
        let named = tables[0].contains_key("name");
        for overlay in overlays {
            let (source, table, found) = read_overlay(overlay)?;
            // On top of the chain: its keys win, and errors point into it first.
            chain.insert(0, source);
            tables.insert(0, table);
            problems.extend(found);
        }
        let mut merged = toml::Table::new();
        // Parents first, so that each file's keys override those it extends.
        for mut table in tables.into_iter().rev() {
            table.remove("extends");
            merge(&mut merged, table);
        }
        if !named {
            merged.insert("name".into(), toml::Value::String(stem_name(path)));
        }
        // An absent list means the defaults; a written one, even empty, is
        // taken as written, as `--set 'agencies=[]'` takes it.
        let default_agencies_wanted = !merged.contains_key("agencies");
        let default_products_wanted = !merged.contains_key("products");
        let mut scenario: Scenario = serde_path_to_error::deserialize(merged).map_err(|e| {
            let key = e.path().to_string();
            ScenarioError::Invalid(vec![Problem {
                origin: Origin::FileOnly(path.to_path_buf()),
                key,
                message: file::explain(e.into_inner().message()),
            }])
        })?;
        // Lists are resolved first, so that `--set agencies[0].budget=...` has an entry to change.
        if default_agencies_wanted {
            scenario.agencies = default_agencies();
        }
        if default_products_wanted {
            scenario.products = default_products();
        }
        if !problems.is_empty() {
            return Err(ScenarioError::Invalid(with_range_problems(
                problems, &scenario, &chain,
            )));
        }
        Ok(Self {
            chain,
            overlays: overlays.len(),
            base_dir: base_dir.to_path_buf(),
            scenario,
            villages_dir: std::sync::OnceLock::new(),
            villages: std::sync::Mutex::new(None),
        })
    }

    /// The scenario with `key.path=value` overrides applied (as `--set` gives
    /// them), validated, with its villages; errors name the override or the
    /// file line as [`load`] does.
    pub fn apply(&self, sets: &[String]) -> Result<Config, ScenarioError> {
        let mut scenario = self.scenario.clone();
        if !sets.is_empty() {
            scenario = set::apply_sets(scenario, sets)?;
        }
        let problems = validate::check(&scenario);
        if !problems.is_empty() {
            let located = problems
                .into_iter()
                .map(|(key, message)| Problem {
                    origin: locate(&self.chain, sets, &key),
                    key,
                    message,
                })
                .collect();
            return Err(ScenarioError::Invalid(located));
        }
        let village_records = if scenario.district.villages_file.is_empty() {
            None
        } else {
            Some(self.villages(&scenario)?)
        };
        if let Some(records) = &village_records {
            // The file's rows are the villages; a count written beside it that
            // disagrees would otherwise be silently ignored.
            let origin = locate(&self.chain, sets, "district.villages");
            let written = !matches!(origin, Origin::FileOnly(_));
            if written && scenario.district.villages as usize != records.len() {
                return Err(ScenarioError::Invalid(vec![Problem {
                    origin,
                    key: "district.villages".into(),
                    message: format!(
                        "must match the {} rows of district.villages_file {:?} (its rows are the villages), got {}; leave it out or make it {}",
                        records.len(),
                        scenario.district.villages_file,
                        scenario.district.villages,
                        records.len()
                    ),
                }]));
            }
        }
        let (overlays, files) = self.chain.split_at(self.overlays);
        let mut inputs: Vec<PathBuf> = files.iter().map(|s| s.path.clone()).collect();
        inputs.extend(overlays.iter().rev().map(|s| s.path.clone()));
        if village_records.is_some() {
            let dir = self
                .villages_dir
                .get()
                .expect("set when the villages were read");
            inputs.push(dir.join(&scenario.district.villages_file));
        }
        Ok(Config {
            scenario,
            village_records,
            inputs,
        })
    }

    /// The records of the scenario's villages file, read from disk only when
    /// the last read was of another file or checked against other districts
    /// or products (the only scenario keys the records are checked against).
    fn villages(&self, scenario: &Scenario) -> Result<Arc<Vec<VillageRecord>>, ScenarioError> {
        let dir = self.villages_dir.get_or_init(|| {
            // Relative to the file that names it.
            let dir = self
                .chain
                .iter()
                .find(|src| span_of(&src.text, "district.villages_file").is_some())
                .and_then(|src| src.path.parent())
                .unwrap_or(&self.base_dir);
            if dir.as_os_str().is_empty() {
                self.base_dir.clone()
            } else {
                dir.to_path_buf()
            }
        });
        let path = dir.join(&scenario.district.villages_file);
        let products: Vec<String> = scenario.products.iter().map(|p| p.name.clone()).collect();
        let mut last = self.villages.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(read) = last.as_ref()
            && read.path == path
            && read.districts == scenario.district.districts
            && read.products == products
        {
            return Ok(Arc::clone(&read.records));
        }
        let records = Arc::new(villages_csv::read(&path, scenario)?);
        *last = Some(VillagesRead {
            path,
            districts: scenario.district.districts,
            products,
            records: Arc::clone(&records),
        });
        Ok(records)
    }
}

/// The problems of keys and types found while reading, with the range
/// problems of the rest of the scenario (read with those keys at their
/// defaults), in file order. A range problem of a key already reported, or
/// naming one, is left out: the default it was checked at is not the user's.
fn with_range_problems(
    mut problems: Vec<Problem>,
    scenario: &Scenario,
    chain: &[Source],
) -> Vec<Problem> {
    let reported: Vec<String> = problems.iter().map(|p| p.key.clone()).collect();
    let related = |key: &str, message: &str| {
        reported.iter().any(|r| {
            let nested = |a: &str, b: &str| {
                a.strip_prefix(b)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
            };
            !r.is_empty() && (nested(key, r) || nested(r, key) || message.contains(r.as_str()))
        })
    };
    for (key, message) in validate::check(scenario) {
        if !related(&key, &message) {
            problems.push(Problem {
                origin: locate(chain, &[], &key),
                key,
                message,
            });
        }
    }
    let file_order = |p: &Problem| match &p.origin {
        Origin::File { path, line, column } => (
            chain
                .iter()
                .position(|s| &s.path == path)
                .unwrap_or(chain.len()),
            *line,
            *column,
        ),
        _ => (chain.len(), 0, 0),
    };
    problems.sort_by_key(file_order);
    file::capped(problems)
}

/// A scenario name from a file name: its stem, with anything but letters, digits, '-' and '_' as '-'.
fn stem_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The files of a chain, their tables and the problems found in them.
type ReadChain = (Vec<Source>, Vec<toml::Table>, Vec<Problem>);

/// The file and every file it `extends`, child first, with their parsed tables
/// and the problems found in them (see [`file::parse_file`]); a cycle, a missing
/// parent or a bad `extends` is an error at the `extends` line.
fn read_chain(text: &str, path: &Path, base_dir: &Path) -> Result<ReadChain, ScenarioError> {
    let mut chain = vec![Source {
        path: path.to_path_buf(),
        text: text.to_string(),
    }];
    let mut tables = Vec::new();
    let mut problems = Vec::new();
    let mut seen = vec![identity(path)];
    let mut dir = base_dir.to_path_buf();
    loop {
        let current = chain.last().expect("the chain starts with the file");
        let (table, found) = file::parse_file(current)?;
        tables.push(table);
        problems.extend(found);
        let table = tables.last().expect("just pushed");
        let at_extends = |message: String| {
            let mut all = problems.clone();
            all.push(Problem {
                origin: locate(std::slice::from_ref(current), &[], "extends"),
                key: "extends".into(),
                message,
            });
            ScenarioError::Invalid(all)
        };
        let parent = match table.get("extends") {
            None => return Ok((chain, tables, problems)),
            Some(toml::Value::String(p)) if !p.trim().is_empty() => dir.join(p),
            Some(_) => {
                return Err(at_extends(
                    "must be the path of another scenario file, relative to this one, e.g. \"baseline.toml\"".into(),
                ));
            }
        };
        let id = identity(&parent);
        if seen.contains(&id) {
            let mut names: Vec<String> =
                chain.iter().map(|s| s.path.display().to_string()).collect();
            names.push(parent.display().to_string());
            return Err(at_extends(format!("extends cycle: {}", names.join(" -> "))));
        }
        if chain.len() >= MAX_EXTENDS {
            return Err(at_extends(format!(
                "more than {MAX_EXTENDS} files extend each other"
            )));
        }
        let text = read_text(&parent).map_err(|e| match e {
            ScenarioError::Read { path, reason } => {
                at_extends(format!("cannot read {}: {reason}", path.display()))
            }
            other => other,
        })?;
        seen.push(id);
        dir = parent.parent().map(Path::to_path_buf).unwrap_or_default();
        chain.push(Source { path: parent, text });
    }
}

/// An overlay file, checked on its own like any scenario file; it may not
/// extend another file or rename the scenarios it is laid on.
fn read_overlay(path: &Path) -> Result<(Source, toml::Table, Vec<Problem>), ScenarioError> {
    let source = Source {
        path: path.to_path_buf(),
        text: read_text(path)?,
    };
    let (table, problems) = file::parse_file(&source)?;
    for key in ["extends", "name", "label"] {
        if table.contains_key(key) {
            return Err(ScenarioError::Invalid(vec![Problem {
                origin: locate(std::slice::from_ref(&source), &[], key),
                key: key.into(),
                message: format!(
                    "an overlay is laid on every scenario, so it cannot set `{key}` (each scenario keeps its own); remove it"
                ),
            }]));
        }
    }
    Ok((source, table, problems))
}

/// A path's identity for cycle detection: canonical when it exists.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Tables merge key by key, recursively; any other value (lists included) replaces the one before.
fn merge(into: &mut toml::Table, from: toml::Table) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Finds where a key path is written: in a `--set` if one names it, else in the nearest file of the chain that writes it.
fn locate(chain: &[Source], sets: &[String], key: &str) -> Origin {
    if let Some(arg) = sets
        .iter()
        .rev()
        .find(|s| s.split('=').next().map(str::trim) == Some(key))
    {
        return Origin::Set(arg.clone());
    }
    for source in chain {
        if let Some(offset) = span_of(&source.text, key) {
            let (line, column) = line_col(&source.text, offset);
            return Origin::File {
                path: source.path.clone(),
                line,
                column,
            };
        }
    }
    Origin::FileOnly(chain[0].path.clone())
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
        assert_eq!(p[0].key, "district.vilages");
        assert_eq!(
            p[0].origin,
            Origin::File {
                path: "s.toml".into(),
                line: 3,
                column: 1
            }
        );
        assert!(
            p[0].message
                .starts_with("unknown key `vilages`; did you mean `villages`?"),
            "{}",
            p[0].message
        );
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
        assert_eq!(p[0].key, "district.nope");
        assert!(
            p[0].message
                .starts_with("unknown key `nope` (allowed: districts,"),
            "{}",
            p[0].message
        );
        let p = problems(load_text("name = \"x\"\n", &["approach=kawasn"]));
        assert!(
            p[0].message.contains("did you mean `kawasan`?"),
            "{}",
            p[0].message
        );
        let c = load_text(
            "name = \"x\"\n",
            &["agencies[1].budget=5e9", "products[0].export_price=90000"],
        )
        .unwrap();
        assert_eq!(c.scenario.agencies[1].budget, 5e9);
        assert_eq!(c.scenario.products[0].export_price, 90000.0);
        let p = problems(load_text("name = \"x\"\n", &["agencies[9].budget=1"]));
        assert!(
            p[0].message
                .contains("has 5 entries (0 to 4), so [9] is out of range"),
            "{}",
            p[0].message
        );
        let p = problems(load_text("name = \"x\"\n", &["agencies[0].budget=-1"]));
        assert_eq!(p[0].key, "agencies[0].budget");
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

    /// A fresh folder with the given files.
    fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ovopsim-scenario-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for (file, text) in files {
            std::fs::write(dir.join(file), text).unwrap();
        }
        dir
    }

    #[test]
    fn extends_merges_key_by_key_and_lists_whole() {
        let dir = folder(
            "extends",
            &[
                (
                    "base.toml",
                    "name = \"base\"\nyears = 12\n[coordination]\nquality = 0.3\ndelivery_min = 0.4\n[[agencies]]\nname = \"a\"\nlevel = \"central\"\nbudget = 1.0\nmix = { technology = 1.0 }\n",
                ),
                (
                    "sub/variant.toml",
                    "extends = \"../base.toml\"\n[coordination]\nquality = 0.9\n",
                ),
            ],
        );
        let c = load(&dir.join("sub/variant.toml"), &["years=15".into()]).unwrap();
        let s = &c.scenario;
        assert_eq!(
            s.name, "variant",
            "an extending file without a name is named for its file"
        );
        assert_eq!(s.years, 15);
        assert_eq!(s.coordination.quality, 0.9);
        assert_eq!(s.coordination.delivery_min, 0.4);
        assert_eq!(s.agencies.len(), 1);
        assert!(s.extends.is_none());
        // A range error in the parent is reported in the parent's file.
        std::fs::write(
            dir.join("base.toml"),
            "name = \"base\"\n[weather]\nflood_probability = 2.0\n",
        )
        .unwrap();
        let p = problems(load(&dir.join("sub/variant.toml"), &[]));
        assert_eq!(p[0].key, "weather.flood_probability");
        assert!(
            matches!(&p[0].origin, Origin::File { path, line: 3, .. } if path.ends_with("base.toml"))
        );
    }

    #[test]
    fn extends_cycles_and_missing_parents_are_errors_at_the_extends_line() {
        let dir = folder(
            "cycle",
            &[
                ("a.toml", "name = \"a\"\nextends = \"b.toml\"\n"),
                ("b.toml", "extends = \"a.toml\"\n"),
                ("c.toml", "# c\nextends = \"missing.toml\"\n"),
                ("d.toml", "extends = 3\n"),
            ],
        );
        let p = problems(load(&dir.join("a.toml"), &[]));
        assert!(
            p[0].message.starts_with("extends cycle: "),
            "{}",
            p[0].message
        );
        assert!(
            matches!(&p[0].origin, Origin::File { path, line: 1, .. } if path.ends_with("b.toml"))
        );
        let p = problems(load(&dir.join("c.toml"), &[]));
        assert!(p[0].message.starts_with("cannot read "), "{}", p[0].message);
        assert!(matches!(
            &p[0].origin,
            Origin::File {
                line: 2,
                column: 11,
                ..
            }
        ));
        let p = problems(load(&dir.join("d.toml"), &[]));
        assert_eq!(p[0].key, "extends");
    }

    #[test]
    fn resolved_applies_overrides_as_load_does_and_reads_villages_once() {
        let dir = folder(
            "resolved",
            &[
                (
                    "v.toml",
                    "name = \"v\"\n[district]\ndistricts = 2\nvillages_file = \"v.csv\"\n",
                ),
                (
                    "v.csv",
                    "name,district,households,infrastructure,distance_km,cohesion\na,1,100,0.5,3,0.5\nb,2,120,0.4,5,0.6\n",
                ),
            ],
        );
        let path = dir.join("v.toml");
        let resolved = Resolved::read(&path).unwrap();
        for sets in [
            vec![],
            vec!["coordination.quality=0.3".to_string()],
            vec!["coordination.quality=7".to_string()],
            vec!["district.districts=1".to_string()],
        ] {
            let (a, b) = (resolved.apply(&sets), load(&path, &sets));
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    let json = |s: &Scenario| serde_json::to_string(s).unwrap();
                    assert_eq!(json(&a.scenario), json(&b.scenario));
                    assert_eq!(a.village_records, b.village_records);
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{sets:?}: {a:?} against {b:?}"),
            }
        }
        // Kept in memory: a removed file does not matter while the checks it passed are the same.
        std::fs::remove_file(dir.join("v.csv")).unwrap();
        let c = resolved
            .apply(&["coordination.quality=0.4".into()])
            .unwrap();
        assert_eq!(c.village_records.map(|r| r.len()), Some(2));
    }

    #[test]
    fn nan_shares_and_sums_are_checked() {
        let p = problems(load_text(
            "name = \"x\"\n[weather]\nflood_probability = nan\n",
            &[],
        ));
        assert_eq!(p[0].key, "weather.flood_probability");
        assert!(
            p[0].message.contains("must be 0 to 1, got NaN"),
            "{}",
            p[0].message
        );
        let p = problems(load_text("name = \"x\"\n[economy]\ngroup_wage = -1\n", &[]));
        assert!(
            p[0].message.contains("must be 0 or more, got -1"),
            "{}",
            p[0].message
        );
        let p = problems(load_text(
            "name = \"x\"\n[programme]\ncalendar = [0.5, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n",
            &[],
        ));
        assert_eq!(p[0].key, "programme.calendar");
        assert!(
            p[0].message.contains("sum to 1, got a sum of 1.5"),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn no_input_panics() {
        // Mutations of a real scenario and raw junk: every one must give Ok or a clean error.
        let good = include_str!("../../scenarios/oita-like.toml");
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for i in 0..400 {
            let mut bytes = good.as_bytes().to_vec();
            for _ in 0..1 + i % 8 {
                let at = (next() as usize) % bytes.len();
                bytes[at] = b"=[]\"'.#\n 0-9a{},\x00\xff"[(next() % 18) as usize];
            }
            if i % 10 == 0 {
                bytes = (0..(next() % 300)).map(|_| next() as u8).collect();
            }
            let text = String::from_utf8_lossy(&bytes);
            let r = std::panic::catch_unwind(|| load_text(&text, &[]));
            assert!(r.is_ok(), "panic on input:\n{text}");
        }
    }
}
