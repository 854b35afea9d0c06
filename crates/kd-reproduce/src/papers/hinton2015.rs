//! Hinton, Vinyals & Dean (2015), "Distilling the Knowledge in a Neural Network"
//! (arXiv:1503.02531): a small network trained on an ensemble's softened outputs generalises
//! better than the same network on hard labels, and learns about a class it never saw.
//!
//! Per seed, on a stratified half of the rows (the other half is the test set):
//! 1. The teacher is an ensemble of three 256-256 ReLU MLPs (Adam 1e-3, 40 epochs, batch 64) on
//!    the whole training half; its logits are the log of the mean of their probabilities.
//! 2. A stratified 5% of the training half is the transfer set. A 64-64 MLP is trained on it
//!    with Hinton's loss (T = 4, soft weight α = 0.9, the hard cross-entropy weighted 0.1), and
//!    the same MLP from the same initial weights with the cross-entropy alone (Adam 1e-3, 300
//!    epochs, batch 16 for both). Claim 1: fewer test errors for the distilled student, on
//!    average and in at least 4 of 5 seeds.
//! 3. Every 3 is removed from the training half, which is then the transfer set of both students
//!    (60 epochs, batch 64). One bias added to the class-3 logit is chosen on the training half
//!    (3s included) from a grid of 0 to 30 in steps of 0.25, maximising its accuracy, as the
//!    paper raised the bias of the 3 by 3.5. Claim 2: the distilled student then classifies at
//!    least 70% of the test 3s correctly; the hard-label student classifies none without a bias.

use std::fmt::Write as _;

use anyhow::Result;
use kd_core::loss::kd::KdLossConfig;
use kd_core::nn::{DistillerConfig, MlpConfig, TeacherSignal, Term, WeightedTerm, logits};
use kd_core::tch::{Device, Kind, Tensor, nn};
use serde_json::json;

use super::images::{Images, errors, errors_of, train};
use super::interval;
use crate::paper::{Outcome, Paper, RunOptions};

/// The reproduction.
pub struct Hinton2015;

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

