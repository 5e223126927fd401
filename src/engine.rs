//! One replication: builds the world from its seed and steps it month by month in the fixed phase order, recording the metrics.
//!
//! Phase order each month: 1 environment, 2 agencies, 3 households and
//! 4 groups (village by village, in parallel: a village touches only its own
//! state and stream), 5 firms (sequential over villages in index order),
//! labour settlement, 6 yearly monitoring and evaluation, 7 metrics. Sums over
//! villages are taken in index order, so results are identical for any
//! number of threads.

use crate::env::Environment;
use crate::metrics::{self, Month, N_METRICS, S};
use crate::model::Derived;
use crate::model::agency::{self, Agency, BudgetFlows};
use crate::model::firm::{self, Firm};
use crate::model::village::{MonthCtx, Village};
use crate::model::{kawasan, market};
use crate::results::RunOutput;
use crate::rng::{self, Rng};
use crate::scenario::{Approach, Config};
use crate::stats;
use rayon::prelude::*;

/// Which run this is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunSpec {
    pub seed: u64,
    /// Sweep point (0 for plain runs and comparisons: common random numbers).
    pub point: u32,
    pub replication: u32,
}

/// The whole simulated world of one replication.
pub struct World<'a> {
    pub config: &'a Config,
    pub derived: Derived,
    pub villages: Vec<Village>,
    pub firms: Vec<Firm>,
    pub agencies: Vec<Agency>,
    pub env: Environment,
    database: Vec<f64>,
    env_rng: Rng,
    agency_rng: Rng,
    flows: BudgetFlows,
    /// Income per capita at the end of the month, one histogram per share of
    /// villages (filled in parallel), and their sum.
    hists: Vec<stats::Histogram>,
    hist: stats::Histogram,
    /// Domestic price factor per (district, product), from last month's supply.
    saturation: Vec<f64>,
}

impl<'a> World<'a> {
    /// Builds villages, firms and agencies from the run's streams.
    pub fn new(config: &'a Config, spec: RunSpec) -> Self {
        let s = &config.scenario;
        let derived = Derived::new(s);
        let stream = |entity| rng::stream(spec.seed, spec.point, spec.replication, entity);
        let n_villages = config
            .village_records
            .as_ref()
            .map_or(s.district.villages as usize, |r| r.len());
        let mut villages: Vec<Village> = (0..n_villages)
            .into_par_iter()
            .map(|v| {
                let record = config.village_records.as_ref().map(|r| &r[v]);
                Village::generate(v, s, record, stream(rng::village(v)))
            })
            .collect();
        let mut agency_rng = stream(rng::AGENCIES);
        if s.approach == Approach::Kawasan {
            kawasan::impose_commodities(&mut villages, s, &derived, &mut agency_rng);
        }
        let database = agency::database_view(&villages, &derived, &mut agency_rng);
        let districts = s.district.districts as usize;
        let firms = firm::create(s, districts);
        let agencies = agency::create(s, villages.len());
        let env = Environment::new(s, districts);
        let mut world = Self {
            config,
            derived,
            villages,
            firms,
            agencies,
            env,
            database,
            env_rng: stream(rng::ENVIRONMENT),
            agency_rng,
            flows: BudgetFlows::default(),
            hists: Vec::new(),
            hist: stats::Histogram::new(),
            saturation: vec![1.0; districts * s.products.len()],
        };
        let orders: Vec<f64> = world.firms.iter().map(|f| f.orders).collect();
        let ctx = month_ctx(
            config,
            &world.derived,
            &world.env,
            (1, 0, 1.0),
            &orders,
            &world.saturation,
        );
        by_share(&mut world.villages, &mut world.hists, |v, h| {
            v.initialise(&ctx, h)
        });
        world
    }

    /// Advances one month (`t` 1-based).
    pub fn step(&mut self, t: usize) {
        let s = &self.config.scenario;
        let (_, month) = crate::env::calendar(s.start_year, t);
        // 1. Environment.
        self.env.step(s, t, &mut self.env_rng);
        // 2. Agencies.
        if month == 1 {
            let year = ((t - 1) / 12) as u32;
            let finished: Vec<bool> = self.villages.iter().map(|v| v.finished(s)).collect();
            let withdrawn = agency::new_year(
                &mut self.agencies,
                &self.database,
                &finished,
                s,
                &self.derived,
                year,
                &mut self.agency_rng,
            );
            // Support stopped before a village stood on its own costs its trust in programmes.
            let a = &s.adoption;
            for v in withdrawn {
                let village = &mut self.villages[v];
                village.trust = (village.trust - a.trust_loss_withdrawal).max(a.trust_min);
            }
            // An evaluator's treatment group: villages ever on an agency's list.
            for a in &self.agencies {
                for &v in &a.targets {
                    self.villages[v].treated = true;
                }
            }
        }
        self.flows = agency::release(&self.agencies, &mut self.villages, s, &self.derived, month);
        // 3-4. Households and groups, village by village.
        let orders: Vec<f64> = self.firms.iter().map(|f| f.orders).collect();
        let growth = self.derived.growth_month.powi(t as i32);
        let ctx = month_ctx(
            self.config,
            &self.derived,
            &self.env,
            (month, t, growth),
            &orders,
            &self.saturation,
        );
        self.villages.par_iter_mut().for_each(|v| {
            v.step(&ctx);
        });
        // 5. Firms.
        firm::step_firms(
            &mut self.firms,
            &mut self.villages,
            s,
            &self.derived,
            &self.env.prices.index,
            t,
            growth,
        );
        by_share(&mut self.villages, &mut self.hists, |v, h| {
            v.settle(&ctx, h)
        });
        market::update_saturation(&mut self.saturation, &self.villages, s);
        // 6. Monitoring and evaluation.
        if month == 12 {
            agency::evaluate(
                &mut self.agencies,
                &mut self.villages,
                s,
                &self.derived,
                &mut self.agency_rng,
            );
        }
    }

