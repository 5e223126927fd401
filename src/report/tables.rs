//! Comparison tables for papers and the terminal: key metrics at chosen years, mean with 95% CI and paired differences, as Markdown, LaTeX and plain text.
//!
//! All three share one computation ([`build`]), so they always agree on the
//! numbers; only the typesetting differs. Shares are shown in percent and
//! their differences in percentage points.

use std::fmt::Write;

use super::format::{decimals_for, display_unit, group_thousands, metric_label, year_label};
use crate::metrics;
use crate::results::ScenarioResults;
use crate::stats::{paired_diff, summarize};

/// Years (month `12 * year`) reported by default in comparison tables.
pub const DEFAULT_YEARS: &[u32] = &[5, 10, 20];

/// Metrics reported by default in comparison tables.
pub const DEFAULT_METRICS: &[&str] = &[
    "income_per_capita",
    "jobs_agroindustry",
    "poverty_rate",
    "member_share",
];

/// Years shown by [`console_summary`] (those beyond the horizon are skipped).
pub const SUMMARY_YEARS: &[u32] = &[0, 5, 10, 20];

/// Metrics shown by [`console_summary`].
pub const SUMMARY_METRICS: &[&str] = &[
    "income_per_capita",
    "jobs_agroindustry",
    "poverty_rate",
    "member_share",
    "groups_active",
];

/// A table that cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// A metric name not declared in `metrics.rs`.
    #[error("unknown metric {0:?} (see `src/metrics.rs` for the names)")]
    UnknownMetric(String),
}

/// How a comparison table is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableForm {
    /// Scenarios (and differences) down, metrics and years across; by
    /// default metrics and years go down and scenarios across.
    pub metrics_across: bool,
    /// Only the differences from the first scenario, not the levels.
    pub differences_only: bool,
}

impl TableForm {
    /// The estimates of `row` in column order.
    fn entries<'a>(&self, row: &'a Row) -> Vec<&'a Estimate> {
        if self.differences_only {
            row.diffs.iter().collect()
        } else {
            row.cells.iter().chain(&row.diffs).collect()
        }
    }

    /// The headings of the estimates, in the order of [`TableForm::entries`].
    fn headings(&self, all: &[ScenarioResults]) -> Vec<String> {
        let heads = headings(all);
        if self.differences_only {
            heads[all.len().min(heads.len())..].to_vec()
        } else {
            heads
        }
    }
}

/// A mean (or mean difference) with its 95% CI, already in display units.
#[derive(Debug, Clone, Copy)]
struct Estimate {
    mean: f64,
    low: f64,
    high: f64,
}

impl Estimate {
    fn half(&self) -> f64 {
        (self.high - self.low) / 2.0
    }
}

/// One metric at one year: every scenario, then every later scenario's difference.
struct Row {
    label: String,
    cells: Vec<Estimate>,
    diffs: Vec<Estimate>,
}

/// One metric's rows with its display unit and decimals.
struct Block {
    label: String,
    unit: String,
    decimals: usize,
    rows: Vec<Row>,
}

/// Computes every table cell; years whose month is past the shortest horizon are left out.
fn build(all: &[ScenarioResults], years: &[u32], names: &[&str]) -> Result<Vec<Block>, TableError> {
    let rows_available = all.iter().map(ScenarioResults::rows).min().unwrap_or(0);
    let start_year = all.first().map_or(0, |r| r.start_year);
    let mut blocks = Vec::new();
    for name in names {
        let m = metrics::index(name).ok_or_else(|| TableError::UnknownMetric(name.to_string()))?;
        let (factor, unit) = display_unit(metrics::METRICS[m].unit, false);
        let scaled = |mean: f64, low: f64, high: f64| Estimate {
            mean: mean * factor,
            low: low * factor,
            high: high * factor,
        };
        let mut rows = Vec::new();
        for &year in years {
            let month = 12 * year as usize;
            if month >= rows_available {
                continue;
            }
            let cells = all
                .iter()
                .map(|r| {
                    let s = summarize(&r.column(month, m));
                    scaled(s.mean, s.ci95_low, s.ci95_high)
                })
                .collect();
            let diffs = all
                .iter()
                .skip(1)
                .map(|r| {
                    let d = paired_diff(&all[0].column(month, m), &r.column(month, m));
                    scaled(d.mean, d.ci95_low, d.ci95_high)
                })
                .collect();
            rows.push(Row {
                label: year_label(start_year, year),
                cells,
                diffs,
            });
        }
        let estimates: Vec<&Estimate> = rows
            .iter()
            .flat_map(|r| r.cells.iter().chain(&r.diffs))
            .collect();
        let halves: Vec<f64> = estimates.iter().map(|e| e.half()).collect();
        let means: Vec<f64> = estimates.iter().map(|e| e.mean).collect();
        blocks.push(Block {
            label: metric_label(name),
            unit,
            decimals: decimals_for(&halves, &means),
            rows,
        });
    }
    Ok(blocks)
}

