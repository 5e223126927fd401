//! Results folders belong to one result (issue 14, findings 2, 3 and 11): a second writer, another command or other work is refused, a rerun replaces its result whole, and an interrupted run cleans up.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ovopsim-owner-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn ovopsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: Output) {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Exit 2 with an error containing `expected`.
fn refused(o: &Output, expected: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    assert!(stderr(o).contains(expected), "{}", stderr(o));
}

const SHORT: [&str; 6] = ["--reps", "2", "--years", "1", "--quiet", "--no-charts"];

fn run_into(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        "scenarios/baseline.toml",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(SHORT);
    args.extend(extra);
    ovopsim(&args)
}

fn sweep_into(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "sweep",
        "scenarios/baseline.toml",
        "--vary",
        "coordination.quality=0.2,0.6",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(SHORT);
    args.extend(extra);
    ovopsim(&args)
}

fn compare_into(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "compare",
        "scenarios/baseline.toml",
        "scenarios/ovop.toml",
        "--out",
        out.to_str().unwrap(),
        "--reps",
        "2",
        "--years",
        "1",
        "--quiet",
    ];
    args.extend(extra);
    ovopsim(&args)
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Finding 2: a run into a sweep's folder (or the reverse) is refused, and `--force` replaces the other result whole.
#[test]
fn a_folder_of_another_command_is_refused_unless_forced() {
    let out = temp("kind").join("res");
    ok(sweep_into(&out, &[]));
    let before = names(&out);
    refused(
        &run_into(&out, &[]),
        "holds the results of `ovopsim sweep`, not `ovopsim run`; use another --out, or --force to replace them",
    );
    assert_eq!(names(&out), before, "a refused run changes nothing");
    ok(run_into(&out, &["--force"]));
    assert_eq!(
        names(&out),
        [
            ".ovopsim.lock",
            "manifest.json",
            "series.csv",
            "summary.csv"
        ],
        "the sweep's files, work and chunks are gone"
    );
    assert_eq!(manifest(&out)["kind"], "run");
    refused(&sweep_into(&out, &[]), "holds the results of `ovopsim run`");
}

/// Finding 2: other work of the same command (another seed) is refused; the same command again is accepted.
#[test]
fn other_work_is_refused_and_the_same_work_replaced() {
    let out = temp("work").join("res");
    ok(run_into(&out, &[]));
    let fingerprint = manifest(&out)["fingerprint"].clone();
    assert!(fingerprint.is_string(), "{fingerprint}");
    refused(
        &run_into(&out, &["--seed", "2"]),
        "holds different work (another scenario, design, seed, replications or version); use another --out, or --force to replace it",
    );
    assert_eq!(manifest(&out)["seed"], 1, "the refused run wrote nothing");
    ok(run_into(&out, &[]));
    ok(run_into(&out, &["--seed", "2", "--force"]));
    assert_eq!(manifest(&out)["seed"], 2);
    assert_ne!(manifest(&out)["fingerprint"], fingerprint);
}

/// Finding 2: files ovopsim did not write are never mixed with a result.
#[test]
fn a_folder_of_other_files_is_refused() {
    let out = temp("foreign");
    fs::write(out.join("thesis.tex"), "mine").unwrap();
    refused(
        &run_into(&out, &[]),
        "holds files that ovopsim did not write (such as thesis.tex); use another --out, or --force to write beside them",
    );
    ok(run_into(&out, &["--force"]));
    assert_eq!(fs::read_to_string(out.join("thesis.tex")).unwrap(), "mine");
}

/// Finding 2: while one process writes a folder, a second is refused with exit 2 naming it.
#[test]
fn a_second_writer_is_refused_naming_the_holder() {
    let out = temp("busy");
    ok(run_into(&out, &[]));
    // Hold the folder's lock as a running writer does.
    let lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(out.join(".ovopsim.lock"))
        .unwrap();
    lock.lock().unwrap();
    let o = run_into(&out, &[]);
    refused(&o, "being written by process ");
    refused(&o, "ovopsim run scenarios/baseline.toml");
    refused(&o, "wait for it to finish or use another --out");
    refused(&sweep_into(&out, &["--force"]), "being written by process ");
    drop(lock);
    ok(run_into(&out, &[]));
}

/// Finding 2: shards of one study write into one folder at the same time (shared lock), a whole run of it does not.
#[test]
fn shards_of_one_work_share_a_folder() {
    let out = temp("shards").join("res");
    ok(sweep_into(&out, &["--shard", "0/2"]));
    let lock = fs::File::open(out.join(".ovopsim.lock")).unwrap();
    lock.lock_shared().unwrap();
    ok(sweep_into(&out, &["--shard", "1/2"]));
    refused(&sweep_into(&out, &[]), "being written by process ");
    drop(lock);
    ok(sweep_into(&out, &[]));
    assert!(out.join("sweep.csv").is_file());
}

