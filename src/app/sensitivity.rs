//! `ovopsim sensitivity`: a Morris or Sobol design over parameter ranges, run as checkpointed sweep work, then the indices of one metric at one year.

use super::sweep::metric_index;
use super::work::{self, Finish, Plan};
use super::{AppError, check_out, load};
use crate::cli::{ChartArgs, Method, RunOpts};
use crate::metrics;
use crate::report::{self, sweep::PointResults};
use crate::rng;
use crate::sensitivity::{self as sa, MorrisDesign, SaltelliDesign};
use crate::sweep::{self, Design};
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// What the indices are computed from and with; recorded in `work.json`, so
/// shards and merges agree on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivitySpec {
    /// "morris" or "sobol".
    pub method: String,
    /// Varied keys with their ranges, in the order given.
    pub ranges: Vec<(String, f64, f64)>,
    pub metric: String,
    pub year: u32,
    pub trajectories: u32,
    pub levels: u32,
    pub n: u32,
    pub bootstrap: u32,
}

/// The unit-cube design of a spec, drawn from the design stream of `seed`.
enum UnitDesign {
    Morris(MorrisDesign),
    Sobol(SaltelliDesign),
}

impl UnitDesign {
    fn draw(spec: &SensitivitySpec, seed: u64) -> Result<Self, sa::SensitivityError> {
        let mut rng = rng::stream(seed, u32::MAX, 1, rng::DESIGN);
        let k = spec.ranges.len();
        Ok(if spec.method == "morris" {
            UnitDesign::Morris(sa::morris_design(
                k,
                spec.trajectories as usize,
                spec.levels as usize,
                &mut rng,
            )?)
        } else {
            UnitDesign::Sobol(sa::saltelli_design(k, spec.n as usize, &mut rng)?)
        })
    }

    fn points(&self) -> &[Vec<f64>] {
        match self {
            UnitDesign::Morris(d) => d.points(),
            UnitDesign::Sobol(d) => d.points(),
        }
    }
}

/// The command's arguments besides the common run options.
pub struct SensitivityArgs {
    pub method: Method,
    pub ranges: Vec<String>,
    pub metric: String,
    pub year: Option<u32>,
    pub trajectories: u32,
    pub levels: u32,
    pub n: u32,
    pub bootstrap: u32,
    pub shard: Option<String>,
}