/// Column headings: scenario labels, then `later - first` for each later scenario.
fn headings(all: &[ScenarioResults]) -> Vec<String> {
    let mut h: Vec<String> = all.iter().map(|r| r.label.clone()).collect();
    if let Some(base) = all.first() {
        h.extend(
            all[1..]
                .iter()
                .map(|r| format!("{} - {}", r.label, base.label)),
        );
    }
    h
}

fn reps(all: &[ScenarioResults]) -> usize {
    all.first().map_or(0, |r| r.runs.len())
}

/// One replication: its interval would be a point, "± 0", which is no interval at all.
fn single(all: &[ScenarioResults]) -> bool {
    reps(all) == 1
}

/// The shared explanation of what the numbers are.
fn legend(all: &[ScenarioResults], ci: &str) -> String {
    let mut s = if single(all) {
        "One replication, so no confidence interval (it needs --reps 2 or more).".to_string()
    } else {
        format!(
            "Mean across {} replications with the 95% confidence interval of the mean (Student t) {ci}.",
            reps(all)
        )
    };
    if let Some(base) = all.first().filter(|_| all.len() > 1) {
        let _ = write!(
            s,
            " Differences are from {}, paired by replication (common random numbers).",
            base.label
        );
    }
    s.push_str(" Shares are in percent, their differences in percentage points.");
    s
}

pub(super) fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// A Markdown table: one row per (metric, year), a column per scenario
/// (`mean (low to high)`) and per difference from the first scenario.
///
/// Years past the horizon are left out. Fails on an unknown metric name.
pub fn comparison_markdown(
    all: &[ScenarioResults],
    years: &[u32],
    metrics: &[&str],
    form: TableForm,
) -> Result<String, TableError> {
    let blocks = build(all, years, metrics)?;
    let heads = form.headings(all);
    let mut out = legend(all, "in parentheses");
    let fmt = |v: f64, d: usize| group_thousands(v, d, ",", "-");
    let cell = |e: &Estimate, d: usize| {
        if single(all) {
            fmt(e.mean, d)
        } else {
            format!(
                "{} ({} to {})",
                fmt(e.mean, d),
                fmt(e.low, d),
                fmt(e.high, d)
            )
        }
    };
    if form.metrics_across {
        out.push_str("\n\n| Scenario |");
        for b in &blocks {
            for row in &b.rows {
                let head = format!("{} ({}), {}", b.label, b.unit, row.label);
                let _ = write!(out, " {} |", md_escape(&head));
            }
        }
        out.push_str("\n|:--|");
        for b in &blocks {
            out.push_str(&"--:|".repeat(b.rows.len()));
        }
        out.push('\n');
        for (i, h) in heads.iter().enumerate() {
            let _ = write!(out, "| {} |", md_escape(h));
            for b in &blocks {
                for row in &b.rows {
                    let _ = write!(out, " {} |", cell(form.entries(row)[i], b.decimals));
                }
            }
            out.push('\n');
        }
        return Ok(out);
    }
    out.push_str("\n\n| Metric | Year |");
    for h in &heads {
        let _ = write!(out, " {} |", md_escape(h));
    }
    out.push_str("\n|:--|:--|");
    for _ in &heads {
        out.push_str("--:|");
    }
    out.push('\n');
    for b in &blocks {
        for (i, row) in b.rows.iter().enumerate() {
            let metric = if i == 0 {
                format!("{} ({})", b.label, b.unit)
            } else {
                String::new()
            };
            let _ = write!(out, "| {} | {} |", md_escape(&metric), row.label);
            for e in form.entries(row) {
                let _ = write!(out, " {} |", cell(e, b.decimals));
            }
            out.push('\n');
        }
    }
    Ok(out)
}

