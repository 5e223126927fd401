//! The [prices] section: global price indices of the products.

use super::key::{ASM, section};

section! {
    /// Global price indices of the products.
    pub struct Prices in "prices" {
        reversion: f64 = 0.05 => {
            meaning: "mean reversion of the log price index",
            unit: "per month",
            allowed: share,
            source: ASM,
        },
        jumps_per_year: f64 = 0.3 => {
            meaning: "price jumps",
            unit: "per year",
            allowed: range(0.0, 12.0),
            source: ASM,
        },
        jump_sd: f64 = 0.2 => {
            meaning: "size of a price jump",
            unit: "log sd",
            allowed: range(0.0, 3.0),
            source: "cocoa +61% (2023), arabica +69% (2024)",
        },
        domestic_pass: f64 = 0.7 => {
            meaning: "global price moves passed to domestic processed prices",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        farmgate_pass: f64 = 0.8 => {
            meaning: "global price moves passed to farm-gate raw prices",
            unit: "share",
            allowed: share,
            source: "palm oil 2008: CPO -67%, farm gate Rp1,200-1,400 to Rp300-500/kg",
        },
        farmgate_floor: f64 = 0.05 => {
            meaning: "lowest farm-gate price however far the global index falls",
            unit: "share of the base price",
            allowed: share,
            source: "assumption: a crop is still sold for something",
            advanced,
        },
    }
}
