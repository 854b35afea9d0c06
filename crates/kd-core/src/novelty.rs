//! Random network distillation (Burda, Edwards, Storkey & Klimov 2018, "Exploration by random
//! network distillation") as a novelty score for model monitoring: a predictor network is
//! trained to match a fixed, randomly initialised target network on reference rows; its error
//! on a new row is large where the row is unlike the reference data.
//!
//! Inputs are whitened with the reference rows' mean and standard deviation and clipped to
//! `[−clip, clip]` (5 in the paper). Target: `d → hidden → output` with ReLU, weights drawn
//! `N(0, 1/fan_in)` from the seed and never trained. Predictor: `d → hidden → hidden → output`
//! with ReLU (one layer deeper, as in the paper), trained with Adam on the mean squared error.
//! The score of a row is its mean squared error across the outputs. Weights and batch order
//! come from a ChaCha8 stream of the seed (not libtorch's global generator), so a fit is
//! deterministic on CPU.

use ndarray::{Array1, ArrayView2};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tch::nn::{self, OptimizerConfig};
use tch::{Kind, Tensor};

use crate::loss::torch;
use crate::{Error, Result};

/// Parameters of [`Rnd::fit`].
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `hidden` | 64 | width of the hidden layers |
/// | `output` | 32 | width of the embedding the predictor imitates |
/// | `epochs` | 100 | passes over the reference rows |
/// | `batch_size` | 64 | rows per Adam step |
/// | `learning_rate` | 1e-3 | Adam's step size |
/// | `clip` | 5 | whitened inputs are clipped to `[−clip, clip]` |
/// | `seed` | 0 | weights and batch order |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RndConfig {
    /// Hidden width.
    pub hidden: i64,
    /// Output width.
    pub output: i64,
    /// Epochs.
    pub epochs: usize,
    /// Batch size.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Clip of whitened inputs.
    pub clip: f64,
    /// Seed.
    pub seed: u64,
}

impl Default for RndConfig {
    fn default() -> Self {
        Self { hidden: 64, output: 32, epochs: 100, batch_size: 64, learning_rate: 1e-3, clip: 5.0, seed: 0 }
    }
}

/// A trained novelty scorer.
#[derive(Debug)]
pub struct Rnd {
    mean: Vec<f64>,
    sd: Vec<f64>,
    clip: f64,
    target: Vec<(Tensor, Tensor)>,
    predictor: Vec<(Tensor, Tensor)>,
    _store: nn::VarStore,
}

