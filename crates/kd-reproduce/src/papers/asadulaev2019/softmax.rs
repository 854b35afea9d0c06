//! The paper's logistic-regression baseline, as the authors ran it
//! (`did/experiments/baselines/train_logreg.py` and `results/16-05-2019/logreg_mnist.csv` in
//! postmachines/Linear-Distillation-Learning): one `nn.Linear(d, classes)` layer with PyTorch's
//! default initialisation, cross-entropy on its softmax, no penalty, Adam (learning rate 1e-3,
//! PyTorch's defaults otherwise) on shuffled batches of 32 examples (the last batch holds the
//! rest), 10 epochs. The paper's MNIST table quotes the 10-epoch, 1e-3 runs of that log.

use anyhow::{Result, ensure};
use ndarray::{Array2, ArrayView2, Axis};
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

use super::ldl::{Adam, Affine, argmax_of};

/// Epochs of the authors' quoted runs.
const EPOCHS: usize = 10;
/// Their batch size.
const BATCH: usize = 32;
/// Their learning rate.
const LEARNING_RATE: f64 = 1e-3;

/// Trains the baseline on rows `x` with classes `y` (below `n_classes`) and returns its
/// predicted classes for `test`.
pub(super) fn paper_softmax(
    x: ArrayView2<'_, f64>,
    y: &[usize],
    n_classes: usize,
    test: ArrayView2<'_, f64>,
    seed: u64,
) -> Result<Vec<usize>> {
    let (n, d) = x.dim();
    ensure!(y.len() == n && y.iter().all(|&c| c < n_classes), "{} labels for {n} rows", y.len());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut model = Affine::pytorch_default(&mut rng, d, n_classes);
    let mut adam = Adam::new(d, n_classes);
    let mut order: Vec<usize> = (0..n).collect();
    for _ in 0..EPOCHS {
        order.shuffle(&mut rng);
        for batch in order.chunks(BATCH) {
            let xb = x.select(Axis(0), batch);
            // ∂(mean cross-entropy)/∂logits = (softmax − one-hot) / batch.
            let mut g: Array2<f64> = model.apply(xb.view());
            for (mut row, &r) in g.rows_mut().into_iter().zip(batch) {
                let max = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
                row.mapv_inplace(|v| (v - max).exp());
                let sum = row.sum();
                row.mapv_inplace(|v| v / sum);
                row[y[r]] -= 1.0;
            }
            g /= batch.len() as f64;
            adam.step(&mut model, g.view(), xb.view(), LEARNING_RATE);
        }
    }
    Ok(argmax_of(&model, test))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two well-separated classes are learnt within the authors' 10 epochs (1,000 steps here).
    #[test]
    fn separates_two_clusters() -> Result<()> {
        let x = Array2::from_shape_fn((3200, 2), |(i, j)| if (i % 2 == 0) == (j == 0) { 1.0 } else { 0.0 });
        let y: Vec<usize> = (0..3200).map(|i| i % 2).collect();
        let predicted = paper_softmax(x.view(), &y, 2, x.view(), 1)?;
        assert_eq!(predicted, y);
        Ok(())
    }
}
