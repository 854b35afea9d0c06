//! The parameters of [`trepan`](super::trepan), with the paper's defaults where it gives them.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_parameter};

/// Kernel bandwidth of the numeric marginals from which queries are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bandwidth {
    /// The paper's `σ = 1/√m` on features scaled to `[0, 1]`: `h = range_j/√m`, with
    /// `range_j` over all training rows and `m` the rows the model is fitted to.
    #[default]
    Craven,
    /// Silverman's rule of thumb, `h = 0.9·min(sd, IQR/1.34)·m^(−1/5)` over the node's rows.
    Silverman,
}

/// Parameters of [`trepan`](super::trepan).
///
/// | parameter | default | meaning | valid |
/// |---|---|---|---|
/// | `min_samples` | 1000 | `S_min`: examples each node is decided on (training rows first, then queries) | ≥ 1 |
/// | `max_internal` | 15 | the size limit: at most this many internal nodes | ≥ 1 |
/// | `beam_width` | 2 | beam of the m-of-n search (the paper's 2) | ≥ 1 |
/// | `max_literals` | 8 | largest `n` of an m-of-n test (not in the paper; readability) | ≥ 1 |
/// | `min_gain` | 0.001 | bits a split, and each literal added to it, must gain | finite, ≥ 0 |
/// | `literal_alpha` | 0.05 | significance level at which a literal must improve a test (χ² test of the gain) | (0, 1) |
/// | `epsilon` | 0.05 | ε of the stopping test: a leaf when the majority is ≥ 1 − ε ... | (0, 1) |
/// | `delta` | 0.05 | ... at confidence 1 − δ (one-sided binomial test) | (0, 1) |
/// | `min_model_rows` | `None` = 10 × features | training rows a node needs for its own marginals (else its parent's) | ≥ 1 |
/// | `bandwidth` | `Craven` | kernel bandwidth of numeric marginals | |
/// | `rejection_cap` | 50 | proposals per needed query under m-of-n constraints | ≥ 1 |
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrepanParams {
    /// `S_min`, examples per node.
    pub min_samples: usize,
    /// Largest number of internal nodes.
    pub max_internal: usize,
    /// Beam width of the m-of-n search.
    pub beam_width: usize,
    /// Most literals in one test.
    pub max_literals: usize,
    /// Smallest information gain (bits) of a split and of each added literal.
    pub min_gain: f64,
    /// Significance level of the test that admits (and keeps) a literal.
    pub literal_alpha: f64,
    /// ε of the stopping test.
    pub epsilon: f64,
    /// δ of the stopping test.
    pub delta: f64,
    /// Training rows a node needs to fit its own marginals (`None`: 10 per feature).
    pub min_model_rows: Option<usize>,
    /// Bandwidth of the numeric kernels.
    pub bandwidth: Bandwidth,
    /// Proposals per needed query when rejection enforces m-of-n constraints.
    pub rejection_cap: usize,
}

impl Default for TrepanParams {
    fn default() -> Self {
        Self {
            min_samples: 1000,
            max_internal: 15,
            beam_width: 2,
            max_literals: 8,
            min_gain: 1e-3,
            literal_alpha: 0.05,
            epsilon: 0.05,
            delta: 0.05,
            min_model_rows: None,
            bandwidth: Bandwidth::Craven,
            rejection_cap: 50,
        }
    }
}

impl TrepanParams {
    /// Checks the ranges; an error names the parameter and what is allowed.
    pub fn check(&self) -> Result<()> {
        let at_least_one = [
            ("min_samples", self.min_samples),
            ("max_internal", self.max_internal),
            ("beam_width", self.beam_width),
            ("max_literals", self.max_literals),
            ("rejection_cap", self.rejection_cap),
            ("min_model_rows", self.min_model_rows.unwrap_or(1)),
        ];
        for (name, value) in at_least_one {
            if value < 1 {
                return Err(invalid_parameter(name, format!("{value} (at least 1)")));
            }
        }
        if !(self.min_gain >= 0.0 && self.min_gain.is_finite()) {
            return Err(invalid_parameter("min_gain", format!("{} (a finite value ≥ 0)", self.min_gain)));
        }
        for (name, value) in
            [("epsilon", self.epsilon), ("delta", self.delta), ("literal_alpha", self.literal_alpha)]
        {
            if !(value > 0.0 && value < 1.0) {
                return Err(invalid_parameter(name, format!("{value} (strictly between 0 and 1)")));
            }
        }
        Ok(())
    }
}
