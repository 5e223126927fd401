//! Runs a study for a command and writes its results folder: the tables and charts of its outcome, the manifest, and what is printed.

use super::estimate;
use super::folder::{self, Access, Claim};
use super::progress::Progress;
use super::{
    AppError, chart_files, chart_options, check_out, finish, manifest_file, scenario_files,
};
use crate::cli::ChartArgs;
use crate::metrics;
use crate::report::{self, sweep::PointResults};
use crate::scenario::Config;
use crate::study::analysis::{self, Analysis, Indices, Method};
use crate::study::checkpoint::Chunk;
use crate::study::work::{self, CHUNKS};
use crate::study::{Design, Outcome, Plan, Shard, StudyError, StudyKind, WorkSpec};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// Options for writing final results.
pub struct Finish<'a> {
    pub charts: &'a ChartArgs,
    pub argv: &'a [String],
    /// Replace a folder of another command's results or other work.
    pub force: bool,
    pub started: SystemTime,
    pub clock: Instant,
    pub quiet: bool,
    /// Heatmap metric and year of a grid.
    pub metric: usize,
    pub year: Option<u32>,
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
            files.extend(design_outputs(spec, &points, f)?);
        }
        Outcome::Replications(results) => {
            files = scenario_files(&results);
            files.extend(chart_files(std::slice::from_ref(&results), f.charts)?);
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
    ));
    claim.write(&files, &[])?;
    match summary {
        Some(results) => finish(out, std::slice::from_ref(&results), f.quiet),
        None if !f.quiet => eprintln!("wrote {}", out.display()),
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
    let mut files = design_outputs(&spec, &points, f)?;
    files.retain(|(n, _)| n.starts_with("charts/"));
    Ok(files)
}

/// What a design adds to the sweep tables: the heatmap of a grid, the indices of a sensitivity analysis.
fn design_outputs(
    spec: &WorkSpec,
    points: &[PointResults],
    f: &Finish,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    if let StudyKind::Grid { design } = &spec.study {
        return heatmap_files(design, points, f.metric, f.year, f.charts);
    }
    match analysis::of(&spec.study) {
        Some((method, analysis)) => {
            sensitivity_files(method, analysis, spec.seed, points, f.charts)
        }
        None => Ok(Vec::new()),
    }
}

/// The heatmap of `metric` at `year` (default: the last year) over a grid of two numeric keys; nothing for other grids.
fn heatmap_files(
    design: &Design,
    points: &[PointResults],
    metric: usize,
    year: Option<u32>,
    charts: &ChartArgs,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    if charts.no_charts || design.keys.len() != 2 {
        return Ok(Vec::new());
    }
    let numeric = |v: &str| v.trim().parse::<f64>().ok().filter(|x| x.is_finite());
    let axis = |k: usize| -> Option<Vec<f64>> {
        let mut values: Vec<f64> = Vec::new();
        for p in &design.points {
            let v = numeric(&p[k])?;
            if !values.contains(&v) {
                values.push(v);
            }
        }
        values.sort_by(f64::total_cmp);
        Some(values)
    };
    let (Some(xs), Some(ys)) = (axis(0), axis(1)) else {
        return Ok(Vec::new());
    };
    let last = points
        .iter()
        .filter_map(|p| p.months.last())
        .max()
        .map_or(0, |m| (*m / 12) as u32);
    let year = year.unwrap_or(last);
    let month = year as usize * 12;
    let mut means = vec![vec![f64::NAN; xs.len()]; ys.len()];
    for (p, pr) in design.points.iter().zip(points) {
        let (Some(x), Some(y)) = (numeric(&p[0]), numeric(&p[1])) else {
            continue;
        };
        let ix = xs.iter().position(|v| *v == x).expect("x on its axis");
        let iy = ys.iter().position(|v| *v == y).expect("y on its axis");
        if let Some(row) = pr.months.iter().position(|m| *m == month) {
            means[iy][ix] = crate::stats::summarize(&pr.results.column(row, metric)).mean;
        }
    }
    let m = &metrics::METRICS[metric];
    let title = format!("{} in year {year}", m.description);
    let chart = report::heatmap_chart(&report::Heatmap {
        x_name: &design.keys[0],
        x_values: &xs,
        y_name: &design.keys[1],
        y_values: &ys,
        means: &means,
        metric: m.name,
        unit: m.unit,
        year,
        title: &title,
    });
    let stem = format!("charts/heatmap_{}_year{year}", m.name);
    Ok(report::chart_files(&stem, &chart, &chart_options(charts))?)
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
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
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
    let mut files = vec![("sensitivity.csv".to_string(), csv.into_bytes())];
    files.extend(bar_chart(
        method, analysis, m, &kinds, &values, &ci, charts,
    )?);
    Ok(files)
}

/// The indices as bars, most influential parameter (by total effect for Sobol, mu* for Morris) on top.
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
    let sobol = matches!(method, Method::Sobol { .. });
    let rank = if sobol { 1 } else { 0 };
    let mut order: Vec<usize> = (0..analysis.ranges.len()).collect();
    order.sort_by(|a, b| values[rank][*b].total_cmp(&values[rank][*a]));
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
    let (name, title, note, value_label) = if sobol {
        (
            "sobol",
            format!("Sobol indices: {} in year {}", m.name, analysis.year),
            "Share of the variance of the mean outcome due to each parameter alone (first order) and with its interactions (total). Bootstrap 95% CIs.".to_string(),
            "share of variance".to_string(),
        )
    } else {
        (
            "morris",
            format!("Morris screening: {} in year {}", m.name, analysis.year),
            "Elementary effects of moving each parameter across its whole range: mu* (mean absolute effect, bootstrap 95% CI) and sigma (their spread).".to_string(),
            m.unit.to_string(),
        )
    };
    let chart = report::bars_chart(&report::Bars {
        title: &title,
        note: &note,
        value_label: &value_label,
        parameters: &parameters,
        kinds,
        values: &values,
        ci: &ci,
    });
    let stem = format!("charts/sensitivity_{name}_{}_year{}", m.name, analysis.year);
    Ok(report::chart_files(&stem, &chart, &chart_options(charts))?)
}
