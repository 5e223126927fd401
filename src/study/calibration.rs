//! Calibration by the simulated method of moments: a Latin hypercube over the free keys, a Nelder-Mead search from its best point, and standard errors of the fit.
//!
//! Every point runs the same replications with the same random streams
//! (common random numbers), so the distance between points reflects the
//! parameters, not the draws. The distance is the sum over fitted targets of
//! ((model - data) / sd)², the model value being the mean over replications
//! (a one-sided target adds nothing on its right side).
//!
//! The global stage is an ordinary study: its points are units of work,
//! checkpointed in `chunks/` and sharded like a sweep's. The local stage
//! (argmin's Nelder-Mead, in the unit cube of the ranges) and the finite
//! differences behind the standard errors are sequential; each point they run
//! is saved in `local/` under the fingerprint of its inputs. The search is a
//! deterministic function of the distances, and those are bit-identical from
//! a saved point, so a rerun after a kill revisits the same points, finds
//! them saved, and ends with the same fit.
//!
//! Standard errors are the SMM sandwich (G'WG)⁻¹ G'WΩWG (G'WG)⁻¹ with G the
//! central-difference Jacobian of the fitted two-sided targets at the fit,
//! W = diag(1/sd²) and Ω = diag(sd² + s²/R): the data's uncertainty plus the
//! simulation noise of a mean over R replications (s the sd across them).

use super::batch;
use super::checkpoint::{self, Chunk};
use super::design::{self, Design, fmt_value};
use super::targets::{Side, Target};
use super::work::{self, point_key};
use super::{Progress, StudyError, StudyKind};
use crate::metrics;
use crate::report::sweep::PointResults;
use crate::results::ScenarioResults;
use crate::scenario::Resolved;
use crate::stats::{Summary, summarize};
use argmin::core::{CostFunction, Executor};
use argmin::solver::neldermead::NelderMead;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::path::PathBuf;

/// Months between recorded rows: every month, so a target may read any month.
pub const EVERY: u32 = 1;

/// Step of the finite differences, as a share of each range.
const STEP: f64 = 0.05;

/// First step of the local search from its start, as a share of each range.
const SIMPLEX: f64 = 0.1;

/// Distance given to a point whose model value cannot be computed (e.g. 0/0).
const UNDEFINED: f64 = 1e12;

/// What a calibration fits: free keys with their ranges, the targets, and the search's size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Free keys with their ranges, in the order given.
    pub free: Vec<(String, f64, f64)>,
    /// Every target of the file, fitted or not.
    pub targets: Vec<Target>,
    /// Most Nelder-Mead iterations.
    pub iterations: u32,
}

/// The study of a calibration: a Latin hypercube of `points` points over the free ranges, drawn from `seed`.
pub fn study(
    calibration: Calibration,
    points: u32,
    seed: u64,
    integer: impl Fn(&str) -> bool,
) -> Result<StudyKind, StudyError> {
    let design = design::latin_hypercube(&calibration.free, points as usize, seed, integer)
        .map_err(|e| StudyError::Invalid(e.to_string()))?;
    Ok(StudyKind::Calibration {
        design,
        calibration,
    })
}

/// The model value of every target at a point (none for a target without a metric).
pub fn moments(targets: &[Target], point: &PointResults) -> Vec<Option<Summary>> {
    targets
        .iter()
        .map(|t| {
            let metric = metrics::index(t.metric.as_deref()?).expect("targets are checked");
            let row = point
                .months
                .iter()
                .position(|m| *m == t.model_month as usize)
                .expect("the target's month is recorded");
            let mut values = point.results.column(row, metric);
            if let Some(per) = &t.per {
                let per = metrics::index(per).expect("targets are checked");
                for (v, d) in values.iter_mut().zip(point.results.column(row, per)) {
                    *v /= d;
                }
            }
            Some(summarize(&values))
        })
        .collect()
}

