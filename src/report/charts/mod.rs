//! Chart rendering: draws line, fan, stacked-area, heatmap and bar charts as PNG and SVG bytes.
//!
//! Text is drawn with DejaVu Sans embedded in the binary, so charts look the
//! same on every machine and need no system fonts. Layout is in logical
//! pixels (the SVG's user units, PNG pixels at 96 DPI); a PNG at a higher
//! DPI is the same drawing scaled up, and records its DPI in the file so
//! LaTeX and word processors place it at the intended physical size.
//!
//! Series are told apart by dash pattern and marker shape as well as colour,
//! so charts survive grayscale printing; filled areas use colours of clearly
//! different lightness for the same reason.

use std::sync::OnceLock;

use plotters::coord::{CoordTranslate, Shift};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use super::format::{display_unit, group_thousands};

const FONT: &str = "sans-serif";

/// Size, resolution and titling of rendered charts.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartOptions {
    /// Width in logical pixels (SVG user units; PNG pixels at 96 DPI).
    pub width: u32,
    /// Height in logical pixels.
    pub height: u32,
    /// PNG resolution: the PNG is `width * dpi / 96` pixels wide and records
    /// this DPI. SVG is vector and ignores it.
    pub dpi: u32,
    /// Text put before every chart's own title, e.g. a study area
    /// (`"Lombok: Mean income per capita"`).
    pub title: Option<String>,
    /// Draw titles and the explanatory note under them. Turn off for papers
    /// whose figure captions say the same.
    pub show_titles: bool,
}

impl Default for ChartOptions {
    fn default() -> Self {
        Self {
            width: 1200,
            height: 720,
            dpi: 96,
            title: None,
            show_titles: true,
        }
    }
}

impl ChartOptions {
    /// PNG pixels per logical pixel.
    fn png_scale(&self) -> f64 {
        f64::from(self.dpi.max(1)) / 96.0
    }
}

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
    /// Options that cannot give an image (zero or absurd size).
    #[error("cannot draw chart {title:?}: {message}")]
    Options {
        /// Title of the chart being drawn.
        title: String,
        /// What is wrong.
        message: String,
    },
    /// The PNG encoder failed.
    #[error("cannot encode chart {title:?} as PNG: {message}")]
    Png {
        /// Title of the chart being drawn.
        title: String,
        /// The encoder's error text.
        message: String,
    },
}

/// One line, optionally with a shaded band around it. Vectors have equal length.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// Line style index: colour, dash and marker (see [`line_style`]). The
    /// same scenario keeps the same index on every chart.
    pub style: usize,
    /// Time as fractional calendar years.
    pub x: Vec<f64>,
    /// The line.
    pub y: Vec<f64>,
    /// Lower and upper edge of the band, if any.
    pub band: Option<(Vec<f64>, Vec<f64>)>,
}

/// What a chart draws.
#[derive(Debug, Clone)]
pub enum Plot {
    /// Lines with optional bands; `band_label` names the bands in the legend.
    Lines {
        /// The lines.
        series: Vec<Series>,
        /// Legend entry for the bands, e.g. "95% CI of the mean".
        band_label: Option<String>,
        /// Draw a horizontal line at zero (difference charts).
        zero_line: bool,
    },
    /// A mean line inside two nested bands.
    Fan {
        /// Time as fractional calendar years.
        x: Vec<f64>,
        /// The line.
        mean: Vec<f64>,
        /// Legend text of the line.
        mean_label: String,
        /// Inner band (lower, upper) and its legend text.
        inner: (Vec<f64>, Vec<f64>, String),
        /// Outer band (lower, upper) and its legend text.
        outer: (Vec<f64>, Vec<f64>, String),
    },
    /// Layers stacked from the first (bottom) to the last (top).
    Stacked {
        /// Time as fractional calendar years.
        x: Vec<f64>,
        /// (legend text, values) per layer.
        layers: Vec<(String, Vec<f64>)>,
    },
    /// Values on a grid of two parameters; NaN marks a missing cell.
    Heatmap {
        /// Name of the parameter along the x axis.
        x_name: String,
        /// Its values, one per column.
        x_values: Vec<f64>,
        /// Name of the parameter along the y axis.
        y_name: String,
        /// Its values, one per row, bottom row first.
        y_values: Vec<f64>,
        /// `z[row][column]`.
        z: Vec<Vec<f64>>,
    },
    /// Horizontal bars, one row per parameter (first row at the top), with
    /// one bar per kind in each row and optional confidence whiskers.
    Bars {
        /// Row labels, top to bottom.
        parameters: Vec<String>,
        /// Legend text of each kind of bar (one or two are told apart by fill).
        kinds: Vec<String>,
        /// `values[kind][parameter]`; NaN draws no bar.
        values: Vec<Vec<f64>>,
        /// `ci[kind][parameter]` = (low, high); NaN in either draws no whisker.
        ci: Vec<Vec<(f64, f64)>>,
    },
}

/// A chart: texts, the value unit and what to draw.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Title.
    pub title: String,
    /// One or two sentences under the title saying what lines and bands are.
    pub note: String,
    /// X axis label (time charts: "year").
    pub x_label: String,
    /// Value unit as declared for the metric, e.g. `Rp per capita per month`;
    /// the renderer adds the scale it picks (thousand, million, %).
    pub unit: String,
    /// Values are differences (shares then read as percentage points).
    pub difference: bool,
    /// What to draw.
    pub plot: Plot,
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

/// How values are rescaled for display, with the axis label that says so.
#[derive(Debug, Clone, PartialEq)]
struct Scale {
    factor: f64,
    label: String,
    decimals: usize,
}

/// Picks percent for shares and thousand/million/billion for large amounts,
/// and enough decimals to tell apart ticks about a tenth of the span apart.
fn value_scale(unit: &str, difference: bool, min: f64, max: f64) -> Scale {
    let (factor, label) = display_unit(unit, difference);
    let (factor, label) = if factor != 1.0 {
        (factor, label)
    } else {
        let max_abs = min.abs().max(max.abs());
        let (f, word) = if max_abs >= 1e10 {
            (1e-9, "billion")
        } else if max_abs >= 1e7 {
            (1e-6, "million")
        } else if max_abs >= 1e4 {
            (1e-3, "thousand")
        } else {
            (1.0, "")
        };
        let label = if word.is_empty() {
            label
        } else if let Some(rest) = label.strip_prefix("Rp") {
            format!("Rp {word}{rest}")
        } else {
            format!("{label} ({word}s)")
        };
        (f, label)
    };
    let label = if difference && !label.starts_with("percentage") {
        format!("difference, {label}")
    } else {
        label
    };
    let step = (max - min) * factor / 10.0;
    let decimals = if step >= 1.0 || step <= 0.0 || !step.is_finite() {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 4.0) as usize
    };
    Scale {
        factor,
        label,
        decimals,
    }
}

/// Year ticks from the start of the run at a round step giving at most 12
/// ticks, so the first year is labelled and, when the step divides the
/// horizon, the last (2025, 2027, ..., 2045).
fn year_ticks(x0: f64, x1: f64) -> Vec<f64> {
    let span = x1 - x0;
    let step = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
        .into_iter()
        .find(|st| span / st <= 11.0)
        .unwrap_or(span / 10.0);
    let n = (span / step + 1e-9).floor().max(0.0) as i64;
    (0..=n).map(|k| x0 + k as f64 * step).collect()
}

/// True minus sign for chart labels; DejaVu has it and it reads better than a hyphen.
const MINUS: &str = "\u{2212}";

fn year_tick(x: f64) -> String {
    if (x - x.round()).abs() < 1e-6 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}").trim_end_matches('0').to_string()
    }
}

/// Colour, dash pattern (dash, gap in logical px; `None` = solid) and marker of a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineStyle {
    /// Stroke colour.
    pub colour: RGBColor,
    /// Dash and gap lengths, or solid.
    pub dash: Option<(f64, f64)>,
    /// Marker drawn at regular points along the line.
    pub marker: Marker,
}

/// Point marker shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Filled circle.
    Circle,
    /// Filled triangle.
    Triangle,
    /// Hollow square.
    Square,
    /// Filled diamond.
    Diamond,
    /// Diagonal cross.
    Cross,
}

