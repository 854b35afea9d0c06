//! Influence and outliers: leverage, Cook's distance, externally studentised residuals and the
//! Bonferroni outlier test, from the fit's leverages (no `n × n` hat matrix). The full set of
//! R's `influence.measures` is in `influence_measures.rs`.

use serde::Serialize;

use super::ols::Ols;
use crate::distributions::t_two_sided;
use crate::error::Result;

/// Influence measures, one value per row. A row of leverage 1 (the fit passes through it
/// whatever its target) has NaN studentised residual and Cook's distance, and is never
/// flagged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Influence {
    /// Leverage `h_i`, the diagonal of the hat matrix.
    pub leverage: Vec<f64>,
    /// Cook's distance `e_i² h_i / (p s² (1 − h_i)²)`.
    pub cooks_distance: Vec<f64>,
    /// Externally studentised residuals `e_i / (s_(i) sqrt(1 − h_i))`.
    pub student_resid_external: Vec<f64>,
    /// Bonferroni-adjusted p-values of the outlier test, `min(1, n · 2P(t_{n−p−1} > |t_i|))`.
    pub bonferroni_p: Vec<f64>,
    /// Rows (0-based) with Cook's distance above `4/n`.
    pub influential_rows: Vec<usize>,
    /// Rows (0-based) whose Bonferroni p-value is below 0.05.
    pub outlier_rows: Vec<usize>,
}

/// A row the influence summary names: its 0-based index, its line in the data and its value
/// (Cook's distance, or the Bonferroni p-value).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InfluentialRow {
    /// 0-based row.
    pub row: usize,
    /// Its line in the data (a file's line, a frame's row number).
    pub line: u64,
    /// Its Cook's distance or Bonferroni p-value.
    pub value: f64,
}

/// What a report says of influence: the rows with Cook's distance above `4/n`, the outliers
/// by the Bonferroni test, and the largest leverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InfluenceSummary {
    /// `4/n`.
    pub cooks_threshold: f64,
    /// Rows with Cook's distance above it.
    pub influential: Vec<InfluentialRow>,
    /// Rows whose Bonferroni p-value is below 0.05.
    pub outliers: Vec<InfluentialRow>,
    /// The largest leverage.
    pub max_leverage: f64,
}

impl InfluenceSummary {
    /// The summary of `influence`, each row named with its line among `lines` (one per row).
    pub fn of(influence: &Influence, lines: &[u64]) -> Self {
        let flag = |rows: &[usize], values: &[f64]| -> Vec<InfluentialRow> {
            rows.iter()
                .map(|&r| InfluentialRow {
                    row: r,
                    line: lines.get(r).copied().unwrap_or(r as u64),
                    value: values[r],
                })
                .collect()
        };
        Self {
            cooks_threshold: 4.0 / influence.leverage.len() as f64,
            influential: flag(&influence.influential_rows, &influence.cooks_distance),
            outliers: flag(&influence.outlier_rows, &influence.bonferroni_p),
            max_leverage: influence.leverage.iter().fold(0.0, |m: f64, v| m.max(*v)),
        }
    }
}

/// The battery as its reports write it (`kd hypotheses --format json`, `kd.hypotheses`): its
/// figures, the influence summary, and with R's per-row measures the rows' lines.
#[derive(Debug, Serialize)]
pub struct BatteryReport<'a> {
    /// The battery's figures.
    #[serde(flatten)]
    pub battery: &'a super::Battery,
    /// The influence summary.
    pub influence: InfluenceSummary,
    /// The lines of the rows of `influence_measures`, when they were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub influence_lines: Option<&'a [u64]>,
}

impl<'a> BatteryReport<'a> {
    /// The report of `battery`, its rows at `lines` in the data (one per row).
    pub fn new(battery: &'a super::Battery, lines: &'a [u64]) -> Self {
        Self {
            battery,
            influence: InfluenceSummary::of(&battery.influence, lines),
            influence_lines: battery.influence_measures.as_ref().map(|_| lines),
        }
    }
}

/// `(e_i, h_i, s_(i)², t_i)` per row in working units: the residual, the leverage, the
/// leave-one-out variance `(SSR − e_i²/(1 − h_i)) / (n − p − 1)` and the externally
/// studentised residual.
pub(crate) fn leave_one_out(ols: &Ols) -> impl Iterator<Item = (f64, f64, f64, f64)> + '_ {
    let df = (ols.n_obs() - ols.n_params()) as f64 - 1.0;
    ols.w.resid.iter().zip(ols.w.leverage.iter()).map(move |(&e, &h)| {
        if h >= 1.0 - 1e-12 {
            return (e, h, f64::NAN, f64::NAN);
        }
        let s2 = ((ols.w.ssr - e * e / (1.0 - h)) / df).max(0.0);
        (e, h, s2, e / (s2 * (1.0 - h)).sqrt())
    })
}

/// `|t|` at or below which `n · 2P(T_df > |t|) ≥ 1`, so the Bonferroni p-value is exactly 1
/// and needs no tail probability (found by bisection; `n` tail probabilities of Student's t
/// would dominate the battery's time on large data).
fn bonferroni_floor(n: usize, df: f64) -> Result<f64> {
    let at_least_one = |t: f64| -> Result<bool> { Ok(n as f64 * t_two_sided(t, df)? >= 1.0) };
    let (mut lo, mut hi) = (0.0, 8.0);
    while at_least_one(hi)? {
        lo = hi;
        hi *= 2.0;
        if hi > 1e12 {
            return Ok(lo);
        }
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if at_least_one(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}

/// Influence measures of every row, as statsmodels' `get_influence()` and
/// `outlier_test(method='bonf')`.
pub fn influence(ols: &Ols) -> Result<Influence> {
    let (n, p) = (ols.n_obs(), ols.n_params());
    let s2 = ols.w.ssr / (n - p) as f64;
    let df = (n - p - 1) as f64;
    let floor = bonferroni_floor(n, df)?;
    let mut cooks = Vec::with_capacity(n);
    let mut student = Vec::with_capacity(n);
    let mut bonferroni = Vec::with_capacity(n);
    for (e, h, _, t) in leave_one_out(ols) {
        cooks.push(e * e * h / (p as f64 * s2 * (1.0 - h).powi(2)));
        student.push(t);
        bonferroni.push(if t.is_nan() {
            f64::NAN
        } else if t.abs() <= floor {
            1.0
        } else {
            (n as f64 * t_two_sided(t, df)?).min(1.0)
        });
    }
    let threshold = 4.0 / n as f64;
    Ok(Influence {
        influential_rows: (0..n).filter(|&i| cooks[i] > threshold).collect(),
        outlier_rows: (0..n).filter(|&i| bonferroni[i] < 0.05).collect(),
        leverage: ols.w.leverage.to_vec(),
        cooks_distance: cooks,
        student_resid_external: student,
        bonferroni_p: bonferroni,
    })
}
