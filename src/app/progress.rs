//! Progress of a study on the terminal: a bar with time left, else an occasional status line (none when quiet).

use crate::study;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// Shows replications as they finish; `finish` clears the bar.
pub struct Progress {
    name: String,
    quiet: bool,
    /// Where resumed units were found, for the note saying so.
    chunks: Option<std::path::PathBuf>,
    total: AtomicU64,
    done: AtomicU64,
    bar: OnceLock<indicatif::ProgressBar>,
    /// When the last plain status line was printed (no terminal).
    last_line: Mutex<Instant>,
}

impl Progress {
    /// Progress of the study `name`; `chunks` is the folder finished units are saved in, if any.
    pub fn new(name: &str, quiet: bool, chunks: Option<std::path::PathBuf>) -> Self {
        Self {
            name: name.to_string(),
            quiet,
            chunks,
            total: AtomicU64::new(0),
            done: AtomicU64::new(0),
            bar: OnceLock::new(),
            last_line: Mutex::new(Instant::now()),
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar.into_inner() {
            bar.finish_and_clear();
        }
    }
}

impl study::Progress for Progress {
    fn start(&self, found: usize, todo: usize, replications: u64) {
        self.total.store(replications, Ordering::Relaxed);
        if self.quiet {
            return;
        }
        if found > 0
            && let Some(dir) = &self.chunks
        {
            eprintln!(
                "{}: resuming; {found} finished units found in {}, {todo} to run",
                self.name,
                dir.display()
            );
        }
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(replications);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:30}] {pos}/{len} replications, {elapsed} (about {eta} left)",
                )
                .expect("static template")
                .progress_chars("=> "),
            );
            bar.set_message(self.name.clone());
            let _ = self.bar.set(bar);
        }
    }

    fn replication_done(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.quiet {
            return;
        }
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
            return;
        }
        // Without a terminal, a line every few seconds is enough for a log.
        let total = self.total.load(Ordering::Relaxed);
        let mut last = self.last_line.lock().unwrap_or_else(|e| e.into_inner());
        if n == total || last.elapsed().as_secs() >= 10 {
            *last = Instant::now();
            eprintln!("{}: {n}/{total} replications", self.name);
        }
    }
}
