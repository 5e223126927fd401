//! Finished work saved as it completes: one checksummed file per sweep point or replication, so interrupted or sharded runs resume and merge.
//!
//! A chunk file is written to a temporary name, flushed and renamed, so a
//! file under its final name is whole; a checksum and a fingerprint of the
//! inputs guard against torn files and against reuse by a different run.
//! Values are stored as raw `f64` bits, so results assembled from chunks are
//! byte-identical to results computed in one go.

use crate::metrics::N_METRICS;
use crate::report::{self, WriteError};
use crate::results::RunOutput;
use std::path::Path;

const MAGIC: &[u8; 8] = b"OVOPCHK1";

/// The finished replications of one sweep point (or one replication of a run).
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// Fingerprint of everything that determines the values (see [`fingerprint`]).
    pub key: u64,
    /// Sweep point (0 for a run).
    pub point: u32,
    /// Simulated month of each recorded row.
    pub months: Vec<u32>,
    /// Replications, each with `months.len()` rows.
    pub runs: Vec<RunOutput>,
}

/// FNV-1a, 64 bit: stable across platforms and versions, unlike `std`'s hasher.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Fingerprint of a unit of work: the program version and the text of everything its values depend on.
pub fn fingerprint(parts: &[&str]) -> u64 {
    let mut text = String::from(env!("CARGO_PKG_VERSION"));
    for p in parts {
        text.push('\u{1f}');
        text.push_str(p);
    }
    fnv1a(text.as_bytes())
}

/// The bytes of a chunk file.
pub fn encode(chunk: &Chunk) -> Vec<u8> {
    let rows = chunk.months.len();
    let mut out = Vec::with_capacity(40 + 4 * rows + chunk.runs.len() * (4 + rows * N_METRICS * 8));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&chunk.key.to_le_bytes());
    for v in [
        chunk.point,
        chunk.runs.len() as u32,
        rows as u32,
        N_METRICS as u32,
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for m in &chunk.months {
        out.extend_from_slice(&m.to_le_bytes());
    }
    for run in &chunk.runs {
        out.extend_from_slice(&run.replication.to_le_bytes());
        for v in &run.values {
            out.extend_from_slice(&v.to_bits().to_le_bytes());
        }
    }
    let sum = fnv1a(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// Reads a chunk back; `None` for anything torn, corrupt or from another layout.
pub fn decode(bytes: &[u8]) -> Option<Chunk> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if fnv1a(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let mut r = Reader { bytes: body };
    if r.take(8)? != MAGIC {
        return None;
    }
    let key = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
    let point = r.u32()?;
    let n_runs = r.u32()? as usize;
    let rows = r.u32()? as usize;
    if r.u32()? as usize != N_METRICS {
        return None;
    }
    let months = (0..rows).map(|_| r.u32()).collect::<Option<Vec<_>>>()?;
    let mut runs = Vec::with_capacity(n_runs.min(body.len()));
    for _ in 0..n_runs {
        let replication = r.u32()?;
        let values = (0..rows.checked_mul(N_METRICS)?)
            .map(|_| {
                Some(f64::from_bits(u64::from_le_bytes(
                    r.take(8)?.try_into().ok()?,
                )))
            })
            .collect::<Option<Vec<_>>>()?;
        runs.push(RunOutput {
            replication,
            values,
        });
    }
    r.bytes.is_empty().then_some(Chunk {
        key,
        point,
        months,
        runs,
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.bytes.split_at_checked(n)?;
        self.bytes = tail;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

/// File name of a chunk: sorted listing is point order.
pub fn file_name(point: u32, replication: Option<u32>) -> String {
    match replication {
        None => format!("point-{point:07}.chk"),
        Some(r) => format!("point-{point:07}-rep-{r:07}.chk"),
    }
}

/// Saves a chunk atomically under `dir`.
pub fn save(dir: &Path, name: &str, chunk: &Chunk) -> Result<(), WriteError> {
    report::write_files(dir, &[(name.to_string(), encode(chunk))])
}

/// Every readable chunk file under `dir` (sorted by name), and the names of unreadable ones.
///
/// A missing folder is simply empty. Hidden temporary files of an
/// interrupted write are never read.
pub fn load_dir(dir: &Path) -> (Vec<(String, Chunk)>, Vec<String>) {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("point-") && n.ends_with(".chk"))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for name in names {
        match std::fs::read(dir.join(&name)).ok().and_then(|b| decode(&b)) {
            Some(chunk) => good.push((name, chunk)),
            None => bad.push(name),
        }
    }
    (good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk() -> Chunk {
        let mut run = RunOutput::with_months(3, 1);
        run.push_row(&[0.1; N_METRICS]);
        run.push_row(&[f64::NAN; N_METRICS]);
        Chunk {
            key: 42,
            point: 7,
            months: vec![0, 12],
            runs: vec![run],
        }
    }

    #[test]
    fn chunks_round_trip_bit_for_bit() {
        let c = chunk();
        let back = decode(&encode(&c)).unwrap();
        assert_eq!(back.point, 7);
        assert_eq!(back.months, [0, 12]);
        let bits = |c: &Chunk| {
            c.runs[0]
                .values
                .iter()
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        };
        assert_eq!(bits(&back), bits(&c));
    }

    #[test]
    fn torn_or_altered_files_are_rejected() {
        let bytes = encode(&chunk());
        for cut in [0, 1, 8, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        flipped[30] ^= 1;
        assert!(decode(&flipped).is_none());
        assert!(decode(&bytes).is_some());
    }

    #[test]
    fn fingerprints_differ_by_any_part() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["a", "b"]), fingerprint(&["ab"]));
        assert_ne!(fingerprint(&["a", "b"]), fingerprint(&["a", "c"]));
    }
}
