//! Han, Pool, Tran & Dally (2015), "Learning both Weights and Connections for Efficient Neural
//! Networks" (NeurIPS; arXiv:1506.02626): magnitude pruning with retraining removes most
//! weights of a network without losing accuracy, where pruning without retraining does.
//!
//! Per seed: LeNet-300-100 (784-300-100-10 ReLU MLP) trained on the MNIST 5k subset and tested
//! on the 10,000 official test images (the verdict), and beside it a 64-300-100-10 MLP on a
//! stratified half of the digits, tested on the other half. The dense network is trained by SGD
//! (learning rate 0.05, momentum 0.9, weight decay 5e-4, batch 64, 40 epochs). Then, from the
//! same dense weights, at the paper's LeNet-300-100 rates (8%, 9% and 26% of the three layers'
//! weights kept; each layer pruned below `q_l · σ_l` with its own quality `q_l`):
//! - one shot, without retraining;
//! - iteratively: four steps whose per-layer densities fall geometrically to the final rates
//!   (`d_l^{k/4}`, k = 1…4), each followed by 12 epochs of retraining on every training row at
//!   a tenth of the learning rate (0.005), with the same weight decay, masks kept.
//!
//! Claim (MNIST, 5 seeds, paired over seeds): the iteratively pruned network's test error is at
//! most 0.5 points above the dense network's, the upper end of the paired 95% t-interval of
//! the increase ≤ 0.5; and pruning at once without retraining raises it by more than 5 points,
//! the lower end of that interval > 5. Precondition: the dense network fits its training rows
//! (training error ≤ 1% in every seed), so pruning is judged against a converged network.

use std::fmt::Write as _;

use anyhow::Result;
use kd_core::nn::{
    Distiller, DistillerConfig, MlpConfig, OptimizerKind, PruneMasks, TeacherSignal, Term, WeightedTerm,
};
use kd_core::tch::{Device, nn};
use serde_json::json;

use super::images::{Images, errors, train};
use super::interval;
use crate::paper::{Card, Outcome, Paper, Precondition, RunOptions};

/// The paper's LeNet-300-100 rates: share of each layer's weights kept.
const RATES: [(&str, f64); 3] = [("l0.weight", 0.08), ("l1.weight", 0.09), ("l2.weight", 0.26)];
const STEPS: usize = 4;
const LEARNING_RATE: f64 = 0.05;
const WEIGHT_DECAY: f64 = 5e-4;

fn sgd(lr: f64) -> OptimizerKind {
    OptimizerKind::Sgd { lr, momentum: 0.9, weight_decay: WEIGHT_DECAY, nesterov: false }
}

fn cross_entropy() -> Vec<WeightedTerm> {
    vec![WeightedTerm { weight: 1.0, term: Term::CrossEntropy }]
}

/// Test errors in points (percent of the test rows) and the dense training error.
struct SeedResult {
    dense: f64,
    one_shot: f64,
    iterative: f64,
    dense_train: f64,
    layers: String,
}

