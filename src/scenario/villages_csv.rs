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

/// The columns of a villages file; all but `candidates` are required.
const COLUMNS: [&str; 7] = [
    "name",
    "district",
    "households",
    "infrastructure",
    "distance_km",
    "cohesion",
    "candidates",
];

/// Most problems listed for one file; the rest are counted.
pub(super) const MAX_PROBLEMS: usize = 100;

/// Reads and checks every row, listing every problem (up to [`MAX_PROBLEMS`])
/// at the line and column where the cell starts, quoted multi-line cells and
/// blank lines included.
pub(super) fn read(path: &Path, scenario: &Scenario) -> Result<Vec<VillageRecord>, ScenarioError> {
    let at = |(line, column): (usize, usize), key: &str, message: String| Problem {
        origin: Origin::File {
            path: path.to_path_buf(),
            line,
            column,
        },
        key: key.to_string(),
        message,
    };
    let one = |p: Problem| ScenarioError::Invalid(vec![p]);
    let file = input::open_regular(path).map_err(|e| one(at((1, 1), "", e)))?;
    // Bounded while reading, so a huge file is refused before it fills memory.
    let mut bytes = Vec::new();
    file.take(input::VILLAGES_MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| one(at((1, 1), "", format!("cannot read: {e}"))))?;
    if bytes.len() as u64 > input::VILLAGES_MAX_BYTES {
        return Err(one(at(
            (1, 1),
            "",
            input::too_large(input::VILLAGES_MAX_BYTES),
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        one(at(
            super::line_col(&lossy, valid),
            "",
            "not UTF-8 text".into(),
        ))
    })?;

    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| one(at((1, 1), "", e.to_string())))?
        .clone();
    let place = Lines::new(&text);
    let header_problems = check_headers(&headers, &text, &place, &at);
    if !header_problems.is_empty() {
        // Rows cannot be read against a wrong header: one error per header cell, not per row.
        return Err(ScenarioError::Invalid(header_problems));
    }

    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut unlisted = 0usize;
    let mut note = |problems: &mut Vec<Problem>, p: Problem| {
        if problems.len() < MAX_PROBLEMS {
            problems.push(p);
        } else {
            unlisted += 1;
        }
    };
    let mut rows = 0usize;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("{len} cells, but the header has {expected_len}"),
                    _ => e.to_string(),
                };
                note(&mut problems, at((line, 1), "", message));
                rows += 1;
                continue;
            }
        }
        let position = record.position().expect("a record read has a position");
        let starts = cell_starts(&text, position.byte() as usize);
        // The reader's own line count starts at any blank lines before the row.
        let line = place.line_col(starts[0]).0;
        if rows >= MAX_VILLAGES {
            let message =
                format!("more than {MAX_VILLAGES} villages (the most district.villages allows)");
            return Err(one(at((line, 1), "", message)));
        }
        rows += 1;
        let cell = |column: &str| {
            let i = headers.iter().position(|h| h == column);
            i.and_then(|i| starts.get(i))
                .map_or((line, 1), |o| place.line_col(*o))
        };
        let rec: VillageRecord = match record.deserialize(Some(&headers)) {
            Ok(r) => r,
            Err(e) => {
                let (column, message) = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => (
                        err.field()
                            .and_then(|f| headers.get(f as usize))
                            .unwrap_or(""),
                        err.kind().to_string(),
                    ),
                    _ => ("", e.to_string()),
                };
                note(&mut problems, at(cell(column), column, message));
                continue;
            }
        };
        let mut check = |key: &str, ok: bool, range: &str, got: String| {
            if !ok {
                let p = at(cell(key), key, format!("must be in {range}, got {got}"));
                note(&mut problems, p);
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
                let p = at(
                    cell("candidates"),
                    "candidates",
                    format!("unknown product {name:?}"),
                );
                note(&mut problems, p);
            }
        }
        out.push(rec);
    }
    if unlisted > 0 {
        let message = format!("{unlisted} more problems not listed (the first {MAX_PROBLEMS} are)");
        problems.push(at((1, 1), "", message));
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(at((1, 1), "", "no villages in file".into()));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ScenarioError::Invalid(problems))
    }
}

/// One problem per unknown or repeated header cell and per missing required column.
fn check_headers(
    headers: &csv::StringRecord,
    text: &str,
    lines: &Lines,
    at: &impl Fn((usize, usize), &str, String) -> Problem,
) -> Vec<Problem> {
    let starts = cell_starts(text, 0);
    let place = |i: usize| starts.get(i).map_or((1, 1), |o| lines.line_col(*o));
    let mut problems = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if !COLUMNS.contains(&h) {
            let nearest = COLUMNS
                .iter()
                .min_by_key(|c| strsim::damerau_levenshtein(h, c))
                .expect("columns exist");
            problems.push(at(
                place(i),
                "",
                format!(
                    "unknown column {h:?}; did you mean {nearest:?}? (columns: {})",
                    COLUMNS.join(", ")
                ),
            ));
        } else if headers.iter().take(i).any(|earlier| earlier == h) {
            problems.push(at(place(i), "", format!("column {h:?} appears twice")));
        }
    }
    for column in &COLUMNS[..6] {
        if !headers.iter().any(|h| h == *column) && problems.is_empty() {
            problems.push(at((1, 1), "", format!("missing column {column:?}")));
        }
    }
    problems
}

/// Byte offsets where each cell of the record read from `start` begins
/// (after blank lines before it and leading blanks, which are trimmed),
/// quoted cells spanning lines included.
fn cell_starts(text: &str, mut start: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r' | b' ' | b'\t') {
        start += 1;
    }
    let skip_blanks = |mut i: usize| {
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        i
    };
    let mut starts = vec![skip_blanks(start)];
    let mut quoted = false;
    for (i, b) in bytes.iter().enumerate().skip(start) {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => starts.push(skip_blanks(i + 1)),
            b'\n' if !quoted => break,
            _ => {}
        }
    }
    starts
}

/// Line and column of byte offsets in a text, by a table of line starts
/// (one scan of the text, then a binary search per offset).
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// 1-based line and column (in characters) of `offset`.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|s| *s <= offset);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        (line, column + 1)
    }
}
