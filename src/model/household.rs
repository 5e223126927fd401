//! Households of one village as struct-of-arrays, and their monthly rules: produce, earn, consume, borrow, learn, join, leave.

use crate::model::expf;
use crate::model::finance::{self, Debt};
use crate::model::{Derived, Kind, NO_GROUP, PerKind, uniform};
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::stats::Histogram;
use rand::{Rng as _, RngExt};
use rand_distr::{Distribution, LogNormal, Poisson, StandardNormal};
use std::hint::select_unpredictable;

/// Adoption state of a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Adoption {
    Unaware = 0,
    Aware = 1,
    Member = 2,
}

/// Hot household state, one column per variable (index = household).
#[derive(Debug, Clone, Default)]
pub struct Households {
    pub members: Vec<u8>,
    pub workers: Vec<u8>,
    /// Farm land (ha).
    pub land: Vec<f32>,
    /// Share of land under the village product's raw crop.
    pub raw_share: Vec<f32>,
    /// Skill (human resources, 0-1).
    pub skill: Vec<f32>,
    /// Joining threshold (expected gain as a share of income).
    pub threshold: Vec<f32>,
    /// Other income at start-year level (Rp/month).
    pub other_base: Vec<f32>,
    /// Log income shock (AR(1)), applied to other income and casual wages.
    pub shock: Vec<f32>,
    /// `exp(shock - drift)`, set when the shock moves: other income and
    /// casual wages both need it, and an `exp` per household is costly.
    pub shock_factor: Vec<f32>,
    pub savings: Vec<f64>,
    pub debt: Vec<Debt>,
    /// Whether `debt` has principal outstanding. Most households owe nothing,
    /// and this byte spares reading their 32-byte `Debt` every month.
    pub indebted: Vec<bool>,
    pub state: Vec<Adoption>,
    /// Group id or `NO_GROUP`.
    pub group: Vec<u32>,
    /// Family workers in the household's own food-processing business (0: none).
    pub processing: Vec<u8>,
    /// Workers in group jobs / firm jobs this month.
    pub group_jobs: Vec<u8>,
    pub firm_jobs: Vec<u8>,
    /// Months since the household last gained from its group.
    pub idle_months: Vec<u16>,
    /// Months of debt service above half of income.
    pub distress: Vec<u8>,
    /// Defaulted: no formal credit any more.
    pub banned: Vec<bool>,
    /// Raw material harvested this month (kg).
    pub raw_kg: Vec<f32>,
    /// Income this month (Rp), by source.
    pub inc_farm: Vec<f64>,
    pub inc_wage: Vec<f64>,
    pub inc_profit: Vec<f64>,
    pub inc_other: Vec<f64>,
    /// Total income of last month (Rp), the basis of consumption and decisions.
    pub income_last: Vec<f64>,
}

/// Village-level inputs of the household phase, read at the start of the phase.
pub struct HouseholdCtx<'a> {
    pub s: &'a Scenario,
    pub d: &'a Derived,
    /// Growth factor of wages and other income.
    pub growth: f64,
    /// Raw yield per ha of the village product this month (kg/ha), weather and programmes applied.
    pub raw_yield_ha: f64,
    /// Farm-gate price this month (Rp/kg).
    pub farmgate: f64,
    /// Staple return this month (Rp/ha).
    pub staple_ha: f64,
    /// Programme effects in the village (0-1 each).
    pub effect: PerKind,
    /// Share of households aware or members at the start of the phase.
    pub aware_share: f64,
    /// Share of households that are members at the start of the phase.
    pub member_share: f64,
    /// Village trust in groups and programmes (0-1).
    pub trust: f64,
    /// Best expected gain from joining an open group (share of income), and that group's id.
    pub offer: Option<(f64, u32)>,
    /// Whether the raw crop pays better than staples this month.
    pub raw_crop_pays: bool,
}

/// Totals of one village's household phase.
#[derive(Debug, Clone, Copy, Default)]
pub struct HouseholdTotals {
    pub joined: u32,
    pub left: u32,
    /// Households' outstanding debt after this month's payments and loans (Rp).
    pub credit: f64,
    /// Land under staples and under the raw crop (ha), the base of hired farm work.
    pub land: LandUse,
}

/// Land of a village's households by use (ha).
#[derive(Debug, Clone, Copy, Default)]
pub struct LandUse {
    pub staple_ha: f64,
    pub raw_ha: f64,
}

/// The village's casual labour market of one month.
#[derive(Debug, Clone, Copy)]
pub struct CasualMarket {
    /// Casual days demanded in the village: hired farm work, non-farm work,
    /// processing businesses' hired days and local spending of agro-industry income.
    pub demand_days: f64,
    /// Tightness at month 0 (0: this is month 0), against which the wage moves.
    pub tight0: f64,
}

