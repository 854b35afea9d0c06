//! Hinton, Vinyals & Dean (2015), "Distilling the Knowledge in a Neural Network"
//! (arXiv:1503.02531): a small network trained on an ensemble's softened outputs generalises
//! better than the same network on hard labels, and learns about a class it never saw.
//!
//! Per seed, on the training rows (digits: a stratified half, the other half is the test set;
//! MNIST: the 5k subset, tested on the 10,000 official test images):
//! 1. The teacher is an ensemble of three 256-256 ReLU MLPs (Adam 1e-3, 40 epochs, batch 64) on
//!    every training row; its logits are the log of the mean of their probabilities.
//! 2. A stratified 5% of the training rows is the transfer set. A 64-64 MLP is trained on it
//!    with Hinton's loss (T = 4, soft weight α = 0.9, the hard cross-entropy weighted 0.1), and
//!    the same MLP from the same initial weights with the cross-entropy alone (Adam 1e-3, 300
//!    epochs, batch 16 for both). Claim 1: fewer test errors for the distilled student, on
//!    average and in at least 4 of 5 seeds.
//! 3. Every 3 is removed from the training rows, which are then the transfer set of both
//!    students (60 epochs, batch 64). One bias added to the class-3 logit is chosen on the
//!    training rows (3s included) from a grid of 0 to 30 in steps of 0.25, maximising their
//!    accuracy, as the paper raised the bias of the 3 by 3.5; the hard-label student gets its
//!    own bias chosen the same way ([`omitted`]). Claim 2, on the test rows: the distilled
//!    student classifies at least 70% of the 3s correctly after its bias (on average); the bias
//!    lowers its test errors (every class) in at least 4 of 5 seeds; and it gets more test 3s
//!    right than the hard-label student after that student's own bias, in at least 4 of 5
//!    seeds. (Without a bias the hard-label student gets no 3 right by construction: it is
//!    shown, not judged.)
//!
//! Preconditions, per seed: the ensemble makes fewer test errors than the hard-label student of
//! step 2, and classifies at least 90% of the test 3s correctly (it has something to teach
//! about 3s).

mod omitted;

use std::fmt::Write as _;

use anyhow::Result;
use kd_core::loss::kd::KdLossConfig;
use kd_core::nn::{DistillerConfig, MlpConfig, TeacherSignal, Term, WeightedTerm, logits};
use kd_core::tch::{Device, Kind, Tensor, nn};
use serde_json::json;

use super::images::{Images, errors, errors_of, train};
use super::interval;
use crate::paper::{Card, Outcome, Paper, Precondition, RunOptions};
use omitted::Omitted;

const TEMPERATURE: f64 = 4.0;
const SOFT_WEIGHT: f64 = 0.9;

/// The ensemble teacher's logits `ln mean_m softmax(z_m)` for every row of `images`.
fn ensemble_logits(images: &Images, train_rows: &[usize], seed: u64) -> Result<Tensor> {
    let (x, y) = images.rows(train_rows);
    let mut probabilities: Option<Tensor> = None;
    for member in 0..3 {
        kd_core::tch::manual_seed((seed * 10 + member) as i64);
        let store = nn::VarStore::new(Device::Cpu);
        let net = MlpConfig { input: images.x.size()[1], hidden: vec![256, 256], output: 10 }
            .init(&store.root())?;
        let config =
            DistillerConfig { epochs: 40, batch_size: 64, seed: seed * 10 + member, ..Default::default() };
        train(
            &net,
            &store,
            config,
            vec![WeightedTerm { weight: 1.0, term: Term::CrossEntropy }],
            TeacherSignal::None,
            &x,
            Some(&y),
        )?;
        let p = logits(&net, &images.x, 512)?.softmax(1, Kind::Float);
        probabilities = Some(match probabilities {
            None => p,
            Some(sum) => sum + p,
        });
    }
    Ok(probabilities.map_or_else(|| Tensor::zeros([1], (Kind::Float, Device::Cpu)), |p| (p / 3.0).log()))
}

