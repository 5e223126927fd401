//! The parameter table: unit, meaning and source of every scenario key, with defaults read from the code.
//!
//! `docs/ODD.md` embeds the Markdown this module renders
//! (`ovopsim params --markdown`), and a test fails when a key of the scenario
//! has no row here, when a row names no key, or when the document's table is
//! stale. Sources: "calibrated" means chosen so the model's patterns emerge;
//! "assumption" means a plausible value with no figure behind it.

use super::schema::{
    PriceShock, Scenario, WeatherEvent, WeatherKind, default_agencies, default_products,
};
use super::validate;

/// Documentation of one scenario key.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Key path; `[]` marks a field of every entry of a list.
    pub key: &'static str,
    pub unit: &'static str,
    pub meaning: &'static str,
    pub source: &'static str,
}

const fn p(
    key: &'static str,
    unit: &'static str,
    meaning: &'static str,
    source: &'static str,
) -> Param {
    Param {
        key,
        unit,
        meaning,
        source,
    }
}

const CAL: &str = "calibrated";
const ASM: &str = "assumption";

/// Every scenario key.
pub const PARAMS: &[Param] = &[
    p(
        "name",
        "text",
        "scenario name; names the output folder",
        "-",
    ),
    p("description", "text", "free text kept in the manifest", "-"),
    p(
        "start_year",
        "year",
        "calendar year of month 1; money is constant rupiah of this year",
        "-",
    ),
    p(
        "years",
        "years",
        "simulated horizon",
        "design range 10-30 years",
    ),
    p(
        "approach",
        "ovop / kawasan / none",
        "how products are chosen and programmes run",
        "source paper (OVOP vs kawasan)",
    ),
    p(
        "district.districts",
        "count",
        "districts the villages are spread over",
        ASM,
    ),
    p(
        "district.villages",
        "count",
        "generated villages",
        "design default: one district of about 50 villages",
    ),
    p(
        "district.villages_file",
        "path",
        "villages CSV instead of generated villages (relative to the scenario)",
        "-",
    ),
    p(
        "district.households_mean",
        "households",
        "mean households per village",
        "design default: about 30,000 households in 50 villages",
    ),
    p(
        "district.households_sd",
        "households",
        "sd of households per village",
        ASM,
    ),
    p(
        "district.households_min",
        "households",
        "fewest households in a generated village",
        ASM,
    ),
    p(
        "district.infrastructure_min",
        "index 0-1",
        "lowest infrastructure index (roads, power, water)",
        ASM,
    ),
    p(
        "district.infrastructure_max",
        "index 0-1",
        "highest infrastructure index",
        ASM,
    ),
    p(
        "district.distance_km_mean",
        "km",
        "mean distance to the district market (exponential)",
        ASM,
    ),
    p(
        "district.cohesion_min",
        "index 0-1",
        "lowest social cohesion (gotong-royong)",
        ASM,
    ),
    p(
        "district.cohesion_max",
        "index 0-1",
        "highest social cohesion",
        ASM,
    ),
    p(
        "district.candidates_per_village",
        "products",
        "candidate products scored by each village",
        "source paper: choose among local products",
    ),
    p(
        "households.members_mean",
        "persons",
        "mean household size",
        "assumption; BPS Mar 2024: poor households 4.78 persons",
    ),
    p(
        "households.workers_per_member",
        "share",
        "workers per member",
        "BPS Aug 2024: 144.6M workers, about half the population",
    ),
    p(
        "households.landless_share",
        "share",
        "households without farm land",
        ASM,
    ),
    p(
        "households.land_median_ha",
        "ha",
        "median farm size of land-holders (log-normal)",
        "Census 2023: 59% of farm households under 0.5 ha",
    ),
    p(
        "households.land_sigma",
        "log sd",
        "spread of farm sizes",
        "Census 2023 (41%-88% under 0.5 ha by province)",
    ),
    p(
        "households.raw_crop_share",
        "share of land",
        "initial land under the village product's raw crop",
        ASM,
    ),
    p(
        "households.raw_crop_share_max",
        "share of land",
        "most land a member puts under the raw crop",
        ASM,
    ),
    p(
        "households.other_income_median",
        "Rp/month",
        "median other income per household (transfers, trade, remittances)",
        "calibrated to BPS rural poverty 11.79% (Mar 2024)",
    ),
    p(
        "households.other_income_sigma",
        "log sd",
        "spread of other income",
        "calibrated to BPS rural poverty",
    ),
    p(
        "households.savings_months",
        "months of income",
        "initial savings",
        ASM,
    ),
    p(
        "households.consumption_propensity",
        "share",
        "share of last month's income consumed above the floor",
        ASM,
    ),
    p(
        "households.subsistence_share",
        "share of poverty line",
        "consumption floor per member",
        ASM,
    ),
    p(
        "households.income_shock_sd",
        "log sd per month",
        "household income shocks (illness, lost work)",
        CAL,
    ),
    p(
        "households.income_shock_persistence",
        "AR(1) coefficient",
        "persistence of income shocks",
        CAL,
    ),
    p(
        "economy.poverty_line",
        "Rp/capita/month",
        "rural poverty line",
        "BPS Mar 2024: Rp556,874",
    ),
    p(
        "economy.casual_wage_day",
        "Rp/day",
        "farm labourer wage",
        "BPS Aug 2023: Rp68,800",
    ),
    p(
        "economy.casual_days",
        "days/month",
        "days of casual work a worker finds",
        "calibrated to rural income about Rp1M per capita (BPS 2021 spending Rp994,000)",
    ),
    p(
        "economy.staple_return_ha",
        "Rp/ha/month",
        "net return of staple crops",
        ASM,
    ),
    p(
        "economy.group_wage",
        "Rp/month",
        "wage of a producer-group worker",
        "between farm labour and BPS Aug 2024 agriculture employee wage Rp2.41M",
    ),
    p(
        "economy.firm_wage",
        "Rp/month",
        "wage of a lead-firm employee",
        "BPS Aug 2024 agriculture employee wage Rp2.41M",
    ),
    p(
        "economy.background_growth",
        "share/year",
        "real growth of wages, other income and staple returns",
        "assumption (uncertain): slower than national GDP per capita growth",
    ),
    p(
        "economy.local_multiplier_days",
        "days per Rp1M per 100 workers",
        "extra casual work from agro-industry income spent in the village",
        CAL,
    ),
    p(
        "economy.raw_crop_cost_share",
        "share",
        "production costs of the raw crop",
        ASM,
    ),
    p(
        "adoption.bass_p",
        "per year",
        "innovation (external push) coefficient at full socialization",
        "Bass textbook p about 0.03, raised for active socialization (calibrated)",
    ),
    p(
        "adoption.bass_q",
        "per year",
        "imitation coefficient",
        "Bass textbook q about 0.38",
    ),
    p(
        "adoption.bass_p_background",
        "per year",
        "innovation coefficient without any programme",
        CAL,
    ),
    p(
        "adoption.threshold_mean",
        "share of income",
        "median joining threshold",
        CAL,
    ),
    p(
        "adoption.threshold_sigma",
        "log sd",
        "spread of joining thresholds",
        CAL,
    ),
    p(
        "adoption.ownership_ovop",
        "factor",
        "community ownership under OVOP",
        "source paper: community-chosen product",
    ),
    p(
        "adoption.ownership_kawasan",
        "factor",
        "community ownership under kawasan (also its socialization strength)",
        "source paper: kawasan gave little to the people (calibrated)",
    ),
    p(
        "adoption.promised_gain",
        "share of income",
        "gain a new group promises before it has a record",
        CAL,
    ),
    p(
        "adoption.leave_after_months",
        "months",
        "months without any gain before members may leave",
        ASM,
    ),
    p(
        "adoption.leave_probability",
        "per month",
        "chance of leaving once past that point",
        ASM,
    ),
    p(
        "groups.max_per_village",
        "groups",
        "most groups in one village",
        "design range 0-3 per village",
    ),
    p(
        "groups.min_members",
        "households",
        "willing households needed to found a group",
        ASM,
    ),
    p(
        "groups.leader_probability",
        "per month",
        "chance a local leader starts a group (scaled by cohesion)",
        CAL,
    ),
    p(
        "groups.initial_capacity_t",
        "t/month",
        "processing capacity of a new group",
        ASM,
    ),
    p(
        "groups.founding_contribution",
        "Rp/member",
        "members' cash at founding",
        ASM,
    ),
    p(
        "groups.profit_share",
        "share",
        "share of profit paid to members",
        ASM,
    ),
    p(
        "groups.other_cost_share",
        "share of sales",
        "packaging, energy, transport and marketing costs",
        ASM,
    ),
    p(
        "groups.member_raw_premium",
        "share",
        "premium over farm gate paid to members for raw material",
        "oil-palm partnerships 2020: Rp1,200-1,300/kg vs under Rp1,000 (20-30% more)",
    ),
    p(
        "groups.expansion_step",
        "share of capacity",
        "capacity added per expansion",
        ASM,
    ),
    p(
        "groups.upkeep_share",
        "share of capital/month",
        "equipment upkeep",
        ASM,
    ),
    p(
        "groups.quality_decay",
        "per month",
        "quality decay without upkeep",
        ASM,
    ),
    p(
        "groups.quality_gain",
        "per month",
        "quality gain at full training and standards effect",
        CAL,
    ),
    p(
        "groups.dormant_after_months",
        "months",
        "months in arrears (twice as many months of losses) before dormancy",
        ASM,
    ),
    p(
        "groups.dissolve_after_months",
        "months",
        "months dormant before dissolution",
        ASM,
    ),
    p(
        "groups.bottleneck_probability",
        "per month",
        "chance a field bottleneck appears",
        ASM,
    ),
    p(
        "groups.bottleneck_loss",
        "share",
        "output lost while a bottleneck is unresolved",
        ASM,
    ),
    p(
        "groups.local_demand_kg",
        "kg/household/month",
        "local demand for the processed product",
        ASM,
    ),
    p(
        "groups.promoted_demand_t",
        "t/month",
        "sales through promoted domestic channels at full effect",
        CAL,
    ),
    p(
        "groups.website_demand_t",
        "t/month",
        "sales through a website at full effect",
        CAL,
    ),
    p(
        "groups.inventory_loss",
        "share/month",
        "unsold inventory lost",
        ASM,
    ),
    p(
        "groups.outside_raw_share",
        "share",
        "share of non-members' harvest sold to groups at farm gate",
        ASM,
    ),
    p(
        "groups.core_staff_share",
        "share",
        "crew kept on when output falls (share of full-capacity labour)",
        ASM,
    ),
    p(
        "groups.reserve_months",
        "months of costs",
        "working reserve kept before dividends",
        ASM,
    ),
    p(
        "groups.market_t",
        "t/month",
        "domestic market for one product in one district before prices fall",
        CAL,
    ),
    p(
        "groups.price_elasticity",
        "exponent",
        "fall of the domestic price with supply above that market",
        CAL,
    ),
    p(
        "firms.per_district",
        "firms",
        "lead firms per district",
        "design default: a few per district",
    ),
    p(
        "firms.products_per_firm",
        "products",
        "products each firm trades",
        ASM,
    ),
    p(
        "firms.capacity_t",
        "t/month",
        "purchase capacity of a new firm",
        ASM,
    ),
    p(
        "firms.capacity_growth",
        "share/year",
        "capacity growth when nearly full",
        ASM,
    ),
    p(
        "firms.max_capacity_t",
        "t/month",
        "largest capacity a firm grows to",
        CAL,
    ),
    p(
        "firms.export_access_share",
        "share",
        "firms with export market access",
        ASM,
    ),
    p(
        "firms.contact_probability",
        "per month",
        "chance a firm contacts a suitable group unbrokered",
        CAL,
    ),
    p(
        "firms.agreement_probability",
        "per month",
        "chance communication becomes an agreement",
        CAL,
    ),
    p(
        "firms.equilibrium_after_months",
        "months",
        "good months before the equilibrium stage",
        ASM,
    ),
    p(
        "firms.contract_markup",
        "share",
        "contract price over the domestic price",
        "oil-palm partnerships 2020: Rp1,200-1,300/kg vs under Rp1,000",
    ),
    p(
        "firms.equilibrium_bonus",
        "share",
        "extra volume (and half as much price) at equilibrium",
        ASM,
    ),
    p(
        "firms.side_sell_gap",
        "share",
        "spot-over-contract gap that tempts side-selling",
        "Nguyen et al. JASSS 2019 (reneging on spot moves)",
    ),
    p(
        "firms.trust_floor",
        "trust 0-1",
        "trust under which a partnership breaks",
        ASM,
    ),
    p(
        "firms.trust_speed",
        "per month",
        "speed at which trust follows compliance",
        ASM,
    ),
    p(
        "firms.mediation_probability",
        "probability",
        "chance mediation saves a breaking partnership at full coordination",
        ASM,
    ),
    p(
        "firms.input_advance_share",
        "share",
        "raw-material bill advanced by the firm",
        ASM,
    ),
    p(
        "firms.jobs_per_t",
        "jobs per t/month",
        "firm employees per tonne of throughput",
        ASM,
    ),
    p(
        "firms.base_staff",
        "jobs",
        "firm staff before partnerships",
        ASM,
    ),
    p(
        "firms.margin",
        "share",
        "firm's gross margin on domestic resale",
        ASM,
    ),
    p(
        "programme.target_villages",
        "villages",
        "villages on each agency's yearly list",
        ASM,
    ),
    p(
        "programme.duration_years",
        "years",
        "years an agency funds a village before moving on (0 = no limit)",
        "source paper: kawasan programmes stopped",
    ),
    p(
        "programme.effect_decay",
        "per month",
        "fading of programme effects without new money",
        ASM,
    ),
    p(
        "programme.saturation.technology",
        "Rp/village",
        "money at 63% of full effect: production technology",
        ASM,
    ),
    p(
        "programme.saturation.quality_standards",
        "Rp/village",
        "quality standards (GMP, HACCP)",
        ASM,
    ),
    p(
        "programme.saturation.promotion_channels",
        "Rp/village",
        "promotion in malls, airports, hotels, hospitals",
        ASM,
    ),
    p(
        "programme.saturation.trade_fairs",
        "Rp/village",
        "international trade fairs",
        ASM,
    ),
    p(
        "programme.saturation.finance_access",
        "Rp/village",
        "access to finance",
        ASM,
    ),
    p(
        "programme.saturation.human_resources",
        "Rp/village",
        "training, apprenticeship, study visits",
        ASM,
    ),
    p(
        "programme.saturation.website",
        "Rp/village",
        "website and IT promotion",
        ASM,
    ),
    p(
        "programme.saturation.raw_material",
        "Rp/village",
        "raw-material development",
        ASM,
    ),
    p(
        "programme.saturation.infrastructure",
        "Rp/village",
        "roads, power, clean water",
        "village fund about Rp943M per village per year (2024) for scale",
    ),
    p(
        "programme.saturation.empowerment",
        "Rp/village",
        "sustained community empowerment",
        ASM,
    ),
    p(
        "programme.calendar",
        "shares Jan-Dec",
        "planned share of the yearly budget per month (slow start, year-end rush)",
        "assumption after APBN/APBD disbursement practice",
    ),
    p(
        "programme.adaptive",
        "true/false",
        "yearly monitoring and evaluation reallocates budget",
        "source paper: evaluation step",
    ),
    p(
        "programme.adaptive_shift",
        "share/year",
        "budget share moved by adaptive management",
        ASM,
    ),
    p(
        "programme.grant_share",
        "share",
        "finance-access money paid as grants to groups",
        ASM,
    ),
    p(
        "coordination.quality",
        "0-1",
        "inter-agency coordination (0 alone, 1 joint plan)",
        "source paper: ego sektoral",
    ),
    p(
        "coordination.delivery_min",
        "share",
        "money reaching the field at quality 0",
        ASM,
    ),
    p(
        "coordination.delivery_max",
        "share",
        "money reaching the field at quality 1",
        ASM,
    ),
    p(
        "coordination.delay_max_months",
        "months",
        "disbursement delay at quality 0",
        ASM,
    ),
    p(
        "coordination.resolution_min",
        "per month",
        "bottleneck resolution chance at quality 0",
        ASM,
    ),
    p(
        "coordination.resolution_max",
        "per month",
        "bottleneck resolution chance at quality 1",
        "source paper: OTOP immediate resolution",
    ),
    p(
        "coordination.continuity_min",
        "probability",
        "target list kept over a budget year at quality 0",
        ASM,
    ),
    p(
        "coordination.continuity_max",
        "probability",
        "target list kept at quality 1",
        ASM,
    ),
    p(
        "coordination.election_interval_years",
        "years",
        "years between regional elections (0 none)",
        "Indonesia: five-year terms",
    ),
    p(
        "coordination.election_survival_min",
        "probability",
        "regional programmes surviving an election at quality 0",
        ASM,
    ),
    p(
        "coordination.election_survival_max",
        "probability",
        "regional programmes surviving an election at quality 1",
        ASM,
    ),
    p(
        "information.quality",
        "0-1",
        "quality of the regional database",
        "source paper: missing regional database",
    ),
    p(
        "information.noise_max",
        "score sd",
        "noise on criteria agencies see at quality 0",
        CAL,
    ),
    p(
        "information.local_noise",
        "score sd",
        "noise on criteria a village knows itself",
        ASM,
    ),
    p(
        "finance.kur_supply",
        "factor",
        "scales every KUR approval (0 none, 1 normal)",
        "scenario switch",
    ),
    p(
        "finance.kur_approval",
        "probability",
        "base KUR approval with records",
        "BPS 2024: 6% rejected, 27% find it too hard",
    ),
    p(
        "finance.kur_supermicro_max",
        "Rp",
        "KUR super-micro ceiling",
        "KUR 2023: Rp10M",
    ),
    p(
        "finance.kur_supermicro_rate",
        "per year",
        "KUR super-micro rate",
        "KUR 2023: 3%",
    ),
    p(
        "finance.kur_micro_rates",
        "per year",
        "KUR rates for a borrower's 1st-4th loan",
        "KUR 2023: 6%, 7%, 8%, 9%",
    ),
    p(
        "finance.kur_small_max",
        "Rp",
        "KUR small ceiling",
        "KUR 2023: Rp500M",
    ),
    p(
        "finance.commercial_rate",
        "per year",
        "commercial bank rate",
        ASM,
    ),
    p(
        "finance.commercial_approval",
        "probability",
        "commercial approval with full records",
        ASM,
    ),
    p(
        "finance.informal_rate_month",
        "per month",
        "informal lender rate",
        "anecdotal (uncertain): about 20% per season for pay-at-harvest loans",
    ),
    p("finance.term_months", "months", "formal loan term", ASM),
    p(
        "finance.distress_months",
        "months",
        "months of debt service above half of income before distress",
        ASM,
    ),
    p(
        "finance.land_price_ha",
        "Rp/ha",
        "value of land sold in distress",
        ASM,
    ),
    p(
        "weather.el_nino_every_years",
        "years",
        "mean years between El Nino onsets",
        "El Nino recurs every 2-7 years",
    ),
    p(
        "weather.la_nina_every_years",
        "years",
        "mean years between La Nina onsets",
        ASM,
    ),
    p(
        "weather.event_months",
        "months",
        "mean length of an ENSO event",
        ASM,
    ),
    p(
        "weather.anomaly_persistence",
        "AR(1) coefficient",
        "persistence of the district rainfall anomaly",
        ASM,
    ),
    p(
        "weather.anomaly_noise",
        "sd/month",
        "local noise of the rainfall anomaly",
        ASM,
    ),
    p(
        "weather.flood_probability",
        "per village-month",
        "flood chance in a normal month",
        "floods are local: East Java 2024, 15,842 ha flooded",
    ),
    p(
        "weather.flood_inventory_loss",
        "share",
        "group inventory lost in a flood",
        ASM,
    ),
    p(
        "weather.flood_capacity_loss",
        "share",
        "group capacity lost in a flood",
        ASM,
    ),
    p(
        "weather.climate_trend",
        "drought index/decade",
        "drying trend added to the drought index",
        "scenario switch",
    ),
    p(
        "prices.reversion",
        "per month",
        "mean reversion of the log price index",
        ASM,
    ),
    p("prices.jumps_per_year", "per year", "price jumps", ASM),
    p(
        "prices.jump_sd",
        "log sd",
        "size of a price jump",
        "cocoa +61% (2023), arabica +69% (2024)",
    ),
    p(
        "prices.domestic_pass",
        "share",
        "global price moves passed to domestic processed prices",
        ASM,
    ),
    p(
        "prices.farmgate_pass",
        "share",
        "global price moves passed to farm-gate raw prices",
        "palm oil 2008: CPO -67%, farm gate Rp1,200-1,400 to Rp300-500/kg",
    ),
    p("agencies[].name", "text", "agency name", "-"),
    p(
        "agencies[].level",
        "central / province / district",
        "government level (regional levels face elections)",
        "-",
    ),
    p(
        "agencies[].budget",
        "Rp/year",
        "yearly programme budget for the simulated area",
        ASM,
    ),
    p(
        "agencies[].mix.<kind>",
        "share",
        "budget share per programme kind (normalised)",
        "source paper: ten programme types",
    ),
    p("products[].name", "text", "product name", "-"),
    p(
        "products[].raw_yield_kg_ha",
        "kg/ha/month",
        "raw-material yield, yearly mean",
        ASM,
    ),
    p("products[].peak_month", "month 1-12", "harvest peak", ASM),
    p(
        "products[].seasonality",
        "0-1",
        "seasonal amplitude of the harvest",
        ASM,
    ),
    p(
        "products[].farmgate_price",
        "Rp/kg",
        "farm-gate price of the raw material",
        "assumption near 2023 market prices",
    ),
    p(
        "products[].conversion",
        "kg/kg",
        "processed output per kg of raw material",
        ASM,
    ),
    p(
        "products[].domestic_price",
        "Rp/kg",
        "domestic price of the processed product, ungraded",
        "assumption near 2023 wholesale prices",
    ),
    p(
        "products[].export_price",
        "Rp/kg",
        "export price of the processed product",
        ASM,
    ),
    p(
        "products[].labour_per_t",
        "worker-months/t",
        "labour per tonne processed at basic technology",
        ASM,
    ),
    p(
        "products[].capital_per_t",
        "Rp per t/month",
        "equipment cost per tonne of monthly capacity",
        ASM,
    ),
    p(
        "products[].drought_loss",
        "share",
        "yield loss in the most severe drought",
        "El Nino 1997-98: coffee output -24%, paddy -6%",
    ),
    p(
        "products[].volatility",
        "log sd/month",
        "volatility of the global price index",
        ASM,
    ),
    p(
        "products[].tier_premium",
        "shares",
        "price premium by tier: none, PIRT, SNI/halal, GMP, HACCP",
        ASM,
    ),
    p(
        "events.weather[].kind",
        "el_nino / la_nina / flood",
        "scheduled weather event",
        "-",
    ),
    p(
        "events.weather[].year",
        "year",
        "calendar year it starts",
        "-",
    ),
    p(
        "events.weather[].month",
        "month 1-12",
        "month it starts (default 1)",
        "-",
    ),
    p(
        "events.weather[].duration_months",
        "months",
        "length (default 12)",
        "-",
    ),
    p(
        "events.weather[].severity",
        "0-1",
        "strength (1 = 1997-98 El Nino); floods: share of villages hit",
        "very strong El Ninos 1997-98 and 2015-16",
    ),
    p(
        "events.price[].product",
        "name or all",
        "product whose global price is shocked",
        "-",
    ),
    p(
        "events.price[].year",
        "year",
        "calendar year it starts",
        "-",
    ),
    p(
        "events.price[].month",
        "month 1-12",
        "month it starts (default 1)",
        "-",
    ),
    p(
        "events.price[].change",
        "share",
        "change of the global index (-0.5 halves it)",
        "palm oil 2008 -67%; rubber 2011-2015 -70%",
    ),
    p(
        "events.price[].duration_months",
        "months",
        "months at the shocked level (default 12)",
        "-",
    ),
    p(
        "events.price[].recovery_months",
        "months",
        "months of linear recovery (default 12)",
        "-",
    ),
];

