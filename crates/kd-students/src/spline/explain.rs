//! The spline GAM in words and curves: each term's shape on a grid with a pointwise band, the
//! terms by importance, and the consistency check of a loaded model.

use std::fmt::Write as _;

use kd_core::plot::Curve;

use super::band::{Band, CurvePoint};
use super::basis::MAX_ORDER;
use super::model::SplineGam;
use crate::error::{Error, Result};
use crate::link::Link;

impl SplineGam {
    /// [`shape`](Self::shape) as a curve labelled `label`, its band the 95% band, for drawing.
    ///
    /// # Errors
    /// `term` out of range.
    pub fn curve(&self, term: usize, points: usize, label: &str) -> Result<Curve> {
        let shape = self.shape(term, points)?;
        Ok(Curve {
            label: label.to_owned(),
            points: shape.iter().map(|p| (p.x, p.score)).collect(),
            band: shape.iter().map(|p| (p.x, p.band_lower, p.band_upper)).collect(),
        })
    }

    /// The term's shape for reading: `f_j − mean_j` (mean 0 over the training rows, the
    /// intercept [`SplineGam::centred_intercept`]) at `points` equally spaced values over the
    /// training range, with a 95% Bayesian band. A centred shape does not depend on how the
    /// level is split between the terms and the intercept, so its band is the usual one.
    pub fn shape(&self, term: usize, points: usize) -> Result<Vec<CurvePoint>> {
        let t = self.term(term)?;
        let (lo, hi) = (t.basis.lower, t.basis.upper);
        let step = (hi - lo) / points.saturating_sub(1).max(1) as f64;
        let xs: Vec<f64> = (0..points).map(|i| lo + step * i as f64).collect();
        self.term_curve(term, &xs, 0.95, Band::Bayesian, true)
    }

    /// The intercept when every term is centred: the mean of `η` over the training rows.
    pub fn centred_intercept(&self) -> f64 {
        self.intercept + self.terms.iter().map(|t| t.mean).sum::<f64>()
    }

    /// Terms by importance with their `λ` and degrees of freedom, then each centred shape at 11
    /// points with its 95% band.
    pub fn explain(&self, names: &[String]) -> String {
        let name = |f: usize| names.get(f).cloned().unwrap_or_else(|| format!("feature_{f}"));
        let scale = match self.link {
            Link::Identity => "the prediction",
            Link::Logit => "the log-odds of class 1",
        };
        let st = &self.statistics;
        let score = match (st.gcv, st.ubre) {
            (Some(g), _) => format!("GCV {g:.6}"),
            (_, Some(u)) => format!("UBRE {u:.6}"),
            _ => String::new(),
        };
        let mut out = format!(
            "spline GAM on {scale} ({} B-splines of degree {} per feature): intercept {:.6}, {:.2} effective degrees of freedom, {score}\n\n",
            self.params.n_splines,
            self.params.spline_order,
            self.centred_intercept(),
            st.edof,
        );
        let mut order: Vec<usize> = (0..self.terms.len()).collect();
        order.sort_by(|&a, &b| self.terms[b].importance.total_cmp(&self.terms[a].importance));
        let _ = writeln!(out, "{:<32} {:>12} {:>10} {:>12}", "term", "importance", "edof", "λ");
        for &j in &order {
            let t = &self.terms[j];
            let _ = writeln!(
                out,
                "{:<32} {:>12.6} {:>10.3} {:>12.4e}",
                name(t.feature),
                t.importance,
                t.edof,
                t.lam
            );
        }
        for &j in &order {
            let _ = writeln!(out, "\n{} (centred score, 95% Bayesian band)", name(self.terms[j].feature));
            for p in self.shape(j, 11).unwrap_or_default() {
                let _ = writeln!(
                    out,
                    "  {:>14.6} {:>10.4}  [{:>8.4}, {:>8.4}]",
                    p.x, p.score, p.band_lower, p.band_upper
                );
            }
        }
        out
    }

    /// Checks a model read from a file: one term per feature with `n_splines` coefficients and a
    /// valid basis, a square covariance of all coefficients, finite numbers.
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: String| Error::Load(format!("the spline GAM is inconsistent: {reason}"));
        let k = self.params.n_splines;
        let m = self.n_features * k + 1;
        if self.terms.len() != self.n_features || self.covariance.dim() != (m, m) {
            return Err(bad(format!(
                "{} terms and a {:?} covariance for {} features",
                self.terms.len(),
                self.covariance.dim(),
                self.n_features
            )));
        }
        for (j, t) in self.terms.iter().enumerate() {
            let b = &t.basis;
            let basis_ok = b.n_splines == k
                && (1..=MAX_ORDER).contains(&b.order)
                && b.order < k
                && b.lower < b.upper
                && t.feature == j;
            let sizes_ok = t.coefficients.len() == k && t.mean_basis.len() == k;
            let finite =
                t.coefficients.iter().chain(&t.mean_basis).chain([&t.mean, &t.lam]).all(|v| v.is_finite());
            if !(basis_ok && sizes_ok && finite) {
                return Err(bad(format!("term {j} does not fit its basis")));
            }
        }
        if !self.intercept.is_finite() || self.covariance.iter().any(|v| !v.is_finite()) {
            return Err(bad("a coefficient or covariance is not finite".into()));
        }
        Ok(())
    }
}
