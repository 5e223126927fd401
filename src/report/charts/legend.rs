//! The legend strip under time charts and bar charts: which entries a plot has, where they go and how they are drawn.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::paint::{DrawResult, Painter, draw_line_marker, draw_path, draw_whisker};
use super::style::{
    FAN, FAN_INNER_TINT, FAN_LINE, FAN_OUTER_TINT, LineStyle, bar_fill, layer_fill, line_style,
    tint,
};
use super::{FONT, Plot};

/// A legend entry's symbol.
pub(super) enum Key {
    /// A line sample, with its marker or (a fan's mean) without.
    Line {
        style: LineStyle,
        marker: bool,
    },
    Fill(RGBColor),
    /// A confidence-interval whisker of a bar chart.
    Whisker,
    /// A scatter point's marker alone.
    Marker(LineStyle),
}

/// The legend entries of a plot, in drawing order. Heatmaps have none: their
/// colour bar says what colours mean.
pub(super) fn keys(plot: &Plot) -> Vec<(Key, String)> {
    match plot {
        Plot::Lines {
            series, band_label, ..
        } => {
            let mut keys: Vec<(Key, String)> = series
                .iter()
                .map(|s| {
                    let style = line_style(s.style);
                    (
                        Key::Line {
                            style,
                            marker: true,
                        },
                        s.label.clone(),
                    )
                })
                .collect();
            if let Some(b) = band_label
                && series.iter().any(|s| s.band.is_some())
            {
                // One series: its band colour; several: neutral grey, as each band has its line's tint.
                let c = match series.as_slice() {
                    [one] => line_style(one.style).colour,
                    _ => RGBColor(0, 0, 0),
                };
                keys.push((Key::Fill(tint(c, 0.16)), b.clone()));
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
                Key::Line {
                    style: FAN_LINE,
                    marker: false,
                },
                mean_label.clone(),
            ),
            (Key::Fill(tint(FAN, FAN_INNER_TINT)), inner.2.clone()),
            (Key::Fill(tint(FAN, FAN_OUTER_TINT)), outer.2.clone()),
        ],
        Plot::Stacked { layers, .. } => layers
            .iter()
            .enumerate()
            .map(|(i, (label, _))| (Key::Fill(layer_fill(i)), label.clone()))
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
        Plot::Waterfall { steps } => {
            use super::waterfall::{FALL, LEVEL, REMAINDER, RISE, StepKind};
            let has = |kind: StepKind, rise: Option<bool>| {
                steps
                    .iter()
                    .any(|s| s.kind == kind && rise.is_none_or(|r| (s.to >= s.from) == r))
            };
            let mut keys = Vec::new();
            for (present, colour, label) in [
                (has(StepKind::Level, None), LEVEL, "level"),
                (has(StepKind::Change, Some(true)), RISE, "raises the effect"),
                (
                    has(StepKind::Change, Some(false)),
                    FALL,
                    "lowers the effect",
                ),
                (has(StepKind::Remainder, None), REMAINDER, "remainder"),
            ] {
                if present {
                    keys.push((Key::Fill(colour), label.to_string()));
                }
            }
            if steps.iter().any(|s| s.ci.is_some()) {
                keys.push((Key::Whisker, "95% confidence interval".to_string()));
            }
            keys
        }
        Plot::Scatter {
            points,
            points_label,
            point_style,
            line,
            band_label,
            ..
        } => {
            let mut keys = vec![(Key::Marker(line_style(*point_style)), points_label.clone())];
            if let Some(s) = line {
                let style = line_style(s.style);
                keys.push((
                    Key::Line {
                        style,
                        marker: false,
                    },
                    s.label.clone(),
                ));
                if let (Some(b), Some(_)) = (band_label, &s.band) {
                    keys.push((Key::Fill(tint(style.colour, 0.16)), b.clone()));
                }
            }
            if points.iter().any(|p| p.x_ci.is_some() || p.y_ci.is_some()) {
                keys.push((Key::Whisker, "95% confidence interval".to_string()));
            }
            keys
        }
    }
}

/// Width of an entry's symbol sample, in logical pixels.
const SAMPLE_W: f64 = 56.0;

/// Legend rows, each a list of (key index, x in device pixels).
pub(super) type Rows = Vec<Vec<(usize, i32)>>;

/// Places legend entries left to right, wrapping to new rows; returns the
/// rows and the strip height in device pixels.
pub(super) fn layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    keys: &[(Key, String)],
    p: &Painter,
) -> (Rows, i32) {
    let width = area.dim_in_pixel().0 as i32;
    let legend_font = (FONT, p.pt(18.0)).into_font().color(&BLACK);
    let sample_w = p.px(SAMPLE_W);
    let gap = p.px(30.0);
    let mut rows: Rows = vec![vec![]];
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

/// Draws the legend entries placed by [`layout`].
pub(super) fn draw<DB: DrawingBackend>(
    legend_area: &DrawingArea<DB, Shift>,
    keys: &[(Key, String)],
    rows: &[Vec<(usize, i32)>],
    p: &Painter,
) -> DrawResult<DB> {
    let row_h = p.px(30.0);
    let text = (FONT, p.pt(18.0))
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (r, row) in rows.iter().enumerate() {
        let y = p.px(8.0) + row_h * r as i32 + row_h / 2;
        for &(i, x) in row {
            let (key, label) = &keys[i];
            draw_symbol(legend_area, key, (x, y), p)?;
            legend_area.draw_text(label, &text, (x + p.px(SAMPLE_W) + p.px(8.0), y))?;
        }
    }
    Ok(())
}

/// Draws a key's symbol in the sample box whose left middle is `(x, y)`.
fn draw_symbol<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    key: &Key,
    (x, y): (i32, i32),
    p: &Painter,
) -> DrawResult<DB> {
    let sample_w = p.px(SAMPLE_W);
    match key {
        Key::Line { style, marker } => {
            draw_path(area, vec![(x, y), (x + sample_w, y)], style, p, 2.5)?;
            if *marker {
                draw_line_marker(area, (x + sample_w / 2, y), style, p)?;
            }
            Ok(())
        }
        Key::Fill(c) => {
            let rect = [(x, y - p.px(10.0)), (x + sample_w, y + p.px(10.0))];
            area.draw(&Rectangle::new(rect, c.filled()))?;
            area.draw(&Rectangle::new(rect, RGBColor(60, 60, 60).stroke_width(1)))
        }
        Key::Marker(style) => draw_line_marker(area, (x + sample_w / 2, y), style, p),
        Key::Whisker => draw_whisker(
            area,
            x + p.px(6.0),
            x + sample_w - p.px(6.0),
            y,
            p.px(6.0),
            p,
        ),
    }
}
