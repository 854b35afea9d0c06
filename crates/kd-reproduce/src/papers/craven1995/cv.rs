//! One repetition of `craven1995`'s cross-validation: stratified folds, and per fold a teacher
//! trained on the other folds, TREPAN and two CART trees, with every held-out row's classes
//! pooled over the folds (the paper's measure: fidelity over all rows, each predicted by the
//! fold that held it out).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use kd_core::data::{Dataset, DatasetSpec, MissingPolicy, ReadOptions, Table, Target, read_csv};
use kd_core::metrics::argmax;
use kd_extract::Oracle;
use kd_extract::trepan::{TrepanParams, trepan};
use kd_students::tree::{Tree, TreeParams, TreeTarget};
use ndarray::Axis;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::papers::{SklearnModel, feature_kinds, sklearn_teacher_with};

/// The teacher: scikit-learn's MLP (64-64) with an L2 penalty of 0.01, batches of 32 and early
/// stopping (20 epochs without improvement on 10% of its rows).
const TEACHER: &str = "mlp_regularised";

/// A dataset: its name, file, columns that are not features and coded categories.
pub(super) struct Source {
    pub(super) name: &'static str,
    pub(super) file: PathBuf,
    pub(super) exclude: &'static [&'static str],
    /// Columns whose numbers are codes of categories: read as categorical, so that TREPAN draws
    /// them from their level frequencies and the teacher one-hot encodes them.
    pub(super) categorical: &'static [&'static str],
}

impl Source {
    fn load(&self) -> Result<(Table, Dataset)> {
        let categorical = self.categorical.iter().map(|s| (*s).to_owned()).collect();
        let table = read_csv(&self.file, &ReadOptions { categorical, ..ReadOptions::default() })?;
        let spec = DatasetSpec {
            target: "target".into(),
            exclude: self.exclude.iter().map(|s| (*s).to_owned()).collect(),
            missing: MissingPolicy::Drop,
            ..Default::default()
        };
        let data = Dataset::from_table(&table, &spec)?;
        Ok((table, data))
    }
}

/// The fold of each row: each class's rows, shuffled by `seed`, dealt to the folds in turn.
pub(super) fn stratified_folds(y: &[usize], k: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut fold = vec![0; y.len()];
    let classes = y.iter().max().map_or(0, |&m| m + 1);
    let mut next = 0;
    for class in 0..classes {
        let mut rows: Vec<usize> = (0..y.len()).filter(|&r| y[r] == class).collect();
        rows.shuffle(&mut rng);
        for r in rows {
            fold[r] = next % k;
            next += 1;
        }
    }
    fold
}

/// What one fold's models say about its held-out rows, and TREPAN's tree.
struct Fold {
    rows: Vec<usize>,
    teacher: Vec<usize>,
    trepan: Vec<usize>,
    born_again: Vec<usize>,
    cart: Vec<usize>,
    leaves: usize,
    internal: usize,
    literals: f64,
    at_cap: f64,
    queries: usize,
    tree: String,
}

/// Every row's classes, each from the fold that held it out, and per-fold tree figures.
pub(super) struct Pooled {
    pub(super) truth: Vec<usize>,
    pub(super) teacher: Vec<usize>,
    pub(super) trepan: Vec<usize>,
    pub(super) born_again: Vec<usize>,
    /// CART fitted to the true labels with as many leaves as the fold's TREPAN tree.
    pub(super) cart: Vec<usize>,
    pub(super) leaves: f64,
    pub(super) internal: f64,
    pub(super) literals: f64,
    /// Share of the tests with `max_literals` literals.
    pub(super) at_cap: f64,
    pub(super) queries: f64,
    /// TREPAN's tree of the first fold.
    pub(super) tree: String,
}

