//! Sweep heatmaps: one metric's mean over a grid of two parameters, drawn as equal labelled cells with a colour bar.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::paint::{AxisTitle, DrawResult, Painter};
use super::style::{MINUS, Scale, nice_ticks, value_range, value_scale, viridis};
use super::{Chart, FONT, Plot};
use crate::report::format::{decimals_for, group_thousands};

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
    /// Metric as readers name it, e.g. `Mean income per capita`.
    pub metric: &'a str,
    /// The metric's unit (from `metrics.rs`), e.g. `Rp per capita per month`.
    pub unit: &'a str,
    /// Simulated year the means refer to (month `12 * year`).
    pub year: u32,
    /// Chart title.
    pub title: &'a str,
    /// Half-widths of the cells' 95% CIs of the mean, stated under the title
    /// (a cell shows one number, so its uncertainty is said in words).
    pub half_widths: &'a [f64],
    /// Replications per cell (one gives no interval, and the note says so).
    pub replications: usize,
}

/// The chart of a sweep heatmap; render it with [`super::chart_files`] or
/// [`super::render_png`]/[`super::render_svg`].
pub fn heatmap_chart(h: &Heatmap) -> Chart {
    Chart {
        title: h.title.to_string(),
        note: format!(
            "{}: mean across replications at the end of year {}. {} Grey cells: not run.",
            h.metric,
            h.year,
            uncertainty(h)
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

/// "95% CI of each cell mean: median ±a, largest ±b <unit>", in the colour
/// bar's display unit, or why there is no interval.
fn uncertainty(h: &Heatmap) -> String {
    let mut halves: Vec<f64> = h
        .half_widths
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if h.replications < 2 || halves.is_empty() {
        return "One replication per cell: no confidence interval.".into();
    }
    halves.sort_by(f64::total_cmp);
    let (z_min, z_max) = value_range(h.means.iter().flatten().copied());
    let scale = value_scale(h.unit, false, z_min, z_max);
    let scaled: Vec<f64> = halves.iter().map(|v| v * scale.factor).collect();
    let d = decimals_for(&scaled, &scaled);
    let f = |v: f64| group_thousands(v, d, ",", MINUS);
    format!(
        "95% CI of each cell mean: median \u{b1}{}, largest \u{b1}{} {}.",
        f(scaled[scaled.len() / 2]),
        f(scaled[scaled.len() - 1]),
        scale.label
    )
}

/// The cell grid in device pixels: equal cells whatever the spacing of parameter values.
struct Grid {
    left: i32,
    top: i32,
    width: i32,
    height: i32,
    cell_w: i32,
    cell_h: i32,
}

impl Grid {
    /// Top-left corner of the cell in `row` (0 = bottom) and `col`.
    fn corner(&self, row: usize, col: usize) -> (i32, i32) {
        (
            self.left + self.cell_w * col as i32,
            self.top + self.height - self.cell_h * (row as i32 + 1),
        )
    }
}

/// How values become colours and labels: position `t` in 0..=1 along viridis.
struct Colours {
    z_min: f64,
    span: f64,
    scale: Scale,
}

impl Colours {
    /// Where `v` falls between the smallest and largest value.
    fn position(&self, v: f64) -> f64 {
        (v - self.z_min) / self.span
    }
    /// `v` in display units, as cells and the colour bar label it.
    fn text(&self, v: f64) -> String {
        group_thousands(v * self.scale.factor, self.scale.decimals, ",", MINUS)
    }
}

/// Draws a heatmap by hand in device pixels: cells labelled with their
/// values, parameter values at cell centres and a colour bar at the right.
pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
) -> DrawResult<DB> {
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
    let (z_min, z_max) = value_range(z.iter().flatten().copied());
    let colours = Colours {
        z_min,
        span: if z_max > z_min { z_max - z_min } else { 1.0 },
        scale: value_scale(&p.chart.unit, p.chart.difference, z_min, z_max),
    };
    let (left, right, bottom, top) = (p.px(150.0), p.px(200.0), p.px(90.0), p.px(14.0));
    let nx = x_values.len().max(1) as i32;
    let ny = y_values.len().max(1) as i32;
    let width = (w - left - right).max(nx);
    let height = (h - top - bottom).max(ny);
    let grid = Grid {
        left,
        top,
        width,
        height,
        cell_w: width / nx,
        cell_h: height / ny,
    };

    draw_cells(
        area,
        p,
        &grid,
        &colours,
        z,
        (x_values.len(), y_values.len()),
    )?;
    draw_parameter_axes(area, p, &grid, (x_name, x_values), (y_name, y_values))?;
    draw_colour_bar(area, p, &grid, &colours, w)
}

/// Cells coloured and labelled by value; missing cells grey, struck through and marked n/a.
fn draw_cells<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
    grid: &Grid,
    colours: &Colours,
    z: &[Vec<f64>],
    (nx, ny): (usize, usize),
) -> DrawResult<DB> {
    let (cw, ch) = (grid.cell_w, grid.cell_h);
    let cell_font_px = (f64::from(ch.min(cw)) * 0.28).min(p.pt(20.0));
    // Labels too small to read are left off rather than drawn as noise.
    let labelled = cell_font_px >= p.pt(9.0);
    let cell_font = |ink: &RGBColor| {
        (FONT, cell_font_px)
            .into_font()
            .color(ink)
            .pos(Pos::new(HPos::Center, VPos::Center))
    };
    for row in 0..ny {
        for col in 0..nx {
            let v = z
                .get(row)
                .and_then(|r| r.get(col))
                .copied()
                .unwrap_or(f64::NAN);
            let (x, y) = grid.corner(row, col);
            let rect = [(x, y), (x + cw, y + ch)];
            let centre = (x + cw / 2, y + ch / 2);
            if v.is_finite() {
                let t = colours.position(v);
                area.draw(&Rectangle::new(rect, viridis(t).filled()))?;
                if labelled {
                    let ink = if t > 0.55 { BLACK } else { WHITE };
                    area.draw_text(&colours.text(v), &cell_font(&ink), centre)?;
                }
            } else {
                area.draw(&Rectangle::new(rect, RGBColor(235, 235, 235).filled()))?;
                area.draw(&PathElement::new(
                    vec![(x, y), (x + cw, y + ch)],
                    RGBColor(170, 170, 170).stroke_width(1),
                ))?;
                if labelled {
                    area.draw_text("n/a", &cell_font(&RGBColor(90, 90, 90)), centre)?;
                }
            }
            area.draw(&Rectangle::new(rect, p.stroke(WHITE, 1.0)))?;
        }
    }
    Ok(())
}

/// Parameter values at cell centres, and the parameter names along both axes.
fn draw_parameter_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
    grid: &Grid,
    (x_name, x_values): (&str, &[f64]),
    (y_name, y_values): (&str, &[f64]),
) -> DrawResult<DB> {
    let (left, top, cw, ch) = (grid.left, grid.top, grid.cell_w, grid.cell_h);
    let label_font = (FONT, p.pt(19.0)).into_font().color(&BLACK);
    let right_anchor = label_font.pos(Pos::new(HPos::Right, VPos::Center));
    for (row, v) in y_values.iter().enumerate() {
        let y = top + grid.height - ch * row as i32 - ch / 2;
        area.draw_text(&param_label(*v), &right_anchor, (left - p.px(10.0), y))?;
    }
    let top_anchor = label_font.pos(Pos::new(HPos::Center, VPos::Top));
    for (col, v) in x_values.iter().enumerate() {
        let x = left + cw * col as i32 + cw / 2;
        area.draw_text(
            &param_label(*v),
            &top_anchor,
            (x, top + grid.height + p.px(8.0)),
        )?;
    }
    AxisTitle::fit(area, x_name, p, grid.width).draw(
        area,
        (left + grid.width / 2, top + grid.height + p.px(44.0)),
        FontTransform::None,
        BLACK,
    )?;
    AxisTitle::fit(area, y_name, p, grid.height + p.px(60.0)).draw(
        area,
        (p.px(14.0), top + grid.height / 2),
        FontTransform::Rotate270,
        BLACK,
    )
}

