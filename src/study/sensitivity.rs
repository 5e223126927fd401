//! Global sensitivity analysis maths: sampling designs in the unit hypercube and the estimators that turn model outputs at those points into Morris and Sobol indices.
//!
//! Nothing here knows about scenarios or the model. A caller draws a design,
//! maps each unit-cube point to parameter values with [`scale`], runs the model
//! once per point *in the design's row order*, and passes the outputs back to
//! [`morris_indices`](super::morris::morris_indices) or
//! [`sobol_indices`](super::sobol::sobol_indices).
//!
//! Everything is single-threaded and every sum runs in row order, and all
//! randomness comes from the generator passed in, so the same seed gives
//! bit-identical designs and indices.
//!
//! References:
//! - M. D. Morris (1991), "Factorial sampling plans for preliminary
//!   computational experiments", Technometrics 33:161–174.
//! - F. Campolongo, J. Cariboni, A. Saltelli (2007), "An effective screening
//!   design for sensitivity analysis of large models", Environmental Modelling
//!   & Software 22:1509–1518 (the mu* measure).
//! - A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto, S. Tarantola
//!   (2010), "Variance based sensitivity analysis of model output. Design and
//!   estimator for the total sensitivity index", Computer Physics
//!   Communications 181:259–270.
//! - S. Joe, F. Y. Kuo (2008), "Constructing Sobol sequences with better
//!   two-dimensional projections", SIAM J. Sci. Comput. 30:2635–2654
//!   (direction numbers, file new-joe-kuo-6.21201).

/// Most design points a design may have; more is almost surely a typo, and
/// each point is a model run.
pub const MAX_POINTS: usize = 10_000_000;

/// Why a design cannot be drawn or indices cannot be estimated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SensitivityError {
    #[error("there are no factors: give at least one range")]
    NoFactors,
    #[error("{what} must be at least {min}, got {got}")]
    TooFew {
        what: &'static str,
        min: usize,
        got: usize,
    },
    #[error("{what} must be at most {max}, got {got}")]
    TooMany {
        what: &'static str,
        max: usize,
        got: usize,
    },
    #[error("Morris levels must be even and at least 2, got {0}")]
    BadLevels(usize),
    #[error("expected {expected} outputs, one per design point, got {got}")]
    OutputLength { expected: usize, got: usize },
    #[error("output {index} is not finite ({value}); every design point needs a finite output")]
    NonFinite { index: usize, value: f64 },
    #[error("the outputs at the A and B points are all equal, so variance shares are undefined")]
    ZeroVariance,
    #[error("the point has {point} coordinates but {ranges} ranges were given")]
    DimensionMismatch { point: usize, ranges: usize },
    #[error("coordinate {index} is {value}, outside the unit interval")]
    NotUnit { index: usize, value: f64 },
    #[error("range {index} ({lo}, {hi}) is not a finite interval with lo <= hi")]
    BadRange { index: usize, lo: f64, hi: f64 },
}

/// Maps a unit-cube point to parameter values: coordinate `i` goes linearly
/// from `ranges[i].0` (at 0) to `ranges[i].1` (at 1).
///
/// Errors when the lengths differ, a range is not finite or reversed, or a
/// coordinate is outside `[0, 1]`.
pub fn scale(point: &[f64], ranges: &[(f64, f64)]) -> Result<Vec<f64>, SensitivityError> {
    if point.len() != ranges.len() {
        return Err(SensitivityError::DimensionMismatch {
            point: point.len(),
            ranges: ranges.len(),
        });
    }
    let mut out = Vec::with_capacity(point.len());
    for (index, (&u, &(lo, hi))) in point.iter().zip(ranges).enumerate() {
        if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
            return Err(SensitivityError::BadRange { index, lo, hi });
        }
        if !(0.0..=1.0).contains(&u) {
            return Err(SensitivityError::NotUnit { index, value: u });
        }
        out.push(lo + u * (hi - lo));
    }
    Ok(out)
}

pub(super) fn check_outputs(outputs: &[f64], expected: usize) -> Result<(), SensitivityError> {
    if outputs.len() != expected {
        return Err(SensitivityError::OutputLength {
            expected,
            got: outputs.len(),
        });
    }
    if let Some((index, &value)) = outputs.iter().enumerate().find(|(_, y)| !y.is_finite()) {
        return Err(SensitivityError::NonFinite { index, value });
    }
    Ok(())
}

pub(super) fn check_size(points: usize) -> Result<(), SensitivityError> {
    if points > MAX_POINTS {
        return Err(SensitivityError::TooMany {
            what: "design points",
            max: MAX_POINTS,
            got: points,
        });
    }
    Ok(())
}

/// Linear-interpolation quantile (R type 7) of the finite values; NaN when
/// there are none. Non-finite bootstrap replicates (a resample whose outputs
/// happen to be constant) are dropped rather than poisoning the interval.
pub(super) fn percentile_interval(values: &mut Vec<f64>) -> (f64, f64) {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    values.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (values.len() - 1) as f64 * p;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(values.len() - 1);
        values[lo] + (h - lo as f64) * (values[hi] - values[lo])
    };
    (q(0.025), q(0.975))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_maps_and_checks() {
        assert_eq!(
            scale(&[0.0, 0.5, 1.0], &[(1.0, 3.0), (-1.0, 1.0), (5.0, 5.0)]).unwrap(),
            [1.0, 0.0, 5.0]
        );
        assert!(matches!(
            scale(&[0.5], &[]),
            Err(SensitivityError::DimensionMismatch { .. })
        ));
        assert!(matches!(
            scale(&[0.5], &[(2.0, 1.0)]),
            Err(SensitivityError::BadRange { .. })
        ));
        assert!(matches!(
            scale(&[0.5], &[(0.0, f64::INFINITY)]),
            Err(SensitivityError::BadRange { .. })
        ));
        assert!(matches!(
            scale(&[1.5], &[(0.0, 1.0)]),
            Err(SensitivityError::NotUnit { .. })
        ));
        assert!(matches!(
            scale(&[f64::NAN], &[(0.0, 1.0)]),
            Err(SensitivityError::NotUnit { .. })
        ));
    }
}
