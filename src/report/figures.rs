//! The standard figures of a run or comparison: which charts, built from replications with the statistics in `stats`.
//!
//! Two kinds of band are drawn, and each chart says which:
//! - fan charts show the *spread of outcomes*: quantiles across replications
//!   (middle 50% and middle 95%), i.e. what a single district could see;
//! - overlay and difference charts show the *uncertainty of the mean*: the
//!   95% t confidence interval of the mean, and for differences the paired
//!   interval (replication r of every scenario shares its seed).

use super::charts::{Chart, ChartError, ChartOptions, Period, Plot, Series, chart_files};
use super::format::{metric_label, metric_unit, priced_unit, slug};
use crate::metrics;
use crate::results::ScenarioResults;
use crate::stats::{paired_diff, quantiles, summarize};

/// Metrics with a fan chart per scenario.
pub const FAN_METRICS: &[&str] = &["income_per_capita", "jobs_agroindustry", "poverty_rate"];

/// Metrics with an overlay and a difference chart when several scenarios are compared.
pub const OVERLAY_METRICS: &[&str] = &[
    "income_per_capita",
    "jobs_agroindustry",
    "poverty_rate",
    "member_share",
];

/// Income sources, stacked bottom to top.
const INCOME_SOURCES: &[(&str, &str)] = &[
    ("income_farm_per_capita", "own farm"),
    ("income_wage_per_capita", "wages"),
    ("income_profit_per_capita", "group profit shares"),
    (
        "income_other_per_capita",
        "other (transfers, remittances, trade)",
    ),
];

/// Certification tiers, stacked from none (bottom) to HACCP (top).
const TIERS: &[(&str, &str)] = &[
    ("groups_tier_none", "no certificate"),
    ("groups_tier_pirt", "PIRT"),
    ("groups_tier_sni", "SNI / halal"),
    ("groups_tier_gmp", "GMP"),
    ("groups_tier_haccp", "HACCP"),
];

/// Partnership stages in their order of progress.
const STAGES: &[(&str, &str)] = &[
    ("partnerships_communication", "communication (trial orders)"),
    ("partnerships_agreement", "agreement (binding contract)"),
    ("partnerships_equilibrium", "equilibrium"),
];

fn metric(name: &str) -> usize {
    metrics::index(name).unwrap_or_else(|| panic!("standard chart uses undeclared metric {name}"))
}

fn years_axis(res: &ScenarioResults) -> Vec<f64> {
    (0..res.rows())
        .map(|m| f64::from(res.start_year) + m as f64 / 12.0)
        .collect()
}

fn reps_text(res: &ScenarioResults) -> String {
    match res.runs.len() {
        1 => "1 replication".to_string(),
        n => format!("{n} replications"),
    }
}

/// Mean per month of `name` across replications.
fn mean_path(res: &ScenarioResults, name: &str) -> Vec<f64> {
    let m = metric(name);
    (0..res.rows())
        .map(|t| summarize(&res.column(t, m)).mean)
        .collect()
}

/// Fan chart: mean, middle 50% and middle 95% of replications per month.
pub fn fan_chart(res: &ScenarioResults, name: &str) -> Chart {
    let m = metric(name);
    let rows = res.rows();
    let mut mean = Vec::with_capacity(rows);
    let mut q: Vec<Vec<f64>> = (0..4).map(|_| Vec::with_capacity(rows)).collect();
    for t in 0..rows {
        let col = res.column(t, m);
        mean.push(summarize(&col).mean);
        for (qi, v) in q
            .iter_mut()
            .zip(quantiles(&col, &[0.025, 0.25, 0.75, 0.975]))
        {
            qi.push(v);
        }
    }
    let [q025, q25, q75, q975]: [Vec<f64>; 4] = q.try_into().expect("four quantiles");
    Chart {
        title: format!("{}: {}", metric_label(name), res.label),
        note: format!(
            "Bands show the spread of outcomes across {} (quantiles), not the uncertainty of the mean.",
            reps_text(res)
        ),
        x_label: "year".into(),
        unit: priced_unit(metric_unit(name), res.start_year),
        difference: false,
        plot: Plot::Fan {
            x: years_axis(res),
            mean,
            mean_label: "mean".into(),
            inner: (q25, q75, "middle 50% of replications".into()),
            outer: (q025, q975, "middle 95% of replications".into()),
        },
    }
}

