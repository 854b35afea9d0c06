//! Tan, Caruana, Hooker & Lou (2018), "Distill-and-compare: auditing black-box models using
//! transparent model distillation" (AIES): a mimic GAM of a black box's scores beside an
//! outcome GAM of the true outcomes shows how the black box uses each feature, and a
//! candidate-feature test shows whether it used a feature missing from the audit data.
//!
//! COMPAS cannot be shipped, so the truth is planted on German credit (1,000 rows, 20
//! features, outcome good/bad). Per seed, a stratified half of the rows trains the teachers
//! (scikit-learn gradient-boosting models) and the other half is the audit data: the teachers
//! score it as the audited scores of the paper were produced by a model trained elsewhere, and
//! every model of the audit (mimic, outcome model, candidate test) sees only these rows.
//! 1. A teacher trained without `duration_in_month` (which the outcome depends on): its mimic's
//!    shape for that feature must have at most 30% of the outcome model's amplitude (mean over
//!    seeds), and the comparison must flag the feature (in at least 4 of 5 seeds).
//! 2. The audit data lack `status_of_existing_checking_account`; a teacher that used it must
//!    be detected by the candidate test in at least 4 of 5 seeds, and a teacher trained without
//!    it must raise no alarm in at least 4 of 5 seeds.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use kd_core::data::{Dataset, DatasetSpec, ReadOptions, Split, Table, read_csv, train_test_split};
use kd_students::compare::{CompareParams, candidate_test, compare_shapes};
use kd_students::gam::Link;
use ndarray::{Array1, Axis};
use rayon::prelude::*;
use serde_json::json;

use super::{SklearnModel, mean_sd, root, sklearn_teacher_with};
use crate::paper::{Card, Outcome, Paper, Precondition, RunOptions};

const IGNORED: &str = "duration_in_month";
const MISSING: &str = "status_of_existing_checking_account";
const TARGET: &str = "creditability";

/// The data without the columns `exclude` as features.
fn dataset(table: &Table, exclude: &[&str]) -> Result<Dataset> {
    let spec = DatasetSpec {
        target: TARGET.into(),
        exclude: exclude.iter().map(|s| (*s).to_owned()).collect(),
        ..Default::default()
    };
    Ok(Dataset::from_table(table, &spec)?)
}

/// A gradient-boosting teacher's probability of class 1 on the audit rows `split.test`, trained
/// on the rows `split.train` without the columns `exclude`.
fn teacher_scores(
    table: &Table,
    split: &Split,
    seed: u64,
    exclude: &[&str],
    dir: &std::path::Path,
) -> Result<Array1<f64>> {
    let data = dataset(table, exclude)?;
    let file = root().join("data/credit/german_credit.csv");
    let model = SklearnModel { model: "gradient_boosting", seed, exclude, categorical: &[] };
    let mut teacher = sklearn_teacher_with(&file, table, &data, &split.train, &model, dir)?;
    Ok(teacher.predict_rows(&data, &split.test)?.column(1).to_owned())
}

struct SeedResult {
    ratio: f64,
    flagged: bool,
    other_flags: usize,
    used_detected: bool,
    used_p: f64,
    unused_detected: bool,
    unused_p: f64,
    /// The outcome model's amplitude for the ignored feature.
    outcome_amplitude: f64,
    /// Mean absolute difference between the probabilities of the teachers trained with and
    /// without the missing feature, on the audit rows.
    reliance: f64,
}

