//! Charts and the printed summary of a finished sweep: a metric at one year against the varied keys (grid line, hypercube scatter, heatmap).
//!
//! Every value is the mean across the replications of a point; its
//! uncertainty is the 95% t interval of that mean, which each chart draws
//! (bands, smoother bands) or states (heatmaps, whose cells carry one
//! number).

use std::fmt::Write;

use super::charts::{Chart, Heatmap, Plot, Point, Series, heatmap_chart};
use super::format::{decimals_for, display_unit, group_thousands, metric_label, priced_unit};
use super::sweep::PointResults;
use crate::metrics::METRICS;
use crate::stats::{Summary, summarize};
use crate::study::Design;

/// One metric at one year of a sweep's points.
pub struct Response<'a> {
    pub design: &'a Design,
    pub points: &'a [PointResults],
    /// Index into `METRICS`.
    pub metric: usize,
    /// Simulated year (month `12 * year`).
    pub year: u32,
}

impl Response<'_> {
    /// The metric across replications at point `p`, if the point recorded that month.
    fn at(&self, p: usize) -> Option<Summary> {
        let pr = &self.points[p];
        let row = pr
            .months
            .iter()
            .position(|m| *m == self.year as usize * 12)?;
        Some(summarize(&pr.results.column(row, self.metric)))
    }

    /// The numeric value of key `k` at point `p`.
    fn value(&self, p: usize, k: usize) -> Option<f64> {
        self.design.points[p][k]
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
    }

    /// Whether every point has a number for key `k`.
    fn numeric(&self, k: usize) -> bool {
        (0..self.design.points.len()).all(|p| self.value(p, k).is_some())
    }

    fn reps(&self) -> usize {
        self.points.first().map_or(0, |p| p.results.runs.len())
    }

    /// The metric's unit as charts label it (money in start-year prices).
    fn unit(&self) -> String {
        let year = self.points.first().map_or(0, |p| p.results.start_year);
        priced_unit(METRICS[self.metric].unit, year)
    }

    fn name(&self) -> &'static str {
        METRICS[self.metric].name
    }

    fn title(&self, what: &str) -> String {
        format!("{} in year {} {what}", metric_label(self.name()), self.year)
    }

    /// "mean across N replications" with a warning when one gives no interval.
    fn reps_text(&self) -> String {
        match self.reps() {
            1 => "the one replication (no confidence interval: run --reps 2 or more)".into(),
            n => format!("the mean across {n} replications"),
        }
    }
}

/// A one-key numeric grid: the metric's mean against the varied value, with its 95% CI band.
pub fn grid_chart(r: &Response) -> Option<Chart> {
    if r.design.keys.len() != 1 || !r.numeric(0) {
        return None;
    }
    let mut rows: Vec<(f64, Summary)> = (0..r.design.points.len())
        .filter_map(|p| Some((r.value(p, 0)?, r.at(p)?)))
        .collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let x: Vec<f64> = rows.iter().map(|(x, _)| *x).collect();
    let y: Vec<f64> = rows.iter().map(|(_, s)| s.mean).collect();
    let lo: Vec<f64> = rows.iter().map(|(_, s)| s.ci95_low).collect();
    let hi: Vec<f64> = rows.iter().map(|(_, s)| s.ci95_high).collect();
    let points = x
        .iter()
        .zip(&y)
        .map(|(&x, &y)| Point {
            x,
            y,
            label: None,
            x_ci: None,
            y_ci: None,
        })
        .collect();
    let band = (r.reps() > 1).then_some((lo, hi));
    Some(Chart {
        title: r.title(&format!("by {}", r.design.keys[0])),
        note: format!(
            "Points and line: {} at each grid value. Band: 95% confidence interval of the mean; replication r of every point shares its random streams.",
            r.reps_text()
        ),
        x_label: r.design.keys[0].clone(),
        unit: r.unit(),
        difference: false,
        plot: Plot::Scatter {
            points,
            points_label: "mean at a grid value".into(),
            point_style: 0,
            line: Some(Series {
                label: "mean".into(),
                style: 1,
                x,
                y,
                band,
            }),
            band_label: Some("95% CI of the mean".into()),
            x_in_unit: false,
            rays: false,
        },
    })
}

