//! What `zagoruyko2017` (attention transfer) and `huang2017` (neuron selectivity transfer) share:
//! a wide-ResNet teacher, a thinner wide-ResNet student whose three groups' maps have the same
//! spatial sizes as the teacher's, and four students per seed trained from the same initial
//! weights on the same batches: cross-entropy alone, with the feature term, with Hinton's KD
//! (T = 4, α = 0.9, as Zagoruyko & Komodakis combine them), and with both.
//!
//! Per seed, on a stratified half of the rows (the other half is the test set). Teacher and
//! students train with Adam (1e-3, batch 64). The student–teacher distance is the feature term's
//! own value (without its weight) on the test rows, in eval mode, averaged over batches of 250.
//! Claim: with the feature term the distance falls by at least 50% against the student alone,
//! and the test accuracy is no worse than the student alone minus 0.5 points (mean over seeds).

use std::fmt::Write as _;

use anyhow::Result;
use kd_core::loss::kd::KdLossConfig;
use kd_core::nn::{
    DistillerConfig, Network, TeacherSignal, Term, WeightedTerm, WideResNet, WideResNetConfig, accuracy,
};
use kd_core::tch::{Device, Tensor, nn};
use serde_json::json;

use super::images::{Images, train};
use super::interval;
use crate::paper::RunOptions;

/// One feature-transfer method.
pub struct Method {
    /// Name in the report ("AT", "NST").
    pub name: &'static str,
    /// The term (its own scale: the distance reported).
    pub term: fn() -> Term,
    /// Its weight in the objective.
    pub weight: f64,
}

/// A dataset's set-up: architectures and epochs.
pub struct Setup {
    /// The images.
    pub images: Images,
    /// Teacher depth and width.
    pub teacher: (i64, i64),
    /// Student depth and width.
    pub student: (i64, i64),
    /// Epochs of every training run.
    pub epochs: usize,
}

fn wrn(setup: &Setup, (depth, width): (i64, i64), store: &nn::VarStore) -> Result<WideResNet> {
    let side = setup.images.side;
    Ok(WideResNetConfig { depth, width, channels: 1, side, classes: 10 }.init(&store.root())?)
}

/// The term's mean value between `student` and `teacher` on `x`, in eval mode.
fn distance(method: &Method, student: &dyn Network, teacher: &dyn Network, x: &Tensor) -> Result<f64> {
    let term = (method.term)();
    let n = x.size()[0];
    let mut total = 0.0;
    for start in (0..n).step_by(250) {
        let xb = x.narrow(0, start, (n - start).min(250));
        let value = kd_core::tch::no_grad(|| -> Result<f64> {
            let (s, t) = (student.forward_taps(&xb, false)?, teacher.forward_taps(&xb, false)?);
            let rows = Tensor::arange(xb.size()[0], (kd_core::tch::Kind::Int64, Device::Cpu));
            let value = term.loss(&s, Some(&t), None, &rows, false)?;
            Ok(value.map_or(f64::NAN, |v| v.double_value(&[])))
        })?;
        total += value * xb.size()[0] as f64;
    }
    Ok(total / n as f64)
}

/// Test accuracy (in points) and distance of the four students of one seed.
struct SeedResult {
    accuracy: [f64; 4],
    distance: [f64; 4],
    teacher: f64,
}

const VARIANTS: [&str; 4] = ["student alone", "+ feature term", "+ KD", "+ KD + feature term"];

fn one_seed(method: &Method, setup: &Setup, seed: u64) -> Result<SeedResult> {
    let images = &setup.images;
    let (train_rows, test_rows) = images.halves(seed)?;
    let ((x, y), (x_test, y_test)) = (images.rows(&train_rows), images.rows(&test_rows));
    let config = DistillerConfig { epochs: setup.epochs, batch_size: 64, seed, ..Default::default() };
    kd_core::tch::manual_seed(seed as i64);
    let teacher_store = nn::VarStore::new(Device::Cpu);
    let teacher = wrn(setup, setup.teacher, &teacher_store)?;
    let ce = || WeightedTerm { weight: 1.0, term: Term::CrossEntropy };
    train(&teacher, &teacher_store, config, vec![ce()], TeacherSignal::None, &x, Some(&y))?;
    let mut result = SeedResult {
        accuracy: [0.0; 4],
        distance: [0.0; 4],
        teacher: 100.0 * accuracy(&teacher, &x_test, &y_test)?,
    };
    for (variant, slot) in (0..4).zip(0..4) {
        let (feature, kd) = (variant % 2 == 1, variant >= 2);
        let mut terms = vec![if kd {
            WeightedTerm { weight: 1.0, term: Term::Kd(KdLossConfig::hinton(4.0, 0.9).init()?) }
        } else {
            ce()
        }];
        if feature {
            terms.push(WeightedTerm { weight: method.weight, term: (method.term)() });
        }
        kd_core::tch::manual_seed(1000 + seed as i64);
        let store = nn::VarStore::new(Device::Cpu);
        let student = wrn(setup, setup.student, &store)?;
        let signal = if kd || feature { TeacherSignal::Network(&teacher) } else { TeacherSignal::None };
        train(&student, &store, config, terms, signal, &x, Some(&y))?;
        result.accuracy[slot] = 100.0 * accuracy(&student, &x_test, &y_test)?;
        result.distance[slot] = distance(method, &student, &teacher, &x_test)?;
    }
    Ok(result)
}

