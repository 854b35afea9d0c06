//! Buciluǎ, Caruana & Niculescu-Mizil (2006), "Model compression" (KDD 2006): a small model
//! trained to imitate an ensemble on a large sample of MUNGE points labelled by the ensemble
//! matches it better than one trained on the original training rows only, and better than
//! one trained on points whose attributes are drawn independently (the paper's RANDOM).
//!
//! Here, per dataset (breast cancer, wine, digits) and seed: a stratified half of the rows is
//! the training split; a scikit-learn random forest (200 trees, the ensemble teacher) is
//! trained on it alone and served over `cmd:`, wrapped in an [`Oracle`] that counts queries. Its
//! class probabilities at the training rows and at 10 synthetic points per training row train a
//! kd-students multi-output regression tree with 32 leaves (squared error, born-again style),
//! under three conditions: (a) training rows only, (b) plus MUNGE points (`p = 0.5`, `s = 10`,
//! 10 rounds), (c) plus as many RANDOM points (independent empirical marginals); NBE points
//! (kd's naive-Bayes mixture) are shown for context. The error against the teacher is the RMSE
//! between the student's and the teacher's class probabilities, over every class and every
//! held-out test row.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use kd_core::data::{Dataset, DatasetSpec, ReadOptions, read_csv, train_test_split};
use kd_core::metrics::{accuracy, argmax};
use kd_extract::Oracle;
use kd_extract::input::{FeatureKind, MixtureParams};
use kd_extract::munge::{MungeParams, independent_marginals, munge, naive_bayes_estimation};
use kd_students::tree::{Criterion, Tree, TreeParams, TreeTarget};
use ndarray::{Array2, Axis, concatenate};
use serde_json::json;

use super::{mean_sd, root, sklearn_teacher};
use crate::paper::{Outcome, Paper, RunOptions};

/// The reproduction.
pub struct Bucila2006;

/// Synthetic points per training row (MUNGE rounds).
const SYNTHETIC_PER_ROW: usize = 10;
/// The student's leaf budget, the same in every condition.
const MAX_LEAVES: usize = 32;
/// Share of the rows held out for the test.
const TEST_FRACTION: f64 = 0.5;
/// The conditions, in the order of [`SeedResult::rmse`].
const CONDITIONS: [&str; 4] = ["original", "munge", "random", "nbe"];

/// One dataset and seed.
struct SeedResult {
    /// RMSE against the teacher of the students of [`CONDITIONS`].
    rmse: [f64; 4],
    teacher_accuracy: f64,
    /// Points the teacher labelled for the students (training rows and the three samples).
    queries: usize,
}

/// Root mean squared difference over every cell.
fn rmse(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    let sum: f64 = a.iter().zip(b).map(|(u, v)| (u - v).powi(2)).sum();
    (sum / a.len() as f64).sqrt()
}

/// A 32-leaf regression tree on the teacher's probabilities at `x`, scored against the teacher
/// on the test rows.
fn student_rmse(x: &Array2<f64>, p: &Array2<f64>, x_test: &Array2<f64>, p_test: &Array2<f64>) -> Result<f64> {
    let params = TreeParams::default().max_leaves(MAX_LEAVES).criterion(Criterion::SquaredError);
    let tree = Tree::fit(&params, x.view(), TreeTarget::Values(p.view()))?;
    Ok(rmse(&tree.predict(x_test.view())?, p_test))
}

