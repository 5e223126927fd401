//! The scenario file's structure: serde types mirroring the TOML, each field with its unit and default.
//!
//! Every section has a `Default` that is the documented default scenario, so
//! a scenario file only states what it changes. Unknown keys are errors
//! (`deny_unknown_fields`), so a typo never silently falls back to a default.
//! Ranges are checked in `validate.rs`; units and sources are tabled in
//! `docs/ODD.md`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole scenario file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Path of the scenario file this one extends (relative to this file).
    /// Resolved while loading: a loaded scenario always has `None` here.
    #[serde(skip_serializing)]
    pub extends: Option<String>,
    /// Short name, used in result files and as the default output folder.
    pub name: String,
    /// Free text shown in the manifest.
    pub description: String,
    /// Calendar year of month 1 (prices are constant rupiah of this year).
    pub start_year: i32,
    /// Simulated horizon in years (1-100).
    pub years: u32,
    /// Development approach: "ovop" (village-chosen product), "kawasan"
    /// (top-down commodity areas) or "none" (no programme).
    pub approach: Approach,
    pub district: District,
    pub households: Households,
    pub economy: Economy,
    pub adoption: Adoption,
    pub groups: Groups,
    pub firms: Firms,
    pub programme: Programme,
    pub coordination: Coordination,
    pub information: Information,
    pub finance: Finance,
    pub weather: Weather,
    pub prices: Prices,
    /// Agencies and their yearly budgets; empty means the default set.
    pub agencies: Vec<Agency>,
    /// Product catalogue; empty means the default six products.
    pub products: Vec<Product>,
    pub events: Events,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            extends: None,
            name: "unnamed".into(),
            description: String::new(),
            start_year: 2025,
            years: 20,
            approach: Approach::Ovop,
            district: District::default(),
            households: Households::default(),
            economy: Economy::default(),
            adoption: Adoption::default(),
            groups: Groups::default(),
            firms: Firms::default(),
            programme: Programme::default(),
            coordination: Coordination::default(),
            information: Information::default(),
            finance: Finance::default(),
            weather: Weather::default(),
            prices: Prices::default(),
            agencies: Vec::new(),
            products: Vec::new(),
            events: Events::default(),
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

/// Villages of the simulated area.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct District {
    /// Number of districts (kabupaten) the villages are spread over (1-1000).
    pub districts: u32,
    /// Number of generated villages (1-100000); ignored when `villages_file` is set.
    pub villages: u32,
    /// Optional CSV of villages (path relative to the scenario file).
    pub villages_file: String,
    /// Mean households per village (households).
    pub households_mean: f64,
    /// Standard deviation of households per village (households).
    pub households_sd: f64,
    /// Fewest households in a generated village (households).
    pub households_min: u32,
    /// Infrastructure index range (roads, power, water; 0-1).
    pub infrastructure_min: f64,
    pub infrastructure_max: f64,
    /// Mean distance to the district market (km, exponential).
    pub distance_km_mean: f64,
    /// Social cohesion (gotong-royong) range (0-1).
    pub cohesion_min: f64,
    pub cohesion_max: f64,
    /// Candidate products per village (1-6).
    pub candidates_per_village: u32,
}

impl Default for District {
    fn default() -> Self {
        Self {
            districts: 1,
            villages: 50,
            villages_file: String::new(),
            households_mean: 600.0,
            households_sd: 150.0,
            households_min: 100,
            infrastructure_min: 0.2,
            infrastructure_max: 0.8,
            distance_km_mean: 20.0,
            cohesion_min: 0.3,
            cohesion_max: 0.9,
            candidates_per_village: 3,
        }
    }
}

/// Household draws at the start.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Households {
    /// Mean household size (persons).
    pub members_mean: f64,
    /// Workers per member (share of members of working age who work).
    pub workers_per_member: f64,
    /// Share of households without farm land.
    pub landless_share: f64,
    /// Median farm size of land-holding households (ha, log-normal).
    pub land_median_ha: f64,
    /// Log-normal sigma of farm size.
    pub land_sigma: f64,
    /// Initial share of farm land planted with the village product's raw crop.
    pub raw_crop_share: f64,
    /// Most land a household will put under the raw crop (share).
    pub raw_crop_share_max: f64,
    /// Median other income per household (transfers, trade, remittances; Rp/month, log-normal).
    pub other_income_median: f64,
    /// Log-normal sigma of other income.
    pub other_income_sigma: f64,
    /// Initial savings (months of income).
    pub savings_months: f64,
    /// Share of income consumed above the subsistence floor.
    pub consumption_propensity: f64,
    /// Subsistence floor (share of the poverty line per member).
    pub subsistence_share: f64,
    /// Household-specific income shocks (illness, lost work, remittances stopping):
    /// monthly sd of the log shock to other income and casual wages.
    pub income_shock_sd: f64,
    /// Monthly persistence of those shocks (AR(1) coefficient).
    pub income_shock_persistence: f64,
}

