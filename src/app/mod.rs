//! Carries out a command: load and validate every input first, run, then write the results folder in one place.
//!
//! Nothing is written before all inputs are known to be good, so a bad
//! scenario leaves the disk untouched (exit code 2).

mod calibrate;
mod decompose;
mod estimate;
mod folder;
mod interrupt;
mod progress;
mod sensitivity;
mod study;
mod sweep;

use crate::cli::{ChartArgs, Cli, Command, RunOpts};
use crate::metrics;
use crate::report::{self, Manifest};
use crate::results::ScenarioResults;
use crate::saved;
use crate::scenario::{self, Config, ScenarioError};
use crate::study::{StudyError, StudyKind, WorkSpec, checkpoint, work};
use clap::CommandFactory;
use progress::Progress;
use std::path::{Path, PathBuf};
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
    #[error(transparent)]
    Table(#[from] report::TableError),
    #[error("{0}")]
    Serve(String),
    #[error(transparent)]
    Violation(#[from] crate::engine::Violation),
}

impl From<StudyError> for AppError {
    fn from(e: StudyError) -> Self {
        match e {
            StudyError::Invalid(message) => AppError::BadInput(message),
            StudyError::Write(e) => AppError::Write(e),
            StudyError::Violation(v) => AppError::Violation(v),
        }
    }
}

impl AppError {
    /// Process exit code: 2 for bad input, 1 for anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Scenario(_) | AppError::BadInput(_) => 2,
            AppError::Write(_)
            | AppError::Chart(_)
            | AppError::Table(_)
            | AppError::Serve(_)
            | AppError::Violation(_) => 1,
        }
    }
}

