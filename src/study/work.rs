//! The units of a study run in parallel: saved as they finish (resume), split over shards, merged, and turned back into results.
//!
//! A results folder of checkpointed work holds `work.json` (what is being
//! computed, identical in every shard) and `chunks/` (one file per finished
//! unit: a design point, or a replication of a run). Rerunning a command skips
//! the units whose chunks are there; `merge` assembles the chunks of several
//! folders. Results are assembled from chunk values bit for bit, so they are
//! byte-identical however the work was split or interrupted, or kept in memory.

use super::{StudyError, StudyKind, batch};
use crate::report::{self, sweep::PointResults};
use crate::results::{RunOutput, ScenarioResults};
use crate::scenario::Config;
use crate::study::Progress;
use crate::study::checkpoint::{self, Chunk};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file describing the work in a checkpointed folder.
pub const WORK: &str = "work.json";
/// The subfolder of finished units.
pub const CHUNKS: &str = "chunks";

/// One share of the units: those whose index modulo `count` is `index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    pub fn owns(&self, unit: usize) -> bool {
        unit % self.count as usize == self.index as usize
    }
}

/// The shard from `--shard I/N`, else from a Slurm array job's environment, else the whole.
pub fn shard(arg: Option<&str>) -> Result<Shard, StudyError> {
    if let Some(arg) = arg {
        return parse_shard(arg).map_err(|m| StudyError::Invalid(format!("--shard {arg}: {m}")));
    }
    let var = |k: &str| std::env::var(k).ok();
    match (var("SLURM_ARRAY_TASK_ID"), var("SLURM_ARRAY_TASK_COUNT")) {
        (Some(id), Some(count)) => {
            let min = var("SLURM_ARRAY_TASK_MIN").unwrap_or_else(|| "0".into());
            // COUNT counts the tasks of this submission only: a resubmitted
            // `--array=3` or `--array=0,2` would name the wrong shards.
            if let Some(max) = var("SLURM_ARRAY_TASK_MAX") {
                let span = max
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .zip(min.trim().parse::<u64>().ok());
                let whole = span.map(|(hi, lo)| hi.saturating_sub(lo) + 1)
                    == count.trim().parse::<u64>().ok();
                if !whole || count.trim() == "1" {
                    return Err(StudyError::Invalid(format!(
                        "this Slurm array (tasks {min} to {max}, {count} in all) is not a whole array of shards, so the shard cannot be inferred; pass --shard I/N"
                    )));
                }
            }
            let parsed = (|| {
                let id: u32 = id.trim().parse().ok()?;
                let min: u32 = min.trim().parse().ok()?;
                Some(format!("{}/{}", id.checked_sub(min)?, count.trim()))
            })();
            let text = parsed.ok_or_else(|| {
                StudyError::Invalid(format!(
                    "SLURM_ARRAY_TASK_ID={id}, SLURM_ARRAY_TASK_COUNT={count}, SLURM_ARRAY_TASK_MIN={min}: not a shard"
                ))
            })?;
            parse_shard(&text).map_err(|m| {
                StudyError::Invalid(format!(
                    "shard {text} from the Slurm array environment: {m}"
                ))
            })
        }
        _ => Ok(Shard::WHOLE),
    }
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    let (i, n) = text
        .split_once('/')
        .ok_or("expected I/N, e.g. 0/4 for the first of four shards")?;
    let index: u32 = i
        .trim()
        .parse()
        .map_err(|_| format!("`{i}` is not a whole number"))?;
    let count: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a whole number"))?;
    if count == 0 || index >= count {
        return Err(format!(
            "I must be 0 to N-1 and N at least 1, got {index}/{count}"
        ));
    }
    Ok(Shard { index, count })
}

/// Layout of `work.json`; files of another layout are refused, never misread.
pub const FORMAT: u32 = 2;

/// What is computed: the same in every shard, so shards can be checked against each other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkSpec {
    /// Layout of this file, [`FORMAT`].
    pub format: u32,
    pub tool: String,
    pub version: String,
    pub scenario_file: String,
    /// The resolved scenario (for a design, before the varied keys are set).
    pub scenario: serde_json::Value,
    pub seed: u64,
    pub replications: u32,
    /// Months between recorded rows.
    pub every: u32,
    pub study: StudyKind,
    /// Fingerprint of each unit's inputs (hex), in unit order.
    pub unit_keys: Vec<String>,
}

