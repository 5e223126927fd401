//! Studies: replications, grids, Latin hypercubes, Morris and Sobol designs, run as units of work that are checkpointed, sharded and merged.
//!
//! A study is a [`StudyKind`] (what is varied and why) over one resolved
//! scenario. Its points are key/value overrides applied to that scenario in
//! memory ([`crate::scenario::Resolved`]), each validated like a `--set`.
//! [`work`] runs the units (a replication of a run, or a point of a design)
//! in parallel, saving each as it finishes when given a folder, and turns
//! finished units back into results; a plain `run` is the same study kept in
//! memory. Progress is reported to a [`Progress`] the caller passes in.
//!
//! Nothing here parses the command line, draws charts or prints: callers map
//! their arguments to a [`StudyKind`], and write what they get back.
//!
//! To add a kind of study: a variant of [`StudyKind`] (serialized in
//! `work.json`), the points it runs, and what its results add (in `app/`).

pub mod analysis;
mod batch;
pub mod calibration;
pub mod channels;
pub mod checkpoint;
pub mod decompose;
pub mod design;
pub mod morris;
pub mod sensitivity;
pub mod sobol;
pub mod targets;
pub mod work;

pub use analysis::Analysis;
pub use design::Design;
pub use work::{Outcome, Plan, Shard, WorkSpec};

use crate::report::WriteError;
use crate::scenario::{Config, Resolved};
use serde::{Deserialize, Serialize};

/// Scenarios can be compared only with distinct names and one horizon;
/// `labels[i]` names where `configs[i]` came from in the message.
pub fn check_comparable(configs: &[Config], labels: &[String]) -> Result<(), String> {
    for (i, c) in configs.iter().enumerate() {
        if configs[..i]
            .iter()
            .any(|o| o.scenario.name == c.scenario.name)
        {
            return Err(format!(
                "{}: scenario name {:?} is used twice; names must differ to be compared",
                labels[i], c.scenario.name
            ));
        }
        if c.months() != configs[0].months() {
            return Err(format!(
                "{}: horizon of {} years differs from the first scenario's {}; use --years",
                labels[i], c.scenario.years, configs[0].scenario.years
            ));
        }
    }
    Ok(())
}

/// What a study varies, and what it computes from its points.
///
/// Recorded in `work.json`, so every shard and merge of a study agrees on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StudyKind {
    /// Replications of one scenario; each replication is a unit of work.
    Replications,
    /// Every combination of the listed values of some keys; each point is a unit.
    Grid { design: Design },
    /// A Latin hypercube over ranges of some keys.
    LatinHypercube { design: Design },
    /// Morris screening: trajectories over ranges, and the indices computed from them.
    Morris {
        design: Design,
        trajectories: u32,
        levels: u32,
        analysis: Analysis,
    },
    /// Sobol indices from a Saltelli design of base size `n`.
    Sobol {
        design: Design,
        n: u32,
        analysis: Analysis,
    },
    /// Simulated method of moments: a Latin hypercube over the free ranges
    /// (the units of work), then a local search from its best point.
    Calibration {
        design: Design,
        calibration: calibration::Calibration,
    },
}

impl StudyKind {
    /// The points of a design; none for replications.
    pub fn design(&self) -> Option<&Design> {
        match self {
            StudyKind::Replications => None,
            StudyKind::Grid { design }
            | StudyKind::LatinHypercube { design }
            | StudyKind::Morris { design, .. }
            | StudyKind::Sobol { design, .. }
            | StudyKind::Calibration { design, .. } => Some(design),
        }
    }

