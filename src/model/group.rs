//! Producer groups: formation, production under five limits, sales channels, accounts, profit sharing, investment, quality and certification, dormancy and dissolution.

use crate::model::finance::{self, Debt};
use crate::model::household::{Adoption, Households};
use crate::model::partnership::{Partnership, Stage};
use crate::model::{Derived, Kind, NO_GROUP, PerKind};
use crate::rng::Rng;
use crate::scenario::{Groups, Product, Scenario};
use rand::RngExt;

/// First tier that allows export through a firm (GMP): the tiers are none, PIRT, SNI/halal, GMP, HACCP.
pub const EXPORT_TIER: u8 = 3;
/// The tier at which modern retail lists a product (SNI/halal).
const RETAIL_TIER: u8 = 2;
/// The tier online buyers ask for (PIRT, the home-industry permit).
const WEB_TIER: u8 = 1;

/// Life stage of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Founded, setting up (no production yet).
    Forming,
    Active,
    /// Stopped paying; no production.
    Dormant,
    Dissolved,
}

/// What limited output most this month (for monitoring and evaluation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum Constraint {
    Capacity = 0,
    Demand = 1,
    RawMaterial = 2,
    Capital = 3,
    Labour = 4,
}

/// Number of `Constraint` values.
pub const N_CONSTRAINTS: usize = 5;

/// One producer group.
#[derive(Debug, Clone)]
pub struct Group {
    pub id: u32,
    pub product: usize,
    pub status: Status,
    pub age_months: u32,
    pub members: u32,
    /// Processing capacity (t processed per month).
    pub capacity_t: f64,
    /// Technology level (0-1): labour productivity and conversion.
    pub technology: f64,
    /// Product quality (0-1) and certification tier (0-4).
    pub quality: f64,
    pub tier: u8,
    /// Working capital (Rp).
    pub cash: f64,
    pub debt: Debt,
    /// Equipment value (Rp).
    pub capital_value: f64,
    /// Unsold processed product (t).
    pub inventory_t: f64,
    pub arrears_months: u32,
    /// Consecutive months with an operating loss.
    pub loss_months: u32,
    pub dormant_months: u32,
    pub bottleneck: bool,
    pub partner: Option<Partnership>,
    /// Recent gain per member (Rp/month, moving average): profit share, raw premium and wages.
    pub gain_per_member: f64,
    /// Mean skill of the members (0-1).
    pub skill: f64,
    // This month's flows.
    pub output_t: f64,
    pub sales_value: f64,
    pub raw_cost: f64,
    pub jobs: u32,
    pub binding: Constraint,
    /// Demand seen on all channels this month (t).
    pub demand_t: f64,
}

impl Group {
    pub fn new(id: u32, product: usize, members: u32, s: &Scenario, quality0: f64) -> Self {
        let p = &s.products[product];
        let capacity = s.groups.initial_capacity_t;
        Self {
            id,
            product,
            status: Status::Forming,
            age_months: 0,
            members,
            capacity_t: capacity,
            technology: s.groups.initial_technology,
            quality: quality0,
            tier: 0,
            cash: s.groups.founding_contribution * f64::from(members),
            debt: Debt::default(),
            capital_value: capacity * p.capital_per_t,
            inventory_t: 0.0,
            arrears_months: 0,
            loss_months: 0,
            dormant_months: 0,
            bottleneck: false,
            partner: None,
            gain_per_member: 0.0,
            // A placeholder: replaced by the members' mean skill before it is first read.
            skill: 0.5,
            output_t: 0.0,
            sales_value: 0.0,
            raw_cost: 0.0,
            jobs: 0,
            binding: Constraint::Demand,
            demand_t: 0.0,
        }
    }

    /// Producing or about to: counts as an active group.
    pub fn is_active(&self) -> bool {
        matches!(self.status, Status::Forming | Status::Active)
    }

    /// Bookkeeping record (0-1) that lenders look at: age and certification.
    pub fn records(&self, gs: &Groups) -> f64 {
        (f64::from(self.age_months) / gs.records_age_months).min(gs.records_age_max)
            + gs.records_per_tier * f64::from(self.tier)
    }