/// A 64-64 student trained on `rows` (initial weights from `seed`), distilled or on labels.
fn student(
    images: &Images,
    teacher: &Tensor,
    rows: &[usize],
    distil: bool,
    epochs: usize,
    batch: usize,
    seed: u64,
) -> Result<(nn::VarStore, kd_core::nn::Mlp)> {
    let (x, y) = images.rows(rows);
    kd_core::tch::manual_seed(seed as i64);
    let store = nn::VarStore::new(Device::Cpu);
    let net =
        MlpConfig { input: images.x.size()[1], hidden: vec![64, 64], output: 10 }.init(&store.root())?;
    let config = DistillerConfig { epochs, batch_size: batch, seed, ..Default::default() };
    let (term, signal) = if distil {
        let index = Tensor::from_slice(&rows.iter().map(|&r| r as i64).collect::<Vec<_>>());
        (
            Term::Kd(KdLossConfig::hinton(TEMPERATURE, SOFT_WEIGHT).init()?),
            TeacherSignal::Outputs(teacher.index_select(0, &index)),
        )
    } else {
        (Term::CrossEntropy, TeacherSignal::None)
    };
    train(&net, &store, config, vec![WeightedTerm { weight: 1.0, term }], signal, &x, Some(&y))?;
    Ok((store, net))
}

/// One seed's figures on `images`.
struct SeedResult {
    teacher: usize,
    teacher_threes: f64,
    hard: usize,
    distilled: usize,
    transfer_rows: usize,
    omitted: Omitted,
}

fn one_seed(images: &Images, seed: u64) -> Result<SeedResult> {
    let (train_rows, test_rows) = images.split(seed)?;
    let (x_test, y_test) = images.rows(&test_rows);
    let teacher = ensemble_logits(images, &train_rows, seed)?;
    let teacher_test = teacher
        .index_select(0, &Tensor::from_slice(&test_rows.iter().map(|&r| r as i64).collect::<Vec<_>>()));
    let transfer = images.stratified(&train_rows, 0.05, seed);
    let (_, hard) = student(images, &teacher, &transfer, false, 300, 16, seed + 100)?;
    let (_, soft) = student(images, &teacher, &transfer, true, 300, 16, seed + 100)?;
    let no_threes: Vec<usize> = train_rows.iter().copied().filter(|&r| images.labels[r] != 3).collect();
    let (_, hard3) = student(images, &teacher, &no_threes, false, 60, 64, seed + 200)?;
    let (_, soft3) = student(images, &teacher, &no_threes, true, 60, 64, seed + 200)?;
    let (z_soft, z_hard) = (logits(&soft3, &images.x, 512)?, logits(&hard3, &images.x, 512)?);
    Ok(SeedResult {
        teacher: errors_of(&teacher_test, &y_test)?,
        teacher_threes: omitted::recall_of_threes(&teacher, &images.labels, &test_rows, 0.0),
        hard: errors(&hard, &x_test, &y_test)?,
        distilled: errors(&soft, &x_test, &y_test)?,
        transfer_rows: transfer.len(),
        omitted: Omitted::measure(&z_soft, &z_hard, &images.labels, &train_rows, &test_rows)?,
    })
}

/// What one dataset showed.
struct Verdicts {
    /// The preconditions, with their figures.
    preconditions: Vec<Precondition>,
    claim1: bool,
    claim2: bool,
    line: String,
}

