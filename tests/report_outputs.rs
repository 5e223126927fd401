//! Snapshot tests of the CSV, Markdown, LaTeX and console exporters, and checks that every standard chart file is produced and valid.
//!
//! Snapshots live in `tests/snapshots/`. Any change in output fails the test;
//! after an intended change, regenerate them with
//! `OVOPSIM_UPDATE_SNAPSHOTS=1 cargo test --release --test report_outputs`
//! and review the diff before committing.

use std::path::PathBuf;

use ovopsim::metrics::{METRICS, N_METRICS};
use ovopsim::report::{self, ChartOptions, TableForm};
use ovopsim::results::{RunOutput, ScenarioResults};

/// A deterministic scenario: values depend on replication, month and metric
/// through exact arithmetic only (no transcendental functions, whose last
/// digit may differ between platforms), at magnitudes typical of each unit.
fn fixture(name: &str, reps: u32, months: usize, effect: f64) -> ScenarioResults {
    let runs = (0..reps)
        .map(|r| {
            let mut run = RunOutput::with_months(r, months);
            for month in 0..=months {
                let t = month as f64 / 12.0;
                let wobble = f64::from((r * 7 + month as u32 * 3) % 5) - 2.0;
                // The effect varies by replication, so paired intervals have width.
                let effect = effect * (1.0 + 0.1 * f64::from(r));
                let mut row = [0.0; N_METRICS];
                for (i, v) in row.iter_mut().enumerate() {
                    let unit = METRICS[i].unit;
                    // Keyed by the metric's name, not its position, so that a new
                    // metric adds rows to the snapshots without changing the others.
                    let i: usize = METRICS[i].name.bytes().map(usize::from).sum();
                    *v = if unit.starts_with("share") {
                        (0.2 + 0.01 * (i % 7) as f64 + 0.02 * t * effect + 0.003 * wobble)
                            .clamp(0.0, 1.0)
                    } else if unit.starts_with("Rp") {
                        1.0e6 * (1.0 + 0.1 * (i % 5) as f64) * (1.0 + 0.04 * t * effect)
                            + 1_500.0 * wobble
                            + 250.0 * f64::from(r)
                    } else {
                        40.0 + (i % 4) as f64 * 10.0 + 12.0 * t * effect + wobble
                    };
                }
                run.push_row(&row);
            }
            run
        })
        .collect();
    ScenarioResults {
        name: name.to_string(),
        label: name.to_string(),
        start_year: 2025,
        runs,
    }
}

fn pair(months: usize) -> Vec<ScenarioResults> {
    vec![
        fixture("baseline", 3, months, 1.0),
        fixture("ovop", 3, months, 2.5),
    ]
}

/// Compares `actual` with `tests/snapshots/<name>`, or rewrites the file when
/// `OVOPSIM_UPDATE_SNAPSHOTS=1`.
fn snapshot(name: &str, actual: &str) {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "snapshots", name]
        .iter()
        .collect();
    if std::env::var("OVOPSIM_UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read snapshot {}: {e}; create it with OVOPSIM_UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from its snapshot at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             (lines: expected {}, actual {}); if intended, rerun with OVOPSIM_UPDATE_SNAPSHOTS=1",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line),
            expected.lines().count(),
            actual.lines().count()
        );
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

#[test]
fn csv_exporters_match_snapshots() {
    let all = pair(12);
    snapshot("series.csv", &text(report::series_csv(&all[0])));
    snapshot("summary.csv", &text(report::summary_csv(&all[0])));
    snapshot("comparison.csv", &text(report::comparison_csv(&all)));
    snapshot("effects.csv", &text(report::effects_csv(&all)));
}

#[test]
fn tables_match_snapshots() {
    let all = pair(120);
    let years = [0, 5, 10];
    snapshot(
        "comparison.md",
        &report::comparison_markdown(&all, &years, report::DEFAULT_METRICS, TableForm::default())
            .unwrap(),
    );
    snapshot(
        "comparison.tex",
        &report::comparison_latex(&all, &years, report::DEFAULT_METRICS, TableForm::default())
            .unwrap(),
    );
    snapshot(
        "comparison_one.tex",
        &report::comparison_latex(
            &all[..1],
            &years,
            &["gini", "value_added"],
            TableForm::default(),
        )
        .unwrap(),
    );
    let across = TableForm {
        metrics_across: true,
        differences_only: false,
    };
    let differences = TableForm {
        metrics_across: false,
        differences_only: true,
    };
    let two = ["income_per_capita", "poverty_rate"];
    snapshot(
        "comparison_across.md",
        &report::comparison_markdown(&all, &years, &two, across).unwrap(),
    );
    snapshot(
        "comparison_across.tex",
        &report::comparison_latex(&all, &years, &two, across).unwrap(),
    );
    snapshot(
        "comparison_differences.md",
        &report::comparison_markdown(&all, &years, &two, differences).unwrap(),
    );
    snapshot(
        "comparison_differences_across.tex",
        &report::comparison_latex(
            &all,
            &years,
            &two,
            TableForm {
                metrics_across: true,
                differences_only: true,
            },
        )
        .unwrap(),
    );
    snapshot("summary_two.txt", &report::console_summary(&all, &[], None));
    snapshot(
        "summary_one.txt",
        &report::console_summary(&all[..1], &[], None),
    );
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&png[12..16], b"IHDR", "IHDR first");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

