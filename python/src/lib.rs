//! `ovopsim._ovopsim`: the simulator called from Python, in-process.
//!
//! Each function loads and validates the scenario exactly as the command line
//! does, runs the study through the library (`study::replications`,
//! `work::execute`) on rayon's threads with the GIL released, and returns the
//! bytes of the same CSV and JSON files the command line writes (the Python
//! layer turns them into DataFrames), so layouts and numbers are the CLI's.
//! While the engine runs, the calling thread wakes every 100 ms to let Python
//! handle signals: Ctrl-C stops the study before its next replication and
//! raises `KeyboardInterrupt`.

use ovopsim::report::{self, Manifest, sweep as sweep_report};
use ovopsim::results::ScenarioResults;
use ovopsim::scenario::{self, Config, Origin, Problem, Resolved};
use ovopsim::study::{self, Outcome, Plan, Shard, StudyError, StudyKind, WorkSpec, design, work};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

create_exception!(
    _ovopsim,
    OvopsimError,
    PyValueError,
    "Bad input to ovopsim: the same cases in which the command line exits with code 2."
);
create_exception!(
    _ovopsim,
    ScenarioError,
    OvopsimError,
    "A scenario that cannot be read or is invalid; `file`, `line`, `column` and `key` locate the first problem, `problems` lists them all."
);

/// Where a scenario comes from, as the Python layer classified it.
struct Source {
    /// "path", "toml" or "dict" (TOML text generated from a dict).
    kind: String,
    /// The path, or the TOML text.
    value: String,
    /// Folder that `extends` and `villages_file` are relative to, for text.
    base_dir: PathBuf,
}

impl Source {
    /// How messages and the manifest name this scenario.
    fn label(&self) -> String {
        match self.kind.as_str() {
            "path" => self.value.clone(),
            "dict" => "<dict>".into(),
            _ => "<string>".into(),
        }
    }

    /// The scenario resolved (`extends` merged); text without a `name` is named "scenario".
    fn resolve(&self) -> Result<(Resolved, Vec<String>), scenario::ScenarioError> {
        if self.kind == "path" {
            return Ok((Resolved::read(Path::new(&self.value))?, Vec::new()));
        }
        let unnamed = self
            .value
            .parse::<toml::Table>()
            .is_ok_and(|t| !t.contains_key("name"));
        let names = if unnamed {
            vec!["name=\"scenario\"".to_string()]
        } else {
            Vec::new()
        };
        let label = self.label();
        Ok((
            Resolved::parse(&self.value, Path::new(&label), &self.base_dir)?,
            names,
        ))
    }

    /// The validated configuration with these overrides.
    fn load(&self, sets: &[String]) -> PyResult<Config> {
        let (resolved, mut all) = self.resolve().map_err(|e| self.error(e))?;
        all.extend(sets.iter().cloned());
        resolved.apply(&all).map_err(|e| self.error(e))
    }

    /// A scenario error as `ovopsim.ScenarioError`; positions inside the
    /// TOML generated from a dict mean nothing to the user and are dropped.
    fn error(&self, e: scenario::ScenarioError) -> PyErr {
        let e = match e {
            scenario::ScenarioError::Invalid(problems) if self.kind == "dict" => {
                scenario::ScenarioError::Invalid(
                    problems
                        .into_iter()
                        .map(|p| Problem {
                            origin: match p.origin {
                                Origin::File { path, .. } => Origin::FileOnly(path),
                                other => other,
                            },
                            ..p
                        })
                        .collect(),
                )
            }
            other => other,
        };
        scenario_error(&e)
    }
}

impl<'py> FromPyObject<'_, 'py> for Source {
    type Error = PyErr;

    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        let (kind, value, base_dir): (String, String, String) = ob.extract()?;
        Ok(Source {
            kind,
            value,
            base_dir: PathBuf::from(base_dir),
        })
    }
}