impl Households {
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Empty columns with room for `n` households, so that no column
    /// over-allocates while growing (at national scale that would be gigabytes).
    fn with_capacity(n: usize) -> Self {
        Self {
            members: Vec::with_capacity(n),
            workers: Vec::with_capacity(n),
            land: Vec::with_capacity(n),
            raw_share: Vec::with_capacity(n),
            skill: Vec::with_capacity(n),
            threshold: Vec::with_capacity(n),
            other_base: Vec::with_capacity(n),
            shock: Vec::with_capacity(n),
            shock_factor: Vec::with_capacity(n),
            savings: Vec::with_capacity(n),
            debt: Vec::with_capacity(n),
            indebted: Vec::with_capacity(n),
            state: Vec::with_capacity(n),
            group: Vec::with_capacity(n),
            processing: Vec::with_capacity(n),
            group_jobs: Vec::with_capacity(n),
            firm_jobs: Vec::with_capacity(n),
            idle_months: Vec::with_capacity(n),
            distress: Vec::with_capacity(n),
            banned: Vec::with_capacity(n),
            raw_kg: Vec::with_capacity(n),
            inc_farm: Vec::with_capacity(n),
            inc_wage: Vec::with_capacity(n),
            inc_profit: Vec::with_capacity(n),
            inc_other: Vec::with_capacity(n),
            income_last: Vec::with_capacity(n),
        }
    }

    /// Draws `n` households from the scenario's distributions.
    pub fn generate(n: usize, s: &Scenario, rng: &mut Rng) -> Self {
        let h = &s.households;
        let mut hh = Households::with_capacity(n);
        let size = Poisson::new((h.members_mean - 1.0).max(0.01)).expect("validated mean");
        let land = LogNormal::new(h.land_median_ha.ln(), h.land_sigma).expect("validated");
        let other = LogNormal::new(h.other_income_median.max(1.0).ln(), h.other_income_sigma)
            .expect("validated");
        // Shocks start from their stationary distribution, so month 0 is typical.
        let (rho, sd, drift) = shock_params(s);
        let shock0 = rand_distr::Normal::new(0.0, sd / (1.0 - rho * rho).max(1e-6).sqrt())
            .expect("validated");
        let threshold = LogNormal::new(
            s.adoption.threshold_mean.max(1e-6).ln(),
            s.adoption.threshold_sigma,
        )
        .expect("validated");
        for _ in 0..n {
            let members = (1.0 + size.sample(rng)).min(f64::from(h.members_max)) as u8;
            let workers = ((f64::from(members) * h.workers_per_member).round() as u8).max(1);
            let landless = rng.random::<f64>() < h.landless_share;
            let ha = if landless {
                0.0
            } else {
                land.sample(rng).min(h.land_max_ha)
            };
            let other_base = other
                .sample(rng)
                .min(h.other_income_median * h.other_income_max_ratio);
            let processing = if rng.random::<f64>() < s.labour.processing_share {
                workers.min(s.labour.processing_family_workers.min(255) as u8)
            } else {
                0
            };
            hh.members.push(members);
            hh.workers.push(workers);
            hh.land.push(ha as f32);
            hh.raw_share.push(h.raw_crop_share as f32);
            hh.skill
                .push(uniform(rng, h.skill_min as f32, h.skill_max as f32));
            hh.threshold.push(threshold.sample(rng) as f32);
            hh.other_base.push(other_base as f32);
            let shock: f32 = shock0.sample(rng);
            hh.shock.push(shock);
            hh.shock_factor.push((shock - drift).exp());
            hh.savings.push(0.0);
            hh.debt.push(Debt::default());
            hh.indebted.push(false);
            hh.state.push(Adoption::Unaware);
            hh.group.push(NO_GROUP);
            hh.processing.push(processing);
            hh.group_jobs.push(0);
            hh.firm_jobs.push(0);
            hh.idle_months.push(0);
            hh.distress.push(0);
            hh.banned.push(false);
            hh.raw_kg.push(0.0);
            hh.inc_farm.push(0.0);
            hh.inc_wage.push(0.0);
            hh.inc_profit.push(0.0);
            hh.inc_other.push(0.0);
            hh.income_last.push(0.0);
        }
        hh
    }

    /// Total income of household `i` this month.
    pub fn income(&self, i: usize) -> f64 {
        self.inc_farm[i] + self.inc_wage[i] + self.inc_profit[i] + self.inc_other[i]
    }

    /// Sets initial incomes and savings (month 0) without any decisions.
    /// Returns the land in use, the base of the labour market that
    /// [`settle_labour`](Self::settle_labour) then clears.
    pub fn initialise(&mut self, ctx: &HouseholdCtx) -> LandUse {
        let earn = Earn::new(ctx);
        let mut land = LandUse::default();
        for i in 0..self.len() {
            self.earn(i, &earn, &mut land);
        }
        land
    }

    /// Initial savings, from month-0 income.
    pub fn initial_savings(&mut self, s: &Scenario) {
        for i in 0..self.len() {
            self.savings[i] = s.households.savings_months * self.income_last[i];
        }
    }

