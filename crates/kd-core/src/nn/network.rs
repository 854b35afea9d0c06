//! The interface every neural student and in-process teacher implements.

use tch::{CModule, Tensor};

use crate::Result;
use crate::loss::torch;

/// What a forward pass gives: logits `(n, k)` and the taps, the intermediate activations the
/// feature losses compare (MLP: each hidden layer `(n, h)`; CNNs: each stage `(n, c, h, w)`).
#[derive(Debug)]
pub struct Output {
    /// Logits (or values, for regression students), shape `(n, k)`.
    pub logits: Tensor,
    /// Intermediate activations, first layer first.
    pub taps: Vec<Tensor>,
}

/// A network kd can train or distil from. Inputs are float32 rows `(n, d)`.
pub trait Network: std::fmt::Debug {
    /// Runs the network; `train` switches batch norm (and any dropout) to training mode.
    fn forward_taps(&self, x: &Tensor, train: bool) -> Result<Output>;
}

/// A TorchScript module as a [`Network`]: logits only (no taps), always in eval mode.
#[derive(Debug)]
pub struct ScriptNetwork {
    module: CModule,
}

impl ScriptNetwork {
    /// Wraps `module`, switching it to eval mode.
    pub fn new(mut module: CModule) -> Self {
        module.set_eval();
        Self { module }
    }
}

impl Network for ScriptNetwork {
    fn forward_taps(&self, x: &Tensor, _train: bool) -> Result<Output> {
        let logits = self.module.forward_ts(&[x]).map_err(torch("torchscript forward"))?;
        let logits =
            if logits.dim() == 1 { logits.f_unsqueeze(1).map_err(torch("unsqueeze"))? } else { logits };
        Ok(Output { logits, taps: Vec::new() })
    }
}
