//! Reading villages from a CSV file instead of generating them; every bad cell is reported with its line and column name.

use super::input;
use super::schema::Scenario;
use super::{Origin, Problem, ScenarioError};
use serde::Deserialize;
use std::io::Read;
use std::path::Path;

/// Most rows read: the upper bound of `district.villages`.
const MAX_VILLAGES: usize = 100_000;

/// One village as described in a villages CSV file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VillageRecord {
    /// Village name (free text).
    pub name: String,
    /// District number, 1-based (must not exceed `district.districts`).
    pub district: u32,
    /// Households (1-20000).
    pub households: u32,
    /// Infrastructure index (0-1).
    pub infrastructure: f64,
    /// Distance to the district market (km).
    pub distance_km: f64,
    /// Social cohesion (0-1).
    pub cohesion: f64,
    /// Candidate products, separated by ';' (empty: drawn at random).
    #[serde(default)]
    pub candidates: String,
}

impl VillageRecord {
    /// Candidate product names written in the file.
    pub fn candidate_names(&self) -> Vec<&str> {
        self.candidates
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}

pub(super) fn read(path: &Path, scenario: &Scenario) -> Result<Vec<VillageRecord>, ScenarioError> {
    let file_problem = |line: usize, key: &str, message: String| Problem {
        origin: Origin::File {
            path: path.to_path_buf(),
            line,
            column: 1,
        },
        key: key.to_string(),
        message,
    };
    let file = input::open_regular(path)
        .map_err(|e| ScenarioError::Invalid(vec![file_problem(1, "", e)]))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(file.take(input::VILLAGES_MAX_BYTES + 1));
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut records = reader.deserialize::<VillageRecord>();
    // Both limits hold while reading, so a huge file is refused before it fills memory.
    for result in records.by_ref() {
        if out.len() + problems.len() >= MAX_VILLAGES {
            let message =
                format!("more than {MAX_VILLAGES} villages (the most district.villages allows)");
            let line = out.len() + problems.len() + 2;
            return Err(ScenarioError::Invalid(vec![file_problem(
                line, "", message,
            )]));
        }
        let rec = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                let message = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => {
                        let field = err
                            .field()
                            .map_or(String::new(), |f| format!("column {}: ", f + 1));
                        format!("{field}{err}")
                    }
                    _ => e.to_string(),
                };
                problems.push(file_problem(line, "", message));
                continue;
            }
        };
        let line = out.len() + problems.len() + 2;
        let mut check = |key: &str, ok: bool, range: &str, got: String| {
            if !ok {
                problems.push(file_problem(
                    line,
                    key,
                    format!("must be in {range}, got {got}"),
                ));
            }
        };
        check(
            "district",
            rec.district >= 1 && rec.district <= scenario.district.districts,
            &format!("1 to {} (district.districts)", scenario.district.districts),
            rec.district.to_string(),
        );
        check(
            "households",
            (1..=20_000).contains(&rec.households),
            "1 to 20000",
            rec.households.to_string(),
        );
        check(
            "infrastructure",
            (0.0..=1.0).contains(&rec.infrastructure),
            "0 to 1",
            rec.infrastructure.to_string(),
        );
        check(
            "distance_km",
            (0.0..=1000.0).contains(&rec.distance_km),
            "0 to 1000",
            rec.distance_km.to_string(),
        );
        check(
            "cohesion",
            (0.0..=1.0).contains(&rec.cohesion),
            "0 to 1",
            rec.cohesion.to_string(),
        );
        for name in rec.candidate_names() {
            if !scenario.products.iter().any(|p| p.name == name) {
                problems.push(file_problem(
                    line,
                    "candidates",
                    format!("unknown product {name:?}"),
                ));
            }
        }
        out.push(rec);
    }
    if records.reader().get_ref().limit() == 0 {
        let message = input::too_large(input::VILLAGES_MAX_BYTES);
        return Err(ScenarioError::Invalid(vec![file_problem(1, "", message)]));
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(file_problem(1, "", "no villages in file".into()));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ScenarioError::Invalid(problems))
    }
}
