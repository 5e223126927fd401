//! A village (desa): its setting, product, programme stocks, households and groups, and its monthly household and group phases.

use crate::model::group::{self, Group, GroupCtx, N_CONSTRAINTS, Status};
use crate::model::household::{CasualMarket, HouseholdCtx, Households, LandUse, Tally};
use crate::model::processing::ProcessingLoans;
use crate::model::product_choice::{self, Candidate, Fit};
use crate::model::{Derived, Kind, PerKind, effect, uniform};
use crate::rng::Rng;
use crate::scenario::{Approach, District, Environment, Scenario, VillageRecord};
use crate::stats::Histogram;
use rand::RngExt;
use rand::seq::SliceRandom;
use rand_distr::{Distribution, Exp, Normal};

/// Index of the "no group yet" entry in `Village::constraints`.
pub const NO_GROUP_CONSTRAINT: usize = N_CONSTRAINTS;

/// One village.
#[derive(Debug, Clone)]
pub struct Village {
    pub index: usize,
    pub name: String,
    pub district: usize,
    pub infrastructure: f64,
    pub distance_km: f64,
    pub cohesion: f64,
    pub candidates: Vec<Candidate>,
    /// The village's product (catalogue index) and how well it suits the village.
    pub product: usize,
    pub fit: Fit,
    /// True potential of the product (mean criterion).
    pub potential: f64,
    /// Products that failed here (all their groups dissolved).
    pub failed: Vec<usize>,
    /// Groups of the current product dissolved so far.
    pub dissolutions: u32,
    pub hh: Households,
    /// Household metrics at the end of the last month.
    pub tally: Tally,
    /// Households' debt after this month's household phase (Rp).
    credit: f64,
    /// Workers living in the village (household sizes never change).
    workers: u32,
    pub groups: Vec<Group>,
    pub next_group_id: u32,
    /// Programme money in the village, fading each month (Rp, by kind).
    pub stock: PerKind,
    /// Trust of households in groups and programmes (0-1).
    pub trust: f64,
    /// Months in a row with an active group paying its members (agencies count the village finished after `programme.graduation_months`).
    pub paying_months: u32,
    /// Agro-industry income earned in the village last month (Rp): wages, profit shares, premiums.
    pub agro_income_last: f64,
    /// Firm jobs located here this month (from partnership volume).
    pub firm_jobs: f64,
    /// Months each constraint bound a group this year, plus months without any group.
    pub constraints: [u32; N_CONSTRAINTS + 1],
    pub dissolved_total: u32,
    pub flood: bool,
    /// Land in use this month, the base of hired farm work.
    land: LandUse,
    /// Health of the land or stock that yields the raw material (0-1, 1 at
    /// the start): the raw crop's yield scales with it.
    pub resource: f64,
    /// Labour-market tightness at month 0 (casual days demanded per day sought).
    pub tight0: f64,
    /// Whether an agency has ever had the village on its list (the
    /// evaluator's treatment group), and its households' month-0 income (Rp).
    pub treated: bool,
    pub income0: f64,
    /// The households' processing businesses and their working-capital loans.
    pub processing: ProcessingLoans,
    pub rng: Rng,
}

/// This month's farm conditions in a village: what weather and prices do to crops.
struct Conditions {
    /// Raw-crop season factor (1 on average over the year).
    season: f64,
    drought: f64,
    /// Share of farm output a flood leaves (1 without a flood).
    flood_cut: f64,
    /// Farm-gate price of the raw crop against its base (global index passed through).
    price_factor: f64,
}

/// Month-level inputs shared by all villages.
pub struct MonthCtx<'a> {
    pub s: &'a Scenario,
    pub d: &'a Derived,
    /// Calendar month 1-12, and simulation month (1-based; 0 at set-up).
    pub month: u32,
    pub t: usize,
    pub growth: f64,
    /// Global price index per product.
    pub index: &'a [f64],
    /// Drought index and flood factor per district.
    pub drought: &'a [f64],
    pub flood_factor: &'a [f64],
    /// Share of villages hit by a scheduled flood.
    pub scheduled_flood: f64,
    /// Firms' order factors.
    pub firm_orders: &'a [f64],
    /// Domestic price factor per (district, product) from market saturation.
    pub saturation: &'a [f64],
}

