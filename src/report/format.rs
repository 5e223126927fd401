//! Number and label formatting shared by charts and tables: thousands separators, display units, metric names and calendar labels.

use crate::metrics::{self, METRICS};

/// Formats `v` with `decimals` decimals and `sep` between thousands, e.g.
/// `1,234,567.8`; `minus` is put before negative numbers (`-`, or `$-$` for
/// LaTeX text). NaN and infinities print as `n/a`.
pub fn group_thousands(v: f64, decimals: usize, sep: &str, minus: &str) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut out = String::new();
    // Tiny negatives that round to zero would otherwise print as "-0".
    if v < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push_str(minus);
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Factor and unit text for showing values of a metric with unit `unit`.
///
/// Shares (units starting `share of`) are shown in percent, because readers
/// compare "23.4%" more easily than "0.234"; their differences are then
/// percentage points. Everything else keeps its declared unit.
pub fn display_unit(unit: &str, difference: bool) -> (f64, String) {
    match unit.strip_prefix("share of ") {
        Some(_) if difference => (100.0, "percentage points".to_string()),
        Some(rest) => (100.0, format!("% of {rest}")),
        None => (1.0, unit.to_string()),
    }
}

/// A unit as charts label it: money says it is in constant prices of the
/// start year, since every rupiah in the model is (see ODD).
pub fn priced_unit(unit: &str, start_year: i32) -> String {
    if unit.starts_with("Rp") {
        format!("{unit} ({start_year} prices)")
    } else {
        unit.to_string()
    }
}

/// The declared unit of a metric; empty for an unknown name.
pub fn metric_unit(name: &str) -> &'static str {
    metrics::index(name).map_or("", |i| METRICS[i].unit)
}

/// A reader's name for a metric: a short title for the common ones, the
/// declared description otherwise, the raw name for unknown ones.
pub fn metric_label(name: &str) -> String {
    let label = match name {
        "income_per_capita" => "Mean income per capita",
        "income_per_capita_median" => "Median income per capita",
        "poverty_rate" => "Poverty rate",
        "gini" => "Gini coefficient of income",
        "jobs_agroindustry" => "Agro-industry jobs",
        "employment_share_agroindustry" => "Agro-industry share of employment",
        "aware_share" => "Households aware of OVOP",
        "member_share" => "Households in producer groups",
        "groups_active" => "Active producer groups",
        "partnerships_active" => "Group-firm partnerships",
        "value_added" => "Value added",
        "exports" => "Exports",
        _ => {
            return metrics::index(name)
                .map_or(name.to_string(), |i| first_upper(METRICS[i].description));
        }
    };
    label.to_string()
}

fn first_upper(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Label of simulated year `year` (month `12 * year`): `year 0 (initial)` or
/// `year 5 (Dec 2029)` when month 1 is January `start_year`.
pub fn year_label(start_year: i32, year: u32) -> String {
    if year == 0 {
        "year 0 (initial)".to_string()
    } else {
        format!("year {year} (Dec {})", start_year + year as i32 - 1)
    }
}

/// Decimals that show the largest confidence half-width to two significant
/// digits (0 to 3), so a whole table block shares one precision that its
/// least precise estimate supports; with no positive half-width (one
/// replication), decimals by the largest magnitude instead.
///
/// Half-widths below a billionth of the largest magnitude count as zero:
/// they are rounding noise of a degenerate interval, not precision.
pub fn decimals_for(half_widths: &[f64], magnitudes: &[f64]) -> usize {
    let largest = magnitudes
        .iter()
        .copied()
        .filter(|m| m.is_finite())
        .fold(0.0_f64, |a, m| a.max(m.abs()));
    let noise = largest * 1e-9;
    let widest = half_widths
        .iter()
        .copied()
        .filter(|h| h.is_finite() && *h > noise && *h > 0.0)
        .fold(0.0_f64, f64::max);
    if widest > 0.0 {
        return (1.0 - widest.log10().floor()).clamp(0.0, 3.0) as usize;
    }
    if largest >= 100.0 {
        0
    } else if largest >= 1.0 {
        2
    } else {
        3
    }
}

/// File-name-safe form of a scenario name: lowercase ASCII letters, digits and `_`.
pub fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "scenario".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_and_signs() {
        assert_eq!(group_thousands(1_234_567.0, 0, ",", "-"), "1,234,567");
        assert_eq!(group_thousands(-1234.56, 1, ",", "-"), "-1,234.6");
        assert_eq!(group_thousands(999.0, 0, ",", "-"), "999");
        assert_eq!(group_thousands(-0.001, 1, ",", "-"), "0.0");
        assert_eq!(group_thousands(-12345.0, 0, "\\,", "$-$"), "$-$12\\,345");
        assert_eq!(group_thousands(f64::NAN, 2, ",", "-"), "n/a");
    }

    #[test]
    fn units_labels_and_decimals() {
        assert_eq!(
            display_unit("share of people", false),
            (100.0, "% of people".into())
        );
        assert_eq!(display_unit("share of people", true).1, "percentage points");
        assert_eq!(display_unit("jobs", true), (1.0, "jobs".into()));
        assert_eq!(metric_label("poverty_rate"), "Poverty rate");
        assert_eq!(metric_label("jobs_firm"), "Lead-firm employees");
        assert_eq!(metric_label("nonsense"), "nonsense");
        assert_eq!(year_label(2025, 0), "year 0 (initial)");
        assert_eq!(year_label(2025, 5), "year 5 (Dec 2029)");
        assert_eq!(decimals_for(&[5_000.0, 12_000.0], &[]), 0);
        assert_eq!(decimals_for(&[0.0, 0.5], &[]), 2);
        assert_eq!(decimals_for(&[0.63, 137.0], &[1077.0]), 0);
        assert_eq!(decimals_for(&[3.2], &[]), 1);
        assert_eq!(decimals_for(&[0.0], &[1.5e6]), 0);
        assert_eq!(decimals_for(&[], &[0.2]), 3);
        // A collapsed interval's rounding noise does not ask for decimals.
        assert_eq!(decimals_for(&[1e-13, 248.0], &[150.0]), 0);
        assert_eq!(slug("OVOP full-programme"), "ovop_full_programme");
    }
}
