//! Running a trained network over many rows.

use tch::{Kind, Tensor};

use super::network::Network;
use crate::loss::torch;
use crate::{Error, Result};

/// The network's logits `(n, k)` for the rows `x` `(n, d)`, in eval mode under `no_grad`, in
/// batches of `batch_size` rows; on the CPU.
pub fn logits(net: &dyn Network, x: &Tensor, batch_size: usize) -> Result<Tensor> {
    let n = x.size().first().copied().unwrap_or(0);
    if n == 0 || batch_size == 0 {
        return Err(Error::InvalidParameter {
            name: "rows".into(),
            reason: format!("{n} rows with batch size {batch_size}; need at least one of each"),
        });
    }
    let parts = tch::no_grad(|| -> Result<Vec<Tensor>> {
        (0..n)
            .step_by(batch_size)
            .map(|start| {
                let len = (n - start).min(batch_size as i64);
                let xb = x.f_narrow(0, start, len).map_err(torch("batch"))?;
                let out = net.forward_taps(&xb, false)?;
                out.logits.f_to_device(tch::Device::Cpu).map_err(torch("to cpu"))
            })
            .collect()
    })?;
    Tensor::f_cat(&parts, 0).map_err(torch("cat"))
}

/// Share of rows whose arg-max logit is the label `y` `(n,)` int64.
pub fn accuracy(net: &dyn Network, x: &Tensor, y: &Tensor) -> Result<f64> {
    let predicted = logits(net, x, 1024)?.f_argmax(1, false).map_err(torch("argmax"))?;
    let y = y.f_to_device(tch::Device::Cpu).map_err(torch("to cpu"))?;
    if predicted.size() != y.size() {
        return Err(Error::InvalidParameter {
            name: "labels".into(),
            reason: format!("{:?} labels for {:?} rows", y.size(), predicted.size()),
        });
    }
    predicted
        .f_eq_tensor(&y)
        .and_then(|v| v.f_to_kind(Kind::Double))
        .and_then(|v| v.f_mean(None))
        .and_then(|v| v.f_double_value(&[]))
        .map_err(torch("accuracy"))
}
