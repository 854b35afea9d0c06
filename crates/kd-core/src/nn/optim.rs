//! Optimisers and learning-rate schedules of the [`Distiller`](super::Distiller).

use serde::Serialize;
use tch::nn::{self, OptimizerConfig};

use crate::loss::torch;
use crate::{Error, Result};

/// The optimiser, with PyTorch's semantics (`torch.optim.SGD`, `torch.optim.Adam`; weight
/// decay is the L2 gradient term of both).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum OptimizerKind {
    /// Stochastic gradient descent.
    Sgd {
        /// Base learning rate.
        lr: f64,
        /// Momentum (0 for none).
        momentum: f64,
        /// Weight decay.
        weight_decay: f64,
        /// Nesterov momentum.
        nesterov: bool,
    },
    /// Adam (β = 0.9, 0.999; ε = 1e-8).
    Adam {
        /// Base learning rate.
        lr: f64,
        /// Weight decay.
        weight_decay: f64,
    },
}

impl OptimizerKind {
    /// Adam with learning rate `lr` and no weight decay.
    pub fn adam(lr: f64) -> Self {
        Self::Adam { lr, weight_decay: 0.0 }
    }

    /// The base learning rate.
    pub fn learning_rate(&self) -> f64 {
        match *self {
            Self::Sgd { lr, .. } | Self::Adam { lr, .. } => lr,
        }
    }

    pub(crate) fn check(&self) -> Result<()> {
        let (lr, wd, momentum) = match *self {
            Self::Sgd { lr, weight_decay, momentum, .. } => (lr, weight_decay, momentum),
            Self::Adam { lr, weight_decay } => (lr, weight_decay, 0.0),
        };
        if !(lr > 0.0 && lr.is_finite() && wd >= 0.0 && (0.0..1.0).contains(&momentum)) {
            return Err(Error::InvalidParameter {
                name: "optimizer".into(),
                reason: format!("{self:?}: need lr > 0, weight_decay ≥ 0, 0 ≤ momentum < 1"),
            });
        }
        Ok(())
    }

    /// Builds the optimiser over every trainable variable of `store`.
    pub fn build(&self, store: &nn::VarStore) -> Result<nn::Optimizer> {
        match *self {
            Self::Sgd { lr, momentum, weight_decay, nesterov } => {
                nn::Sgd { momentum, dampening: 0.0, wd: weight_decay, nesterov }.build(store, lr)
            }
            Self::Adam { lr, weight_decay } => {
                nn::Adam { wd: weight_decay, ..Default::default() }.build(store, lr)
            }
        }
        .map_err(torch("optimizer"))
    }
}

/// How the learning rate changes over the epochs.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub enum Schedule {
    /// The base rate throughout.
    #[default]
    Constant,
    /// Multiplied by `gamma` every `every` epochs (`torch.optim.lr_scheduler.StepLR`).
    Step {
        /// Epochs between decays (≥ 1).
        every: usize,
        /// Factor (0 < γ ≤ 1).
        gamma: f64,
    },
    /// Cosine annealing from the base rate to 0 over the run (`CosineAnnealingLR`, `T_max` =
    /// epochs, `η_min` = 0): `η_e = η₀ (1 + cos(π e / E)) / 2`.
    Cosine,
}

impl Schedule {
    /// The rate of epoch `epoch` (0-based) of `epochs`, from base rate `base`.
    pub fn rate(&self, base: f64, epoch: usize, epochs: usize) -> f64 {
        match *self {
            Schedule::Constant => base,
            Schedule::Step { every, gamma } => base * gamma.powi((epoch / every.max(1)) as i32),
            Schedule::Cosine => {
                base * (1.0 + (std::f64::consts::PI * epoch as f64 / epochs.max(1) as f64).cos()) / 2.0
            }
        }
    }

    pub(crate) fn check(&self) -> Result<()> {
        if let Schedule::Step { every, gamma } = *self
            && (every == 0 || !(gamma > 0.0 && gamma <= 1.0))
        {
            return Err(Error::InvalidParameter {
                name: "schedule".into(),
                reason: format!("step every {every} epochs by {gamma}: need every ≥ 1 and 0 < gamma ≤ 1"),
            });
        }
        Ok(())
    }
}
