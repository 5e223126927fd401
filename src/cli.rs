//! Command-line arguments (clap only): turns them into requests for `app`, with no model types inside.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Agent-based simulation of rural agro-industry under the One Village One Product (OVOP) approach.
///
/// Runs scenario files (TOML) of villages, households, producer groups, lead
/// firms and government agencies, and writes income and employment curves
/// with 95% confidence intervals over replications.
#[derive(Debug, Parser)]
#[command(
    name = "ovopsim",
    version,
    about,
    long_about,
    after_help = "Start here:\n  ovopsim run scenarios/ovop.toml        run the default scenario\n  ovopsim compare scenarios/baseline.toml scenarios/ovop.toml\n  ovopsim new my.toml --from scenarios/ovop.toml\n  ovopsim params coordination           what can be set, with ranges\n\nExit codes: 0 success, 2 bad input (nothing written), 1 other failure."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one scenario: replications in parallel, then series.csv, summary.csv, manifest.json and charts.
    #[command(after_help = "Examples:
  ovopsim run scenarios/ovop.toml
  ovopsim run scenarios/ovop.toml --reps 40 --seed 7 --out output/ovop-40
  ovopsim run scenarios/kawasan.toml --years 10 --set coordination.quality=0.3

Results go to output/<scenario name>/ unless --out is given; manifest.json is
written last, so a folder without it is incomplete.")]
    Run {
        /// Scenario file (TOML), e.g. scenarios/ovop.toml.
        scenario: PathBuf,
        #[command(flatten)]
        opts: RunOpts,
        /// Results folder [default: output/<scenario name>].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run only shard I of N of the replications (0-based), for clusters; join shards with `merge`.
        /// Inside a Slurm array job the shard is taken from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT.
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        /// Metrics of the overlay and difference charts, comma-separated ids as in
        /// series.csv, e.g. income_per_capita,gini,value_added [default: income_per_capita,
        /// jobs_agroindustry, poverty_rate, member_share].
        #[arg(long, value_delimiter = ',', value_name = "METRICS")]
        metrics: Vec<String>,
        #[command(flatten)]
        charts: ChartArgs,
    },
    /// Run several scenarios with the same seeds (paired replications); write comparison.csv, tables and overlay charts.
    #[command(after_help = "Examples:
  ovopsim compare scenarios/baseline.toml scenarios/ovop.toml
  ovopsim compare scenarios/ovop.toml scenarios/kawasan.toml scenarios/ovop-fragmented.toml --reps 40 --out output/approaches
  ovopsim compare scenarios/baseline.toml scenarios/ovop.toml --table-years 5,10,20,30 --years 30

Replication r of every scenario uses the same random streams, so differences
from the first scenario are paired. Each scenario gets its own results folder
under --out, next to comparison.csv, comparison.md, comparison.tex and charts/.")]
    Compare {
        /// Scenario files; differences are taken against the first.
        #[arg(required = true, num_args = 2..)]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        opts: RunOpts,
        /// Years shown in comparison.md and comparison.tex [default: 5,10,20 within the horizon].
        #[arg(long, value_delimiter = ',', value_name = "YEARS")]
        table_years: Option<Vec<u32>>,
        /// Layout of comparison.md and comparison.tex: metrics-down (a row per metric and year, a
        /// column per scenario and difference) or metrics-across (the transpose).
        #[arg(long, value_enum, default_value = "metrics-down")]
        table_layout: TableLayout,
        /// Only the differences from the first scenario in comparison.md and comparison.tex.
        #[arg(long)]
        table_differences_only: bool,
        /// Results folder [default: output/comparison].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Metrics of the overlay and difference charts and of comparison.md and .tex, comma-separated ids as in
        /// series.csv, e.g. income_per_capita,gini,value_added [default: income_per_capita,
        /// jobs_agroindustry, poverty_rate, member_share].
        #[arg(long, value_delimiter = ',', value_name = "METRICS")]
        metrics: Vec<String>,
        #[command(flatten)]
        charts: ChartArgs,
    },
    /// Split a programme's effect (scenario minus baseline) by channel: each mechanism switched off with common random numbers.
    #[command(after_help = "Examples:
  ovopsim decompose scenarios/ovop.toml --against scenarios/baseline.toml
  ovopsim decompose scenarios/ovop.toml --against scenarios/baseline.toml \\
      --channels local_multiplier,partnerships,human_resources --method shapley --reps 40
  ovopsim decompose scenarios/kawasan.toml --against scenarios/baseline.toml \\
      --metrics income_per_capita,exports --table-years 5,20 --out output/kawasan-channels

