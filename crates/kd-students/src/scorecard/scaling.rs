//! The points scale every kd scorecard uses (Siddiqi 2006, *Credit Risk Scorecards*, ch. 6):
//! `score = offset + factor · ln(odds good)`, `factor = PDO / ln 2`,
//! `offset = base score − factor · ln(base odds)`.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_parameter};

/// The scaling of a scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScorecardScaling {
    /// Points to double the odds (default 20).
    pub pdo: f64,
    /// The score at which the good:bad odds are `base_odds` (default 600).
    pub base_score: f64,
    /// Good:bad odds at `base_score` (default 50).
    pub base_odds: f64,
}

impl Default for ScorecardScaling {
    fn default() -> Self {
        Self { pdo: 20.0, base_score: 600.0, base_odds: 50.0 }
    }
}

impl ScorecardScaling {
    /// `PDO / ln 2`: points per unit of log-odds.
    pub fn factor(&self) -> f64 {
        self.pdo / std::f64::consts::LN_2
    }
    /// `base score − factor · ln(base odds)`: the score at even odds.
    pub fn offset(&self) -> f64 {
        self.base_score - self.factor() * self.base_odds.ln()
    }
    /// The probability of the bad outcome at `score`: `1 / (1 + e^((score − offset)/factor))`.
    pub fn pd_of_score(&self, score: f64) -> f64 {
        1.0 / (1.0 + ((score - self.offset()) / self.factor()).exp())
    }
    /// Checks the ranges: PDO and base odds positive and finite, base score finite.
    pub fn check(&self) -> Result<()> {
        let positive = |v: f64| v > 0.0 && v.is_finite();
        if !(positive(self.pdo) && positive(self.base_odds) && self.base_score.is_finite()) {
            return Err(invalid_parameter(
                "scorecard scaling",
                format!(
                    "PDO {} and base odds {} must be positive, base score {} finite",
                    self.pdo, self.base_odds, self.base_score
                ),
            ));
        }
        Ok(())
    }
}
