//! Reporting: turns in-memory results into the files of a results folder (CSV and LaTeX/Markdown tables, charts, manifest) and writes them atomically.
//!
//! Exporters and renderers return bytes or strings and do no I/O of their
//! own; `write` is the only place that touches the results folder, so its
//! ordering guarantees hold for all. Statistics come from `crate::stats`.

pub mod charts;
pub mod csv;
pub mod decomposition;
pub mod figures;
pub mod format;
pub mod manifest;
pub mod response;
pub mod sweep;
pub mod tables;
pub mod write;

pub use self::charts::{
    Bars, Chart, ChartError, ChartOptions, Format, Heatmap, Period, Plot, Point, Series, Size,
    bars_chart, chart_files, heatmap_chart, render_pdf, render_png, render_svg, text_scale,
};
pub use self::csv::{comparison_csv, effects_csv, series_csv, summary_csv, write_series};
pub use self::figures::{standard_charts, standard_figures};
pub use self::manifest::{Build, InputFile, Manifest, manifest_json, rfc3339_utc};
pub use self::tables::{
    DEFAULT_METRICS, DEFAULT_YEARS, TableError, TableForm, comparison_latex, comparison_markdown,
    console_summary,
};
pub use self::write::{Streamed, WriteError, write_files, write_results, write_results_with};
