//! Time-series charts of metrics (mean line plus 95% CI band per scenario) as PNG and SVG.
//!
//! Text is drawn with DejaVu Sans embedded in the binary, so charts look the
//! same on every machine and need no system fonts. PNG bytes come from
//! plotters' path-based bitmap backend writing a private temporary file that
//! is read back and deleted: the PNG encoder plotters uses is only reachable
//! that way without adding a direct dependency on the `image` crate.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use crate::metrics::{self, METRICS};
use crate::results::ScenarioResults;
use crate::stats::summarize;

/// Pixel size of every chart (PNG pixels, SVG user units).
pub const SIZE: (u32, u32) = (1200, 720);

/// Metrics that get a chart in every results folder, in order.
pub const STANDARD_METRICS: &[&str] = &[
    "income_per_capita",
    "jobs_agroindustry",
    "member_share",
    "groups_active",
    "poverty_rate",
];

const FONT: &str = "sans-serif";

/// Okabe-Ito palette, reordered so the first colours are the most distinct on
/// white; yellow comes last because thin yellow lines are hard to see.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// Failure to render a chart.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The embedded font could not be parsed (a broken build, not bad input).
    #[error("cannot load the embedded DejaVu Sans font")]
    Font,
    /// plotters reported an error while drawing.
    #[error("cannot draw chart {title:?}: {message}")]
    Draw {
        /// Title of the chart being drawn.
        title: String,
        /// plotters' error text.
        message: String,
    },
    /// The temporary PNG file could not be read or written.
    #[error("cannot {action} temporary chart file {}: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The temporary file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// One scenario's line and band. All vectors have the same length.
#[derive(Debug, Clone)]
pub struct BandSeries<'a> {
    /// Legend text (the scenario name).
    pub label: &'a str,
    /// Time as fractional calendar years (see [`month_to_year`]).
    pub x: Vec<f64>,
    /// Mean across replications.
    pub mean: Vec<f64>,
    /// Lower end of the 95% CI of the mean.
    pub low: Vec<f64>,
    /// Upper end of the 95% CI of the mean.
    pub high: Vec<f64>,
}

/// A chart: titles, unscaled axis labels and the series to draw.
#[derive(Debug, Clone)]
pub struct ChartSpec<'a> {
    /// Chart title.
    pub title: &'a str,
    /// Y axis unit as declared for the metric, e.g. `Rp per capita per month`;
    /// the renderer adds the scale (thousand, million, %) it picks.
    pub y_label: &'a str,
    /// X axis label.
    pub x_label: &'a str,
    /// Series, one colour each.
    pub series: Vec<BandSeries<'a>>,
}

/// Calendar position of a month: month 0 (the initial state) sits at the start
/// of `start_year` and month m at the end of the m-th simulated month,
/// `start_year + m / 12`, so month 12 is the turn of the next year.
pub fn month_to_year(start_year: i32, month: usize) -> f64 {
    f64::from(start_year) + month as f64 / 12.0
}

fn register_fonts() -> Result<(), ChartError> {
    // plotters keeps registered fonts in a global table; registering once per
    // process is enough and avoids re-parsing the font for every chart.
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FONT, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font(FONT, FontStyle::Bold, dejavu::sans::bold()).is_ok()
    });
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

/// How y values are rescaled for display, with the axis label that says so.
struct YScale {
    factor: f64,
    label: String,
    decimals: usize,
}

fn y_scale(y_label: &str, min: f64, max: f64) -> YScale {
    let max_abs = min.abs().max(max.abs());
    let (factor, label) = if let Some(rest) = y_label.strip_prefix("share of ") {
        if min >= 0.0 && max <= 1.0 {
            (100.0, format!("% of {rest}"))
        } else {
            (1.0, y_label.to_string())
        }
    } else {
        let (factor, word) = if max_abs >= 1e10 {
            (1e-9, "billion")
        } else if max_abs >= 1e7 {
            (1e-6, "million")
        } else if max_abs >= 1e4 {
            (1e-3, "thousand")
        } else {
            (1.0, "")
        };
        let label = if word.is_empty() {
            y_label.to_string()
        } else if let Some(rest) = y_label.strip_prefix("Rp") {
            format!("Rp {word}{rest}")
        } else {
            format!("{y_label} ({word}s)")
        };
        (factor, label)
    };
    // Enough decimals to tell apart ticks spaced about a tenth of the span.
    let step = (max - min) * factor / 10.0;
    let decimals = if step >= 1.0 || step <= 0.0 || !step.is_finite() {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 4.0) as usize
    };
    YScale {
        factor,
        label,
        decimals,
    }
}