impl WorkSpec {
    /// The work of a study of `base` (the scenario before a design's keys are
    /// set) with one configuration per unit of a design, or `base` alone for
    /// replications. Each unit's fingerprint covers its configuration, the
    /// seed and, for a point, the replications and the thinning.
    pub fn new(
        study: StudyKind,
        scenario_file: &str,
        base: &Config,
        configs: &[Config],
        seed: u64,
        replications: u32,
        every: u32,
    ) -> Self {
        let seed_text = seed.to_string();
        let unit_keys = if study.design().is_some() {
            configs
                .iter()
                .map(|c| hex(point_key(c, seed, replications, every)))
                .collect()
        } else {
            let text = config_text(base);
            (0..replications)
                .map(|r| {
                    let rep = r.to_string();
                    hex(checkpoint::fingerprint(&["run", &text, &seed_text, &rep]))
                })
                .collect()
        };
        WorkSpec {
            format: FORMAT,
            tool: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            scenario_file: scenario_file.to_string(),
            scenario: serde_json::to_value(&base.scenario).expect("a scenario serializes"),
            seed,
            replications,
            every,
            study,
            unit_keys,
        }
    }

    pub fn units(&self) -> usize {
        self.unit_keys.len()
    }

    /// Fingerprint of the whole work, as its results folder records it.
    pub fn fingerprint(&self) -> String {
        if self.by_point() {
            let text = String::from_utf8(spec_json(self)).expect("JSON is UTF-8");
            hex(checkpoint::fingerprint(&["work", &text]))
        } else {
            replications_fingerprint(&self.unit_keys[0], self.replications)
        }
    }

    /// Whether units are design points (else replications of one scenario).
    fn by_point(&self) -> bool {
        self.study.design().is_some()
    }

    /// Scenario name and start year of the work, for result tables.
    fn identity(&self) -> (String, String, i32) {
        let name = self.scenario["name"].as_str().unwrap_or("scenario");
        let label = match self.scenario["label"].as_str() {
            Some(l) if !l.is_empty() => l,
            _ => name,
        };
        let start_year = self.scenario["start_year"].as_i64().unwrap_or(2025);
        (name.to_string(), label.to_string(), start_year as i32)
    }
}

/// Fingerprint of `replications` replications of `config`, the same as the
/// [`WorkSpec::fingerprint`] of their checkpointed work without building it
/// (whose key per replication would hash the configuration once each).
pub fn run_fingerprint(config: &Config, seed: u64, replications: u32) -> String {
    let first = checkpoint::fingerprint(&["run", &config_text(config), &seed.to_string(), "0"]);
    replications_fingerprint(&hex(first), replications)
}

/// Fingerprint of replications from the key of the first (which covers the configuration and the seed).
fn replications_fingerprint(first_key: &str, replications: u32) -> String {
    hex(checkpoint::fingerprint(&[
        "run work",
        first_key,
        &replications.to_string(),
    ]))
}

/// Fingerprint of a design point's inputs: its configuration, the seed, the replications and the thinning.
pub fn point_key(config: &Config, seed: u64, replications: u32, every: u32) -> u64 {
    checkpoint::fingerprint(&[
        "sweep",
        &config_text(config),
        &seed.to_string(),
        &replications.to_string(),
        &every.to_string(),
    ])
}

/// Fingerprint of a configuration: the resolved scenario and its villages.
fn config_text(config: &Config) -> String {
    format!(
        "{}\u{1f}{:?}",
        serde_json::to_string(&config.scenario).expect("a scenario serializes"),
        config.village_records
    )
}

fn hex(key: u64) -> String {
    format!("{key:016x}")
}

/// A study ready to execute: its spec, the configuration of each design point (one for replications), and where finished units are saved.
pub struct Plan {
    pub spec: WorkSpec,
    pub configs: Vec<Config>,
    /// The folder of `work.json` and `chunks/`; none keeps every unit in memory.
    pub folder: Option<PathBuf>,
    pub shard: Shard,
}

