//! Severity bars: where a figure turns amber and where it turns red, each with its source.
//!
//! A [`Bar`] reads its direction from its order: `red > amber` means higher is worse (PSI),
//! `red < amber` lower is worse (AUROC, p-values). Every bar can be changed in the spec's
//! `[thresholds]` table (`psi = { amber = 0.1, red = 0.25 }`).
//!
//! | key | amber | red | figure | source |
//! |---|---|---|---|---|
//! | `psi` | 0.10 | 0.25 | PSI of a feature or of the score, current against development | Siddiqi (2006), *Credit Risk Scorecards*, ch. 8; the industry's rule of thumb, also kd validate's verdicts |
//! | `auroc_low` | 0.70 | 0.60 | AUROC | Hosmer & Lemeshow (2000), *Applied Logistic Regression*, §5.2.4: below 0.7 discrimination is poor; 0.6 for red is kd's |
//! | `auroc_implausible` | 0.90 | 0.97 | AUROC on the development sample | Hosmer & Lemeshow (2000), §5.2.4: 0.9 and above is outstanding and "extremely unusual"; for a credit model it points at rows the model was trained on, or a leaked outcome; 0.97 for red is kd's |
//! | `auroc_drop` | 0.05 | 0.10 | relative fall of AUROC from the development to the current sample, when the one-sided test of ECB (2019) rejects at 5% | ECB Banking Supervision (2019), *Instructions for reporting the validation results of internal models*, §2.5.4.1 (the test); the 5% / 10% relative bars are common monitoring practice, not the ECB's |
//! | `calibration_p` | 0.05 | 0.01 | p-values of Hosmer–Lemeshow, Spiegelhalter, per grade the binomial and Jeffreys tests, and over all classes of a model of more than two the multinomial Hosmer–Lemeshow `T` | the usual 5% / 1% levels; ECB (2019) §2.5.3 uses the Jeffreys test per grade |
//! | `fidelity_r2` | 0.80 | 0.60 | R² of a distilled student to the model's scores on held-out rows | kd's: below 0.8 a student leaves a fifth of the model's variation unexplained and its reading is partial |
//! | `comparison_share` | 0.10 | 0.30 | share of rows where the mimic's and the outcome model's shapes differ (95% band excludes 0) | Tan, Caruana, Hooker & Lou (2018) read the bands by eye; 0.1 is kd compare's flag rule, 0.3 kd's |
//! | `candidate_p` | 0.05 | 0.01 | p-value of the missing-feature test | Tan et al. (2018), §4.3 |
//! | `novelty_share` | 0.02 | 0.05 | share of current rows above the development rows' 99th novelty percentile (1% expected) | kd's: twice and five times what chance gives |
//! | `dropped_rows` | 0.05 | 0.20 | share of rows dropped for missing cells | kd's |
//! | `unseen_levels` | 0.01 | 0.05 | share of current rows set aside, unscored, for a level the development sample lacks | kd's: past 1% the other figures leave out a visible part of the portfolio; past 5%, as with dropped rows, a large one |
//! | `regression_p` | 0.05 | 0.01 | the smallest p-value among an assumption's tests | the usual 5% / 1% levels (no correction for the several tests of one assumption) |

use serde::{Deserialize, Serialize};

use crate::error::{Result, spec};
use crate::finding::Severity;

/// Where a figure turns amber and where red.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bar {
    /// The amber bar.
    pub amber: f64,
    /// The red bar.
    pub red: f64,
}

impl Bar {
    const fn new(amber: f64, red: f64) -> Self {
        Self { amber, red }
    }

    /// Whether higher figures are worse.
    pub fn higher_is_worse(&self) -> bool {
        self.red > self.amber
    }

    /// The severity of `value`: red at or past the red bar, amber at or past the amber bar.
    pub fn grade(&self, value: f64) -> Severity {
        let past = |bar: f64| if self.higher_is_worse() { value >= bar } else { value <= bar };
        if past(self.red) {
            Severity::Red
        } else if past(self.amber) {
            Severity::Amber
        } else {
            Severity::Green
        }
    }

    /// The bar that the interval `[lo, hi]` reaches across (its ends graded differently), if
    /// any: a figure so near it that its grade depends on chance.
    pub fn crossed_by(&self, lo: f64, hi: f64) -> Option<f64> {
        [self.amber, self.red].into_iter().find(|&bar| {
            let past = |v: f64| if self.higher_is_worse() { v >= bar } else { v <= bar };
            past(lo) != past(hi)
        })
    }

    /// The bars in words: "amber ≥ 0.1, red ≥ 0.25".
    pub fn describe(&self) -> String {
        let sign = if self.higher_is_worse() { "≥" } else { "≤" };
        format!("amber {sign} {}, red {sign} {}", self.amber, self.red)
    }
}