/// Style `k`: black solid with circles first (the reference scenario), then
/// Okabe-Ito colours, each with its own dash pattern and marker, so lines
/// stay distinct in grayscale and for colour-blind readers.
pub fn line_style(k: usize) -> LineStyle {
    const STYLES: [LineStyle; 6] = [
        LineStyle {
            colour: RGBColor(0, 0, 0),
            dash: None,
            marker: Marker::Circle,
        },
        LineStyle {
            colour: RGBColor(0, 114, 178),
            dash: Some((14.0, 7.0)),
            marker: Marker::Triangle,
        },
        LineStyle {
            colour: RGBColor(213, 94, 0),
            dash: Some((4.0, 5.0)),
            marker: Marker::Square,
        },
        LineStyle {
            colour: RGBColor(0, 158, 115),
            dash: Some((24.0, 8.0)),
            marker: Marker::Diamond,
        },
        LineStyle {
            colour: RGBColor(204, 121, 167),
            dash: Some((8.0, 4.0)),
            marker: Marker::Cross,
        },
        LineStyle {
            colour: RGBColor(86, 180, 233),
            dash: None,
            marker: Marker::Square,
        },
    ];
    STYLES[k % STYLES.len()]
}

/// Fill colours of stacked layers, dark to light (YlGnBu), so neighbours
/// differ in lightness and stay apart in grayscale.
const LAYER_FILLS: [RGBColor; 5] = [
    RGBColor(37, 52, 148),
    RGBColor(44, 127, 184),
    RGBColor(65, 182, 196),
    RGBColor(161, 218, 180),
    RGBColor(255, 255, 204),
];

/// Fan colour: the mean line, and opaque blends of it with white for the bands.
const FAN: RGBColor = RGBColor(8, 69, 148);

/// `c` blended with white; `t` = 1 is `c`, 0 is white.
fn tint(c: RGBColor, t: f64) -> RGBColor {
    let mix = |v: u8| (255.0 - (255.0 - f64::from(v)) * t).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// Viridis, sampled at nine points: lightness rises monotonically, so the
/// colour scale reads correctly in grayscale.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (VIRIDIS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(VIRIDIS.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let lerp = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

/// A legend entry's symbol.
enum Key {
    Line(LineStyle),
    Fill(RGBColor),
    /// A confidence-interval whisker of a bar chart.
    Whisker,
}

/// Everything drawn, with the `s` scale from logical to device pixels.
struct Painter<'a> {
    chart: &'a Chart,
    s: f64,
}

impl Painter<'_> {
    fn px(&self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }
    fn pt(&self, v: f64) -> f64 {
        v * self.s
    }
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    marker: Marker,
    r: i32,
    colour: RGBColor,
    stroke: u32,
) -> DrawResult<DB> {
    let filled = colour.filled();
    let outline = colour.stroke_width(stroke);
    match marker {
        Marker::Circle => area.draw(&Circle::new(at, r, filled)),
        Marker::Triangle => area.draw(&Polygon::new(
            vec![
                (at.0, at.1 - r - r / 3),
                (at.0 + r + r / 6, at.1 + r - r / 3),
                (at.0 - r - r / 6, at.1 + r - r / 3),
            ],
            filled,
        )),
        Marker::Square => {
            let q = r * 4 / 5;
            area.draw(&Rectangle::new(
                [(at.0 - q, at.1 - q), (at.0 + q, at.1 + q)],
                WHITE.filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(at.0 - q, at.1 - q), (at.0 + q, at.1 + q)],
                outline,
            ))
        }
        Marker::Diamond => area.draw(&Polygon::new(
            vec![
                (at.0, at.1 - r - 1),
                (at.0 + r, at.1),
                (at.0, at.1 + r + 1),
                (at.0 - r, at.1),
            ],
            filled,
        )),
        Marker::Cross => {
            area.draw(&PathElement::new(
                vec![(at.0 - r, at.1 - r), (at.0 + r, at.1 + r)],
                outline,
            ))?;
            area.draw(&PathElement::new(
                vec![(at.0 - r, at.1 + r), (at.0 + r, at.1 - r)],
                outline,
            ))
        }
    }
}

/// Draws a polyline in device pixels, solid or dashed.
fn draw_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: Vec<(i32, i32)>,
    style: &LineStyle,
    p: &Painter,
    width: f64,
) -> DrawResult<DB> {
    let stroke = style.colour.stroke_width(p.px(width).max(1) as u32);
    match style.dash {
        None => area.draw(&PathElement::new(points, stroke)),
        Some((dash, gap)) => area.draw(&DashedPathElement::new(
            points,
            p.px(dash).max(1),
            p.px(gap).max(1),
            stroke,
        )),
    }
}

/// Finite (x, y) pairs, y multiplied by `factor`.
fn finite_points(x: &[f64], y: &[f64], factor: f64) -> Vec<(f64, f64)> {
    x.iter()
        .zip(y)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(&x, &y)| (x, y * factor))
        .collect()
}

/// Polygon of a band: upper edge left to right, lower edge back.
fn band_polygon(x: &[f64], low: &[f64], high: &[f64], factor: f64) -> Vec<(f64, f64)> {
    let keep: Vec<usize> = (0..x.len())
        .filter(|&i| x[i].is_finite() && low[i].is_finite() && high[i].is_finite())
        .collect();
    let mut poly: Vec<(f64, f64)> = keep.iter().map(|&i| (x[i], high[i] * factor)).collect();
    poly.extend(keep.iter().rev().map(|&i| (x[i], low[i] * factor)));
    poly
}

/// X extent and the value range (before display scaling) of a time chart.
fn extents(plot: &Plot) -> ((f64, f64), (f64, f64)) {
    let mut xs = (f64::INFINITY, f64::NEG_INFINITY);
    let mut ys = (f64::INFINITY, f64::NEG_INFINITY);
    let mut add = |x: &[f64], y: &[f64]| {
        for (&xi, &yi) in x.iter().zip(y) {
            if xi.is_finite() && yi.is_finite() {
                xs = (xs.0.min(xi), xs.1.max(xi));
                ys = (ys.0.min(yi), ys.1.max(yi));
            }
        }
    };
    match plot {
        Plot::Lines { series, .. } => {
            for s in series {
                add(&s.x, &s.y);
                if let Some((lo, hi)) = &s.band {
                    add(&s.x, lo);
                    add(&s.x, hi);
                }
            }
        }
        Plot::Fan {
            x,
            mean,
            inner,
            outer,
            ..
        } => {
            for y in [mean, &inner.0, &inner.1, &outer.0, &outer.1] {
                add(x, y);
            }
        }
        Plot::Stacked { x, layers } => {
            let mut total = vec![0.0; x.len()];
            for (_, values) in layers {
                for (t, v) in total.iter_mut().zip(values) {
                    *t += v;
                }
                add(x, &total);
            }
        }
        Plot::Heatmap { z, .. } => {
            for row in z {
                for &v in row.iter().filter(|v| v.is_finite()) {
                    ys = (ys.0.min(v), ys.1.max(v));
                }
            }
        }
        Plot::Bars { values, ci, .. } => {
            let whisker_ends = ci.iter().flatten().flat_map(|&(lo, hi)| [lo, hi]);
            for v in values
                .iter()
                .flatten()
                .copied()
                .chain(whisker_ends)
                .filter(|v| v.is_finite())
            {
                ys = (ys.0.min(v), ys.1.max(v));
            }
        }
    }
    if xs.0 > xs.1 {
        xs = (0.0, 1.0);
    } else if xs.0 == xs.1 {
        xs = (xs.0 - 0.5, xs.1 + 0.5);
    }
    if ys.0 > ys.1 {
        ys = (0.0, 1.0);
    }
    (xs, ys)
}

