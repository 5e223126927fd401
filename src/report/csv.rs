//! CSV exporters: turn in-memory results into the bytes of `series.csv`, `summary.csv` and `comparison.csv`.
//!
//! Rows are written by hand rather than through the `csv` crate's record
//! writer because `series.csv` holds millions of cells and the fields are
//! simple; scenario names are still quoted per RFC 4180 when needed.

use std::fmt::Write;

use crate::metrics::METRICS;
use crate::results::ScenarioResults;
use crate::stats::{paired_diff, summarize};

/// Appends a float that parses back to the identical `f64` on any platform.
///
/// Rust's `Display` and `LowerExp` both print the shortest round-trip digits
/// and ignore locale. Plain decimal is used for the usual range; exponent
/// form only for tiny or huge magnitudes, where decimal would run to hundreds
/// of digits.
pub(crate) fn push_f64(out: &mut String, v: f64) {
    if !v.is_finite() {
        out.push_str("NaN");
        return;
    }
    let a = v.abs();
    // Writing into a String cannot fail, so the fmt::Result carries nothing.
    let _ = if a != 0.0 && !(1e-6..1e16).contains(&a) {
        write!(out, "{v:e}")
    } else {
        write!(out, "{v}")
    };
}

/// Appends a text field, quoting it only when it holds a delimiter, quote or line break.
pub(crate) fn push_text(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Appends an unsigned integer field.
fn push_usize(out: &mut String, v: usize) {
    let _ = write!(out, "{v}");
}

/// `series.csv`: one row per (replication, month, metric), replication outermost.
pub fn series_csv(results: &ScenarioResults) -> Vec<u8> {
    let mut out = Vec::new();
    write_series(results, &mut out).expect("writing to memory cannot fail");
    out
}

/// [`series_csv`] written to `w` one replication at a time, so that the text
/// of many replications is never held whole.
pub fn write_series(results: &ScenarioResults, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = String::from("scenario,replication,month,metric,value\n");
    let mut name = String::new();
    push_text(&mut name, &results.name);
    for run in &results.runs {
        for month in 0..run.rows() {
            for (metric, m) in METRICS.iter().enumerate() {
                out.push_str(&name);
                out.push(',');
                push_usize(&mut out, run.replication as usize);
                out.push(',');
                push_usize(&mut out, month);
                out.push(',');
                out.push_str(m.name);
                out.push(',');
                push_f64(&mut out, run.get(month, metric));
                out.push('\n');
            }
        }
        w.write_all(out.as_bytes())?;
        out.clear();
    }
    w.write_all(out.as_bytes())
}

/// `summary.csv`: one row per (metric, month), metric outermost in `METRICS` order,
/// summarising the replications.
pub fn summary_csv(results: &ScenarioResults) -> Vec<u8> {
    let mut out = String::from("scenario,metric,month,mean,sd,ci95_low,ci95_high,p05,p50,p95,n\n");
    let mut name = String::new();
    push_text(&mut name, &results.name);
    for (metric, m) in METRICS.iter().enumerate() {
        for month in 0..results.rows() {
            let s = summarize(&results.column(month, metric));
            out.push_str(&name);
            out.push(',');
            out.push_str(m.name);
            out.push(',');
            push_usize(&mut out, month);
            let ci = |v: f64| no_ci_from_one(s.n, v);
            let cells = [
                Some(s.mean),
                Some(s.sd),
                ci(s.ci95_low),
                ci(s.ci95_high),
                Some(s.p05),
                Some(s.p50),
                Some(s.p95),
            ];
            push_cells(&mut out, cells);
            out.push(',');
            push_usize(&mut out, s.n);
            out.push('\n');
        }
    }
    out.into_bytes()
}

/// A confidence bound, or `None` (an empty cell) from one replication,
/// whose interval would be the mean itself: a certainty it does not have.
fn no_ci_from_one(n: usize, bound: f64) -> Option<f64> {
    (n != 1).then_some(bound)
}

/// Appends `,value` for each cell, `,` alone for an empty one.
fn push_cells<const N: usize>(out: &mut String, cells: [Option<f64>; N]) {
    for v in cells {
        out.push(',');
        if let Some(v) = v {
            push_f64(out, v);
        }
    }
}

/// `comparison.csv`: one row per (scenario, metric, month), with the difference
/// from the first scenario paired by replication.
///
/// Callers guarantee that all scenarios have the same replications and months;
/// the first scenario's own difference is written as 0 with interval 0..0.
pub fn comparison_csv(all: &[ScenarioResults]) -> Vec<u8> {
    let mut out = String::from(
        "scenario,metric,month,mean,ci95_low,ci95_high,diff,diff_ci95_low,diff_ci95_high\n",
    );
    let Some(base) = all.first() else {
        return out.into_bytes();
    };
    for (k, results) in all.iter().enumerate() {
        let mut name = String::new();
        push_text(&mut name, &results.name);
        for (metric, m) in METRICS.iter().enumerate() {
            for month in 0..results.rows() {
                let column = results.column(month, metric);
                let s = summarize(&column);
                let (diff, low, high) = if k == 0 {
                    (0.0, 0.0, 0.0)
                } else {
                    let d = paired_diff(&base.column(month, metric), &column);
                    (d.mean, d.ci95_low, d.ci95_high)
                };
                out.push_str(&name);
                out.push(',');
                out.push_str(m.name);
                out.push(',');
                push_usize(&mut out, month);
                let ci = |v: f64| no_ci_from_one(s.n, v);
                let cells = [
                    Some(s.mean),
                    ci(s.ci95_low),
                    ci(s.ci95_high),
                    Some(diff),
                    ci(low),
                    ci(high),
                ];
                push_cells(&mut out, cells);
                out.push('\n');
            }
        }
    }
    out.into_bytes()
}

/// `effects.csv`: what each scenario achieves against the first (the
/// counterfactual, usually the no-programme baseline), paired by replication.
///
/// Per replication: jobs created = agro-industry jobs at the last month minus
/// the reference's; extra budget = the sum over months of budget allocated
/// minus the reference's; income gained = the sum over months of the income
/// per capita difference times the population. Cost per job and income per
/// rupiah are ratios of the means (no interval: a ratio of noisy means has
/// none worth printing with a t interval).
pub fn effects_csv(all: &[ScenarioResults]) -> Vec<u8> {
    use crate::metrics::M;
    let mut out = String::from(
        "scenario,reference,months,jobs_created,jobs_created_ci95_low,jobs_created_ci95_high,extra_budget_rp,cost_per_job_rp,income_gain_rp,income_gain_ci95_low,income_gain_ci95_high,income_per_rupiah\n",
    );
    let Some(base) = all.first() else {
        return out.into_bytes();
    };
    let last = base.rows().saturating_sub(1);
    let per_run = |r: &ScenarioResults| -> Vec<(f64, f64, f64)> {
        r.runs
            .iter()
            .zip(&base.runs)
            .map(|(run, reference)| {
                let jobs = run.get(last, M::JobsAgroindustry as usize)
                    - reference.get(last, M::JobsAgroindustry as usize);
                let mut budget = 0.0;
                let mut gain = 0.0;
                for t in 1..=last {
                    budget += run.get(t, M::BudgetAllocated as usize)
                        - reference.get(t, M::BudgetAllocated as usize);
                    gain += (run.get(t, M::IncomePerCapita as usize)
                        - reference.get(t, M::IncomePerCapita as usize))
                        * run.get(t, M::Population as usize);
                }
                (jobs, budget, gain)
            })
            .collect()
    };
    for results in &all[1..] {
        let rows = per_run(results);
        let zeros = vec![0.0; rows.len()];
        let jobs: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let gain: Vec<f64> = rows.iter().map(|r| r.2).collect();
        let budget = rows.iter().map(|r| r.1).sum::<f64>() / rows.len().max(1) as f64;
        let j = paired_diff(&zeros, &jobs);
        let g = paired_diff(&zeros, &gain);
        let ratio = |a: f64, b: f64| if b != 0.0 { a / b } else { f64::NAN };
        push_text(&mut out, &results.name);
        out.push(',');
        push_text(&mut out, &base.name);
        out.push(',');
        push_usize(&mut out, last);
        let ci = |v: f64| no_ci_from_one(rows.len(), v);
        let cells = [
            Some(j.mean),
            ci(j.ci95_low),
            ci(j.ci95_high),
            Some(budget),
            Some(ratio(budget, j.mean)),
            Some(g.mean),
            ci(g.ci95_low),
            ci(g.ci95_high),
            Some(ratio(g.mean, budget)),
        ];
        push_cells(&mut out, cells);
        out.push('\n');
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{N_METRICS, index};
    use crate::results::RunOutput;

    /// A scenario whose value at (rep, month, metric) is a distinct, awkward float.
    fn fake(name: &str, reps: u32, months: usize, shift: f64) -> ScenarioResults {
        let runs = (0..reps)
            .map(|r| {
                let mut run = RunOutput::with_months(r, months);
                for month in 0..=months {
                    let mut row = [0.0; N_METRICS];
                    for (i, v) in row.iter_mut().enumerate() {
                        *v = shift + 0.1 * r as f64 + month as f64 / 3.0 + i as f64 * 1e6;
                    }
                    run.push_row(&row);
                }
                run
            })
            .collect();
        ScenarioResults {
            name: name.to_string(),
            label: name.to_string(),
            start_year: 2025,
            runs,
        }
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn series_header_rows_and_round_trip() {
        let res = fake("base", 3, 4, 0.0);
        let csv = text(series_csv(&res));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "scenario,replication,month,metric,value");
        assert_eq!(lines.len(), 1 + 3 * 5 * N_METRICS);
        // Replication outermost, then month, then metric in METRICS order.
        assert!(lines[1].starts_with("base,0,0,income_per_capita,"));
        assert!(lines[2].starts_with(&format!("base,0,0,{},", METRICS[1].name)));
        assert!(lines[1 + N_METRICS].starts_with("base,0,1,income_per_capita,"));
        assert!(lines[1 + 5 * N_METRICS].starts_with("base,1,0,"));
        // Every value parses back to the exact stored float.
        for (k, line) in lines[1..].iter().enumerate() {
            let rep = k / (5 * N_METRICS);
            let month = (k / N_METRICS) % 5;
            let metric = k % N_METRICS;
            let value: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
            assert_eq!(value, res.runs[rep].get(month, metric), "{line}");
        }
    }

    #[test]
    fn floats_round_trip_and_non_finite_is_nan() {
        for v in [
            0.1 + 0.2,
            1.0 / 3.0,
            -2.5e-9,
            1.234_567_890_123_456_7e20,
            5e-324,
            f64::MAX,
            0.0,
            -0.0,
            123_456.0,
        ] {
            let mut s = String::new();
            push_f64(&mut s, v);
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), v.to_bits(), "{s}");
        }
        let mut s = String::new();
        push_f64(&mut s, f64::INFINITY);
        assert_eq!(s, "NaN");
    }

    #[test]
    fn names_with_commas_are_quoted() {
        let res = fake("a, \"b\"", 1, 0, 0.0);
        let csv = text(series_csv(&res));
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("\"a, \"\"b\"\"\",0,0,")
        );
    }

    #[test]
    fn summary_header_rows_and_values() {
        let res = fake("base", 4, 2, 0.0);
        let csv = text(summary_csv(&res));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "scenario,metric,month,mean,sd,ci95_low,ci95_high,p05,p50,p95,n"
        );
        assert_eq!(lines.len(), 1 + N_METRICS * 3);
        // Metric outermost: rows 1..=3 are income_per_capita months 0, 1, 2.
        assert!(lines[3].starts_with("base,income_per_capita,2,"));
        assert!(lines[4].starts_with(&format!("base,{},0,", METRICS[1].name)));
        let fields: Vec<&str> = lines[3].split(',').collect();
        let expected = summarize(&res.column(2, 0));
        assert_eq!(fields[3].parse::<f64>().unwrap(), expected.mean);
        assert_eq!(fields[5].parse::<f64>().unwrap(), expected.ci95_low);
        assert_eq!(fields[10], "4");
    }

    #[test]
    fn comparison_diff_is_against_first_scenario() {
        let all = [fake("base", 3, 1, 0.0), fake("ovop", 3, 1, 2.5)];
        let csv = text(comparison_csv(&all));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "scenario,metric,month,mean,ci95_low,ci95_high,diff,diff_ci95_low,diff_ci95_high"
        );
        assert_eq!(lines.len(), 1 + 2 * N_METRICS * 2);
        let base_row: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(base_row[..3], ["base", "income_per_capita", "0"]);
        assert_eq!(base_row[6..], ["0", "0", "0"]);
        let gini = index("gini").unwrap();
        let row = lines
            .iter()
            .find(|l| l.starts_with("ovop,gini,1,"))
            .unwrap();
        let fields: Vec<&str> = row.split(',').collect();
        let d = paired_diff(&all[0].column(1, gini), &all[1].column(1, gini));
        assert_eq!(fields[6].parse::<f64>().unwrap(), d.mean);
        assert!((d.mean - 2.5).abs() < 1e-9);
        assert_eq!(fields[7].parse::<f64>().unwrap(), d.ci95_low);
        assert!(comparison_csv(&[]).len() > 10);
    }
}
