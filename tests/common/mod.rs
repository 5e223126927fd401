//! Helpers shared by the integration tests: run scenarios, read metrics at a month, paired statistics.

#![allow(dead_code, unused_macros)]

/// Declares each check twice: in the default suite with the file's `REPS`
/// replications, and as an ignored long check with its `LONG_REPS`.
macro_rules! replicated_checks {
    ($($name:ident),* $(,)?) => {
        mod default_suite {
            $(#[test]
            fn $name() {
                super::$name(super::REPS);
            })*
        }
        mod long_checks {
            $(#[test]
            #[ignore = "long: 40 replications (up to 250 for small effects); run with --ignored"]
            fn $name() {
                super::$name(super::LONG_REPS);
            })*
        }
    };
}

use ovopsim::metrics;
use ovopsim::results::ScenarioResults;
use ovopsim::scenario;
use ovopsim::stats::{self, PairedDiff, Summary};
use std::path::{Path, PathBuf};

/// Path of a shipped scenario file.
pub fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"))
}

/// Runs a shipped scenario with overrides; seed 1 for every scenario, so comparisons are paired.
pub fn run(name: &str, sets: &[&str], reps: u32) -> ScenarioResults {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let config = scenario::load(&scenario_path(name), &sets).expect("scenario loads");
    ovopsim::study::replications(&config, name, 1, reps, &()).expect("no broken invariant")
}

fn metric(name: &str) -> usize {
    metrics::index(name).unwrap_or_else(|| panic!("no metric {name}"))
}

/// Values of a metric at a month, one per replication.
pub fn at(r: &ScenarioResults, name: &str, month: usize) -> Vec<f64> {
    r.column(month, metric(name))
}

/// Mean of a metric over months `from..=to`, one value per replication.
pub fn mean_over(r: &ScenarioResults, name: &str, from: usize, to: usize) -> Vec<f64> {
    let m = metric(name);
    r.runs
        .iter()
        .map(|run| (from..=to).map(|t| run.get(t, m)).sum::<f64>() / (to - from + 1) as f64)
        .collect()
}

/// Summary with a 95% CI.
pub fn summary(values: &[f64]) -> Summary {
    stats::summarize(values)
}

/// Paired difference b - a with a 95% CI.
pub fn diff(a: &[f64], b: &[f64]) -> PairedDiff {
    stats::paired_diff(a, b)
}

/// Element-wise ratio.
pub fn ratio(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x / y).collect()
}

/// Element-wise a - b.
pub fn minus(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// Prints a paired difference with its 95% CI (shown with `-- --nocapture`).
pub fn show(what: &str, d: &PairedDiff) {
    println!(
        "{what}: {:.4} [{:.4}, {:.4}]",
        d.mean, d.ci95_low, d.ci95_high
    );
}

/// Asserts a paired difference is negative: its 95% CI lies below zero
/// (printed like [`assert_positive`]).
pub fn assert_negative(what: &str, d: &PairedDiff) {
    show(what, d);
    assert!(
        d.ci95_high < 0.0,
        "{what}: expected < 0, got mean {:.4} CI [{:.4}, {:.4}]",
        d.mean,
        d.ci95_low,
        d.ci95_high
    );
}

/// Asserts a paired difference is positive: its 95% CI lies above zero.
/// Passing checks print their size too (shown with `-- --nocapture`), the
/// figures docs/ODD.md 10 quotes.
pub fn assert_positive(what: &str, d: &PairedDiff) {
    show(what, d);
    assert!(
        d.ci95_low > 0.0,
        "{what}: expected > 0, got mean {:.4} CI [{:.4}, {:.4}]",
        d.mean,
        d.ci95_low,
        d.ci95_high
    );
}
