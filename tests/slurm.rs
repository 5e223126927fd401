//! A sharded sweep run as a Slurm job array on a throwaway one-node cluster,
//! merged by a dependent job, gives the same bytes as the sweep run on one
//! machine; so does a re-merge after one shard is lost and rerun.
//!
//! Ignored by default: it starts munged, slurmctld and slurmd as root and may
//! apt-get install Slurm. Run it with
//! `cargo test --release --test slurm -- --ignored --nocapture`.
//! The work is done by `tests/slurm/run-test.sh`, which can also be run by hand.

use std::path::Path;
use std::process::Command;

/// Why the test cannot run here, if it cannot.
fn unavailable() -> Option<String> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("not root (munged and slurmd need it)".into());
    }
    let has = |cmd: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {cmd}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let installed = ["sbatch", "slurmctld", "slurmd", "munged"]
        .iter()
        .all(|c| has(c));
    if !installed && !has("apt-get") {
        return Some("Slurm is not installed and there is no apt-get to install it".into());
    }
    None
}

#[test]
#[ignore = "starts a Slurm cluster as root; run with --ignored"]
fn job_array_sweep_merges_to_the_single_machine_bytes() {
    if let Some(why) = unavailable() {
        eprintln!("skipping the Slurm integration test: {why}");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("bash")
        .arg(root.join("tests/slurm/run-test.sh"))
        .arg(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root)
        .status()
        .expect("could not run bash tests/slurm/run-test.sh");
    assert!(
        status.success(),
        "tests/slurm/run-test.sh failed ({status}); its output above says where"
    );
}
