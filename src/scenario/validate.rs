//! Checks of a deserialized scenario: every declared range, then what no single declaration can say (bounds set by other keys, shares summing to one, the lists); each problem names its key path.

use super::schema::key::{Allowed, Checker};
use super::schema::*;

/// All problems found, as (key path, message) pairs; empty when valid.
pub fn check(s: &Scenario) -> Vec<(String, String)> {
    let mut c = Checker::default();
    check_name(&mut c, &s.name);
    s.check_keys(&mut c);
    check_bounds(&mut c, s);
    check_agencies(&mut c, &s.agencies);
    check_products(&mut c, &s.products);
    check_events(&mut c, s);
    c.problems
}

/// `agencies[3].mix.website` -> `agencies[].mix.website`; a list of numbers loses its index: `tier_premium[2]` -> `tier_premium`.
pub(super) fn strip_indices(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut in_index = false;
    for ch in key.chars() {
        match ch {
            '[' => in_index = true,
            ']' => {
                in_index = false;
                out.push_str("[]");
            }
            _ if in_index => {}
            _ => out.push(ch),
        }
    }
    match out.strip_suffix("[]") {
        Some(list) => list.to_string(),
        None => out,
    }
}

/// Checks a list entry's value against the range `LIST_KEYS` declares for it.
fn entry(c: &mut Checker, key: &str, v: f64) {
    list_allowed(&strip_indices(key)).check(c, key, v);
}

fn check_name(c: &mut Checker, name: &str) {
    let ok = !name.trim().is_empty()
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
    if !ok {
        c.fail(
            "name",
            format!(
                "must be non-empty letters, digits, '-' or '_' (it names the output folder), got {name:?}"
            ),
        );
    } else if name.len() > NAME_MAX {
        // File names are limited to 255 bytes; output folders and chart files
        // add a suffix of their own to the name.
        c.fail(
            "name",
            format!(
                "must be at most {NAME_MAX} characters (it names the output folder), got {}",
                name.len()
            ),
        );
    }
}

/// Longest scenario name: it and the suffixes added to it must fit a file name.
const NAME_MAX: usize = 100;

/// Shares that must add up to 1 (within rounding of written decimals).
fn sum_to_one(c: &mut Checker, key: &str, values: &[f64]) {
    // + 0.0 turns a sum of -0 into 0: "a sum of -0" reads as a bug.
    let sum: f64 = values.iter().sum::<f64>() + 0.0;
    let ok = values.iter().all(|v| v.is_finite() && *v >= 0.0) && (sum - 1.0).abs() <= 1e-3;
    if !ok {
        c.fail(
            key,
            format!("must be shares of 0 or more that sum to 1, got a sum of {sum}"),
        );
    }
}

/// Bounds that depend on other keys, and lists of numbers with a required shape.
fn check_bounds(c: &mut Checker, s: &Scenario) {
    let d = &s.district;
    let co = &s.coordination;
    let h = &s.households;
    // Each pair is a range: the value at the low end (or at coordination 0)
    // and at the high end (or at coordination 1).
    let ranges = [
        (
            "district.infrastructure",
            d.infrastructure_min,
            d.infrastructure_max,
        ),
        ("district.cohesion", d.cohesion_min, d.cohesion_max),
        ("district.criteria", d.criteria_min, d.criteria_max),
        ("households.skill", h.skill_min, h.skill_max),
        ("coordination.delivery", co.delivery_min, co.delivery_max),
        (
            "coordination.resolution",
            co.resolution_min,
            co.resolution_max,
        ),
        (
            "coordination.continuity",
            co.continuity_min,
            co.continuity_max,
        ),
        (
            "coordination.election_survival",
            co.election_survival_min,
            co.election_survival_max,
        ),
    ];
    for (key, min, max) in ranges {
        if min > max {
            c.fail(
                &format!("{key}_max"),
                format!("must not be below {key}_min"),
            );
        }
    }
    let a = &s.adoption;
    if a.trust_base + a.trust_cohesion > 1.0 {
        c.fail(
            "adoption.trust_cohesion",
            format!(
                "must be at most 1 - adoption.trust_base ({}) so that trust stays a share, got {}",
                1.0 - a.trust_base,
                a.trust_cohesion
            ),
        );
    }
    // With no products, the one problem to report is the empty list itself.
    if !s.products.is_empty() {
        let products = Allowed::Int(1, s.products.len() as u32);
        let candidates = f64::from(d.candidates_per_village);
        products.check(c, "district.candidates_per_village", candidates);
        let per_firm = f64::from(s.firms.products_per_firm);
        products.check(c, "firms.products_per_firm", per_firm);
    }

    let calendar = &s.programme.calendar;
    if calendar.len() != 12 {
        c.fail(
            "programme.calendar",
            format!("must list 12 monthly shares, got {}", calendar.len()),
        );
    } else {
        sum_to_one(c, "programme.calendar", calendar);
    }
    if s.finance.kur_micro_rates.is_empty() {
        c.fail(
            "finance.kur_micro_rates",
            "must list at least one rate".into(),
        );
    }
}

