//! `ovopsim sweep`: maps the command line to a grid or Latin hypercube study, validates every point, then runs it.

use super::study::{self, Finish};
use super::{AppError, base_sets, check_out, metric_index};
use crate::cli::{ChartArgs, RunOpts, Sampling};
use crate::scenario::{Resolved, Scenario};
use crate::study::design::{self, Design, DesignError};
use crate::study::{StudyKind, WorkSpec, point_configs, work};
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

/// Every point is applied and validated before anything runs or is written.
pub fn sweep(
    path: &Path,
    args: SweepArgs,
    opts: &RunOpts,
    out: Option<PathBuf>,
    charts: &ChartArgs,
    argv: &[String],
) -> Result<(), AppError> {
    let resolved = Resolved::read_with(path, &opts.overlays)?;
    let sets = base_sets(opts);
    let base = resolved.apply(&sets)?;
    let metric = metric_index(&args.metric)?;
    let kind = study_kind(&base.scenario, &args, opts.seed)?;
    let design = kind.design().expect("a sweep has a design");
    let configs = point_configs(&resolved, &sets, design)?;
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
    let spec = WorkSpec::new(
        kind,
        &path.display().to_string(),
        &base,
        &configs,
        opts.seed,
        opts.reps,
        args.every,
    );
    let finish = Finish {
        charts,
        argv,
        force: opts.force,
        started: SystemTime::now(),
        clock: Instant::now(),
        quiet: opts.quiet,
        metric,
        year: args.year,
        inputs: &base.inputs,
    };
    let label = format!("{} sweep", base.scenario.name);
    study::run(spec, configs, out, shard, &label, &finish)
}

/// The study a sweep asked for: a grid of `--vary`, or a Latin hypercube of `--range`.
fn study_kind(base: &Scenario, args: &SweepArgs, seed: u64) -> Result<StudyKind, AppError> {
    let integer = design::integer_keys(base);
    let bad = |e: DesignError| AppError::BadInput(e.to_string());
    match args.sample {
        Some(Sampling::Lhs) => {
            let ranges = args
                .ranges
                .iter()
                .map(|r| design::parse_range(r))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            let n = args.n.unwrap_or(0) as usize;
            let design: Design =
                design::latin_hypercube(&ranges, n, seed, &integer).map_err(bad)?;
            Ok(StudyKind::LatinHypercube { design })
        }
        None if args.vary.is_empty() => Err(AppError::BadInput(
            "sweep: give --vary KEY=VALUES (a grid) or --sample lhs --n K --range KEY=LO:HI".into(),
        )),
        None => {
            let varies = args
                .vary
                .iter()
                .map(|v| design::parse_vary(v, &integer))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            Ok(StudyKind::Grid {
                design: design::grid(varies).map_err(bad)?,
            })
        }
    }
}
