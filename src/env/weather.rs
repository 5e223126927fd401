//! ENSO phases, district rainfall anomalies, drought index and flood risk.
//!
//! ENSO is one Markov chain for the whole run (it is a Pacific-wide state);
//! each district's rainfall anomaly follows it with AR(1) persistence and
//! local noise. The drought index (0-1) cuts raw-material yields by each
//! product's `drought_loss`; the wet anomaly raises flood chances.

use crate::env::month_of;
use crate::rng::Rng;
use crate::scenario::{Scenario, WeatherKind};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Phase of the El Nino-Southern Oscillation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Enso {
    Neutral,
    /// Dry phase with severity 0-1 (1 = 1997-98).
    ElNino(f64),
    LaNina,
}

/// Weather of the current month.
#[derive(Debug, Clone)]
pub struct WeatherState {
    pub enso: Enso,
    months_left: u32,
    /// Rainfall anomaly per district (sd units; negative is dry).
    pub anomaly: Vec<f64>,
    /// Drought index per district (0 none, 1 the worst).
    pub drought: Vec<f64>,
    /// Multiplier on the monthly flood chance per district.
    pub flood_factor: Vec<f64>,
    /// Share of villages flooded by a scheduled flood this month (0 if none).
    pub scheduled_flood: f64,
}

impl WeatherState {
    pub fn new(districts: usize) -> Self {
        Self {
            enso: Enso::Neutral,
            months_left: 0,
            anomaly: vec![0.0; districts],
            drought: vec![0.0; districts],
            flood_factor: vec![1.0; districts],
            scheduled_flood: 0.0,
        }
    }

    pub fn step(&mut self, s: &Scenario, t: usize, rng: &mut Rng) {
        let w = &s.weather;
        self.scheduled_flood = 0.0;
        let mut forced = false;
        for ev in &s.events.weather {
            let start = month_of(s.start_year, ev.year, ev.month);
            let active = t >= start && t < start + ev.duration_months as usize;
            match ev.kind {
                WeatherKind::ElNino if t == start => {
                    self.enso = Enso::ElNino(ev.severity);
                    self.months_left = ev.duration_months;
                    forced = true;
                }
                WeatherKind::LaNina if t == start => {
                    self.enso = Enso::LaNina;
                    self.months_left = ev.duration_months;
                    forced = true;
                }
                WeatherKind::Flood if active => {
                    self.scheduled_flood = self.scheduled_flood.max(ev.severity);
                }
                _ => {}
            }
        }
        // Draws happen every month whether or not an event forced the phase,
        // so a scheduled event does not shift the rest of the random stream.
        let u: f64 = rng.random();
        let severity_draw: f64 = rng.random();
        if !forced {
            if self.months_left > 0 {
                self.months_left -= 1;
                if self.months_left == 0 {
                    self.enso = Enso::Neutral;
                }
            } else {
                let p_nino = 1.0 / (12.0 * w.el_nino_every_years);
                let p_nina = 1.0 / (12.0 * w.la_nina_every_years);
                if u < p_nino {
                    // Most El Ninos are moderate; a few reach 1997-98 strength.
                    let weakest = w.el_nino_severity_min;
                    self.enso =
                        Enso::ElNino(weakest + (1.0 - weakest) * severity_draw * severity_draw);
                    self.months_left = w.event_months.round().max(1.0) as u32;
                } else if u < p_nino + p_nina {
                    self.enso = Enso::LaNina;
                    self.months_left = w.event_months.round().max(1.0) as u32;
                }
            }
        }
        let forcing = match self.enso {
            Enso::Neutral => 0.0,
            Enso::ElNino(sev) => -w.el_nino_forcing * sev,
            Enso::LaNina => w.la_nina_forcing,
        };
        let trend = w.climate_trend * (t as f64 / 120.0);
        for d in 0..self.anomaly.len() {
            let eps: f64 = StandardNormal.sample(rng);
            let a = w.anomaly_persistence * self.anomaly[d]
                + (1.0 - w.anomaly_persistence) * forcing
                + w.anomaly_noise * eps;
            self.anomaly[d] = a;
            self.drought[d] = ((-a - w.drought_onset) / w.drought_span + trend).clamp(0.0, 1.0);
            self.flood_factor[d] = 1.0 + w.flood_wet_factor * a.max(0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;
    use crate::scenario::WeatherEvent;

    fn run(s: &Scenario, months: usize) -> Vec<(Enso, f64)> {
        let mut w = WeatherState::new(1);
        let mut rng = stream(1, 0, 0, 0);
        (1..=months)
            .map(|t| {
                w.step(s, t, &mut rng);
                (w.enso, w.drought[0])
            })
            .collect()
    }

    #[test]
    fn el_nino_recurs_at_the_configured_rate() {
        let s = Scenario::default();
        let path = run(&s, 12 * 400);
        let onsets = path
            .windows(2)
            .filter(|w| !matches!(w[0].0, Enso::ElNino(_)) && matches!(w[1].0, Enso::ElNino(_)))
            .count() as f64;
        // Onsets can only start from neutral, so the realised gap is longer
        // than el_nino_every_years; it must stay inside the observed 2-7 years.
        let gap = 400.0 / onsets;
        assert!((3.0..8.0).contains(&gap), "mean gap {gap} years");
    }

    #[test]
    fn scheduled_severe_el_nino_causes_drought() {
        let mut s = Scenario::default();
        s.weather.el_nino_every_years = 1000.0;
        s.weather.la_nina_every_years = 1000.0;
        s.events.weather.push(WeatherEvent {
            kind: WeatherKind::ElNino,
            year: 2026,
            month: 1,
            duration_months: 12,
            severity: 1.0,
        });
        let path = run(&s, 36);
        let during: f64 = path[16..24].iter().map(|p| p.1).sum::<f64>() / 8.0;
        let before: f64 = path[0..12].iter().map(|p| p.1).sum::<f64>() / 12.0;
        assert!(matches!(path[13].0, Enso::ElNino(_)));
        assert!(during > 0.7, "drought during {during}");
        assert!(before < 0.15, "drought before {before}");
        assert_eq!(path[30].0, Enso::Neutral);
    }
}
