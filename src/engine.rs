//! One replication: builds the world from its seed and steps it month by month in the fixed phase order, recording the metrics.
//!
//! Phase order each month: 1 environment, 2 agencies, 3 households and
//! 4 groups (village by village, in parallel: a village touches only its own
//! state and stream), 5 firms (sequential over villages in index order),
//! labour settlement, 6 yearly monitoring and evaluation, 7 metrics. Sums over
//! villages are taken in index order, so results are identical for any
//! number of threads.

use crate::env::Environment;
use crate::metrics::{M, N_METRICS};
use crate::model::Derived;
use crate::model::agency::{self, Agency, BudgetFlows};
use crate::model::firm::{self, Firm};
use crate::model::group::EXPORT_TIER;
use crate::model::partnership::Stage;
use crate::model::village::{MonthCtx, Village};
use crate::model::{kawasan, market};
use crate::results::RunOutput;
use crate::rng::{self, Rng};
use crate::scenario::{Approach, Config};
use crate::stats;
use rayon::prelude::*;

/// Which run this is.
#[derive(Debug, Clone, Copy)]
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
            .map_or(s.district.villages as usize, Vec::len);
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
            agency::new_year(
                &mut self.agencies,
                &self.database,
                s,
                &self.derived,
                year,
                &mut self.agency_rng,
            );
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
        );
        by_share(&mut self.villages, &mut self.hists, |v, h| {
            v.settle(&ctx, h)
        });
        market::update_saturation(&mut self.saturation, &self.villages, s);
        // 6. Monitoring and evaluation.
        if month == 12 {
            agency::evaluate(&mut self.agencies, &mut self.villages, s);
        }
    }

    /// Phase 7: the metric row of the current state.
    ///
    /// Household sums come from each village's tally (made when it closed its
    /// month) and are added in village order; the income distribution is
    /// binned in parallel, with integer weights, so neither depends on threads.
    pub fn observe(&mut self) -> [f64; N_METRICS] {
        let mut row = [0.0; N_METRICS];
        let (mut people, mut poor, mut workers) = (0u64, 0u64, 0u64);
        let (mut households, mut aware, mut members) = (0u64, 0u64, 0u64);
        let (mut farm, mut wage, mut profit, mut other) = (0.0, 0.0, 0.0, 0.0);
        let (mut groups, mut certified, mut dissolved) = (0.0, 0.0, 0.0);
        let (mut partnerships, mut agreement, mut equilibrium) = (0.0, 0.0, 0.0);
        let mut communication = 0.0;
        let mut by_tier = [0.0; 5];
        let mut group_jobs = 0.0;
        let mut value_added = 0.0;
        let mut credit = 0.0;
        let mut capacity = 0.0;
        let mut potential = 0.0;
        let hist = &mut self.hist;
        hist.clear();
        for h in &self.hists {
            hist.merge(h);
        }
        for v in &self.villages {
            let t = &v.tally;
            people += t.people;
            poor += t.poor;
            workers += t.workers;
            households += t.households;
            aware += t.aware;
            members += t.members;
            farm += t.farm;
            wage += t.wage;
            profit += t.profit;
            other += t.other;
            credit += t.credit;
            dissolved += f64::from(v.dissolved_total);
            potential += v.potential;
            for g in &v.groups {
                if g.is_active() {
                    groups += 1.0;
                    capacity += g.capacity_t;
                    if g.tier >= EXPORT_TIER {
                        certified += 1.0;
                    }
                    by_tier[usize::from(g.tier).min(4)] += 1.0;
                }
                if let Some(ps) = &g.partner {
                    partnerships += 1.0;
                    match ps.stage {
                        Stage::Communication => communication += 1.0,
                        Stage::Agreement => agreement += 1.0,
                        Stage::Equilibrium => equilibrium += 1.0,
                    }
                }
                group_jobs += f64::from(g.jobs);
                value_added += g.sales_value - g.raw_cost;
                credit += g.debt.principal;
            }
        }
        // The income histogram counts people in u32 bins.
        assert!(people <= u64::from(u32::MAX), "population over 4 billion");
        let people = people as f64;
        let (poor, workers) = (poor as f64, workers as f64);
        let (households, aware, members) = (households as f64, aware as f64, members as f64);
        let mut firm_jobs = 0.0;
        let mut exports = 0.0;
        for f in &self.firms {
            firm_jobs += f.employees;
            exports += f.exports;
            value_added += f.sales - f.purchases;
        }
        let total = farm + wage + profit + other;
        let per = |x: f64| if people > 0.0 { x / people } else { 0.0 };
        row[M::IncomePerCapita as usize] = per(total);
        row[M::IncomePerCapitaMedian as usize] = hist.median();
        row[M::IncomeFarmPerCapita as usize] = per(farm);
        row[M::IncomeWagePerCapita as usize] = per(wage);
        row[M::IncomeProfitPerCapita as usize] = per(profit);
        row[M::IncomeOtherPerCapita as usize] = per(other);
        row[M::PovertyRate as usize] = per(poor);
        row[M::Gini as usize] = hist.gini();
        row[M::JobsAgroindustry as usize] = group_jobs + firm_jobs;
        row[M::JobsGroup as usize] = group_jobs;
        row[M::JobsFirm as usize] = firm_jobs;
        row[M::EmploymentShareAgroindustry as usize] = if workers > 0.0 {
            (group_jobs + firm_jobs) / workers
        } else {
            0.0
        };
        row[M::AwareShare as usize] = aware / households.max(1.0);
        row[M::MemberShare as usize] = members / households.max(1.0);
        row[M::GroupsActive as usize] = groups;
        row[M::GroupsCertified as usize] = certified;
        for (tier, n) in by_tier.into_iter().enumerate() {
            row[M::GroupsTier0 as usize + tier] = n;
        }
        row[M::GroupsDissolved as usize] = dissolved;
        row[M::GroupCapacity as usize] = capacity;
        row[M::ProductPotential as usize] = potential / self.villages.len().max(1) as f64;
        row[M::PartnershipsActive as usize] = partnerships;
        row[M::PartnershipsCommunication as usize] = communication;
        row[M::PartnershipsAgreement as usize] = agreement;
        row[M::PartnershipsEquilibrium as usize] = equilibrium;
        row[M::ValueAdded as usize] = value_added;
        row[M::Exports as usize] = exports;
        row[M::BudgetAllocated as usize] =
            self.agencies.iter().map(|a| a.budget).sum::<f64>() / 12.0;
        row[M::BudgetDelivered as usize] = self.flows.delivered;
        row[M::Population as usize] = people;
        row[M::BudgetLapsed as usize] = self.flows.lapsed;
        row[M::CreditOutstanding as usize] = credit;
        row
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
pub fn run(config: &Config, spec: RunSpec) -> RunOutput {
    let months = config.months();
    let mut world = World::new(config, spec);
    let mut out = RunOutput::with_months(spec.replication, months);
    out.push_row(&world.observe());
    for t in 1..=months {
        world.step(t);
        out.push_row(&world.observe());
    }
    out
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
        let out = run(&c, SPEC);
        assert_eq!(out.rows(), 25);
        assert_eq!(out.values.len(), 25 * N_METRICS);
        assert!(out.values.iter().all(|v| v.is_finite()));
        assert_eq!(out, run(&c, SPEC), "same seed, same run");
    }
}
