//! In-memory results of runs: one metric row per month per replication, in a fixed order.

use crate::metrics::N_METRICS;

/// The recorded series of one replication.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    /// Replication index, 0-based.
    pub replication: u32,
    /// Row-major values: `values[month * N_METRICS + metric]`, months 0..=horizon.
    pub values: Vec<f64>,
}

impl RunOutput {
    /// An empty series with room for `months + 1` rows.
    pub fn with_months(replication: u32, months: usize) -> Self {
        Self {
            replication,
            values: Vec::with_capacity((months + 1) * N_METRICS),
        }
    }

    /// Appends one month's row.
    pub fn push_row(&mut self, row: &[f64; N_METRICS]) {
        self.values.extend_from_slice(row);
    }

    /// Number of recorded rows (months including month 0).
    pub fn rows(&self) -> usize {
        self.values.len() / N_METRICS
    }

    /// The value of `metric` at `month`.
    pub fn get(&self, month: usize, metric: usize) -> f64 {
        self.values[month * N_METRICS + metric]
    }
}

/// All replications of one scenario, ordered by replication.
#[derive(Debug, Clone)]
pub struct ScenarioResults {
    /// Scenario name (the `name` key of the scenario file).
    pub name: String,
    /// What readers see in legends, table headers and titles (the `label`
    /// key, or the name when it is empty).
    pub label: String,
    /// Calendar year of month 1.
    pub start_year: i32,
    /// Runs ordered by replication index.
    pub runs: Vec<RunOutput>,
}

impl ScenarioResults {
    /// Number of recorded rows per run (months including month 0).
    pub fn rows(&self) -> usize {
        self.runs.first().map_or(0, RunOutput::rows)
    }

    /// The values of `metric` at `month` across replications, in replication order.
    pub fn column(&self, month: usize, metric: usize) -> Vec<f64> {
        self.runs.iter().map(|r| r.get(month, metric)).collect()
    }
}

/// Test results: replication r has value `level + r` for every metric at every month 0..=months.
#[cfg(test)]
pub(crate) fn flat(name: &str, reps: u32, months: usize, level: f64) -> ScenarioResults {
    let runs = (0..reps)
        .map(|r| {
            let mut run = RunOutput::with_months(r, months);
            for _ in 0..=months {
                run.push_row(&[level + f64::from(r); N_METRICS]);
            }
            run
        })
        .collect();
    ScenarioResults {
        name: name.into(),
        label: name.into(),
        start_year: 2025,
        runs,
    }
}
