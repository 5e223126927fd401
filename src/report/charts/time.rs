//! Time charts on a year axis: mean lines with confidence bands (single runs, overlays, differences), fans and stacked areas.
//!
//! The three families share one frame: a value axis (from zero for
//! differences, stacks and on request),
//! hand-drawn year ticks and one mapping from (year, value) to device pixels.
//! Everything inside the frame is drawn on the root area through that
//! mapping, so lines, bands and markers share one coordinate path.

use std::ops::Range;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::paint::{
    DrawResult, Painter, axis_titles, draw_axis_titles, draw_line_marker, draw_path, y_tick_count,
};
use super::style::{
    FAN, FAN_INNER_TINT, FAN_LINE, FAN_OUTER_TINT, LineStyle, MINUS, Marker, Scale, layer_fill,
    line_style, tint, value_scale,
};
use super::{FONT, Plot, Series};
use crate::report::format::group_thousands;

/// The mapping from (year, displayed value) to device pixels.
type Coord = Cartesian2d<RangedCoordf64, RangedCoordf64>;

/// Draws a time chart's axes on `plot_area` and its contents on `root`.
pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot_area: &DrawingArea<DB, Shift>,
    p: &Painter,
) -> DrawResult<DB> {
    let chart = p.chart;
    let ((x0, x1), (y_min, y_max)) = extents(&chart.plot);
    // Differences are read against zero, so it is always in view there;
    // levels fit their data unless asked to start at zero, since a forced
    // zero flattens the differences between scenarios.
    let zero = p.from_zero || chart.difference || matches!(chart.plot, Plot::Stacked { .. });
    let (lo, hi) = if zero {
        (y_min.min(0.0), y_max.max(0.0))
    } else {
        (y_min, y_max)
    };
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 1.0 };
    let y_lo = if lo < 0.0 || !zero { lo - pad } else { lo };
    let y_lo = if y_min >= 0.0 { y_lo.max(0.0) } else { y_lo };
    let y_hi = hi + pad;
    let scale = value_scale(&chart.unit, chart.difference, y_lo, y_hi);
    let y_range = (y_lo * scale.factor)..(y_hi * scale.factor);

    let coord = draw_axes(plot_area, p, x0..x1, y_range.clone(), &scale)?;
    draw_shading(root, p, &coord, (x0, x1), &y_range)?;
    draw_year_ticks(root, p, &coord, (x0, x1), &y_range)?;
    let canvas = Canvas {
        root,
        p,
        coord,
        f: scale.factor,
    };
    match &chart.plot {
        Plot::Lines {
            series, zero_line, ..
        } => {
            if *zero_line {
                canvas.zero_line(x0, x1)?;
            }
            draw_lines(&canvas, series)
        }
        Plot::Fan {
            x,
            mean,
            inner,
            outer,
            ..
        } => {
            let bands = [(outer, FAN_OUTER_TINT), (inner, FAN_INNER_TINT)];
            for ((low, high, _), t) in bands {
                canvas.band(x, low, high, tint(FAN, t).filled())?;
            }
            canvas.line(x, mean, &FAN_LINE, 3.0)
        }
        Plot::Stacked { x, layers } => draw_stacked(&canvas, x, layers),
        Plot::Heatmap { .. }
        | Plot::Bars { .. }
        | Plot::Scatter { .. }
        | Plot::Waterfall { .. } => {
            unreachable!("not time charts")
        }
    }
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
        Plot::Heatmap { .. }
        | Plot::Bars { .. }
        | Plot::Scatter { .. }
        | Plot::Waterfall { .. } => {
            unreachable!("not time charts")
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

/// Draws the value axis, its grid and both axis titles; returns the mapping
/// the contents are drawn through.
fn draw_axes<DB: DrawingBackend>(
    plot_area: &DrawingArea<DB, Shift>,
    p: &Painter,
    x_range: Range<f64>,
    y_range: Range<f64>,
    scale: &Scale,
) -> Result<Coord, DrawingAreaErrorKind<DB::ErrorType>> {
    let (x_title, y_title) = axis_titles(plot_area, p, &p.chart.x_label, &scale.label);
    let mut cc = ChartBuilder::on(plot_area)
        .margin_top(p.px(10.0))
        .margin_right(p.px(36.0))
        .margin_left(p.px(16.0))
        .x_label_area_size(p.px(34.0) + x_title.depth())
        .y_label_area_size(p.px(84.0) + y_title.depth())
        .build_cartesian_2d(x_range, y_range)?;
    let y_fmt = |y: &f64| group_thousands(*y, scale.decimals, ",", MINUS);
    // Year ticks are drawn by hand (see `draw_year_ticks`): plotters'
    // automatic ticks skip the first and last year of the run, which readers look for.
    cc.configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(y_tick_count(plot_area, p, &x_title))
        .set_all_tick_mark_size(p.px(5.0))
        .y_label_formatter(&y_fmt)
        .label_style((FONT, p.pt(19.0)))
        .bold_line_style(p.stroke(RGBColor(222, 222, 222), 1.0))
        .max_light_lines(0)
        .axis_style(p.stroke(RGBColor(90, 90, 90), 1.0))
        .draw()?;
    draw_axis_titles(
        plot_area,
        p,
        &cc.plotting_area().get_pixel_range(),
        &x_title,
        &y_title,
    )?;
    Ok(cc.as_coord_spec().clone())
}

/// The shaded periods (shocks) within the year range, behind everything
/// else, each labelled at the top; overlapping periods stack their labels.
fn draw_shading<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Painter,
    coord: &Coord,
    (x0, x1): (f64, f64),
    y_range: &Range<f64>,
) -> DrawResult<DB> {
    let font = (FONT, p.pt(16.0))
        .into_font()
        .color(&RGBColor(90, 90, 90))
        .pos(Pos::new(HPos::Left, VPos::Top));
    let mut row_ends: Vec<f64> = Vec::new();
    for period in p.shaded {
        let (a, b) = (period.start.max(x0), period.end.min(x1));
        if a >= b {
            continue;
        }
        let top_left = coord.translate(&(a, y_range.end));
        let bottom_right = coord.translate(&(b, y_range.start));
        root.draw(&Rectangle::new(
            [top_left, bottom_right],
            RGBColor(120, 120, 120).mix(0.12).filled(),
        ))?;
        // The first label row whose last label ended before this period starts.
        let row = row_ends
            .iter()
            .position(|end| *end <= a)
            .unwrap_or(row_ends.len());
        let label_w = root
            .estimate_text_size(&period.label, &font)
            .map_or(100.0, |(w, _)| f64::from(w));
        let per_year =
            f64::from(coord.translate(&(x0 + 1.0, 0.0)).0 - coord.translate(&(x0, 0.0)).0);
        let end = a + (label_w + f64::from(p.px(12.0))) / per_year.max(1.0);
        if row == row_ends.len() {
            row_ends.push(end);
        } else {
            row_ends[row] = end;
        }
        root.draw_text(
            &period.label,
            &font,
            (
                top_left.0 + p.px(4.0),
                top_left.1 + p.px(4.0) + p.px(20.0) * row as i32,
            ),
        )?;
    }
    Ok(())
}

