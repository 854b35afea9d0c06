//! Sample quantiles by name: the nine definitions of Hyndman & Fan (1996), two order-statistic
//! conventions kd's binning uses, cut points for quantile groups, and SAS `PROC RANK` groups.
//!
//! Hyndman & Fan, "Sample quantiles in statistical packages", *The American Statistician*
//! 50(4), 1996. With `x₍₁₎ ≤ … ≤ x₍ₙ₎` the sorted sample and `p ∈ [0, 1]`:
//!
//! | definition | Hyndman–Fan | `Q(p)` | also |
//! |---|---|---|---|
//! | [`InvertedCdf`](QuantileDef::InvertedCdf) | 1 | `x₍⌈np⌉₎`, the inverse of the empirical distribution function | numpy `inverted_cdf`, SAS `PCTLDEF=3` |
//! | [`AveragedInvertedCdf`](QuantileDef::AveragedInvertedCdf) | 2 | as 1, but the mean of `x₍np₎` and `x₍np+1₎` when `np` is a whole number | numpy `averaged_inverted_cdf`, SAS `PCTLDEF=5` (PROC UNIVARIATE's default) |
//! | [`ClosestObservation`](QuantileDef::ClosestObservation) | 3 | `x₍k₎`, `k` the whole number nearest `np`, halves to even | numpy `closest_observation`, SAS `PCTLDEF=2` |
//! | [`InterpolatedInvertedCdf`](QuantileDef::InterpolatedInvertedCdf) | 4 | linear at position `np` | numpy `interpolated_inverted_cdf`, SAS `PCTLDEF=1` |
//! | [`Hazen`](QuantileDef::Hazen) | 5 | linear at `np + ½` | numpy `hazen` |
//! | [`Weibull`](QuantileDef::Weibull) | 6 | linear at `(n + 1)p` | numpy `weibull`, SAS `PCTLDEF=4`, SPSS, Minitab |
//! | [`Linear`](QuantileDef::Linear) | 7 | linear at `(n − 1)p + 1` | R's and numpy's default, Excel `PERCENTILE.INC` |
//! | [`MedianUnbiased`](QuantileDef::MedianUnbiased) | 8 | linear at `(n + ⅓)p + ⅓` | numpy `median_unbiased` (Hyndman & Fan's recommendation) |
//! | [`NormalUnbiased`](QuantileDef::NormalUnbiased) | 9 | linear at `(n + ¼)p + ⅜` | numpy `normal_unbiased` |
//! | [`UpperInvertedCdf`](QuantileDef::UpperInvertedCdf) | — | `x₍⌊np⌋+1₎ = inf{x : F(x) > p}` | kd's histogram bins |
//! | [`RoundedLinear`](QuantileDef::RoundedLinear) | — | `x₍k₎`, `k − 1` the type-7 position `(n − 1)p` rounded, halves away from zero | kd's bootstrap percentiles |
//!
//! "Linear at position `h`" means `x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)`, with positions below 1
//! giving `x₍₁₎` and above `n` giving `x₍ₙ₎`. The discontinuous definitions (1, 2, 3 and the two
//! order-statistic ones) take exact positions for quantiles at fractions `k/g`
//! ([`quantile_at`]); for a real `p` a position within `4ε·max(1, np)` of a whole number counts
//! as whole (R's `quantile` fuzz, made relative). Agreement: numpy 2.4's nine methods and R 4.2's
//! `quantile(type = 1:9)` to 1e-12 (tests/golden/quantile).
//!
//! `groups.rs` turns quantiles into groups: inner cut points, R's `cut` of the quantiles, and SAS
//! `PROC RANK GROUPS=`.

mod groups;

pub use groups::{Binning, Grouping, Ties, group_of, quantile_cuts, rank_group_cuts, rank_groups};

use serde::{Deserialize, Serialize};

/// A definition of the sample quantile (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuantileDef {
    /// Hyndman–Fan type 1: `x₍⌈np⌉₎`.
    InvertedCdf,
    /// Hyndman–Fan type 2: type 1 averaged at the jumps of the empirical distribution.
    AveragedInvertedCdf,
    /// Hyndman–Fan type 3: the order statistic nearest `np`, halves to the even one.
    ClosestObservation,
    /// Hyndman–Fan type 4: linear interpolation of the empirical distribution function.
    InterpolatedInvertedCdf,
    /// Hyndman–Fan type 5: piecewise linear through the midpoints of the jumps.
    Hazen,
    /// Hyndman–Fan type 6: `p(k) = k/(n + 1)`, the mean of the `k`-th order statistic's
    /// uniform transform.
    Weibull,
    /// Hyndman–Fan type 7: `p(k) = (k − 1)/(n − 1)`.
    Linear,
    /// Hyndman–Fan type 8: approximately median-unbiased.
    MedianUnbiased,
    /// Hyndman–Fan type 9: approximately unbiased for normal data.
    NormalUnbiased,
    /// `x₍⌊np⌋+1₎`: the right-continuous inverse of the empirical distribution function (equal
    /// to type 1 except where `np` is a whole number, where it takes the next order statistic).
    UpperInvertedCdf,
    /// The order statistic at the type-7 position rounded: `x₍round((n − 1)p) + 1₎`, halves
    /// away from zero (numpy's `nearest` rounds halves to even).
    RoundedLinear,
}

