//! Government agencies: fiscal-year budget release with delay and lapse, targeting (joint plan versus sectoral lists), delivery, continuity across years and elections, and yearly monitoring and evaluation.

use crate::model::group::Constraint;
use crate::model::village::{NO_GROUP_CONSTRAINT, Village};
use crate::model::{Derived, Kind, PerKind};
use crate::rng::Rng;
use crate::scenario::{Approach, Level, Scenario};
use rand::RngExt;
use rand_distr::{Distribution, Normal};

/// One agency's running state.
#[derive(Debug, Clone)]
pub struct Agency {
    pub name: String,
    pub level: Level,
    /// Yearly budget (Rp).
    pub budget: f64,
    /// Budget share per programme kind (sums to 1).
    pub mix: PerKind,
    /// Villages funded this year.
    pub targets: Vec<usize>,
    /// Years each village has been funded in a row (index = village).
    funded_years: Vec<u32>,
    /// Villages the last evaluation found support not working in (left at the next redraw).
    failing: Vec<bool>,
    /// With adaptive management, the mix each village receives (index =
    /// village; reset to `mix` when a village joins the targets); empty
    /// otherwise, when every village receives `mix`.
    pub site_mix: Vec<PerKind>,
}

/// Money flows of one month.
#[derive(Debug, Clone, Copy, Default)]
pub struct BudgetFlows {
    pub released: f64,
    pub delivered: f64,
    pub lapsed: f64,
}