impl Default for Households {
    fn default() -> Self {
        Self {
            members_mean: 3.8,
            workers_per_member: 0.5,
            landless_share: 0.2,
            land_median_ha: 0.42,
            land_sigma: 0.9,
            raw_crop_share: 0.25,
            raw_crop_share_max: 0.7,
            other_income_median: 600_000.0,
            other_income_sigma: 0.9,
            savings_months: 1.0,
            consumption_propensity: 0.9,
            subsistence_share: 0.8,
            income_shock_sd: 0.08,
            income_shock_persistence: 0.95,
        }
    }
}

/// Wages, prices and growth outside agro-industry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Economy {
    /// Rural poverty line (Rp per capita per month).
    pub poverty_line: f64,
    /// Farm labourer wage (Rp per day).
    pub casual_wage_day: f64,
    /// Days of casual work a worker finds per month (days).
    pub casual_days: f64,
    /// Net return of staple crops (Rp per ha per month).
    pub staple_return_ha: f64,
    /// Monthly wage of a producer-group worker (Rp/month).
    pub group_wage: f64,
    /// Monthly wage of a lead-firm employee (Rp/month).
    pub firm_wage: f64,
    /// Real growth of wages and other income (share per year).
    pub background_growth: f64,
    /// Extra casual days per month for every Rp1 million of agro-industry
    /// income earned in the village per 100 workers last month (local multiplier).
    pub local_multiplier_days: f64,
    /// Production costs of the raw crop (share of its farm-gate value).
    pub raw_crop_cost_share: f64,
}

impl Default for Economy {
    fn default() -> Self {
        Self {
            poverty_line: 556_874.0,
            casual_wage_day: 68_800.0,
            casual_days: 15.0,
            staple_return_ha: 1_300_000.0,
            group_wage: 1_700_000.0,
            firm_wage: 2_410_000.0,
            background_growth: 0.02,
            local_multiplier_days: 0.25,
            raw_crop_cost_share: 0.35,
        }
    }
}

/// Awareness diffusion and the joining decision.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Adoption {
    /// Bass innovation coefficient at full socialization (per year).
    pub bass_p: f64,
    /// Bass imitation coefficient (per year).
    pub bass_q: f64,
    /// Innovation coefficient without any programme (per year).
    pub bass_p_background: f64,
    /// Mean joining threshold (expected gain as a share of household income).
    pub threshold_mean: f64,
    /// Spread of thresholds (log-normal sigma).
    pub threshold_sigma: f64,
    /// Community ownership under OVOP (multiplies perceived gain).
    pub ownership_ovop: f64,
    /// Community ownership under kawasan.
    pub ownership_kawasan: f64,
    /// Gain a new group promises before it has a record (share of income).
    pub promised_gain: f64,
    /// Months without a profit share or job after which members may leave.
    pub leave_after_months: u32,
    /// Monthly probability of leaving once past that point.
    pub leave_probability: f64,
}

impl Default for Adoption {
    fn default() -> Self {
        Self {
            bass_p: 0.12,
            bass_q: 0.45,
            bass_p_background: 0.005,
            threshold_mean: 0.08,
            threshold_sigma: 0.8,
            ownership_ovop: 1.0,
            ownership_kawasan: 0.4,
            promised_gain: 0.12,
            leave_after_months: 12,
            leave_probability: 0.08,
        }
    }
}

