//! A small wide residual network (Zagoruyko & Komodakis 2016, "Wide Residual Networks"):
//! WRN-d-k has a 3×3 stem of 16 channels, three groups of `n = (d − 4)/6` pre-activation basic
//! blocks (BN-ReLU-conv3×3, twice) of widths 16k, 32k, 64k (16 is the configurable `base`) with
//! strides 1, 2, 2, a 1×1 convolution on the shortcut where the width or stride changes, then
//! BN-ReLU, global average pooling and a linear layer. The taps are the three groups' outputs,
//! as attention transfer uses them (Zagoruyko & Komodakis 2017).

use tch::{Tensor, nn, nn::ModuleT};

use super::network::{Network, Output};
use crate::loss::torch;
use crate::{Error, Result};

/// Shape of a [`WideResNet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WideResNetConfig {
    /// Depth `d` (`d − 4` divisible by 6: 10, 16, 22, …).
    pub depth: i64,
    /// Widening factor `k`.
    pub width: i64,
    /// Channels of the stem, and of the first group at `k = 1` (16 in the paper; the groups'
    /// widths are `base·k`, `2·base·k`, `4·base·k`). A smaller base gives networks thinner than
    /// WRN-d-1.
    pub base: i64,
    /// Input channels.
    pub channels: i64,
    /// Image side.
    pub side: i64,
    /// Output width.
    pub classes: i64,
}

#[derive(Debug)]
struct Block {
    bn1: nn::BatchNorm,
    conv1: nn::Conv2D,
    bn2: nn::BatchNorm,
    conv2: nn::Conv2D,
    shortcut: Option<nn::Conv2D>,
}

/// The network.
#[derive(Debug)]
pub struct WideResNet {
    config: WideResNetConfig,
    stem: nn::Conv2D,
    groups: Vec<Vec<Block>>,
    bn: nn::BatchNorm,
    fc: nn::Linear,
}

fn conv(path: nn::Path<'_>, cin: i64, cout: i64, k: i64, stride: i64) -> nn::Conv2D {
    let config = nn::ConvConfig { stride, padding: k / 2, bias: false, ..Default::default() };
    nn::conv2d(path, cin, cout, k, config)
}

impl WideResNetConfig {
    /// Builds the network under `path`.
    pub fn init(&self, path: &nn::Path<'_>) -> Result<WideResNet> {
        let c = *self;
        if c.depth < 10
            || (c.depth - 4) % 6 != 0
            || c.width < 1
            || c.base < 1
            || c.channels < 1
            || c.classes < 1
            || c.side < 4
        {
            return Err(Error::InvalidParameter {
                name: "wide resnet".into(),
                reason: format!("{c:?}: depth must be 6n + 4 ≥ 10, side ≥ 4, widths and base ≥ 1"),
            });
        }
        let per_group = (c.depth - 4) / 6;
        let widths = [c.base, c.base * c.width, 2 * c.base * c.width, 4 * c.base * c.width];
        let groups = (0..3)
            .map(|g| {
                (0..per_group)
                    .map(|b| {
                        let p = path / format!("g{g}") / format!("b{b}");
                        let cin = if b == 0 { widths[g] } else { widths[g + 1] };
                        let cout = widths[g + 1];
                        let stride = if b == 0 && g > 0 { 2 } else { 1 };
                        Block {
                            bn1: nn::batch_norm2d(&p / "bn1", cin, Default::default()),
                            conv1: conv(&p / "conv1", cin, cout, 3, stride),
                            bn2: nn::batch_norm2d(&p / "bn2", cout, Default::default()),
                            conv2: conv(&p / "conv2", cout, cout, 3, 1),
                            shortcut: (cin != cout || stride != 1)
                                .then(|| conv(&p / "shortcut", cin, cout, 1, stride)),
                        }
                    })
                    .collect()
            })
            .collect();
        Ok(WideResNet {
            config: c,
            stem: conv(path / "stem", c.channels, widths[0], 3, 1),
            groups,
            bn: nn::batch_norm2d(path / "bn", widths[3], Default::default()),
            fc: nn::linear(path / "fc", widths[3], c.classes, Default::default()),
        })
    }
}

impl Block {
    fn forward(&self, x: &Tensor, train: bool) -> std::result::Result<Tensor, tch::TchError> {
        let pre = self.bn1.forward_t(x, train).f_relu()?;
        let h = pre.apply(&self.conv1);
        let h = self.bn2.forward_t(&h, train).f_relu()?.apply(&self.conv2);
        let skip = match &self.shortcut {
            Some(s) => pre.apply(s),
            None => x.shallow_clone(),
        };
        h.f_add(&skip)
    }
}

impl Network for WideResNet {
    fn forward_taps(&self, x: &Tensor, train: bool) -> Result<Output> {
        let c = self.config;
        let mut h =
            x.f_view([-1, c.channels, c.side, c.side]).map_err(torch("view as images"))?.apply(&self.stem);
        let mut taps = Vec::with_capacity(3);
        for group in &self.groups {
            for block in group {
                h = block.forward(&h, train).map_err(torch("residual block"))?;
            }
            taps.push(h.shallow_clone());
        }
        let logits = self
            .bn
            .forward_t(&h, train)
            .f_relu()
            .and_then(|v| v.f_adaptive_avg_pool2d([1, 1]))
            .and_then(|v| v.f_flatten(1, -1))
            .and_then(|v| v.f_linear(&self.fc.ws, self.fc.bs.as_ref()))
            .map_err(torch("head"))?;
        Ok(Output { logits, taps })
    }
}