/// Runs a parsed command line. `argv` is recorded in the manifest.
pub fn run(cli: Cli, argv: Vec<String>) -> Result<(), AppError> {
    interrupt::install();
    match cli.command {
        Command::Run {
            scenario,
            opts,
            out,
            shard,
            metrics,
            charts,
        } => {
            let metrics = metric_list(&metrics)?;
            let config = load(&scenario, &opts)?;
            let out = out.unwrap_or_else(|| Path::new("output").join(&config.scenario.name));
            check_out(&out)?;
            let shard = work::shard(shard.as_deref())?;
            if shard != work::Shard::WHOLE {
                return run_shard(&scenario, config, &opts, out, shard, &charts, &argv);
            }
            let need = estimate::Work::in_memory(&[&config], opts.reps);
            estimate::check(&need, &out, RUN_HINT)?;
            let fingerprint = work::run_fingerprint(&config, opts.seed, opts.reps);
            let claim = folder::claim(
                &out,
                "run",
                &fingerprint,
                &argv,
                opts.force,
                folder::Access::Whole,
            )?;
            let started = SystemTime::now();
            let clock = Instant::now();
            let results = simulate(&config, &scenario, &opts)?;
            let mut files = scenario_files(&results);
            let scenarios = [scenario_json(&config)];
            files.extend(chart_files(
                std::slice::from_ref(&results),
                &scenarios,
                &metrics,
                &charts,
            )?);
            files.push(manifest(&config, &scenario, &opts, started, clock, &argv));
            claim.write(files, vec![series_file(&results)], &[])?;
            finish(&out, std::slice::from_ref(&results), &metrics, opts.quiet);
            Ok(())
        }
        Command::Compare {
            scenarios,
            opts,
            table_years,
            table_layout,
            table_differences_only,
            out,
            metrics,
            charts,
        } => {
            let form = report::TableForm {
                metrics_across: table_layout == crate::cli::TableLayout::MetricsAcross,
                differences_only: table_differences_only,
            };
            let metrics = metric_list(&metrics)?;
            let table_metrics: &[&str] = if metrics.is_empty() {
                report::DEFAULT_METRICS
            } else {
                &metrics
            };
            let configs = scenarios
                .iter()
                .map(|p| load(p, &opts))
                .collect::<Result<Vec<_>, _>>()?;
            let labels: Vec<String> = scenarios.iter().map(|p| p.display().to_string()).collect();
            crate::study::check_comparable(&configs, &labels).map_err(AppError::BadInput)?;
            let table_years = table_years_within(table_years, configs[0].scenario.years)?;

            let out = out.unwrap_or_else(|| PathBuf::from("output/comparison"));
            check_out(&out)?;
            let all_configs: Vec<&Config> = configs.iter().collect();
            let need = estimate::Work::in_memory(&all_configs, opts.reps);
            estimate::check(&need, &out, RUN_HINT)?;
            let runs: Vec<String> = configs
                .iter()
                .map(|c| work::run_fingerprint(c, opts.seed, opts.reps))
                .collect();
            let mut parts = vec!["compare"];
            parts.extend(runs.iter().map(String::as_str));
            let fingerprint = format!("{:016x}", checkpoint::fingerprint(&parts));
            let claim = folder::claim(
                &out,
                "compare",
                &fingerprint,
                &argv,
                opts.force,
                folder::Access::Whole,
            )?;
            let started = SystemTime::now();
            let clock = Instant::now();
            let mut all = Vec::new();
            let mut written = Vec::new();
            for (config, path) in configs.iter().zip(&scenarios) {
                let started = SystemTime::now();
                let clock = Instant::now();
                let results = simulate(config, path, &opts)?;
                let mut files = scenario_files(&results);
                files.push(manifest(config, path, &opts, started, clock, &argv));
                let name = &config.scenario.name;
                {
                    let series = [series_file(&results)];
                    report::write_results_with(&out.join(name), &files, &series)?;
                    written.extend(series.iter().map(|(f, _)| format!("{name}/{f}")));
                }
                written.extend(files.iter().map(|(f, _)| format!("{name}/{f}")));
                all.push(results);
            }
            let mut files = vec![
                ("comparison.csv".to_string(), report::comparison_csv(&all)),
                ("effects.csv".to_string(), report::effects_csv(&all)),
                (
                    "comparison.md".to_string(),
                    report::comparison_markdown(&all, &table_years, table_metrics, form)?
                        .into_bytes(),
                ),
                (
                    "comparison.tex".to_string(),
                    report::comparison_latex(&all, &table_years, table_metrics, form)?.into_bytes(),
                ),
            ];
            let jsons: Vec<serde_json::Value> = configs.iter().map(scenario_json).collect();
            files.extend(chart_files(&all, &jsons, &metrics, &charts)?);
            let names: Vec<String> = scenarios.iter().map(|p| p.display().to_string()).collect();
            let mut inputs: Vec<PathBuf> = Vec::new();
            for c in &configs {
                for p in &c.inputs {
                    if !inputs.contains(p) {
                        inputs.push(p.clone());
                    }
                }
            }
            files.push(manifest_file(
                serde_json::Value::Array(jsons),
                &names.join(", "),
                opts.seed,
                opts.reps,
                (started, clock),
                &argv,
                ("compare", &fingerprint),
                None,
                &inputs,
            ));
            claim.write(files, Vec::new(), &written)?;
            finish(&out, &all, &metrics, opts.quiet);
            Ok(())
        }
        Command::Decompose {
            scenario,
            against,
            method,
            permutations,
            channels,
            metrics,
            table_years,
            opts,
            out,
            charts,
        } => decompose::decompose(
            &scenario,
            decompose::DecomposeArgs {
                against,
                method,
                permutations,
                channels,
                metrics,
                table_years,
            },
            &opts,
            out,
            &charts,
            &argv,
        ),
        Command::Sweep {
            scenario,
            vary,
            sample,
            n,
            ranges,
            every,
            metric,
            year,
            opts,
            out,
            shard,
            charts,
        } => sweep::sweep(
            &scenario,
            sweep::SweepArgs {
                vary,
                sample,
                n,
                ranges,
                every,
                metric,
                year,
                shard,
            },
            &opts,
            out,
            &charts,
            &argv,
        ),
        Command::Params {
            filter,
            markdown,
            all,
        } => {
            let text = if markdown {
                scenario::params_markdown()
            } else {
                params_text(filter.as_deref(), all)?
            };
            print_out(&text);
            Ok(())
        }
        Command::Check { scenarios, sets } => {
            let mut problems = Vec::new();
            for path in &scenarios {
                match scenario::load(path, &sets) {
                    Ok(c) => {
                        print_out(&format!(
                            "{}: ok ({}, {} villages, {} years)\n",
                            path.display(),
                            c.scenario.name,
                            c.village_records
                                .as_ref()
                                .map_or(c.scenario.district.villages as usize, |r| r.len()),
                            c.scenario.years
                        ));
                        if c.scenario.approach == scenario::Approach::Kawasan {
                            print_out(
                                "  note: kawasan imposes its commodity at set-up, so month 0 already differs from other approaches (docs/ODD.md, Kawasan)\n",
                            );
                        }
                    }
                    Err(e) => problems.push(e.to_string()),
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(AppError::BadInput(problems.join("\n")))
            }
        }
        Command::Sensitivity {
            scenario,
            method,
            ranges,
            metric,
            year,
            trajectories,
            levels,
            n,
            bootstrap,
            opts,
            out,
            shard,
            charts,
        } => sensitivity::sensitivity(
            &scenario,
            sensitivity::SensitivityArgs {
                method,
                ranges,
                metric,
                year,
                trajectories,
                levels,
                n,
                bootstrap,
                shard,
            },
            &opts,
            out,
            &charts,
            &argv,
        ),
        Command::Calibrate {
            scenario,
            targets,
            free,
            check,
            points,
            iterations,
            opts,
            out,
            shard,
            charts,
        } => calibrate::calibrate(
            &scenario,
            calibrate::CalibrateArgs {
                targets,
                free,
                check,
                points,
                iterations,
                shard,
            },
            &opts,
            out,
            &charts,
            &argv,
        ),
        Command::Merge {
            dirs,
            out,
            metric,
            year,
            quiet,
            force,
            charts,
        } => {
            let finish = study::Finish {
                charts: &charts,
                argv: &argv,
                force,
                started: SystemTime::now(),
                clock: Instant::now(),
                quiet,
                metric: metric_index(&metric)?,
                year,
                inputs: &[],
            };
            study::merge(&dirs, &out, &finish)
        }
        Command::New { file, from, force } => new_scenario(&file, from.as_deref(), force),
        Command::Schema { out: None } => {
            print_out(&scenario::json_schema_text());
            Ok(())
        }
        Command::Schema { out: Some(file) } => {
            let (dir, name) = file_to_write(&file, "ovopsim-scenario.schema.json")?;
            report::write_files(&dir, &[(name, scenario::json_schema_text().into_bytes())])?;
            eprintln!("wrote {}", file.display());
            Ok(())
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "ovopsim", &mut out);
            print_out(&String::from_utf8_lossy(&out));
            Ok(())
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .expect("writing to memory cannot fail");
            print_out(&String::from_utf8_lossy(&out));
            Ok(())
        }
        Command::Plot {
            dir,
            metric,
            year,
            metrics,
            charts,
        } => plot(&dir, metric.as_deref(), year, &metrics, &charts),
        Command::Serve {
            scenarios,
            port,
            host,
            open,
        } => crate::serve::run(crate::serve::Options {
            scenarios,
            host,
            port,
            open,
        })
        .map_err(|e| match e {
            crate::serve::ServeError::Scenario(e) => AppError::Scenario(e),
            e @ crate::serve::ServeError::Host(_) => AppError::BadInput(e.to_string()),
            crate::serve::ServeError::Io(m) => AppError::Serve(m),
        }),
    }
}

