//! Sensitivity analyses as studies: the points of a Morris or Sobol design over parameter ranges, and its indices of one metric at one year from the finished points.

use super::design::{Design, fmt_value};
use super::morris::{self, MorrisDesign, MorrisIndex};
use super::sensitivity::{self, SensitivityError};
use super::sobol::{self, SaltelliDesign, SobolIndex};
use super::{StudyError, StudyKind};
use crate::report::sweep::PointResults;
use crate::{metrics, rng};
use serde::{Deserialize, Serialize};

/// What the indices of a sensitivity study are computed from and with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Varied keys with their ranges, in the order given.
    pub ranges: Vec<(String, f64, f64)>,
    /// The metric (by name) whose mean over replications at `year` is the output.
    pub metric: String,
    pub year: u32,
    /// Bootstrap resamples behind the 95% intervals (0: none).
    pub bootstrap: u32,
}

/// A sensitivity method and the size of its design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Morris { trajectories: u32, levels: u32 },
    Sobol { n: u32 },
}

/// The unit-cube design of a sensitivity study, drawn from the design stream of `seed`.
enum UnitDesign {
    Morris(MorrisDesign),
    Sobol(SaltelliDesign),
}

impl UnitDesign {
    fn draw(method: Method, k: usize, seed: u64) -> Result<Self, SensitivityError> {
        let mut rng = rng::stream(seed, u32::MAX, 1, rng::DESIGN);
        Ok(match method {
            Method::Morris {
                trajectories,
                levels,
            } => UnitDesign::Morris(morris::morris_design(
                k,
                trajectories as usize,
                levels as usize,
                &mut rng,
            )?),
            Method::Sobol { n } => {
                UnitDesign::Sobol(sobol::saltelli_design(k, n as usize, &mut rng)?)
            }
        })
    }

    fn points(&self) -> &[Vec<f64>] {
        match self {
            UnitDesign::Morris(d) => d.points(),
            UnitDesign::Sobol(d) => d.points(),
        }
    }
}

/// The study of a sensitivity analysis: its design drawn from `seed`, each
/// point's values written as `integer` says a key holds (whole numbers or not).
pub fn study(
    method: Method,
    analysis: Analysis,
    seed: u64,
    integer: impl Fn(&str) -> bool,
) -> Result<StudyKind, StudyError> {
    let unit = UnitDesign::draw(method, analysis.ranges.len(), seed)
        .map_err(|e| StudyError::Invalid(format!("sensitivity design: {e}")))?;
    let bounds: Vec<(f64, f64)> = analysis
        .ranges
        .iter()
        .map(|(_, lo, hi)| (*lo, *hi))
        .collect();
    let points = unit
        .points()
        .iter()
        .map(|u| {
            let values =
                sensitivity::scale(u, &bounds).map_err(|e| StudyError::Invalid(e.to_string()))?;
            Ok(analysis
                .ranges
                .iter()
                .zip(values)
                .map(|((k, _, _), v)| fmt_value(v, integer(k)))
                .collect())
        })
        .collect::<Result<Vec<Vec<String>>, StudyError>>()?;
    let design = Design {
        keys: analysis.ranges.iter().map(|(k, _, _)| k.clone()).collect(),
        points,
    };
    Ok(match method {
        Method::Morris {
            trajectories,
            levels,
        } => StudyKind::Morris {
            design,
            trajectories,
            levels,
            analysis,
        },
        Method::Sobol { n } => StudyKind::Sobol {
            design,
            n,
            analysis,
        },
    })
}

/// The indices of each varied key, in the order of the ranges.
pub enum Indices {
    Morris(Vec<MorrisIndex>),
    Sobol(Vec<SobolIndex>),
}

/// The method and analysis of a sensitivity study; none for other studies.
pub fn of(study: &StudyKind) -> Option<(Method, &Analysis)> {
    match study {
        StudyKind::Morris {
            trajectories,
            levels,
            analysis,
            ..
        } => Some((
            Method::Morris {
                trajectories: *trajectories,
                levels: *levels,
            },
            analysis,
        )),
        StudyKind::Sobol { n, analysis, .. } => Some((Method::Sobol { n: *n }, analysis)),
        _ => None,
    }
}

/// The indices of a sensitivity study from its finished points (in point
/// order): the design is drawn again from `seed`, the bootstrap from its own stream.
pub fn indices(
    method: Method,
    analysis: &Analysis,
    seed: u64,
    points: &[PointResults],
) -> Result<Indices, StudyError> {
    let metric = metrics::index(&analysis.metric).ok_or_else(|| {
        StudyError::Invalid(format!("metric {}: no such metric", analysis.metric))
    })?;
    let month = analysis.year as usize * 12;
    let outputs = points
        .iter()
        .map(|p| {
            let row = p.months.iter().position(|m| *m == month).ok_or_else(|| {
                StudyError::Invalid(format!("year {} was not recorded", analysis.year))
            })?;
            Ok(crate::stats::summarize(&p.results.column(row, metric)).mean)
        })
        .collect::<Result<Vec<f64>, StudyError>>()?;
    let unit = UnitDesign::draw(method, analysis.ranges.len(), seed)
        .map_err(|e| StudyError::Invalid(e.to_string()))?;
    let mut boot = rng::stream(seed, u32::MAX, 2, rng::DESIGN);
    let estimate_err = |e: SensitivityError| {
        StudyError::Invalid(format!(
            "{} at year {}: {e}",
            analysis.metric, analysis.year
        ))
    };
    let b = analysis.bootstrap as usize;
    Ok(match unit {
        UnitDesign::Morris(d) => Indices::Morris(
            morris::morris_indices(&d, &outputs, b, &mut boot).map_err(estimate_err)?,
        ),
        UnitDesign::Sobol(d) => {
            Indices::Sobol(sobol::sobol_indices(&d, &outputs, b, &mut boot).map_err(estimate_err)?)
        }
    })
}
