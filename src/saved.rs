//! Reading a saved results folder back into memory (series.csv and manifest.json), so `plot` can re-draw without re-running.

use crate::metrics::{self, N_METRICS};
use crate::results::{RunOutput, ScenarioResults};
use std::path::{Path, PathBuf};

/// Why a results folder could not be read; always the user's input (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct SavedError {
    pub path: PathBuf,
    pub message: String,
}

fn err(path: &Path, message: impl Into<String>) -> SavedError {
    SavedError {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// What `manifest.json` says about a folder: the resolved scenario.
pub fn read_manifest(dir: &Path) -> Result<serde_json::Value, SavedError> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        err(
            &path,
            format!("{e}; a folder without manifest.json is incomplete or not a results folder"),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        err(
            &path,
            format!("line {}, column {}: {e}", e.line(), e.column()),
        )
    })
}

/// The scenario's start year from a manifest.
fn start_year(manifest: &serde_json::Value, dir: &Path) -> Result<i32, SavedError> {
    manifest["scenario"]["start_year"]
        .as_i64()
        .and_then(|y| i32::try_from(y).ok())
        .ok_or_else(|| err(&dir.join("manifest.json"), "no scenario.start_year"))
}

/// Reads `dir/series.csv` (with `dir/manifest.json` for the start year).
///
/// Metrics this version does not know are skipped; metrics it knows but the
/// file lacks (an older version wrote it) are NaN and chart as gaps.
pub fn read_series(dir: &Path) -> Result<ScenarioResults, SavedError> {
    let manifest = read_manifest(dir)?;
    let start_year = start_year(&manifest, dir)?;
    let path = dir.join("series.csv");
    let mut reader = csv::Reader::from_path(&path).map_err(|e| err(&path, e.to_string()))?;
    let headers = reader
        .headers()
        .map_err(|e| err(&path, e.to_string()))?
        .clone();
    let expected = ["scenario", "replication", "month", "metric", "value"];
    if headers.iter().take(5).ne(expected) {
        return Err(err(
            &path,
            format!("line 1: columns must start {}", expected.join(",")),
        ));
    }
    let mut name = None;
    let mut runs: Vec<RunOutput> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| err(&path, format!("line {line}: {e}")))?;
        let field = |k: usize| record.get(k).unwrap_or("");
        let bad = |what: &str| {
            err(
                &path,
                format!(
                    "line {line}: {what} {:?}",
                    record.iter().collect::<Vec<_>>()
                ),
            )
        };
        if name.is_none() {
            name = Some(field(0).to_string());
        }
        let rep: u32 = field(1).parse().map_err(|_| bad("bad replication in"))?;
        let month: usize = field(2).parse().map_err(|_| bad("bad month in"))?;
        let value: f64 = field(4).parse().map_err(|_| bad("bad value in"))?;
        let Some(metric) = metrics::index(field(3)) else {
            continue;
        };
        if month > 100 * 12 {
            return Err(bad("month beyond 100 years in"));
        }
        let slot = match runs.iter().position(|r| r.replication == rep) {
            Some(s) => s,
            None => {
                if runs.len() >= 100_000 {
                    return Err(bad("more than 100,000 replications at"));
                }
                runs.push(RunOutput {
                    replication: rep,
                    values: Vec::new(),
                });
                runs.len() - 1
            }
        };
        let values = &mut runs[slot].values;
        let need = (month + 1) * N_METRICS;
        if values.len() < need {
            values.resize(need, f64::NAN);
        }
        values[month * N_METRICS + metric] = value;
    }
    let Some(name) = name else {
        return Err(err(&path, "no rows"));
    };
    runs.sort_by_key(|r| r.replication);
    let width = runs.iter().map(|r| r.values.len()).max().unwrap_or(0);
    for r in &mut runs {
        r.values.resize(width, f64::NAN);
    }
    let label = match manifest["scenario"]["label"].as_str() {
        Some(l) if !l.is_empty() => l.to_string(),
        _ => name.clone(),
    };
    Ok(ScenarioResults {
        name,
        label,
        start_year,
        runs,
    })
}

/// Scenario names of a comparison folder, first scenario first, from `comparison.csv`.
pub fn comparison_order(dir: &Path) -> Result<Vec<String>, SavedError> {
    let path = dir.join("comparison.csv");
    let mut reader = csv::Reader::from_path(&path).map_err(|e| err(&path, e.to_string()))?;
    let mut names: Vec<String> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| err(&path, format!("line {}: {e}", i + 2)))?;
        let n = record.get(0).unwrap_or("");
        if names.last().map(String::as_str) != Some(n) && !names.iter().any(|x| x == n) {
            names.push(n.to_string());
        }
    }
    if names.is_empty() {
        return Err(err(&path, "no rows"));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_round_trips_and_bad_rows_are_located() {
        let dir = std::env::temp_dir().join(format!("ovopsim-saved-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("manifest.json"),
            r#"{"scenario": {"start_year": 2030}}"#,
        )
        .unwrap();
        let mut run = RunOutput::with_months(1, 1);
        run.push_row(&[0.1; N_METRICS]);
        run.push_row(&[1.0 / 3.0; N_METRICS]);
        let results = ScenarioResults {
            name: "a,b".into(),
            label: "a,b".into(),
            start_year: 2030,
            runs: vec![run],
        };
        std::fs::write(dir.join("series.csv"), crate::report::series_csv(&results)).unwrap();
        let back = read_series(&dir).unwrap();
        assert_eq!(back.name, "a,b");
        assert_eq!(back.start_year, 2030);
        assert_eq!(back.runs, results.runs);
        std::fs::write(
            dir.join("series.csv"),
            "scenario,replication,month,metric,value\ns,0,0,gini,0.3\ns,0,x,gini,1\n",
        )
        .unwrap();
        let e = read_series(&dir).unwrap_err().to_string();
        assert!(e.contains("series.csv: line 3: bad month"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