/// Year grid lines, tick marks and labels (see [`year_ticks`]).
fn draw_year_ticks<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Painter,
    coord: &Coord,
    (x0, x1): (f64, f64),
    y_range: &Range<f64>,
) -> DrawResult<DB> {
    let tick_font = (FONT, p.pt(19.0))
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for x in year_ticks(x0, x1) {
        let bottom = coord.translate(&(x, y_range.start));
        let top = coord.translate(&(x, y_range.end));
        root.draw(&PathElement::new(
            vec![top, bottom],
            p.stroke(RGBColor(222, 222, 222), 1.0),
        ))?;
        root.draw(&PathElement::new(
            vec![bottom, (bottom.0, bottom.1 + p.px(6.0))],
            p.stroke(RGBColor(90, 90, 90), 1.0),
        ))?;
        root.draw_text(&year_tick(x), &tick_font, (bottom.0, bottom.1 + p.px(9.0)))?;
    }
    Ok(())
}

/// Lines with their bands: all bands first, then the lines with markers, so
/// no band veils another series' line.
fn draw_lines<DB: DrawingBackend>(canvas: &Canvas<DB>, series: &[Series]) -> DrawResult<DB> {
    for sr in series {
        if let Some((low, high)) = &sr.band {
            let c = line_style(sr.style).colour;
            canvas.band(&sr.x, low, high, c.mix(0.16).filled())?;
        }
    }
    let n_series = series.len().max(1);
    for (k, sr) in series.iter().enumerate() {
        let st = line_style(sr.style);
        let pts = finite_points(&sr.x, &sr.y, canvas.f);
        draw_path(canvas.root, canvas.to_px(&pts), &st, canvas.p, 2.5)?;
        // Markers at about eight places, shifted per series so they
        // do not sit on top of each other where lines meet.
        let step = (pts.len() / 8).max(1);
        let offset = step * k / n_series + step / (2 * n_series).max(1);
        for pt in pts.iter().skip(offset % step).step_by(step) {
            draw_line_marker(canvas.root, canvas.coord.translate(pt), &st, canvas.p)?;
        }
    }
    Ok(())
}

