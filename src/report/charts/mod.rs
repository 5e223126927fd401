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
//!
//! One module per chart family: `time` (mean lines with bands, overlays and
//! differences, fans, stacked areas), `heatmap` (sweeps over two parameters),
//! `bars` (Morris and Sobol sensitivity) and `waterfall` (decompositions). They share the visual
//! vocabulary of `style`, the primitives of `paint` and the `legend` strip;
//! this module holds the public chart description, the title block and the
//! PNG and SVG entry points.

mod bars;
mod heatmap;
mod legend;
mod paint;
mod scatter;
mod style;
mod time;
mod vector;
mod waterfall;

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

pub use self::bars::{Bars, bars_chart};
pub use self::heatmap::{Heatmap, heatmap_chart};
use self::paint::Painter;
pub use self::scatter::Point;
pub use self::style::{LineStyle, Marker, line_style};
pub use self::waterfall::{Step, StepKind};

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
    /// Start value axes of levels at zero; otherwise they fit the data, so
    /// differences between scenarios are not flattened.
    pub from_zero: bool,
    /// Periods shaded on time charts (shocks), in fractional calendar years.
    pub shaded: Vec<Period>,
    /// Size of text, lines, markers and margins relative to the layout made
    /// for the default 1200x720 chart; below 1 for small print figures (see
    /// [`Size`] and [`text_scale`]).
    pub scale: f64,
    /// Files written per chart, in this order.
    pub formats: Vec<Format>,
}

/// A file format of charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Raster, at `ChartOptions::dpi`, recording it.
    Png,
    /// Vector, text as DejaVu Sans outlines.
    Svg,
    /// Vector, one page of the chart's physical size, DejaVu Sans embedded.
    Pdf,
}

impl Format {
    /// The file name extension, which is also the name `--format` takes.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
        }
    }
}

/// A publication size: physical size, resolution and text scale that suit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// One column of a two-column journal page: 3.5 x 3 in at 300 DPI.
    Column,
    /// The text width of a page: 6.5 x 4 in at 300 DPI.
    Page,
    /// A 16:9 slide: 10 x 5.625 in at 150 DPI, with larger text.
    Slide,
}

impl Size {
    /// Width and height in logical pixels (96 per inch), PNG DPI and text scale.
    ///
    /// Column and page text is scaled so tick labels are about 8.5 pt and the
    /// smallest text 7 pt at print size; slides keep the full layout so text
    /// reads from the back of a room (tick labels 14 pt).
    pub fn spec(self) -> (u32, u32, u32, f64) {
        match self {
            Size::Column => (336, 288, 300, MIN_SCALE),
            Size::Page => (624, 384, 300, 0.7),
            Size::Slide => (960, 540, 150, 1.0),
        }
    }
}

/// The smallest text scale: the smallest text (16 logical px in the full
/// layout) is then 7.2 pt at print size.
const MIN_SCALE: f64 = 0.6;

/// The text scale of an explicit `width` x `height` chart: the full layout
/// at 1200x720 and above, shrunk with the chart below that, but never so far
/// that text falls under 7 pt at print size.
pub fn text_scale(width: u32, height: u32) -> f64 {
    (f64::from(width) / 1200.0)
        .min(f64::from(height) / 720.0)
        .clamp(MIN_SCALE, 1.0)
}

/// A period shaded on time charts, e.g. a drought, with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// Start, as a fractional calendar year (2030.0 = start of January 2030).
    pub start: f64,
    /// End, likewise.
    pub end: f64,
    /// Text written at the top of the shading.
    pub label: String,
}

