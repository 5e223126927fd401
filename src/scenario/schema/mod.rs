//! The scenario file's structure: the top-level keys, the sections in file order, and the lists (agencies, products, events).
//!
//! Each key is declared once, with `section!` (see `key.rs`), in the file of
//! its section: that declaration gives the field, its default, unit, meaning,
//! source and allowed range. Every section's `Default` is the documented
//! default scenario, so a scenario file only states what it changes. Unknown
//! keys are errors (`deny_unknown_fields`), so a typo never silently falls
//! back to a default. The list entries (agencies, products, events) are
//! plain structs; their keys are documented in `lists.rs`.

pub mod key;
mod lists;
pub mod value_type;

mod adoption;
mod coordination;
mod district;
mod economy;
mod environment;
mod finance;
mod firms;
mod groups;
mod households;
mod information;
mod labour;
mod prices;
mod programme;
mod weather;

pub use adoption::Adoption;
pub use coordination::Coordination;
pub use district::District;
pub use economy::Economy;
pub use environment::Environment;
pub use finance::Finance;
pub use firms::Firms;
pub use groups::Groups;
pub use households::Households;
pub use information::Information;
pub use labour::Labour;
pub use lists::*;
pub use prices::Prices;
pub use programme::Programme;
pub use weather::Weather;

use key::section;
use serde::{Deserialize, Serialize};

section! {
    /// A whole scenario file.
    pub struct Scenario {
        /// Path of the scenario file this one extends (relative to this file).
        /// Resolved while loading: a loaded scenario always has `None` here.
        #[serde(skip_serializing)]
        extends: Option<String> = None,
        name: String = "unnamed".into() => {
            meaning: "scenario name; names the output folder",
            unit: "text",
            allowed: by_hand("non-empty letters, digits, '-' or '_'"),
            source: "-",
        },
        label: String = String::new() => {
            meaning: "name shown in legends, table headers and chart titles; empty: the name",
            unit: "text",
            allowed: any,
            source: "-",
        },
        description: String = String::new() => {
            meaning: "free text kept in the manifest",
            unit: "text",
            allowed: any,
            source: "-",
        },
        start_year: i32 = 2025 => {
            meaning: "calendar year of month 1; money is constant rupiah of this year",
            unit: "year",
            allowed: range(1900.0, 2200.0),
            source: "-",
        },
        years: u32 = 20 => {
            meaning: "simulated horizon",
            unit: "years",
            allowed: int(1, 100),
            source: "design range 10-30 years",
        },
        approach: Approach = Approach::Ovop => {
            meaning: "how products are chosen and programmes run",
            unit: "ovop / kawasan / none",
            allowed: any,
            source: "source paper (OVOP vs kawasan)",
        },
        district: District = District::default() => section,
        households: Households = Households::default() => section,
        economy: Economy = Economy::default() => section,
        labour: Labour = Labour::default() => section,
        adoption: Adoption = Adoption::default() => section,
        groups: Groups = Groups::default() => section,
        firms: Firms = Firms::default() => section,
        programme: Programme = Programme::default() => section,
        coordination: Coordination = Coordination::default() => section,
        information: Information = Information::default() => section,
        finance: Finance = Finance::default() => section,
        weather: Weather = Weather::default() => section,
        environment: Environment = Environment::default() => section,
        prices: Prices = Prices::default() => section,
        /// Agencies and their yearly budgets; absent means the default set, `[]` none.
        agencies: Vec<Agency> = Vec::new(),
        /// Product catalogue; absent means the default six products.
        products: Vec<Product> = Vec::new(),
        events: Events = Events::default(),
    }
}

impl Scenario {
    /// What readers see: the label, or the name when there is none.
    pub fn display_label(&self) -> &str {
        if self.label.is_empty() {
            &self.name
        } else {
            &self.label
        }
    }
}

/// How products are chosen and programmes run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approach {
    /// Village scores its candidates on the five OVOP criteria; community ownership.
    Ovop,
    /// One commodity assigned from above to the whole area; low ownership.
    Kawasan,
    /// No programme: agencies spend nothing on the villages.
    None,
}

/// The ten programme types of the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeKind {
    Technology,
    QualityStandards,
    PromotionChannels,
    TradeFairs,
    FinanceAccess,
    HumanResources,
    Website,
    RawMaterial,
    Infrastructure,
    Empowerment,
}

impl ProgrammeKind {
    /// All kinds, in index order.
    pub const ALL: [ProgrammeKind; 10] = [
        ProgrammeKind::Technology,
        ProgrammeKind::QualityStandards,
        ProgrammeKind::PromotionChannels,
        ProgrammeKind::TradeFairs,
        ProgrammeKind::FinanceAccess,
        ProgrammeKind::HumanResources,
        ProgrammeKind::Website,
        ProgrammeKind::RawMaterial,
        ProgrammeKind::Infrastructure,
        ProgrammeKind::Empowerment,
    ];
    /// Number of kinds: the length of every per-kind array.
    pub const COUNT: usize = Self::ALL.len();

    /// Name in scenario files and what the programme pays for, in index order.
    pub const NAMES: [(&'static str, &'static str); Self::COUNT] = [
        ("technology", "production technology"),
        ("quality_standards", "quality standards (GMP, HACCP)"),
        (
            "promotion_channels",
            "promotion in malls, airports, hotels, hospitals",
        ),
        ("trade_fairs", "international trade fairs"),
        ("finance_access", "access to finance"),
        ("human_resources", "training, apprenticeship, study visits"),
        ("website", "website and IT promotion"),
        ("raw_material", "raw-material development"),
        ("infrastructure", "roads, power, clean water"),
        ("empowerment", "sustained community empowerment"),
    ];

    /// Stable snake_case name (as in scenario files).
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize].0
    }
}
