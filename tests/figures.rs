//! Figures, printed summaries and packaging as a user meets them: sweep response charts, overlays and labels, `plot` on every kind of folder, completions and the man page.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ovopsim-fig-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Width and height from a PNG's IHDR, after checking its signature.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
fn one_key_sweep_prints_a_summary_and_draws_its_response() {
    let dir = temp("sweep1").join("s");
    let out = ok(&run(&[
        "sweep",
        "scenarios/ovop.toml",
        "--vary",
        "coordination.quality=0.2,0.6,1",
        "--reps",
        "2",
        "--years",
        "1",
        "--out",
        dir.to_str().unwrap(),
    ]));
    assert!(
        out.starts_with("Mean income per capita in year 1 (Rp per capita per month), mean and 95% CI over 2 replications per point:"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 5, "{out}");
    assert!(out.contains("coordination.quality"), "{out}");
    let png = std::fs::read(dir.join("charts/sweep_income_per_capita_year1.png")).unwrap();
    assert_eq!(png_size(&png), (1200, 720));
    let svg =
        std::fs::read_to_string(dir.join("charts/sweep_income_per_capita_year1.svg")).unwrap();
    assert!(svg.contains("Mean income per capita in year 1 by coordination.quality"));
    assert!(svg.contains("95% CI of the mean"));
    // `plot` redraws it, for another metric too.
    std::fs::remove_dir_all(dir.join("charts")).unwrap();
    let o = run(&[
        "plot",
        dir.to_str().unwrap(),
        "--metric",
        "jobs_agroindustry",
    ]);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("wrote 2 charts"));
    assert!(
        dir.join("charts/sweep_jobs_agroindustry_year1.svg")
            .is_file()
    );
}