fn one_seed(file: &Path, seed: u64, dir: &Path) -> Result<SeedResult> {
    let table = read_csv(file, &ReadOptions::default())?;
    let data = Dataset::from_table(&table, &DatasetSpec { target: "target".into(), ..Default::default() })?;
    let y = data.classes().context("a classification target")?;
    let split = train_test_split(data.n_rows(), TEST_FRACTION, seed, Some(y))?;
    let mut teacher = sklearn_teacher(file, &table, &data, &split.train, "random_forest", seed, dir)?;
    let mut oracle = Oracle::new(teacher.as_mut())?;
    let x_train = data.x().select(Axis(0), &split.train);
    let x_test = data.x().select(Axis(0), &split.test);
    let kinds: Vec<FeatureKind> = data
        .features()
        .iter()
        .map(|f| match &f.levels {
            Some(levels) => FeatureKind::Categorical { levels: levels.len() },
            None => FeatureKind::Numeric,
        })
        .collect();
    let n_synthetic = SYNTHETIC_PER_ROW * x_train.nrows();
    let samples = [
        munge(&MungeParams::default(), x_train.view(), &kinds, n_synthetic, seed)?,
        independent_marginals(x_train.view(), &kinds, n_synthetic, seed)?,
        naive_bayes_estimation(
            &MixtureParams { seed, ..MixtureParams::default() },
            x_train.view(),
            &kinds,
            n_synthetic,
            seed,
        )?,
    ];
    let p_train = oracle.outputs(x_train.view())?;
    let p_test = oracle.outputs(x_test.view())?;
    let mut rmse = [0.0; 4];
    rmse[0] = student_rmse(&x_train, &p_train, &x_test, &p_test)?;
    for (k, sample) in samples.iter().enumerate() {
        let p_sample = oracle.outputs(sample.view())?;
        let x = concatenate(Axis(0), &[x_train.view(), sample.view()])?;
        let p = concatenate(Axis(0), &[p_train.view(), p_sample.view()])?;
        rmse[k + 1] = student_rmse(&x, &p, &x_test, &p_test)?;
    }
    let queries = oracle.queries() - x_test.nrows();
    let truth: Vec<usize> = split.test.iter().map(|&r| y[r]).collect();
    let teacher_accuracy = accuracy(&truth, &argmax(p_test.view()))?;
    Ok(SeedResult { rmse, teacher_accuracy, queries })
}

/// Whether MUNGE (b) beats both the original rows (a) and RANDOM (c).
fn munge_wins(r: &SeedResult) -> bool {
    r.rmse[1] < r.rmse[0] && r.rmse[1] < r.rmse[2]
}