/// Splits `text` into at most two lines that fit `max_w` device pixels.
fn wrap2<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: u32,
) -> Vec<String> {
    let fits = |t: &str| {
        area.estimate_text_size(t, style)
            .map_or(true, |(w, _)| w <= max_w)
    };
    if fits(text) {
        return vec![text.to_string()];
    }
    let words: Vec<&str> = text.split(' ').collect();
    let mut first = String::new();
    let mut split = words.len();
    for (i, w) in words.iter().enumerate() {
        let candidate = if first.is_empty() {
            (*w).to_string()
        } else {
            format!("{first} {w}")
        };
        if !fits(&candidate) && !first.is_empty() {
            split = i;
            break;
        }
        first = candidate;
    }
    let rest = words[split..].join(" ");
    if rest.is_empty() {
        vec![first]
    } else {
        vec![first, rest]
    }
}

/// Draws the chart on `root` (whose pixels are logical pixels times `s`).
fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    chart: &Chart,
    opts: &ChartOptions,
    s: f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| ChartError::Draw {
        title: chart.title.clone(),
        message: e.to_string(),
    };
    let p = Painter { chart, s };
    let (width, height) = root.dim_in_pixel();
    root.fill(&WHITE).map_err(err)?;

    let mut top = p.px(12.0);
    if opts.show_titles {
        let title = match &opts.title {
            Some(prefix) if !prefix.is_empty() => format!("{prefix}: {}", chart.title),
            _ => chart.title.clone(),
        };
        let title_style = (FONT, p.pt(30.0), FontStyle::Bold).into_text_style(&root);
        root.draw_text(&title, &title_style, (p.px(28.0), p.px(14.0)))
            .map_err(err)?;
        let note_style = (FONT, p.pt(18.0)).into_font().color(&RGBColor(70, 70, 70));
        let lines = wrap2(
            &root,
            &chart.note,
            &note_style,
            width.saturating_sub(p.px(56.0) as u32),
        );
        for (i, line) in lines.iter().enumerate() {
            root.draw_text(
                line,
                &note_style,
                (p.px(28.0), p.px(56.0 + 23.0 * i as f64)),
            )
            .map_err(err)?;
        }
        top = p.px(62.0 + 23.0 * lines.len() as f64);
    }
    let body = root.margin(top, 0, 0, 0);

    if let Plot::Heatmap { .. } = chart.plot {
        draw_heatmap(&body, &p).map_err(err)?;
        return root.present().map_err(err);
    }

    // Legend below the plot in its own strip, so it can never cover data.
    let keys = legend_keys(chart);
    let (rows, legend_h) = legend_layout(&body, &keys, &p);
    let body_h = (height as i32 - top).max(1);
    let (plot_area, legend_area) = body.split_vertically((body_h - legend_h).max(1));

    if let Plot::Bars { .. } = chart.plot {
        draw_bars(&plot_area, &p).map_err(err)?;
        draw_legend(&legend_area, &keys, &rows, &p).map_err(err)?;
        return root.present().map_err(err);
    }

    let ((x0, x1), (y_min, y_max)) = extents(&chart.plot);
    // Levels and differences are both read against zero, so zero is always in view.
    let (lo, hi) = (y_min.min(0.0), y_max.max(0.0));
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 1.0 };
    let y_lo = if lo < 0.0 { lo - pad } else { lo };
    let y_hi = hi + pad;
    let scale = value_scale(&chart.unit, chart.difference, y_lo, y_hi);
    let y_range = (y_lo * scale.factor)..(y_hi * scale.factor);

    let mut cc = ChartBuilder::on(&plot_area)
        .margin_top(p.px(10.0))
        .margin_right(p.px(36.0))
        .margin_left(p.px(16.0))
        .x_label_area_size(p.px(62.0))
        .y_label_area_size(p.px(112.0))
        .build_cartesian_2d(x0..x1, y_range.clone())
        .map_err(err)?;
    let y_fmt = |y: &f64| group_thousands(*y, scale.decimals, ",", MINUS);
    // Year ticks are drawn by hand below: plotters' automatic ticks skip the
    // first and last year of the run, which readers look for.
    cc.configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(8)
        .set_all_tick_mark_size(p.px(5.0))
        .y_label_formatter(&y_fmt)
        .x_desc(chart.x_label.as_str())
        .y_desc(scale.label.as_str())
        .axis_desc_style((FONT, p.pt(22.0)))
        .label_style((FONT, p.pt(19.0)))
        .bold_line_style(RGBColor(222, 222, 222).stroke_width(p.px(1.0).max(1) as u32))
        .max_light_lines(0)
        .axis_style(RGBColor(90, 90, 90).stroke_width(p.px(1.0).max(1) as u32))
        .draw()
        .map_err(err)?;
    let f = scale.factor;
    // Everything below is drawn on `root` in device pixels through this
    // mapping, so lines, bands and markers share one coordinate path.
    let coord = cc.as_coord_spec().clone();
    let to_px = |pts: &[(f64, f64)]| -> Vec<(i32, i32)> {
        pts.iter().map(|pt| coord.translate(pt)).collect()
    };
    let tick_font = (FONT, p.pt(19.0))
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for x in year_ticks(x0, x1) {
        let bottom = coord.translate(&(x, y_range.start));
        let top = coord.translate(&(x, y_range.end));
        root.draw(&PathElement::new(
            vec![top, bottom],
            RGBColor(222, 222, 222).stroke_width(p.px(1.0).max(1) as u32),
        ))
        .map_err(err)?;
        root.draw(&PathElement::new(
            vec![bottom, (bottom.0, bottom.1 + p.px(6.0))],
            RGBColor(90, 90, 90).stroke_width(p.px(1.0).max(1) as u32),
        ))
        .map_err(err)?;
        root.draw_text(&year_tick(x), &tick_font, (bottom.0, bottom.1 + p.px(9.0)))
            .map_err(err)?;
    }

    match &chart.plot {
        Plot::Lines {
            series, zero_line, ..
        } => {
            if *zero_line {
                let z = to_px(&[(x0, 0.0), (x1, 0.0)]);
                root.draw(&PathElement::new(
                    z,
                    RGBColor(60, 60, 60).stroke_width(p.px(1.5).max(1) as u32),
                ))
                .map_err(err)?;
            }
            // Bands first, then lines, so no band veils another series' line.
            for sr in series {
                if let Some((low, high)) = &sr.band {
                    let poly = band_polygon(&sr.x, low, high, f);
                    if poly.len() >= 3 {
                        let c = line_style(sr.style).colour;
                        root.draw(&Polygon::new(to_px(&poly), c.mix(0.16).filled()))
                            .map_err(err)?;
                    }
                }
            }
            let n_series = series.len().max(1);
            for (k, sr) in series.iter().enumerate() {
                let st = line_style(sr.style);
                let pts = finite_points(&sr.x, &sr.y, f);
                draw_path(&root, to_px(&pts), &st, &p, 2.5).map_err(err)?;
                // Markers at about eight places, shifted per series so they
                // do not sit on top of each other where lines meet.
                let step = (pts.len() / 8).max(1);
                let offset = step * k / n_series + step / (2 * n_series).max(1);
                for pt in pts.iter().skip(offset % step).step_by(step) {
                    draw_marker(
                        &root,
                        coord.translate(pt),
                        st.marker,
                        p.px(6.5),
                        st.colour,
                        p.px(2.0).max(1) as u32,
                    )
                    .map_err(err)?;
                }
            }
        }
        Plot::Fan {
            x,
            mean,
            inner,
            outer,
            ..
        } => {
            for (band, t) in [(outer, 0.22), (inner, 0.5)] {
                let poly = band_polygon(x, &band.0, &band.1, f);
                if poly.len() >= 3 {
                    root.draw(&Polygon::new(to_px(&poly), tint(FAN, t).filled()))
                        .map_err(err)?;
                }
            }
            let st = LineStyle {
                colour: FAN,
                dash: None,
                marker: Marker::Circle,
            };
            draw_path(&root, to_px(&finite_points(x, mean, f)), &st, &p, 3.0).map_err(err)?;
        }
        Plot::Stacked { x, layers } => {
            let mut below = vec![0.0; x.len()];
            for (i, (_, values)) in layers.iter().enumerate() {
                let above: Vec<f64> = below.iter().zip(values).map(|(b, v)| b + v).collect();
                let poly = band_polygon(x, &below, &above, f);
                if poly.len() >= 3 {
                    root.draw(&Polygon::new(
                        to_px(&poly),
                        LAYER_FILLS[i % LAYER_FILLS.len()].filled(),
                    ))
                    .map_err(err)?;
                }
                let edge = LineStyle {
                    colour: RGBColor(30, 30, 30),
                    dash: None,
                    marker: Marker::Circle,
                };
                draw_path(&root, to_px(&finite_points(x, &above, f)), &edge, &p, 1.2)
                    .map_err(err)?;
                below = above;
            }
        }
        Plot::Heatmap { .. } | Plot::Bars { .. } => unreachable!("drawn by their own functions"),
    }

    draw_legend(&legend_area, &keys, &rows, &p).map_err(err)?;
    root.present().map_err(err)
}

