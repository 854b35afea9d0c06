//! Penalised-spline generalised additive models (P-splines, Eilers & Marx 1996; fitted and tuned
//! as in Wood 2006, *Generalized Additive Models: An Introduction with R*), as pyGAM 0.12.0's
//! `LinearGAM` and `LogisticGAM` fit them with one `s(j)` term per feature.
//!
//! `η(x) = β_0 + Σ_j f_j(x_j)`, `f_j(x) = Σ_k β_jk B_jk(x)` with `K` B-splines of degree `p` on
//! equally spaced knots over the feature's training range ([`Basis`]), each term penalised by
//! `λ_j Σ_k (Δ²β_jk)²`. The prediction is `η` (identity link, squared error) or `σ(η)` (logit
//! link, binomial deviance on targets in `[0, 1]`, so a teacher's probabilities are fitted
//! directly). Coefficients come from penalised IRLS (`fit.rs`); the `λ` from a grid by GCV or
//! UBRE (`select.rs`); terms and intercept are told apart as pyGAM does it (`identify.rs`). The
//! model keeps the Bayesian covariance of its coefficients, for pointwise bands on each term
//! and on the prediction ([`Band`]).
//!
//! Agreement with pyGAM 0.12.0 at the same basis and `λ` (`tests/golden/spline`: four diabetes
//! features with `LinearGAM`, four breast-cancer features with `LogisticGAM` on 0/1 labels and
//! on soft targets): fitted means within 4e-11 relative (the test allows 1e-9, on training rows
//! and on rows beyond the range), coefficients within 7e-9 of the largest, effective degrees of
//! freedom, GCV and UBRE within 1e-13, confidence intervals of the prediction within 6e-11; a
//! term's partial-dependence band within 1e-6 of its range (pyGAM's covariance is noisy along
//! the level directions of `identify.rs`); the `λ` its `gridsearch` picks is the same. Departures:
//! step halving where pyGAM takes full steps (so kd converges where pyGAM may wander or
//! diverge, e.g. `λ = 0.001` on the 0/1 labels, where both end at the same optimum); UBRE is
//! Wood's (pyGAM reports it plus `3φ`); no centring constraint, as in pyGAM, but
//! [`SplineGam::shape`] shows each term centred.
//!
//! ```
//! use kd_students::gam::Link;
//! use kd_students::spline::{Smoothing, SplineGam, SplineGamParams};
//! let x = ndarray::Array2::from_shape_fn((200, 1), |(i, _)| i as f64 / 20.0);
//! let y = x.column(0).mapv(f64::sin);
//! let params = SplineGamParams { smoothing: Smoothing::Shared(0.01), ..Default::default() };
//! let gam = SplineGam::fit(&params, x.view(), y.view(), Link::Identity).unwrap();
//! let fitted = gam.predict(x.view()).unwrap();
//! assert!((fitted[[50, 0]] - 2.5f64.sin()).abs() < 0.01);
//! ```

mod band;
mod basis;
mod design;
mod explain;
mod fit;
mod identify;
mod model;
mod params;
mod select;
mod student;

pub use band::{Band, CurvePoint};
pub use basis::{Basis, MAX_ORDER};
pub use model::{SplineGam, SplineStatistics, SplineTerm};
pub use params::{Smoothing, SplineGamParams};
pub use select::LamScore;
pub(crate) use student::KIND;
