//! The report of `lakkaraju2017`: a variant's figures summarised over seeds and its table, a row
//! per seed.

use std::fmt::Write as _;

use serde_json::json;

use super::{Fitted, MARGIN, MAX_DEFAULT, SeedResult};
use crate::papers::mean_sd;

/// Means over seeds of one variant.
pub(super) struct Summary {
    pub(super) objective: f64,
    pub(super) beta: f64,
    pub(super) tree: f64,
    pub(super) rules: f64,
    pub(super) default_train: f64,
    pub(super) default_test: f64,
    pub(super) overlaps_train: usize,
    pub(super) overlaps_test: usize,
    pub(super) seeds_meeting_all: usize,
}

impl Summary {
    pub(super) fn of(fitted: &[&Fitted]) -> Self {
        let mean = |f: fn(&Fitted) -> f64| mean_sd(&fitted.iter().map(|x| f(x)).collect::<Vec<_>>()).0;
        Self {
            objective: mean(|f| f.objective),
            beta: mean(|f| f.beta),
            tree: mean(|f| f.tree),
            rules: mean(|f| f.rules as f64),
            default_train: mean(|f| f.default_train),
            default_test: mean(|f| f.default_test),
            overlaps_train: fitted.iter().map(|f| f.overlaps_train).sum(),
            overlaps_test: fitted.iter().map(|f| f.overlaps_test).sum(),
            seeds_meeting_all: fitted.iter().filter(|f| f.conditions().iter().all(|&c| c)).count(),
        }
    }

    /// The claim's three conditions on the averages (context; the claim counts seeds).
    fn conditions(&self) -> [bool; 3] {
        [self.overlaps_test == 0, self.default_test <= MAX_DEFAULT, self.beta >= self.tree - MARGIN]
    }

    pub(super) fn json(&self) -> serde_json::Value {
        json!({
            "objective": self.objective,
            "beta_fidelity": self.beta,
            "tree_fidelity": self.tree,
            "rules": self.rules,
            "default_coverage_fit": self.default_train,
            "default_coverage_test": self.default_test,
            "overlaps_fit": self.overlaps_train,
            "overlaps_test": self.overlaps_test,
            "conditions_met": self.conditions(),
            "seeds_meeting_all": self.seeds_meeting_all,
        })
    }
}

/// A Markdown table of one variant, a row per seed and the means (with the tuned weight and
/// the teacher's accuracy when `results` are given).
pub(super) fn variant_table(seeds: &[u64], fitted: &[&Fitted], results: Option<&[SeedResult]>) -> String {
    let mut out = String::from(
        "| seed | λ_dis | F | BETA fidelity (95% CI) | tree fidelity | rules (subspaces) | default coverage | overlaps | teacher accuracy | seconds | conditions met |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for (k, (seed, f)) in seeds.iter().zip(fitted).enumerate() {
        let (lambda, teacher) = results.map_or(("2".to_owned(), String::from("")), |r| {
            (r[k].disagreement.to_string(), format!("{:.4}", r[k].teacher_accuracy))
        });
        let _ = writeln!(
            out,
            "| {seed} | {lambda} | {:.4} | {:.4} ({:.3}–{:.3}) | {:.4} | {} ({}) | {:.1}% / {:.1}% | {} / {} | {teacher} | {:.1} | {} of 3 |",
            f.objective,
            f.beta,
            f.beta_ci.0,
            f.beta_ci.1,
            f.tree,
            f.rules,
            f.subspaces,
            100.0 * f.default_train,
            100.0 * f.default_test,
            f.overlaps_train,
            f.overlaps_test,
            f.seconds,
            f.conditions().iter().filter(|&&c| c).count()
        );
    }
    let s = Summary::of(fitted);
    let _ = writeln!(
        out,
        "| mean | | {:.4} | {:.4} | {:.4} | {:.1} | {:.1}% / {:.1}% | {} / {} (total) | | | all 3 in {} of {} seeds |",
        s.objective,
        s.beta,
        s.tree,
        s.rules,
        100.0 * s.default_train,
        100.0 * s.default_test,
        s.overlaps_train,
        s.overlaps_test,
        s.seeds_meeting_all,
        seeds.len()
    );
    out
}
