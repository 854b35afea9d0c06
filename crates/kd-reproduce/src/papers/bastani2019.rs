//! Bastani, Kim & Bastani (2017/2019), "Interpretability via model extraction" (FAT/ML 2017;
//! arXiv:1706.09773): a decision tree grown on fresh points drawn from an input model at every
//! node is more faithful to the black box than CART on the same (small) data labelled by it.
//!
//! Here: per dataset and seed, a stratified 20% of the rows is the validator's sample; a
//! scikit-learn random forest (200 trees) is trained on it and served over `cmd:`; kd extracts a
//! tree with the Bastani method (Gaussian mixture chosen by BIC, 1,000 points per node) and a
//! born-again CART (Gini, the same rows labelled by the teacher) with the same leaf budget; both
//! are scored by agreement with the teacher on the other 80% (real rows). A CART tree fitted to
//! the true labels of the 20% is the student alone, for the precondition that the teacher beats
//! it. The default run is wine at 16 leaves (the claim); `--full` adds breast cancer, digits (8
//! against the rest) and budgets of 8 and 32 leaves. Seeds run side by side.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use kd_core::data::{Dataset, DatasetSpec, ReadOptions, read_csv, train_test_split};
use kd_core::metrics::argmax;
use kd_extract::Oracle;
use kd_extract::bastani::{BastaniParams, extract};
use kd_extract::fidelity::class_fidelity;
use kd_extract::input::FeatureKind;
use kd_students::tree::{Tree, TreeParams, TreeTarget};
use ndarray::Axis;
use rayon::prelude::*;
use serde_json::json;

use super::{mean_sd, one_vs_rest, root, sklearn_teacher};
use crate::paper::{Card, Outcome, Paper, Precondition, RunOptions};

const BUDGETS: [usize; 3] = [8, 16, 32];
/// The claim is tested on wine at 16 leaves.
const CLAIM_BUDGET: usize = 16;

/// Fidelities (Bastani, born-again) and leaves grown (Bastani, born-again) per budget, the
/// teacher's accuracy and Bastani's queries at the claim budget, for one dataset and seed.
struct SeedResult {
    by_budget: Vec<(f64, f64)>,
    leaves: Vec<(usize, usize)>,
    teacher_accuracy: f64,
    /// Held-out accuracy of a CART tree fitted to the true labels of the 20%, at the claim's
    /// budget (the student alone).
    cart_accuracy: f64,
    queries: usize,
}

fn one_seed(file: &Path, budgets: &[usize], seed: u64, dir: &Path) -> Result<SeedResult> {
    let table = read_csv(file, &ReadOptions::default())?;
    let data = Dataset::from_table(&table, &DatasetSpec { target: "target".into(), ..Default::default() })?;
    let y = data.classes().context("a classification target")?;
    // train_test_split's first part is the held-out share: 80% test, 20% for the validator.
    let split = train_test_split(data.n_rows(), 0.8, seed, Some(y))?;
    let mut teacher = sklearn_teacher(file, &table, &data, &split.train, "random_forest", seed, dir)?;
    let x_train = data.x().select(Axis(0), &split.train);
    let x_test = data.x().select(Axis(0), &split.test);
    let teacher_train = argmax(teacher.predict_rows(&data, &split.train)?.view());
    let teacher_test = argmax(teacher.predict_rows(&data, &split.test)?.view());
    let truth: Vec<usize> = split.test.iter().map(|&r| y[r]).collect();
    let teacher_accuracy = kd_core::metrics::accuracy(&truth, &teacher_test)?;
    let n_classes = data.task().n_outputs();
    let kinds = vec![FeatureKind::Numeric; x_train.ncols()];
    let mut by_budget = Vec::new();
    let mut leaves = Vec::new();
    let mut queries = 0;
    let truth_train: Vec<usize> = split.train.iter().map(|&r| y[r]).collect();
    let alone = Tree::fit(
        &TreeParams::default().max_leaves(CLAIM_BUDGET),
        x_train.view(),
        TreeTarget::Classes { y: &truth_train, n_classes },
    )?;
    let cart_accuracy = kd_core::metrics::accuracy(&truth, &argmax(alone.predict(x_test.view())?.view()))?;
    for &budget in budgets {
        let mut oracle = Oracle::new(teacher.as_mut())?;
        let params = BastaniParams { max_leaves: budget, seed, ..BastaniParams::default() };
        let found = extract(&params, x_train.view(), &kinds, &mut oracle)?;
        if budget == CLAIM_BUDGET {
            queries = found.n_queries;
        }
        let born_again = Tree::fit(
            &TreeParams::default().max_leaves(budget),
            x_train.view(),
            TreeTarget::Classes { y: &teacher_train, n_classes },
        )?;
        let fidelity = |tree: &Tree| -> Result<f64> {
            Ok(class_fidelity(&argmax(tree.predict(x_test.view())?.view()), &teacher_test, seed)?.value)
        };
        by_budget.push((fidelity(&found.tree)?, fidelity(&born_again)?));
        leaves.push((found.tree.n_leaves(), born_again.n_leaves()));
    }
    Ok(SeedResult { by_budget, leaves, teacher_accuracy, cart_accuracy, queries })
}

