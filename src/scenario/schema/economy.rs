//! The [economy] section: wages, prices and growth outside agro-industry.

use super::key::{ASM, section};

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
            meaning: "casual work a free worker seeks, own farm work included; found when the village demands it",
            unit: "days/month",
            allowed: range(0.0, 31.0),
            source: "assumption: about half of a six-day working week goes to paid casual work or the family farm",
        },
        staple_return_ha: f64 = 2_950_000.0 => {
            meaning: "net return of staple crops to land and family labour",
            unit: "Rp/ha/month",
            allowed: at_most(1e10),
            source: "calibrated (farm-income share, poverty path; docs/ODD.md 9.5), in the range 1.5-3.0M set by irrigated rice: two harvests of about 5.5 t at about Rp6,000/kg, half of it costs",
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
        background_growth: f64 = 0.006 => {
            meaning: "real growth of wages, prices, farm returns and other income (balanced growth)",
            unit: "share/year",
            allowed: range(-0.2, 0.2),
            source: "calibrated to the rural poverty path 2015-2024 (docs/ODD.md 9.5); far below GDP per capita growth",
        },
        local_multiplier_days: f64 = 0.07 => {
            meaning: "casual work demanded in the village by the agro-industry income spent there",
            unit: "days per Rp1M (start-year prices) per 100 workers",
            allowed: range(0.0, 10.0),
            source: "LEWIE village-economy real income multipliers 1.26-1.84 (Taylor et al.): each Rp1 of agro-industry income spent in the village pays about Rp0.5 of casual wages (0.07 x 100 days x Rp68,800 per Rp1M), within the days the village seeks",
        },
        infrastructure_price_gap: f64 = 0.2 => {
            meaning: "farm-gate prices and staple returns in a village of full infrastructure over one of none, less 1 (transport margins; a village at index 0.5 gets the listed prices)",
            unit: "share",
            allowed: range(0.0, 1.0),
            source: "bounded assumption (0.1-0.4): remoteness and transport infrastructure explain price gaps of 5-12% (rice, sugar) to 16-22% (maize, soybeans, cooking oil) between Indonesian provinces (Varela, Aldaz-Carroll and Iacovone 2012)",
        },
        raw_crop_cost_share: f64 = 0.35 => {
            meaning: "production costs of the raw crop",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        casual_days_max: f64 = 26.0 => {
            meaning: "most casual work a worker takes when the village demands more than is sought",
            unit: "days/month",
            allowed: range(0.0, 31.0),
            source: "assumption: a six-day working week",
            advanced,
        },
        casual_pay_unskilled: f64 = 0.5 => {
            meaning: "a worker's weight in sharing out the village's casual work and pay at skill 0 (skill is added)",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: "assumption: skilled workers find more and better-paid casual work",
            advanced,
        },
    }
}