    /// What lenders see: records, the village's finance-access effect, and
    /// whether the group passes formal screening (no arrears, losses for at
    /// most `screen_loss_months` months in a row).
    pub fn standing(&self, s: &Scenario, effect: &PerKind) -> finance::Standing {
        finance::Standing {
            records: self.records(&s.groups),
            finance_effect: effect[Kind::FinanceAccess as usize],
            sound: self.arrears_months == 0 && self.loss_months <= s.finance.screen_loss_months,
        }
    }
}

/// Month-level inputs of the group phase for one village.
pub struct GroupCtx<'a> {
    pub s: &'a Scenario,
    pub d: &'a Derived,
    pub product: &'a Product,
    pub growth: f64,
    /// Global price index of the product.
    pub index: f64,
    /// Farm-gate raw price (Rp/kg).
    pub farmgate: f64,
    /// Programme effects in the village.
    pub effect: PerKind,
    /// Village fit multipliers.
    pub market_mult: f64,
    pub price_mult: f64,
    /// Local demand for the village's product (t/month), shared by its groups.
    pub local_demand_t: f64,
    /// Infrastructure index with the programme's improvements (0-1).
    pub infrastructure: f64,
    /// Firms' order factor (1 = full orders) by firm index.
    pub firm_orders: &'a [f64],
    pub flood: bool,
}

/// Village totals of the group phase.
#[derive(Debug, Clone, Copy, Default)]
pub struct GroupTotals {
    pub dissolved: u32,
    /// Money paid into households (profit shares and raw premiums).
    pub paid_out: f64,
}

/// Domestic price of processed product for a group (Rp/kg) before channel
/// mark-ups; prices grow with the economy, as wages do (balanced growth).
pub fn domestic_price(ctx: &GroupCtx, tier: u8) -> f64 {
    let p = ctx.product;
    p.domestic_price
        * (1.0 + ctx.s.prices.domestic_pass * (ctx.index - 1.0))
        * (1.0 + p.tier_premium[tier as usize])
        * ctx.price_mult
        * ctx.growth
}

/// Contract price per kg at this month's global index.
pub fn contract_price(ctx: &GroupCtx, ps: &Partnership) -> f64 {
    ps.price(ctx.index, &ctx.s.firms) * ctx.growth
}

/// Where each group id sits in a village's group list: a direct table
/// instead of a scan of the list per member household.
struct Slots(Vec<u32>);

impl Slots {
    fn of(groups: &[Group]) -> Self {
        let len = groups.iter().map(|g| g.id as usize + 1).max().unwrap_or(0);
        let mut slot = vec![u32::MAX; len];
        // In reverse, so a repeated id finds its first group, as a scan would.
        for (ix, g) in groups.iter().enumerate().rev() {
            slot[g.id as usize] = ix as u32;
        }
        Self(slot)
    }

    /// Index of the group with id `gid` (`NO_GROUP` and ids of groups no
    /// longer listed have none).
    #[inline]
    fn get(&self, gid: u32) -> Option<usize> {
        match self.0.get(gid as usize) {
            Some(&ix) if ix != u32::MAX => Some(ix as usize),
            _ => None,
        }
    }
}

