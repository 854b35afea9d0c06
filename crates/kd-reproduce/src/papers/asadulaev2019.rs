//! Asadulaev, Kuznetsov & Filchenkov (2019), "Interpretable Few-Shot Learning via Linear
//! Distillation" (arXiv:1906.05431): one linear student per class, each trained on its own
//! class's few examples to imitate a frozen random linear teacher, classifies by the smallest
//! imitation error `argmin_c ½‖T(x) − S_c(x)‖²` ([`ldl`], the paper's one-to-many distillation,
//! O2MD), and beats logistic regression trained on the same examples.
//!
//! Two legs ([`data`]): the 8×8 digits (a fixed stratified half is the test set, examples are
//! drawn from the other half) and the paper's MNIST protocol (examples from the shipped 5k
//! subset of training images, tested on the 10,000 official test images). Each seed draws `k`
//! examples per class (nested in `k`); on those rows only, the same for every method:
//!
//! - LDL trained until its students' own-class imitation error plateaus (an epoch lowers it by
//!   less than 1% of its value after the first epoch; at most 200 epochs), otherwise with the
//!   settings of the authors' runs behind their MNIST table
//!   (`results/16-05-2019/mnist_omd_second_stage.csv`): Xavier-normal initialisation, Adam at
//!   learning rate 1e-3 on one example per step, output size equal to the input size (64; 784
//!   as their default `z_dim` on MNIST). The authors' own 3 epochs are shown beside it.
//! - The paper's baseline ([`softmax`]): an unpenalised softmax layer trained by Adam (1e-3,
//!   batches of 32) for 10 epochs, as the authors' `logreg_mnist.csv` runs that the paper quotes.
//! - L2 logistic regression with scikit-learn's default penalty C = 1 (λ = 1/C = 1), fitted to
//!   convergence by Newton's method: kd's `Multinomial` on digits (softmax with scikit-learn's
//!   penalty, symmetric in the classes, intercepts unpenalised), one-vs-rest binary `Logistic`
//!   on MNIST (a Newton step of the multinomial model on 784 features, 7,065 coefficients, is
//!   too large here).
//!
//! The claim compares LDL with the paper's baseline: a higher mean accuracy and ahead in at
//! least 4 of 5 seeds, at each claimed leg and `k`. The comparison with L2 logistic regression
//! is reported beside it.

mod data;
mod ldl;
mod softmax;
mod summary;

use std::fmt::Write as _;

use anyhow::Result;
use kd_core::metrics::{accuracy, argmax};
use kd_students::linear::{Logistic, LogisticParams, Multinomial};
use ndarray::{Array1, Array2, ArrayView2};
use serde_json::json;

use self::data::Leg;
use self::ldl::{Ldl, LdlParams, Stop};
use self::summary::{HEADER, Summary, plot, write_per_seed};
use crate::paper::{Card, Outcome, Paper, Precondition, RunOptions};

/// Examples per class on digits (the curve); the claim is tested at [`DIGITS_CLAIM`].
const DIGITS_KS: [usize; 5] = [1, 5, 10, 20, 50];
const DIGITS_CLAIM: [usize; 2] = [10, 20];
/// The claim's `k` on MNIST (the paper's 10-shot row); `--full` adds 1 and 50.
const MNIST_CLAIM: usize = 10;
/// LDL trained to a plateau: Adam at 1e-3 until an epoch lowers the own-class error by less than
/// 1% of its value after the first epoch, at most 200 epochs.
const PLATEAU: LdlParams =
    LdlParams { out_dim: None, stop: Stop::Plateau { share: 0.01, cap: 200 }, learning_rate: 1e-3 };
/// The authors' settings for their MNIST table: Adam at 1e-3, 3 epochs.
const PAPER_SETTINGS: LdlParams = LdlParams { out_dim: None, stop: Stop::Epochs(3), learning_rate: 1e-3 };
/// The L2 penalty λ = 1/C of the logistic regressions (scikit-learn's default C = 1).
const L2: f64 = 1.0;

/// Test accuracies of one seed at one `k`, and how long LDL trained.
#[derive(Debug, Clone, Copy)]
struct Scores {
    ldl: f64,
    epochs: usize,
    plateaued: bool,
    softmax: f64,
    ldl_paper: f64,
    l2: f64,
}