/// Agencies of the scenario, with mixes normalised.
pub fn create(s: &Scenario, villages: usize) -> Vec<Agency> {
    s.agencies
        .iter()
        .map(|a| {
            let mut mix = [0.0; Kind::COUNT];
            let total: f64 = a.mix.values().sum();
            for (k, v) in &a.mix {
                mix[*k as usize] = v / total;
            }
            Agency {
                name: a.name.clone(),
                level: a.level,
                budget: if s.approach == Approach::None {
                    0.0
                } else {
                    a.budget
                },
                mix,
                targets: Vec::new(),
                funded_years: vec![0; villages],
                failing: vec![false; villages],
                site_mix: if s.programme.adaptive {
                    vec![mix; villages]
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

/// What the regional database says each village's potential is: the true potential blurred by information quality.
pub fn database_view(villages: &[Village], d: &Derived, rng: &mut Rng) -> Vec<f64> {
    let noise = Normal::new(0.0, d.agency_noise.max(1e-12)).expect("sd > 0");
    villages
        .iter()
        .map(|v| v.potential + noise.sample(rng))
        .collect()
}

fn top(scores: &[f64], n: usize, skip: impl Fn(usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).filter(|&i| !skip(i)).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order.truncate(n);
    order
}

/// Start of a fiscal year (`year` 0-based): each agency keeps or redraws its
/// target list. Returns the villages an agency stopped funding before they
/// had finished (once per agency that left).
///
/// With a joint plan (probability = coordination quality, slot by slot) an
/// agency serves the villages of the shared list; otherwise it follows its
/// own sectoral ranking, so complementary programmes often land apart.
pub fn new_year(
    agencies: &mut [Agency],
    database: &[f64],
    finished: &[bool],
    s: &Scenario,
    d: &Derived,
    year: u32,
    rng: &mut Rng,
) -> Vec<usize> {
    let mut withdrawn = Vec::new();
    let n = (s.programme.target_villages as usize).min(database.len());
    let joint = top(database, database.len(), |_| false);
    let interval = s.coordination.election_interval_years;
    let election = interval > 0 && year > 0 && year.is_multiple_of(interval);
    let sectoral_noise = Normal::new(0.0, s.information.sectoral_noise).expect("validated sd");
    for a in agencies.iter_mut() {
        let u_keep: f64 = rng.random();
        let u_elect: f64 = rng.random();
        let sectoral: Vec<f64> = database
            .iter()
            .map(|&x| x + sectoral_noise.sample(rng))
            .collect();
        let slots: Vec<f64> = (0..n).map(|_| rng.random()).collect();
        let mut keep = year > 0 && u_keep < d.continuity;
        if election && a.level != Level::Central && u_elect >= d.election_survival {
            keep = false;
        }
        let limit = s.programme.duration_years;
        // A finished village needs no more support; a time limit moves on whether or not it is.
        let expired = |v: usize, a: &Agency| {
            finished[v] || a.failing[v] || (limit > 0 && a.funded_years[v] >= limit)
        };
        let mut targets: Vec<usize> = if keep {
            a.targets
                .iter()
                .copied()
                .filter(|&v| !expired(v, a))
                .collect()
        } else {
            Vec::new()
        };
        // Membership flags beside the list: at national scale (tens of
        // thousands of targets) searching the list itself is quadratic.
        let mut taken = vec![false; database.len()];
        for &v in &targets {
            taken[v] = true;
        }
        if targets.len() < n {
            // Fill open places: joint-plan slots take the shared list, the rest the agency's own.
            let own = top(&sectoral, database.len(), |_| false);
            let (mut ji, mut oi) = (0, 0);
            for &u in slots.iter().skip(targets.len()) {
                let pick = if u < d.joint_targeting {
                    next_free(&joint, &mut ji, &taken, |v| expired(v, a))
                } else {
                    next_free(&own, &mut oi, &taken, |v| expired(v, a))
                };
                if let Some(v) = pick {
                    taken[v] = true;
                    targets.push(v);
                    // A village joining the targets starts from the agency's plan.
                    if let Some(m) = a.site_mix.get_mut(v) {
                        *m = a.mix;
                    }
                }
            }
        }
        for &v in &a.targets {
            if !taken[v] && !finished[v] {
                withdrawn.push(v);
            }
        }
        for (years, &t) in a.funded_years.iter_mut().zip(&taken) {
            *years = if t { *years + 1 } else { 0 };
        }
        a.targets = targets;
        a.failing.fill(false);
    }
    withdrawn
}

fn next_free(
    list: &[usize],
    pos: &mut usize,
    taken: &[bool],
    expired: impl Fn(usize) -> bool,
) -> Option<usize> {
    while *pos < list.len() {
        let v = list[*pos];
        *pos += 1;
        if !taken[v] && !expired(v) {
            return Some(v);
        }
    }
    None
}

/// Monthly release along the fiscal calendar, shifted by the disbursement
/// delay; what the delay pushes past December lapses. Delivered money goes to
/// the targets' programme stocks; part of finance-access money is paid to
/// groups as grants.
pub fn release(
    agencies: &[Agency],
    villages: &mut [Village],
    s: &Scenario,
    d: &Derived,
    month: u32,
) -> BudgetFlows {
    let mut flows = BudgetFlows::default();
    let m = month as usize;
    let delay = d.delay_months;
    for a in agencies {
        if a.budget <= 0.0 {
            continue;
        }
        let released = if m > delay {
            a.budget * d.calendar[m - 1 - delay]
        } else {
            0.0
        };
        if m == 12 {
            flows.lapsed += a.budget * d.calendar[12 - delay.min(12)..].iter().sum::<f64>();
        }
        flows.released += released;
        let delivered = released * d.delivery_share;
        flows.delivered += delivered;
        if a.targets.is_empty() || delivered <= 0.0 {
            continue;
        }
        let per_village = delivered / a.targets.len() as f64;
        for &v in &a.targets {
            let mix = a.site_mix.get(v).unwrap_or(&a.mix);
            let village = &mut villages[v];
            for k in Kind::ALL {
                let mut amount = per_village * mix[k as usize];
                if k == Kind::FinanceAccess && amount > 0.0 {
                    let active: Vec<usize> = (0..village.groups.len())
                        .filter(|&g| village.groups[g].is_active() || village.groups[g].members > 0)
                        .collect();
                    if !active.is_empty() {
                        let grant = amount * s.programme.grant_share;
                        for &g in &active {
                            village.groups[g].cash += grant / active.len() as f64;
                        }
                        amount -= grant;
                    }
                }
                village.stock[k as usize] += amount;
            }
        }
    }
    flows
}

/// Kinds that address a binding constraint.
fn remedy(constraint: usize) -> &'static [Kind] {
    const CAPACITY: usize = Constraint::Capacity as usize;
    const DEMAND: usize = Constraint::Demand as usize;
    const RAW: usize = Constraint::RawMaterial as usize;
    const CAPITAL: usize = Constraint::Capital as usize;
    const LABOUR: usize = Constraint::Labour as usize;
    match constraint {
        CAPACITY => &[Kind::Technology],
        // Certification opens the promoted and website channels and firm contracts (7.13).
        DEMAND => &[
            Kind::PromotionChannels,
            Kind::TradeFairs,
            Kind::Website,
            Kind::QualityStandards,
        ],
        RAW => &[Kind::RawMaterial],
        CAPITAL => &[Kind::FinanceAccess],
        LABOUR => &[Kind::HumanResources],
        NO_GROUP_CONSTRAINT => &[Kind::Empowerment],
        _ => &[],
    }
}

/// Yearly monitoring and evaluation: with adaptive management each agency
/// reviews each of its target villages and moves part of that village's
/// money to the programmes that address the constraint that bound most often
/// there. Counts reset every year.
///
/// The counts and each kind's effect in the village are read through an
/// error that grows as the regional database worsens. Money is taken from
/// each kind in proportion to how much more saturated it reads than the
/// remedy (where it does least at the margin), and goes to the remedy of the
/// most reported constraint that does not itself read saturated there.
pub fn evaluate(
    agencies: &mut [Agency],
    villages: &mut [Village],
    s: &Scenario,
    d: &Derived,
    rng: &mut Rng,
) {
    if s.programme.adaptive {
        let sd = s.programme.evaluation_noise * (1.0 - s.information.quality);
        let noise = Normal::new(0.0, sd.max(1e-12)).expect("validated sd");
        for a in agencies.iter_mut() {
            for &v in &a.targets {
                let village = &villages[v];
                let effects = village.effects(d);
                let mix = &mut a.site_mix[v];
                // Villages funded for years where the evaluation sees no
                // working group make room for others, once their support has
                // had its chance (this agency's kinds act in full, as the
                // evaluation reads them); a village still building up is not judged.
                let idle = f64::from(village.constraints[NO_GROUP_CONSTRAINT]);
                let reached: f64 = mix.iter().zip(&effects).map(|(m, e)| m * e).sum::<f64>()
                    * noise.sample(rng).exp();
                a.failing[v] = a.funded_years[v] >= s.programme.evaluation_fail_after_years
                    && idle * noise.sample(rng).exp() >= s.programme.evaluation_fail_idle_months
                    && reached >= s.programme.evaluation_support_reached;
                let reported: [f64; NO_GROUP_CONSTRAINT + 1] = std::array::from_fn(|c| {
                    f64::from(village.constraints[c]) * noise.sample(rng).exp()
                });
                // What each kind achieves is read through the same error as
                // the counts: a poor database moves money on a wrong reading.
                let seen: PerKind =
                    std::array::from_fn(|k| (effects[k] * noise.sample(rng).exp()).min(1.0));
                let mut order: Vec<usize> =
                    (0..reported.len()).filter(|&c| reported[c] > 0.0).collect();
                order.sort_by(|&x, &y| reported[y].total_cmp(&reported[x]).then(x.cmp(&y)));
                let unsaturated = |kinds: &[Kind]| {
                    kinds
                        .iter()
                        .any(|k| seen[*k as usize] < s.programme.evaluation_saturated)
                };
                let Some(kinds) = order.into_iter().map(remedy).find(|k| unsaturated(k)) else {
                    continue;
                };
                let shift = s.programme.adaptive_shift;
                let wanted =
                    kinds.iter().map(|k| seen[*k as usize]).sum::<f64>() / kinds.len() as f64;
                let mut moved = 0.0;
                for (k, (m, e)) in mix.iter_mut().zip(&seen).enumerate() {
                    if kinds.iter().any(|r| *r as usize == k) {
                        continue;
                    }
                    // Only kinds nearer saturation than the remedy give, the more so the nearer.
                    let take = *m * shift * (e - wanted).max(0.0);
                    *m -= take;
                    moved += take;
                }
                for k in kinds {
                    mix[*k as usize] += moved / kinds.len() as f64;
                }
            }
        }
    }
    for v in villages.iter_mut() {
        v.constraints = [0; NO_GROUP_CONSTRAINT + 1];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    fn setup(q: f64) -> (Scenario, Derived, Vec<Agency>, Vec<f64>) {
        let mut s = crate::scenario::defaults();
        s.coordination.quality = q;
        let d = Derived::new(&s);
        let agencies = create(&s, 50);
        let mut rng = stream(1, 0, 0, 0);
        let database: Vec<f64> = (0..50).map(|_| rng.random()).collect();
        (s, d, agencies, database)
    }

    /// Mean number of agencies serving a targeted village: how often programmes meet.
    fn overlap(q: f64) -> f64 {
        let (s, d, mut agencies, database) = setup(q);
        let mut rng = stream(2, 0, 0, 0);
        let finished = vec![false; 50];
        let mut total = 0.0;
        for year in 0..10 {
            new_year(&mut agencies, &database, &finished, &s, &d, year, &mut rng);
            let mut count = vec![0u32; 50];
            for a in &agencies {
                for &v in &a.targets {
                    count[v] += 1;
                }
            }
            let served: Vec<u32> = count.into_iter().filter(|&c| c > 0).collect();
            total += f64::from(served.iter().sum::<u32>()) / served.len() as f64;
        }
        total / 10.0
    }

    #[test]
    fn joint_plans_make_programmes_meet() {
        let joint = overlap(1.0);
        let fragmented = overlap(0.0);
        assert!(joint > 4.9, "joint plan overlap {joint}");
        assert!(fragmented < joint - 1.0, "fragmented overlap {fragmented}");
    }

    #[test]
    fn delay_pushes_money_into_lapse() {
        let run = |q: f64| {
            let (s, d, agencies, _) = setup(q);
            let mut villages = Vec::new();
            let mut out = BudgetFlows::default();
            for m in 1..=12 {
                let f = release(&agencies, &mut villages, &s, &d, m);
                out.released += f.released;
                out.delivered += f.delivered;
                out.lapsed += f.lapsed;
            }
            let budget: f64 = agencies.iter().map(|a| a.budget).sum();
            assert!(
                (out.released + out.lapsed - budget).abs() < 1.0,
                "money is conserved"
            );
            out
        };
        let good = run(1.0);
        let bad = run(0.0);
        assert_eq!(good.lapsed, 0.0);
        assert!(
            bad.lapsed > 0.3 * (bad.released + bad.lapsed),
            "lapsed {}",
            bad.lapsed
        );
        assert!(good.delivered > 1.5 * bad.delivered);
    }

    #[test]
    fn no_programme_spends_nothing() {
        let (mut s, d, _, _) = setup(0.8);
        s.approach = Approach::None;
        let agencies = create(&s, 50);
        let f = release(&agencies, &mut [], &s, &d, 12);
        assert_eq!(f.released + f.lapsed + f.delivered, 0.0);
    }

    #[test]
    fn monitoring_moves_budget_to_the_binding_constraint() {
        let (mut s, d, _, database) = setup(1.0);
        s.programme.adaptive = true;
        let mut agencies = create(&s, 50);
        let mut rng = stream(4, 0, 0, 0);
        let finished = vec![false; 50];
        new_year(&mut agencies, &database, &finished, &s, &d, 0, &mut rng);
        let mut villages: Vec<Village> = (0..50)
            .map(|v| Village::generate(v, &s, None, stream(4, 0, 0, 16 + v as u32)))
            .collect();
        // Raw material bound every group all year, where technology money is saturated.
        s.information.quality = 1.0;
        for v in &mut villages {
            v.constraints[Constraint::RawMaterial as usize] = 12;
            v.stock[Kind::Technology as usize] = 1e12;
        }
        let plan = agencies[0].mix;
        let v = agencies[0].targets[0];
        // Another target reports demand instead: it gets another remedy.
        let w = agencies[0].targets[1];
        villages[w].constraints[Constraint::RawMaterial as usize] = 0;
        villages[w].constraints[Constraint::Demand as usize] = 12;
        evaluate(&mut agencies, &mut villages, &s, &d, &mut rng);
        let (before, after) = (plan, agencies[0].site_mix[v]);
        assert_eq!(
            agencies[0].mix, plan,
            "the plan stays; the village's mix moves"
        );
        let (raw, tech, quality) = (
            Kind::RawMaterial as usize,
            Kind::Technology as usize,
            Kind::QualityStandards as usize,
        );
        assert!(
            after[raw] > before[raw] + 0.05,
            "raw-material share {} -> {}",
            before[raw],
            after[raw]
        );
        assert!(after[tech] < before[tech], "saturated technology gives");
        assert_eq!(after[quality], before[quality], "unsaturated kinds keep");
        assert!((after.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(
            villages
                .iter()
                .all(|v| v.constraints.iter().all(|&c| c == 0))
        );
        let other = agencies[0].site_mix[w];
        let promotion = Kind::PromotionChannels as usize;
        assert_eq!(
            other[raw], plan[raw],
            "raw material is not this village's remedy"
        );
        assert!(other[promotion] > plan[promotion], "demand's remedy gains");
        // Without adaptive management the mixes stay.
        s.programme.adaptive = false;
        let mixes = agencies[0].site_mix.clone();
        evaluate(&mut agencies, &mut villages, &s, &d, &mut rng);
        assert_eq!(agencies[0].site_mix, mixes);
    }

    #[test]
    fn evaluation_drops_villages_without_a_working_group_and_graduation_moves_on() {
        let (mut s, d, _, database) = setup(1.0);
        s.programme.adaptive = true;
        let mut agencies = create(&s, 50);
        s.information.quality = 1.0;
        let mut rng = stream(5, 0, 0, 0);
        let mut finished = vec![false; 50];
        for year in 0..3 {
            new_year(&mut agencies, &database, &finished, &s, &d, year, &mut rng);
        }
        let first = agencies[0].targets.clone();
        let mut villages: Vec<Village> = (0..50)
            .map(|v| Village::generate(v, &s, None, stream(5, 0, 0, 16 + v as u32)))
            .collect();
        // The first target had no group all year though its support acts in
        // full; the second has finished; the third had no group either, but
        // its support is still building up, so it is not judged yet.
        villages[first[0]].constraints[NO_GROUP_CONSTRAINT] = 12;
        villages[first[0]].stock = [1e15; Kind::COUNT];
        finished[first[1]] = true;
        villages[first[2]].constraints[NO_GROUP_CONSTRAINT] = 12;
        evaluate(&mut agencies, &mut villages, &s, &d, &mut rng);
        new_year(&mut agencies, &database, &finished, &s, &d, 3, &mut rng);
        let later = &agencies[0].targets;
        assert!(!later.contains(&first[0]), "failing village dropped");
        assert!(!later.contains(&first[1]), "finished village left");
        assert!(first[2..].iter().all(|v| later.contains(v)), "others kept");
        assert_eq!(later.len(), first.len(), "places refilled");
    }

    #[test]
    fn kawasan_programmes_stop_after_their_duration() {
        let (mut s, d, mut agencies, database) = setup(1.0);
        s.programme.duration_years = 3;
        let mut rng = stream(3, 0, 0, 0);
        let finished = vec![false; 50];
        new_year(&mut agencies, &database, &finished, &s, &d, 0, &mut rng);
        let first = agencies[0].targets.clone();
        for year in 1..4 {
            new_year(&mut agencies, &database, &finished, &s, &d, year, &mut rng);
        }
        let later = &agencies[0].targets;
        assert!(first.iter().all(|v| !later.contains(v)), "moved on");
    }
}