/// The weighted distance of model values from the fitted targets.
pub fn distance(targets: &[Target], moments: &[Option<Summary>]) -> f64 {
    let mut sum = 0.0;
    for (t, m) in targets.iter().zip(moments) {
        if let (true, Some(m)) = (t.fit, m) {
            let z = t.z(m.mean);
            sum += if z.is_finite() { z * z } else { UNDEFINED };
        }
    }
    sum
}

/// Which part of the calibration ran a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Global,
    Local,
    Jacobian,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Global => "global",
            Stage::Local => "local",
            Stage::Jacobian => "jacobian",
        }
    }
}

/// One evaluated point.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub stage: Stage,
    /// The free keys' values as set (TOML text).
    pub values: Vec<String>,
    pub moments: Vec<Option<Summary>>,
    pub distance: f64,
}

/// Runs the points of the local stage, each once: from `local/` when saved there, else by simulation.
pub struct Evaluator<'a> {
    pub resolved: &'a Resolved,
    /// Overrides applied before the free keys (`--years`, `--set`).
    pub base_sets: &'a [String],
    pub calibration: &'a Calibration,
    pub seed: u64,
    pub reps: u32,
    /// Whether each free key is written as a whole number.
    pub whole: Vec<bool>,
    /// Where points are saved; none keeps them in memory.
    pub folder: Option<PathBuf>,
    pub progress: &'a dyn Progress,
    /// Every point evaluated, in the order first asked for.
    pub log: RefCell<Vec<Evaluation>>,
    /// The first error met inside the optimiser, which only carries text.
    failure: RefCell<Option<StudyError>>,
}

impl<'a> Evaluator<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        resolved: &'a Resolved,
        base_sets: &'a [String],
        calibration: &'a Calibration,
        seed: u64,
        reps: u32,
        whole: Vec<bool>,
        folder: Option<PathBuf>,
        progress: &'a dyn Progress,
    ) -> Self {
        Self {
            resolved,
            base_sets,
            calibration,
            seed,
            reps,
            whole,
            folder,
            progress,
            log: RefCell::new(Vec::new()),
            failure: RefCell::new(None),
        }
    }

    /// The values of a unit-cube point (clamped into the cube) as set.
    fn texts(&self, u: &[f64]) -> Vec<String> {
        self.calibration
            .free
            .iter()
            .zip(u)
            .zip(&self.whole)
            .map(|(((_, lo, hi), u), whole)| fmt_value(lo + (hi - lo) * u.clamp(0.0, 1.0), *whole))
            .collect()
    }

    /// The values as numbers, in the unit of each key.
    pub fn numbers(values: &[String]) -> Vec<f64> {
        values
            .iter()
            .map(|v| v.parse().expect("formatted numbers parse"))
            .collect()
    }

    /// A unit-cube point of values.
    pub fn unit(&self, values: &[String]) -> Vec<f64> {
        Self::numbers(values)
            .iter()
            .zip(&self.calibration.free)
            .map(|(v, (_, lo, hi))| (v - lo) / (hi - lo))
            .collect()
    }

    /// Records the finished points of the global stage, in point order.
    pub fn record_global(&self, design: &Design, points: &[PointResults]) {
        let mut log = self.log.borrow_mut();
        for (values, point) in design.points.iter().zip(points) {
            let moments = moments(&self.calibration.targets, point);
            log.push(Evaluation {
                stage: Stage::Global,
                values: values.clone(),
                distance: distance(&self.calibration.targets, &moments),
                moments,
            });
        }
    }

    /// The point with the smallest distance so far (the first of equals).
    pub fn best(&self) -> Evaluation {
        let log = self.log.borrow();
        let mut best = &log[0];
        for e in log.iter() {
            if e.distance < best.distance {
                best = e;
            }
        }
        best.clone()
    }

    /// Evaluates the unit-cube point `u` (clamped into the cube).
    pub fn evaluate(&self, u: &[f64], stage: Stage) -> Result<Evaluation, StudyError> {
        let values = self.texts(u);
        if let Some(e) = self.log.borrow().iter().find(|e| e.values == values) {
            return Ok(e.clone());
        }
        let mut sets = self.base_sets.to_vec();
        for ((key, _, _), v) in self.calibration.free.iter().zip(&values) {
            sets.push(format!("{key}={v}"));
        }
        let config = self
            .resolved
            .apply(&sets)
            .map_err(|e| StudyError::Invalid(format!("calibration point: {e}")))?;
        let key = point_key(&config, self.seed, self.reps, EVERY);
        let name = format!("{key:016x}.chk");
        let saved = self.folder.as_ref().and_then(|dir| {
            let chunk = checkpoint::decode(&std::fs::read(dir.join(&name)).ok()?)?;
            (chunk.key == key && chunk.runs.len() == self.reps as usize).then_some(chunk)
        });
        let chunk = match saved {
            Some(chunk) => chunk,
            None => {
                let runs = batch::run_replications(&config, self.seed, self.reps, self.progress)?;
                let (months, runs) = work::thin(runs, EVERY as usize);
                let chunk = Chunk {
                    key,
                    point: 0,
                    months,
                    runs,
                };
                if let Some(dir) = &self.folder {
                    checkpoint::save(dir, &name, &chunk)?;
                }
                chunk
            }
        };
        let point = PointResults {
            months: chunk.months.iter().map(|m| *m as usize).collect(),
            results: ScenarioResults {
                name: config.scenario.name.clone(),
                label: config.scenario.display_label().to_string(),
                start_year: config.scenario.start_year,
                runs: chunk.runs,
            },
        };
        let moments = moments(&self.calibration.targets, &point);
        let e = Evaluation {
            stage,
            values,
            distance: distance(&self.calibration.targets, &moments),
            moments,
        };
        self.log.borrow_mut().push(e.clone());
        Ok(e)
    }
}