    /// Phase 3: the monthly household rules, in order: earn, consume and
    /// borrow, adjust crops, train, then learn and decide.
    ///
    /// Each rule reads and writes only its own household's columns, so the
    /// first four run in one pass over the households (one trip through
    /// memory instead of four). The random draws keep the order of the rules
    /// run one after another: all income shocks first, then loans in
    /// household order, then the adoption draws.
    pub fn step(&mut self, ctx: &HouseholdCtx, rng: &mut Rng) -> HouseholdTotals {
        self.move_shocks(ctx.s, rng);
        let earn = Earn::new(ctx);
        let consume = Consume::new(ctx);
        let crops = Crops::new(ctx);
        let hr = ctx.effect[Kind::HumanResources as usize] as f32;
        let training = ctx.s.households.training_rate as f32;
        // Household debt changes only here, so its total is taken here too.
        let mut credit = 0.0;
        let mut land = LandUse::default();
        for i in 0..self.len() {
            self.earn(i, &earn, &mut land);
            self.consume_and_borrow(i, &consume, ctx.s, rng);
            if self.indebted[i] {
                credit += self.debt[i].principal;
            }
            self.adjust_crops(i, &crops);
            if hr > 0.0 {
                self.train(i, training * hr);
            }
        }
        let mut totals = self.learn_and_decide(ctx, rng);
        totals.credit = credit;
        totals.land = land;
        totals
    }

    /// The AR(1) income shocks move one step.
    // Not inlined (once per village-month), so profiles show it on its own.
    #[inline(never)]
    fn move_shocks(&mut self, s: &Scenario, rng: &mut Rng) {
        let (rho, sd, drift) = shock_params(s);
        for shock in &mut self.shock {
            let eps: f32 = StandardNormal.sample(rng);
            *shock = rho * *shock + sd * eps;
        }
        expf::exp_shifted(&self.shock, drift, &mut self.shock_factor);
    }

    /// Harvest, farm income and other income. Raw-material premiums and profit
    /// shares are added by the group phase, wages when jobs are settled.
    #[inline(always)]
    fn earn(&mut self, i: usize, c: &Earn, land_use: &mut LandUse) {
        let land = f64::from(self.land[i]);
        let share = f64::from(self.raw_share[i]);
        let raw_ha = land * share;
        let staple_ha = land - raw_ha;
        land_use.raw_ha += raw_ha;
        land_use.staple_ha += staple_ha;
        let raw = raw_ha * c.raw_yield_ha;
        self.raw_kg[i] = raw as f32;
        self.inc_farm[i] = raw * c.raw_net + staple_ha * c.staple_ha;
        // (Wages are set whole when jobs are settled at the end of the month.)
        self.inc_profit[i] = 0.0;
        // Other income includes the household's own processing business.
        self.inc_other[i] = (f64::from(self.other_base[i])
            + f64::from(self.processing[i]) * c.processing_income)
            * c.growth
            * f64::from(self.shock_factor[i]);
    }

    /// Banks last month's income, then consumption with a subsistence floor,
    /// debt service, borrowing when savings run out, and distress.
    #[inline]
    fn consume_and_borrow(&mut self, i: usize, c: &Consume, s: &Scenario, rng: &mut Rng) {
        // Savings and distress are kept in locals and stored once: through
        // the columns, each update would wait on the store before it.
        let income = self.income_last[i];
        let floor = c.floor_pc * f64::from(self.members[i]);
        let wanted = (s.households.consumption_propensity * income).max(floor);
        let mut savings = self.savings[i];
        // Consumption above the floor is cut when savings are gone.
        let consumption = if savings + income >= wanted {
            wanted
        } else {
            floor.min(wanted)
        };
        savings += income - consumption;
        // Debt service is heavy when it takes more than a share of income;
        // with no debt nothing is paid, which is never heavy.
        let (paid, heavy) = if self.indebted[i] {
            let (paid, _) = self.debt[i].service();
            self.indebted[i] = self.debt[i].principal > 0.0;
            (
                paid,
                paid > s.finance.distress_service_share * income.max(1.0),
            )
        } else {
            (0.0, false)
        };
        savings -= paid;
        let mut distress = if heavy {
            self.distress[i].saturating_add(1)
        } else {
            0
        };
        if savings < 0.0 {
            let need = -savings;
            // Read here, on the rare borrowing path, rather than kept in
            // `Consume`: values carried through the loop cost registers.
            let records = self.records(i, s);
            let loan = if self.banned[i] {
                None
            } else {
                finance::apply(
                    &s.finance,
                    need,
                    &self.debt[i],
                    finance::Standing {
                        records,
                        finance_effect: c.fin_effect,
                        // Households are screened by the ban on defaulters.
                        sound: true,
                    },
                    true,
                    rng,
                )
            };
            if let Some(loan) = loan {
                self.borrow(i, loan);
            } else {
                // Only the informal market is left for a defaulter: family and shop credit at its cost.
                self.borrow(
                    i,
                    finance::Loan {
                        lender: finance::Lender::Informal,
                        amount: need,
                        rate_month: s.finance.informal_rate_month,
                        term_months: s.finance.informal_term_months,
                    },
                );
            }
            savings = 0.0;
        }
        if u32::from(distress) >= s.finance.distress_months {
            distress = 0;
            let land = f64::from(self.land[i]);
            if land > s.finance.land_sale_min_ha {
                // Sell part of the land to pay down debt.
                let sold = s.finance.land_sale_share * land;
                self.land[i] = (land - sold) as f32;
                let proceeds = sold * s.finance.land_price_ha;
                let d = &mut self.debt[i];
                let repay = proceeds.min(d.principal);
                d.principal -= repay;
                savings += proceeds - repay;
                d.payment = finance::annuity(d.principal, d.rate_month, s.finance.term_months);
                self.indebted[i] = d.principal > 0.0;
            } else {
                self.debt[i].write_off();
                self.indebted[i] = self.debt[i].principal > 0.0;
                self.banned[i] = true;
            }
            if self.state[i] == Adoption::Member {
                self.group[i] = NO_GROUP;
                self.state[i] = Adoption::Aware;
            }
        }
        self.savings[i] = savings;
        self.distress[i] = distress;
    }

