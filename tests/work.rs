//! Checkpointed work: sharded runs and sweeps merge byte-identically, interrupted sweeps resume, and mismatched work is refused.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ovopsim-work-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ovopsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("SLURM_ARRAY_TASK_COUNT")
        .args(args)
        .output()
        .unwrap()
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

fn same_files(a: &Path, b: &Path, files: &[&str]) {
    for f in files {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

const SWEEP: &[&str] = &[
    "sweep",
    "scenarios/ovop.toml",
    "--vary",
    "coordination.quality=0.2,0.5,0.8",
    "--vary",
    "finance.kur_supply=0.5,1",
    "--reps",
    "2",
    "--years",
    "2",
    "--quiet",
    "--no-charts",
];
const SWEEP_FILES: &[&str] = &["points.csv", "sweep.csv", "sweep_runs.csv"];

fn sweep_into(out: &Path, extra: &[&str]) -> Output {
    let mut args = SWEEP.to_vec();
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(extra);
    ovopsim(&args)
}

#[test]
fn sharded_sweep_merges_byte_identical_to_one_machine() {
    let dir = temp("shards");
    ok(sweep_into(&dir.join("single"), &[]));
    let shards: Vec<PathBuf> = (0..3).map(|i| dir.join(format!("shard-{i}"))).collect();
    for (i, s) in shards.iter().enumerate() {
        ok(sweep_into(s, &["--shard", &format!("{i}/3")]));
        assert!(
            !s.join("sweep.csv").exists(),
            "a shard writes no partial tables"
        );
    }
    // One shard missing: merge names what is missing and writes nothing.
    let merged = dir.join("merged");
    let o = ovopsim(&[
        "merge",
        shards[0].to_str().unwrap(),
        shards[2].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("2 of 6 points have no finished result (1, 4)"),
        "{err}"
    );
    assert!(!merged.exists());
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(|s| s.to_str().unwrap()));
    args.extend(["--out", merged.to_str().unwrap(), "--quiet", "--no-charts"]);
    ok(ovopsim(&args));
    same_files(&dir.join("single"), &merged, SWEEP_FILES);
}

#[test]
fn slurm_array_environment_picks_the_shard() {
    let dir = temp("slurm-env");
    for id in 1..=2 {
        let mut args = SWEEP.to_vec();
        let out = dir.join(format!("task-{id}"));
        args.extend(["--out", out.to_str().unwrap()]);
        let o = Command::new(env!("CARGO_BIN_EXE_ovopsim"))
            .current_dir(root())
            .env("SLURM_ARRAY_TASK_ID", id.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", "2")
            .env("SLURM_ARRAY_TASK_MIN", "1")
            .args(&args)
            .output()
            .unwrap();
        ok(o);
    }
    let count = |d: &str| {
        std::fs::read_dir(dir.join(d).join("chunks"))
            .unwrap()
            .count()
    };
    assert_eq!((count("task-1"), count("task-2")), (3, 3));
}

#[test]
fn an_interrupted_sweep_resumes_to_identical_results() {
    let dir = temp("resume");
    let (fresh, resumed) = (dir.join("fresh"), dir.join("resumed"));
    ok(sweep_into(&fresh, &[]));
    // Half the work done, as if interrupted: one shard's points are there.
    ok(sweep_into(&resumed, &["--shard", "0/2"]));
    let chunks = resumed.join("chunks");
    // A torn chunk and a leftover temporary file must not be taken as finished.
    let first = chunks.join("point-0000000.chk");
    let bytes = std::fs::read(&first).unwrap();
    std::fs::write(&first, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(chunks.join(".point-0000001.chk.tmp99"), b"partial").unwrap();
    let o = ok(Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .args(SWEEP.iter().filter(|a| **a != "--quiet"))
        .args(["--out", resumed.to_str().unwrap()])
        .output()
        .unwrap());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("resuming; 2 finished units found"), "{err}");
    same_files(&fresh, &resumed, SWEEP_FILES);
}

#[test]
fn a_killed_sweep_resumes_to_identical_results() {
    let dir = temp("kill");
    let (fresh, killed) = (dir.join("fresh"), dir.join("killed"));
    let args = [
        "sweep",
        "scenarios/ovop.toml",
        "--vary",
        "coordination.quality=0.1:0.9:0.1",
        "--reps",
        "2",
        "--years",
        "3",
        "--quiet",
        "--no-charts",
        "--out",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .args(args)
        .arg(&killed)
        .spawn()
        .unwrap();
    // Kill (SIGKILL) as soon as some points are saved.
    let start = std::time::Instant::now();
    while start.elapsed().as_secs() < 60 {
        let n = std::fs::read_dir(killed.join("chunks")).map_or(0, |d| d.count());
        if n >= 2 || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(!killed.join("manifest.json").exists() || killed.join("sweep.csv").exists());
    ok(ovopsim(&[&args[..], &[killed.to_str().unwrap()]].concat()));
    ok(ovopsim(&[&args[..], &[fresh.to_str().unwrap()]].concat()));
    same_files(&fresh, &killed, SWEEP_FILES);
}

#[test]
fn sharded_run_merges_byte_identical_to_one_machine() {
    let dir = temp("run-shards");
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "run",
            "scenarios/ovop.toml",
            "--reps",
            "3",
            "--years",
            "1",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        ok(ovopsim(&args))
    };
    run(&dir.join("single"), &[]);
    run(&dir.join("a"), &["--shard", "0/2"]);
    run(&dir.join("b"), &["--shard", "1/2"]);
    ok(ovopsim(&[
        "merge",
        dir.join("a").to_str().unwrap(),
        dir.join("b").to_str().unwrap(),
        "--out",
        dir.join("merged").to_str().unwrap(),
        "--quiet",
    ]));
    same_files(
        &dir.join("single"),
        &dir.join("merged"),
        &["series.csv", "summary.csv", "charts/income_per_capita.svg"],
    );
}

#[test]
fn different_work_is_never_mixed() {
    let dir = temp("mixed");
    ok(sweep_into(&dir.join("a"), &["--shard", "0/2"]));
    // Another seed into the same folder is refused, as is merging it with the first.
    let o = sweep_into(&dir.join("a"), &["--seed", "9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds different work"));
    ok(sweep_into(
        &dir.join("b"),
        &["--shard", "1/2", "--seed", "9"],
    ));
    let o = ovopsim(&[
        "merge",
        dir.join("a").to_str().unwrap(),
        dir.join("b").to_str().unwrap(),
        "--out",
        dir.join("m").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("hold different work"));
    for bad in ["2/2", "1", "a/b"] {
        let o = sweep_into(&dir.join("c"), &["--shard", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn sensitivity_resumes_shards_and_merges_to_identical_indices() {
    let dir = temp("sensitivity");
    let sens = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "sensitivity",
            "scenarios/ovop.toml",
            "--method",
            "morris",
            "--trajectories",
            "3",
            "--range",
            "coordination.quality=0.2:1",
            "--range",
            "district.villages=4:12",
            "--reps",
            "1",
            "--years",
            "2",
            "--bootstrap",
            "200",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        ovopsim(&args)
    };
    ok(sens(&dir.join("single"), &[]));
    let csv = std::fs::read_to_string(dir.join("single/sensitivity.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "parameter,low,high,metric,year,mu,mu_star,mu_star_ci95_low,mu_star_ci95_high,sigma"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[1].starts_with("coordination.quality,0.2,1,income_per_capita,2,"));
    let chart = dir.join("single/charts/sensitivity_morris_income_per_capita_year2.png");
    let drawn = std::fs::read(&chart).unwrap();
    assert!(drawn.starts_with(b"\x89PNG"));
    // `plot` re-draws it from the saved points.
    std::fs::remove_dir_all(dir.join("single/charts")).unwrap();
    ok(ovopsim(&["plot", dir.join("single").to_str().unwrap()]));
    assert!(std::fs::read(&chart).unwrap() == drawn);
    // 3 trajectories of 3 points each.
    let points = std::fs::read_to_string(dir.join("single/points.csv")).unwrap();
    assert_eq!(points.lines().count(), 1 + 9);
    ok(sens(&dir.join("a"), &["--shard", "0/2"]));
    ok(sens(&dir.join("b"), &["--shard", "1/2"]));
    ok(ovopsim(&[
        "merge",
        dir.join("b").to_str().unwrap(),
        dir.join("a").to_str().unwrap(),
        "--out",
        dir.join("merged").to_str().unwrap(),
        "--quiet",
        "--no-charts",
    ]));
    same_files(
        &dir.join("single"),
        &dir.join("merged"),
        &["sensitivity.csv", "points.csv", "sweep.csv"],
    );
    let o = ovopsim(&[
        "sensitivity",
        "scenarios/ovop.toml",
        "--method",
        "morris",
        "--levels",
        "3",
        "--range",
        "coordination.quality=0.2:1",
        "--out",
        dir.join("bad").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("levels must be even"));
    assert!(!dir.join("bad").exists());
}
