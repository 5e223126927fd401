//! Drawing primitives shared by the chart families: device-pixel scaling, lines, markers, whiskers and fitted text.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::Chart;
use super::style::{LineStyle, Marker};

/// Everything drawn, with the `s` scale from logical to device pixels.
pub(super) struct Painter<'a> {
    pub(super) chart: &'a Chart,
    pub(super) s: f64,
    /// Level axes start at zero (differences and magnitudes always show it).
    pub(super) from_zero: bool,
    /// Periods shaded on time charts.
    pub(super) shaded: &'a [super::Period],
}

impl Painter<'_> {
    /// Logical pixels as whole device pixels.
    pub(super) fn px(&self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }
    /// Logical pixels (or points of a font size) as fractional device pixels.
    pub(super) fn pt(&self, v: f64) -> f64 {
        v * self.s
    }
    /// Stroke `width` logical pixels wide, never thinner than one device pixel.
    pub(super) fn stroke(&self, colour: RGBColor, width: f64) -> ShapeStyle {
        colour.stroke_width(self.px(width).max(1) as u32)
    }
}

/// What plotters' drawing calls return on a backend `DB`.
pub(super) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws `marker` with radius `r` centred at `at`; outlines are `stroke` device pixels wide.
pub(super) fn draw_marker<DB: DrawingBackend>(
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

/// Draws the marker of a line style at its usual size (on lines and in the legend alike).
pub(super) fn draw_line_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    style: &LineStyle,
    p: &Painter,
) -> DrawResult<DB> {
    draw_marker(
        area,
        at,
        style.marker,
        p.px(6.5),
        style.colour,
        p.px(2.0).max(1) as u32,
    )
}

/// Draws a polyline in device pixels, solid or dashed.
pub(super) fn draw_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: Vec<(i32, i32)>,
    style: &LineStyle,
    p: &Painter,
    width: f64,
) -> DrawResult<DB> {
    let stroke = p.stroke(style.colour, width);
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

/// A horizontal confidence whisker from `x0` to `x1` at height `y`, with end
/// caps. Black on the dark fill still reads; a white halo was tried and cut
/// single bars visually in two.
pub(super) fn draw_whisker<DB: DrawingBackend>(
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
        area.draw(&PathElement::new(seg, p.stroke(BLACK, 2.0)))?;
    }
    Ok(())
}

/// Splits `text` into at most two lines that fit `max_w` device pixels.
pub(super) fn wrap2<DB: DrawingBackend>(
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

/// `text` cut at the end with an ellipsis until it fits `max_w` device pixels.
pub(super) fn fit_text<DB: DrawingBackend>(
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
