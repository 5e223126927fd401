//! The [finance] section: credit: KUR tiers, commercial and informal lenders.

use super::key::{ASM, section};

section! {
    /// Credit: KUR tiers, commercial and informal lenders.
    pub struct Finance in "finance" {
        kur_supply: f64 = 1.0 => {
            meaning: "scales every KUR approval (0 none, 1 normal)",
            unit: "factor",
            allowed: range(0.0, 2.0),
            source: "scenario switch",
        },
        kur_approval: f64 = 0.5 => {
            meaning: "base KUR approval with records",
            unit: "probability",
            allowed: share,
            source: "BPS 2024: 6% rejected, 27% find it too hard",
        },
        kur_supermicro_max: f64 = 10e6 => {
            meaning: "KUR super-micro ceiling",
            unit: "Rp",
            allowed: non_negative,
            source: "KUR 2023: Rp10M",
        },
        kur_supermicro_rate: f64 = 0.03 => {
            meaning: "KUR super-micro rate",
            unit: "per year",
            allowed: share,
            source: "KUR 2023: 3%",
        },
        kur_micro_rates: Vec<f64> = vec![0.06, 0.07, 0.08, 0.09] => {
            meaning: "KUR rates for a borrower's 1st-4th loan",
            unit: "per year",
            allowed: share,
            source: "KUR 2023: 6%, 7%, 8%, 9%",
        },
        kur_small_max: f64 = 500e6 => {
            meaning: "KUR small ceiling",
            unit: "Rp",
            allowed: non_negative,
            source: "KUR 2023: Rp500M",
        },
        commercial_rate: f64 = 0.14 => {
            meaning: "commercial bank rate",
            unit: "per year",
            allowed: share,
            source: ASM,
        },
        commercial_approval: f64 = 0.25 => {
            meaning: "commercial approval with full records",
            unit: "probability",
            allowed: share,
            source: ASM,
        },
        informal_rate_month: f64 = 0.05 => {
            meaning: "informal lender rate",
            unit: "per month",
            allowed: share,
            source: "anecdotal (uncertain): about 20% per season for pay-at-harvest loans",
        },
        term_months: u32 = 36 => {
            meaning: "formal loan term",
            unit: "months",
            allowed: int(1, 600),
            source: ASM,
        },
        distress_months: u32 = 6 => {
            meaning: "months of debt service above half of income before distress",
            unit: "months",
            allowed: int(1, 600),
            source: ASM,
        },
        land_price_ha: f64 = 150e6 => {
            meaning: "value of land sold in distress",
            unit: "Rp/ha",
            allowed: non_negative,
            source: ASM,
        },
    }
}
