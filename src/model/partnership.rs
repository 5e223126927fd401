//! Partnerships between a producer group and a lead firm: the three stages, the contract price, and how compliance moves trust and stage.
//!
//! A group holds at most one partnership (`Group::partner`); the firm is named
//! by its index. This module depends on no other agent, so groups and firms
//! can both use it without importing each other.

use crate::scenario::Firms;

/// Stage of a partnership (the paper's three steps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Contact and mutual explanation; nothing traded yet.
    Communication,
    /// Binding contract: quantity, price rule, quality floor, input advances.
    Agreement,
    /// Sustained and trusted: larger volumes, lower transaction costs.
    Equilibrium,
}

/// A group's partnership with a firm (held by the group).
#[derive(Debug, Clone, PartialEq)]
pub struct Partnership {
    pub firm: usize,
    pub stage: Stage,
    pub trust: f64,
    pub months: u32,
    /// Consecutive months both sides complied.
    pub good_months: u32,
    /// Contract quantity (t processed per month).
    pub qty_t: f64,
    /// Contract price at global index 1 (Rp/kg).
    pub base_price: f64,
    /// This month: ordered and delivered quantity (t), and the tier delivered.
    pub contracted_t: f64,
    pub delivered_t: f64,
    pub delivered_tier: u8,
    /// Months left of a mediated settlement, during which both sides keep the contract.
    pub mediated_months: u32,
    /// Export price per kg at global index 1 the contract follows in part, once the firm exports the group's product (0 = a domestic contract).
    pub export_price: f64,
}

impl Partnership {
    /// A first contact with firm `firm`: communication stage, trust `trust`.
    pub fn contact(firm: usize, trust: f64) -> Self {
        Self {
            firm,
            stage: Stage::Communication,
            trust,
            months: 0,
            good_months: 0,
            qty_t: 0.0,
            base_price: 0.0,
            contracted_t: 0.0,
            delivered_t: 0.0,
            delivered_tier: 0,
            mediated_months: 0,
            export_price: 0.0,
        }
    }

    /// Contract price per kg at a global price index: tied to the index more
    /// closely than the domestic market is, plus part of the equilibrium bonus
    /// once the partnership is trusted (lower transaction costs).
    pub fn price(&self, index: f64, fs: &Firms) -> f64 {
        let bonus = if self.stage == Stage::Equilibrium {
            fs.equilibrium_bonus * fs.equilibrium_price_share
        } else {
            0.0
        };
        let domestic = self.base_price * (1.0 + fs.contract_pass * (index - 1.0));
        // Local yet global: an export contract pays part of the export price and follows world prices fully in that part.
        let price = if self.export_price > 0.0 {
            (1.0 - fs.export_price_share) * domestic
                + fs.export_price_share * self.export_price * index
        } else {
            domestic
        };
        price * (1.0 + bonus)
    }

    /// A month of trade under contract: whether the group delivered and the
    /// firm ordered as agreed moves trust, and a run of kept months turns an
    /// agreement into equilibrium. A mediated settlement runs down by a month.
    pub fn record_compliance(&mut self, group_ok: bool, firm_ok: bool, fs: &Firms) {
        self.mediated_months = self.mediated_months.saturating_sub(1);
        // One broken promise costs much of the trust; both, all of it.
        let target = match (group_ok, firm_ok) {
            (true, true) => 1.0,
            (true, false) | (false, true) => fs.one_sided_trust,
            (false, false) => 0.0,
        };
        self.trust += fs.trust_speed * (target - self.trust);
        self.good_months = if group_ok && firm_ok {
            self.good_months + 1
        } else {
            0
        };
        if self.stage == Stage::Agreement
            && self.good_months >= fs.equilibrium_after_months
            && self.trust > fs.equilibrium_trust
        {
            self.stage = Stage::Equilibrium;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_months_build_trust_and_reach_equilibrium() {
        let fs = crate::scenario::defaults().firms;
        let mut ps = Partnership {
            stage: Stage::Agreement,
            trust: 0.8,
            ..Partnership::contact(0, fs.initial_trust)
        };
        for _ in 0..fs.equilibrium_after_months {
            ps.record_compliance(true, true, &fs);
        }
        assert_eq!(ps.stage, Stage::Equilibrium);
        assert!(ps.trust > 0.8);
        let trusted = ps.trust;
        ps.record_compliance(false, false, &fs);
        assert_eq!(ps.good_months, 0);
        assert!(ps.trust < trusted, "a broken month costs trust");
    }

    #[test]
    fn trusted_partnerships_pay_a_bonus_and_follow_the_index() {
        let fs = Firms {
            equilibrium_bonus: 0.2,
            equilibrium_price_share: 0.5,
            ..crate::scenario::defaults().firms
        };
        let mut ps = Partnership {
            base_price: 100.0,
            stage: Stage::Agreement,
            ..Partnership::contact(0, fs.initial_trust)
        };
        assert_eq!(ps.price(1.0, &fs), 100.0);
        assert!(ps.price(1.2, &fs) > 100.0);
        ps.stage = Stage::Equilibrium;
        assert!((ps.price(1.0, &fs) - 110.0).abs() < 1e-9);
    }
}
