//! The environment of a run: ENSO weather per district and global price indices per product, with scheduled events.

mod prices;
mod weather;

pub use prices::PriceState;
pub use weather::{Enso, WeatherState};

use crate::rng::Rng;
use crate::scenario::Scenario;

/// Calendar position of simulation month `t` (1-based): (year, month 1-12).
pub fn calendar(start_year: i32, t: usize) -> (i32, u32) {
    let t0 = t.saturating_sub(1);
    (start_year + (t0 / 12) as i32, (t0 % 12) as u32 + 1)
}

/// Simulation month (1-based) of a calendar year and month.
pub fn month_of(start_year: i32, year: i32, month: u32) -> usize {
    ((year - start_year) * 12 + month as i32).max(1) as usize
}

/// Weather and prices, stepped once a month before anyone acts.
#[derive(Debug, Clone)]
pub struct Environment {
    pub weather: WeatherState,
    pub prices: PriceState,
}

impl Environment {
    /// The calm starting state (neutral ENSO, all price indices at 1).
    pub fn new(s: &Scenario, districts: usize) -> Self {
        Self {
            weather: WeatherState::new(districts),
            prices: PriceState::new(s.products.len()),
        }
    }

    /// Draws month `t`'s weather, then prices.
    pub fn step(&mut self, s: &Scenario, t: usize, rng: &mut Rng) {
        self.weather.step(s, t, rng);
        self.prices.step(s, t, rng);
    }
}
