//! Homoscedasticity: Breusch–Pagan (Koenker's studentised form by default) and White
//! (Goldfeld–Quandt and Engle's ARCH test have files of their own).

use ndarray::{Array1, Array2, ArrayViewMut2, Zip, s};
use serde::Serialize;

use super::least_squares::{centered_tss, ssr_fit, ssr_from_factor, triangular_factor};
use super::normal_equations::gram_factor;
use super::ols::Ols;
use super::results::ChiSquareStat;
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
    let e2 = ols.w.resid.mapv(|e| e * e);
    let n = e2.len() as f64;
    let target = match variant {
        BpVariant::Koenker => e2,
        BpVariant::Original => {
            let mean = e2.mean().unwrap_or(1.0);
            e2.mapv(|v| v / mean)
        }
    };
    let aux = ssr_fit(ols.w.design.view(), target.view())?;
    let tss = centered_tss(target.view());
    let statistic = match variant {
        BpVariant::Koenker => n * (1.0 - aux.ssr / tss),
        BpVariant::Original => (tss - aux.ssr) / 2.0,
    };
    let chi = ChiSquareStat::new(statistic, (ols.n_params() - 1) as f64)?;
    Ok(BreuschPagan { statistic, p_value: chi.p_value, df: chi.df, variant })
}

/// The index pairs `(i, j)`, `i ≤ j`, of White's auxiliary columns, in statsmodels' order.
fn white_pairs(p: usize) -> Vec<(usize, usize)> {
    (0..p).flat_map(|i| (i..p).map(move |j| (i, j))).collect()
}

/// [`white_pairs`] less the products of two indicator columns of one categorical feature
/// ([`Ols::categorical`], true of the columns: only [`Design::of`](super::Design::of) makes
/// it): two different levels' product is 0 in every row, and a level's
/// square is its own column, already there as its product with the constant. Dropping them
/// leaves the span of the products unchanged, standardised or not (`(a − m)(b − k)` is
/// `ab − ka − mb + mk`, and `a`, `b` and the constant stay).
fn white_pairs_needed(ols: &Ols, p: usize) -> Vec<(usize, usize)> {
    // Design column (the constant is column 0) → the coded feature it indicates a level of;
    // the design's names are unique, so a name finds its column.
    let mut group = vec![None; p];
    for (g, coded) in ols.categorical().iter().enumerate() {
        for name in &coded.columns {
            if let Some(i) = ols.names.iter().position(|n| n == name) {
                group[i] = Some(g);
            }
        }
    }
    white_pairs(p).into_iter().filter(|&(i, j)| group[i].is_none() || group[i] != group[j]).collect()
}

/// The auxiliary design of White's test: every product `x_i x_j`, `i ≤ j`, of the design's
/// columns (the constant included, so it holds the constant, the regressors and their squares
/// and cross products), as statsmodels' `het_white`. The battery never forms it: [`white`]
/// writes its rows block by block.
pub fn white_design(design: &Array2<f64>) -> Array2<f64> {
    let (n, p) = design.dim();
    let pairs = white_pairs(p);
    let mut aux = Array2::zeros((n, pairs.len()));
    fill_products(design, &pairs, None, 0, aux.view_mut());
    aux
}

/// A shift and a scale per column of the design ([`standardisation`]).
type Standard<'a> = (&'a [f64], &'a [f64]);

/// Writes the products of `pairs` for rows `start..` of `design` into `block`'s columns, each
/// column `i` of the design first taken as `(x_i − shift_i) · scale_i` when `standard` is
/// given, as it is otherwise.
fn fill_products(
    design: &Array2<f64>,
    pairs: &[(usize, usize)],
    standard: Option<Standard<'_>>,
    start: usize,
    mut block: ArrayViewMut2<'_, f64>,
) {
    let rows = block.nrows();
    let part = design.slice(s![start..start + rows, ..]);
    // The block's regressors, one contiguous vector each: the products below then run over
    // contiguous memory, in SIMD registers.
    let columns: Vec<Array1<f64>> = part
        .columns()
        .into_iter()
        .enumerate()
        .map(|(i, c)| match standard {
            Some((shift, scale)) => c.mapv(|v| (v - shift[i]) * scale[i]),
            None => c.to_owned(),
        })
        .collect();
    for (c, &(i, j)) in pairs.iter().enumerate() {
        Zip::from(block.column_mut(c)).and(&columns[i]).and(&columns[j]).for_each(|out, &a, &b| *out = a * b);
    }
}

