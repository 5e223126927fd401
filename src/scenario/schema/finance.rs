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
            allowed: at_most(1e12),
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
            allowed: at_most(1e12),
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
        screen_loss_months: u32 = 1 => {
            meaning: "formal lenders (KUR, banks) refuse a group in arrears or with more consecutive months of losses than this; moneylenders do not screen",
            unit: "months",
            allowed: int(0, 600),
            source: "KUR lends to feasible, running businesses (2023 rules) and keeps non-performing loans near 1-1.6% (FACTS.md), so lenders screen; the months are an assumption (bounded 0-3)",
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
            allowed: at_most(1e13),
            source: ASM,
        },
        kur_weight_base: f64 = 0.3 => {
            meaning: "KUR approval weight without records or programme",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: "assumption; BPS 2024: 22% of farmers lack collateral",
            advanced,
        },
        kur_weight_records: f64 = 0.35 => {
            meaning: "KUR approval weight added by full records",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        kur_weight_programme: f64 = 0.35 => {
            meaning: "KUR approval weight added by full finance-access effect",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        kur_programme_boost: f64 = 1.0 => {
            meaning: "further KUR approval factor per unit of finance-access effect",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: "assumption: facilitators bring borrowers to the banks",
            advanced,
        },
        household_records_land: f64 = 0.6 => {
            meaning: "records (collateral, bookkeeping) of a household with land",
            unit: "0-1",
            allowed: share,
            source: "assumption: land is the usual collateral",
            advanced,
        },
        household_records_landless: f64 = 0.2 => {
            meaning: "records of a household without land",
            unit: "0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
        informal_term_months: u32 = 6 => {
            meaning: "informal loan term",
            unit: "months",
            allowed: int(1, 600),
            source: "assumption: repaid at the next harvest",
            advanced,
        },
        distress_service_share: f64 = 0.5 => {
            meaning: "debt service, as a share of income, that makes a month of distress",
            unit: "share of income",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        land_sale_share: f64 = 0.25 => {
            meaning: "part of its land a household in distress sells",
            unit: "share of land",
            allowed: share,
            source: ASM,
            advanced,
        },
        land_sale_min_ha: f64 = 0.05 => {
            meaning: "least land a household in distress can sell; with less its debt defaults",
            unit: "ha",
            allowed: range(0.0, 100.0),
            source: ASM,
            advanced,
        },
    }
}