A channel is a mechanism of the model (the local multiplier, partnerships
with lead firms, each kind of programme...) with the scenario keys that
switch it off; `--channels` takes their ids, and decomposition.md and
manifest.json list them with their keys. Every arm switches its channels off
in the scenario and in the baseline, through the same checks as --set, and
replication r of every arm uses the same random streams, so each number is a
paired mean over replications with its 95% confidence interval.

sequential (default): channels are switched off one after another, in the
order of --channels (or of the table); a channel's contribution is what
switching it off removes from the effect, given those before it are off;
contributions plus the remainder (the effect with every channel off) add up
to the total effect. It runs 2k arms (a scenario and a baseline each) for k
channels, and also reports each channel's knock-out effect (total minus the
effect with it alone off), which differs from its contribution where
channels interact. shapley: Shapley values, exact over all 2^k arms for up
to 6 channels, otherwise averaged over --permutations random orders (about
k arms each) drawn from --seed.

Writes decomposition.csv (every year end), decomposition.md and
decomposition.tex (--table-years), charts/waterfall_<metric>.png and .svg
(the last year) and manifest.json (every arm's overrides). The arms' runs
are not kept.")]
    Decompose {
        /// Scenario whose effect is decomposed, e.g. scenarios/ovop.toml.
        scenario: PathBuf,
        /// Baseline the effect is measured against, e.g. scenarios/baseline.toml.
        #[arg(long, value_name = "BASELINE", required = true)]
        against: PathBuf,
        /// How contributions are attributed.
        #[arg(long, value_enum, default_value = "sequential")]
        method: Attribution,
        /// Shapley with more than 6 channels: random orders sampled [default: 10].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        permutations: Option<u32>,
        /// Channels, in the order they are switched off [default: all, in table order].
        #[arg(
            long,
            value_delimiter = ',',
            value_name = "IDS",
            long_help = format!(
                "Channels, in the order they are switched off [default: all, in this order]: {}",
                crate::study::channels::all_ids()
            )
        )]
        channels: Option<Vec<String>>,
        /// Metrics decomposed [default: income_per_capita,jobs_agroindustry,poverty_rate].
        #[arg(long, value_delimiter = ',', value_name = "NAMES")]
        metrics: Option<Vec<String>>,
        /// Years shown in decomposition.md and decomposition.tex [default: 5,10,20 within the horizon].
        #[arg(long, value_delimiter = ',', value_name = "YEARS")]
        table_years: Option<Vec<u32>>,
        #[command(flatten)]
        opts: RunOpts,
        /// Results folder [default: output/<scenario name>-decompose].
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        charts: ChartArgs,
    },
    /// Run a scenario over a grid (--vary) or a Latin hypercube (--sample lhs) of parameter values.
    #[command(after_help = "Examples:
  ovopsim sweep scenarios/ovop.toml --vary coordination.quality=0.2:1:0.2 --reps 10
  ovopsim sweep scenarios/ovop.toml --vary coordination.quality=0.2,0.5,0.8 \\
      --vary finance.kur_supply=0.25:1:0.25 --metric jobs_agroindustry --year 10
  ovopsim sweep scenarios/ovop.toml --sample lhs --n 50 \\
      --range coordination.quality=0.2:1 --range information.quality=0:1

Writes points.csv (one row per point), sweep.csv (tidy: point, the varied
values as columns, metric, month, mean, sd, 95% CI, quantiles) and
sweep_runs.csv (one row per point, replication, month and metric), every
--every months, and prints --metric at --year for each point. Charts of
--metric at --year: with one varied key, the mean against the key with its
95% CI band; with two keys on a grid, a heatmap; for a Latin hypercube, a
scatter per key with a binned-mean smoother. Replication r of every point uses the same random streams,
so differences between points are paired.