/// Producer groups.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Groups {
    /// Most groups in one village (1-10).
    pub max_per_village: u32,
    /// Aware, willing households needed to found a group.
    pub min_members: u32,
    /// Monthly chance that a local leader starts a group without any facilitator (scaled by cohesion).
    pub leader_probability: f64,
    /// Processing capacity of a new group (tonnes processed per month).
    pub initial_capacity_t: f64,
    /// Members' cash contribution at founding (Rp per member).
    pub founding_contribution: f64,
    /// Share of profit paid out to members; the rest is retained.
    pub profit_share: f64,
    /// Packaging, energy and transport costs (share of sales).
    pub other_cost_share: f64,
    /// Premium over farm-gate price paid to members for raw material (share).
    pub member_raw_premium: f64,
    /// Capacity added per expansion (share of current capacity).
    pub expansion_step: f64,
    /// Upkeep of equipment (share of capital value per month).
    pub upkeep_share: f64,
    /// Quality decay without upkeep (per month).
    pub quality_decay: f64,
    /// Quality gained per month at full training and standards effect.
    pub quality_gain: f64,
    /// Months in arrears before a group goes dormant.
    pub dormant_after_months: u32,
    /// Months dormant before a group dissolves.
    pub dissolve_after_months: u32,
    /// Monthly chance of a field bottleneck (broken equipment, permit, supply) appearing.
    pub bottleneck_probability: f64,
    /// Output lost while a bottleneck is unresolved (share).
    pub bottleneck_loss: f64,
    /// Local demand for the processed product (kg per household per month at full infrastructure).
    pub local_demand_kg: f64,
    /// Sales a group reaches through promoted domestic channels at full programme effect (t/month).
    pub promoted_demand_t: f64,
    /// Sales a group reaches through its website at full programme effect (t/month).
    pub website_demand_t: f64,
    /// Share of unsold inventory lost each month.
    pub inventory_loss: f64,
    /// Share of non-members' raw harvest sold to the village's groups at the farm-gate price.
    pub outside_raw_share: f64,
    /// Crew kept on when output falls (share of the labour that full capacity needs).
    pub core_staff_share: f64,
    /// Working reserve a group keeps before paying dividends (months of operating costs).
    pub reserve_months: f64,
    /// Domestic market for one product in one district before prices fall (t processed per month).
    pub market_t: f64,
    /// How fast the domestic price falls as supply grows past that market (exponent).
    pub price_elasticity: f64,
}

impl Default for Groups {
    fn default() -> Self {
        Self {
            max_per_village: 3,
            min_members: 10,
            leader_probability: 0.004,
            initial_capacity_t: 0.6,
            founding_contribution: 250_000.0,
            profit_share: 0.6,
            other_cost_share: 0.3,
            member_raw_premium: 0.1,
            expansion_step: 0.3,
            upkeep_share: 0.008,
            quality_decay: 0.01,
            quality_gain: 0.03,
            dormant_after_months: 4,
            dissolve_after_months: 12,
            bottleneck_probability: 0.04,
            bottleneck_loss: 0.5,
            local_demand_kg: 0.25,
            promoted_demand_t: 4.0,
            website_demand_t: 1.5,
            inventory_loss: 0.05,
            outside_raw_share: 0.5,
            core_staff_share: 0.5,
            reserve_months: 3.0,
            market_t: 60.0,
            price_elasticity: 0.4,
        }
    }
}

/// Lead firms and partnerships.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Firms {
    /// Lead firms per district.
    pub per_district: u32,
    /// Products each firm trades (it takes them from the catalogue in turn).
    pub products_per_firm: u32,
    /// Monthly purchase capacity of a new firm (tonnes processed).
    pub capacity_t: f64,
    /// Capacity growth when nearly full (share per year).
    pub capacity_growth: f64,
    /// Largest monthly purchase capacity a firm grows to (t processed; its market's limit).
    pub max_capacity_t: f64,
    /// Share of firms with export market access.
    pub export_access_share: f64,
    /// Monthly chance a firm contacts a suitable group without brokering.
    pub contact_probability: f64,
    /// Monthly chance that communication turns into an agreement (at full trust and quality).
    pub agreement_probability: f64,
    /// Good months in agreement before the equilibrium stage.
    pub equilibrium_after_months: u32,
    /// Contract price over the domestic processed price (share).
    pub contract_markup: f64,
    /// Extra price and volume at equilibrium (share).
    pub equilibrium_bonus: f64,
    /// Spot-over-contract price gap that tempts side-selling (share).
    pub side_sell_gap: f64,
    /// Trust under which a partnership breaks (0-1).
    pub trust_floor: f64,
    /// Speed at which trust follows compliance (per month).
    pub trust_speed: f64,
    /// Chance that government mediation saves a breaking partnership at full coordination.
    pub mediation_probability: f64,
    /// Share of the raw-material bill advanced by the firm under contract.
    pub input_advance_share: f64,
    /// Firm employees per tonne of monthly throughput.
    pub jobs_per_t: f64,
    /// Firm staff before any partnership (jobs).
    pub base_staff: f64,
    /// Firm gross margin on resale (share of purchase value).
    pub margin: f64,
}

impl Default for Firms {
    fn default() -> Self {
        Self {
            per_district: 3,
            products_per_firm: 3,
            capacity_t: 40.0,
            capacity_growth: 0.2,
            max_capacity_t: 400.0,
            export_access_share: 0.67,
            contact_probability: 0.01,
            agreement_probability: 0.2,
            equilibrium_after_months: 18,
            contract_markup: 0.1,
            equilibrium_bonus: 0.15,
            side_sell_gap: 0.1,
            trust_floor: 0.3,
            trust_speed: 0.15,
            mediation_probability: 0.7,
            input_advance_share: 0.3,
            jobs_per_t: 0.6,
            base_staff: 20.0,
            margin: 0.25,
        }
    }
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

