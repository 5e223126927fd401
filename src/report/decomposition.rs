//! Decomposition reports: a programme effect split by channel as CSV, Markdown and LaTeX tables, waterfall charts and a terminal summary.
//!
//! Every format reads the same [`Decomposition`]; tables show one metric
//! each, with years as columns, shares in percent and their changes in
//! percentage points.

use std::fmt::Write;

use super::charts::{Chart, Plot, Step, StepKind};
use super::csv::{push_f64, push_text};
use super::format::{decimals_for, display_unit, group_thousands, metric_label, year_label};
use super::tables::{md_escape, tex_escape};
use crate::metrics::METRICS;
use crate::study::channels::Channel;
use crate::study::decompose::{Block, Estimate};

/// A decomposed programme effect, ready to report.
#[derive(Debug, Clone)]
pub struct Decomposition<'a> {
    /// Labels of the scenario and of its baseline.
    pub scenario: &'a str,
    pub baseline: &'a str,
    /// The method as result files name it, e.g. `sequential`.
    pub method: &'a str,
    /// Whether contributions depend on the order of `channels` (sequential).
    pub ordered: bool,
    /// The channels in the stated order.
    pub channels: &'a [&'static Channel],
    /// Metric indices (`metrics::METRICS`), one table and chart each.
    pub metrics: &'a [usize],
    /// `blocks[metric][year]`, years 0 to the horizon.
    pub blocks: &'a [Vec<Block>],
    /// Calendar year of month 1.
    pub start_year: i32,
    pub reps: usize,
    /// Channels left out, and why.
    pub notes: &'a [String],
}

impl Decomposition<'_> {
    fn horizon(&self) -> u32 {
        self.blocks
            .first()
            .map_or(0, |b| b.len().saturating_sub(1) as u32)
    }

    /// What the numbers are, in sentences.
    fn legend(&self) -> String {
        let mut s = format!(
            "Effect of {} against {}, split by channel: {}. ",
            self.scenario,
            self.baseline,
            self.method_text()
        );
        let _ = write!(
            s,
            "Each channel is switched off in both scenarios; replication r of every arm uses the same random streams, so every number is a mean over {} paired replications with its 95% confidence interval (Student t). ",
            self.reps
        );
        s.push_str("Remainder: the effect with every listed channel off, which none of them explains; contributions and remainder add up to the total effect. ");
        s.push_str("Knock-out: the total effect minus the effect with that channel alone off; it differs from the contribution where channels interact. ");
        s.push_str("Shares are in percent, their changes in percentage points.");
        s
    }

    fn ids(&self) -> Vec<&'static str> {
        self.channels.iter().map(|c| c.id).collect()
    }

    fn method_text(&self) -> String {
        if self.ordered {
            format!(
                "{}, channels switched off cumulatively in the order {}",
                self.method,
                self.ids().join(", ")
            )
        } else {
            format!("{} values over the channels", self.method)
        }
    }
}

/// `decomposition.csv`: for every metric and year end, the baseline level,
/// each channel's contribution and knock-out effect, the remainder, the
/// total effect and the scenario level, in metric units.
pub fn decomposition_csv(d: &Decomposition) -> Vec<u8> {
    let mut out = String::from(
        "channel,kind,metric,year,contribution,ci95_low,ci95_high,knockout,knockout_ci95_low,knockout_ci95_high,method,order\n",
    );
    for (m, blocks) in d.metrics.iter().zip(d.blocks) {
        let name = METRICS[*m].name;
        for (year, b) in blocks.iter().enumerate() {
            let mut row = |channel: &str,
                           kind: &str,
                           e: &Estimate,
                           k: Option<&Estimate>,
                           order: Option<usize>| {
                push_text(&mut out, channel);
                let _ = write!(out, ",{kind},{name},{year},");
                for v in [e.mean, e.low, e.high] {
                    push_f64(&mut out, v);
                    out.push(',');
                }
                match k {
                    Some(k) => {
                        for v in [k.mean, k.low, k.high] {
                            push_f64(&mut out, v);
                            out.push(',');
                        }
                    }
                    None => out.push_str(",,,"),
                }
                push_text(&mut out, d.method);
                out.push(',');
                if let Some(o) = order {
                    let _ = write!(out, "{o}");
                }
                out.push('\n');
            };
            row("baseline", "level", &b.baseline, None, None);
            for (i, id) in d.ids().iter().enumerate() {
                let order = d.ordered.then_some(i + 1);
                row(
                    id,
                    "channel",
                    &b.contributions[i],
                    Some(&b.knockouts[i]),
                    order,
                );
            }
            row("remainder", "remainder", &b.remainder, None, None);
            row("total", "total", &b.total, None, None);
            row("scenario", "level", &b.scenario, None, None);
        }
    }
    out.into_bytes()
}

