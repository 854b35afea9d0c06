//! linfa's traits for kd's students, so that they plug into the linfa ecosystem (linfa 0.8's
//! CONTRIBUTE.md typestate): [`Params`] is the unchecked parameter set, `ParamGuard::check`
//! turns it into [`Checked`], and `Fit` on either fits a student from a
//! `DatasetBase<ArrayView2<f64>, targets>`; `Predict` on the fitted student gives its outputs.
//! The impls wrap kd's own `fit` and `predict`, so results are identical.
//!
//! | params | targets | student | `Predict` gives |
//! |---|---|---|---|
//! | `TreeParams` | `ArrayView2<f64>` values or soft targets (squared error), or `ArrayView1<usize>` classes (Gini, entropy) | [`Tree`] | `Array2` class proportions or output means |
//! | `LinearParams` | `ArrayView1<f64>` values | [`Linear`] | `Array1` values |
//! | `LogisticParams` | `ArrayView1<f64>` in `[0, 1]` (soft targets) | [`Logistic`] | `Array1` `P(class 1)` |
//! | `(GamParams, Link)` | `ArrayView1<f64>` (in `[0, 1]` for `Logit`) | [`BoostedGam`] | `Array2` as [`BoostedGam::predict`] |
//! | `LogisticParams` | `ArrayView2<f64>` class probabilities, `k ≥ 3` columns | [`Multinomial`] | `Array2` class probabilities |
//! | `(SplineGamParams, Link)` | `ArrayView1<f64>` (in `[0, 1]` for `Logit`) | [`SplineGam`] | `Array2` as [`SplineGam::predict`] |
//! | `WoeParams` | `ArrayView1<f64>` `P(bad)` in `[0, 1]` | [`WoeScorecard`] | `Array1` `P(bad)` |
//!
//! Every feature is numeric through linfa (a `DatasetBase` has no levels); the dataset's
//! feature names name the coefficients (`feature_j` when it has none); row weights are refused.
//! Errors: `Fit` is generic over its error type `E`; with kd's [`Error`] the error is kd's own
//! (linfa's errors arrive as [`Error::Linfa`]); with `linfa::Error` kd's error is carried as
//! `MismatchedShapes` or as `Parameters` with kd's message.

use linfa::prelude::{DatasetBase, Fit, ParamGuard, Predict};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::{Error, Result, check_l2, invalid_parameter};
use crate::gam::{BoostedGam, GamParams, Link};
use crate::linear::{Linear, LinearParams, Logistic, LogisticParams, Multinomial};
use crate::scorecard::{WoeParams, WoeScorecard};
use crate::spline::{SplineGam, SplineGamParams};
use crate::tree::{Tree, TreeParams, TreeTarget};

/// Parameters that `ParamGuard::check` has accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<P>(P);

impl<P> Checked<P> {
    /// The parameters.
    pub fn params(&self) -> &P {
        &self.0
    }
}

/// Unchecked parameters of a kd student on linfa's typestate: `Params::from(p)`, then
/// `ParamGuard::check` or `Fit::fit` (which checks first).
#[derive(Debug, Clone, PartialEq)]
pub struct Params<P>(Checked<P>);

impl<P> From<P> for Params<P> {
    fn from(params: P) -> Self {
        Self(Checked(params))
    }
}

impl From<Error> for linfa::Error {
    fn from(error: Error) -> Self {
        match error {
            Error::ShapeMismatch { expected, got, .. } => linfa::Error::MismatchedShapes(expected, got),
            Error::Linfa(inner) => inner,
            other => linfa::Error::Parameters(other.to_string()),
        }
    }
}

/// `ParamGuard` for `Params<P>` where `check` is kd's own check of `P`.
macro_rules! guard {
    ($params:ty, $check:expr) => {
        impl ParamGuard for Params<$params> {
            type Checked = Checked<$params>;
            type Error = Error;
            fn check_ref(&self) -> Result<&Self::Checked> {
                let check: fn(&$params) -> Result<()> = $check;
                check(&self.0.0)?;
                Ok(&self.0)
            }
            fn check(self) -> Result<Self::Checked> {
                self.check_ref()?;
                Ok(self.0)
            }
        }
    };
}