    /// Household `i`'s records as a borrower (land is the usual collateral).
    #[inline]
    pub fn records(&self, i: usize, s: &Scenario) -> f64 {
        if self.land[i] > 0.0 {
            s.finance.household_records_land
        } else {
            s.finance.household_records_landless
        }
    }

    /// Household `i` takes a loan (pooled into its debt).
    pub fn borrow(&mut self, i: usize, loan: finance::Loan) {
        self.debt[i].add(loan);
        self.indebted[i] = self.debt[i].principal > 0.0;
    }

    /// Members shift land to the raw crop while it pays; others drift back.
    #[inline]
    fn adjust_crops(&mut self, i: usize, c: &Crops) {
        let r = &mut self.raw_share[i];
        if self.state[i] == Adoption::Member && c.raw_crop_pays {
            *r = (*r + c.expand).min(c.max);
        } else if *r > c.base {
            *r = (*r - c.retreat).max(c.base);
        }
    }

    /// Training, apprenticeships and study visits raise members' skill
    /// (`rate` is the part of the skill gap closed this month, above 0).
    #[inline]
    fn train(&mut self, i: usize, rate: f32) {
        if self.state[i] == Adoption::Member {
            let s = &mut self.skill[i];
            *s += rate * (1.0 - *s);
        }
    }

    /// Bass-like awareness, threshold joining and leaving after idle months.
    // Not inlined (once per village-month), so profiles show it on its own.
    #[inline(never)]
    fn learn_and_decide(&mut self, ctx: &HouseholdCtx, rng: &mut Rng) -> HouseholdTotals {
        let a = &ctx.s.adoption;
        let empowerment = ctx.effect[Kind::Empowerment as usize];
        let push = a.bass_p_background
            + a.bass_p
                * ctx.d.socialization
                * (a.movement_share + (1.0 - a.movement_share) * empowerment);
        let p_aware = 1.0 - (-(push + a.bass_q * ctx.aware_share) / 12.0).exp();
        // Social proof: thresholds fall as more neighbours are members.
        let proof = 1.0 - a.social_proof * ctx.member_share;
        let consider = a.consider_probability;
        // The pull of the best offer, weighed against each threshold.
        let (has_offer, pull, gid) = match ctx.offer {
            Some((gain, gid)) => (true, ctx.d.ownership * ctx.trust * gain, gid),
            None => (false, 0.0, NO_GROUP),
        };
        let mut totals = HouseholdTotals::default();
        // One uniform per household, in household order: drawn a chunk at a
        // time as raw bytes (the same words of the stream, in the same
        // order, as one `random::<f64>()` after another, see `unit_f64`).
        const CHUNK: usize = 256;
        let mut bytes = [0u8; 8 * CHUNK];
        let n = self.len();
        let mut start = 0;
        while start < n {
            let k = (n - start).min(CHUNK);
            rng.fill_bytes(&mut bytes[..8 * k]);
            for (i, b) in (start..start + k).zip(bytes.chunks_exact(8)) {
                let u = unit_f64(u64::from_le_bytes(b.try_into().expect("8 bytes")));
                // The outcomes are random, so they are worked out without
                // branches (`&`, not `&&`); the one branch left, on a change,
                // is rarely taken.
                let st = self.state[i];
                let wakes = (st == Adoption::Unaware) & (u < p_aware);
                let joins = (st == Adoption::Aware)
                    & has_offer
                    & (u < consider)
                    & (pull > f64::from(self.threshold[i]) * proof);
                let leaves = (st == Adoption::Member)
                    & (u32::from(self.idle_months[i]) >= a.leave_after_months)
                    & (u < a.leave_probability);
                if wakes | joins | leaves {
                    if joins {
                        self.state[i] = Adoption::Member;
                        self.group[i] = gid;
                        self.idle_months[i] = 0;
                        totals.joined += 1;
                    } else {
                        self.state[i] = Adoption::Aware;
                        if leaves {
                            self.group[i] = NO_GROUP;
                            totals.left += 1;
                        }
                    }
                }
            }
            start += k;
        }
        totals
    }