/// Phase 4 for one village's groups. Households' raw harvest (`raw_kg`) is read
/// as set in phase 3; payments go into their income columns.
pub fn step_groups(
    groups: &mut [Group],
    hh: &mut Households,
    ctx: &GroupCtx,
    rng: &mut Rng,
) -> GroupTotals {
    let mut totals = GroupTotals::default();
    // Members and their raw material per group, read once.
    let mut raw_by_group = vec![0.0f64; groups.len()];
    let mut skill_by_group = vec![0.0f64; groups.len()];
    let mut raw_outside = 0.0;
    for g in groups.iter_mut() {
        g.members = 0;
    }
    let slots = Slots::of(groups);
    for i in 0..hh.len() {
        let gid = hh.group[i];
        if gid == NO_GROUP {
            raw_outside += f64::from(hh.raw_kg[i]);
            continue;
        }
        if let Some(ix) = slots.get(gid) {
            groups[ix].members += 1;
            raw_by_group[ix] += f64::from(hh.raw_kg[i]);
            skill_by_group[ix] += f64::from(hh.skill[i]);
        }
    }
    for (g, skill) in groups.iter_mut().zip(&skill_by_group) {
        if g.members > 0 {
            g.skill = skill / f64::from(g.members);
        }
    }
    let active_capacity: f64 = groups
        .iter()
        .filter(|g| g.status == Status::Active)
        .map(|g| g.capacity_t)
        .sum();
    // Non-members sell part of their harvest to the groups at the farm-gate price.
    let active_groups = groups.iter().filter(|g| g.status == Status::Active).count();
    let raw_market = if active_groups > 0 {
        ctx.s.groups.outside_raw_share * raw_outside / active_groups as f64
    } else {
        0.0
    };
    let mut premium_rate = vec![0.0f64; groups.len()];
    let mut payout = vec![0.0f64; groups.len()];
    for (ix, g) in groups.iter_mut().enumerate() {
        let u_bottleneck: f64 = rng.random();
        let u_resolve: f64 = rng.random();
        g.output_t = 0.0;
        g.sales_value = 0.0;
        g.raw_cost = 0.0;
        g.jobs = 0;
        g.demand_t = 0.0;
        if g.status == Status::Dissolved {
            continue;
        }
        g.age_months += 1;
        if ctx.flood {
            g.inventory_t *= 1.0 - ctx.s.weather.flood_inventory_loss;
            g.capacity_t *= 1.0 - ctx.s.weather.flood_capacity_loss;
            g.capital_value *= 1.0 - ctx.s.weather.flood_capacity_loss;
        }
        if g.members == 0 && g.status != Status::Dissolved {
            g.status = Status::Dormant;
        }
        match g.status {
            Status::Forming => {
                if g.age_months >= ctx.s.groups.forming_months {
                    g.status = Status::Active;
                }
                continue;
            }
            Status::Dormant => {
                g.dormant_months += 1;
                // Reviving a dormant group takes someone to sort out its problems
                // (the OTOP lesson of immediate resolution) and a facilitator to
                // bring members back; it also needs cash, e.g. from a grant.
                let base = ctx.s.groups.revive_without_facilitator;
                let revive = ctx.d.resolution
                    * (base + (1.0 - base) * ctx.effect[Kind::Empowerment as usize]);
                if g.members > 0 && g.cash > 0.0 && u_resolve < revive {
                    g.status = Status::Active;
                    g.arrears_months = 0;
                    g.loss_months = 0;
                    g.dormant_months = 0;
                } else if g.dormant_months >= ctx.s.groups.dissolve_after_months {
                    g.status = Status::Dissolved;
                    g.partner = None;
                    totals.dissolved += 1;
                }
                let (paid, _) = g.debt.service();
                g.cash -= paid;
                continue;
            }
            Status::Active | Status::Dissolved => {}
        }
        if g.bottleneck {
            if u_resolve < ctx.d.resolution {
                g.bottleneck = false;
            }
        } else if u_bottleneck < ctx.s.groups.bottleneck_probability {
            g.bottleneck = true;
        }
        let share_local = if active_capacity > 0.0 {
            g.capacity_t / active_capacity
        } else {
            1.0
        };
        let (pay_rate, profit_paid) =
            produce_and_sell(g, raw_by_group[ix], raw_market, share_local, ctx, rng);
        premium_rate[ix] = pay_rate;
        payout[ix] = profit_paid;
    }
    // Pay members: raw-material premium pro rata to harvest, profit share per
    // head (divided once per group, not once per member).
    let share_by_group: Vec<f64> = groups
        .iter()
        .zip(&payout)
        .map(|(g, &paid)| {
            if g.members > 0 {
                paid / f64::from(g.members)
            } else {
                0.0
            }
        })
        .collect();
    for i in 0..hh.len() {
        let gid = hh.group[i];
        if gid == NO_GROUP {
            continue;
        }
        if let Some(ix) = slots.get(gid) {
            let premium = f64::from(hh.raw_kg[i]) * premium_rate[ix];
            let share = share_by_group[ix];
            hh.inc_farm[i] += premium;
            hh.inc_profit[i] += share;
            totals.paid_out += premium + share;
            hh.idle_months[i] = if premium + share > 0.0 {
                0
            } else {
                hh.idle_months[i].saturating_add(1)
            };
        } else {
            // The group is gone: its members are free again.
            hh.group[i] = NO_GROUP;
            hh.state[i] = Adoption::Aware;
        }
    }
    for (ix, g) in groups.iter_mut().enumerate() {
        if g.members > 0 {
            let wages = f64::from(g.jobs) * ctx.s.economy.group_wage * ctx.growth;
            let gain =
                (payout[ix] + raw_by_group[ix] * premium_rate[ix] + wages) / f64::from(g.members);
            let w = ctx.s.groups.gain_weight;
            g.gain_per_member = (1.0 - w) * g.gain_per_member + w * gain;
        }
        if g.status == Status::Dissolved {
            for i in 0..hh.len() {
                if hh.group[i] == g.id {
                    hh.group[i] = NO_GROUP;
                    hh.state[i] = Adoption::Aware;
                }
            }
        }
    }
    totals
}

