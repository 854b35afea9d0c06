//! Craven & Shavlik (1996), "Extracting tree-structured representations of trained networks"
//! (NIPS 8; the TREPAN algorithm, written up in 1995): a tree of m-of-n tests grown on a neural
//! network's answers at the training rows and at queries drawn per node is faithful to the
//! network, and at least as faithful as a tree of the same size trained on the training rows
//! alone.
//!
//! Here, per dataset (breast cancer; Cleveland heart disease when `../shared/data/extra` holds
//! it) and seed: a stratified 70/30 split; a scikit-learn MLP (64-64) trained on the 70% and
//! served over `cmd:`; TREPAN with kd's defaults (S_min = 1000, beam width 2, ε = δ = 0.05, at
//! most 15 internal nodes); a born-again CART (Gini) on the training rows labelled by the MLP,
//! with as many leaves as TREPAN's tree. Both are scored by agreement with the MLP on the 30%
//! held-out real rows.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use kd_core::data::{Dataset, DatasetSpec, MissingPolicy, ReadOptions, Target, read_csv, train_test_split};
use kd_core::metrics::{accuracy, argmax};
use kd_extract::Oracle;
use kd_extract::fidelity::class_fidelity;
use kd_extract::input::FeatureKind;
use kd_extract::trepan::{TrepanParams, trepan};
use kd_students::tree::{Tree, TreeParams, TreeTarget};
use ndarray::Axis;
use serde_json::json;

use super::{mean_sd, root, sklearn_teacher_without};
use crate::paper::{Outcome, Paper, RunOptions};

/// The reproduction.
pub struct Craven1995;

/// Share of rows held out (stratified).
const TEST_FRACTION: f64 = 0.3;

/// A dataset: its name, file and columns that are not features.
struct Source {
    name: &'static str,
    file: PathBuf,
    exclude: &'static [&'static str],
}

/// What one seed gives.
struct SeedResult {
    trepan: f64,
    ci: (f64, f64),
    n_test: usize,
    born_again: f64,
    leaves: usize,
    internal: usize,
    literals: f64,
    queries: usize,
    teacher_accuracy: f64,
    /// Share of the tree's tests with `max_literals` literals.
    at_cap: f64,
    /// Agreement with the teacher under TREPAN's own query distribution, estimated from the
    /// leaves' examples (`Σ reach × fidelity`).
    query_fidelity: f64,
    tree: String,
}

fn one_seed(source: &Source, seed: u64, dir: &Path) -> Result<SeedResult> {
    let table = read_csv(&source.file, &ReadOptions::default())?;
    let spec = DatasetSpec {
        target: "target".into(),
        exclude: source.exclude.iter().map(|s| s.to_string()).collect(),
        missing: MissingPolicy::Drop,
        ..Default::default()
    };
    let data = Dataset::from_table(&table, &spec)?;
    let y = data.classes().context("a classification target")?;
    let split = train_test_split(data.n_rows(), TEST_FRACTION, seed, Some(y))?;
    let mut teacher =
        sklearn_teacher_without(&source.file, &table, &data, &split.train, "mlp", seed, dir, source.exclude)?;
    let teacher_train = argmax(teacher.predict_rows(&data, &split.train)?.view());
    let teacher_test = argmax(teacher.predict_rows(&data, &split.test)?.view());
    let truth: Vec<usize> = split.test.iter().map(|&r| y[r]).collect();
    let teacher_accuracy = accuracy(&truth, &teacher_test)?;
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
    let mut oracle = Oracle::new(teacher.as_mut())?;
    let tree = trepan(&TrepanParams::default(), x_train.view(), &kinds, &mut oracle, seed)?;
    let queries = oracle.queries();
    let fidelity = class_fidelity(&tree.predict(x_test.view())?, &teacher_test, seed)?;
    // CART needs at least two leaves; a one-leaf TREPAN tree is compared with a stump.
    let born_again = Tree::fit(
        &TreeParams::default().max_leaves(tree.n_leaves().max(2)),
        x_train.view(),
        TreeTarget::Classes { y: &teacher_train, n_classes: data.task().n_outputs() },
    )?;
    let born_again_fidelity =
        class_fidelity(&argmax(born_again.predict(x_test.view())?.view()), &teacher_test, seed)?.value;
    let names: Vec<String> = data.features().iter().map(|f| f.name.clone()).collect();
    let labels = match data.target() {
        Target::Classes { labels, .. } => Some(labels.clone()),
        Target::Values(_) => None,
    };
    let tests: Vec<usize> = tree.nodes.iter().filter_map(|n| n.split.as_ref().map(|s| s.test.n())).collect();
    let cap = TrepanParams::default().max_literals;
    let leaves = tree.nodes.iter().filter(|n| n.split.is_none());
    Ok(SeedResult {
        trepan: fidelity.value,
        ci: fidelity.ci,
        n_test: fidelity.n,
        born_again: born_again_fidelity,
        leaves: tree.n_leaves(),
        internal: tree.n_internal(),
        literals: tests.iter().sum::<usize>() as f64 / tests.len().max(1) as f64,
        queries,
        teacher_accuracy,
        at_cap: tests.iter().filter(|&&n| n >= cap).count() as f64 / tests.len().max(1) as f64,
        query_fidelity: leaves.map(|n| n.reach * n.fidelity).sum(),
        tree: tree.export_text(&names, labels.as_deref()),
    })
}

