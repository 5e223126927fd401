//! `ovopsim sensitivity`: maps the command line to a Morris or Sobol study over parameter ranges, validates every point, then runs it.

use super::study::{self, Finish};
use super::{AppError, base_sets, check_out, metric_index};
use crate::cli::{ChartArgs, Method, RunOpts};
use crate::metrics;
use crate::scenario::Resolved;
use crate::study::analysis::{self, Analysis};
use crate::study::{WorkSpec, design, point_configs, sobol, work};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

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
    let resolved = Resolved::read_with(path, &opts.overlays)?;
    let sets = base_sets(opts);
    let base = resolved.apply(&sets)?;
    let metric = metric_index(&args.metric)?;
    if metric == metrics::M::Population as usize {
        // Households are drawn when the villages are generated and never
        // move, so the analysis would end, after all the work, in "the
        // outputs are all equal" (or, ranging the district, measure an input).
        return Err(AppError::BadInput(format!(
            "--metric {}: set when the villages are generated and constant through a run, so not an outcome; choose an outcome metric (docs/ODD.md lists them)",
            args.metric
        )));
    }
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
        .map(|r| design::parse_range(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| AppError::BadInput(e.to_string()))?;
    for (i, (k, _, _)) in ranges.iter().enumerate() {
        if ranges[..i].iter().any(|(o, _, _)| o == k) {
            return Err(AppError::BadInput(format!("--range {k}: given twice")));
        }
    }
    let (method, name) = match args.method {
        Method::Morris => (
            analysis::Method::Morris {
                trajectories: args.trajectories,
                levels: args.levels,
            },
            "morris",
        ),
        Method::Sobol => (analysis::Method::Sobol { n: args.n }, "sobol"),
    };
    let k = ranges.len();
    let spec = Analysis {
        ranges,
        metric: args.metric.clone(),
        year,
        bootstrap: args.bootstrap,
    };
    let integer = design::integer_keys(&base.scenario);
    let kind = analysis::study(method, spec, opts.seed, integer)?;
    if args.method == Method::Sobol && k > sobol::SOBOL_MAX_FACTORS && !opts.quiet {
        eprintln!(
            "note: more than {} ranges, so the Sobol design uses random instead of quasi-random points",
            sobol::SOBOL_MAX_FACTORS
        );
    }
    let design = kind.design().expect("a sensitivity study has a design");
    let configs = point_configs(&resolved, &sets, design)?;
    let shard = work::shard(args.shard.as_deref())?;
    let out =
        out.unwrap_or_else(|| Path::new("output").join(format!("{}-{name}", base.scenario.name)));
    check_out(&out)?;
    let work_spec = WorkSpec::new(
        kind,
        &path.display().to_string(),
        &base,
        &configs,
        opts.seed,
        opts.reps,
        12,
    );
    let finish = Finish {
        charts,
        argv,
        force: opts.force,
        started: SystemTime::now(),
        clock: Instant::now(),
        quiet: opts.quiet,
        metric,
        year: Some(year),
        inputs: &base.inputs,
    };
    let label = format!("{} {name}", base.scenario.name);
    study::run(work_spec, configs, out, shard, &label, &finish)
}