Each point is saved in chunks/ as soon as it finishes: rerunning the same
command after an interruption runs only the missing points, and the results
are byte-identical to an uninterrupted run. On a cluster, run shard I of N per
task (--shard I/N, or a Slurm array) into separate folders and join them with
`ovopsim merge`; see examples/slurm/.")]
    Sweep {
        /// Scenario file the points start from.
        scenario: PathBuf,
        /// A varied key: key=a,b,c or key=lo:hi:step (repeatable; the grid is full).
        #[arg(long = "vary", value_name = "KEY=VALUES", conflicts_with_all = ["sample", "ranges"])]
        vary: Vec<String>,
        /// Sample the --range keys instead of a grid.
        #[arg(long, value_enum, requires_all = ["n", "ranges"])]
        sample: Option<Sampling>,
        /// Points to sample.
        #[arg(long, requires = "sample", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        n: Option<u32>,
        /// A sampled key and its range: key=lo:hi (repeatable).
        #[arg(long = "range", value_name = "KEY=LO:HI", requires = "sample")]
        ranges: Vec<String>,
        /// Months between recorded rows (12 = month 0 and each year end; 1 = every month).
        #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=1200))]
        every: u32,
        /// Metric of the response charts and the printed summary.
        #[arg(long, default_value = "income_per_capita")]
        metric: String,
        /// Year of the response charts and the printed summary [default: the last year].
        #[arg(long)]
        year: Option<u32>,
        #[command(flatten)]
        opts: RunOpts,
        /// Results folder [default: output/<scenario name>-sweep]. Rerunning into it resumes.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run only shard I of N of the points (0-based), for clusters; join shards with `merge`.
        /// Inside a Slurm array job the shard is taken from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT.
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        #[command(flatten)]
        charts: ChartArgs,
    },
    /// Global sensitivity of one metric at one year to parameter ranges: Morris screening or Sobol indices.
    #[command(after_help = "Examples:
  ovopsim sensitivity scenarios/ovop.toml --method morris --trajectories 10 \\
      --range coordination.quality=0.2:1 --range finance.kur_supply=0.2:1 \\
      --range information.quality=0:1 --reps 4 --years 10 --year 10
  ovopsim sensitivity scenarios/ovop.toml --method sobol --n 256 \\
      --range coordination.quality=0.2:1 --range finance.kur_supply=0.2:1 --reps 2

A Morris design has trajectories x (ranges + 1) points; a Sobol (Saltelli)
design has n x (ranges + 2) points; each point runs --reps replications and
its output is their mean of --metric at --year. Replication r of every point
uses the same random streams. Writes sensitivity.csv (Morris: mu, mu*, its
bootstrap 95% CI, sigma, in metric units per full range; Sobol: first-order
and total indices with bootstrap 95% CIs), a bar chart, and the sweep tables
of the design's points. Points are saved as they finish, so an interrupted
analysis resumes, and --shard I/N with `ovopsim merge` spreads it over a
cluster (see examples/slurm/).")]
    Sensitivity {
        /// Scenario file the design starts from.
        scenario: PathBuf,
        /// Morris elementary effects (screening) or Sobol variance-based indices.
        #[arg(long, value_enum)]
        method: Method,
        /// A varied key and its range: key=lo:hi (repeatable, at least one).
        #[arg(long = "range", value_name = "KEY=LO:HI", required = true)]
        ranges: Vec<String>,
        /// Metric analysed.
        #[arg(long, default_value = "income_per_capita")]
        metric: String,
        /// Year analysed [default: the last year].
        #[arg(long)]
        year: Option<u32>,
        /// Morris: trajectories.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..=100_000))]
        trajectories: u32,
        /// Morris: grid levels (even).
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(2..=100))]
        levels: u32,
        /// Sobol: base sample size N (a power of two is best).
        #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(2..=10_000_000))]
        n: u32,
        /// Bootstrap resamples for the 95% CIs (0 = none).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(0..=100_000))]
        bootstrap: u32,
        #[command(flatten)]
        opts: RunOpts,
        /// Results folder [default: output/<scenario name>-<method>]. Rerunning into it resumes.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run only shard I of N of the design points (0-based); join shards with `merge`.
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        #[command(flatten)]
        charts: ChartArgs,
    },
    /// Fit free scenario keys to data targets: simulated method of moments with common random numbers.
    #[command(after_help = "Examples:
  ovopsim calibrate scenarios/baseline.toml --targets calibration/indonesia.toml \\
      --free economy.background_growth=0:0.04 --free coordination.quality=0.1:0.9 --reps 8 --years 10
  ovopsim calibrate s.toml --targets t.toml --free KEY=LO:HI --points 40 --iterations 60 --out out/cal
  ovopsim calibrate scenarios/baseline.toml --targets calibration/indonesia.toml --check --reps 8 --years 10

