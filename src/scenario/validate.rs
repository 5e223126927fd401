//! Range and consistency checks of a deserialized scenario; each problem names its key path and the allowed range.

use super::schema::*;

struct Checker {
    problems: Vec<(String, String)>,
    /// The allowed range of every key checked, as (key path, text); `params` shows these.
    allowed: Vec<(String, String)>,
}

impl Checker {
    fn new() -> Self {
        Self {
            problems: Vec::new(),
            allowed: Vec::new(),
        }
    }
    fn check(&mut self, key: &str, ok: bool, allowed: String, got: String) {
        if !ok {
            self.problems
                .push((key.to_string(), format!("must be {allowed}, got {got}")));
        }
        self.allowed.push((key.to_string(), allowed));
    }
    fn range(&mut self, key: &str, v: f64, lo: f64, hi: f64) {
        let ok = v.is_finite() && v >= lo && v <= hi;
        self.check(key, ok, format!("{lo} to {hi}"), v.to_string());
    }
    fn share(&mut self, key: &str, v: f64) {
        self.range(key, v, 0.0, 1.0);
    }
    fn non_negative(&mut self, key: &str, v: f64) {
        let ok = v.is_finite() && v >= 0.0;
        self.check(key, ok, "0 or more".into(), v.to_string());
    }
    fn positive(&mut self, key: &str, v: f64) {
        let ok = v.is_finite() && v > 0.0;
        self.check(key, ok, "greater than 0".into(), v.to_string());
    }
    fn int(&mut self, key: &str, v: u32, lo: u32, hi: u32) {
        let ok = v >= lo && v <= hi;
        self.check(
            key,
            ok,
            format!("a whole number {lo} to {hi}"),
            v.to_string(),
        );
    }
    /// Shares that must add up to 1 (within rounding of written decimals).
    fn sum_to_one(&mut self, key: &str, values: &[f64]) {
        let sum: f64 = values.iter().sum();
        let ok = values.iter().all(|v| v.is_finite() && *v >= 0.0) && (sum - 1.0).abs() <= 1e-3;
        self.check(
            key,
            ok,
            "shares of 0 or more that sum to 1".into(),
            format!("a sum of {sum}"),
        );
    }
    fn fail(&mut self, key: &str, message: String) {
        self.problems.push((key.to_string(), message));
    }
}

/// All problems found, as (key path, message) pairs; empty when valid.
pub fn check(s: &Scenario) -> Vec<(String, String)> {
    checked(s).problems
}

/// The allowed range of every range-checked key, as (key path, text), with
/// list indices written `[]` as in the parameter table. Derived by checking
/// the defaults, so it cannot drift from the checks themselves.
pub fn allowed_ranges(s: &Scenario) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (key, text) in checked(s).allowed {
        let key = strip_indices(&key);
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, text));
        }
    }
    out
}

/// `agencies[3].mix.website` -> `agencies[].mix.website`; `tier_premium[2]` -> `tier_premium`.
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
    out.replace("tier_premium[]", "tier_premium")
}