/// `ovopsim.ScenarioError` with the CLI's message and the first problem's location.
fn scenario_error(e: &scenario::ScenarioError) -> PyErr {
    let message = e.to_string();
    Python::attach(|py| {
        let err = ScenarioError::new_err(message);
        let value = err.value(py);
        let problems = PyList::empty(py);
        let (mut file, mut line, mut column, mut key) = (None, None, None, None);
        match e {
            scenario::ScenarioError::Read { path, .. } => {
                file = Some(path.display().to_string());
            }
            scenario::ScenarioError::Invalid(list) => {
                for (i, p) in list.iter().enumerate() {
                    let (f, l, c, set) = match &p.origin {
                        Origin::File { path, line, column } => (
                            Some(path.display().to_string()),
                            Some(*line),
                            Some(*column),
                            None,
                        ),
                        Origin::FileOnly(path) => {
                            (Some(path.display().to_string()), None, None, None)
                        }
                        Origin::Set(arg) => (None, None, None, Some(arg.clone())),
                    };
                    let d = PyDict::new(py);
                    let _ = d.set_item("file", &f);
                    let _ = d.set_item("line", l);
                    let _ = d.set_item("column", c);
                    let _ = d.set_item("key", &p.key);
                    let _ = d.set_item("set", &set);
                    let _ = d.set_item("message", &p.message);
                    let _ = d.set_item("text", p.to_string());
                    let _ = problems.append(d);
                    if i == 0 {
                        (file, line, column) = (f, l, c);
                        key = Some(p.key.clone()).filter(|k| !k.is_empty());
                    }
                }
            }
        }
        let _ = value.setattr("file", file);
        let _ = value.setattr("line", line);
        let _ = value.setattr("column", column);
        let _ = value.setattr("key", key);
        let _ = value.setattr("problems", problems);
        err
    })
}

fn study_error(e: StudyError) -> PyErr {
    OvopsimError::new_err(e.to_string())
}

/// Told of a study's progress by the engine; says whether to stop.
struct Watch {
    cancel: AtomicBool,
}

impl study::Progress for Watch {
    fn start(&self, _: usize, _: usize, _: u64) {}
    fn replication_done(&self) {}
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Runs `f` on another thread with the GIL released, handling Python's
/// signals meanwhile; on Ctrl-C, stops `f` before its next replication
/// and raises `KeyboardInterrupt` once it has returned.
fn interruptible<T: Send>(py: Python<'_>, f: impl FnOnce(&Watch) -> T + Send) -> PyResult<T> {
    let watch = Watch {
        cancel: AtomicBool::new(false),
    };
    py.detach(|| {
        std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel();
            let watch = &watch;
            s.spawn(move || {
                let _ = tx.send(f(watch));
            });
            let mut interrupted: Option<PyErr> = None;
            loop {
                match rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(value) => {
                        return match interrupted {
                            Some(e) => Err(e),
                            None => Ok(value),
                        };
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if interrupted.is_none()
                            && let Err(e) = Python::attach(|py| py.check_signals())
                        {
                            watch.cancel.store(true, Ordering::Relaxed);
                            interrupted = Some(e);
                        }
                    }
                    // The worker panicked; leaving the scope re-raises its panic.
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(interrupted.unwrap_or_else(|| {
                            OvopsimError::new_err("the simulation stopped unexpectedly")
                        }));
                    }
                }
            }
        })
    })
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("the writers emit UTF-8")
}

/// `manifest.json` as the CLI writes it, with `command` describing the Python call.
#[allow(clippy::too_many_arguments)]
fn manifest(
    scenario: serde_json::Value,
    scenario_file: &str,
    seed: u64,
    replications: u32,
    started: SystemTime,
    clock: Instant,
    command: &[String],
    design: Option<serde_json::Value>,
) -> String {
    text(report::manifest_json(&Manifest {
        tool: "ovopsim".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        kind: None,
        fingerprint: None,
        scenario,
        scenario_file: scenario_file.into(),
        seed,
        replications,
        threads: rayon_threads(),
        started_at: report::rfc3339_utc(started),
        wall_seconds: clock.elapsed().as_secs_f64(),
        command: command.to_vec(),
        design,
        // Scenarios given to Python may be in-memory text, not files.
        inputs: Vec::new(),
        build: report::Build::current(),
    }))
}

fn rayon_threads() -> usize {
    rayon::current_num_threads()
}

/// The files of one scenario's results: (name, series.csv, summary.csv, manifest.json).
#[allow(clippy::too_many_arguments)]
fn scenario_files(
    results: &ScenarioResults,
    config: &Config,
    file: &str,
    seed: u64,
    reps: u32,
    started: SystemTime,
    clock: Instant,
    command: &[String],
) -> (String, String, String, String) {
    (
        results.name.clone(),
        text(report::series_csv(results)),
        text(report::summary_csv(results)),
        manifest(
            serde_json::to_value(&config.scenario).expect("a scenario serializes"),
            file,
            seed,
            reps,
            started,
            clock,
            command,
            None,
        ),
    )
}