A Latin hypercube of --points points over the --free ranges (default 5 x (keys
+ 1)) is run first; a Nelder-Mead search (argmin) then starts from its best
point for at most --iterations iterations. Every point runs --reps replications
with the same random streams (common random numbers). The distance is the sum
over fitted targets of ((model - data) / sd)^2, the model value being the mean
over replications at the target's month.

Writes calibration.csv (each target: data value, model value with its 95% CI,
weighted distance, within tolerance), fit.csv (fitted values with standard
errors from the SMM sandwich and 95% intervals), evaluations.csv (every point
run), charts/calibration.png and .svg, calibrated.toml (extends the scenario
with the fitted values; `ovopsim run` takes it) and manifest.json.

Points are saved as they finish (chunks/ for the hypercube, local/ for the
search), so rerunning the command after an interruption resumes with
identical results. --shard I/N runs a share of the hypercube; run every shard
into the same folder (or copy their chunks/ together), then run the same
command there without --shard to finish.

--check fits nothing: it runs the scenario as it is and writes
calibration.csv, the chart and manifest.json, to show how far a scenario
is from the data.")]
    Calibrate {
        /// Scenario file the free keys are fitted in.
        scenario: PathBuf,
        /// Targets file (TOML), e.g. calibration/indonesia.toml.
        #[arg(long, value_name = "FILE")]
        targets: PathBuf,
        /// A free key and its range: key=lo:hi (repeatable, at least one unless --check).
        #[arg(
            long = "free",
            value_name = "KEY=LO:HI",
            required_unless_present = "check",
            conflicts_with = "check"
        )]
        free: Vec<String>,
        /// Fit nothing: hold the scenario as it is against the targets.
        #[arg(long, conflicts_with_all = ["points", "shard"])]
        check: bool,
        /// Points of the Latin hypercube [default: 5 x (free keys + 1)].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        points: Option<u32>,
        /// Most Nelder-Mead iterations after the hypercube (0: none).
        #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(0..=100_000))]
        iterations: u32,
        #[command(flatten)]
        opts: RunOpts,
        /// Results folder [default: output/<scenario name>-calibration]. Rerunning into it resumes.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run only shard I of N of the hypercube's points (0-based), for clusters.
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        #[command(flatten)]
        charts: ChartArgs,
    },
    /// Join the shard folders of one sharded run, sweep or sensitivity analysis into final results.
    #[command(after_help = "Examples:
  ovopsim sweep s.toml --vary coordination.quality=0:1:0.1 --shard 0/2 --out out/shard-0
  ovopsim sweep s.toml --vary coordination.quality=0:1:0.1 --shard 1/2 --out out/shard-1
  ovopsim merge out/shard-0 out/shard-1 --out out/merged