/// Runs this shard's unfinished units, saving each as it finishes when the
/// plan has a folder; returns this shard's chunks in unit order.
pub fn execute(plan: &Plan, progress: &dyn Progress) -> Result<Vec<Chunk>, StudyError> {
    let spec = &plan.spec;
    let mut have = BTreeMap::new();
    if let Some(folder) = &plan.folder {
        let work_path = folder.join(WORK);
        let spec_bytes = spec_json(spec);
        match std::fs::read(&work_path) {
            Ok(existing) if existing == spec_bytes => {}
            Ok(existing) => {
                return Err(StudyError::Invalid(
                    earlier_format(&existing, &work_path).unwrap_or_else(|| format!(
                        "{}: holds different work (another scenario, design, seed, replications or version); use a new --out or remove the folder",
                        folder.display()
                    )),
                ));
            }
            Err(_) => report::write_files(folder, &[(WORK.to_string(), spec_bytes)])?,
        }
        have = collect(&[&folder.join(CHUNKS)], spec, &mut Vec::new());
        have.retain(|u, _| plan.shard.owns(*u));
    }
    let todo: Vec<usize> = (0..spec.units())
        .filter(|u| plan.shard.owns(*u) && !have.contains_key(u))
        .collect();
    let by_point = spec.by_point();
    let reps = spec.replications;
    let per_unit = if by_point { u64::from(reps) } else { 1 };
    progress.start(have.len(), todo.len(), todo.len() as u64 * per_unit);
    let failure: Mutex<Option<report::WriteError>> = Mutex::new(None);
    let every = spec.every as usize;
    let new: Vec<(usize, Chunk)> = todo
        .par_iter()
        .map(|&u| -> Result<(usize, Chunk), StudyError> {
            let key = u64::from_str_radix(&spec.unit_keys[u], 16).expect("hex key");
            let (point, runs) = if by_point {
                let runs = batch::run_replications(&plan.configs[u], spec.seed, reps, progress)?;
                (u as u32, runs)
            } else {
                let run = batch::run_one(&plan.configs[0], spec.seed, u as u32, progress)?;
                // A cancelled replication is left empty: nothing to show.
                if run.rows() > 0 {
                    progress.replication_output(&run);
                }
                (0, vec![run])
            };
            let (months, runs) = thin(runs, every);
            let chunk = Chunk {
                key,
                point,
                months,
                runs,
            };
            if let Some(folder) = &plan.folder
                && let Err(e) =
                    checkpoint::save(&folder.join(CHUNKS), &unit_file(by_point, u), &chunk)
            {
                failure
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get_or_insert(e);
            }
            Ok((u, chunk))
        })
        .collect::<Result<_, _>>()?;
    if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e.into());
    }
    have.extend(new);
    Ok(have.into_values().collect())
}

fn spec_json(spec: &WorkSpec) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(spec).expect("a work spec serializes");
    bytes.push(b'\n');
    bytes
}

/// A `work.json` read back.
fn read_spec(bytes: &[u8], path: &Path) -> Result<WorkSpec, StudyError> {
    if let Some(why) = earlier_format(bytes, path) {
        return Err(StudyError::Invalid(why));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| StudyError::Invalid(format!("{}: {e}", path.display())))
}

/// Why a `work.json` of another layout cannot be used; none for the current layout or a file that is not JSON.
fn earlier_format(bytes: &[u8], path: &Path) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    // The first layout had no format number.
    let format = value
        .get("format")
        .map_or(Some(1), serde_json::Value::as_u64);
    (format != Some(u64::from(FORMAT))).then(|| {
        format!(
            "{}: written by another version of ovopsim (work format {}; this one reads format {FORMAT}); merge or resume it with the version that wrote it, or rerun the command into a new --out",
            path.display(),
            format.map_or("unknown".to_string(), |f| f.to_string())
        )
    })
}

fn unit_file(by_point: bool, unit: usize) -> String {
    if by_point {
        checkpoint::file_name(unit as u32, None)
    } else {
        checkpoint::file_name(0, Some(unit as u32))
    }
}

/// The unit a chunk is for.
fn unit_of(spec: &WorkSpec, chunk: &Chunk) -> Option<usize> {
    if spec.by_point() {
        Some(chunk.point as usize)
    } else {
        (chunk.runs.len() == 1).then(|| chunk.runs[0].replication as usize)
    }
}

/// Valid chunks of `spec` in these folders, by unit; the names of files that are not, in `skipped`.
fn collect(dirs: &[&Path], spec: &WorkSpec, skipped: &mut Vec<String>) -> BTreeMap<usize, Chunk> {
    let runs_per_unit = if spec.by_point() {
        spec.replications as usize
    } else {
        1
    };
    let mut found = BTreeMap::new();
    for dir in dirs {
        let (good, bad) = checkpoint::load_dir(dir);
        skipped.extend(bad.into_iter().map(|n| dir.join(n).display().to_string()));
        for (name, chunk) in good {
            let fits = unit_of(spec, &chunk).filter(|u| {
                *u < spec.units()
                    && spec.unit_keys[*u] == hex(chunk.key)
                    && chunk.runs.len() == runs_per_unit
            });
            match fits {
                Some(u) => {
                    found.entry(u).or_insert(chunk);
                }
                None => skipped.push(dir.join(name).display().to_string()),
            }
        }
    }
    found
}