/// L2 logistic regression (C = 1) on the rows `x`, `y`: the class of highest probability on
/// `test`; multinomial or one-vs-rest.
fn l2_logistic(
    x: ArrayView2<'_, f64>,
    y: &[usize],
    test: ArrayView2<'_, f64>,
    multinomial: bool,
) -> Result<Vec<usize>> {
    let params = LogisticParams { l2: L2, ..Default::default() };
    let names: Vec<String> = (0..x.ncols()).map(|j| format!("px{j}")).collect();
    if multinomial {
        let onehot = Array2::from_shape_fn((y.len(), 10), |(i, c)| f64::from(u8::from(y[i] == c)));
        let model = Multinomial::fit(&params, x, onehot.view(), &names)?;
        return Ok(argmax(model.predict_proba(test)?.view()));
    }
    let mut scores = Array2::zeros((test.nrows(), 10));
    for c in 0..10 {
        let t: Array1<f64> = y.iter().map(|&v| f64::from(u8::from(v == c))).collect();
        let model = Logistic::fit(&params, x, t.view(), &names)?;
        scores.column_mut(c).assign(&model.predict_proba(test)?);
    }
    Ok(argmax(scores.view()))
}

/// Every method on `k` examples per class of one seed.
fn one_run(leg: &Leg, k: usize, seed: u64) -> Result<Scores> {
    let (x, y) = leg.draw(k, seed);
    let test = leg.test_x.view();
    let score = |predicted: Vec<usize>| accuracy(&leg.test_y, &predicted);
    let ldl = Ldl::fit(&PLATEAU, x.view(), &y, 10, seed)?;
    let paper = Ldl::fit(&PAPER_SETTINGS, x.view(), &y, 10, seed)?;
    Ok(Scores {
        ldl: score(ldl.predict(test))?,
        epochs: ldl.epochs,
        plateaued: ldl.plateaued,
        softmax: score(softmax::paper_softmax(x.view(), &y, 10, test, seed)?)?,
        ldl_paper: score(paper.predict(test))?,
        l2: score(l2_logistic(x.view(), &y, test, leg.name == "digits")?)?,
    })
}

/// What this reproduction tests, stated before it runs.
const CARD: Card = Card {
    id: "asadulaev2019",
    citation: "Asadulaev, Kuznetsov & Filchenkov (2019), Interpretable Few-Shot Learning via Linear Distillation, arXiv:1906.05431",
    claim: "few-shot linear distillation (one linear student per class imitating a frozen random linear teacher, trained by Adam until its own-class imitation error plateaus; the class of smallest imitation error) has a higher mean test accuracy than the paper's logistic baseline (an unpenalised softmax layer trained by Adam for 10 epochs) on the same examples and is ahead in at least 4 of 5 seeds: on digits at 10 and 20 examples per class, and on MNIST at 10 per class (examples from the 5k subset, tested on the 10,000 official test images)",
    preconditions: &[
        "the students are trained to a plateau: in every run, before the cap of 200 epochs, an epoch lowered the mean own-class imitation error on the training examples by less than 1% of its value after the first epoch",
    ],
    seconds: [20.0, 65.0, 300.0],
};

/// The reproduction: its card and its run.
pub const PAPER: Paper = Paper { card: &CARD, run };