    /// Stable snake_case name (as in scenario files).
    pub fn name(self) -> &'static str {
        match self {
            ProgrammeKind::Technology => "technology",
            ProgrammeKind::QualityStandards => "quality_standards",
            ProgrammeKind::PromotionChannels => "promotion_channels",
            ProgrammeKind::TradeFairs => "trade_fairs",
            ProgrammeKind::FinanceAccess => "finance_access",
            ProgrammeKind::HumanResources => "human_resources",
            ProgrammeKind::Website => "website",
            ProgrammeKind::RawMaterial => "raw_material",
            ProgrammeKind::Infrastructure => "infrastructure",
            ProgrammeKind::Empowerment => "empowerment",
        }
    }
}

/// Programme delivery shared by all agencies.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Programme {
    /// Villages on each agency's yearly target list.
    pub target_villages: u32,
    /// Years an agency keeps funding a village before moving on (0 = no limit).
    pub duration_years: u32,
    /// Monthly fading of programme effects without new money (share).
    pub effect_decay: f64,
    /// Money per village at which a programme reaches 63% of its full effect (Rp, per kind).
    pub saturation: BTreeMap<ProgrammeKind, f64>,
    /// Share of the yearly budget planned for each month (January..December; normalised).
    pub calendar: Vec<f64>,
    /// Yearly monitoring and evaluation moves budget towards binding constraints.
    pub adaptive: bool,
    /// Share of an agency's budget moved per year by adaptive management.
    pub adaptive_shift: f64,
    /// Share of finance-access money paid as grants to groups (the rest backs credit).
    pub grant_share: f64,
}

impl Default for Programme {
    fn default() -> Self {
        use ProgrammeKind::*;
        let saturation = [
            (Technology, 250e6),
            (QualityStandards, 150e6),
            (PromotionChannels, 150e6),
            (TradeFairs, 100e6),
            (FinanceAccess, 150e6),
            (HumanResources, 120e6),
            (Website, 40e6),
            (RawMaterial, 150e6),
            (Infrastructure, 800e6),
            (Empowerment, 80e6),
        ]
        .into_iter()
        .collect();
        Self {
            target_villages: 20,
            duration_years: 0,
            effect_decay: 0.03,
            saturation,
            calendar: vec![
                0.02, 0.03, 0.05, 0.07, 0.08, 0.08, 0.09, 0.10, 0.10, 0.11, 0.12, 0.15,
            ],
            adaptive: false,
            adaptive_shift: 0.2,
            grant_share: 0.4,
        }
    }
}

/// Inter-agency coordination: one quality and the ranges it moves through.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Coordination {
    /// Coordination quality (0 = every agency alone, 1 = one joint plan).
    pub quality: f64,
    /// Share of released money reaching the field at quality 0 and 1.
    pub delivery_min: f64,
    pub delivery_max: f64,
    /// Disbursement delay at quality 0 (months; 0 at quality 1).
    pub delay_max_months: f64,
    /// Monthly chance a field bottleneck is resolved at quality 0 and 1.
    pub resolution_min: f64,
    pub resolution_max: f64,
    /// Chance a target list survives a budget year at quality 0 and 1.
    pub continuity_min: f64,
    pub continuity_max: f64,
    /// Years between regional elections (0 = none).
    pub election_interval_years: u32,
    /// Chance that regional programmes survive an election at quality 0 and 1.
    pub election_survival_min: f64,
    pub election_survival_max: f64,
}

impl Default for Coordination {
    fn default() -> Self {
        Self {
            quality: 0.8,
            delivery_min: 0.45,
            delivery_max: 0.9,
            delay_max_months: 4.0,
            resolution_min: 0.03,
            resolution_max: 0.5,
            continuity_min: 0.3,
            continuity_max: 0.95,
            election_interval_years: 5,
            election_survival_min: 0.2,
            election_survival_max: 0.9,
        }
    }
}

/// Quality of the regional database used for planning.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Information {
    /// Information quality (0 = guesswork, 1 = accurate database).
    pub quality: f64,
    /// Noise (sd) on criteria scores that agencies see at quality 0 (score units, 0-1 scale).
    pub noise_max: f64,
    /// Noise on the criteria a village knows itself (local specificity, culture, production).
    pub local_noise: f64,
}

