//! Magnitude pruning (Han, Pool, Tran & Dally 2015, "Learning both Weights and Connections for
//! Efficient Neural Networks"): a layer's weights below `q · σ` in absolute value are removed,
//! `σ` the standard deviation of the layer's remaining weights and `q` the quality parameter;
//! masks persist, so retraining (with [`Distiller::with_masks`](super::Distiller::with_masks))
//! keeps removed weights at zero, and rounds of prune-and-retrain form the iterative schedule.
//!
//! Only weight matrices and kernels (variables named `…weight` with two or more dimensions) are
//! pruned; biases and batch-norm parameters are kept and are not counted.

use std::collections::BTreeMap;

use serde::Serialize;
use tch::{Kind, Tensor, nn};

use crate::loss::torch;
use crate::{Error, Result};

/// Sparsity of one layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerSparsity {
    /// Variable name.
    pub name: String,
    /// Number of weights.
    pub total: usize,
    /// Weights kept.
    pub kept: usize,
}

/// Masks of 0/1 per prunable weight, by variable name.
#[derive(Debug)]
pub struct PruneMasks {
    masks: BTreeMap<String, Tensor>,
}

fn prunable(store: &nn::VarStore) -> BTreeMap<String, Tensor> {
    store.variables().into_iter().filter(|(name, v)| name.ends_with("weight") && v.dim() >= 2).collect()
}

fn count(mask: &Tensor) -> Result<usize> {
    let kept = mask.f_sum(Kind::Double).and_then(|v| v.f_double_value(&[])).map_err(torch("count"))?;
    Ok(kept.round() as usize)
}

impl PruneMasks {
    /// Masks that keep every prunable weight of `store`.
    pub fn dense(store: &nn::VarStore) -> Result<Self> {
        let masks = prunable(store)
            .into_iter()
            .map(|(name, w)| Ok((name, w.f_ones_like().map_err(torch("ones"))?)))
            .collect::<Result<_>>()?;
        Ok(Self { masks })
    }

    /// The masks that one more pruning step at quality `q` would give (not applied).
    fn step(&self, store: &nn::VarStore, q: f64) -> Result<BTreeMap<String, Tensor>> {
        let weights = prunable(store);
        self.masks
            .iter()
            .map(|(name, mask)| Ok((name.clone(), layer_step(&weights, name, mask, q)?)))
            .collect()
    }