/// Layers `(weight (in, out), bias (out))` with weights `N(0, 1/in)` from `rng`.
fn layers(widths: &[i64], rng: &mut ChaCha8Rng) -> Vec<(Tensor, Tensor)> {
    widths
        .windows(2)
        .map(|w| {
            let (fan_in, fan_out) = (w[0], w[1]);
            let values: Vec<f32> = (0..fan_in * fan_out)
                .map(|_| {
                    // Box–Muller from two uniforms.
                    let (u, v): (f64, f64) = (rng.r#gen::<f64>().max(1e-300), rng.r#gen());
                    ((-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos() / (fan_in as f64).sqrt())
                        as f32
                })
                .collect();
            (
                Tensor::from_slice(&values).view([fan_in, fan_out]),
                Tensor::zeros([fan_out], (Kind::Float, tch::Device::Cpu)),
            )
        })
        .collect()
}

fn forward(net: &[(Tensor, Tensor)], x: &Tensor) -> Result<Tensor> {
    let mut h = x.shallow_clone();
    for (i, (w, b)) in net.iter().enumerate() {
        h = h.f_matmul(w).and_then(|v| v.f_add(b)).map_err(torch("layer"))?;
        if i + 1 < net.len() {
            h = h.f_relu().map_err(torch("relu"))?;
        }
    }
    Ok(h)
}

impl Rnd {
    /// Trains the predictor on the reference rows `x` (shape `(n, d)`).
    pub fn fit(config: &RndConfig, x: ArrayView2<'_, f64>) -> Result<Self> {
        let bad = |name: &str, reason: String| Error::InvalidParameter { name: name.into(), reason };
        if config.hidden < 1 || config.output < 1 || config.batch_size == 0 || config.epochs == 0 {
            return Err(bad("rnd", "hidden, output, batch_size and epochs must be at least 1".into()));
        }
        if !(config.learning_rate > 0.0 && config.clip > 0.0) {
            return Err(bad("learning_rate/clip", "both must be positive".into()));
        }
        let (n, d) = x.dim();
        if n < 2 || d == 0 {
            return Err(bad(
                "reference",
                format!("{n} rows and {d} columns; need at least 2 rows and 1 column"),
            ));
        }
        if let Some(((row, column), v)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "reference".into(),
                reason: format!("row {row}, column {column}: {v} is not a finite number"),
            });
        }
        let mean: Vec<f64> = x.columns().into_iter().map(|c| c.sum() / n as f64).collect();
        let sd: Vec<f64> = x
            .columns()
            .into_iter()
            .zip(&mean)
            .map(|(c, m)| {
                let s = (c.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n as f64).sqrt();
                if s > 0.0 { s } else { 1.0 }
            })
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let (h, o, d64) = (config.hidden, config.output, d as i64);
        let target = layers(&[d64, h, o], &mut rng);
        let store = nn::VarStore::new(tch::Device::Cpu);
        let root = store.root();
        let predictor: Vec<(Tensor, Tensor)> = layers(&[d64, h, h, o], &mut rng)
            .into_iter()
            .enumerate()
            .map(|(i, (w, b))| (root.var_copy(&format!("w{i}"), &w), root.var_copy(&format!("b{i}"), &b)))
            .collect();
        let mut scorer = Self { mean, sd, clip: config.clip, target, predictor, _store: store };
        let inputs = scorer.whiten(x)?;
        let goal = tch::no_grad(|| forward(&scorer.target, &inputs))?;
        let mut adam =
            nn::adam(0.9, 0.999, 0.0).build(&scorer._store, config.learning_rate).map_err(torch("adam"))?;
        let mut order: Vec<i64> = (0..n as i64).collect();
        for _ in 0..config.epochs {
            order.shuffle(&mut rng);
            for batch in order.chunks(config.batch_size) {
                let index = Tensor::from_slice(batch);
                let (xb, yb) = (
                    inputs.f_index_select(0, &index).map_err(torch("batch"))?,
                    goal.f_index_select(0, &index).map_err(torch("batch"))?,
                );
                let loss = forward(&scorer.predictor, &xb)?
                    .f_mse_loss(&yb, tch::Reduction::Mean)
                    .map_err(torch("mse"))?;
                adam.backward_step(&loss);
            }
        }
        scorer.predictor.iter_mut().for_each(|(w, b)| {
            *w = w.detach();
            *b = b.detach();
        });
        Ok(scorer)
    }

    fn whiten(&self, x: ArrayView2<'_, f64>) -> Result<Tensor> {
        if x.ncols() != self.mean.len() {
            return Err(Error::InvalidParameter {
                name: "rows".into(),
                reason: format!("{} columns; the reference had {}", x.ncols(), self.mean.len()),
            });
        }
        let values: Vec<f32> = x
            .indexed_iter()
            .map(|((_, j), v)| ((v - self.mean[j]) / self.sd[j]).clamp(-self.clip, self.clip) as f32)
            .collect();
        Ok(Tensor::from_slice(&values).view([x.nrows() as i64, x.ncols() as i64]))
    }

    /// Novelty of each row of `x`: the predictor's mean squared error against the target.
    pub fn score(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        if let Some(((row, column), v)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "rows".into(),
                reason: format!("row {row}, column {column}: {v} is not a finite number"),
            });
        }
        let inputs = self.whiten(x)?;
        let errors = tch::no_grad(|| -> Result<Tensor> {
            let diff = forward(&self.predictor, &inputs)?
                .f_sub(&forward(&self.target, &inputs)?)
                .map_err(torch("diff"))?;
            diff.f_pow_tensor_scalar(2.0)
                .and_then(|v| v.f_mean_dim([1i64].as_slice(), false, Kind::Float))
                .map_err(torch("mse"))
        })?;
        let values = Vec::<f64>::try_from(errors.to_kind(Kind::Double)).map_err(torch("to_vec"))?;
        Ok(Array1::from(values))
    }
}
