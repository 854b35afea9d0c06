//! Craven & Shavlik (1996), "Extracting tree-structured representations of trained networks"
//! (NIPS 8; the TREPAN algorithm, written up in 1995): a tree of m-of-n tests grown on a neural
//! network's answers at the training rows and at queries drawn per node is faithful to the
//! network, and at least as faithful as a tree of the same size trained on the training rows
//! alone.
//!
//! Here, per dataset (breast cancer; Cleveland heart disease, shipped in `data/uci/`) and
//! repetition: a stratified 10-fold cross-validation as in the paper ([`cv`]). Per fold, a
//! scikit-learn MLP (64-64, L2 penalty 0.01, batches of 32, early stopping after 20 epochs
//! without improvement on 10% of its rows) is trained on
//! the other nine folds and served over `cmd:`; TREPAN runs with kd's defaults (S_min = 1000,
//! beam width 2, ε = δ = 0.05, at most 15 internal nodes); a born-again CART (Gini) is fitted
//! to the MLP's classes at the training rows, and a CART to the true labels, both with as many
//! leaves as TREPAN's tree. Each row is predicted by the fold that held it out, and fidelity is
//! the agreement with the MLP pooled over all rows. Heart disease's eight coded columns (sex,
//! cp, fbs, restecg, exang, slope, ca, thal) are read as categories: TREPAN draws them from
//! their level frequencies and the MLP one-hot encodes them.

mod cv;

use std::fmt::Write as _;

use anyhow::Result;
use kd_core::metrics::accuracy;
use kd_extract::fidelity::class_fidelity;
use kd_extract::trepan::TrepanParams;
use serde_json::json;

use self::cv::{Pooled, Source, cross_validate};
use super::{mean_sd, root};
use crate::paper::{Card, Outcome, Paper, Precondition, RunOptions};

/// The claim's bars.
const MIN_FIDELITY: f64 = 0.90;
const MARGIN: f64 = 0.03;
/// The largest share of the teacher's more frequent class for a non-trivial fidelity.
const MAX_MAJORITY: f64 = 0.90;

fn sources() -> [Source; 2] {
    [
        Source {
            name: "breast cancer",
            file: root().join("data/sklearn/breast_cancer.csv"),
            exclude: &[],
            categorical: &[],
        },
        Source {
            name: "heart disease (Cleveland)",
            file: root().join("data/uci/heart_cleveland.csv"),
            // `num` is the diagnosis the binary target is made from: not a feature.
            exclude: &["num"],
            categorical: &["sex", "cp", "fbs", "restecg", "exang", "slope", "ca", "thal"],
        },
    ]
}

/// One repetition's pooled figures.
struct Repetition {
    trepan: f64,
    ci: (f64, f64),
    born_again: f64,
    teacher_accuracy: f64,
    cart_accuracy: f64,
    trepan_accuracy: f64,
    majority: f64,
    pooled: Pooled,
}

fn measure(pooled: Pooled, seed: u64) -> Result<Repetition> {
    let fidelity = class_fidelity(&pooled.trepan, &pooled.teacher, seed)?;
    let ones = pooled.teacher.iter().filter(|&&c| c == 1).count() as f64 / pooled.teacher.len() as f64;
    Ok(Repetition {
        trepan: fidelity.value,
        ci: fidelity.ci,
        born_again: class_fidelity(&pooled.born_again, &pooled.teacher, seed)?.value,
        teacher_accuracy: accuracy(&pooled.truth, &pooled.teacher)?,
        cart_accuracy: accuracy(&pooled.truth, &pooled.cart)?,
        trepan_accuracy: accuracy(&pooled.truth, &pooled.trepan)?,
        majority: ones.max(1.0 - ones),
        pooled,
    })
}

/// What this reproduction tests, stated before it runs.
const CARD: Card = Card {
    id: "craven1995",
    citation: "Craven & Shavlik (1996), Extracting tree-structured representations of trained networks, NIPS 8 (TREPAN)",
    claim: "TREPAN with a regularised MLP teacher (L2 and early stopping), on breast cancer and Cleveland heart disease: its fidelity to the network on held-out rows, pooled over the 10 folds of a cross-validation as in the paper, is at least 0.90 and at least a born-again CART tree's with as many leaves minus 0.03, on each dataset (mean over repetitions of the cross-validation)",
    preconditions: &[
        "the teacher learned the task: its pooled cross-validated accuracy is at least a CART tree's fitted to the true labels with as many leaves as TREPAN's tree, on each dataset (mean over repetitions)",
        "fidelity is not trivial: the teacher's more frequent predicted class covers less than 90% of the rows on each dataset, so a one-leaf tree cannot reach the 0.90 bar",
    ],
    seconds: [30.0, 110.0, 240.0],
};

