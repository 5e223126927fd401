//! Memory and disk a command will need, estimated before any work, and its refusal (exit 2) when the machine does not have them.
//!
//! The figures are deliberately rough (within a factor of about two) and err
//! high: the point is to refuse work that would certainly exhaust memory or
//! fill the disk hours in, not to budget to the byte. They come from what
//! the program holds: a world of about 130 bytes per household (measured on
//! the national scenario: 4.2 GB for 32.2 million) for each replication in
//! flight, 8 bytes per recorded value kept until the end, and about 45 bytes
//! per value of `sweep_runs.csv` text, built whole in memory before it is
//! written, and of `series.csv` text on disk (written a replication at a
//! time, so never held whole).

use super::AppError;
use crate::metrics::N_METRICS;
use crate::scenario::Config;
use std::path::Path;

/// Bytes of model state per household, and of a world apart from its households.
const PER_HOUSEHOLD: f64 = 130.0;
const PER_WORLD: f64 = 50e6;
/// Bytes of one value in memory, and as a line of a long results CSV.
const VALUE: f64 = 8.0;
const VALUE_TEXT: f64 = 45.0;

/// Environment variable read as the free disk space in bytes (for tests; not in `--help`).
const FREE_DISK_VAR: &str = "OVOPSIM_FREE_DISK";

/// What a command will hold and write.
#[derive(Debug, Clone, Copy)]
pub struct Work {
    /// Households of the largest world.
    pub households: f64,
    /// Replications (or points times replications) that can run at once.
    pub runs: u64,
    /// Recorded values kept in memory until the end (0 for a shard, which keeps nothing).
    pub kept: f64,
    /// Recorded values written as long CSV text.
    pub text: f64,
    /// Of those, the values whose text is built whole in memory before it is
    /// written (`sweep_runs.csv`; `series.csv` is written a replication at a time).
    pub text_held: f64,
    /// Recorded values written as checkpoint chunks.
    pub chunked: f64,
}

impl Work {
    /// `reps` replications of each of `configs`, kept in memory (run, compare).
    pub fn in_memory(configs: &[&Config], reps: u32) -> Self {
        let values: f64 = configs
            .iter()
            .map(|c| f64::from(reps) * (c.months() + 1) as f64 * N_METRICS as f64)
            .sum();
        Work {
            households: configs.iter().map(|c| households(c)).fold(0.0, f64::max),
            runs: u64::from(reps),
            kept: values,
            text: values,
            text_held: 0.0,
            chunked: 0.0,
        }
    }

    /// A checkpointed study of `units` units of `reps_per_unit` replications
    /// of `months` months recorded every `every`; `whole` when this process
    /// also assembles the results (not a shard).
    pub fn checkpointed(
        configs: &[Config],
        units: usize,
        reps_per_unit: u32,
        every: u32,
        whole: bool,
    ) -> Self {
        let months = configs.iter().map(Config::months).max().unwrap_or(0);
        let rows = (months / every.max(1) as usize + 1) as f64;
        let values = units as f64 * f64::from(reps_per_unit) * rows * N_METRICS as f64;
        Work {
            households: configs.iter().map(households).fold(0.0, f64::max),
            runs: units as u64 * u64::from(reps_per_unit),
            kept: if whole { values } else { 0.0 },
            text: if whole { values } else { 0.0 },
            text_held: if whole { values } else { 0.0 },
            chunked: values,
        }
    }

    fn memory(&self) -> f64 {
        let worlds = self.runs.min(rayon::current_num_threads() as u64).max(1) as f64;
        // The text grows by doubling, so up to twice its length is held.
        worlds * (PER_WORLD + PER_HOUSEHOLD * self.households)
            + VALUE * self.kept
            + 2.0 * VALUE_TEXT * self.text_held
    }

    fn disk(&self) -> f64 {
        VALUE_TEXT * self.text + VALUE * self.chunked
    }
}

/// Households of a configuration's world.
fn households(c: &Config) -> f64 {
    match &c.village_records {
        Some(records) => records.iter().map(|r| f64::from(r.households)).sum(),
        None => f64::from(c.scenario.district.villages) * c.scenario.district.households_mean,
    }
}

/// Refuses `work` whose estimate exceeds the memory or the disk under `out`
/// that is free now; `hint` says which flag makes it smaller.
pub fn check(work: &Work, out: &Path, hint: &str) -> Result<(), AppError> {
    let memory = work.memory();
    if let Some(free) = free_memory()
        && memory > free
    {
        let world = PER_WORLD + PER_HOUSEHOLD * work.households;
        let advice = if world > free {
            format!(
                "one replication's world alone ({} households) needs about {}; use fewer villages or households (--set district.villages=..., --set district.households_mean=...)",
                thousands(work.households),
                size(world)
            )
        } else {
            hint.to_string()
        };
        return Err(AppError::BadInput(format!(
            "this needs about {} of memory and {} is free; {advice}",
            size(memory),
            size(free)
        )));
    }
    let disk = work.disk();
    if let Some(free) = free_disk(out)
        && disk > free
    {
        return Err(AppError::BadInput(format!(
            "--out {}: the results need about {} of disk and {} is free there; {hint}",
            out.display(),
            size(disk),
            size(free)
        )));
    }
    Ok(())
}

/// Memory free for this process: the system's available memory, or less under a cgroup limit.
fn free_memory() -> Option<f64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<f64>()
        .ok()?;
    let mut free = kb * 1024.0;
    let cgroup = |name: &str| {
        std::fs::read_to_string(Path::new("/sys/fs/cgroup").join(name))
            .ok()?
            .trim()
            .parse::<f64>()
            .ok()
    };
    if let (Some(max), Some(current)) = (cgroup("memory.max"), cgroup("memory.current")) {
        free = free.min((max - current).max(0.0));
    }
    Some(free)
}

/// Disk free to this user on the file system that holds `out` (or its nearest existing parent).
///
/// [`FREE_DISK_VAR`], when set to a number of bytes, stands for it, so that
/// the refusal can be tested without filling a disk.
fn free_disk(out: &Path) -> Option<f64> {
    if let Some(bytes) = std::env::var(FREE_DISK_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
    {
        return Some(bytes);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let abs = std::path::absolute(out).ok()?;
        let dir = abs.ancestors().find(|p| p.is_dir())?;
        let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
        let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
        // SAFETY: `path` is a valid C string and `stat` a writable statvfs.
        if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
            return None;
        }
        Some(stat.f_bavail as f64 * stat.f_frsize as f64)
    }
    #[cfg(not(unix))]
    {
        let _ = out;
        None
    }
}

/// Bytes as kB, MB, GB or TB, two significant digits or more.
fn size(bytes: f64) -> String {
    let (value, unit) = if bytes >= 1e12 {
        (bytes / 1e12, "TB")
    } else if bytes >= 1e9 {
        (bytes / 1e9, "GB")
    } else if bytes >= 1e6 {
        (bytes / 1e6, "MB")
    } else {
        (bytes / 1e3, "kB")
    };
    if value >= 10.0 {
        format!("{value:.0} {unit}")
    } else {
        format!("{value:.1} {unit}")
    }
}

/// A count with thousands separators.
fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_counts_read_well() {
        assert_eq!(size(336e3 * 100_000.0), "34 GB");
        assert_eq!(size(4.2e9), "4.2 GB");
        assert_eq!(size(2.5e12), "2.5 TB");
        assert_eq!(size(86e3), "86 kB");
        assert_eq!(size(1000.0), "1.0 kB");
        assert_eq!(thousands(2_000_000_000.0), "2,000,000,000");
        assert_eq!(thousands(600.0), "600");
    }
}
