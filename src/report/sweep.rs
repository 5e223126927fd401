//! Tidy tables of a sweep: one row per point (points.csv), per point, metric and month (sweep.csv), and per replication (sweep_runs.csv).

use super::csv::{push_f64, push_text};
use crate::metrics::METRICS;
use crate::results::ScenarioResults;
use crate::stats::summarize;
use crate::study::Design;
use std::fmt::Write;

/// The recorded results of one sweep point, thinned to the recorded months.
#[derive(Debug, Clone)]
pub struct PointResults {
    /// Simulated month of each recorded row.
    pub months: Vec<usize>,
    /// Replications, with one row per entry of `months`.
    pub results: ScenarioResults,
}

/// The varied values of a point as CSV fields (TOML strings unquoted).
fn push_point(out: &mut String, design: &Design, p: usize) {
    let _ = write!(out, "{p}");
    for v in &design.points[p] {
        out.push(',');
        let v = v.trim();
        let unquoted = v
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .unwrap_or(v);
        push_text(out, unquoted);
    }
}

fn header(design: &Design, rest: &str) -> String {
    let mut out = String::from("point");
    for k in &design.keys {
        out.push(',');
        push_text(&mut out, k);
    }
    out.push(',');
    out.push_str(rest);
    out.push('\n');
    out
}

/// `points.csv`: the design, one row per point.
pub fn points_csv(design: &Design) -> Vec<u8> {
    let mut out = header(design, "");
    out.pop();
    out.pop();
    out.push('\n');
    for p in 0..design.points.len() {
        push_point(&mut out, design, p);
        out.push('\n');
    }
    out.into_bytes()
}

/// `sweep.csv`: one row per (point, metric, month) summarising the replications.
pub fn sweep_csv(design: &Design, points: &[PointResults]) -> Vec<u8> {
    let mut out = header(
        design,
        "metric,month,mean,sd,ci95_low,ci95_high,p05,p50,p95,n",
    );
    for (p, pr) in points.iter().enumerate() {
        for (metric, m) in METRICS.iter().enumerate() {
            for (row, month) in pr.months.iter().enumerate() {
                let s = summarize(&pr.results.column(row, metric));
                push_point(&mut out, design, p);
                let _ = write!(out, ",{},{month}", m.name);
                for v in [s.mean, s.sd, s.ci95_low, s.ci95_high, s.p05, s.p50, s.p95] {
                    out.push(',');
                    push_f64(&mut out, v);
                }
                let _ = writeln!(out, ",{}", s.n);
            }
        }
    }
    out.into_bytes()
}

/// `sweep_runs.csv`: one row per (point, replication, month, metric).
pub fn sweep_runs_csv(design: &Design, points: &[PointResults]) -> Vec<u8> {
    let mut out = header(design, "replication,month,metric,value");
    for (p, pr) in points.iter().enumerate() {
        for run in &pr.results.runs {
            for (row, month) in pr.months.iter().enumerate() {
                for (metric, m) in METRICS.iter().enumerate() {
                    push_point(&mut out, design, p);
                    let _ = write!(out, ",{},{month},{},", run.replication, m.name);
                    push_f64(&mut out, run.get(row, metric));
                    out.push('\n');
                }
            }
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::N_METRICS;
    use crate::results::RunOutput;

    #[test]
    fn tables_have_varied_values_as_columns() {
        let design = Design {
            keys: vec!["coordination.quality".into(), "approach".into()],
            points: vec![vec!["0.5".into(), "\"ovop\"".into()]],
        };
        let mut run = RunOutput::with_months(0, 1);
        run.push_row(&[1.0; N_METRICS]);
        run.push_row(&[2.0; N_METRICS]);
        let points = vec![PointResults {
            months: vec![0, 12],
            results: ScenarioResults {
                name: "s".into(),
                label: "s".into(),
                start_year: 2025,
                runs: vec![run],
            },
        }];
        let pts = String::from_utf8(points_csv(&design)).unwrap();
        assert_eq!(pts, "point,coordination.quality,approach\n0,0.5,ovop\n");
        let sweep = String::from_utf8(sweep_csv(&design, &points)).unwrap();
        let mut lines = sweep.lines();
        assert_eq!(
            lines.next(),
            Some(
                "point,coordination.quality,approach,metric,month,mean,sd,ci95_low,ci95_high,p05,p50,p95,n"
            )
        );
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("0,0.5,ovop,income_per_capita,0,1,")
        );
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("0,0.5,ovop,income_per_capita,12,2,")
        );
        let runs = String::from_utf8(sweep_runs_csv(&design, &points)).unwrap();
        assert_eq!(runs.lines().count(), 1 + 2 * N_METRICS);
        assert!(runs.contains("\n0,0.5,ovop,0,12,income_per_capita,2\n"));
    }
}
