//! Opening the files a scenario names (scenario files, their `extends` targets, villages CSVs) only when they are regular files, and reading them within a size limit.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Largest scenario file read: the full template is about 30 KB.
pub(super) const SCENARIO_MAX_BYTES: u64 = 1 << 20;

/// Largest villages CSV read: 100,000 villages of a few hundred bytes each.
pub(super) const VILLAGES_MAX_BYTES: u64 = 64 << 20;

/// Opens `path` if it is a regular file. A folder, a device such as
/// `/dev/zero` or a FIFO would be read without end or wait for a writer
/// forever, so they are refused before opening.
pub(super) fn open_regular(path: &Path) -> Result<File, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("it is a folder, not a file".into());
    }
    if !meta.is_file() {
        return Err("not a regular file (a device, FIFO or socket cannot be read as one)".into());
    }
    File::open(path).map_err(|e| e.to_string())
}

/// The contents of the regular file `path`, at most `limit` bytes; the
/// limit is kept while reading, so a file that grows cannot exceed it.
pub(super) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// The message for a file over `limit` bytes.
pub(super) fn too_large(limit: u64) -> String {
    format!("larger than the {} MiB limit", limit >> 20)
}