/// Replications of one scenario: (name, series.csv, summary.csv, manifest.json).
#[pyfunction]
fn run(
    py: Python<'_>,
    source: Source,
    sets: Vec<String>,
    reps: u32,
    seed: u64,
    command: Vec<String>,
) -> PyResult<(String, String, String, String)> {
    check_reps(reps)?;
    let config = source.load(&sets)?;
    let file = source.label();
    let (started, clock) = (SystemTime::now(), Instant::now());
    let results = interruptible(py, |w| study::replications(&config, &file, seed, reps, w))?
        .map_err(|e| study_error(e.into()))?;
    Ok(scenario_files(
        &results, &config, &file, seed, reps, started, clock, &command,
    ))
}

fn check_reps(reps: u32) -> PyResult<()> {
    if !(1..=100_000).contains(&reps) {
        return Err(OvopsimError::new_err(format!(
            "reps: must be 1 to 100000, got {reps}"
        )));
    }
    Ok(())
}

/// Several scenarios with the same seeds: each scenario's files, then
/// comparison.csv, effects.csv and comparison.md.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn compare(
    py: Python<'_>,
    sources: Vec<Source>,
    sets: Vec<String>,
    reps: u32,
    seed: u64,
    command: Vec<String>,
) -> PyResult<(
    Vec<(String, String, String, String)>,
    String,
    String,
    String,
)> {
    check_reps(reps)?;
    let configs = sources
        .iter()
        .map(|s| s.load(&sets))
        .collect::<PyResult<Vec<_>>>()?;
    if configs.is_empty() {
        return Err(OvopsimError::new_err("compare: give at least one scenario"));
    }
    // The command line's checks, in its words.
    let labels: Vec<String> = sources.iter().map(Source::label).collect();
    study::check_comparable(&configs, &labels).map_err(OvopsimError::new_err)?;
    let runs = interruptible(py, |w| {
        let mut all = Vec::new();
        for (config, file) in configs.iter().zip(&labels) {
            if study::Progress::cancelled(w) {
                break;
            }
            let (started, clock) = (SystemTime::now(), Instant::now());
            let results = study::replications(config, file, seed, reps, w)?;
            all.push((results, started, clock));
        }
        Ok(all)
    })?
    .map_err(|e: ovopsim::engine::Violation| study_error(e.into()))?;
    let horizon = configs[0].scenario.years;
    let mut years: Vec<u32> = [5, 10, 20].into_iter().filter(|y| *y <= horizon).collect();
    if years.is_empty() {
        years.push(horizon);
    }
    let files = runs
        .iter()
        .zip(&configs)
        .zip(&labels)
        .map(|(((results, started, clock), config), file)| {
            scenario_files(
                results, config, file, seed, reps, *started, *clock, &command,
            )
        })
        .collect();
    let all: Vec<ScenarioResults> = runs.into_iter().map(|r| r.0).collect();
    let markdown = report::comparison_markdown(
        &all,
        &years,
        report::DEFAULT_METRICS,
        report::TableForm::default(),
    )
    .map_err(|e| OvopsimError::new_err(e.to_string()))?;
    Ok((
        files,
        text(report::comparison_csv(&all)),
        text(report::effects_csv(&all)),
        markdown,
    ))
}