/// Every definition, Hyndman–Fan types 1–9 first.
pub const ALL: [QuantileDef; 11] = [
    QuantileDef::InvertedCdf,
    QuantileDef::AveragedInvertedCdf,
    QuantileDef::ClosestObservation,
    QuantileDef::InterpolatedInvertedCdf,
    QuantileDef::Hazen,
    QuantileDef::Weibull,
    QuantileDef::Linear,
    QuantileDef::MedianUnbiased,
    QuantileDef::NormalUnbiased,
    QuantileDef::UpperInvertedCdf,
    QuantileDef::RoundedLinear,
];

impl QuantileDef {
    /// The Hyndman–Fan type (1–9), if the definition is one of theirs.
    pub fn hyndman_fan_type(self) -> Option<u8> {
        ALL.iter().position(|&d| d == self).filter(|&i| i < 9).and_then(|i| u8::try_from(i + 1).ok())
    }

    /// The definition of Hyndman–Fan type `t` (1–9).
    pub fn from_hyndman_fan_type(t: u8) -> Option<Self> {
        ALL.get(usize::from(t).checked_sub(1)?).copied().filter(|_| t <= 9)
    }

    /// `(α, β)` of a continuous definition: position `h = p(n + 1 − α − β) + α`.
    fn plotting_constants(self) -> Option<(f64, f64)> {
        match self {
            QuantileDef::InterpolatedInvertedCdf => Some((0.0, 1.0)),
            QuantileDef::Hazen => Some((0.5, 0.5)),
            QuantileDef::Weibull => Some((0.0, 0.0)),
            QuantileDef::Linear => Some((1.0, 1.0)),
            QuantileDef::MedianUnbiased => Some((1.0 / 3.0, 1.0 / 3.0)),
            QuantileDef::NormalUnbiased => Some((3.0 / 8.0, 3.0 / 8.0)),
            _ => None,
        }
    }
}

/// A probability, exact when it is a fraction `k/g` (cut points of `g` groups).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Prob {
    Fraction(usize, usize),
    Real(f64),
}

/// `np` as a whole part and a remainder class, exactly for fractions and within the relative
/// fuzz for reals: `(⌊np⌋, np is whole, 2·frac(np) compared with 1)`.
struct Position {
    whole: usize,
    is_whole: bool,
    /// `frac(np)` against ½: less, equal or greater.
    half: std::cmp::Ordering,
}

fn position(n: usize, p: Prob) -> Position {
    use std::cmp::Ordering;
    match p {
        Prob::Fraction(k, g) => {
            // k ≤ g and n are row counts, so k·n fits in u128 without overflow.
            let (num, den) = (k as u128 * n as u128, g as u128);
            let (whole, rest) = (num / den, num % den);
            Position { whole: whole as usize, is_whole: rest == 0, half: (2 * rest).cmp(&den) }
        }
        Prob::Real(p) => {
            let np = n as f64 * p;
            let fuzz = 4.0 * f64::EPSILON * np.abs().max(1.0);
            let whole = (np + fuzz).floor();
            // Within the fuzz of a whole number `frac` is (about) 0, possibly just below it.
            let frac = if (np - whole).abs() < fuzz { 0.0 } else { np - whole };
            let half = if (frac - 0.5).abs() < fuzz { Ordering::Equal } else { frac.total_cmp(&0.5) };
            Position { whole: whole.max(0.0) as usize, is_whole: frac == 0.0, half }
        }
    }
}

/// The 1-based order statistic `k` that a definition picking one observation takes as the
/// quantile `p` of `n` values (`Q(p) = x₍k₎`): types 1 and 3 and the two order-statistic
/// conventions. `None` for the definitions that average or interpolate, for `n = 0` and for a
/// `p` outside [0, 1]. Useful for weighted samples: walk the cumulative counts to `k`.
pub fn order_statistic(n: usize, p: f64, def: QuantileDef) -> Option<usize> {
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    rank(n, Prob::Real(p), def)
}

fn rank(n: usize, p: Prob, def: QuantileDef) -> Option<usize> {
    let at = position(n, p);
    let k = match def {
        QuantileDef::InvertedCdf => at.whole + usize::from(!at.is_whole),
        QuantileDef::ClosestObservation => {
            let up = match at.half {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Less => false,
                std::cmp::Ordering::Equal => at.whole % 2 == 1,
            };
            at.whole + usize::from(up)
        }
        QuantileDef::UpperInvertedCdf => at.whole + 1,
        QuantileDef::RoundedLinear => {
            let real = match p {
                Prob::Fraction(k, g) => k as f64 / g as f64,
                Prob::Real(p) => p,
            };
            ((n - 1) as f64 * real).round() as usize + 1
        }
        _ => return None,
    };
    Some(k.clamp(1, n))
}