/// A table's rows: label and one estimate per year, in display units.
struct Table {
    title: String,
    unit: String,
    change_unit: String,
    decimals: usize,
    /// (label, is a level, estimates per year); `None` marks the knock-out heading.
    rows: Vec<Option<(String, bool, Vec<Estimate>)>>,
}

impl Table {
    /// The unit of levels, and of changes where it differs (shares).
    fn units(&self) -> String {
        if self.unit == self.change_unit {
            self.unit.clone()
        } else {
            format!("{}; changes in {}", self.unit, self.change_unit)
        }
    }
}

fn tables(d: &Decomposition, years: &[u32]) -> Vec<Table> {
    let years: Vec<u32> = years
        .iter()
        .copied()
        .filter(|y| *y <= d.horizon())
        .collect();
    d.metrics
        .iter()
        .zip(d.blocks)
        .map(|(m, blocks)| {
            let metric = &METRICS[*m];
            let (factor, unit) = display_unit(metric.unit, false);
            let (_, change_unit) = display_unit(metric.unit, true);
            let scaled = |e: &Estimate| Estimate {
                mean: e.mean * factor,
                low: e.low * factor,
                high: e.high * factor,
            };
            let at = |f: &dyn Fn(&Block) -> &Estimate| -> Vec<Estimate> {
                years
                    .iter()
                    .map(|y| scaled(f(&blocks[*y as usize])))
                    .collect()
            };
            let mut rows = vec![Some((
                format!("{} (level)", d.baseline),
                true,
                at(&|b| &b.baseline),
            ))];
            for (i, id) in d.ids().iter().enumerate() {
                rows.push(Some((id.to_string(), false, at(&|b| &b.contributions[i]))));
            }
            rows.push(Some(("remainder".into(), false, at(&|b| &b.remainder))));
            rows.push(Some(("total effect".into(), false, at(&|b| &b.total))));
            rows.push(Some((
                format!("{} (level)", d.scenario),
                true,
                at(&|b| &b.scenario),
            )));
            rows.push(None);
            for (i, id) in d.ids().iter().enumerate() {
                rows.push(Some((id.to_string(), false, at(&|b| &b.knockouts[i]))));
            }
            let changes: Vec<&Estimate> = rows
                .iter()
                .flatten()
                .filter(|r| !r.1)
                .flat_map(|r| &r.2)
                .collect();
            let halves: Vec<f64> = changes.iter().map(|e| (e.high - e.low) / 2.0).collect();
            let means: Vec<f64> = changes.iter().map(|e| e.mean).collect();
            Table {
                title: metric_label(metric.name),
                unit,
                change_unit,
                decimals: decimals_for(&halves, &means),
                rows,
            }
        })
        .collect()
}

/// `decomposition.md`: a table per metric, a row per channel, a column per year.
pub fn decomposition_markdown(d: &Decomposition, years: &[u32]) -> String {
    let mut out = d.legend();
    out.push('\n');
    for note in d.notes {
        let _ = write!(out, "\nNote: {note}.\n");
    }
    out.push_str(
        "\n| Channel | Paper's mechanism | In the model | Switched off by |\n|:--|:--|:--|:--|\n",
    );
    for c in d.channels {
        let off: Vec<String> = c.off.iter().map(|(k, v)| format!("`{k}={v}`")).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            c.id,
            md_escape(c.mechanism),
            md_escape(c.description),
            off.join(" ")
        );
    }
    let shown: Vec<u32> = years
        .iter()
        .copied()
        .filter(|y| *y <= d.horizon())
        .collect();
    let fmt = |v: f64, dec: usize| group_thousands(v, dec, ",", "-");
    for t in tables(d, years) {
        let _ = write!(
            out,
            "\n## {} ({})\n\n| Channel |",
            md_escape(&t.title),
            md_escape(&t.units())
        );
        for y in &shown {
            let _ = write!(out, " {} |", year_label(d.start_year, *y));
        }
        out.push_str("\n|:--|");
        out.push_str(&"--:|".repeat(shown.len()));
        out.push('\n');
        for row in &t.rows {
            let Some((label, _, cells)) = row else {
                let _ = writeln!(
                    out,
                    "| *knock-out: total minus the effect with only this channel off* |{}",
                    " |".repeat(shown.len())
                );
                continue;
            };
            let _ = write!(out, "| {} |", md_escape(label));
            for e in cells {
                let _ = write!(
                    out,
                    " {} ({} to {}) |",
                    fmt(e.mean, t.decimals),
                    fmt(e.low, t.decimals),
                    fmt(e.high, t.decimals)
                );
            }
            out.push('\n');
        }
    }
    out
}