fn sources() -> Vec<Source> {
    let mut out = vec![Source {
        name: "breast cancer",
        file: root().join("data/sklearn/breast_cancer.csv"),
        exclude: &[],
    }];
    let heart = root().join("../shared/data/extra/heart_cleveland.csv");
    if heart.exists() {
        // `num` is the diagnosis the binary target is made from: not a feature.
        out.push(Source { name: "heart disease (Cleveland)", file: heart, exclude: &["num"] });
    }
    out
}

impl Paper for Craven1995 {
    fn id(&self) -> &'static str {
        "craven1995"
    }
    fn citation(&self) -> &'static str {
        "Craven & Shavlik (1996), Extracting tree-structured representations of trained networks, NIPS 8 (TREPAN)"
    }
    fn claim(&self) -> &'static str {
        "TREPAN with a regularised MLP teacher (L2 and early stopping), on breast cancer and Cleveland heart disease: its fidelity to the network on held-out rows, pooled over the 10 folds of a cross-validation as in the paper, is at least 0.90 and at least a born-again CART tree's with as many leaves minus 0.03, on each dataset (mean over repetitions of the cross-validation)"
    }
    fn preconditions(&self) -> &'static [&'static str] {
        &[
            "the teacher learned the task: its pooled cross-validated accuracy is at least a CART tree's fitted to the true labels with as many leaves as TREPAN's tree, on each dataset (mean over repetitions)",
            "fidelity is not trivial: the teacher's more frequent predicted class covers less than 90% of the rows on each dataset, so a one-leaf tree cannot reach the 0.90 bar",
        ]
    }
    fn run(&self, options: &RunOptions) -> Result<Outcome> {
        let seeds: Vec<u64> = (0..if options.quick() { 2 } else { 5 }).collect();
        let scratch = tempfile::tempdir()?;
        let mut table = String::from(
            "| data | TREPAN fidelity | born-again fidelity (same leaves) | difference | leaves | internal nodes | literals per test | queries | teacher accuracy |\n|---|---|---|---|---|---|---|---|---|\n",
        );
        let mut per_seed = String::from(
            "\n| data | seed | TREPAN fidelity (95% CI) | born-again fidelity | leaves | queries |\n|---|---|---|---|---|---|\n",
        );
        let mut trees = String::new();
        let mut csv = String::from(
            "data,seed,trepan,ci_low,ci_high,born_again,leaves,internal,queries,teacher_accuracy\n",
        );
        let mut metrics = serde_json::Map::new();
        let mut holds = true;
        let mut figures = Vec::new();
        let mut verdicts = Vec::new();
        for source in sources() {
            let results: Vec<SeedResult> =
                seeds.iter().map(|&s| one_seed(&source, s, scratch.path())).collect::<Result<_>>()?;
            let of = |f: fn(&SeedResult) -> f64| mean_sd(&results.iter().map(f).collect::<Vec<_>>());
            let (tm, ts) = of(|r| r.trepan);
            let (bm, bs) = of(|r| r.born_again);
            let (dm, ds) = of(|r| r.trepan - r.born_again);
            let (leaves, internal) = (of(|r| r.leaves as f64).0, of(|r| r.internal as f64).0);
            let (literals, queries, teacher) =
                (of(|r| r.literals).0, of(|r| r.queries as f64).0, of(|r| r.teacher_accuracy));
            let name = source.name;
            let _ = writeln!(
                table,
                "| {name} | {tm:.4} ± {ts:.4} | {bm:.4} ± {bs:.4} | {dm:+.4} ± {ds:.4} | {leaves:.1} | {internal:.1} | {literals:.2} | {queries:.0} | {:.4} ± {:.4} |",
                teacher.0, teacher.1
            );
            for (seed, r) in seeds.iter().zip(&results) {
                let _ = writeln!(
                    per_seed,
                    "| {name} | {seed} | {:.4} ({:.3}–{:.3}) | {:.4} | {} | {} |",
                    r.trepan, r.ci.0, r.ci.1, r.born_again, r.leaves, r.queries
                );
                let _ = writeln!(
                    csv,
                    "{name},{seed},{},{},{},{},{},{},{},{}",
                    r.trepan,
                    r.ci.0,
                    r.ci.1,
                    r.born_again,
                    r.leaves,
                    r.internal,
                    r.queries,
                    r.teacher_accuracy
                );
            }
            let _ = write!(trees, "\n**{name}, seed 0** (TREPAN tree):\n\n```text\n{}```\n", results[0].tree);
            metrics.insert(
                name.into(),
                json!({"trepan_fidelity": tm, "trepan_fidelity_sd": ts, "born_again_fidelity": bm,
                       "difference": dm, "leaves": leaves, "internal_nodes": internal,
                       "literals_per_test": literals, "queries": queries, "teacher_accuracy": teacher.0}),
            );
            let met = tm >= 0.90 && tm >= bm - 0.03;
            holds &= met;
            figures.push(format!("{name}: {tm:.3} (born-again {bm:.3})"));
            let (at_cap, query_fidelity) = (of(|r| r.at_cap).0, of(|r| r.query_fidelity).0);
            verdicts.push(format!(
                "{name}: mean fidelity {tm:.3} {} 0.90 and {} born-again − 0.03 = {:.3}, so the claim is {} here \
                 (per-seed 95% intervals are about ±{:.2} wide on {} test rows); {:.0}% of the tests reach the \
                 {}-literal cap; agreement under TREPAN's own query distribution, estimated from the leaves' \
                 examples, is {query_fidelity:.3}.",
                if tm >= 0.90 { "≥" } else { "<" },
                if tm >= bm - 0.03 { "≥" } else { "<" },
                bm - 0.03,
                if met { "met" } else { "missed" },
                of(|r| (r.ci.1 - r.ci.0) / 2.0).0,
                results[0].n_test,
                100.0 * at_cap,
                TrepanParams::default().max_literals,
            ));
        }
        std::fs::write(options.dir.join("per_seed.csv"), csv)?;
        let _ = write!(
            table,
            "\nFidelity: agreement with the MLP on the 30% held-out real rows (stratified 70/30 split), mean ± sd over {} seeds; queries include the training rows.\n{per_seed}{trees}",
            seeds.len()
        );
        let mut paper_metrics = serde_json::Map::new();
        paper_metrics.insert("heart_disease_trepan_fidelity".into(), json!(0.91));
        paper_metrics.insert(
            "finding".into(),
            json!("TREPAN trees are highly faithful to the networks they are extracted from and more accurate than trees learned from the training data alone (Cleveland heart disease among the domains)"),
        );
        Ok(Outcome {
            preconditions: Vec::new(),
            metrics,
            paper_metrics,
            holds,
            seeds,
            paper_figure: "TREPAN fidelity 0.91 on heart disease (as the issue quotes the paper)".into(),
            our_figure: format!("TREPAN fidelity {}", figures.join("; ")),
            table,
            plots: Vec::new(),
            notes: format!(
                "The claim holds when every dataset has a mean TREPAN fidelity of at least 0.90 and at least the \
                    born-again tree's minus 0.03. {} The teacher is scikit-learn's MLPClassifier (64-64, standardised \
                    inputs) trained on the training split only and served over the cmd: protocol; the paper used its \
                    own networks and 10-fold cross-validation. TREPAN runs with kd's defaults, not tuned to the claim: \
                    S_min = 1000, beam width 2, ε = δ = 0.05, min_gain 0.001 bits, at most 15 internal nodes (the paper \
                    picked the size on a validation set), kernel bandwidth range/√m (the paper's σ = 1/√m on [0, 1]), \
                    a node's own marginals once 10 training rows per feature reach it. The born-again CART has as many \
                    leaves as the TREPAN tree, but each of its splits tests one feature, whereas a TREPAN split may \
                    test several. The paper's figure (0.91 fidelity on heart disease) is the one quoted by the issue; \
                    it was not re-checked against the paper's table here. Heart disease: the rows with a missing `ca` \
                    or `thal` are dropped and `num` (the diagnosis the target is made from) is not a feature; \
                    categorical-looking columns (cp, thal, ...) are numeric codes in the file and are treated as numbers. \
                    With an MLP teacher, whose boundary involves many features at once, each extra literal improves a \
                    test significantly on 1000 examples, so the literal cap rather than the significance test bounds \
                    the tests' size.",
                verdicts.join(" ")
            ),
        })
    }
}