/// Layers stacked bottom to top, each outlined along its upper edge.
fn draw_stacked<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    x: &[f64],
    layers: &[(String, Vec<f64>)],
) -> DrawResult<DB> {
    let edge = LineStyle {
        colour: RGBColor(30, 30, 30),
        dash: None,
        marker: Marker::Circle,
    };
    let mut below = vec![0.0; x.len()];
    for (i, (_, values)) in layers.iter().enumerate() {
        let above: Vec<f64> = below.iter().zip(values).map(|(b, v)| b + v).collect();
        canvas.band(x, &below, &above, layer_fill(i).filled())?;
        canvas.line(x, &above, &edge, 1.2)?;
        below = above;
    }
    Ok(())
}

/// Where a time chart's contents go: the root area, in device pixels through
/// the frame's mapping, with values multiplied by `f` for display.
struct Canvas<'a, DB: DrawingBackend> {
    root: &'a DrawingArea<DB, Shift>,
    p: &'a Painter<'a>,
    coord: Coord,
    f: f64,
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    /// (year, displayed value) points in device pixels.
    fn to_px(&self, pts: &[(f64, f64)]) -> Vec<(i32, i32)> {
        pts.iter().map(|pt| self.coord.translate(pt)).collect()
    }

    /// A horizontal line at zero across the whole year range.
    fn zero_line(&self, x0: f64, x1: f64) -> DrawResult<DB> {
        let z = self.to_px(&[(x0, 0.0), (x1, 0.0)]);
        self.root.draw(&PathElement::new(
            z,
            self.p.stroke(RGBColor(60, 60, 60), 1.5),
        ))
    }

    /// Fills the band between `low` and `high`; nothing when it has no area.
    fn band(&self, x: &[f64], low: &[f64], high: &[f64], fill: ShapeStyle) -> DrawResult<DB> {
        let poly = band_polygon(x, low, high, self.f);
        if poly.len() < 3 {
            return Ok(());
        }
        self.root.draw(&Polygon::new(self.to_px(&poly), fill))
    }

    /// A line through the finite points of `y`, without markers.
    fn line(&self, x: &[f64], y: &[f64], style: &LineStyle, width: f64) -> DrawResult<DB> {
        let pts = self.to_px(&finite_points(x, y, self.f));
        draw_path(self.root, pts, style, self.p, width)
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

/// A year label: whole years plainly, quarters with their decimals.
fn year_tick(x: f64) -> String {
    if (x - x.round()).abs() < 1e-6 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}").trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ticks_label_first_and_last_year() {
        assert_eq!(year_ticks(2025.0, 2045.0).len(), 11);
        assert_eq!(year_ticks(2025.0, 2045.0)[0], 2025.0);
        assert_eq!(year_ticks(2025.0, 2045.0)[10], 2045.0);
        assert_eq!(
            year_ticks(2025.0, 2026.0),
            vec![2025.0, 2025.25, 2025.5, 2025.75, 2026.0]
        );
        assert_eq!(year_tick(2025.5), "2025.5");
    }
}