/// `decomposition.tex`: a booktabs `tabular` per metric (needs only
/// `\usepackage{booktabs}`), each mean with its interval in brackets under it.
pub fn decomposition_latex(d: &Decomposition, years: &[u32]) -> String {
    let mut out = String::new();
    for sentence in d.legend().split(". ") {
        let _ = writeln!(out, "% {}.", sentence.trim_end_matches('.'));
    }
    for note in d.notes {
        let _ = writeln!(out, "% Note: {note}.");
    }
    out.push_str("% Needs \\usepackage{booktabs}.\n");
    let shown: Vec<u32> = years
        .iter()
        .copied()
        .filter(|y| *y <= d.horizon())
        .collect();
    let cols = shown.len() + 1;
    let num = |v: f64, dec: usize| format!("${}$", group_thousands(v, dec, "\\,", "-"));
    for t in tables(d, years) {
        let _ = writeln!(out, "\n% {} ({})", t.title, t.units());
        let _ = writeln!(
            out,
            "\\begin{{tabular}}{{@{{}}l{}@{{}}}}",
            "r".repeat(shown.len())
        );
        out.push_str("\\toprule\n");
        let _ = write!(out, "{} ({})", tex_escape(&t.title), tex_escape(&t.unit));
        for y in &shown {
            let _ = write!(out, " & {}", tex_escape(&year_label(d.start_year, *y)));
        }
        out.push_str(" \\\\\n\\midrule\n");
        for row in &t.rows {
            let Some((label, _, cells)) = row else {
                let _ = writeln!(
                    out,
                    "\\addlinespace\n\\multicolumn{{{cols}}}{{@{{}}l}}{{\\emph{{Knock-out: total minus the effect with only this channel off}}}} \\\\"
                );
                continue;
            };
            let _ = write!(out, "{}", tex_escape(label));
            for e in cells {
                let _ = write!(out, " & {}", num(e.mean, t.decimals));
            }
            out.push_str(" \\\\\n");
            for e in cells {
                let _ = write!(
                    out,
                    " & {{\\footnotesize $[{},\\ {}]$}}",
                    group_thousands(e.low, t.decimals, "\\,", "-"),
                    group_thousands(e.high, t.decimals, "\\,", "-")
                );
            }
            out.push_str(" \\\\\n");
        }
        out.push_str("\\bottomrule\n\\end{tabular}\n");
    }
    out
}

/// The waterfall of metric `m` (an index into `d.metrics`) at `year`: the
/// baseline level, each channel's contribution, the remainder, and the
/// scenario level.
pub fn waterfall_chart(d: &Decomposition, m: usize, year: u32) -> Chart {
    let metric = &METRICS[d.metrics[m]];
    let b = &d.blocks[m][year as usize];
    // No whisker on the baseline's level: its interval is the spread of
    // levels over replications, which pairing removes from every change.
    let mut steps = vec![Step {
        label: format!("{} (level)", d.baseline),
        kind: StepKind::Level,
        from: 0.0,
        to: b.baseline.mean,
        ci: None,
    }];
    let mut at = b.baseline.mean;
    let changes = d
        .ids()
        .into_iter()
        .zip(&b.contributions)
        .map(|(id, e)| (id.to_string(), StepKind::Change, e))
        .chain([("remainder".to_string(), StepKind::Remainder, &b.remainder)]);
    for (label, kind, e) in changes {
        steps.push(Step {
            label,
            kind,
            from: at,
            to: at + e.mean,
            ci: Some((e.low, e.high)),
        });
        at += e.mean;
    }
    // The scenario's level is where the steps end; its whisker is the
    // paired interval of the total effect, which is what the steps explain.
    let total = b.total;
    steps.push(Step {
        label: format!("{} (level)", d.scenario),
        kind: StepKind::Level,
        from: 0.0,
        to: b.baseline.mean + total.mean,
        ci: Some((b.baseline.mean + total.low, b.baseline.mean + total.high)),
    });
    let order = if d.ordered {
        "channels switched off one after another from the top"
    } else {
        "Shapley values over the channels"
    };
    Chart {
        title: format!(
            "{}: effect of {} by channel, {}",
            metric_label(metric.name),
            d.scenario,
            year_label(d.start_year, year)
        ),
        note: format!(
            "{} ({order}); whiskers: 95% CI over {} paired replications (the scenario's: of the total effect).",
            d.method, d.reps
        ),
        x_label: String::new(),
        unit: super::format::priced_unit(metric.unit, d.start_year),
        difference: false,
        plot: Plot::Waterfall { steps },
    }
}

