//! `ovopsim sweep`: builds the design, loads and validates every point, then runs it as checkpointed work.

use super::work::{self, DesignSpec, Finish, Plan, WorkSpec};
use super::{AppError, base_sets, check_out, load};
use crate::checkpoint;
use crate::cli::{ChartArgs, RunOpts, Sampling};
use crate::metrics;
use crate::report;
use crate::report::sweep::PointResults;
use crate::scenario::{self, Config};
use crate::sweep::{self, Design};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// What `sweep` was asked for, besides the common run options.
pub struct SweepArgs {
    pub vary: Vec<String>,
    pub sample: Option<Sampling>,
    pub n: Option<u32>,
    pub ranges: Vec<String>,
    pub every: u32,
    pub metric: String,
    pub year: Option<u32>,
    pub shard: Option<String>,
}

/// Every point is loaded and validated before anything runs or is written.
pub fn sweep(
    path: &Path,
    args: SweepArgs,
    opts: &RunOpts,
    out: Option<PathBuf>,
    charts: &ChartArgs,
    argv: &[String],
) -> Result<(), AppError> {
    let base = load(path, opts)?;
    let metric = metric_index(&args.metric)?;
    let design = design(&base, &args, opts.seed)?;
    let configs = point_configs(path, opts, &design)?;
    if let Some(year) = args.year
        && configs.iter().all(|c| year > c.scenario.years)
    {
        return Err(AppError::BadInput(format!(
            "--year {year}: beyond the {}-year horizon",
            base.scenario.years
        )));
    }
    let shard = work::shard(args.shard.as_deref())?;
    let out =
        out.unwrap_or_else(|| Path::new("output").join(format!("{}-sweep", base.scenario.name)));
    check_out(&out)?;
    let sampling = if args.sample.is_some() {
        "latin hypercube"
    } else {
        "full grid"
    };
    let spec = sweep_spec(
        path, &base, opts, &design, &configs, args.every, sampling, None,
    );
    let started = SystemTime::now();
    let clock = Instant::now();
    let label = format!("{} sweep", base.scenario.name);
    let plan = Plan {
        spec,
        configs,
        out,
        shard,
    };
    let finish = Finish {
        charts,
        argv,
        started,
        clock,
        quiet: opts.quiet,
        metric,
        year: args.year,
    };
    work::run_plan(&plan, &label, &finish)
}

/// Every point of a design as a validated configuration; a bad point is named with its values.
pub fn point_configs(
    path: &Path,
    opts: &RunOpts,
    design: &Design,
) -> Result<Vec<Config>, AppError> {
    (0..design.points.len())
        .map(|p| {
            let mut sets = base_sets(opts);
            sets.extend(design.sets(p));
            scenario::load(path, &sets).map_err(|e| {
                AppError::BadInput(format!(
                    "design point {p} ({}): {e}",
                    design.sets(p).join(" ")
                ))
            })
        })
        .collect()
}

/// The work of a design: each point's fingerprint covers its configuration, the seed, the replications and the thinning.
#[allow(clippy::too_many_arguments)]
pub fn sweep_spec(
    path: &Path,
    base: &Config,
    opts: &RunOpts,
    design: &Design,
    configs: &[Config],
    every: u32,
    sampling: &str,
    sensitivity: Option<super::sensitivity::SensitivitySpec>,
) -> WorkSpec {
    let (seed, reps, every_text) = (
        opts.seed.to_string(),
        opts.reps.to_string(),
        every.to_string(),
    );
    let unit_keys = configs
        .iter()
        .map(|c| {
            let text = work::config_text(c);
            work::hex(checkpoint::fingerprint(&[
                "sweep",
                &text,
                &seed,
                &reps,
                &every_text,
            ]))
        })
        .collect();
    WorkSpec {
        tool: env!("CARGO_PKG_NAME").into(),
        version: env!("CARGO_PKG_VERSION").into(),
        kind: "sweep".into(),
        scenario_file: path.display().to_string(),
        scenario: serde_json::to_value(&base.scenario).expect("a scenario serializes"),
        seed: opts.seed,
        replications: opts.reps,
        every,
        design: Some(DesignSpec {
            keys: design.keys.clone(),
            points: design.points.clone(),
            sampling: sampling.to_string(),
        }),
        sensitivity,
        unit_keys,
    }
}

/// Whether a key holds whole numbers in this scenario, so designs write it without a decimal point.
pub fn integer_key(base: &Config) -> impl Fn(&str) -> bool {
    let values = toml::Value::try_from(&base.scenario).expect("a scenario serializes");
    move |key: &str| {
        key.split('.')
            .try_fold(&values, |v, part| v.get(part))
            .is_some_and(toml::Value::is_integer)
    }
}

/// The heatmap of `metric` at `year` (default: the last year) over a grid of two numeric keys; nothing for other designs.
pub fn heatmap_files(
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
    Ok(report::chart_files(
        &stem,
        &chart,
        &super::chart_options(charts),
    )?)
}

/// The design a sweep asked for: a grid of `--vary`, or a Latin hypercube of `--range`.
pub fn design(base: &Config, args: &SweepArgs, seed: u64) -> Result<Design, AppError> {
    let integer = integer_key(base);
    let bad = |e: sweep::DesignError| AppError::BadInput(e.to_string());
    match args.sample {
        Some(Sampling::Lhs) => {
            let ranges = args
                .ranges
                .iter()
                .map(|r| sweep::parse_range(r))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            let n = args.n.unwrap_or(0) as usize;
            sweep::latin_hypercube(&ranges, n, seed, &integer).map_err(bad)
        }
        None if args.vary.is_empty() => Err(AppError::BadInput(
            "sweep: give --vary KEY=VALUES (a grid) or --sample lhs --n K --range KEY=LO:HI".into(),
        )),
        None => {
            let varies = args
                .vary
                .iter()
                .map(|v| sweep::parse_vary(v, &integer))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            sweep::grid(varies).map_err(bad)
        }
    }
}

/// A metric by name, or an error naming the nearest one.
pub fn metric_index(name: &str) -> Result<usize, AppError> {
    metrics::index(name).ok_or_else(|| {
        let names: Vec<&str> = metrics::METRICS.iter().map(|m| m.name).collect();
        // Jaro-Winkler favours a shared start, which is how metric names are mistyped or abbreviated.
        let nearest = names
            .iter()
            .max_by(|a, b| strsim::jaro_winkler(name, a).total_cmp(&strsim::jaro_winkler(name, b)))
            .expect("metrics exist");
        AppError::BadInput(format!(
            "--metric {name}: no such metric; did you mean {nearest}? (metrics: {})",
            names.join(", ")
        ))
    })
}
