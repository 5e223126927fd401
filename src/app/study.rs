//! Runs a study for a command and writes its results folder: the tables and charts of its outcome, the manifest, and what is printed.

use super::estimate;
use super::folder::{self, Access, Claim};
use super::progress::Progress;
use super::{
    AppError, chart_files, chart_options, check_out, finish, manifest_file, scenario_files,
};
use crate::cli::ChartArgs;
use crate::metrics;
use crate::report::response::{self, Response};
use crate::report::{self, sweep::PointResults};
use crate::scenario::Config;
use crate::study::analysis::{self, Analysis, Indices, Method};
use crate::study::checkpoint::Chunk;
use crate::study::work::{self, CHUNKS};
use crate::study::{Outcome, Plan, Shard, StudyError, StudyKind, WorkSpec};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// Files of a results folder: (path inside it, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// Options for writing final results.
pub struct Finish<'a> {
    pub charts: &'a ChartArgs,
    pub argv: &'a [String],
    /// Replace a folder of another command's results or other work.
    pub force: bool,
    pub started: SystemTime,
    pub clock: Instant,
    pub quiet: bool,
    /// Metric and year of a sweep's response charts and summary.
    pub metric: usize,
    pub year: Option<u32>,
    /// Files the study's scenario was read from, for the manifest.
    pub inputs: &'a [PathBuf],
}

/// Runs a study checkpointed in `out`: a shard saves its units and says so; the whole study is also written out.
pub fn run(
    spec: WorkSpec,
    configs: Vec<Config>,
    out: PathBuf,
    shard: Shard,
    label: &str,
    f: &Finish,
) -> Result<(), AppError> {
    let per_unit = if spec.study.design().is_some() {
        spec.replications
    } else {
        1
    };
    let need = estimate::Work::checkpointed(
        &configs,
        spec.units(),
        per_unit,
        spec.every,
        shard == Shard::WHOLE,
    );
    estimate::check(&need, &out, hint(&spec.study))?;
    let access = if shard == Shard::WHOLE {
        Access::Whole
    } else {
        Access::Shard
    };
    let claim = folder::claim(
        &out,
        spec.study.command(),
        &spec.fingerprint(),
        f.argv,
        f.force,
        access,
    )?;
    let plan = Plan {
        spec,
        configs,
        folder: Some(out.clone()),
        shard,
    };
    let progress = Progress::new(label, f.quiet, Some(out.join(CHUNKS)));
    let chunks = work::execute(&plan, &progress);
    progress.finish();
    let chunks = chunks?;
    if shard == Shard::WHOLE {
        return write(claim, &out, &plan.spec, chunks, f);
    }
    if !f.quiet {
        eprintln!(
            "shard {}/{} done: {} of {} {} in {}; join the shards with `ovopsim merge DIR... --out DIR`",
            shard.index,
            shard.count,
            chunks.len(),
            plan.spec.units(),
            plan.spec.study.units_name(),
            out.join(CHUNKS).display()
        );
    }
    Ok(())
}

/// How to make a study need less memory and disk.
pub fn hint(study: &StudyKind) -> &'static str {
    match study {
        StudyKind::Replications => {
            "use fewer --reps or --years, or split the replications with --shard I/N (each shard keeps only its own)"
        }
        StudyKind::Grid { .. } | StudyKind::LatinHypercube { .. } => {
            "use fewer points, --reps or --years, a larger --every, or --shard I/N"
        }
        _ => "use fewer --reps or --years, a smaller design, or --shard I/N",
    }
}

/// `ovopsim merge`: joins the chunks of shard folders into final results.
pub fn merge(dirs: &[PathBuf], out: &Path, f: &Finish) -> Result<(), AppError> {
    let (spec, chunks) = work::complete_work(dirs)?;
    if let StudyKind::Calibration { .. } = spec.study {
        return Err(AppError::BadInput(
            "merge does not finish a calibration: put the shards' chunks/ files in one folder (or run the shards into the same --out) and run the same `calibrate` command there without --shard".into(),
        ));
    }
    check_out(out)?;
    let claim = folder::claim(
        out,
        spec.study.command(),
        &spec.fingerprint(),
        f.argv,
        f.force,
        Access::Whole,
    )?;
    write(claim, out, &spec, chunks, f)
}