/// Production, sales, accounts, investment and quality of one active group.
/// Returns (raw premium paid per kg of members' harvest, profit paid out).
fn produce_and_sell(
    g: &mut Group,
    raw_members_kg: f64,
    raw_market_kg: f64,
    share_local: f64,
    ctx: &GroupCtx,
    rng: &mut Rng,
) -> (f64, f64) {
    let s = ctx.s;
    let p = ctx.product;
    let e = &ctx.effect;
    let gs = &s.groups;

    // Demand by channel (t/month) and price (Rp/kg).
    let dom = domestic_price(ctx, g.tier);
    let quality_pull = gs.quality_pull_floor + g.quality;
    let local = ctx.local_demand_t * share_local;
    // Modern retail (malls, airports, hotels) lists only SNI/halal-certified
    // products, online buyers want at least a home-industry permit: promotion
    // without standards work is mostly wasted.
    let retail_gate = if g.tier >= RETAIL_TIER {
        1.0
    } else {
        gs.retail_uncertified_share
    };
    let web_gate = if g.tier >= WEB_TIER {
        1.0
    } else {
        gs.web_uncertified_share
    };
    let promoted = gs.promoted_demand_t
        * e[Kind::PromotionChannels as usize]
        * quality_pull
        * ctx.market_mult
        * retail_gate;
    let website =
        gs.website_demand_t * e[Kind::Website as usize] * quality_pull * ctx.market_mult * web_gate;
    let firm_order = g
        .partner
        .as_ref()
        .filter(|ps| ps.stage != Stage::Communication)
        .map_or(0.0, |ps| {
            let orders = if ps.mediated_months > 0 {
                1.0
            } else {
                ctx.firm_orders.get(ps.firm).copied().unwrap_or(1.0)
            };
            ps.qty_t * orders
        });
    let contract = g
        .partner
        .as_ref()
        .map_or(0.0, |ps| contract_price(ctx, ps) * 1000.0);
    let demand = local + promoted + website + firm_order;
    g.demand_t = demand;

    // Output: the tightest of capacity, demand, raw material, working capital and labour.
    let bottleneck_factor = if g.bottleneck {
        1.0 - gs.bottleneck_loss
    } else {
        1.0
    };
    let cap = g.capacity_t
        * (1.0 + gs.technology_capacity_gain * e[Kind::Technology as usize])
        * bottleneck_factor;
    let conversion = p.conversion
        * (gs.conversion_at_no_technology + gs.conversion_technology_gain * g.technology);
    let raw_price = ctx.farmgate * (1.0 + gs.member_raw_premium);
    let raw_limit = (raw_members_kg + raw_market_kg) * conversion / 1000.0;
    let want = (demand * (1.0 + gs.output_margin) - g.inventory_t).max(0.0);
    let advance = g
        .partner
        .as_ref()
        .filter(|ps| ps.stage != Stage::Communication)
        .map_or(0.0, |_| {
            s.firms.input_advance_share * firm_order * 1000.0 / conversion * raw_price
        });
    let cost_per_t = raw_price * 1000.0 / conversion;
    let mut capital_limit = ((g.cash + advance).max(0.0) / cost_per_t).max(0.0);
    let labour_per_t = p.labour_per_t / (1.0 + g.technology);
    let labour_limit = f64::from(g.members) * gs.member_worker_months / labour_per_t.max(1e-9);
    // Inputs are paid before the product sells: a group short of working
    // capital borrows the gap from formal lenders, if they will lend.
    let other_limit = cap.min(want).min(raw_limit).min(labour_limit);
    if capital_limit < other_limit {
        let need = (other_limit - capital_limit) * cost_per_t;
        if let Some(loan) = finance::apply(&s.finance, need, &g.debt, g.standing(s, e), false, rng)
        {
            g.debt.add(loan);
            g.cash += need;
            capital_limit = other_limit;
        }
    }
    let limits = [
        (cap, Constraint::Capacity),
        (want, Constraint::Demand),
        (raw_limit, Constraint::RawMaterial),
        (capital_limit, Constraint::Capital),
        (labour_limit, Constraint::Labour),
    ];
    let (output, binding) =
        limits
            .iter()
            .copied()
            .fold((f64::INFINITY, Constraint::Demand), |a, b| {
                if b.0 < a.0 { b } else { a }
            });
    let output = output.max(0.0);
    g.binding = binding;
    g.output_t = output;
    let raw_kg = output * 1000.0 / conversion;
    // Members' harvest is bought first, at the member price; the rest at farm gate.
    let from_members = raw_kg.min(raw_members_kg);
    g.raw_cost = from_members * raw_price + (raw_kg - from_members) * ctx.farmgate;
    // A core crew is kept on even when output falls (labour hoarding).
    let core = gs.core_staff_share * g.capacity_t * labour_per_t;
    g.jobs = (output * labour_per_t).max(core).ceil() as u32;

    // Sell: contract first (if honoured), then the dearest spot channels.
    let mut stock = g.inventory_t + output;
    let promoted_price = dom * (1.0 + gs.promoted_price_premium);
    let local_price = dom * (1.0 - gs.local_price_discount);
    let mut revenue = 0.0;
    if let Some(ps) = g.partner.as_mut() {
        if ps.stage != Stage::Communication {
            // Side-selling when the spot price beats the contract by the gap, more so with low trust.
            let tempted = ps.mediated_months == 0
                && promoted > 0.0
                && promoted_price * 1000.0 > contract * (1.0 + s.firms.side_sell_gap)
                && rng.random::<f64>() > ps.trust;
            let planned = if tempted {
                s.firms.side_sell_delivery * firm_order
            } else {
                firm_order
            };
            let delivered = planned.min(stock);
            stock -= delivered;
            revenue += delivered * contract;
            ps.contracted_t = firm_order;
            ps.delivered_t = delivered;
            ps.delivered_tier = g.tier;
        } else {
            ps.contracted_t = 0.0;
            ps.delivered_t = 0.0;
        }
    }
    for (qty, price) in [
        (promoted, promoted_price),
        (website, dom),
        (local, local_price),
    ] {
        let sold = qty.min(stock);
        stock -= sold;
        revenue += sold * price * 1000.0;
    }
    g.inventory_t = stock * (1.0 - gs.inventory_loss);
    g.sales_value = revenue;

    // Accounts.
    let wages = f64::from(g.jobs) * s.economy.group_wage * ctx.growth;
    // Roads, power and water lower transport, energy and spoilage costs.
    let other = gs.other_cost_share
        * (1.0 + gs.other_cost_infrastructure * (0.5 - ctx.infrastructure))
        * revenue;
    let upkeep = gs.upkeep_share * g.capital_value;
    let (debt_paid, interest) = g.debt.service();
    // Sales less the month's running costs: what each tonne earned before upkeep and debt.
    let operating = revenue - g.raw_cost - wages - other;
    let profit = operating - upkeep - interest;
    g.cash += operating - upkeep - debt_paid;
    let mut paid_out = 0.0;
    if profit > 0.0 && g.cash > 0.0 {
        paid_out = (gs.profit_share * profit).min(g.cash);
        g.cash -= paid_out;
    }
    // Cash beyond a working reserve is paid out as a dividend rather than hoarded.
    let reserve = gs.reserve_months * (g.raw_cost + wages + other + upkeep)
        + g.capacity_t * s.groups.expansion_step * p.capital_per_t;
    if g.cash > reserve {
        let dividend = gs.dividend_share * (g.cash - reserve);
        g.cash -= dividend;
        paid_out += dividend;
    }
    if g.cash < 0.0 {
        // Working-capital loan, or arrears.
        let need = -g.cash;
        match finance::apply(&s.finance, need, &g.debt, g.standing(s, e), true, rng) {
            Some(loan)
                if loan.lender != finance::Lender::Informal || need < gs.informal_loan_max =>
            {
                g.debt.add(loan);
                g.cash = 0.0;
                g.arrears_months = if profit < 0.0 {
                    g.arrears_months + 1
                } else {
                    0
                };
            }
            _ => g.arrears_months += 1,
        }
    } else if profit >= 0.0 {
        g.arrears_months = 0;
    }
    g.loss_months = if profit < 0.0 { g.loss_months + 1 } else { 0 };
    // Months in arrears, or a multiple of them in months of losses, stop the group.
    if g.arrears_months >= gs.dormant_after_months
        || g.loss_months >= gs.loss_months_factor * gs.dormant_after_months
    {
        g.status = Status::Dormant;
        g.dormant_months = 0;
    }

    // Margin per tonne on this month's output, which an expansion would earn on the demand it meets.
    let unit_margin = if output > 0.0 {
        operating / output
    } else {
        0.0
    };
    invest(g, ctx, cap, output, demand, unit_margin, rng);
    upgrade_quality(g, ctx);
    let premium_per_kg = if raw_members_kg > 0.0 {
        ctx.farmgate * gs.member_raw_premium * (from_members / raw_members_kg)
    } else {
        0.0
    };
    (premium_per_kg, paid_out)
}