/// Legend rows, each a list of (key index, x in device pixels).
type LegendRows = Vec<Vec<(usize, i32)>>;

/// Places legend entries left to right, wrapping to new rows; returns the
/// rows and the strip height in device pixels.
fn legend_layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    keys: &[(Key, String)],
    p: &Painter,
) -> (LegendRows, i32) {
    let width = area.dim_in_pixel().0 as i32;
    let legend_font = (FONT, p.pt(18.0)).into_font().color(&BLACK);
    let sample_w = p.px(56.0);
    let gap = p.px(30.0);
    let mut rows: LegendRows = vec![vec![]];
    let mut cursor = p.px(28.0);
    for (i, (_, label)) in keys.iter().enumerate() {
        let text_w = area
            .estimate_text_size(label, &legend_font)
            .map_or(200, |(w, _)| w as i32);
        let entry_w = sample_w + p.px(8.0) + text_w;
        if cursor + entry_w > width - p.px(20.0) && !rows.last().unwrap().is_empty() {
            rows.push(vec![]);
            cursor = p.px(28.0);
        }
        rows.last_mut().unwrap().push((i, cursor));
        cursor += entry_w + gap;
    }
    let legend_h = if keys.is_empty() {
        0
    } else {
        rows.len() as i32 * p.px(30.0) + p.px(10.0)
    };
    (rows, legend_h)
}

/// Draws the legend entries placed by [`legend_layout`].
fn draw_legend<DB: DrawingBackend>(
    legend_area: &DrawingArea<DB, Shift>,
    keys: &[(Key, String)],
    rows: &[Vec<(usize, i32)>],
    p: &Painter,
) -> DrawResult<DB> {
    let sample_w = p.px(56.0);
    let row_h = p.px(30.0);
    let text = (FONT, p.pt(18.0))
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (r, row) in rows.iter().enumerate() {
        let y = p.px(8.0) + row_h * r as i32 + row_h / 2;
        for &(i, x) in row {
            let (key, label) = &keys[i];
            match key {
                Key::Line(st) => {
                    draw_path(legend_area, vec![(x, y), (x + sample_w, y)], st, p, 2.5)?;
                    if st.colour != FAN || keys.len() != 3 {
                        draw_marker(
                            legend_area,
                            (x + sample_w / 2, y),
                            st.marker,
                            p.px(6.5),
                            st.colour,
                            p.px(2.0).max(1) as u32,
                        )?;
                    }
                }
                Key::Fill(c) => {
                    legend_area.draw(&Rectangle::new(
                        [(x, y - p.px(10.0)), (x + sample_w, y + p.px(10.0))],
                        c.filled(),
                    ))?;
                    legend_area.draw(&Rectangle::new(
                        [(x, y - p.px(10.0)), (x + sample_w, y + p.px(10.0))],
                        RGBColor(60, 60, 60).stroke_width(1),
                    ))?;
                }
                Key::Whisker => {
                    draw_whisker(
                        legend_area,
                        x + p.px(6.0),
                        x + sample_w - p.px(6.0),
                        y,
                        p.px(6.0),
                        p,
                    )?;
                }
            }
            legend_area.draw_text(label, &text, (x + sample_w + p.px(8.0), y))?;
        }
    }
    Ok(())
}

fn legend_keys(chart: &Chart) -> Vec<(Key, String)> {
    match &chart.plot {
        Plot::Lines {
            series, band_label, ..
        } => {
            let mut keys: Vec<(Key, String)> = series
                .iter()
                .map(|s| (Key::Line(line_style(s.style)), s.label.clone()))
                .collect();
            if let Some(b) = band_label
                && series.iter().any(|s| s.band.is_some())
            {
                keys.push((Key::Fill(tint(RGBColor(0, 0, 0), 0.16)), b.clone()));
            }
            keys
        }
        Plot::Fan {
            mean_label,
            inner,
            outer,
            ..
        } => vec![
            (
                Key::Line(LineStyle {
                    colour: FAN,
                    dash: None,
                    marker: Marker::Circle,
                }),
                mean_label.clone(),
            ),
            (Key::Fill(tint(FAN, 0.5)), inner.2.clone()),
            (Key::Fill(tint(FAN, 0.22)), outer.2.clone()),
        ],
        Plot::Stacked { layers, .. } => layers
            .iter()
            .enumerate()
            .map(|(i, (label, _))| (Key::Fill(LAYER_FILLS[i % LAYER_FILLS.len()]), label.clone()))
            .collect(),
        Plot::Heatmap { .. } => vec![],
        Plot::Bars { kinds, ci, .. } => {
            let mut keys: Vec<(Key, String)> = kinds
                .iter()
                .enumerate()
                .map(|(k, label)| (Key::Fill(bar_fill(k)), label.clone()))
                .collect();
            if ci
                .iter()
                .flatten()
                .any(|(lo, hi)| lo.is_finite() && hi.is_finite())
            {
                keys.push((Key::Whisker, "95% confidence interval".to_string()));
            }
            keys
        }
    }
}

/// Bar fills by kind: dark, then light (drawn with an outline), so the two
/// kinds differ in lightness and stay apart in grayscale.
const BAR_FILLS: [RGBColor; 2] = [RGBColor(33, 102, 172), RGBColor(198, 219, 239)];

fn bar_fill(kind: usize) -> RGBColor {
    BAR_FILLS[kind % BAR_FILLS.len()]
}

/// Decimals that show a tick step exactly (0.25 needs two, 0.1 one).
fn step_decimals(step: f64) -> usize {
    (0..=4)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(4)
}

/// `text` cut at the end with an ellipsis until it fits `max_w` device pixels.
fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: i32,
) -> String {
    let fits = |t: &str| {
        area.estimate_text_size(t, style)
            .map_or(true, |(w, _)| w as i32 <= max_w)
    };
    if fits(text) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len())
        .rev()
        .map(|n| format!("{}\u{2026}", chars[..n].iter().collect::<String>()))
        .find(|t| fits(t))
        .unwrap_or_else(|| "\u{2026}".to_string())
}

/// A horizontal confidence whisker from `x0` to `x1` at height `y`, with end
/// caps. Black on the dark fill still reads; a white halo was tried and cut
/// single bars visually in two.
fn draw_whisker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x0: i32,
    x1: i32,
    y: i32,
    cap: i32,
    p: &Painter,
) -> DrawResult<DB> {
    let segments = [
        vec![(x0, y), (x1, y)],
        vec![(x0, y - cap), (x0, y + cap)],
        vec![(x1, y - cap), (x1, y + cap)],
    ];
    for seg in segments {
        area.draw(&PathElement::new(
            seg,
            BLACK.stroke_width(p.px(2.0).max(1) as u32),
        ))?;
    }
    Ok(())
}