impl Default for ChartOptions {
    fn default() -> Self {
        Self {
            width: 1200,
            height: 720,
            dpi: 96,
            title: None,
            show_titles: true,
            from_zero: false,
            shaded: Vec::new(),
            scale: 1.0,
            formats: vec![Format::Png, Format::Svg],
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
    /// The SVG could not be laid out or converted to PDF.
    #[error("cannot write chart {title:?} as SVG or PDF: {message}")]
    Vector {
        /// Title of the chart being drawn.
        title: String,
        /// usvg's or svg2pdf's error text.
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
    /// Points on a numeric x axis (`Chart::x_label`), with an optional line
    /// and band: sweep responses and the Morris mu*-sigma plot.
    Scatter {
        /// The points.
        points: Vec<Point>,
        /// Legend text of the points.
        points_label: String,
        /// Line style index of the points' marker and whiskers.
        point_style: usize,
        /// A line through the points (grid means, a smoother), with its band.
        line: Option<Series>,
        /// Legend entry for the line's band.
        band_label: Option<String>,
        /// X values share the y unit and its display scale (Morris mu*).
        x_in_unit: bool,
        /// Morris plot: both axes from zero, with sigma/mu* reference rays.
        rays: bool,
    },
    /// A waterfall: rows top to bottom, from a level through changes to a level.
    Waterfall {
        /// The rows, top first.
        steps: Vec<Step>,
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
    let p = Painter {
        chart,
        s,
        from_zero: opts.from_zero,
        shaded: &opts.shaded,
    };
    root.fill(&WHITE).map_err(err)?;
    let top = if opts.show_titles {
        draw_title_block(&root, opts, &p).map_err(err)?
    } else {
        p.px(12.0)
    };
    let body = root.margin(top, 0, 0, 0);

    if let Plot::Heatmap { .. } = chart.plot {
        heatmap::draw(&body, &p).map_err(err)?;
        return root.present().map_err(err);
    }

    // Legend below the plot in its own strip, so it can never cover data.
    let keys = legend::keys(&chart.plot);
    let (rows, legend_h) = legend::layout(&body, &keys, &p);
    let body_h = (root.dim_in_pixel().1 as i32 - top).max(1);
    let (plot_area, legend_area) = body.split_vertically((body_h - legend_h).max(1));
    if let Plot::Bars { .. } = chart.plot {
        bars::draw(&plot_area, &p).map_err(err)?;
    } else if let Plot::Waterfall { .. } = chart.plot {
        waterfall::draw(&plot_area, &p).map_err(err)?;
    } else if let Plot::Scatter { .. } = chart.plot {
        scatter::draw(&root, &plot_area, &p).map_err(err)?;
    } else {
        time::draw(&root, &plot_area, &p).map_err(err)?;
    }
    legend::draw(&legend_area, &keys, &rows, &p).map_err(err)?;
    root.present().map_err(err)
}

/// Draws the title (after `opts.title`) and the note under it, wrapped to
/// two lines at most; returns where the body starts, in device pixels.
fn draw_title_block<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    opts: &ChartOptions,
    p: &Painter,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let chart = p.chart;
    let title = match &opts.title {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}: {}", chart.title),
        _ => chart.title.clone(),
    };
    let title_style = (FONT, p.pt(30.0), FontStyle::Bold).into_text_style(root);
    let width = root.dim_in_pixel().0.saturating_sub(p.px(56.0) as u32);
    let mut y = p.pt(14.0);
    for line in paint::wrap(root, &title, &title_style, width, 2) {
        root.draw_text(&line, &title_style, (p.px(28.0), y.round() as i32))?;
        y += p.pt(36.0);
    }
    let note_style = (FONT, p.pt(18.0)).into_font().color(&RGBColor(70, 70, 70));
    // Small charts get more lines of note rather than a cut sentence.
    for line in paint::wrap(root, &chart.note, &note_style, width, 4) {
        y += p.pt(6.0);
        root.draw_text(&line, &note_style, (p.px(28.0), y.round() as i32))?;
        y += p.pt(17.0);
    }
    Ok((y + p.pt(12.0)).round() as i32)
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

/// The chart as plotters draws it in SVG, text naming the viewer's sans-serif.
fn plotters_svg(chart: &Chart, opts: &ChartOptions) -> Result<String, ChartError> {
    register_fonts()?;
    check_size(chart, opts.width, opts.height)?;
    let mut svg = String::new();
    draw(
        SVGBackend::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area(),
        chart,
        opts,
        opts.scale,
    )?;
    Ok(svg)
}

/// Renders a chart as an SVG document with its text as DejaVu Sans outlines,
/// so it looks like the PNG everywhere (`opts.dpi` does not apply).
pub fn render_svg(chart: &Chart, opts: &ChartOptions) -> Result<String, ChartError> {
    vector::outlined_svg(&plotters_svg(chart, opts)?, &chart.title)
}

/// Renders a chart as a one-page vector PDF of its physical size (96
/// logical pixels per inch), with DejaVu Sans embedded.
pub fn render_pdf(chart: &Chart, opts: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    vector::pdf(&plotters_svg(chart, opts)?, &chart.title)
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
        s * opts.scale,
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

/// `<stem>.png`, `<stem>.svg` and `<stem>.pdf` of one chart, as `opts.formats` asks.
pub fn chart_files(
    stem: &str,
    chart: &Chart,
    opts: &ChartOptions,
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    opts.formats
        .iter()
        .map(|&format| {
            let bytes = match format {
                Format::Png => render_png(chart, opts)?,
                Format::Svg => render_svg(chart, opts)?.into_bytes(),
                Format::Pdf => render_pdf(chart, opts)?,
            };
            Ok((format!("{stem}.{}", format.extension()), bytes))
        })
        .collect()
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

    pub(super) fn png_size(png: &[u8]) -> (u32, u32) {
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
            from_zero: false,
            shaded: Vec::new(),
            scale: 1.0,
            formats: vec![Format::Png, Format::Svg],
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
        // The 400 px tall chart wraps the y axis title.
        assert!(svg.contains("Rp thousand per capita\nper month"));
        assert!(svg.contains("scenario 2"));
        // Text is drawn as outlines: no <text>, glyph paths, a viewBox.
        assert!(!svg.contains("<text") && svg.matches("<path").count() > 100);
        assert!(svg.contains("viewBox=\"0 0 600 400\""));
    }

    #[test]
    fn pdf_is_vector_with_the_font_embedded_at_the_physical_size() {
        let chart = lines_chart(2);
        let (width, height, dpi, scale) = Size::Column.spec();
        let opts = ChartOptions {
            width,
            height,
            dpi,
            scale,
            formats: vec![Format::Pdf, Format::Png],
            ..ChartOptions::default()
        };
        let files = chart_files("c", &chart, &opts).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["c.pdf", "c.png"]);
        let pdf = &files[0].1;
        assert!(pdf.starts_with(b"%PDF-"));
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        // 3.5 x 3 in is 252 x 216 pt; DejaVu Sans subset embedded as TrueType.
        assert!(has(b"/MediaBox [0 0 252 216]"));
        assert!(has(b"/FontFile2") && has(b"DejaVuSans"));
        // 300 DPI PNG of the same chart.
        assert_eq!(png_size(&files[1].1), (1050, 900));
    }

    #[test]
    fn small_charts_scale_text_but_not_below_7_pt() {
        assert_eq!(text_scale(1200, 720), 1.0);
        assert_eq!(text_scale(2400, 1440), 1.0);
        assert!((text_scale(900, 720) - 0.75).abs() < 1e-12);
        assert_eq!(text_scale(480, 320), MIN_SCALE);
        // The smallest text (16 logical px, 12 pt in the full layout) stays
        // at 7 pt or more in every preset.
        for size in [Size::Column, Size::Page, Size::Slide] {
            assert!(16.0 * 0.75 * size.spec().3 >= 7.0, "{size:?}");
        }
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
}
