//! Command-line arguments (clap only): turns them into requests for `app`, with no model types inside.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Agent-based simulation of rural agro-industry under the One Village One Product (OVOP) approach.
///
/// Runs scenario files (TOML) of villages, households, producer groups, lead
/// firms and government agencies, and writes income and employment curves
/// with 95% confidence intervals over replications.
#[derive(Debug, Parser)]
#[command(name = "ovopsim", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one scenario: replications in parallel, then series.csv, summary.csv, manifest.json and charts.
    Run {
        /// Scenario file (TOML), e.g. scenarios/ovop.toml.
        scenario: PathBuf,
        #[command(flatten)]
        opts: RunOpts,
        /// Results folder [default: output/<scenario name>].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run several scenarios with the same seeds (paired replications) and write comparison.csv and overlay charts.
    Compare {
        /// Scenario files; differences are taken against the first.
        #[arg(required = true, num_args = 2..)]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        opts: RunOpts,
        /// Results folder [default: output/comparison].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check scenario files without running them: prints problems with file, line, column and key.
    Check {
        /// Scenario files.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        /// Override a value: key.path=value (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
    },
    /// List every scenario key with its default, unit, meaning and source.
    Params {
        /// Print the Markdown table that docs/ODD.md embeds.
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(Debug, Args)]
pub struct RunOpts {
    /// Replications (independent runs with different random streams).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub reps: u32,
    /// Master seed; the same seed and scenario give byte-identical results.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Override the scenario's horizon (years, 1-100).
    #[arg(long)]
    pub years: Option<u32>,
    /// Override a scenario value: key.path=value, e.g. coordination.quality=0.3 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// No progress output.
    #[arg(long)]
    pub quiet: bool,
}
