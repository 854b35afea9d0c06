//! Influence and outliers: leverage, Cook's distance, externally studentised residuals and the
//! Bonferroni outlier test, from the thin `Q` of the fit (no `n × n` hat matrix).

use serde::Serialize;

use super::ols::Ols;
use crate::distributions::t_two_sided;
use crate::error::Result;

/// Influence measures, one value per row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Influence {
    /// Leverage `h_i`, the diagonal of the hat matrix (`‖Q_i‖²`).
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

/// Influence measures of every row, as statsmodels' `get_influence()` and
/// `outlier_test(method='bonf')`.
pub fn influence(ols: &Ols) -> Result<Influence> {
    let (n, p) = (ols.n_obs(), ols.n_params());
    let s2 = ols.sigma2();
    let df = (n - p - 1) as f64;
    let leverage: Vec<f64> = ols.q.rows().into_iter().map(|row| row.dot(&row)).collect();
    let mut cooks = Vec::with_capacity(n);
    let mut student = Vec::with_capacity(n);
    let mut bonferroni = Vec::with_capacity(n);
    for (i, &h) in leverage.iter().enumerate() {
        let e = ols.resid[i];
        cooks.push(e * e * h / (p as f64 * s2 * (1.0 - h).powi(2)));
        let s2_without = (ols.ssr - e * e / (1.0 - h)) / df;
        let t = e / (s2_without * (1.0 - h)).sqrt();
        student.push(t);
        bonferroni.push((n as f64 * t_two_sided(t, df)?).min(1.0));
    }
    let threshold = 4.0 / n as f64;
    Ok(Influence {
        influential_rows: (0..n).filter(|&i| cooks[i] > threshold).collect(),
        outlier_rows: (0..n).filter(|&i| bonferroni[i] < 0.05).collect(),
        leverage,
        cooks_distance: cooks,
        student_resid_external: student,
        bonferroni_p: bonferroni,
    })
}