/// A bar with its key in `[thresholds]`, the figure it grades and where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Described {
    /// The key.
    pub key: &'static str,
    /// The bar.
    pub bar: Bar,
    /// The figure it grades.
    pub figure: &'static str,
    /// Where its values come from.
    pub source: &'static str,
}

/// Every bar of the audit (see the module's table for their sources).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// PSI of a feature or the score.
    pub psi: Bar,
    /// AUROC too low.
    pub auroc_low: Bar,
    /// AUROC too high to be believed.
    pub auroc_implausible: Bar,
    /// Relative AUROC fall, development to current.
    pub auroc_drop: Bar,
    /// Calibration p-values.
    pub calibration_p: Bar,
    /// Fidelity R² of the students.
    pub fidelity_r2: Bar,
    /// Distill-and-Compare's differing share.
    pub comparison_share: Bar,
    /// Missing-feature test p-value.
    pub candidate_p: Bar,
    /// Share of novel current rows.
    pub novelty_share: Bar,
    /// Share of dropped rows.
    pub dropped_rows: Bar,
    /// Share of current rows set aside for unseen levels.
    pub unseen_levels: Bar,
    /// Regression assumption p-values.
    pub regression_p: Bar,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            psi: Bar::new(0.10, 0.25),
            auroc_low: Bar::new(0.70, 0.60),
            auroc_implausible: Bar::new(0.90, 0.97),
            auroc_drop: Bar::new(0.05, 0.10),
            calibration_p: Bar::new(0.05, 0.01),
            fidelity_r2: Bar::new(0.80, 0.60),
            comparison_share: Bar::new(0.10, 0.30),
            candidate_p: Bar::new(0.05, 0.01),
            novelty_share: Bar::new(0.02, 0.05),
            dropped_rows: Bar::new(0.05, 0.20),
            unseen_levels: Bar::new(0.01, 0.05),
            regression_p: Bar::new(0.05, 0.01),
        }
    }
}

impl Thresholds {
    /// Every bar with its key, the figure it grades and its source (the module's table, shortened).
    pub fn bars(&self) -> [Described; 12] {
        let d = |key, bar, figure, source| Described { key, bar, figure, source };
        [
            d(
                "psi",
                self.psi,
                "PSI of a feature or the score",
                "Siddiqi (2006), Credit Risk Scorecards, ch. 8",
            ),
            d(
                "auroc_low",
                self.auroc_low,
                "AUROC",
                "Hosmer & Lemeshow (2000), Applied Logistic Regression, §5.2.4 (below 0.7 poor); red at 0.6 is kd's",
            ),
            d(
                "auroc_implausible",
                self.auroc_implausible,
                "AUROC on the development sample",
                "Hosmer & Lemeshow (2000) §5.2.4: 0.9 and above outstanding, extremely unusual; red at 0.97 is kd's",
            ),
            d(
                "auroc_drop",
                self.auroc_drop,
                "relative fall of AUROC (when the one-sided test rejects at 5%)",
                "ECB (2019) §2.5.4.1 for the test; 5% / 10% is common monitoring practice",
            ),
            d(
                "calibration_p",
                self.calibration_p,
                "p-values of HL, Spiegelhalter, per-grade tests, multinomial HL",
                "the usual 5% / 1% levels; ECB (2019) §2.5.3",
            ),
            d(
                "fidelity_r2",
                self.fidelity_r2,
                "R² of a student to the model",
                "kd's: below 0.8 a fifth of the model's variation is unexplained",
            ),
            d(
                "comparison_share",
                self.comparison_share,
                "share of rows where mimic and outcome differ",
                "0.1 is kd compare's flag rule after Tan et al. (2018); 0.3 is kd's",
            ),
            d(
                "candidate_p",
                self.candidate_p,
                "p-value of the missing-feature test",
                "Tan et al. (2018) §4.3",
            ),
            d(
                "novelty_share",
                self.novelty_share,
                "share of novel current rows (1% expected)",
                "kd's: twice and five times chance",
            ),
            d("dropped_rows", self.dropped_rows, "share of rows dropped for missing cells", "kd's"),
            d(
                "unseen_levels",
                self.unseen_levels,
                "share of current rows set aside for an unseen level",
                "kd's: past 1% a visible part of the portfolio is left out",
            ),
            d(
                "regression_p",
                self.regression_p,
                "smallest p-value of an assumption's tests",
                "the usual 5% / 1% levels",
            ),
        ]
    }

    pub(crate) fn check(&self) -> Result<()> {
        for Described { key, bar, .. } in self.bars() {
            if !(bar.amber.is_finite() && bar.red.is_finite()) || bar.amber == bar.red {
                return Err(spec(
                    &format!("thresholds.{key}"),
                    format!("amber {} and red {} must be finite and differ", bar.amber, bar.red),
                ));
            }
        }
        Ok(())
    }
}