/// Writes the final results of a whole study from its chunks (every unit, in unit order).
fn write(
    claim: Claim,
    out: &Path,
    spec: &WorkSpec,
    chunks: Vec<Chunk>,
    f: &Finish,
) -> Result<(), AppError> {
    let mut files;
    let mut summary = None;
    let mut printed = None;
    match work::outcome(spec, chunks) {
        Outcome::Points(points) => {
            let design = spec.study.design().expect("a study of points has a design");
            files = vec![
                ("points.csv".to_string(), report::sweep::points_csv(design)),
                (
                    "sweep.csv".to_string(),
                    report::sweep::sweep_csv(design, &points),
                ),
                (
                    "sweep_runs.csv".to_string(),
                    report::sweep::sweep_runs_csv(design, &points),
                ),
            ];
            let (more, text) = design_outputs(spec, &points, f)?;
            files.extend(more);
            printed = Some(text);
        }
        Outcome::Replications(results) => {
            files = scenario_files(&results);
            let scenarios = [spec.scenario.clone()];
            files.extend(chart_files(
                std::slice::from_ref(&results),
                &scenarios,
                &[],
                f.charts,
            )?);
            summary = Some(results);
        }
    }
    let design_json = spec.study.design().map(|d| {
        serde_json::json!({
            "keys": d.keys,
            "points": d.points.len(),
            "sampling": spec.study.sampling(),
            "every_months": spec.every,
            "random_numbers": "common: replication r of every point uses the same streams",
        })
    });
    files.push(manifest_file(
        spec.scenario.clone(),
        &spec.scenario_file,
        spec.seed,
        spec.replications,
        (f.started, f.clock),
        f.argv,
        (spec.study.command(), &spec.fingerprint()),
        design_json,
        f.inputs,
    ));
    let streamed = summary.iter().map(super::series_file).collect();
    claim.write(files, streamed, &[])?;
    match summary {
        Some(results) => finish(out, std::slice::from_ref(&results), &[], f.quiet),
        None if !f.quiet => {
            super::print_out(&printed.unwrap_or_default());
            eprintln!("wrote {}", out.display());
        }
        None => {}
    }
    Ok(())
}

/// Re-draws the charts of a finished sweep or sensitivity folder from its chunks.
pub fn replot(dir: &Path, f: &Finish) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let (spec, chunks) = work::complete_work(&[dir.to_path_buf()]).map_err(|e| match e {
        // complete_work speaks to `merge`; here the user asked for charts of unfinished work.
        StudyError::Invalid(m) if m.starts_with("merge: ") => AppError::BadInput(format!(
            "{}: unfinished work, nothing to plot: {}; a shard's folder is plotted after `ovopsim merge DIR... --out DIR`, on the merged folder",
            dir.display(),
            m.trim_start_matches("merge: ")
                .split("; rerun")
                .next()
                .unwrap_or_default()
        )),
        e => e.into(),
    })?;
    let Outcome::Points(points) = work::outcome(&spec, chunks) else {
        return Ok(Vec::new());
    };
    let (mut files, _) = design_outputs(&spec, &points, f)?;
    files.retain(|(n, _)| n.starts_with("charts/"));
    Ok(files)
}

/// What a design adds to the sweep tables: response charts of a grid or
/// hypercube, the indices of a sensitivity analysis; and the printed summary.
fn design_outputs(
    spec: &WorkSpec,
    points: &[PointResults],
    f: &Finish,
) -> Result<(Files, String), AppError> {
    if let Some((method, analysis)) = analysis::of(&spec.study) {
        return sensitivity_files(method, analysis, spec.seed, points, f.charts);
    }
    let design = spec.study.design().expect("a study of points has a design");
    let last = points
        .iter()
        .filter_map(|p| p.months.last())
        .max()
        .map_or(0, |m| (*m / 12) as u32);
    let r = Response {
        design,
        points,
        metric: f.metric,
        year: f.year.unwrap_or(last),
    };
    let summary = response::summary(&r);
    if f.charts.no_charts {
        return Ok((Vec::new(), summary));
    }
    let name = metrics::METRICS[f.metric].name;
    let year = r.year;
    let mut charts: Vec<(String, report::Chart)> = Vec::new();
    if let StudyKind::Grid { .. } = &spec.study {
        if let Some(c) = response::grid_chart(&r) {
            charts.push((format!("sweep_{name}_year{year}"), c));
        }
        if let Some(c) = response::heatmap(&r) {
            charts.push((format!("heatmap_{name}_year{year}"), c));
        }
    } else {
        for (key, c) in response::hypercube_charts(&r) {
            let key = report::format::slug(&key);
            charts.push((format!("lhs_{name}_{key}_year{year}"), c));
        }
    }
    let opts = chart_options(f.charts);
    let mut files = Vec::new();
    for (stem, chart) in charts {
        files.extend(report::chart_files(
            &format!("charts/{stem}"),
            &chart,
            &opts,
        )?);
    }
    Ok((files, summary))
}

