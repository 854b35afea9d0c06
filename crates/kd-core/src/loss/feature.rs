//! Losses on intermediate features: FitNets hints, attention transfer, neuron selectivity
//! transfer. Feature maps have shape `(n, c, h, w)`; hints may also be `(n, d)`.

use tch::{Kind, Tensor, nn};

use super::{same_shape, torch};
use crate::{Error, Result};

/// `x / max(‖x‖₂, 1e-12)` along `dim` (PyTorch's `F.normalize`).
fn normalize(x: &Tensor, dim: i64) -> Result<Tensor> {
    let norm = x
        .f_norm_scalaropt_dim(2.0, [dim].as_slice(), true)
        .and_then(|n| n.f_clamp_min(1e-12))
        .map_err(torch("norm"))?;
    x.f_div(&norm).map_err(torch("normalize"))
}

/// The regressor that maps student features to the teacher's width in a FitNets hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regressor {
    /// `(n, d_s) → (n, d_t)`, a linear layer.
    Linear,
    /// `(n, c_s, h, w) → (n, c_t, h, w)`, a 1×1 convolution.
    Conv1x1,
}

/// A FitNets hint (Romero et al. 2015): `mean((r(s) − t)²)` with a learnable regressor `r`
/// (its parameters live in the `VarStore` path given to [`Hint::new`] and train with the
/// student).
#[derive(Debug)]
pub enum Hint {
    /// A linear regressor.
    Linear(nn::Linear),
    /// A 1×1 convolution.
    Conv1x1(nn::Conv2D),
}

impl Hint {
    /// A regressor from `student_width` to `teacher_width` channels or features under `path`.
    pub fn new(path: &nn::Path<'_>, kind: Regressor, student_width: i64, teacher_width: i64) -> Self {
        match kind {
            Regressor::Linear => {
                Hint::Linear(nn::linear(path, student_width, teacher_width, Default::default()))
            }
            Regressor::Conv1x1 => {
                Hint::Conv1x1(nn::conv2d(path, student_width, teacher_width, 1, Default::default()))
            }
        }
    }

    /// The regressor's weight and bias.
    pub fn parameters(&self) -> (&Tensor, Option<&Tensor>) {
        match self {
            Hint::Linear(l) => (&l.ws, l.bs.as_ref()),
            Hint::Conv1x1(c) => (&c.ws, c.bs.as_ref()),
        }
    }

    /// `mean((r(s) − t)²)`.
    pub fn forward(&self, s: &Tensor, t: &Tensor) -> Result<Tensor> {
        let mapped = match self {
            Hint::Linear(l) => s.f_linear(&l.ws, l.bs.as_ref()).map_err(torch("linear"))?,
            Hint::Conv1x1(c) => s
                .f_conv2d(&c.ws, c.bs.as_ref(), [1, 1].as_slice(), [0, 0].as_slice(), [1, 1].as_slice(), 1)
                .map_err(torch("conv2d"))?,
        };
        same_shape("hint features", &mapped, t)?;
        mapped.f_mse_loss(t, tch::Reduction::Mean).map_err(torch("mse_loss"))
    }
}

/// Attention transfer (Zagoruyko & Komodakis 2017): `a(f) = normalize(flatten(mean_c f^p))`
/// per map pair, `L = β/2 · Σ_pairs mean((a(s) − a(t))²)`; defaults `p = 2`, `β = 1000`.
/// Maps `(n, c, h, w)`; channels may differ, spatial sizes must match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttentionTransfer {
    /// Exponent `p`.
    pub p: f64,
    /// Weight `β`.
    pub beta: f64,
}

impl Default for AttentionTransfer {
    fn default() -> Self {
        Self { p: 2.0, beta: 1000.0 }
    }
}

impl AttentionTransfer {
    /// The attention map of `f`, shape `(n, h·w)`.
    pub fn map(&self, f: &Tensor) -> Result<Tensor> {
        let pooled = f
            .f_pow_tensor_scalar(self.p)
            .and_then(|v| v.f_mean_dim([1i64].as_slice(), false, Kind::Float))
            .and_then(|v| v.f_flatten(1, -1))
            .map_err(torch("attention map"))?;
        normalize(&pooled, 1)
    }

    /// The loss over pairs of student and teacher maps.
    pub fn forward(&self, students: &[Tensor], teachers: &[Tensor]) -> Result<Tensor> {
        pairs_sum(students, teachers, |s, t| {
            let d = self.map(s)?.f_sub(&self.map(t)?).map_err(torch("difference"))?;
            d.f_pow_tensor_scalar(2.0).and_then(|v| v.f_mean(None)).map_err(torch("mean"))
        })?
        .f_mul_scalar(self.beta / 2.0)
        .map_err(torch("scale"))
    }
}