    /// Allocates labour at the end of the month, pays wages and closes the month.
    ///
    /// Group jobs go to the group's own members first (one worker per
    /// household), then to any household with a free worker; firm jobs then go
    /// to free workers. Workers in the household's own processing business
    /// take no other job. Returns the jobs filled (group, firm), which can fall
    /// short when the village runs out of workers.
    ///
    /// Everyone else seeks casual work: `economy.casual_days` a worker, less
    /// the family's own share of its farm work. The village demands
    /// `market.demand_days`; when that is short of what is sought, every
    /// seeker gets the same share of the days sought (weighted by skill and
    /// income shock, which share the work out but add none), and when it is more,
    /// seekers work longer, up to `economy.casual_days_max`. The daily wage
    /// moves with the market's tightness against month 0.
    ///
    /// Closing the month: each household's total income becomes last month's
    /// income (the basis of next month's decisions), and the village's
    /// household metrics are added up in the same pass: into the returned
    /// tally, and income per capita into `hist`.
    #[allow(clippy::too_many_arguments)]
    pub fn settle_labour(
        &mut self,
        group_jobs: &[(u32, u32)],
        firm_jobs: u32,
        s: &Scenario,
        growth: f64,
        market: CasualMarket,
        start: usize,
        hist: &mut Histogram,
    ) -> Settled {
        self.group_jobs.fill(0);
        self.firm_jobs.fill(0);
        let n = self.len();
        let mut filled_group = 0;
        let mut open = 0u32;
        // Households are visited from a rotating start, so no one is always first in line.
        // (Two plain ranges rather than an index modulo n: a division per
        // household per round is slow.)
        let start = start % n.max(1);
        let order = || (start..n).chain(0..start);
        for &(gid, jobs) in group_jobs {
            let mut left = jobs;
            for i in order() {
                if left == 0 {
                    break;
                }
                if self.group[i] == gid && self.workers[i] > 0 {
                    self.group_jobs[i] = 1;
                    left -= 1;
                }
            }
            filled_group += jobs - left;
            open += left;
        }
        // Open group jobs, then firm jobs, go to free workers, a round at a time.
        let mut open_firm = firm_jobs;
        // A household gets at most one job a round, and no household has more
        // workers than members.
        let rounds = u8::try_from(s.households.members_max).expect("validated: at most 255");
        for round in 0..rounds {
            if open == 0 && open_firm == 0 {
                break;
            }
            for i in order() {
                if open == 0 && open_firm == 0 {
                    break;
                }
                let used = self.group_jobs[i] + self.firm_jobs[i] + self.processing[i];
                if used > round || used >= self.workers[i] {
                    continue;
                }
                if open > 0 {
                    self.group_jobs[i] += 1;
                    open -= 1;
                    filled_group += 1;
                } else {
                    self.firm_jobs[i] += 1;
                    open_firm -= 1;
                }
            }
        }
        let e = &s.economy;
        let l = &s.labour;
        // Days each household's free workers seek: the family's own farm
        // work comes first.
        let family_farm = (1.0 - l.hired_share) * l.farm_days_ha;
        let seek = e.casual_days;
        let sought = |workers: u8, used: u8, land: f32| {
            let free = workers.saturating_sub(used);
            (f64::from(free) * seek - family_farm * f64::from(land)).max(0.0)
        };
        let unskilled = e.casual_pay_unskilled;
        // Skill and luck decide who gets the work, not how much there is:
        // each seeker's share of the village's casual pay is the days sought
        // weighted by skill and income shock.
        let weight = |skill: f32, shock: f32| (unskilled + f64::from(skill)) * f64::from(shock);
        // Each household's days sought and weight are kept for the paying
        // pass below, in the two columns that pass overwrites (wage and last
        // income): recomputed there, they kept seven more columns (and their
        // pointers) in a loop already short of registers.
        let (mut supply, mut weighted) = (0.0, 0.0);
        {
            let (g, f, p) = (
                &self.group_jobs[..n],
                &self.firm_jobs[..n],
                &self.processing[..n],
            );
            let (workers, land) = (&self.workers[..n], &self.land[..n]);
            let (skill, shock) = (&self.skill[..n], &self.shock_factor[..n]);
            let (days_of, weight_of) = (&mut self.inc_wage[..n], &mut self.income_last[..n]);
            for i in 0..n {
                let days = sought(workers[i], g[i] + f[i] + p[i], land[i]);
                let w = weight(skill[i], shock[i]);
                supply += days;
                weighted += days * w;
                days_of[i] = days;
                weight_of[i] = w;
            }
        }
        let cap = if seek > 0.0 {
            e.casual_days_max / seek
        } else {
            0.0
        };
        let tight = if supply > 0.0 {
            (market.demand_days / supply).min(cap)
        } else {
            0.0
        };
        let wage_factor = if market.tight0 > 0.0 && tight > 0.0 {
            (tight / market.tight0).powf(l.wage_elasticity)
        } else {
            1.0
        };
        // Pay for one weighted day sought: the village's casual pay over its weighted days.
        let casual = if weighted > 0.0 {
            e.casual_wage_day * growth * wage_factor * tight * supply / weighted
        } else {
            0.0
        };
        let group_wage = e.group_wage * growth;
        let firm_wage = e.firm_wage * growth;
        let poverty_line = e.poverty_line;
        let pl_bits = poverty_line.to_bits();
        let mut t = Tally::default();
        // Every column as a slice of exactly n, so the loops have no bounds checks.
        let (group_jobs, firm_jobs_of) = (&self.group_jobs[..n], &self.firm_jobs[..n]);
        let (workers, processing) = (&self.workers[..n], &self.processing[..n]);
        let (land, state) = (&self.land[..n], &self.state[..n]);
        let (members, idle) = (&self.members[..n], &mut self.idle_months[..n]);
        let (inc_farm, inc_profit) = (&self.inc_farm[..n], &self.inc_profit[..n]);
        let (inc_other, inc_wage) = (&self.inc_other[..n], &mut self.inc_wage[..n]);
        let income_last = &mut self.income_last[..n];
        for i in 0..n {
            // The group phase counted idle months; a job in the group also counts as a gain.
            let gains = (state[i] == Adoption::Member) & (group_jobs[i] > 0);
            idle[i] = select_unpredictable(gains, 0, idle[i]);
        }
        // The counts in loops of their own (vectorised): integers, so their
        // order does not matter, and the sums of money below get registers
        // for all their columns.
        t.processing_family = sum_u8(processing, |p| p);
        t.processors = sum_u8(processing, |p| u8::from(p > 0));
        t.workers = sum_u8(workers, |w| w);
        t.people = sum_u8(members, |m| m);
        t.aware = sum_u8(state, |a| u8::from(a != Adoption::Unaware));
        t.members = sum_u8(state, |a| u8::from(a == Adoption::Member));
        for i in 0..n {
            let (days, w) = (inc_wage[i], income_last[i]);
            // Skilled workers find more and better-paid casual work, at others' expense.
            let casual_i = casual * w;
            let wage = f64::from(group_jobs[i]) * group_wage
                + f64::from(firm_jobs_of[i]) * firm_wage
                + days * casual_i;
            inc_wage[i] = wage;
            let (farm, profit, other) = (inc_farm[i], inc_profit[i], inc_other[i]);
            let income = farm + wage + profit + other;
            income_last[i] = income;
            t.income += income;
            // Adding +0.0 leaves a sum that starts at +0.0 bit for bit
            // unchanged, and spares a branch on a random condition.
            t.income_landholders += select_unpredictable(land[i] > 0.0, income, 0.0);
            t.farm += farm;
            t.wage += wage;
            t.profit += profit;
            t.other += other;
        }
        // Income per head in a short loop of its own: in the long one above,
        // the histogram's bin waited on a long chain of arithmetic, and too
        // few households were in flight at once to hide it.
        for (&income, &m) in income_last.iter().zip(members) {
            let per_capita = per_capita(income, m, pl_bits);
            t.poor += select_unpredictable(per_capita < poverty_line, u64::from(m), 0);
            hist.add(per_capita, u32::from(m));
        }
        t.households = n as u64;
        // A hired worker is a worker's month of the casual days sought.
        let hired_workers = if seek > 0.0 {
            l.processing_hired_days / seek
        } else {
            0.0
        };
        t.processing_hired = t.processors as f64 * hired_workers;
        Settled {
            group_jobs: filled_group,
            firm_jobs: firm_jobs - open_firm,
            tight,
            tally: t,
        }
    }
}