/// Finding 2: a rerun of the same command replaces its result whole: charts of an earlier run do not survive `--no-charts`.
#[test]
fn a_rerun_removes_the_files_of_the_previous_result() {
    let out = temp("rerun").join("res");
    let mut args = vec![
        "run",
        "scenarios/baseline.toml",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(["--reps", "2", "--years", "1", "--quiet"]);
    ok(ovopsim(&args));
    assert!(out.join("charts/income_per_capita.png").is_file());
    fs::write(out.join("notes.txt"), "mine").unwrap();
    ok(run_into(&out, &[]));
    assert_eq!(
        names(&out),
        [
            ".ovopsim.lock",
            "manifest.json",
            "notes.txt",
            "series.csv",
            "summary.csv"
        ],
        "old charts removed, the user's own file kept"
    );
}

/// Finding 3: compare writes a top-level manifest (last), and a rerun removes its stale tables, charts and scenario folders.
#[test]
fn compare_writes_a_manifest_and_replaces_its_result_whole() {
    let out = temp("compare").join("res");
    ok(compare_into(&out, &[]));
    let m = manifest(&out);
    assert_eq!(m["kind"], "compare");
    assert_eq!(m["scenario"][1]["name"], "ovop");
    assert!(out.join("charts/income_per_capita_diff.png").is_file());
    assert!(out.join("comparison.md").is_file());
    // Other scenarios are other work...
    let mut other = vec![
        "compare",
        "scenarios/ovop.toml",
        "scenarios/kawasan.toml",
        "--out",
        out.to_str().unwrap(),
    ];
    other.extend(SHORT);
    refused(&ovopsim(&other), "holds different work");
    // ... and the same work without charts leaves no chart behind.
    ok(compare_into(&out, &["--no-charts"]));
    assert!(!out.join("charts").exists(), "{:?}", names(&out));
    // Forced, the scenario folder no longer compared goes too.
    other.push("--force");
    ok(ovopsim(&other));
    assert!(!out.join("baseline").exists(), "{:?}", names(&out));
    assert!(out.join("kawasan/series.csv").is_file());
    assert_eq!(manifest(&out)["kind"], "compare");
}

/// Finding 2: a scenario named `comparison` run with default paths does not land beside a comparison.
#[test]
fn a_run_named_like_a_comparison_is_refused() {
    let dir = temp("named");
    let out = dir.join("output/comparison");
    ok(compare_into(&out, &["--no-charts"]));
    fs::write(
        dir.join("comparison.toml"),
        format!(
            "extends = {:?}\n",
            root().join("scenarios/baseline.toml").display().to_string()
        ),
    )
    .unwrap();
    let mut args = vec!["run", "comparison.toml"];
    args.extend(SHORT);
    let o = Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(&dir)
        .args(&args)
        .output()
        .unwrap();
    refused(
        &o,
        "holds the results of `ovopsim compare`, not `ovopsim run`",
    );
}

/// Sends `signal` (e.g. "-INT") to a child process.
fn signal(child: &std::process::Child, signal: &str) {
    let pid = child.id().to_string();
    ok(Command::new("kill").args([signal, &pid]).output().unwrap());
}

/// Waits until `ready` holds, at most a minute.
fn wait_for(ready: impl Fn() -> bool) {
    let start = std::time::Instant::now();
    while !ready() {
        assert!(start.elapsed().as_secs() < 60, "timed out");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Finding 11: Ctrl-C removes the process's temporary files, says what was kept and how to resume, and exits with 130.
#[test]
fn ctrl_c_removes_temporary_files_and_says_how_to_resume() {
    let out = temp("sigint").join("res");
    let out_s = out.to_str().unwrap().to_string();
    let args = [
        "sweep",
        "scenarios/baseline.toml",
        "--vary",
        "coordination.quality=0:1:0.02",
        "--reps",
        "2",
        "--years",
        "5",
        "--no-charts",
        "--quiet",
        "--out",
        &out_s,
    ];
    let child = Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .args(args)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let chunks = out.join("chunks");
    // A finished chunk, not merely the temporary file of one being written.
    wait_for(|| {
        fs::read_dir(&chunks).is_ok_and(|d| {
            d.flatten()
                .any(|e| !e.file_name().to_string_lossy().starts_with('.'))
        })
    });
    // Writes in flight, as the process itself would name them.
    let in_flight = [
        out.join(format!(".sweep.csv.tmp{}", child.id())),
        chunks.join(format!(".point-0000050.chk.tmp{}", child.id())),
    ];
    for f in &in_flight {
        fs::write(f, "half").unwrap();
    }
    signal(&child, "-INT");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("interrupted: "), "{err}");
    assert!(
        err.contains("finished units kept in")
            && err.contains("run the same command again to resume"),
        "{err}"
    );
    for f in &in_flight {
        assert!(!f.exists(), "{} left behind", f.display());
    }
    assert!(!out.join("manifest.json").exists());
    let o = ovopsim(&args);
    ok(o);
    assert!(out.join("manifest.json").is_file());
}

/// Finding 11: SIGTERM during an in-memory run exits with 130 and says nothing was kept.
#[test]
fn sigterm_during_a_run_exits_130_saying_nothing_was_kept() {
    let out = temp("sigterm").join("res");
    let child = Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .args(["run", "scenarios/baseline.toml", "--reps", "100", "--quiet"])
        .args(["--out", out.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(|| out.join(".ovopsim.lock").exists());
    signal(&child, "-TERM");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("holds no complete result") && stderr(&o).contains("start over"),
        "{}",
        stderr(&o)
    );
    assert_eq!(names(&out), [".ovopsim.lock"]);
}