impl Default for Information {
    fn default() -> Self {
        Self {
            quality: 0.5,
            noise_max: 0.35,
            local_noise: 0.05,
        }
    }
}

/// Credit and grants.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Finance {
    /// KUR supply: scales every approval chance (0 = no KUR, 1 = normal).
    pub kur_supply: f64,
    /// Base KUR approval chance with collateral and records.
    pub kur_approval: f64,
    /// KUR super-micro ceiling (Rp) and rate (per year).
    pub kur_supermicro_max: f64,
    pub kur_supermicro_rate: f64,
    /// KUR micro (up to Rp100M) and small rates for a borrower's 1st..4th loan (per year).
    pub kur_micro_rates: Vec<f64>,
    /// KUR small ceiling (Rp): the largest KUR loan; micro and small loans share the rate tiers.
    pub kur_small_max: f64,
    /// Commercial bank rate (per year) and approval chance.
    pub commercial_rate: f64,
    pub commercial_approval: f64,
    /// Informal lender rate (per month).
    pub informal_rate_month: f64,
    /// Loan term (months).
    pub term_months: u32,
    /// Months of debt service above half of income before distress.
    pub distress_months: u32,
    /// Value of farm land sold in distress (Rp per ha).
    pub land_price_ha: f64,
}

impl Default for Finance {
    fn default() -> Self {
        Self {
            kur_supply: 1.0,
            kur_approval: 0.5,
            kur_supermicro_max: 10e6,
            kur_supermicro_rate: 0.03,
            kur_micro_rates: vec![0.06, 0.07, 0.08, 0.09],
            kur_small_max: 500e6,
            commercial_rate: 0.14,
            commercial_approval: 0.25,
            informal_rate_month: 0.05,
            term_months: 36,
            distress_months: 6,
            land_price_ha: 150e6,
        }
    }
}

/// ENSO weather and floods.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weather {
    /// Mean years between El Nino onsets (2-7 observed).
    pub el_nino_every_years: f64,
    /// Mean years between La Nina onsets.
    pub la_nina_every_years: f64,
    /// Mean length of an ENSO event (months).
    pub event_months: f64,
    /// Persistence of the district rainfall anomaly (monthly AR(1) coefficient).
    pub anomaly_persistence: f64,
    /// Noise of the district rainfall anomaly (sd per month).
    pub anomaly_noise: f64,
    /// Monthly flood chance per village in a normal month.
    pub flood_probability: f64,
    /// Share of a group's inventory lost in a flood.
    pub flood_inventory_loss: f64,
    /// Share of a group's capacity lost in a flood.
    pub flood_capacity_loss: f64,
    /// Drying trend: added to the drought index per decade.
    pub climate_trend: f64,
}

impl Default for Weather {
    fn default() -> Self {
        Self {
            el_nino_every_years: 4.5,
            la_nina_every_years: 5.0,
            event_months: 10.0,
            anomaly_persistence: 0.7,
            anomaly_noise: 0.3,
            flood_probability: 0.004,
            flood_inventory_loss: 0.6,
            flood_capacity_loss: 0.15,
            climate_trend: 0.0,
        }
    }
}

/// Global price processes shared by all products.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Prices {
    /// Mean reversion of the log price index (per month).
    pub reversion: f64,
    /// Jumps per year.
    pub jumps_per_year: f64,
    /// Sd of a jump in the log index.
    pub jump_sd: f64,
    /// Share of global price moves passed to domestic processed prices.
    pub domestic_pass: f64,
    /// Share of global price moves passed to farm-gate raw prices.
    pub farmgate_pass: f64,
}

impl Default for Prices {
    fn default() -> Self {
        Self {
            reversion: 0.05,
            jumps_per_year: 0.3,
            jump_sd: 0.2,
            domestic_pass: 0.7,
            farmgate_pass: 0.8,
        }
    }
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
            8e9,
            &[
                (Technology, 0.45),
                (QualityStandards, 0.35),
                (PromotionChannels, 0.2),
            ],
        ),
        a(
            "agriculture",
            Level::Central,
            6e9,
            &[(RawMaterial, 0.6), (HumanResources, 0.4)],
        ),
        a(
            "cooperatives_smes",
            Level::Central,
            6e9,
            &[
                (FinanceAccess, 0.5),
                (HumanResources, 0.2),
                (Empowerment, 0.3),
            ],
        ),
        a(
            "trade",
            Level::Central,
            4e9,
            &[
                (TradeFairs, 0.45),
                (PromotionChannels, 0.35),
                (Website, 0.2),
            ],
        ),
        a(
            "district_office",
            Level::District,
            6e9,
            &[(Infrastructure, 0.6), (Empowerment, 0.4)],
        ),
    ]
}