fn one_seed(table: &Table, seed: u64, bootstrap: usize, dir: &std::path::Path) -> Result<SeedResult> {
    let params = CompareParams { bootstrap, seed, ..CompareParams::default() };
    let full = dataset(table, &[])?;
    let classes = full.classes().context("a binary outcome")?;
    // train_test_split's first part is the held-out share: the audit half.
    let split = train_test_split(full.n_rows(), 0.5, seed, Some(classes))?;
    let outcome: Array1<f64> = split.test.iter().map(|&r| classes[r] as f64).collect();
    let x_audit = full.x().select(Axis(0), &split.test);
    // 1. A teacher that ignores a feature the outcome depends on.
    let ignoring = teacher_scores(table, &split, seed, &[IGNORED], dir)?;
    let shapes = compare_shapes(&params, x_audit.view(), outcome.view(), ignoring.view(), Link::Logit)?;
    let names: Vec<&str> = full.features().iter().map(|f| f.name.as_str()).collect();
    let j = names.iter().position(|&n| n == IGNORED).context("the ignored feature")?;
    let ratio = shapes[j].mimic_amplitude / shapes[j].outcome_amplitude;
    let other_flags = shapes.iter().filter(|c| c.flagged && c.feature != j).count();
    // 2. A feature missing from the audit data, used or not by the teacher.
    let audit = dataset(table, &[MISSING])?.x().select(Axis(0), &split.test);
    let levels = full.features().iter().position(|f| f.name == MISSING).context("the missing feature")?;
    let candidate = x_audit.column(levels).to_owned();
    let used = teacher_scores(table, &split, seed, &[], dir)?;
    let unused = teacher_scores(table, &split, seed, &[MISSING], dir)?;
    let hit = candidate_test(&params, audit.view(), candidate.view(), used.view(), Link::Logit)?;
    let miss = candidate_test(&params, audit.view(), candidate.view(), unused.view(), Link::Logit)?;
    Ok(SeedResult {
        ratio,
        flagged: shapes[j].flagged,
        other_flags,
        used_detected: hit.detected,
        used_p: hit.p_value,
        unused_detected: miss.detected,
        unused_p: miss.p_value,
        outcome_amplitude: shapes[j].outcome_amplitude,
        reliance: (&used - &unused).mapv(f64::abs).mean().unwrap_or(0.0),
    })
}

/// What this reproduction tests, stated before it runs.
const CARD: Card = Card {
    id: "tan2018",
    citation: "Tan, Caruana, Hooker & Lou (2018), Distill-and-compare: auditing black-box models using transparent model distillation, AIES",
    claim: "on German credit with planted truths, audited on the half of the rows the teachers were not trained on: a teacher ignoring a feature the outcome depends on has a mimic shape for it of at most 30% of the outcome model's amplitude (mean over seeds) and the feature is flagged in at least 4 of 5 seeds; the missing-feature test detects a used missing feature in at least 4 of 5 seeds and stays silent for an unused one in at least 4 of 5 seeds",
    preconditions: &[
        "the planted feature matters to the outcome: the outcome model's amplitude for duration_in_month is at least 0.25 on the log-odds scale, on average over seeds",
        "the teacher that may use the missing feature does use it: its probabilities differ from those of the teacher trained without it by at least 0.05 (mean absolute difference on the audit rows), on average over seeds",
    ],
    seconds: [55.0, 220.0, 540.0],
};

/// The reproduction: its card and its run.
pub const PAPER: Paper = Paper { card: &CARD, run };

