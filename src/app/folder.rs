//! An output folder belongs to one result: a lock while it is written, a marker naming the result's command and work, and the previous result replaced whole.
//!
//! The marker `.ovopsim.lock` holds the command (`run`, `compare`, `sweep`,
//! ...), the fingerprint of the work, the process writing it and the files of
//! the last complete result. A process holds an operating-system lock on it
//! while it writes, which the kernel drops when the process dies, so a killed
//! run never leaves a folder locked. A second writer is refused and told who
//! holds the folder; shards of one study take a shared lock, because they
//! write disjoint chunks into one folder by design (calibration does).

use super::AppError;
use crate::report::{self, WriteError};
use crate::study::work::{CHUNKS, WORK};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The marker-and-lock file of a results folder.
pub const MARKER: &str = ".ovopsim.lock";

/// What the marker records.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Marker {
    /// The command whose result the folder holds, e.g. `sweep`.
    kind: String,
    /// Fingerprint of the work (scenario, design, seed, replications, version).
    fingerprint: String,
    /// The process that claimed the folder last.
    pid: u32,
    /// Its command line.
    command: String,
    /// The files of the last complete result, relative to the folder.
    files: Vec<String>,
}

/// How a command writes into its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The whole result: no other writer at the same time.
    Whole,
    /// One shard's chunks: other shards of the same work may write beside it.
    Shard,
}

/// The right to write one result into a folder, held until dropped.
#[derive(Debug)]
pub struct Claim {
    dir: PathBuf,
    file: File,
    marker: Marker,
}

/// What a folder holds, as far as its files tell.
enum Holds {
    Nothing,
    /// A result of `kind`; its fingerprint if recorded (folders of older versions record none).
    Result {
        kind: String,
        fingerprint: Option<String>,
    },
    /// Checkpointed work of an older version, without a marker: `work.json` decides.
    Work,
    /// Files that ovopsim did not write, e.g. the first of them.
    Foreign(String),
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> AppError {
    let path = path.to_path_buf();
    move |source| {
        AppError::Write(WriteError::Io {
            action,
            path,
            source,
        })
    }
}

/// Claims `dir` for the result of `kind` with this `fingerprint`, creating it.
///
/// Refused (exit 2) when another process writes there, or when the folder
/// holds another command's result, other work, or files ovopsim did not
/// write, unless `force`: then the previous result's files are removed
/// first (files ovopsim did not write are left alone).
pub fn claim(
    dir: &Path,
    kind: &str,
    fingerprint: &str,
    argv: &[String],
    force: bool,
    access: Access,
) -> Result<Claim, AppError> {
    fs::create_dir_all(dir).map_err(io_err("create folder", dir))?;
    let path = dir.join(MARKER);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_err("open", &path))?;
    let locked = match access {
        Access::Whole => file.try_lock(),
        Access::Shard => file.try_lock_shared(),
    };
    let previous = read_marker(&mut file);
    match locked {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let holder = previous.map_or("another process".to_string(), |m| {
                format!("process {} (`{}`)", m.pid, m.command)
            });
            return Err(AppError::BadInput(format!(
                "{}: being written by {holder}; wait for it to finish or use another --out",
                dir.display()
            )));
        }
        Err(TryLockError::Error(e)) => return Err(io_err("lock", &path)(e)),
    }
    let holds = match &previous {
        Some(m) if !m.kind.is_empty() => Holds::Result {
            kind: m.kind.clone(),
            fingerprint: Some(m.fingerprint.clone()),
        },
        _ => unmarked(dir),
    };
    let refusal = match &holds {
        Holds::Nothing | Holds::Work => None,
        Holds::Result { kind: k, .. } if k != kind => Some(format!(
            "{}: holds the results of `ovopsim {k}`, not `ovopsim {kind}`; use another --out, or --force to replace them",
            dir.display()
        )),
        Holds::Result {
            fingerprint: Some(f),
            ..
        } if f != fingerprint => Some(format!(
            "{}: holds different work (another scenario, design, seed, replications or version); use another --out, or --force to replace it",
            dir.display()
        )),
        Holds::Result { .. } => None,
        Holds::Foreign(name) => Some(format!(
            "{}: holds files that ovopsim did not write (such as {name}); use another --out, or --force to write beside them",
            dir.display()
        )),
    };
    let same = refusal.is_none();
    if let Some(message) = refusal {
        if !force {
            return Err(AppError::BadInput(message));
        }
        remove_result(dir, previous.as_ref().map_or(&[][..], |m| &m.files))?;
    }
    let files = match previous {
        Some(m) if same => m.files,
        _ => Vec::new(),
    };
    let mut claim = Claim {
        dir: dir.to_path_buf(),
        file,
        marker: Marker {
            kind: kind.to_string(),
            fingerprint: fingerprint.to_string(),
            pid: std::process::id(),
            command: argv.join(" "),
            files,
        },
    };
    claim.save()?;
    super::interrupt::writing(dir);
    Ok(claim)
}

