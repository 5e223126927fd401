//! Designs: a full grid from `--vary` or a Latin hypercube from `--range`, as points of key/value overrides.
//!
//! A design only names values; each point is applied to the scenario and
//! validated like a `--set`, so a study can vary any key the command line can set.

use crate::rng;
use crate::scenario::Scenario;
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// The points of a design: one value per varied key at each point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Design {
    /// Varied keys, in the order given.
    pub keys: Vec<String>,
    /// `points[p][k]`: the TOML text of key `k`'s value at point `p`.
    pub points: Vec<Vec<String>>,
}

impl Design {
    /// The `--set` arguments of point `p`.
    pub fn sets(&self, p: usize) -> Vec<String> {
        self.keys
            .iter()
            .zip(&self.points[p])
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    }
}

/// Whether a key holds whole numbers in this scenario, so designs write it without a decimal point.
pub fn integer_keys(scenario: &Scenario) -> impl Fn(&str) -> bool + use<> {
    let values = toml::Value::try_from(scenario).expect("a scenario serializes");
    move |key: &str| {
        key.split('.')
            .try_fold(&values, |v, part| v.get(part))
            .is_some_and(toml::Value::is_integer)
    }
}

/// A bad `--vary`, `--range` or `--n`; the message names the argument.
#[derive(Debug, thiserror::Error)]
#[error("{arg}: {message}")]
pub struct DesignError {
    pub arg: String,
    pub message: String,
}

fn bad(arg: &str, message: impl Into<String>) -> DesignError {
    DesignError {
        arg: arg.to_string(),
        message: message.into(),
    }
}

/// Most points a design may have; more is almost surely a typo in a step.
pub const MAX_POINTS: usize = 1_000_000;

/// Splits `key=rest`, checking the key looks like a key path.
fn split_key<'a>(arg: &'a str, flag: &str) -> Result<(&'a str, &'a str), DesignError> {
    let (key, rest) = arg
        .split_once('=')
        .ok_or_else(|| bad(&format!("{flag} {arg}"), "expected KEY=VALUES"))?;
    let key = key.trim();
    let ok = !key.is_empty()
        && key.split('.').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | ']'))
        });
    if !ok {
        return Err(bad(
            &format!("{flag} {arg}"),
            format!("`{key}` is not a key path like coordination.quality"),
        ));
    }
    Ok((key, rest.trim()))
}

fn number(arg: &str, text: &str) -> Result<f64, DesignError> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(bad(arg, format!("`{text}` is not a finite number"))),
    }
}

