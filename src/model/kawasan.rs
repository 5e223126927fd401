//! The kawasan approach's commodity imposition: one product per district, chosen from above.

use crate::model::Derived;
use crate::model::village::Village;
use crate::rng::Rng;
use crate::scenario::Scenario;
use rand_distr::{Distribution, Normal};

/// Kawasan: one commodity per district, the one the agencies' noisy view
/// rates best over the district's villages, imposed on all of them.
pub fn impose_commodities(villages: &mut [Village], s: &Scenario, d: &Derived, rng: &mut Rng) {
    let districts = s.district.districts as usize;
    for district in 0..districts {
        let mut score = vec![0.0; s.products.len()];
        for v in villages.iter().filter(|v| v.district == district) {
            for (p, sc) in score.iter_mut().enumerate() {
                let noise: f64 = if d.agency_noise > 0.0 {
                    Normal::new(0.0, d.agency_noise)
                        .expect("sd > 0")
                        .sample(rng)
                } else {
                    0.0
                };
                let seen = v
                    .candidates
                    .iter()
                    .find(|c| c.product == p)
                    .map_or(s.information.non_candidate_potential, |c| c.potential());
                *sc += seen + noise;
            }
        }
        let best = (0..score.len())
            .max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        for v in villages.iter_mut().filter(|v| v.district == district) {
            v.impose_product(best, &s.district);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{self, stream};

    #[test]
    fn kawasan_imposes_one_commodity_per_district() {
        let mut s = crate::scenario::defaults();
        s.district.districts = 2;
        let own: Vec<Village> = (0..20)
            .map(|v| Village::generate(v, &s, None, stream(3, 0, 0, rng::village(v))))
            .collect();
        let mut imposed = own.clone();
        let d = Derived::new(&s);
        impose_commodities(&mut imposed, &s, &d, &mut stream(3, 0, 0, rng::AGENCIES));
        for district in 0..2 {
            let products: Vec<usize> = imposed
                .iter()
                .filter(|v| v.district == district)
                .map(|v| v.product)
                .collect();
            assert!(products.windows(2).all(|p| p[0] == p[1]), "{products:?}");
        }
        let mean = |vs: &[Village]| vs.iter().map(|v| v.potential).sum::<f64>() / 20.0;
        assert!(
            mean(&own) > mean(&imposed),
            "villages choose better-suited products themselves"
        );
    }
}
