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
    assert!(
        err.contains("key `coordination.qualty`: unknown key `qualty`; did you mean `quality`?"),
        "{err}"
    );
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

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", stderr(o));
}

#[test]
fn every_command_has_examples_in_its_help() {
    for cmd in ["run", "compare", "sweep", "check", "params", "new", "plot"] {
        let o = run(&[cmd, "--help"]);
        ok(&o);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("Examples:"), "{cmd} --help:\n{text}");
        assert!(
            text.contains(&format!("ovopsim {cmd}")),
            "{cmd} --help:\n{text}"
        );
    }
}

#[test]
fn sweep_grid_point_at_the_default_equals_a_plain_run() {
    let dir = temp("sweep-grid");
    let (a, b) = (dir.join("run"), dir.join("sweep"));
    let common = ["--reps", "2", "--years", "1", "--quiet"];
    let mut args = vec!["run", "scenarios/ovop.toml", "--out", a.to_str().unwrap()];
    args.extend(common);
    ok(&run(&args));
    let mut args = vec![
        "sweep",
        "scenarios/ovop.toml",
        "--vary",
        "coordination.quality=0.8,0.2",
        "--every",
        "1",
        "--out",
        b.to_str().unwrap(),
    ];
    args.extend(common);
    ok(&run(&args));
    let points = std::fs::read_to_string(b.join("points.csv")).unwrap();
    assert_eq!(points, "point,coordination.quality\n0,0.8\n1,0.2\n");
    let sweep = std::fs::read_to_string(b.join("sweep.csv")).unwrap();
    assert!(sweep.starts_with("point,coordination.quality,metric,month,mean,sd,ci95_low,"));
    // Common random numbers: point 0 is the plain run, row for row.
    let summary = std::fs::read_to_string(a.join("summary.csv")).unwrap();
    let from_run: Vec<String> = summary
        .lines()
        .skip(1)
        .map(|l| l.replacen("ovop,", "", 1))
        .collect();
    let point0: Vec<String> = sweep
        .lines()
        .filter_map(|l| l.strip_prefix("0,0.8,").map(str::to_string))
        .collect();
    assert_eq!(point0, from_run);
    let point1: Vec<&str> = sweep.lines().filter(|l| l.starts_with("1,0.2,")).collect();
    assert_eq!(point1.len(), point0.len());
    let runs = std::fs::read_to_string(b.join("sweep_runs.csv")).unwrap();
    assert!(runs.starts_with("point,coordination.quality,replication,month,metric,value\n"));
    let manifest = std::fs::read_to_string(b.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"sampling\": \"full grid\""),
        "{manifest}"
    );
}

