//! Global price index per product: a mean-reverting log process with jumps, plus scheduled shocks.
//!
//! Export prices follow the index fully; domestic processed prices and
//! farm-gate raw prices follow it partly (`prices.domestic_pass`,
//! `prices.farmgate_pass`).

use crate::env::month_of;
use crate::rng::Rng;
use crate::scenario::Scenario;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Global price indices of the current month (1 = start-year level).
#[derive(Debug, Clone)]
pub struct PriceState {
    log_index: Vec<f64>,
    /// Index per product including scheduled shocks.
    pub index: Vec<f64>,
}

impl PriceState {
    pub fn new(products: usize) -> Self {
        Self {
            log_index: vec![0.0; products],
            index: vec![1.0; products],
        }
    }

    pub fn step(&mut self, s: &Scenario, t: usize, rng: &mut Rng) {
        let pr = &s.prices;
        let jump_p = pr.jumps_per_year / 12.0;
        for (p, product) in s.products.iter().enumerate() {
            let eps: f64 = StandardNormal.sample(rng);
            let u: f64 = rng.random();
            let jump_eps: f64 = StandardNormal.sample(rng);
            let mut x = self.log_index[p];
            x += -pr.reversion * x + product.volatility * eps;
            if u < jump_p {
                x += pr.jump_sd * jump_eps;
            }
            self.log_index[p] = x;
            let shock: f64 = s
                .events
                .price
                .iter()
                .filter(|ev| ev.product == "all" || ev.product == product.name)
                .map(|ev| shock_offset(s, ev, t))
                .sum();
            self.index[p] = (x + shock).exp();
        }
    }
}

/// Log offset of a scheduled shock at month `t`: full during the shock, fading linearly during recovery.
fn shock_offset(s: &Scenario, ev: &crate::scenario::PriceShock, t: usize) -> f64 {
    let start = month_of(s.start_year, ev.year, ev.month);
    let full = (1.0 + ev.change).ln();
    let end = start + ev.duration_months as usize;
    if t < start {
        0.0
    } else if t < end {
        full
    } else if t < end + ev.recovery_months as usize {
        let done = (t - end + 1) as f64 / (ev.recovery_months as f64 + 1.0);
        full * (1.0 - done)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;
    use crate::scenario::{PriceShock, default_products};

    fn scenario() -> Scenario {
        Scenario {
            products: default_products(),
            ..Scenario::default()
        }
    }

    #[test]
    fn index_reverts_to_one() {
        let s = scenario();
        let mut ps = PriceState::new(s.products.len());
        let mut rng = stream(3, 0, 0, 0);
        let mut sum = 0.0;
        let n = 12 * 500;
        for t in 1..=n {
            ps.step(&s, t, &mut rng);
            sum += ps.log_index[0];
        }
        let mean = sum / n as f64;
        assert!(mean.abs() < 0.1, "long-run mean log index {mean}");
    }

    #[test]
    fn scheduled_crash_halves_and_recovers() {
        let mut s = scenario();
        s.prices.jumps_per_year = 0.0;
        for p in &mut s.products {
            p.volatility = 0.0;
        }
        s.events.price.push(PriceShock {
            product: "coffee".into(),
            year: 2026,
            month: 1,
            change: -0.5,
            duration_months: 6,
            recovery_months: 5,
        });
        let mut ps = PriceState::new(s.products.len());
        let mut rng = stream(3, 0, 0, 0);
        let mut path = Vec::new();
        for t in 1..=36 {
            ps.step(&s, t, &mut rng);
            path.push((ps.index[0], ps.index[1]));
        }
        assert!((path[11].0 - 1.0).abs() < 1e-12);
        assert!((path[12].0 - 0.5).abs() < 1e-12, "{}", path[12].0);
        assert!((path[17].0 - 0.5).abs() < 1e-12);
        assert!(path[19].0 > 0.5 && path[19].0 < 1.0);
        assert!((path[30].0 - 1.0).abs() < 1e-12);
        assert!(
            path.iter().all(|p| (p.1 - 1.0).abs() < 1e-12),
            "cocoa untouched"
        );
    }
}
