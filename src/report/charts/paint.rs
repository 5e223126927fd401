//! Drawing primitives shared by the chart families: device-pixel scaling, lines, markers, whiskers and fitted text.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// Splits `text` at spaces into at most `max_lines` lines that fit `max_w`
/// device pixels; what still does not fit is cut from the last line with an
/// ellipsis.
pub(super) fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: u32,
    max_lines: usize,
) -> Vec<String> {
    let fits = |t: &str| {
        area.estimate_text_size(t, style)
            .map_or(true, |(w, _)| w <= max_w)
    };
    let mut lines: Vec<String> = Vec::new();
    let mut words = text.split(' ').peekable();
    while words.peek().is_some() {
        if lines.len() + 1 == max_lines.max(1) {
            let rest = words.collect::<Vec<_>>().join(" ");
            lines.push(fit_text(area, &rest, style, max_w as i32));
            break;
        }
        let mut line = String::new();
        while let Some(w) = words.peek() {
            let candidate = if line.is_empty() {
                (*w).to_string()
            } else {
                format!("{line} {w}")
            };
            if !fits(&candidate) && !line.is_empty() {
                break;
            }
            line = candidate;
            words.next();
        }
        lines.push(line);
    }
    lines
}

/// An axis title laid out along an axis: full size if it fits, else smaller,
/// else on up to three lines (the last cut with an ellipsis if need be).
pub(super) struct AxisTitle {
    /// Font size in device pixels.
    size: f64,
    lines: Vec<String>,
}

impl AxisTitle {
    /// Full size (22 logical px) and the smallest (16) that is still 7 pt in
    /// the smallest preset.
    const FULL: f64 = 22.0;
    const SMALLEST: f64 = 16.0;

    /// Lays `text` out along `len` device pixels.
    pub(super) fn fit<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        text: &str,
        p: &Painter,
        len: i32,
    ) -> Self {
        let len = len.max(1) as u32;
        let width = |size: f64| {
            area.estimate_text_size(text, &(super::FONT, size).into_text_style(area))
                .map_or(0, |(w, _)| w)
        };
        let mut size = p.pt(Self::FULL);
        while size > p.pt(Self::SMALLEST) && width(size) > len {
            size -= p.pt(1.0);
        }
        let size = size.max(p.pt(Self::SMALLEST));
        let lines = wrap(
            area,
            text,
            &(super::FONT, size).into_text_style(area),
            len,
            3,
        );
        Self { size, lines }
    }

    /// Device pixels from one line to the next.
    fn line_step(&self) -> i32 {
        (self.size * 1.2).round() as i32
    }

    /// Depth across the axis in device pixels (0 for an empty title).
    pub(super) fn depth(&self) -> i32 {
        if self.lines.iter().all(String::is_empty) {
            0
        } else {
            self.line_step() * self.lines.len() as i32
        }
    }

    /// Draws the title centred on `at`, its first line's top edge there;
    /// `rotate` turns it (270 along a left axis, 90 along a right one) and
    /// further lines go inward from that edge.
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        at: (i32, i32),
        rotate: FontTransform,
        colour: RGBColor,
    ) -> DrawResult<DB> {
        let step = self.line_step();
        let (dx, dy) = match rotate {
            FontTransform::Rotate270 => (step, 0),
            FontTransform::Rotate90 => (-step, 0),
            _ => (0, step),
        };
        let style = (super::FONT, self.size)
            .into_font()
            .color(&colour)
            .transform(rotate)
            .pos(Pos::new(HPos::Center, VPos::Top));
        for (i, line) in self.lines.iter().enumerate() {
            let i = i as i32;
            area.draw_text(line, &style, (at.0 + dx * i, at.1 + dy * i))?;
        }
        Ok(())
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

/// The titles of an x axis (`x`) and a y axis (`y`) laid out for a chart
/// drawn on `area` with the usual margins (left 16, right 36, top 10) and
/// tick label room (x 34, y 84 logical px), so they are never cut.
pub(super) fn axis_titles<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
    x: &str,
    y: &str,
) -> (AxisTitle, AxisTitle) {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    // A first guess of each title's depth decides the other's length.
    let depth = (p.pt(AxisTitle::FULL) * 1.2).round() as i32;
    let x_len = w - p.px(16.0 + 36.0 + 84.0) - depth;
    let x_title = AxisTitle::fit(area, x, p, x_len);
    let y_len = h - p.px(10.0 + 34.0) - x_title.depth();
    let y_title = AxisTitle::fit(area, y, p, y_len);
    (x_title, y_title)
}

/// How many value ticks plotters may put on a y axis of a chart on `area`
/// whose x title is `x_title`: at most eight, at least two, and never closer
/// than about two and a half tick labels.
pub(super) fn y_tick_count<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
    x_title: &AxisTitle,
) -> usize {
    let h = area.dim_in_pixel().1 as i32 - p.px(10.0 + 34.0) - x_title.depth();
    (h / p.px(48.0).max(1)).clamp(2, 8) as usize
}

/// Draws axis titles (from [`axis_titles`]) beside the plotting rectangle
/// `plot` (absolute device pixels, as plotters gives it) of a chart on `area`.
pub(super) fn draw_axis_titles<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
    plot: &(std::ops::Range<i32>, std::ops::Range<i32>),
    x_title: &AxisTitle,
    y_title: &AxisTitle,
) -> DrawResult<DB> {
    let (ax, ay) = area.get_base_pixel();
    let (xs, ys) = plot;
    let h = area.dim_in_pixel().1 as i32;
    let ink = RGBColor(0, 0, 0);
    x_title.draw(
        area,
        ((xs.start + xs.end) / 2 - ax, h - x_title.depth()),
        FontTransform::None,
        ink,
    )?;
    y_title.draw(
        area,
        (p.px(16.0), (ys.start + ys.end) / 2 - ay),
        FontTransform::Rotate270,
        ink,
    )
}
