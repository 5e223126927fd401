//! The declared metrics: name, unit and meaning of every number a run records each month.
//!
//! A run records one row of `METRICS.len()` values per month (month 0 is the
//! initial state). Exporters and charts look metrics up here by name, so the
//! column names in result files come from one place.

/// One declared metric.
#[derive(Debug, Clone, Copy)]
pub struct Metric {
    /// Column value in `series.csv` / `summary.csv` (snake_case, stable).
    pub name: &'static str,
    /// Unit, as printed on chart axes and in docs.
    pub unit: &'static str,
    /// One-line meaning.
    pub description: &'static str,
}

macro_rules! metrics {
    ($( $id:ident = ($name:literal, $unit:literal, $desc:literal) ),* $(,)?) => {
        /// Index of each metric in a month's row.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(usize)]
        pub enum M { $( $id ),* }
        /// Every metric, in row order.
        pub const METRICS: &[Metric] = &[ $( Metric { name: $name, unit: $unit, description: $desc } ),* ];
    };
}

metrics! {
    IncomePerCapita = ("income_per_capita", "Rp per capita per month", "mean income per person (total household income / total members)"),
    IncomePerCapitaMedian = ("income_per_capita_median", "Rp per capita per month", "median over people of household income per capita"),
    IncomeFarmPerCapita = ("income_farm_per_capita", "Rp per capita per month", "own-farm net income per person"),
    IncomeWagePerCapita = ("income_wage_per_capita", "Rp per capita per month", "wage income (casual and agro-industry) per person"),
    IncomeProfitPerCapita = ("income_profit_per_capita", "Rp per capita per month", "group profit shares per person"),
    IncomeOtherPerCapita = ("income_other_per_capita", "Rp per capita per month", "other income (transfers, remittances, trade) per person"),
    PovertyRate = ("poverty_rate", "share of people", "share of people whose household income per capita is under the poverty line"),
    Gini = ("gini", "index 0-1", "Gini coefficient of household income per capita, weighted by members"),
    JobsAgroindustry = ("jobs_agroindustry", "jobs", "agro-industry jobs: group workers plus lead-firm employees"),
    JobsGroup = ("jobs_group", "jobs", "workers in producer groups (members and hired)"),
    JobsFirm = ("jobs_firm", "jobs", "lead-firm employees"),
    EmploymentShareAgroindustry = ("employment_share_agroindustry", "share of workers", "agro-industry jobs / all workers"),
    AwareShare = ("aware_share", "share of households", "households aware of OVOP (aware or member)"),
    MemberShare = ("member_share", "share of households", "households that are members of a producer group"),
    GroupsActive = ("groups_active", "groups", "producer groups forming or active (not dormant or dissolved)"),
    GroupsCertified = ("groups_certified", "groups", "active groups at GMP tier or above"),
    GroupsTier0 = ("groups_tier_none", "groups", "active groups without certification"),
    GroupsTier1 = ("groups_tier_pirt", "groups", "active groups at the PIRT (home-industry permit) tier"),
    GroupsTier2 = ("groups_tier_sni", "groups", "active groups at the SNI/halal tier"),
    GroupsTier3 = ("groups_tier_gmp", "groups", "active groups at the GMP tier"),
    GroupsTier4 = ("groups_tier_haccp", "groups", "active groups at the HACCP tier"),
    GroupCapacity = ("group_capacity", "t per month", "processing capacity of active groups"),
    ProductPotential = ("product_potential", "score 0-1", "true potential (mean of the five OVOP criteria) of villages' products, mean over villages"),
    GroupsDissolved = ("groups_dissolved", "groups", "groups dissolved so far (cumulative)"),
    PartnershipsActive = ("partnerships_active", "partnerships", "group-firm partnerships at any stage"),
    PartnershipsCommunication = ("partnerships_communication", "partnerships", "partnerships at the communication stage (trial orders)"),
    PartnershipsAgreement = ("partnerships_agreement", "partnerships", "partnerships at the agreement stage (binding contract)"),
    PartnershipsEquilibrium = ("partnerships_equilibrium", "partnerships", "partnerships at the equilibrium stage"),
    ValueAdded = ("value_added", "Rp per month", "groups' and firms' sales minus purchased raw material"),
    Exports = ("exports", "Rp per month", "export sales through lead firms"),
    BudgetAllocated = ("budget_allocated", "Rp per month", "agencies' yearly programme budgets, per month"),
    BudgetDelivered = ("budget_delivered", "Rp per month", "programme money that reached the field this month"),
    BudgetLapsed = ("budget_lapsed", "Rp per month", "budget that lapsed unspent at fiscal year end (booked in December)"),
    Population = ("population", "persons", "people living in the simulated villages"),
    CreditOutstanding = ("credit_outstanding", "Rp", "debt of households and groups"),
}

/// Number of metrics in a row.
pub const N_METRICS: usize = METRICS.len();

/// Looks a metric up by name.
pub fn index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| m.name == name)
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
}