/// The table rows of one dataset, its preconditions and whether its two claims hold.
fn report(
    images: &Images,
    seeds: &[u64],
    table: &mut String,
    metrics: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<Verdicts> {
    let results: Vec<SeedResult> = seeds.iter().map(|&s| one_seed(images, s)).collect::<Result<_>>()?;
    let n = seeds.len();
    let _ = writeln!(
        table,
        "\n**{}** ({} test rows per seed)\n\n| seed | transfer rows | teacher errors | teacher: test 3s | hard-label student | distilled student | 3s omitted: bias | test 3s: distilled, biased | distilled, no bias | hard, no bias | hard, own bias (its bias) | test errors of the distilled: no bias → biased |\n|---|---|---|---|---|---|---|---|---|---|---|---|",
        images.name,
        images.test_rows()
    );
    for (seed, r) in seeds.iter().zip(&results) {
        let o = &r.omitted;
        let _ = writeln!(
            table,
            "| {seed} | {} | {} | {:.3} | {} | {} | {:.2} | {:.3} | {:.3} | {:.3} | {:.3} ({:.2}) | {} → {} |",
            r.transfer_rows,
            r.teacher,
            r.teacher_threes,
            r.hard,
            r.distilled,
            o.bias,
            o.distilled,
            o.distilled_unbiased,
            o.hard,
            o.hard_biased,
            o.hard_bias,
            o.errors_unbiased,
            o.errors_biased
        );
    }
    let column = |f: fn(&SeedResult) -> f64| -> Vec<f64> { results.iter().map(f).collect() };
    let count = |f: fn(&SeedResult) -> bool| results.iter().filter(|r| f(r)).count();
    let (hard, hard_ci) = interval(&column(|r| r.hard as f64));
    let (soft, soft_ci) = interval(&column(|r| r.distilled as f64));
    let (threes, threes_ci) = interval(&column(|r| r.omitted.distilled));
    let (threes_hard, _) = interval(&column(|r| r.omitted.hard_biased));
    let wins = count(|r| r.distilled < r.hard);
    let bias_helps = count(|r| r.omitted.errors_biased < r.omitted.errors_unbiased);
    let beats_hard = count(|r| r.omitted.distilled > r.omitted.hard_biased);
    let teacher_ahead = count(|r| r.teacher < r.hard);
    let teacher_knows = count(|r| r.teacher_threes >= 0.9);
    let needed = (n * 4).div_ceil(5);
    let _ = writeln!(
        table,
        "\nMean test errors: hard-label {hard:.1} ± {hard_ci:.1}, distilled {soft:.1} ± {soft_ci:.1} (95% t-intervals); distilled better in {wins} of {n} seeds. With the 3s omitted, test 3s right after the bias: distilled {threes:.3} ± {threes_ci:.3}, hard-label with its own bias {threes_hard:.3}; the bias lowers the distilled student's test errors in {bias_helps} of {n} seeds, and the distilled student beats the biased hard-label one on 3s in {beats_hard} of {n}."
    );
    let key = images.name.replace(' ', "_").to_lowercase();
    for (name, value) in [
        ("errors_hard_mean", json!(hard)),
        ("errors_distilled_mean", json!(soft)),
        ("distilled_wins", json!(wins)),
        ("threes_distilled_mean", json!(threes)),
        ("threes_hard_own_bias_mean", json!(threes_hard)),
        ("bias_lowers_errors_seeds", json!(bias_helps)),
        ("distilled_beats_biased_hard_on_threes_seeds", json!(beats_hard)),
    ] {
        metrics.insert(format!("{key}_{name}"), value);
    }
    let preconditions = vec![
        Precondition::new(
            format!(
                "{}: the ensemble teacher makes fewer test errors than the hard-label student, in every seed",
                images.name
            ),
            format!(
                "{teacher_ahead} of {n} seeds (teacher {:.1} errors on average, student {hard:.1})",
                interval(&column(|r| r.teacher as f64)).0
            ),
            teacher_ahead == n,
        ),
        Precondition::new(
            format!(
                "{}: the teacher classifies at least 90% of the test 3s correctly, in every seed",
                images.name
            ),
            format!("{teacher_knows} of {n} seeds (mean {:.3})", interval(&column(|r| r.teacher_threes)).0),
            teacher_knows == n,
        ),
    ];
    Ok(Verdicts {
        preconditions,
        claim1: soft < hard && wins >= needed,
        claim2: threes >= 0.70 && bias_helps >= needed && beats_hard >= needed,
        line: format!(
            "{}: errors {hard:.1} → {soft:.1} ({wins}/{n} seeds); 3s omitted: test 3s {threes:.2} after the bias (hard-label, own bias: {threes_hard:.2}), bias helps in {bias_helps}/{n}",
            images.name
        ),
    })
}

/// What this reproduction tests, stated before it runs.
const CARD: Card = Card {
    id: "hinton2015",
    citation: "Hinton, Vinyals & Dean (2015), Distilling the Knowledge in a Neural Network, arXiv:1503.02531",
    claim: "on a stratified 5% of the digits training half, a 64-64-10 student distilled from an ensemble (T = 4, alpha = 0.9) makes fewer test errors than the same student on hard labels, on average and in at least 4 of 5 seeds; with every 3 removed from the transfer set, the distilled student classifies at least 70% of test 3s correctly after one class-3 logit bias chosen on the training half (mean over seeds), the bias lowers its test errors in at least 4 of 5 seeds, and it gets more test 3s right than the hard-label student given its own bias chosen the same way in at least 4 of 5 seeds",
    preconditions: &[
        "the ensemble teacher makes fewer test errors than the hard-label student, in every seed",
        "the teacher classifies at least 90% of the test 3s correctly, in every seed",
    ],
    seconds: [20.0, 60.0, 400.0],
};

/// The reproduction: its card and its run.
pub const PAPER: Paper = Paper { card: &CARD, run };

fn run(options: &RunOptions) -> Result<Outcome> {
    let seeds = options.seeds(2, 5, 5);
    let (mut table, mut metrics) = (String::new(), serde_json::Map::new());
    let digits = report(&Images::digits()?, &seeds, &mut table, &mut metrics)?;
    let mut lines = vec![digits.line];
    if options.full() {
        let mnist = report(&Images::mnist()?, &[0, 1, 2], &mut table, &mut metrics)?;
        let met = mnist.preconditions.iter().all(|p| p.met);
        metrics.insert("mnist_claims_hold".into(), json!(met && mnist.claim1 && mnist.claim2));
        lines.push(mnist.line);
    }
    let mut paper_metrics = serde_json::Map::new();
    paper_metrics.insert("mnist_test_errors_teacher".into(), json!(67));
    paper_metrics.insert("mnist_test_errors_student_hard".into(), json!(146));
    paper_metrics.insert("mnist_test_errors_student_distilled".into(), json!(74));
    paper_metrics.insert("mnist_omitted_3_test_errors_no_bias".into(), json!(206));
    paper_metrics.insert("mnist_omitted_3_test_errors_bias".into(), json!(109));
    paper_metrics.insert("mnist_omitted_3_share_correct_after_bias".into(), json!(0.986));
    Ok(Outcome {
        preconditions: digits.preconditions,
        metrics,
        paper_metrics,
        holds: digits.claim1 && digits.claim2,
        seeds,
        paper_figure: "MNIST test errors 67 / 146 / 74 (teacher / hard-label student / distilled student); with the 3s omitted, 206 test errors → 109 after a class-3 bias of 3.5, 98.6% of test 3s right".into(),
        our_figure: lines.join("; "),
        table,
        plots: Vec::new(),
        notes: "The verdict is on the digits (the claim's data); full runs add MNIST (the 5k training subset, tested on the 10,000 official test images; 3 seeds) beside it. Departures from the paper: small MLPs trained with Adam instead of the paper's 1200-1200 nets with dropout and jittered inputs; an ensemble of three MLPs as the teacher; T = 4 rather than the paper's T = 20 for MNIST; the class-3 bias is chosen on the training rows, where the paper chose it on the test set. Both students of a seed start from the same weights and see the same batches. Nothing was tuned to the thresholds. Disclosure: an earlier version judged the omitted-3s claim against the hard-label student without a bias, which gets 0% of the 3s by construction (it held: 0.961 of test 3s after the bias on the digits, full run); it now compares the bias against no bias and the distilled student against a hard-label student given its own bias, both of which can lose.".into(),
    })
}