    /// How the points were chosen, as the manifest names it; none for replications.
    pub fn sampling(&self) -> Option<&'static str> {
        match self {
            StudyKind::Replications => None,
            StudyKind::Grid { .. } => Some("full grid"),
            StudyKind::LatinHypercube { .. } => Some("latin hypercube"),
            StudyKind::Morris { .. } => Some("morris"),
            StudyKind::Sobol { .. } => Some("sobol"),
            StudyKind::Calibration { .. } => Some("latin hypercube, then Nelder-Mead"),
        }
    }

    /// What one unit of work is, in the plural: "points" or "replications".
    /// The command whose results folder holds this study.
    pub fn command(&self) -> &'static str {
        match self {
            StudyKind::Replications => "run",
            StudyKind::Grid { .. } | StudyKind::LatinHypercube { .. } => "sweep",
            StudyKind::Morris { .. } | StudyKind::Sobol { .. } => "sensitivity",
            StudyKind::Calibration { .. } => "calibrate",
        }
    }

    pub fn units_name(&self) -> &'static str {
        match self {
            StudyKind::Replications => "replications",
            _ => "points",
        }
    }
}

/// Why a study cannot run or be assembled.
#[derive(Debug, thiserror::Error)]
pub enum StudyError {
    /// The user's input: a design, a point, a shard, or folders to merge.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A month's metrics broke an invariant (see `engine::run`).
    #[error(transparent)]
    Violation(#[from] crate::engine::Violation),
}

/// Told how a study is going. Called from any thread.
pub trait Progress: Sync {
    /// Before any unit runs: `found` units were finished before (resumed),
    /// `todo` units with `replications` replications in all are to run.
    fn start(&self, found: usize, todo: usize, replications: u64);
    /// One replication finished.
    fn replication_done(&self);
    /// The series of a replication of a study of replications, just after
    /// it finished, for callers that show results while the rest still run.
    /// Not called for design points, nor for replications skipped by
    /// [`Progress::cancelled`].
    fn replication_output(&self, _run: &crate::results::RunOutput) {}
    /// Whether the caller wants the study stopped (e.g. Ctrl-C in Python).
    /// Checked before each replication starts; once it says yes, the
    /// replications not yet started are skipped and left empty, so the
    /// results are incomplete and must be discarded, never saved or merged.
    fn cancelled(&self) -> bool {
        false
    }
}

/// No progress to show.
impl Progress for () {
    fn start(&self, _: usize, _: usize, _: u64) {}
    fn replication_done(&self) {}
}

/// Every point of a design as a validated configuration: `base_sets` then the
/// point's values, applied to the scenario in memory; a bad point is named
/// with its values.
pub fn point_configs(
    scenario: &Resolved,
    base_sets: &[String],
    design: &Design,
) -> Result<Vec<Config>, StudyError> {
    (0..design.points.len())
        .map(|p| {
            let mut sets = base_sets.to_vec();
            sets.extend(design.sets(p));
            scenario.apply(&sets).map_err(|e| {
                StudyError::Invalid(format!(
                    "design point {p} ({}): {e}",
                    design.sets(p).join(" ")
                ))
            })
        })
        .collect()
}

/// Runs replications of one scenario in memory: a whole study of replications that saves nothing.
pub fn replications(
    config: &Config,
    scenario_file: &str,
    seed: u64,
    reps: u32,
    progress: &dyn Progress,
) -> Result<crate::results::ScenarioResults, crate::engine::Violation> {
    let spec = WorkSpec::new(
        StudyKind::Replications,
        scenario_file,
        config,
        std::slice::from_ref(config),
        seed,
        reps,
        1,
    );
    let plan = Plan {
        spec,
        configs: vec![config.clone()],
        folder: None,
        shard: Shard::WHOLE,
    };
    let chunks = match work::execute(&plan, progress) {
        Ok(chunks) => chunks,
        Err(StudyError::Violation(v)) => return Err(v),
        Err(e) => unreachable!("nothing is written without a folder: {e}"),
    };
    match work::outcome(&plan.spec, chunks) {
        Outcome::Replications(results) => Ok(results),
        Outcome::Points(_) => unreachable!("a study of replications has no points"),
    }
}