guard!(TreeParams, TreeParams::check);
guard!(LinearParams, |p| check_l2(p.l2));
guard!(LogisticParams, |p| check_l2(p.l2));
// The GAM's limits that depend on the data (monotone features, the number of pairs) are
// checked again by the fit; here against a width no data set reaches.
guard!((GamParams, Link), |p| p.0.check(usize::from(u16::MAX)));
// The number of per-feature λ depends on the data: checked against itself here, against the
// data's width by the fit.
guard!((SplineGamParams, Link), |p| p.0.check(match &p.0.smoothing {
    crate::spline::Smoothing::PerFeature(lams) => lams.len(),
    _ => 1,
}));
guard!(WoeParams, WoeParams::check);

/// The records of a dataset with its feature names; refuses row weights.
fn records<'b, T>(
    dataset: &'b DatasetBase<ArrayView2<'_, f64>, T>,
) -> Result<(ArrayView2<'b, f64>, Vec<String>)> {
    if !dataset.weights.is_empty() {
        return Err(invalid_parameter("weights", "kd's students do not take row weights"));
    }
    let x = dataset.records.view();
    let names = match dataset.feature_names() {
        names if names.len() == x.ncols() => names.to_vec(),
        _ => (0..x.ncols()).map(|j| format!("feature_{j}")).collect(),
    };
    Ok((x, names))
}

/// `Fit` for `Checked<$params>` on targets `$targets`, by `$fit(params, x, targets, names)`.
macro_rules! fit {
    ($params:ty, $targets:ty, $student:ty, $fit:expr) => {
        impl<'a, E> Fit<ArrayView2<'a, f64>, $targets, E> for Checked<$params>
        where
            E: std::error::Error + From<linfa::Error> + From<Error>,
        {
            type Object = $student;
            fn fit(
                &self,
                dataset: &DatasetBase<ArrayView2<'a, f64>, $targets>,
            ) -> std::result::Result<$student, E> {
                let (x, names) = records(dataset)?;
                let fit: fn(&$params, ArrayView2<'_, f64>, &$targets, &[String]) -> Result<$student> = $fit;
                Ok(fit(&self.0, x, &dataset.targets, &names)?)
            }
        }
    };
}

fit!(TreeParams, ArrayView2<'a, f64>, Tree, |p, x, t, _| Tree::fit(p, x, TreeTarget::Values(t.view())));
fit!(TreeParams, ArrayView1<'a, usize>, Tree, |p, x, t, _| {
    let y = t.to_vec();
    let n_classes = y.iter().max().map_or(0, |&c| c + 1);
    Tree::fit(p, x, TreeTarget::Classes { y: &y, n_classes })
});
fit!(LinearParams, ArrayView1<'a, f64>, Linear, |p, x, t, names| Linear::fit(p, x, t.view(), names));
fit!(LogisticParams, ArrayView1<'a, f64>, Logistic, |p, x, t, names| Logistic::fit(p, x, t.view(), names));
fit!((GamParams, Link), ArrayView1<'a, f64>, BoostedGam, |(g, l), x, t, _| BoostedGam::fit(
    g,
    x,
    t.view(),
    *l
));
fit!(LogisticParams, ArrayView2<'a, f64>, Multinomial, |p, x, t, n| Multinomial::fit(p, x, t.view(), n));
fit!((SplineGamParams, Link), ArrayView1<'a, f64>, SplineGam, |(g, l), x, t, _| SplineGam::fit(
    g,
    x,
    t.view(),
    *l
));
fit!(WoeParams, ArrayView1<'a, f64>, WoeScorecard, |p, x, t, n| WoeScorecard::fit(p, x, t.view(), n, &[]));

/// `Predict` of records into `Result<$out>` by `$predict`.
macro_rules! predict {
    ($student:ty, $out:ty, $predict:expr) => {
        impl<'a> Predict<ArrayView2<'a, f64>, Result<$out>> for $student {
            fn predict(&self, x: ArrayView2<'a, f64>) -> Result<$out> {
                let predict: fn(&$student, ArrayView2<'_, f64>) -> Result<$out> = $predict;
                predict(self, x)
            }
        }
    };
}

predict!(Tree, Array2<f64>, Tree::predict);
predict!(Linear, Array1<f64>, Linear::predict);
predict!(Logistic, Array1<f64>, Logistic::predict_proba);
predict!(BoostedGam, Array2<f64>, BoostedGam::predict);
predict!(Multinomial, Array2<f64>, Multinomial::predict_proba);
predict!(SplineGam, Array2<f64>, SplineGam::predict);
predict!(WoeScorecard, Array1<f64>, WoeScorecard::predict_proba);