/// Formats a number with comma thousands separators, e.g. `12,345.6`.
fn group_thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut out = String::new();
    // "-0" would be printed for tiny negatives that round to zero.
    if v < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

fn year_label(x: f64) -> String {
    if (x - x.round()).abs() < 1e-6 {
        format!("{:.0}", x)
    } else {
        format!("{:.1}", x)
    }
}

/// Min and max over every finite x, and over every finite mean/low/high.
fn extents(spec: &ChartSpec) -> ((f64, f64), (f64, f64)) {
    let mut x = (f64::INFINITY, f64::NEG_INFINITY);
    let mut y = (f64::INFINITY, f64::NEG_INFINITY);
    for s in &spec.series {
        for (i, &xi) in s.x.iter().enumerate() {
            if !xi.is_finite() {
                continue;
            }
            for v in [s.mean.get(i), s.low.get(i), s.high.get(i)]
                .into_iter()
                .flatten()
                .copied()
                .filter(|v| v.is_finite())
            {
                x = (x.0.min(xi), x.1.max(xi));
                y = (y.0.min(v), y.1.max(v));
            }
        }
    }
    if x.0 > x.1 {
        x = (0.0, 1.0);
    } else if x.0 == x.1 {
        x = (x.0 - 0.5, x.1 + 0.5);
    }
    if y.0 > y.1 {
        y = (0.0, 1.0);
    }
    (x, y)
}

/// Truncates a legend label to `max` characters with an ellipsis.
fn fit(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

fn draw_chart<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    spec: &ChartSpec,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let draw_err = |e: DrawingAreaErrorKind<DB::ErrorType>| ChartError::Draw {
        title: spec.title.to_string(),
        message: e.to_string(),
    };
    let (width, _) = root.dim_in_pixel();
    root.fill(&WHITE).map_err(draw_err)?;

    root.draw_text(
        spec.title,
        &(FONT, 34, FontStyle::Bold).into_text_style(&root),
        (30, 18),
    )
    .map_err(draw_err)?;
    root.draw_text(
        "Lines: mean across replications.  Shaded bands: 95% confidence interval of the mean.",
        &(FONT, 20).into_font().color(&RGBColor(80, 80, 80)),
        (30, 62),
    )
    .map_err(draw_err)?;
    let body = root.margin(95, 10, 10, 10);

    // Legend in its own column so it can never cover data.
    const LEGEND_FONT_PX: u32 = 20;
    let max_chars = 26;
    let longest = spec
        .series
        .iter()
        .map(|s| s.label.chars().count().min(max_chars))
        .max()
        .unwrap_or(0) as u32;
    let legend_w = (longest * 12 + 90).clamp(180, 420);
    let (plot_area, legend_area) = body.split_horizontally(width.saturating_sub(legend_w + 20));

    let ((x0, x1), (y_min, y_max)) = extents(spec);
    let scale = y_scale(spec.y_label, y_min, y_max);
    let (lo, hi) = (y_min.min(0.0), y_max.max(0.0));
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 1.0 };
    let y_range = (lo * scale.factor)..((hi + pad) * scale.factor);
    let y_range = if lo < 0.0 {
        (lo - pad) * scale.factor..y_range.end
    } else {
        y_range
    };

    let mut chart = ChartBuilder::on(&plot_area)
        .margin(15)
        .x_label_area_size(70)
        .y_label_area_size(120)
        .build_cartesian_2d(x0..x1, y_range)
        .map_err(draw_err)?;

    let years = (x1 - x0).ceil() as usize;
    let x_fmt = |x: &f64| year_label(*x);
    let y_fmt = |y: &f64| group_thousands(*y, scale.decimals);
    chart
        .configure_mesh()
        .x_labels((years + 1).clamp(2, 12))
        .y_labels(8)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(spec.x_label)
        .y_desc(scale.label.as_str())
        .axis_desc_style((FONT, 24))
        .label_style((FONT, 20))
        .bold_line_style(RGBColor(225, 225, 225))
        .max_light_lines(0)
        .axis_style(RGBColor(90, 90, 90))
        .draw()
        .map_err(draw_err)?;

    let points = |s: &BandSeries, ys: &[f64]| -> Vec<(f64, f64)> {
        s.x.iter()
            .zip(ys)
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|(&x, &y)| (x, y * scale.factor))
            .collect()
    };

    // Bands first, then lines, so no band ever veils another series' line.
    for (k, s) in spec.series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let mut band = points(s, &s.high);
        let mut lower = points(s, &s.low);
        lower.reverse();
        band.extend(lower);
        if band.len() >= 3 {
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band,
                    colour.mix(0.22).filled(),
                )))
                .map_err(draw_err)?;
        }
    }
    for (k, s) in spec.series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(points(s, &s.mean), colour.stroke_width(3)))
            .map_err(draw_err)?;
    }

    let text = (FONT, LEGEND_FONT_PX)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (k, s) in spec.series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let y = 30 + 40 * k as i32;
        legend_area
            .draw(&Rectangle::new(
                [(5, y - 12), (45, y + 12)],
                colour.mix(0.22).filled(),
            ))
            .map_err(draw_err)?;
        legend_area
            .draw(&PathElement::new(
                vec![(5, y), (45, y)],
                colour.stroke_width(3),
            ))
            .map_err(draw_err)?;
        legend_area
            .draw_text(&fit(s.label, max_chars), &text, (55, y))
            .map_err(draw_err)?;
    }

    root.present().map_err(draw_err)
}