/// A colour bar right of the grid with about five labelled values, and the
/// unit along the right edge of the chart (`w` device pixels wide), where it
/// cannot collide with labels.
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Painter,
    grid: &Grid,
    colours: &Colours,
    w: i32,
) -> DrawResult<DB> {
    let (top, grid_h) = (grid.top, grid.height);
    let bar_x = grid.left + grid.width + p.px(30.0);
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
    let left_anchor = (FONT, p.pt(19.0))
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for v in nice_ticks(colours.z_min, colours.z_min + colours.span) {
        let t = colours.position(v);
        let y = top + grid_h - (f64::from(grid_h) * t).round() as i32;
        area.draw(&PathElement::new(
            vec![(bar_x + bar_w, y), (bar_x + bar_w + p.px(6.0), y)],
            BLACK.stroke_width(1),
        ))?;
        area.draw_text(
            &colours.text(v),
            &left_anchor,
            (bar_x + bar_w + p.px(10.0), y),
        )?;
    }
    AxisTitle::fit(area, &colours.scale.label, p, grid_h + p.px(60.0)).draw(
        area,
        (w - p.px(8.0), top + grid_h / 2),
        FontTransform::Rotate90,
        RGBColor(50, 50, 50),
    )
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

#[cfg(test)]
mod tests {
    use super::super::tests::png_size;
    use super::super::{ChartOptions, chart_files};
    use super::*;

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
            half_widths: &[12_000.0, 30_000.0],
            replications: 10,
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

    #[test]
    fn parameter_labels() {
        assert_eq!(param_label(0.25), "0.25");
        assert_eq!(param_label(1000.0), "1,000");
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
}
