//! The run manifest: what produced a results folder, serialised as `manifest.json`.

use std::time::SystemTime;

use serde::Serialize;

/// Provenance of one results folder; enough to rerun it byte-for-byte.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// Program name, e.g. `ovopsim`.
    pub tool: String,
    /// Program version (`CARGO_PKG_VERSION`).
    pub version: String,
    /// The command whose result the folder holds (`run`, `compare`, `sweep`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Fingerprint of the work (scenario, design, seed, replications, version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// The fully resolved scenario (after defaults and `--set` overrides).
    pub scenario: serde_json::Value,
    /// Path of the scenario file as given on the command line.
    pub scenario_file: String,
    /// Master seed.
    pub seed: u64,
    /// Number of replications.
    pub replications: u32,
    /// Worker threads used (results do not depend on it).
    pub threads: usize,
    /// Start time, RFC 3339 in UTC (see [`rfc3339_utc`]).
    pub started_at: String,
    /// Elapsed wall-clock time of the run in seconds.
    pub wall_seconds: f64,
    /// The command line, program name first.
    pub command: Vec<String>,
    /// A sweep's design (keys, points, sampling); absent for runs and comparisons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub design: Option<serde_json::Value>,
    /// Files read: the scenario file, the files it extends, overlays and the
    /// villages file, each with its SHA-256 (empty for `merge`, which reads none).
    pub inputs: Vec<InputFile>,
    /// The binary that wrote the folder.
    pub build: Build,
}

/// An input file and its checksum, so a folder can be matched to its inputs.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// Path as read (relative to the working folder when given so).
    pub path: String,
    /// SHA-256 of the bytes, in hex; `unreadable` if the file went away.
    pub sha256: String,
}

impl InputFile {
    /// Reads `path` and hashes it.
    pub fn of(path: &std::path::Path) -> Self {
        use sha2::{Digest, Sha256};
        let sha256 = match std::fs::read(path) {
            Ok(bytes) => Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            Err(_) => "unreadable".into(),
        };
        Self {
            path: path.display().to_string(),
            sha256,
        }
    }
}

/// Provenance of the binary, fixed at build time (see `build.rs`).
#[derive(Debug, Clone, Serialize)]
pub struct Build {
    /// Git commit the binary was built from, or `unknown` outside git.
    pub git_commit: String,
    /// `rustc --version` of the compiler.
    pub rustc: String,
    /// Target triple, e.g. `x86_64-unknown-linux-gnu`.
    pub target: String,
}

impl Build {
    /// This binary's build.
    pub fn current() -> Self {
        Self {
            git_commit: env!("OVOPSIM_GIT_COMMIT").into(),
            rustc: env!("OVOPSIM_RUSTC").into(),
            target: env!("OVOPSIM_TARGET").into(),
        }
    }
}

/// Formats a time as RFC 3339 UTC with whole seconds, e.g. `2025-01-31T08:15:00Z`.
pub fn rfc3339_utc(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// `manifest.json` bytes: pretty-printed JSON ending in a newline.
pub fn manifest_json(m: &Manifest) -> Vec<u8> {
    // Cannot fail: every map key is a string and serde_json writes
    // non-finite floats as null instead of erroring.
    let mut out = serde_json::to_vec_pretty(m).expect("manifest serialises to JSON");
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn manifest_is_pretty_json_with_newline() {
        let m = Manifest {
            tool: "ovopsim".into(),
            version: "0.1.0".into(),
            kind: Some("run".into()),
            fingerprint: Some("00ff".into()),
            scenario: serde_json::json!({"name": "base", "years": 10}),
            scenario_file: "scenarios/base.toml".into(),
            seed: 42,
            replications: 30,
            threads: 8,
            started_at: rfc3339_utc(UNIX_EPOCH + Duration::from_secs(1_735_689_600)),
            wall_seconds: 12.5,
            command: vec!["ovopsim".into(), "run".into()],
            design: None,
            inputs: vec![InputFile::of(std::path::Path::new("Cargo.toml"))],
            build: Build::current(),
        };
        let bytes = manifest_json(&m);
        assert_eq!(bytes.last(), Some(&b'\n'));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\n  \"seed\": 42,"));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["started_at"], "2025-01-01T00:00:00Z");
        assert_eq!(v["scenario"]["years"], 10);
        assert_eq!(v["command"][1], "run");
        assert_eq!(v["kind"], "run");
        assert_eq!(v["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
        assert!(v["build"]["rustc"].as_str().unwrap().starts_with("rustc "));
        assert!(!v["build"]["target"].as_str().unwrap().is_empty());
    }
}