/// A sweep over a grid (`vary`, as `--vary` arguments), a Latin hypercube
/// (`ranges` with `n`), or given points (`keys` and TOML values per point):
/// (points.csv, sweep.csv, sweep_runs.csv, manifest.json).
#[pyfunction]
#[pyo3(signature = (source, sets, reps, seed, every, vary, ranges, n, keys, points, command))]
#[allow(clippy::too_many_arguments)]
fn sweep(
    py: Python<'_>,
    source: Source,
    sets: Vec<String>,
    reps: u32,
    seed: u64,
    every: u32,
    vary: Vec<String>,
    ranges: Vec<String>,
    n: Option<u32>,
    keys: Vec<String>,
    points: Vec<Vec<String>>,
    command: Vec<String>,
) -> PyResult<(String, String, String, String)> {
    check_reps(reps)?;
    if every == 0 {
        return Err(OvopsimError::new_err("every: must be at least 1 month"));
    }
    let (resolved, mut all_sets) = source.resolve().map_err(|e| source.error(e))?;
    all_sets.extend(sets);
    let base = resolved.apply(&all_sets).map_err(|e| source.error(e))?;
    let integer = design::integer_keys(&base.scenario);
    let bad = |e: design::DesignError| OvopsimError::new_err(e.to_string());
    let (kind, sampling) = if !keys.is_empty() {
        if points.iter().any(|p| p.len() != keys.len()) {
            return Err(OvopsimError::new_err(
                "points: every point needs one value per key",
            ));
        }
        let design = design::Design { keys, points };
        // A list of points is run as a grid is: each point is a unit.
        (StudyKind::Grid { design }, "given points")
    } else if !ranges.is_empty() {
        let ranges = ranges
            .iter()
            .map(|r| design::parse_range(r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(bad)?;
        let design = design::latin_hypercube(&ranges, n.unwrap_or(0) as usize, seed, &integer)
            .map_err(bad)?;
        (StudyKind::LatinHypercube { design }, "latin hypercube")
    } else if !vary.is_empty() {
        let varies = vary
            .iter()
            .map(|v| design::parse_vary(v, &integer))
            .collect::<Result<Vec<_>, _>>()
            .map_err(bad)?;
        let design = design::grid(varies).map_err(bad)?;
        (StudyKind::Grid { design }, "full grid")
    } else {
        return Err(OvopsimError::new_err(
            "sweep: give vary (a grid), ranges with n (a Latin hypercube) or points",
        ));
    };
    let design = kind.design().expect("a sweep has a design").clone();
    let configs = study::point_configs(&resolved, &all_sets, &design).map_err(study_error)?;
    let file = source.label();
    let spec = WorkSpec::new(kind, &file, &base, &configs, seed, reps, every);
    let plan = Plan {
        spec,
        configs,
        folder: None,
        shard: Shard::WHOLE,
    };
    let (started, clock) = (SystemTime::now(), Instant::now());
    let chunks = interruptible(py, |w| work::execute(&plan, w))?.map_err(study_error)?;
    let Outcome::Points(results) = work::outcome(&plan.spec, chunks) else {
        unreachable!("a design has points")
    };
    let design_json = serde_json::json!({
        "keys": design.keys,
        "points": design.points.len(),
        "sampling": sampling,
        "every_months": every,
        "random_numbers": "common: replication r of every point uses the same streams",
    });
    Ok((
        text(sweep_report::points_csv(&design)),
        text(sweep_report::sweep_csv(&design, &results)),
        text(sweep_report::sweep_runs_csv(&design, &results)),
        manifest(
            plan.spec.scenario.clone(),
            &file,
            seed,
            reps,
            started,
            clock,
            &command,
            Some(design_json),
        ),
    ))
}

/// Validates a scenario without running it: (name, villages, years, resolved scenario as JSON).
#[pyfunction]
fn check(source: Source, sets: Vec<String>) -> PyResult<(String, usize, u32, String)> {
    let c = source.load(&sets)?;
    let villages = c
        .village_records
        .as_ref()
        .map_or(c.scenario.district.villages as usize, |r| r.len());
    Ok((
        c.scenario.name.clone(),
        villages,
        c.scenario.years,
        serde_json::to_string(&c.scenario).expect("a scenario serializes"),
    ))
}

/// Every scenario key: (key, default, allowed, unit, meaning, source, advanced).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn params() -> Vec<(String, String, String, String, String, String, bool)> {
    scenario::PARAMS
        .iter()
        .map(|p| {
            (
                p.key.clone(),
                scenario::default_of(&p.key),
                p.allowed.clone(),
                p.unit.to_string(),
                p.meaning.clone(),
                p.source.to_string(),
                p.advanced,
            )
        })
        .collect()
}

/// Every metric: (name, unit, description), in the order of the result files.
#[pyfunction]
fn metrics() -> Vec<(String, String, String)> {
    ovopsim::metrics::METRICS
        .iter()
        .map(|m| (m.name.into(), m.unit.into(), m.description.into()))
        .collect()
}

#[pymodule]
fn _ovopsim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("OvopsimError", m.py().get_type::<OvopsimError>())?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(params, m)?)?;
    m.add_function(wrap_pyfunction!(metrics, m)?)?;
    Ok(())
}
