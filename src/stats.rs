//! Summary statistics over replications and weighted distribution measures over agents.
//!
//! Every sum runs sequentially in the order given, so the same inputs give
//! bit-identical outputs whatever the thread count of the caller.

/// Distribution of one quantity over replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of samples.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (denominator n - 1); 0 for a single sample.
    pub sd: f64,
    /// Lower end of the 95% confidence interval of the mean (Student t).
    pub ci95_low: f64,
    /// Upper end of the 95% confidence interval of the mean (Student t).
    pub ci95_high: f64,
    /// 5th percentile (linear interpolation, R type 7).
    pub p05: f64,
    /// Median (linear interpolation, R type 7).
    pub p50: f64,
    /// 95th percentile (linear interpolation, R type 7).
    pub p95: f64,
}

/// Mean difference `b - a` of paired samples with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedDiff {
    /// Mean of `b[i] - a[i]`.
    pub mean: f64,
    /// Lower end of the 95% confidence interval of the mean difference.
    pub ci95_low: f64,
    /// Upper end of the 95% confidence interval of the mean difference.
    pub ci95_high: f64,
}

/// Mean, sample sd and 95% t interval of the mean; NaN everywhere for no samples.
fn mean_sd_ci(samples: &[f64]) -> (f64, f64, f64, f64) {
    let n = samples.len();
    if n == 0 {
        return (f64::NAN, f64::NAN, f64::NAN, f64::NAN);
    }
    let mut sum = 0.0;
    for &x in samples {
        sum += x;
    }
    let mean = sum / n as f64;
    if n == 1 {
        return (mean, 0.0, mean, mean);
    }
    // Two-pass variance: the one-pass formula loses precision when the mean
    // is large compared with the spread (incomes in Rp are ~1e6).
    let mut ss = 0.0;
    for &x in samples {
        let d = x - mean;
        ss += d * d;
    }
    let sd = (ss / (n - 1) as f64).sqrt();
    let half = t_quantile_975(n - 1) * sd / (n as f64).sqrt();
    (mean, sd, mean - half, mean + half)
}

