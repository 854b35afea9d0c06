//! Huang & Wang (2017), "Like What You Like: Knowledge Distill via Neuron Selectivity Transfer"
//! (arXiv:1707.01219): a student trained to match the distribution of the teacher's neuron
//! selectivity patterns (squared MMD, polynomial kernel d = 2, c = 0, between the normalised
//! channel maps) is more accurate than the same student trained alone. Here NST compares the
//! second group's maps (4×4 on the 8×8 digits; the last group's are 2×2); the term's weight is
//! 50, RepDistiller's default for NST. Set-up, precondition and claim:
//! [`super::feature_transfer`].

use anyhow::Result;
use kd_core::loss::feature::NeuronSelectivity;
use kd_core::nn::Term;

use super::feature_transfer::{Method, PRECONDITION, SECONDS, run_method};
use crate::paper::{Card, Outcome, Paper, RunOptions};

/// The paper's own figure, beside ours.
const PAPER_FIGURE: &str = "see the paper's CIFAR-10 tables (Inception-BN student of ResNet-1001); the figures beside ours could not be checked here";

/// Set-up, departures from the paper and disclosures.
const NOTES: &str = "Same set-up as zagoruyko2017 (WRN-16-2 teacher, WRN-10-1/4 student: a base of 4 channels instead of 16, SGD with weight decay 5e-4 and shift augmentation, 30 epochs, the teacher-strength precondition) with NST instead of AT, on the second group's maps: 4×4, so each channel is a 16-dimensional vector (the last group's maps are 2×2 on 8×8 digits, 4-dimensional vectors). Weight 50 (RepDistiller's default for NST); the polynomial kernel compares channels normalised over their positions, so the maps' size does not rescale the term as it does AT's. Full runs add 10 seeds and the KD students. Disclosure: the first version (Adam, no augmentation, no weight decay, NST on the 2×2 maps of the last group, claim: the distance falls ≥ 50% and accuracy ≥ the student alone − 0.5) did not hold: the distance fell 70% but accuracy dropped 0.73 ± 0.72 points, with a teacher less accurate than the student alone; MNIST 5k rows shown then in full runs are left out now for time. The second version (as now, with a WRN-10-1 student of 16 base channels) was written down before its first run and was inconclusive twice: the teacher led the student alone by +0.62 ± 0.56 and +0.31 ± 0.47 points, short of the 1-point precondition; NST changed accuracy by +0.31 ± 0.76 and −0.04 ± 0.70 points. After those runs the student was thinned to a base of 4 channels, chosen on the teacher's lead in zagoruyko2017's runs (a base of 8 left it +0.67 points ahead); NST's weight and maps did not change.";

fn selectivity() -> Term {
    Term::Selectivity { pairs: vec![(1, 1)], loss: NeuronSelectivity::default() }
}

/// What this reproduction tests, stated before it runs.
const CARD: Card = Card {
    id: "huang2017",
    citation: "Huang & Wang (2017), Like What You Like: Knowledge Distill via Neuron Selectivity Transfer, arXiv:1707.01219",
    claim: "a WRN-10-1/4 student (a base of 4 channels instead of 16) trained with neuron selectivity transfer (MMD, polynomial kernel, on the 4x4 maps of the second group) from a WRN-16-2 teacher on the digits (shift augmentation, weight decay 5e-4) is more accurate on the test half than the same student trained alone, on average and in at least 4 of 5 seeds",
    preconditions: &[PRECONDITION],
    seconds: SECONDS,
};

/// The reproduction: its card and its run.
pub const PAPER: Paper = Paper { card: &CARD, run };

fn run(options: &RunOptions) -> Result<Outcome> {
    let method = Method { name: "NST", term: selectivity, weight: 50.0 };
    let run = run_method(&method, options)?;
    Ok(run.into_outcome(
        &[("cifar10_inception_bn_error_student", 5.80), ("cifar10_inception_bn_error_nst_kd", 4.78)],
        PAPER_FIGURE,
        NOTES,
    ))
}
