//! The [firms] section: lead firms and the three-stage partnerships.

use super::key::{ASM, CAL, section};

section! {
    /// Lead firms and the three-stage partnerships.
    pub struct Firms in "firms" {
        per_district: u32 = 3 => {
            meaning: "lead firms per district",
            unit: "firms",
            allowed: int(0, 1000),
            source: "design default: a few per district",
        },
        products_per_firm: u32 = 3 => {
            meaning: "products each firm trades",
            unit: "products",
            allowed: by_hand("a whole number 1 to the number of products"),
            source: ASM,
        },
        capacity_t: f64 = 40.0 => {
            meaning: "purchase capacity of a new firm",
            unit: "t/month",
            allowed: non_negative,
            source: ASM,
        },
        capacity_growth: f64 = 0.2 => {
            meaning: "capacity growth when nearly full",
            unit: "share/year",
            allowed: range(0.0, 5.0),
            source: ASM,
        },
        max_capacity_t: f64 = 400.0 => {
            meaning: "largest capacity a firm grows to",
            unit: "t/month",
            allowed: non_negative,
            source: CAL,
        },
        export_access_share: f64 = 0.67 => {
            meaning: "firms with export market access",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        contact_probability: f64 = 0.01 => {
            meaning: "chance a firm contacts a suitable group unbrokered",
            unit: "per month",
            allowed: share,
            source: CAL,
        },
        agreement_probability: f64 = 0.2 => {
            meaning: "chance communication becomes an agreement",
            unit: "per month",
            allowed: share,
            source: CAL,
        },
        equilibrium_after_months: u32 = 18 => {
            meaning: "good months before the equilibrium stage",
            unit: "months",
            allowed: int(1, 600),
            source: ASM,
        },
        contract_markup: f64 = 0.1 => {
            meaning: "contract price over the domestic price",
            unit: "share",
            allowed: range(-0.5, 2.0),
            source: "oil-palm partnerships 2020: Rp1,200-1,300/kg vs under Rp1,000",
        },
        equilibrium_bonus: f64 = 0.15 => {
            meaning: "extra volume (and half as much price) at equilibrium",
            unit: "share",
            allowed: range(0.0, 2.0),
            source: ASM,
        },
        side_sell_gap: f64 = 0.1 => {
            meaning: "spot-over-contract gap that tempts side-selling",
            unit: "share",
            allowed: range(0.0, 5.0),
            source: "Nguyen et al. JASSS 2019 (reneging on spot moves)",
        },
        trust_floor: f64 = 0.3 => {
            meaning: "trust under which a partnership breaks",
            unit: "trust 0-1",
            allowed: share,
            source: ASM,
        },
        trust_speed: f64 = 0.15 => {
            meaning: "speed at which trust follows compliance",
            unit: "per month",
            allowed: share,
            source: ASM,
        },
        mediation_probability: f64 = 0.7 => {
            meaning: "chance mediation saves a breaking partnership at full coordination",
            unit: "probability",
            allowed: share,
            source: ASM,
        },
        input_advance_share: f64 = 0.3 => {
            meaning: "raw-material bill advanced by the firm",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        jobs_per_t: f64 = 0.6 => {
            meaning: "firm employees per tonne of throughput",
            unit: "jobs per t/month",
            allowed: range(0.0, 100.0),
            source: ASM,
        },
        base_staff: f64 = 20.0 => {
            meaning: "firm staff before partnerships",
            unit: "jobs",
            allowed: non_negative,
            source: ASM,
        },
        margin: f64 = 0.25 => {
            meaning: "firm's gross margin on domestic resale",
            unit: "share",
            allowed: range(0.0, 5.0),
            source: ASM,
        },
    }
}