/// Every stem has a PNG of the right pixel size and an SVG holding its title.
fn check_files(files: &[(String, Vec<u8>)], stems: &[String], opts: &ChartOptions) {
    assert_eq!(files.len(), 2 * stems.len());
    let figures_png = (opts.width * opts.dpi / 96, opts.height * opts.dpi / 96);
    for stem in stems {
        let png = files
            .iter()
            .find(|(n, _)| *n == format!("{stem}.png"))
            .unwrap_or_else(|| panic!("{stem}.png missing"));
        assert_eq!(png_size(&png.1), figures_png, "{stem}.png");
        assert!(
            png.1.ends_with(b"IEND\xaeB`\x82"),
            "{stem}.png ends with IEND"
        );
        let svg = files
            .iter()
            .find(|(n, _)| *n == format!("{stem}.svg"))
            .unwrap_or_else(|| panic!("{stem}.svg missing"));
        let svg = std::str::from_utf8(&svg.1).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{stem}.svg"
        );
        assert!(
            svg.contains(&format!("width=\"{}\"", opts.width)),
            "{stem}.svg width"
        );
    }
}

#[test]
fn standard_charts_are_produced_and_valid() {
    let opts = ChartOptions {
        width: 800,
        height: 500,
        dpi: 144,
        title: Some("Test district".into()),
        show_titles: true,
        from_zero: false,
        shaded: Vec::new(),
        ..ChartOptions::default()
    };
    let one = vec![fixture("solo run", 2, 24, 1.0)];
    let files = report::standard_charts(&one, &[], &opts).unwrap();
    let stems: Vec<String> = [
        "income_per_capita",
        "jobs_agroindustry",
        "poverty_rate",
        "member_share",
        "income_per_capita_fan",
        "jobs_agroindustry_fan",
        "poverty_rate_fan",
        "adoption",
        "income_by_source",
        "groups_by_tier",
        "partnerships_by_stage",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    check_files(&files, &stems, &opts);
    let fan = files
        .iter()
        .find(|(n, _)| n == "income_per_capita_fan.svg")
        .unwrap();
    let svg = text(fan.1.clone());
    assert!(
        svg.contains("Test district: Mean income per capita: solo run"),
        "title"
    );
    assert!(
        svg.contains("middle 95% of replications"),
        "fan legend says spread"
    );

    let all = pair(24);
    let files = report::standard_charts(&all, &[], &opts).unwrap();
    let mut stems = Vec::new();
    for m in [
        "income_per_capita",
        "jobs_agroindustry",
        "poverty_rate",
        "member_share",
    ] {
        stems.push(m.to_string());
        stems.push(format!("{m}_diff"));
    }
    for s in ["baseline", "ovop"] {
        for c in [
            "income_per_capita_fan",
            "jobs_agroindustry_fan",
            "poverty_rate_fan",
            "adoption",
            "income_by_source",
            "groups_by_tier",
            "partnerships_by_stage",
        ] {
            stems.push(format!("{c}_{s}"));
        }
    }
    check_files(&files, &stems, &opts);
    let diff = files
        .iter()
        .find(|(n, _)| n == "poverty_rate_diff.svg")
        .unwrap();
    // Texts are listed one drawn line each; the long title wraps at 800 px.
    let diff = std::str::from_utf8(&diff.1).unwrap().replace('\n', " ");
    assert!(diff.contains("Poverty rate: difference from baseline"));
    assert!(diff.contains("percentage points"));
    assert!(diff.contains("paired 95% CI"));
}

#[test]
fn heatmap_files_are_valid() {
    let means = vec![vec![1.0e6, f64::NAN], vec![1.2e6, 1.3e6]];
    let h = report::Heatmap {
        x_name: "coordination.quality",
        x_values: &[0.2, 0.8],
        y_name: "programme.budget_scale",
        y_values: &[0.5, 1.0],
        means: &means,
        metric: "income_per_capita",
        unit: "Rp per capita per month",
        year: 10,
        title: "Income at year 10",
        half_widths: &[1_000.0, 2_000.0, 1_500.0],
        replications: 8,
    };
    let opts = ChartOptions::default();
    let files = report::chart_files("sweep_income", &report::heatmap_chart(&h), &opts).unwrap();
    check_files(&files, &["sweep_income".to_string()], &opts);
    let svg = std::str::from_utf8(&files[1].1).unwrap();
    assert!(svg.contains("Income at year 10") && svg.contains("n/a"));
    assert!(svg.contains("median \u{b1}1.5, largest \u{b1}2.0"));
}
