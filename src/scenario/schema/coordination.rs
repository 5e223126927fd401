//! The [coordination] section: inter-agency coordination: one quality and the ranges it moves through.

use super::key::{ASM, section};

section! {
    /// Inter-agency coordination: one quality and the ranges it moves through.
    pub struct Coordination in "coordination" {
        quality: f64 = 0.8 => {
            meaning: "inter-agency coordination (0 alone, 1 joint plan)",
            unit: "0-1",
            allowed: share,
            source: "source paper: ego sektoral",
        },
        delivery_min: f64 = 0.45 => {
            meaning: "money reaching the field at quality 0",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        delivery_max: f64 = 0.9 => {
            meaning: "money reaching the field at quality 1",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        delay_max_months: f64 = 4.0 => {
            meaning: "disbursement delay at quality 0",
            unit: "months",
            allowed: range(0.0, 11.0),
            source: ASM,
        },
        resolution_min: f64 = 0.03 => {
            meaning: "bottleneck resolution chance at quality 0",
            unit: "per month",
            allowed: share,
            source: ASM,
        },
        resolution_max: f64 = 0.5 => {
            meaning: "bottleneck resolution chance at quality 1",
            unit: "per month",
            allowed: share,
            source: "source paper: OTOP immediate resolution",
        },
        continuity_min: f64 = 0.3 => {
            meaning: "target list kept over a budget year at quality 0",
            unit: "probability",
            allowed: share,
            source: ASM,
        },
        continuity_max: f64 = 0.95 => {
            meaning: "target list kept at quality 1",
            unit: "probability",
            allowed: share,
            source: ASM,
        },
        election_interval_years: u32 = 5 => {
            meaning: "years between regional elections (0 none)",
            unit: "years",
            allowed: int(0, 100),
            source: "Indonesia: five-year terms",
        },
        election_survival_min: f64 = 0.2 => {
            meaning: "regional programmes surviving an election at quality 0",
            unit: "probability",
            allowed: share,
            source: ASM,
        },
        election_survival_max: f64 = 0.9 => {
            meaning: "regional programmes surviving an election at quality 1",
            unit: "probability",
            allowed: share,
            source: ASM,
        },
        joint_targeting_min: f64 = 0.0 => {
            meaning: "share of an agency's open target places filled from the joint list at quality 0 (the rest from its own sectoral list)",
            unit: "share",
            allowed: share,
            source: "definition: agencies alone plan alone",
            advanced,
        },
        joint_targeting_max: f64 = 1.0 => {
            meaning: "share of an agency's open target places filled from the joint list at quality 1",
            unit: "share",
            allowed: share,
            source: "definition: one joint plan",
            advanced,
        },
        brokering_min: f64 = 0.0 => {
            meaning: "agencies' brokering of firm contacts and mediation of broken partnerships at quality 0, as a factor on the empowerment and trade-fair effects",
            unit: "factor",
            allowed: share,
            source: "assumption: agencies alone broker nothing",
            advanced,
        },
        brokering_max: f64 = 1.0 => {
            meaning: "agencies' brokering of firm contacts and mediation at quality 1",
            unit: "factor",
            allowed: share,
            source: "assumption: a joint plan brokers with its full effects",
            advanced,
        },
    }
}
