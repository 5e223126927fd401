//! Morris elementary-effects screening: a trajectory design in the unit cube and the mu, mu* and sigma measures of each factor.
//!
//! See [`super::sensitivity`] for how a design is drawn, run and estimated;
//! Morris (1991) and Campolongo et al. (2007) for the method.

use super::sensitivity::{SensitivityError, check_outputs, check_size, percentile_interval};
use crate::rng::Rng;
use rand::RngExt;

/// A Morris (1991) trajectory design in the unit cube.
///
/// Layout: trajectory `t` is rows `t*(k+1) ..= t*(k+1)+k` of [`points`](Self::points).
/// Its first row is a random grid point; row `s+1` equals row `s` except that
/// one factor, [`step(t, s)`](Self::step), moved by `+Δ` or `-Δ`. Each factor
/// moves exactly once per trajectory, in a random order. Coordinates lie on
/// the grid `{0, 1/(p-1), ..., 1}` of `p` levels and `Δ = p / (2(p-1))`.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisDesign {
    k: usize,
    levels: usize,
    points: Vec<Vec<f64>>,
    /// `moves[t*k + s]`: the factor moved at step `s` of trajectory `t`, and whether it went up.
    moves: Vec<(usize, bool)>,
}

impl MorrisDesign {
    /// Number of factors.
    pub fn k(&self) -> usize {
        self.k
    }
    /// Number of trajectories `r`.
    pub fn trajectories(&self) -> usize {
        self.points.len() / (self.k + 1)
    }
    /// Number of grid levels `p`.
    pub fn levels(&self) -> usize {
        self.levels
    }
    /// The step `Δ = p / (2(p-1))` in unit-cube coordinates.
    pub fn delta(&self) -> f64 {
        self.levels as f64 / (2.0 * (self.levels - 1) as f64)
    }
    /// All `r(k+1)` points, trajectory after trajectory.
    pub fn points(&self) -> &[Vec<f64>] {
        &self.points
    }
    /// The `k+1` points of trajectory `t`. Panics if `t >= trajectories()`.
    pub fn trajectory(&self, t: usize) -> &[Vec<f64>] {
        &self.points[t * (self.k + 1)..(t + 1) * (self.k + 1)]
    }
    /// The factor that moves between rows `s` and `s+1` of trajectory `t`,
    /// and the signed step (`+Δ` or `-Δ`). Panics if `t` or `s` is out of range.
    pub fn step(&self, t: usize, s: usize) -> (usize, f64) {
        assert!(s < self.k, "step {s} of a {}-factor trajectory", self.k);
        let (factor, up) = self.moves[t * self.k + s];
        (factor, if up { self.delta() } else { -self.delta() })
    }
}

/// Draws `trajectories` Morris trajectories over `k` factors on a `levels`-level grid.
///
/// Each trajectory starts from a base point whose coordinates are drawn from
/// `{0, ..., 1-Δ}` (so a move up stays in the cube), with a random direction
/// per factor and a random order of the factors: Morris's randomised
/// orientation matrix `B*`, built directly. The returned design has
/// `trajectories * (k+1)` points; see [`MorrisDesign`] for the layout.
///
/// `levels` must be even (with odd `p`, `Δ` is not a whole number of grid
/// steps); 4 to 8 is usual. `trajectories` must be at least 2 so that
/// `sigma` is defined; 10 to 50 is usual.
pub fn morris_design(
    k: usize,
    trajectories: usize,
    levels: usize,
    rng: &mut Rng,
) -> Result<MorrisDesign, SensitivityError> {
    if k == 0 {
        return Err(SensitivityError::NoFactors);
    }
    if trajectories < 2 {
        return Err(SensitivityError::TooFew {
            what: "Morris trajectories",
            min: 2,
            got: trajectories,
        });
    }
    if levels < 2 || !levels.is_multiple_of(2) {
        return Err(SensitivityError::BadLevels(levels));
    }
    check_size(trajectories.saturating_mul(k + 1))?;
    // Δ in grid steps; levels are handled as integers so every coordinate is
    // exactly `level / (p-1)` and never drifts off the grid by rounding.
    let half = levels / 2;
    let top = (levels - 1) as f64;
    let to_point = |lvl: &[usize]| lvl.iter().map(|&l| l as f64 / top).collect::<Vec<f64>>();
    let mut points = Vec::with_capacity(trajectories * (k + 1));
    let mut moves = Vec::with_capacity(trajectories * k);
    for _ in 0..trajectories {
        let mut lvl: Vec<usize> = (0..k).map(|_| rng.random_range(0..half)).collect();
        let up: Vec<bool> = (0..k).map(|_| rng.random::<bool>()).collect();
        // A factor that moves down starts Δ above its base.
        for (l, &u) in lvl.iter_mut().zip(&up) {
            if !u {
                *l += half;
            }
        }
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            let j = rng.random_range(0..=i);
            order.swap(i, j);
        }
        points.push(to_point(&lvl));
        for &i in &order {
            if up[i] {
                lvl[i] += half;
            } else {
                lvl[i] -= half;
            }
            points.push(to_point(&lvl));
            moves.push((i, up[i]));
        }
    }
    Ok(MorrisDesign {
        k,
        levels,
        points,
        moves,
    })
}

