//! Decomposition of a programme effect by channel: which arms (sets of channels switched off) to run, and sequential or Shapley contributions with paired 95% CIs over replications.
//!
//! An arm switches the same channels off in the scenario and in its
//! baseline, so its effect `E(off) = scenario - baseline` is the programme
//! effect in a world without those mechanisms; replication r of every arm
//! uses the same random streams, so arm effects are paired. Every
//! contribution is a fixed linear combination of arm effects, computed per
//! replication and then summarised, so its confidence interval is a paired
//! one. `E(none off)` is the total effect; `E(all off)` the remainder, which
//! no listed channel explains; contributions plus the remainder add up to the
//! total in every replication, so also on average.

use super::StudyError;
use super::channels::{self, Channel};
use crate::rng;
use crate::scenario::{Approach, Config, Resolved};
use crate::stats::summarize;
use rand::RngExt;
use std::collections::BTreeMap;

/// Most channels whose Shapley values are computed exactly (2^k arms, each
/// a scenario and a baseline); with more, random orders are sampled.
pub const EXACT_SHAPLEY_MAX: usize = 6;

/// How contributions are attributed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// Channels switched off cumulatively in the order given.
    Sequential,
    /// Shapley values over all 2^k subsets of channels.
    ShapleyExact,
    /// Shapley values averaged over these orders in which channels are switched on.
    ShapleySampled { orders: Vec<Vec<usize>> },
}

impl Method {
    /// The method as result files name it.
    pub fn name(&self) -> String {
        match self {
            Method::Sequential => "sequential".into(),
            Method::ShapleyExact => "shapley (exact)".into(),
            Method::ShapleySampled { orders } => {
                format!("shapley ({} sampled permutations)", orders.len())
            }
        }
    }
}

/// What to run: the channels (in the stated order), the method and its arms.
#[derive(Debug, Clone)]
pub struct Plan {
    pub channels: Vec<&'static Channel>,
    pub method: Method,
    /// Sets of channels switched off (bit i: `channels[i]`), no channel first, each once.
    pub arms: Vec<u64>,
}

/// The sampled Shapley method is asked for with this many permutations;
/// `None` means sequential.
pub fn plan(channels: Vec<&'static Channel>, shapley: Option<u32>, seed: u64) -> Plan {
    let k = channels.len();
    let full = full_mask(k);
    let singles = (0..k).map(|i| 1u64 << i);
    let (method, mut arms): (Method, Vec<u64>) = match shapley {
        None => {
            let cumulative = (1..=k).map(full_mask);
            (Method::Sequential, cumulative.chain(singles).collect())
        }
        Some(_) if k <= EXACT_SHAPLEY_MAX => (Method::ShapleyExact, (1..=full).collect()),
        Some(permutations) => {
            let orders = permutations_of(k, permutations as usize, seed);
            let mut arms: Vec<u64> = singles.collect();
            for order in &orders {
                let mut off = full;
                arms.push(off);
                for &c in order {
                    off &= !(1 << c);
                    arms.push(off);
                }
            }
            (Method::ShapleySampled { orders }, arms)
        }
    };
    arms.push(0);
    arms.sort_unstable();
    arms.dedup();
    Plan {
        channels,
        method,
        arms,
    }
}

/// Bits 0..k set.
fn full_mask(k: usize) -> u64 {
    if k >= 64 { u64::MAX } else { (1u64 << k) - 1 }
}

/// `n` random orders of `0..k` (Fisher-Yates on the design stream of `seed`).
fn permutations_of(k: usize, n: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = rng::stream(seed, u32::MAX, 1, rng::DESIGN);
    (0..n)
        .map(|_| {
            let mut order: Vec<usize> = (0..k).collect();
            for i in (1..k).rev() {
                let j = rng.random_range(0..=i);
                order.swap(i, j);
            }
            order
        })
        .collect()
}

impl Plan {
    /// The `--set` overrides of arm `mask`: its channels' off switches, in channel order.
    pub fn sets(&self, mask: u64) -> Vec<String> {
        self.off(mask).flat_map(channels::off_sets).collect()
    }

    /// The channels switched off in arm `mask`.
    pub fn off(&self, mask: u64) -> impl Iterator<Item = &'static Channel> + '_ {
        self.channels
            .iter()
            .enumerate()
            .filter(move |(i, _)| mask & (1 << i) != 0)
            .map(|(_, c)| *c)
    }