/// A Latin hypercube: one scatter per sampled key, each with a binned-mean smoother and its 95% CI.
pub fn hypercube_charts(r: &Response) -> Vec<(String, Chart)> {
    (0..r.design.keys.len())
        .filter(|&k| r.numeric(k))
        .filter_map(|k| {
            let rows: Vec<(f64, f64)> = (0..r.design.points.len())
                .filter_map(|p| Some((r.value(p, k)?, r.at(p)?.mean)))
                .collect();
            if rows.is_empty() {
                return None;
            }
            let line = binned_means(&rows).map(|(x, y, lo, hi)| Series {
                label: format!("binned mean ({} bins of equal count)", x.len()),
                style: 1,
                x,
                y,
                band: Some((lo, hi)),
            });
            let others = if r.design.keys.len() > 1 {
                " The other sampled keys vary too, so the spread includes their effects."
            } else {
                ""
            };
            let key = &r.design.keys[k];
            let chart = Chart {
                title: r.title(&format!("against {key}")),
                note: format!(
                    "Each point: {} at one sampled point. Line: mean of the points in each bin, band: its 95% confidence interval.{others}",
                    r.reps_text()
                ),
                x_label: key.clone(),
                unit: r.unit(),
                difference: false,
                plot: Plot::Scatter {
                    points: rows
                        .iter()
                        .map(|&(x, y)| Point {
                            x,
                            y,
                            label: None,
                            x_ci: None,
                            y_ci: None,
                        })
                        .collect(),
                    points_label: "sampled point".into(),
                    point_style: 0,
                    line,
                    band_label: Some("95% CI of the bin mean".into()),
                    x_in_unit: false,
                    rays: false,
                },
            };
            Some((key.clone(), chart))
        })
        .collect()
}

/// Bin x, mean y, and the 95% CI of the bin mean, for about sqrt(n) bins of
/// equal count (2 to 10); none below six points, where bins of two or three
/// give no useful interval.
type Binned = (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>);

fn binned_means(rows: &[(f64, f64)]) -> Option<Binned> {
    let n = rows.len();
    if n < 6 {
        return None;
    }
    let mut sorted = rows.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let bins = ((n as f64).sqrt().round() as usize).clamp(2, 10);
    let mut out: Binned = Default::default();
    for b in 0..bins {
        let part = &sorted[b * n / bins..(b + 1) * n / bins];
        let xs: Vec<f64> = part.iter().map(|r| r.0).collect();
        let s = summarize(&part.iter().map(|r| r.1).collect::<Vec<_>>());
        out.0.push(summarize(&xs).mean);
        out.1.push(s.mean);
        out.2.push(s.ci95_low);
        out.3.push(s.ci95_high);
    }
    Some(out)
}

/// A two-key numeric grid: cell means, with the width of their 95% CIs stated in the note.
pub fn heatmap(r: &Response) -> Option<Chart> {
    if r.design.keys.len() != 2 || !r.numeric(0) || !r.numeric(1) {
        return None;
    }
    let axis = |k: usize| {
        let mut values: Vec<f64> = Vec::new();
        for p in 0..r.design.points.len() {
            let v = r.value(p, k).expect("checked numeric");
            if !values.contains(&v) {
                values.push(v);
            }
        }
        values.sort_by(f64::total_cmp);
        values
    };
    let (xs, ys) = (axis(0), axis(1));
    let mut means = vec![vec![f64::NAN; xs.len()]; ys.len()];
    let mut halves = Vec::new();
    for p in 0..r.design.points.len() {
        let (x, y) = (r.value(p, 0)?, r.value(p, 1)?);
        let ix = xs.iter().position(|v| *v == x).expect("x on its axis");
        let iy = ys.iter().position(|v| *v == y).expect("y on its axis");
        if let Some(s) = r.at(p) {
            means[iy][ix] = s.mean;
            halves.push((s.ci95_high - s.ci95_low) / 2.0);
        }
    }
    let m = &METRICS[r.metric];
    let title = r.title("");
    Some(heatmap_chart(&Heatmap {
        x_name: &r.design.keys[0],
        x_values: &xs,
        y_name: &r.design.keys[1],
        y_values: &ys,
        means: &means,
        metric: &metric_label(m.name),
        unit: &r.unit(),
        year: r.year,
        title: title.trim_end(),
        half_widths: &halves,
        replications: r.reps(),
    }))
}

/// Rows printed at most; the rest are in sweep.csv.
const SUMMARY_ROWS: usize = 20;

