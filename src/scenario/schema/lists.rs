//! The lists of a scenario (agencies, products, scheduled events): their entry types, the default agencies and products, and the declaration of every entry key.
//!
//! A list replaces an inherited list whole, and its entries have no
//! per-field defaults to speak of, so their keys are declared in one table
//! here rather than with `section!`; `validate.rs` checks each entry against
//! the ranges declared here.

use super::ProgrammeKind;
use super::key::{ASM, Allowed, Key};
use super::value_type::Typed;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const fn list_key<T: Typed>(
    path: &'static str,
    meaning: &'static str,
    unit: &'static str,
    allowed: Allowed,
    source: &'static str,
) -> Key {
    Key {
        path,
        meaning,
        unit,
        allowed,
        value: T::TYPE,
        source,
        advanced: false,
        entries: &[],
    }
}

/// A list of a scenario file: where it is, what it holds, and the keys each
/// entry must state (serde fills in the others); with [`LIST_KEYS`] it gives
/// the list's part of the JSON Schema.
#[derive(Debug, Clone, Copy)]
pub struct List {
    pub path: &'static str,
    pub doc: &'static str,
    pub required: &'static [&'static str],
}

/// The lists of a scenario, in file order.
pub const LISTS: &[List] = &[
    List {
        path: "agencies",
        doc: "Agencies and their yearly budgets; absent means the default set, [] none. A list replaces an inherited list whole.",
        required: &["name", "level", "budget", "mix"],
    },
    List {
        path: "products",
        doc: "Product catalogue; absent means the default six products. A list replaces an inherited list whole.",
        required: &[
            "name",
            "raw_yield_kg_ha",
            "peak_month",
            "seasonality",
            "farmgate_price",
            "conversion",
            "domestic_price",
            "export_price",
            "labour_per_t",
            "capital_per_t",
            "drought_loss",
            "volatility",
            "tier_premium",
        ],
    },
    List {
        path: "events.weather",
        doc: "Scheduled weather events (El Nino, La Nina, floods).",
        required: &["kind", "year"],
    },
    List {
        path: "events.price",
        doc: "Scheduled shocks to the global price index of one product or all.",
        required: &["product", "year", "change"],
    },
];

/// What the [events] table holds.
pub const EVENTS_DOC: &str = "Scheduled events: weather and global price shocks.";

