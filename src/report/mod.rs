//! Reporting: turns in-memory results into the files of a results folder (CSV tables, charts, manifest) and writes them atomically.
//!
//! Exporters and renderers return bytes and do no I/O of their own (except
//! the private temporary file behind PNG encoding); `write` is the only place
//! that touches the results folder, so its ordering guarantees hold for all.

pub mod charts;
pub mod csv;
pub mod manifest;
pub mod sweep;
pub mod write;

pub use self::charts::{
    BandSeries, ChartError, ChartSpec, render_png, render_svg, standard_charts,
};
pub use self::csv::{comparison_csv, effects_csv, series_csv, summary_csv};
pub use self::manifest::{Manifest, manifest_json, rfc3339_utc};
pub use self::write::{WriteError, write_files, write_results};