/// Sum of `f` over a column of bytes, in chunks short enough for `u32`
/// lanes (which vectorise well) to hold every chunk's sum.
#[inline]
fn sum_u8<T: Copy>(xs: &[T], f: impl Fn(T) -> u8 + Copy) -> u64 {
    xs.chunks(1 << 16)
        .map(|c| u64::from(c.iter().map(|&x| u32::from(f(x))).sum::<u32>()))
        .sum()
}

/// A uniform in [0, 1) from 64 random bits, as `rand` makes an `f64` from
/// `next_u64` (its 53 high bits times 2^-53).
#[inline]
fn unit_f64(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// `1 / m` for household sizes 0 to 255 (infinite for 0, as a division would give).
const RECIPROCAL: [f64; 256] = {
    let mut r = [0.0; 256];
    let mut m = 0;
    while m < 256 {
        r[m] = 1.0 / m as f64;
        m += 1;
    }
    r
};

/// `income / members`, bit for bit, mostly without a division.
///
/// `income * (1 / members)` is within 3 units in the last place of the
/// correctly rounded quotient (two roundings of 2^-53 each, and the
/// quotient's own). Its only uses are a bin of the income histogram and a
/// comparison with the poverty line, so when it lies more than 16 doubles
/// away from a bin edge and from the poverty line (`pl_bits`), both come out
/// as they would from the quotient; otherwise (about once in 10^11) the
/// quotient itself is taken. A division per household was a quarter of the
/// closing pass.
#[inline]
fn per_capita(income: f64, members: u8, pl_bits: u64) -> f64 {
    const SLACK: u64 = 16;
    let q = income * RECIPROCAL[usize::from(members)];
    let near_line = q.to_bits().wrapping_sub(pl_bits).wrapping_add(SLACK) <= 2 * SLACK;
    if q.is_finite() && !near_line && Histogram::well_inside_bin(q, SLACK) {
        q
    } else {
        income / f64::from(members)
    }
}

/// What the end of the month reports.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Settled {
    /// Jobs filled: group, firm.
    pub group_jobs: u32,
    pub firm_jobs: u32,
    /// Casual days demanded per day sought (capped), the market's tightness.
    pub tight: f64,
    pub tally: Tally,
}