/// Lines of `names` for one scenario, each with the 95% CI of its mean.
fn lines_of_metrics(res: &ScenarioResults, names: &[(&str, &str)], title: &str) -> Chart {
    let x = years_axis(res);
    let series = names
        .iter()
        .enumerate()
        .map(|(k, (name, label))| {
            let m = metric(name);
            let (y, lo, hi) = mean_ci(res, m);
            Series {
                label: (*label).to_string(),
                style: k,
                x: x.clone(),
                y,
                band: Some((lo, hi)),
            }
        })
        .collect();
    Chart {
        title: format!("{title}: {}", res.label),
        note: format!(
            "Lines: mean across {}. Bands: 95% confidence interval of the mean.",
            reps_text(res)
        ),
        x_label: "year".into(),
        unit: priced_unit(metric_unit(names[0].0), res.start_year),
        difference: false,
        plot: Plot::Lines {
            series,
            band_label: Some("95% CI of the mean".into()),
            zero_line: false,
        },
    }
}

/// Adoption S-curve: households aware of OVOP and households in groups.
pub fn adoption_chart(res: &ScenarioResults) -> Chart {
    lines_of_metrics(
        res,
        &[
            ("aware_share", "aware of OVOP (aware or member)"),
            ("member_share", "members of a producer group"),
        ],
        "Adoption",
    )
}

/// Partnerships by stage (lines, since stages are not parts of a whole that matters).
pub fn partnerships_chart(res: &ScenarioResults) -> Chart {
    lines_of_metrics(res, STAGES, "Group-firm partnerships by stage")
}

/// Stacked means of `layers`.
fn stacked(res: &ScenarioResults, layers: &[(&str, &str)], title: &str, note: &str) -> Chart {
    Chart {
        title: format!("{title}: {}", res.label),
        note: format!("Stacked means across {}. {note}", reps_text(res)),
        x_label: "year".into(),
        unit: priced_unit(metric_unit(layers[0].0), res.start_year),
        difference: false,
        plot: Plot::Stacked {
            x: years_axis(res),
            layers: layers
                .iter()
                .map(|(name, label)| ((*label).to_string(), mean_path(res, name)))
                .collect(),
        },
    }
}

/// Income per capita by source, stacked; the top edge is mean income per capita.
pub fn income_sources_chart(res: &ScenarioResults) -> Chart {
    stacked(
        res,
        INCOME_SOURCES,
        "Income per capita by source",
        "The top edge is total income per capita.",
    )
}

/// Active groups by certification tier, stacked; the top edge is all active groups.
pub fn tiers_chart(res: &ScenarioResults) -> Chart {
    stacked(
        res,
        TIERS,
        "Producer groups by certification tier",
        "The top edge is all active groups.",
    )
}

/// One line per scenario: mean and 95% CI of the mean of `name`.
pub fn overlay_chart(all: &[ScenarioResults], name: &str) -> Chart {
    let m = metric(name);
    let series = all
        .iter()
        .enumerate()
        .map(|(k, res)| {
            let (y, lo, hi) = mean_ci(res, m);
            Series {
                label: res.label.clone(),
                style: k,
                x: years_axis(res),
                y,
                band: Some((lo, hi)),
            }
        })
        .collect();
    Chart {
        title: metric_label(name),
        note: format!(
            "Lines: mean across {} per scenario. Bands: 95% confidence interval of the mean.",
            all.first().map_or_else(String::new, reps_text)
        ),
        x_label: "year".into(),
        unit: priced_unit(metric_unit(name), all.first().map_or(0, |r| r.start_year)),
        difference: false,
        plot: Plot::Lines {
            series,
            band_label: Some("95% CI of the mean".into()),
            zero_line: false,
        },
    }
}

/// Difference of each later scenario from the first, with the paired 95% CI.
///
/// Pairs by position in `runs` (replication r of every scenario shares a
/// seed); callers guarantee equal replication counts and horizons.
pub fn difference_chart(all: &[ScenarioResults], name: &str) -> Chart {
    let m = metric(name);
    let base = &all[0];
    let series = all
        .iter()
        .enumerate()
        .skip(1)
        .map(|(k, res)| {
            let rows = res.rows().min(base.rows());
            let (mut y, mut lo, mut hi) = (vec![], vec![], vec![]);
            for t in 0..rows {
                let d = paired_diff(&base.column(t, m), &res.column(t, m));
                y.push(d.mean);
                lo.push(d.ci95_low);
                hi.push(d.ci95_high);
            }
            let mut x = years_axis(res);
            x.truncate(rows);
            Series {
                label: format!("{} - {}", res.label, base.label),
                style: k,
                x,
                y,
                band: Some((lo, hi)),
            }
        })
        .collect();
    Chart {
        title: format!("{}: difference from {}", metric_label(name), base.label),
        note: format!(
            "Lines: mean difference, paired by replication ({}). Bands: paired 95% confidence interval.",
            reps_text(base)
        ),
        x_label: "year".into(),
        unit: priced_unit(metric_unit(name), base.start_year),
        difference: true,
        plot: Plot::Lines {
            series,
            band_label: Some("paired 95% CI".into()),
            zero_line: true,
        },
    }
}