/// The marker's content; none when empty or unreadable (a crash mid-write).
fn read_marker(file: &mut File) -> Option<Marker> {
    let mut text = String::new();
    file.rewind().ok()?;
    // Bounded: a marker is a few kilobytes; anything larger is not one.
    file.take(16 << 20).read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

/// What a folder without a usable marker holds.
fn unmarked(dir: &Path) -> Holds {
    let manifest = dir.join(report::write::MANIFEST);
    if let Ok(text) = fs::read_to_string(&manifest) {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let text_of = |v: &serde_json::Value| v.as_str().map(str::to_string);
        // Manifests of older versions carry no kind: their command line tells it.
        let kind = text_of(&value["kind"])
            .or_else(|| text_of(&value["command"][1]))
            .unwrap_or_default();
        return Holds::Result {
            kind,
            fingerprint: text_of(&value["fingerprint"]),
        };
    }
    if dir.join("comparison.csv").is_file() {
        return Holds::Result {
            kind: "compare".into(),
            fingerprint: None,
        };
    }
    if dir.join(WORK).is_file() {
        return Holds::Work;
    }
    let visible = fs::read_dir(dir).ok().and_then(|entries| {
        entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| !n.starts_with('.'))
    });
    visible.map_or(Holds::Nothing, Holds::Foreign)
}

/// Removes a previous result: its listed files, manifest, work and chunks.
fn remove_result(dir: &Path, files: &[String]) -> Result<(), AppError> {
    for name in files
        .iter()
        .map(String::as_str)
        .chain([report::write::MANIFEST, WORK])
    {
        remove_file(dir, name)?;
    }
    let chunks = dir.join(CHUNKS);
    match fs::remove_dir_all(&chunks) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_err("remove", &chunks)(e)),
        _ => Ok(()),
    }
}

/// Removes `dir/name`, and its subfolder once empty; a missing file is fine.
fn remove_file(dir: &Path, name: &str) -> Result<(), AppError> {
    // Names come from a marker on disk: never follow one out of the folder.
    if name
        .split('/')
        .any(|p| p.is_empty() || p == "." || p == "..")
        || name.contains('\\')
    {
        return Ok(());
    }
    let path = dir.join(name);
    match fs::remove_file(&path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_err("remove", &path)(e)),
        _ => {}
    }
    if let Some(parent) = path.parent().filter(|p| *p != dir) {
        // Fails, harmlessly, while the subfolder still holds files.
        let _ = fs::remove_dir(parent);
    }
    Ok(())
}

impl Claim {
    /// Writes the result's `files` (the manifest last), after removing the
    /// files of the previous result that this one does not have. `also` names
    /// files of the result already written (a comparison's scenario folders).
    /// Taken by value: a copy of a large `series.csv` would double the memory it needs.
    /// `streamed` files are written piece by piece ([`report::Streamed`]).
    pub fn write(
        mut self,
        files: Vec<(String, Vec<u8>)>,
        streamed: Vec<report::Streamed<'_>>,
        also: &[String],
    ) -> Result<(), AppError> {
        let mut names: Vec<String> = also.to_vec();
        names.extend(files.iter().map(|(n, _)| n.clone()));
        names.extend(streamed.iter().map(|(n, _)| n.clone()));
        let (manifest, data): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|(n, _)| n == report::write::MANIFEST);
        report::write_results_with(&self.dir, &data, &streamed)?;
        drop(data);
        for stale in self.marker.files.iter().filter(|f| !names.contains(f)) {
            remove_file(&self.dir, stale)?;
        }
        self.marker.files = names;
        self.save()?;
        report::write_results(&self.dir, &manifest)?;
        Ok(())
    }

    /// Writes the marker in place (the lock is on this file, so it is never replaced).
    fn save(&mut self) -> Result<(), AppError> {
        let path = self.dir.join(MARKER);
        let mut bytes = serde_json::to_vec_pretty(&self.marker).expect("a marker serializes");
        bytes.push(b'\n');
        let file = &mut self.file;
        (|| {
            file.set_len(0)?;
            file.rewind()?;
            file.write_all(&bytes)?;
            file.sync_all()
        })()
        .map_err(io_err("write", &path))
    }
}
