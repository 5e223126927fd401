//! Runs for the page: a queue of one computing run, replications of the scenario and its baseline streamed as server-sent events as they finish, the finished runs kept for downloads.
//!
//! The scenario and its no-programme baseline run side by side through the
//! study layer ([`crate::study::replications`]) at the same seed, so
//! replication r of both shares its random streams and their difference is
//! paired. Each finished replication sends the means and 95% bands so far
//! (every third month, enough for a chart); the last event has the year
//! table computed as `summary.csv` computes it. Closing the page closes the
//! event stream, which the study sees as [`Progress::cancelled`].

use super::State;
use super::api::{ApiError, Prepared};
use crate::metrics;
use crate::report::format::{
    decimals_for, display_unit, group_thousands, metric_label, year_label,
};
use crate::results::{RunOutput, ScenarioResults};
use crate::stats::{paired_diff, summarize};
use crate::study::{self, Progress};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{mpsc, watch};

/// The charted metrics, as the CLI's comparison tables list them.
pub(super) const CHARTED: &[&str] = crate::report::tables::DEFAULT_METRICS;
/// Where the programme's income and jobs come from: the "why" panel.
const CHANNELS: &[&str] = &[
    "income_farm_per_capita",
    "income_wage_per_capita",
    "income_profit_per_capita",
    "income_other_per_capita",
    "jobs_group",
    "jobs_firm",
];
/// Months between charted points while streaming.
const CHART_EVERY: usize = 3;
/// Finished runs kept for downloads and pinning.
pub(super) const KEPT: usize = 8;

/// Who computes now and who waits, in order.
pub(crate) struct Queue {
    state: Mutex<QueueState>,
    /// Bumped whenever the queue moves, to wake the waiting streams.
    moved: watch::Sender<u64>,
    max_waiting: usize,
}

#[derive(Default)]
pub(super) struct QueueState {
    pub running: Option<u64>,
    waiting: VecDeque<u64>,
}

impl Queue {
    pub fn new(max_waiting: usize) -> Self {
        Queue {
            state: Mutex::new(QueueState::default()),
            moved: watch::Sender::new(0),
            max_waiting,
        }
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts a run at the end of the queue, unless the queue is full.
    fn join(&self, id: u64) -> bool {
        let mut q = self.lock();
        if q.waiting.len() >= self.max_waiting {
            return false;
        }
        q.waiting.push_back(id);
        true
    }

    /// Starts the run if it is first and nothing computes; else its place (1 = next).
    fn try_start(&self, id: u64) -> Result<(), usize> {
        let mut q = self.lock();
        let place = q.waiting.iter().position(|w| *w == id).unwrap_or(0);
        if place == 0 && q.running.is_none() {
            q.waiting.pop_front();
            q.running = Some(id);
            Ok(())
        } else {
            Err(place + usize::from(q.running.is_some()))
        }
    }

    /// The run is done or gone: the next may start.
    fn leave(&self, id: u64) {
        let mut q = self.lock();
        q.waiting.retain(|w| *w != id);
        if q.running == Some(id) {
            q.running = None;
        }
        drop(q);
        self.moved.send_modify(|n| *n += 1);
    }
}

/// Takes a run out of the queue however its task ends (done, failed, page closed).
struct Ticket {
    state: Arc<State>,
    id: u64,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.state.queue.leave(self.id);
    }
}

/// A finished run: both scenarios' replications, for downloads and pinning.
pub(crate) struct Finished {
    pub programme: ScenarioResults,
    pub baseline: ScenarioResults,
}

/// The last [`KEPT`] finished runs.
#[derive(Default)]
pub(crate) struct Store(Mutex<VecDeque<(u64, Arc<Finished>)>>);

impl Store {
    pub fn get(&self, id: u64) -> Option<Arc<Finished>> {
        let runs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        runs.iter()
            .find(|(i, _)| *i == id)
            .map(|(_, r)| Arc::clone(r))
    }

    fn put(&self, id: u64, run: Arc<Finished>) {
        let mut runs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if runs.len() >= KEPT {
            runs.pop_front();
        }
        runs.push_back((id, run));
    }
}

