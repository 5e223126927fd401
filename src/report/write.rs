//! Atomic writing of a results folder: every file lands whole, and `manifest.json` only once all others have.
//!
//! Readers (and people) take the presence of `manifest.json` to mean the
//! folder is complete. So an old manifest is removed before anything else is
//! touched, each file goes to a temporary name in its final folder and is
//! renamed into place (rename within one file system is atomic), and the new
//! manifest is written last.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file whose presence marks a complete results folder.
pub const MANIFEST: &str = "manifest.json";

/// Failure to write a results folder.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file name that would escape the folder or nest too deep.
    #[error("invalid result file name {name:?}: {reason}")]
    BadName {
        /// The offending name.
        name: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// An operating-system error on a specific path.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. "create folder".
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> WriteError {
    let path = path.to_path_buf();
    move |source| WriteError::Io {
        action,
        path,
        source,
    }
}

/// Accepts `file` or `sub/file` with plain components only.
fn check_name(name: &str) -> Result<(), WriteError> {
    let bad = |reason| {
        Err(WriteError::BadName {
            name: name.to_string(),
            reason,
        })
    };
    if name.contains('\\') {
        return bad("use '/' as the separator");
    }
    let parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 2 {
        return bad("at most one subfolder is allowed");
    }
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return bad("empty, '.' or '..' component");
    }
    Ok(())
}

/// Makes completed renames and removals in `dir` survive a crash.
///
/// Only Unix can open and sync a directory; elsewhere the rename order still
/// holds for a running system, which is the case that matters most.
fn sync_dir(dir: &Path) -> Result<(), WriteError> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err("sync folder", dir))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Removes the temporary files ([`write_atomic`]'s `.<name>.tmp<pid>`) that a
/// killed run left in `dir`: those of a process that no longer runs. Once per
/// folder and process, so writing many files into one folder scans it once.
fn remove_stale_temps(dir: &Path) {
    static CLEANED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let mut cleaned = CLEANED.lock().unwrap_or_else(|e| e.into_inner());
    if cleaned.iter().any(|d| d == dir) {
        return;
    }
    cleaned.push(dir.to_path_buf());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if let Some(pid) = name.to_str().and_then(temp_pid)
            && !running(pid)
        {
            // Best effort: a file that cannot be removed harms no result.
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Removes this process's temporary files from `dir` and its subfolders
/// (one level: `charts/`, `chunks/`, a comparison's scenario folders), for an
/// interrupted run that will write nothing more. Best effort, like the writes
/// it cleans up after.
pub fn remove_own_temps(dir: &Path) {
    let me = std::process::id();
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if let Ok(inner) = fs::read_dir(&path) {
                for e in inner.flatten() {
                    if e.file_name().to_str().and_then(temp_pid) == Some(me) {
                        let _ = fs::remove_file(e.path());
                    }
                }
            }
        } else if name.to_str().and_then(temp_pid) == Some(me) {
            let _ = fs::remove_file(&path);
        }
    }
}

/// The process id in a temporary file name `.<name>.tmp<pid>`.
fn temp_pid(name: &str) -> Option<u32> {
    let (_, pid) = name.strip_prefix('.')?.rsplit_once(".tmp")?;
    pid.parse().ok()
}

/// Whether process `pid` runs. Where that cannot be known it is taken to
/// run, so that a concurrent writer's temporary files are never removed.
fn running(pid: u32) -> bool {
    !cfg!(target_os = "linux") || Path::new("/proc").join(pid.to_string()).exists()
}

/// Writes `bytes` to `path` through a temporary sibling and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, &|w: &mut dyn Write| w.write_all(bytes))
}

/// Writes what `fill` produces to `path` through a temporary sibling and a rename.
fn write_atomic_with(path: &Path, fill: &Fill<'_>) -> Result<(), WriteError> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Hidden and per-process, so a crashed run leaves no file that looks like
    // a result and two concurrent runs do not clobber each other's temp files.
    let tmp = path.with_file_name(format!(".{file_name}.tmp{}", std::process::id()));
    let result = (|| {
        let f = File::create(&tmp).map_err(io_err("create", &tmp))?;
        let mut w = io::BufWriter::with_capacity(1 << 16, f);
        fill(&mut w)
            .and_then(|()| w.flush())
            .map_err(io_err("write", &tmp))?;
        let f = w
            .into_inner()
            .map_err(|e| io_err("write", &tmp)(e.into_error()))?;
        f.sync_all().map_err(io_err("flush", &tmp))?;
        fs::rename(&tmp, path).map_err(io_err("rename into place", path))
    })();
    if result.is_err() {
        // Best effort: the original error is the one worth reporting.
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes a file's content piece by piece, so that a large file (`series.csv`)
/// is never held whole in memory.
pub type Fill<'a> = dyn Fn(&mut dyn Write) -> io::Result<()> + 'a;

/// A result file written by a [`Fill`] rather than from bytes.
pub type Streamed<'a> = (String, Box<Fill<'a>>);

/// Writes `files` (`name`, bytes) under `dir`, creating folders as needed.
///
/// Names are relative, `/`-separated and may include one subfolder
/// (`charts/income_per_capita.png`). A `manifest.json` entry, if present, is
/// written after all the others whatever its position in `files`; any old
/// `manifest.json` in `dir` is removed first, so an interrupted write never
/// leaves a folder that looks complete.
pub fn write_results(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), WriteError> {
    write_results_with(dir, files, &[])
}

/// [`write_results`] with `streamed` files as well, written after `files`
/// and before the manifest.
pub fn write_results_with(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    streamed: &[Streamed<'_>],
) -> Result<(), WriteError> {
    for (name, _) in files {
        check_name(name)?;
    }
    for (name, _) in streamed {
        check_name(name)?;
    }
    fs::create_dir_all(dir).map_err(io_err("create folder", dir))?;

    let manifest_path = dir.join(MANIFEST);
    match fs::remove_file(&manifest_path) {
        Ok(()) => sync_dir(dir)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err("remove old manifest", &manifest_path)(e)),
    }

    write_data(dir, files.iter().filter(|(n, _)| n != MANIFEST), streamed)?;

    for (_, bytes) in files.iter().filter(|(n, _)| n == MANIFEST) {
        write_atomic(&manifest_path, bytes)?;
        sync_dir(dir)?;
    }
    Ok(())
}

/// Writes `files` under `dir` atomically, one by one, leaving any manifest as it is.
///
/// For files added to a complete folder (re-drawn charts) or written alone
/// (a new scenario file): each lands whole or not at all.
pub fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), WriteError> {
    for (name, _) in files {
        check_name(name)?;
    }
    fs::create_dir_all(dir).map_err(io_err("create folder", dir))?;
    write_data(dir, files, &[])
}