/// Capacity expansion when nearly full and demand is unmet, paid from cash or credit.
fn invest(
    g: &mut Group,
    ctx: &GroupCtx,
    cap: f64,
    output: f64,
    demand: f64,
    unit_margin: f64,
    rng: &mut Rng,
) {
    let s = ctx.s;
    let gs = &s.groups;
    let p = ctx.product;
    let e = &ctx.effect;
    // Technology: programmes bring it; the group's own savings can buy it too.
    g.technology = (g.technology
        + gs.technology_gain * e[Kind::Technology as usize] * (1.0 - g.technology))
        .min(1.0);
    let full = output >= gs.expand_utilisation * cap;
    let unmet = demand > output * (1.0 + gs.expand_unmet_share);
    if g.status != Status::Active || !full || !unmet || g.arrears_months > 0 {
        return;
    }
    let added = g.capacity_t * gs.expansion_step;
    let cost = added * p.capital_per_t;
    // The expansion must pay for itself: the margin on the unmet demand it
    // would serve, less its upkeep, repays its cost within the payback time.
    let gain = (demand - output).clamp(0.0, added) * unit_margin - gs.upkeep_share * cost;
    if gain * gs.invest_payback_months < cost {
        return;
    }
    let reserve =
        gs.expansion_reserve_months * (g.raw_cost + f64::from(g.jobs) * s.economy.group_wage);
    if g.cash - reserve >= cost {
        g.cash -= cost;
    } else {
        let need = cost - (g.cash - reserve).max(0.0);
        match finance::apply(&s.finance, need, &g.debt, g.standing(s, e), false, rng) {
            Some(loan) => {
                g.cash -= cost - need;
                g.debt.add(loan);
            }
            None => return,
        }
    }
    g.capacity_t += added;
    g.capital_value += cost;
    if g.cash > 0.0 {
        let upgrade = (g.cash * gs.technology_spend_cash).min(cost * gs.technology_spend_cost);
        g.cash -= upgrade;
        g.technology = (g.technology + upgrade / (p.capital_per_t * gs.technology_cost)).min(1.0);
    }
}