/// Shortest text of a number, as an integer when it is one and `integer` is asked for.
pub fn fmt_value(v: f64, integer: bool) -> String {
    if integer {
        format!("{}", v.round() as i64)
    } else {
        // Twelve significant digits hide the binary noise of lo + i * step.
        let r: f64 = format!("{v:.12e}").parse().expect("formatted float parses");
        let s = format!("{r}");
        if s.contains(['.', 'e', 'E']) || s.contains("inf") || s.contains("NaN") {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// One `--vary` argument: `key=a,b,c` (any TOML values) or `key=lo:hi:step` (numbers).
///
/// `integer` says whether the key holds whole numbers, so that a range of
/// them is written without a decimal point.
pub fn parse_vary(
    arg: &str,
    integer: impl Fn(&str) -> bool,
) -> Result<(String, Vec<String>), DesignError> {
    let (key, rest) = split_key(arg, "--vary")?;
    let label = format!("--vary {arg}");
    if rest.is_empty() {
        return Err(bad(
            &label,
            "no values; expected key=a,b,c or key=lo:hi:step",
        ));
    }
    let values: Vec<String> = if rest.contains(':') && !rest.contains(',') {
        let parts: Vec<&str> = rest.split(':').collect();
        if parts.len() != 3 {
            return Err(bad(&label, "a range is lo:hi:step, e.g. 0.2:0.8:0.2"));
        }
        let (lo, hi, step) = (
            number(&label, parts[0])?,
            number(&label, parts[1])?,
            number(&label, parts[2])?,
        );
        if step <= 0.0 {
            return Err(bad(&label, "step must be greater than 0"));
        }
        if hi < lo {
            return Err(bad(&label, "hi must not be below lo"));
        }
        let count = ((hi - lo) / step + 1e-9).floor() + 1.0;
        if count > MAX_POINTS as f64 {
            return Err(bad(&label, format!("more than {MAX_POINTS} values")));
        }
        let whole = integer(key) && [lo, hi, step].iter().all(|v| v.fract() == 0.0);
        (0..count as usize)
            .map(|i| fmt_value(lo + i as f64 * step, whole))
            .collect()
    } else {
        rest.split(',')
            .map(|v| {
                let v = v.trim();
                if v.is_empty() {
                    Err(bad(&label, "an empty value in the list"))
                } else {
                    Ok(v.to_string())
                }
            })
            .collect::<Result<_, _>>()?
    };
    Ok((key.to_string(), values))
}

/// The full grid of several `--vary` arguments; the first key varies slowest.
pub fn grid(varies: Vec<(String, Vec<String>)>) -> Result<Design, DesignError> {
    let mut keys = Vec::new();
    for (k, _) in &varies {
        if keys.contains(k) {
            return Err(bad(&format!("--vary {k}"), "this key is varied twice"));
        }
        keys.push(k.clone());
    }
    let total = varies
        .iter()
        .try_fold(1usize, |n, (_, v)| n.checked_mul(v.len()))
        .filter(|n| *n <= MAX_POINTS)
        .ok_or_else(|| {
            bad(
                "--vary",
                format!("the grid has more than {MAX_POINTS} points"),
            )
        })?;
    let mut points = Vec::with_capacity(total);
    for mut i in 0..total {
        let mut point = vec![String::new(); varies.len()];
        for (k, (_, values)) in varies.iter().enumerate().rev() {
            point[k] = values[i % values.len()].clone();
            i /= values.len();
        }
        points.push(point);
    }
    Ok(Design { keys, points })
}

/// One `--range key=lo:hi` argument of a Latin hypercube.
pub fn parse_range(arg: &str) -> Result<(String, f64, f64), DesignError> {
    let (key, rest) = split_key(arg, "--range")?;
    let label = format!("--range {arg}");
    let Some((lo, hi)) = rest.split_once(':') else {
        return Err(bad(
            &label,
            "expected key=lo:hi, e.g. coordination.quality=0.2:0.9",
        ));
    };
    // A text, choice or switch has no range to sample; say so before the work, in the user's words.
    let pattern: String = {
        let mut out = String::new();
        let mut digits = false;
        for c in key.chars() {
            match c {
                '[' => {
                    digits = true;
                    out.push_str("[]");
                }
                ']' => digits = false,
                _ if digits => {}
                _ => out.push(c),
            }
        }
        out
    };
    if let Some(p) = crate::scenario::PARAMS
        .iter()
        .find(|p| p.key == pattern && p.allowed == "-")
    {
        return Err(bad(
            &label,
            format!(
                "`{key}` is not a number ({}); give its values with --vary {key}=a,b",
                p.unit
            ),
        ));
    }
    let (lo, hi) = (number(&label, lo)?, number(&label, hi)?);
    if hi < lo {
        return Err(bad(&label, "hi must not be below lo"));
    }
    Ok((key.to_string(), lo, hi))
}

/// A Latin hypercube of `n` points over the ranges: each range is cut into
/// `n` equal strata and every stratum is used exactly once per key.
///
/// The design is drawn from its own stream of the master seed, so the same
/// seed gives the same points.
pub fn latin_hypercube(
    ranges: &[(String, f64, f64)],
    n: usize,
    seed: u64,
    integer: impl Fn(&str) -> bool,
) -> Result<Design, DesignError> {
    if n == 0 || n > MAX_POINTS {
        return Err(bad("--n", format!("must be 1 to {MAX_POINTS}, got {n}")));
    }
    let mut keys: Vec<String> = Vec::new();
    for (k, _, _) in ranges {
        if keys.contains(k) {
            return Err(bad(&format!("--range {k}"), "this key is given twice"));
        }
        keys.push(k.clone());
    }
    let mut rng = rng::stream(seed, u32::MAX, 0, rng::DESIGN);
    let mut points = vec![Vec::with_capacity(ranges.len()); n];
    for (key, lo, hi) in ranges {
        let mut strata: Vec<usize> = (0..n).collect();
        // Fisher-Yates with the design's stream.
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            strata.swap(i, j);
        }
        let whole = integer(key) && lo.fract() == 0.0 && hi.fract() == 0.0;
        for (p, s) in strata.into_iter().enumerate() {
            let u: f64 = rng.random();
            let v = lo + (hi - lo) * (s as f64 + u) / n as f64;
            points[p].push(fmt_value(v, whole));
        }
    }
    Ok(Design { keys, points })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floats(_: &str) -> bool {
        false
    }

    #[test]
    fn vary_lists_and_ranges() {
        let (k, v) = parse_vary("coordination.quality=0.2:0.8:0.2", floats).unwrap();
        assert_eq!(k, "coordination.quality");
        assert_eq!(v, ["0.2", "0.4", "0.6", "0.8"]);
        let (_, v) = parse_vary("district.villages=10:30:10", |_| true).unwrap();
        assert_eq!(v, ["10", "20", "30"]);
        let (_, v) = parse_vary("approach=ovop, kawasan", floats).unwrap();
        assert_eq!(v, ["ovop", "kawasan"]);
        for bad_arg in [
            "x", "a=", "a=1:2", "a=0:1:0", "a=1:0:1", "a.=1", "a=1,,2", "a=0:1:x",
        ] {
            assert!(parse_vary(bad_arg, floats).is_err(), "{bad_arg}");
        }
    }

    #[test]
    fn grid_is_full_with_first_key_slowest() {
        let d = grid(vec![
            ("a".into(), vec!["1".into(), "2".into()]),
            ("b".into(), vec!["x".into(), "y".into(), "z".into()]),
        ])
        .unwrap();
        assert_eq!(d.points.len(), 6);
        assert_eq!(d.points[0], ["1", "x"]);
        assert_eq!(d.points[2], ["1", "z"]);
        assert_eq!(d.points[3], ["2", "x"]);
        assert_eq!(d.sets(5), ["a=2", "b=z"]);
        assert!(
            grid(vec![
                ("a".into(), vec!["1".into()]),
                ("a".into(), vec!["2".into()])
            ])
            .is_err()
        );
    }

    #[test]
    fn latin_hypercube_uses_every_stratum_once() {
        let ranges = vec![("a".to_string(), 0.0, 1.0), ("b".to_string(), 10.0, 20.0)];
        let d = latin_hypercube(&ranges, 8, 7, floats).unwrap();
        assert_eq!(d.points.len(), 8);
        for (k, (_, lo, hi)) in ranges.iter().enumerate() {
            let mut strata: Vec<usize> = d
                .points
                .iter()
                .map(|p| {
                    let v: f64 = p[k].parse().unwrap();
                    assert!(v >= *lo && v <= *hi);
                    ((v - lo) / (hi - lo) * 8.0).floor() as usize
                })
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..8).collect::<Vec<_>>());
        }
        assert_eq!(d, latin_hypercube(&ranges, 8, 7, floats).unwrap());
        assert_ne!(d, latin_hypercube(&ranges, 8, 8, floats).unwrap());
        assert!(latin_hypercube(&ranges, 0, 7, floats).is_err());
        assert!(parse_range("a=1:0").is_err());
        assert_eq!(parse_range("a=1:2").unwrap(), ("a".into(), 1.0, 2.0));
    }
}
