//! Checkpointed work for `run --shard` and `sweep`: units saved as they finish (resume), split over shards, and merged into final results.
//!
//! A results folder of checkpointed work holds `work.json` (what is being
//! computed, identical in every shard) and `chunks/` (one file per finished
//! unit: a sweep point, or a replication of a run). Rerunning a command skips
//! the units whose chunks are there; `merge` assembles the chunks of several
//! folders. Final files are built from chunk values bit for bit, so they are
//! byte-identical however the work was split or interrupted.

use super::{AppError, Progress, chart_files, finish, manifest_file, scenario_files};
use crate::checkpoint::{self, Chunk};
use crate::cli::ChartArgs;
use crate::engine::{self, RunSpec};
use crate::report::{self, sweep::PointResults};
use crate::results::{RunOutput, ScenarioResults};
use crate::scenario::Config;
use crate::sweep::Design;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

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
pub fn shard(arg: Option<&str>) -> Result<Shard, AppError> {
    if let Some(arg) = arg {
        return parse_shard(arg).map_err(|m| AppError::BadInput(format!("--shard {arg}: {m}")));
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
                    return Err(AppError::BadInput(format!(
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
                AppError::BadInput(format!(
                    "SLURM_ARRAY_TASK_ID={id}, SLURM_ARRAY_TASK_COUNT={count}, SLURM_ARRAY_TASK_MIN={min}: not a shard"
                ))
            })?;
            parse_shard(&text).map_err(|m| {
                AppError::BadInput(format!(
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

/// What is computed: the same in every shard, so shards can be checked against each other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkSpec {
    pub tool: String,
    pub version: String,
    /// "run" (units are replications) or "sweep" (units are points).
    pub kind: String,
    pub scenario_file: String,
    /// The resolved scenario (for a sweep, before the varied keys are set).
    pub scenario: serde_json::Value,
    pub seed: u64,
    pub replications: u32,
    /// Months between recorded rows.
    pub every: u32,
    /// A sweep's varied keys and points.
    pub design: Option<DesignSpec>,
    /// A sensitivity analysis computed from the sweep's points.
    pub sensitivity: Option<super::sensitivity::SensitivitySpec>,
    /// Fingerprint of each unit's inputs (hex), in unit order.
    pub unit_keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignSpec {
    pub keys: Vec<String>,
    pub points: Vec<Vec<String>>,
    pub sampling: String,
}

impl WorkSpec {
    fn units(&self) -> usize {
        self.unit_keys.len()
    }
    fn design(&self) -> Option<Design> {
        self.design.as_ref().map(|d| Design {
            keys: d.keys.clone(),
            points: d.points.clone(),
        })
    }
}

/// Fingerprint of a configuration: the resolved scenario and its villages.
pub fn config_text(config: &Config) -> String {
    format!(
        "{}\u{1f}{:?}",
        serde_json::to_string(&config.scenario).expect("a scenario serializes"),
        config.village_records
    )
}

pub fn hex(key: u64) -> String {
    format!("{key:016x}")
}

/// Checkpointed work ready to execute: its spec, the configuration of each sweep point (one for a run), and where it goes.
pub struct Plan {
    pub spec: WorkSpec,
    pub configs: Vec<Config>,
    pub out: PathBuf,
    pub shard: Shard,
}

/// Runs this shard's unfinished units, saving each as it finishes; returns this shard's chunks in unit order.
pub fn execute(plan: &Plan, quiet: bool, label: &str) -> Result<Vec<Chunk>, AppError> {
    let work_path = plan.out.join(WORK);
    let spec_bytes = spec_json(&plan.spec);
    match std::fs::read(&work_path) {
        Ok(existing) if existing == spec_bytes => {}
        Ok(_) => {
            return Err(AppError::BadInput(format!(
                "{}: holds different work (another scenario, design, seed, replications or version); use a new --out or remove the folder",
                plan.out.display()
            )));
        }
        Err(_) => report::write_files(&plan.out, &[(WORK.to_string(), spec_bytes)])?,
    }
    let chunk_dir = plan.out.join(CHUNKS);
    let mut have = collect(&[&chunk_dir], &plan.spec, &mut Vec::new());
    have.retain(|u, _| plan.shard.owns(*u));
    let todo: Vec<usize> = (0..plan.spec.units())
        .filter(|u| plan.shard.owns(*u) && !have.contains_key(u))
        .collect();
    if !quiet && !have.is_empty() {
        eprintln!(
            "{label}: resuming; {} finished units found in {}, {} to run",
            have.len(),
            chunk_dir.display(),
            todo.len()
        );
    }
    let sweep = plan.spec.kind == "sweep";
    let reps = plan.spec.replications;
    let per_unit = if sweep { u64::from(reps) } else { 1 };
    let progress = Progress::new(label, todo.len() as u64 * per_unit, quiet);
    let failure: Mutex<Option<report::WriteError>> = Mutex::new(None);
    let every = plan.spec.every as usize;
    let new: Vec<(usize, Chunk)> = todo
        .par_iter()
        .map(|&u| {
            let key = u64::from_str_radix(&plan.spec.unit_keys[u], 16).expect("hex key");
            let chunk = if sweep {
                let r = crate::batch::run_replications(
                    &plan.configs[u],
                    plan.spec.seed,
                    0,
                    reps,
                    &|| progress.tick(),
                );
                let (months, runs) = thin(r.runs, every);
                Chunk {
                    key,
                    point: u as u32,
                    months,
                    runs,
                }
            } else {
                let run = engine::run(
                    &plan.configs[0],
                    RunSpec {
                        seed: plan.spec.seed,
                        point: 0,
                        replication: u as u32,
                    },
                );
                progress.tick();
                let (months, runs) = thin(vec![run], every);
                Chunk {
                    key,
                    point: 0,
                    months,
                    runs,
                }
            };
            let name = unit_file(sweep, u);
            if let Err(e) = checkpoint::save(&chunk_dir, &name, &chunk) {
                failure
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get_or_insert(e);
            }
            (u, chunk)
        })
        .collect();
    progress.finish();
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

fn unit_file(sweep: bool, unit: usize) -> String {
    if sweep {
        checkpoint::file_name(unit as u32, None)
    } else {
        checkpoint::file_name(0, Some(unit as u32))
    }
}

/// The unit a chunk is for.
fn unit_of(spec: &WorkSpec, chunk: &Chunk) -> Option<usize> {
    if spec.kind == "sweep" {
        Some(chunk.point as usize)
    } else {
        (chunk.runs.len() == 1).then(|| chunk.runs[0].replication as usize)
    }
}

/// Valid chunks of `spec` in these folders, by unit; the names of files that are not, in `skipped`.
fn collect(
    dirs: &[&Path],
    spec: &WorkSpec,
    skipped: &mut Vec<String>,
) -> std::collections::BTreeMap<usize, Chunk> {
    let mut found = std::collections::BTreeMap::new();
    for dir in dirs {
        let (good, bad) = checkpoint::load_dir(dir);
        skipped.extend(bad.into_iter().map(|n| dir.join(n).display().to_string()));
        for (name, chunk) in good {
            let fits = unit_of(spec, &chunk).filter(|u| {
                *u < spec.units()
                    && spec.unit_keys[*u] == hex(chunk.key)
                    && chunk.runs.len()
                        == if spec.kind == "sweep" {
                            spec.replications as usize
                        } else {
                            1
                        }
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

/// Executes a plan: a shard saves its units and says so; the whole work is also finalized.
pub fn run_plan(plan: &Plan, label: &str, f: &Finish) -> Result<(), AppError> {
    let chunks = execute(plan, f.quiet, label)?;
    if plan.shard == Shard::WHOLE {
        return finalize(&plan.out, &plan.spec, chunks, f);
    }
    if !f.quiet {
        let what = if plan.spec.kind == "sweep" {
            "points"
        } else {
            "replications"
        };
        eprintln!(
            "shard {}/{} done: {} of {} {what} in {}; join the shards with `ovopsim merge DIR... --out DIR`",
            plan.shard.index,
            plan.shard.count,
            chunks.len(),
            plan.spec.units(),
            plan.out.join(CHUNKS).display()
        );
    }
    Ok(())
}

/// Keeps month 0, every `every`-th month and the last month of each run.
pub fn thin(runs: Vec<RunOutput>, every: usize) -> (Vec<u32>, Vec<RunOutput>) {
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

/// Options for writing final results.
pub struct Finish<'a> {
    pub charts: &'a ChartArgs,
    pub argv: &'a [String],
    pub started: SystemTime,
    pub clock: Instant,
    pub quiet: bool,
    /// Heatmap metric and year of a sweep.
    pub metric: usize,
    pub year: Option<u32>,
}

/// Scenario name and start year of the work, for result tables.
fn identity(spec: &WorkSpec) -> (String, i32) {
    let name = spec.scenario["name"].as_str().unwrap_or("scenario");
    let start_year = spec.scenario["start_year"].as_i64().unwrap_or(2025);
    (name.to_string(), start_year as i32)
}

/// The points of a sweep from its chunks (in unit order).
fn point_results(spec: &WorkSpec, chunks: Vec<Chunk>) -> Vec<PointResults> {
    let (name, start_year) = identity(spec);
    chunks
        .into_iter()
        .map(|c| PointResults {
            months: c.months.iter().map(|m| *m as usize).collect(),
            results: ScenarioResults {
                name: name.clone(),
                start_year,
                runs: c.runs,
            },
        })
        .collect()
}

/// Writes the final results of complete work from its chunks (all units, in unit order).
pub fn finalize(
    out: &Path,
    spec: &WorkSpec,
    chunks: Vec<Chunk>,
    f: &Finish,
) -> Result<(), AppError> {
    let mut files;
    let mut summary = None;
    if let Some(design) = spec.design() {
        let points = point_results(spec, chunks);
        files = vec![
            ("points.csv".to_string(), report::sweep::points_csv(&design)),
            (
                "sweep.csv".to_string(),
                report::sweep::sweep_csv(&design, &points),
            ),
            (
                "sweep_runs.csv".to_string(),
                report::sweep::sweep_runs_csv(&design, &points),
            ),
        ];
        files.extend(design_outputs(spec, &design, &points, f)?);
    } else {
        let (name, start_year) = identity(spec);
        let runs: Vec<RunOutput> = chunks.into_iter().flat_map(|c| c.runs).collect();
        let results = ScenarioResults {
            name,
            start_year,
            runs,
        };
        files = scenario_files(&results);
        files.extend(chart_files(std::slice::from_ref(&results), f.charts)?);
        summary = Some(results);
    }
    let design_json = spec.design.as_ref().map(|d| {
        serde_json::json!({
            "keys": d.keys,
            "points": d.points.len(),
            "sampling": d.sampling,
            "every_months": spec.every,
            "random_numbers": "common: replication r of every point uses the same streams",
        })
    });
    files.push(manifest_file(
        spec.scenario.clone(),
        &spec.scenario_file,
        spec.seed,
        spec.replications,
        f.started,
        f.clock,
        f.argv,
        design_json,
    ));
    report::write_results(out, &files)?;
    match summary {
        Some(results) => finish(out, std::slice::from_ref(&results), f.quiet),
        None if !f.quiet => eprintln!("wrote {}", out.display()),
        None => {}
    }
    Ok(())
}

/// Re-draws the charts of a finished sweep or sensitivity folder from its chunks.
pub fn replot(dir: &Path, f: &Finish) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let (spec, chunks) = complete_work(&[dir.to_path_buf()])?;
    let Some(design) = spec.design() else {
        return Ok(Vec::new());
    };
    let points = point_results(&spec, chunks);
    let mut files = design_outputs(&spec, &design, &points, f)?;
    files.retain(|(n, _)| n.starts_with("charts/"));
    Ok(files)
}

/// What a design adds to the sweep tables: the heatmap of a grid, the indices of a sensitivity analysis.
fn design_outputs(
    spec: &WorkSpec,
    design: &Design,
    points: &[PointResults],
    f: &Finish,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let mut files = Vec::new();
    if spec
        .design
        .as_ref()
        .is_some_and(|d| d.sampling == "full grid")
    {
        files.extend(super::sweep::heatmap_files(
            design, points, f.metric, f.year, f.charts,
        )?);
    }
    if let Some(sens) = &spec.sensitivity {
        files.extend(super::sensitivity::result_files(
            sens, spec.seed, points, f.charts,
        )?);
    }
    Ok(files)
}

/// `ovopsim merge`: joins the chunks of shard folders into final results.
pub fn merge(dirs: &[PathBuf], out: &Path, f: &Finish) -> Result<(), AppError> {
    let (spec, chunks) = complete_work(dirs)?;
    super::check_out(out)?;
    finalize(out, &spec, chunks, f)
}

/// The work of these folders (which must agree) and a valid chunk for every unit, in unit order.
fn complete_work(dirs: &[PathBuf]) -> Result<(WorkSpec, Vec<Chunk>), AppError> {
    let mut spec: Option<(WorkSpec, &PathBuf)> = None;
    for dir in dirs {
        let path = dir.join(WORK);
        let bytes = std::fs::read(&path).map_err(|e| {
            AppError::BadInput(format!(
                "{}: {e}; merge takes folders written by `run --shard` or `sweep`",
                path.display()
            ))
        })?;
        let this: WorkSpec = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::BadInput(format!("{}: {e}", path.display())))?;
        match &spec {
            None => spec = Some((this, dir)),
            Some((first, first_dir)) if *first != this => {
                return Err(AppError::BadInput(format!(
                    "{} and {} hold different work (scenario, design, seed, replications or version); only shards of one command merge",
                    first_dir.display(),
                    dir.display()
                )));
            }
            Some(_) => {}
        }
    }
    let (spec, _) = spec.ok_or_else(|| AppError::BadInput("merge: no folders given".into()))?;
    let chunk_dirs: Vec<PathBuf> = dirs.iter().map(|d| d.join(CHUNKS)).collect();
    let refs: Vec<&Path> = chunk_dirs.iter().map(PathBuf::as_path).collect();
    let mut skipped = Vec::new();
    let found = collect(&refs, &spec, &mut skipped);
    let missing: Vec<usize> = (0..spec.units())
        .filter(|u| !found.contains_key(u))
        .collect();
    if !missing.is_empty() {
        let what = if spec.kind == "sweep" {
            "points"
        } else {
            "replications"
        };
        let shown: Vec<String> = missing.iter().take(20).map(ToString::to_string).collect();
        return Err(AppError::BadInput(format!(
            "merge: {} of {} {what} have no finished result ({}{}); rerun the shards that own them, then merge again{}",
            missing.len(),
            spec.units(),
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
}
