//! Sensitivity bar charts: Morris and Sobol measures as horizontal bars per parameter, with confidence whiskers.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::paint::{AxisTitle, DrawResult, Painter, draw_whisker, fit_text};
use super::style::{MINUS, Scale, bar_fill, nice_ticks, value_range, value_scale};
use super::{Chart, FONT, Plot};
use crate::report::format::group_thousands;

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

/// The chart of sensitivity results as horizontal bars; render it with [`super::chart_files`].
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

/// Where everything goes, in device pixels, and the value range shown.
pub(super) struct Layout {
    /// Top of the first row.
    pub(super) top: i32,
    /// Height of all rows together; the value axis sits under them.
    pub(super) plot_h: i32,
    /// Left edge of the bars' area; parameter names are right-aligned before it.
    pub(super) left: i32,
    pub(super) plot_w: i32,
    pub(super) row_h: f64,
    /// Space between a name and the bars' area.
    pub(super) pad: i32,
    /// Font size of parameter names.
    pub(super) name_px: f64,
    /// Value range across the width, in metric units.
    pub(super) lo: f64,
    pub(super) hi: f64,
}

impl Layout {
    /// Device x of value `v` (metric units).
    pub(super) fn x(&self, v: f64) -> i32 {
        self.left + ((v - self.lo) / (self.hi - self.lo) * f64::from(self.plot_w)).round() as i32
    }
}

/// Draws horizontal bars by hand in device pixels: parameter names at the
/// left (the margin grows to fit them), rows top to bottom in the given
/// order, a value axis at the bottom and a zero line.
pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
) -> DrawResult<DB> {
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
    let pad = p.px(14.0);
    let (name_px, left) = name_column(area, p, parameters, w, row_h, pad);

    let whisker_ends = ci.iter().flatten().flat_map(|&(lo, hi)| [lo, hi]);
    let (v_min, v_max) = value_range(values.iter().flatten().copied().chain(whisker_ends));
    // Bars start at zero, so zero is always in view.
    let (lo, hi) = (v_min.min(0.0), v_max.max(0.0));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let layout = Layout {
        top,
        plot_h,
        left,
        plot_w: (w - left - right).max(1),
        row_h,
        pad,
        name_px,
        lo: if lo < 0.0 { lo - span * 0.04 } else { lo },
        hi: hi + span * 0.04,
    };
    // Morris effects in money read better in thousands, as on other charts;
    // indices (a bare unit such as "Sobol index") stay as they are.
    let scale = value_scale(&p.chart.unit, p.chart.difference, layout.lo, layout.hi);

    draw_value_axis(area, p, &layout, &scale)?;
    draw_rows(area, p, &layout, parameters, values, ci)?;
    // Zero line and axis frame last, over the bars' ends at zero.
    let zero = layout.x(0.0);
    let bottom_y = top + plot_h;
    area.draw(&PathElement::new(
        vec![(zero, top), (zero, bottom_y)],
        p.stroke(RGBColor(40, 40, 40), 1.5),
    ))?;
    area.draw(&PathElement::new(
        vec![(left, bottom_y), (left + layout.plot_w, bottom_y)],
        p.stroke(RGBColor(90, 90, 90), 1.0),
    ))
}

/// Font size of parameter names and the left margin that holds them.
///
/// Names shrink with crowded rows, and then together to fit at most 45% of
/// the width `w`, but not below 14 pt: one outlandish name is cut rather than
/// making every other name hard to read.
pub(super) fn name_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
    parameters: &[String],
    w: i32,
    row_h: f64,
    pad: i32,
) -> (f64, i32) {
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
    let widest_now = widest(name_px);
    if widest_now + 2 * pad > max_left && widest_now > 0 {
        name_px = (name_px * f64::from(max_left - 2 * pad) / f64::from(widest_now))
            .max(p.pt(14.0).min(name_px));
    }
    let left = (widest(name_px) + 2 * pad).clamp(p.px(60.0), max_left);
    (name_px, left)
}