/// Keeps month 0, every `every`-th month and the last month of each run.
pub(super) fn thin(runs: Vec<RunOutput>, every: usize) -> (Vec<u32>, Vec<RunOutput>) {
    let rows = runs.first().map_or(0, RunOutput::rows);
    let months: Vec<usize> = (0..rows)
        .filter(|m| m % every.max(1) == 0 || *m + 1 == rows)
        .collect();
    if months.len() == rows {
        return (months.iter().map(|m| *m as u32).collect(), runs);
    }
    let n = crate::metrics::N_METRICS;
    let runs = runs
        .into_iter()
        .map(|r| {
            let mut values = Vec::with_capacity(months.len() * n);
            for &m in &months {
                values.extend_from_slice(&r.values[m * n..(m + 1) * n]);
            }
            RunOutput {
                replication: r.replication,
                values,
            }
        })
        .collect();
    (months.iter().map(|m| *m as u32).collect(), runs)
}

/// The results of a whole study, from a chunk of every unit in unit order.
pub enum Outcome {
    /// The replications of one scenario.
    Replications(ScenarioResults),
    /// The replications of each design point, in point order.
    Points(Vec<PointResults>),
}

/// Assembles the results of a whole study from its chunks (every unit, in unit order).
pub fn outcome(spec: &WorkSpec, chunks: Vec<Chunk>) -> Outcome {
    let (name, label, start_year) = spec.identity();
    if spec.by_point() {
        Outcome::Points(
            chunks
                .into_iter()
                .map(|c| PointResults {
                    months: c.months.iter().map(|m| *m as usize).collect(),
                    results: ScenarioResults {
                        name: name.clone(),
                        label: label.clone(),
                        start_year,
                        runs: c.runs,
                    },
                })
                .collect(),
        )
    } else {
        Outcome::Replications(ScenarioResults {
            name,
            label,
            start_year,
            runs: chunks.into_iter().flat_map(|c| c.runs).collect(),
        })
    }
}

/// The work of these folders (which must agree) and a valid chunk for every unit, in unit order.
pub fn complete_work(dirs: &[PathBuf]) -> Result<(WorkSpec, Vec<Chunk>), StudyError> {
    let mut spec: Option<(WorkSpec, &PathBuf)> = None;
    for dir in dirs {
        let path = dir.join(WORK);
        let bytes = std::fs::read(&path).map_err(|e| {
            StudyError::Invalid(format!(
                "{}: {e}; merge takes folders written by `run --shard` or `sweep`",
                path.display()
            ))
        })?;
        let this = read_spec(&bytes, &path)?;
        match &spec {
            None => spec = Some((this, dir)),
            Some((first, first_dir)) if *first != this => {
                return Err(StudyError::Invalid(format!(
                    "{} and {} hold different work (scenario, design, seed, replications or version); only shards of one command merge",
                    first_dir.display(),
                    dir.display()
                )));
            }
            Some(_) => {}
        }
    }
    let (spec, _) = spec.ok_or_else(|| StudyError::Invalid("merge: no folders given".into()))?;
    let chunk_dirs: Vec<PathBuf> = dirs.iter().map(|d| d.join(CHUNKS)).collect();
    let refs: Vec<&Path> = chunk_dirs.iter().map(PathBuf::as_path).collect();
    let mut skipped = Vec::new();
    let found = collect(&refs, &spec, &mut skipped);
    let missing: Vec<usize> = (0..spec.units())
        .filter(|u| !found.contains_key(u))
        .collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(20).map(ToString::to_string).collect();
        return Err(StudyError::Invalid(format!(
            "merge: {} of {} {} have no finished result ({}{}); rerun the shards that own them, then merge again{}",
            missing.len(),
            spec.units(),
            spec.study.units_name(),
            shown.join(", "),
            if missing.len() > 20 { ", ..." } else { "" },
            if skipped.is_empty() {
                String::new()
            } else {
                format!(" (unusable files: {})", skipped.join(", "))
            }
        )));
    }
    Ok((spec, found.into_values().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_units_and_reject_nonsense() {
        let s = parse_shard("1/3").unwrap();
        let owned: Vec<usize> = (0..7).filter(|u| s.owns(*u)).collect();
        assert_eq!(owned, [1, 4]);
        for bad in ["3/3", "1/0", "x/2", "1", "-1/2"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn work_files_of_the_first_layout_are_named_as_such() {
        let path = Path::new("out/work.json");
        let old = br#"{"tool": "ovopsim", "version": "0.1.0", "kind": "sweep", "unit_keys": []}"#;
        let why = earlier_format(old, path).unwrap();
        assert!(
            why.contains("work format 1; this one reads format 2"),
            "{why}"
        );
        assert!(matches!(read_spec(old, path), Err(StudyError::Invalid(m)) if m == why));
        assert!(earlier_format(b"not json", path).is_none());
    }
}
