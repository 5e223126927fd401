//! Carries out a command: load and validate every input first, run, then write the results folder in one place.
//!
//! Nothing is written before all inputs are known to be good, so a bad
//! scenario leaves the disk untouched (exit code 2).

use crate::batch;
use crate::cli::{Cli, Command, RunOpts};
use crate::report::{self, Manifest};
use crate::results::ScenarioResults;
use crate::scenario::{self, Config, ScenarioError};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Instant, SystemTime};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error("{0}")]
    BadInput(String),
    #[error(transparent)]
    Write(#[from] report::WriteError),
    #[error(transparent)]
    Chart(#[from] report::ChartError),
}

impl AppError {
    /// Process exit code: 2 for bad input, 1 for anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Scenario(_) | AppError::BadInput(_) => 2,
            AppError::Write(_) | AppError::Chart(_) => 1,
        }
    }
}

/// Runs a parsed command line. `argv` is recorded in the manifest.
pub fn run(cli: Cli, argv: Vec<String>) -> Result<(), AppError> {
    match cli.command {
        Command::Run {
            scenario,
            opts,
            out,
        } => {
            let config = load(&scenario, &opts)?;
            let out = out.unwrap_or_else(|| Path::new("output").join(&config.scenario.name));
            check_out(&out)?;
            let started = SystemTime::now();
            let clock = Instant::now();
            let results = simulate(&config, &opts);
            let mut files = scenario_files(&results);
            files.extend(chart_files(std::slice::from_ref(&results))?);
            files.push(manifest(&config, &scenario, &opts, started, clock, &argv));
            report::write_results(&out, &files)?;
            if !opts.quiet {
                eprintln!("wrote {}", out.display());
            }
            Ok(())
        }
        Command::Compare {
            scenarios,
            opts,
            out,
        } => {
            let configs = scenarios
                .iter()
                .map(|p| load(p, &opts))
                .collect::<Result<Vec<_>, _>>()?;
            for (i, c) in configs.iter().enumerate() {
                if configs[..i]
                    .iter()
                    .any(|o| o.scenario.name == c.scenario.name)
                {
                    return Err(AppError::BadInput(format!(
                        "{}: scenario name {:?} is used twice; names must differ to be compared",
                        scenarios[i].display(),
                        c.scenario.name
                    )));
                }
                if c.months() != configs[0].months() {
                    return Err(AppError::BadInput(format!(
                        "{}: horizon of {} years differs from the first scenario's {}; use --years",
                        scenarios[i].display(),
                        c.scenario.years,
                        configs[0].scenario.years
                    )));
                }
            }
            let out = out.unwrap_or_else(|| PathBuf::from("output/comparison"));
            check_out(&out)?;
            let mut all = Vec::new();
            for (config, path) in configs.iter().zip(&scenarios) {
                let started = SystemTime::now();
                let clock = Instant::now();
                let results = simulate(config, &opts);
                let mut files = scenario_files(&results);
                files.push(manifest(config, path, &opts, started, clock, &argv));
                report::write_results(&out.join(&config.scenario.name), &files)?;
                all.push(results);
            }
            let mut files = vec![
                ("comparison.csv".to_string(), report::comparison_csv(&all)),
                ("effects.csv".to_string(), report::effects_csv(&all)),
            ];
            files.extend(chart_files(&all)?);
            // No manifest here: each scenario's folder has its own.
            report::write_results(&out, &files)?;
            if !opts.quiet {
                eprintln!("wrote {}", out.display());
            }
            Ok(())
        }
        Command::Params { markdown } => {
            let text = if markdown {
                scenario::params_markdown()
            } else {
                scenario::PARAMS
                    .iter()
                    .map(|p| format!("{:<44} {}; {} [{}]\n", p.key, p.unit, p.meaning, p.source))
                    .collect()
            };
            print_out(&text);
            Ok(())
        }
        Command::Check { scenarios, sets } => {
            let mut problems = Vec::new();
            for path in &scenarios {
                match scenario::load(path, &sets) {
                    Ok(c) => print_out(&format!(
                        "{}: ok ({}, {} villages, {} years)\n",
                        path.display(),
                        c.scenario.name,
                        c.village_records
                            .as_ref()
                            .map_or(c.scenario.district.villages as usize, Vec::len),
                        c.scenario.years
                    )),
                    Err(e) => problems.push(e.to_string()),
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(AppError::BadInput(problems.join("\n")))
            }
        }
    }
}

/// Writes to stdout; a closed pipe (`ovopsim params | head`) is not an error.
fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn load(path: &Path, opts: &RunOpts) -> Result<Config, AppError> {
    let mut sets = Vec::new();
    if let Some(y) = opts.years {
        sets.push(format!("years={y}"));
    }
    sets.extend(opts.sets.iter().cloned());
    Ok(scenario::load(path, &sets)?)
}

fn check_out(out: &Path) -> Result<(), AppError> {
    if out.exists() && !out.is_dir() {
        return Err(AppError::BadInput(format!(
            "--out {}: exists and is not a folder",
            out.display()
        )));
    }
    Ok(())
}

fn simulate(config: &Config, opts: &RunOpts) -> ScenarioResults {
    let reps = opts.reps;
    let done = AtomicU32::new(0);
    let name = &config.scenario.name;
    let terminal = std::io::stderr().is_terminal();
    let bar = (!opts.quiet && terminal).then(|| {
        let bar = indicatif::ProgressBar::new(u64::from(reps));
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {pos}/{len} replications, {elapsed} (eta {eta})",
            )
            .expect("static template")
            .progress_chars("=> "),
        );
        bar.set_message(name.clone());
        bar
    });
    let step = (reps / 10).max(1);
    let on_done = || {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &bar {
            bar.inc(1);
        } else if !opts.quiet && (n.is_multiple_of(step) || n == reps) {
            eprintln!("{name}: {n}/{reps} replications");
        }
    };
    let results = batch::run_replications(config, opts.seed, 0, reps, &on_done);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    results
}

fn scenario_files(results: &ScenarioResults) -> Vec<(String, Vec<u8>)> {
    vec![
        ("series.csv".into(), report::series_csv(results)),
        ("summary.csv".into(), report::summary_csv(results)),
    ]
}

/// The standard charts of these scenarios, named for the `charts/` subfolder.
fn chart_files(all: &[ScenarioResults]) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    Ok(
        report::standard_charts(all, &report::ChartOptions::default())?
            .into_iter()
            .map(|(name, bytes)| (format!("charts/{name}"), bytes))
            .collect(),
    )
}

fn manifest(
    config: &Config,
    path: &Path,
    opts: &RunOpts,
    started: SystemTime,
    clock: Instant,
    argv: &[String],
) -> (String, Vec<u8>) {
    let m = Manifest {
        tool: env!("CARGO_PKG_NAME").into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario: serde_json::to_value(&config.scenario).expect("a scenario serializes"),
        scenario_file: path.display().to_string(),
        seed: opts.seed,
        replications: opts.reps,
        threads: rayon::current_num_threads(),
        started_at: report::rfc3339_utc(started),
        wall_seconds: clock.elapsed().as_secs_f64(),
        command: argv.to_vec(),
    };
    ("manifest.json".into(), report::manifest_json(&m))
}
