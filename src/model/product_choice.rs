//! Product selection: the five OVOP criteria, the village's own choice versus a commodity assigned from above, and what the choice means for yields and markets.
//!
//! Criteria (each 0-1): 0 local specificity, 1 uniqueness and culture,
//! 2 quality and appearance, 3 domestic and export market potential,
//! 4 consistent sustainable production. A village knows criteria 0, 1 and 4
//! well (`information.local_noise`); criteria 2 and 3 need market data, and
//! the noise on them, like everything agencies see, grows as the regional
//! database gets worse (`information.quality`).

use crate::model::uniform;
use crate::rng::Rng;
use crate::scenario::District;
use rand_distr::{Distribution, Normal};

/// Criteria the village judges from local knowledge.
const LOCAL: [bool; 5] = [true, true, false, false, true];

/// One candidate product of a village, with its true criteria scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub product: usize,
    pub criteria: [f64; 5],
}

impl Candidate {
    /// True potential: the mean of the five criteria.
    pub fn potential(&self) -> f64 {
        self.criteria.iter().sum::<f64>() / 5.0
    }
}

/// Draws true criteria scores for a product that suits the village.
pub fn draw_candidate(product: usize, dist: &District, rng: &mut Rng) -> Candidate {
    let mut criteria = [0.0; 5];
    for c in &mut criteria {
        *c = uniform(rng, dist.criteria_min, dist.criteria_max);
    }
    Candidate { product, criteria }
}

/// Criteria of a commodity imposed on a village where it is not a candidate: poorer fit.
pub fn draw_imposed(product: usize, dist: &District, rng: &mut Rng) -> Candidate {
    let mut criteria = [0.0; 5];
    for c in &mut criteria {
        *c = uniform(rng, dist.criteria_min, dist.imposed_criteria_max);
    }
    Candidate { product, criteria }
}

/// Score as seen with noise `sd_local` on local criteria and `sd_market` on market criteria.
pub fn perceived(c: &Candidate, sd_local: f64, sd_market: f64, rng: &mut Rng) -> f64 {
    let mut total = 0.0;
    for (k, &v) in c.criteria.iter().enumerate() {
        let sd = if LOCAL[k] { sd_local } else { sd_market };
        let noise = if sd > 0.0 {
            Normal::new(0.0, sd).expect("sd > 0").sample(rng)
        } else {
            0.0
        };
        total += v + noise;
    }
    total / 5.0
}

/// OVOP: the village group discussion picks the best-looking candidate, skipping failed products.
pub fn village_choice(
    candidates: &[Candidate],
    failed: &[usize],
    local_noise: f64,
    market_noise: f64,
    rng: &mut Rng,
) -> usize {
    let mut best = (f64::NEG_INFINITY, 0);
    for (i, c) in candidates.iter().enumerate() {
        // Every candidate is scored, failed or not, so the stream does not depend on history.
        let score = perceived(c, local_noise, market_noise, rng);
        if !failed.contains(&c.product) && score > best.0 {
            best = (score, i);
        }
    }
    if best.0 == f64::NEG_INFINITY {
        // Every candidate has failed once: the village tries its first again.
        0
    } else {
        best.1
    }
}

/// What the village's product and its fit mean for production and markets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// Multiplier on raw-material yield (consistent production).
    pub yield_mult: f64,
    /// Multiplier on demand in every channel (market potential, local specificity).
    pub market_mult: f64,
    /// Multiplier on price (uniqueness and culture).
    pub price_mult: f64,
    /// Starting quality of a group's product (0-1).
    pub quality0: f64,
}

impl Fit {
    pub fn of(c: &Candidate, dist: &District) -> Self {
        let k = &c.criteria;
        Self {
            yield_mult: dist.fit_yield_base + k[4],
            market_mult: dist.fit_market_base
                + dist.fit_market_potential * k[3]
                + dist.fit_market_specificity * k[0],
            price_mult: dist.fit_price_base + dist.fit_price_uniqueness * k[1],
            quality0: dist.fit_quality * k[2],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    fn candidates(rng: &mut Rng) -> Vec<Candidate> {
        let dist = District::default();
        (0..3).map(|p| draw_candidate(p, &dist, rng)).collect()
    }

    /// Share of villages whose choice is their truly best candidate.
    fn hit_rate(market_noise: f64) -> f64 {
        let mut rng = stream(9, 0, 0, 0);
        let n = 4000;
        let mut hits = 0;
        for _ in 0..n {
            let c = candidates(&mut rng);
            let best = (0..3)
                .max_by(|&a, &b| c[a].potential().total_cmp(&c[b].potential()))
                .unwrap();
            if village_choice(&c, &[], 0.05, market_noise, &mut rng) == best {
                hits += 1;
            }
        }
        f64::from(hits) / f64::from(n)
    }

    #[test]
    fn better_information_picks_better_products() {
        let good = hit_rate(0.0);
        let poor = hit_rate(0.35);
        assert!(good > 0.85, "accurate database: {good}");
        assert!(good - poor > 0.1, "accurate {good} vs poor {poor}");
    }

    #[test]
    fn failed_products_are_skipped() {
        let mut rng = stream(1, 0, 0, 0);
        let c = candidates(&mut rng);
        let first = village_choice(&c, &[], 0.0, 0.0, &mut rng);
        let second = village_choice(&c, &[c[first].product], 0.0, 0.0, &mut rng);
        assert_ne!(first, second);
    }

    #[test]
    fn fit_rewards_better_criteria() {
        let dist = District::default();
        let fit = |score: f64| {
            Fit::of(
                &Candidate {
                    product: 0,
                    criteria: [score; 5],
                },
                &dist,
            )
        };
        let (low, high) = (fit(0.2), fit(0.9));
        assert!(high.yield_mult > low.yield_mult);
        assert!(high.market_mult > low.market_mult);
        assert!(high.price_mult > low.price_mult);
        assert!(high.quality0 > low.quality0);
    }
}
