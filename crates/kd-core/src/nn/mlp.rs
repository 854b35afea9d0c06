//! Multilayer perceptrons: `d → h₁ → … → h_m → k` with ReLU between layers.

use tch::{Tensor, nn};

use super::network::{Network, Output};
use crate::loss::torch;
use crate::{Error, Result};

/// Shape of an [`Mlp`]: `input → hidden… → output`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MlpConfig {
    /// Input width `d`.
    pub input: i64,
    /// Hidden widths, e.g. `[64, 64]` (may be empty: a linear model).
    pub hidden: Vec<i64>,
    /// Output width `k` (classes, or 1 for a binary or regression student).
    pub output: i64,
}

/// A multilayer perceptron; its taps are the hidden activations after ReLU.
#[derive(Debug)]
pub struct Mlp {
    layers: Vec<nn::Linear>,
}

impl MlpConfig {
    /// Builds the network's layers under `path` (`l0`, `l1`, … with `weight` and `bias`),
    /// initialised by libtorch's default (Kaiming-uniform) scheme.
    pub fn init(&self, path: &nn::Path<'_>) -> Result<Mlp> {
        let widths: Vec<i64> = std::iter::once(self.input)
            .chain(self.hidden.iter().copied())
            .chain(std::iter::once(self.output))
            .collect();
        if let Some(w) = widths.iter().find(|&&w| w < 1) {
            return Err(Error::InvalidParameter {
                name: "mlp".into(),
                reason: format!("layer width {w} in {widths:?}; every width must be at least 1"),
            });
        }
        let layers = widths
            .windows(2)
            .enumerate()
            .map(|(i, w)| nn::linear(path / format!("l{i}"), w[0], w[1], Default::default()))
            .collect();
        Ok(Mlp { layers })
    }
}

impl Network for Mlp {
    fn forward_taps(&self, x: &Tensor, _train: bool) -> Result<Output> {
        let mut h = x.shallow_clone();
        let mut taps = Vec::with_capacity(self.layers.len().saturating_sub(1));
        for (i, layer) in self.layers.iter().enumerate() {
            h = h.f_linear(&layer.ws, layer.bs.as_ref()).map_err(torch("linear"))?;
            if i + 1 < self.layers.len() {
                h = h.f_relu().map_err(torch("relu"))?;
                taps.push(h.shallow_clone());
            }
        }
        Ok(Output { logits: h, taps })
    }
}
