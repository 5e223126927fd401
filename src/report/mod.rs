//! Exporters and charts.
