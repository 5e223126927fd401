//! Replications in parallel: one task per replication, results collected in replication order.

use crate::engine::{self, RunSpec};
use crate::results::ScenarioResults;
use crate::scenario::Config;
use rayon::prelude::*;

/// Runs `reps` replications of a scenario; `on_done` is called as each finishes (from any thread).
///
/// Replication `r` always uses streams of (seed, point, r), so a comparison
/// of scenarios at the same seed and point is paired replication by replication.
pub fn run_replications(
    config: &Config,
    seed: u64,
    point: u32,
    reps: u32,
    on_done: &(dyn Fn() + Sync),
) -> ScenarioResults {
    let runs = (0..reps)
        .into_par_iter()
        .map(|replication| {
            let out = engine::run(
                config,
                RunSpec {
                    seed,
                    point,
                    replication,
                },
            );
            on_done();
            out
        })
        .collect();
    ScenarioResults {
        name: config.scenario.name.clone(),
        start_year: config.scenario.start_year,
        runs,
    }
}

/// Runs every point of a sweep (`reps` replications each, all in parallel)
/// and reduces each point with `keep` as soon as it is done, so memory holds
/// reduced points only. Results come back in point order.
pub fn run_points<T: Send>(
    configs: &[Config],
    seed: u64,
    reps: u32,
    on_done: &(dyn Fn() + Sync),
    keep: &(dyn Fn(ScenarioResults) -> T + Sync),
) -> Vec<T> {
    configs
        .par_iter()
        .map(|config| keep(run_replications(config, seed, 0, reps, on_done)))
        .collect()
}
