//! Lakkaraju, Kamar, Caruana & Leskovec (2017), "Interpretable & Explorable Approximations of
//! Black Box Models" (FAT/ML 2017; arXiv:1707.01154): BETA, a two-level decision set fitted to
//! a black box's classes, is unambiguous (no overlapping rules), covers the data, and is about as
//! faithful as other readable approximations of the same size.
//!
//! Here, on German credit: per seed a stratified 70% of the rows trains a scikit-learn gradient
//! boosting classifier (served over `cmd:`); its classes on those rows are the labels of BETA
//! (kd's defaults: 4 quantile bins, itemsets of up to 2 conditions with 5% support, at most 10
//! rules in 3 subspaces, 8 randomised restarts; `λ_disagreement` chosen from 1, 2, 4, 8, 16 on a
//! quarter of the training rows) and of a Gini CART tree with as many leaves as BETA has rules,
//! default rule included. Both are scored by agreement with the teacher on the other 30%,
//! where the default rule's coverage and the overlaps (pairs of inner rules of one subspace
//! that share a row) are counted too: BETA forbids overlaps on its fitting rows by
//! construction, so only held-out rows can show them. The claim's three conditions are judged
//! together, per seed. BETA with the paper's search alone (no restarts, default weights) is
//! reported beside it. Seeds run side by side.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use kd_core::data::{Dataset, DatasetSpec, ReadOptions, Table, read_csv, train_test_split};
use kd_core::metrics::{accuracy, argmax};
use kd_extract::beta::{BetaParams, DecisionSet, TuneParams, beta, beta_tuned};
use kd_extract::fidelity::class_fidelity;
use kd_students::tree::{Tree, TreeParams, TreeTarget};
use ndarray::Axis;
use rayon::prelude::*;
use serde_json::json;

mod report;

use self::report::{Summary, variant_table};
use super::{feature_kinds, mean_sd, root, sklearn_teacher};
use crate::paper::{Card, Outcome, Paper, Precondition, RunOptions};

const TEACHER: &str = "gradient_boosting";
/// Largest share of the held-out rows the default rule may cover.
const MAX_DEFAULT: f64 = 0.20;
/// How much less faithful than the equal-size tree BETA may be.
const MARGIN: f64 = 0.03;
/// Smallest share of the teacher's less frequent class among its held-out predictions.
const MIN_MINORITY: f64 = 0.10;

/// One decision set's figures, beside a tree of its size.
struct Fitted {
    beta: f64,
    beta_ci: (f64, f64),
    tree: f64,
    rules: usize,
    subspaces: usize,
    default_train: f64,
    default_test: f64,
    overlaps_train: usize,
    overlaps_test: usize,
    seconds: f64,
    /// BETA's objective `F` on its fitting rows.
    objective: f64,
    set: DecisionSet,
}

impl Fitted {
    /// The claim's three conditions, on the held-out rows.
    fn conditions(&self) -> [bool; 3] {
        [self.overlaps_test == 0, self.default_test <= MAX_DEFAULT, self.beta >= self.tree - MARGIN]
    }
}

/// One seed: BETA with the fidelity weight tuned on held-out training rows, BETA with the paper's search alone (no randomised restarts, default weights),
/// the teacher's accuracy and the chosen weight.
struct SeedResult {
    tuned: Fitted,
    steepest: Fitted,
    disagreement: f64,
    /// Each λ_disagreement tried with its validation fidelity.
    validation: Vec<(f64, f64)>,
    teacher_accuracy: f64,
    /// Share of the teacher's less frequent class among its held-out predictions.
    minority: f64,
}

/// The rows a study needs: training and test features with the teacher's classes.
struct Rows<'a> {
    x_train: ndarray::ArrayView2<'a, f64>,
    x_test: ndarray::ArrayView2<'a, f64>,
    teacher_train: &'a [usize],
    teacher_test: &'a [usize],
    n_classes: usize,
}

