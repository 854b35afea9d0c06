//! A LeNet-5-like CNN (LeCun et al. 1998): two convolution + ReLU + 2×2 max-pool stages, then
//! two fully connected layers and the output layer.
//!
//! Images of side ≥ 16 use LeNet-5's 5×5 kernels (the first padded by 2, so 28×28 MNIST gives
//! 28 → 14 → 10 → 5); smaller ones (8×8 digits) use 3×3 kernels padded by 1 (8 → 4 → 4 → 2).

use tch::{Tensor, nn};

use super::network::{Network, Output};
use crate::loss::torch;
use crate::{Error, Result};

/// Shape of a [`LeNet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeNetConfig {
    /// Input channels.
    pub channels: i64,
    /// Image side (inputs are `(n, channels·side·side)` rows).
    pub side: i64,
    /// Output width.
    pub classes: i64,
    /// Channels of the two convolutions (LeNet-5: 6, 16).
    pub conv: (i64, i64),
    /// Widths of the two fully connected layers (LeNet-5: 120, 84).
    pub fc: (i64, i64),
}

impl LeNetConfig {
    /// LeNet-5's widths for `side`-pixel grey images and `classes` outputs.
    pub fn lenet5(side: i64, classes: i64) -> Self {
        Self { channels: 1, side, classes, conv: (6, 16), fc: (120, 84) }
    }

    /// Builds the network under `path`.
    pub fn init(&self, path: &nn::Path<'_>) -> Result<LeNet> {
        let (c1, c2) = self.conv;
        let (f1, f2) = self.fc;
        if self.side < 4 || [self.channels, self.classes, c1, c2, f1, f2].iter().any(|&w| w < 1) {
            return Err(Error::InvalidParameter {
                name: "lenet".into(),
                reason: format!("{self:?}: side must be at least 4 and every width at least 1"),
            });
        }
        let large = self.side >= 16;
        let (kernel, pad1, pad2) = if large { (5, 2, 0) } else { (3, 1, 1) };
        let conv = |name: &str, cin, cout, padding| {
            nn::conv2d(path / name, cin, cout, kernel, nn::ConvConfig { padding, ..Default::default() })
        };
        let after_first = self.side / 2;
        let after_second = (after_first + 2 * pad2 - kernel + 1) / 2;
        if after_second < 1 {
            return Err(Error::InvalidParameter {
                name: "lenet".into(),
                reason: format!("side {} leaves no pixels after the second stage", self.side),
            });
        }
        Ok(LeNet {
            config: *self,
            conv1: conv("conv1", self.channels, c1, pad1),
            conv2: conv("conv2", c1, c2, pad2),
            padding: (pad1, pad2),
            fc1: nn::linear(path / "fc1", c2 * after_second * after_second, f1, Default::default()),
            fc2: nn::linear(path / "fc2", f1, f2, Default::default()),
            out: nn::linear(path / "out", f2, self.classes, Default::default()),
        })
    }
}

/// The CNN; its taps are the two convolution stages' activations after ReLU, before pooling.
#[derive(Debug)]
pub struct LeNet {
    config: LeNetConfig,
    conv1: nn::Conv2D,
    conv2: nn::Conv2D,
    padding: (i64, i64),
    fc1: nn::Linear,
    fc2: nn::Linear,
    out: nn::Linear,
}

impl Network for LeNet {
    fn forward_taps(&self, x: &Tensor, _train: bool) -> Result<Output> {
        let c = self.config;
        let image = x.f_view([-1, c.channels, c.side, c.side]).map_err(torch("view as images"))?;
        let stage = |input: &Tensor, conv: &nn::Conv2D, pad: i64| -> Result<(Tensor, Tensor)> {
            let a = input
                .f_conv2d(&conv.ws, conv.bs.as_ref(), [1, 1], [pad, pad], [1, 1], 1)
                .and_then(|v| v.f_relu())
                .map_err(torch("convolution"))?;
            let pooled = a.f_max_pool2d([2, 2], [2, 2], [0, 0], [1, 1], false).map_err(torch("max_pool"))?;
            Ok((a, pooled))
        };
        let (a1, p1) = stage(&image, &self.conv1, self.padding.0)?;
        let (a2, p2) = stage(&p1, &self.conv2, self.padding.1)?;
        let dense = |h: &Tensor, l: &nn::Linear, relu: bool| {
            let v = h.f_linear(&l.ws, l.bs.as_ref())?;
            if relu { v.f_relu() } else { Ok(v) }
        };
        let logits = p2
            .f_flatten(1, -1)
            .and_then(|h| dense(&h, &self.fc1, true))
            .and_then(|h| dense(&h, &self.fc2, true))
            .and_then(|h| dense(&h, &self.out, false))
            .map_err(torch("dense layers"))?;
        Ok(Output { logits, taps: vec![a1, a2] })
    }
}
