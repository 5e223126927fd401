//! Lead firms and their trade with partner groups: purchases and resale, export, mediation and dissolution of partnerships, new contacts, orders, capacity and staff.

use crate::model::group::{EXPORT_TIER, Status};
use crate::model::partnership::{Partnership, Stage};
use crate::model::village::Village;
use crate::model::{Derived, Kind};
use crate::scenario::Scenario;
use rand::RngExt;

/// One lead firm.
#[derive(Debug, Clone)]
pub struct Firm {
    pub district: usize,
    pub products: Vec<usize>,
    /// Purchase capacity (t processed per month).
    pub capacity_t: f64,
    pub export_access: bool,
    /// Order factor the firm applies to its contracts this month (1 = honours them fully).
    pub orders: f64,
    pub employees: f64,
    // This month's flows.
    pub throughput_t: f64,
    pub purchases: f64,
    pub sales: f64,
    pub exports: f64,
}

/// Creates the firms of every district; firm `k` trades products `k, k+1, ...` in turn.
pub fn create(s: &Scenario, districts: usize) -> Vec<Firm> {
    let f = &s.firms;
    let n_products = s.products.len();
    let mut firms = Vec::new();
    for district in 0..districts {
        for k in 0..f.per_district as usize {
            let products = (0..f.products_per_firm as usize)
                .map(|j| (k * f.products_per_firm as usize + j) % n_products)
                .collect();
            let export_access =
                (k as f64 + 0.5) / f64::from(f.per_district) <= f.export_access_share;
            firms.push(Firm {
                district,
                products,
                capacity_t: f.capacity_t,
                export_access,
                orders: 1.0,
                employees: f.base_staff,
                throughput_t: 0.0,
                purchases: 0.0,
                sales: 0.0,
                exports: 0.0,
            });
        }
    }
    firms
}

/// Totals of the firm phase.
#[derive(Debug, Clone, Copy, Default)]
pub struct FirmTotals {
    pub broken: u32,
    pub mediated: u32,
}