/// The terminal summary at the last year: levels, total effect, each
/// channel's contribution and knock-out, and the remainder, as `mean ± half-width`.
pub fn decomposition_summary(d: &Decomposition) -> String {
    let year = d.horizon();
    let mut out = format!(
        "Effect of {} against {} by channel, {}, {} replications\n{}\n",
        d.scenario,
        d.baseline,
        year_label(d.start_year, year),
        d.reps,
        d.method_text()
    );
    for note in d.notes {
        let _ = writeln!(out, "note: {note}");
    }
    for t in tables(d, &[year]) {
        let _ = writeln!(out, "{} ({})", t.title, t.units());
        let num = |v: f64| group_thousands(v, t.decimals, ",", "-");
        let rows: Vec<&(String, bool, Vec<Estimate>)> = t.rows.iter().flatten().collect();
        let cells: Vec<(String, String)> = rows
            .iter()
            .map(|r| (num(r.2[0].mean), num((r.2[0].high - r.2[0].low) / 2.0)))
            .collect();
        let w = |f: &dyn Fn(&(String, String)) -> &String| {
            cells
                .iter()
                .map(|c| f(c).chars().count())
                .max()
                .unwrap_or(0)
        };
        let (mean_w, half_w) = (w(&|c| &c.0), w(&|c| &c.1));
        let name_w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0) + 2;
        let cell = |(mean, half): &(String, String)| format!("{mean:>mean_w$} ± {half:>half_w$}");
        let n = d.channels.len();
        // Rows: baseline, channels, remainder, total, scenario, then knock-outs.
        for (i, row) in rows.iter().enumerate().take(n + 4) {
            let _ = write!(out, "  {:<name_w$}{}", row.0, cell(&cells[i]));
            if (1..=n).contains(&i) {
                let _ = write!(out, "   knock-out {}", cell(&cells[n + 3 + i]));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics;
    use crate::study::channels::CHANNELS;

    fn e(mean: f64, half: f64) -> Estimate {
        Estimate {
            mean,
            low: mean - half,
            high: mean + half,
        }
    }

    fn block(scale: f64) -> Block {
        Block {
            baseline: e(1_000_000.0 * scale, 10_000.0),
            scenario: e(1_150_000.0 * scale, 10_000.0),
            total: e(150_000.0 * scale, 5_000.0),
            contributions: vec![e(100_000.0 * scale, 4_000.0), e(-20_000.0 * scale, 3_000.0)],
            knockouts: vec![e(110_000.0 * scale, 4_000.0), e(-15_000.0 * scale, 3_000.0)],
            remainder: e(70_000.0 * scale, 2_000.0),
        }
    }

    #[test]
    fn tables_csv_and_chart_carry_every_row() {
        let metrics = [metrics::index("income_per_capita").unwrap()];
        let blocks = vec![vec![block(0.0), block(1.0), block(2.0)]];
        let channels = [&CHANNELS[0], &CHANNELS[1]];
        let notes = ["channel x left out: because".to_string()];
        let d = Decomposition {
            scenario: "ovop",
            baseline: "baseline",
            method: "sequential",
            ordered: true,
            channels: &channels,
            metrics: &metrics,
            blocks: &blocks,
            start_year: 2025,
            reps: 8,
            notes: &notes,
        };
        let csv = String::from_utf8(decomposition_csv(&d)).unwrap();
        assert!(
            csv.starts_with("channel,kind,metric,year,contribution,ci95_low,ci95_high,knockout,")
        );
        assert_eq!(csv.lines().count(), 1 + 3 * 6);
        assert!(csv.contains("\nexport,channel,income_per_capita,2,-40000,-43000,-37000,-30000,-33000,-27000,sequential,2\n"), "{csv}");
        assert!(csv.contains(
            "\nremainder,remainder,income_per_capita,1,70000,68000,72000,,,,sequential,\n"
        ));
        let md = decomposition_markdown(&d, &[1, 2, 5]);
        assert!(
            md.contains("| Channel | year 1 (Dec 2025) | year 2 (Dec 2026) |\n|:--|--:|--:|\n"),
            "{md}"
        );
        assert!(
            md.contains("| export | -20,000 (-23,000 to -17,000) | -40,000 (-43,000 to -37,000) |"),
            "{md}"
        );
        assert!(md.contains("Note: channel x left out: because."));
        let tex = decomposition_latex(&d, &[1, 2]);
        assert!(
            tex.contains("local\\_multiplier & $100\\,000$ & $200\\,000$ \\\\"),
            "{tex}"
        );
        assert_eq!(tex.matches("\\begin{tabular}").count(), 1);
        let summary = decomposition_summary(&d);
        assert!(
            summary.contains("year 2 (Dec 2026)") && summary.contains("knock-out"),
            "{summary}"
        );
        let chart = waterfall_chart(&d, 0, 2);
        let Plot::Waterfall { steps } = &chart.plot else {
            panic!("a waterfall");
        };
        assert_eq!(steps.len(), 5);
        // The steps end at the scenario's level.
        assert_eq!(steps[3].to, steps[4].to);
        assert_eq!(steps[4].to, 2_300_000.0);
    }
}
