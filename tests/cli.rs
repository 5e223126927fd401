//! The command line as a user meets it: results folder contract, exit codes, error messages, nothing written on bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ovopsim"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ovopsim-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    bin().current_dir(root()).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn run_writes_the_results_contract() {
    let out = temp("contract").join("res");
    let o = run(&[
        "run",
        "scenarios/ovop.toml",
        "--reps",
        "3",
        "--years",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let series = std::fs::read_to_string(out.join("series.csv")).unwrap();
    assert!(series.starts_with("scenario,replication,month,metric,value\n"));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(summary.starts_with("scenario,metric,month,mean,sd,ci95_low,ci95_high,p05,p50,p95"));
    let n_metrics = ovopsim::metrics::N_METRICS;
    assert_eq!(series.lines().count(), 1 + 3 * 25 * n_metrics);
    assert_eq!(summary.lines().count(), 1 + 25 * n_metrics);
    for m in [
        "income_per_capita",
        "income_per_capita_median",
        "poverty_rate",
        "gini",
        "jobs_agroindustry",
        "employment_share_agroindustry",
        "aware_share",
        "member_share",
        "groups_active",
        "partnerships_active",
        "value_added",
        "exports",
        "budget_delivered",
        "budget_lapsed",
    ] {
        assert!(
            summary.contains(&format!("ovop,{m},24,")),
            "summary lacks {m}"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 1);
    assert_eq!(manifest["replications"], 3);
    assert_eq!(
        manifest["scenario"]["years"], 2,
        "resolved scenario recorded"
    );
    assert!(manifest["wall_seconds"].as_f64().unwrap() >= 0.0);
    for chart in ["income_per_capita", "jobs_agroindustry"] {
        let png = std::fs::read(out.join(format!("charts/{chart}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let svg = std::fs::read_to_string(out.join(format!("charts/{chart}.svg"))).unwrap();
        assert!(svg.contains("<svg"));
    }
}

#[test]
fn bad_key_exits_2_with_location_and_writes_nothing() {
    let dir = temp("badkey");
    let scenario = dir.join("bad.toml");
    std::fs::write(
        &scenario,
        "name = \"bad\"\n\n[coordination]\nqualty = 0.5\n",
    )
    .unwrap();
    let out = dir.join("res");
    let o = run(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.toml:4:1"), "{err}");
    assert!(err.contains("unknown field `qualty`"), "{err}");
    assert!(err.contains("expected one of"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn out_of_range_value_names_key_and_range() {
    let dir = temp("range");
    let scenario = dir.join("range.toml");
    std::fs::write(&scenario, "name = \"r\"\n[finance]\nkur_supply = 7.0\n").unwrap();
    let out = dir.join("res");
    let o = run(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("range.toml:3:14"), "{err}");
    assert!(err.contains("`finance.kur_supply`"), "{err}");
    assert!(err.contains("0 to 2"), "{err}");
    assert!(!out.exists());
}

#[test]
fn bad_set_is_reported_as_such() {
    let out = temp("set").join("res");
    let o = run(&[
        "run",
        "scenarios/ovop.toml",
        "--set",
        "coordination.quality=1.5",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--set coordination.quality=1.5"), "{err}");
    assert!(err.contains("0 to 1"), "{err}");
    assert!(!out.exists());
}

#[test]
fn missing_file_and_bad_arguments_exit_2() {
    let o = run(&["run", "scenarios/nope.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read scenario"),
        "{}",
        stderr(&o)
    );
    let o = run(&["run", "scenarios/ovop.toml", "--reps", "0"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn help_lists_the_commands() {
    let o = run(&["--help"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    for cmd in ["run", "compare", "check", "params"] {
        assert!(text.contains(cmd), "{text}");
    }
    let o = run(&["run", "--help"]);
    let text = String::from_utf8_lossy(&o.stdout);
    for flag in ["--reps", "--seed", "--years", "--set", "--out", "--quiet"] {
        assert!(text.contains(flag), "{text}");
    }
}

#[test]
fn compare_writes_paired_differences() {
    let out = temp("compare").join("cmp");
    let o = run(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/ovop.toml",
        "--reps",
        "3",
        "--years",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let cmp = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert!(cmp.starts_with(
        "scenario,metric,month,mean,ci95_low,ci95_high,diff,diff_ci95_low,diff_ci95_high"
    ));
    assert!(cmp.contains("\nbaseline,income_per_capita,24,"));
    assert!(cmp.contains("\novop,income_per_capita,24,"));
    for sub in ["baseline", "ovop"] {
        assert!(out.join(sub).join("manifest.json").exists());
    }
    assert!(out.join("charts/income_per_capita.png").exists());
    // Month 0 of the same seed: the two scenarios start from the same villages.
    let line = cmp
        .lines()
        .find(|l| l.starts_with("ovop,income_per_capita,0,"))
        .unwrap();
    let diff: f64 = line.split(',').nth(6).unwrap().parse().unwrap();
    assert_eq!(diff, 0.0, "paired start: {line}");
}

#[test]
fn check_accepts_every_shipped_scenario() {
    let mut args = vec!["check".to_string()];
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            args.push(p.to_string_lossy().into_owned());
        }
    }
    let o = bin().args(&args).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}