/// Draws horizontal bars by hand in device pixels: parameter names at the
/// left (the margin grows to fit them), rows top to bottom in the given
/// order, a value axis at the bottom and a zero line.
fn draw_bars<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, p: &Painter) -> DrawResult<DB> {
    let Plot::Bars {
        parameters,
        values,
        ci,
        ..
    } = &p.chart.plot
    else {
        return Ok(());
    };
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let n = parameters.len().max(1) as i32;
    let top = p.px(12.0);
    let bottom = p.px(86.0);
    let right = p.px(40.0);
    let plot_h = (h - top - bottom).max(n);
    let row_h = f64::from(plot_h) / f64::from(n);

    // Names shrink with crowded rows, and then together to fit at most 45%
    // of the width, but not below 14 pt: one outlandish name is cut rather
    // than making every other name hard to read.
    let max_left = (f64::from(w) * 0.45) as i32;
    let mut name_px = p.pt(19.0).min(row_h * 0.7).max(p.pt(9.0));
    let widest = |px: f64| {
        let font = (FONT, px).into_font().color(&BLACK);
        parameters
            .iter()
            .filter_map(|t| area.estimate_text_size(t, &font).ok())
            .map(|(tw, _)| tw as i32)
            .max()
            .unwrap_or(0)
    };
    let pad = p.px(14.0);
    let widest_now = widest(name_px);
    if widest_now + 2 * pad > max_left && widest_now > 0 {
        name_px = (name_px * f64::from(max_left - 2 * pad) / f64::from(widest_now))
            .max(p.pt(14.0).min(name_px));
    }
    let left = (widest(name_px) + 2 * pad).clamp(p.px(60.0), max_left);
    let plot_w = (w - left - right).max(1);

    let ((_, _), (v_min, v_max)) = extents(&p.chart.plot);
    // Bars start at zero, so zero is always in view.
    let (lo, hi) = (v_min.min(0.0), v_max.max(0.0));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (lo, hi) = (
        if lo < 0.0 { lo - span * 0.04 } else { lo },
        hi + span * 0.04,
    );
    let to_x = |v: f64| left + ((v - lo) / (hi - lo) * f64::from(plot_w)).round() as i32;
    // Morris effects in money read better in thousands, as on other charts;
    // indices (a bare unit such as "Sobol index") stay as they are.
    let scale = value_scale(&p.chart.unit, p.chart.difference, lo, hi);
    let f = scale.factor;
    let tick_font = (FONT, p.pt(19.0))
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let tick_text = |t: f64, step: f64| group_thousands(t, step_decimals(step), ",", MINUS);
    let widest_tick = |ticks: &[f64], step: f64| {
        ticks
            .iter()
            .filter_map(|&t| {
                area.estimate_text_size(&tick_text(t, step), &tick_font)
                    .ok()
            })
            .map(|(tw, _)| tw as i32)
            .max()
            .unwrap_or(0)
    };
    // Values are read off the axis, so ticks come twice as dense as
    // `nice_ticks` gives when their labels fit, and sparser when they would touch.
    let ticks_at = |step: f64| -> Vec<f64> {
        let first = (lo * f / step - 1e-9).ceil() as i64;
        let last = (hi * f / step + 1e-9).floor() as i64;
        (first..=last).map(|k| k as f64 * step).collect()
    };
    let coarse = nice_ticks(lo * f, hi * f);
    let base = if coarse.len() > 1 {
        coarse[1] - coarse[0]
    } else {
        (hi - lo) * f
    };
    let (ticks, step) = [0.5, 1.0, 2.0, 4.0, 10.0]
        .into_iter()
        .map(|m| (ticks_at(base * m), base * m))
        .find(|(ticks, step)| {
            let spacing = f64::from(plot_w) * step / ((hi - lo) * f);
            spacing >= f64::from(widest_tick(ticks, *step) + p.px(16.0))
        })
        .unwrap_or_else(|| (ticks_at(base * 10.0), base * 10.0));

    let grid = RGBColor(222, 222, 222).stroke_width(p.px(1.0).max(1) as u32);
    let axis = RGBColor(90, 90, 90).stroke_width(p.px(1.0).max(1) as u32);
    for &t in &ticks {
        let x = to_x(t / f);
        area.draw(&PathElement::new(vec![(x, top), (x, top + plot_h)], grid))?;
        area.draw(&PathElement::new(
            vec![(x, top + plot_h), (x, top + plot_h + p.px(6.0))],
            axis,
        ))?;
        area.draw_text(
            &tick_text(t, step),
            &tick_font,
            (x, top + plot_h + p.px(9.0)),
        )?;
    }
    area.draw_text(
        &scale.label,
        &(FONT, p.pt(22.0))
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top)),
        (left + plot_w / 2, top + plot_h + p.px(44.0)),
    )?;

    let kinds = values.len().max(1);
    let group_h = row_h * 0.74;
    let bar_h = group_h / kinds as f64;
    let name_font = (FONT, name_px)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    let outline = RGBColor(50, 50, 50).stroke_width(p.px(1.0).max(1) as u32);
    let zero = to_x(0.0);
    for (row, name) in parameters.iter().enumerate() {
        let row_top = f64::from(top) + row_h * row as f64;
        let centre = (row_top + row_h / 2.0).round() as i32;
        let label = fit_text(area, name, &name_font, left - 2 * pad);
        area.draw_text(&label, &name_font, (left - pad, centre))?;
        for k in 0..kinds {
            let y0 = row_top + (row_h - group_h) / 2.0 + bar_h * k as f64;
            let (y0, y1) = (y0.round() as i32, (y0 + bar_h).round() as i32);
            let v = values
                .get(k)
                .and_then(|r| r.get(row))
                .copied()
                .unwrap_or(f64::NAN);
            if v.is_finite() {
                let x = to_x(v);
                let rect = [(zero.min(x), y0), (zero.max(x), y1)];
                area.draw(&Rectangle::new(rect, bar_fill(k).filled()))?;
                area.draw(&Rectangle::new(rect, outline))?;
            }
            let (c_lo, c_hi) = ci
                .get(k)
                .and_then(|r| r.get(row))
                .copied()
                .unwrap_or((f64::NAN, f64::NAN));
            if c_lo.is_finite() && c_hi.is_finite() {
                // Caps stay inside the bar's own band so they never reach the
                // neighbouring bar in crowded charts.
                let cap = p.px(6.0).min((y1 - y0) / 2 - 1).max(1);
                draw_whisker(area, to_x(c_lo), to_x(c_hi), (y0 + y1) / 2, cap, p)?;
            }
        }
    }
    // Zero line and axis frame last, over the bars' ends at zero.
    area.draw(&PathElement::new(
        vec![(zero, top), (zero, top + plot_h)],
        RGBColor(40, 40, 40).stroke_width(p.px(1.5).max(1) as u32),
    ))?;
    area.draw(&PathElement::new(
        vec![(left, top + plot_h), (left + plot_w, top + plot_h)],
        axis,
    ))?;
    Ok(())
}

/// Formats a parameter value for an axis: integers plainly, others with up
/// to three significant decimals.
fn param_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        group_thousands(v, 0, ",", "-")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').to_string()
    }
}

