//! Domestic market saturation: what a district's groups sell at home of one product sets its domestic price factor for next month.

use crate::model::village::Village;
use crate::scenario::Scenario;

/// Updates `saturation`, the domestic price factor per (district, product)
/// (`district * products + product`), from this month's home-market supply:
/// the more a district's groups sell of one product at home, the lower its
/// domestic price next month. Villages that all make the same thing
/// (kawasan) compete each other's prices down.
pub fn update_saturation(saturation: &mut [f64], villages: &[Village], s: &Scenario) {
    let n = s.products.len();
    let mut supply = vec![0.0; saturation.len()];
    for v in villages {
        for g in &v.groups {
            let to_firm = g.partner.as_ref().map_or(0.0, |p| p.delivered_t);
            supply[v.district * n + g.product] += (g.output_t - to_firm).max(0.0);
        }
    }
    for (f, q) in saturation.iter_mut().zip(&supply) {
        *f = (1.0 + q / s.groups.market_t).powf(-s.groups.price_elasticity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::group::Group;
    use crate::rng::{self, stream};

    #[test]
    fn domestic_prices_fall_as_a_product_floods_the_market() {
        let s = crate::scenario::defaults();
        let mut villages: Vec<Village> = (0..3)
            .map(|v| Village::generate(v, &s, None, stream(3, 0, 0, rng::village(v))))
            .collect();
        let p = villages[0].product;
        let mut g = Group::new(0, p, 10, &s, 0.5);
        g.output_t = 3.0 * s.groups.market_t;
        villages[0].groups.push(g);
        let n = s.products.len();
        let mut saturation = vec![1.0; n];
        update_saturation(&mut saturation, &villages, &s);
        assert!(saturation[p] < 0.7, "flooded product: {}", saturation[p]);
        let other = (p + 1) % n;
        if villages.iter().all(|v| v.product != other) {
            assert_eq!(saturation[other], 1.0);
        }
    }
}