pub fn sensitivity(
    path: &Path,
    args: SensitivityArgs,
    opts: &RunOpts,
    out: Option<PathBuf>,
    charts: &ChartArgs,
    argv: &[String],
) -> Result<(), AppError> {
    let base = load(path, opts)?;
    let metric = metric_index(&args.metric)?;
    let year = args.year.unwrap_or(base.scenario.years);
    if year > base.scenario.years {
        return Err(AppError::BadInput(format!(
            "--year {year}: beyond the {}-year horizon",
            base.scenario.years
        )));
    }
    let ranges = args
        .ranges
        .iter()
        .map(|r| sweep::parse_range(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| AppError::BadInput(e.to_string()))?;
    for (i, (k, _, _)) in ranges.iter().enumerate() {
        if ranges[..i].iter().any(|(o, _, _)| o == k) {
            return Err(AppError::BadInput(format!("--range {k}: given twice")));
        }
    }
    let spec = SensitivitySpec {
        method: match args.method {
            Method::Morris => "morris".into(),
            Method::Sobol => "sobol".into(),
        },
        ranges,
        metric: args.metric.clone(),
        year,
        trajectories: args.trajectories,
        levels: args.levels,
        n: args.n,
        bootstrap: args.bootstrap,
    };
    let unit = UnitDesign::draw(&spec, opts.seed)
        .map_err(|e| AppError::BadInput(format!("sensitivity design: {e}")))?;
    if let UnitDesign::Sobol(d) = &unit
        && d.sampler() == sa::Sampler::Random
        && !opts.quiet
    {
        eprintln!(
            "note: more than {} ranges, so the Sobol design uses random instead of quasi-random points",
            sa::SOBOL_MAX_FACTORS
        );
    }
    let integer = super::sweep::integer_key(&base);
    let bounds: Vec<(f64, f64)> = spec.ranges.iter().map(|(_, lo, hi)| (*lo, *hi)).collect();
    let points = unit
        .points()
        .iter()
        .map(|u| {
            let values = sa::scale(u, &bounds).map_err(|e| AppError::BadInput(e.to_string()))?;
            Ok(spec
                .ranges
                .iter()
                .zip(values)
                .map(|((k, _, _), v)| sweep::fmt_value(v, integer(k)))
                .collect())
        })
        .collect::<Result<Vec<Vec<String>>, AppError>>()?;
    let design = Design {
        keys: spec.ranges.iter().map(|(k, _, _)| k.clone()).collect(),
        points,
    };
    let configs = super::sweep::point_configs(path, opts, &design)?;
    let shard = work::shard(args.shard.as_deref())?;
    let out = out.unwrap_or_else(|| {
        Path::new("output").join(format!("{}-{}", base.scenario.name, spec.method))
    });
    check_out(&out)?;
    let sampling = spec.method.clone();
    let work_spec = super::sweep::sweep_spec(
        path,
        &base,
        opts,
        &design,
        &configs,
        12,
        &sampling,
        Some(spec),
    );
    let started = SystemTime::now();
    let clock = Instant::now();
    let label = format!("{} {sampling}", base.scenario.name);
    let plan = Plan {
        spec: work_spec,
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
        year: Some(year),
    };
    work::run_plan(&plan, &label, &finish)
}

/// 95% intervals of one measure, one per parameter.
type Intervals = Vec<(f64, f64)>;

/// `sensitivity.csv` and its chart, from the finished points of a sensitivity design.
pub fn result_files(
    spec: &SensitivitySpec,
    seed: u64,
    points: &[PointResults],
    charts: &ChartArgs,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let metric = metric_index(&spec.metric)?;
    let month = spec.year as usize * 12;
    let outputs = points
        .iter()
        .map(|p| {
            let row = p.months.iter().position(|m| *m == month).ok_or_else(|| {
                AppError::BadInput(format!("year {} was not recorded", spec.year))
            })?;
            Ok(crate::stats::summarize(&p.results.column(row, metric)).mean)
        })
        .collect::<Result<Vec<f64>, AppError>>()?;
    let unit = UnitDesign::draw(spec, seed).map_err(|e| AppError::BadInput(e.to_string()))?;
    let mut boot = rng::stream(seed, u32::MAX, 2, rng::DESIGN);
    let estimate_err = |e: sa::SensitivityError| {
        AppError::BadInput(format!("{} at year {}: {e}", spec.metric, spec.year))
    };
    let b = spec.bootstrap as usize;
    let m = &metrics::METRICS[metric];
    let mut csv = String::new();
    let (kinds, values, ci): (Vec<String>, Vec<Vec<f64>>, Vec<Intervals>);
    let push = |csv: &mut String, v: f64| {
        csv.push(',');
        report::csv::push_f64(csv, v);
    };
    match unit {
        UnitDesign::Morris(d) => {
            let idx = sa::morris_indices(&d, &outputs, b, &mut boot).map_err(estimate_err)?;
            csv.push_str("parameter,low,high,metric,year,mu,mu_star,mu_star_ci95_low,mu_star_ci95_high,sigma\n");
            for ((key, lo, hi), x) in spec.ranges.iter().zip(&idx) {
                let _ = write!(csv, "{key}");
                push(&mut csv, *lo);
                push(&mut csv, *hi);
                let _ = write!(csv, ",{},{}", m.name, spec.year);
                for v in [x.mu, x.mu_star, x.mu_star_ci95.0, x.mu_star_ci95.1, x.sigma] {
                    push(&mut csv, v);
                }
                csv.push('\n');
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
        UnitDesign::Sobol(d) => {
            let idx = sa::sobol_indices(&d, &outputs, b, &mut boot).map_err(estimate_err)?;
            csv.push_str("parameter,low,high,metric,year,first,first_ci95_low,first_ci95_high,total,total_ci95_low,total_ci95_high\n");
            for ((key, lo, hi), x) in spec.ranges.iter().zip(&idx) {
                let _ = write!(csv, "{key}");
                push(&mut csv, *lo);
                push(&mut csv, *hi);
                let _ = write!(csv, ",{},{}", m.name, spec.year);
                for v in [
                    x.first,
                    x.first_ci95.0,
                    x.first_ci95.1,
                    x.total,
                    x.total_ci95.0,
                    x.total_ci95.1,
                ] {
                    push(&mut csv, v);
                }
                csv.push('\n');
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
    files.extend(bar_chart(spec, m, &kinds, &values, &ci, charts)?);
    Ok(files)
}

/// The indices as bars, most influential parameter (by the second measure for Sobol, the first for Morris) on top.
fn bar_chart(
    spec: &SensitivitySpec,
    m: &metrics::Metric,
    kinds: &[String],
    values: &[Vec<f64>],
    ci: &[Intervals],
    charts: &ChartArgs,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    if charts.no_charts {
        return Ok(Vec::new());
    }
    // Most influential on top: by total effect (Sobol) or mu* (Morris).
    let rank = if spec.method == "sobol" { 1 } else { 0 };
    let mut order: Vec<usize> = (0..spec.ranges.len()).collect();
    order.sort_by(|a, b| values[rank][*b].total_cmp(&values[rank][*a]));
    let parameters: Vec<String> = order
        .iter()
        .map(|&i| {
            let (key, lo, hi) = &spec.ranges[i];
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
    let (title, note, value_label) = if spec.method == "sobol" {
        (
            format!("Sobol indices: {} in year {}", m.name, spec.year),
            "Share of the variance of the mean outcome due to each parameter alone (first order) and with its interactions (total). Bootstrap 95% CIs.".to_string(),
            "share of variance".to_string(),
        )
    } else {
        (
            format!("Morris screening: {} in year {}", m.name, spec.year),
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
    let stem = format!(
        "charts/sensitivity_{}_{}_year{}",
        spec.method, m.name, spec.year
    );
    Ok(report::chart_files(
        &stem,
        &chart,
        &super::chart_options(charts),
    )?)
}
