//! Hostile and careless inputs (issue 14): each is refused with exit 2 and a precise message before any work, and nothing is written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ovopsim-robust-{}-{name}", std::process::id()));
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

/// First line of stderr, after "error: ".
fn first_error(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr);
    let line = err.lines().next().unwrap_or("");
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

/// Exit 2 with `expected` as the first line of the error, and `out` not created.
fn refused(o: &Output, expected: &str, out: &Path) {
    assert_eq!(o.status.code(), Some(2), "{}", first_error(o));
    assert_eq!(first_error(o), expected);
    assert!(!out.exists(), "wrote {}", out.display());
}

/// Finding 7: a metric sensitivity cannot use is refused before the design is run.
#[test]
fn sensitivity_refuses_a_constant_metric_before_any_work() {
    let out = temp("sobol-population").join("res");
    let o = run(&[
        "sensitivity",
        "scenarios/baseline.toml",
        "--method",
        "sobol",
        "--metric",
        "population",
        "--range",
        "economy.group_wage=1:2",
        "--n",
        "4",
        "--reps",
        "1",
        "--years",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    refused(
        &o,
        "--metric population: set when the villages are generated and constant through a run, so not an outcome; choose an outcome metric (docs/ODD.md lists them)",
        &out,
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("replications"));
}

/// Finding 8: a name too long for a file name is refused by `check`, and by `run` and `compare` before they run.
#[test]
fn overlong_name_is_refused_by_check_run_and_compare() {
    let file = "tests/fixtures/robust/long-name.toml";
    let expected = format!(
        "{file}:1:8: key `name`: must be at most 100 characters (it names the output folder), got 300"
    );
    let out = temp("long-name").join("res");
    let o_str = out.to_str().unwrap();
    for args in [
        vec!["check", file],
        vec!["run", file, "--out", o_str],
        vec!["compare", "scenarios/baseline.toml", file, "--out", o_str],
    ] {
        let o = run(&args);
        refused(&o, &expected, &out);
    }
}

/// Finding 4: `agencies = []` written in a file means no agencies, as `--set 'agencies=[]'` does.
#[test]
fn empty_agencies_in_a_file_means_none_as_with_set() {
    let from_file =
        ovopsim::scenario::load(&root().join("tests/fixtures/robust/no-agencies.toml"), &[])
            .expect("no agencies is a valid scenario");
    assert!(from_file.scenario.agencies.is_empty());
    let from_set = ovopsim::scenario::load(
        &root().join("scenarios/baseline.toml"),
        &["agencies=[]".to_string()],
    )
    .expect("no agencies is a valid scenario");
    assert!(from_set.scenario.agencies.is_empty());
    let absent = ovopsim::scenario::load(&root().join("scenarios/baseline.toml"), &[]).unwrap();
    assert_eq!(
        absent.scenario.agencies.len(),
        5,
        "an absent list keeps the defaults"
    );
}

/// Finding 4: no products leaves villages nothing to make, so `products = []` is refused, in a file or by `--set`.
#[test]
fn empty_products_is_refused_in_a_file_and_by_set() {
    let out = temp("no-products").join("res");
    let o_str = out.to_str().unwrap();
    let file = "tests/fixtures/robust/no-products.toml";
    let message =
        "key `products`: must list at least one product; leave `products` out for the default six";
    let o = run(&["run", file, "--out", o_str]);
    refused(&o, &format!("{file}:3:12: {message}"), &out);
    let o = run(&[
        "run",
        "scenarios/baseline.toml",
        "--set",
        "products=[]",
        "--out",
        o_str,
    ]);
    refused(&o, &format!("--set products=[]: {message}"), &out);
}

/// Finding 12: one replication has no confidence interval; nothing prints "± 0" or an interval of zero width.
#[test]
fn one_replication_shows_no_confidence_interval() {
    let dir = temp("one-rep");
    let run_out = dir.join("run");
    let o = run(&[
        "run",
        "scenarios/baseline.toml",
        "--reps",
        "1",
        "--years",
        "1",
        "--no-charts",
        "--out",
        run_out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", first_error(&o));
    let printed = String::from_utf8_lossy(&o.stdout);
    assert!(!printed.contains('±'), "{printed}");
    assert!(
        printed.contains("One replication, so no confidence interval"),
        "{printed}"
    );
    let summary = std::fs::read_to_string(run_out.join("summary.csv")).unwrap();
    let mut lines = summary.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,metric,month,mean,sd,ci95_low,ci95_high,p05,p50,p95,n")
    );
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 11, "{line}");
        assert_eq!((cells[5], cells[6]), ("", ""), "{line}");
        assert_eq!(cells[10], "1", "{line}");
    }

    let cmp_out = dir.join("cmp");
    let o = run(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/ovop.toml",
        "--reps",
        "1",
        "--years",
        "1",
        "--table-years",
        "1",
        "--no-charts",
        "--out",
        cmp_out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", first_error(&o));
    assert!(!String::from_utf8_lossy(&o.stdout).contains('±'));
    let md = std::fs::read_to_string(cmp_out.join("comparison.md")).unwrap();
    assert!(
        md.starts_with("One replication, so no confidence interval"),
        "{md}"
    );
    assert!(!md.contains(" to "), "{md}");
    let tex = std::fs::read_to_string(cmp_out.join("comparison.tex")).unwrap();
    assert!(!tex.contains("footnotesize"), "{tex}");
    let csv = std::fs::read_to_string(cmp_out.join("comparison.csv")).unwrap();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 9, "{line}");
        assert_eq!(
            (cells[4], cells[5], cells[7], cells[8]),
            ("", "", "", ""),
            "{line}"
        );
    }
}