/// Phase 5: settle contracts, update trust and stages, seek new partners, set next month's orders and staff.
///
/// `index` is the global price index per product. Villages are visited in
/// order and each uses its own random stream, so the result does not depend
/// on threads.
pub fn step_firms(
    firms: &mut [Firm],
    villages: &mut [Village],
    s: &Scenario,
    d: &Derived,
    index: &[f64],
    offset: usize,
    growth: f64,
) -> FirmTotals {
    let fs = &s.firms;
    let mut totals = FirmTotals::default();
    let mut committed = vec![0.0f64; firms.len()];
    for f in firms.iter_mut() {
        f.throughput_t = 0.0;
        f.purchases = 0.0;
        f.sales = 0.0;
        f.exports = 0.0;
    }
    // Firms are created district by district, so each district's firms are
    // one contiguous run; a group looks only at its own district's run.
    let mut district_firms = Vec::new();
    for (fi, f) in firms.iter().enumerate() {
        if district_firms.len() <= f.district {
            district_firms.resize(f.district + 1, fi..fi);
        }
        district_firms[f.district].end = fi + 1;
    }
    // Villages take turns at the head of the queue for firm capacity.
    let n = villages.len();
    for k in 0..n {
        let v = &mut villages[(k + offset) % n.max(1)];
        v.firm_jobs = 0.0;
        let trade_fairs = v.effect(Kind::TradeFairs, d);
        let brokering = d.brokering * (v.effect(Kind::Empowerment, d) + trade_fairs).min(1.0);
        let Village {
            groups,
            rng,
            fit,
            district,
            ..
        } = v;
        for g in groups.iter_mut() {
            let product = g.product;
            let p = &s.products[product];
            let alive = g.status == Status::Active || g.status == Status::Forming;
            let Some(ps) = g.partner.as_mut() else {
                continue;
            };
            let u_med: f64 = rng.random();
            let u_stage: f64 = rng.random();
            if !alive {
                g.partner = None;
                totals.broken += 1;
                continue;
            }
            let firm = &mut firms[ps.firm];
            ps.months += 1;
            if ps.stage != Stage::Communication {
                let idx = index[product];
                // Prices grow with the economy, as wages do (balanced growth).
                let price = ps.price(idx, fs) * growth * 1000.0;
                let bought = ps.delivered_t * price;
                let premium = 1.0 + p.tier_premium[ps.delivered_tier as usize];
                let export = firm.export_access && ps.delivered_tier >= EXPORT_TIER;
                let resale = if export {
                    ps.delivered_t * 1000.0 * p.export_price * idx * premium * growth
                } else {
                    ps.delivered_t
                        * 1000.0
                        * p.domestic_price
                        * (1.0 + s.prices.domestic_pass * (idx - 1.0))
                        * premium
                        * (1.0 + fs.margin)
                        * growth
                };
                firm.throughput_t += ps.delivered_t;
                firm.purchases += bought;
                firm.sales += resale;
                if export {
                    firm.exports += resale;
                }
                v.firm_jobs += ps.delivered_t * fs.jobs_per_t;
                let group_ok = ps.contracted_t <= 0.0
                    || ps.delivered_t >= fs.compliance_delivery * ps.contracted_t;
                let firm_ok = firm.orders >= fs.compliance_orders || ps.mediated_months > 0;
                ps.record_compliance(group_ok, firm_ok, fs);
                // A firm that can export a certified group's product contracts for export from next month.
                ps.export_price = if firm.export_access && g.tier >= EXPORT_TIER {
                    p.export_price * (1.0 + p.tier_premium[g.tier as usize]) * fit.price_mult
                } else {
                    0.0
                };
                // Volumes follow the group's capacity,
                let mut share = if ps.stage == Stage::Equilibrium {
                    fs.contract_capacity_share * (1.0 + fs.equilibrium_bonus)
                } else {
                    fs.contract_capacity_share
                };
                if ps.export_price > 0.0 {
                    share *= 1.0 + fs.export_volume_bonus;
                }
                // within what the firm has not yet committed to other groups.
                let room = (firm.capacity_t - committed[ps.firm]).max(0.0);
                ps.qty_t = (share * g.capacity_t).min(ps.qty_t + room);
            } else {
                // Communication: an agreement needs trust, a minimum quality and room at the firm.
                let quality_ok = if g.quality >= fs.agreement_quality {
                    1.0
                } else {
                    fs.below_quality_agreement
                };
                let room = firm.capacity_t - committed[ps.firm];
                if room > fs.agreement_min_room_t
                    && u_stage < fs.agreement_probability * ps.trust * quality_ok
                {
                    ps.stage = Stage::Agreement;
                    ps.good_months = 0;
                    ps.qty_t = (fs.contract_capacity_share * g.capacity_t).min(room);
                    ps.base_price = p.domestic_price
                        * (1.0 + p.tier_premium[g.tier as usize])
                        * fit.price_mult
                        * (1.0 + fs.contract_markup);
                } else if ps.months > fs.communication_patience_months {
                    ps.trust -= fs.communication_trust_loss;
                }
            }
            if ps.trust < fs.trust_floor {
                if u_med < fs.mediation_probability * brokering {
                    // Agencies broker a settlement: both sides keep the contract for a year.
                    ps.trust = fs.mediated_trust;
                    ps.mediated_months = fs.mediation_months;
                    totals.mediated += 1;
                } else {
                    g.partner = None;
                    totals.broken += 1;
                    continue;
                }
            }
            committed[ps.firm] += ps.qty_t;
        }
        // New contacts: firms of this district trading the village's product.
        for g in groups.iter_mut() {
            if g.partner.is_some() || g.status != Status::Active {
                continue;
            }
            let local = district_firms.get(*district).cloned().unwrap_or(0..0);
            for fi in local {
                let firm = &firms[fi];
                let u: f64 = rng.random();
                if !firm.products.contains(&g.product) {
                    continue;
                }
                let room = (firm.capacity_t - committed[fi]).max(0.0) / firm.capacity_t.max(1e-9);
                let p_contact = fs.contact_probability
                    * (1.0 + fs.contact_trade_fairs * trade_fairs)
                    * (1.0 + fs.contact_brokering * brokering)
                    * (fs.contact_quality_floor + g.quality)
                    * room;
                if u < p_contact {
                    g.partner = Some(Partnership::contact(fi, fs.initial_trust));
                    break;
                }
            }
        }
    }
    for (fi, f) in firms.iter_mut().enumerate() {
        // A firm whose own market falls cuts orders (and pays late) the next month.
        let market: f64 =
            f.products.iter().map(|&p| index[p]).sum::<f64>() / f.products.len().max(1) as f64;
        f.orders = if market < fs.order_cut_index {
            (market / fs.order_cut_index).clamp(fs.min_orders, 1.0)
        } else {
            1.0
        };
        if f.throughput_t > fs.growth_throughput * f.capacity_t
            || committed[fi] > fs.growth_commitment * f.capacity_t
        {
            f.capacity_t =
                (f.capacity_t * (1.0 + fs.capacity_growth / 12.0)).min(fs.max_capacity_t);
        }
        f.employees = fs.base_staff + fs.jobs_per_t * f.throughput_t;
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::group::{Group, Status};
    use crate::model::village::Village;
    use crate::rng::stream;

    /// One village of the firm's product with one active group partnered at `stage`.
    fn world(s: &Scenario, stage: Stage, trust: f64) -> (Vec<Firm>, Vec<Village>) {
        let firms = create(s, 1);
        let mut v = Village::generate(0, s, None, stream(1, 0, 0, 16));
        v.product = firms[0].products[0];
        let mut g = Group::new(0, v.product, 20, s, 0.5);
        g.status = Status::Active;
        g.quality = 0.7;
        g.capacity_t = 10.0;
        g.partner = Some(Partnership {
            firm: 0,
            stage,
            trust,
            months: 0,
            good_months: 0,
            qty_t: 4.0,
            base_price: 90_000.0,
            contracted_t: 4.0,
            delivered_t: 4.0,
            delivered_tier: 3,
            mediated_months: 0,
            export_price: 0.0,
        });
        v.groups.push(g);
        (firms, vec![v])
    }

    fn partner(v: &[Village]) -> Option<&Partnership> {
        v[0].groups[0].partner.as_ref()
    }

    #[test]
    fn communication_turns_into_agreement_with_trust_and_quality() {
        let s = crate::scenario::defaults();
        let d = Derived::new(&s);
        let (mut firms, mut villages) = world(&s, Stage::Communication, 0.9);
        let index = vec![1.0; s.products.len()];
        for t in 0..60 {
            step_firms(&mut firms, &mut villages, &s, &d, &index, t, 1.0);
        }
        let ps = partner(&villages).expect("still partnered");
        assert_ne!(ps.stage, Stage::Communication);
        assert!(ps.qty_t > 0.0 && ps.base_price > 0.0);
    }

    #[test]
    fn kept_contracts_reach_equilibrium_and_pay_the_firm() {
        let s = crate::scenario::defaults();
        let d = Derived::new(&s);
        let (mut firms, mut villages) = world(&s, Stage::Agreement, 0.8);
        let index = vec![1.0; s.products.len()];
        for t in 0..(s.firms.equilibrium_after_months as usize + 2) {
            // The group delivers in full every month.
            if let Some(ps) = villages[0].groups[0].partner.as_mut() {
                ps.contracted_t = ps.qty_t;
                ps.delivered_t = ps.qty_t;
            }
            step_firms(&mut firms, &mut villages, &s, &d, &index, t, 1.0);
        }
        assert_eq!(partner(&villages).unwrap().stage, Stage::Equilibrium);
        assert!(firms[0].throughput_t > 0.0);
        assert!(
            firms[0].sales > firms[0].purchases,
            "the firm earns a margin"
        );
        assert!(
            villages[0].firm_jobs > 0.0,
            "volume creates firm jobs in the village"
        );
    }

    #[test]
    fn broken_promises_end_partnerships_unless_mediated() {
        let run = |quality: f64| {
            let mut s = crate::scenario::defaults();
            s.coordination.quality = quality;
            let d = Derived::new(&s);
            let (mut firms, mut villages) = world(&s, Stage::Agreement, 0.8);
            // Brokering needs agencies in the village.
            villages[0].stock[Kind::Empowerment as usize] = 1e12;
            // A world price crash: the firm cuts orders, the group side-sells.
            let index = vec![0.4; s.products.len()];
            let mut months = 0;
            for t in 0..36 {
                firms[0].orders = 0.5;
                if let Some(ps) = villages[0].groups[0].partner.as_mut() {
                    ps.contracted_t = ps.qty_t;
                    ps.delivered_t = 0.4 * ps.qty_t;
                } else {
                    break;
                }
                step_firms(&mut firms, &mut villages, &s, &d, &index, t, 1.0);
                months += 1;
            }
            months
        };
        let alone = run(0.0);
        let coordinated = run(1.0);
        assert!(
            alone < 12,
            "without mediation it breaks within a year: {alone} months"
        );
        assert!(
            coordinated > 2 * alone,
            "mediation keeps it longer: {coordinated} months"
        );
    }

    #[test]
    fn firms_cover_products_and_export_access() {
        let s = crate::scenario::defaults();
        let firms = create(&s, 2);
        assert_eq!(firms.len(), 6);
        let mut covered = vec![false; s.products.len()];
        for f in firms.iter().filter(|f| f.district == 0) {
            for &p in &f.products {
                covered[p] = true;
            }
        }
        assert!(covered.iter().all(|&c| c), "every product has a buyer");
        assert_eq!(firms.iter().filter(|f| f.export_access).count(), 4);
    }
}
