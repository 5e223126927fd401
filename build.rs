//! Records where the binary came from for `manifest.json`: the git commit, the compiler and the target.

use std::process::Command;

fn run(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn main() {
    // A source tarball has no git: "unknown" then, never a build failure.
    let commit = run("git", &["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = run(&rustc, &["--version"]).unwrap_or_else(|| "unknown".into());
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=OVOPSIM_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=OVOPSIM_RUSTC={version}");
    println!("cargo:rustc-env=OVOPSIM_TARGET={target}");
    // Rerun when HEAD moves (a commit, a checkout), not on every file change;
    // a worktree's HEAD lives in its own git dir.
    println!("cargo:rerun-if-changed=build.rs");
    if let Some(dir) = run("git", &["rev-parse", "--git-dir"]) {
        for file in ["HEAD", "logs/HEAD"] {
            let path = std::path::Path::new(&dir).join(file);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}
