//! Visual vocabulary shared by every chart family: line styles, fills, colour scales, value scales and round ticks.

use plotters::style::RGBColor;

use crate::report::format::display_unit;

/// True minus sign for chart labels; DejaVu has it and it reads better than a hyphen.
pub(super) const MINUS: &str = "\u{2212}";

/// How values are rescaled for display, with the axis label that says so.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Scale {
    pub(super) factor: f64,
    pub(super) label: String,
    pub(super) decimals: usize,
}

/// Picks percent for shares and thousand/million/billion for large amounts,
/// and enough decimals to tell apart ticks about a tenth of the span apart.
pub(super) fn value_scale(unit: &str, difference: bool, min: f64, max: f64) -> Scale {
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

/// Smallest and largest finite value, or (0, 1) when there is none.
pub(super) fn value_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let mut range = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        range = (range.0.min(v), range.1.max(v));
    }
    if range.0 > range.1 { (0.0, 1.0) } else { range }
}

/// Round values (1, 2, 2.5 or 5 times a power of ten apart) within `lo..=hi`, about five of them.
pub(super) fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
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
pub(super) const LAYER_FILLS: [RGBColor; 5] = [
    RGBColor(37, 52, 148),
    RGBColor(44, 127, 184),
    RGBColor(65, 182, 196),
    RGBColor(161, 218, 180),
    RGBColor(255, 255, 204),
];

/// Fill of stacked layer `i`.
pub(super) fn layer_fill(i: usize) -> RGBColor {
    LAYER_FILLS[i % LAYER_FILLS.len()]
}

/// Fan colour: the mean line, and opaque blends of it with white for the bands.
pub(super) const FAN: RGBColor = RGBColor(8, 69, 148);

/// Style of a fan's mean line; solid, and drawn without markers.
pub(super) const FAN_LINE: LineStyle = LineStyle {
    colour: FAN,
    dash: None,
    marker: Marker::Circle,
};

/// Tint of the fan's outer band: light, so the inner band stands out on it.
pub(super) const FAN_OUTER_TINT: f64 = 0.22;
/// Tint of the fan's inner band.
pub(super) const FAN_INNER_TINT: f64 = 0.5;

/// `c` blended with white; `t` = 1 is `c`, 0 is white.
pub(super) fn tint(c: RGBColor, t: f64) -> RGBColor {
    let mix = |v: u8| (255.0 - (255.0 - f64::from(v)) * t).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// Bar fills by kind: dark, then light (drawn with an outline), so the two
/// kinds differ in lightness and stay apart in grayscale.
const BAR_FILLS: [RGBColor; 2] = [RGBColor(33, 102, 172), RGBColor(198, 219, 239)];

/// Fill of bar kind `kind`.
pub(super) fn bar_fill(kind: usize) -> RGBColor {
    BAR_FILLS[kind % BAR_FILLS.len()]
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

/// The viridis colour at `t` in 0..=1 (clamped; non-finite reads as 0).
pub(super) fn viridis(t: f64) -> RGBColor {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_scales() {
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
        assert_eq!(value_range([f64::NAN, 3.0, -1.0]), (-1.0, 3.0));
        assert_eq!(value_range([f64::NAN]), (0.0, 1.0));
        assert_eq!(
            nice_ticks(1.0e6, 1.91e6),
            vec![1.0e6, 1.25e6, 1.5e6, 1.75e6]
        );
        assert_eq!(nice_ticks(-0.03, 0.05), vec![-0.02, 0.0, 0.02, 0.04]);
    }

    #[test]
    fn styles_survive_grayscale() {
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
    }
}
