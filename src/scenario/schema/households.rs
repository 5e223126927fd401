//! The [households] section: households, drawn at the start.

use super::key::{ASM, CAL, section};

section! {
    /// Households, drawn at the start.
    pub struct Households in "households" {
        members_mean: f64 = 3.8 => {
            meaning: "mean household size",
            unit: "persons",
            allowed: range(1.0, 15.0),
            source: "assumption; BPS Mar 2024: poor households 4.78 persons",
        },
        workers_per_member: f64 = 0.5 => {
            meaning: "workers per member",
            unit: "share",
            allowed: share,
            source: "BPS Aug 2024: 144.6M workers, about half the population",
        },
        landless_share: f64 = 0.2 => {
            meaning: "households without farm land",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        land_median_ha: f64 = 0.42 => {
            meaning: "median farm size of land-holders (log-normal)",
            unit: "ha",
            allowed: range(0.01, 100.0),
            source: "Census 2023: 59% of farm households under 0.5 ha",
        },
        land_sigma: f64 = 1.27 => {
            meaning: "spread of farm sizes",
            unit: "log sd",
            allowed: range(0.0, 3.0),
            source: "calibrated (Gini, poverty; docs/ODD.md 9.5); with median 0.42 ha, 56% of land-holders under 0.5 ha (Census 2023: 59%)",
        },
        raw_crop_share: f64 = 0.25 => {
            meaning: "initial land under the village product's raw crop",
            unit: "share of land",
            allowed: share,
            source: ASM,
        },
        raw_crop_share_max: f64 = 0.7 => {
            meaning: "most land a member puts under the raw crop",
            unit: "share of land",
            allowed: share,
            source: ASM,
        },
        other_income_median: f64 = 1_000_000.0 => {
            meaning: "median other income per household (transfers, trade, remittances)",
            unit: "Rp/month",
            allowed: at_most(1e10),
            source: "calibrated (poverty path, income composition; docs/ODD.md 9.5)",
        },
        other_income_sigma: f64 = 0.9 => {
            meaning: "spread of other income",
            unit: "log sd",
            allowed: range(0.0, 3.0),
            source: "calibrated to BPS rural poverty",
        },
        savings_months: f64 = 1.0 => {
            meaning: "initial savings",
            unit: "months of income",
            allowed: range(0.0, 120.0),
            source: ASM,
        },
        consumption_propensity: f64 = 0.9 => {
            meaning: "share of last month's income consumed above the floor",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        subsistence_share: f64 = 0.8 => {
            meaning: "consumption floor per member",
            unit: "share of poverty line",
            allowed: range(0.0, 3.0),
            source: ASM,
        },
        income_shock_sd: f64 = 0.08 => {
            meaning: "household income shocks (illness, lost work)",
            unit: "log sd per month",
            allowed: range(0.0, 2.0),
            source: CAL,
        },
        income_shock_persistence: f64 = 0.95 => {
            meaning: "persistence of income shocks",
            unit: "AR(1) coefficient",
            allowed: range(0.0, 0.999),
            source: CAL,
        },
        members_max: u32 = 12 => {
            meaning: "largest household drawn",
            unit: "persons",
            allowed: int(1, 255),
            source: "assumption: caps the Poisson draw of household size",
            advanced,
        },
        land_max_ha: f64 = 20.0 => {
            meaning: "largest farm drawn",
            unit: "ha",
            allowed: range(0.01, 10000.0),
            source: "assumption: cuts the log-normal tail of farm sizes",
            advanced,
        },
        other_income_max_ratio: f64 = 50.0 => {
            meaning: "largest other income drawn",
            unit: "times the median",
            allowed: range(1.0, 10000.0),
            source: "assumption: cuts the log-normal tail of other income",
            advanced,
        },
        skill_min: f64 = 0.2 => {
            meaning: "lowest initial skill (uniform draw)",
            unit: "0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
        skill_max: f64 = 0.8 => {
            meaning: "highest initial skill (uniform draw)",
            unit: "0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
        training_rate: f64 = 0.01 => {
            meaning: "part of a member's skill gap closed at full human-resources effect",
            unit: "share per month",
            allowed: share,
            source: "assumption; on-the-job training raises wages 4.5-7.7% (Almeida and de Faria 2014)",
            advanced,
        },
        raw_crop_expand: f64 = 0.004 => {
            meaning: "land a member moves to the raw crop while it pays better than staples",
            unit: "share of land per month",
            allowed: share,
            source: "assumption: tree crops are planted over years",
            advanced,
        },
        raw_crop_retreat: f64 = 0.002 => {
            meaning: "land moved back towards the initial raw-crop share otherwise",
            unit: "share of land per month",
            allowed: share,
            source: "assumption: slower than expanding, planted trees are kept",
            advanced,
        },
    }
}