/// Every key of a scenario as written in `PARAMS` (lists as `[]`, agency mixes as `<kind>`).
pub fn scenario_keys(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let value = toml::Value::try_from(s).expect("a scenario serializes");
    walk("", &value, &mut out);
    // Lists that are empty by default still have documented fields.
    for key in [
        "events.weather[].kind",
        "events.weather[].year",
        "events.weather[].month",
        "events.weather[].duration_months",
        "events.weather[].severity",
        "events.price[].product",
        "events.price[].year",
        "events.price[].month",
        "events.price[].change",
        "events.price[].duration_months",
        "events.price[].recovery_months",
    ] {
        out.push(key.to_string());
    }
    out.retain(|k| k != "events.weather" && k != "events.price");
    out.sort();
    out.dedup();
    out
}

fn walk(prefix: &str, v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else if prefix.ends_with("].mix") {
                    format!("{prefix}.<kind>")
                } else {
                    format!("{prefix}.{k}")
                };
                walk(&key, x, out);
            }
        }
        toml::Value::Array(items) if items.iter().any(toml::Value::is_table) => {
            for item in items {
                walk(&format!("{prefix}[]"), item, out);
            }
        }
        _ => out.push(prefix.to_string()),
    }
}

/// Default value of a key as shown in the table.
pub fn default_of(key: &str) -> String {
    if key.starts_with("agencies[]") || key.starts_with("products[]") {
        return "see lists below".into();
    }
    if key.starts_with("events.") {
        return "none".into();
    }
    let s = Scenario::default();
    let mut v = toml::Value::try_from(&s).expect("a scenario serializes");
    for part in key.split('.') {
        match v.get(part) {
            Some(x) => v = x.clone(),
            None => return String::new(),
        }
    }
    match v {
        toml::Value::String(x) if x.is_empty() => "(empty)".into(),
        toml::Value::String(x) => x,
        toml::Value::Float(f) => fmt_num(f),
        other => other.to_string(),
    }
}