/// The distance as argmin sees it: outside the cube, the distance at the
/// nearest point inside plus a steep penalty, so the search stays in the ranges.
struct Objective<'e, 'a>(&'e Evaluator<'a>);

impl CostFunction for Objective<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, u: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        let outside: f64 = u.iter().map(|x| (x - x.clamp(0.0, 1.0)).powi(2)).sum();
        match self.0.evaluate(u, Stage::Local) {
            Ok(e) => Ok(e.distance + 1e6 * outside),
            Err(e) => {
                let text = e.to_string();
                self.0.failure.borrow_mut().get_or_insert(e);
                Err(argmin::core::Error::msg(text))
            }
        }
    }
}

/// Nelder-Mead from `start` (a unit-cube point) for at most `iterations`
/// iterations; the first simplex steps a tenth of each range inwards.
pub fn local_search(ev: &Evaluator, start: &[f64], iterations: u32) -> Result<(), StudyError> {
    if iterations == 0 {
        return Ok(());
    }
    let mut simplex = vec![start.to_vec()];
    for i in 0..start.len() {
        let mut p = start.to_vec();
        p[i] = if p[i] + SIMPLEX <= 1.0 {
            p[i] + SIMPLEX
        } else {
            p[i] - SIMPLEX
        };
        simplex.push(p);
    }
    let solver = NelderMead::new(simplex)
        .with_sd_tolerance(1e-6)
        .expect("a positive tolerance");
    let result = Executor::new(Objective(ev), solver)
        .configure(|state| state.max_iters(u64::from(iterations)))
        .timer(false)
        .run();
    if let Some(e) = ev.failure.borrow_mut().take() {
        return Err(e);
    }
    result
        .map(|_| ())
        .map_err(|e| StudyError::Invalid(format!("local search: {e}")))
}