fn one_seed(images: &Images, seed: u64) -> Result<SeedResult> {
    let (train_rows, test_rows) = images.split(seed)?;
    let ((x, y), (x_test, y_test)) = (images.rows(&train_rows), images.rows(&test_rows));
    let percent = |wrong: usize, n: usize| 100.0 * wrong as f64 / n as f64;
    let shape = MlpConfig { input: images.x.size()[1], hidden: vec![300, 100], output: 10 };
    kd_core::tch::manual_seed(seed as i64);
    let store = nn::VarStore::new(Device::Cpu);
    let net = shape.init(&store.root())?;
    let dense_config = DistillerConfig {
        epochs: 40,
        batch_size: 64,
        seed,
        optimizer: sgd(LEARNING_RATE),
        ..Default::default()
    };
    train(&net, &store, dense_config, cross_entropy(), TeacherSignal::None, &x, Some(&y))?;
    let dense = percent(errors(&net, &x_test, &y_test)?, test_rows.len());
    let dense_train = percent(errors(&net, &x, &y)?, train_rows.len());

    let mut one_shot_store = nn::VarStore::new(Device::Cpu);
    let one_shot_net = shape.init(&one_shot_store.root())?;
    one_shot_store.copy(&store)?;
    PruneMasks::dense(&one_shot_store)?.prune_layers_to_density(&one_shot_store, &RATES)?;
    let one_shot = percent(errors(&one_shot_net, &x_test, &y_test)?, test_rows.len());

    let mut masks = PruneMasks::dense(&store)?;
    for step in 1..=STEPS {
        let rates: Vec<(&str, f64)> =
            RATES.iter().map(|&(name, d)| (name, d.powf(step as f64 / STEPS as f64))).collect();
        masks.prune_layers_to_density(&store, &rates)?;
        let config = DistillerConfig {
            epochs: 12,
            batch_size: 64,
            seed: seed * 100 + step as u64,
            optimizer: sgd(LEARNING_RATE / 10.0),
            ..Default::default()
        };
        Distiller::new(config, cross_entropy(), TeacherSignal::None)?.with_masks(&masks).fit(
            &net,
            &store,
            &x,
            Some(&y),
            &mut |_| {},
        )?;
    }
    let iterative = percent(errors(&net, &x_test, &y_test)?, test_rows.len());
    let layers = masks
        .layers()?
        .iter()
        .map(|l| format!("{} {:.1}%", l.name, 100.0 * l.kept as f64 / l.total as f64))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(SeedResult { dense, one_shot, iterative, dense_train, layers })
}

/// What one dataset showed.
struct Found {
    precondition: Precondition,
    holds: bool,
    line: String,
}

