//! `ovopsim calibrate`: checks the targets and free ranges, runs the calibration study, and writes the fit, its table, chart and `calibrated.toml`.

use super::estimate;
use super::folder::{self, Access};
use super::progress::Progress;
use super::{AppError, base_sets, chart_options, check_out, manifest_file, print_out};
use crate::cli::{ChartArgs, RunOpts};
use crate::report::{self, csv::push_f64};
use crate::scenario::Resolved;
use crate::study::calibration::{self, Calibration, EVERY, Evaluation, Evaluator};
use crate::study::targets::{self, Side, Target};
use crate::study::work::{self, CHUNKS};
use crate::study::{Outcome, Plan, Shard, WorkSpec, design, point_configs};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// What `calibrate` was asked for, besides the common run options.
pub struct CalibrateArgs {
    pub targets: PathBuf,
    pub free: Vec<String>,
    /// Fit nothing: evaluate the scenario as it is.
    pub check: bool,
    pub points: Option<u32>,
    pub iterations: u32,
    pub shard: Option<String>,
}

/// The folder of the local stage's points.
const LOCAL: &str = "local";

/// Everything is checked before anything runs or is written.
pub fn calibrate(
    path: &Path,
    args: CalibrateArgs,
    opts: &RunOpts,
    out: Option<PathBuf>,
    charts: &ChartArgs,
    argv: &[String],
) -> Result<(), AppError> {
    let (started, clock) = (SystemTime::now(), Instant::now());
    let targets = targets::read(&args.targets).map_err(|e| AppError::BadInput(e.to_string()))?;
    let resolved = Resolved::read_with(path, &opts.overlays)?;
    let sets = base_sets(opts);
    let base = resolved.apply(&sets)?;
    let integer = design::integer_keys(&base.scenario);
    let mut free: Vec<(String, f64, f64)> = Vec::new();
    for arg in &args.free {
        let bad = |m: String| AppError::BadInput(format!("--free {arg}: {m}"));
        let (key, lo, hi) = design::parse_range(arg).map_err(|e| {
            AppError::BadInput(
                e.to_string()
                    .replace("--range", "--free")
                    .replace("KEY=VALUES", "KEY=LO:HI"),
            )
        })?;
        if lo >= hi {
            return Err(bad("empty range: lo must be below hi".into()));
        }
        if key.contains('[') {
            return Err(bad(
                "list entries cannot be freed (calibrated.toml could not set them alone); free a plain key".into(),
            ));
        }
        if free.iter().any(|(k, _, _)| *k == key) {
            return Err(bad("this key is freed twice".into()));
        }
        let whole = integer(&key) && lo.fract() == 0.0 && hi.fract() == 0.0;
        for v in [lo, hi] {
            let mut s = sets.clone();
            s.push(format!("{key}={}", design::fmt_value(v, whole)));
            resolved.apply(&s).map_err(|e| bad(e.to_string()))?;
        }
        free.push((key, lo, hi));
    }
    let months = base.months();
    for t in targets.list.iter().filter(|t| t.computed()) {
        if t.model_month as usize > months {
            return Err(AppError::BadInput(format!(
                "{}: target {}: model month {} is beyond the {}-year horizon of {}; use --years",
                targets.path.display(),
                t.name,
                t.model_month,
                base.scenario.years,
                path.display()
            )));
        }
    }
    if args.check {
        let calibration = Calibration {
            free,
            targets: targets.list,
            iterations: 0,
        };
        return check(
            path,
            &resolved,
            &sets,
            &calibration,
            &targets.path,
            opts,
            out,
            charts,
            argv,
            (started, clock),
        );
    }
    let whole: Vec<bool> = free
        .iter()
        .map(|(k, lo, hi)| integer(k) && lo.fract() == 0.0 && hi.fract() == 0.0)
        .collect();
    let points = args.points.unwrap_or(5 * (free.len() as u32 + 1));
    let calibration = Calibration {
        free,
        targets: targets.list,
        iterations: args.iterations,
    };
    let kind = calibration::study(calibration.clone(), points, opts.seed, &integer)?;
    let design = kind.design().expect("a calibration has a design").clone();
    let configs = point_configs(&resolved, &sets, &design)?;
    let shard = work::shard(args.shard.as_deref())?;
    let out = out
        .unwrap_or_else(|| Path::new("output").join(format!("{}-calibration", base.scenario.name)));
    check_out(&out)?;
    let spec = WorkSpec::new(
        kind,
        &path.display().to_string(),
        &base,
        &configs,
        opts.seed,
        opts.reps,
        EVERY,
    );
    let need = estimate::Work::checkpointed(
        &configs,
        spec.units(),
        opts.reps,
        EVERY,
        shard == Shard::WHOLE,
    );
    estimate::check(&need, &out, super::study::hint(&spec.study))?;
    let access = if shard == Shard::WHOLE {
        Access::Whole
    } else {
        Access::Shard
    };
    let claim = folder::claim(
        &out,
        spec.study.command(),
        &spec.fingerprint(),
        argv,
        opts.force,
        access,
    )?;
    let plan = Plan {
        spec,
        configs,
        folder: Some(out.clone()),
        shard,
    };
    let label = format!("{} calibration", base.scenario.name);
    let progress = Progress::new(&label, opts.quiet, Some(out.join(CHUNKS)));
    let chunks = work::execute(&plan, &progress);
    progress.finish();
    let chunks = chunks?;
    if shard != Shard::WHOLE {
        if !opts.quiet {
            eprintln!(
                "shard {}/{} done: {} of {} global points in {}; when every shard's chunks are in one folder, run the same command there without --shard to finish",
                shard.index,
                shard.count,
                chunks.len(),
                plan.spec.units(),
                out.join(CHUNKS).display()
            );
        }
        return Ok(());
    }
    let Outcome::Points(global) = work::outcome(&plan.spec, chunks) else {
        unreachable!("a calibration's units are points")
    };

    let k = calibration.free.len() as u64;
    let budget = u64::from(calibration.iterations) * 2 + 3 * k + 1;
    let local = Progress::new(
        &format!("{label}: local search"),
        opts.quiet,
        Some(out.join(LOCAL)),
    );
    crate::study::Progress::start(&local, 0, budget as usize, budget * u64::from(opts.reps));
    let result = {
        let ev = Evaluator::new(
            &resolved,
            &sets,
            &calibration,
            opts.seed,
            opts.reps,
            whole,
            Some(out.join(LOCAL)),
            &local,
        );
        ev.record_global(&design, &global);
        (|| {
            calibration::local_search(&ev, &ev.unit(&ev.best().values), calibration.iterations)?;
            let fit = ev.best();
            let se = calibration::standard_errors(&ev, &fit)?;
            Ok::<_, AppError>((fit, se, ev.log.into_inner()))
        })()
    };
    local.finish();
    let (fit, se, log) = result?;

    let fit_values = Evaluator::numbers(&fit.values);
    let ci: Vec<(f64, f64)> = fit_values
        .iter()
        .zip(&se)
        .map(|(v, s)| (v - 1.96 * s, v + 1.96 * s))
        .collect();
    let calibrated = calibrated_toml(
        path,
        &out,
        &calibration,
        &fit,
        &ci,
        &opts.sets,
        &base.scenario.name,
    )?;
    let mut files = vec![
        (
            "calibration.csv".to_string(),
            calibration_csv(&calibration.targets, &fit),
        ),
        (
            "fit.csv".to_string(),
            fit_csv(&calibration, &fit_values, &se, &ci),
        ),
        (
            "evaluations.csv".to_string(),
            evaluations_csv(&calibration, &log),
        ),
        ("calibrated.toml".to_string(), calibrated.into_bytes()),
    ];
    if !charts.no_charts {
        files.extend(chart(&calibration.targets, &fit, charts)?);
    }
    let evaluations = log.len();
    let design_json = serde_json::json!({
        "keys": design.keys,
        "points": design.points.len(),
        "sampling": plan.spec.study.sampling(),
        "every_months": EVERY,
        "random_numbers": "common: replication r of every point uses the same streams",
        "targets_file": targets.path.display().to_string(),
        "iterations": calibration.iterations,
        "evaluations": evaluations,
        "distance": fit.distance,
        "standard_errors": "SMM sandwich from central differences of the fitted two-sided targets at the fit (data sd and simulation noise)",
    });
    files.push(manifest_file(
        plan.spec.scenario.clone(),
        &plan.spec.scenario_file,
        opts.seed,
        opts.reps,
        (started, clock),
        argv,
        (plan.spec.study.command(), &plan.spec.fingerprint()),
        Some(design_json),
        &base.inputs,
    ));
    claim.write(files, Vec::new(), &[])?;
    if !opts.quiet {
        print_out(&summary(&calibration, &fit, &ci, evaluations));
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}

/// `calibrate --check`: the scenario as it is against the targets.
#[allow(clippy::too_many_arguments)]
fn check(
    path: &Path,
    resolved: &Resolved,
    sets: &[String],
    calibration: &Calibration,
    targets_path: &Path,
    opts: &RunOpts,
    out: Option<PathBuf>,
    charts: &ChartArgs,
    argv: &[String],
    (started, clock): (SystemTime, Instant),
) -> Result<(), AppError> {
    let base = resolved.apply(sets)?;
    let out =
        out.unwrap_or_else(|| Path::new("output").join(format!("{}-check", base.scenario.name)));
    check_out(&out)?;
    let fingerprint = format!(
        "{:016x} {}",
        work::point_key(&base, opts.seed, opts.reps, EVERY),
        targets_path.display()
    );
    let claim = folder::claim(
        &out,
        "calibrate-check",
        &fingerprint,
        argv,
        opts.force,
        Access::Whole,
    )?;
    let label = format!("{} against {}", base.scenario.name, targets_path.display());
    let progress = Progress::new(&label, opts.quiet, None);
    crate::study::Progress::start(&progress, 0, 1, u64::from(opts.reps));
    let evaluation = {
        let ev = Evaluator::new(
            resolved,
            sets,
            calibration,
            opts.seed,
            opts.reps,
            Vec::new(),
            None,
            &progress,
        );
        ev.evaluate(&[], calibration::Stage::Global)
    };
    progress.finish();
    let evaluation = evaluation?;
    let mut files = vec![(
        "calibration.csv".to_string(),
        calibration_csv(&calibration.targets, &evaluation),
    )];
    if !charts.no_charts {
        files.extend(chart(&calibration.targets, &evaluation, charts)?);
    }
    let design_json = serde_json::json!({
        "check": true,
        "every_months": EVERY,
        "targets_file": targets_path.display().to_string(),
        "distance": evaluation.distance,
    });
    files.push(manifest_file(
        serde_json::to_value(&base.scenario).expect("a scenario serializes"),
        &path.display().to_string(),
        opts.seed,
        opts.reps,
        (started, clock),
        argv,
        ("calibrate-check", &fingerprint),
        Some(design_json),
        &base.inputs,
    ));
    claim.write(files, Vec::new(), &[])?;
    if !opts.quiet {
        print_out(&summary(calibration, &evaluation, &[], 1));
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}

/// A number for people: four significant figures, no exponent for ordinary sizes.
fn short(v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    let a = v.abs();
    if a >= 1000.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.4}")
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Equal => "equal",
        Side::AtLeast => "at_least",
        Side::AtMost => "at_most",
    }
}