/// What a village reports from its month.
#[derive(Debug, Clone, Copy, Default)]
pub struct VillageTotals {
    pub dissolved: u32,
    pub joined: u32,
    pub left: u32,
}

/// Next month's health of the raw-material resource: raw cropping beyond the
/// sustainable share of farmland depletes it (less with the care the
/// raw-material programme teaches); rotation and regrowth restore part of
/// what was lost.
fn deplete(health: f64, land: &LandUse, env: &Environment, e: &PerKind) -> f64 {
    let farmland = land.raw_ha + land.staple_ha;
    let share = if farmland > 0.0 {
        land.raw_ha / farmland
    } else {
        0.0
    };
    let over = ((share - env.sustainable_share) / (1.0 - env.sustainable_share).max(1e-9)).max(0.0);
    let care = env.care_effect * e[Kind::RawMaterial as usize];
    let lost = env.depletion_rate * over * (1.0 - care) * health;
    (health - lost + env.regeneration_rate * (1.0 - health)).clamp(0.0, 1.0)
}

impl Village {
    /// Generates a village from scenario distributions (or a CSV record) with its own stream.
    pub fn generate(
        index: usize,
        s: &Scenario,
        record: Option<&VillageRecord>,
        mut rng: Rng,
    ) -> Self {
        let dist = &s.district;
        let stream_start = rng.clone();
        let (name, district, households, infrastructure, distance_km, cohesion) = match record {
            Some(r) => (
                r.name.clone(),
                r.district as usize - 1,
                r.households as usize,
                r.infrastructure,
                r.distance_km,
                r.cohesion,
            ),
            None => {
                let n = Normal::new(dist.households_mean, dist.households_sd.max(1e-9))
                    .expect("validated")
                    .sample(&mut rng)
                    .round()
                    .max(f64::from(dist.households_min)) as usize;
                let distance = if dist.distance_km_mean > 0.0 {
                    Exp::new(1.0 / dist.distance_km_mean)
                        .expect("validated")
                        .sample(&mut rng)
                } else {
                    0.0
                };
                (
                    format!("village-{:04}", index + 1),
                    index % dist.districts as usize,
                    n,
                    uniform(&mut rng, dist.infrastructure_min, dist.infrastructure_max),
                    distance,
                    uniform(&mut rng, dist.cohesion_min, dist.cohesion_max),
                )
            }
        };
        let named: Vec<usize> = record
            .map(|r| {
                r.candidate_names()
                    .iter()
                    .filter_map(|n| s.products.iter().position(|p| p.name == *n))
                    .collect()
            })
            .unwrap_or_default();
        let products: Vec<usize> = if named.is_empty() {
            let mut all: Vec<usize> = (0..s.products.len()).collect();
            all.shuffle(&mut rng);
            all.truncate(dist.candidates_per_village as usize);
            all
        } else {
            named
        };
        let candidates: Vec<Candidate> = products
            .iter()
            .map(|&p| product_choice::draw_candidate(p, dist, &mut rng))
            .collect();
        let hh = Households::generate(households, s, &mut rng);
        let workers = hh.workers.iter().map(|&w| u32::from(w)).sum();
        let processing = ProcessingLoans::new(&hh, &stream_start);
        let mut v = Self {
            index,
            name,
            district,
            infrastructure,
            distance_km,
            cohesion,
            candidates,
            product: 0,
            fit: Fit::of(
                &Candidate {
                    product: 0,
                    criteria: [0.0; 5],
                },
                dist,
            ),
            potential: 0.0,
            failed: Vec::new(),
            dissolutions: 0,
            hh,
            tally: Tally::default(),
            credit: 0.0,
            workers,
            groups: Vec::new(),
            next_group_id: 0,
            stock: [0.0; Kind::COUNT],
            trust: s.adoption.trust_base + s.adoption.trust_cohesion * cohesion,
            paying_months: 0,
            agro_income_last: 0.0,
            firm_jobs: 0.0,
            constraints: [0; N_CONSTRAINTS + 1],
            dissolved_total: 0,
            flood: false,
            land: LandUse::default(),
            resource: 1.0,
            tight0: 0.0,
            treated: false,
            income0: 0.0,
            processing,
            rng,
        };
        v.choose_own_product(s);
        v
    }