/// Runs `method` on `setup` over `seeds`; appends to `table` and `metrics`; says whether the
/// claim holds and gives a headline.
fn report(
    method: &Method,
    setup: &Setup,
    seeds: &[u64],
    table: &mut String,
    metrics: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<(bool, String)> {
    let results: Vec<SeedResult> =
        seeds.iter().map(|&s| one_seed(method, setup, s)).collect::<Result<_>>()?;
    let name = setup.images.name;
    let (td, tw, sd, sw) = (setup.teacher.0, setup.teacher.1, setup.student.0, setup.student.1);
    let _ = writeln!(
        table,
        "\n**{name}**: teacher WRN-{td}-{tw}, student WRN-{sd}-{sw}, {} epochs; test accuracy (%) and {} distance to the teacher on the test half\n\n| seed | teacher | {} |\n|---|---|---|---|---|---|",
        setup.epochs,
        method.name,
        VARIANTS.map(|v| v.replace("feature term", method.name)).join(" | ")
    );
    for (seed, r) in seeds.iter().zip(&results) {
        let cells: Vec<String> =
            (0..4).map(|i| format!("{:.2} ({:.4})", r.accuracy[i], r.distance[i])).collect();
        let _ = writeln!(table, "| {seed} | {:.2} | {} |", r.teacher, cells.join(" | "));
    }
    let change = |from: usize, to: usize| {
        interval(&results.iter().map(|r| r.accuracy[to] - r.accuracy[from]).collect::<Vec<_>>())
    };
    let (gain, gain_ci) = change(0, 1);
    let (kd_gain, kd_gain_ci) = change(2, 3);
    let mean = |f: &dyn Fn(&SeedResult) -> f64| results.iter().map(f).sum::<f64>() / results.len() as f64;
    let fall = 1.0 - mean(&|r| r.distance[1]) / mean(&|r| r.distance[0]);
    let _ = writeln!(
        table,
        "\n{m} distance falls by {:.1}% with {m} (mean over seeds). Accuracy change from adding {m}: {gain:+.2} ± {gain_ci:.2} points without KD, {kd_gain:+.2} ± {kd_gain_ci:.2} with KD (95% t-intervals over seeds).",
        100.0 * fall,
        m = method.name
    );
    let key = name.replace(' ', "_").to_lowercase();
    metrics.insert(format!("{key}_distance_fall"), json!(fall));
    metrics.insert(format!("{key}_accuracy_change"), json!(gain));
    metrics.insert(format!("{key}_accuracy_change_with_kd"), json!(kd_gain));
    metrics.insert(format!("{key}_accuracy_student_alone"), json!(mean(&|r| r.accuracy[0])));
    let holds = fall >= 0.5 && gain >= -0.5;
    Ok((
        holds,
        format!("{name}: distance −{:.0}%, accuracy {gain:+.2} points ({kd_gain:+.2} with KD)", 100.0 * fall),
    ))
}

/// What [`run_method`] found.
pub struct MethodRun {
    /// The verdict (the digits').
    pub holds: bool,
    /// The report's tables.
    pub table: String,
    /// Figures per dataset.
    pub metrics: serde_json::Map<String, serde_json::Value>,
    /// One line per dataset.
    pub headline: String,
    /// The digits' seeds.
    pub seeds: Vec<u64>,
}

/// The digits set-up and, in full runs, the MNIST one (fewer seeds and epochs, a smaller
/// teacher, for time).
fn setups(quick: bool) -> Result<Vec<(Setup, Vec<u64>)>> {
    let digits = Setup { images: Images::digits()?, teacher: (16, 2), student: (10, 1), epochs: 30 };
    let mut setups = vec![(digits, (0..if quick { 2 } else { 5 }).collect())];
    if !quick {
        setups.push((
            Setup { images: Images::mnist()?, teacher: (10, 2), student: (10, 1), epochs: 10 },
            vec![0, 1],
        ));
    }
    Ok(setups)
}

/// Runs `method` on every set-up; the verdict is the digits'.
pub fn run_method(method: &Method, options: &RunOptions) -> Result<MethodRun> {
    let mut run = MethodRun {
        holds: false,
        table: String::new(),
        metrics: serde_json::Map::new(),
        headline: String::new(),
        seeds: Vec::new(),
    };
    let mut lines = Vec::new();
    for (index, (setup, seeds)) in setups(options.quick())?.into_iter().enumerate() {
        let (holds, line) = report(method, &setup, &seeds, &mut run.table, &mut run.metrics)?;
        run.metrics
            .insert(format!("{}_holds", setup.images.name.replace(' ', "_").to_lowercase()), json!(holds));
        if index == 0 {
            run.holds = holds;
            run.seeds = seeds;
        }
        lines.push(line);
    }
    run.headline = lines.join("; ");
    Ok(run)
}