fn check_agencies(c: &mut Checker, agencies: &[Agency]) {
    for (ix, ag) in agencies.iter().enumerate() {
        let key = |f: &str| format!("agencies[{ix}].{f}");
        if ag.name.trim().is_empty() {
            c.fail(&key("name"), "must not be empty".into());
        }
        entry(c, &key("budget"), ag.budget);
        for (kind, v) in &ag.mix {
            let mix = key(&format!("mix.{}", kind.name()));
            list_allowed("agencies[].mix.<kind>").check(c, &mix, *v);
        }
        let shares: Vec<f64> = ag.mix.values().copied().collect();
        sum_to_one(c, &key("mix"), &shares);
    }
}

fn check_products(c: &mut Checker, products: &[Product]) {
    if products.is_empty() {
        // Villages choose among products, so none leaves nothing to simulate.
        c.fail(
            "products",
            "must list at least one product; leave `products` out for the default six".into(),
        );
    }
    for (ix, pd) in products.iter().enumerate() {
        let key = |f: &str| format!("products[{ix}].{f}");
        if pd.name.trim().is_empty() || pd.name == "all" {
            c.fail(&key("name"), "must be non-empty and not \"all\"".into());
        }
        if products[..ix].iter().any(|o| o.name == pd.name) {
            c.fail(&key("name"), format!("duplicate product {:?}", pd.name));
        }
        for (field, v) in [
            ("raw_yield_kg_ha", pd.raw_yield_kg_ha),
            ("peak_month", f64::from(pd.peak_month)),
            ("seasonality", pd.seasonality),
            ("farmgate_price", pd.farmgate_price),
            ("conversion", pd.conversion),
            ("domestic_price", pd.domestic_price),
            ("export_price", pd.export_price),
            ("labour_per_t", pd.labour_per_t),
            ("capital_per_t", pd.capital_per_t),
            ("drought_loss", pd.drought_loss),
            ("volatility", pd.volatility),
        ] {
            entry(c, &key(field), v);
        }
        for (t, v) in pd.tier_premium.iter().enumerate() {
            entry(c, &key(&format!("tier_premium[{t}]")), *v);
        }
    }
}

fn check_events(c: &mut Checker, s: &Scenario) {
    let years = Allowed::Range(
        f64::from(s.start_year),
        f64::from(s.start_year + s.years as i32 - 1),
    );
    for (ix, ev) in s.events.weather.iter().enumerate() {
        let key = |f: &str| format!("events.weather[{ix}].{f}");
        years.check(c, &key("year"), f64::from(ev.year));
        entry(c, &key("month"), f64::from(ev.month));
        entry(c, &key("duration_months"), f64::from(ev.duration_months));
        entry(c, &key("severity"), ev.severity);
    }
    for (ix, ev) in s.events.price.iter().enumerate() {
        let key = |f: &str| format!("events.price[{ix}].{f}");
        if ev.product != "all" && !s.products.iter().any(|p| p.name == ev.product) {
            let names: Vec<&str> = s.products.iter().map(|p| p.name.as_str()).collect();
            c.fail(
                &key("product"),
                format!(
                    "unknown product {:?}; expected \"all\" or one of {}",
                    ev.product,
                    names.join(", ")
                ),
            );
        }
        years.check(c, &key("year"), f64::from(ev.year));
        entry(c, &key("month"), f64::from(ev.month));
        entry(c, &key("change"), ev.change);
        entry(c, &key("duration_months"), f64::from(ev.duration_months));
        entry(c, &key("recovery_months"), f64::from(ev.recovery_months));
    }
}