    /// The village's group discussion scores its candidates (OVOP; also how a village picks without any programme).
    pub fn choose_own_product(&mut self, s: &Scenario) {
        let market_noise = s.information.noise_max * (1.0 - s.information.quality);
        let ix = product_choice::village_choice(
            &self.candidates,
            &self.failed,
            s.information.local_noise,
            market_noise,
            &mut self.rng,
        );
        self.set_product(&self.candidates[ix].clone(), &s.district);
    }

    /// Imposes a commodity from above (kawasan).
    pub fn impose_product(&mut self, product: usize, dist: &District) {
        let c = match self.candidates.iter().find(|c| c.product == product) {
            Some(c) => c.clone(),
            None => product_choice::draw_imposed(product, dist, &mut self.rng),
        };
        self.set_product(&c, dist);
    }

    fn set_product(&mut self, c: &Candidate, dist: &District) {
        self.product = c.product;
        self.fit = Fit::of(c, dist);
        self.potential = c.potential();
        self.dissolutions = 0;
    }

    /// Whether agencies count the village finished: a group has paid its members long enough for it to stand on its own.
    pub fn finished(&self, s: &Scenario) -> bool {
        let months = s.programme.graduation_months;
        months > 0 && self.paying_months >= months
    }

    /// Programme effect of a kind here (0-1).
    pub fn effect(&self, kind: Kind, d: &Derived) -> f64 {
        effect(
            self.stock[kind as usize],
            d.saturation[kind as usize],
            d.effect_shape,
        )
    }

    /// Effect of every programme kind in the village (0-1), in kind order.
    pub fn effects(&self, d: &Derived) -> PerKind {
        let mut e = [0.0; Kind::COUNT];
        for k in Kind::ALL {
            e[k as usize] = self.effect(k, d);
        }
        e
    }

    /// Workers living in the village.
    pub fn workers(&self) -> u32 {
        self.workers
    }

    /// Month-0 incomes, labour market and savings; income per capita goes into `hist`.
    pub fn initialise(&mut self, m: &MonthCtx, hist: &mut Histogram) {
        let e = self.effects(m.d);
        let infra = self.infrastructure_now(m.s, &e);
        let ctx = self.household_ctx(m, &e, infra);
        self.land = self.hh.initialise(&ctx);
        let demand = self.casual_demand(m);
        let (_, _, tight) = self.settle_households(m, demand, &[], 0, 0, hist);
        self.tight0 = tight;
        self.income0 = self.tally.income;
        self.hh.initial_savings(m.s);
    }

    fn conditions(&self, m: &MonthCtx) -> Conditions {
        let s = m.s;
        let p = &s.products[self.product];
        let season = 1.0
            + p.seasonality
                * (2.0 * std::f64::consts::PI * (f64::from(m.month) - f64::from(p.peak_month))
                    / 12.0)
                    .cos();
        let flood_cut = if self.flood {
            1.0 - s.weather.flood_farm_loss
        } else {
            1.0
        };
        let idx = m.index[self.product];
        Conditions {
            season,
            drought: m.drought[self.district],
            flood_cut,
            price_factor: (1.0 + s.prices.farmgate_pass * (idx - 1.0)).max(s.prices.farmgate_floor),
        }
    }

    /// Casual days demanded this month: the hired share of farm work (less
    /// after crop losses, and on the raw crop less when its price falls),
    /// non-farm work, processing businesses' hired days, and work from the
    /// agro-industry income spent in the village last month.
    fn casual_demand(&self, m: &MonthCtx) -> f64 {
        let s = m.s;
        let l = &s.labour;
        let p = &s.products[self.product];
        let c = self.conditions(m);
        let staple = (1.0 - s.weather.drought_staple_loss * c.drought) * c.flood_cut;
        let raw = c.season
            * (1.0 - p.drought_loss * c.drought).max(0.0)
            * c.flood_cut
            * c.price_factor.powf(l.price_elasticity);
        let farm = l.hired_share
            * l.farm_days_ha
            * (self.land.staple_ha * staple.max(0.0) + self.land.raw_ha * raw);
        let nonfarm = self.hh.len() as f64 * l.nonfarm_days_household;
        let processing = self.tally.processors as f64 * l.processing_hired_days;
        // In start-year rupiah: a grown economy pays more a day for the same work.
        let spending =
            100.0 * s.economy.local_multiplier_days * self.agro_income_last / m.growth / 1e6;
        farm + nonfarm + processing + spending
    }

