//! Ctrl-C and SIGTERM: remove this process's temporary files, say what was kept and how to resume, and exit with 130.
//!
//! Finished chunks are whole files (written to a temporary name and renamed),
//! and a result is complete only once its manifest is written, so stopping at
//! any moment leaves nothing that lies; only the temporary files of writes in
//! flight need removing. A temporary file created in the instant between that
//! removal and the exit is removed by the next run into the folder (its
//! process no longer runs).

use crate::report;
use crate::study::work::CHUNKS;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Exit code of an interrupted command (128 + SIGINT, as shells report it).
pub const EXIT: i32 = 130;

/// The results folder this process writes, once claimed.
static WRITING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Handles SIGINT and SIGTERM on a thread of their own for the rest of the process.
pub fn install() {
    // Without handlers (no signal support) the default action still stops the
    // process, and the next run removes its temporary files.
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let dir = WRITING.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(dir) = &dir {
                report::write::remove_own_temps(dir);
            }
            eprintln!("\n{}", message(dir.as_deref()));
            std::process::exit(EXIT);
        }
    });
}

/// Records the folder being written, for the message and the clean-up.
pub fn writing(dir: &Path) {
    *WRITING.lock().unwrap_or_else(|e| e.into_inner()) = Some(dir.to_path_buf());
}

/// What an interrupted command kept and how to go on.
fn message(dir: Option<&Path>) -> String {
    let Some(dir) = dir else {
        return "interrupted before anything was written".into();
    };
    let chunks = dir.join(CHUNKS);
    let kept = std::fs::read_dir(&chunks).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .count()
    });
    if kept > 0 {
        format!(
            "interrupted: {kept} finished units kept in {}; run the same command again to resume from them",
            chunks.display()
        )
    } else if dir.join(report::write::MANIFEST).is_file() {
        format!(
            "interrupted: {} keeps its previous result, unchanged; run the same command again to start over",
            dir.display()
        )
    } else {
        format!(
            "interrupted: {} holds no complete result (replications are kept in memory until all have finished); run the same command again to start over",
            dir.display()
        )
    }
}