/// 95% intervals of one measure, one per parameter.
type Intervals = Vec<(f64, f64)>;

/// `sensitivity.csv` and its chart, from the finished points of a sensitivity design.
fn sensitivity_files(
    method: Method,
    analysis: &Analysis,
    seed: u64,
    points: &[PointResults],
    charts: &ChartArgs,
) -> Result<(Files, String), AppError> {
    let indices = analysis::indices(method, analysis, seed, points)?;
    let m = &metrics::METRICS[metrics::index(&analysis.metric).expect("indices found it")];
    let mut csv = String::new();
    let push = |csv: &mut String, v: f64| {
        csv.push(',');
        report::csv::push_f64(csv, v);
    };
    let row = |csv: &mut String, (key, lo, hi): &(String, f64, f64), values: &[f64]| {
        let _ = write!(csv, "{key}");
        push(csv, *lo);
        push(csv, *hi);
        let _ = write!(csv, ",{},{}", m.name, analysis.year);
        for v in values {
            push(csv, *v);
        }
        csv.push('\n');
    };
    let (kinds, values, ci): (Vec<String>, Vec<Vec<f64>>, Vec<Intervals>);
    match indices {
        Indices::Morris(idx) => {
            csv.push_str("parameter,low,high,metric,year,mu,mu_star,mu_star_ci95_low,mu_star_ci95_high,sigma\n");
            for (range, x) in analysis.ranges.iter().zip(&idx) {
                let (lo, hi) = x.mu_star_ci95;
                row(&mut csv, range, &[x.mu, x.mu_star, lo, hi, x.sigma]);
            }
            kinds = vec![
                "mu* (mean |elementary effect|)".into(),
                "sigma (sd of effects)".into(),
            ];
            values = vec![
                idx.iter().map(|x| x.mu_star).collect(),
                idx.iter().map(|x| x.sigma).collect(),
            ];
            ci = vec![
                idx.iter().map(|x| x.mu_star_ci95).collect(),
                idx.iter().map(|_| (f64::NAN, f64::NAN)).collect(),
            ];
        }
        Indices::Sobol(idx) => {
            csv.push_str("parameter,low,high,metric,year,first,first_ci95_low,first_ci95_high,total,total_ci95_low,total_ci95_high\n");
            for (range, x) in analysis.ranges.iter().zip(&idx) {
                let values = [
                    x.first,
                    x.first_ci95.0,
                    x.first_ci95.1,
                    x.total,
                    x.total_ci95.0,
                    x.total_ci95.1,
                ];
                row(&mut csv, range, &values);
            }
            kinds = vec!["first order".into(), "total effect".into()];
            values = vec![
                idx.iter().map(|x| x.first).collect(),
                idx.iter().map(|x| x.total).collect(),
            ];
            ci = vec![
                idx.iter().map(|x| x.first_ci95).collect(),
                idx.iter().map(|x| x.total_ci95).collect(),
            ];
        }
    }
    let text = indices_summary(method, analysis, m, &kinds, &values, &ci);
    let mut files = vec![("sensitivity.csv".to_string(), csv.into_bytes())];
    files.extend(bar_chart(
        method, analysis, m, &kinds, &values, &ci, charts,
    )?);
    Ok((files, text))
}

/// The printed answer of a sensitivity analysis: each measure with its 95%
/// CI, most influential parameter first, and warnings where Sobol estimates
/// leave [0, 1] (too small a base sample).
fn indices_summary(
    method: Method,
    analysis: &Analysis,
    m: &metrics::Metric,
    kinds: &[String],
    values: &[Vec<f64>],
    ci: &[Intervals],
) -> String {
    let sobol = matches!(method, Method::Sobol { .. });
    let rank = usize::from(sobol);
    let mut order: Vec<usize> = (0..analysis.ranges.len()).collect();
    order.sort_by(|a, b| values[rank][*b].total_cmp(&values[rank][*a]));
    let (factor, unit) = report::format::display_unit(m.unit, false);
    let factor = if sobol { 1.0 } else { factor };
    let all: Vec<f64> = values.iter().flatten().map(|v| v * factor).collect();
    let d = if sobol {
        2
    } else {
        report::format::decimals_for(&[], &all)
    };
    let f = |v: f64| report::format::group_thousands(v * factor, d, ",", "-");
    let mut out = format!(
        "{} of {} in year {}{}:\n",
        if sobol {
            "Sobol indices"
        } else {
            "Morris screening"
        },
        report::format::metric_label(m.name),
        analysis.year,
        if sobol {
            String::new()
        } else {
            format!(" ({unit} per full range)")
        }
    );
    let mut warnings = Vec::new();
    for &i in &order {
        let (key, lo, hi) = &analysis.ranges[i];
        let _ = write!(out, "  {key} ({lo} to {hi}):");
        for (k, kind) in kinds.iter().enumerate() {
            let v = values[k][i];
            let short = kind.split(" (").next().unwrap_or(kind);
            let _ = write!(out, "  {short} {}", f(v));
            let (a, b) = ci[k][i];
            if a.is_finite() && b.is_finite() {
                let _ = write!(out, " [{}, {}]", f(a), f(b));
            }
            if sobol && !(-0.005..=1.005).contains(&v) {
                warnings.push(format!("{key}: {short} index {} is outside [0, 1]", f(v)));
            }
        }
        out.push('\n');
    }
    if !warnings.is_empty() {
        let _ = writeln!(
            out,
            "warning: {}; the estimate is too noisy at this --n (and --reps): increase them before reading the indices",
            warnings.join("; ")
        );
    }
    out
}