/// Renders a chart as an SVG document.
pub fn render_svg(spec: &ChartSpec) -> Result<String, ChartError> {
    register_fonts()?;
    let mut svg = String::new();
    draw_chart(
        SVGBackend::with_string(&mut svg, SIZE).into_drawing_area(),
        spec,
    )?;
    Ok(svg)
}

/// A temporary file name unique within this process and across processes.
fn temp_png_path() -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("ovopsim-chart-{}-{n}.png", std::process::id()))
}

/// Renders a chart to a PNG file at `path` (the extension must be `.png`).
pub fn write_png(spec: &ChartSpec, path: &Path) -> Result<(), ChartError> {
    register_fonts()?;
    draw_chart(BitMapBackend::new(path, SIZE).into_drawing_area(), spec)
}

/// Renders a chart as PNG bytes, via a temporary file that is removed again.
pub fn render_png(spec: &ChartSpec) -> Result<Vec<u8>, ChartError> {
    let path = temp_png_path();
    let result = write_png(spec, &path).and_then(|()| {
        std::fs::read(&path).map_err(|source| ChartError::Io {
            action: "read",
            path: path.clone(),
            source,
        })
    });
    // Best effort: a leftover temp file is harmless, the result matters.
    let _ = std::fs::remove_file(&path);
    result
}

/// Human title for a metric's chart; falls back to the metric's description.
fn metric_title(name: &str) -> &'static str {
    match name {
        "income_per_capita" => "Mean income per capita",
        "income_per_capita_median" => "Median income per capita",
        "jobs_agroindustry" => "Agro-industry jobs",
        "member_share" => "Households in producer groups",
        "groups_active" => "Active producer groups",
        "poverty_rate" => "Poverty rate",
        _ => metrics::index(name).map_or("", |i| METRICS[i].description),
    }
}

/// One band series per scenario for `metric`: mean and 95% CI across replications per month.
pub fn metric_series<'a>(all: &'a [ScenarioResults], metric: usize) -> Vec<BandSeries<'a>> {
    all.iter()
        .map(|res| {
            let rows = res.rows();
            let mut s = BandSeries {
                label: &res.name,
                x: Vec::with_capacity(rows),
                mean: Vec::with_capacity(rows),
                low: Vec::with_capacity(rows),
                high: Vec::with_capacity(rows),
            };
            for month in 0..rows {
                let sum = summarize(&res.column(month, metric));
                s.x.push(month_to_year(res.start_year, month));
                s.mean.push(sum.mean);
                s.low.push(sum.ci95_low);
                s.high.push(sum.ci95_high);
            }
            s
        })
        .collect()
}

/// The chart for one metric across all scenarios.
pub fn metric_chart<'a>(all: &'a [ScenarioResults], metric: usize) -> ChartSpec<'a> {
    let m = &METRICS[metric];
    ChartSpec {
        title: metric_title(m.name),
        y_label: m.unit,
        x_label: "year",
        series: metric_series(all, metric),
    }
}