fn measure(set: DecisionSet, seconds: f64, rows: &Rows<'_>, seed: u64) -> Result<Fitted> {
    let fidelity = class_fidelity(&set.predict(rows.x_test)?, rows.teacher_test, seed)?;
    let tree = Tree::fit(
        &TreeParams::default().max_leaves((set.n_rules() + 1).max(2)),
        rows.x_train,
        TreeTarget::Classes { y: rows.teacher_train, n_classes: rows.n_classes },
    )?;
    let tree_fidelity = class_fidelity(&argmax(tree.predict(rows.x_test)?.view()), rows.teacher_test, seed)?;
    let uncovered = rows
        .x_test
        .rows()
        .into_iter()
        .filter(|r| !set.rules.iter().any(|rule| rule.matches(&r.to_vec())))
        .count();
    Ok(Fitted {
        beta: fidelity.value,
        beta_ci: fidelity.ci,
        tree: tree_fidelity.value,
        rules: set.n_rules(),
        subspaces: set.n_subspaces(),
        default_train: set.default_coverage(),
        default_test: uncovered as f64 / rows.x_test.nrows() as f64,
        overlaps_train: set.overlaps().len(),
        overlaps_test: set.overlaps_on(rows.x_test)?.len(),
        seconds,
        objective: set.fit.objective,
        set,
    })
}

fn one_seed(data: &Dataset, file: &Path, table: &Table, seed: u64, dir: &Path) -> Result<SeedResult> {
    let y = data.classes().context("German credit has classes")?;
    // train_test_split's first part is the held-out share.
    let split = train_test_split(data.n_rows(), 0.3, seed, Some(y))?;
    let mut teacher = sklearn_teacher(file, table, data, &split.train, TEACHER, seed, dir)?;
    let teacher_train = argmax(teacher.predict_rows(data, &split.train)?.view());
    let teacher_test = argmax(teacher.predict_rows(data, &split.test)?.view());
    let truth: Vec<usize> = split.test.iter().map(|&r| y[r]).collect();
    let teacher_accuracy = accuracy(&truth, &teacher_test)?;
    let ones = teacher_test.iter().filter(|&&c| c == 1).count() as f64 / teacher_test.len() as f64;
    let (x_train, x_test) = (data.x().select(Axis(0), &split.train), data.x().select(Axis(0), &split.test));
    let kinds = feature_kinds(data);
    let rows = Rows {
        x_train: x_train.view(),
        x_test: x_test.view(),
        teacher_train: &teacher_train,
        teacher_test: &teacher_test,
        n_classes: data.task().n_outputs(),
    };
    let params = BetaParams::default();
    let start = Instant::now();
    let tune = TuneParams { seed, ..TuneParams::default() };
    let tuned = beta_tuned(&params, &tune, rows.x_train, &kinds, rows.teacher_train, rows.n_classes)?;
    let tuned_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let steepest = BetaParams { restarts: 0, ..params };
    let paper_search = beta(&steepest, rows.x_train, &kinds, rows.teacher_train, rows.n_classes)?;
    let paper_seconds = start.elapsed().as_secs_f64();
    Ok(SeedResult {
        disagreement: tuned.disagreement,
        validation: tuned.scores.clone(),
        tuned: measure(tuned.set, tuned_seconds, &rows, seed)?,
        steepest: measure(paper_search, paper_seconds, &rows, seed)?,
        teacher_accuracy,
        minority: ones.min(1.0 - ones),
    })
}

/// What this reproduction tests, stated before it runs.
const CARD: Card = Card {
    id: "lakkaraju2017",
    citation: "Lakkaraju, Kamar, Caruana & Leskovec (2017), Interpretable & Explorable Approximations of Black Box Models, FAT/ML (arXiv:1707.01154)",
    claim: "BETA on German credit (gradient-boosting teacher, 70/30 split), on the held-out 30%: no row falls in two inner rules of one subspace, the default rule covers at most 20% of the rows, and the fidelity to the teacher is at least a CART tree's with as many leaves as BETA has rules (default included) minus 0.03; all three together in at least 4 of 5 seeds",
    preconditions: &[
        "the teacher is not constant: its less frequent class makes up at least 10% of its held-out predictions, on average over seeds (else a set that always says the majority class is faithful)",
    ],
    seconds: [25.0, 55.0, 110.0],
};

/// The reproduction: its card and its run.
pub const PAPER: Paper = Paper { card: &CARD, run };

