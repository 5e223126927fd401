//! The declared metrics: name, unit, meaning and computation of every number a run records each month.
//!
//! A run records one row of `METRICS.len()` values per month (month 0 is the
//! initial state). Exporters and charts look metrics up here by name, so the
//! column names in result files come from one place.
//!
//! Metrics are declared in two layers, as Agents.jl pairs agent data with an
//! aggregator (`adata`) and adds model-level data (`mdata`):
//! - `sums!` declares the month's raw sums over agents: what each village,
//!   group and firm adds to it. [`collect`] adds them in one pass, villages in
//!   index order (each followed by its groups), then firms, so every sum adds
//!   its terms in the same order whatever the number of threads.
//! - `metrics!` declares each metric with its name, unit, meaning and its
//!   value as a function of a [`Month`]: the sums, the income distribution and
//!   the agencies' budgets.
//!
//! A new metric is one `metrics!` entry, plus one `sums!` entry if it needs a
//! sum not declared yet.

use crate::model::agency::{Agency, BudgetFlows};
use crate::model::firm::Firm;
use crate::model::group::{EXPORT_TIER, Group};
use crate::model::partnership::Stage;
use crate::model::village::Village;
use crate::stats::Histogram;
use std::ops::Index;

/// What one agent of each kind adds to a sum (`None`: agents of that kind add nothing).
#[derive(Debug, Clone, Copy)]
pub struct Terms {
    pub village: Option<fn(&Village) -> f64>,
    pub group: Option<fn(&Group) -> f64>,
    pub firm: Option<fn(&Firm) -> f64>,
}

impl Terms {
    const NONE: Terms = Terms {
        village: None,
        group: None,
        firm: None,
    };
}