/// The standard charts: for each of [`STANDARD_METRICS`], `<metric>.png` and
/// `<metric>.svg`, with every scenario in `all` as one band series.
///
/// Names carry no folder; callers put them under `charts/`.
pub fn standard_charts(all: &[ScenarioResults]) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let mut files = Vec::with_capacity(2 * STANDARD_METRICS.len());
    for name in STANDARD_METRICS {
        let Some(metric) = metrics::index(name) else {
            continue;
        };
        let spec = metric_chart(all, metric);
        files.push((format!("{name}.png"), render_png(&spec)?));
        files.push((format!("{name}.svg"), render_svg(&spec)?.into_bytes()));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::N_METRICS;
    use crate::results::RunOutput;

    fn fake(name: &str, reps: u32, months: usize, level: f64) -> ScenarioResults {
        let runs = (0..reps)
            .map(|r| {
                let mut run = RunOutput::with_months(r, months);
                for m in 0..=months {
                    let t = m as f64 / 12.0;
                    let noise = ((r as f64 * 7.3 + m as f64 * 1.7).sin()) * 0.08 * (1.0 + t);
                    let mut row = [0.0; N_METRICS];
                    for (i, v) in row.iter_mut().enumerate() {
                        *v = match METRICS[i].unit {
                            u if u.starts_with("share") => {
                                (0.1 + 0.03 * t * level / 1e6 + noise * 0.2).clamp(0.0, 1.0)
                            }
                            u if u.starts_with("Rp") => level * (1.0 + 0.05 * t + noise),
                            _ => 40.0 * level / 1e6 * (1.0 + 0.1 * t + noise),
                        };
                    }
                    run.push_row(&row);
                }
                run
            })
            .collect();
        ScenarioResults {
            name: name.to_string(),
            start_year: 2025,
            runs,
        }
    }

    #[test]
    fn png_and_svg_render() {
        let all = [
            fake("baseline", 10, 120, 1.0e6),
            fake("ovop_full", 10, 120, 1.3e6),
        ];
        let spec = metric_chart(&all, metrics::index("income_per_capita").unwrap());
        let png = render_png(&spec).unwrap();
        assert!(png.len() > 1000);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let svg = render_svg(&spec).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Mean income per capita"));
        assert!(svg.contains("Rp thousand per capita per month"));
        assert!(svg.contains("ovop_full"));
        assert!(svg.contains("2030"));
    }

    #[test]
    fn standard_charts_names() {
        let all = [fake("a", 3, 24, 1.0e6)];
        let files = standard_charts(&all).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names.len(), 2 * STANDARD_METRICS.len());
        assert_eq!(names[0], "income_per_capita.png");
        assert_eq!(names[1], "income_per_capita.svg");
        assert!(names.contains(&"poverty_rate.svg"));
        assert!(files.iter().all(|(_, b)| !b.is_empty()));
    }

    #[test]
    fn empty_and_degenerate_specs_render() {
        let spec = ChartSpec {
            title: "empty",
            y_label: "jobs",
            x_label: "year",
            series: vec![],
        };
        assert!(render_svg(&spec).unwrap().contains("empty"));
        let one = fake("single", 1, 0, 1.0e6);
        let spec = metric_chart(std::slice::from_ref(&one), 0);
        assert!(render_png(&spec).unwrap().starts_with(b"\x89PNG"));
    }

    #[test]
    fn scaling_and_number_formatting() {
        let s = y_scale("Rp per capita per month", 0.0, 1.5e6);
        assert_eq!(s.factor, 1e-3);
        assert_eq!(s.label, "Rp thousand per capita per month");
        let s = y_scale("Rp per month", 0.0, 3e9);
        assert_eq!(s.label, "Rp million per month");
        let s = y_scale("jobs", 0.0, 120.0);
        assert_eq!((s.factor, s.label.as_str()), (1.0, "jobs"));
        let s = y_scale("jobs", 0.0, 25_000.0);
        assert_eq!(s.label, "jobs (thousands)");
        let s = y_scale("share of people", 0.0, 0.4);
        assert_eq!((s.factor, s.label.as_str()), (100.0, "% of people"));
        assert_eq!(group_thousands(1_234_567.0, 0), "1,234,567");
        assert_eq!(group_thousands(-1234.5, 1), "-1,234.5");
        assert_eq!(group_thousands(999.0, 0), "999");
        assert_eq!(group_thousands(-0.001, 1), "0.0");
        assert_eq!(year_label(2030.0), "2030");
        assert_eq!(month_to_year(2025, 0), 2025.0);
        assert_eq!(month_to_year(2025, 18), 2026.5);
    }

    /// Writes sample charts for eyeballing: `cargo test --lib preview -- --ignored`.
    #[test]
    #[ignore]
    fn preview_charts() {
        let all = [
            fake("baseline", 30, 120, 1.0e6),
            fake("ovop_full_programme_with_a_long_name", 30, 120, 1.3e6),
            fake("ovop_no_firms", 30, 120, 1.15e6),
        ];
        let dir = std::env::temp_dir().join("ovopsim-chart-preview");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in standard_charts(&all).unwrap() {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
}
