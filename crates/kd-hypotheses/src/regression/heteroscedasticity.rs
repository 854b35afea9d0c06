//! Homoscedasticity: Breusch–Pagan (Koenker's studentised form by default), White and
//! Goldfeld–Quandt.

use ndarray::{Array1, Array2, s};
use serde::Serialize;

use super::least_squares::{centered_tss, ssr_fit};
use super::ols::Ols;
use super::results::{ChiSquareStat, FStat};
use crate::error::{Error, Result};

/// Which Breusch–Pagan statistic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BpVariant {
    /// Koenker (1981): `n R²` of `e²` on the design; robust to non-normal errors (the default,
    /// statsmodels' `robust=True`).
    #[default]
    Koenker,
    /// Breusch & Pagan (1979): half the explained sum of squares of `e² / mean(e²)` on the
    /// design; assumes normal errors.
    Original,
}

/// Errors when the design is the intercept alone: a variance cannot depend on no regressor.
fn no_regressors(test: &str, ols: &Ols) -> Result<()> {
    if ols.n_params() < 2 {
        return Err(Error::Undefined {
            test: test.into(),
            reason: "the model has no regressor besides the intercept".into(),
        });
    }
    Ok(())
}

/// The Breusch–Pagan test, χ² with `p − 1` degrees of freedom.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BreuschPagan {
    /// The LM statistic.
    pub statistic: f64,
    /// Its p-value.
    pub p_value: f64,
    /// Degrees of freedom (`p − 1`).
    pub df: f64,
    /// Which statistic.
    pub variant: BpVariant,
}

/// Breusch–Pagan test of `Var(ε) = σ²` against a variance linear in the regressors, as
/// statsmodels' `het_breuschpagan(resid, exog, robust)`.
pub fn breusch_pagan(ols: &Ols, variant: BpVariant) -> Result<BreuschPagan> {
    no_regressors("the Breusch-Pagan test", ols)?;
    let e2 = ols.resid.mapv(|e| e * e);
    let n = e2.len() as f64;
    let target = match variant {
        BpVariant::Koenker => e2,
        BpVariant::Original => {
            let mean = e2.mean().unwrap_or(1.0);
            e2.mapv(|v| v / mean)
        }
    };
    let aux = ssr_fit(ols.design.view(), target.view())?;
    let tss = centered_tss(target.view());
    let statistic = match variant {
        BpVariant::Koenker => n * (1.0 - aux.ssr / tss),
        BpVariant::Original => (tss - aux.ssr) / 2.0,
    };
    let chi = ChiSquareStat::new(statistic, (ols.n_params() - 1) as f64)?;
    Ok(BreuschPagan { statistic, p_value: chi.p_value, df: chi.df, variant })
}

/// The auxiliary design of White's test: every product `x_i x_j`, `i ≤ j`, of the design's
/// columns (the constant included, so it holds the constant, the regressors and their squares
/// and cross products), as statsmodels' `het_white`.
pub fn white_design(design: &Array2<f64>) -> Array2<f64> {
    let (n, p) = design.dim();
    let pairs: Vec<(usize, usize)> = (0..p).flat_map(|i| (i..p).map(move |j| (i, j))).collect();
    let mut aux = Array2::zeros((n, pairs.len()));
    for (c, &(i, j)) in pairs.iter().enumerate() {
        let product = &design.column(i) * &design.column(j);
        aux.column_mut(c).assign(&product);
    }
    aux
}

/// White (1980): `n R²` of `e²` on [`white_design`], χ² with `rank − 1` degrees of freedom
/// (duplicated columns, such as the square of a 0/1 feature, are dropped first; statsmodels
/// 0.15 uses the same rank through `df_model`). Undefined (an error, where statsmodels prints a
/// number from a perfect fit) unless there are more rows than independent auxiliary columns.
pub fn white(ols: &Ols) -> Result<ChiSquareStat> {
    no_regressors("White's test", ols)?;
    let e2: Array1<f64> = ols.resid.mapv(|e| e * e);
    let aux_design = white_design(&ols.design);
    let aux = ssr_fit(aux_design.view(), e2.view())?;
    if ols.n_obs() <= aux.rank() {
        return Err(Error::Undefined {
            test: "White's test".into(),
            reason: format!(
                "it needs more rows than its {} independent auxiliary columns, and there are {}",
                aux.rank(),
                ols.n_obs()
            ),
        });
    }
    let r2 = 1.0 - aux.ssr / centered_tss(e2.view());
    ChiSquareStat::new(ols.n_obs() as f64 * r2, (aux.rank() - 1) as f64)
}

/// Goldfeld & Quandt (1965) against a variance increasing with row order: split the rows in
/// the middle (first `n div 2`, the rest), `F = s²₂ / s²₁` with `(n₂ − p, n₁ − p)` degrees of
/// freedom, as statsmodels' `het_goldfeldquandt(y, X, alternative='increasing')`.
pub fn goldfeld_quandt(ols: &Ols) -> Result<FStat> {
    let (n, p) = ols.design.dim();
    let split = n / 2;
    if split <= p || n - split <= p {
        return Err(Error::TooFewRows {
            what: "the Goldfeld-Quandt test (rows per half, more than parameters)".into(),
            needed: 2 * (p + 1),
            found: n,
        });
    }
    let part = |rows: std::ops::Range<usize>| -> Result<(f64, f64)> {
        let f = ssr_fit(ols.design.slice(s![rows.clone(), ..]), ols.y.slice(s![rows.clone()]))?;
        let df = (rows.len() - f.rank()) as f64;
        Ok((f.ssr / df, df))
    };
    let (s1, df1) = part(0..split)?;
    let (s2, df2) = part(split..n)?;
    FStat::new(s2 / s1, df2, df1)
}
