//! The [economy] section: wages, prices and growth outside agro-industry.

use super::key::{ASM, CAL, section};

section! {
    /// Wages, prices and growth outside agro-industry.
    pub struct Economy in "economy" {
        poverty_line: f64 = 556_874.0 => {
            meaning: "rural poverty line",
            unit: "Rp/capita/month",
            allowed: positive_at_most(1e9),
            source: "BPS Mar 2024: Rp556,874",
        },
        casual_wage_day: f64 = 68_800.0 => {
            meaning: "farm labourer wage",
            unit: "Rp/day",
            allowed: at_most(1e8),
            source: "BPS Aug 2023: Rp68,800",
        },
        casual_days: f64 = 15.0 => {
            meaning: "days of casual work a worker finds",
            unit: "days/month",
            allowed: range(0.0, 31.0),
            source: "calibrated to rural income about Rp1M per capita (BPS 2021 spending Rp994,000)",
        },
        staple_return_ha: f64 = 1_300_000.0 => {
            meaning: "net return of staple crops",
            unit: "Rp/ha/month",
            allowed: at_most(1e10),
            source: ASM,
        },
        group_wage: f64 = 1_700_000.0 => {
            meaning: "wage of a producer-group worker",
            unit: "Rp/month",
            allowed: at_most(1e10),
            source: "between farm labour and BPS Aug 2024 agriculture employee wage Rp2.41M",
        },
        firm_wage: f64 = 2_410_000.0 => {
            meaning: "wage of a lead-firm employee",
            unit: "Rp/month",
            allowed: at_most(1e10),
            source: "BPS Aug 2024 agriculture employee wage Rp2.41M",
        },
        background_growth: f64 = 0.02 => {
            meaning: "real growth of wages, other income and staple returns",
            unit: "share/year",
            allowed: range(-0.2, 0.2),
            source: "assumption (uncertain): slower than national GDP per capita growth",
        },
        local_multiplier_days: f64 = 0.25 => {
            meaning: "extra casual work from agro-industry income spent in the village",
            unit: "days per Rp1M per 100 workers",
            allowed: range(0.0, 10.0),
            source: CAL,
        },
        raw_crop_cost_share: f64 = 0.35 => {
            meaning: "production costs of the raw crop",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        casual_days_max: f64 = 26.0 => {
            meaning: "most casual work a worker finds, local multiplier included",
            unit: "days/month",
            allowed: range(0.0, 31.0),
            source: "assumption: a six-day working week",
            advanced,
        },
        casual_pay_unskilled: f64 = 0.5 => {
            meaning: "casual work and pay of a worker with skill 0 (skill is added)",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: "assumption: skilled workers find more and better-paid casual work",
            advanced,
        },
    }
}