#[test]
fn sweep_latin_hypercube_is_reproducible_and_bad_designs_exit_2() {
    let dir = temp("sweep-lhs");
    let lhs = |out: &Path| {
        run(&[
            "sweep",
            "scenarios/ovop.toml",
            "--sample",
            "lhs",
            "--n",
            "3",
            "--range",
            "coordination.quality=0.2:0.9",
            "--range",
            "district.villages=4:12",
            "--reps",
            "2",
            "--years",
            "1",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    ok(&lhs(&dir.join("a")));
    ok(&lhs(&dir.join("b")));
    for f in ["points.csv", "sweep.csv", "sweep_runs.csv"] {
        assert_eq!(
            std::fs::read(dir.join("a").join(f)).unwrap(),
            std::fs::read(dir.join("b").join(f)).unwrap(),
            "{f}"
        );
    }
    let points = std::fs::read_to_string(dir.join("a/points.csv")).unwrap();
    assert_eq!(points.lines().count(), 4, "{points}");
    // Whole-number keys are sampled as whole numbers.
    for line in points.lines().skip(1) {
        let villages = line.rsplit(',').next().unwrap();
        assert!(villages.parse::<u32>().is_ok(), "{line}");
    }
    let bad = dir.join("bad");
    for (args, expected) in [
        (
            vec!["--vary", "coordination.quality=0.5,1.5"],
            "design point 1 (coordination.quality=1.5): --set coordination.quality=1.5: key `coordination.quality`: must be 0 to 1, got 1.5",
        ),
        (
            vec!["--vary", "coordination.quality=0:1:0"],
            "step must be greater than 0",
        ),
        (vec!["--vary", "no.such.key=1,2"], "unknown key `no`"),
        (vec![], "give --vary KEY=VALUES"),
        (vec!["--sample", "lhs", "--range", "a=0:1"], "--n"),
        (
            vec!["--vary", "years=1", "--metric", "incme"],
            "did you mean income_per_capita?",
        ),
    ] {
        let mut all = vec![
            "sweep",
            "scenarios/ovop.toml",
            "--out",
            bad.to_str().unwrap(),
        ];
        all.extend(args.iter().copied());
        let o = run(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
        assert!(!bad.exists());
    }
}

#[test]
fn new_writes_starters_that_check_and_never_overwrites() {
    let dir = temp("new");
    let full = dir.join("mine.toml");
    ok(&run(&["new", full.to_str().unwrap()]));
    ok(&run(&["check", full.to_str().unwrap()]));
    let o = run(&["new", full.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("exists; use --force"), "{}", stderr(&o));
    ok(&run(&["new", full.to_str().unwrap(), "--force"]));

    let variant = dir.join("variant.toml");
    ok(&run(&[
        "new",
        variant.to_str().unwrap(),
        "--from",
        "scenarios/kawasan.toml",
    ]));
    let text = std::fs::read_to_string(&variant).unwrap();
    assert!(text.contains("extends = \""), "{text}");
    // The variant is its parent under a new name.
    let v = ovopsim::scenario::load(&variant, &[]).unwrap().scenario;
    let k = ovopsim::scenario::load(&root().join("scenarios/kawasan.toml"), &[])
        .unwrap()
        .scenario;
    assert_eq!(v.name, "variant");
    let (mut a, mut b) = (
        serde_json::to_value(&v).unwrap(),
        serde_json::to_value(&k).unwrap(),
    );
    for x in [&mut a, &mut b] {
        x["name"] = "".into();
        x["description"] = "".into();
    }
    assert_eq!(a, b);
}

#[test]
fn plot_redraws_the_same_charts_from_saved_results() {
    let dir = temp("plot").join("res");
    ok(&run(&[
        "run",
        "scenarios/ovop.toml",
        "--reps",
        "2",
        "--years",
        "1",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]));
    let charts = dir.join("charts");
    let mut names: Vec<_> = std::fs::read_dir(&charts)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".svg"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let before: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(charts.join(n)).unwrap())
        .collect();
    std::fs::remove_dir_all(&charts).unwrap();
    ok(&run(&["plot", dir.to_str().unwrap()]));
    let after: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(charts.join(n)).unwrap())
        .collect();
    assert!(before == after, "re-drawn SVGs differ from the run's");
    assert!(
        dir.join("manifest.json").exists(),
        "plot keeps the folder complete"
    );
    let o = run(&["plot", temp("plot-empty").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn params_lists_ranges_and_filters() {
    let o = run(&["params", "coordination.quality"]);
    ok(&o);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.starts_with("coordination.quality\n    default 0.8; allowed 0 to 1;"),
        "{text}"
    );
    let o = run(&["params", "no-such-key"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn serve_refuses_bad_input_before_listening() {
    let o = run(&[
        "serve",
        "tests/fixtures/bad/does-not-exist.toml",
        "--port",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot read scenario"),
        "{}",
        stderr(&o)
    );
    let o = run(&["serve", "--host", "localhost:80", "--port", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--host localhost:80: not an IP address"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn serve_warns_when_other_machines_can_reach_it() {
    use std::io::{BufRead, BufReader};
    let mut child = bin()
        .current_dir(root())
        .args(["serve", "--host", "0.0.0.0", "--port", "0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.starts_with("warning: listening on 0.0.0.0"),
        "{first}"
    );
    assert!(
        second.starts_with("ovopsim serve: open http://0.0.0.0:"),
        "{second}"
    );
}
