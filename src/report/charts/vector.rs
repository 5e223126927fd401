//! Vector output: plotters' SVG turned into self-contained SVG (text as DejaVu Sans outlines) and PDF (DejaVu Sans embedded).
//!
//! plotters writes `<text font-family="sans-serif">`, which each viewer
//! fills with its own font, so an SVG looked different from the PNG. Both
//! files are made from one usvg tree laid out with the embedded DejaVu Sans:
//! the SVG carries the glyphs as paths (nothing to install, the same in
//! every viewer and journal system), the PDF carries a subset of the font
//! itself (text stays selectable and searchable).

use std::sync::{Arc, OnceLock};

use usvg::fontdb;

use super::ChartError;

/// Logical pixels per inch: the SVG's user units, and how the PDF page gets
/// its physical size (a 336 px wide chart is a 3.5 in page).
const PX_PER_INCH: f32 = 96.0;

/// The fonts charts use, loaded once per process.
fn fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::bold().to_vec());
        // plotters names the family of every text "sans-serif".
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

fn tree(svg: &str, title: &str) -> Result<usvg::Tree, ChartError> {
    let opts = usvg::Options {
        fontdb: fonts(),
        font_family: "DejaVu Sans".into(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &opts).map_err(|e| ChartError::Vector {
        title: title.to_string(),
        message: e.to_string(),
    })
}

/// `svg` (from plotters) with every text drawn as DejaVu Sans outlines; the
/// texts themselves go into `<desc>` (one per line, as drawn) so the file
/// can still be searched and is described to screen readers.
pub(super) fn outlined_svg(svg: &str, title: &str) -> Result<String, ChartError> {
    let tree = tree(svg, title)?;
    let out = tree.to_string(&usvg::WriteOptions::default());
    let Some(open_end) = out.find('>').filter(|_| out.starts_with("<svg")) else {
        return Err(ChartError::Vector {
            title: title.to_string(),
            message: "usvg wrote no <svg> element".into(),
        });
    };
    // A viewBox lets viewers and word processors scale the figure.
    let size = tree.size();
    Ok(format!(
        "{} viewBox=\"0 0 {} {}\">\n<desc>{}</desc>{}",
        &out[..open_end],
        size.width(),
        size.height(),
        texts(svg).join("\n"),
        &out[open_end + 1..]
    ))
}

/// The contents of the `<text>` elements of plotters' SVG, still escaped.
fn texts(svg: &str) -> Vec<&str> {
    svg.split("<text")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest.find("</text>")?;
            (start <= end).then(|| rest[start..end].trim())
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// A one-page PDF of `svg` (from plotters) at 96 logical pixels per inch,
/// with the subset of DejaVu Sans it uses embedded.
pub(super) fn pdf(svg: &str, title: &str) -> Result<Vec<u8>, ChartError> {
    let tree = tree(svg, title)?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi: PX_PER_INCH },
    )
    .map_err(|e| ChartError::Vector {
        title: title.to_string(),
        message: e.to_string(),
    })
}