/// Household metrics of one village at the end of a month, added up where
/// the households are (in parallel, village by village) so that the metric
/// row needs no pass over every household. Counts are integers, so their
/// totals do not depend on the order of addition.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub households: u64,
    pub people: u64,
    /// People in households under the poverty line.
    pub poor: u64,
    pub workers: u64,
    /// Households aware (or members) and members.
    pub aware: u64,
    pub members: u64,
    /// Income by source this month (Rp).
    pub farm: f64,
    pub wage: f64,
    pub profit: f64,
    pub other: f64,
    /// Total income (Rp), added in household order (the village mean of next month).
    pub income: f64,
    /// Total income of households with farm land (Rp).
    pub income_landholders: f64,
    /// Family workers in households' own processing businesses, and the businesses.
    pub processing_family: u64,
    pub processors: u64,
    /// Hired workers of the processing businesses (their hired days / `economy.casual_days`).
    pub processing_hired: f64,
    /// Households' outstanding debt (Rp).
    pub credit: f64,
}

/// Month constants of earning.
struct Earn {
    raw_yield_ha: f64,
    raw_net: f64,
    staple_ha: f64,
    growth: f64,
    processing_income: f64,
}

impl Earn {
    fn new(ctx: &HouseholdCtx) -> Self {
        Self {
            raw_yield_ha: ctx.raw_yield_ha,
            raw_net: ctx.farmgate * (1.0 - ctx.s.economy.raw_crop_cost_share),
            staple_ha: ctx.staple_ha,
            growth: ctx.growth,
            processing_income: ctx.s.labour.processing_income_worker,
        }
    }
}

/// Month constants of consumption and borrowing.
struct Consume {
    floor_pc: f64,
    fin_effect: f64,
}

impl Consume {
    fn new(ctx: &HouseholdCtx) -> Self {
        let s = ctx.s;
        Self {
            floor_pc: s.households.subsistence_share * s.economy.poverty_line,
            fin_effect: ctx.effect[Kind::FinanceAccess as usize],
        }
    }
}

/// Month constants of crop choice.
struct Crops {
    raw_crop_pays: bool,
    max: f32,
    base: f32,
    /// Monthly moves towards the raw crop and back.
    expand: f32,
    retreat: f32,
}

impl Crops {
    fn new(ctx: &HouseholdCtx) -> Self {
        Self {
            raw_crop_pays: ctx.raw_crop_pays,
            max: ctx.s.households.raw_crop_share_max as f32,
            base: ctx.s.households.raw_crop_share as f32,
            expand: ctx.s.households.raw_crop_expand as f32,
            retreat: ctx.s.households.raw_crop_retreat as f32,
        }
    }
}