/// Queues a checked request and answers with its event stream; 503 when the queue is full.
pub(super) fn start(state: Arc<State>, prepared: Prepared) -> Result<Response, ApiError> {
    let id = state.next_run.fetch_add(1, Ordering::Relaxed);
    if !state.queue.join(id) {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "",
            format!(
                "{} runs are already waiting; try again when one has finished",
                state.limits.waiting
            ),
        ));
    }
    let (tx, rx) = mpsc::unbounded_channel::<Event>();
    let ticket = Ticket {
        state: Arc::clone(&state),
        id,
    };
    tokio::spawn(async move {
        let ticket = ticket;
        let mut moved = state.queue.moved.subscribe();
        let mut shown = None;
        loop {
            match state.queue.try_start(id) {
                Ok(()) => break,
                Err(place) => {
                    if shown != Some(place) {
                        shown = Some(place);
                        let _ = tx.send(event(json!({"type": "queued", "position": place})));
                    }
                }
            }
            tokio::select! {
                _ = moved.changed() => {}
                // The page went away while waiting: leave the queue (the ticket's drop).
                () = tx.closed() => return,
            }
        }
        let computing = Arc::clone(&state);
        let _ = tokio::task::spawn_blocking(move || compute(&computing, id, &prepared, &tx)).await;
        drop(ticket);
    });
    let events = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|e| (Ok::<_, Infallible>(e), rx))
    });
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}

fn event(data: Value) -> Event {
    Event::default().data(data.to_string())
}

/// Replications finished so far, by arm (0 programme, 1 baseline) and replication.
struct Live<'a> {
    tx: &'a mpsc::UnboundedSender<Event>,
    done: Mutex<[Vec<Option<RunOutput>>; 2]>,
    reps: u32,
    start_year: i32,
    started: Instant,
    /// Whether the baseline is the programme itself (a scenario without a programme).
    same: bool,
}

/// One arm's view of the live run, as the study's progress.
struct Arm<'a> {
    live: &'a Live<'a>,
    arm: usize,
}

impl Progress for Arm<'_> {
    fn start(&self, _: usize, _: usize, _: u64) {}
    fn replication_done(&self) {}
    fn cancelled(&self) -> bool {
        self.live.tx.is_closed()
    }
    fn replication_output(&self, run: &RunOutput) {
        let mut done = self.live.done.lock().unwrap_or_else(|e| e.into_inner());
        done[self.arm][run.replication as usize] = Some(run.clone());
        if self.live.same {
            done[1][run.replication as usize] = Some(run.clone());
        }
        let data = self.live.snapshot(&done);
        drop(done);
        let _ = self.live.tx.send(event(data));
    }
}

impl Live<'_> {
    /// The charts so far: mean and 95% band of each arm, and the paired difference over replications both have finished.
    fn snapshot(&self, done: &[Vec<Option<RunOutput>>; 2]) -> Value {
        let runs = |arm: usize| -> Vec<&RunOutput> { done[arm].iter().flatten().collect() };
        let (prog, base) = (runs(0), runs(1));
        let pairs: Vec<(&RunOutput, &RunOutput)> = done[0]
            .iter()
            .zip(&done[1])
            .filter_map(|(a, b)| a.as_ref().zip(b.as_ref()))
            .collect();
        let rows = prog.first().or(base.first()).map_or(0, |r| r.rows());
        let months: Vec<usize> = (0..rows)
            .filter(|m| m % CHART_EVERY == 0 || m + 1 == rows)
            .collect();
        let band = |runs: &[&RunOutput], metric: usize, factor: f64| -> Value {
            let (mut mean, mut lo, mut hi) = (Vec::new(), Vec::new(), Vec::new());
            for &m in &months {
                let s = summarize(&runs.iter().map(|r| r.get(m, metric)).collect::<Vec<_>>());
                mean.push(s.mean * factor);
                lo.push(s.ci95_low * factor);
                hi.push(s.ci95_high * factor);
            }
            json!({"mean": mean, "lo": lo, "hi": hi})
        };
        let charts: Vec<Value> = CHARTED
            .iter()
            .map(|name| {
                let metric = metrics::index(name).expect("charted metrics are declared");
                let unit = metrics::METRICS[metric].unit;
                let (factor, unit_text) = display_unit(unit, false);
                let (mut mean, mut lo, mut hi) = (Vec::new(), Vec::new(), Vec::new());
                for &m in &months {
                    let a: Vec<f64> = pairs.iter().map(|(p, _)| p.get(m, metric)).collect();
                    let b: Vec<f64> = pairs.iter().map(|(_, q)| q.get(m, metric)).collect();
                    let d = paired_diff(&b, &a);
                    mean.push(d.mean * factor);
                    lo.push(d.ci95_low * factor);
                    hi.push(d.ci95_high * factor);
                }
                json!({
                    "metric": name,
                    "label": metric_label(name),
                    "unit": unit_text,
                    "programme": band(&prog, metric, factor),
                    "baseline": band(&base, metric, factor),
                    "difference": {"mean": mean, "lo": lo, "hi": hi},
                })
            })
            .collect();
        json!({
            "type": "progress",
            "done": [prog.len(), base.len()],
            "reps": self.reps,
            "seconds": self.started.elapsed().as_secs_f64(),
            "start_year": self.start_year,
            "months": months,
            "charts": charts,
        })
    }
}

