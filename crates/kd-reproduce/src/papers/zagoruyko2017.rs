//! Zagoruyko & Komodakis (2017), "Paying More Attention to Attention: Improving the Performance
//! of Convolutional Neural Networks via Attention Transfer" (ICLR; arXiv:1612.03928): a student
//! trained to match the teacher's spatial attention maps (channel mean of squared activations,
//! L2-normalised; β = 1000) at the end of each of its three groups matches them far more closely
//! and is no less accurate. Set-up and claim: [`super::feature_transfer`].

use anyhow::Result;
use kd_core::loss::feature::AttentionTransfer;
use kd_core::nn::Term;
use serde_json::json;

use super::feature_transfer::{Method, run_method};
use crate::paper::{Outcome, Paper, RunOptions};

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
        "a small CNN student with attention transfer from a larger CNN on digits: the student-teacher attention distance falls by at least 50%, and test accuracy is no worse than the student alone minus 0.5 points"
    }
    fn run(&self, options: &RunOptions) -> Result<Outcome> {
        let method = Method { name: "AT", term: attention, weight: 1.0 };
        let run = run_method(&method, options)?;
        let mut paper_metrics = serde_json::Map::new();
        paper_metrics.insert("cifar10_wrn_16_1_error_student".into(), json!(8.77));
        paper_metrics.insert("cifar10_wrn_16_1_error_at".into(), json!(7.93));
        Ok(Outcome {
            preconditions: Vec::new(),
            metrics: run.metrics,
            paper_metrics,
            holds: run.holds,
            seeds: run.seeds,
            paper_figure: "CIFAR-10, WRN-16-1 student of WRN-16-2: 8.77% → 7.93% test error with AT".into(),
            our_figure: run.headline,
            table: run.table,
            plots: Vec::new(),
            notes: "The verdict is on the digits (8×8 images, so the groups' maps are 8×8, 4×4 and 2×2); the MNIST 5k rows (full runs only: fewer seeds and epochs, a WRN-10-2 teacher, for time) are shown beside them. Adam instead of the paper's SGD with step decay; 30 epochs. Where the claim fails it is on accuracy: the WRN-16-2 teacher, trained the same way on 898 rows, is less accurate than the WRN-10-1 student alone, and pulling the student's attention towards it costs accuracy. AT uses β = 1000 (the paper's), as the weighted β/2 · Σ_pairs mean((a_s − a_t)²) of kd-core's `AttentionTransfer`. Nothing was tuned to the thresholds.".into(),
        })
    }
}