#[test]
fn plot_metric_is_honoured_for_runs_and_year_refused() {
    let dir = temp("plot-metric").join("r");
    ok(&run(&[
        "run",
        "scenarios/ovop.toml",
        "--reps",
        "2",
        "--years",
        "1",
        "--quiet",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]));
    ok(&run(&["plot", dir.to_str().unwrap(), "--metric", "gini"]));
    let svg = std::fs::read_to_string(dir.join("charts/gini.svg")).unwrap();
    assert!(svg.contains("Gini coefficient of income"));
    let o = run(&["plot", dir.to_str().unwrap(), "--year", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--year applies to sweep folders"));
    let o = run(&["plot", dir.to_str().unwrap(), "--metric", "ginni"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean gini"));
}

#[test]
fn hypercube_draws_a_scatter_per_key_and_morris_its_mu_sigma_plot() {
    let dir = temp("lhs");
    let lhs = dir.join("lhs");
    ok(&run(&[
        "sweep",
        "scenarios/ovop.toml",
        "--sample",
        "lhs",
        "--n",
        "8",
        "--range",
        "coordination.quality=0.2:1",
        "--range",
        "information.quality=0:1",
        "--reps",
        "1",
        "--years",
        "1",
        "--out",
        lhs.to_str().unwrap(),
    ]));
    for key in ["coordination_quality", "information_quality"] {
        let svg = std::fs::read_to_string(
            lhs.join(format!("charts/lhs_income_per_capita_{key}_year1.svg")),
        )
        .unwrap();
        assert!(svg.contains("binned mean (3 bins of equal count)"), "{key}");
        assert!(svg.contains("no confidence interval"), "{key}");
    }
    let morris = dir.join("morris");
    let out = ok(&run(&[
        "sensitivity",
        "scenarios/ovop.toml",
        "--method",
        "morris",
        "--trajectories",
        "2",
        "--range",
        "coordination.quality=0.2:1",
        "--range",
        "information.quality=0:1",
        "--reps",
        "1",
        "--years",
        "1",
        "--out",
        morris.to_str().unwrap(),
    ]));
    assert!(
        out.starts_with("Morris screening of Mean income per capita in year 1"),
        "{out}"
    );
    let svg = std::fs::read_to_string(
        morris.join("charts/sensitivity_morris_income_per_capita_year1.svg"),
    )
    .unwrap();
    assert!(svg.contains("sigma (sd of effects)") && svg.contains("\u{3c3}/\u{3bc}* = 0.5"));
    assert!(svg.contains("information.quality"));
}

#[test]
fn overlays_apply_to_every_scenario_and_are_recorded() {
    let dir = temp("overlay");
    let out = dir.join("cmp");
    let labelled = dir.join("labelled.toml");
    std::fs::write(
        &labelled,
        format!(
            "extends = {:?}\nname = \"labelled\"\nlabel = \"OVOP (labelled)\"\n",
            root().join("scenarios/ovop.toml").display().to_string()
        ),
    )
    .unwrap();
    ok(&run(&[
        "compare",
        "scenarios/baseline.toml",
        labelled.to_str().unwrap(),
        "--overlay",
        "scenarios/overlays/el-nino-2030.toml",
        "--overlay",
        "scenarios/overlays/price-crash-2030.toml",
        "--reps",
        "2",
        "--years",
        "6",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    for name in ["baseline", "labelled"] {
        let m: String = std::fs::read_to_string(out.join(name).join("manifest.json")).unwrap();
        assert!(m.contains("\"kind\": \"el_nino\""), "{name}: {m}");
        assert!(m.contains("\"change\": -0.6"), "{name}");
        assert!(
            m.contains("el-nino-2030.toml") && m.contains("\"sha256\""),
            "{name}"
        );
        assert!(
            m.contains("\"git_commit\"") && m.contains("\"rustc\""),
            "{name}"
        );
    }
    let md = std::fs::read_to_string(out.join("comparison.md")).unwrap();
    assert!(md.contains("| OVOP (labelled) - baseline |"), "{md}");
    let svg = std::fs::read_to_string(out.join("charts/income_per_capita.svg")).unwrap();
    assert!(svg.contains("El Ni\u{f1}o 2030") && svg.contains("prices -60%"));
    assert!(svg.contains("OVOP (labelled)") && svg.contains("2025 prices"));
    // An overlay that renames the scenarios is refused, pointing into it.
    let bad = dir.join("bad-overlay.toml");
    std::fs::write(&bad, "name = \"x\"\n").unwrap();
    let o = run(&[
        "run",
        "scenarios/ovop.toml",
        "--overlay",
        bad.to_str().unwrap(),
        "--out",
        dir.join("never").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad-overlay.toml:1:") && err.contains("cannot set `name`"),
        "{err}"
    );
    assert!(!dir.join("never").exists());
}

#[test]
fn size_presets_and_formats_give_print_ready_files() {
    let dir = temp("size");
    let out = dir.join("r");
    ok(&run(&[
        "run",
        "scenarios/ovop.toml",
        "--reps",
        "2",
        "--years",
        "2",
        "--quiet",
        "--size",
        "column",
        "--format",
        "pdf,png",
        "--out",
        out.to_str().unwrap(),
    ]));
    let charts = out.join("charts");
    assert!(!charts.join("income_per_capita.svg").exists());
    // 3.5 x 3 in at 300 DPI.
    let png = std::fs::read(charts.join("income_per_capita.png")).unwrap();
    assert_eq!(png_size(&png), (1050, 900));
    let pdf = std::fs::read(charts.join("income_per_capita.pdf")).unwrap();
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(has(b"/MediaBox [0 0 252 216]") && has(b"/FontFile2") && has(b"DejaVuSans"));
    // plot re-draws the folder at another size and format; explicit --dpi wins.
    ok(&run(&[
        "plot",
        out.to_str().unwrap(),
        "--size",
        "slide",
        "--dpi",
        "96",
        "--format",
        "svg",
    ]));
    let svg = std::fs::read_to_string(charts.join("income_per_capita.svg")).unwrap();
    assert!(
        svg.starts_with("<svg width=\"960\" height=\"540\""),
        "{}",
        &svg[..80]
    );
    assert!(svg.contains("Mean income per capita") && !svg.contains("<text"));
    // An unknown format is refused before any work.
    let o = run(&["plot", out.to_str().unwrap(), "--format", "png,eps"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("eps"));
}

#[test]
fn metrics_choose_the_charts_tables_and_summary() {
    let dir = temp("metrics");
    let out = dir.join("c");
    // An unknown id is refused before any work, listing the valid ones.
    let o = run(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/ovop.toml",
        "--metrics",
        "gini,incme",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--metrics incme: no such metric; did you mean income_per_capita?")
            && err.contains("value_added"),
        "{err}"
    );
    assert!(!out.exists());
    let printed = ok(&run(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/ovop.toml",
        "--metrics",
        "gini,value_added",
        "--reps",
        "2",
        "--years",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(printed.contains("Gini coefficient of income") && printed.contains("Value added"));
    assert!(!printed.contains("Poverty rate"), "{printed}");
    let charts = out.join("charts");
    for stem in ["gini", "gini_diff", "value_added", "value_added_diff"] {
        assert!(charts.join(format!("{stem}.png")).is_file(), "{stem}");
    }
    assert!(!charts.join("poverty_rate.png").exists());
    let md = std::fs::read_to_string(out.join("comparison.md")).unwrap();
    assert!(
        md.contains("| Gini coefficient of income") && !md.contains("Poverty rate"),
        "{md}"
    );
    // plot re-draws a comparison for other metrics.
    ok(&run(&[
        "plot",
        out.to_str().unwrap(),
        "--metrics",
        "aware_share",
    ]));
    assert!(charts.join("aware_share_diff.svg").is_file());
}

#[test]
fn completions_and_man_page_come_from_the_clap_definitions() {
    let bash = ok(&run(&["completions", "bash"]));
    assert!(bash.contains("_ovopsim()") && bash.contains("--overlay"));
    let man = ok(&run(&["man"]));
    assert!(man.contains(".TH ovopsim 1") && man.contains("completions"));
    let o = run(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}