/// Morris screening measures of one factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndex {
    /// Mean elementary effect `mu = (1/r) Σ_t EE_t`; effects of opposite sign cancel.
    pub mu: f64,
    /// Mean absolute elementary effect `mu* = (1/r) Σ_t |EE_t|` (Campolongo et al. 2007), the ranking measure.
    pub mu_star: f64,
    /// Sample standard deviation of the elementary effects (denominator `r-1`):
    /// large when the effect depends on where it is measured (non-linearity or interactions).
    pub sigma: f64,
    /// Percentile bootstrap 95% interval of `mu*` from resampling trajectories;
    /// `(NaN, NaN)` when `bootstrap` is 0.
    pub mu_star_ci95: (f64, f64),
}

/// Morris measures of each factor from the outputs at the design's points
/// (`outputs[p]` is the model output at `design.points()[p]`).
///
/// The elementary effect of factor `i` in trajectory `t` is
/// `EE = (y(x + Δ e_i) - y(x)) / Δ` with the step's sign, in output units per
/// unit-cube coordinate, so effects of factors with different ranges are
/// comparable as "output change across the whole range".
///
/// `bootstrap` resamples of the trajectories (with replacement, drawn from
/// `rng`) give the interval of `mu*`; 1000 is plenty, 0 skips it.
///
/// Errors when the number of outputs differs from the number of points or an
/// output is not finite. Constant outputs are valid and give all-zero measures.
pub fn morris_indices(
    design: &MorrisDesign,
    outputs: &[f64],
    bootstrap: usize,
    rng: &mut Rng,
) -> Result<Vec<MorrisIndex>, SensitivityError> {
    check_outputs(outputs, design.points.len())?;
    let k = design.k;
    let r = design.trajectories();
    // effects[i][t]: factor-major so each factor's statistics read one slice.
    let mut effects = vec![vec![0.0; r]; k];
    for (m, &(i, up)) in design.moves.iter().enumerate() {
        let (t, s) = (m / k, m % k);
        let row = t * (k + 1) + s;
        let signed_delta = if up { design.delta() } else { -design.delta() };
        effects[i][t] = (outputs[row + 1] - outputs[row]) / signed_delta;
    }
    let mut boot = vec![Vec::with_capacity(bootstrap); k];
    let mut picks = vec![0; r];
    for _ in 0..bootstrap {
        for p in picks.iter_mut() {
            *p = rng.random_range(0..r);
        }
        for (ee, b) in effects.iter().zip(boot.iter_mut()) {
            b.push(picks.iter().map(|&t| ee[t].abs()).sum::<f64>() / r as f64);
        }
    }
    Ok(effects
        .iter()
        .zip(boot.iter_mut())
        .map(|(ee, b)| {
            let mu = ee.iter().sum::<f64>() / r as f64;
            let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / r as f64;
            let ss = ee.iter().map(|e| (e - mu) * (e - mu)).sum::<f64>();
            MorrisIndex {
                mu,
                mu_star,
                sigma: (ss / (r - 1) as f64).sqrt(),
                mu_star_ci95: percentile_interval(b),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn rng(seed: u64) -> Rng {
        Rng::seed_from_u64(seed)
    }

    fn morris_test_function(x: &[f64]) -> f64 {
        10.0 * x[0] + x[1] + 0.0 * x[2] + x[3] * x[4]
    }

    #[test]
    fn morris_design_moves_one_factor_by_delta() {
        let d = morris_design(5, 6, 4, &mut rng(7)).unwrap();
        assert_eq!(d.points().len(), 6 * 6);
        assert_eq!(d.delta(), 2.0 / 3.0);
        let grid = [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0];
        for t in 0..d.trajectories() {
            let traj = d.trajectory(t);
            let mut moved = [false; 5];
            for s in 0..5 {
                let (i, step) = d.step(t, s);
                assert!(!moved[i], "factor {i} moved twice");
                moved[i] = true;
                for (c, (after, before)) in traj[s + 1].iter().zip(&traj[s]).enumerate() {
                    let diff = after - before;
                    if c == i {
                        assert!((diff - step).abs() < 1e-12);
                    } else {
                        assert_eq!(diff, 0.0);
                    }
                }
            }
            assert!(traj.iter().flatten().all(|u| grid.contains(u)));
        }
    }

    #[test]
    fn morris_ranks_and_detects_interactions() {
        let mut r = rng(8);
        let d = morris_design(5, 20, 4, &mut r).unwrap();
        let y: Vec<f64> = d.points().iter().map(|p| morris_test_function(p)).collect();
        let m = morris_indices(&d, &y, 500, &mut r).unwrap();
        for (i, x) in m.iter().enumerate() {
            eprintln!(
                "morris x{}: mu {:.4} mu* {:.4} [{:.4}, {:.4}] sigma {:.4}",
                i + 1,
                x.mu,
                x.mu_star,
                x.mu_star_ci95.0,
                x.mu_star_ci95.1,
                x.sigma
            );
        }
        assert!((m[0].mu_star - 10.0).abs() < 1e-9 && (m[0].mu - 10.0).abs() < 1e-9);
        assert!((m[1].mu_star - 1.0).abs() < 1e-9);
        assert_eq!(m[2].mu_star, 0.0);
        assert_eq!(m[2].sigma, 0.0);
        assert!(m[0].mu_star > m[1].mu_star && m[1].mu_star > m[3].mu_star.max(m[4].mu_star));
        assert!(m[3].mu_star > 0.0 && m[4].mu_star > 0.0);
        assert!(m[0].sigma < 1e-9 && m[1].sigma < 1e-9);
        assert!(m[3].sigma > 0.1 && m[4].sigma > 0.1);
        for x in &m {
            assert!(x.mu_star_ci95.0 <= x.mu_star + 1e-12 && x.mu_star <= x.mu_star_ci95.1 + 1e-12);
        }
    }

    #[test]
    fn morris_is_deterministic() {
        let run = |seed| {
            let mut r = rng(seed);
            let d = morris_design(5, 10, 6, &mut r).unwrap();
            let y: Vec<f64> = d.points().iter().map(|p| morris_test_function(p)).collect();
            (d.clone(), morris_indices(&d, &y, 100, &mut r).unwrap())
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1).0, run(2).0);
    }

    #[test]
    fn morris_edge_cases() {
        let mut r = rng(9);
        assert_eq!(
            morris_design(0, 10, 4, &mut r),
            Err(SensitivityError::NoFactors)
        );
        assert_eq!(
            morris_design(3, 10, 5, &mut r),
            Err(SensitivityError::BadLevels(5))
        );
        assert_eq!(
            morris_design(3, 10, 0, &mut r),
            Err(SensitivityError::BadLevels(0))
        );
        assert!(matches!(
            morris_design(3, 1, 4, &mut r),
            Err(SensitivityError::TooFew { .. })
        ));
        // Two levels: Δ = 1, every move spans the whole range.
        let d = morris_design(2, 3, 2, &mut r).unwrap();
        assert_eq!(d.delta(), 1.0);
        assert!(matches!(
            morris_indices(&d, &[0.0; 8], 10, &mut r),
            Err(SensitivityError::OutputLength {
                expected: 9,
                got: 8
            })
        ));
        assert!(matches!(
            morris_indices(&d, &[f64::INFINITY; 9], 10, &mut r),
            Err(SensitivityError::NonFinite { index: 0, .. })
        ));
        // Constant output: nothing matters, which is an answer, not an error.
        let m = morris_indices(&d, &[3.0; 9], 0, &mut r).unwrap();
        assert!(
            m.iter()
                .all(|x| x.mu == 0.0 && x.mu_star == 0.0 && x.sigma == 0.0)
        );
        assert!(m[0].mu_star_ci95.0.is_nan());
    }
}
