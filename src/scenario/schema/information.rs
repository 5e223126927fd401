//! The [information] section: quality of the regional database used for planning.

use super::key::{ASM, CAL, section};

section! {
    /// Quality of the regional database used for planning.
    pub struct Information in "information" {
        quality: f64 = 0.5 => {
            meaning: "quality of the regional database",
            unit: "0-1",
            allowed: share,
            source: "source paper: missing regional database",
        },
        noise_max: f64 = 0.35 => {
            meaning: "noise on criteria agencies see at quality 0",
            unit: "score sd",
            allowed: range(0.0, 2.0),
            source: CAL,
        },
        local_noise: f64 = 0.05 => {
            meaning: "noise on criteria a village knows itself",
            unit: "score sd",
            allowed: range(0.0, 2.0),
            source: ASM,
        },
        sectoral_noise: f64 = 0.5 => {
            meaning: "noise an agency's own sectoral ranking adds to the database view",
            unit: "score sd",
            allowed: range(0.0, 5.0),
            source: "assumption: sectoral lists follow each agency's own priorities",
            advanced,
        },
        non_candidate_potential: f64 = 0.2 => {
            meaning: "potential the kawasan choice assumes where a product is not a village's candidate",
            unit: "score 0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
    }
}