/// Quantile `p` of sorted data by linear interpolation between order statistics (R type 7).
fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Quantiles `ps` (each in 0..=1) of unsorted samples, R type 7 (also numpy's
/// default and Python's `statistics.quantiles(method="inclusive")`).
///
/// Sorts a copy once for all `ps`. NaN for every `p` when there are no samples.
pub fn quantiles(samples: &[f64], ps: &[f64]) -> Vec<f64> {
    if samples.is_empty() {
        return vec![f64::NAN; ps.len()];
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    ps.iter()
        .map(|&p| quantile_sorted(&sorted, p.clamp(0.0, 1.0)))
        .collect()
}

/// Summarises samples (usually one metric at one month across replications).
///
/// With no samples every statistic is NaN and `n` is 0; with one sample the
/// standard deviation is 0 and the interval collapses to the value.
pub fn summarize(samples: &[f64]) -> Summary {
    let n = samples.len();
    let (mean, sd, ci95_low, ci95_high) = mean_sd_ci(samples);
    if n == 0 {
        return Summary {
            n,
            mean,
            sd,
            ci95_low,
            ci95_high,
            p05: f64::NAN,
            p50: f64::NAN,
            p95: f64::NAN,
        };
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    Summary {
        n,
        mean,
        sd,
        ci95_low,
        ci95_high,
        p05: quantile_sorted(&sorted, 0.05),
        p50: quantile_sorted(&sorted, 0.50),
        p95: quantile_sorted(&sorted, 0.95),
    }
}

/// 0.975 quantiles of Student's t for df = 1..=30 (two-sided 95% critical values).
const T975: [f64; 30] = [
    12.706_204_736_2,
    4.302_652_729_75,
    3.182_446_305_28,
    2.776_445_105_2,
    2.570_581_835_64,
    2.446_911_851_14,
    2.364_624_251_59,
    2.306_004_135_2,
    2.262_157_162_8,
    2.228_138_851_99,
    2.200_985_160_09,
    2.178_812_829_67,
    2.160_368_656_46,
    2.144_786_687_92,
    2.131_449_545_56,
    2.119_905_299_22,
    2.109_815_577_83,
    2.100_922_040_24,
    2.093_024_054_41,
    2.085_963_447_27,
    2.079_613_844_73,
    2.073_873_067_9,
    2.068_657_610_42,
    2.063_898_561_63,
    2.059_538_552_75,
    2.055_529_438_64,
    2.051_830_516_48,
    2.048_407_141_8,
    2.045_229_642_13,
    2.042_272_456_3,
];

/// Two-sided 95% critical value of Student's t (the 0.975 quantile) for `df` degrees of freedom.
///
/// Exact table for df <= 30; above that the Cornish-Fisher expansion around
/// the normal quantile (Abramowitz & Stegun 26.7.5, four terms), whose error
/// at df = 31 is below 1e-7 and shrinks with df. `df = 0` is treated as 1.
pub fn t_quantile_975(df: usize) -> f64 {
    if df <= T975.len() {
        return T975[df.max(1) - 1];
    }
    let z: f64 = 1.959_963_984_540_054;
    let v = df as f64;
    let z2 = z * z;
    let z3 = z2 * z;
    let z5 = z3 * z2;
    let z7 = z5 * z2;
    let z9 = z7 * z2;
    let g1 = (z3 + z) / 4.0;
    let g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
    let g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
    let g4 = (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92_160.0;
    z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v)
}

/// Mean of `b[i] - a[i]` with a paired t interval.
///
/// Pairing by index is what makes common random numbers pay off: replication
/// r of both scenarios shares its seed, so the noise largely cancels.
///
/// # Panics
/// If `a` and `b` differ in length (callers guarantee equal replication counts).
pub fn paired_diff(a: &[f64], b: &[f64]) -> PairedDiff {
    assert_eq!(a.len(), b.len(), "paired samples must have equal length");
    let diffs: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let (mean, _sd, ci95_low, ci95_high) = mean_sd_ci(&diffs);
    PairedDiff {
        mean,
        ci95_low,
        ci95_high,
    }
}

/// Gini coefficient of `(value, weight)` pairs; sorts the slice by value in place.
///
/// Weights act as population counts (a household of 5 counts as 5 people with
/// the same income per capita), so weighting equals repeating values. Negative
/// values count as 0 and negative weights as 0, because the Gini of incomes is
/// only defined for non-negative amounts. Returns 0 for an empty slice, zero
/// total weight or zero total income.
pub fn gini_weighted(values_and_weights: &mut [(f64, f64)]) -> f64 {
    values_and_weights.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    // Sorting before clamping keeps the clamped values non-decreasing,
    // because every negative value sorts before every non-negative one.
    let mut total_w = 0.0;
    let mut total_s = 0.0;
    // Twice the area under the Lorenz curve, scaled by W * S (trapezoids).
    let mut lorenz = 0.0;
    for &(x, w) in values_and_weights.iter() {
        let x = x.max(0.0);
        let w = w.max(0.0);
        let s_before = total_s;
        total_s += w * x;
        total_w += w;
        lorenz += w * (s_before + total_s);
    }
    if total_w <= 0.0 || total_s <= 0.0 {
        return 0.0;
    }
    1.0 - lorenz / (total_w * total_s)
}

/// Weighted median of `(value, weight)` pairs; sorts the slice by value in place.
///
/// The value at which the cumulative weight first reaches half the total;
/// when it lands exactly on half, the midpoint with the next positive-weight
/// value, so equal weights give the ordinary median. Negative weights count
/// as 0. Returns 0 for an empty slice or zero total weight, so a metric row
/// never carries NaN.
pub fn weighted_median(values_and_weights: &mut [(f64, f64)]) -> f64 {
    values_and_weights.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut total_w = 0.0;
    for &(_, w) in values_and_weights.iter() {
        total_w += w.max(0.0);
    }
    if total_w <= 0.0 {
        return 0.0;
    }
    let half = total_w / 2.0;
    let mut cum = 0.0;
    for (i, &(x, w)) in values_and_weights.iter().enumerate() {
        let w = w.max(0.0);
        if w == 0.0 {
            continue;
        }
        cum += w;
        if cum > half {
            return x;
        }
        if cum == half {
            let next = values_and_weights[i + 1..]
                .iter()
                .find(|&&(_, w)| w > 0.0)
                .map_or(x, |&(y, _)| y);
            return (x + next) / 2.0;
        }
    }
    // Rounding can leave `cum` a hair under `half`; the largest value is then the answer.
    values_and_weights
        .iter()
        .rev()
        .find(|&&(_, w)| w > 0.0)
        .map_or(0.0, |&(x, _)| x)
}

/// Distribution of income per capita over people, as weights in fine bins.
///
/// At national scale (tens of millions of households) sorting every month
/// to get the median and the Gini is too slow, and a buffer of every
/// household's income is gigabytes. Instead each value falls in a bin given
/// by its first 10 binary digits (1,024 bins per doubling, each at most
/// 0.1% wide; the value stands for the bin's midpoint, at most 0.05% off).
/// Weights are integers (people), so histograms filled in any order or on
/// any number of threads add up to exactly the same counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// People per bin. `u32` halves the array, so the bins a month touches
    /// stay in the first-level cache while villages fill them; a bin would
    /// need over 4 billion people to overflow (`World::observe` checks the
    /// population).
    /// A fixed-size array, so that filling it needs no bounds check.
    counts: Box<[u32; HIST_BINS]>,
}

/// Lowest and highest doubling covered: 2^12 = Rp4,096 to 2^32 = Rp4.3 billion
/// per person per month. Smaller values count in the first bin as 0, larger
/// ones in the last bin.
const HIST_LOW_EXP: u64 = 12;
const HIST_HIGH_EXP: u64 = 32;
/// Binary digits of the mantissa kept in a bin index.
const HIST_DIGITS: u64 = 10;
const HIST_SHIFT: u64 = 52 - HIST_DIGITS;
const HIST_FIRST: u64 = (1023 + HIST_LOW_EXP) << HIST_DIGITS;
const HIST_BINS: usize = ((HIST_HIGH_EXP - HIST_LOW_EXP) << HIST_DIGITS) as usize;

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

impl Histogram {
    pub fn new() -> Self {
        Self {
            counts: Box::new([0; HIST_BINS]),
        }
    }

    /// Bin of a value: its sign, exponent and first mantissa digits, less the lowest bin's.
    fn bin(x: f64) -> usize {
        if x.is_nan() || x <= 0.0 {
            return 0;
        }
        let key = x.to_bits() >> HIST_SHIFT;
        (key.saturating_sub(HIST_FIRST) as usize).min(HIST_BINS - 1)
    }

    /// Value that bin `b` stands for: the midpoint of its range (0 for the first).
    fn value(b: usize) -> f64 {
        if b == 0 {
            return 0.0;
        }
        let lo = f64::from_bits((HIST_FIRST + b as u64) << HIST_SHIFT);
        let hi = f64::from_bits((HIST_FIRST + b as u64 + 1) << HIST_SHIFT);
        0.5 * (lo + hi)
    }

    /// Whether every value within `steps` representable doubles of `x`
    /// falls in the same bin as `x` (bins start at multiples of
    /// `2^HIST_SHIFT` in the bit pattern, so this is a test of the low bits).
    #[inline]
    pub fn well_inside_bin(x: f64, steps: u64) -> bool {
        let low = x.to_bits() & ((1u64 << HIST_SHIFT) - 1);
        low >= steps && low < (1u64 << HIST_SHIFT) - steps
    }

    /// Empties every bin.
    pub fn clear(&mut self) {
        self.counts.fill(0);
    }

    /// Adds `weight` people at value `x`.
    #[inline]
    pub fn add(&mut self, x: f64, weight: u32) {
        let c = &mut self.counts[Self::bin(x)];
        *c = c.wrapping_add(weight);
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
            *a = a.wrapping_add(*b);
        }
    }

    /// Weighted median, with the same rule as `weighted_median` on the bin values.
    pub fn median(&self) -> f64 {
        let total: u64 = self.counts.iter().map(|&c| u64::from(c)).sum();
        if total == 0 {
            return 0.0;
        }
        // Compare twice the cumulative weight with the total: exact in integers.
        let mut cum = 0u64;
        for (b, &w) in self.counts.iter().enumerate() {
            if w == 0 {
                continue;
            }
            cum += u64::from(w);
            if 2 * cum > total {
                return Self::value(b);
            }
            if 2 * cum == total {
                let next = (b + 1..HIST_BINS)
                    .find(|&n| self.counts[n] > 0)
                    .map_or(Self::value(b), Self::value);
                return 0.5 * (Self::value(b) + next);
            }
        }
        0.0
    }

    /// Weighted Gini coefficient, with the same formula as `gini_weighted` on the bin values.
    pub fn gini(&self) -> f64 {
        let mut total_w = 0.0;
        let mut total_s = 0.0;
        let mut lorenz = 0.0;
        for (b, &w) in self.counts.iter().enumerate() {
            if w == 0 {
                continue;
            }
            let w = f64::from(w);
            let s_before = total_s;
            total_s += w * Self::value(b);
            total_w += w;
            lorenz += w * (s_before + total_s);
        }
        if total_w <= 0.0 || total_s <= 0.0 {
            return 0.0;
        }
        1.0 - lorenz / (total_w * total_s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn t_quantile_matches_known_values() {
        let known = [
            (1, 12.7062),
            (2, 4.3027),
            (10, 2.2281),
            (30, 2.0423),
            (31, 2.039_513_446_4),
            (40, 2.021_075_390_31),
            (60, 2.000_297_822_01),
            (100, 1.9840),
            (120, 1.979_930_405_08),
            (1000, 1.9623),
            (1_000_000, 1.959_966_356_81),
        ];
        for (df, t) in known {
            let got = t_quantile_975(df);
            assert!(close(got, t, 1e-4), "df {df}: {got} vs {t}");
        }
        // The expansion must join the table smoothly (no jump at df 30/31).
        assert!(t_quantile_975(31) < t_quantile_975(30));
        assert!(close(t_quantile_975(31), 2.039_513_446_4, 1e-7));
    }

    #[test]
    fn summarize_known_sample() {
        let s = summarize(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.n, 8);
        assert!(close(s.mean, 5.0, 1e-12));
        // Sample variance = 32 / 7.
        assert!(close(s.sd, (32.0f64 / 7.0).sqrt(), 1e-12));
        let half = 2.364_624_251_59 * s.sd / 8f64.sqrt();
        assert!(close(s.ci95_low, 5.0 - half, 1e-9));
        assert!(close(s.ci95_high, 5.0 + half, 1e-9));
        // R: quantile(c(2,4,4,4,5,5,7,9), c(.05,.5,.95)) = 2.70 4.50 8.30
        assert!(close(s.p05, 2.7, 1e-12));
        assert!(close(s.p50, 4.5, 1e-12));
        assert!(close(s.p95, 8.3, 1e-12));
    }

    #[test]
    fn t_interval_matches_r_t_test() {
        // R: t.test(c(2,4,4,4,5,5,7,9))$conf.int = 3.212512 6.787488
        // (half-width qt(0.975, 7) * sd / sqrt(8); also checked with Python's
        // statistics.stdev and scipy's t.ppf(0.975, 7) = 2.364624251592785).
        let s = summarize(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert!(
            close(s.ci95_low, 3.212_512_081_763_79, 1e-9),
            "{}",
            s.ci95_low
        );
        assert!(
            close(s.ci95_high, 6.787_487_918_236_21, 1e-9),
            "{}",
            s.ci95_high
        );
    }

    #[test]
    fn paired_interval_matches_r_paired_t_test() {
        // R: t.test(b, a, paired = TRUE) with a = 1:5, b = c(2,4,5,4,8):
        // differences 1,2,2,0,3; mean 1.6; conf.int 0.1842852 3.0157148.
        let d = paired_diff(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 4.0, 5.0, 4.0, 8.0]);
        assert!(close(d.mean, 1.6, 1e-12));
        assert!(
            close(d.ci95_low, 0.184_285_223_017_725, 1e-9),
            "{}",
            d.ci95_low
        );
        assert!(
            close(d.ci95_high, 3.015_714_776_982_275, 1e-9),
            "{}",
            d.ci95_high
        );
    }

    #[test]
    fn quantiles_match_r_type_7() {
        // R: quantile(c(2,4,4,4,5,5,7,9), c(.025,.25,.75,.975)) = 2.35 4.00 5.50 8.65
        // (Python: statistics.quantiles(x, n=40, method="inclusive") agrees).
        let q = quantiles(
            &[9.0, 4.0, 2.0, 5.0, 4.0, 7.0, 4.0, 5.0],
            &[0.025, 0.25, 0.75, 0.975],
        );
        let expected = [2.35, 4.0, 5.5, 8.65];
        for (got, want) in q.iter().zip(expected) {
            assert!(close(*got, want, 1e-12), "{q:?}");
        }
        assert_eq!(quantiles(&[1.0, 3.0], &[0.0, 1.0]), vec![1.0, 3.0]);
        assert!(quantiles(&[], &[0.5])[0].is_nan());
    }

    #[test]
    fn summarize_is_order_independent_for_quantiles() {
        let a = summarize(&[9.0, 2.0, 5.0, 4.0, 7.0]);
        let b = summarize(&[2.0, 4.0, 5.0, 7.0, 9.0]);
        assert_eq!(a.p05, b.p05);
        assert_eq!(a.p50, 5.0);
        assert_eq!(a.p95, b.p95);
    }

    #[test]
    fn summarize_single_and_empty() {
        let s = summarize(&[3.5]);
        assert_eq!((s.n, s.mean, s.sd), (1, 3.5, 0.0));
        assert_eq!((s.ci95_low, s.ci95_high), (3.5, 3.5));
        assert_eq!((s.p05, s.p50, s.p95), (3.5, 3.5, 3.5));
        let e = summarize(&[]);
        assert_eq!(e.n, 0);
        assert!(e.mean.is_nan() && e.p50.is_nan());
    }

    #[test]
    fn paired_diff_uses_differences_not_groups() {
        // Large between-replication spread, constant difference of 1: the
        // paired interval must be degenerate at 1, an unpaired one would not be.
        let a = [10.0, 100.0, 1000.0];
        let b = [11.0, 101.0, 1001.0];
        let d = paired_diff(&a, &b);
        assert!(close(d.mean, 1.0, 1e-12));
        assert!(close(d.ci95_low, 1.0, 1e-9));
        assert!(close(d.ci95_high, 1.0, 1e-9));

        let d = paired_diff(&[0.0, 0.0], &[1.0, 3.0]);
        // diffs 1, 3: mean 2, sd sqrt(2), half = 12.7062 * sqrt(2) / sqrt(2).
        assert!(close(d.mean, 2.0, 1e-12));
        assert!(close(d.ci95_high - d.mean, 12.706_204_736_2, 1e-9));
    }

    #[test]
    #[should_panic]
    fn paired_diff_rejects_unequal_lengths() {
        paired_diff(&[1.0], &[1.0, 2.0]);
    }

    #[test]
    fn gini_known_values() {
        let mut v = [(0.0, 1.0), (0.0, 1.0), (0.0, 1.0), (1.0, 1.0)];
        assert!(close(gini_weighted(&mut v), 0.75, 1e-12));
        let mut eq = [(5.0, 2.0), (5.0, 3.0), (5.0, 1.0)];
        assert!(close(gini_weighted(&mut eq), 0.0, 1e-12));
        // [1, 2, 3, 4]: mean abs difference 20/16, mean 2.5 -> 0.25.
        let mut v = [(4.0, 1.0), (2.0, 1.0), (3.0, 1.0), (1.0, 1.0)];
        assert!(close(gini_weighted(&mut v), 0.25, 1e-12));
    }

    #[test]
    fn gini_weights_equal_repetition() {
        let mut weighted = [(3.0, 2.0), (1.0, 3.0), (10.0, 1.0), (0.5, 4.0)];
        let mut repeated = [
            (3.0, 1.0),
            (3.0, 1.0),
            (1.0, 1.0),
            (1.0, 1.0),
            (1.0, 1.0),
            (10.0, 1.0),
            (0.5, 1.0),
            (0.5, 1.0),
            (0.5, 1.0),
            (0.5, 1.0),
        ];
        let g = gini_weighted(&mut weighted);
        assert!(close(g, gini_weighted(&mut repeated), 1e-12));
        assert!(g > 0.0 && g < 1.0);
    }

    #[test]
    fn gini_clamps_negatives_and_handles_degenerate_input() {
        let mut neg = [(-5.0, 1.0), (0.0, 1.0), (0.0, 1.0), (1.0, 1.0)];
        assert!(close(gini_weighted(&mut neg), 0.75, 1e-12));
        assert_eq!(gini_weighted(&mut []), 0.0);
        assert_eq!(gini_weighted(&mut [(1.0, 0.0)]), 0.0);
        assert_eq!(gini_weighted(&mut [(0.0, 3.0)]), 0.0);
    }

    #[test]
    fn weighted_median_cases() {
        // Equal weights give the ordinary median, odd and even.
        assert_eq!(
            weighted_median(&mut [(3.0, 1.0), (1.0, 1.0), (2.0, 1.0)]),
            2.0
        );
        assert_eq!(
            weighted_median(&mut [(4.0, 1.0), (1.0, 1.0), (3.0, 1.0), (2.0, 1.0)]),
            2.5
        );
        // A heavy household pulls the median to its value.
        assert_eq!(
            weighted_median(&mut [(1.0, 1.0), (2.0, 1.0), (100.0, 5.0)]),
            100.0
        );
        // Weights equal repetition: [1,1,2,2] -> 1.5.
        assert_eq!(weighted_median(&mut [(2.0, 2.0), (1.0, 2.0)]), 1.5);
        // Zero-weight items are skipped when taking the midpoint.
        assert_eq!(
            weighted_median(&mut [(1.0, 1.0), (50.0, 0.0), (3.0, 1.0)]),
            2.0
        );
        // Negative values are kept (median income can be negative).
        assert_eq!(weighted_median(&mut [(-4.0, 3.0), (1.0, 1.0)]), -4.0);
        assert_eq!(weighted_median(&mut []), 0.0);
        assert_eq!(weighted_median(&mut [(7.0, 0.0)]), 0.0);
    }

    #[test]
    fn histogram_matches_exact_median_and_gini_within_bin_width() {
        // Log-normal-like incomes from a fixed sequence, weights 1 to 6.
        let mut pairs = Vec::new();
        let mut hist = Histogram::new();
        let mut z: u64 = 12345;
        for i in 0..20_000 {
            z = z
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (z >> 11) as f64 / (1u64 << 53) as f64;
            let x = 1e6 * (3.0 * (u - 0.5)).exp();
            let w = 1 + i % 6;
            pairs.push((x, w as f64));
            hist.add(x, w);
        }
        let median = weighted_median(&mut pairs.clone());
        let gini = gini_weighted(&mut pairs);
        assert!(
            (hist.median() / median - 1.0).abs() < 1e-3,
            "{}",
            hist.median()
        );
        assert!(
            (hist.gini() - gini).abs() < 1e-3,
            "{} vs {gini}",
            hist.gini()
        );
        // Filling in two halves and merging gives the same counts.
        let mut a = Histogram::new();
        let mut b = Histogram::new();
        for (i, &(x, w)) in pairs.iter().enumerate() {
            if i % 2 == 0 { &mut a } else { &mut b }.add(x, w as u32);
        }
        a.merge(&b);
        assert_eq!(a, hist);
    }

    #[test]
    fn histogram_edge_cases() {
        let mut h = Histogram::new();
        assert_eq!(h.median(), 0.0);
        assert_eq!(h.gini(), 0.0);
        h.add(-5.0, 1);
        h.add(1e12, 1);
        assert_eq!(
            h.gini(),
            1.0 - 1.0 / 2.0,
            "one poor, one rich of two people"
        );
        let mut even = Histogram::new();
        even.add(1_000_000.0, 1);
        even.add(3_000_000.0, 1);
        assert!((even.median() / 2e6 - 1.0).abs() < 1e-3);
    }
}