/// What values a key allows, from the same checks that validate scenarios.
///
/// Keys with no range check (text, choices, switches) show their unit instead.
pub fn allowed_of(key: &str) -> String {
    use std::sync::OnceLock;
    static RANGES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    let ranges = RANGES.get_or_init(|| {
        // One event of each list, so that their fields are checked too.
        let mut s = Scenario {
            agencies: default_agencies(),
            products: default_products(),
            ..Scenario::default()
        };
        s.events.weather.push(WeatherEvent {
            kind: WeatherKind::ElNino,
            year: s.start_year,
            month: 1,
            duration_months: 12,
            severity: 1.0,
        });
        s.events.price.push(PriceShock {
            product: "all".into(),
            year: s.start_year,
            month: 1,
            change: 0.0,
            duration_months: 12,
            recovery_months: 12,
        });
        validate::allowed_ranges(&s)
    });
    // Bounds that depend on other keys are stated as such, not as today's number.
    if key.starts_with("events.") && key.ends_with("].year") {
        return "start_year to the last simulated year".into();
    }
    if key == "district.candidates_per_village" {
        return "a whole number 1 to the number of products".into();
    }
    let lookup = key.replace(".<kind>", ".technology");
    match ranges.iter().find(|(k, _)| *k == lookup) {
        Some((_, text)) => text.clone(),
        None => "-".into(),
    }
}

