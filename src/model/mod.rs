//! The agents: villages of households, producer groups, lead firms and agencies, and the world that holds them.
//!
//! Each submodule owns one kind of agent and its rules. Rules are plain
//! functions of the state at the start of their phase; `engine.rs` calls them
//! in the fixed monthly order of the model description.

pub mod agency;
pub mod expf;
pub mod finance;
pub mod firm;
pub mod group;
pub mod household;
pub mod kawasan;
pub mod market;
pub mod partnership;
pub mod processing;
pub mod product_choice;
pub mod village;

use crate::rng::Rng;
use crate::scenario::{Approach, ProgrammeKind, Scenario};
use rand::RngExt;
use rand::distr::uniform::SampleUniform;

/// Programme kinds index the per-village programme stocks.
pub type Kind = ProgrammeKind;

/// One value per programme kind, indexed by `kind as usize`.
pub type PerKind = [f64; Kind::COUNT];

// `kind as usize` indexes a `PerKind` array only if `Kind::ALL` lists every
// kind in declaration order. A kind added to the enum but not to `ALL` makes
// the match below non-exhaustive, a compile error rather than an index out of
// bounds at run time; once listed there (and its `K10` added here), every
// `PerKind` array grows with it.
const _: () = {
    let mut i = 0;
    while i < Kind::COUNT {
        assert!(Kind::ALL[i] as usize == i, "Kind::ALL in declaration order");
        i += 1;
    }
    const K0: Kind = Kind::ALL[0];
    const K1: Kind = Kind::ALL[1];
    const K2: Kind = Kind::ALL[2];
    const K3: Kind = Kind::ALL[3];
    const K4: Kind = Kind::ALL[4];
    const K5: Kind = Kind::ALL[5];
    const K6: Kind = Kind::ALL[6];
    const K7: Kind = Kind::ALL[7];
    const K8: Kind = Kind::ALL[8];
    const K9: Kind = Kind::ALL[9];
    match K0 {
        K0 | K1 | K2 | K3 | K4 | K5 | K6 | K7 | K8 | K9 => {}
    }
};

/// Household column value for "no group".
pub const NO_GROUP: u32 = u32::MAX;

/// Values derived once from the scenario, so rules do not recompute them.
#[derive(Debug, Clone)]
pub struct Derived {
    /// What coordination quality sets: the share of open target places
    /// filled from the joint list, and agencies' brokering of firm contacts
    /// and mediation (a factor on the empowerment and trade-fair effects).
    pub joint_targeting: f64,
    pub brokering: f64,
    pub delivery_share: f64,
    pub delay_months: usize,
    pub resolution: f64,
    pub continuity: f64,
    pub election_survival: f64,
    /// Community ownership (multiplies perceived gains of joining).
    pub ownership: f64,
    /// Strength of socialization under the approach.
    pub socialization: f64,
    /// Money per village at 63% effect, per kind (Rp).
    pub saturation: PerKind,
    /// Weibull shape of the response to programme money (1 = diminishing returns throughout).
    pub effect_shape: f64,
    /// Calendar shares, normalised to sum 1.
    pub calendar: [f64; 12],
    /// Monthly growth factor of wages and other income.
    pub growth_month: f64,
    /// Sd of the noise on criteria that agencies see.
    pub agency_noise: f64,
}