/// Draws a heatmap by hand in device pixels: equal cells whatever the
/// spacing of parameter values, each labelled with its value, and a colour bar.
fn draw_heatmap<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, p: &Painter) -> DrawResult<DB> {
    let Plot::Heatmap {
        x_name,
        x_values,
        y_name,
        y_values,
        z,
    } = &p.chart.plot
    else {
        return Ok(());
    };
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let ((_, _), (z_min, z_max)) = extents(&p.chart.plot);
    let scale = value_scale(&p.chart.unit, p.chart.difference, z_min, z_max);
    let label_font = (FONT, p.pt(19.0)).into_font().color(&BLACK);
    let desc_font = (FONT, p.pt(22.0)).into_font().color(&BLACK);

    let left = p.px(150.0);
    let right = p.px(200.0);
    let bottom = p.px(90.0);
    let top = p.px(14.0);
    let nx = x_values.len().max(1) as i32;
    let ny = y_values.len().max(1) as i32;
    let grid_w = (w - left - right).max(nx);
    let grid_h = (h - top - bottom).max(ny);
    let cw = grid_w / nx;
    let ch = grid_h / ny;
    let span = if z_max > z_min { z_max - z_min } else { 1.0 };

    let cell_font_px = (f64::from(ch.min(cw)) * 0.28).min(p.pt(20.0));
    for row in 0..y_values.len() {
        for col in 0..x_values.len() {
            let v = z
                .get(row)
                .and_then(|r| r.get(col))
                .copied()
                .unwrap_or(f64::NAN);
            let x = left + cw * col as i32;
            let y = top + grid_h - ch * (row as i32 + 1);
            let rect = [(x, y), (x + cw, y + ch)];
            let centre = (x + cw / 2, y + ch / 2);
            if v.is_finite() {
                let t = (v - z_min) / span;
                area.draw(&Rectangle::new(rect, viridis(t).filled()))?;
                if cell_font_px >= p.pt(9.0) {
                    let ink = if t > 0.55 { BLACK } else { WHITE };
                    let text = group_thousands(v * scale.factor, scale.decimals, ",", MINUS);
                    area.draw_text(
                        &text,
                        &(FONT, cell_font_px)
                            .into_font()
                            .color(&ink)
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                        centre,
                    )?;
                }
            } else {
                area.draw(&Rectangle::new(rect, RGBColor(235, 235, 235).filled()))?;
                area.draw(&PathElement::new(
                    vec![(x, y), (x + cw, y + ch)],
                    RGBColor(170, 170, 170).stroke_width(1),
                ))?;
                if cell_font_px >= p.pt(9.0) {
                    area.draw_text(
                        "n/a",
                        &(FONT, cell_font_px)
                            .into_font()
                            .color(&RGBColor(90, 90, 90))
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                        centre,
                    )?;
                }
            }
            area.draw(&Rectangle::new(
                rect,
                WHITE.stroke_width(p.px(1.0).max(1) as u32),
            ))?;
        }
    }
    // Axis tick labels at cell centres.
    let right_anchor = label_font.pos(Pos::new(HPos::Right, VPos::Center));
    for (row, v) in y_values.iter().enumerate() {
        let y = top + grid_h - ch * row as i32 - ch / 2;
        area.draw_text(&param_label(*v), &right_anchor, (left - p.px(10.0), y))?;
    }
    let top_anchor = label_font.pos(Pos::new(HPos::Center, VPos::Top));
    for (col, v) in x_values.iter().enumerate() {
        let x = left + cw * col as i32 + cw / 2;
        area.draw_text(&param_label(*v), &top_anchor, (x, top + grid_h + p.px(8.0)))?;
    }
    area.draw_text(
        x_name,
        &desc_font.pos(Pos::new(HPos::Center, VPos::Top)),
        (left + grid_w / 2, top + grid_h + p.px(44.0)),
    )?;
    area.draw_text(
        y_name,
        &desc_font
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top)),
        (p.px(14.0), top + grid_h / 2),
    )?;

    // Colour bar with five labelled values.
    let bar_x = left + grid_w + p.px(30.0);
    let bar_w = p.px(26.0);
    let steps = 100;
    for i in 0..steps {
        let t0 = i as f64 / steps as f64;
        let y1 = top + grid_h - (f64::from(grid_h) * t0).round() as i32;
        let y0 = top + grid_h - (f64::from(grid_h) * (t0 + 1.0 / steps as f64)).round() as i32;
        area.draw(&Rectangle::new(
            [(bar_x, y0), (bar_x + bar_w, y1)],
            viridis(t0 + 0.5 / steps as f64).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(bar_x, top), (bar_x + bar_w, top + grid_h)],
        RGBColor(90, 90, 90).stroke_width(1),
    ))?;
    let left_anchor = label_font.pos(Pos::new(HPos::Left, VPos::Center));
    for v in nice_ticks(z_min, z_min + span) {
        let t = (v - z_min) / span;
        let y = top + grid_h - (f64::from(grid_h) * t).round() as i32;
        area.draw(&PathElement::new(
            vec![(bar_x + bar_w, y), (bar_x + bar_w + p.px(6.0), y)],
            BLACK.stroke_width(1),
        ))?;
        area.draw_text(
            &group_thousands(v * scale.factor, scale.decimals, ",", MINUS),
            &left_anchor,
            (bar_x + bar_w + p.px(10.0), y),
        )?;
    }
    // The unit runs along the right edge, where it cannot collide with labels.
    area.draw_text(
        &scale.label,
        &(FONT, p.pt(18.0))
            .into_font()
            .color(&RGBColor(50, 50, 50))
            .transform(FontTransform::Rotate90)
            .pos(Pos::new(HPos::Center, VPos::Top)),
        (w - p.px(8.0), top + grid_h / 2),
    )?;
    Ok(())
}

/// Round values (1, 2, 2.5 or 5 times a power of ten apart) within `lo..=hi`, about five of them.
fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 || span.is_infinite() {
        return vec![lo];
    }
    let raw = span / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|st| *st >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

fn check_size(chart: &Chart, w: u32, h: u32) -> Result<(), ChartError> {
    // 20,000 px a side is far beyond any print use and keeps the RGB buffer
    // below ~1.2 GB even at the limit.
    if w < 200 || h < 150 || w > 20_000 || h > 20_000 {
        return Err(ChartError::Options {
            title: chart.title.clone(),
            message: format!("size {w}x{h} px is outside 200x150 to 20000x20000"),
        });
    }
    Ok(())
}

/// Renders a chart as an SVG document (`opts.dpi` does not apply).
pub fn render_svg(chart: &Chart, opts: &ChartOptions) -> Result<String, ChartError> {
    register_fonts()?;
    check_size(chart, opts.width, opts.height)?;
    let mut svg = String::new();
    draw(
        SVGBackend::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area(),
        chart,
        opts,
        1.0,
    )?;
    Ok(svg)
}

/// Renders a chart as PNG bytes at `opts.dpi`, with the DPI recorded in the file (pHYs).
pub fn render_png(chart: &Chart, opts: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    register_fonts()?;
    let s = opts.png_scale();
    let w = (f64::from(opts.width) * s).round() as u32;
    let h = (f64::from(opts.height) * s).round() as u32;
    check_size(chart, w, h)?;
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    draw(
        BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area(),
        chart,
        opts,
        s,
    )?;
    let png_err = |e: png::EncodingError| ChartError::Png {
        title: chart.title.clone(),
        message: e.to_string(),
    };
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Default);
    let per_metre = (f64::from(opts.dpi.max(1)) / 0.0254).round() as u32;
    enc.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    let mut writer = enc.write_header().map_err(png_err)?;
    writer.write_image_data(&rgb).map_err(png_err)?;
    writer.finish().map_err(png_err)?;
    Ok(out)
}

/// `<stem>.png` and `<stem>.svg` of one chart.
pub fn chart_files(
    stem: &str,
    chart: &Chart,
    opts: &ChartOptions,
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    Ok(vec![
        (format!("{stem}.png"), render_png(chart, opts)?),
        (format!("{stem}.svg"), render_svg(chart, opts)?.into_bytes()),
    ])
}

/// A sweep result for [`heatmap_chart`]: one metric's mean at one year over two varied parameters.
#[derive(Debug, Clone, Copy)]
pub struct Heatmap<'a> {
    /// Name of the parameter along the x axis (a scenario key).
    pub x_name: &'a str,
    /// Its values, one per column, in display order.
    pub x_values: &'a [f64],
    /// Name of the parameter along the y axis.
    pub y_name: &'a str,
    /// Its values, one per row, bottom row first.
    pub y_values: &'a [f64],
    /// `means[row][column]`, i.e. `means[iy][ix]`; NaN (or a short row) marks a missing cell.
    pub means: &'a [Vec<f64>],
    /// Metric name, e.g. `income_per_capita`.
    pub metric: &'a str,
    /// The metric's unit (from `metrics.rs`), e.g. `Rp per capita per month`.
    pub unit: &'a str,
    /// Simulated year the means refer to (month `12 * year`).
    pub year: u32,
    /// Chart title.
    pub title: &'a str,
}

/// The chart of a sweep heatmap; render it with [`chart_files`] or [`render_png`]/[`render_svg`].
pub fn heatmap_chart(h: &Heatmap) -> Chart {
    Chart {
        title: h.title.to_string(),
        note: format!(
            "{}: mean across replications at the end of year {}. Grey cells: not run.",
            h.metric, h.year
        ),
        x_label: h.x_name.to_string(),
        unit: h.unit.to_string(),
        difference: false,
        plot: Plot::Heatmap {
            x_name: h.x_name.to_string(),
            x_values: h.x_values.to_vec(),
            y_name: h.y_name.to_string(),
            y_values: h.y_values.to_vec(),
            z: h.means.to_vec(),
        },
    }
}

