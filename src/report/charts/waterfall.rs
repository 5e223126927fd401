//! Waterfall charts: a level, the steps that lead from it to another level (one row each, with confidence whiskers), and that level.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::bars::{Layout, draw_value_axis, name_column};
use super::paint::{DrawResult, Painter, draw_whisker, fit_text};
use super::style::{MINUS, value_range, value_scale};
use super::{FONT, Plot};
use crate::report::format::group_thousands;

/// What a row of a waterfall is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// A level, drawn from the axis' left edge.
    Level,
    /// A change from the previous row's end, coloured by its sign.
    Change,
    /// The change that no named step explains.
    Remainder,
}

/// One row of a waterfall.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Row label.
    pub label: String,
    pub kind: StepKind,
    /// Where the bar starts (ignored for levels) and ends, in metric units.
    pub from: f64,
    pub to: f64,
    /// 95% interval of the row's value (the level, or the change), placed
    /// around the bar's end.
    pub ci: Option<(f64, f64)>,
}

/// Fills from the Okabe-Ito colour-blind palette: levels dark grey, rises
/// blue, falls vermillion, the remainder light grey; outlined, so they stay
/// apart in grayscale, and the bars' direction says the sign anyway.
pub(super) const LEVEL: RGBColor = RGBColor(77, 77, 77);
pub(super) const RISE: RGBColor = RGBColor(0, 114, 178);
pub(super) const FALL: RGBColor = RGBColor(213, 94, 0);
pub(super) const REMAINDER: RGBColor = RGBColor(200, 200, 200);

fn fill(step: &Step) -> RGBColor {
    match step.kind {
        StepKind::Level => LEVEL,
        StepKind::Remainder => REMAINDER,
        StepKind::Change if step.to >= step.from => RISE,
        StepKind::Change => FALL,
    }
}

/// The interval of a step around its bar's end, in metric units.
fn whisker(step: &Step) -> Option<(f64, f64)> {
    let (lo, hi) = step.ci?;
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    Some(match step.kind {
        StepKind::Level => (lo, hi),
        StepKind::Change | StepKind::Remainder => {
            let change = step.to - step.from;
            (step.to - (change - lo), step.to + (hi - change))
        }
    })
}

/// Draws the rows top to bottom with names at the left, a dotted connector
/// from each bar's end to the next row, each change written beside its bar,
/// and the value axis at the bottom. The axis fits the bars' ends rather
/// than starting at zero (unless asked), so small changes stay visible
/// next to large levels.
pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
) -> DrawResult<DB> {
    let Plot::Waterfall { steps } = &p.chart.plot else {
        return Ok(());
    };
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let n = steps.len().max(1) as i32;
    let top = p.px(12.0);
    let plot_h = (h - top - p.px(86.0)).max(n);
    let row_h = f64::from(plot_h) / f64::from(n);
    let pad = p.px(14.0);
    let labels: Vec<String> = steps.iter().map(|s| s.label.clone()).collect();
    let (name_px, left) = name_column(area, p, &labels, w, row_h, pad);

    let ends = steps.iter().flat_map(|s| {
        let (a, b) = whisker(s).unwrap_or((s.to, s.to));
        let from = if s.kind == StepKind::Level {
            s.to
        } else {
            s.from
        };
        [from, s.to, a, b]
    });
    let (v_min, v_max) = value_range(ends);
    let (v_min, v_max) = if p.from_zero {
        (v_min.min(0.0), v_max.max(0.0))
    } else {
        (v_min, v_max)
    };
    let span = if v_max > v_min { v_max - v_min } else { 1.0 };
    // Room on the right for the numbers written beside the bars.
    let layout = Layout {
        top,
        plot_h,
        left,
        plot_w: (w - left - p.px(40.0)).max(1),
        row_h,
        pad,
        name_px,
        lo: if p.from_zero && v_min >= 0.0 {
            v_min
        } else {
            v_min - span * 0.06
        },
        hi: v_max + span * 0.16,
    };
    let scale = value_scale(&p.chart.unit, false, layout.lo, layout.hi);
    draw_value_axis(area, p, &layout, &scale)?;

    let name_font = (FONT, layout.name_px)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    let value_font = (FONT, p.pt(16.0))
        .into_font()
        .color(&RGBColor(40, 40, 40))
        .pos(Pos::new(HPos::Left, VPos::Center));
    let outline = p.stroke(RGBColor(50, 50, 50), 1.0);
    let bar_h = row_h * 0.62;
    let decimals = change_decimals(steps, scale.factor);
    for (row, step) in steps.iter().enumerate() {
        let row_top = f64::from(top) + row_h * row as f64;
        let centre = (row_top + row_h / 2.0).round() as i32;
        let (y0, y1) = (
            (row_top + (row_h - bar_h) / 2.0).round() as i32,
            (row_top + (row_h + bar_h) / 2.0).round() as i32,
        );
        let label = fit_text(area, &step.label, &name_font, layout.left - 2 * pad);
        area.draw_text(&label, &name_font, (layout.left - pad, centre))?;
        let from = match step.kind {
            StepKind::Level => layout.left,
            _ => layout.x(step.from),
        };
        let to = layout.x(step.to);
        let rect = [(from.min(to), y0), (from.max(to).max(from.min(to) + 1), y1)];
        area.draw(&Rectangle::new(rect, fill(step).filled()))?;
        area.draw(&Rectangle::new(rect, outline))?;
        let mut right = from.max(to);
        if let Some((lo, hi)) = whisker(step) {
            let cap = p.px(6.0).min((y1 - y0) / 2 - 1).max(1);
            draw_whisker(area, layout.x(lo), layout.x(hi), centre, cap, p)?;
            right = right.max(layout.x(hi));
        }
        let value = match step.kind {
            StepKind::Level => step.to,
            _ => step.to - step.from,
        };
        let signed = step.kind != StepKind::Level;
        let shown = value * scale.factor;
        let places = if !signed && shown.abs() >= 100.0 {
            0
        } else {
            decimals
        };
        area.draw_text(
            &value_text(shown, places, signed),
            &value_font,
            (right + p.px(8.0), centre),
        )?;
        // A dotted connector from this bar's end down to the next row.
        if row + 1 < steps.len() {
            let next_top = (row_top + row_h + (row_h - bar_h) / 2.0).round() as i32;
            let mut y = y1;
            while y < next_top {
                let y_end = (y + p.px(3.0)).min(next_top);
                area.draw(&PathElement::new(
                    vec![(to, y), (to, y_end)],
                    p.stroke(RGBColor(110, 110, 110), 1.0),
                ))?;
                y += p.px(6.0);
            }
        }
    }
    Ok(())
}

