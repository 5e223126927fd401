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
    }
}