/// The charts of one scenario, as (file stem, chart); `suffix` is appended to stems.
fn single_scenario(res: &ScenarioResults, suffix: &str) -> Vec<(String, Chart)> {
    let mut out: Vec<(String, Chart)> = FAN_METRICS
        .iter()
        .map(|name| (format!("{name}_fan{suffix}"), fan_chart(res, name)))
        .collect();
    out.push((format!("adoption{suffix}"), adoption_chart(res)));
    out.push((
        format!("income_by_source{suffix}"),
        income_sources_chart(res),
    ));
    out.push((format!("groups_by_tier{suffix}"), tiers_chart(res)));
    out.push((
        format!("partnerships_by_stage{suffix}"),
        partnerships_chart(res),
    ));
    out
}

/// The standard charts as (file stem, chart), without rendering.
///
/// `<metric>` for each of [`OVERLAY_METRICS`] is always there: every
/// scenario's mean with the 95% CI of the mean, so a run and a comparison
/// name the same chart alike. One scenario adds `income_per_capita_fan`,
/// `jobs_agroindustry_fan`, `poverty_rate_fan`, `adoption`,
/// `income_by_source`, `groups_by_tier` and `partnerships_by_stage`. Several
/// add `<metric>_diff` (against the first scenario) after each overlay, then
/// the one-scenario charts of every scenario with `_<scenario slug>` appended.
///
/// `metrics` replaces [`OVERLAY_METRICS`] when not empty.
pub fn standard_figures(all: &[ScenarioResults], metrics: &[&str]) -> Vec<(String, Chart)> {
    let overlays = if metrics.is_empty() {
        OVERLAY_METRICS
    } else {
        metrics
    };
    match all {
        [] => vec![],
        [one] => {
            let mut out: Vec<(String, Chart)> = overlays
                .iter()
                .map(|name| ((*name).to_string(), overlay_chart(all, name)))
                .collect();
            out.extend(single_scenario(one, ""));
            out
        }
        _ => {
            let mut out = Vec::new();
            for name in overlays {
                out.push(((*name).to_string(), overlay_chart(all, name)));
                out.push((format!("{name}_diff"), difference_chart(all, name)));
            }
            let mut used: Vec<String> = Vec::new();
            for (k, res) in all.iter().enumerate() {
                let mut s = slug(&res.name);
                // Distinct names can share a slug ("a-b", "a_b"); keep files apart.
                if used.contains(&s) {
                    s = format!("{s}_{k}");
                }
                used.push(s.clone());
                out.extend(single_scenario(res, &format!("_{s}")));
            }
            out
        }
    }
}

/// The standard charts (see [`standard_figures`]) as `<stem>.<format>`
/// files in the formats and order of `opts.formats`. Names carry no folder; callers put
/// them under `charts/`.
pub fn standard_charts(
    all: &[ScenarioResults],
    metrics: &[&str],
    opts: &ChartOptions,
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let mut files = Vec::new();
    for (stem, chart) in standard_figures(all, metrics) {
        files.extend(chart_files(&stem, &chart, opts)?);
    }
    Ok(files)
}

