//! The [weather] section: eNSO weather, droughts and floods.

use super::key::{ASM, section};

section! {
    /// ENSO weather, droughts and floods.
    pub struct Weather in "weather" {
        el_nino_every_years: f64 = 4.5 => {
            meaning: "mean years between El Nino onsets",
            unit: "years",
            allowed: range(0.5, 1000.0),
            source: "El Nino recurs every 2-7 years",
        },
        la_nina_every_years: f64 = 5.0 => {
            meaning: "mean years between La Nina onsets",
            unit: "years",
            allowed: range(0.5, 1000.0),
            source: ASM,
        },
        event_months: f64 = 10.0 => {
            meaning: "mean length of an ENSO event",
            unit: "months",
            allowed: range(1.0, 60.0),
            source: ASM,
        },
        anomaly_persistence: f64 = 0.7 => {
            meaning: "persistence of the district rainfall anomaly",
            unit: "AR(1) coefficient",
            allowed: range(0.0, 0.99),
            source: ASM,
        },
        anomaly_noise: f64 = 0.3 => {
            meaning: "local noise of the rainfall anomaly",
            unit: "sd/month",
            allowed: range(0.0, 5.0),
            source: ASM,
        },
        flood_probability: f64 = 0.004 => {
            meaning: "flood chance in a normal month",
            unit: "per village-month",
            allowed: share,
            source: "floods are local: East Java 2024, 15,842 ha flooded",
        },
        flood_inventory_loss: f64 = 0.6 => {
            meaning: "group inventory lost in a flood",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        flood_capacity_loss: f64 = 0.15 => {
            meaning: "group capacity lost in a flood",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        climate_trend: f64 = 0.0 => {
            meaning: "drying trend added to the drought index",
            unit: "drought index/decade",
            allowed: range(-1.0, 1.0),
            source: "scenario switch",
        },
        el_nino_severity_min: f64 = 0.3 => {
            meaning: "weakest random El Nino (severity min + (1 - min) U^2, so strong events are rare)",
            unit: "severity 0-1",
            allowed: share,
            source: "assumption; very strong events 1997-98 and 2015-16",
            advanced,
        },
        el_nino_forcing: f64 = 2.0 => {
            meaning: "dry anomaly an El Nino of severity 1 pulls the rainfall anomaly to",
            unit: "anomaly sd",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        la_nina_forcing: f64 = 1.0 => {
            meaning: "wet anomaly a La Nina pulls the rainfall anomaly to",
            unit: "anomaly sd",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        drought_onset: f64 = 0.3 => {
            meaning: "dry anomaly at which the drought index starts to rise",
            unit: "anomaly sd",
            allowed: range(0.0, 10.0),
            source: ASM,
            advanced,
        },
        drought_span: f64 = 1.2 => {
            meaning: "further dry anomaly from onset to full drought (index 1)",
            unit: "anomaly sd",
            allowed: range(0.01, 10.0),
            source: ASM,
            advanced,
        },
        flood_wet_factor: f64 = 2.0 => {
            meaning: "rise of the flood chance per unit of wet anomaly",
            unit: "factor per anomaly sd",
            allowed: range(0.0, 100.0),
            source: ASM,
            advanced,
        },
        flood_farm_loss: f64 = 0.5 => {
            meaning: "raw-crop yield and staple return lost in a flooded village-month",
            unit: "share",
            allowed: share,
            source: "assumption; East Java 2024: 1,332 of 15,842 flooded ha of rice lost",
            advanced,
        },
        drought_staple_loss: f64 = 0.2 => {
            meaning: "staple return lost at full drought (index 1)",
            unit: "share",
            allowed: share,
            source: "assumption; 1997-98 El Nino: paddy output about -6% nationally",
            advanced,
        },
    }
}