pub(super) fn tex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(c),
        }
    }
    out
}

/// A LaTeX `tabular` for `\input{}`: booktabs rules, no vertical rules, numbers
/// in math mode (true minus signs) with thin-space thousands separators, the
/// confidence interval in brackets on a smaller line under each mean.
///
/// Needs only `\usepackage{booktabs}`. The explanation of the numbers is
/// written as a `%` comment at the top, to be used in the caption.
pub fn comparison_latex(
    all: &[ScenarioResults],
    years: &[u32],
    metrics: &[&str],
    form: TableForm,
) -> Result<String, TableError> {
    let blocks = build(all, years, metrics)?;
    let heads = form.headings(all);
    let mut out = String::new();
    for line in legend(all, "in brackets").split(". ") {
        let line = line.trim_end_matches('.');
        let _ = writeln!(out, "% {line}.");
    }
    out.push_str("% Needs \\usepackage{booktabs}.\n");
    let num = |v: f64, d: usize| format!("${}$", group_thousands(v, d, "\\,", "-"));
    let ci = |e: &Estimate, d: usize| {
        format!(
            "{{\\footnotesize $[{},\\ {}]$}}",
            group_thousands(e.low, d, "\\,", "-"),
            group_thousands(e.high, d, "\\,", "-")
        )
    };
    let head_tex = |h: &str| tex_escape(h).replace(" - ", " $-$ ");
    if form.metrics_across {
        let cols: usize = blocks.iter().map(|b| b.rows.len()).sum();
        let _ = writeln!(out, "\\begin{{tabular}}{{@{{}}l{}@{{}}}}", "r".repeat(cols));
        out.push_str("\\toprule\n");
        let (mut rules, mut first) = (String::new(), 2);
        for b in blocks.iter().filter(|b| !b.rows.is_empty()) {
            let n = b.rows.len();
            let _ = write!(
                out,
                " & \\multicolumn{{{n}}}{{c}}{{{} ({})}}",
                tex_escape(&b.label),
                tex_escape(&b.unit)
            );
            let _ = write!(rules, "\\cmidrule(lr){{{first}-{}}}", first + n - 1);
            first += n;
        }
        let _ = writeln!(out, " \\\\\n{rules}");
        for b in &blocks {
            for row in &b.rows {
                let _ = write!(out, " & {}", tex_escape(&row.label));
            }
        }
        out.push_str(" \\\\\n\\midrule\n");
        for (i, h) in heads.iter().enumerate() {
            out.push_str(&head_tex(h));
            for b in &blocks {
                for row in &b.rows {
                    let _ = write!(out, " & {}", num(form.entries(row)[i].mean, b.decimals));
                }
            }
            out.push_str(" \\\\\n");
            if single(all) {
                continue;
            }
            for b in &blocks {
                for row in &b.rows {
                    let _ = write!(out, " & {}", ci(form.entries(row)[i], b.decimals));
                }
            }
            out.push_str(" \\\\\n");
        }
        out.push_str("\\bottomrule\n\\end{tabular}\n");
        return Ok(out);
    }
    let cols = heads.len() + 1;
    let _ = writeln!(
        out,
        "\\begin{{tabular}}{{@{{}}l{}@{{}}}}",
        "r".repeat(heads.len())
    );
    out.push_str("\\toprule\n");
    for h in &heads {
        let _ = write!(out, " & {}", head_tex(h));
    }
    out.push_str(" \\\\\n\\midrule\n");
    for (bi, b) in blocks.iter().enumerate() {
        if bi > 0 {
            out.push_str("\\addlinespace\n");
        }
        let _ = writeln!(
            out,
            "\\multicolumn{{{cols}}}{{@{{}}l}}{{{} ({})}} \\\\",
            tex_escape(&b.label),
            tex_escape(&b.unit)
        );
        for row in &b.rows {
            let _ = write!(out, "\\quad {}", tex_escape(&row.label));
            for e in form.entries(row) {
                let _ = write!(out, " & {}", num(e.mean, b.decimals));
            }
            out.push_str(" \\\\\n");
            if single(all) {
                continue;
            }
            for e in form.entries(row) {
                let _ = write!(out, " & {}", ci(e, b.decimals));
            }
            out.push_str(" \\\\\n");
        }
    }
    out.push_str("\\bottomrule\n\\end{tabular}\n");
    Ok(out)
}