/// Grid lines, ticks and their labels under the rows, and the axis title.
pub(super) fn draw_value_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
    layout: &Layout,
    scale: &Scale,
) -> DrawResult<DB> {
    let tick_font = (FONT, p.pt(19.0))
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let (ticks, step) = value_ticks(area, p, layout, scale.factor, &tick_font);
    let (top, plot_h) = (layout.top, layout.plot_h);
    for &t in &ticks {
        let x = layout.x(t / scale.factor);
        area.draw(&PathElement::new(
            vec![(x, top), (x, top + plot_h)],
            p.stroke(RGBColor(222, 222, 222), 1.0),
        ))?;
        area.draw(&PathElement::new(
            vec![(x, top + plot_h), (x, top + plot_h + p.px(6.0))],
            p.stroke(RGBColor(90, 90, 90), 1.0),
        ))?;
        area.draw_text(
            &tick_text(t, step),
            &tick_font,
            (x, top + plot_h + p.px(9.0)),
        )?;
    }
    AxisTitle::fit(area, &scale.label, p, layout.plot_w).draw(
        area,
        (layout.left + layout.plot_w / 2, top + plot_h + p.px(44.0)),
        FontTransform::None,
        BLACK,
    )
}

/// Tick values (display units, scaled by `f`) and their step.
///
/// Values are read off the axis, so ticks come twice as dense as
/// [`nice_ticks`] gives when their labels fit, and sparser when they would touch.
fn value_ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
    layout: &Layout,
    f: f64,
    tick_font: &TextStyle,
) -> (Vec<f64>, f64) {
    let (lo, hi) = (layout.lo, layout.hi);
    let widest_tick = |ticks: &[f64], step: f64| {
        ticks
            .iter()
            .filter_map(|&t| area.estimate_text_size(&tick_text(t, step), tick_font).ok())
            .map(|(tw, _)| tw as i32)
            .max()
            .unwrap_or(0)
    };
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
    [0.5, 1.0, 2.0, 4.0, 10.0]
        .into_iter()
        .map(|m| (ticks_at(base * m), base * m))
        .find(|(ticks, step)| {
            let spacing = f64::from(layout.plot_w) * step / ((hi - lo) * f);
            spacing >= f64::from(widest_tick(ticks, *step) + p.px(16.0))
        })
        .unwrap_or_else(|| (ticks_at(base * 10.0), base * 10.0))
}

/// A tick label with just the decimals its step needs.
fn tick_text(t: f64, step: f64) -> String {
    group_thousands(t, step_decimals(step), ",", MINUS)
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

/// One row per parameter: its name, then one bar per kind with its whisker.
fn draw_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
    layout: &Layout,
    parameters: &[String],
    values: &[Vec<f64>],
    ci: &[Vec<(f64, f64)>],
) -> DrawResult<DB> {
    let (row_h, pad) = (layout.row_h, layout.pad);
    let kinds = values.len().max(1);
    let group_h = row_h * 0.74;
    let bar_h = group_h / kinds as f64;
    let name_font = (FONT, layout.name_px)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    let outline = p.stroke(RGBColor(50, 50, 50), 1.0);
    let zero = layout.x(0.0);
    for (row, name) in parameters.iter().enumerate() {
        let row_top = f64::from(layout.top) + row_h * row as f64;
        let centre = (row_top + row_h / 2.0).round() as i32;
        let label = fit_text(area, name, &name_font, layout.left - 2 * pad);
        area.draw_text(&label, &name_font, (layout.left - pad, centre))?;
        for k in 0..kinds {
            let y0 = row_top + (row_h - group_h) / 2.0 + bar_h * k as f64;
            let (y0, y1) = (y0.round() as i32, (y0 + bar_h).round() as i32);
            let v = values
                .get(k)
                .and_then(|r| r.get(row))
                .copied()
                .unwrap_or(f64::NAN);
            if v.is_finite() {
                let x = layout.x(v);
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
                draw_whisker(area, layout.x(c_lo), layout.x(c_hi), (y0 + y1) / 2, cap, p)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::png_size;
    use super::super::{ChartOptions, chart_files, render_png, render_svg};
    use super::*;
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
        assert!(svg.contains("#2166ac") && svg.contains("#c6dbef"));
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