    /// The village's infrastructure index with the part of its gap that programme works have closed.
    fn infrastructure_now(&self, s: &Scenario, e: &PerKind) -> f64 {
        self.infrastructure
            + (1.0 - self.infrastructure)
                * s.programme.infrastructure_gap_closed
                * e[Kind::Infrastructure as usize]
    }

    fn household_ctx<'a>(&self, m: &MonthCtx<'a>, e: &PerKind, infra: f64) -> HouseholdCtx<'a> {
        let s = m.s;
        let p = &s.products[self.product];
        let Conditions {
            season,
            drought,
            flood_cut,
            price_factor,
        } = self.conditions(m);
        let raw_yield_ha = p.raw_yield_kg_ha
            * season
            * (1.0 - p.drought_loss * drought)
            * self.fit.yield_mult
            * (1.0 + s.programme.raw_material_yield_gain * e[Kind::RawMaterial as usize])
            * flood_cut
            * self.resource;
        // Roads and power narrow the transport margin between the market and the farm gate.
        let access = 1.0 + s.economy.infrastructure_price_gap * (infra - 0.5);
        // Prices grow with the economy, as wages do (balanced growth).
        let farmgate = p.farmgate_price * price_factor * m.growth * access;
        let staple_ha = s.economy.staple_return_ha
            * m.growth
            * access
            * (1.0 - s.weather.drought_staple_loss * drought)
            * flood_cut;
        let n = self.hh.len().max(1) as f64;
        // Households do not change between the end of a month and the start
        // of the next, so the end-of-month tally still holds.
        let aware = self.tally.aware as f64;
        let members = self.tally.members as f64;
        let mean_income = self.tally.income / n;
        let offer = self
            .groups
            .iter()
            .filter(|g| g.is_active())
            .map(|g| {
                let gain = if g.age_months < s.adoption.promise_months {
                    s.adoption.promised_gain * mean_income
                } else {
                    g.gain_per_member
                };
                (gain / mean_income.max(1.0), g.id)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let premium = if members > 0.0 {
            s.groups.member_raw_premium
        } else {
            0.0
        };
        let raw_return = p.raw_yield_kg_ha
            * self.fit.yield_mult
            * self.resource
            * farmgate
            * (1.0 - s.economy.raw_crop_cost_share + premium);
        HouseholdCtx {
            s,
            d: m.d,
            growth: m.growth,
            raw_yield_ha,
            farmgate,
            staple_ha,
            effect: *e,
            aware_share: aware / n,
            member_share: members / n,
            trust: self.trust,
            offer,
            raw_crop_pays: raw_return > s.economy.staple_return_ha * m.growth * access,
        }
    }

    /// Phases 3 and 4 for this village: households, then groups.
    pub fn step(&mut self, m: &MonthCtx) -> VillageTotals {
        let s = m.s;
        let d = m.d;
        // Built works depreciate slowly; the other kinds are services that fade.
        let decay = 1.0 - s.programme.effect_decay;
        let depreciation = 1.0 - s.programme.infrastructure_decay;
        for (k, st) in self.stock.iter_mut().enumerate() {
            *st *= if k == Kind::Infrastructure as usize {
                depreciation
            } else {
                decay
            };
        }
        let u_flood: f64 = self.rng.random();
        let u_sched: f64 = self.rng.random();
        self.flood = u_flood < s.weather.flood_probability * m.flood_factor[self.district]
            || u_sched < m.scheduled_flood;
        let e = self.effects(d);

        // Phase 3: households (farm-gate margins) and 4: groups (costs, local demand).
        let infra = self.infrastructure_now(s, &e);
        let hctx = self.household_ctx(m, &e, infra);
        let ht = self.hh.step(&hctx, &mut self.rng);
        let lent = self
            .processing
            .step(&mut self.hh, s, hctx.effect[Kind::FinanceAccess as usize]);
        self.credit = ht.credit + lent;
        self.land = ht.land;
        self.resource = deplete(self.resource, &self.land, &s.environment, &e);

        // Phase 4: groups.
        let p = &s.products[self.product];
        let idx = m.index[self.product];
        let local_demand_t = self.hh.len() as f64
            * s.groups.local_demand_kg
            * (s.district.local_demand_base + infra)
            / (1.0 + self.distance_km / s.district.distance_scale_km)
            * self.fit.market_mult
            / 1000.0;
        let gctx = GroupCtx {
            s,
            d,
            product: p,
            growth: m.growth,
            index: idx,
            farmgate: hctx.farmgate,
            effect: e,
            market_mult: self.fit.market_mult,
            price_mult: self.fit.price_mult
                * m.saturation[self.district * s.products.len() + self.product],
            local_demand_t,
            infrastructure: infra,
            firm_orders: m.firm_orders,
            flood: self.flood,
        };
        let gt = group::step_groups(&mut self.groups, &mut self.hh, &gctx, &mut self.rng);
        self.agro_income_last = gt.paid_out;
        if gt.dissolved > 0 {
            self.dissolutions += gt.dissolved;
            self.dissolved_total += gt.dissolved;
            let a = &s.adoption;
            self.trust =
                (self.trust - a.trust_loss_dissolution * f64::from(gt.dissolved)).max(a.trust_min);
        }
        self.groups.retain(|g| g.status != Status::Dissolved);
        let paying = self
            .groups
            .iter()
            .any(|g| g.status == Status::Active && g.gain_per_member > 0.0);
        self.paying_months = if paying { self.paying_months + 1 } else { 0 };
        let a = &s.adoption;
        let target = if paying {
            a.trust_paying
        } else {
            a.trust_base + a.trust_cohesion * self.cohesion
        };
        self.trust += a.trust_adjust * (target - self.trust);

        if let Some(g) = group::try_form(
            &self.groups,
            &mut self.hh,
            s,
            d,
            &e,
            self.cohesion,
            self.product,
            self.fit.quality0,
            self.next_group_id,
            &mut self.rng,
        ) {
            self.next_group_id += 1;
            self.groups.push(g);
        }
        // After repeated failure, an OVOP village reconsiders its product.
        if s.approach != Approach::Kawasan
            && self.groups.is_empty()
            && self.dissolutions >= s.district.dissolutions_before_new_product
        {
            self.failed.push(self.product);
            self.choose_own_product(s);
        }
        for g in &self.groups {
            if g.status == Status::Active {
                self.constraints[g.binding as usize] += 1;
            }
        }
        if self.groups.is_empty() {
            self.constraints[NO_GROUP_CONSTRAINT] += 1;
        }
        VillageTotals {
            dissolved: gt.dissolved,
            joined: ht.joined,
            left: ht.left,
        }
    }

    /// End of month: labour market, wages, and the month's income becomes
    /// last month's; income per capita goes into `hist`.
    pub fn settle(&mut self, m: &MonthCtx, hist: &mut Histogram) {
        let group_jobs: Vec<(u32, u32)> = self
            .groups
            .iter()
            .filter(|g| g.jobs > 0)
            .map(|g| (g.id, g.jobs))
            .collect();
        let demand = self.casual_demand(m);
        let firm_jobs = self.firm_jobs.round() as u32;
        let start = m.t.wrapping_mul(7919) % self.hh.len().max(1);
        let (g, f, _) = self.settle_households(m, demand, &group_jobs, firm_jobs, start, hist);
        self.agro_income_last += f64::from(g) * m.s.economy.group_wage * m.growth
            + f64::from(f) * m.s.economy.firm_wage * m.growth;
    }

    /// Clears the labour market for `demand_days` casual days and closes the
    /// households' month; returns the group and firm jobs filled and the
    /// market's tightness.
    fn settle_households(
        &mut self,
        m: &MonthCtx,
        demand_days: f64,
        group_jobs: &[(u32, u32)],
        firm_jobs: u32,
        start: usize,
        hist: &mut Histogram,
    ) -> (u32, u32, f64) {
        let market = CasualMarket {
            demand_days,
            tight0: self.tight0,
        };
        let settled = self
            .hh
            .settle_labour(group_jobs, firm_jobs, m.s, m.growth, market, start, hist);
        self.tally = Tally {
            credit: self.credit,
            ..settled.tally
        };
        (settled.group_jobs, settled.firm_jobs, settled.tight)
    }
}