/// `--table-years` checked against the horizon, or 5, 10 and 20 within it
/// (the last year when the horizon is shorter than 5).
fn table_years_within(years: Option<Vec<u32>>, horizon: u32) -> Result<Vec<u32>, AppError> {
    match years {
        Some(years) => {
            if let Some(y) = years.iter().find(|y| **y > horizon) {
                return Err(AppError::BadInput(format!(
                    "--table-years: year {y} is beyond the {horizon}-year horizon"
                )));
            }
            Ok(years)
        }
        None => {
            let mut years: Vec<u32> = [5, 10, 20].into_iter().filter(|y| *y <= horizon).collect();
            if years.is_empty() {
                years.push(horizon);
            }
            Ok(years)
        }
    }
}

/// How to make a run or comparison need less memory and disk.
const RUN_HINT: &str =
    "use fewer --reps or --years (every replication's months are kept until the end)";

/// The parameter listing of `ovopsim params`, optionally only keys containing `filter`.
fn params_text(filter: Option<&str>, all: bool) -> Result<String, AppError> {
    scenario::params_listing(filter, all).ok_or_else(|| {
        AppError::BadInput(format!(
            "no key's name, meaning or unit contains {:?}; `ovopsim params` lists them all",
            filter.unwrap_or_default()
        ))
    })
}

/// Prints the one-screen summary (unless quiet) and where the results are.
fn finish(out: &Path, all: &[ScenarioResults], metrics: &[&str], quiet: bool) {
    if !quiet {
        // The summary is the command's answer, so stdout; the path is a note.
        print_out(&report::console_summary(all, metrics, terminal_width()));
        eprintln!("wrote {}", out.display());
    }
}