/// The indices' chart: Sobol indices as bars, most influential (by total
/// effect) on top; Morris effects as the usual mu*-sigma plot.
fn bar_chart(
    method: Method,
    analysis: &Analysis,
    m: &metrics::Metric,
    kinds: &[String],
    values: &[Vec<f64>],
    ci: &[Intervals],
    charts: &ChartArgs,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    if charts.no_charts {
        return Ok(Vec::new());
    }
    let label = report::format::metric_label(m.name);
    let stem = |name: &str| format!("charts/sensitivity_{name}_{}_year{}", m.name, analysis.year);
    let opts = chart_options(charts);
    if !matches!(method, Method::Sobol { .. }) {
        let chart = morris_chart(analysis, m, &label, values, ci);
        return Ok(report::chart_files(&stem("morris"), &chart, &opts)?);
    }
    let mut order: Vec<usize> = (0..analysis.ranges.len()).collect();
    order.sort_by(|a, b| values[1][*b].total_cmp(&values[1][*a]));
    let parameters: Vec<String> = order
        .iter()
        .map(|&i| {
            let (key, lo, hi) = &analysis.ranges[i];
            format!("{key} ({lo} to {hi})")
        })
        .collect();
    let values: Vec<Vec<f64>> = values
        .iter()
        .map(|v| order.iter().map(|&i| v[i]).collect())
        .collect();
    let ci: Vec<Intervals> = ci
        .iter()
        .map(|v| order.iter().map(|&i| v[i]).collect())
        .collect();
    let title = format!("Sobol indices: {label} in year {}", analysis.year);
    let chart = report::bars_chart(&report::Bars {
        title: &title,
        note: "Share of the variance of the mean outcome due to each parameter alone (first order) and with its interactions (total). Bootstrap 95% CIs; estimates outside 0 to 1 mean too small a sample.",
        value_label: "share of variance",
        parameters: &parameters,
        kinds,
        values: &values,
        ci: &ci,
    });
    Ok(report::chart_files(&stem("sobol"), &chart, &opts)?)
}

/// Morris mu* (x, with its bootstrap 95% CI) against sigma (y), one labelled
/// point per parameter, with the sigma/mu* rays: points above the 1.0 ray act
/// mostly through non-linearity or interactions.
fn morris_chart(
    analysis: &Analysis,
    m: &metrics::Metric,
    label: &str,
    values: &[Vec<f64>],
    ci: &[Intervals],
) -> report::Chart {
    let points = analysis
        .ranges
        .iter()
        .enumerate()
        .map(|(i, (key, _, _))| report::Point {
            x: values[0][i],
            y: values[1][i],
            label: Some(key.clone()),
            x_ci: Some(ci[0][i]).filter(|(a, b)| a.is_finite() && b.is_finite()),
            y_ci: None,
        })
        .collect();
    report::Chart {
        title: format!("Morris screening: {label} in year {}", analysis.year),
        note: "Effect of moving each parameter across its whole range: mu* (mean absolute effect, bootstrap 95% CI) against sigma (spread of effects: non-linearity or interactions).".into(),
        x_label: "mu* (mean |elementary effect|)".into(),
        unit: m.unit.into(),
        difference: false,
        plot: report::Plot::Scatter {
            points,
            points_label: "parameter".into(),
            point_style: 1,
            line: None,
            band_label: None,
            x_in_unit: true,
            rays: true,
        },
    }
}
