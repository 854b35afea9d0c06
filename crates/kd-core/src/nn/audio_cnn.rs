//! A small CNN for log-mel spectrograms or their MFCCs (keyword-spotting style): stages of 3×3 convolution
//! (padding 1) + ReLU + 2×2 max-pooling over the `(mels, frames)` image, then the mean over the
//! time axis (so a word's position in the clip matters little), a ReLU dense layer and the
//! output layer.
//!
//! Shapes: rows `(n, mels · frames)` (band-major, as `kd_core::audio::images` builds them;
//! `mels` is the image's rows, mel bands or MFCCs) are viewed as `(n, 1, mels, frames)`; after `s` stages `(n, c_s, mels / 2^s,
//! frames / 2^s)`; after the time mean `(n, c_s · mels / 2^s)`; then `hidden`, then `classes`.

use serde::{Deserialize, Serialize};
use tch::{Tensor, nn};

use super::network::{Network, Output};
use crate::loss::torch;
use crate::{Error, Result};

/// Shape of an [`AudioCnn`].
///
/// | field | meaning | range |
/// |---|---|---|
/// | `mels` | mel bands of the input image | ≥ 2^stages |
/// | `frames` | frames of the input image | ≥ 2^stages |
/// | `channels` | output channels of each stage, e.g. `[16, 32]` | 1–4 stages, each ≥ 1 |
/// | `hidden` | width of the dense layer | ≥ 1 |
/// | `classes` | outputs | ≥ 2 |
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioCnnConfig {
    /// The image's rows: mel bands, or MFCCs.
    pub mels: i64,
    /// Frames.
    pub frames: i64,
    /// Channels per stage.
    pub channels: Vec<i64>,
    /// Dense width.
    pub hidden: i64,
    /// Classes.
    pub classes: i64,
}

/// The CNN; its taps are each stage's activations after ReLU, before pooling.
#[derive(Debug)]
pub struct AudioCnn {
    config: AudioCnnConfig,
    convs: Vec<nn::Conv2D>,
    dense: nn::Linear,
    out: nn::Linear,
}

impl AudioCnnConfig {
    /// Checks the shape, naming what is out of range.
    pub fn check(&self) -> Result<()> {
        let stages = self.channels.len();
        let smallest = 1i64 << stages.min(8);
        let bad = |reason: String| Err(Error::InvalidParameter { name: "cnn".into(), reason });
        if !(1..=4).contains(&stages) {
            return bad(format!("{stages} convolution stages; use 1 to 4"));
        }
        if self.channels.iter().any(|&c| c < 1) || self.hidden < 1 || self.classes < 2 {
            return bad(format!("{self:?}: every width must be at least 1 and classes at least 2"));
        }
        if self.mels < smallest || self.frames < smallest {
            return bad(format!(
                "a {}×{} image is too small for {stages} 2×2 poolings (need at least {smallest}×{smallest})",
                self.mels, self.frames
            ));
        }
        Ok(())
    }

    /// Trainable parameters of the network.
    pub fn parameters(&self) -> i64 {
        let mut inputs = 1;
        let mut total = 0;
        for &c in &self.channels {
            total += c * inputs * 9 + c;
            inputs = c;
        }
        let pooled = self.mels >> self.channels.len();
        let flat = inputs * pooled;
        total + flat * self.hidden + self.hidden + self.hidden * self.classes + self.classes
    }

    /// Builds the network under `path` (`conv0`, `conv1`, …, `dense`, `out`), initialised by
    /// libtorch's default schemes.
    pub fn init(&self, path: &nn::Path<'_>) -> Result<AudioCnn> {
        self.check()?;
        let config = nn::ConvConfig { padding: 1, ..Default::default() };
        let mut inputs = 1;
        let mut convs = Vec::with_capacity(self.channels.len());
        for (i, &c) in self.channels.iter().enumerate() {
            convs.push(nn::conv2d(path / format!("conv{i}"), inputs, c, 3, config));
            inputs = c;
        }
        let flat = inputs * (self.mels >> self.channels.len());
        Ok(AudioCnn {
            config: self.clone(),
            convs,
            dense: nn::linear(path / "dense", flat, self.hidden, Default::default()),
            out: nn::linear(path / "out", self.hidden, self.classes, Default::default()),
        })
    }
}

impl AudioCnn {
    /// The shape it was built with.
    pub fn config(&self) -> &AudioCnnConfig {
        &self.config
    }
}

impl Network for AudioCnn {
    fn forward_taps(&self, x: &Tensor, _train: bool) -> Result<Output> {
        let c = &self.config;
        let mut h = x.f_view([-1, 1, c.mels, c.frames]).map_err(torch("view as images of bands × frames"))?;
        let mut taps = Vec::with_capacity(self.convs.len());
        for conv in &self.convs {
            let a = h
                .f_conv2d(&conv.ws, conv.bs.as_ref(), [1, 1], [1, 1], [1, 1], 1)
                .and_then(|v| v.f_relu())
                .map_err(torch("convolution"))?;
            h = a.f_max_pool2d([2, 2], [2, 2], [0, 0], [1, 1], false).map_err(torch("max_pool"))?;
            taps.push(a);
        }
        let logits = h
            .f_mean_dim(Some([3i64].as_slice()), false, None)
            .and_then(|v| v.f_flatten(1, -1))
            .and_then(|v| v.f_linear(&self.dense.ws, self.dense.bs.as_ref()))
            .and_then(|v| v.f_relu())
            .and_then(|v| v.f_linear(&self.out.ws, self.out.bs.as_ref()))
            .map_err(torch("time mean and dense layers"))?;
        Ok(Output { logits, taps })
    }
}