fn fmt_num(f: f64) -> String {
    if f.abs() >= 1e6 && f.fract() == 0.0 {
        format!("{:.0}", f)
            .as_bytes()
            .rchunks(3)
            .rev()
            .map(|c| std::str::from_utf8(c).expect("ascii"))
            .collect::<Vec<_>>()
            .join(",")
    } else {
        f.to_string()
    }
}

/// The parameter table, the default agencies and the default products, as Markdown.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "| key | default | allowed | unit | meaning | source |\n|---|---|---|---|---|---|\n",
    );
    for p in PARAMS {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            p.key,
            default_of(p.key),
            allowed_of(p.key),
            p.unit,
            p.meaning,
            p.source
        ));
    }
    out.push_str("\nDefault agencies (used when a scenario lists none):\n\n");
    out.push_str("| name | level | budget (Rp/year) | mix |\n|---|---|---|---|\n");
    for a in default_agencies() {
        let mix: Vec<String> = a
            .mix
            .iter()
            .map(|(k, v)| format!("{} {v}", k.name()))
            .collect();
        out.push_str(&format!(
            "| {} | {:?} | {} | {} |\n",
            a.name,
            a.level,
            fmt_num(a.budget),
            mix.join(", ")
        ));
    }
    out.push_str("\nDefault products (used when a scenario lists none):\n\n");
    out.push_str("| name | raw yield kg/ha/month | peak | seasonality | farm gate Rp/kg | conversion | domestic Rp/kg | export Rp/kg | worker-months/t | capital Rp per t/month | drought loss | volatility | tier premiums |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for p in default_products() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:?} |\n",
            p.name,
            p.raw_yield_kg_ha,
            p.peak_month,
            p.seasonality,
            p.farmgate_price,
            p.conversion,
            p.domestic_price,
            p.export_price,
            p.labour_per_t,
            fmt_num(p.capital_per_t),
            p.drought_loss,
            p.volatility,
            p.tier_premium
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_documented_and_every_row_is_a_key() {
        let s = Scenario {
            agencies: default_agencies(),
            products: default_products(),
            ..Scenario::default()
        };
        let keys = scenario_keys(&s);
        let documented: Vec<&str> = PARAMS.iter().map(|p| p.key).collect();
        let missing: Vec<&String> = keys
            .iter()
            .filter(|k| !documented.contains(&k.as_str()))
            .collect();
        assert!(missing.is_empty(), "undocumented keys: {missing:?}");
        let stale: Vec<&&str> = documented
            .iter()
            .filter(|d| !keys.iter().any(|k| k == *d))
            .collect();
        assert!(stale.is_empty(), "rows naming no key: {stale:?}");
    }

    #[test]
    fn defaults_are_read_from_the_code() {
        let md = markdown();
        assert!(
            md.contains("| `economy.poverty_line` | 556874 | greater than 0 |"),
            "{md}"
        );
        assert!(
            md.contains("| `coordination.quality` | 0.8 | 0 to 1 |"),
            "{md}"
        );
        assert!(
            md.contains("| `years` | 20 | a whole number 1 to 100 |"),
            "{md}"
        );
        assert!(md.contains("| `finance.kur_micro_rates` | [0.06, 0.07, 0.08, 0.09] |"));
        assert!(md.contains("| industry | Central | 8,000,000,000 |"));
    }

    #[test]
    fn every_numeric_key_has_a_checked_range() {
        let unchecked: Vec<&str> = PARAMS
            .iter()
            .filter(|p| {
                let d = default_of(p.key);
                allowed_of(p.key) == "-" && d.parse::<f64>().is_ok()
            })
            .map(|p| p.key)
            .collect();
        assert!(
            unchecked.is_empty(),
            "numeric keys without a range: {unchecked:?}"
        );
    }
}
