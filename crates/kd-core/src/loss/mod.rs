//! Distillation losses on libtorch (feature `torch`), each a config → `init()` → `forward`
//! module in the manner of burn's losses, over tch's fallible operations, with its tensor shapes
//! and formula in its doc comment. Every value and gradient is checked against PyTorch 2.13.0
//! references (`tests/golden/losses/gen.py`) within 1e-5 in float32.
//!
//! - [`kd`]: Hinton's soft-target loss as torchdistill's `KDLoss`, the soft binary
//!   cross-entropy for binary teachers, MSE to a regression teacher's values, and logit
//!   matching (Ba & Caruana 2014).
//! - [`feature`]: FitNets hints (Romero et al. 2015), attention transfer (Zagoruyko & Komodakis
//!   2017) and neuron selectivity transfer (Huang & Wang 2017).
//! - [`relational`]: relational KD (Park et al. 2019), similarity-preserving KD (Tung & Mori
//!   2019) and probabilistic knowledge transfer (Passalis & Tefas 2018), as RepDistiller.
//! - [`contrastive`]: contrastive representation distillation (Tian et al. 2020) with its
//!   embedding heads, memory banks and seeded negative sampling, as RepDistiller's `CRDLoss`.
//! - [`cross_modal`]: supervision transfer across modalities (Gupta et al. 2016), an L2 hint to
//!   a frozen teacher's features on paired inputs, with an optional learnable adaptor.

pub mod contrastive;
pub mod cross_modal;
pub mod feature;
pub mod kd;
pub mod relational;

use tch::Tensor;

use crate::{Error, Result};

/// How per-element (or per-row) losses are combined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reduction {
    /// Sum over all elements divided by the batch size (PyTorch's `batchmean`; the default of
    /// the KL-based losses).
    #[default]
    BatchMean,
    /// Mean over all elements.
    Mean,
    /// Sum over all elements.
    Sum,
}

impl Reduction {
    /// Reduces `t` (batch first) to a scalar.
    pub fn apply(self, t: &Tensor) -> Result<Tensor> {
        let total = t.f_sum(None).map_err(torch("sum"))?;
        match self {
            Reduction::Sum => Ok(total),
            Reduction::Mean => t.f_mean(None).map_err(torch("mean")),
            Reduction::BatchMean => {
                let n = t.size().first().copied().unwrap_or(1).max(1);
                total.f_div_scalar(n as f64).map_err(torch("batchmean"))
            }
        }
    }
}

/// Maps a libtorch error of operation `op` to kd's [`Error::Torch`].
pub(crate) fn torch(op: &'static str) -> impl Fn(tch::TchError) -> Error {
    move |e| Error::Torch { op: op.to_owned(), reason: e.to_string() }
}

/// Checks that the student's tensor `a` has the teacher's `b` shape ([`Error::ShapeMismatch`]).
pub(crate) fn same_shape(what: &str, a: &Tensor, b: &Tensor) -> Result<()> {
    if a.size() != b.size() {
        return Err(Error::ShapeMismatch {
            context: format!("{what} (student against teacher)"),
            expected: format!("{:?}", b.size()),
            got: format!("{:?}", a.size()),
        });
    }
    Ok(())
}
