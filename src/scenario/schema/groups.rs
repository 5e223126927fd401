//! The [groups] section: producer groups (kelompok usaha, IKM, cooperatives).

use super::key::{ASM, CAL, section};

section! {
    /// Producer groups (kelompok usaha, IKM, cooperatives).
    pub struct Groups in "groups" {
        max_per_village: u32 = 3 => {
            meaning: "most groups in one village",
            unit: "groups",
            allowed: int(1, 10),
            source: "design range 0-3 per village",
        },
        min_members: u32 = 10 => {
            meaning: "willing households needed to found a group",
            unit: "households",
            allowed: int(1, 1000),
            source: ASM,
        },
        leader_probability: f64 = 0.004 => {
            meaning: "chance a local leader starts a group (scaled by cohesion)",
            unit: "per month",
            allowed: share,
            source: CAL,
        },
        initial_capacity_t: f64 = 0.6 => {
            meaning: "processing capacity of a new group",
            unit: "t/month",
            allowed: range(0.001, 1e6),
            source: ASM,
        },
        founding_contribution: f64 = 250_000.0 => {
            meaning: "members' cash at founding",
            unit: "Rp/member",
            allowed: non_negative,
            source: ASM,
        },
        profit_share: f64 = 0.6 => {
            meaning: "share of profit paid to members",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        other_cost_share: f64 = 0.3 => {
            meaning: "packaging, energy, transport and marketing costs",
            unit: "share of sales",
            allowed: share,
            source: ASM,
        },
        member_raw_premium: f64 = 0.1 => {
            meaning: "premium over farm gate paid to members for raw material",
            unit: "share",
            allowed: range(0.0, 2.0),
            source: "oil-palm partnerships 2020: Rp1,200-1,300/kg vs under Rp1,000 (20-30% more)",
        },
        expansion_step: f64 = 0.3 => {
            meaning: "capacity added per expansion",
            unit: "share of capacity",
            allowed: range(0.0, 5.0),
            source: ASM,
        },
        upkeep_share: f64 = 0.008 => {
            meaning: "equipment upkeep",
            unit: "share of capital/month",
            allowed: share,
            source: ASM,
        },
        quality_decay: f64 = 0.01 => {
            meaning: "quality decay without upkeep",
            unit: "per month",
            allowed: share,
            source: ASM,
        },
        quality_gain: f64 = 0.03 => {
            meaning: "quality gain at full training and standards effect",
            unit: "per month",
            allowed: share,
            source: CAL,
        },
        dormant_after_months: u32 = 4 => {
            meaning: "months in arrears (twice as many months of losses) before dormancy",
            unit: "months",
            allowed: int(1, 600),
            source: ASM,
        },
        dissolve_after_months: u32 = 12 => {
            meaning: "months dormant before dissolution",
            unit: "months",
            allowed: int(1, 600),
            source: ASM,
        },
        bottleneck_probability: f64 = 0.04 => {
            meaning: "chance a field bottleneck appears",
            unit: "per month",
            allowed: share,
            source: ASM,
        },
        bottleneck_loss: f64 = 0.5 => {
            meaning: "output lost while a bottleneck is unresolved",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        local_demand_kg: f64 = 0.25 => {
            meaning: "local demand for the processed product",
            unit: "kg/household/month",
            allowed: non_negative,
            source: ASM,
        },
        promoted_demand_t: f64 = 4.0 => {
            meaning: "sales through promoted domestic channels at full effect",
            unit: "t/month",
            allowed: non_negative,
            source: CAL,
        },
        website_demand_t: f64 = 1.5 => {
            meaning: "sales through a website at full effect",
            unit: "t/month",
            allowed: non_negative,
            source: CAL,
        },
        inventory_loss: f64 = 0.05 => {
            meaning: "unsold inventory lost",
            unit: "share/month",
            allowed: share,
            source: ASM,
        },
        outside_raw_share: f64 = 0.5 => {
            meaning: "share of non-members' harvest sold to groups at farm gate",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        core_staff_share: f64 = 0.5 => {
            meaning: "crew kept on when output falls (share of full-capacity labour)",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        reserve_months: f64 = 3.0 => {
            meaning: "working reserve kept before dividends",
            unit: "months of costs",
            allowed: range(0.0, 120.0),
            source: ASM,
        },
        market_t: f64 = 60.0 => {
            meaning: "domestic market for one product in one district before prices fall",
            unit: "t/month",
            allowed: positive,
            source: CAL,
        },
        price_elasticity: f64 = 0.4 => {
            meaning: "fall of the domestic price with supply above that market",
            unit: "exponent",
            allowed: range(0.0, 5.0),
            source: CAL,
        },
    }
}
