//! Huang & Wang (2017), "Like What You Like: Knowledge Distill via Neuron Selectivity Transfer"
//! (arXiv:1707.01219): a student trained to match the distribution of the teacher's neuron
//! selectivity patterns (squared MMD, polynomial kernel d = 2, c = 0, between the normalised
//! channel maps of the last group) matches it more closely and is no less accurate. The term's
//! weight is 50, RepDistiller's default for NST. Set-up and claim: [`super::feature_transfer`].

use anyhow::Result;
use kd_core::loss::feature::NeuronSelectivity;
use kd_core::nn::Term;
use serde_json::json;

use super::feature_transfer::{Method, run_method};
use crate::paper::{Outcome, Paper, RunOptions};

/// The reproduction.
pub struct Huang2017;

fn selectivity() -> Term {
    Term::Selectivity { pairs: vec![(2, 2)], loss: NeuronSelectivity::default() }
}

impl Paper for Huang2017 {
    fn id(&self) -> &'static str {
        "huang2017"
    }
    fn citation(&self) -> &'static str {
        "Huang & Wang (2017), Like What You Like: Knowledge Distill via Neuron Selectivity Transfer, arXiv:1707.01219"
    }
    fn claim(&self) -> &'static str {
        "a small CNN student with neuron selectivity transfer from a larger CNN on digits: the student-teacher MMD (Gram) distance falls by at least 50%, and test accuracy is no worse than the student alone minus 0.5 points"
    }
    fn run(&self, options: &RunOptions) -> Result<Outcome> {
        let method = Method { name: "NST", term: selectivity, weight: 50.0 };
        let run = run_method(&method, options)?;
        let mut paper_metrics = serde_json::Map::new();
        paper_metrics.insert("cifar10_inception_bn_error_student".into(), json!(5.80));
        paper_metrics.insert("cifar10_inception_bn_error_nst_kd".into(), json!(4.78));
        Ok(Outcome {
            preconditions: Vec::new(),
            metrics: run.metrics,
            paper_metrics,
            holds: run.holds,
            seeds: run.seeds,
            paper_figure: "see the paper's CIFAR-10 tables (Inception-BN student of ResNet-1001); the figures beside ours could not be checked here".into(),
            our_figure: run.headline,
            table: run.table,
            plots: Vec::new(),
            notes: "Same set-up as zagoruyko2017 (WRN teacher and student, digits verdict, MNIST shown in full runs) with NST on the last group's maps instead of AT on all three. Adam instead of SGD. Where the claim fails it is on accuracy: the teacher, trained the same way on 898 rows, is less accurate than the student alone (see zagoruyko2017). Nothing was tuned to the thresholds.".into(),
        })
    }
}
