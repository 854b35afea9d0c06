//! Pointwise bands: the covariance of the coefficients (Bayesian or pyGAM's frequentist one),
//! the quantile of a band's width, confidence intervals of the prediction and each term's
//! partial dependence with its band.

use ndarray::{Array1, Array2, ArrayView2, s};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::basis::difference_penalty;
use super::fit::ridge;
use super::model::SplineGam;
use crate::error::{Result, invalid_parameter};
use crate::link::Link;

/// Which covariance a band is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// The Bayesian posterior covariance `V_β = (XᵀWX + S)⁻¹φ` (Wahba 1983, Nychka 1988; Wood
    /// 2006 §4.8), mgcv's default.
    Bayesian,
    /// The frequentist `V_e = (XᵀWX + S)⁻¹XᵀWX(XᵀWX + S)⁻¹φ = V_β − V_β S V_β / φ`: pyGAM's
    /// `statistics_['cov']`, behind its `confidence_intervals` and `partial_dependence`.
    Frequentist,
}

/// One point of a term's curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Feature value.
    pub x: f64,
    /// The term's value on the link scale.
    pub score: f64,
    /// Lower end of the pointwise band.
    pub band_lower: f64,
    /// Upper end.
    pub band_upper: f64,
}

impl SplineGam {
    /// The covariance of all coefficients under `band`.
    pub fn covariance(&self, band: Band) -> Array2<f64> {
        match band {
            Band::Bayesian => self.covariance.clone(),
            Band::Frequentist => {
                let (m, k) = (self.covariance.nrows(), self.params.n_splines);
                let block = difference_penalty(k);
                let mut s = Array2::eye(m) * ridge();
                for (j, term) in self.terms.iter().enumerate() {
                    for (a, b) in (0..k).flat_map(|a| (0..k).map(move |b| (a, b))) {
                        s[[j * k + a, j * k + b]] += term.lam * block[a * k + b];
                    }
                }
                let v = &self.covariance;
                v - &(v.dot(&s).dot(v) / self.statistics.dispersion)
            }
        }
    }

    /// The two-sided quantile of a `width` band: Student's t with `n − edof` degrees of freedom
    /// when `φ` is estimated (identity), the normal when it is known (logit), as pyGAM.
    pub(crate) fn quantile(&self, width: f64) -> Result<f64> {
        if !(width > 0.0 && width < 1.0) {
            return Err(invalid_parameter("width", format!("{width} (in (0, 1))")));
        }
        let upper = 0.5 + width / 2.0;
        Ok(match self.link {
            Link::Logit => Normal::standard().inverse_cdf(upper),
            Link::Identity => {
                let df = self.statistics.n_samples as f64 - self.statistics.edof;
                StudentsT::new(0.0, 1.0, df)
                    .map_err(|e| invalid_parameter("edof", e.to_string()))?
                    .inverse_cdf(upper)
            }
        })
    }

    /// pyGAM's `confidence_intervals(x, width)`: `h(η ± q·√(xᵀVx))` on the response scale,
    /// shape `(n, 2)` (lower, upper).
    pub fn confidence_intervals(
        &self,
        x: ArrayView2<'_, f64>,
        width: f64,
        band: Band,
    ) -> Result<Array2<f64>> {
        let q = self.quantile(width)?;
        let design = self.design(x)?;
        let v = self.covariance(band);
        let eta = self.predict_link(x)?;
        let sd = design.quadratic_form(&v);
        let mean = |e: f64| if self.link == Link::Logit { 1.0 / (1.0 + (-e).exp()) } else { e };
        Ok(Array2::from_shape_fn((eta.len(), 2), |(i, c)| {
            mean(eta[i] + if c == 0 { -q } else { q } * sd[i].max(0.0).sqrt())
        }))
    }

    pub(crate) fn term_curve(
        &self,
        term: usize,
        xs: &[f64],
        width: f64,
        band: Band,
        centred: bool,
    ) -> Result<Vec<CurvePoint>> {
        let t = self.term(term)?;
        if let Some(v) = xs.iter().find(|v| !v.is_finite()) {
            return Err(invalid_parameter("x", format!("{v} is not a finite number")));
        }
        let q = self.quantile(width)?;
        let k = t.coefficients.len();
        let cov = self.covariance(band);
        let block = cov.slice(s![term * k..(term + 1) * k, term * k..(term + 1) * k]);
        let beta = Array1::from(t.coefficients.clone());
        let shift = Array1::from(t.mean_basis.clone());
        Ok(xs
            .iter()
            .map(|&x| {
                let mut b = Array1::from(t.basis.dense(x));
                if centred {
                    b -= &shift;
                }
                let score = b.dot(&beta);
                let sd = b.dot(&block.dot(&b)).max(0.0).sqrt();
                CurvePoint { x, score, band_lower: score - q * sd, band_upper: score + q * sd }
            })
            .collect())
    }

    /// pyGAM's `partial_dependence(term, X, width)`: `f_j` at `xs` with a `width` band from
    /// `band`'s covariance of the term's coefficients (`Band::Frequentist` is pyGAM's).
    pub fn partial_dependence(
        &self,
        term: usize,
        xs: &[f64],
        width: f64,
        band: Band,
    ) -> Result<Vec<CurvePoint>> {
        self.term_curve(term, xs, width, band, false)
    }
}