/// `ovopsim new`: a starter file, never over an existing one unless forced.
fn new_scenario(file: &Path, from: Option<&Path>, force: bool) -> Result<(), AppError> {
    let (dir, file_name) = file_to_write(file, "my.toml")?;
    if file.exists() && !force {
        return Err(AppError::BadInput(format!(
            "{}: exists; use --force to replace it",
            file.display()
        )));
    }
    if file.extension().is_none_or(|e| e != "toml") {
        return Err(AppError::BadInput(format!(
            "{}: scenario files end in .toml",
            file.display()
        )));
    }
    let name: String = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let text = match from {
        None => scenario::template_full(&name),
        Some(parent) => {
            let config = scenario::load(parent, &[])?;
            let dir = file.parent().unwrap_or(Path::new(""));
            let rel = relative_path(dir, parent);
            scenario::template_variant(&name, &rel, &config.scenario)
        }
    };
    report::write_files(&dir, &[(file_name, text.into_bytes())])?;
    eprintln!(
        "wrote {}; check it with `ovopsim check {0}`",
        file.display()
    );
    Ok(())
}

/// The folder and name of a file a command is to write, or why it cannot be
/// written there (`example` names a file of the kind expected).
fn file_to_write(file: &Path, example: &str) -> Result<(PathBuf, String), AppError> {
    if file.is_dir() {
        return Err(AppError::BadInput(format!(
            "{}: is a folder; give a file name like {example}",
            file.display()
        )));
    }
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(AppError::BadInput(format!(
            "{}: folder {} does not exist",
            file.display(),
            dir.display()
        )));
    }
    let name = file.file_name().ok_or_else(|| {
        AppError::BadInput(format!(
            "{}: give a file name like {example}",
            file.display()
        ))
    })?;
    Ok((dir.to_path_buf(), name.to_string_lossy().into_owned()))
}

