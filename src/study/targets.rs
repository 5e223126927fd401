//! Calibration targets: the moments of the data a calibration fits, read from a TOML file, typed and checked once.
//!
//! A targets file lists `[[target]]` tables. Each names a data value with its
//! uncertainty (one standard deviation, which sets its weight in the
//! distance), its year or years, the population it describes and its source,
//! and the model metric it is compared with (optionally divided by a second
//! metric, e.g. farm income over all income) at a month of the run. A target
//! the model cannot yet produce, or one held out to validate the fit, has
//! `fit = false` and a `reason`: it is reported, never fitted.
//!
//! Errors name the file, line, column and key, like a scenario's.

use crate::metrics;
use crate::scenario::{Origin, Problem, line_col};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// How the distance treats a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The model should match the value.
    Equal,
    /// The model should be at least the value (e.g. an income Gini above an expenditure Gini).
    AtLeast,
    /// The model should be at most the value.
    AtMost,
}

/// One target moment, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Identifier, unique in the file (lower case, digits, `_`).
    pub name: String,
    pub description: String,
    /// The data value, in the unit of the model quantity it is compared with.
    pub value: f64,
    /// Uncertainty of the value (one standard deviation); weight 1/sd².
    pub sd: f64,
    /// Largest distance from the value still counted as a match (default 2 sd).
    pub tolerance: f64,
    pub side: Side,
    /// First and last year the value describes (the same for one year).
    pub years: (i32, i32),
    /// Who the value describes, e.g. "rural population, Indonesia".
    pub population: String,
    pub source: String,
    /// The model metric compared with the value; none for a target the model cannot produce.
    pub metric: Option<String>,
    /// A metric the first is divided by, replication by replication.
    pub per: Option<String>,
    /// Month of the run (0 = the initial state) at which the model is read.
    pub model_month: u32,
    /// Whether the target enters the distance.
    pub fit: bool,
    /// Why a target is not fitted.
    pub reason: String,
}

impl Target {
    /// Whether the model value can be computed.
    pub fn computed(&self) -> bool {
        self.metric.is_some()
    }

    /// The model quantity as text: `metric` or `metric / per`.
    pub fn quantity(&self) -> String {
        match (&self.metric, &self.per) {
            (Some(m), Some(p)) => format!("{m} / {p}"),
            (Some(m), None) => m.clone(),
            _ => String::new(),
        }
    }

    /// The signed gap of `model` from the value, in sds; 0 on the right side of a bound.
    pub fn z(&self, model: f64) -> f64 {
        let z = (model - self.value) / self.sd;
        match self.side {
            Side::Equal => z,
            Side::AtLeast => z.min(0.0),
            Side::AtMost => z.max(0.0),
        }
    }

    /// Whether `model` is within the tolerance (on the right side of a bound counts).
    pub fn within(&self, model: f64) -> bool {
        (self.z(model) * self.sd).abs() <= self.tolerance
    }
}

/// The targets of a file, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    pub path: PathBuf,
    pub list: Vec<Target>,
}

/// Why a targets file cannot be used. Always the user's input.
#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    #[error("cannot read targets {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    description: String,
    #[serde(default)]
    target: Vec<Spanned<RawTarget>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    value: Spanned<f64>,
    sd: Spanned<f64>,
    tolerance: Option<Spanned<f64>>,
    #[serde(default = "equal")]
    side: Side,
    year: Option<Spanned<i32>>,
    years: Option<Spanned<Vec<i32>>>,
    population: Spanned<String>,
    source: Spanned<String>,
    metric: Option<Spanned<String>>,
    per: Option<Spanned<String>>,
    model_month: Option<Spanned<u32>>,
    #[serde(default = "yes")]
    fit: bool,
    reason: Option<String>,
}

fn equal() -> Side {
    Side::Equal
}

fn yes() -> bool {
    true
}