fn run(options: &RunOptions) -> Result<Outcome> {
    let (digit_seeds, mnist_seeds, mnist_ks): (u64, u64, &[usize]) =
        options.scale.pick((2, 1, &[MNIST_CLAIM]), (5, 5, &[MNIST_CLAIM]), (10, 5, &[1, MNIST_CLAIM, 50]));
    let legs = [(Leg::digits()?, &DIGITS_KS[..], digit_seeds), (Leg::mnist()?, mnist_ks, mnist_seeds)];
    let mut rows = Vec::new();
    let mut summaries = Vec::new();
    for (leg, ks, seeds) in &legs {
        for &k in *ks {
            let scores = (0..*seeds).map(|s| one_run(leg, k, s)).collect::<Result<Vec<_>>>()?;
            rows.extend(scores.iter().enumerate().map(|(s, &sc)| (leg.name, k, s as u64, sc)));
            summaries.push(Summary::new(leg.name, k, &scores));
        }
    }
    write_per_seed(&options.dir.join("per_seed.csv"), &rows)?;
    let claimed: Vec<&Summary> = summaries
        .iter()
        .filter(|s| if s.leg == "digits" { DIGITS_CLAIM.contains(&s.k) } else { s.k == MNIST_CLAIM })
        .collect();
    let needed = |n: usize| (n * 4).div_ceil(5);
    let holds = claimed.iter().all(|s| s.ldl.0 > s.softmax.0 && s.wins >= needed(s.seeds));
    let runs = rows.len();
    let plateaued = rows.iter().filter(|r| r.3.plateaued).count();
    let preconditions = vec![Precondition::new(
        CARD.preconditions[0],
        format!(
            "{plateaued} of {runs} runs reached the plateau (largest epoch count {})",
            rows.iter().map(|r| r.3.epochs).max().unwrap_or(0)
        ),
        plateaued == runs,
    )];
    let mut table: String =
        std::iter::once(HEADER.to_owned()).chain(summaries.iter().map(Summary::row)).collect();
    let _ = write!(
        table,
        "\nAccuracy on the test rows (digits: the fixed test half, {} rows; MNIST: the 10,000 official test images), mean ± \
         half-width of the 95% t-interval over seeds ({digit_seeds} on digits, {mnist_seeds} on MNIST); paired columns are LDL (to a \
         plateau) minus the baseline; 'ahead' counts the seeds where LDL is strictly more accurate. L2 logistic: multinomial on \
         digits, one-vs-rest on MNIST.",
        legs[0].0.test_y.len(),
    );
    let ours: Vec<String> = claimed
        .iter()
        .map(|s| {
            format!(
                "{} k = {}: LDL {:.3} vs softmax {:.3} (ahead in {} of {}), L2 logistic {:.3}",
                s.leg, s.k, s.ldl.0, s.softmax.0, s.wins, s.seeds, s.l2.0
            )
        })
        .collect();
    let digits: Vec<&Summary> = summaries.iter().filter(|s| s.leg == "digits").collect();
    Ok(Outcome {
        preconditions,
        metrics: summaries.iter().map(|s| (format!("{}_k{}", s.leg.to_lowercase(), s.k), s.json())).collect(),
        paper_metrics: paper_metrics(),
        holds,
        seeds: (0..digit_seeds.max(mnist_seeds)).collect(),
        paper_figure: "MNIST, 10 per class: O2MD 0.801 vs the softmax baseline 0.679".into(),
        our_figure: ours.join("; "),
        table,
        plots: vec![plot(&digits)?],
        notes: NOTES.into(),
    })
}

/// The paper's MNIST figures (context only: another data set and another baseline).
fn paper_metrics() -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert(
        "source".into(),
        json!("the MNIST few-shot table of arXiv:1906.05431v2 (rows 1, 10, 50, 100, 200 examples per class; table number not checked), whose 1-, 10- and 50-shot O2MD and logistic entries match the authors' logs results/16-05-2019/mnist_omd_second_stage.csv and logreg_mnist.csv in postmachines/Linear-Distillation-Learning"),
    );
    m.insert("mnist_k1".into(), json!({"o2md_accuracy": 0.426, "logistic_accuracy": 0.316}));
    m.insert("mnist_k10".into(), json!({"o2md_accuracy": 0.801, "logistic_accuracy": 0.679}));
    m.insert("mnist_k50".into(), json!({"o2md_accuracy": 0.912, "logistic_accuracy": 0.839}));
    m
}

const NOTES: &str = "The method follows the authors' code (ldl/models/omd.py, scripts/omd_train_mnist.py in \
postmachines/Linear-Distillation-Learning): a frozen random linear teacher, one linear student per class trained with \
Adam (lr 1e-3, one example per step, MSE) on its own class only, the class of smallest squared imitation error; the \
teacher's output size equals the input size (the authors' default; their 10-shot MNIST row used 2000, and their log \
gives 0.799 with 784 against 0.801 with 2000). Departures: the students train until their own-class error plateaus \
(kd's rule, stated before the run), not the authors' 3 epochs, which stop far from convergence on the 64 inputs of \
digits, where an Adam step moves the outputs less than on MNIST's 784; the 3-epoch column is shown. Examples are drawn \
per seed (5 seeds) where the authors averaged 100 trials. On MNIST the examples come from the shipped 5k subset of \
training images rather than all 60,000. The L2 logistic regression (C = 1, fitted to convergence) is a stronger \
baseline than the paper's: on digits kd's multinomial model with scikit-learn's penalty, symmetric in the classes; on \
MNIST one-vs-rest. The paper's bidirectional variant (BD, whose teacher is \
trained too) is not reproduced. History, disclosed: an earlier version of this reproduction (digits only, LDL for the \
paper's 3 epochs against L2 logistic regression, C = 1, 10 seeds) did not hold: 0.610 vs 0.895 at 10 per class and \
0.832 vs 0.922 at 20, behind in every seed; trained 10 epochs LDL reached 0.870 and 0.922. The present set-up (training \
to a plateau, the paper's own baseline as the claim's, the MNIST leg) answers a review of that version, and was \
written down before its first run.";