fn run(options: &RunOptions) -> Result<Outcome> {
    let seeds = options.seeds(2, 5, 10);
    let file = root().join("data/credit/german_credit.csv");
    let table = read_csv(&file, &ReadOptions::default())?;
    let data =
        Dataset::from_table(&table, &DatasetSpec { target: "creditability".into(), ..Default::default() })?;
    let scratch = tempfile::tempdir()?;
    let results: Vec<SeedResult> = seeds
        .par_iter()
        .map(|&s| one_seed(&data, &file, &table, s, scratch.path()))
        .collect::<Result<_>>()?;
    let mut per_seed = String::from(
        "seed,variant,lambda_disagreement,beta_fidelity,tree_fidelity,rules,subspaces,default_fit,default_test,overlaps_fit,overlaps_test,teacher_accuracy,seconds\n",
    );
    for (seed, r) in seeds.iter().zip(&results) {
        for (variant, f, lambda) in [("tuned", &r.tuned, r.disagreement), ("paper_search", &r.steepest, 2.0)]
        {
            let _ = writeln!(
                per_seed,
                "{seed},{variant},{lambda},{},{},{},{},{},{},{},{},{},{}",
                f.beta,
                f.tree,
                f.rules,
                f.subspaces,
                f.default_train,
                f.default_test,
                f.overlaps_train,
                f.overlaps_test,
                r.teacher_accuracy,
                f.seconds
            );
        }
    }
    std::fs::write(options.dir.join("per_seed.csv"), per_seed)?;
    let tuned: Vec<&Fitted> = results.iter().map(|r| &r.tuned).collect();
    let steepest: Vec<&Fitted> = results.iter().map(|r| &r.steepest).collect();
    let mut table_md = String::from("BETA with λ_disagreement tuned on a quarter of the training rows:\n\n");
    table_md.push_str(&variant_table(&seeds, &tuned, Some(&results)));
    let summary = Summary::of(&tuned);
    let teacher: Vec<f64> = results.iter().map(|r| r.teacher_accuracy).collect();
    let (teacher_m, teacher_s) = mean_sd(&teacher);
    let steepest_summary = Summary::of(&steepest);
    let _ = write!(
        table_md,
        "\nThe paper's search alone (steepest ascent from the best single rule, 3 rounds, no randomised \
         restarts), kd's default weights (λ_disagreement = 2):\n\n{}\n\
         Teacher (gradient boosting) test accuracy: {teacher_m:.4} ± {teacher_s:.4}. Fidelity: agreement with the \
         teacher's classes on the 30% held-out rows (bootstrap 95% interval for BETA); the tree is CART (Gini) \
         with as many leaves as BETA has rules, default included. Default coverage: share of rows no rule \
         covers (fitting rows / test rows). Overlaps: pairs of inner rules of one subspace sharing a row \
         (fitting / test). Conditions per seed, all on the held-out rows: no overlap, default coverage ≤ 20%, \
         BETA fidelity ≥ tree fidelity − 0.03.\n",
        variant_table(&seeds, &steepest, None)
    );
    let names: Vec<String> = data.features().iter().map(|f| f.name.clone()).collect();
    let levels: Vec<Option<Vec<String>>> = data.features().iter().map(|f| f.levels.clone()).collect();
    let classes: Vec<String> = match data.target() {
        kd_core::data::Target::Classes { labels, .. } => labels.clone(),
        kd_core::data::Target::Values(_) => Vec::new(),
    };
    let first = &results[0].tuned.set;
    let text = first.export_text(&names, &levels, &classes);
    std::fs::write(options.dir.join("decision_set_seed0.txt"), &text)?;
    std::fs::write(options.dir.join("decision_set_seed0.json"), first.to_json()?)?;
    let _ = write!(
        table_md,
        "\nThe tuned decision set of seed 0 (λ_disagreement = {}, {} of {} candidate rules, fidelity {:.4} on \
         its fitting rows):\n\n```text\n{text}```\n",
        results[0].disagreement,
        first.n_rules(),
        first.fit.n_candidates,
        first.fit.fidelity
    );
    let mut metrics = serde_json::Map::new();
    metrics.insert("tuned".into(), summary.json());
    metrics.insert("paper_search_only".into(), steepest_summary.json());
    metrics.insert("teacher_accuracy".into(), json!(teacher_m));
    metrics.insert(
        "lambda_disagreement".into(),
        json!(results.iter().map(|r| r.disagreement).collect::<Vec<_>>()),
    );
    metrics.insert(
        "validation_fidelity_by_lambda".into(),
        json!(results.iter().map(|r| r.validation.clone()).collect::<Vec<_>>()),
    );
    let mut paper_metrics = serde_json::Map::new();
    paper_metrics.insert(
        "finding".into(),
        json!("on bail-outcome data, BETA's fidelity to the black box matched or exceeded IDS and BDL at comparable size, with unambiguous rules (qualitative; figures not restated here)"),
    );
    let needed = (seeds.len() * 4).div_ceil(5);
    let minority = mean_sd(&results.iter().map(|r| r.minority).collect::<Vec<_>>()).0;
    let preconditions = vec![Precondition::new(
        CARD.preconditions[0],
        format!("{:.1}% on average", 100.0 * minority),
        minority >= MIN_MINORITY,
    )];
    let met = |f: &Fitted, k: usize| f.conditions()[k];
    let count = |fitted: &[&Fitted], k: usize| fitted.iter().filter(|f| met(f, k)).count();
    let n = seeds.len();
    Ok(Outcome {
        preconditions,
        metrics,
        paper_metrics,
        holds: summary.seeds_meeting_all >= needed,
        seeds,
        paper_figure: "BETA as faithful as IDS/BDL, with no ambiguity (qualitative)".into(),
        our_figure: format!(
            "all three conditions in {} of {n} seeds; BETA {:.3} vs equal-size tree {:.3} fidelity, default rule {:.1}% of \
             held-out rows, {} overlapping pairs on held-out rows",
            summary.seeds_meeting_all,
            summary.beta,
            summary.tree,
            100.0 * summary.default_test,
            summary.overlaps_test
        ),
        table: table_md,
        plots: Vec::new(),
        notes: format!(
            "The claim needs all three conditions together, on the held-out rows, in at least {needed} of {n} seeds; \
             here no overlap in {} seeds, default ≤ 20% in {}, fidelity within 0.03 of the tree in {}, all three in {}. \
             Teacher: scikit-learn GradientBoostingClassifier (defaults) on the training split only; German credit's \
             categorical columns are sent as strings and one-hot encoded by the script. The claim is judged on BETA \
             with λ_disagreement chosen from {{1, 2, 4, 8, 16}} by fidelity on a quarter of the training rows \
             (never the test rows), since the paper leaves its λ to be tuned; the other weights and parameters \
             are kd's defaults, not tuned to the claim. kd's search adds 8 seeded randomised restarts (first \
             improvement in a random order) to the paper's steepest-ascent local search: alone, the latter keeps \
             the best single rule, a broad 'good' rule agreeing with the teacher on about 78% of its rows, which \
             blocks finer rules (they would overlap it), and so ends with 2-3 rules that say 'good' almost \
             everywhere (second table; all three conditions in {} of {n} seeds). kd added the restarts after a first \
             run of this reproduction showed the paper's search stuck at a lower objective F than random-order \
             searches reach (column F: the objective on the fitting rows, by which they were judged). The tree is \
             kd's CART (Gini), which splits categorical level codes as ordered numbers. History, disclosed: an earlier \
             version counted the overlaps and the default rule's coverage on the fitting rows (where BETA forbids \
             overlaps by construction) and judged the conditions on averages over seeds; it held narrowly (fidelity \
             0.787 vs the tree's 0.813, bar 0.783; default rule 15.8% of the fitting rows; no overlaps; all three \
             conditions in 3 of 5 seeds). The present per-seed test on held-out rows answers a review of that version \
             and was written down before its first run. The paper's experiments used bail, depression and other data \
             with IDS, BDL and LIME baselines, not German credit.",
            count(&tuned, 0),
            count(&tuned, 1),
            count(&tuned, 2),
            summary.seeds_meeting_all,
            steepest_summary.seeds_meeting_all,
        ),
    })
}