/// Writes checked files under an existing `dir`, then makes the renames durable.
fn write_data<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = &'a (String, Vec<u8>)>,
    streamed: &[Streamed<'_>],
) -> Result<(), WriteError> {
    let mut folders: Vec<PathBuf> = vec![dir.to_path_buf()];
    remove_stale_temps(dir);
    let mut folder_of = |path: &Path| -> Result<(), WriteError> {
        if let Some(parent) = path.parent()
            && !folders.iter().any(|f| f == parent)
        {
            fs::create_dir_all(parent).map_err(io_err("create folder", parent))?;
            remove_stale_temps(parent);
            folders.push(parent.to_path_buf());
        }
        Ok(())
    };
    for (name, bytes) in files {
        let path = dir.join(name);
        folder_of(&path)?;
        write_atomic(&path, bytes)?;
    }
    for (name, fill) in streamed {
        let path = dir.join(name);
        folder_of(&path)?;
        write_atomic_with(&path, fill.as_ref())?;
    }
    // The data renames must be durable before a manifest claims completeness.
    for folder in &folders {
        sync_dir(folder)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system temp dir, unique per test.
    fn temp_dir(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ovopsim-write-test-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn files(pairs: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        pairs
            .iter()
            .map(|(n, b)| (n.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn writes_files_subfolders_and_manifest() {
        let dir = temp_dir("ok");
        let list = files(&[
            ("manifest.json", "{}\n"),
            ("series.csv", "a,b\n"),
            ("charts/x.png", "png"),
        ]);
        write_results(&dir, &list).unwrap();
        assert_eq!(fs::read(dir.join("series.csv")).unwrap(), b"a,b\n");
        assert_eq!(fs::read(dir.join("charts/x.png")).unwrap(), b"png");
        assert_eq!(fs::read(dir.join("manifest.json")).unwrap(), b"{}\n");
        // Overwriting works, and no temp files are left behind.
        write_results(&dir, &files(&[("series.csv", "new\n")])).unwrap();
        assert_eq!(fs::read(dir.join("series.csv")).unwrap(), b"new\n");
        let names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
        // That second write carried no manifest, so the old one must be gone.
        assert!(!dir.join("manifest.json").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn failure_leaves_no_manifest_and_names_the_path() {
        let dir = temp_dir("fail");
        write_results(&dir, &files(&[("manifest.json", "old")])).unwrap();
        // A folder in the way of a file makes the rename fail mid-way.
        fs::create_dir_all(dir.join("summary.csv/blocker")).unwrap();
        let err = write_results(
            &dir,
            &files(&[("manifest.json", "new"), ("summary.csv", "x")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("summary.csv"), "{err}");
        assert!(!dir.join("manifest.json").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_escaping_or_deep_names() {
        let dir = temp_dir("names");
        for bad in ["../x", "/abs", "a/b/c", "a//b", "", "a\\b", "./x"] {
            let err = write_results(&dir, &files(&[(bad, "x")])).unwrap_err();
            assert!(matches!(err, WriteError::BadName { .. }), "{bad}: {err}");
        }
        // Nothing is created when a name is refused.
        assert!(!dir.exists());
    }

    #[test]
    fn own_temporary_files_are_removed_others_kept() {
        let dir = temp_dir("own");
        fs::create_dir_all(dir.join("chunks")).unwrap();
        let mine = format!(".x.csv.tmp{}", std::process::id());
        fs::write(dir.join(&mine), "").unwrap();
        fs::write(dir.join("chunks").join(&mine), "").unwrap();
        fs::write(dir.join(".x.csv.tmp1"), "").unwrap();
        fs::write(dir.join("x.csv"), "").unwrap();
        remove_own_temps(&dir);
        assert!(!dir.join(&mine).exists());
        assert!(!dir.join("chunks").join(&mine).exists());
        assert!(dir.join(".x.csv.tmp1").exists());
        assert!(dir.join("x.csv").exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