/// A one-screen plain-text summary for the terminal: [`SUMMARY_METRICS`] at
/// [`SUMMARY_YEARS`] (those within the horizon) and the final year, each as
/// `mean ± half-width` of the 95% CI; with several scenarios also the paired
/// difference of each from the first. Columns that would not fit in `width`
/// characters go to further tables below, each with the row labels.
///
/// `metrics` (names from `metrics.rs`) replaces [`SUMMARY_METRICS`] when not empty.
pub fn console_summary(all: &[ScenarioResults], metrics: &[&str], width: Option<usize>) -> String {
    let last = all
        .iter()
        .map(ScenarioResults::rows)
        .min()
        .unwrap_or(1)
        .saturating_sub(1)
        / 12;
    let mut years: Vec<u32> = SUMMARY_YEARS.to_vec();
    if !years.contains(&(last as u32)) {
        years.push(last as u32);
    }
    let metrics = if metrics.is_empty() {
        SUMMARY_METRICS
    } else {
        metrics
    };
    let blocks = build(all, &years, metrics).expect("summary metrics are checked by callers");
    let heads = headings(all);
    let fmt = |e: &Estimate, d: usize| {
        if single(all) {
            group_thousands(e.mean, d, ",", "-")
        } else {
            format!(
                "{} ± {}",
                group_thousands(e.mean, d, ",", "-"),
                group_thousands(e.half(), d, ",", "-")
            )
        }
    };
    // Cells first, so column widths fit the widest entry.
    let mut label_w = 0;
    let mut widths: Vec<usize> = heads.iter().map(|h| h.chars().count()).collect();
    let mut texts: Vec<Vec<(String, Vec<String>)>> = Vec::new();
    for b in &blocks {
        let mut rows = Vec::new();
        for row in &b.rows {
            let cells: Vec<String> = row
                .cells
                .iter()
                .chain(&row.diffs)
                .map(|e| fmt(e, b.decimals))
                .collect();
            for (w, c) in widths.iter_mut().zip(&cells) {
                *w = (*w).max(c.chars().count());
            }
            label_w = label_w.max(row.label.chars().count() + 2);
            rows.push((row.label.clone(), cells));
        }
        texts.push(rows);
    }
    let mut out = String::new();
    for sentence in legend(all, "as mean ± half-width").split_inclusive(". ") {
        out.push_str(&wrap(sentence.trim_end(), width));
        out.push('\n');
    }
    for columns in column_groups(label_w, &widths, width) {
        out.push('\n');
        let _ = write!(out, "{:label_w$}", "");
        for c in columns.clone() {
            let _ = write!(out, "  {:>w$}", heads[c], w = widths[c]);
        }
        out.push('\n');
        for (b, rows) in blocks.iter().zip(&texts) {
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{} ({})", b.label, b.unit);
            for (label, cells) in rows {
                let _ = write!(out, "  {label:label_w$}", label_w = label_w - 2);
                for c in columns.clone() {
                    let _ = write!(out, "  {:>w$}", cells[c], w = widths[c]);
                }
                out.push('\n');
            }
        }
    }
    out
}

/// `text` broken at spaces into lines of at most `width` characters (a
/// longer word stands alone).
fn wrap(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return text.to_string();
    };
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}