    /// A reader's name for arm `mask`: "all channels on" or "off: a, b".
    pub fn label(&self, mask: u64) -> String {
        if mask == 0 {
            return "all channels on".into();
        }
        let ids: Vec<&str> = self.off(mask).map(|c| c.id).collect();
        format!("off: {}", ids.join(", "))
    }
}

/// The channels that can be decomposed in these scenarios, in the order
/// given, and a note for each one left out: one whose switch conflicts with
/// an earlier channel's, a programme channel when the scenario runs no
/// programme, and one already off in both scenarios. A switch that makes
/// either scenario invalid is an error naming the channel.
pub fn applicable(
    chosen: Vec<&'static Channel>,
    scenario: (&Resolved, &Config),
    baseline: (&Resolved, &Config),
    base_sets: &[String],
) -> Result<(Vec<&'static Channel>, Vec<String>), StudyError> {
    let mut kept: Vec<&'static Channel> = Vec::new();
    let mut notes = Vec::new();
    for channel in chosen {
        if let Some((other, key)) = kept
            .iter()
            .find_map(|k| channels::conflict(k, channel).map(|key| (k.id, key)))
        {
            notes.push(format!(
                "channel {} left out: it sets {key} otherwise than channel {other}, so both cannot be off",
                channel.id
            ));
            continue;
        }
        if channel.programme && scenario.1.scenario.approach == Approach::None {
            notes.push(format!(
                "channel {} left out: the scenario runs no programme (approach none)",
                channel.id
            ));
            continue;
        }
        let mut sets = base_sets.to_vec();
        sets.extend(channels::off_sets(channel));
        let mut changes = false;
        for (resolved, config) in [scenario, baseline] {
            let off = resolved.apply(&sets).map_err(|e| {
                StudyError::Invalid(format!(
                    "channel {} cannot be switched off in {}: {e}",
                    channel.id, config.scenario.name
                ))
            })?;
            changes |= serde_json::to_value(&off.scenario).ok()
                != serde_json::to_value(&config.scenario).ok();
        }
        if !changes {
            notes.push(format!(
                "channel {} left out: it is already off in both scenarios",
                channel.id
            ));
            continue;
        }
        kept.push(channel);
    }
    Ok((kept, notes))
}

/// The scenario and baseline of every arm of `plan`, validated; a combination
/// of switches that is invalid is an error naming the arm.
pub fn arm_configs(
    plan: &Plan,
    scenario: &Resolved,
    baseline: &Resolved,
    base_sets: &[String],
) -> Result<Vec<(Config, Config)>, StudyError> {
    plan.arms
        .iter()
        .map(|&mask| {
            let mut sets = base_sets.to_vec();
            sets.extend(plan.sets(mask));
            let apply = |r: &Resolved| {
                r.apply(&sets)
                    .map_err(|e| StudyError::Invalid(format!("arm with {}: {e}", plan.label(mask))))
            };
            Ok((apply(scenario)?, apply(baseline)?))
        })
        .collect()
}

/// Which values an arm keeps: some metrics at every year end 0..=years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// Metric indices (`metrics::METRICS`).
    pub metrics: Vec<usize>,
    /// Horizon in years.
    pub years: u32,
    pub reps: usize,
}

impl Grid {
    fn index(&self, m: usize, year: u32, rep: usize) -> usize {
        (m * (self.years as usize + 1) + year as usize) * self.reps + rep
    }

    /// The grid's values of one run of replications, `[metric][year][rep]`.
    pub fn extract(&self, results: &crate::results::ScenarioResults) -> Vec<f64> {
        let mut out =
            Vec::with_capacity(self.metrics.len() * (self.years as usize + 1) * self.reps);
        for &metric in &self.metrics {
            for year in 0..=self.years {
                out.extend(results.column(12 * year as usize, metric));
            }
        }
        out
    }
}

/// The kept values of one arm: the scenario's and the baseline's, `[metric][year][rep]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmValues {
    pub scenario: Vec<f64>,
    pub baseline: Vec<f64>,
}

/// A mean over replications with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

fn estimate(samples: &[f64]) -> Estimate {
    let s = summarize(samples);
    Estimate {
        mean: s.mean,
        low: s.ci95_low,
        high: s.ci95_high,
    }
}

/// One metric at one year, decomposed.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Baseline level (all channels on).
    pub baseline: Estimate,
    /// Scenario level (all channels on).
    pub scenario: Estimate,
    /// The programme effect, scenario minus baseline.
    pub total: Estimate,
    /// Each channel's contribution, in the plan's channel order.
    pub contributions: Vec<Estimate>,
    /// Each channel's knock-out effect: total minus the effect with only it off.
    pub knockouts: Vec<Estimate>,
    /// The effect with every channel off.
    pub remainder: Estimate,
}