/// Decimals for the numbers beside the bars: changes get three significant
/// digits of the largest change (at most two decimals); levels, which are
/// large next to their changes, as many as changes but none above 100.
fn change_decimals(steps: &[Step], factor: f64) -> usize {
    let largest = steps
        .iter()
        .filter(|s| s.kind != StepKind::Level)
        .map(|s| ((s.to - s.from) * factor).abs())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    if largest > 0.0 {
        (2.0 - largest.log10().floor()).clamp(0.0, 2.0) as usize
    } else {
        0
    }
}

/// A value beside a bar: changes with their sign (+ or a true minus).
fn value_text(v: f64, decimals: usize, signed: bool) -> String {
    let text = group_thousands(v, decimals, ",", MINUS);
    if signed && !text.starts_with(MINUS) {
        format!("+{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::png_size;
    use super::super::{Chart, ChartOptions, chart_files};
    use super::*;

    fn sample() -> Chart {
        let mut steps = vec![Step {
            label: "baseline".into(),
            kind: StepKind::Level,
            from: 0.0,
            to: 1_390_000.0,
            ci: Some((1_380_000.0, 1_400_000.0)),
        }];
        let mut at = 1_390_000.0;
        for (label, change) in [
            ("local_multiplier", 60_000.0),
            ("export", 0.0),
            ("partnerships", -8_000.0),
        ] {
            steps.push(Step {
                label: label.into(),
                kind: StepKind::Change,
                from: at,
                to: at + change,
                ci: Some((change - 4_000.0, change + 5_000.0)),
            });
            at += change;
        }
        steps.push(Step {
            label: "remainder".into(),
            kind: StepKind::Remainder,
            from: at,
            to: at + 100_000.0,
            ci: None,
        });
        steps.push(Step {
            label: "scenario".into(),
            kind: StepKind::Level,
            from: 0.0,
            to: at + 100_000.0,
            ci: None,
        });
        Chart {
            title: "Waterfall".into(),
            note: "a note".into(),
            x_label: String::new(),
            unit: "Rp per capita per month".into(),
            difference: false,
            plot: Plot::Waterfall { steps },
        }
    }

    #[test]
    fn waterfall_renders_rows_values_and_legend() {
        let files = chart_files("w", &sample(), &ChartOptions::default()).unwrap();
        assert_eq!(png_size(&files[0].1), (1200, 720));
        let svg = String::from_utf8(files[1].1.clone()).unwrap();
        for text in [
            "local_multiplier",
            "remainder",
            "+60",
            "\u{2212}8",
            "+0",
            "1,390",
            "Rp thousand per capita per month",
            "95% confidence interval",
            "raises the effect",
            "lowers the effect",
        ] {
            assert!(svg.contains(text), "{text}");
        }
        // Rise blue, fall vermillion, level grey.
        let colours = svg.to_ascii_uppercase();
        assert!(
            ["#0072B2", "#D55E00", "#4D4D4D"]
                .iter()
                .all(|c| colours.contains(c)),
            "rise, fall and level colours"
        );
    }

    #[test]
    fn whiskers_sit_at_the_bar_end() {
        let step = Step {
            label: String::new(),
            kind: StepKind::Change,
            from: 100.0,
            to: 90.0,
            ci: Some((-12.0, -7.0)),
        };
        assert_eq!(whisker(&step), Some((88.0, 93.0)));
        assert_eq!(value_text(-3.0, 0, true), "\u{2212}3");
        assert_eq!(value_text(3.0, 1, true), "+3.0");
        assert_eq!(value_text(3.0, 0, false), "3");
    }
}