fn push_text(out: &mut String, s: &str) {
    report::csv::push_text(out, s);
}

/// `calibration.csv`: each target with the model's value at the fit.
fn calibration_csv(targets: &[Target], fit: &Evaluation) -> Vec<u8> {
    let mut out = String::from(
        "target,fitted,quantity,model_month,first_year,last_year,data_value,sd,tolerance,side,model_mean,model_ci95_low,model_ci95_high,z,weighted_distance,within_tolerance,population,source,note\n",
    );
    for (t, m) in targets.iter().zip(&fit.moments) {
        push_text(&mut out, &t.name);
        let _ = write!(out, ",{},", yes_no(t.fit));
        push_text(&mut out, &t.quantity());
        let _ = write!(out, ",{},{},{}", t.model_month, t.years.0, t.years.1);
        for v in [t.value, t.sd, t.tolerance] {
            out.push(',');
            push_f64(&mut out, v);
        }
        let _ = write!(out, ",{}", side_name(t.side));
        let (mean, lo, hi) = m.map_or((f64::NAN, f64::NAN, f64::NAN), |m| {
            (m.mean, m.ci95_low, m.ci95_high)
        });
        let z = t.z(mean);
        let weighted = if t.fit { z * z } else { f64::NAN };
        for v in [mean, lo, hi, z, weighted] {
            out.push(',');
            push_f64(&mut out, v);
        }
        out.push(',');
        out.push_str(if m.is_some() {
            yes_no(t.within(mean))
        } else {
            ""
        });
        for s in [&t.population, &t.source, &t.reason] {
            out.push(',');
            push_text(&mut out, s);
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// `fit.csv`: each free key's fitted value with its standard error and 95% interval.
fn fit_csv(c: &Calibration, values: &[f64], se: &[f64], ci: &[(f64, f64)]) -> Vec<u8> {
    let mut out = String::from("key,low,high,value,se,ci95_low,ci95_high\n");
    for (i, (key, lo, hi)) in c.free.iter().enumerate() {
        push_text(&mut out, key);
        for v in [*lo, *hi, values[i], se[i], ci[i].0, ci[i].1] {
            out.push(',');
            push_f64(&mut out, v);
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// `evaluations.csv`: every point run, in order, with its distance.
fn evaluations_csv(c: &Calibration, log: &[Evaluation]) -> Vec<u8> {
    let mut out = String::from("evaluation,stage");
    for (k, _, _) in &c.free {
        out.push(',');
        push_text(&mut out, k);
    }
    out.push_str(",distance\n");
    for (i, e) in log.iter().enumerate() {
        let _ = write!(out, "{i},{}", e.stage.name());
        for v in &e.values {
            let _ = write!(out, ",{v}");
        }
        out.push(',');
        push_f64(&mut out, e.distance);
        out.push('\n');
    }
    out.into_bytes()
}

/// A `--set` value as TOML: as given when it is a TOML value, else a string.
fn toml_value(v: &str) -> String {
    let v = v.trim();
    if toml::from_str::<toml::Table>(&format!("v = {v}")).is_ok() {
        v.to_string()
    } else {
        toml::Value::String(v.to_string()).to_string()
    }
}

/// `calibrated.toml`: extends the input with the fitted values (and the `--set` overrides); checked to load.
fn calibrated_toml(
    input: &Path,
    out: &Path,
    c: &Calibration,
    fit: &Evaluation,
    ci: &[(f64, f64)],
    sets: &[String],
    name: &str,
) -> Result<String, AppError> {
    let mut text = format!(
        "# Calibrated by `ovopsim calibrate` (distance {} over {} fitted targets).\n# Fitted values with 95% intervals from the SMM standard errors:\n",
        short(fit.distance),
        c.targets.iter().filter(|t| t.fit).count()
    );
    for ((key, _, _), (v, (lo, hi))) in c.free.iter().zip(fit.values.iter().zip(ci)) {
        let _ = writeln!(text, "#   {key} = {v} ({} to {})", short(*lo), short(*hi));
    }
    let parent = super::relative_path(out, input);
    let _ = writeln!(
        text,
        "extends = {}\nname = {}\n",
        toml::Value::String(parent),
        toml::Value::String(format!("{name}-calibrated"))
    );
    for ((key, _, _), v) in c.free.iter().zip(&fit.values) {
        let _ = writeln!(text, "{key} = {v}");
    }
    if !sets.is_empty() {
        text.push_str("\n# Set on the command line of the calibration:\n");
        for s in sets {
            let (key, value) = s.split_once('=').expect("checked: key=value");
            let _ = writeln!(text, "{} = {}", key.trim(), toml_value(value));
        }
    }
    let file = out.join("calibrated.toml");
    Resolved::parse(&text, &file, out)
        .and_then(|r| r.apply(&[]))
        .map_err(|e| AppError::BadInput(format!("calibrated.toml does not load: {e}")))?;
    Ok(text)
}

/// The chart of model against data, each target relative to its data value.
fn chart(
    targets: &[Target],
    fit: &Evaluation,
    charts: &ChartArgs,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let mut parameters = Vec::new();
    let mut values = vec![Vec::new(), Vec::new()];
    let mut ci = vec![Vec::new(), Vec::new()];
    for (t, m) in targets.iter().zip(&fit.moments) {
        let Some(m) = m else { continue };
        let d = t.value;
        let scaled = |v: f64| if d != 0.0 { v / d } else { f64::NAN };
        parameters.push(format!(
            "{}{}",
            t.name,
            if t.fit { "" } else { " (not fitted)" }
        ));
        values[0].push(scaled(d));
        ci[0].push((scaled(d - 1.96 * t.sd), scaled(d + 1.96 * t.sd)));
        values[1].push(scaled(m.mean));
        ci[1].push((scaled(m.ci95_low), scaled(m.ci95_high)));
    }
    let chart = report::bars_chart(&report::Bars {
        title: "Calibration: model against data",
        note: if fit.values.is_empty() {
            "Each target's data value (with +/-1.96 sd) and the model's value as the scenario stands (95% CI over replications), relative to the data value. Bounds (at least / at most) are shown as values."
        } else {
            "Each target's data value (with +/-1.96 sd) and the model's value at the fit (95% CI over replications), relative to the data value. Bounds (at least / at most) are shown as values."
        },
        value_label: "relative to the data value (data = 1)",
        parameters: &parameters,
        kinds: &["data".to_string(), "model".to_string()],
        values: &values,
        ci: &ci,
    });
    Ok(report::chart_files(
        "charts/calibration",
        &chart,
        &chart_options(charts),
    )?)
}

/// The table printed at the end: targets, then fitted values.
fn summary(c: &Calibration, fit: &Evaluation, ci: &[(f64, f64)], evaluations: usize) -> String {
    let width = c
        .targets
        .iter()
        .map(|t| t.name.len())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut s = format!(
        "{:width$}  {:>10}  {:>32}  {:>7}  {:>6}  within\n",
        "target", "data", "model (95% CI)", "z", "fitted"
    );
    for (t, m) in c.targets.iter().zip(&fit.moments) {
        let (model, z, within) = match m {
            Some(m) => (
                format!(
                    "{} ({} to {})",
                    short(m.mean),
                    short(m.ci95_low),
                    short(m.ci95_high)
                ),
                format!("{:.2}", t.z(m.mean)),
                yes_no(t.within(m.mean)),
            ),
            None => ("not computed".into(), "-".into(), "-"),
        };
        let _ = writeln!(
            s,
            "{:width$}  {:>10}  {model:>32}  {z:>7}  {:>6}  {within}",
            t.name,
            short(t.value),
            yes_no(t.fit)
        );
    }
    if c.free.is_empty() {
        let _ = writeln!(s, "\ndistance {} (nothing fitted)", short(fit.distance));
        return s;
    }
    let _ = writeln!(
        s,
        "\ndistance {} at the fit, after {evaluations} points; fitted values (95% CI):",
        short(fit.distance)
    );
    for (i, (key, lo, hi)) in c.free.iter().enumerate() {
        let _ = writeln!(
            s,
            "  {key} = {} ({} to {}), range {lo} to {hi}",
            fit.values[i],
            short(ci[i].0),
            short(ci[i].1)
        );
    }
    s
}