/// Income shock persistence, sd, and the drift that keeps the mean shock factor at 1
/// (half the stationary variance sd^2 / (1 - rho^2)).
fn shock_params(s: &Scenario) -> (f32, f32, f32) {
    let rho = s.households.income_shock_persistence as f32;
    let sd = s.households.income_shock_sd as f32;
    (rho, sd, 0.5 * sd * sd / (1.0 - rho * rho).max(1e-6))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Derived;
    use crate::rng::stream;

    use crate::scenario::defaults as scenario;

    fn ctx<'a>(s: &'a Scenario, d: &'a Derived) -> HouseholdCtx<'a> {
        HouseholdCtx {
            s,
            d,
            growth: 1.0,
            raw_yield_ha: 60.0,
            farmgate: 30_000.0,
            staple_ha: s.economy.staple_return_ha,
            effect: [0.0; Kind::COUNT],
            aware_share: 0.0,
            member_share: 0.0,
            trust: 0.6,
            offer: None,
            raw_crop_pays: false,
        }
    }

    /// Month 0 of a village of `hh`: its labour market demands what the
    /// default scenario's village would (non-farm and hired farm work).
    fn open(hh: &mut Households, c: &HouseholdCtx) {
        let l = &c.s.labour;
        let land = hh.initialise(c);
        let demand_days = hh.len() as f64 * l.nonfarm_days_household
            + l.hired_share * l.farm_days_ha * (land.staple_ha + land.raw_ha);
        let market = CasualMarket {
            demand_days,
            tight0: 0.0,
        };
        hh.settle_labour(&[], 0, c.s, 1.0, market, 0, &mut Histogram::new());
        hh.initial_savings(c.s);
    }

    #[test]
    fn uniforms_from_bytes_as_from_the_generator() {
        for skip in 0..5 {
            let mut a = stream(11, 0, 0, 0);
            let mut b = stream(11, 0, 0, 0);
            for _ in 0..skip {
                let _: u32 = a.random();
                let _: u32 = b.random();
            }
            let want: Vec<f64> = (0..1000).map(|_| a.random()).collect();
            let mut bytes = [0u8; 8 * 1000];
            b.fill_bytes(&mut bytes[..8 * 300]);
            b.fill_bytes(&mut bytes[8 * 300..]);
            let got: Vec<f64> = bytes
                .chunks_exact(8)
                .map(|c| unit_f64(u64::from_le_bytes(c.try_into().unwrap())))
                .collect();
            assert_eq!(want, got);
            assert_eq!(a.random::<u64>(), b.random::<u64>());
        }
    }

    #[test]
    fn per_capita_bins_and_poverty_as_the_division() {
        let pl: f64 = 550_000.0;
        let mut rng = stream(9, 0, 0, 0);
        let mut hist_q = Histogram::new();
        let mut hist_d = Histogram::new();
        for k in 0..400_000u32 {
            let income = if k % 4 == 0 {
                pl * f64::from(k % 12 + 1) * (1.0 + (rng.random::<f64>() - 0.5) * 1e-13)
            } else {
                (rng.random::<f64>() * 30.0).exp() - 1e5
            };
            for m in 0..=12u8 {
                let q = per_capita(income, m, pl.to_bits());
                let d = income / f64::from(m);
                assert_eq!(q < pl, d < pl, "{income} / {m}");
                hist_q.add(q, 1);
                hist_d.add(d, 1);
            }
        }
        assert_eq!(hist_q, hist_d);
    }

    #[test]
    fn incomes_match_rural_figures() {
        let s = scenario();
        let d = Derived::new(&s);
        let mut rng = stream(1, 0, 0, 0);
        let mut hh = Households::generate(20_000, &s, &mut rng);
        open(&mut hh, &ctx(&s, &d));
        let people: f64 = hh.members.iter().map(|&m| f64::from(m)).sum();
        let income: f64 = (0..hh.len()).map(|i| hh.income(i)).sum();
        let pc = income / people;
        // The calibrated January 2015 (docs/ODD.md 9.5): about Rp1.25M per
        // capita; BPS rural spending was Rp994,000 in 2021, and income exceeds spending.
        assert!(
            (800_000.0..1_600_000.0).contains(&pc),
            "income per capita {pc}"
        );
        let poor: f64 = (0..hh.len())
            .filter(|&i| hh.income(i) / f64::from(hh.members[i]) < s.economy.poverty_line)
            .map(|i| f64::from(hh.members[i]))
            .sum();
        let rate = poor / people;
        // BPS March 2015 rural poverty 14.2%, the calibrated start.
        assert!((0.08..0.20).contains(&rate), "poverty rate {rate}");
    }

    #[test]
    fn awareness_spreads_faster_with_socialization() {
        let s = scenario();
        let d = Derived::new(&s);
        let aware_after = |empowerment: f64| {
            let mut rng = stream(2, 0, 0, 0);
            let mut hh = Households::generate(2_000, &s, &mut rng);
            let mut c = ctx(&s, &d);
            c.effect[Kind::Empowerment as usize] = empowerment;
            for _ in 0..12 {
                hh.step(&c, &mut rng);
            }
            hh.state
                .iter()
                .filter(|&&st| st != Adoption::Unaware)
                .count()
        };
        let none = aware_after(0.0);
        let full = aware_after(1.0);
        assert!(full > 5 * none.max(1), "with push {full}, without {none}");
    }

    #[test]
    fn aware_households_join_when_gain_beats_threshold() {
        let s = scenario();
        let d = Derived::new(&s);
        let joined = |gain: f64| {
            let mut rng = stream(3, 0, 0, 0);
            let mut hh = Households::generate(2_000, &s, &mut rng);
            hh.state.fill(Adoption::Aware);
            let mut c = ctx(&s, &d);
            c.offer = Some((gain, 7));
            for _ in 0..6 {
                hh.step(&c, &mut rng);
            }
            hh.group.iter().filter(|&&g| g == 7).count()
        };
        let small = joined(0.01);
        let big = joined(0.5);
        assert!(
            big > 3 * small.max(1),
            "gain 0.5: {big}, gain 0.01: {small}"
        );
    }

    #[test]
    fn idle_members_leave() {
        let s = scenario();
        let d = Derived::new(&s);
        let mut rng = stream(4, 0, 0, 0);
        let mut hh = Households::generate(1_000, &s, &mut rng);
        hh.state.fill(Adoption::Member);
        hh.group.fill(1);
        hh.idle_months.fill(100);
        let c = ctx(&s, &d);
        for _ in 0..12 {
            hh.step(&c, &mut rng);
        }
        let left = hh.state.iter().filter(|&&st| st == Adoption::Aware).count();
        assert!(left > 400, "left {left}");
    }

    #[test]
    fn heavy_debt_leads_to_land_sale_or_default() {
        let s = scenario();
        let d = Derived::new(&s);
        let mut rng = stream(5, 0, 0, 0);
        let mut hh = Households::generate(200, &s, &mut rng);
        let c = ctx(&s, &d);
        open(&mut hh, &c);
        for i in 0..hh.len() {
            hh.borrow(
                i,
                finance::Loan {
                    lender: finance::Lender::Informal,
                    amount: 200e6,
                    rate_month: 0.05,
                    term_months: 6,
                },
            );
        }
        let land_before: f32 = hh.land.iter().sum();
        for _ in 0..12 {
            hh.step(&c, &mut rng);
        }
        let land_after: f32 = hh.land.iter().sum();
        let defaults = hh.banned.iter().filter(|&&b| b).count();
        assert!(
            land_after < land_before * 0.9,
            "land {land_before} -> {land_after}"
        );
        assert!(defaults > 0, "landless households default");
    }
}