/// Consecutive runs of columns that fit `width` characters beside the row
/// labels (at least one column each); all columns at once without a width.
fn column_groups(
    label_w: usize,
    widths: &[usize],
    width: Option<usize>,
) -> Vec<std::ops::Range<usize>> {
    let width = width.unwrap_or(usize::MAX);
    let mut groups = Vec::new();
    let (mut start, mut used) = (0, label_w);
    for (c, w) in widths.iter().enumerate() {
        if c > start && used.saturating_add(2 + w) > width {
            groups.push(start..c);
            (start, used) = (c, label_w);
        }
        used += 2 + w;
    }
    groups.push(start..widths.len());
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::flat;

    #[test]
    fn markdown_values_and_paired_differences() {
        // Base: 1000, 1001, 1002 (mean 1001, sd 1, CI 1001 ± 4.303 / sqrt 3);
        // ovop adds exactly 2500 per replication: the paired CI collapses to 2500.
        let all = [flat("base", 3, 24, 1000.0), flat("ovop", 3, 24, 3500.0)];
        let md = comparison_markdown(
            &all,
            &[1, 2, 5],
            &["jobs_agroindustry"],
            TableForm::default(),
        )
        .unwrap();
        let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
        assert_eq!(rows[0], "| Metric | Year | base | ovop | ovop - base |");
        // Year 5 is past the 24-month horizon: two data rows.
        assert_eq!(rows.len(), 3, "{md}");
        // sd 1, half-width t(2) / sqrt(3) = 2.484 -> one decimal.
        assert!(
            rows[1].contains("| 1,001.0 (998.5 to 1,003.5) |"),
            "{}",
            rows[1]
        );
        assert!(
            rows[1].contains("| 2,500.0 (2,500.0 to 2,500.0) |"),
            "{}",
            rows[1]
        );
        assert!(rows[2].starts_with("|  | year 2 (Dec 2026) |"));
        assert!(matches!(
            comparison_markdown(&all, &[1], &["nope"], TableForm::default()),
            Err(TableError::UnknownMetric(_))
        ));
    }

    #[test]
    fn latex_uses_booktabs_math_minus_and_thin_spaces() {
        let all = [flat("base_a", 3, 12, 0.5), flat("b&c", 3, 12, 0.3)];
        let tex = comparison_latex(
            &all,
            &[1],
            &["poverty_rate", "income_per_capita"],
            TableForm::default(),
        )
        .unwrap();
        assert!(
            tex.contains("\\toprule") && tex.contains("\\midrule") && tex.contains("\\bottomrule")
        );
        assert!(!tex.contains('|'));
        assert!(tex.contains(" & base\\_a & b\\&c & b\\&c $-$ base\\_a \\\\"));
        // Shares in percent; the difference -20 percentage points, true minus.
        assert!(tex.contains("$-20$"), "{tex}");
        assert!(tex.contains("Poverty rate (\\% of people)"));
        let one = [flat("big", 2, 12, 1_234_567.0)];
        let tex =
            comparison_latex(&one, &[1], &["income_per_capita"], TableForm::default()).unwrap();
        assert!(tex.contains("$1\\,234\\,567.5$"), "{tex}");
        assert!(tex.contains("\\begin{tabular}{@{}lr@{}}"));
    }

    #[test]
    fn console_summary_skips_years_past_horizon() {
        let all = [flat("base", 4, 60, 10.0)];
        let text = console_summary(&all, &[], None);
        assert!(text.contains("year 0 (initial)"));
        assert!(text.contains("year 5 (Dec 2029)"));
        assert!(!text.contains("year 10"));
        assert!(text.contains("Active producer groups (groups)"));
        assert!(!text.contains("Differences"));
        let two = [flat("base", 4, 60, 10.0), flat("ovop", 4, 60, 12.0)];
        let text = console_summary(&two, &[], None);
        assert!(text.contains("ovop - base"));
        assert!(text.contains("2.0 ± 0.0"), "{text}");
    }

    #[test]
    fn console_summary_shows_the_final_year_and_fits_the_width() {
        let all = [flat("base", 4, 144, 10.0)];
        let text = console_summary(&all, &[], None);
        assert!(text.contains("year 10 (Dec 2034)") && text.contains("year 12 (Dec 2036)"));
        let four: Vec<_> = ["a", "b", "c", "d"]
            .iter()
            .enumerate()
            .map(|(k, n)| flat(n, 4, 144, 1e6 + k as f64))
            .collect();
        let wide = console_summary(&four, &[], None);
        assert!(wide.lines().any(|l| l.chars().count() > 100));
        let fitted = console_summary(&four, &[], Some(100));
        assert!(fitted.lines().all(|l| l.chars().count() <= 100), "{fitted}");
        // Every column is still there, under the same row labels.
        assert!(fitted.contains("d - a") && fitted.contains("b - a"));
        assert!(
            fitted.matches("year 12 (Dec 2036)").count()
                > wide.matches("year 12 (Dec 2036)").count()
        );
    }
}
