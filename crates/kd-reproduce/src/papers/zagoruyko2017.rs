//! Zagoruyko & Komodakis (2017), "Paying More Attention to Attention: Improving the Performance
//! of Convolutional Neural Networks via Attention Transfer" (ICLR; arXiv:1612.03928): a student
//! trained to match the teacher's spatial attention maps (channel mean of squared activations,
//! L2-normalised; β = 1000) at the end of each of its three groups is more accurate than the
//! same student trained alone. Set-up, precondition and claim: [`super::feature_transfer`].

use anyhow::Result;
use kd_core::loss::feature::AttentionTransfer;
use kd_core::nn::Term;
use serde_json::json;

use super::feature_transfer::{Method, PRECONDITION, expected_seconds, run_method};
use crate::paper::{Outcome, Paper, RunOptions, Scale};

/// The reproduction.
pub struct Zagoruyko2017;

fn attention() -> Term {
    Term::Attention { pairs: vec![(0, 0), (1, 1), (2, 2)], loss: AttentionTransfer::default() }
}

impl Paper for Zagoruyko2017 {
    fn id(&self) -> &'static str {
        "zagoruyko2017"
    }
    fn citation(&self) -> &'static str {
        "Zagoruyko & Komodakis (2017), Paying More Attention to Attention: Improving the Performance of Convolutional Neural Networks via Attention Transfer, ICLR 2017 (arXiv:1612.03928)"
    }
    fn claim(&self) -> &'static str {
        "a WRN-10-1 student trained with attention transfer from a WRN-16-2 teacher on the digits (shift augmentation, weight decay 5e-4) is more accurate on the test half than the same student trained alone, on average and in at least 4 of 5 seeds"
    }
    fn preconditions(&self) -> &'static [&'static str] {
        &[PRECONDITION]
    }
    fn expected_seconds(&self, scale: Scale) -> f64 {
        expected_seconds(scale)
    }
    fn run(&self, options: &RunOptions) -> Result<Outcome> {
        let method = Method { name: "AT", term: attention, weight: 1.0 };
        let run = run_method(&method, options)?;
        let mut paper_metrics = serde_json::Map::new();
        paper_metrics.insert("cifar10_wrn_16_1_error_student".into(), json!(8.77));
        paper_metrics.insert("cifar10_wrn_16_1_error_at".into(), json!(7.93));
        Ok(Outcome {
            preconditions: vec![run.precondition],
            metrics: run.metrics,
            paper_metrics,
            holds: run.holds,
            seeds: run.seeds,
            paper_figure: "CIFAR-10, WRN-16-1 student of WRN-16-2: 8.77% → 7.93% test error with AT".into(),
            our_figure: run.headline,
            table: run.table,
            plots: Vec::new(),
            notes: "The digits are 8×8, so the groups' maps are 8×8, 4×4 and 2×2; AT uses all three, β = 1000 (the paper's), as the weighted β/2 · Σ_pairs mean((a_s − a_t)²) of kd-core's `AttentionTransfer`. Departures from the paper: 898 training images instead of CIFAR-10's 50,000, 30 epochs with cosine annealing instead of 200 with step decay, a one-pixel shift instead of a 4-pixel crop and flips, a WRN-10-1 student (the paper's smallest is WRN-16-1). Full runs add 10 seeds and the KD students (T = 4, α = 0.9) with and without AT. Disclosure: the first version (Adam, no augmentation, no weight decay, claim: the distance falls ≥ 50% and accuracy ≥ the student alone − 0.5) did not hold: the distance fell 90% but accuracy dropped 1.71 ± 1.32 points, and its WRN-16-2 teacher was less accurate than the student alone in 4 of 5 seeds, so it could not test the claim; that version also showed MNIST 5k rows in full runs (accuracy −1.26 ± 0.25), left out now for time. The set-up above (the paper's optimiser, weight decay and augmentation, the teacher-strength precondition, the paper's claim) was written down before its first run. That first run (default scale, 5 seeds) was inconclusive: the teacher led the student alone by +0.62 ± 0.56 points (99.29% against 98.67%), short of the 1-point precondition; with augmentation and weight decay the WRN-10-1 student is close to the digits' ceiling, so a fair test needs a harder task or a weaker student. AT lowered accuracy by 27.19 ± 20.52 points there (ahead in 0 of 5 seeds; distance −77%): the normalised maps of 8×8, 4×4 and 2×2 groups have 16 times fewer positions than CIFAR's 32×32, 16×16 and 8×8, so the mean squared difference, and with it β = 1000, weighs about 16 times more against the cross-entropy than in the paper. Nothing was changed after that run.".into(),
        })
    }
}
