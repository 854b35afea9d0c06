//! The student of `bucila2006`: a one-hidden-layer ReLU MLP with one output logit, trained by
//! kd's `Distiller` on a teacher's probability of class 1 (or on true labels) with the soft
//! binary cross-entropy, whose gradient is `σ(s) − p`; inputs standardised with the training
//! rows' means and deviations; weights drawn from a stream of their own seed.

use anyhow::{Context, Result};
use kd_core::nn::{
    Distiller, DistillerConfig, MlpConfig, OptimizerKind, Schedule, TeacherSignal, Term, WeightedTerm, logits,
};
use kd_core::tch::{Device, Kind, Tensor, nn};
use ndarray::{Array1, ArrayView2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Hidden units of the student.
pub(super) const HIDDEN: i64 = 8;
/// Optimiser steps per student (about: whole epochs of batches of [`BATCH`]).
pub(super) const STEPS: usize = 3000;
const BATCH: usize = 64;
const LEARNING_RATE: f64 = 1e-2;
/// The teacher's probabilities are clipped to `[CLIP, 1 − CLIP]` before their logit is taken.
const CLIP: f64 = 1e-4;

/// Standardises columns with the means and deviations of `reference` (a constant column keeps
/// deviation 1).
pub(super) struct Scaler {
    mean: Array1<f64>,
    sd: Array1<f64>,
}

impl Scaler {
    pub(super) fn fit(reference: ArrayView2<'_, f64>) -> Self {
        let mean = reference.mean_axis(Axis(0)).unwrap_or_else(|| Array1::zeros(reference.ncols()));
        let sd = reference.std_axis(Axis(0), 0.0).mapv(|s| if s > 0.0 { s } else { 1.0 });
        Self { mean, sd }
    }

    pub(super) fn tensor(&self, x: ArrayView2<'_, f64>) -> Tensor {
        let z = (&x - &self.mean) / &self.sd;
        let values: Vec<f32> = z.iter().map(|&v| v as f32).collect();
        Tensor::from_slice(&values).view([x.nrows() as i64, x.ncols() as i64])
    }
}

/// What a student learns from: the teacher's probability of class 1 (distillation) or the true
/// classes.
pub(super) enum Targets<'a> {
    Teacher(&'a Array1<f64>),
    Labels(&'a [usize]),
}

/// An 8-unit MLP trained on the rows `x` (standardised by `scaler`), returning its probability
/// of class 1 on `test`.
pub(super) fn train_student(
    scaler: &Scaler,
    x: ArrayView2<'_, f64>,
    targets: Targets<'_>,
    test: &Tensor,
    seed: u64,
) -> Result<Array1<f64>> {
    let n = x.nrows();
    let store = nn::VarStore::new(Device::Cpu);
    let net = MlpConfig { input: x.ncols() as i64, hidden: vec![HIDDEN], output: 1 }.init(&store.root())?;
    initialise(&store, seed)?;
    let epochs = (STEPS * BATCH).div_ceil(n).max(1);
    let config = DistillerConfig {
        epochs,
        batch_size: BATCH,
        optimizer: OptimizerKind::adam(LEARNING_RATE),
        schedule: Schedule::Cosine,
        seed,
        ..Default::default()
    };
    // Labels are a teacher that is certain: probability 0 or 1, clipped like the teacher's.
    let p: Vec<f64> = match targets {
        Targets::Teacher(p) => p.to_vec(),
        Targets::Labels(y) => y.iter().map(|&c| c as f64).collect(),
    };
    let logit: Vec<f32> = p
        .iter()
        .map(|&v| {
            let v = v.clamp(CLIP, 1.0 - CLIP);
            (v / (1.0 - v)).ln() as f32
        })
        .collect();
    let signal = TeacherSignal::Outputs(Tensor::from_slice(&logit).view([n as i64, 1]));
    let terms = vec![WeightedTerm { weight: 1.0, term: Term::SoftBinary { temperature: 1.0 } }];
    Distiller::new(config, terms, signal)?.fit(&net, &store, &scaler.tensor(x), None, &mut |_| {})?;
    let z = logits(&net, test, 4096)?.f_sigmoid()?.f_to_kind(Kind::Double)?.f_view([-1])?;
    Ok(Array1::from(Vec::<f64>::try_from(z)?))
}

/// Draws every weight and bias of the student from `U(−1/√fan_in, 1/√fan_in)`, PyTorch's
/// default for `nn.Linear`, with a ChaCha8 stream of `seed` rather than libtorch's global
/// generator, so that students trained side by side on several threads are reproducible.
fn initialise(store: &nn::VarStore, seed: u64) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let variables = store.variables();
    let mut names: Vec<&String> = variables.keys().collect();
    names.sort();
    for name in names {
        let layer = name.rsplit_once('.').map_or(name.as_str(), |(layer, _)| layer);
        let weight = variables.get(&format!("{layer}.weight")).context("a layer without weights")?;
        let fan_in = weight.size().get(1).copied().unwrap_or(1).max(1);
        let bound = 1.0 / (fan_in as f64).sqrt();
        let tensor = &variables[name];
        let values: Vec<f32> = (0..tensor.numel()).map(|_| rng.gen_range(-bound..bound) as f32).collect();
        let drawn = Tensor::from_slice(&values).view(tensor.size().as_slice());
        kd_core::tch::no_grad(|| tensor.shallow_clone().f_copy_(&drawn))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// A student trained on a smooth teacher's probability follows it closely on new rows, and
    /// the same seed gives the same student.
    #[test]
    fn a_student_follows_a_smooth_teacher_reproducibly() -> Result<()> {
        let grid =
            |n: usize| Array2::from_shape_fn((n, 2), |(i, j)| ((i * (j + 3)) % 97) as f64 / 48.5 - 1.0);
        let teacher = |x: &Array2<f64>| x.map_axis(Axis(1), |r| 1.0 / (1.0 + (-(2.0 * r[0] - r[1])).exp()));
        let (x, x_new) = (grid(200), grid(97).mapv(|v| v * 0.9));
        let scaler = Scaler::fit(x.view());
        let test = scaler.tensor(x_new.view());
        let p = teacher(&x);
        let student = train_student(&scaler, x.view(), Targets::Teacher(&p), &test, 3)?;
        let gap = (&student - &teacher(&x_new)).mapv(|v| v * v).mean().unwrap_or(f64::NAN).sqrt();
        assert!(gap < 0.05, "RMSE to the teacher {gap}");
        assert_eq!(train_student(&scaler, x.view(), Targets::Teacher(&p), &test, 3)?, student);
        Ok(())
    }
}