/// The standard error of each free key at the fit (NaN where the targets do
/// not identify it), from central differences of the fitted two-sided targets.
pub fn standard_errors(ev: &Evaluator, fit: &Evaluation) -> Result<Vec<f64>, StudyError> {
    let targets = &ev.calibration.targets;
    let used: Vec<usize> = (0..targets.len())
        .filter(|&j| targets[j].fit && targets[j].side == Side::Equal && fit.moments[j].is_some())
        .collect();
    let u = ev.unit(&fit.values);
    let k = u.len();
    // g[j][m]: change of target used[j] per whole range of key m.
    let mut g = vec![vec![0.0; k]; used.len()];
    for m in 0..k {
        let (mut up, mut down) = (u.clone(), u.clone());
        up[m] = (u[m] + STEP).min(1.0);
        down[m] = (u[m] - STEP).max(0.0);
        let hi = ev.evaluate(&up, Stage::Jacobian)?;
        let lo = ev.evaluate(&down, Stage::Jacobian)?;
        // In units of the range, so that keys of very different scales
        // (Rp and shares) give a well-conditioned system.
        let dx = ev.unit(&hi.values)[m] - ev.unit(&lo.values)[m];
        if dx == 0.0 {
            continue;
        }
        for (row, &j) in g.iter_mut().zip(&used) {
            let (a, b) = (
                hi.moments[j].expect("computed"),
                lo.moments[j].expect("computed"),
            );
            row[m] = (a.mean - b.mean) / dx;
        }
    }
    let w: Vec<f64> = used.iter().map(|&j| targets[j].sd.powi(-2)).collect();
    let omega: Vec<f64> = used
        .iter()
        .map(|&j| {
            let s = fit.moments[j].expect("computed").sd;
            targets[j].sd.powi(2) + s * s / f64::from(ev.reps)
        })
        .collect();
    let mut a = vec![vec![0.0; k]; k];
    let mut b = vec![vec![0.0; k]; k];
    for (j, row) in g.iter().enumerate() {
        for p in 0..k {
            for q in 0..k {
                a[p][q] += row[p] * w[j] * row[q];
                b[p][q] += row[p] * w[j] * omega[j] * w[j] * row[q];
            }
        }
    }
    let Some(inv) = invert(&a) else {
        return Ok(vec![f64::NAN; k]);
    };
    Ok((0..k)
        .map(|p| {
            let mut v = 0.0;
            for r in 0..k {
                for s in 0..k {
                    v += inv[p][r] * b[r][s] * inv[s][p];
                }
            }
            let (_, lo, hi) = &ev.calibration.free[p];
            v.max(0.0).sqrt() * (hi - lo)
        })
        .collect())
}

/// The inverse of a small square matrix (Gauss-Jordan with partial pivoting); none when singular.
fn invert(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let scale = (0..n).map(|i| a[i][i].abs()).fold(0.0, f64::max);
    if !(scale > 0.0 && scale.is_finite()) {
        return None;
    }
    let mut m: Vec<Vec<f64>> = a.to_vec();
    let mut inv: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for c in 0..n {
        let p = (c..n).max_by(|x, y| m[*x][c].abs().total_cmp(&m[*y][c].abs()))?;
        if m[p][c].abs() <= 1e-10 * scale {
            return None;
        }
        m.swap(c, p);
        inv.swap(c, p);
        let d = m[c][c];
        for j in 0..n {
            m[c][j] /= d;
            inv[c][j] /= d;
        }
        for r in 0..n {
            if r != c {
                let f = m[r][c];
                for j in 0..n {
                    m[r][j] -= f * m[c][j];
                    inv[r][j] -= f * inv[c][j];
                }
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_a_small_matrix() {
        let a = vec![vec![4.0, 1.0], vec![2.0, 3.0]];
        let inv = invert(&a).unwrap();
        assert!((inv[0][0] - 0.3).abs() < 1e-12 && (inv[0][1] + 0.1).abs() < 1e-12);
        assert!((inv[1][0] + 0.2).abs() < 1e-12 && (inv[1][1] - 0.4).abs() < 1e-12);
        assert!(invert(&[vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
    }
}