impl Paper for Bucila2006 {
    fn id(&self) -> &'static str {
        "bucila2006"
    }
    fn citation(&self) -> &'static str {
        "Buciluǎ, Caruana & Niculescu-Mizil (2006), Model compression, KDD"
    }
    fn claim(&self) -> &'static str {
        "on three binary tasks (breast cancer, wine class 0 vs rest, digits 8 vs rest; stratified halves), a one-hidden-layer MLP student (8 units) trained by kd's Distiller on a random forest's probability at the training rows plus 20 MUNGE points per row is closer to the teacher (lower RMSE to its probability on the held-out half) than the same student trained on the training rows alone, and than one trained with 20 RANDOM points (attributes drawn independently) per row, in at least 4 of 5 seeds on each task"
    }
    fn preconditions(&self) -> &'static [&'static str] {
        &["there is a gap to close: on each task the student trained on the original rows alone is at least 0.02 from the teacher (RMSE of the probability on the held-out half, mean over seeds)"]
    }
    fn run(&self, options: &RunOptions) -> Result<Outcome> {
        let seeds: Vec<u64> = (0..if options.quick() { 2 } else { 5 }).collect();
        let scratch = tempfile::tempdir()?;
        let datasets = ["breast_cancer", "wine", "digits"];
        let mut table = String::from(
            "| data | teacher accuracy | (a) original rows | (b) + MUNGE | (c) + RANDOM | NBE (context) | (b) < (a), seeds | (b) < (c), seeds | (b) beats both |\n|---|---|---|---|---|---|---|---|---|\n",
        );
        let mut per_seed = String::from("data,seed,original,munge,random,nbe,teacher_accuracy,queries\n");
        let mut metrics = serde_json::Map::new();
        let mut holds = true;
        let (mut lost_to_original, mut lost_to_random) = (0, 0);
        let mut headline = Vec::new();
        for name in datasets {
            let file = root().join(format!("data/sklearn/{name}.csv"));
            let results: Vec<SeedResult> =
                seeds.iter().map(|&s| one_seed(&file, s, scratch.path())).collect::<Result<_>>()?;
            let column = |k: usize| -> Vec<f64> { results.iter().map(|r| r.rmse[k]).collect() };
            let summaries: Vec<(f64, f64)> = (0..CONDITIONS.len()).map(|k| mean_sd(&column(k))).collect();
            let wins = results.iter().filter(|r| munge_wins(r)).count();
            let beats = |k: usize| results.iter().filter(|r| r.rmse[1] < r.rmse[k]).count();
            let (beats_original, beats_random) = (beats(0), beats(2));
            lost_to_random += seeds.len() - beats_random;
            lost_to_original += seeds.len() - beats_original;
            holds &= wins == seeds.len();
            let accuracy: Vec<f64> = results.iter().map(|r| r.teacher_accuracy).collect();
            let (am, asd) = mean_sd(&accuracy);
            let cells: Vec<String> = summaries.iter().map(|(m, s)| format!("{m:.4} ± {s:.4}")).collect();
            let _ = writeln!(
                table,
                "| {name} | {am:.4} ± {asd:.4} | {} | {beats_original} | {beats_random} | {wins} of {} |",
                cells.join(" | "),
                seeds.len()
            );
            let mut entry = serde_json::Map::new();
            for (k, condition) in CONDITIONS.iter().enumerate() {
                entry.insert(format!("rmse_{condition}"), json!(summaries[k].0));
            }
            entry.insert("munge_wins".into(), json!(wins));
            entry.insert("munge_beats_original".into(), json!(beats_original));
            entry.insert("munge_beats_random".into(), json!(beats_random));
            entry.insert("teacher_accuracy".into(), json!(am));
            entry.insert("queries".into(), json!(results.first().map_or(0, |r| r.queries)));
            metrics.insert(name.into(), serde_json::Value::Object(entry));
            headline
                .push(format!("{name} {:.3}/{:.3}/{:.3}", summaries[0].0, summaries[1].0, summaries[2].0));
            for (seed, r) in seeds.iter().zip(&results) {
                let _ = writeln!(
                    per_seed,
                    "{name},{seed},{},{},{},{},{},{}",
                    r.rmse[0], r.rmse[1], r.rmse[2], r.rmse[3], r.teacher_accuracy, r.queries
                );
            }
        }
        std::fs::write(options.dir.join("per_seed.csv"), per_seed)?;
        let _ = write!(
            table,
            "\nRMSE between the student's and the teacher's class probabilities on the held-out half (every class, every \
             row), mean ± sd over seeds; lower is closer to the teacher. The student is a {MAX_LEAVES}-leaf regression \
             tree in every condition; (b), (c) and NBE add {SYNTHETIC_PER_ROW} synthetic points per training row, \
             labelled by the teacher. The teacher accuracy is the random forest's on the held-out half."
        );
        let runs = seeds.len() * datasets.len();
        let verdict = if holds {
            format!("MUNGE was closest to the teacher in all {runs} dataset-seed runs.")
        } else {
            format!(
                "Why it does not hold: of {runs} dataset-seed runs, MUNGE lost to the original rows alone in \
                 {lost_to_original} and to RANDOM in {lost_to_random} (see the table per dataset). Synthetic points of \
                 either kind help the tree; where RANDOM wins, a plausible reading, not \
                 tested here, is that an axis-aligned tree gains from points that fill the box between the rows, \
                 which independent marginals do and MUNGE, staying near the rows, does less; the paper's neural \
                 students and larger samples may weigh this differently."
            )
        };
        let mut paper_metrics = serde_json::Map::new();
        paper_metrics.insert(
            "finding".into(),
            json!("MUNGE's compressed nets matched the ensemble far better than nets trained on the original data only (qualitative)"),
        );
        Ok(Outcome {
            preconditions: Vec::new(),
            metrics,
            paper_metrics,
            holds,
            seeds,
            paper_figure: "MUNGE-trained compressed models match the ensemble far better than training on the original data only (qualitative)".into(),
            our_figure: format!("RMSE original/MUNGE/RANDOM: {}", headline.join("; ")),
            table,
            plots: Vec::new(),
            notes: format!(
                "The claim needs (b) below both (a) and (c) in every seed on every dataset. Departures from the paper: the \
                 student is a {MAX_LEAVES}-leaf multi-output regression tree (kd-students, squared error on the teacher's \
                 probabilities), not a neural net; the teacher is one scikit-learn random forest (200 trees), not the \
                 paper's ensemble selection over many model families; the data are scikit-learn's small datasets with a \
                 stratified 50% training split, not the paper's eight problems; the synthetic sample is {SYNTHETIC_PER_ROW} \
                 times the training rows for every generator (the paper grew it much larger). MUNGE uses kd's defaults \
                 p = 0.5 and s = 10 (numeric features standardised for the neighbour search), not tuned here. RANDOM draws \
                 each attribute from its empirical marginal. NBE (kd's naive-Bayes Gaussian mixture, component count by \
                 BIC up to 10) is shown for context and is not part of the verdict. {verdict}"
            ),
        })
    }
}
