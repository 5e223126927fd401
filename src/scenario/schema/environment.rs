//! The [environment] section: the health of the land or stock that yields the village product's raw material.

use super::key::section;

section! {
    /// The raw-material resource: depletion by over-expansion, regeneration, and care.
    pub struct Environment in "environment" {
        sustainable_share: f64 = 0.33 => {
            meaning: "share of a village's farmland that can grow the raw crop in rotation without depleting it; above it, rotation and fallow shorten",
            unit: "share of farmland",
            allowed: share,
            source: "FAO (Howeler): rotation and fallow keep cassava land fertile, continuous cropping depletes it; one year in three is the assumption (bounded 0.25-0.5; the starting share, households.raw_crop_share 0.25, is sustainable)",
        },
        depletion_rate: f64 = 0.02 => {
            meaning: "share of the resource's health lost a month when all farmland beyond the sustainable share grows the raw crop without care (0: no depletion)",
            unit: "per month",
            allowed: share,
            source: "FAO (Howeler, cassava and the environment): four years of continuous cassava without inputs took yields from 19 to about 7 t/ha, about 2% a month",
        },
        regeneration_rate: f64 = 0.01 => {
            meaning: "share of the lost health that rotation, fallow and natural regrowth restore a month",
            unit: "per month",
            allowed: share,
            source: "assumption bounded by FAO: bush fallow restores fertility over years (full recovery 20-30 years); 1% a month restores two thirds of a loss in ten years; bounded 0.004-0.03",
        },
        care_effect: f64 = 0.8 => {
            meaning: "part of the depletion avoided at full raw-material development effect (fertiliser, legume rotation, replanting and restocking taught with the programme)",
            unit: "share",
            allowed: share,
            source: "assumption bounded by FAO trials: fertiliser and legume rotation keep continuous cassava yields up; bounded 0.5-1",
        },
    }
}