/// The shock periods of scenarios (as their manifests or configs serialise
/// them) for shading time charts: weather events for their duration, price
/// shocks through their recovery; the same period in several scenarios once.
pub fn shock_periods<'a>(
    scenarios: impl IntoIterator<Item = &'a serde_json::Value>,
) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for s in scenarios {
        let events = &s["events"];
        let start = |e: &serde_json::Value| {
            e["year"].as_f64().unwrap_or(f64::NAN)
                + (e["month"].as_f64().unwrap_or(1.0) - 1.0) / 12.0
        };
        let months = |e: &serde_json::Value, k: &str| e[k].as_f64().unwrap_or(0.0);
        let weather = events["weather"].as_array().into_iter().flatten().map(|e| {
            let kind = match e["kind"].as_str().unwrap_or("") {
                "el_nino" => "El Ni\u{f1}o",
                "la_nina" => "La Ni\u{f1}a",
                "flood" => "flood",
                other => other,
            };
            let a = start(e);
            Period {
                start: a,
                end: a + months(e, "duration_months") / 12.0,
                label: format!("{kind} {}", a.floor()),
            }
        });
        let price = events["price"].as_array().into_iter().flatten().map(|e| {
            let a = start(e);
            let change = e["change"].as_f64().unwrap_or(0.0) * 100.0;
            let product = match e["product"].as_str().unwrap_or("all") {
                "all" => "prices".to_string(),
                p => format!("{p} price"),
            };
            Period {
                start: a,
                end: a + (months(e, "duration_months") + months(e, "recovery_months")) / 12.0,
                label: format!("{product} {change:+.0}%"),
            }
        });
        for p in weather.chain(price) {
            if p.start.is_finite() && p.end > p.start && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out.sort_by(|a, b| a.start.total_cmp(&b.start));
    out
}

/// Mean and 95% CI of the mean of metric `m` at every month.
fn mean_ci(res: &ScenarioResults, m: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut y, mut lo, mut hi) = (vec![], vec![], vec![]);
    for t in 0..res.rows() {
        let s = summarize(&res.column(t, m));
        y.push(s.mean);
        lo.push(s.ci95_low);
        hi.push(s.ci95_high);
    }
    (y, lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::METRICS;
    use crate::results::flat;

    #[test]
    fn fan_bands_are_quantiles_of_replications() {
        // Replications 0..=40 at level 100: values 100..=140, so the 2.5% and
        // 97.5% quantiles are 101 and 139, the quartiles 110 and 130.
        let res = flat("s", 41, 2, 100.0);
        let Plot::Fan {
            x,
            mean,
            inner,
            outer,
            ..
        } = fan_chart(&res, "income_per_capita").plot
        else {
            panic!("not a fan");
        };
        assert_eq!(x, vec![2025.0, 2025.0 + 1.0 / 12.0, 2025.0 + 2.0 / 12.0]);
        assert_eq!(mean[1], 120.0);
        assert_eq!((inner.0[1], inner.1[1]), (110.0, 130.0));
        assert_eq!((outer.0[1], outer.1[1]), (101.0, 139.0));
    }

    #[test]
    fn difference_is_paired_against_first() {
        let all = [flat("base", 5, 1, 100.0), flat("ovop", 5, 1, 103.0)];
        let Plot::Lines {
            series, zero_line, ..
        } = difference_chart(&all, "jobs_agroindustry").plot
        else {
            panic!("not lines");
        };
        assert!(zero_line);
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].label, "ovop - base");
        assert_eq!(series[0].style, 1);
        // Every pair differs by exactly 3: the paired interval collapses.
        let (lo, hi) = series[0].band.clone().unwrap();
        assert!((series[0].y[0] - 3.0).abs() < 1e-12);
        assert!((lo[0] - 3.0).abs() < 1e-9 && (hi[0] - 3.0).abs() < 1e-9);
    }

    #[test]
    fn figure_sets_for_one_and_several_scenarios() {
        let one = standard_figures(&[flat("solo", 2, 12, 1.0)], &[]);
        let stems: Vec<&str> = one.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            stems,
            [
                "income_per_capita",
                "jobs_agroindustry",
                "poverty_rate",
                "member_share",
                "income_per_capita_fan",
                "jobs_agroindustry_fan",
                "poverty_rate_fan",
                "adoption",
                "income_by_source",
                "groups_by_tier",
                "partnerships_by_stage"
            ]
        );
        let all = [flat("Base line", 2, 12, 1.0), flat("base-line", 2, 12, 2.0)];
        let several = standard_figures(&all, &[]);
        let stems: Vec<&str> = several.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(stems.len(), 2 * OVERLAY_METRICS.len() + 2 * 7);
        assert!(stems.contains(&"income_per_capita_diff"));
        assert!(stems.contains(&"adoption_base_line"));
        assert!(stems.contains(&"adoption_base_line_1"));
        assert!(standard_figures(&[], &[]).is_empty());
        // Every metric the figures use is declared.
        for (name, _) in INCOME_SOURCES.iter().chain(TIERS).chain(STAGES) {
            assert!(METRICS.iter().any(|m| m.name == *name), "{name}");
        }
    }
}