impl Derived {
    pub fn new(s: &Scenario) -> Self {
        let q = s.coordination.quality;
        let k = &s.coordination;
        let lerp = |lo: f64, hi: f64| lo + (hi - lo) * q;
        let mut saturation = [1.0; Kind::COUNT];
        let defaults = crate::scenario::Programme::default().saturation;
        for kind in Kind::ALL {
            saturation[kind as usize] = *s
                .programme
                .saturation
                .get(&kind)
                .or_else(|| defaults.get(&kind))
                .unwrap_or(&1e8);
        }
        let mut calendar = [1.0 / 12.0; 12];
        if s.programme.calendar.len() == 12 {
            let total: f64 = s.programme.calendar.iter().sum();
            for (m, v) in s.programme.calendar.iter().enumerate() {
                calendar[m] = v / total;
            }
        }
        let (ownership, socialization) = match s.approach {
            Approach::Ovop => (s.adoption.ownership_ovop, 1.0),
            Approach::Kawasan => (s.adoption.ownership_kawasan, s.adoption.ownership_kawasan),
            // Groups that villagers start on their own are theirs, but nobody socializes them.
            Approach::None => (s.adoption.ownership_ovop, 0.0),
        };
        Self {
            joint_targeting: lerp(k.joint_targeting_min, k.joint_targeting_max),
            brokering: lerp(k.brokering_min, k.brokering_max),
            delivery_share: lerp(k.delivery_min, k.delivery_max),
            delay_months: (k.delay_max_months * (1.0 - q)).round() as usize,
            resolution: lerp(k.resolution_min, k.resolution_max),
            continuity: lerp(k.continuity_min, k.continuity_max),
            election_survival: lerp(k.election_survival_min, k.election_survival_max),
            ownership,
            socialization,
            saturation,
            effect_shape: s.programme.effect_shape,
            calendar,
            growth_month: (1.0 + s.economy.background_growth).powf(1.0 / 12.0),
            agency_noise: s.information.noise_max * (1.0 - s.information.quality),
        }
    }
}

/// A uniform draw from `lo` to `hi`, or `lo` when the range is empty.
pub fn uniform<T: SampleUniform + PartialOrd>(rng: &mut Rng, lo: T, hi: T) -> T {
    if hi > lo {
        rng.random_range(lo..hi)
    } else {
        lo
    }
}

/// Response to programme money: 0 with none, 63% at `saturation`, towards 1 as money grows.
///
/// With `shape` 1 every rupiah does less than the one before; above 1 the
/// curve is S-shaped, so money spread below saturation does little (a
/// threshold) while money focused near saturation does most per rupiah.
pub fn effect(stock: f64, saturation: f64, shape: f64) -> f64 {
    let x = stock.max(0.0) / saturation;
    let x = if shape == 1.0 { x } else { x.powf(shape) };
    1.0 - (-x).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordination_moves_every_mechanism() {
        let mut s = Scenario::default();
        s.coordination.quality = 0.0;
        let low = Derived::new(&s);
        s.coordination.quality = 1.0;
        let high = Derived::new(&s);
        assert!(high.delivery_share > low.delivery_share);
        assert!(high.delay_months < low.delay_months);
        assert!(high.resolution > low.resolution);
        assert!(high.continuity > low.continuity);
        assert!(high.election_survival > low.election_survival);
        assert!(high.joint_targeting > low.joint_targeting);
        assert!(high.brokering > low.brokering);
    }

    #[test]
    fn coordination_acts_only_through_its_mechanisms() {
        let mut s = Scenario::default();
        let k = &mut s.coordination;
        k.delivery_min = k.delivery_max;
        k.delay_max_months = 0.0;
        k.resolution_min = k.resolution_max;
        k.continuity_min = k.continuity_max;
        k.election_survival_min = k.election_survival_max;
        k.joint_targeting_min = k.joint_targeting_max;
        k.brokering_min = k.brokering_max;
        s.coordination.quality = 0.0;
        let low = Derived::new(&s);
        s.coordination.quality = 1.0;
        let high = Derived::new(&s);
        assert_eq!(format!("{low:?}"), format!("{high:?}"));
    }

    #[test]
    fn effects_have_diminishing_returns_at_shape_one() {
        let a = effect(1.0, 1.0, 1.0);
        let b = effect(2.0, 1.0, 1.0);
        let c = effect(3.0, 1.0, 1.0);
        assert!(a > 0.6 && b > a && c > b);
        assert!(b - a > c - b);
        assert_eq!(effect(0.0, 1.0, 1.0), 0.0);
    }

    #[test]
    fn effects_have_a_threshold_above_shape_one() {
        // Per rupiah, a quarter of saturation does less than saturation itself.
        let thin = effect(0.25, 1.0, 2.0) / 0.25;
        let focused = effect(1.0, 1.0, 2.0);
        assert!(thin < 0.5 * focused, "thin {thin} focused {focused}");
        assert!((focused - (1.0 - (-1.0f64).exp())).abs() < 1e-12);
        assert_eq!(effect(0.0, 1.0, 2.0), 0.0);
    }
}
