//! Liu, Wang & Matwin (2018), "Improving the interpretability of deep neural networks with
//! knowledge distillation" (ICDM Workshops): a decision tree trained on a neural network's
//! softened class probabilities classifies better than one trained on the hard labels.
//!
//! Here, on the digits data: for each seed a stratified half of the rows trains a 64-64 MLP
//! teacher (scikit-learn, served over kd's `cmd:` protocol); the teacher's probabilities on the
//! training half, softened at temperature T = 4 (`q ∝ p^{1/T}`, the softmax of the logits over
//! T), train a multi-output regression tree; the hard labels train a Gini tree of the same
//! depth; both are scored on the other half. The claim is judged at depth 4: a higher mean
//! accuracy with the 95% t-interval of the paired difference above zero. Seeds run side by side.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use kd_core::data::{Dataset, DatasetSpec, ReadOptions, read_csv, train_test_split};
use kd_core::metrics::{accuracy, argmax};
use kd_core::plot::{Curve, line_plot};
use kd_students::tree::{Criterion, Tree, TreeParams, TreeTarget};
use ndarray::{Array2, Axis};
use rayon::prelude::*;
use serde_json::json;

use super::{interval, mean_sd, root, sklearn_teacher};
use crate::paper::{Card, Outcome, Paper, Plot, Precondition, RunOptions};

const TEMPERATURE: f64 = 4.0;
const DEPTHS: [usize; 3] = [4, 6, 8];

/// `q_k ∝ p_k^{1/T}`: the softmax of the teacher's logits divided by `T`.
fn soften(p: &Array2<f64>, t: f64) -> Array2<f64> {
    let mut q = p.mapv(|v| v.max(1e-300).powf(1.0 / t));
    for mut row in q.rows_mut() {
        let sum = row.sum();
        row /= sum;
    }
    q
}

/// Accuracies (soft, hard) per depth, and the teacher's, for one seed.
fn one_seed(seed: u64, dir: &std::path::Path) -> Result<(Vec<(f64, f64)>, f64)> {
    let file = root().join("data/sklearn/digits.csv");
    let table = read_csv(&file, &ReadOptions::default())?;
    let data = Dataset::from_table(&table, &DatasetSpec { target: "target".into(), ..Default::default() })?;
    let y = data.classes().context("digits has classes")?;
    let split = train_test_split(data.n_rows(), 0.5, seed, Some(y))?;
    // The teacher is trained on the training half only.
    let mut teacher = sklearn_teacher(&file, &table, &data, &split.train, "mlp", seed, dir)?;
    let p_train = teacher.predict_rows(&data, &split.train)?;
    let p_test = teacher.predict_rows(&data, &split.test)?;
    let truth_test: Vec<usize> = split.test.iter().map(|&r| y[r]).collect();
    let truth_train: Vec<usize> = split.train.iter().map(|&r| y[r]).collect();
    let teacher_accuracy = accuracy(&truth_test, &argmax(p_test.view()))?;
    let soft = soften(&p_train, TEMPERATURE);
    let (x_train, x_test) = (data.x().select(Axis(0), &split.train), data.x().select(Axis(0), &split.test));
    let mut by_depth = Vec::new();
    for depth in DEPTHS {
        let params = TreeParams::default().max_depth(depth);
        let soft_tree = Tree::fit(
            &params.criterion(Criterion::SquaredError),
            x_train.view(),
            TreeTarget::Values(soft.view()),
        )?;
        let hard_tree =
            Tree::fit(&params, x_train.view(), TreeTarget::Classes { y: &truth_train, n_classes: 10 })?;
        let score = |tree: &Tree| -> Result<f64> {
            Ok(accuracy(&truth_test, &argmax(tree.predict(x_test.view())?.view()))?)
        };
        by_depth.push((score(&soft_tree)?, score(&hard_tree)?));
    }
    Ok((by_depth, teacher_accuracy))
}

/// What this reproduction tests, stated before it runs.
const CARD: Card = Card {
    id: "liu2018",
    citation: "Liu, Wang & Matwin (2018), Improving the interpretability of deep neural networks with knowledge distillation, ICDM Workshops",
    claim: "a depth-4 tree trained on a neural teacher's softened probabilities (T = 4) is more accurate on the held-out half than one trained on hard labels, on average over 10 seeds on digits, with the 95% t-interval of the paired difference above zero",
    preconditions: &[
        "the teacher is more accurate than the student trained alone: the MLP's held-out accuracy exceeds the hard-label depth-4 tree's by at least 1 point on average",
    ],
    seconds: [15.0, 20.0, 35.0],
};

/// The reproduction: its card and its run.
pub const PAPER: Paper = Paper { card: &CARD, run };