/// Every key of a list entry; `[]` stands for any index, `<kind>` for any programme kind.
pub const LIST_KEYS: &[Key] = {
    use Allowed::*;
    &[
        list_key::<String>("agencies[].name", "agency name", "text", Any, "-"),
        list_key::<Level>(
            "agencies[].level",
            "government level (regional levels face elections)",
            "central / province / district",
            Any,
            "-",
        ),
        list_key::<f64>(
            "agencies[].budget",
            "yearly programme budget for the simulated area",
            "Rp/year",
            AtMost(1e15),
            ASM,
        ),
        list_key::<BTreeMap<ProgrammeKind, f64>>(
            "agencies[].mix.<kind>",
            "budget share per programme kind (normalised)",
            "share",
            AtMost(1e6),
            "source paper: ten programme types",
        ),
        list_key::<String>("products[].name", "product name", "text", Any, "-"),
        list_key::<f64>(
            "products[].raw_yield_kg_ha",
            "raw-material yield, yearly mean",
            "kg/ha/month",
            AtMost(1e6),
            ASM,
        ),
        list_key::<u32>(
            "products[].peak_month",
            "harvest peak",
            "month 1-12",
            Int(1, 12),
            ASM,
        ),
        list_key::<f64>(
            "products[].seasonality",
            "seasonal amplitude of the harvest",
            "0-1",
            Share,
            ASM,
        ),
        list_key::<f64>(
            "products[].farmgate_price",
            "farm-gate price of the raw material",
            "Rp/kg",
            PositiveAtMost(1e9),
            "assumption near 2023 market prices",
        ),
        list_key::<f64>(
            "products[].conversion",
            "processed output per kg of raw material",
            "kg/kg",
            Range(0.001, 10.0),
            ASM,
        ),
        list_key::<f64>(
            "products[].domestic_price",
            "domestic price of the processed product, ungraded",
            "Rp/kg",
            PositiveAtMost(1e10),
            "assumption near 2023 wholesale prices",
        ),
        list_key::<f64>(
            "products[].export_price",
            "export price of the processed product",
            "Rp/kg",
            PositiveAtMost(1e10),
            ASM,
        ),
        list_key::<f64>(
            "products[].labour_per_t",
            "labour per tonne processed at basic technology",
            "worker-months/t",
            Range(0.0, 1000.0),
            ASM,
        ),
        list_key::<f64>(
            "products[].capital_per_t",
            "equipment cost per tonne of monthly capacity",
            "Rp per t/month",
            AtMost(1e13),
            ASM,
        ),
        list_key::<f64>(
            "products[].drought_loss",
            "yield loss in the most severe drought",
            "share",
            Share,
            "El Nino 1997-98: coffee output -24%, paddy -6%",
        ),
        list_key::<f64>(
            "products[].volatility",
            "volatility of the global price index",
            "log sd/month",
            Range(0.0, 1.0),
            ASM,
        ),
        list_key::<[f64; 5]>(
            "products[].tier_premium",
            "price premium by tier: none, PIRT, SNI/halal, GMP, HACCP",
            "shares",
            Range(0.0, 5.0),
            ASM,
        ),
        list_key::<WeatherKind>(
            "events.weather[].kind",
            "scheduled weather event",
            "el_nino / la_nina / flood",
            Any,
            "-",
        ),
        list_key::<i32>(
            "events.weather[].year",
            "calendar year it starts",
            "year",
            ByHand("start_year to the last simulated year"),
            "-",
        ),
        list_key::<u32>(
            "events.weather[].month",
            "month it starts (default 1)",
            "month 1-12",
            Int(1, 12),
            "-",
        ),
        list_key::<u32>(
            "events.weather[].duration_months",
            "length (default 12)",
            "months",
            Int(1, 1200),
            "-",
        ),
        list_key::<f64>(
            "events.weather[].severity",
            "strength (1 = 1997-98 El Nino); floods: share of villages hit",
            "0-1",
            Share,
            "very strong El Ninos 1997-98 and 2015-16",
        ),
        list_key::<String>(
            "events.price[].product",
            "product whose global price is shocked",
            "name or all",
            Any,
            "-",
        ),
        list_key::<i32>(
            "events.price[].year",
            "calendar year it starts",
            "year",
            ByHand("start_year to the last simulated year"),
            "-",
        ),
        list_key::<u32>(
            "events.price[].month",
            "month it starts (default 1)",
            "month 1-12",
            Int(1, 12),
            "-",
        ),
        list_key::<f64>(
            "events.price[].change",
            "change of the global index (-0.5 halves it)",
            "share",
            Range(-0.95, 10.0),
            "palm oil 2008 -67%; rubber 2011-2015 -70%",
        ),
        list_key::<u32>(
            "events.price[].duration_months",
            "months at the shocked level (default 12)",
            "months",
            Int(1, 1200),
            "-",
        ),
        list_key::<u32>(
            "events.price[].recovery_months",
            "months of linear recovery (default 12)",
            "months",
            Int(0, 1200),
            "-",
        ),
    ]
};

/// The declared allowed range of a list entry key, written with `[]`.
pub fn list_allowed(path: &str) -> Allowed {
    LIST_KEYS
        .iter()
        .find(|k| k.path == path)
        .map_or(Allowed::Any, |k| k.allowed)
}

/// Government level of an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Central,
    Province,
    District,
}

/// One agency.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub name: String,
    pub level: Level,
    /// Yearly programme budget for the simulated area (Rp per year).
    pub budget: f64,
    /// Budget share by programme kind (normalised).
    pub mix: BTreeMap<ProgrammeKind, f64>,
}

/// One product of the catalogue.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    /// Raw-material yield (kg per ha per month, yearly mean).
    pub raw_yield_kg_ha: f64,
    /// Harvest peak month (1-12) and seasonal amplitude (0 = even, 1 = all in season).
    pub peak_month: u32,
    pub seasonality: f64,
    /// Farm-gate price of the raw material (Rp/kg).
    pub farmgate_price: f64,
    /// Processed output per kg of raw material (kg/kg).
    pub conversion: f64,
    /// Domestic price of the processed product, ungraded (Rp/kg).
    pub domestic_price: f64,
    /// Export price of the processed product (Rp/kg).
    pub export_price: f64,
    /// Worker-months per tonne of processed output at basic technology.
    pub labour_per_t: f64,
    /// Equipment cost per tonne of monthly capacity (Rp).
    pub capital_per_t: f64,
    /// Yield loss in the most severe drought (share).
    pub drought_loss: f64,
    /// Monthly volatility of the global price index (sd of log change).
    pub volatility: f64,
    /// Price premium by certification tier: none, PIRT home-industry, SNI/halal, GMP, HACCP (shares).
    pub tier_premium: [f64; 5],
}

/// Scheduled events.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Events {
    pub weather: Vec<WeatherEvent>,
    pub price: Vec<PriceShock>,
}

/// Kind of scheduled weather event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeatherKind {
    ElNino,
    LaNina,
    Flood,
}