/// Runs the programme and its baseline side by side, streaming each
/// replication; at the end keeps the results and sends the year table.
fn compute(state: &State, id: u64, p: &Prepared, tx: &mpsc::UnboundedSender<Event>) {
    let reps = p.reps as usize;
    let live = Live {
        tx,
        done: Mutex::new([vec![None; reps], vec![None; reps]]),
        reps: p.reps,
        start_year: p.config.scenario.start_year,
        started: Instant::now(),
        same: p.baseline.is_none(),
    };
    let _ = tx.send(event(json!({"type": "started", "run": id, "reps": p.reps})));
    let run = |config, arm| {
        study::replications(config, &p.file, p.seed, p.reps, &Arm { live: &live, arm })
    };
    let (programme, baseline) = match &p.baseline {
        // The page's own run first, on every core, so that its replications
        // are on screen soonest; the baseline's follow.
        Some(base) => {
            let programme = run(&p.config, 0);
            (programme, run(base, 1))
        }
        None => {
            let programme = run(&p.config, 0);
            (programme.clone(), programme)
        }
    };
    let (programme, baseline) = match (programme, baseline) {
        (Ok(programme), Ok(baseline)) => (programme, baseline),
        (Err(e), _) | (_, Err(e)) => {
            let _ = tx.send(event(
                json!({"type": "failed", "run": id, "message": e.to_string()}),
            ));
            return;
        }
    };
    if tx.is_closed() {
        // Cancelled: some replications were skipped, so nothing here may be kept.
        return;
    }
    let pinned = p.pin.and_then(|pin| state.store.get(pin));
    let finished = Arc::new(Finished {
        programme,
        baseline,
    });
    let table = year_table(&finished, pinned.as_deref());
    state.store.put(id, Arc::clone(&finished));
    let _ = tx.send(event(json!({
        "type": "done",
        "run": id,
        "seconds": live.started.elapsed().as_secs_f64(),
        "table": table,
        "why": why(&finished),
    })));
}

/// Years of the table: 5, 10 and 20 within the horizon, else the last year.
fn table_years(rows: usize) -> Vec<u32> {
    let horizon = (rows.saturating_sub(1) / 12) as u32;
    let mut years: Vec<u32> = crate::report::tables::DEFAULT_YEARS
        .iter()
        .copied()
        .filter(|y| *y <= horizon)
        .collect();
    if years.is_empty() {
        years.push(horizon);
    }
    years
}

/// An estimate in display units, with its text as the CLI's tables write it.
fn cell(mean: f64, lo: f64, hi: f64, factor: f64, decimals: usize) -> Value {
    let text = |v: f64| group_thousands(v * factor, decimals, ",", "\u{2212}");
    json!({
        "value": mean, "low": lo, "high": hi,
        "text": text(mean), "low_text": text(lo), "high_text": text(hi),
    })
}

