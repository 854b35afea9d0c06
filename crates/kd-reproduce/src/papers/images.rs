//! What the neural reproductions share: the digits (8×8, 1,797 rows) and MNIST (28×28: the
//! shipped 5k training subset and the 10,000 official test images) as float32 tensors scaled to
//! [0, 1], train/test splits and stratified subsets, training with kd's `Distiller`, test
//! errors and confidence intervals over seeds.

use std::io::Read as _;

use anyhow::{Context, Result, bail};
use kd_core::data::{Dataset, DatasetSpec, ReadOptions, read_csv, train_test_split};
use kd_core::nn::{Distiller, DistillerConfig, Network, TeacherSignal, TrainingLog, WeightedTerm, logits};
use kd_core::tch::{Kind, Tensor, nn};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::idx::mnist_test;
use super::root;

/// Images as rows `(n, side²)` and their classes.
pub struct Images {
    /// Pixels in [0, 1], float32, `(n, side²)`.
    pub x: Tensor,
    /// Class of each row (0–9).
    pub labels: Vec<usize>,
    /// Image side.
    pub side: i64,
    /// Name for reports.
    pub name: &'static str,
    /// Where the fixed test rows start (MNIST: the official test images follow the training
    /// subset); `None` for a stratified half split per seed.
    pub test_from: Option<usize>,
}

impl Images {
    /// scikit-learn's digits (`data/sklearn/digits.csv`), pixels 0–16 scaled by 1/16.
    pub fn digits() -> Result<Self> {
        let table = read_csv(&root().join("data/sklearn/digits.csv"), &ReadOptions::default())?;
        let data =
            Dataset::from_table(&table, &DatasetSpec { target: "target".into(), ..Default::default() })?;
        let labels = data.classes().context("digits has classes")?.to_vec();
        let values: Vec<f32> = data.x().iter().map(|&v| (v / 16.0) as f32).collect();
        let x = Tensor::from_slice(&values).view([data.n_rows() as i64, 64]);
        Ok(Self { x, labels, side: 8, name: "digits", test_from: None })
    }

    /// MNIST: the 5k training subset (`data/mnist/mnist_5k.csv.gz`: no header, 784 pixels
    /// 0–255, label last), then the 10,000 official test images (`data/mnist/mnist_t10k-*`),
    /// pixels scaled by 1/255. [`Images::split`] trains on the first and tests on the second.
    pub fn mnist() -> Result<Self> {
        let file = root().join("data/mnist/mnist_5k.csv.gz");
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&file).with_context(|| file.display().to_string())?)
            .read_to_string(&mut text)
            .with_context(|| format!("{}: not a gzip'd text file", file.display()))?;
        let (mut values, mut labels) = (Vec::new(), Vec::new());
        for (line, row) in text.lines().enumerate() {
            let fields: Vec<&str> = row.split(',').collect();
            if fields.len() != 785 {
                bail!("{}, line {}: {} fields, expected 785", file.display(), line + 1, fields.len());
            }
            for (column, f) in fields.iter().enumerate() {
                let v: f32 = f.trim().parse().with_context(|| {
                    format!("{}, line {}, column {}", file.display(), line + 1, column + 1)
                })?;
                if column < 784 { values.push(v / 255.0) } else { labels.push(v as usize) }
            }
        }
        let test_from = labels.len();
        let (test_images, test_labels) = mnist_test(&root())?;
        values.extend(test_images.data.iter().map(|&v| f32::from(v) / 255.0));
        labels.extend(test_labels);
        let x = Tensor::from_slice(&values).view([labels.len() as i64, 784]);
        Ok(Self { x, labels, side: 28, name: "MNIST", test_from: Some(test_from) })
    }

    /// The training and test rows of `seed`: MNIST's fixed training subset and official test
    /// set, or else a stratified half split.
    pub fn split(&self, seed: u64) -> Result<(Vec<usize>, Vec<usize>)> {
        match self.test_from {
            Some(k) => Ok(((0..k).collect(), (k..self.labels.len()).collect())),
            None => {
                let split = train_test_split(self.labels.len(), 0.5, seed, Some(&self.labels))?;
                Ok((split.train, split.test))
            }
        }
    }

    /// Rows in the test set of every seed (the official test set), or rows per test half.
    pub fn test_rows(&self) -> usize {
        match self.test_from {
            Some(k) => self.labels.len() - k,
            None => self.labels.len() - self.labels.len() / 2,
        }
    }

    /// Rows `rows` as inputs and int64 labels.
    pub fn rows(&self, rows: &[usize]) -> (Tensor, Tensor) {
        let index = Tensor::from_slice(&rows.iter().map(|&r| r as i64).collect::<Vec<_>>());
        let y: Vec<i64> = rows.iter().map(|&r| self.labels[r] as i64).collect();
        (self.x.index_select(0, &index), Tensor::from_slice(&y))
    }

    /// `per_class` rows of each class drawn from `rows` (fewer where a class has fewer).
    pub fn per_class(&self, rows: &[usize], per_class: usize, seed: u64) -> Vec<usize> {
        let mut shuffled = rows.to_vec();
        shuffled.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        let mut taken = [0usize; 10];
        shuffled.retain(|&r| {
            let keep = taken[self.labels[r]] < per_class;
            taken[self.labels[r]] += usize::from(keep);
            keep
        });
        shuffled.sort_unstable();
        shuffled
    }

    /// A stratified `fraction` of `rows`: `round(fraction · n_c)` rows (at least one) per class.
    pub fn stratified(&self, rows: &[usize], fraction: f64, seed: u64) -> Vec<usize> {
        let mut shuffled = rows.to_vec();
        shuffled.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        let mut counts = [0usize; 10];
        rows.iter().for_each(|&r| counts[self.labels[r]] += 1);
        let quota: Vec<usize> =
            counts.iter().map(|&c| ((c as f64 * fraction).round() as usize).max(1)).collect();
        let mut taken = [0usize; 10];
        shuffled.retain(|&r| {
            let keep = taken[self.labels[r]] < quota[self.labels[r]];
            taken[self.labels[r]] += usize::from(keep);
            keep
        });
        shuffled.sort_unstable();
        shuffled
    }
}

/// Trains `net` (variables in `store`) with the distiller.
pub fn train(
    net: &dyn Network,
    store: &nn::VarStore,
    config: DistillerConfig,
    terms: Vec<WeightedTerm>,
    teacher: TeacherSignal<'_>,
    x: &Tensor,
    y: Option<&Tensor>,
) -> Result<TrainingLog> {
    Ok(Distiller::new(config, terms, teacher)?.fit(net, store, x, y, &mut |_| {})?)
}

/// Rows of `x` that `net` classifies wrongly against `y`.
pub fn errors(net: &dyn Network, x: &Tensor, y: &Tensor) -> Result<usize> {
    errors_of(&logits(net, x, 512)?, y)
}

/// Rows whose arg-max of `logits` is not `y`.
pub fn errors_of(logits: &Tensor, y: &Tensor) -> Result<usize> {
    let wrong = logits.f_argmax(1, false)?.f_ne_tensor(y)?.f_sum(Kind::Int64)?.f_int64_value(&[])?;
    Ok(wrong as usize)
}