/// What this reproduction tests, stated before it runs.
const CARD: Card = Card {
    id: "bastani2019",
    citation: "Bastani, Kim & Bastani (2017), Interpretability via model extraction, FAT/ML (arXiv:1706.09773)",
    claim: "on wine with a 20% training split and a random-forest teacher, the extracted 16-leaf tree's test fidelity beats born-again CART with 16 leaves by at least 0.03 on average and in at least 8 of 10 seeds",
    preconditions: &[
        "the teacher is more accurate than the student trained alone: on wine, the random forest's held-out accuracy exceeds a 16-leaf CART tree's fitted to the true labels of the same 20% by at least 1 point on average",
    ],
    seconds: [15.0, 20.0, 150.0],
};

/// The reproduction: its card and its run.
pub const PAPER: Paper = Paper { card: &CARD, run };

fn run(options: &RunOptions) -> Result<Outcome> {
    let seeds = options.seeds(3, 10, 10);
    let scratch = tempfile::tempdir()?;
    // The claim's data set and budget; `--full` adds the other data sets and budgets.
    let mut datasets = vec![("wine", root().join("data/sklearn/wine.csv"))];
    let budgets: &[usize] = if options.full() { &BUDGETS } else { &[CLAIM_BUDGET] };
    if options.full() {
        datasets.push(("breast cancer", root().join("data/sklearn/breast_cancer.csv")));
        let digits = one_vs_rest(&root().join("data/sklearn/digits.csv"), "target", "8", scratch.path())?;
        datasets.push(("digits (8 vs rest)", digits));
    }
    let mut precondition = None;
    let mut table = String::from(
        "| data | leaf budget | Bastani fidelity | born-again fidelity | difference | Bastani wins (seeds) | leaves grown (Bastani / born-again) |\n|---|---|---|---|---|---|---|\n",
    );
    let mut per_seed = String::from("data,seed,leaves,bastani,born_again,teacher_accuracy\n");
    let mut metrics = serde_json::Map::new();
    let (mut claim_mean, mut claim_wins) = (f64::NAN, 0);
    let mut context = String::new();
    for (name, file) in &datasets {
        let results: Vec<SeedResult> =
            seeds.par_iter().map(|&s| one_seed(file, budgets, s, scratch.path())).collect::<Result<_>>()?;
        if *name == "wine" {
            let teacher = mean_sd(&results.iter().map(|r| r.teacher_accuracy).collect::<Vec<_>>()).0;
            let alone = mean_sd(&results.iter().map(|r| r.cart_accuracy).collect::<Vec<_>>()).0;
            precondition = Some(Precondition::new(
                CARD.preconditions[0],
                format!(
                    "random forest {teacher:.3}, CART {alone:.3} ({:+.1} points)",
                    100.0 * (teacher - alone)
                ),
                teacher - alone >= 0.01,
            ));
        }
        for (i, budget) in budgets.iter().enumerate() {
            let ours: Vec<f64> = results.iter().map(|r| r.by_budget[i].0).collect();
            let theirs: Vec<f64> = results.iter().map(|r| r.by_budget[i].1).collect();
            let diff: Vec<f64> = ours.iter().zip(&theirs).map(|(a, b)| a - b).collect();
            let wins = diff.iter().filter(|&&d| d > 0.0).count();
            let ((om, os), (tm, ts), (dm, ds)) = (mean_sd(&ours), mean_sd(&theirs), mean_sd(&diff));
            let grown = |side: fn(&(usize, usize)) -> usize| {
                mean_sd(&results.iter().map(|r| side(&r.leaves[i]) as f64).collect::<Vec<_>>()).0
            };
            let _ = writeln!(
                table,
                "| {name} | {budget} | {om:.4} ± {os:.4} | {tm:.4} ± {ts:.4} | {dm:+.4} ± {ds:.4} | {wins} of {} | {:.1} / {:.1} |",
                seeds.len(),
                grown(|l| l.0),
                grown(|l| l.1)
            );
            metrics.insert(
                format!("{name} {budget} leaves"),
                json!({"bastani": om, "born_again": tm, "difference": dm, "wins": wins}),
            );
            if *name == "wine" && *budget == CLAIM_BUDGET {
                (claim_mean, claim_wins) = (dm, wins);
            }
            for (k, seed) in seeds.iter().enumerate() {
                let _ = writeln!(
                    per_seed,
                    "{name},{seed},{budget},{},{},{}",
                    ours[k], theirs[k], results[k].teacher_accuracy
                );
            }
        }
        let accuracy: Vec<f64> = results.iter().map(|r| r.teacher_accuracy).collect();
        let queries: Vec<f64> = results.iter().map(|r| r.queries as f64).collect();
        let alone: Vec<f64> = results.iter().map(|r| r.cart_accuracy).collect();
        let _ = write!(
            context,
            "{name}: teacher accuracy {:.4}, a 16-leaf CART on the true labels of the 20% {:.4}, {:.0} queries for a \
             16-leaf extraction. ",
            mean_sd(&accuracy).0,
            mean_sd(&alone).0,
            mean_sd(&queries).0
        );
    }
    std::fs::write(options.dir.join("per_seed.csv"), per_seed)?;
    let needed_wins = (seeds.len() * 8).div_ceil(10);
    let holds = claim_mean >= 0.03 && claim_wins >= needed_wins;
    let _ = write!(
        table,
        "\nFidelity: agreement with the teacher on the 80% held-out rows, mean ± sd over seeds. {context}"
    );
    let mut paper_metrics = serde_json::Map::new();
    paper_metrics.insert(
        "finding".into(),
        json!("extracted trees are more faithful than CART trained on the same data labelled by the black box (qualitative; several UCI datasets, random-forest teachers)"),
    );
    Ok(Outcome {
        preconditions: precondition.into_iter().collect(),
        metrics,
        paper_metrics,
        holds,
        seeds: seeds.clone(),
        paper_figure: "extraction beats born-again CART in fidelity (qualitative)".into(),
        our_figure: format!(
            "wine, 16 leaves: {claim_mean:+.3} fidelity, Bastani ahead in {claim_wins} of {} seeds",
            seeds.len()
        ),
        table,
        plots: Vec::new(),
        notes: format!(
            "The claim needs a mean difference of at least 0.03 and wins in at least {needed_wins} of {} seeds. \
             The input model is kd's axis-aligned Gaussian mixture with the component count chosen by BIC (up to 10) \
             on the 20% sample, as kd extract does by default; nothing was tuned to the claim. The paper's own \
             experiments used other datasets and sizes. Born-again CART stops short of its budget once its \
             leaves are pure on the few validator rows (the last column); the extracted tree, fed fresh points, \
             uses its whole budget. On digits (8 vs rest) the extracted tree's later splits separate regions the \
             teacher gives the same class, so its held-out fidelity is the same at 8, 16 and 32 leaves (--full). \
             The default run tests the claim's data set and budget only (wine, 16 leaves); --full adds breast \
             cancer, digits (8 vs rest) and the 8- and 32-leaf budgets. Seeds run side by side.",
            seeds.len()
        ),
    })
}
