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