/// The printed answer of a sweep: the metric at the year for each point (at
/// most 20 rows, the highest and lowest means when there are more).
pub fn summary(r: &Response) -> String {
    let m = &METRICS[r.metric];
    let (factor, unit) = display_unit(m.unit, false);
    let mut rows: Vec<(usize, Summary)> = (0..r.design.points.len())
        .filter_map(|p| Some((p, r.at(p)?)))
        .collect();
    let mut out = format!(
        "{} in year {} ({unit}), {} per point:\n",
        metric_label(m.name),
        r.year,
        match r.reps() {
            1 => "1 replication, no CI".to_string(),
            n => format!("mean and 95% CI over {n} replications"),
        }
    );
    let cut = rows.len() > SUMMARY_ROWS;
    if cut {
        rows.sort_by(|a, b| b.1.mean.total_cmp(&a.1.mean));
        let _ = writeln!(
            out,
            "(the {} highest and {} lowest of {} points; all in sweep.csv)",
            SUMMARY_ROWS / 2,
            SUMMARY_ROWS / 2,
            rows.len()
        );
        rows.drain(SUMMARY_ROWS / 2..rows.len() - SUMMARY_ROWS / 2);
    }
    let halves: Vec<f64> = rows
        .iter()
        .map(|(_, s)| (s.ci95_high - s.ci95_low) / 2.0 * factor)
        .collect();
    let means: Vec<f64> = rows.iter().map(|(_, s)| s.mean * factor).collect();
    let d = decimals_for(&halves, &means);
    let mut table: Vec<Vec<String>> = vec![
        std::iter::once("point".to_string())
            .chain(r.design.keys.iter().cloned())
            .chain(["mean".into(), "95% CI".into()])
            .collect(),
    ];
    for (p, s) in &rows {
        let f = |v: f64| group_thousands(v * factor, d, ",", "-");
        let ci = if s.n > 1 {
            format!("{} to {}", f(s.ci95_low), f(s.ci95_high))
        } else {
            "no CI".into()
        };
        table.push(
            std::iter::once(p.to_string())
                .chain(
                    r.design.points[*p]
                        .iter()
                        .map(|v| v.trim_matches('"').to_string()),
                )
                .chain([f(s.mean), ci])
                .collect(),
        );
    }
    let widths: Vec<usize> = (0..table[0].len())
        .map(|c| {
            table
                .iter()
                .map(|row| row[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &table {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:>w$}"))
            .collect();
        let _ = writeln!(out, "  {}", cells.join("  "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::N_METRICS;
    use crate::results::{RunOutput, ScenarioResults};

    /// Points whose metric 0 at month 12 is `level(p) + replication`.
    fn sweep(
        values: &[&str],
        reps: u32,
        level: impl Fn(usize) -> f64,
    ) -> (Design, Vec<PointResults>) {
        let design = Design {
            keys: vec!["coordination.quality".into()],
            points: values.iter().map(|v| vec![v.to_string()]).collect(),
        };
        let points = (0..values.len())
            .map(|p| PointResults {
                months: vec![0, 12],
                results: ScenarioResults {
                    name: "s".into(),
                    label: "s".into(),
                    start_year: 2025,
                    runs: (0..reps)
                        .map(|r| {
                            let mut run = RunOutput::with_months(r, 1);
                            run.push_row(&[0.0; N_METRICS]);
                            run.push_row(&[level(p) + f64::from(r); N_METRICS]);
                            run
                        })
                        .collect(),
                },
            })
            .collect();
        (design, points)
    }

    #[test]
    fn grid_line_follows_sorted_values_with_a_band() {
        let (design, points) = sweep(&["0.8", "0.2", "0.5"], 3, |p| 10.0 * p as f64);
        let r = Response {
            design: &design,
            points: &points,
            metric: 0,
            year: 1,
        };
        let chart = grid_chart(&r).unwrap();
        let Plot::Scatter {
            line: Some(line), ..
        } = &chart.plot
        else {
            panic!()
        };
        assert_eq!(line.x, vec![0.2, 0.5, 0.8]);
        // Means are level + 1 (replications 0, 1, 2); 0.2 is point 1.
        assert_eq!(line.y, vec![11.0, 21.0, 1.0]);
        let (lo, hi) = line.band.clone().unwrap();
        assert!(lo[0] < 11.0 && hi[0] > 11.0);
        assert!(chart.title.starts_with("Mean income per capita in year 1"));
        let text = summary(&r);
        assert!(
            text.contains("mean and 95% CI over 3 replications"),
            "{text}"
        );
        assert!(text.lines().count() == 5, "{text}");
    }

    #[test]
    fn one_replication_says_no_ci() {
        let (design, points) = sweep(&["0.2", "0.5"], 1, |p| p as f64);
        let r = Response {
            design: &design,
            points: &points,
            metric: 0,
            year: 1,
        };
        let Plot::Scatter {
            line: Some(line), ..
        } = grid_chart(&r).unwrap().plot
        else {
            panic!()
        };
        assert!(line.band.is_none());
        let text = summary(&r);
        assert!(text.contains("no CI") && !text.contains('\u{b1}'), "{text}");
    }

    #[test]
    fn hypercube_smoother_bins_equal_counts() {
        let values: Vec<String> = (0..16)
            .map(|i| format!("{}", f64::from(i) / 16.0))
            .collect();
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let (design, points) = sweep(&refs, 2, |p| p as f64);
        let r = Response {
            design: &design,
            points: &points,
            metric: 0,
            year: 1,
        };
        let charts = hypercube_charts(&r);
        assert_eq!(charts.len(), 1);
        let Plot::Scatter {
            points,
            line: Some(line),
            ..
        } = &charts[0].1.plot
        else {
            panic!()
        };
        assert_eq!(points.len(), 16);
        // Four bins of four points: point means 0.5..15.5, bin means 2, 6, 10, 14.
        assert_eq!(line.y, vec![2.0, 6.0, 10.0, 14.0]);
        assert!(binned_means(&[(0.0, 1.0); 5]).is_none());
    }

    #[test]
    fn summary_keeps_highest_and_lowest_of_many_points() {
        let values: Vec<String> = (0..30).map(|i| i.to_string()).collect();
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let (design, points) = sweep(&refs, 2, |p| p as f64);
        let r = Response {
            design: &design,
            points: &points,
            metric: 0,
            year: 1,
        };
        let text = summary(&r);
        assert!(
            text.contains("the 10 highest and 10 lowest of 30 points"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 2 + 1 + 20);
    }
}