/// Contributions of every channel to every metric of `grid` at every year:
/// `blocks[metric][year]`. `arms` holds the values of every arm of `plan`.
pub fn analyse(plan: &Plan, grid: &Grid, arms: &BTreeMap<u64, ArmValues>) -> Vec<Vec<Block>> {
    let k = plan.channels.len();
    let full = full_mask(k);
    (0..grid.metrics.len())
        .map(|m| {
            (0..=grid.years)
                .map(|year| {
                    let at = |mask: u64, r: usize| {
                        let a = &arms[&mask];
                        let i = grid.index(m, year, r);
                        (a.scenario[i], a.baseline[i])
                    };
                    let effect = |mask: u64, r: usize| {
                        let (s, b) = at(mask, r);
                        s - b
                    };
                    let per_rep = |f: &dyn Fn(usize) -> f64| -> Estimate {
                        estimate(&(0..grid.reps).map(f).collect::<Vec<_>>())
                    };
                    let contributions = (0..k)
                        .map(|i| per_rep(&|r| contribution(plan, i, r, &effect)))
                        .collect();
                    let knockouts = (0..k)
                        .map(|i| per_rep(&|r| effect(0, r) - effect(1 << i, r)))
                        .collect();
                    Block {
                        baseline: per_rep(&|r| at(0, r).1),
                        scenario: per_rep(&|r| at(0, r).0),
                        total: per_rep(&|r| effect(0, r)),
                        contributions,
                        knockouts,
                        remainder: per_rep(&|r| effect(full, r)),
                    }
                })
                .collect()
        })
        .collect()
}

/// Channel `i`'s contribution in replication `r`, from the arm effects `effect(mask, r)`.
fn contribution(plan: &Plan, i: usize, r: usize, effect: &dyn Fn(u64, usize) -> f64) -> f64 {
    let k = plan.channels.len();
    let bit = 1u64 << i;
    match &plan.method {
        Method::Sequential => effect(full_mask(i), r) - effect(full_mask(i + 1), r),
        Method::ShapleyExact => {
            // phi_i = sum over sets S of channels on without i of
            // |S|! (k - |S| - 1)! / k! (v(S + i) - v(S)), where v(S) is the
            // effect with every channel outside S off.
            let mut sum = 0.0;
            for off in (0..=full_mask(k)).filter(|m| m & bit != 0) {
                let on = k - off.count_ones() as usize;
                sum += shapley_weight(k, on) * (effect(off & !bit, r) - effect(off, r));
            }
            sum
        }
        Method::ShapleySampled { orders } => {
            let mut sum = 0.0;
            for order in orders {
                // Channels are switched on in this order, starting from all off.
                let mut off = full_mask(k);
                for &c in order {
                    let next = off & !(1 << c);
                    if c == i {
                        sum += effect(next, r) - effect(off, r);
                        break;
                    }
                    off = next;
                }
            }
            sum / orders.len() as f64
        }
    }
}