fn one_fold(
    source: &Source,
    table: &Table,
    data: &Dataset,
    fold: &[usize],
    k: usize,
    seed: u64,
    dir: &Path,
) -> Result<Fold> {
    let y = data.classes().context("a classification target")?;
    let train: Vec<usize> = (0..y.len()).filter(|&r| fold[r] != k).collect();
    let test: Vec<usize> = (0..y.len()).filter(|&r| fold[r] == k).collect();
    let fold_seed = seed * 100 + k as u64;
    let model = SklearnModel {
        model: TEACHER,
        seed: fold_seed,
        exclude: source.exclude,
        categorical: source.categorical,
    };
    let mut teacher = sklearn_teacher_with(&source.file, table, data, &train, &model, dir)?;
    let teacher_train = argmax(teacher.predict_rows(data, &train)?.view());
    let teacher_test = argmax(teacher.predict_rows(data, &test)?.view());
    let (x_train, x_test) = (data.x().select(Axis(0), &train), data.x().select(Axis(0), &test));
    let kinds = feature_kinds(data);
    let params = TrepanParams::default();
    let mut oracle = Oracle::new(teacher.as_mut())?;
    let tree = trepan(&params, x_train.view(), &kinds, &mut oracle, fold_seed)?;
    let queries = oracle.queries();
    let n_classes = data.task().n_outputs();
    // CART needs at least two leaves; a one-leaf TREPAN tree is compared with a stump.
    let cart_params = TreeParams::default().max_leaves(tree.n_leaves().max(2));
    let fit = |labels: &[usize]| -> Result<Vec<usize>> {
        let t = Tree::fit(&cart_params, x_train.view(), TreeTarget::Classes { y: labels, n_classes })?;
        Ok(argmax(t.predict(x_test.view())?.view()))
    };
    let truth_train: Vec<usize> = train.iter().map(|&r| y[r]).collect();
    let names: Vec<String> = data.features().iter().map(|f| f.name.clone()).collect();
    let labels = match data.target() {
        Target::Classes { labels, .. } => Some(labels.clone()),
        Target::Values(_) => None,
    };
    let tests: Vec<usize> = tree.nodes.iter().filter_map(|n| n.split.as_ref().map(|s| s.test.n())).collect();
    Ok(Fold {
        trepan: tree.predict(x_test.view())?,
        born_again: fit(&teacher_train)?,
        cart: fit(&truth_train)?,
        teacher: teacher_test,
        rows: test,
        leaves: tree.n_leaves(),
        internal: tree.n_internal(),
        literals: tests.iter().sum::<usize>() as f64 / tests.len().max(1) as f64,
        at_cap: tests.iter().filter(|&&n| n >= params.max_literals).count() as f64
            / tests.len().max(1) as f64,
        queries,
        tree: tree.export_text(&names, &data.levels(), labels.as_deref()),
    })
}

/// A `k`-fold cross-validation of `source` with folds drawn from `seed`, folds run side by side.
pub(super) fn cross_validate(source: &Source, k: usize, seed: u64, dir: &Path) -> Result<Pooled> {
    let (table, data) = source.load()?;
    let y = data.classes().context("a classification target")?.to_vec();
    let fold = stratified_folds(&y, k, seed);
    let folds: Vec<Fold> = (0..k)
        .into_par_iter()
        .map(|f| one_fold(source, &table, &data, &fold, f, seed, dir))
        .collect::<Result<_>>()?;
    let n = y.len();
    let mut pooled = Pooled {
        truth: y,
        teacher: vec![0; n],
        trepan: vec![0; n],
        born_again: vec![0; n],
        cart: vec![0; n],
        leaves: 0.0,
        internal: 0.0,
        literals: 0.0,
        at_cap: 0.0,
        queries: 0.0,
        tree: folds.first().map(|f| f.tree.clone()).unwrap_or_default(),
    };
    for f in &folds {
        for (i, &r) in f.rows.iter().enumerate() {
            pooled.teacher[r] = f.teacher[i];
            pooled.trepan[r] = f.trepan[i];
            pooled.born_again[r] = f.born_again[i];
            pooled.cart[r] = f.cart[i];
        }
        pooled.leaves += f.leaves as f64 / k as f64;
        pooled.internal += f.internal as f64 / k as f64;
        pooled.literals += f.literals / k as f64;
        pooled.at_cap += f.at_cap / k as f64;
        pooled.queries += f.queries as f64 / k as f64;
    }
    Ok(pooled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_stratified_and_cover_every_row_once() {
        let y: Vec<usize> = (0..103).map(|i| usize::from(i % 3 == 0)).collect();
        let fold = stratified_folds(&y, 10, 4);
        for k in 0..10 {
            let rows: Vec<usize> = (0..y.len()).filter(|&r| fold[r] == k).collect();
            assert!((10..=11).contains(&rows.len()), "fold {k}: {} rows", rows.len());
            let ones = rows.iter().filter(|&&r| y[r] == 1).count();
            assert!((3..=4).contains(&ones), "fold {k}: {ones} of class 1");
        }
        assert_eq!(stratified_folds(&y, 10, 4), fold);
    }
}