/// Sensitivity-analysis results for [`bars_chart`]: one or two measures per
/// parameter (Sobol first-order and total indices, Morris mu* and sigma).
#[derive(Debug, Clone, Copy)]
pub struct Bars<'a> {
    /// Chart title.
    pub title: &'a str,
    /// One or two sentences under the title, e.g. the metric and year analysed.
    pub note: &'a str,
    /// Label of the value axis, e.g. `Sobol index`.
    pub value_label: &'a str,
    /// Parameter names (scenario keys), one row each, top row first; the
    /// caller orders them, usually largest effect first.
    pub parameters: &'a [String],
    /// Legend text of each measure; the first is drawn dark, the second light.
    pub kinds: &'a [String],
    /// `values[kind][parameter]`; NaN draws no bar.
    pub values: &'a [Vec<f64>],
    /// `ci[kind][parameter]` = 95% interval (low, high), same shape as
    /// `values`; (NaN, NaN) or a missing entry draws no whisker.
    pub ci: &'a [Vec<(f64, f64)>],
}

/// The chart of sensitivity results as horizontal bars; render it with [`chart_files`].
pub fn bars_chart(b: &Bars) -> Chart {
    Chart {
        title: b.title.to_string(),
        note: b.note.to_string(),
        x_label: b.value_label.to_string(),
        unit: b.value_label.to_string(),
        difference: false,
        plot: Plot::Bars {
            parameters: b.parameters.to_vec(),
            kinds: b.kinds.to_vec(),
            values: b.values.to_vec(),
            ci: b.ci.to_vec(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_chart(n: usize) -> Chart {
        let x: Vec<f64> = (0..=24).map(|m| 2025.0 + m as f64 / 12.0).collect();
        let series = (0..n)
            .map(|k| {
                let y: Vec<f64> = x
                    .iter()
                    .map(|t| 1.0e6 + (t - 2025.0) * 1e5 * (k + 1) as f64)
                    .collect();
                Series {
                    label: format!("scenario {k}"),
                    style: k,
                    x: x.clone(),
                    band: Some((
                        y.iter().map(|v| v - 2e4).collect(),
                        y.iter().map(|v| v + 2e4).collect(),
                    )),
                    y,
                }
            })
            .collect();
        Chart {
            title: "Test chart".into(),
            note: "a note".into(),
            x_label: "year".into(),
            unit: "Rp per capita per month".into(),
            difference: false,
            plot: Plot::Lines {
                series,
                band_label: Some("95% CI".into()),
                zero_line: false,
            },
        }
    }

    fn png_size(png: &[u8]) -> (u32, u32) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        (be(&png[16..20]), be(&png[20..24]))
    }

    #[test]
    fn png_size_follows_dpi_and_svg_carries_texts() {
        let chart = lines_chart(3);
        let opts = ChartOptions {
            width: 600,
            height: 400,
            dpi: 192,
            title: Some("Area".into()),
            show_titles: true,
        };
        let png = render_png(&chart, &opts).unwrap();
        assert_eq!(png_size(&png), (1200, 800));
        // pHYs records 192 DPI = 7559 px per metre.
        let phys = png.windows(4).position(|w| w == b"pHYs").unwrap();
        assert_eq!(
            u32::from_be_bytes(png[phys + 4..phys + 8].try_into().unwrap()),
            7559
        );
        let svg = render_svg(&chart, &opts).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Area: Test chart"));
        assert!(svg.contains("Rp thousand per capita per month"));
        assert!(svg.contains("scenario 2"));
        assert!(svg.contains("stroke-dasharray") || svg.matches("<polyline").count() > 3);
    }

    #[test]
    fn titles_can_be_hidden_and_bad_sizes_refused() {
        let chart = lines_chart(1);
        let opts = ChartOptions {
            show_titles: false,
            ..ChartOptions::default()
        };
        assert!(!render_svg(&chart, &opts).unwrap().contains("Test chart"));
        let tiny = ChartOptions {
            width: 10,
            ..ChartOptions::default()
        };
        assert!(matches!(
            render_png(&chart, &tiny),
            Err(ChartError::Options { .. })
        ));
    }

    #[test]
    fn scales_and_styles() {
        let s = value_scale("Rp per capita per month", false, 0.0, 1.5e6);
        assert_eq!(
            (s.factor, s.label.as_str()),
            (1e-3, "Rp thousand per capita per month")
        );
        assert_eq!(
            value_scale("Rp per month", false, 0.0, 3e9).label,
            "Rp million per month"
        );
        assert_eq!(
            value_scale("jobs", false, 0.0, 25_000.0).label,
            "jobs (thousands)"
        );
        let s = value_scale("share of people", false, 0.0, 0.4);
        assert_eq!((s.factor, s.label.as_str()), (100.0, "% of people"));
        let s = value_scale("share of people", true, -0.05, 0.01);
        assert_eq!((s.factor, s.label.as_str()), (100.0, "percentage points"));
        assert_eq!(
            value_scale("jobs", true, -5.0, 80.0).label,
            "difference, jobs"
        );
        // No two of the first five styles share dash pattern and marker.
        for a in 0..5 {
            for b in 0..a {
                let (sa, sb) = (line_style(a), line_style(b));
                assert!(sa.dash != sb.dash && sa.marker != sb.marker, "{a} {b}");
            }
        }
        // Viridis gets lighter monotonically (luma), so grayscale keeps order.
        let luma =
            |c: RGBColor| 0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2);
        for i in 1..=20 {
            assert!(luma(viridis(i as f64 / 20.0)) > luma(viridis((i - 1) as f64 / 20.0)));
        }
        for i in 1..LAYER_FILLS.len() {
            assert!(luma(LAYER_FILLS[i]) > luma(LAYER_FILLS[i - 1]) + 20.0);
        }
        assert_eq!(param_label(0.25), "0.25");
        assert_eq!(
            nice_ticks(1.0e6, 1.91e6),
            vec![1.0e6, 1.25e6, 1.5e6, 1.75e6]
        );
        assert_eq!(nice_ticks(-0.03, 0.05), vec![-0.02, 0.0, 0.02, 0.04]);
        assert_eq!(year_ticks(2025.0, 2045.0).len(), 11);
        assert_eq!(year_ticks(2025.0, 2045.0)[0], 2025.0);
        assert_eq!(year_ticks(2025.0, 2045.0)[10], 2045.0);
        assert_eq!(
            year_ticks(2025.0, 2026.0),
            vec![2025.0, 2025.25, 2025.5, 2025.75, 2026.0]
        );
        assert_eq!(param_label(1000.0), "1,000");
    }

    fn sample_heatmap(means: &[Vec<f64>]) -> Heatmap<'_> {
        Heatmap {
            x_name: "coordination.quality",
            x_values: &[0.2, 0.5, 0.8],
            y_name: "finance.kur_approval",
            y_values: &[0.15, 1.0],
            means,
            metric: "income_per_capita",
            unit: "Rp per capita per month",
            year: 20,
            title: "Income by coordination and credit",
        }
    }

    #[test]
    fn heatmap_renders_with_missing_cells() {
        let means = vec![vec![1.0e6, 1.2e6, f64::NAN], vec![1.1e6, 1.4e6, 1.6e6]];
        let h = sample_heatmap(&means);
        let chart = heatmap_chart(&h);
        let files = chart_files("heatmap", &chart, &ChartOptions::default()).unwrap();
        assert_eq!(files[0].0, "heatmap.png");
        assert_eq!(png_size(&files[0].1), (1200, 720));
        let svg = String::from_utf8(files[1].1.clone()).unwrap();
        for text in [
            "Income by coordination and credit",
            "n/a",
            "1,400",
            "0.15",
            "coordination.quality",
        ] {
            assert!(svg.contains(text), "{text}");
        }
    }

    /// Writes a heatmap for eyeballing: `cargo test --lib heatmap_preview -- --ignored`.
    #[test]
    #[ignore]
    fn heatmap_preview() {
        let means: Vec<Vec<f64>> = (0..4)
            .map(|r| {
                (0..6)
                    .map(|c| {
                        if r == 3 && c == 5 {
                            f64::NAN
                        } else {
                            1.0e6 + 1.5e5 * c as f64 + 8e4 * r as f64
                        }
                    })
                    .collect()
            })
            .collect();
        let mut h = sample_heatmap(&means);
        h.x_values = &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
        h.y_values = &[0.15, 0.5, 0.75, 1.0];
        let dir = std::env::temp_dir().join("ovopsim-chart-preview");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in
            chart_files("heatmap", &heatmap_chart(&h), &ChartOptions::default()).unwrap()
        {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }

    /// Parameters, kinds, values and intervals of a bar chart.
    type BarData = (
        Vec<String>,
        Vec<String>,
        Vec<Vec<f64>>,
        Vec<Vec<(f64, f64)>>,
    );

    /// Sobol indices of five parameters, largest total first, as a run would give them.
    fn sobol_sample() -> BarData {
        let parameters = [
            "coordination.quality",
            "finance.kur_supply",
            "economy.background_growth",
            "information.quality",
            "weather.flood_probability",
        ]
        .map(String::from)
        .to_vec();
        let kinds = vec!["first order".to_string(), "total".to_string()];
        let values = vec![
            vec![0.45, 0.20, 0.15, 0.05, -0.01],
            vec![0.55, 0.28, 0.16, 0.12, 0.02],
        ];
        let ci = vec![
            vec![
                (0.38, 0.52),
                (0.14, 0.26),
                (0.10, 0.20),
                (0.01, 0.09),
                (-0.05, 0.03),
            ],
            vec![
                (0.48, 0.63),
                (0.22, 0.34),
                (0.12, 0.20),
                (0.08, 0.16),
                (0.00, 0.04),
            ],
        ];
        (parameters, kinds, values, ci)
    }

    fn sobol_chart(
        parameters: &[String],
        kinds: &[String],
        values: &[Vec<f64>],
        ci: &[Vec<(f64, f64)>],
    ) -> Chart {
        bars_chart(&Bars {
            title: "Sensitivity of income per capita",
            note: "Sobol indices of income_per_capita at the end of year 20; whiskers: 95% bootstrap intervals.",
            value_label: "Sobol index",
            parameters,
            kinds,
            values,
            ci,
        })
    }

    #[test]
    fn bars_render_two_kinds() {
        let (parameters, kinds, values, ci) = sobol_sample();
        let chart = sobol_chart(&parameters, &kinds, &values, &ci);
        let opts = ChartOptions {
            dpi: 144,
            ..ChartOptions::default()
        };
        let files = chart_files("sobol", &chart, &opts).unwrap();
        assert_eq!(files[0].0, "sobol.png");
        assert_eq!(png_size(&files[0].1), (1800, 1080));
        let svg = String::from_utf8(files[1].1.clone()).unwrap();
        for text in parameters.iter().map(String::as_str).chain([
            "Sensitivity of income per capita",
            "first order",
            "total",
            "95% confidence interval",
            "Sobol index",
        ]) {
            assert!(svg.contains(text), "{text}");
        }
        // Two fills, one per kind, and value ticks at a readable step.
        assert!(svg.contains("#2166AC") && svg.contains("#C6DBEF"));
        assert!(svg.contains("\n0.1\n") && svg.contains("\n0.6\n"));
    }

    #[test]
    fn bars_render_without_intervals_and_with_one_kind() {
        let parameters = vec!["a.b".to_string(), "c.d".to_string()];
        let kinds = vec!["mu*".to_string()];
        let values = vec![vec![-0.02, f64::NAN]];
        let ci = vec![vec![(f64::NAN, f64::NAN), (f64::NAN, f64::NAN)]];
        let chart = sobol_chart(&parameters, &kinds, &values, &ci);
        let opts = ChartOptions::default();
        assert_eq!(png_size(&render_png(&chart, &opts).unwrap()), (1200, 720));
        let svg = render_svg(&chart, &opts).unwrap();
        assert!(svg.contains("a.b") && svg.contains("mu*"));
        // No interval anywhere, so the legend does not offer one.
        assert!(!svg.contains("confidence interval"));
        // No CI vectors at all is the same as no intervals.
        let chart = sobol_chart(&parameters, &kinds, &values, &[]);
        assert!(render_svg(&chart, &opts).is_ok());
        // A name too long for 45% of the width even at the smallest font is cut, not clipped.
        let long = format!("households.{}", "very_long_segment.".repeat(8));
        let parameters = vec![long.clone(), "c.d".to_string()];
        let chart = sobol_chart(&parameters, &kinds, &values, &ci);
        let svg = render_svg(
            &chart,
            &ChartOptions {
                width: 600,
                height: 400,
                ..opts
            },
        )
        .unwrap();
        assert!(!svg.contains(&long) && svg.contains("households.very_long"));
        assert!(svg.contains('\u{2026}'));
        assert_eq!(step_decimals(0.25), 2);
        assert_eq!(step_decimals(0.1), 1);
        assert_eq!(step_decimals(20.0), 0);
    }

    /// Writes a Sobol bar chart and its grayscale version for eyeballing:
    /// `cargo test --lib bars_preview -- --ignored`.
    #[test]
    #[ignore]
    fn bars_preview() {
        let (parameters, kinds, values, ci) = sobol_sample();
        let chart = sobol_chart(&parameters, &kinds, &values, &ci);
        let dir = std::env::temp_dir().join("ovopsim-chart-preview");
        std::fs::create_dir_all(&dir).unwrap();
        let files = chart_files("sobol", &chart, &ChartOptions::default()).unwrap();
        let decoder = png::Decoder::new(&files[0].1[..]);
        let mut reader = decoder.read_info().unwrap();
        let mut rgb = vec![0u8; reader.output_buffer_size()];
        let info = reader.next_frame(&mut rgb).unwrap();
        let gray: Vec<u8> = rgb
            .chunks(3)
            .map(|c| {
                (0.299 * f64::from(c[0]) + 0.587 * f64::from(c[1]) + 0.114 * f64::from(c[2]))
                    .round() as u8
            })
            .collect();
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, info.width, info.height);
        enc.set_color(png::ColorType::Grayscale);
        enc.write_header().unwrap().write_image_data(&gray).unwrap();
        std::fs::write(dir.join("sobol-gray.png"), out).unwrap();
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }

        // Crowded: many rows, one very long key path, a small figure at print DPI.
        let parameters: Vec<String> = (0..14)
            .map(|i| match i {
                3 => "households.livelihood_strategy.diversification_threshold_rice".to_string(),
                _ => format!("group{i}.parameter_{i}"),
            })
            .collect();
        let kinds = vec!["mu*".to_string()];
        let values: Vec<Vec<f64>> = vec![
            (0..14)
                .map(|i| 120_000.0 / (i + 1) as f64 - 5_000.0)
                .collect(),
        ];
        let ci = vec![
            values[0]
                .iter()
                .map(|v| (v - 8_000.0, v + 9_000.0))
                .collect(),
        ];
        let chart = bars_chart(&Bars {
            title: "Morris screening",
            note: "mu*: mean absolute elementary effect on income per capita.",
            value_label: "Rp per capita per month",
            parameters: &parameters,
            kinds: &kinds,
            values: &values,
            ci: &ci,
        });
        let opts = ChartOptions {
            width: 800,
            height: 500,
            dpi: 192,
            ..ChartOptions::default()
        };
        std::fs::write(
            dir.join("morris-crowded.png"),
            render_png(&chart, &opts).unwrap(),
        )
        .unwrap();

        // Narrow: the Sobol chart at 600 x 400 with one name too long to fit whole.
        let (mut parameters, kinds, values, ci) = sobol_sample();
        parameters[2] = format!("households.{}", "very_long_segment.".repeat(8));
        let chart = sobol_chart(&parameters, &kinds, &values, &ci);
        let opts = ChartOptions {
            width: 600,
            height: 400,
            ..ChartOptions::default()
        };
        std::fs::write(
            dir.join("sobol-narrow.png"),
            render_png(&chart, &opts).unwrap(),
        )
        .unwrap();
    }
}