/// |S|! (k - |S| - 1)! / k! for a set S of `on` channels out of `k`.
fn shapley_weight(k: usize, on: usize) -> f64 {
    // 1 / (k * C(k - 1, on)), without factorials.
    let mut choose = 1.0;
    for j in 0..on {
        choose = choose * (k - 1 - j) as f64 / (j + 1) as f64;
    }
    1.0 / (k as f64 * choose)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::channels::CHANNELS;

    /// Arm values from a made-up model: each channel adds its own amount,
    /// channels 0 and 1 interact, and a remainder no channel explains;
    /// replications differ by noise shared across arms.
    fn values(plan: &Plan, grid: &Grid, adds: &[f64]) -> BTreeMap<u64, ArmValues> {
        plan.arms
            .iter()
            .map(|&mask| {
                let on = |i: usize| mask & (1 << i) == 0;
                let mut scenario = Vec::new();
                let mut baseline = Vec::new();
                for _ in &grid.metrics {
                    for year in 0..=grid.years {
                        for r in 0..grid.reps {
                            let noise = (r as f64 * 7.3).sin() * 10.0 + f64::from(year);
                            let mut s = 1000.0 + 50.0 + noise;
                            for (i, a) in adds.iter().enumerate() {
                                if on(i) {
                                    s += a * (1.0 + 0.1 * r as f64);
                                }
                            }
                            if on(0) && on(1) {
                                s += 30.0;
                            }
                            scenario.push(s);
                            baseline.push(1000.0 + noise);
                        }
                    }
                }
                (mask, ArmValues { scenario, baseline })
            })
            .collect()
    }

    fn grid() -> Grid {
        Grid {
            metrics: vec![0],
            years: 1,
            reps: 5,
        }
    }

    fn check_sums(plan: &Plan, adds: &[f64]) -> Vec<Block> {
        let grid = grid();
        let blocks = analyse(plan, &grid, &values(plan, &grid, adds)).remove(0);
        for b in &blocks {
            let sum: f64 = b.contributions.iter().map(|c| c.mean).sum::<f64>() + b.remainder.mean;
            assert!(
                (sum - b.total.mean).abs() < 1e-9 * b.total.mean.abs().max(1.0),
                "{} + remainder != total {}",
                sum,
                b.total.mean
            );
            assert!(b.total.low <= b.total.mean && b.total.mean <= b.total.high);
        }
        blocks
    }

    #[test]
    fn sequential_contributions_add_up_and_follow_the_order() {
        let chosen: Vec<&Channel> = CHANNELS[..3].iter().collect();
        let plan = plan(chosen, None, 1);
        // No channel, the cumulative sets, and the single knock-outs.
        assert_eq!(plan.arms, vec![0b000, 0b001, 0b010, 0b011, 0b100, 0b111]);
        let b = check_sums(&plan, &[100.0, 40.0, 0.0]).remove(1);
        // Channel 0 first takes the interaction; channel 1 only its own part.
        assert!((b.contributions[0].mean - 100.0 * 1.2 - 30.0).abs() < 1e-9);
        assert!((b.contributions[1].mean - 40.0 * 1.2).abs() < 1e-9);
        assert_eq!(
            b.contributions[2].mean, 0.0,
            "a channel changing nothing gives exactly 0"
        );
        assert_eq!(
            (b.contributions[2].low, b.contributions[2].high),
            (0.0, 0.0)
        );
        // Knock-outs see the interaction from both sides.
        assert!((b.knockouts[1].mean - 40.0 * 1.2 - 30.0).abs() < 1e-9);
        assert!((b.remainder.mean - 50.0).abs() < 1e-9);
        assert!((b.baseline.mean - b.scenario.mean + b.total.mean).abs() < 1e-9);
    }

    #[test]
    fn exact_shapley_is_efficient_and_splits_interactions_evenly() {
        let chosen: Vec<&Channel> = CHANNELS[..4].iter().collect();
        let plan = plan(chosen, Some(100), 1);
        assert_eq!(plan.method, Method::ShapleyExact);
        assert_eq!(plan.arms.len(), 16);
        let b = check_sums(&plan, &[100.0, 40.0, 0.0, -20.0]).remove(1);
        assert!((b.contributions[0].mean - 100.0 * 1.2 - 15.0).abs() < 1e-9);
        assert!((b.contributions[1].mean - 40.0 * 1.2 - 15.0).abs() < 1e-9);
        assert_eq!(b.contributions[2].mean, 0.0);
        assert!((b.contributions[3].mean + 20.0 * 1.2).abs() < 1e-9);
        assert!((shapley_weight(3, 0) - 1.0 / 3.0).abs() < 1e-15);
        assert!((shapley_weight(3, 1) - 1.0 / 6.0).abs() < 1e-15);
    }

    #[test]
    fn sampled_shapley_is_efficient_deterministic_and_close() {
        let chosen: Vec<&Channel> = CHANNELS[..8].iter().collect();
        let a = plan(chosen.clone(), Some(200), 5);
        let Method::ShapleySampled { orders } = &a.method else {
            panic!("8 channels are sampled");
        };
        assert_eq!(orders.len(), 200);
        assert_eq!(a.arms, plan(chosen.clone(), Some(200), 5).arms);
        assert_ne!(a.method, plan(chosen, Some(200), 6).method);
        let adds = [100.0, 40.0, 0.0, -20.0, 5.0, 0.0, 0.0, 1.0];
        let b = check_sums(&a, &adds).remove(1);
        // The interaction of 0 and 1 is split about evenly.
        assert!(
            (b.contributions[0].mean - 135.0).abs() < 5.0,
            "{:?}",
            b.contributions[0]
        );
        assert_eq!(b.contributions[2].mean, 0.0);
    }
}