/// Quality rises with standards and training programmes and members' skill, and decays without upkeep; tiers follow.
fn upgrade_quality(g: &mut Group, ctx: &GroupCtx) {
    let gs = &ctx.s.groups;
    let e = &ctx.effect;
    let push = gs.quality_weight_standards * e[Kind::QualityStandards as usize]
        + gs.quality_weight_training * e[Kind::HumanResources as usize]
        + gs.quality_weight_technology * g.technology
        + gs.quality_weight_skill * g.skill;
    g.quality = (g.quality + gs.quality_gain * push - gs.quality_decay * g.quality).clamp(0.0, 1.0);
    // GMP and HACCP need an audit: a standards programme, or a group rich enough to pay for it.
    let audited = e[Kind::QualityStandards as usize] > gs.audit_effect || g.cash > gs.audit_cash;
    // Quality needed for each tier: none, PIRT, SNI/halal, GMP, HACCP.
    let needed = [
        0.0,
        gs.pirt_quality,
        gs.sni_quality,
        gs.gmp_quality,
        gs.haccp_quality,
    ];
    let mut tier = 0;
    for (t, &q) in needed.iter().enumerate() {
        if g.quality >= q && (t < EXPORT_TIER as usize || audited) {
            tier = t as u8;
        }
    }
    g.tier = tier;
}