    /// Prunes every layer at quality `q` (≥ 0) and zeroes the removed weights in `store`.
    pub fn prune_by_std(&mut self, store: &nn::VarStore, q: f64) -> Result<()> {
        if !(q >= 0.0 && q.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "quality".into(),
                reason: format!("{q} (a finite value ≥ 0)"),
            });
        }
        self.masks = self.step(store, q)?;
        self.apply(store)
    }

    /// Prunes with the smallest common quality `q` (found by bisection to 1e-4) that leaves at
    /// most `density` (0 < density ≤ 1) of the prunable weights, and zeroes the removed weights.
    /// Returns `q`.
    pub fn prune_to_density(&mut self, store: &nn::VarStore, density: f64) -> Result<f64> {
        if !(density > 0.0 && density <= 1.0) {
            return Err(Error::InvalidParameter {
                name: "density".into(),
                reason: format!("{density} (in (0, 1])"),
            });
        }
        let total = self.total();
        let kept_at = |q: f64| -> Result<f64> {
            let masks = self.step(store, q)?;
            let kept = masks.values().map(count).sum::<Result<usize>>()?;
            Ok(kept as f64 / total.max(1) as f64)
        };
        let high = bisect(density, &kept_at)?;
        self.prune_by_std(store, high)?;
        Ok(high)
    }

    /// Prunes each layer named in `densities` with its own quality `q_l`, the smallest (found
    /// by bisection to 1e-4) that leaves at most that share of the layer's weights, as Han et
    /// al. set a rate per layer (LeNet-300-100: 8%, 9% and 26% of the three layers' weights
    /// kept); other layers are unchanged. Zeroes the removed weights and returns the `q_l`.
    pub fn prune_layers_to_density(
        &mut self,
        store: &nn::VarStore,
        densities: &[(&str, f64)],
    ) -> Result<Vec<f64>> {
        let weights = prunable(store);
        let mut qualities = Vec::with_capacity(densities.len());
        for &(name, density) in densities {
            if !(density > 0.0 && density <= 1.0) {
                return Err(Error::InvalidParameter {
                    name: "density".into(),
                    reason: format!("{density} for layer {name} (in (0, 1])"),
                });
            }
            let mask = self.masks.get(name).ok_or_else(|| Error::InvalidParameter {
                name: "prune".into(),
                reason: format!("no prunable layer {name}; the layers are {:?}", self.masks.keys()),
            })?;
            let total = mask.numel().max(1) as f64;
            let kept_at =
                |q: f64| -> Result<f64> { Ok(count(&layer_step(&weights, name, mask, q)?)? as f64 / total) };
            let q = bisect(density, &kept_at)?;
            let new_mask = layer_step(&weights, name, mask, q)?;
            self.masks.insert(name.to_owned(), new_mask);
            qualities.push(q);
        }
        self.apply(store)?;
        Ok(qualities)
    }

    /// Zeroes the removed weights of `store` (after every optimiser step while retraining).
    pub fn apply(&self, store: &nn::VarStore) -> Result<()> {
        let weights = prunable(store);
        tch::no_grad(|| {
            for (name, mask) in &self.masks {
                if let Some(w) = weights.get(name) {
                    let mut w = w.shallow_clone();
                    w.f_mul_(mask).map(drop).map_err(torch("mask weights"))?;
                }
            }
            Ok(())
        })
    }

    /// Per-layer sparsity.
    pub fn layers(&self) -> Result<Vec<LayerSparsity>> {
        self.masks
            .iter()
            .map(|(name, m)| Ok(LayerSparsity { name: name.clone(), total: m.numel(), kept: count(m)? }))
            .collect()
    }

    fn total(&self) -> usize {
        self.masks.values().map(Tensor::numel).sum()
    }

    /// Share of prunable weights kept.
    pub fn density(&self) -> Result<f64> {
        let kept = self.masks.values().map(count).sum::<Result<usize>>()?;
        Ok(kept as f64 / self.total().max(1) as f64)
    }
}

/// The mask of layer `name` (current mask `mask`) after one more step at quality `q`: weights
/// kept so far whose magnitude exceeds `q` times the standard deviation of the kept weights.
fn layer_step(weights: &BTreeMap<String, Tensor>, name: &str, mask: &Tensor, q: f64) -> Result<Tensor> {
    let w = weights.get(name).ok_or_else(|| Error::InvalidParameter {
        name: "prune".into(),
        reason: format!("variable {name} is not in the store the masks were made for"),
    })?;
    let kept =
        w.f_masked_select(&mask.f_to_kind(Kind::Bool).map_err(torch("mask"))?).map_err(torch("select"))?;
    let sd = if kept.numel() > 1 {
        kept.f_std(true).and_then(|v| v.f_double_value(&[])).map_err(torch("std"))?
    } else {
        0.0
    };
    w.f_abs()
        .and_then(|a| a.f_gt(q * sd))
        .and_then(|k| k.f_to_kind(mask.kind()))
        .and_then(|k| k.f_mul(mask))
        .map_err(torch("threshold"))
}

/// The smallest `q` (to 1e-4) with `kept_at(q) ≤ density`; `kept_at` falls as `q` grows.
fn bisect(density: f64, kept_at: &dyn Fn(f64) -> Result<f64>) -> Result<f64> {
    let (mut low, mut high) = (0.0, 1.0);
    while kept_at(high)? > density {
        high *= 2.0;
        if high > 1e6 {
            return Err(Error::InvalidParameter {
                name: "density".into(),
                reason: format!("{density} cannot be reached by magnitude thresholds"),
            });
        }
    }
    while high - low > 1e-4 {
        let mid = (low + high) / 2.0;
        if kept_at(mid)? > density { low = mid } else { high = mid }
    }
    Ok(high)
}