/// A scheduled weather event.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeatherEvent {
    pub kind: WeatherKind,
    /// Calendar year and month (1-12) it starts.
    pub year: i32,
    #[serde(default = "one")]
    pub month: u32,
    /// Length (months).
    #[serde(default = "twelve")]
    pub duration_months: u32,
    /// Strength (0-1; 1 = 1997-98 or 2015-16 El Nino). For floods: share of villages hit.
    #[serde(default = "one_f")]
    pub severity: f64,
}

/// A scheduled global price shock.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceShock {
    /// Product name, or "all".
    pub product: String,
    pub year: i32,
    #[serde(default = "one")]
    pub month: u32,
    /// Change of the global price index (share; -0.5 halves it).
    pub change: f64,
    /// Months at the shocked level.
    #[serde(default = "twelve")]
    pub duration_months: u32,
    /// Months of linear recovery afterwards.
    #[serde(default = "twelve")]
    pub recovery_months: u32,
}

fn one() -> u32 {
    1
}
fn twelve() -> u32 {
    12
}
fn one_f() -> f64 {
    1.0
}

/// The default six-product catalogue.
pub fn default_products() -> Vec<Product> {
    // name, raw yield kg/ha/month, peak month, seasonality, farm-gate Rp/kg,
    // conversion kg/kg, domestic Rp/kg, export Rp/kg, worker-months/t,
    // capital Rp per t/month, drought loss, monthly volatility.
    type Row = (
        &'static str,
        f64,
        u32,
        f64,
        f64,
        f64,
        f64,
        f64,
        f64,
        f64,
        f64,
        f64,
    );
    #[rustfmt::skip]
    let table: [Row; 6] = [
        ("coffee",           60.0,    7, 0.6, 30_000.0, 0.8,  85_000.0, 120_000.0, 2.0, 120e6, 0.30, 0.07),
        ("cocoa",            45.0,    5, 0.5, 35_000.0, 0.8,  95_000.0, 130_000.0, 2.5, 135e6, 0.30, 0.08),
        ("coconut_sugar",    1_200.0, 8, 0.2,  1_000.0, 0.15, 22_000.0,  35_000.0, 2.5,  75e6, 0.20, 0.04),
        ("cassava_chips",    1_600.0, 6, 0.3,  1_500.0, 0.3,  13_000.0,  19_000.0, 1.3,  60e6, 0.12, 0.05),
        ("fruit_processing", 500.0,  12, 0.6,  5_000.0, 0.2,  55_000.0,  75_000.0, 3.3, 105e6, 0.25, 0.05),
        ("fish_processing",  100.0,   3, 0.3, 25_000.0, 0.8,  70_000.0,  95_000.0, 2.5, 135e6, 0.15, 0.05),
    ];
    table
        .iter()
        .map(
            |&(name, y, peak, season, farmgate, conv, dom, exp, lab, cap, drought, vol)| Product {
                name: name.into(),
                raw_yield_kg_ha: y,
                peak_month: peak,
                seasonality: season,
                farmgate_price: farmgate,
                conversion: conv,
                domestic_price: dom,
                export_price: exp,
                labour_per_t: lab,
                capital_per_t: cap,
                drought_loss: drought,
                volatility: vol,
                tier_premium: [0.0, 0.08, 0.18, 0.3, 0.4],
            },
        )
        .collect()
}

/// The default agencies: four ministries and the district office.
pub fn default_agencies() -> Vec<Agency> {
    use ProgrammeKind::*;
    let a = |name: &str, level, budget: f64, mix: &[(ProgrammeKind, f64)]| Agency {
        name: name.into(),
        level,
        budget,
        mix: mix.iter().copied().collect(),
    };
    vec![
        a(
            "industry",
            Level::Central,
            4e9,
            &[
                (Technology, 0.45),
                (QualityStandards, 0.35),
                (PromotionChannels, 0.2),
            ],
        ),
        a(
            "agriculture",
            Level::Central,
            3e9,
            &[(RawMaterial, 0.6), (HumanResources, 0.4)],
        ),
        a(
            "cooperatives_smes",
            Level::Central,
            3e9,
            &[
                (FinanceAccess, 0.5),
                (HumanResources, 0.2),
                (Empowerment, 0.3),
            ],
        ),
        a(
            "trade",
            Level::Central,
            2e9,
            &[
                (TradeFairs, 0.45),
                (PromotionChannels, 0.35),
                (Website, 0.2),
            ],
        ),
        a(
            "district_office",
            Level::District,
            3e9,
            &[(Infrastructure, 0.6), (Empowerment, 0.4)],
        ),
    ]
}
