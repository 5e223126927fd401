//! The [adoption] section: awareness (Bass diffusion) and the decision to join a group.

use super::key::{ASM, CAL, section};

section! {
    /// Awareness (Bass diffusion) and the decision to join a group.
    pub struct Adoption in "adoption" {
        bass_p: f64 = 0.12 => {
            meaning: "innovation (external push) coefficient at full socialization",
            unit: "per year",
            allowed: range(0.0, 5.0),
            source: "Bass textbook p about 0.03, raised for active socialization (calibrated)",
        },
        movement_share: f64 = 0.1 => {
            meaning: "part of the approach's awareness push that needs no programme money (campaigns, leaders, festivals)",
            unit: "share",
            allowed: share,
            source: "bounded assumption (0-0.3): the source paper's self-reliance; Oita's movement ran on leadership more than subsidy",
        },
        bass_q: f64 = 0.45 => {
            meaning: "imitation coefficient",
            unit: "per year",
            allowed: range(0.0, 5.0),
            source: "Bass textbook q about 0.38",
        },
        bass_p_background: f64 = 0.005 => {
            meaning: "innovation coefficient without any programme",
            unit: "per year",
            allowed: range(0.0, 5.0),
            source: CAL,
        },
        threshold_mean: f64 = 0.08 => {
            meaning: "median joining threshold",
            unit: "share of income",
            allowed: range(0.0, 10.0),
            source: CAL,
        },
        threshold_sigma: f64 = 0.8 => {
            meaning: "spread of joining thresholds",
            unit: "log sd",
            allowed: range(0.0, 3.0),
            source: CAL,
        },
        ownership_ovop: f64 = 1.0 => {
            meaning: "community ownership under OVOP",
            unit: "factor",
            allowed: range(0.0, 2.0),
            source: "source paper: community-chosen product",
        },
        ownership_kawasan: f64 = 0.4 => {
            meaning: "community ownership under kawasan (also its socialization strength)",
            unit: "factor",
            allowed: range(0.0, 2.0),
            source: "source paper: kawasan gave little to the people (calibrated)",
        },
        promised_gain: f64 = 0.12 => {
            meaning: "gain a new group promises before it has a record",
            unit: "share of income",
            allowed: range(0.0, 10.0),
            source: CAL,
        },
        leave_after_months: u32 = 12 => {
            meaning: "months without any gain before members may leave",
            unit: "months",
            allowed: int(1, 600),
            source: ASM,
        },
        leave_probability: f64 = 0.08 => {
            meaning: "chance of leaving once past that point",
            unit: "per month",
            allowed: share,
            source: ASM,
        },
        consider_probability: f64 = 0.3 => {
            meaning: "chance that an aware household weighs the best group offer",
            unit: "per month",
            allowed: share,
            source: ASM,
            advanced,
        },
        social_proof: f64 = 0.5 => {
            meaning: "cut of joining thresholds when every household is a member",
            unit: "share",
            allowed: share,
            source: ASM,
            advanced,
        },
        promise_months: u32 = 6 => {
            meaning: "age until which a group offers its promised gain instead of its record",
            unit: "months",
            allowed: int(0, 600),
            source: ASM,
            advanced,
        },
        trust_base: f64 = 0.3 => {
            meaning: "village trust in groups and programmes at cohesion 0",
            unit: "0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
        trust_cohesion: f64 = 0.5 => {
            meaning: "trust added per unit of social cohesion",
            unit: "0-1 per cohesion",
            allowed: share,
            source: ASM,
            advanced,
        },
        trust_paying: f64 = 0.9 => {
            meaning: "trust a village moves towards while one of its groups pays",
            unit: "0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
        trust_adjust: f64 = 0.02 => {
            meaning: "part of the gap to its target trust closes",
            unit: "share per month",
            allowed: share,
            source: ASM,
            advanced,
        },
        trust_loss_withdrawal: f64 = 0.1 => {
            meaning: "trust lost when an agency stops funding a village before it has finished (programme.graduation_months)",
            unit: "0-1",
            allowed: share,
            source: "bounded assumption (0.05-0.2, below a dissolved group's loss): the source paper's continuity; Thai OTOP sales slumped 2009-2011 under a less supportive government",
        },
        trust_loss_dissolution: f64 = 0.15 => {
            meaning: "trust lost per dissolved group",
            unit: "0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
        trust_min: f64 = 0.05 => {
            meaning: "lowest trust dissolutions leave",
            unit: "0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
    }
}
