//! Replications in parallel: one task per replication, results collected in replication order.

use super::Progress;
use crate::engine::{self, RunSpec, Violation};
use crate::results::RunOutput;
use crate::scenario::Config;
use rayon::prelude::*;

/// Runs `reps` replications of a scenario at sweep point 0, telling `progress` as each finishes.
///
/// Replication `r` always uses streams of (seed, 0, r), so a comparison of
/// scenarios or points at the same seed is paired replication by replication.
pub(super) fn run_replications(
    config: &Config,
    seed: u64,
    reps: u32,
    progress: &dyn Progress,
) -> Result<Vec<RunOutput>, Violation> {
    (0..reps)
        .into_par_iter()
        .map(|replication| run_one(config, seed, replication, progress))
        .collect()
}

/// Runs replication `replication` of a scenario at sweep point 0.
pub(super) fn run_one(
    config: &Config,
    seed: u64,
    replication: u32,
    progress: &dyn Progress,
) -> Result<RunOutput, Violation> {
    if progress.cancelled() {
        return Ok(RunOutput::with_months(replication, 0));
    }
    let out = engine::run(
        config,
        RunSpec {
            seed,
            point: 0,
            replication,
        },
    )?;
    progress.replication_done();
    Ok(out)
}