/// The quantile `p` of `sorted` (ascending, finite) by `def`; `None` for an empty sample or a
/// `p` outside [0, 1].
pub fn quantile(sorted: &[f64], p: f64, def: QuantileDef) -> Option<f64> {
    if !(0.0..=1.0).contains(&p) {
        return None;
    }
    quantile_of(sorted, Prob::Real(p), def)
}

/// The quantile at the fraction `k/g` of `sorted` by `def`, with the position computed exactly
/// for the discontinuous definitions (so that, for example, type 1 at `k/g` is
/// `x₍⌈kn/g⌉₎` for every `n`); `None` for an empty sample or `k > g` or `g = 0`.
pub fn quantile_at(sorted: &[f64], k: usize, g: usize, def: QuantileDef) -> Option<f64> {
    if g == 0 || k > g {
        return None;
    }
    quantile_of(sorted, Prob::Fraction(k, g), def)
}

fn quantile_of(sorted: &[f64], p: Prob, def: QuantileDef) -> Option<f64> {
    quantile_of_sorted(&Sorted::Values(sorted), p, def)
}

/// An ascending sample: its values, or distinct values with their counts (a weighted sample
/// whose order statistics are found by walking the cumulative counts).
pub(crate) enum Sorted<'a> {
    /// Every value.
    Values(&'a [f64]),
    /// Distinct values ascending and, for each, the number of values up to it (cumulative).
    Runs {
        /// Distinct values, ascending.
        values: &'a [f64],
        /// `ends[i]`: how many sample values are ≤ `values[i]`.
        ends: &'a [u64],
    },
}

impl Sorted<'_> {
    fn len(&self) -> usize {
        match self {
            Sorted::Values(v) => v.len(),
            Sorted::Runs { ends, .. } => ends.last().map_or(0, |&e| e as usize),
        }
    }

    /// The value at 0-based position `i` (`i < len`).
    fn at(&self, i: usize) -> f64 {
        match self {
            Sorted::Values(v) => v[i],
            Sorted::Runs { values, ends } => {
                values[ends.partition_point(|&e| e <= i as u64).min(values.len() - 1)]
            }
        }
    }
}

/// The quantile at `k/g` of a weighted sample: distinct `values` ascending, each repeated
/// `counts[i]` times; the same number [`quantile_at`] gives on the expanded sample.
pub fn quantile_at_counts(
    values: &[f64],
    counts: &[u64],
    k: usize,
    g: usize,
    def: QuantileDef,
) -> Option<f64> {
    if g == 0 || k > g || values.len() != counts.len() {
        return None;
    }
    let ends = cumulative(counts);
    quantile_of_sorted(&Sorted::Runs { values, ends: &ends }, Prob::Fraction(k, g), def)
}

/// Running totals of `counts`.
pub(crate) fn cumulative(counts: &[u64]) -> Vec<u64> {
    counts
        .iter()
        .scan(0u64, |total, &c| {
            *total += c;
            Some(*total)
        })
        .collect()
}

pub(crate) fn quantile_of_sorted(sorted: &Sorted<'_>, p: Prob, def: QuantileDef) -> Option<f64> {
    let n = sorted.len();
    let last = n.checked_sub(1)?;
    // The k-th order statistic, 1-based, clamped to the sample.
    let x = |k: usize| sorted.at(k.clamp(1, n) - 1);
    let real = match p {
        Prob::Fraction(k, g) => k as f64 / g as f64,
        Prob::Real(p) => p,
    };
    if let Some(k) = rank(n, p, def) {
        return Some(x(k));
    }
    Some(match def {
        QuantileDef::AveragedInvertedCdf => {
            let at = position(n, p);
            if at.is_whole { (x(at.whole) + x(at.whole + 1)) / 2.0 } else { x(at.whole + 1) }
        }
        QuantileDef::Linear => {
            // 0-based position (n − 1)p, evaluated as R's and numpy's type 7.
            let h = last as f64 * real;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(last);
            let (a, b) = (sorted.at(lo), sorted.at(hi));
            a + (h - lo as f64) * (b - a)
        }
        continuous => {
            let (alpha, beta) = continuous.plotting_constants()?;
            let h = real * (n as f64 + 1.0 - alpha - beta) + alpha;
            if h < 1.0 {
                sorted.at(0)
            } else if h >= n as f64 {
                sorted.at(last)
            } else {
                let j = h.floor();
                let lo = j as usize - 1;
                let (a, b) = (sorted.at(lo), sorted.at(lo + 1));
                a + (h - j) * (b - a)
            }
        }
    })
}
