//! Response charts on a numeric x axis: points with optional whiskers and labels, a line with its band, and Morris reference rays.
//!
//! One family serves a one-key grid (means and their 95% CIs against the
//! varied value), a Latin hypercube (point means with a binned-mean
//! smoother) and the Morris mu*-sigma plot (effects in metric units on both
//! axes, with the sigma/mu* = 0.1, 0.5 and 1 rays that the screening
//! literature reads them against).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::paint::{
    DrawResult, Painter, axis_titles, draw_axis_titles, draw_line_marker, draw_path, y_tick_count,
};
use super::style::{MINUS, line_style, value_range, value_scale};
use super::{FONT, Plot};
use crate::report::format::group_thousands;

/// One point of a scatter.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Position along x.
    pub x: f64,
    /// Position along y.
    pub y: f64,
    /// Text written next to the point (Morris: the parameter).
    pub label: Option<String>,
    /// Horizontal 95% interval (low, high).
    pub x_ci: Option<(f64, f64)>,
    /// Vertical 95% interval (low, high).
    pub y_ci: Option<(f64, f64)>,
}

/// The ray slopes sigma/mu* of a Morris plot.
pub(super) const RAYS: [f64; 3] = [0.1, 0.5, 1.0];

/// Draws a scatter chart's axes on `plot_area` and its contents on `area`
/// (the root: the frame's mapping gives root pixels, as for time charts).
pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot_area: &DrawingArea<DB, Shift>,
    p: &Painter,
) -> DrawResult<DB> {
    let Plot::Scatter {
        points,
        point_style,
        line,
        x_in_unit,
        rays,
        ..
    } = &p.chart.plot
    else {
        return Ok(());
    };
    let chart = p.chart;
    let xs = points
        .iter()
        .flat_map(|pt| {
            let (lo, hi) = pt.x_ci.unwrap_or((pt.x, pt.x));
            [pt.x, lo, hi]
        })
        .chain(line.iter().flat_map(|s| s.x.iter().copied()));
    let ys = points
        .iter()
        .flat_map(|pt| {
            let (lo, hi) = pt.y_ci.unwrap_or((pt.y, pt.y));
            [pt.y, lo, hi]
        })
        .chain(line.iter().flat_map(|s| {
            let band = s.band.iter().flat_map(|(lo, hi)| lo.iter().chain(hi));
            s.y.iter().chain(band).copied()
        }));
    let (mut x0, mut x1) = value_range(xs);
    let (mut y0, mut y1) = value_range(ys);
    if *rays {
        // Morris effects are magnitudes in one unit: both axes from zero to
        // the same end, so the rays keep their true angles.
        (x0, y0) = (x0.min(0.0), y0.min(0.0));
        x1 = x1.max(y1);
        y1 = x1;
    }
    if p.from_zero {
        (y0, y1) = (y0.min(0.0), y1.max(0.0));
    }
    let pad = |lo: f64, hi: f64| if hi > lo { (hi - lo) * 0.06 } else { 1.0 };
    let (px, py) = (pad(x0, x1), pad(y0, y1));
    (x1, y1) = (x1 + px, y1 + py);
    if !*rays {
        x0 -= px;
    }
    if !(*rays || p.from_zero && y0 == 0.0) {
        y0 -= py;
    }
    let scale = value_scale(&chart.unit, chart.difference, y0, y1);
    let f = scale.factor;
    let fx = if *x_in_unit { f } else { 1.0 };
    let x_label = if *x_in_unit {
        format!("{}, {}", chart.x_label, scale.label)
    } else {
        chart.x_label.clone()
    };
    let y_label = if *rays {
        format!("sigma (sd of effects), {}", scale.label)
    } else {
        scale.label.clone()
    };
    let decimals = |span: f64| {
        let step = span / 8.0;
        if step >= 1.0 || step <= 0.0 || !step.is_finite() {
            0
        } else {
            (-step.log10()).ceil().clamp(0.0, 4.0) as usize
        }
    };
    let (xd, yd) = (decimals((x1 - x0) * fx), decimals((y1 - y0) * f));
    let x_fmt = |x: &f64| group_thousands(*x, xd, ",", MINUS);
    let y_fmt = |y: &f64| group_thousands(*y, yd, ",", MINUS);
    let (x_title, y_title) = axis_titles(plot_area, p, &x_label, &y_label);
    let mut cc = ChartBuilder::on(plot_area)
        .margin_top(p.px(10.0))
        .margin_right(p.px(36.0))
        .margin_left(p.px(16.0))
        .x_label_area_size(p.px(34.0) + x_title.depth())
        .y_label_area_size(p.px(84.0) + y_title.depth())
        .build_cartesian_2d(x0 * fx..x1 * fx, y0 * f..y1 * f)?;
    cc.configure_mesh()
        .x_labels(8)
        .y_labels(y_tick_count(plot_area, p, &x_title))
        .set_all_tick_mark_size(p.px(5.0))
        .x_label_formatter(&x_fmt)
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
    let coord = cc.as_coord_spec().clone();
    let to_px = |x: f64, y: f64| coord.translate(&(x * fx, y * f));
    let grey = p.stroke(RGBColor(150, 150, 150), 1.0);

    // Boxes of the texts drawn so far, in device pixels.
    let mut placed: Vec<[(i32, i32); 2]> = Vec::new();
    if *rays {
        for slope in RAYS {
            // Each ray ends where it leaves the frame; its label sits just
            // inside that end, so it is never cut by the frame.
            let at_top = y1 / slope < x1;
            let x_end = if at_top { y1 / slope } else { x1 };
            let end = to_px(x_end, x_end * slope);
            area.draw(&PathElement::new(vec![to_px(0.0, 0.0), end], grey))?;
            let font = (FONT, p.pt(16.0))
                .into_font()
                .color(&RGBColor(110, 110, 110))
                .pos(Pos::new(HPos::Left, VPos::Top));
            let text = format!("\u{3c3}/\u{3bc}* = {slope}");
            let (w, h) = area
                .estimate_text_size(&text, &font)
                .map_or((120, 20), |(w, h)| (w as i32, h as i32));
            let (gap, pad) = (p.px(6.0), p.px(4.0));
            let (left, top) = if at_top && x_end < 0.8 * x1 {
                (end.0 + gap, end.1 + pad)
            } else if at_top {
                (end.0 - gap - w, end.1 + pad)
            } else {
                (end.0 - pad - w, end.1 + gap)
            };
            area.draw_text(&text, &font, (left, top))?;
            // Point labels keep clear of the ray labels.
            placed.push([(left, top), (left + w, top + h)]);
        }
    }
    if let Some(s) = line {
        let st = line_style(s.style);
        if let Some((lo, hi)) = &s.band {
            let mut poly: Vec<(i32, i32)> = Vec::new();
            let keep: Vec<usize> = (0..s.x.len())
                .filter(|&i| s.x[i].is_finite() && lo[i].is_finite() && hi[i].is_finite())
                .collect();
            poly.extend(keep.iter().map(|&i| to_px(s.x[i], hi[i])));
            poly.extend(keep.iter().rev().map(|&i| to_px(s.x[i], lo[i])));
            if poly.len() >= 3 {
                area.draw(&Polygon::new(poly, st.colour.mix(0.16).filled()))?;
            }
        }
        let pts: Vec<(i32, i32)> =
            s.x.iter()
                .zip(&s.y)
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .map(|(x, y)| to_px(*x, *y))
                .collect();
        draw_path(area, pts, &st, p, 2.5)?;
    }
    let st = line_style(*point_style);
    let whisker = p.stroke(st.colour, 1.5);
    let label_style = (FONT, p.pt(17.0)).into_font().color(&BLACK);
    for pt in points {
        if !(pt.x.is_finite() && pt.y.is_finite()) {
            continue;
        }
        if let Some((lo, hi)) = pt.x_ci.filter(|(l, h)| l.is_finite() && h.is_finite()) {
            area.draw(&PathElement::new(
                vec![to_px(lo, pt.y), to_px(hi, pt.y)],
                whisker,
            ))?;
        }
        if let Some((lo, hi)) = pt.y_ci.filter(|(l, h)| l.is_finite() && h.is_finite()) {
            area.draw(&PathElement::new(
                vec![to_px(pt.x, lo), to_px(pt.x, hi)],
                whisker,
            ))?;
        }
        let at = to_px(pt.x, pt.y);
        draw_line_marker(area, at, &st, p)?;
        if let Some(label) = &pt.label {
            let (w, h) = area
                .estimate_text_size(label, &label_style)
                .map_or((200, 20), |(w, h)| (w as i32, h as i32));
            let box_at = |(x, y): (i32, i32)| [(x, y), (x + w, y + h)];
            let overlaps = |b: &[(i32, i32); 2]| {
                placed.iter().any(|o| {
                    b[0].0 < o[1].0 && o[0].0 < b[1].0 && b[0].1 < o[1].1 && o[0].1 < b[1].1
                })
            };
            let (gap, right_edge) = (p.px(10.0), to_px(x1, y1).0);
            // Right of the point above, below, then left; the first free place wins.
            let candidates = [
                (at.0 + gap, at.1 - gap - h),
                (at.0 + gap, at.1 + gap),
                (at.0 - gap - w, at.1 - gap - h),
                (at.0 - gap - w, at.1 + gap),
            ];
            let fits = |b: &[(i32, i32); 2]| b[1].0 <= right_edge && !overlaps(b);
            let chosen = candidates
                .iter()
                .map(|c| box_at(*c))
                .find(|b| fits(b))
                // Crowded: above the point, moved left as far as the frame needs.
                .unwrap_or_else(|| box_at((candidates[0].0.min(right_edge - w), candidates[0].1)));
            area.draw_text(label, &label_style, chosen[0])?;
            placed.push(chosen);
        }
    }
    Ok(())
}