The merged files are byte-identical to the same command run on one machine.
Merge refuses folders of different commands and names missing points.")]
    Merge {
        /// Shard folders (each with work.json and chunks/).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Folder for the merged results.
        #[arg(long, required = true)]
        out: PathBuf,
        /// Metric of a sweep's heatmap.
        #[arg(long, default_value = "income_per_capita")]
        metric: String,
        /// Year of a sweep's heatmap [default: the last year].
        #[arg(long)]
        year: Option<u32>,
        /// No progress output or summary.
        #[arg(long)]
        quiet: bool,
        /// Replace a folder that holds another command's results or other work.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        charts: ChartArgs,
    },
    /// Check scenario files without running them: prints problems with file, line, column and key.
    #[command(after_help = "Examples:
  ovopsim check scenarios/*.toml
  ovopsim check my.toml --set years=30

Exit code 0 when every file is valid, 2 otherwise.")]
    Check {
        /// Scenario files.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        /// Override a value: key.path=value (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
    },
    /// List every scenario key with its default, allowed range, unit and meaning.
    #[command(after_help = "Examples:
  ovopsim params                  every key
  ovopsim params coordination     keys whose name, meaning or unit mentions \"coordination\"
  ovopsim params --all            advanced keys (model constants) too
  ovopsim params --markdown       the table docs/ODD.md embeds

Lists (agencies, products, events) replace an inherited list whole; a file
may start with extends = \"other.toml\" to change only some keys.")]
    Params {
        /// Show only keys whose name, meaning or unit contains this text (any case).
        filter: Option<String>,
        /// Print the Markdown table that docs/ODD.md embeds.
        #[arg(long)]
        markdown: bool,
        /// Also list advanced keys (model constants most scenarios leave alone).
        #[arg(long)]
        all: bool,
    },
    /// Write a commented starter scenario file.
    #[command(after_help = "Examples:
  ovopsim new my.toml                                 every key, with its default and unit
  ovopsim new my-variant.toml --from scenarios/ovop.toml   extends ovop.toml; uncomment what differs

Then: ovopsim check my.toml && ovopsim run my.toml")]
    New {
        /// File to create.
        file: PathBuf,
        /// Start from this scenario: the new file extends it and lists its values as comments.
        #[arg(long, value_name = "SCENARIO")]
        from: Option<PathBuf>,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema of scenario files, so that editors complete and check keys.
    #[command(after_help = "Examples:
  ovopsim schema --out schema/ovopsim-scenario.schema.json   regenerate the repository's copy
  ovopsim schema > ~/ovopsim-scenario.schema.json

Editors that read JSON Schema for TOML (Taplo, \"Even Better TOML\" in VS Code)
use it when a scenario file starts with the line
  #:schema ./schema/ovopsim-scenario.schema.json
(a path relative to the scenario file), or through a .taplo.toml rule; the
repository's .taplo.toml covers scenarios/. The schema is written from the key
declarations, as `ovopsim params` is; bounds that depend on other keys (shares
summing to 1, event years within the run) are checked by `ovopsim check` only.")]
    Schema {
        /// Write the schema to this file instead of printing it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Serve a web page for trying parameters: move controls, run, watch replications stream in against the no-programme baseline.
    #[command(after_help = "Examples:
  ovopsim serve                  the shipped scenarios, on http://127.0.0.1:8080/
  ovopsim serve my.toml --open   my.toml first, and open the page in a browser
  ovopsim serve --port 0         any free port (printed)

The page offers the files given, then those in scenarios/ (in the current
folder, else in the source tree the binary was built from). Each run is
checked as `ovopsim run` checks it (same messages), and limited to 100
replications, 50 years and 200 villages; one run computes at a time, the
others queue. The page can download a TOML file that `ovopsim run` turns
into the same numbers. It listens on this machine only unless --host says
otherwise. Ctrl-C stops it.")]
    Serve {
        /// Scenario files to offer before the shipped ones.
        scenarios: Vec<PathBuf>,
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Address to listen on; anything but loopback lets other machines in (a warning says so).
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Open the page in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Re-draw the charts of a results folder from its saved series, without re-running.
    #[command(after_help = "Examples:
  ovopsim plot output/ovop
  ovopsim plot output/comparison --width 1600 --height 900 --dpi 300
  ovopsim plot output/ovop-sweep --metric jobs_agroindustry --year 10

Works on folders written by run, compare, sweep (the response chart of a
one-key grid, the heatmap of a two-key grid, the scatters of a Latin
hypercube) and sensitivity (the Morris or Sobol chart); charts go to the
folder's charts/.")]
    Plot {
        /// Results folder written by run, compare, sweep or sensitivity.
        dir: PathBuf,
        /// Metric of a sweep's response charts [default: income_per_capita]; for run and compare folders,
        /// an extra chart of this metric over time (and its differences).
        #[arg(long)]
        metric: Option<String>,
        /// Year of a sweep's response charts [default: the last year].
        #[arg(long)]
        year: Option<u32>,
        /// Metrics of the overlay and difference charts of a run or compare folder, comma-separated ids as in
        /// series.csv, e.g. income_per_capita,gini,value_added [default: income_per_capita,
        /// jobs_agroindustry, poverty_rate, member_share].
        #[arg(long, value_delimiter = ',', value_name = "METRICS")]
        metrics: Vec<String>,
        #[command(flatten)]
        charts: ChartArgs,
    },
    /// Print a shell completion script.
    #[command(after_help = "Examples:
  ovopsim completions bash > ~/.local/share/bash-completion/completions/ovopsim
  ovopsim completions zsh > ~/.zfunc/_ovopsim
  ovopsim completions fish > ~/.config/fish/completions/ovopsim.fish")]
    Completions {
        /// Shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from these same definitions.
    #[command(after_help = "Examples:
  ovopsim man > ovopsim.1 && man ./ovopsim.1
  ovopsim man | gzip > ~/.local/share/man/man1/ovopsim.1.gz")]
    Man,
}

/// A publication size of charts (`--size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SizePreset {
    /// One column of a two-column journal page: 3.5 x 3 in at 300 DPI.
    Column,
    /// The text width of a page: 6.5 x 4 in at 300 DPI.
    Page,
    /// A 16:9 slide: 10 x 5.6 in at 150 DPI, large text.
    Slide,
}

/// Layout of compare's tables (`--table-layout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableLayout {
    /// A row per metric and year, a column per scenario and difference.
    MetricsDown,
    /// A row per scenario and difference, a column per metric and year.
    MetricsAcross,
}

/// A chart file format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartFormat {
    /// PNG at --dpi, recording it.
    Png,
    /// SVG, text as outlines of the embedded font.
    Svg,
    /// PDF, vector, with the font embedded.
    Pdf,
}

/// Sensitivity method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// Morris elementary effects: mu*, sigma (cheap screening).
    Morris,
    /// Sobol first-order and total indices from a Saltelli design.
    Sobol,
}

/// How `decompose` attributes an effect to channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Attribution {
    /// Channels switched off cumulatively in the stated order.
    Sequential,
    /// Shapley values over channels (exact up to 6 channels, else sampled orders).
    Shapley,
}

/// How `sweep` samples points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Sampling {
    /// Latin hypercube: each range cut into n strata, each stratum used once.
    Lhs,
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
    #[arg(long, allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub years: Option<u32>,
    /// Override a scenario value: key.path=value, e.g. coordination.quality=0.3 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Lay a partial scenario (events, finance, coordination...) on every scenario before --set,
    /// e.g. scenarios/overlays/el-nino-2030.toml (repeatable; later ones win; lists replace whole).
    #[arg(long = "overlay", value_name = "FILE")]
    pub overlays: Vec<PathBuf>,
    /// No progress bar or summary; errors are still printed.
    #[arg(long)]
    pub quiet: bool,
    /// Replace a results folder that holds another command's results or other work.
    #[arg(long)]
    pub force: bool,
}

/// Size, resolution and title of the charts.
#[derive(Debug, Clone, Args)]
pub struct ChartArgs {
    /// Publication size: column (3.5 x 3 in, 300 DPI), page (6.5 x 4 in, 300 DPI) or slide
    /// (10 x 5.6 in, 150 DPI), with text, lines and legends scaled to suit; --width, --height
    /// and --dpi still override.
    #[arg(long, value_enum)]
    pub size: Option<SizePreset>,
    /// Chart width in pixels at 96 DPI (SVG user units) [default: 1200].
    #[arg(long, value_parser = clap::value_parser!(u32).range(300..=10_000))]
    pub width: Option<u32>,
    /// Chart height in pixels at 96 DPI [default: 720].
    #[arg(long, value_parser = clap::value_parser!(u32).range(200..=10_000))]
    pub height: Option<u32>,
    /// Resolution of PNG charts: the PNG is width x dpi/96 pixels wide (SVG and PDF are vector);
    /// 300 for print [default: 96].
    #[arg(long, value_parser = clap::value_parser!(u32).range(48..=1200))]
    pub dpi: Option<u32>,
    /// Chart files to write, comma-separated: png, svg, pdf (PDF: vector, font embedded).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "png,svg")]
    pub format: Vec<ChartFormat>,
    /// Text put before every chart title, e.g. "Lombok".
    #[arg(long)]
    pub title: Option<String>,
    /// Leave titles and notes off the charts (when figure captions say the same).
    #[arg(long)]
    pub no_titles: bool,
    /// Start value axes of levels at zero (by default they fit the data; differences always show zero).
    #[arg(long)]
    pub y_from_zero: bool,
    /// No charts.
    #[arg(long)]
    pub no_charts: bool,
}
