//! `ovopsim decompose`: checks the scenario, baseline, channels and metrics, runs every arm of the decomposition, then writes its tables, waterfall charts and manifest.

use super::progress::Progress;
use super::{
    AppError, RUN_HINT, base_sets, chart_options, check_out, estimate, folder, manifest_file,
    metric_index, print_out, scenario_json, table_years_within,
};
use crate::cli::{Attribution, ChartArgs, RunOpts};
use crate::report::{self, decomposition as dreport};
use crate::scenario::Resolved;
use crate::study::decompose::{self, ArmValues, Grid, Method};
use crate::study::{channels, checkpoint, work};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// Metrics decomposed unless `--metrics` says otherwise.
const DEFAULT_METRICS: &[&str] = &["income_per_capita", "jobs_agroindustry", "poverty_rate"];

/// Random orders of a sampled Shapley decomposition unless `--permutations` says otherwise.
const DEFAULT_PERMUTATIONS: u32 = 10;

/// What `decompose` was asked for, besides the common run options.
pub struct DecomposeArgs {
    pub against: PathBuf,
    pub method: Attribution,
    pub permutations: Option<u32>,
    pub channels: Option<Vec<String>>,
    pub metrics: Option<Vec<String>>,
    pub table_years: Option<Vec<u32>>,
}

