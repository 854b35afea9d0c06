//! The report of `asadulaev2019`: accuracies of each leg and `k` summarised over seeds (95%
//! t-intervals, paired differences, wins), the table rows, `per_seed.csv` and the plot.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use kd_core::plot::{Curve, line_plot};
use serde_json::json;

use super::Scores;
use crate::paper::Plot;
use crate::papers::interval;

/// One leg and `k` over the seeds: `(mean, 95% half-width)` of each accuracy, and of LDL's
/// paired differences from both baselines with the seeds where LDL is ahead.
pub(super) struct Summary {
    pub(super) leg: &'static str,
    pub(super) k: usize,
    pub(super) ldl: (f64, f64),
    pub(super) softmax: (f64, f64),
    pub(super) gap: (f64, f64),
    pub(super) wins: usize,
    ldl_paper: (f64, f64),
    pub(super) l2: (f64, f64),
    l2_gap: (f64, f64),
    pub(super) l2_wins: usize,
    epochs: (f64, usize),
    pub(super) plateaued: usize,
    pub(super) seeds: usize,
}

impl Summary {
    pub(super) fn new(leg: &'static str, k: usize, scores: &[Scores]) -> Self {
        let column = |f: fn(&Scores) -> f64| scores.iter().map(f).collect::<Vec<f64>>();
        let ldl = column(|s| s.ldl);
        let versus = |other: Vec<f64>| {
            let gaps: Vec<f64> = ldl.iter().zip(&other).map(|(a, b)| a - b).collect();
            (interval(&other), interval(&gaps), gaps.iter().filter(|g| **g > 0.0).count())
        };
        let (softmax, gap, wins) = versus(column(|s| s.softmax));
        let (l2, l2_gap, l2_wins) = versus(column(|s| s.l2));
        let epochs = column(|s| s.epochs as f64);
        Self {
            leg,
            k,
            ldl: interval(&ldl),
            softmax,
            gap,
            wins,
            ldl_paper: interval(&column(|s| s.ldl_paper)),
            l2,
            l2_gap,
            l2_wins,
            epochs: (interval(&epochs).0, scores.iter().map(|s| s.epochs).max().unwrap_or(0)),
            plateaued: scores.iter().filter(|s| s.plateaued).count(),
            seeds: scores.len(),
        }
    }

    pub(super) fn row(&self) -> String {
        let pm = |(m, h): (f64, f64)| format!("{m:.4} ± {h:.4}");
        let n = self.seeds;
        format!(
            "| {} | {} | {} | {:.1} (max {}; plateau in {} of {n}) | {} | {:+.4} ± {:.4} | {} of {n} | {} | {} | {:+.4} ± {:.4} | {} of {n} |\n",
            self.leg,
            self.k,
            pm(self.ldl),
            self.epochs.0,
            self.epochs.1,
            self.plateaued,
            pm(self.softmax),
            self.gap.0,
            self.gap.1,
            self.wins,
            pm(self.ldl_paper),
            pm(self.l2),
            self.l2_gap.0,
            self.l2_gap.1,
            self.l2_wins,
        )
    }

    pub(super) fn json(&self) -> serde_json::Value {
        json!({
            "ldl_accuracy": self.ldl.0, "ldl_ci95": self.ldl.1,
            "ldl_epochs_mean": self.epochs.0, "ldl_epochs_max": self.epochs.1,
            "ldl_plateaued_seeds": self.plateaued,
            "paper_softmax_accuracy": self.softmax.0, "paper_softmax_ci95": self.softmax.1,
            "difference": self.gap.0, "difference_ci95": self.gap.1, "ldl_wins": self.wins,
            "ldl_3_epochs_accuracy": self.ldl_paper.0, "ldl_3_epochs_ci95": self.ldl_paper.1,
            "l2_logistic_accuracy": self.l2.0, "l2_logistic_ci95": self.l2.1,
            "difference_l2": self.l2_gap.0, "difference_l2_ci95": self.l2_gap.1,
            "ldl_wins_l2": self.l2_wins, "seeds": self.seeds,
        })
    }
}

pub(super) const HEADER: &str = "| data | k per class | LDL to a plateau | epochs | paper's softmax (Adam, 10 epochs) | LDL − softmax (paired) | LDL ahead | LDL, the paper's 3 epochs | L2 logistic, C = 1 | LDL − L2 logistic (paired) | LDL ahead |\n|---|---|---|---|---|---|---|---|---|---|---|\n";

/// `per_seed.csv`: every accuracy of every leg, seed and `k`.
pub(super) fn write_per_seed(path: &Path, rows: &[(&str, usize, u64, Scores)]) -> Result<()> {
    let mut csv =
        String::from("data,k,seed,ldl_plateau,epochs,plateaued,paper_softmax,ldl_3_epochs,l2_logistic\n");
    for (leg, k, seed, s) in rows {
        let _ = writeln!(
            csv,
            "{leg},{k},{seed},{},{},{},{},{},{}",
            s.ldl, s.epochs, s.plateaued, s.softmax, s.ldl_paper, s.l2
        );
    }
    Ok(std::fs::write(path, csv)?)
}

/// Mean accuracy against `k` on one leg for the four methods.
pub(super) fn plot(summaries: &[&Summary]) -> Result<Plot> {
    let line = |label: &str, f: fn(&Summary) -> f64| Curve {
        label: label.into(),
        points: summaries.iter().map(|s| (s.k as f64, f(s))).collect(),
        band: Vec::new(),
    };
    let series = [
        line("LDL to a plateau", |s| s.ldl.0),
        line("paper's softmax", |s| s.softmax.0),
        line("LDL, 3 epochs", |s| s.ldl_paper.0),
        line("L2 logistic", |s| s.l2.0),
    ];
    let svg = line_plot("Few-shot accuracy on held-out digits", "examples per class", "accuracy", &series)?;
    Ok(Plot {
        file: "accuracy_by_k.svg".into(),
        caption: "Mean test accuracy on digits by examples per class".into(),
        svg,
    })
}