    /// Phase 7: the metric row of the current state.
    ///
    /// Household sums come from each village's tally (made when it closed its
    /// month) and are added in village order; the income distribution is
    /// binned in parallel, with integer weights, so neither depends on threads.
    pub fn observe(&mut self) -> [f64; N_METRICS] {
        self.hist.clear();
        for h in &self.hists {
            self.hist.merge(h);
        }
        let month = Month {
            sums: metrics::collect(&self.villages, &self.firms),
            income: &self.hist,
            agencies: &self.agencies,
            flows: self.flows,
        };
        // The income histogram counts people in u32 bins.
        assert!(
            month[S::People] <= f64::from(u32::MAX),
            "population over 4 billion"
        );
        month.row()
    }
}

/// Runs `f` on every village in parallel, a share of villages per task,
/// each share filling its own histogram (kept between months: allocating
/// them afresh costs more than filling them). The histograms hold integer
/// counts, so how villages are shared out does not change their sum.
fn by_share(
    villages: &mut [Village],
    hists: &mut Vec<stats::Histogram>,
    f: impl Fn(&mut Village, &mut stats::Histogram) + Sync + Send,
) {
    // A few shares per thread, so a slow share does not hold up the others.
    let wanted = (2 * rayon::current_num_threads()).clamp(1, villages.len().max(1));
    let per_share = villages.len().div_ceil(wanted).max(1);
    let shares = villages.len().div_ceil(per_share).max(1);
    hists.resize_with(shares, stats::Histogram::new);
    hists
        .par_iter_mut()
        .zip(villages.par_chunks_mut(per_share))
        .for_each(|(h, share)| {
            h.clear();
            for v in share {
                f(v, h);
            }
        });
}

fn month_ctx<'b>(
    config: &'b Config,
    derived: &'b Derived,
    env: &'b Environment,
    (month, t, growth): (u32, usize, f64),
    orders: &'b [f64],
    saturation: &'b [f64],
) -> MonthCtx<'b> {
    MonthCtx {
        s: &config.scenario,
        d: derived,
        month,
        t,
        growth,
        index: &env.prices.index,
        drought: &env.weather.drought,
        flood_factor: &env.weather.flood_factor,
        scheduled_flood: env.weather.scheduled_flood,
        firm_orders: orders,
        saturation,
    }
}

/// Runs one replication and returns its metric series (months 0..=horizon).
///
/// Each month's row is checked against the invariants of
/// [`metrics::broken_invariant`]; the first broken one stops the run.
pub fn run(config: &Config, spec: RunSpec) -> Result<RunOutput, Violation> {
    let months = config.months();
    let mut world = World::new(config, spec);
    let mut out = RunOutput::with_months(spec.replication, months);
    for t in 0..=months {
        if t > 0 {
            world.step(t);
        }
        let row = world.observe();
        if let Some((metric, rule)) = metrics::broken_invariant(&row) {
            return Err(Violation {
                metric: metrics::METRICS[metric].name,
                value: row[metric],
                rule,
                month: t,
                spec,
            });
        }
        out.push_row(&row);
    }
    Ok(out)
}

/// A month whose metrics break an invariant: a bug, or inputs the model cannot represent.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "invariant broken: metric `{metric}` {rule} ({value}) in month {month} of replication {} with seed {} (design point {}); the results would be wrong, so nothing was written; please report it with the command and scenario",
    spec.replication, spec.seed, spec.point
)]
pub struct Violation {
    pub metric: &'static str,
    pub value: f64,
    pub rule: &'static str,
    pub month: usize,
    pub spec: RunSpec,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::N_METRICS;

    fn config(sets: &[&str]) -> Config {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        crate::scenario::load_str("name = \"t\"\n", "t.toml".as_ref(), ".".as_ref(), &sets).unwrap()
    }

    const SPEC: RunSpec = RunSpec {
        seed: 3,
        point: 0,
        replication: 0,
    };

    #[test]
    fn a_run_records_month_zero_and_every_month() {
        let c = config(&["district.villages=5", "years=2"]);
        let out = run(&c, SPEC).unwrap();
        assert_eq!(out.rows(), 25);
        assert_eq!(out.values.len(), 25 * N_METRICS);
        assert!(out.values.iter().all(|v| v.is_finite()));
        assert_eq!(out, run(&c, SPEC).unwrap(), "same seed, same run");
    }
}