/// Every input, channel and arm is checked before anything runs or is written.
pub fn decompose(
    path: &Path,
    args: DecomposeArgs,
    opts: &RunOpts,
    out: Option<PathBuf>,
    charts: &ChartArgs,
    argv: &[String],
) -> Result<(), AppError> {
    let sets = base_sets(opts);
    let resolved = Resolved::read_with(path, &opts.overlays)?;
    let resolved_base = Resolved::read_with(&args.against, &opts.overlays)?;
    let config = resolved.apply(&sets)?;
    let base = resolved_base.apply(&sets)?;
    if base.months() != config.months() {
        return Err(AppError::BadInput(format!(
            "--against {}: horizon of {} years differs from {}'s {}; use --years (it applies to both)",
            args.against.display(),
            base.scenario.years,
            path.display(),
            config.scenario.years
        )));
    }
    let metrics = metric_list(args.metrics.as_deref())?;
    let horizon = config.scenario.years;
    let table_years = table_years_within(args.table_years, horizon)?;
    if args.permutations.is_some() && args.method == Attribution::Sequential {
        return Err(AppError::BadInput(
            "--permutations applies to --method shapley".into(),
        ));
    }
    let chosen = channels::select(args.channels.as_deref()).map_err(AppError::BadInput)?;
    let (kept, notes) =
        decompose::applicable(chosen, (&resolved, &config), (&resolved_base, &base), &sets)?;
    if kept.is_empty() {
        return Err(AppError::BadInput(format!(
            "no channel left to decompose: {}",
            notes.join("; ")
        )));
    }
    let shapley = match args.method {
        Attribution::Sequential => None,
        Attribution::Shapley => Some(args.permutations.unwrap_or(DEFAULT_PERMUTATIONS)),
    };
    let plan = decompose::plan(kept, shapley, opts.seed);
    let arms = decompose::arm_configs(&plan, &resolved, &resolved_base, &sets)?;

    let out = out
        .unwrap_or_else(|| Path::new("output").join(format!("{}-decompose", config.scenario.name)));
    check_out(&out)?;
    // Arms run one after another and keep only the decomposed values, so
    // the largest need is one scenario's replications at a time.
    let need = estimate::Work::in_memory(&[&config], opts.reps);
    estimate::check(&need, &out, RUN_HINT)?;
    let runs: Vec<String> = arms
        .iter()
        .flat_map(|(s, b)| [s, b])
        .map(|c| work::run_fingerprint(c, opts.seed, opts.reps))
        .collect();
    let method = plan.method.name();
    let metric_names: Vec<&str> = metrics
        .iter()
        .map(|m| crate::metrics::METRICS[*m].name)
        .collect();
    let mut parts = vec!["decompose", method.as_str()];
    parts.extend(metric_names.iter().copied());
    parts.extend(runs.iter().map(String::as_str));
    let fingerprint = format!("{:016x}", checkpoint::fingerprint(&parts));
    let claim = folder::claim(
        &out,
        "decompose",
        &fingerprint,
        argv,
        opts.force,
        folder::Access::Whole,
    )?;
    let started = SystemTime::now();
    let clock = Instant::now();
    if !opts.quiet {
        eprintln!(
            "{}: {} arms, each {} replications of {} and of {}",
            method,
            plan.arms.len(),
            opts.reps,
            config.scenario.name,
            base.scenario.name
        );
    }

    let grid = Grid {
        metrics: metrics.clone(),
        years: horizon,
        reps: opts.reps as usize,
    };
    let mut values = BTreeMap::new();
    for (i, (&mask, (s, b))) in plan.arms.iter().zip(&arms).enumerate() {
        let run = |c: &crate::scenario::Config, file: &Path| -> Result<Vec<f64>, AppError> {
            let name = format!(
                "arm {}/{} ({}) {}",
                i + 1,
                plan.arms.len(),
                plan.label(mask),
                c.scenario.name
            );
            let progress = Progress::new(&name, opts.quiet, None);
            let results = crate::study::replications(
                c,
                &file.display().to_string(),
                opts.seed,
                opts.reps,
                &progress,
            );
            progress.finish();
            Ok(grid.extract(&results?))
        };
        let arm = ArmValues {
            scenario: run(s, path)?,
            baseline: run(b, &args.against)?,
        };
        values.insert(mask, arm);
    }
    let blocks = decompose::analyse(&plan, &grid, &values);

    let d = dreport::Decomposition {
        scenario: &config.scenario.name,
        baseline: &base.scenario.name,
        method: &method,
        ordered: plan.method == Method::Sequential,
        channels: &plan.channels,
        metrics: &metrics,
        blocks: &blocks,
        start_year: config.scenario.start_year,
        reps: opts.reps as usize,
        notes: &notes,
    };
    let mut files = vec![
        (
            "decomposition.csv".to_string(),
            dreport::decomposition_csv(&d),
        ),
        (
            "decomposition.md".to_string(),
            dreport::decomposition_markdown(&d, &table_years).into_bytes(),
        ),
        (
            "decomposition.tex".to_string(),
            dreport::decomposition_latex(&d, &table_years).into_bytes(),
        ),
    ];
    if !charts.no_charts {
        let chart_opts = chart_options(charts);
        for (m, name) in metric_names.iter().enumerate() {
            files.extend(report::chart_files(
                &format!("charts/waterfall_{name}"),
                &dreport::waterfall_chart(&d, m, horizon),
                &chart_opts,
            )?);
        }
    }
    let design = serde_json::json!({
        "method": method,
        "metrics": metric_names,
        "channels": plan.channels.iter().map(|c| serde_json::json!({
            "id": c.id,
            "mechanism": c.mechanism,
            "description": c.description,
            "off": channels::off_sets(c),
        })).collect::<Vec<_>>(),
        "orders": match &plan.method {
            Method::ShapleySampled { orders } => orders
                .iter()
                .map(|o| o.iter().map(|&i| plan.channels[i].id).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        },
        "arms": plan.arms.iter().map(|&mask| serde_json::json!({
            "off": plan.off(mask).map(|c| c.id).collect::<Vec<_>>(),
            "sets": plan.sets(mask),
        })).collect::<Vec<_>>(),
        "notes": notes,
    });
    let mut inputs = config.inputs.clone();
    for p in &base.inputs {
        if !inputs.contains(p) {
            inputs.push(p.clone());
        }
    }
    files.push(manifest_file(
        serde_json::Value::Array(vec![scenario_json(&config), scenario_json(&base)]),
        &format!("{} against {}", path.display(), args.against.display()),
        opts.seed,
        opts.reps,
        (started, clock),
        argv,
        ("decompose", &fingerprint),
        Some(design),
        &inputs,
    ));
    claim.write(files, Vec::new(), &[])?;
    if !opts.quiet {
        print_out(&dreport::decomposition_summary(&d));
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}

/// `--metrics` as metric indices, each once, or the defaults.
fn metric_list(names: Option<&[String]>) -> Result<Vec<usize>, AppError> {
    let Some(names) = names else {
        return Ok(DEFAULT_METRICS
            .iter()
            .map(|n| crate::metrics::index(n).expect("default metrics are declared"))
            .collect());
    };
    let mut out = Vec::new();
    for name in names {
        let m = metric_index(name).map_err(|e| match e {
            AppError::BadInput(msg) => {
                AppError::BadInput(msg.replacen("--metric ", "--metrics ", 1))
            }
            e => e,
        })?;
        if out.contains(&m) {
            return Err(AppError::BadInput(format!("--metrics {name}: given twice")));
        }
        out.push(m);
    }
    Ok(out)
}