fn report(
    images: &Images,
    seeds: &[u64],
    table: &mut String,
    metrics: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<Found> {
    let results: Vec<SeedResult> = seeds.iter().map(|&s| one_seed(images, s)).collect::<Result<_>>()?;
    let _ = writeln!(
        table,
        "\n**{}** ({} test rows per seed); test error (%)\n\n| seed | dense (training error) | pruned at once, no retraining | iterative pruning + retraining | kept per layer |\n|---|---|---|---|---|",
        images.name,
        images.test_rows()
    );
    for (seed, r) in seeds.iter().zip(&results) {
        let _ = writeln!(
            table,
            "| {seed} | {:.2} ({:.2}) | {:.2} | {:.2} | {} |",
            r.dense, r.dense_train, r.one_shot, r.iterative, r.layers
        );
    }
    let column = |f: fn(&SeedResult) -> f64| -> Vec<f64> { results.iter().map(f).collect() };
    let (dense, _) = interval(&column(|r| r.dense));
    let (rise, rise_ci) = interval(&column(|r| r.iterative - r.dense));
    let (drop, drop_ci) = interval(&column(|r| r.one_shot - r.dense));
    let worst_train = column(|r| r.dense_train).into_iter().fold(0.0, f64::max);
    let _ = writeln!(
        table,
        "\nChange in test error against the dense network (points, mean and paired 95% t-interval over seeds): iterative {rise:+.2} [{:+.2}, {:+.2}], at once without retraining {drop:+.2} [{:+.2}, {:+.2}].",
        rise - rise_ci,
        rise + rise_ci,
        drop - drop_ci,
        drop + drop_ci
    );
    let key = images.name.replace(' ', "_").to_lowercase();
    for (name, value) in [
        ("error_dense_mean", dense),
        ("error_increase_iterative_mean", rise),
        ("error_increase_iterative_upper", rise + rise_ci),
        ("error_increase_one_shot_mean", drop),
        ("error_increase_one_shot_lower", drop - drop_ci),
        ("dense_training_error_max", worst_train),
    ] {
        metrics.insert(format!("{key}_{name}"), json!(value));
    }
    let holds = rise + rise_ci <= 0.5 && drop - drop_ci > 5.0;
    metrics.insert(format!("{key}_holds"), json!(holds));
    Ok(Found {
        precondition: Precondition::new(
            format!(
                "{}: the dense network fits its training rows (training error ≤ 1% in every seed)",
                images.name
            ),
            format!("largest training error {worst_train:.2}%"),
            worst_train <= 1.0,
        ),
        holds,
        line: format!(
            "{}: dense {dense:.2}% error, iterative {rise:+.2} points (upper {:+.2}), at once {drop:+.2} (lower {:+.2})",
            images.name,
            rise + rise_ci,
            drop - drop_ci
        ),
    })
}

/// What this reproduction tests, stated before it runs.
const CARD: Card = Card {
    id: "han2015",
    citation: "Han, Pool, Tran & Dally (2015), Learning both Weights and Connections for Efficient Neural Networks, NeurIPS 2015 (arXiv:1506.02626)",
    claim: "LeNet-300-100 trained on the MNIST 5k subset and pruned iteratively with retraining to the paper's per-layer rates (8%, 9%, 26% of weights kept) has a test error on the 10,000 official test images at most 0.5 points above the dense network's (upper end of the paired 95% interval over 5 seeds), while pruning to the same rates at once without retraining raises it by more than 5 points (lower end of the interval)",
    preconditions: &["the dense network fits its training rows: training error ≤ 1% in every seed"],
    seconds: [60.0, 240.0, 400.0],
};

/// The reproduction: its card and its run.
pub const PAPER: Paper = Paper { card: &CARD, run };

fn run(options: &RunOptions) -> Result<Outcome> {
    let seeds = options.seeds(1, 5, 10);
    let (mut table, mut metrics) = (String::new(), serde_json::Map::new());
    let mnist = report(&Images::mnist()?, &seeds, &mut table, &mut metrics)?;
    let digits = report(&Images::digits()?, &seeds, &mut table, &mut metrics)?;
    let mut paper_metrics = serde_json::Map::new();
    paper_metrics.insert("lenet_300_100_error_dense".into(), json!(1.64));
    paper_metrics.insert("lenet_300_100_error_pruned".into(), json!(1.59));
    paper_metrics.insert("lenet_300_100_weights_kept".into(), json!(0.08));
    Ok(Outcome {
        preconditions: vec![mnist.precondition],
        metrics,
        paper_metrics,
        holds: mnist.holds,
        seeds,
        paper_figure: "LeNet-300-100 on MNIST: 1.64% → 1.59% test error with 8% of the weights (12× fewer)"
            .into(),
        our_figure: format!("{}; {}", mnist.line, digits.line),
        table,
        plots: Vec::new(),
        notes: format!(
            "The verdict is on MNIST (the paper's network and data; 5,000 training rows instead of 60,000); the digits MLP (899 test rows, too few for a 0.5-point bar) is shown beside it at the same rates, with its own precondition figure: {}. Departures from the paper: SGD with a constant rate (Caffe's LeNet solver decays it), a fixed four-step schedule of 12 retraining epochs per step (the paper retrains until the accuracy recovers). Only weight matrices are pruned and counted; biases are kept. Disclosures: the first version pruned every layer with one common quality to 10% overall (the output layer fell to about 10%, where the paper keeps 26%), retrained with Adam without weight decay and judged +5 test errors, a bar set on 899 test rows; on the MNIST subset (2,500 test rows then) it did not hold (+5.7 errors). Before that, a version retrained for a fixed 15 epochs per step, which had not converged on the digits at 10% (268 test errors against 24 dense). The set-up above (per-layer rates, retraining at a tenth of the rate with weight decay, the official test set, the bar in points on a paired interval) was written down before its first run, which (default scale, 5 seeds) did not hold on MNIST: iterative pruning +0.35 points [+0.18, +0.52] (the upper end just over 0.5), at once without retraining +5.39 [+3.13, +7.64] (the lower end under 5). Nothing was changed after that run.",
            digits.precondition.figure
        ),
    })
}
