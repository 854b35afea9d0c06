//! Output-level losses: soft targets (Hinton, Vinyals & Dean 2015), soft binary cross-entropy,
//! MSE to a regression teacher, logit matching.

use tch::{Kind, Tensor};

use super::{Reduction, same_shape, torch};
use crate::{Error, Result};

/// Configuration of [`KdLoss`], with torchdistill's parameter names and meaning (torchdistill
/// 1.x `KDLoss`): `alpha` weighs the hard-label cross-entropy, `beta` (default `1 − alpha`) the
/// soft term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KdLossConfig {
    /// Temperature `T` (> 0).
    pub temperature: f64,
    /// Weight of the cross-entropy with the true labels; `None` (torchdistill's default) gives
    /// the soft term alone, without the `T²` factor.
    pub alpha: Option<f64>,
    /// Weight of the soft term; `1 − alpha` when `None`.
    pub beta: Option<f64>,
    /// Reduction of the KL term (the cross-entropy uses the mean when this is `BatchMean`).
    pub reduction: Reduction,
}

impl KdLossConfig {
    /// Hinton's loss written as in the paper and in kd's issue: `soft·T²·KL + (1 − soft)·CE`.
    pub fn hinton(temperature: f64, soft_weight: f64) -> Self {
        Self {
            temperature,
            alpha: Some(1.0 - soft_weight),
            beta: Some(soft_weight),
            reduction: Reduction::BatchMean,
        }
    }

    /// Checks the parameters and builds the loss.
    pub fn init(self) -> Result<KdLoss> {
        if !(self.temperature > 0.0 && self.temperature.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "temperature".into(),
                reason: format!("{} (a finite value > 0)", self.temperature),
            });
        }
        Ok(KdLoss { config: self })
    }
}

/// `L = α·CE(s, y) + β·T²·KL(softmax(t/T) ‖ softmax(s/T))`, or without `alpha` (or labels, or
/// with `alpha = 0`) the KL term alone: `KL = Σ_k q_k (ln q_k − ln p_k)` reduced over the batch,
/// `p = softmax(s/T)`, `q = softmax(t/T)`. Shapes: logits `(n, k)`, labels `(n,)` int64.
#[derive(Debug, Clone, Copy)]
pub struct KdLoss {
    config: KdLossConfig,
}

impl KdLoss {
    /// The loss of student logits `s` against teacher logits `t`, with optional labels `y`.
    pub fn forward(&self, s: &Tensor, t: &Tensor, y: Option<&Tensor>) -> Result<Tensor> {
        same_shape("logits", s, t)?;
        let c = self.config;
        let temp = c.temperature;
        let log_p = s
            .f_div_scalar(temp)
            .and_then(|v| v.f_log_softmax(1, Kind::Float))
            .map_err(torch("log_softmax"))?;
        let q = t.f_div_scalar(temp).and_then(|v| v.f_softmax(1, Kind::Float)).map_err(torch("softmax"))?;
        let pointwise = q.f_xlogy(&q).and_then(|a| a.f_sub(&q.f_mul(&log_p)?)).map_err(torch("kl"))?;
        let soft = c.reduction.apply(&pointwise)?;
        let (Some(alpha), Some(y)) = (c.alpha, y) else { return Ok(soft) };
        if alpha == 0.0 {
            return Ok(soft);
        }
        let ce_reduction = match c.reduction {
            Reduction::Sum => tch::Reduction::Sum,
            _ => tch::Reduction::Mean,
        };
        let hard = s
            .f_cross_entropy_loss::<Tensor>(y, None, ce_reduction, -100, 0.0)
            .map_err(torch("cross_entropy"))?;
        let beta = c.beta.unwrap_or(1.0 - alpha);
        hard.f_mul_scalar(alpha)
            .and_then(|h| h.f_add(&soft.f_mul_scalar(beta * temp * temp)?))
            .map_err(torch("kd"))
    }
}

/// Soft binary cross-entropy for a binary teacher: `−mean[q·ln σ(s) + (1 − q)·ln(1 − σ(s))]`
/// with the teacher's probability `q = σ(t/T)` and the student's logit `s/T`, times `T²`.
/// Shapes: `(n,)` or `(n, 1)` logits for both.
pub fn soft_binary_cross_entropy(s: &Tensor, t: &Tensor, temperature: f64) -> Result<Tensor> {
    same_shape("logits", s, t)?;
    let q = t.f_div_scalar(temperature).and_then(|v| v.f_sigmoid()).map_err(torch("sigmoid"))?;
    let bce = s
        .f_div_scalar(temperature)
        .and_then(|v| v.f_binary_cross_entropy_with_logits::<Tensor>(&q, None, None, tch::Reduction::Mean))
        .map_err(torch("binary_cross_entropy_with_logits"))?;
    bce.f_mul_scalar(temperature * temperature).map_err(torch("scale"))
}

/// Mean squared error between student and teacher outputs, `mean((s − t)²)`: to a regression
/// teacher's values, or between logits (logit matching, Ba & Caruana 2014; Buciluǎ et al. 2006).
/// Shapes: any, equal.
pub fn mse(s: &Tensor, t: &Tensor) -> Result<Tensor> {
    same_shape("outputs", s, t)?;
    s.f_mse_loss(t, tch::Reduction::Mean).map_err(torch("mse_loss"))
}