/// The reproduction: its card and its run.
pub const PAPER: Paper = Paper { card: &CARD, run };

fn run(options: &RunOptions) -> Result<Outcome> {
    // (folds, repetitions): the smoke test runs a 3-fold cross-validation.
    let (folds, repetitions) = options.scale.pick((3, 1), (10, 2), (10, 5));
    let seeds: Vec<u64> = (0..repetitions).collect();
    let scratch = tempfile::tempdir()?;
    let mut table = String::from(
        "| data | rows | TREPAN fidelity | born-again fidelity (same leaves) | difference | teacher accuracy | CART accuracy (true labels, same leaves) | TREPAN accuracy | teacher's majority class | leaves | internal nodes | literals per test | queries per fold |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    let mut per_seed = String::from(
        "\n| data | repetition | TREPAN fidelity (95% CI) | born-again fidelity | teacher accuracy | CART accuracy |\n|---|---|---|---|---|---|\n",
    );
    let mut csv = String::from(
        "data,repetition,trepan,ci_low,ci_high,born_again,teacher_accuracy,cart_accuracy,trepan_accuracy,majority,leaves,internal,queries\n",
    );
    let mut trees = String::new();
    let mut metrics = serde_json::Map::new();
    let (mut holds, mut learned, mut non_trivial) = (true, true, true);
    let (mut figures, mut verdicts, mut learned_figures, mut majority_figures) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for source in sources() {
        let results: Vec<Repetition> = seeds
            .iter()
            .map(|&s| measure(cross_validate(&source, folds, s, scratch.path())?, s))
            .collect::<Result<_>>()?;
        let of = |f: fn(&Repetition) -> f64| mean_sd(&results.iter().map(f).collect::<Vec<_>>());
        let ((tm, ts), (bm, bs), (dm, ds)) =
            (of(|r| r.trepan), of(|r| r.born_again), of(|r| r.trepan - r.born_again));
        let (teacher, cart, trepan_acc, majority) = (
            of(|r| r.teacher_accuracy).0,
            of(|r| r.cart_accuracy).0,
            of(|r| r.trepan_accuracy).0,
            of(|r| r.majority).0,
        );
        let leaves = of(|r| r.pooled.leaves).0;
        let internal = of(|r| r.pooled.internal).0;
        let literals = of(|r| r.pooled.literals).0;
        let queries = of(|r| r.pooled.queries).0;
        let at_cap = of(|r| r.pooled.at_cap).0;
        let name = source.name;
        let n = results[0].pooled.truth.len();
        let _ = writeln!(
            table,
            "| {name} | {n} | {tm:.4} ± {ts:.4} | {bm:.4} ± {bs:.4} | {dm:+.4} ± {ds:.4} | {teacher:.4} | {cart:.4} | {trepan_acc:.4} | {:.1}% | {leaves:.1} | {internal:.1} | {literals:.2} | {queries:.0} |",
            100.0 * majority
        );
        for (seed, r) in seeds.iter().zip(&results) {
            let _ = writeln!(
                per_seed,
                "| {name} | {seed} | {:.4} ({:.3}–{:.3}) | {:.4} | {:.4} | {:.4} |",
                r.trepan, r.ci.0, r.ci.1, r.born_again, r.teacher_accuracy, r.cart_accuracy
            );
            let _ = writeln!(
                csv,
                "{name},{seed},{},{},{},{},{},{},{},{},{},{},{}",
                r.trepan,
                r.ci.0,
                r.ci.1,
                r.born_again,
                r.teacher_accuracy,
                r.cart_accuracy,
                r.trepan_accuracy,
                r.majority,
                r.pooled.leaves,
                r.pooled.internal,
                r.pooled.queries
            );
        }
        let _ = write!(
            trees,
            "\n**{name}, repetition 0, fold 0** (TREPAN tree; categorical features are tested on their level codes):\n\n```text\n{}```\n",
            results[0].pooled.tree
        );
        metrics.insert(
            name.into(),
            json!({"trepan_fidelity": tm, "trepan_fidelity_sd": ts, "born_again_fidelity": bm,
                   "difference": dm, "teacher_accuracy": teacher, "cart_accuracy": cart,
                   "trepan_accuracy": trepan_acc, "teacher_majority_share": majority, "leaves": leaves,
                   "internal_nodes": internal, "literals_per_test": literals, "queries_per_fold": queries,
                   "rows": n}),
        );
        learned &= teacher >= cart;
        non_trivial &= majority < MAX_MAJORITY;
        learned_figures.push(format!("{name}: teacher {teacher:.3}, CART {cart:.3}"));
        majority_figures.push(format!("{name}: {:.1}%", 100.0 * majority));
        let met = tm >= MIN_FIDELITY && tm >= bm - MARGIN;
        holds &= met;
        figures.push(format!("{name} {tm:.3} (born-again {bm:.3})"));
        verdicts.push(format!(
            "{name}: pooled fidelity {tm:.3} {} 0.90 and {} born-again − 0.03 = {:.3} ({}); {:.0}% of the tests reach \
             the {}-literal cap.",
            if tm >= MIN_FIDELITY { "≥" } else { "<" },
            if tm >= bm - MARGIN { "≥" } else { "<" },
            bm - MARGIN,
            if met { "met" } else { "missed" },
            100.0 * at_cap,
            TrepanParams::default().max_literals,
        ));
    }
    std::fs::write(options.dir.join("per_repetition.csv"), csv)?;
    let _ = write!(
        table,
        "\nFidelity: agreement with the MLP on held-out rows, each row predicted by the fold that held it out, pooled \
         over the {folds} folds; mean ± sd over {} repetition(s) of the cross-validation (95% bootstrap intervals per \
         repetition below). Accuracies are pooled the same way against the true labels.\n{per_seed}{trees}",
        seeds.len()
    );
    let preconditions = vec![
        Precondition::new(CARD.preconditions[0], learned_figures.join("; "), learned),
        Precondition::new(CARD.preconditions[1], majority_figures.join("; "), non_trivial),
    ];
    let mut paper_metrics = serde_json::Map::new();
    paper_metrics.insert(
        "finding".into(),
        json!("TREPAN's trees maintain a high level of fidelity to their networks and are more accurate than trees learned from the training data alone (the paper's abstract; its per-domain figures were not checked here)"),
    );
    Ok(Outcome {
        preconditions,
        metrics,
        paper_metrics,
        holds,
        seeds,
        paper_figure: "TREPAN's trees are highly faithful to their networks (qualitative; per-domain figures not checked)".into(),
        our_figure: format!("pooled TREPAN fidelity {}", figures.join("; ")),
        table,
        plots: Vec::new(),
        notes: format!(
            "The claim holds when, on every dataset, the mean pooled TREPAN fidelity is at least 0.90 and at least the \
             born-again tree's minus 0.03. {} The teacher is scikit-learn's MLPClassifier (64-64, standardised inputs, \
             L2 penalty α = 0.01, batches of 32, early stopping after 20 epochs without improvement on 10% of its \
             training rows) trained on the other folds only and served over the cmd: protocol; the paper used its own \
             networks. Changed after a run, disclosed: the first (smoke) run of this set-up stopped the MLP after 10 \
             epochs without improvement with scikit-learn's batch of 200 rows, two steps an epoch on these data; the \
             teacher stopped undertrained (pooled accuracy 0.677 on heart disease against CART's 0.778, so the \
             precondition failed and the verdict was inconclusive). Batches of 32 and a patience of 20 epochs were \
             chosen by comparing four settings by the 10-fold cross-validated accuracy of the MLP alone (breast \
             cancer 0.965, heart disease 0.805; scikit-learn's unregularised default 0.972 and 0.771), never by \
             TREPAN's fidelity. TREPAN runs with kd's defaults, not tuned to the \
             claim: S_min = 1000, beam width 2, ε = δ = 0.05, min_gain 0.001 bits, at most 15 internal nodes (the paper \
             picked the size on a validation set), kernel bandwidth range/√m (the paper's σ = 1/√m on [0, 1]), a node's \
             own marginals once 10 training rows per feature reach it, categorical features drawn from their level \
             frequencies. The born-again CART has as many leaves as the TREPAN tree, but each of its splits tests one \
             feature, whereas a TREPAN split may test several. Heart disease: the 6 rows with a missing `ca` or `thal` \
             are dropped and `num` (the diagnosis the target is made from) is not a feature. History, disclosed: an \
             earlier version (one stratified 70/30 split per seed, 5 seeds, an unregularised MLP, heart disease's coded \
             columns sampled as numbers, a heart-disease figure of 0.91 quoted as the paper's without being checked) did \
             not hold: breast cancer 0.945 (born-again 0.938), heart disease 0.876 (born-again 0.798), below 0.90 in 4 of \
             5 seeds on 89 test rows. The present set-up answers a review of that version and was written down before \
             its first run.",
            verdicts.join(" ")
        ),
    })
}