/// Share of `rows` of class 3 classified as 3 after adding `bias` to the class-3 logit.
fn recall_of_threes(z: &Tensor, labels: &[usize], rows: &[usize], bias: f64) -> f64 {
    let shifted =
        z.shallow_clone() + Tensor::from_slice(&[0.0, 0.0, 0.0, bias as f32, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    let predicted: Vec<i64> = Vec::try_from(shifted.argmax(1, false)).unwrap_or_default();
    let threes: Vec<usize> = rows.iter().copied().filter(|&r| labels[r] == 3).collect();
    threes.iter().filter(|&&r| predicted.get(r) == Some(&3)).count() as f64 / threes.len().max(1) as f64
}

/// The class-3 bias from the grid 0, 0.25, …, 30 with the best accuracy on `rows`.
fn choose_bias(z: &Tensor, labels: &[usize], rows: &[usize]) -> Result<f64> {
    let index = Tensor::from_slice(&rows.iter().map(|&r| r as i64).collect::<Vec<_>>());
    let (zr, y) = (
        z.index_select(0, &index),
        Tensor::from_slice(&rows.iter().map(|&r| labels[r] as i64).collect::<Vec<_>>()),
    );
    let mut best = (usize::MAX, 0.0);
    for step in 0..=120 {
        let bias = step as f64 * 0.25;
        let shift = Tensor::from_slice(&[0.0, 0.0, 0.0, bias as f32, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        let wrong = errors_of(&(&zr + shift), &y)?;
        if wrong < best.0 {
            best = (wrong, bias);
        }
    }
    Ok(best.1)
}

/// One seed's figures on `images`.
struct SeedResult {
    teacher: usize,
    hard: usize,
    distilled: usize,
    transfer_rows: usize,
    threes_distilled: f64,
    threes_hard: f64,
    threes_hard_biased: f64,
    bias: f64,
}

fn one_seed(images: &Images, seed: u64) -> Result<SeedResult> {
    let (train_rows, test_rows) = images.halves(seed)?;
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
    let bias = choose_bias(&z_soft, &images.labels, &train_rows)?;
    let hard_bias = choose_bias(&z_hard, &images.labels, &train_rows)?;
    Ok(SeedResult {
        teacher: errors_of(&teacher_test, &y_test)?,
        hard: errors(&hard, &x_test, &y_test)?,
        distilled: errors(&soft, &x_test, &y_test)?,
        transfer_rows: transfer.len(),
        threes_distilled: recall_of_threes(&z_soft, &images.labels, &test_rows, bias),
        threes_hard: recall_of_threes(&z_hard, &images.labels, &test_rows, 0.0),
        threes_hard_biased: recall_of_threes(&z_hard, &images.labels, &test_rows, hard_bias),
        bias,
    })
}

/// The table rows of one dataset, and whether its two claims hold.
fn report(
    images: &Images,
    seeds: &[u64],
    table: &mut String,
    metrics: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<(bool, bool, String)> {
    let results: Vec<SeedResult> = seeds.iter().map(|&s| one_seed(images, s)).collect::<Result<_>>()?;
    let _ = writeln!(
        table,
        "\n**{}** ({} test rows per seed)\n\n| seed | transfer rows | teacher errors | hard-label student | distilled student | class-3 bias | test 3s: distilled | hard, no bias | hard, own bias |\n|---|---|---|---|---|---|---|---|---|",
        images.name,
        images.labels.len() - images.labels.len() / 2
    );
    for (seed, r) in seeds.iter().zip(&results) {
        let _ = writeln!(
            table,
            "| {seed} | {} | {} | {} | {} | {:.2} | {:.3} | {:.3} | {:.3} |",
            r.transfer_rows,
            r.teacher,
            r.hard,
            r.distilled,
            r.bias,
            r.threes_distilled,
            r.threes_hard,
            r.threes_hard_biased
        );
    }
    let column = |f: fn(&SeedResult) -> f64| -> Vec<f64> { results.iter().map(f).collect() };
    let (hard, hard_ci) = interval(&column(|r| r.hard as f64));
    let (soft, soft_ci) = interval(&column(|r| r.distilled as f64));
    let (threes, threes_ci) = interval(&column(|r| r.threes_distilled));
    let wins = results.iter().filter(|r| r.distilled < r.hard).count();
    let needed = (seeds.len() * 4).div_ceil(5);
    let hard_none = results.iter().all(|r| r.threes_hard == 0.0);
    let _ = writeln!(
        table,
        "\nMean test errors: hard-label {hard:.1} ± {hard_ci:.1}, distilled {soft:.1} ± {soft_ci:.1} (95% t-intervals); distilled better in {wins} of {} seeds. Test 3s classified correctly by the distilled student after the bias: {threes:.3} ± {threes_ci:.3}.",
        seeds.len()
    );
    let key = images.name.replace(' ', "_").to_lowercase();
    metrics.insert(format!("{key}_errors_hard_mean"), json!(hard));
    metrics.insert(format!("{key}_errors_distilled_mean"), json!(soft));
    metrics.insert(format!("{key}_distilled_wins"), json!(wins));
    metrics.insert(format!("{key}_threes_distilled_mean"), json!(threes));
    metrics.insert(format!("{key}_threes_hard_no_bias_all_zero"), json!(hard_none));
    let claim1 = soft < hard && wins >= needed;
    let claim2 = threes >= 0.70 && hard_none;
    Ok((
        claim1,
        claim2,
        format!(
            "{}: errors {hard:.1} → {soft:.1} ({wins}/{} seeds), test 3s {threes:.2}",
            images.name,
            seeds.len()
        ),
    ))
}

impl Paper for Hinton2015 {
    fn id(&self) -> &'static str {
        "hinton2015"
    }
    fn citation(&self) -> &'static str {
        "Hinton, Vinyals & Dean (2015), Distilling the Knowledge in a Neural Network, arXiv:1503.02531"
    }
    fn claim(&self) -> &'static str {
        "on a stratified 5% of the digits training half, a 64-64-10 student distilled from an ensemble (T = 4, alpha = 0.9) makes fewer test errors than the same student on hard labels, on average and in at least 4 of 5 seeds; with every 3 removed from the transfer set, the distilled student classifies at least 70% of test 3s correctly after one class-3 logit bias chosen on the training half, against 0% for the hard-label student"
    }
    fn run(&self, options: &RunOptions) -> Result<Outcome> {
        let seeds: Vec<u64> = (0..if options.quick() { 2 } else { 5 }).collect();
        let mnist_seeds: Vec<u64> = (0..if options.quick() { 1 } else { 3 }).collect();
        let (mut table, mut metrics) = (String::new(), serde_json::Map::new());
        let (c1, c2, digits_line) = report(&Images::digits()?, &seeds, &mut table, &mut metrics)?;
        let (m1, m2, mnist_line) = report(&Images::mnist()?, &mnist_seeds, &mut table, &mut metrics)?;
        metrics.insert("mnist_claims_hold".into(), json!(m1 && m2));
        let mut paper_metrics = serde_json::Map::new();
        paper_metrics.insert("mnist_test_errors_teacher".into(), json!(67));
        paper_metrics.insert("mnist_test_errors_student_hard".into(), json!(146));
        paper_metrics.insert("mnist_test_errors_student_distilled".into(), json!(74));
        paper_metrics.insert("mnist_omitted_3_share_correct_after_bias".into(), json!(0.986));
        Ok(Outcome {
            preconditions: Vec::new(),
            metrics,
            paper_metrics,
            holds: c1 && c2,
            seeds,
            paper_figure: "MNIST test errors 67 / 146 / 74 (teacher / hard-label student / distilled student); 98.6% of test 3s right after a bias of 3.5 with the 3s omitted".into(),
            our_figure: format!("{digits_line}; {mnist_line}"),
            table,
            plots: Vec::new(),
            notes: "The verdict is on the digits (the claim's data); the MNIST 5k subset (2,500 training rows, fewer seeds) is shown beside it. Departures from the paper: small MLPs trained with Adam instead of the paper's 1200-1200 nets with dropout and jittered inputs; an ensemble of three MLPs as the teacher; T = 4 rather than the paper's T = 20 for MNIST, as the issue fixes it. Both students of a seed start from the same weights and see the same batches. Nothing was tuned to the thresholds.".into(),
        })
    }
}