fn run(options: &RunOptions) -> Result<Outcome> {
    let seeds = options.seeds(2, 5, 10);
    // Resamples per test: 40 keep the candidate test's smallest p-value, 1/41, below α = 0.05
    // with one resample to spare; --full draws 100.
    let bootstrap = options.scale.pick(20, 40, 100);
    let table = read_csv(&root().join("data/credit/german_credit.csv"), &ReadOptions::default())?;
    let scratch = tempfile::tempdir()?;
    let results: Vec<SeedResult> =
        seeds.par_iter().map(|&s| one_seed(&table, s, bootstrap, scratch.path())).collect::<Result<_>>()?;
    let mut table_md = String::from(
        "| seed | amplitude ratio (ignored feature) | flagged | other features flagged | candidate p (teacher used it) | candidate p (teacher did not) |\n|---|---|---|---|---|---|\n",
    );
    for (seed, r) in seeds.iter().zip(&results) {
        let _ = writeln!(
            table_md,
            "| {seed} | {:.3} | {} | {} | {:.3} ({}) | {:.3} ({}) |",
            r.ratio,
            if r.flagged { "yes" } else { "no" },
            r.other_flags,
            r.used_p,
            if r.used_detected { "detected" } else { "missed" },
            r.unused_p,
            if r.unused_detected { "false alarm" } else { "silent" }
        );
    }
    let (ratio, _) = mean_sd(&results.iter().map(|r| r.ratio).collect::<Vec<_>>());
    let flagged = results.iter().filter(|r| r.flagged).count();
    let detected = results.iter().filter(|r| r.used_detected).count();
    let silent = results.iter().filter(|r| !r.unused_detected).count();
    let needed = (seeds.len() * 4).div_ceil(5);
    let holds = ratio <= 0.3 && flagged >= needed && detected >= needed && silent >= needed;
    let outcome_amplitude = mean_sd(&results.iter().map(|r| r.outcome_amplitude).collect::<Vec<_>>()).0;
    let reliance = mean_sd(&results.iter().map(|r| r.reliance).collect::<Vec<_>>()).0;
    let preconditions = vec![
        Precondition::new(
            CARD.preconditions[0],
            format!("{outcome_amplitude:.3} on average"),
            outcome_amplitude >= 0.25,
        ),
        Precondition::new(CARD.preconditions[1], format!("{reliance:.3} on average"), reliance >= 0.05),
    ];
    let _ = write!(
        table_md,
        "\nIgnored feature `{IGNORED}`; missing feature `{MISSING}`. Amplitude: the 2.5%–97.5% range of a shape over the rows, on the log-odds scale. {bootstrap} bootstrap resamples per test."
    );
    let mut metrics = serde_json::Map::new();
    metrics.insert("amplitude_ratio".into(), json!(ratio));
    metrics.insert("flagged_seeds".into(), json!(flagged));
    metrics.insert("detected_seeds".into(), json!(detected));
    metrics.insert("silent_seeds".into(), json!(silent));
    let mut paper_metrics = serde_json::Map::new();
    paper_metrics.insert(
        "finding".into(),
        json!("on COMPAS, the mimic of the COMPAS score and the outcome model of recidivism differ on several features (e.g. age, priors count), and the audit found evidence that COMPAS relies on features missing from the audit data (qualitative)"),
    );
    metrics.insert("outcome_amplitude_ignored_feature".into(), json!(outcome_amplitude));
    metrics.insert("teacher_reliance_on_missing_feature".into(), json!(reliance));
    Ok(Outcome {
        preconditions,
        metrics,
        paper_metrics,
        holds,
        seeds: seeds.clone(),
        paper_figure: "COMPAS mimic differs from the outcome model; missing features detected (qualitative)"
            .into(),
        our_figure: format!(
            "amplitude ratio {ratio:.2}, flagged {flagged}/{n}, detected {detected}/{n}, silent {silent}/{n}",
            n = seeds.len()
        ),
        table: table_md,
        plots: Vec::new(),
        notes: format!(
            "Holds needs a mean amplitude ratio of at most 0.3 and at least {needed} of {} seeds for each count. \
             Mimic and outcome models are kd's boosted GAM (one bag each; the bootstrap supplies the bands); the \
             paper used iGAMs, and its COMPAS data cannot be shipped. A feature is flagged when bins whose 95% \
             difference band excludes zero hold at least 10% of the rows (kd's rule; the paper reads the bands by eye). \
             Teachers train on a stratified half of the rows and the audit uses the other half only ({} rows), as the \
             paper audits scores of a model trained elsewhere. Seeds run side by side. History, disclosed: with kd's \
             earlier GAM schedule (cyclic boosting, 3 leaves, rate 0.01) the claim did not hold (ratio 0.302, flagged \
             in 3 of 5 seeds); the GAM was changed to interpret's defaults for the EBM benchmark, not for this paper, \
             and the claim then held (ratio 0.180, flagged, detected and silent in 5 of 5 seeds; 100 resamples per \
             test, which the default run cuts to 40 to fit the time budget of `cargo xtask reproduce`; --full keeps 100). Both of those runs \
             audited every row with teachers trained on 70% of them, so the audit saw the teachers' training rows; \
             the present set-up answers a review of that and was written down before its first run.",
            seeds.len(),
            table.n_rows() / 2
        ),
    })
}