/// Reads and checks a targets file.
pub fn read(path: &Path) -> Result<Targets, TargetsError> {
    let read_err = |reason: String| TargetsError::Read {
        path: path.to_path_buf(),
        reason,
    };
    if path.is_dir() {
        return Err(read_err("it is a folder, not a file".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| read_err(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| read_err("not a UTF-8 text file".into()))?;
    parse(&text, path)
}

/// Checks the text of a targets file; `path` names it in messages.
pub fn parse(text: &str, path: &Path) -> Result<Targets, TargetsError> {
    let at = |offset: usize, key: String, message: String| {
        let (line, column) = line_col(text, offset);
        Problem {
            origin: Origin::File {
                path: path.to_path_buf(),
                line,
                column,
            },
            key,
            message,
        }
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        TargetsError::Invalid(vec![at(
            offset,
            String::new(),
            e.message()
                .trim()
                .replace("expected f64", "expected a number"),
        )])
    })?;
    let _ = raw.description;
    let mut problems = Vec::new();
    let mut list: Vec<Target> = Vec::new();
    for (i, spanned) in raw.target.iter().enumerate() {
        let start = spanned.span().start;
        let t = spanned.get_ref();
        let key = |k: &str| format!("target[{i}].{k}");
        let mut bad = |offset: usize, k: &str, message: String| {
            problems.push(at(offset, key(k), message));
        };
        let name = t.name.get_ref().trim().to_string();
        let name_ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok {
            bad(
                t.name.span().start,
                "name",
                "must be lower-case letters, digits and _, e.g. farm_income_share".into(),
            );
        } else if list.iter().any(|o| o.name == name) {
            bad(
                t.name.span().start,
                "name",
                format!("`{name}` is used twice"),
            );
        }
        if !t.value.get_ref().is_finite() {
            bad(
                t.value.span().start,
                "value",
                "must be a finite number".into(),
            );
        }
        let sd = *t.sd.get_ref();
        if !(sd.is_finite() && sd > 0.0) {
            bad(
                t.sd.span().start,
                "sd",
                format!("must be a number above 0 (the value's uncertainty), got {sd}"),
            );
        }
        let tolerance = match &t.tolerance {
            Some(tol) if !(tol.get_ref().is_finite() && *tol.get_ref() > 0.0) => {
                bad(
                    tol.span().start,
                    "tolerance",
                    format!("must be a number above 0, got {}", tol.get_ref()),
                );
                0.0
            }
            Some(tol) => *tol.get_ref(),
            None => 2.0 * sd,
        };
        let years = match (&t.year, &t.years) {
            (Some(y), None) => Some((*y.get_ref(), *y.get_ref())),
            (None, Some(ys)) => match ys.get_ref().as_slice() {
                [a, b] if a <= b => Some((*a, *b)),
                _ => {
                    bad(
                        ys.span().start,
                        "years",
                        "must be [first, last] with first <= last, e.g. [2015, 2024]".into(),
                    );
                    None
                }
            },
            _ => {
                bad(
                    start,
                    "year",
                    "give the data's year (year = 2013) or its window (years = [2015, 2024]), not both".into(),
                );
                None
            }
        };
        if let Some((a, b)) = years
            && !(1900..=2100).contains(&a) | !(1900..=2100).contains(&b)
        {
            bad(start, "year", format!("{a}-{b} is outside 1900 to 2100"));
        }
        for (k, s) in [("population", &t.population), ("source", &t.source)] {
            if s.get_ref().trim().is_empty() {
                bad(s.span().start, k, "must not be empty".into());
            }
        }
        for (k, m) in [("metric", &t.metric), ("per", &t.per)] {
            if let Some(m) = m
                && metrics::index(m.get_ref()).is_none()
            {
                bad(m.span().start, k, no_metric(m.get_ref()));
            }
        }
        if t.metric.is_none() && t.per.is_some() {
            bad(start, "per", "needs a metric to divide".into());
        }
        if t.metric.is_some() && t.model_month.is_none() {
            bad(
                start,
                "model_month",
                "missing: the month of the run (0 = start) at which the metric is read".into(),
            );
        }
        let reason = t.reason.clone().unwrap_or_default();
        if t.fit && t.metric.is_none() {
            bad(
                start,
                "metric",
                "missing: a fitted target needs a metric; mark a target the model cannot produce with fit = false and a reason".into(),
            );
        }
        if !t.fit && reason.trim().is_empty() {
            bad(
                start,
                "reason",
                "missing: say why a target with fit = false is not fitted".into(),
            );
        }
        list.push(Target {
            name,
            description: t.description.trim().to_string(),
            value: *t.value.get_ref(),
            sd,
            tolerance,
            side: t.side,
            years: years.unwrap_or_default(),
            population: t.population.get_ref().trim().to_string(),
            source: t.source.get_ref().trim().to_string(),
            metric: t.metric.as_ref().map(|m| m.get_ref().clone()),
            per: t.per.as_ref().map(|m| m.get_ref().clone()),
            model_month: t.model_month.as_ref().map_or(0, |m| *m.get_ref()),
            fit: t.fit,
            reason,
        });
    }
    if problems.is_empty() && !list.iter().any(|t| t.fit) {
        problems.push(at(
            0,
            "target".into(),
            "no target with fit = true: nothing to calibrate against".into(),
        ));
    }
    if problems.is_empty() {
        Ok(Targets {
            path: path.to_path_buf(),
            list,
        })
    } else {
        Err(TargetsError::Invalid(problems))
    }
}

/// "no such metric", with the nearest name and the list.
fn no_metric(name: &str) -> String {
    let names: Vec<&str> = metrics::METRICS.iter().map(|m| m.name).collect();
    format!(
        "no such metric `{name}`; did you mean {}? (metrics: {})",
        metrics::nearest(name),
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[target]]
name = "poverty"
value = 0.12
sd = 0.01
year = 2015
population = "rural people"
source = "BPS"
metric = "poverty_rate"
model_month = 2

[[target]]
name = "unpaid"
value = 0.68
sd = 0.05
years = [2020, 2023]
population = "workers of small manufacturers"
source = "BPS"
fit = false
reason = "no metric of unpaid family labour yet"
"#;

    fn err(text: &str) -> String {
        parse(text, Path::new("t.toml")).unwrap_err().to_string()
    }

    #[test]
    fn a_good_file_reads_with_defaults() {
        let t = parse(GOOD, Path::new("t.toml")).unwrap();
        assert_eq!(t.list.len(), 2);
        assert_eq!(t.list[0].tolerance, 0.02);
        assert_eq!(t.list[1].years, (2020, 2023));
        assert!(!t.list[1].computed());
        assert!((t.list[0].z(0.14) - 2.0).abs() < 1e-9);
    }

    #[test]
    fn errors_name_line_column_and_key() {
        let e = err(&GOOD.replace("poverty_rate", "poverty_rat"));
        assert!(e.starts_with("t.toml:9:10: key `target[0].metric`: no such metric `poverty_rat`; did you mean poverty_rate?"), "{e}");
        let e = err(&GOOD.replace("sd = 0.01", "sd = 0"));
        assert!(
            e.contains("t.toml:5:6: key `target[0].sd`: must be a number above 0"),
            "{e}"
        );
        let e = err(&GOOD.replace("sd = 0.01", "sd = 0.01\nwhat = 1"));
        assert!(
            e.contains("t.toml:6:1") && e.contains("unknown field `what`"),
            "{e}"
        );
        let e = err(&GOOD.replace("value = 0.12", "value = \"x\""));
        assert!(e.contains("t.toml:4:9"), "{e}");
        let e = err(&GOOD.replace("reason = \"no metric of unpaid family labour yet\"", ""));
        assert!(e.contains("key `target[1].reason`: missing"), "{e}");
        let e = err(&GOOD.replace("year = 2015", "years = [2016, 2015]"));
        assert!(e.contains("key `target[0].years`"), "{e}");
    }
}