/// `target` as seen from folder `from`, with '/' separators (for `extends`).
fn relative_path(from: &Path, target: &Path) -> String {
    let abs = |p: &Path| {
        let p = if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        };
        std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
    };
    let (from, target) = (abs(from), abs(target));
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = target.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common <= 1 {
        // Nothing shared but the root: an absolute path reads better than ../../..
        return target.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".into(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `ovopsim plot`: re-draws the charts of a run, comparison or sweep folder.
fn plot(
    dir: &Path,
    metric: Option<&str>,
    year: Option<u32>,
    metrics: &[String],
    charts: &ChartArgs,
) -> Result<(), AppError> {
    let saved = |e: saved::SavedError| AppError::BadInput(e.to_string());
    let series = dir.join("series.csv").is_file() || dir.join("comparison.csv").is_file();
    if series && year.is_some() {
        return Err(AppError::BadInput(
            "--year applies to sweep folders; run and compare charts show every year".into(),
        ));
    }
    let metric = metric.map(metric_index).transpose()?;
    let metrics = metric_list(metrics)?;
    if !series && !metrics.is_empty() {
        return Err(AppError::BadInput(
            "--metrics applies to run and compare folders; a sweep's charts take --metric".into(),
        ));
    }
    let files = if dir.join("series.csv").is_file() {
        let results = saved::read_series(dir).map_err(saved)?;
        let all = std::slice::from_ref(&results);
        let scenarios = [saved::read_manifest(dir).map_err(saved)?["scenario"].take()];
        let mut files = chart_files(all, &scenarios, &metrics, charts)?;
        files.extend(metric_chart_files(all, metric, charts)?);
        files
    } else if dir.join("comparison.csv").is_file() {
        let names = saved::comparison_order(dir).map_err(saved)?;
        let all = names
            .iter()
            .map(|n| saved::read_series(&dir.join(n)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(saved)?;
        let scenarios = names
            .iter()
            .map(|n| Ok(saved::read_manifest(&dir.join(n))?["scenario"].take()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(saved)?;
        let mut files = chart_files(&all, &scenarios, &metrics, charts)?;
        files.extend(metric_chart_files(&all, metric, charts)?);
        files
    } else if dir.join(work::WORK).is_file() {
        let finish = study::Finish {
            charts,
            argv: &[],
            force: false,
            started: SystemTime::now(),
            clock: Instant::now(),
            quiet: true,
            metric: metric.map_or_else(|| metric_index("income_per_capita"), Ok)?,
            year,
            inputs: &[],
        };
        study::replot(dir, &finish)?
    } else {
        return Err(AppError::BadInput(format!(
            "{}: no series.csv, comparison.csv or work.json; give a folder written by run, compare, sweep or sensitivity",
            dir.display()
        )));
    };
    report::write_files(dir, &files)?;
    eprintln!(
        "wrote {} charts to {}",
        files.len(),
        dir.join("charts").display()
    );
    Ok(())
}

/// `plot --metric` on a run or comparison: that metric over time for every
/// scenario, and its paired differences when there are several.
fn metric_chart_files(
    all: &[ScenarioResults],
    metric: Option<usize>,
    charts: &ChartArgs,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let Some(m) = metric.filter(|_| !charts.no_charts) else {
        return Ok(Vec::new());
    };
    let name = metrics::METRICS[m].name;
    let opts = chart_options(charts);
    let mut files = report::chart_files(
        &format!("charts/{name}"),
        &report::figures::overlay_chart(all, name),
        &opts,
    )?;
    if all.len() > 1 {
        files.extend(report::chart_files(
            &format!("charts/{name}_diff"),
            &report::figures::difference_chart(all, name),
            &opts,
        )?);
    }
    Ok(files)
}

/// Columns of the terminal stdout goes to; none when it is a file or pipe,
/// where lines may be as long as the table needs.
fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let from_env = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    from_env.or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
}

/// Writes to stdout; a closed pipe (`ovopsim params | head`) is not an error.
fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn load(path: &Path, opts: &RunOpts) -> Result<Config, AppError> {
    Ok(scenario::load_with(path, &opts.overlays, &base_sets(opts))?)
}

/// `--years` and `--set` as overrides, in that order.
fn base_sets(opts: &RunOpts) -> Vec<String> {
    let mut sets = Vec::new();
    if let Some(y) = opts.years {
        sets.push(format!("years={y}"));
    }
    sets.extend(opts.sets.iter().cloned());
    sets
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

/// Replications of one scenario in memory, with progress shown.
fn simulate(config: &Config, path: &Path, opts: &RunOpts) -> Result<ScenarioResults, AppError> {
    let progress = Progress::new(&config.scenario.name, opts.quiet, None);
    let results = crate::study::replications(
        config,
        &path.display().to_string(),
        opts.seed,
        opts.reps,
        &progress,
    );
    progress.finish();
    Ok(results?)
}

/// A metric by name, or an error naming the nearest one.
fn metric_index(name: &str) -> Result<usize, AppError> {
    named_metric("--metric", name)
}

/// A metric by name given to `flag`, or an error naming the nearest one and listing all.
fn named_metric(flag: &str, name: &str) -> Result<usize, AppError> {
    metrics::index(name).ok_or_else(|| {
        let names: Vec<&str> = metrics::METRICS.iter().map(|m| m.name).collect();
        let nearest = metrics::nearest(name);
        AppError::BadInput(format!(
            "{flag} {name}: no such metric; did you mean {nearest}? (metrics: {})",
            names.join(", ")
        ))
    })
}

/// The metrics of `--metrics`, checked before any work; empty means the defaults.
fn metric_list(ids: &[String]) -> Result<Vec<&'static str>, AppError> {
    let mut out: Vec<&'static str> = Vec::new();
    for id in ids {
        let name = metrics::METRICS[named_metric("--metrics", id.trim())?].name;
        if !out.contains(&name) {
            out.push(name);
        }
    }
    Ok(out)
}

/// A scenario's `summary.csv`; its `series.csv` is [`series_file`].
fn scenario_files(results: &ScenarioResults) -> Vec<(String, Vec<u8>)> {
    vec![("summary.csv".into(), report::summary_csv(results))]
}

/// A scenario's `series.csv`, written one replication at a time: its text,
/// about 45 bytes a value, would otherwise be held whole beside the values.
fn series_file(results: &ScenarioResults) -> report::Streamed<'_> {
    (
        "series.csv".into(),
        Box::new(move |w: &mut dyn std::io::Write| report::write_series(results, w)),
    )
}

fn chart_options(charts: &ChartArgs) -> report::ChartOptions {
    use crate::cli::{ChartFormat, SizePreset};
    use report::{Format, Size};
    let preset = charts.size.map(|size| {
        match size {
            SizePreset::Column => Size::Column,
            SizePreset::Page => Size::Page,
            SizePreset::Slide => Size::Slide,
        }
        .spec()
    });
    let (width, height) = match preset {
        Some((w, h, _, _)) => (charts.width.unwrap_or(w), charts.height.unwrap_or(h)),
        None => (charts.width.unwrap_or(1200), charts.height.unwrap_or(720)),
    };
    // A preset's own scale holds at its own size; explicit sizes (with or
    // without a preset) get the scale that suits them.
    let scale = match preset {
        Some((w, h, _, scale)) if (w, h) == (width, height) => scale,
        _ => report::text_scale(width, height),
    };
    let mut formats: Vec<Format> = Vec::new();
    for format in &charts.format {
        let format = match format {
            ChartFormat::Png => Format::Png,
            ChartFormat::Svg => Format::Svg,
            ChartFormat::Pdf => Format::Pdf,
        };
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    report::ChartOptions {
        width,
        height,
        dpi: charts.dpi.or(preset.map(|p| p.2)).unwrap_or(96),
        title: charts.title.clone(),
        show_titles: !charts.no_titles,
        from_zero: charts.y_from_zero,
        shaded: Vec::new(),
        scale,
        formats,
    }
}

/// The standard charts of these scenarios, named for the `charts/`
/// subfolder, with the shocks of `scenarios` (serialised) shaded.
fn chart_files(
    all: &[ScenarioResults],
    scenarios: &[serde_json::Value],
    metrics: &[&str],
    charts: &ChartArgs,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    if charts.no_charts {
        return Ok(Vec::new());
    }
    let opts = report::ChartOptions {
        shaded: report::figures::shock_periods(scenarios),
        ..chart_options(charts)
    };
    Ok(report::standard_charts(all, metrics, &opts)?
        .into_iter()
        .map(|(name, bytes)| (format!("charts/{name}"), bytes))
        .collect())
}

/// A scenario as manifests record it.
fn scenario_json(config: &Config) -> serde_json::Value {
    serde_json::to_value(&config.scenario).expect("a scenario serializes")
}

fn manifest(
    config: &Config,
    path: &Path,
    opts: &RunOpts,
    started: SystemTime,
    clock: Instant,
    argv: &[String],
) -> (String, Vec<u8>) {
    let fingerprint = work::run_fingerprint(config, opts.seed, opts.reps);
    manifest_file(
        scenario_json(config),
        &path.display().to_string(),
        opts.seed,
        opts.reps,
        (started, clock),
        argv,
        ("run", &fingerprint),
        None,
        &config.inputs,
    )
}

/// `manifest.json` of a results folder; `owner` is the command and fingerprint of its work.
#[allow(clippy::too_many_arguments)]
fn manifest_file(
    scenario: serde_json::Value,
    scenario_file: &str,
    seed: u64,
    replications: u32,
    (started, clock): (SystemTime, Instant),
    argv: &[String],
    (kind, fingerprint): (&str, &str),
    design: Option<serde_json::Value>,
    inputs: &[PathBuf],
) -> (String, Vec<u8>) {
    let m = Manifest {
        tool: env!("CARGO_PKG_NAME").into(),
        version: env!("CARGO_PKG_VERSION").into(),
        kind: Some(kind.into()),
        fingerprint: Some(fingerprint.into()),
        scenario,
        scenario_file: scenario_file.to_string(),
        seed,
        replications,
        threads: rayon::current_num_threads(),
        started_at: report::rfc3339_utc(started),
        wall_seconds: clock.elapsed().as_secs_f64(),
        command: argv.to_vec(),
        design,
        inputs: inputs.iter().map(|p| report::InputFile::of(p)).collect(),
        build: report::Build::current(),
    };
    ("manifest.json".into(), report::manifest_json(&m))
}

/// `run --shard`: this shard's replications, saved as chunks for `merge`.
fn run_shard(
    path: &Path,
    config: Config,
    opts: &RunOpts,
    out: PathBuf,
    shard: work::Shard,
    charts: &ChartArgs,
    argv: &[String],
) -> Result<(), AppError> {
    let spec = WorkSpec::new(
        StudyKind::Replications,
        &path.display().to_string(),
        &config,
        std::slice::from_ref(&config),
        opts.seed,
        opts.reps,
        1,
    );
    let label = config.scenario.name.clone();
    let inputs = config.inputs.clone();
    let finish = study::Finish {
        charts,
        argv,
        force: opts.force,
        started: SystemTime::now(),
        clock: Instant::now(),
        quiet: opts.quiet,
        metric: 0,
        year: None,
        inputs: &inputs,
    };
    study::run(spec, vec![config], out, shard, &label, &finish)
}