/// The shift and scale that standardise every column of `design` after its first, which
/// must be constant (the intercept; it is scaled to 1): the products of the standardised
/// columns span the same space as those of the design, with a far smaller condition number
/// when a regressor's mean is large against its spread. `None` where the first column is not
/// a non-zero constant.
fn standardisation(design: &Array2<f64>) -> Option<(Vec<f64>, Vec<f64>)> {
    let first = design.column(0);
    let c = *first.first()?;
    if c == 0.0 || first.iter().any(|&v| v != c) {
        return None;
    }
    let (mut shift, mut scale) = (vec![0.0], vec![1.0 / c]);
    for column in design.columns().into_iter().skip(1) {
        let mean = column.mean()?;
        let sd = (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / column.len() as f64).sqrt();
        shift.push(mean);
        scale.push(if sd > 0.0 { sd.recip() } else { 1.0 });
    }
    Some((shift, scale))
}

/// The rows of White's auxiliary regression, products and then `e²`, for the row-block
/// factorisations.
fn aux_rows<'a>(
    design: &'a Array2<f64>,
    pairs: &'a [(usize, usize)],
    e2: &'a Array1<f64>,
    standard: Option<Standard<'a>>,
) -> impl Fn(usize, ArrayViewMut2<'_, f64>) + Sync + 'a {
    let q = pairs.len();
    move |start, mut block| {
        let rows = block.nrows();
        fill_products(design, pairs, standard, start, block.slice_mut(s![.., ..q]));
        block.column_mut(q).assign(&e2.slice(s![start..start + rows]));
    }
}

/// White (1980): `n R²` of `e²` on [`white_design`], χ² with `rank − 1` degrees of freedom
/// (duplicated columns, such as the square of a 0/1 feature, are dropped first; statsmodels
/// 0.15 uses the same rank through `df_model`). The products a treatment coding makes zero or
/// duplicate (`white_pairs_needed`) are not formed: the span, and so the statistic and the
/// rank, are those of the whole design, at a fraction of its cost. Undefined (an error, where statsmodels prints a
/// number from a perfect fit) unless there are more rows than independent auxiliary columns.
///
/// The `n × p(p+1)/2` auxiliary design is never materialised: its rows are generated block by
/// block, so memory stays `O(block · p²)`. On large samples the factor comes from the normal
/// equations of the products of the standardised regressors (`normal_equations.rs`; the same
/// span, as the constant is among them), where they are safely conditioned; otherwise from the
/// row-block QR of the products as they are (`least_squares.rs`).
pub fn white(ols: &Ols) -> Result<ChiSquareStat> {
    no_regressors("White's test", ols)?;
    let design = &ols.w.design;
    let (n, p) = design.dim();
    let e2: Array1<f64> = ols.w.resid.mapv(|e| e * e);
    let pairs = white_pairs_needed(ols, p);
    let q = pairs.len();
    let fast = match standardisation(design) {
        Some((shift, scale)) => gram_factor(n, q + 1, aux_rows(design, &pairs, &e2, Some((&shift, &scale))))?,
        None => None,
    };
    let r = match fast {
        Some(r) => r,
        None => triangular_factor(n, q + 1, aux_rows(design, &pairs, &e2, None))?,
    };
    let aux = ssr_from_factor(&r, n)?;
    if n <= aux.rank() {
        return Err(Error::Undefined {
            test: "White's test".into(),
            reason: format!(
                "it needs more rows than its {} independent auxiliary columns, and there are {n}",
                aux.rank()
            ),
        });
    }
    let r2 = 1.0 - aux.ssr / centered_tss(e2.view());
    ChiSquareStat::new(n as f64 * r2, (aux.rank() - 1) as f64)
}