/// Founds a group if enough aware households are willing and a facilitator or local leader is there.
///
/// Returns the new group, whose founders' columns are already set.
#[allow(clippy::too_many_arguments)]
pub fn try_form(
    groups: &[Group],
    hh: &mut Households,
    s: &Scenario,
    d: &Derived,
    effect: &PerKind,
    cohesion: f64,
    product: usize,
    quality0: f64,
    next_id: u32,
    rng: &mut Rng,
) -> Option<Group> {
    let u: f64 = rng.random();
    let active = groups.iter().filter(|g| g.is_active()).count() as u32;
    if active >= s.groups.max_per_village {
        return None;
    }
    // Existing groups take new members first; a new one forms when they are big.
    if groups
        .iter()
        .any(|g| g.is_active() && g.members < s.groups.recruit_factor * s.groups.min_members)
    {
        return None;
    }
    let facilitator =
        s.groups.facilitator_probability * effect[Kind::Empowerment as usize] * d.socialization
            + s.groups.leader_probability
                * (1.0 + s.groups.leader_movement * d.socialization)
                * (s.groups.cohesion_floor + cohesion);
    if u >= facilitator {
        return None;
    }
    let expected = d.ownership * s.adoption.promised_gain * (s.groups.cohesion_floor + cohesion);
    let founders = s.groups.founders_factor as usize * s.groups.min_members as usize;
    let willing: Vec<usize> = (0..hh.len())
        .filter(|&i| hh.state[i] == Adoption::Aware && expected > f64::from(hh.threshold[i]))
        .take(founders)
        .collect();
    if (willing.len() as u32) < s.groups.min_members {
        return None;
    }
    for &i in &willing {
        hh.state[i] = Adoption::Member;
        hh.group[i] = next_id;
        hh.idle_months[i] = 0;
    }
    Some(Group::new(
        next_id,
        product,
        willing.len() as u32,
        s,
        quality0,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    use crate::scenario::defaults as scenario;

    fn ctx<'a>(s: &'a Scenario, d: &'a Derived, effect: PerKind) -> GroupCtx<'a> {
        GroupCtx {
            s,
            d,
            product: &s.products[0],
            growth: 1.0,
            index: 1.0,
            farmgate: s.products[0].farmgate_price,
            effect,
            market_mult: 1.0,
            price_mult: 1.0,
            local_demand_t: 0.2,
            infrastructure: 0.5,
            firm_orders: &[1.0],
            flood: false,
        }
    }

    fn village(s: &Scenario, members: usize) -> (Vec<Group>, Households) {
        let mut rng = stream(1, 0, 0, 0);
        let mut hh = Households::generate(300, s, &mut rng);
        for i in 0..members {
            hh.state[i] = Adoption::Member;
            hh.group[i] = 0;
            hh.raw_kg[i] = 20.0;
        }
        let mut g = Group::new(0, 0, members as u32, s, 0.2);
        g.status = Status::Active;
        (vec![g], hh)
    }

    #[test]
    fn output_is_limited_by_the_tightest_constraint() {
        let s = scenario();
        let d = Derived::new(&s);
        let mut rng = stream(2, 0, 0, 0);
        // Working capital binds a new group that no formal lender finances,
        let mut rationed = s.clone();
        rationed.finance.kur_supply = 0.0;
        rationed.finance.commercial_approval = 0.0;
        let (mut groups, mut hh) = village(&rationed, 30);
        step_groups(
            &mut groups,
            &mut hh,
            &ctx(&rationed, &d, [0.0; Kind::COUNT]),
            &mut rng,
        );
        assert_eq!(groups[0].binding, Constraint::Capital);
        assert_eq!(groups[0].debt.principal, 0.0);
        // but not one that borrows the gap before producing.
        let mut lent = s.clone();
        lent.finance.kur_approval = 1.0;
        lent.finance.kur_weight_base = 10.0;
        let (mut groups, mut hh) = village(&lent, 30);
        step_groups(
            &mut groups,
            &mut hh,
            &ctx(&lent, &d, [0.0; Kind::COUNT]),
            &mut rng,
        );
        assert_ne!(groups[0].binding, Constraint::Capital);
        assert!(groups[0].debt.principal > 0.0);
        // With cash, little local demand and no programmes: demand binds.
        let (mut groups, mut hh) = village(&s, 30);
        groups[0].cash = 1e9;
        step_groups(
            &mut groups,
            &mut hh,
            &ctx(&s, &d, [0.0; Kind::COUNT]),
            &mut rng,
        );
        assert_eq!(groups[0].binding, Constraint::Demand);
        // Strong promotion: capacity or raw material binds instead.
        let mut effect = [0.0; Kind::COUNT];
        effect[Kind::PromotionChannels as usize] = 1.0;
        let (mut groups, mut hh) = village(&s, 30);
        groups[0].bottleneck = false;
        step_groups(&mut groups, &mut hh, &ctx(&s, &d, effect), &mut rng);
        assert_ne!(groups[0].binding, Constraint::Demand, "{:?}", groups[0]);
        assert!(groups[0].output_t > 0.0);
    }

    #[test]
    fn profit_is_shared_with_members() {
        let s = scenario();
        let d = Derived::new(&s);
        let mut rng = stream(3, 0, 0, 0);
        let mut effect = [0.0; Kind::COUNT];
        effect[Kind::PromotionChannels as usize] = 0.8;
        let (mut groups, mut hh) = village(&s, 30);
        let t = step_groups(&mut groups, &mut hh, &ctx(&s, &d, effect), &mut rng);
        assert!(t.paid_out > 0.0);
        assert!(hh.inc_profit[0] > 0.0);
        assert_eq!(hh.inc_profit[100], 0.0, "non-members get no share");
    }

    #[test]
    fn unpaid_groups_go_dormant_then_dissolve() {
        let s = scenario();
        let d = Derived::new(&s);
        let mut rng = stream(4, 0, 0, 0);
        let (mut groups, mut hh) = village(&s, 15);
        groups[0].cash = -1e12;
        groups[0].arrears_months = 10;
        let mut c = ctx(&s, &d, [0.0; Kind::COUNT]);
        c.local_demand_t = 0.0;
        let mut dissolved = 0;
        for _ in 0..30 {
            dissolved += step_groups(&mut groups, &mut hh, &c, &mut rng).dissolved;
        }
        assert_eq!(groups[0].status, Status::Dissolved);
        assert_eq!(dissolved, 1);
        assert!(hh.group.iter().all(|&g| g == NO_GROUP));
    }

    #[test]
    fn standards_programmes_raise_quality_and_tier() {
        let s = scenario();
        let d = Derived::new(&s);
        let mut rng = stream(5, 0, 0, 0);
        let run = |effect: PerKind, rng: &mut Rng| {
            let (mut groups, mut hh) = village(&s, 30);
            groups[0].cash = 1e9;
            for _ in 0..60 {
                step_groups(&mut groups, &mut hh, &ctx(&s, &d, effect), rng);
            }
            groups[0].tier
        };
        let mut effect = [0.0; Kind::COUNT];
        effect[Kind::PromotionChannels as usize] = 0.5;
        let none = run(effect, &mut rng);
        effect[Kind::QualityStandards as usize] = 0.9;
        effect[Kind::HumanResources as usize] = 0.9;
        let strong = run(effect, &mut rng);
        assert!(strong >= EXPORT_TIER, "tier with programmes {strong}");
        assert!(none < EXPORT_TIER, "tier without {none}");
    }

    #[test]
    fn groups_form_only_with_willing_aware_households() {
        let s = scenario();
        let d = Derived::new(&s);
        let mut effect = [0.0; Kind::COUNT];
        effect[Kind::Empowerment as usize] = 1.0;
        let mut rng = stream(6, 0, 0, 0);
        let mut hh = Households::generate(300, &s, &mut rng);
        let formed = (0..50)
            .filter_map(|_| try_form(&[], &mut hh, &s, &d, &effect, 0.8, 0, 0.1, 0, &mut rng))
            .count();
        assert_eq!(formed, 0, "nobody aware");
        hh.state.fill(Adoption::Aware);
        let g =
            (0..50).find_map(|_| try_form(&[], &mut hh, &s, &d, &effect, 0.8, 0, 0.1, 0, &mut rng));
        let g = g.expect("forms with a facilitator");
        assert!(g.members >= s.groups.min_members);
        assert_eq!(
            hh.group.iter().filter(|&&x| x == 0).count() as u32,
            g.members
        );
    }
}