fn run(options: &RunOptions) -> Result<Outcome> {
    let seeds = options.seeds(3, 10, 10);
    let mut soft = vec![Vec::new(); DEPTHS.len()];
    let mut hard = vec![Vec::new(); DEPTHS.len()];
    let mut teacher = Vec::new();
    let scratch = tempfile::tempdir()?;
    let runs: Vec<(Vec<(f64, f64)>, f64)> =
        seeds.par_iter().map(|&seed| one_seed(seed, scratch.path())).collect::<Result<_>>()?;
    for (by_depth, t) in runs {
        for (i, (s, h)) in by_depth.into_iter().enumerate() {
            soft[i].push(s);
            hard[i].push(h);
        }
        teacher.push(t);
    }
    let mut per_seed = String::from("seed,depth,soft_accuracy,hard_accuracy,teacher_accuracy\n");
    for (k, seed) in seeds.iter().enumerate() {
        for (i, depth) in DEPTHS.iter().enumerate() {
            let _ = writeln!(per_seed, "{seed},{depth},{},{},{}", soft[i][k], hard[i][k], teacher[k]);
        }
    }
    std::fs::write(options.dir.join("per_seed.csv"), per_seed)?;
    let mut table = String::from(
        "| depth | soft-label tree | hard-label tree | soft wins (seeds) |\n|---|---|---|---|\n",
    );
    let mut metrics = serde_json::Map::new();
    for (i, depth) in DEPTHS.iter().enumerate() {
        let ((sm, ss), (hm, hs)) = (mean_sd(&soft[i]), mean_sd(&hard[i]));
        let wins = soft[i].iter().zip(&hard[i]).filter(|(s, h)| s > h).count();
        let _ = writeln!(
            table,
            "| {depth} | {sm:.4} ± {ss:.4} | {hm:.4} ± {hs:.4} | {wins} of {} |",
            seeds.len()
        );
        metrics.insert(
            format!("depth{depth}"),
            json!({"soft_accuracy": sm, "hard_accuracy": hm, "soft_wins": wins}),
        );
    }
    let (tm, ts) = mean_sd(&teacher);
    let _ = write!(
        table,
        "\nTeacher (64-64 MLP) test accuracy: {tm:.4} ± {ts:.4}. Accuracy on the held-out half, mean ± sd over seeds."
    );
    metrics.insert("teacher_accuracy".into(), json!(tm));
    let (s4, h4) = (mean_sd(&soft[0]).0, mean_sd(&hard[0]).0);
    let gaps: Vec<f64> = soft[0].iter().zip(&hard[0]).map(|(s, h)| s - h).collect();
    let (gap, half) = interval(&gaps);
    let wins4 = gaps.iter().filter(|g| **g > 0.0).count();
    let preconditions = vec![Precondition::new(
        CARD.preconditions[0],
        format!("MLP {tm:.3}, hard-label depth-4 tree {h4:.3} ({:+.1} points)", 100.0 * (tm - h4)),
        tm - h4 >= 0.01,
    )];
    let line = |label: &str, accuracies: &[Vec<f64>]| Curve {
        label: label.into(),
        points: DEPTHS.iter().zip(accuracies).map(|(&d, a)| (d as f64, mean_sd(a).0)).collect(),
        band: Vec::new(),
    };
    let svg = line_plot(
        "Tree accuracy on held-out digits",
        "tree depth",
        "accuracy",
        &[line("soft labels (T = 4)", &soft), line("hard labels", &hard)],
    )?;
    let mut paper_metrics = serde_json::Map::new();
    paper_metrics.insert(
        "finding".into(),
        json!("trees trained on soft labels generalise better than trees trained on hard labels (MNIST)"),
    );
    Ok(Outcome {
        preconditions,
        metrics,
        paper_metrics,
        holds: s4 > h4 && gap - half > 0.0,
        seeds: seeds.clone(),
        paper_figure: "soft-label trees beat hard-label trees (qualitative)".into(),
        our_figure: format!(
            "depth 4: {s4:.3} (soft) vs {h4:.3} (hard), paired difference {gap:+.3} ± {half:.3}, soft ahead in {wins4} of {}",
            seeds.len()
        ),
        table,
        plots: vec![Plot { file: "accuracy_by_depth.svg".into(), caption: "Mean test accuracy by depth".into(), svg }],
        notes: "The teacher is scikit-learn's MLPClassifier served over the cmd: protocol; kd's own libtorch \
                teachers come with the neural issue. The paper used MNIST and its own network; this is a small pilot \
                on the shipped digits data, not tuned to the claim. Changed after earlier runs, disclosed: the claim \
                used to need only the higher mean; the condition that the 95% t-interval of the paired difference \
                lies above zero was added when the verdict rules were tightened, after runs that showed soft labels \
                ahead in 9 of 10 seeds (0.640 vs 0.565)."
            .into(),
    })
}