fn checked(s: &Scenario) -> Checker {
    let mut c = Checker::new();
    if s.name.trim().is_empty()
        || !s
            .name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
    {
        c.fail(
            "name",
            format!(
                "must be non-empty letters, digits, '-' or '_' (it names the output folder), got {:?}",
                s.name
            ),
        );
    }
    c.range("start_year", s.start_year as f64, 1900.0, 2200.0);
    c.int("years", s.years, 1, 100);

    let d = &s.district;
    c.int("district.districts", d.districts, 1, 1000);
    c.int("district.villages", d.villages, 1, 100_000);
    c.range("district.households_mean", d.households_mean, 1.0, 20_000.0);
    c.range("district.households_sd", d.households_sd, 0.0, 20_000.0);
    c.int("district.households_min", d.households_min, 1, 20_000);
    c.share("district.infrastructure_min", d.infrastructure_min);
    c.share("district.infrastructure_max", d.infrastructure_max);
    if d.infrastructure_min > d.infrastructure_max {
        c.fail(
            "district.infrastructure_max",
            "must not be below district.infrastructure_min".into(),
        );
    }
    c.range("district.distance_km_mean", d.distance_km_mean, 0.0, 1000.0);
    c.share("district.cohesion_min", d.cohesion_min);
    c.share("district.cohesion_max", d.cohesion_max);
    if d.cohesion_min > d.cohesion_max {
        c.fail(
            "district.cohesion_max",
            "must not be below district.cohesion_min".into(),
        );
    }
    c.int(
        "district.candidates_per_village",
        d.candidates_per_village,
        1,
        s.products.len().max(1) as u32,
    );

    let h = &s.households;
    c.range("households.members_mean", h.members_mean, 1.0, 15.0);
    c.share("households.workers_per_member", h.workers_per_member);
    c.share("households.landless_share", h.landless_share);
    c.range("households.land_median_ha", h.land_median_ha, 0.01, 100.0);
    c.range("households.land_sigma", h.land_sigma, 0.0, 3.0);
    c.share("households.raw_crop_share", h.raw_crop_share);
    c.share("households.raw_crop_share_max", h.raw_crop_share_max);
    c.non_negative("households.other_income_median", h.other_income_median);
    c.range(
        "households.other_income_sigma",
        h.other_income_sigma,
        0.0,
        3.0,
    );
    c.range("households.savings_months", h.savings_months, 0.0, 120.0);
    c.share(
        "households.consumption_propensity",
        h.consumption_propensity,
    );
    c.range(
        "households.subsistence_share",
        h.subsistence_share,
        0.0,
        3.0,
    );

    c.range("households.income_shock_sd", h.income_shock_sd, 0.0, 2.0);
    c.range(
        "households.income_shock_persistence",
        h.income_shock_persistence,
        0.0,
        0.999,
    );

    let e = &s.economy;
    c.positive("economy.poverty_line", e.poverty_line);
    c.non_negative("economy.casual_wage_day", e.casual_wage_day);
    c.range("economy.casual_days", e.casual_days, 0.0, 31.0);
    c.non_negative("economy.staple_return_ha", e.staple_return_ha);
    c.non_negative("economy.group_wage", e.group_wage);
    c.non_negative("economy.firm_wage", e.firm_wage);
    c.range("economy.background_growth", e.background_growth, -0.2, 0.2);
    c.range(
        "economy.local_multiplier_days",
        e.local_multiplier_days,
        0.0,
        10.0,
    );
    c.share("economy.raw_crop_cost_share", e.raw_crop_cost_share);

    let a = &s.adoption;
    c.range("adoption.bass_p", a.bass_p, 0.0, 5.0);
    c.range("adoption.bass_q", a.bass_q, 0.0, 5.0);
    c.range("adoption.bass_p_background", a.bass_p_background, 0.0, 5.0);
    c.range("adoption.threshold_mean", a.threshold_mean, 0.0, 10.0);
    c.range("adoption.threshold_sigma", a.threshold_sigma, 0.0, 3.0);
    c.range("adoption.ownership_ovop", a.ownership_ovop, 0.0, 2.0);
    c.range("adoption.ownership_kawasan", a.ownership_kawasan, 0.0, 2.0);
    c.range("adoption.promised_gain", a.promised_gain, 0.0, 10.0);
    c.int("adoption.leave_after_months", a.leave_after_months, 1, 600);
    c.share("adoption.leave_probability", a.leave_probability);

    let g = &s.groups;
    c.int("groups.max_per_village", g.max_per_village, 1, 10);
    c.int("groups.min_members", g.min_members, 1, 1000);
    c.share("groups.leader_probability", g.leader_probability);
    c.range(
        "groups.initial_capacity_t",
        g.initial_capacity_t,
        0.001,
        1e6,
    );
    c.non_negative("groups.founding_contribution", g.founding_contribution);
    c.share("groups.profit_share", g.profit_share);
    c.share("groups.other_cost_share", g.other_cost_share);
    c.range("groups.member_raw_premium", g.member_raw_premium, 0.0, 2.0);
    c.range("groups.expansion_step", g.expansion_step, 0.0, 5.0);
    c.share("groups.upkeep_share", g.upkeep_share);
    c.share("groups.quality_decay", g.quality_decay);
    c.share("groups.quality_gain", g.quality_gain);
    c.int(
        "groups.dormant_after_months",
        g.dormant_after_months,
        1,
        600,
    );
    c.int(
        "groups.dissolve_after_months",
        g.dissolve_after_months,
        1,
        600,
    );
    c.share("groups.bottleneck_probability", g.bottleneck_probability);
    c.share("groups.bottleneck_loss", g.bottleneck_loss);
    c.non_negative("groups.local_demand_kg", g.local_demand_kg);
    c.non_negative("groups.promoted_demand_t", g.promoted_demand_t);
    c.non_negative("groups.website_demand_t", g.website_demand_t);
    c.share("groups.inventory_loss", g.inventory_loss);
    c.share("groups.outside_raw_share", g.outside_raw_share);
    c.share("groups.core_staff_share", g.core_staff_share);
    c.range("groups.reserve_months", g.reserve_months, 0.0, 120.0);
    c.positive("groups.market_t", g.market_t);
    c.range("groups.price_elasticity", g.price_elasticity, 0.0, 5.0);

    let f = &s.firms;
    c.int("firms.per_district", f.per_district, 0, 1000);
    c.int(
        "firms.products_per_firm",
        f.products_per_firm,
        1,
        s.products.len().max(1) as u32,
    );
    c.non_negative("firms.capacity_t", f.capacity_t);
    c.range("firms.capacity_growth", f.capacity_growth, 0.0, 5.0);
    c.non_negative("firms.max_capacity_t", f.max_capacity_t);
    c.share("firms.export_access_share", f.export_access_share);
    c.share("firms.contact_probability", f.contact_probability);
    c.share("firms.agreement_probability", f.agreement_probability);
    c.int(
        "firms.equilibrium_after_months",
        f.equilibrium_after_months,
        1,
        600,
    );
    c.range("firms.contract_markup", f.contract_markup, -0.5, 2.0);
    c.range("firms.equilibrium_bonus", f.equilibrium_bonus, 0.0, 2.0);
    c.range("firms.side_sell_gap", f.side_sell_gap, 0.0, 5.0);
    c.share("firms.trust_floor", f.trust_floor);
    c.share("firms.trust_speed", f.trust_speed);
    c.share("firms.mediation_probability", f.mediation_probability);
    c.share("firms.input_advance_share", f.input_advance_share);
    c.range("firms.jobs_per_t", f.jobs_per_t, 0.0, 100.0);
    c.non_negative("firms.base_staff", f.base_staff);
    c.range("firms.margin", f.margin, 0.0, 5.0);

    let p = &s.programme;
    c.int("programme.target_villages", p.target_villages, 1, 100_000);
    c.int("programme.duration_years", p.duration_years, 0, 100);
    c.share("programme.effect_decay", p.effect_decay);
    for (kind, v) in &p.saturation {
        c.positive(&format!("programme.saturation.{}", kind.name()), *v);
    }
    if p.calendar.len() != 12 {
        c.fail(
            "programme.calendar",
            format!("must list 12 monthly shares, got {}", p.calendar.len()),
        );
    } else {
        c.sum_to_one("programme.calendar", &p.calendar);
    }
    c.share("programme.adaptive_shift", p.adaptive_shift);
    c.share("programme.grant_share", p.grant_share);

    let k = &s.coordination;
    c.share("coordination.quality", k.quality);
    c.share("coordination.delivery_min", k.delivery_min);
    c.share("coordination.delivery_max", k.delivery_max);
    c.range(
        "coordination.delay_max_months",
        k.delay_max_months,
        0.0,
        11.0,
    );
    c.share("coordination.resolution_min", k.resolution_min);
    c.share("coordination.resolution_max", k.resolution_max);
    c.share("coordination.continuity_min", k.continuity_min);
    c.share("coordination.continuity_max", k.continuity_max);
    c.int(
        "coordination.election_interval_years",
        k.election_interval_years,
        0,
        100,
    );
    c.share(
        "coordination.election_survival_min",
        k.election_survival_min,
    );
    c.share(
        "coordination.election_survival_max",
        k.election_survival_max,
    );

    let i = &s.information;
    c.share("information.quality", i.quality);
    c.range("information.noise_max", i.noise_max, 0.0, 2.0);
    c.range("information.local_noise", i.local_noise, 0.0, 2.0);

    let fi = &s.finance;
    c.range("finance.kur_supply", fi.kur_supply, 0.0, 2.0);
    c.share("finance.kur_approval", fi.kur_approval);
    c.non_negative("finance.kur_supermicro_max", fi.kur_supermicro_max);
    c.share("finance.kur_supermicro_rate", fi.kur_supermicro_rate);
    if fi.kur_micro_rates.is_empty() {
        c.fail(
            "finance.kur_micro_rates",
            "must list at least one rate".into(),
        );
    }
    for (ix, r) in fi.kur_micro_rates.iter().enumerate() {
        c.share(&format!("finance.kur_micro_rates[{ix}]"), *r);
    }
    c.non_negative("finance.kur_small_max", fi.kur_small_max);
    c.share("finance.commercial_rate", fi.commercial_rate);
    c.share("finance.commercial_approval", fi.commercial_approval);
    c.share("finance.informal_rate_month", fi.informal_rate_month);
    c.int("finance.term_months", fi.term_months, 1, 600);
    c.int("finance.distress_months", fi.distress_months, 1, 600);
    c.non_negative("finance.land_price_ha", fi.land_price_ha);

    let w = &s.weather;
    c.range(
        "weather.el_nino_every_years",
        w.el_nino_every_years,
        0.5,
        1000.0,
    );
    c.range(
        "weather.la_nina_every_years",
        w.la_nina_every_years,
        0.5,
        1000.0,
    );
    c.range("weather.event_months", w.event_months, 1.0, 60.0);
    c.range(
        "weather.anomaly_persistence",
        w.anomaly_persistence,
        0.0,
        0.99,
    );
    c.range("weather.anomaly_noise", w.anomaly_noise, 0.0, 5.0);
    c.share("weather.flood_probability", w.flood_probability);
    c.share("weather.flood_inventory_loss", w.flood_inventory_loss);
    c.share("weather.flood_capacity_loss", w.flood_capacity_loss);
    c.range("weather.climate_trend", w.climate_trend, -1.0, 1.0);

    let pr = &s.prices;
    c.share("prices.reversion", pr.reversion);
    c.range("prices.jumps_per_year", pr.jumps_per_year, 0.0, 12.0);
    c.range("prices.jump_sd", pr.jump_sd, 0.0, 3.0);
    c.share("prices.domestic_pass", pr.domestic_pass);
    c.share("prices.farmgate_pass", pr.farmgate_pass);

    for (ix, ag) in s.agencies.iter().enumerate() {
        let key = |f: &str| format!("agencies[{ix}].{f}");
        if ag.name.trim().is_empty() {
            c.fail(&key("name"), "must not be empty".into());
        }
        c.non_negative(&key("budget"), ag.budget);
        for (kind, v) in &ag.mix {
            c.non_negative(&key(&format!("mix.{}", kind.name())), *v);
        }
        let shares: Vec<f64> = ag.mix.values().copied().collect();
        c.sum_to_one(&key("mix"), &shares);
    }

    for (ix, pd) in s.products.iter().enumerate() {
        let key = |f: &str| format!("products[{ix}].{f}");
        if pd.name.trim().is_empty() || pd.name == "all" {
            c.fail(&key("name"), "must be non-empty and not \"all\"".into());
        }
        if s.products[..ix].iter().any(|o| o.name == pd.name) {
            c.fail(&key("name"), format!("duplicate product {:?}", pd.name));
        }
        c.non_negative(&key("raw_yield_kg_ha"), pd.raw_yield_kg_ha);
        c.int(&key("peak_month"), pd.peak_month, 1, 12);
        c.share(&key("seasonality"), pd.seasonality);
        c.positive(&key("farmgate_price"), pd.farmgate_price);
        c.range(&key("conversion"), pd.conversion, 0.001, 10.0);
        c.positive(&key("domestic_price"), pd.domestic_price);
        c.positive(&key("export_price"), pd.export_price);
        c.range(&key("labour_per_t"), pd.labour_per_t, 0.0, 1000.0);
        c.non_negative(&key("capital_per_t"), pd.capital_per_t);
        c.share(&key("drought_loss"), pd.drought_loss);
        c.range(&key("volatility"), pd.volatility, 0.0, 1.0);
        for (t, v) in pd.tier_premium.iter().enumerate() {
            c.range(&key(&format!("tier_premium[{t}]")), *v, 0.0, 5.0);
        }
    }

    let end_year = s.start_year + s.years as i32;
    for (ix, ev) in s.events.weather.iter().enumerate() {
        let key = |f: &str| format!("events.weather[{ix}].{f}");
        c.range(
            &key("year"),
            ev.year as f64,
            s.start_year as f64,
            (end_year - 1) as f64,
        );
        c.int(&key("month"), ev.month, 1, 12);
        c.int(&key("duration_months"), ev.duration_months, 1, 1200);
        c.share(&key("severity"), ev.severity);
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
        c.range(
            &key("year"),
            ev.year as f64,
            s.start_year as f64,
            (end_year - 1) as f64,
        );
        c.int(&key("month"), ev.month, 1, 12);
        c.range(&key("change"), ev.change, -0.95, 10.0);
        c.int(&key("duration_months"), ev.duration_months, 1, 1200);
        c.int(&key("recovery_months"), ev.recovery_months, 0, 1200);
    }
    c
}