macro_rules! sums {
    ($( $(#[$doc:meta])* $id:ident = { $( $agent:ident: $term:expr ),+ $(,)? } ),* $(,)?) => {
        /// Index of each sum in a month's sums.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(usize)]
        pub enum S { $( $(#[$doc])* $id ),* }
        /// Number of sums.
        pub const N_SUMS: usize = [$( stringify!($id) ),*].len();
        /// What each agent adds to each sum, in `S` order.
        pub const SUMS: [Terms; N_SUMS] = [ $( Terms { $( $agent: Some($term), )+ ..Terms::NONE } ),* ];

        /// Adds up every declared sum: villages in index order, each followed
        /// by its groups, then firms. The terms are constants, so each call is
        /// direct and a missing term costs nothing.
        pub fn collect(villages: &[Village], firms: &[Firm]) -> [f64; N_SUMS] {
            let mut sums = [0.0; N_SUMS];
            for v in villages {
                $( if let Some(term) = const { SUMS[S::$id as usize].village } {
                    sums[S::$id as usize] += term(v);
                } )*
                for g in &v.groups {
                    $( if let Some(term) = const { SUMS[S::$id as usize].group } {
                        sums[S::$id as usize] += term(g);
                    } )*
                }
            }
            for f in firms {
                $( if let Some(term) = const { SUMS[S::$id as usize].firm } {
                    sums[S::$id as usize] += term(f);
                } )*
            }
            sums
        }
    };
}

/// 1 for a group that counts, 0 for one that does not.
fn count(yes: bool) -> f64 {
    f64::from(yes)
}

/// 1 for an active group at certification tier `tier` (HACCP, tier 4, takes any above it).
fn active_at_tier(g: &Group, tier: u8) -> f64 {
    count(g.is_active() && g.tier.min(4) == tier)
}

/// 1 for a partnership at `stage`.
fn at_stage(g: &Group, stage: Stage) -> f64 {
    count(g.partner.as_ref().is_some_and(|ps| ps.stage == stage))
}

sums! {
    /// Villages (count).
    Villages = { village: |_| 1.0 },
    /// Households, people, people under the poverty line, workers (count).
    Households = { village: |v| v.tally.households as f64 },
    People = { village: |v| v.tally.people as f64 },
    Poor = { village: |v| v.tally.poor as f64 },
    Workers = { village: |v| v.tally.workers as f64 },
    /// Households aware of OVOP (or members), and members (count).
    Aware = { village: |v| v.tally.aware as f64 },
    Members = { village: |v| v.tally.members as f64 },
    /// Household income by source (Rp per month).
    Farm = { village: |v| v.tally.farm },
    Wage = { village: |v| v.tally.wage },
    Profit = { village: |v| v.tally.profit },
    Other = { village: |v| v.tally.other },
    /// Debt of households, then of each village's groups (Rp).
    Credit = { village: |v| v.tally.credit, group: |g| g.debt.principal },
    /// Groups dissolved so far (count).
    Dissolved = { village: |v| f64::from(v.dissolved_total) },
    /// True potential of the villages' products (score 0-1, summed).
    Potential = { village: |v| v.potential },
    /// Health of the villages' raw-material resource (0-1, summed).
    Resource = { village: |v| v.resource },
    /// Processing businesses with outside capital (households' businesses
    /// with a working-capital loan running, active groups with a loan
    /// outstanding), and households' own processing businesses (count).
    Borrowing = {
        village: |v| f64::from(v.processing.financed()),
        group: |g| count(g.is_active() && g.debt.principal > 0.0),
    },
    Processors = { village: |v| v.tally.processors as f64 },
    /// Active groups, their capacity (t per month), and those at export tier or above.
    Groups = { group: |g| count(g.is_active()) },
    Capacity = { group: |g| if g.is_active() { g.capacity_t } else { 0.0 } },
    Certified = { group: |g| count(g.is_active() && g.tier >= EXPORT_TIER) },
    /// Active groups per certification tier.
    Tier0 = { group: |g| active_at_tier(g, 0) },
    Tier1 = { group: |g| active_at_tier(g, 1) },
    Tier2 = { group: |g| active_at_tier(g, 2) },
    Tier3 = { group: |g| active_at_tier(g, 3) },
    Tier4 = { group: |g| active_at_tier(g, 4) },
    /// Partnerships, in all and per stage.
    Partnerships = { group: |g| count(g.partner.is_some()) },
    Communication = { group: |g| at_stage(g, Stage::Communication) },
    Agreement = { group: |g| at_stage(g, Stage::Agreement) },
    Equilibrium = { group: |g| at_stage(g, Stage::Equilibrium) },
    /// Income of households with farm land (Rp per month).
    IncomeLandholders = { village: |v| v.tally.income_landholders },
    /// Family workers in households' own processing businesses, and the
    /// businesses' hired workers (days hired / casual days a worker seeks).
    ProcessingFamily = { village: |v| v.tally.processing_family as f64 },
    ProcessingHired = { village: |v| v.tally.processing_hired },
    /// The evaluator's groups: people, income now and at month 0 (Rp per
    /// month), in villages ever on an agency's list (treated) and never (control).
    TreatedPeople = { village: |v| if v.treated { v.tally.people as f64 } else { 0.0 } },
    TreatedIncome = { village: |v| if v.treated { v.tally.income } else { 0.0 } },
    TreatedIncome0 = { village: |v| if v.treated { v.income0 } else { 0.0 } },
    ControlPeople = { village: |v| if v.treated { 0.0 } else { v.tally.people as f64 } },
    ControlIncome = { village: |v| if v.treated { 0.0 } else { v.tally.income } },
    ControlIncome0 = { village: |v| if v.treated { 0.0 } else { v.income0 } },
    /// Jobs in groups and at firms.
    GroupJobs = { group: |g| f64::from(g.jobs) },
    FirmJobs = { firm: |f| f.employees },
    /// Sales minus purchased raw material, groups then firms (Rp per month).
    ValueAdded = { group: |g| g.sales_value - g.raw_cost, firm: |f| f.sales - f.purchases },
    /// Export sales through firms (Rp per month).
    Exports = { firm: |f| f.exports },
}

/// What a month's metrics are computed from.
pub struct Month<'a> {
    /// The month's sums (see [`collect`]).
    pub sums: [f64; N_SUMS],
    /// Household income per capita of every person.
    pub income: &'a Histogram,
    pub agencies: &'a [Agency],
    /// The month's programme money flows.
    pub flows: BudgetFlows,
}

impl Index<S> for Month<'_> {
    type Output = f64;
    fn index(&self, s: S) -> &f64 {
        &self.sums[s as usize]
    }
}

impl Month<'_> {
    /// Agro-industry jobs: groups, firms and households' processing businesses.
    fn agro_jobs(&self) -> f64 {
        self[S::GroupJobs]
            + self[S::FirmJobs]
            + self[S::ProcessingFamily]
            + self[S::ProcessingHired]
    }

    /// Treated villages' change in income per capita since month 0, less the control villages'.
    fn difference_in_differences(&self) -> f64 {
        let (tp, cp) = (self[S::TreatedPeople], self[S::ControlPeople]);
        // Growth in proportion, as an evaluator's log-income regression
        // reads it: incomes that grow at the same rate are parallel trends,
        // whatever their levels. The effect is in Rp at the treated villages'
        // month-0 income.
        let (t0, c0) = (self[S::TreatedIncome0], self[S::ControlIncome0]);
        if tp > 0.0 && cp > 0.0 && t0 > 0.0 && c0 > 0.0 {
            (self[S::TreatedIncome] / t0 - self[S::ControlIncome] / c0) * t0 / tp
        } else {
            0.0
        }
    }

    /// `x` per person (0 without people).
    fn per_capita(&self, x: f64) -> f64 {
        let people = self[S::People];
        if people > 0.0 { x / people } else { 0.0 }
    }

    /// The metric row of this month, in `METRICS` order.
    pub fn row(&self) -> [f64; N_METRICS] {
        std::array::from_fn(|i| (METRICS[i].value)(self))
    }
}

/// One declared metric.
#[derive(Debug, Clone, Copy)]
pub struct Metric {
    /// Column value in `series.csv` / `summary.csv` (snake_case, stable).
    pub name: &'static str,
    /// Unit, as printed on chart axes and in docs.
    pub unit: &'static str,
    /// One-line meaning.
    pub description: &'static str,
    /// Its value in a month.
    pub value: fn(&Month) -> f64,
}

macro_rules! metrics {
    ($( $id:ident = ($name:literal, $unit:literal, $desc:literal, $value:expr) ),* $(,)?) => {
        /// Index of each metric in a month's row.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(usize)]
        pub enum M { $( $id ),* }
        /// Every metric, in row order.
        pub const METRICS: &[Metric] = &[ $( Metric { name: $name, unit: $unit, description: $desc, value: $value } ),* ];
    };
}

metrics! {
    IncomePerCapita = ("income_per_capita", "Rp per capita per month", "mean income per person (total household income / total members)",
        |m| m.per_capita(m[S::Farm] + m[S::Wage] + m[S::Profit] + m[S::Other])),
    IncomePerCapitaMedian = ("income_per_capita_median", "Rp per capita per month", "median over people of household income per capita",
        |m| m.income.median()),
    IncomeFarmPerCapita = ("income_farm_per_capita", "Rp per capita per month", "own-farm net income per person",
        |m| m.per_capita(m[S::Farm])),
    IncomeWagePerCapita = ("income_wage_per_capita", "Rp per capita per month", "wage income (casual and agro-industry) per person",
        |m| m.per_capita(m[S::Wage])),
    IncomeProfitPerCapita = ("income_profit_per_capita", "Rp per capita per month", "group profit shares per person",
        |m| m.per_capita(m[S::Profit])),
    IncomeOtherPerCapita = ("income_other_per_capita", "Rp per capita per month", "other income (transfers, remittances, trade) per person",
        |m| m.per_capita(m[S::Other])),
    PovertyRate = ("poverty_rate", "share of people", "share of people whose household income per capita is under the poverty line",
        |m| m.per_capita(m[S::Poor])),
    Gini = ("gini", "index 0-1", "Gini coefficient of household income per capita, weighted by members",
        |m| m.income.gini()),
    JobsAgroindustry = ("jobs_agroindustry", "jobs", "agro-industry jobs: group workers, lead-firm employees and households' own food processing (family and hired)",
        |m| m.agro_jobs()),
    JobsGroup = ("jobs_group", "jobs", "workers in producer groups (members and hired)",
        |m| m[S::GroupJobs]),
    JobsFirm = ("jobs_firm", "jobs", "lead-firm employees",
        |m| m[S::FirmJobs]),
    JobsProcessing = ("jobs_processing", "jobs", "jobs in households' own food-processing businesses: family workers plus hired workers",
        |m| m[S::ProcessingFamily] + m[S::ProcessingHired]),
    EmploymentShareAgroindustry = ("employment_share_agroindustry", "share of workers", "agro-industry jobs / all workers",
        |m| if m[S::Workers] > 0.0 { m.agro_jobs() / m[S::Workers] } else { 0.0 }),
    UnpaidShareAgroindustry = ("unpaid_share_agroindustry", "share of jobs", "unpaid family workers of processing businesses / agro-industry jobs",
        |m| { let jobs = m.agro_jobs(); if jobs > 0.0 { m[S::ProcessingFamily] / jobs } else { 0.0 } }),
    FarmShareLandholders = ("farm_income_share_landholders", "share of income", "own-farm income / income of households with farm land",
        |m| if m[S::IncomeLandholders] > 0.0 { m[S::Farm] / m[S::IncomeLandholders] } else { 0.0 }),
    EvaluatedIncomeEffect = ("evaluated_income_effect", "Rp per capita per month", "the programme's income effect as an evaluation measures it: growth since month 0 of income in villages ever on an agency's list, less the growth in villages never on one, times the listed villages' month-0 income per capita (difference in differences of log income; 0 without both groups)",
        |m| m.difference_in_differences()),
    AwareShare = ("aware_share", "share of households", "households aware of OVOP (aware or member)",
        |m| m[S::Aware] / m[S::Households].max(1.0)),
    MemberShare = ("member_share", "share of households", "households that are members of a producer group",
        |m| m[S::Members] / m[S::Households].max(1.0)),
    GroupsActive = ("groups_active", "groups", "producer groups forming or active (not dormant or dissolved)",
        |m| m[S::Groups]),
    GroupsCertified = ("groups_certified", "groups", "active groups at GMP tier or above",
        |m| m[S::Certified]),
    GroupsTier0 = ("groups_tier_none", "groups", "active groups without certification",
        |m| m[S::Tier0]),
    GroupsTier1 = ("groups_tier_pirt", "groups", "active groups at the PIRT (home-industry permit) tier",
        |m| m[S::Tier1]),
    GroupsTier2 = ("groups_tier_sni", "groups", "active groups at the SNI/halal tier",
        |m| m[S::Tier2]),
    GroupsTier3 = ("groups_tier_gmp", "groups", "active groups at the GMP tier",
        |m| m[S::Tier3]),
    GroupsTier4 = ("groups_tier_haccp", "groups", "active groups at the HACCP tier",
        |m| m[S::Tier4]),
    GroupCapacity = ("group_capacity", "t per month", "processing capacity of active groups",
        |m| m[S::Capacity]),
    ProductPotential = ("product_potential", "score 0-1", "true potential (mean of the five OVOP criteria) of villages' products, mean over villages",
        |m| m[S::Potential] / m[S::Villages].max(1.0)),
    ProcessorCreditUse = ("processor_credit_use", "share", "share of processing businesses with outside capital: households' own businesses with a working-capital loan running and active groups with a loan outstanding, over households' businesses and active groups",
        |m| m[S::Borrowing] / (m[S::Groups] + m[S::Processors]).max(1.0)),
    ResourceHealth = ("resource_health", "index 0-1", "health of the land or stock that yields the villages' raw material (1 at the start), mean over villages",
        |m| m[S::Resource] / m[S::Villages].max(1.0)),
    GroupsDissolved = ("groups_dissolved", "groups", "groups dissolved so far (cumulative)",
        |m| m[S::Dissolved]),
    PartnershipsActive = ("partnerships_active", "partnerships", "group-firm partnerships at any stage",
        |m| m[S::Partnerships]),
    PartnershipsCommunication = ("partnerships_communication", "partnerships", "partnerships at the communication stage (trial orders)",
        |m| m[S::Communication]),
    PartnershipsAgreement = ("partnerships_agreement", "partnerships", "partnerships at the agreement stage (binding contract)",
        |m| m[S::Agreement]),
    PartnershipsEquilibrium = ("partnerships_equilibrium", "partnerships", "partnerships at the equilibrium stage",
        |m| m[S::Equilibrium]),
    ValueAdded = ("value_added", "Rp per month", "groups' and firms' sales minus purchased raw material",
        |m| m[S::ValueAdded]),
    Exports = ("exports", "Rp per month", "export sales through lead firms",
        |m| m[S::Exports]),
    BudgetAllocated = ("budget_allocated", "Rp per month", "agencies' yearly programme budgets, per month",
        |m| m.agencies.iter().map(|a| a.budget).sum::<f64>() / 12.0),
    BudgetDelivered = ("budget_delivered", "Rp per month", "programme money that reached the field this month",
        |m| m.flows.delivered),
    BudgetLapsed = ("budget_lapsed", "Rp per month", "budget that lapsed unspent at fiscal year end (booked in December)",
        |m| m.flows.lapsed),
    Population = ("population", "persons", "people living in the simulated villages",
        |m| m[S::People]),
    CreditOutstanding = ("credit_outstanding", "Rp", "debt of households and groups",
        |m| m[S::Credit]),
}

/// The first broken invariant of a month's row: the metric and what is wrong with its value.
///
/// Every build checks that the values are finite (one comparison per metric
/// a month, nothing per household); debug builds also check that shares lie
/// in [0, 1], counts, flows and stocks that cannot be negative are not, and that the sums
/// balance: income per capita is the sum of its sources, agro-industry jobs
/// those of groups and firms.
pub fn broken_invariant(row: &[f64; N_METRICS]) -> Option<(usize, &'static str)> {
    if let Some(i) = row.iter().position(|v| !v.is_finite()) {
        return Some((i, "is not a finite number"));
    }
    if cfg!(debug_assertions) {
        return broken_in_debug(row);
    }
    None
}

/// The invariants checked only in debug builds (see [`broken_invariant`]).
fn broken_in_debug(row: &[f64; N_METRICS]) -> Option<(usize, &'static str)> {
    use M::*;
    let v = |m: M| row[m as usize];
    let shares = [
        PovertyRate,
        Gini,
        EmploymentShareAgroindustry,
        UnpaidShareAgroindustry,
        AwareShare,
        MemberShare,
        ProductPotential,
        ResourceHealth,
        ProcessorCreditUse,
    ];
    // A relative tolerance for sums taken in another order.
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    if let Some(m) = shares.into_iter().find(|m| !(0.0..=1.0).contains(&v(*m))) {
        return Some((m as usize, "is a share outside [0, 1]"));
    }
    let counts = [
        JobsAgroindustry,
        JobsGroup,
        JobsFirm,
        JobsProcessing,
        GroupsActive,
        GroupsCertified,
        GroupsTier0,
        GroupsTier1,
        GroupsTier2,
        GroupsTier3,
        GroupsTier4,
        GroupCapacity,
        GroupsDissolved,
        PartnershipsActive,
        PartnershipsCommunication,
        PartnershipsAgreement,
        PartnershipsEquilibrium,
        Exports,
        BudgetAllocated,
        BudgetDelivered,
        Population,
        CreditOutstanding,
    ];
    if let Some(m) = counts.into_iter().find(|m| v(*m) < 0.0) {
        return Some((m as usize, "is negative"));
    }
    let sources = v(IncomeFarmPerCapita)
        + v(IncomeWagePerCapita)
        + v(IncomeProfitPerCapita)
        + v(IncomeOtherPerCapita);
    if !near(v(IncomePerCapita), sources) {
        return Some((
            IncomePerCapita as usize,
            "is not the sum of its sources (farm, wage, profit, other)",
        ));
    }
    if !near(
        v(JobsAgroindustry),
        v(JobsGroup) + v(JobsFirm) + v(JobsProcessing),
    ) {
        return Some((
            JobsAgroindustry as usize,
            "is not group, firm and processing jobs",
        ));
    }
    None
}

/// Number of metrics in a row.
pub const N_METRICS: usize = METRICS.len();

/// Looks a metric up by name.
pub fn index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| m.name == name)
}