/// The charted metrics at the table years: programme, baseline, their paired
/// difference and, when a compatible run is pinned, the paired difference from it.
pub(super) fn year_table(run: &Finished, pinned: Option<&Finished>) -> Vec<Value> {
    let (prog, base) = (&run.programme, &run.baseline);
    let pinned = pinned
        .filter(|p| p.programme.runs.len() == prog.runs.len() && p.programme.rows() == prog.rows());
    let mut out = Vec::new();
    for name in CHARTED {
        let metric = metrics::index(name).expect("charted metrics are declared");
        let (factor, unit) = display_unit(metrics::METRICS[metric].unit, false);
        let (diff_factor, diff_unit) = display_unit(metrics::METRICS[metric].unit, true);
        let years = table_years(prog.rows());
        let at = |r: &ScenarioResults, y: u32| r.column(y as usize * 12, metric);
        let stats: Vec<_> = years
            .iter()
            .map(|&y| {
                let (a, b) = (at(prog, y), at(base, y));
                let pin = pinned.map(|p| paired_diff(&at(&p.programme, y), &a));
                (y, summarize(&a), summarize(&b), paired_diff(&b, &a), pin)
            })
            .collect();
        // One precision per metric, as in the CLI's tables.
        let halves: Vec<f64> = stats
            .iter()
            .flat_map(|(_, a, b, _, _)| [a, b].map(|s| (s.ci95_high - s.ci95_low) / 2.0 * factor))
            .collect();
        let sizes: Vec<f64> = stats
            .iter()
            .flat_map(|(_, a, b, _, _)| [a.mean * factor, b.mean * factor])
            .collect();
        let decimals = decimals_for(&halves, &sizes);
        for (y, a, b, d, pin) in stats {
            out.push(json!({
                "metric": name,
                "label": metric_label(name),
                "unit": unit,
                "difference_unit": diff_unit,
                "year": y,
                "year_label": year_label(prog.start_year, y),
                "programme": cell(a.mean, a.ci95_low, a.ci95_high, factor, decimals),
                "baseline": cell(b.mean, b.ci95_low, b.ci95_high, factor, decimals),
                "difference": cell(d.mean, d.ci95_low, d.ci95_high, diff_factor, decimals),
                "vs_pinned": pin.map(|d| cell(d.mean, d.ci95_low, d.ci95_high, diff_factor, decimals)),
            }));
        }
    }
    out
}

/// The "why" panel: the paired difference of each income source and kind of
/// job in the last year, whose parts add up to the charted totals.
fn why(run: &Finished) -> Vec<Value> {
    let (prog, base) = (&run.programme, &run.baseline);
    let last = prog.rows().saturating_sub(1);
    let year = (last / 12) as u32;
    CHANNELS
        .iter()
        .map(|name| {
            let metric = metrics::index(name).expect("channel metrics are declared");
            let m = &metrics::METRICS[metric];
            let d = paired_diff(&base.column(last, metric), &prog.column(last, metric));
            let decimals = decimals_for(&[(d.ci95_high - d.ci95_low) / 2.0], &[d.mean]);
            json!({
                "metric": name,
                "description": m.description,
                "unit": m.unit,
                "year_label": year_label(prog.start_year, year),
                "difference": cell(d.mean, d.ci95_low, d.ci95_high, 1.0, decimals),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_starts_one_run_at_a_time_in_order_and_has_a_length_limit() {
        let q = Queue::new(2);
        assert!(q.join(1) && q.join(2));
        assert!(!q.join(3), "a third waiting run is refused");
        // Run 2 is behind run 1, which starts.
        assert_eq!(q.try_start(2), Err(1));
        assert_eq!(q.try_start(1), Ok(()));
        // Now 2 is first in line, behind the computing run.
        assert_eq!(q.try_start(2), Err(1));
        assert!(q.join(3));
        assert_eq!(q.try_start(3), Err(2));
        // Run 2's page closes: 3 moves up; run 1 finishes: 3 starts.
        q.leave(2);
        assert_eq!(q.try_start(3), Err(1));
        q.leave(1);
        assert_eq!(q.try_start(3), Ok(()));
        assert_eq!(*q.moved.borrow(), 2);
    }
}