/// Kernels of neuron selectivity transfer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NstKernel {
    /// `k(x, y) = (x·y + c)^d`; the paper's default is `d = 2, c = 0`.
    Polynomial {
        /// Degree.
        d: f64,
        /// Offset.
        c: f64,
    },
    /// `k(x, y) = x·y`.
    Linear,
    /// `k(x, y) = exp(−‖x − y‖² / (2σ²))`.
    Gaussian {
        /// `σ²`.
        sigma2: f64,
    },
}

/// Neuron selectivity transfer (Huang & Wang 2017), as RepDistiller's `NSTLoss` (full form):
/// every channel's map flattened and L2-normalised, `F_s`, `F_t` of shape `(n, c, h·w)`, then
/// the squared MMD `mean k(F_t, F_t) + mean k(F_s, F_s) − 2·mean k(F_s, F_t)` (the teacher term
/// detached), summed over map pairs. Spatial sizes must match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NeuronSelectivity {
    /// The kernel.
    pub kernel: NstKernel,
}

impl Default for NeuronSelectivity {
    fn default() -> Self {
        Self { kernel: NstKernel::Polynomial { d: 2.0, c: 0.0 } }
    }
}

impl NeuronSelectivity {
    /// Mean of the kernel between every channel of `a` and every channel of `b` (per sample).
    fn kernel_mean(&self, a: &Tensor, b: &Tensor) -> Result<Tensor> {
        let dot = b.f_matmul(&a.f_transpose(1, 2).map_err(torch("transpose"))?).map_err(torch("matmul"))?;
        let k = match self.kernel {
            NstKernel::Polynomial { d, c } => dot.f_add_scalar(c).and_then(|v| v.f_pow_tensor_scalar(d)),
            NstKernel::Linear => Ok(dot),
            NstKernel::Gaussian { sigma2 } => {
                let sq = |x: &Tensor| {
                    x.f_pow_tensor_scalar(2.0)
                        .and_then(|v| v.f_sum_dim_intlist([2i64].as_slice(), false, Kind::Float))
                };
                let (na, nb) = (sq(a).map_err(torch("norm"))?, sq(b).map_err(torch("norm"))?);
                na.f_unsqueeze(1)
                    .and_then(|v| v.f_add(&nb.f_unsqueeze(2)?))
                    .and_then(|v| v.f_sub(&dot.f_mul_scalar(2.0)?))
                    .and_then(|v| v.f_div_scalar(-2.0 * sigma2))
                    .and_then(|v| v.f_exp())
            }
        }
        .map_err(torch("kernel"))?;
        k.f_mean(None).map_err(torch("mean"))
    }

    /// The loss over pairs of student and teacher maps.
    pub fn forward(&self, students: &[Tensor], teachers: &[Tensor]) -> Result<Tensor> {
        pairs_sum(students, teachers, |s, t| {
            let flat =
                |f: &Tensor| f.f_flatten(2, -1).map_err(torch("flatten")).and_then(|v| normalize(&v, 2));
            let (fs, ft) = (flat(s)?, flat(t)?);
            let tt = self.kernel_mean(&ft, &ft)?.detach();
            let ss = self.kernel_mean(&fs, &fs)?;
            let st = self.kernel_mean(&fs, &ft)?;
            tt.f_add(&ss).and_then(|v| v.f_sub(&st.f_mul_scalar(2.0)?)).map_err(torch("mmd"))
        })
    }
}

/// `Σ_i loss(students[i], teachers[i])`, refusing lists of different lengths or empty ones.
fn pairs_sum(
    students: &[Tensor],
    teachers: &[Tensor],
    loss: impl Fn(&Tensor, &Tensor) -> Result<Tensor>,
) -> Result<Tensor> {
    if students.len() != teachers.len() || students.is_empty() {
        return Err(Error::InvalidParameter {
            name: "feature maps".into(),
            reason: format!(
                "{} student and {} teacher maps (equal and at least one)",
                students.len(),
                teachers.len()
            ),
        });
    }
    let mut total: Option<Tensor> = None;
    for (s, t) in students.iter().zip(teachers) {
        let (ss, ts) = (s.size(), t.size());
        if ss.len() != 4 || ts.len() != 4 || ss[0] != ts[0] || ss[2..] != ts[2..] {
            return Err(Error::InvalidParameter {
                name: "feature maps".into(),
                reason: format!("student {ss:?} and teacher {ts:?}: need (n, c, h, w) with equal n, h, w"),
            });
        }
        let value = loss(s, t)?;
        total = Some(match total {
            None => value,
            Some(acc) => acc.f_add(&value).map_err(torch("sum"))?,
        });
    }
    total.ok_or_else(|| Error::InvalidParameter { name: "feature maps".into(), reason: "none".into() })
}