/// The declared metric whose name is nearest to `name`, for "did you mean" hints.
pub fn nearest(name: &str) -> &'static str {
    // Jaro-Winkler favours a shared start, which is how metric names are mistyped or abbreviated.
    METRICS
        .iter()
        .map(|m| m.name)
        .max_by(|a, b| strsim::jaro_winkler(name, a).total_cmp(&strsim::jaro_winkler(name, b)))
        .expect("metrics exist")
}

/// The metrics as a Markdown table (name, unit, meaning), as embedded in docs/ODD.md.
pub fn markdown_table() -> String {
    let mut out = String::from("| metric | unit | meaning |\n|---|---|---|\n");
    for m in METRICS {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            m.name, m.unit, m.description
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_indexed_in_order() {
        for (i, m) in METRICS.iter().enumerate() {
            assert_eq!(index(m.name), Some(i), "{}", m.name);
        }
        assert_eq!(M::IncomePerCapita as usize, 0);
        assert_eq!(M::CreditOutstanding as usize, N_METRICS - 1);
    }

    /// The debug-only invariants hold in the shipped kinds of run, so a
    /// debug build stops only on a real fault (checked here in any build).
    #[test]
    fn debug_invariants_hold_for_every_approach() {
        for approach in ["ovop", "kawasan", "none"] {
            let sets = vec![
                format!("approach=\"{approach}\""),
                "district.villages=8".into(),
                "years=6".into(),
            ];
            let config =
                crate::scenario::load_str("name = \"t\"\n", "t.toml".as_ref(), ".".as_ref(), &sets)
                    .unwrap();
            for replication in 0..2 {
                let spec = crate::engine::RunSpec {
                    seed: 5,
                    point: 0,
                    replication,
                };
                let out = crate::engine::run(&config, spec).unwrap();
                for (month, row) in out.values.chunks(N_METRICS).enumerate() {
                    let row: &[f64; N_METRICS] = row.try_into().unwrap();
                    if let Some((m, rule)) = broken_in_debug(row) {
                        panic!(
                            "{approach}, month {month}: {} {rule} ({})",
                            METRICS[m].name, row[m]
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_share_outside_0_1_or_an_unbalanced_sum_is_caught() {
        let mut row = [0.0; N_METRICS];
        assert_eq!(broken_invariant(&row), None);
        row[M::MemberShare as usize] = 1.5;
        assert_eq!(
            broken_in_debug(&row).map(|b| b.0),
            Some(M::MemberShare as usize)
        );
        row[M::MemberShare as usize] = 0.5;
        row[M::IncomeWagePerCapita as usize] = 10.0;
        assert_eq!(
            broken_in_debug(&row).map(|b| b.0),
            Some(M::IncomePerCapita as usize)
        );
        row[M::GroupsActive as usize] = f64::NAN;
        assert_eq!(
            broken_invariant(&row).map(|b| b.0),
            Some(M::GroupsActive as usize)
        );
    }
}