/// Finding 10: `extends` names the file a scenario file builds on; an override of it would be ignored, so it is refused.
#[test]
fn extends_cannot_be_set() {
    let out = temp("set-extends").join("res");
    let o = run(&[
        "run",
        "scenarios/baseline.toml",
        "--set",
        "extends=nonexistent.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    refused(
        &o,
        "--set extends=nonexistent.toml: key `extends`: can only be written in a scenario file (it names the file that one builds on); write it there, or --set the keys themselves",
        &out,
    );
}

/// Finding 10: with a villages file its rows are the villages; `district.villages` written beside it must agree.
#[test]
fn villages_count_beside_a_villages_file_must_agree() {
    let file = "tests/fixtures/robust/villages-mismatch.toml";
    let message = |origin: &str| {
        format!(
            "{origin}: key `district.villages`: must match the 10 rows of district.villages_file \"../../../scenarios/villages-example.csv\" (its rows are the villages), got {}; leave it out or make it 10",
            if origin.starts_with("--set") { 7 } else { 50 }
        )
    };
    let out = temp("villages-mismatch").join("res");
    let o = run(&["check", file]);
    refused(&o, &message(&format!("{file}:6:12")), &out);
    let o = run(&["check", file, "--set", "district.villages=7"]);
    refused(&o, &message("--set district.villages=7"), &out);
    let o = run(&["check", file, "--set", "district.villages=10"]);
    assert_eq!(o.status.code(), Some(0), "{}", first_error(&o));
    let o = run(&["check", "scenarios/villages-from-csv.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", first_error(&o));
}

/// `check` on the given arguments, killed after 30 s: a hang fails the test instead of stalling it.
fn check_within_30s(args: &[&str]) -> Output {
    let mut all = vec!["check"];
    all.extend(args);
    within_30s(&all)
}

/// The command, killed after 30 s: a hang (or work that should have been refused) fails the test instead of stalling it.
fn within_30s(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("{args:?} still running after 30 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

const NOT_REGULAR: &str = "not a regular file (a device, FIFO or socket cannot be read as one)";

/// Finding 1: a scenario, an `extends` target or a villages file that is a device or a FIFO is refused at once.
#[test]
fn devices_and_fifos_are_refused_without_reading() {
    let nowhere = temp("devices").join("res");
    let o = check_within_30s(&["/dev/zero"]);
    refused(
        &o,
        &format!("cannot read scenario /dev/zero: {NOT_REGULAR}"),
        &nowhere,
    );
    let file = "tests/fixtures/robust/extends-dev-zero.toml";
    let o = check_within_30s(&[file]);
    refused(
        &o,
        &format!("{file}:2:11: key `extends`: cannot read /dev/zero: {NOT_REGULAR}"),
        &nowhere,
    );
    let o = check_within_30s(&["tests/fixtures/robust/villages-dev-zero.toml"]);
    refused(&o, &format!("/dev/zero:1:1: {NOT_REGULAR}"), &nowhere);

    let dir = temp("fifo");
    let fifo = dir.join("villages.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let scenario = dir.join("fifo.toml");
    std::fs::write(
        &scenario,
        "name = \"fifo\"\n[district]\nvillages_file = \"villages.csv\"\n",
    )
    .unwrap();
    let o = check_within_30s(&[scenario.to_str().unwrap()]);
    refused(
        &o,
        &format!("{}:1:1: {NOT_REGULAR}", fifo.display()),
        &nowhere,
    );
    let o = check_within_30s(&[fifo.to_str().unwrap()]);
    refused(
        &o,
        &format!("cannot read scenario {}: {NOT_REGULAR}", fifo.display()),
        &nowhere,
    );
}

/// Finding 1: a scenario file over 1 MiB and a villages file over 100,000 rows are refused while reading.
#[test]
fn oversized_scenarios_and_villages_files_are_refused() {
    let nowhere = temp("oversized-out").join("res");
    let dir = temp("oversized");
    let big = dir.join("big.toml");
    let mut text = String::from("name = \"big\"\n");
    while text.len() <= 1 << 20 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&big, text).unwrap();
    let o = check_within_30s(&[big.to_str().unwrap()]);
    refused(
        &o,
        &format!(
            "cannot read scenario {}: larger than the 1 MiB limit",
            big.display()
        ),
        &nowhere,
    );

    let csv = dir.join("villages.csv");
    let mut rows = String::from("name,district,households,infrastructure,distance_km,cohesion\n");
    for i in 0..100_001 {
        rows.push_str(&format!("v{i},1,100,0.5,10,0.5\n"));
    }
    std::fs::write(&csv, rows).unwrap();
    let scenario = dir.join("many.toml");
    std::fs::write(
        &scenario,
        "name = \"many\"\n[district]\nvillages_file = \"villages.csv\"\n",
    )
    .unwrap();
    let o = check_within_30s(&[scenario.to_str().unwrap()]);
    refused(
        &o,
        &format!(
            "{}:100002:1: more than 100000 villages (the most district.villages allows)",
            csv.display()
        ),
        &nowhere,
    );
}

/// Finding 11 (in part): temporary files of a killed run are removed by the next run into that folder.
#[test]
fn leftover_temporary_files_of_a_killed_run_are_removed() {
    let out = temp("leftover").join("res");
    std::fs::create_dir_all(&out).unwrap();
    // No process has this id: Linux allows at most 4,194,304.
    let stale = out.join(".series.csv.tmp999999999");
    std::fs::write(&stale, "half a file").unwrap();
    let live = out.join(format!(".series.csv.tmp{}", std::process::id()));
    std::fs::write(&live, "a concurrent writer's file").unwrap();
    let o = run(&[
        "run",
        "scenarios/baseline.toml",
        "--reps",
        "2",
        "--years",
        "1",
        "--no-charts",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", first_error(&o));
    assert!(!stale.exists(), "a dead run's temporary file is removed");
    assert!(live.exists(), "a running process's temporary file is kept");
    assert!(out.join("manifest.json").exists());
}

/// Finding 5: every number key has an upper bound, so money and counts cannot overflow to infinity.
#[test]
fn every_number_key_has_an_upper_bound() {
    let unbounded: Vec<&str> = ovopsim::scenario::PARAMS
        .iter()
        .filter(|p| p.allowed == "0 or more" || p.allowed == "greater than 0")
        .map(|p| p.key.as_str())
        .collect();
    assert!(unbounded.is_empty(), "no upper bound: {unbounded:?}");
}

/// Finding 5: a huge money value is refused before the run, in the same words as a negative one.
#[test]
fn huge_money_and_counts_are_refused() {
    let nowhere = temp("huge").join("out");
    let cases = [
        (
            "economy.group_wage=1e308",
            "--set economy.group_wage=1e308: key `economy.group_wage`: must be 0 to 10000000000, got 1e308",
        ),
        (
            "agencies[0].budget=1e300",
            "--set agencies[0].budget=1e300: key `agencies[0].budget`: must be 0 to 1000000000000000, got 1e300",
        ),
        (
            "economy.poverty_line=1e300",
            "--set economy.poverty_line=1e300: key `economy.poverty_line`: must be greater than 0 and at most 1000000000, got 1e300",
        ),
        (
            "economy.group_wage=-5",
            "--set economy.group_wage=-5: key `economy.group_wage`: must be 0 or more, got -5",
        ),
    ];
    for (set, expected) in cases {
        let o = run(&[
            "run",
            "scenarios/baseline.toml",
            "--set",
            set,
            "--out",
            nowhere.to_str().unwrap(),
        ]);
        refused(&o, expected, &nowhere);
    }
}

/// Finding 5: a month whose metrics are not finite stops the run, naming metric, month, replication and seed.
#[test]
fn a_broken_invariant_stops_the_run_naming_where() {
    let mut config =
        ovopsim::scenario::load(&root().join("scenarios/baseline.toml"), &["years=1".into()])
            .unwrap();
    // Past the declared bound, as only a bug could make it: wages that overflow.
    config.scenario.economy.casual_wage_day = f64::MAX;
    let err = ovopsim::study::replications(&config, "baseline.toml", 7, 2, &()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("invariant broken: metric `income_per_capita` is not a finite number"),
        "{text}"
    );
    assert!(text.contains("in month 0 of replication"), "{text}");
    assert!(text.contains("with seed 7"), "{text}");
    assert!(text.contains("nothing was written"), "{text}");
}

/// Finding 6: work that cannot fit in memory is refused at once with the estimate and the flag that makes it fit.
#[test]
fn work_beyond_memory_is_refused_with_the_estimate() {
    let out = temp("memory").join("res");
    let o = within_30s(&[
        "run",
        "scenarios/ovop.toml",
        "--reps",
        "100000",
        "--years",
        "100",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", first_error(&o));
    let err = first_error(&o);
    assert!(err.starts_with("this needs about "), "{err}");
    assert!(err.contains(" GB of memory and "), "{err}");
    assert!(
        err.ends_with(
            "use fewer --reps or --years (every replication's months are kept until the end)"
        ),
        "{err}"
    );
    assert!(!out.exists());
    let o = within_30s(&[
        "sweep",
        "scenarios/ovop.toml",
        "--set",
        "district.villages=100000",
        "--set",
        "district.households_mean=20000",
        "--vary",
        "coordination.quality=0.2,0.4",
        "--reps",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", first_error(&o));
    assert!(
        first_error(&o).contains("one replication's world alone (2,000,000,000 households) needs about 260 GB; use fewer villages or households (--set district.villages=..., --set district.households_mean=...)"),
        "{}",
        first_error(&o)
    );
    assert!(!out.exists());
}

/// Finding 6: results that cannot fit on the disk are refused at once with the estimate and the
/// flag that makes them fit; `OVOPSIM_FREE_DISK` (bytes) stands for the free space, so no disk
/// is filled.
#[test]
fn work_beyond_the_disk_is_refused_with_the_estimate() {
    let out = temp("disk").join("res");
    let o_str = out.to_str().unwrap();
    let with_free_disk = |bytes: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ovopsim"))
            .current_dir(root())
            .env("OVOPSIM_FREE_DISK", bytes)
            .args(args)
            .output()
            .unwrap()
    };
    let run_args = [
        "run",
        "scenarios/baseline.toml",
        "--reps",
        "2",
        "--years",
        "2",
        "--quiet",
        "--out",
        o_str,
    ];
    let o = with_free_disk("1000", &run_args);
    assert_eq!(o.status.code(), Some(2), "{}", first_error(&o));
    let err = first_error(&o);
    // The size follows the number of metrics recorded; the words do not.
    assert!(
        err.starts_with(&format!("--out {o_str}: the results need about ")),
        "{err}"
    );
    assert!(
        err.ends_with(" kB of disk and 1.0 kB is free there; use fewer --reps or --years (every replication's months are kept until the end)"),
        "{err}"
    );
    assert!(!out.exists());
    let o = with_free_disk(
        "1000",
        &[
            "sweep",
            "scenarios/baseline.toml",
            "--vary",
            "coordination.quality=0.2,0.4",
            "--reps",
            "2",
            "--years",
            "2",
            "--quiet",
            "--out",
            o_str,
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", first_error(&o));
    let err = first_error(&o);
    assert!(
        err.starts_with(&format!("--out {o_str}: the results need about ")),
        "{err}"
    );
    assert!(err.ends_with(" of disk and 1.0 kB is free there; use fewer points, --reps or --years, a larger --every, or --shard I/N"), "{err}");
    assert!(!out.exists());
    // The same work with room for it runs.
    let o = with_free_disk("1e12", &run_args);
    assert_eq!(o.status.code(), Some(0), "{}", first_error(&o));
    assert!(out.join("series.csv").exists());
}

/// Finding 9: villages CSV errors sit at the cell's line and column, past blank lines and quoted
/// multi-line cells; a misspelt header is one error; every error is listed, up to a cap.
#[test]
fn villages_csv_errors_are_placed_and_listed() {
    let f = "tests/fixtures/robust";
    let o = check_within_30s(&[&format!("{f}/villages-bad.toml")]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!(
            "error: {f}/villages-bad.csv:4:11: key `district`: must be in 1 to 2 (district.districts), got 3\n\
             {f}/villages-bad.csv:4:17: key `infrastructure`: must be in 0 to 1, got 1.5\n\
             {f}/villages-bad.csv:6:9: key `households`: invalid digit found in string\n\
             {f}/villages-bad.csv:7:26: key `candidates`: unknown product \"tea\"\n"
        )
    );
    let o = check_within_30s(&[&format!("{f}/villages-bad-header.toml")]);
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!(
            "error: {f}/villages-bad-header.csv:1:15: unknown column \"housholds\"; did you mean \"households\"? (columns: name, district, households, infrastructure, distance_km, cohesion, candidates)\n"
        )
    );
    let o = check_within_30s(&[&format!("{f}/villages-many-errors.toml")]);
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 101, "{err}");
    assert!(lines[99].starts_with(&format!(
        "{f}/villages-many-errors.csv:101:12: key `infrastructure`"
    )));
    assert_eq!(
        lines[100],
        format!(
            "{f}/villages-many-errors.csv:1:1: 50 more problems not listed (the first 100 are)"
        )
    );
}

/// Finding 13 (in part): messages in the user's words: `--years` out of range names `--years`
/// (not `--set years=...`, and -1 is a value, not an argument), a range over a choice says it is
/// not a number, and a sum of negative zeros is "0".
#[test]
fn messages_say_what_the_user_did() {
    let nowhere = temp("messages").join("out");
    let out = nowhere.to_str().unwrap();
    for (years, expected) in [
        (
            "0",
            "invalid value '0' for '--years <YEARS>': 0 is not in 1..=100",
        ),
        (
            "-1",
            "invalid value '-1' for '--years <YEARS>': -1 is not in 1..=100",
        ),
    ] {
        let o = run(&["run", "scenarios/ovop.toml", "--years", years, "--out", out]);
        refused(&o, expected, &nowhere);
    }
    let o = run(&[
        "sensitivity",
        "scenarios/ovop.toml",
        "--method",
        "morris",
        "--range",
        "approach=0:1",
        "--out",
        out,
    ]);
    refused(
        &o,
        "--range approach=0:1: `approach` is not a number (ovop / kawasan / none); give its values with --vary approach=a,b",
        &nowhere,
    );
    let o = run(&["check", "tests/fixtures/robust/sum-of-minus-zero.toml"]);
    refused(
        &o,
        "tests/fixtures/robust/sum-of-minus-zero.toml:3:12: key `programme.calendar`: must be shares of 0 or more that sum to 1, got a sum of 0",
        &nowhere,
    );
}

/// Finding 13 (in part): `--set` with a list for a section, a date, or an index the key does not
/// take says what the key expects and how to write it, not "expected struct" or "unknown key".
#[test]
fn set_messages_say_what_the_key_expects() {
    let nowhere = temp("set-messages").join("out");
    let out = nowhere.to_str().unwrap();
    for (set, expected) in [
        (
            "district=[1,2]",
            "--set district=[1,2]: key `district`: expected a section of keys, got a list [...]: set one key at a time, e.g. --set district.districts=1; `ovopsim params district` lists its keys",
        ),
        (
            "start_year=2025-01-01",
            "--set start_year=2025-01-01: key `start_year`: got the date 2025-01-01, but years are written as a number alone, e.g. 2025 for 2025-01-01; allowed: 1900 to 2200",
        ),
        (
            "agencies[0]=1",
            "--set agencies[0]=1: key `agencies[0]`: an entry of `agencies` is changed one key at a time: write --set agencies[0].name=..., with any of its keys: name, level, budget, mix",
        ),
        (
            "district.villages[0]=3",
            "--set district.villages[0]=3: key `district.villages[0]`: `district.villages` is not a list, so it takes no [index]: write --set district.villages=...",
        ),
        (
            "district[0].villages=3",
            "--set district[0].villages=3: key `district[0].villages`: `district` is not a list, so it takes no [index]: write --set district.villages=...",
        ),
    ] {
        let o = run(&["run", "scenarios/baseline.toml", "--set", set, "--out", out]);
        refused(&o, expected, &nowhere);
    }
    // The list shown is the scenario's own, with the entry changed.
    let set = "programme.calendar[11]=0.2";
    let o = run(&["run", "scenarios/baseline.toml", "--set", set, "--out", out]);
    assert_eq!(o.status.code(), Some(2));
    let err = first_error(&o);
    assert!(err.starts_with("--set programme.calendar[11]=0.2: key `programme.calendar[11]`: --set does not change one entry of a list; give the whole list, here with entry 11 changed: --set 'programme.calendar=[0."), "{err}");
    assert!(err.ends_with(", 0.2]'"), "{err}");
    let list = err.rsplit('[').next().unwrap();
    assert_eq!(list.matches(", ").count(), 11, "{err}");
    assert!(!nowhere.exists());
}

/// Finding 13 (in part): `plot` on a shard's folder says the work is unfinished and what to do, not "merge:".
#[test]
fn plot_of_a_shard_says_merge_first() {
    let out = temp("plot-shard").join("res");
    let o = run(&[
        "sweep",
        "scenarios/baseline.toml",
        "--vary",
        "coordination.quality=0.2,0.4",
        "--reps",
        "1",
        "--years",
        "1",
        "--quiet",
        "--shard",
        "0/2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", first_error(&o));
    let o = run(&["plot", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        first_error(&o),
        format!(
            "{}: unfinished work, nothing to plot: 1 of 2 points have no finished result (1); a shard's folder is plotted after `ovopsim merge DIR... --out DIR`, on the merged folder",
            out.display()
        )
    );
}
