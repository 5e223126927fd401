//! The [district] section: villages of the simulated area.

use super::key::{ASM, section};

section! {
    /// Villages of the simulated area.
    pub struct District in "district" {
        districts: u32 = 1 => {
            meaning: "districts the villages are spread over",
            unit: "count",
            allowed: int(1, 1000),
            source: ASM,
        },
        villages: u32 = 50 => {
            meaning: "generated villages",
            unit: "count",
            allowed: int(1, 100_000),
            source: "design default: one district of about 50 villages",
        },
        villages_file: String = String::new() => {
            meaning: "villages CSV instead of generated villages (relative to the scenario)",
            unit: "path",
            allowed: any,
            source: "-",
        },
        households_mean: f64 = 600.0 => {
            meaning: "mean households per village",
            unit: "households",
            allowed: range(1.0, 20000.0),
            source: "design default: about 30,000 households in 50 villages",
        },
        households_sd: f64 = 150.0 => {
            meaning: "sd of households per village",
            unit: "households",
            allowed: range(0.0, 20000.0),
            source: ASM,
        },
        households_min: u32 = 100 => {
            meaning: "fewest households in a generated village",
            unit: "households",
            allowed: int(1, 20_000),
            source: ASM,
        },
        infrastructure_min: f64 = 0.2 => {
            meaning: "lowest infrastructure index (roads, power, water)",
            unit: "index 0-1",
            allowed: share,
            source: ASM,
        },
        infrastructure_max: f64 = 0.8 => {
            meaning: "highest infrastructure index",
            unit: "index 0-1",
            allowed: share,
            source: ASM,
        },
        distance_km_mean: f64 = 20.0 => {
            meaning: "mean distance to the district market (exponential)",
            unit: "km",
            allowed: range(0.0, 1000.0),
            source: ASM,
        },
        cohesion_min: f64 = 0.3 => {
            meaning: "lowest social cohesion (gotong-royong)",
            unit: "index 0-1",
            allowed: share,
            source: ASM,
        },
        cohesion_max: f64 = 0.9 => {
            meaning: "highest social cohesion",
            unit: "index 0-1",
            allowed: share,
            source: ASM,
        },
        candidates_per_village: u32 = 3 => {
            meaning: "candidate products scored by each village",
            unit: "products",
            allowed: by_hand("a whole number 1 to the number of products"),
            source: "source paper: choose among local products",
        },
        local_demand_base: f64 = 0.5 => {
            meaning: "local demand factor at infrastructure 0 (the infrastructure index is added)",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        distance_scale_km: f64 = 30.0 => {
            meaning: "distance to the market at which local demand halves",
            unit: "km",
            allowed: range(0.1, 10000.0),
            source: ASM,
            advanced,
        },
        criteria_min: f64 = 0.05 => {
            meaning: "lowest criterion score of a candidate product (uniform draw)",
            unit: "score 0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
        criteria_max: f64 = 0.95 => {
            meaning: "highest criterion score of a candidate product",
            unit: "score 0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
        imposed_criteria_max: f64 = 0.5 => {
            meaning: "highest criterion score of an imposed product that is not a candidate (from criteria_min)",
            unit: "score 0-1",
            allowed: share,
            source: "assumption: a commodity imposed from above fits the village worse",
            advanced,
        },
        fit_yield_base: f64 = 0.5 => {
            meaning: "raw-yield factor at consistency criterion 0 (the criterion is added)",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        fit_market_base: f64 = 0.1 => {
            meaning: "demand factor with market and specificity criteria 0",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        fit_market_potential: f64 = 1.4 => {
            meaning: "demand factor added per unit of the market-potential criterion",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        fit_market_specificity: f64 = 0.4 => {
            meaning: "demand factor added per unit of the local-specificity criterion",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        fit_price_base: f64 = 0.8 => {
            meaning: "price factor with uniqueness criterion 0",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        fit_price_uniqueness: f64 = 0.4 => {
            meaning: "price factor added per unit of the uniqueness criterion",
            unit: "factor",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        fit_quality: f64 = 0.3 => {
            meaning: "starting product quality per unit of the quality criterion",
            unit: "quality 0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
        dissolutions_before_new_product: u32 = 2 => {
            meaning: "groups dissolved before a village without kawasan drops its product",
            unit: "groups",
            allowed: int(1, 1000),
            source: ASM,
            advanced,
        },
    }
}
