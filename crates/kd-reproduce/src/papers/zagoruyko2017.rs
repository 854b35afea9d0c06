//! Zagoruyko & Komodakis (2017), "Paying More Attention to Attention: Improving the Performance
//! of Convolutional Neural Networks via Attention Transfer" (ICLR; arXiv:1612.03928): a student
//! trained to match the teacher's spatial attention maps (channel mean of squared activations,
//! L2-normalised) at the end of each of its three groups is more accurate than the same student
//! trained alone. Set-up, precondition and claim: [`super::feature_transfer`].
//!
//! | parameter | here | paper |
//! |---|---|---|
//! | maps | 8×8, 4×4, 2×2 | 32×32, 16×16, 8×8 |
//! | β | 62.5 | 1000 |
//!
//! The paper's code weighs `mean((a_s − a_t)²)`, a mean over the map's positions, by β/2; maps
//! with 16 times fewer positions make that mean about 16 times larger, so β is scaled by
//! 64/1024 to weigh the term against the cross-entropy as the paper does.

use anyhow::Result;
use kd_core::loss::feature::AttentionTransfer;
use kd_core::nn::Term;

use super::feature_transfer::{Method, PRECONDITION, SECONDS, run_method};
use crate::paper::{Card, Outcome, Paper, RunOptions};

/// The paper's own figure, beside ours.
const PAPER_FIGURE: &str = "CIFAR-10, WRN-16-1 student of WRN-16-2: 8.77% → 7.93% test error with AT";

/// Set-up, departures from the paper and disclosures.
const NOTES: &str = "The digits are 8×8, so the groups' maps are 8×8, 4×4 and 2×2, 16 times fewer positions than CIFAR-10's 32×32, 16×16 and 8×8; AT uses all three with β = 62.5, the paper's 1000 scaled by 64/1024, since kd-core's `AttentionTransfer`, like the paper's code, weighs β/2 · Σ_pairs mean((a_s − a_t)²), a mean over positions that grows as the maps shrink. The student is WRN-10-1/4: WRN-10-1 with a base of 4 channels instead of 16 (groups of 4, 8 and 16 channels); the teacher is the paper's WRN-16-2. Departures from the paper: 898 training images instead of CIFAR-10's 50,000, 30 epochs with cosine annealing instead of 200 with step decay, a one-pixel shift instead of a 4-pixel crop and flips, the thinner student (the paper's smallest is WRN-16-1). Full runs add 10 seeds and the KD students (T = 4, α = 0.9) with and without AT. Disclosure: the first version (Adam, no augmentation, no weight decay, claim: the distance falls ≥ 50% and accuracy ≥ the student alone − 0.5) did not hold: the distance fell 90% but accuracy dropped 1.71 ± 1.32 points, and its WRN-16-2 teacher was less accurate than the student alone in 4 of 5 seeds, so it could not test the claim; that version also showed MNIST 5k rows in full runs (accuracy −1.26 ± 0.25), left out now for time. The second version (the paper's optimiser, weight decay and augmentation, the teacher-strength precondition, the paper's claim, a WRN-10-1 student with 16 base channels, β = 1000) was written down before its first run and was inconclusive twice: the teacher led the student alone by +0.62 ± 0.56 and +0.31 ± 0.47 points (99.29% against 98.67%, 99.20% against 98.89%), short of the 1-point precondition, while AT lowered accuracy by 27.19 ± 20.52 and 15.87 ± 5.03 points. After those runs the student was thinned and β scaled, the two changes their notes named as what a fair test needs; a base of 8 channels (with β = 62.5), tried first, left the teacher +0.67 ± 0.56 points ahead (inconclusive; AT −0.49 ± 0.46 points, ahead in 0 of 5 seeds), so the base is 4. This set-up was therefore fixed after seeing runs, not before.";

/// The paper's β = 1000 for CIFAR's 32×32 first-group maps, scaled to the digits' 8×8.
const BETA: f64 = 1000.0 * (8.0 * 8.0) / (32.0 * 32.0);

fn attention() -> Term {
    let loss = AttentionTransfer { beta: BETA, ..AttentionTransfer::default() };
    Term::Attention { pairs: vec![(0, 0), (1, 1), (2, 2)], loss }
}

/// What this reproduction tests, stated before it runs.
const CARD: Card = Card {
    id: "zagoruyko2017",
    citation: "Zagoruyko & Komodakis (2017), Paying More Attention to Attention: Improving the Performance of Convolutional Neural Networks via Attention Transfer, ICLR 2017 (arXiv:1612.03928)",
    claim: "a WRN-10-1/4 student (a base of 4 channels instead of 16) trained with attention transfer (β = 1000 scaled to the 8x8 maps: 62.5) from a WRN-16-2 teacher on the digits (shift augmentation, weight decay 5e-4) is more accurate on the test half than the same student trained alone, on average and in at least 4 of 5 seeds",
    preconditions: &[PRECONDITION],
    seconds: SECONDS,
};

/// The reproduction: its card and its run.
pub const PAPER: Paper = Paper { card: &CARD, run };

fn run(options: &RunOptions) -> Result<Outcome> {
    let method = Method { name: "AT", term: attention, weight: 1.0 };
    let run = run_method(&method, options)?;
    Ok(run.into_outcome(
        &[("cifar10_wrn_16_1_error_student", 8.77), ("cifar10_wrn_16_1_error_at", 7.93)],
        PAPER_FIGURE,
        NOTES,
    ))
}
