//! Cross-modal distillation (Gupta, Hoffman & Malik 2016, "Cross Modal Distillation for
//! Supervision Transfer"): a network for a new modality (depth, say) learns to reproduce the
//! mid-level features that a frozen network for a labelled modality (RGB) computes on the
//! paired input, with an L2 loss.
//!
//! Checked against PyTorch 2.13.0 (`tests/golden/losses/gen.py`) within 1e-5 in float32: the
//! value and the gradients with respect to the student's features and to the adaptor's weight
//! and bias, without an adaptor, with a linear one and with a 1×1 convolution.

use tch::{Tensor, nn};

use super::Reduction;
use super::feature::{Hint, Regressor};
use super::torch;
use crate::{Error, Result};

/// Parameters of [`CrossModalHint`].
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `adaptor` | `None` | a learnable map from the student's to the teacher's width ([`Regressor`]), or none (the features are compared as they are) |
/// | `student_width` | — | the student's feature width or channels, ≥ 1 |
/// | `teacher_width` | — | the teacher's, ≥ 1; equal to `student_width` without an adaptor |
/// | `reduction` | `BatchMean` | `BatchMean`: `Σ ½(…)² / n`, the paper's per-example L2; `Mean`: over all elements; `Sum` |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrossModalConfig {
    /// The adaptor's kind, if any.
    pub adaptor: Option<Regressor>,
    /// The student's width.
    pub student_width: i64,
    /// The teacher's width.
    pub teacher_width: i64,
    /// The reduction.
    pub reduction: Reduction,
}

impl CrossModalConfig {
    /// Features of equal width `width` compared without an adaptor, averaged over the batch.
    pub fn new(width: i64) -> Self {
        Self { adaptor: None, student_width: width, teacher_width: width, reduction: Reduction::BatchMean }
    }

    /// Checks the widths and builds the loss; an adaptor is a FitNets [`Hint`] regressor under
    /// `path / "adaptor"` that trains with the student.
    pub fn init(self, path: &nn::Path<'_>) -> Result<CrossModalHint> {
        for (name, width) in [("student_width", self.student_width), ("teacher_width", self.teacher_width)] {
            if width < 1 {
                return Err(Error::InvalidParameter {
                    name: name.into(),
                    reason: format!("{width} (at least 1)"),
                });
            }
        }
        if self.adaptor.is_none() && self.student_width != self.teacher_width {
            return Err(Error::InvalidParameter {
                name: "adaptor".into(),
                reason: format!(
                    "none, but the student's width {} differs from the teacher's {}",
                    self.student_width, self.teacher_width
                ),
            });
        }
        let adaptor = self
            .adaptor
            .map(|kind| Hint::new(&(path / "adaptor"), kind, self.student_width, self.teacher_width));
        Ok(CrossModalHint { config: self, adaptor })
    }
}

/// Supervision transfer: `L = reduce(½ (a(s) − sg(t))²)`, with `a` the optional adaptor and
/// `sg` the stop-gradient (the teacher is frozen: no gradient reaches `t`). With the default
/// `BatchMean` this is `(1/n) Σ_i ½‖a(s_i) − t_i‖²`, the form of Caffe's `EuclideanLoss`.
/// Shapes: `s (n, student_width, …)`, `t` of the adapted student's shape — `(n, d)` with a
/// linear adaptor, `(n, c, h, w)` with a 1×1 convolution, `s`'s own shape without one.
#[derive(Debug)]
pub struct CrossModalHint {
    config: CrossModalConfig,
    adaptor: Option<Hint>,
}

impl CrossModalHint {
    /// The adaptor, if there is one.
    pub fn adaptor(&self) -> Option<&Hint> {
        self.adaptor.as_ref()
    }

    /// The loss of the new modality's features `s` against the frozen teacher's `t` on the
    /// paired inputs.
    pub fn forward(&self, s: &Tensor, t: &Tensor) -> Result<Tensor> {
        let width = self.config.student_width;
        if s.dim() < 2 || s.size()[1] != width {
            return Err(Error::ShapeMismatch {
                context: "s (student features)".into(),
                expected: format!("(n, {width}, …)"),
                got: format!("{:?}", s.size()),
            });
        }
        let adapted = match &self.adaptor {
            None => s.shallow_clone(),
            Some(Hint::Linear(l)) => s.f_linear(&l.ws, l.bs.as_ref()).map_err(torch("adaptor"))?,
            Some(Hint::Conv1x1(c)) => s
                .f_conv2d(
                    &c.ws,
                    c.bs.as_ref(),
                    [1i64, 1].as_slice(),
                    [0i64, 0].as_slice(),
                    [1i64, 1].as_slice(),
                    1,
                )
                .map_err(torch("adaptor"))?,
        };
        if adapted.size() != t.size() {
            return Err(Error::ShapeMismatch {
                context: "t (teacher features)".into(),
                expected: format!("{:?}, the adapted student's shape", adapted.size()),
                got: format!("{:?}", t.size()),
            });
        }
        let half_squares = adapted
            .f_sub(&t.detach())
            .and_then(|d| d.f_pow_tensor_scalar(2.0))
            .and_then(|d| d.f_mul_scalar(0.5))
            .map_err(torch("cross-modal distance"))?;
        self.config.reduction.apply(&half_squares)
    }
}
