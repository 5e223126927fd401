//! The [labour] section: the village labour market (farm and non-farm casual work, family labour) and the small food processing villages start with.

use super::key::section;

section! {
    /// The village labour market and household food processing.
    pub struct Labour in "labour" {
        farm_days_ha: f64 = 20.0 => {
            meaning: "labour a hectare of crops needs, averaged over the year",
            unit: "days/ha/month",
            allowed: range(0.0, 100.0),
            source: "assumption (uncertain): wet rice takes about 120-190 person-days per ha a season, two seasons a year; dry crops less",
        },
        hired_share: f64 = 0.4 => {
            meaning: "share of farm labour hired in the village; family workers do the rest, unpaid",
            unit: "share",
            allowed: share,
            source: "assumption (uncertain): planting and harvest of rice are largely hired work",
        },
        nonfarm_days_household: f64 = 13.3 => {
            meaning: "casual non-farm work the village demands (building, transport, trade), per household",
            unit: "days/household/month",
            allowed: range(0.0, 200.0),
            source: "calibrated (wage share of income, poverty; docs/ODD.md 9.5)",
        },
        wage_elasticity: f64 = 0.3 => {
            meaning: "response of the casual wage to the labour market's tightness (days demanded per day sought, against month 0)",
            unit: "elasticity",
            allowed: range(0.0, 3.0),
            source: "assumption, bounded 0-1: days worked move more than the daily wage",
        },
        price_elasticity: f64 = 0.5 => {
            meaning: "response of hired work on the raw crop to its farm-gate price",
            unit: "elasticity",
            allowed: range(0.0, 3.0),
            source: "assumption, bounded 0-1: a price fall cuts weeding and harvest effort",
        },
        processing_share: f64 = 0.02 => {
            meaning: "households that run a small food-processing business at the start",
            unit: "share",
            allowed: share,
            source: "BPS IKM 2020: 1.52M food processors with 2.3 workers each, about 2.4% of all workers",
        },
        processing_family_workers: u32 = 2 => {
            meaning: "family workers in a household's processing business (at most its workers)",
            unit: "workers",
            allowed: int(0, 12),
            source: "BPS IKM 2020/2023: 2.3 workers a business, 68% of them unpaid family",
        },
        processing_hired_days: f64 = 16.0 => {
            meaning: "casual work a processing business hires",
            unit: "days/month",
            allowed: range(0.0, 400.0),
            source: "BPS IKM: the paid 32% of 2.3 workers, about 0.74 worker or 16 days a month",
        },
        processing_income_worker: f64 = 1_000_000.0 => {
            meaning: "net income of a processing business per family worker, after hired wages",
            unit: "Rp/worker/month",
            allowed: range(0.0, 50_000_000.0),
            source: "assumption: under the Rp1.73M a month of prepared-food workers in medium and large firms (BPS Dec 2014)",
        },
        processing_loan_seek: f64 = 0.14 => {
            meaning: "rate at which a processing business without a loan seeks working capital (a twelfth of it each month)",
            unit: "per year",
            allowed: share,
            source: "calibrated to small processors' credit use, 12.5% (BPS provincial IKM profiles): 0.136 (0.066 to 0.206), docs/ODD.md 9.5; under the 25.6% who name capital their main constraint (BPS 2020)",
        },
        processing_loan: f64 = 10_000_000.0 => {
            meaning: "working-capital loan a processing business seeks (0: none seek)",
            unit: "Rp",
            allowed: range(0.0, 500_000_000.0),
            source: "KUR super-micro limit, Rp10 million (2023 rules)",
        },
        processing_capital_return: f64 = 0.02 => {
            meaning: "net return of borrowed working capital in a processing business, while the loan runs",
            unit: "share/month",
            allowed: range(0.0, 0.1),
            source: "bounded assumption 0-0.057: 5.7% a month, microenterprises' return to capital in a field experiment (de Mel, McKenzie and Woodruff 2008), is the upper bound; microcredit's effects are modestly positive (Banerjee, Karlan and Zinman 2015)",
        },
    }
}
