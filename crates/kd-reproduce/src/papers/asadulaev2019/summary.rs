//! The report of `asadulaev2019`: accuracies of each `k` summarised over seeds (95%
//! t-intervals, paired differences, wins), the table rows, `per_seed.csv` and the plot.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use serde_json::json;

use super::{KS, Scores};
use crate::paper::Plot;
use crate::papers::interval;
use crate::plot::{Series, line_plot};

/// One `k` over the seeds: `(mean, 95% half-width)` of each accuracy, and of each LDL's paired
/// difference from the multinomial logistic regression with the seeds where LDL is ahead.
pub(super) struct Summary {
    pub(super) k: usize,
    pub(super) ldl: (f64, f64),
    gap: (f64, f64),
    wins: usize,
    longer: (f64, f64),
    longer_gap: (f64, f64),
    longer_wins: usize,
    pub(super) logistic: (f64, f64),
    one_vs_rest: (f64, f64),
}

impl Summary {
    pub(super) fn new(k: usize, scores: &[Scores]) -> Self {
        let column = |f: fn(&Scores) -> f64| scores.iter().map(f).collect::<Vec<f64>>();
        let logistic = column(|s| s.multinomial);
        let versus = |f: fn(&Scores) -> f64| {
            let gaps: Vec<f64> = column(f).iter().zip(&logistic).map(|(a, b)| a - b).collect();
            (interval(&column(f)), interval(&gaps), gaps.iter().filter(|g| **g > 0.0).count())
        };
        let (ldl, gap, wins) = versus(|s| s.ldl);
        let (longer, longer_gap, longer_wins) = versus(|s| s.ldl_longer);
        let (logistic, one_vs_rest) = (interval(&logistic), interval(&column(|s| s.one_vs_rest)));
        Self { k, ldl, gap, wins, longer, longer_gap, longer_wins, logistic, one_vs_rest }
    }

    pub(super) fn row(&self, seeds: usize) -> String {
        let pm = |(m, h): (f64, f64)| format!("{m:.4} ± {h:.4}");
        let (k, gap) = (self.k, self.gap);
        format!(
            "| {k} | {} | {} | {:+.4} ± {:.4} | {} of {seeds} | {} | {} |\n",
            pm(self.ldl),
            pm(self.logistic),
            gap.0,
            gap.1,
            self.wins,
            pm(self.longer),
            pm(self.one_vs_rest)
        )
    }

    pub(super) fn json(&self) -> serde_json::Value {
        json!({
            "ldl_accuracy": self.ldl.0, "ldl_ci95": self.ldl.1,
            "logistic_accuracy": self.logistic.0, "logistic_ci95": self.logistic.1,
            "difference": self.gap.0, "difference_ci95": self.gap.1, "ldl_wins": self.wins,
            "ldl_10_epochs_accuracy": self.longer.0, "ldl_10_epochs_ci95": self.longer.1,
            "ldl_10_epochs_difference": self.longer_gap.0,
            "ldl_10_epochs_difference_ci95": self.longer_gap.1,
            "ldl_10_epochs_wins": self.longer_wins,
            "one_vs_rest_accuracy": self.one_vs_rest.0, "one_vs_rest_ci95": self.one_vs_rest.1,
        })
    }
}

pub(super) const HEADER: &str = "| k per class | LDL (3 epochs) | logistic, multinomial C = 1 | LDL − logistic (paired) | LDL wins | LDL (10 epochs) | logistic, one-vs-rest C = 1 |\n|---|---|---|---|---|---|---|\n";

/// `per_seed.csv`: every accuracy of every seed and `k`.
pub(super) fn write_per_seed(path: &Path, seeds: &[u64], runs: &[Vec<Scores>]) -> Result<()> {
    let mut csv =
        String::from("seed,k,ldl_3_epochs,ldl_10_epochs,multinomial_logistic,one_vs_rest_logistic\n");
    for (seed, run) in seeds.iter().zip(runs) {
        for (k, s) in KS.iter().zip(run) {
            let (a, b, c, d) = (s.ldl, s.ldl_longer, s.multinomial, s.one_vs_rest);
            let _ = writeln!(csv, "{seed},{k},{a},{b},{c},{d}");
        }
    }
    Ok(std::fs::write(path, csv)?)
}

/// Mean accuracy against `k` for the four methods.
pub(super) fn plot(summaries: &[Summary]) -> Result<Plot> {
    let line = |label: &str, f: fn(&Summary) -> f64| Series {
        label: label.into(),
        points: summaries.iter().map(|s| (s.k as f64, f(s))).collect(),
    };
    let series = [
        line("LDL (3 epochs)", |s| s.ldl.0),
        line("logistic, multinomial", |s| s.logistic.0),
        line("LDL (10 epochs)", |s| s.longer.0),
        line("logistic, one-vs-rest", |s| s.one_vs_rest.0),
    ];
    let svg = line_plot("Few-shot accuracy on held-out digits", "examples per class", "accuracy", &series)?;
    Ok(Plot {
        file: "accuracy_by_k.svg".into(),
        caption: "Mean test accuracy by examples per class".into(),
        svg,
    })
}
