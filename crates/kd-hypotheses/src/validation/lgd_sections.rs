//! The LGD and CCF report's sections (the ECB's instructions, sections 2.6 and 2.7): the
//! generalised AUROC with its change since initial validation, and the back-tests of realised
//! against estimated values per segment (or for the portfolio), with the ELBE (two-sided) and
//! LGD in-default (one-sided) back-tests of an LGD model. `kd validate --model lgd|ccf` builds
//! them here.

use serde::Serialize;

use super::cite::{self, Cited, Rows, cite};
use super::{
    Alternative, AucChange, Backtest, GeneralisedAuc, InitialAuroc, auc_change_or_note, backtest,
    generalised_auc, segment_backtests,
};
use crate::error::{Result, or_undefined};

/// Why values outside [0, 1] may be real, for the message that refuses them by default.
pub const OUTSIDE_UNIT: &str = "a realised LGD can exceed 1 (workout costs above recoveries) and a \
                                realised CCF can fall below 0 or exceed 1";

/// Discriminatory power of an LGD or CCF model.
#[derive(Debug, Serialize)]
pub struct LgdDiscrimination {
    /// The generalised AUROC of the estimates against the realised values; `None` where it is
    /// undefined (see `gauc_note`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gauc: Option<Cited<GeneralisedAuc>>,
    /// Why there is no gAUC: every realised value is the same (no pair to compare).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gauc_note: Option<String>,
    /// Its change since initial validation, when the initial value is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gauc_change: Option<Cited<AucChange>>,
    /// Why that test is not computed where it is undefined (a current gAUC of exactly 0 or 1,
    /// or a baseline whose gAUC is undefined).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gauc_change_note: Option<String>,
}

impl LgdDiscrimination {
    /// From each row's `realised` value and `estimate`, with the gAUC at initial validation
    /// (and its standard error, when known): given, or [`initial_gauc`] of the baseline.
    pub fn from_rows(realised: &[f64], estimate: &[f64], initial: InitialAuroc) -> Result<Self> {
        Self::new(generalised_auc(realised, estimate), initial)
    }

    /// From the gAUC (or why it is undefined), with its change since initial validation when
    /// both it and the initial value are known.
    pub fn new(gauc: Result<GeneralisedAuc>, (initial, initial_note): InitialAuroc) -> Result<Self> {
        let (gauc, gauc_note) = or_undefined(gauc)?;
        let (change, gauc_change_note) = match &gauc {
            Some(g) => {
                let (change, note) = auc_change_or_note(g.value, g.std_error, initial)?;
                (change, note.or(initial_note))
            }
            None => (None, None),
        };
        Ok(Self {
            gauc: gauc.map(|g| cite(g, cite::GAUC)),
            gauc_note,
            gauc_change: change.map(|c| cite(c, cite::AUC_CHANGE)),
            gauc_change_note,
        })
    }
}

/// The gAUC of the sample at initial validation with its standard error, or why it is
/// undefined there (every realised value the same).
pub fn initial_gauc(realised: &[f64], estimate: &[f64]) -> Result<InitialAuroc> {
    match or_undefined(generalised_auc(realised, estimate))? {
        (Some(g), _) => Ok((Some((g.value, Some(g.std_error))), None)),
        (None, note) => Ok((None, note.map(|n| format!("at initial validation, {n}")))),
    }
}

/// Predictive ability of an LGD or CCF model.
#[derive(Debug, Serialize)]
pub struct LgdPredictive {
    /// Realised against estimated per segment, or for the portfolio without segments
    /// (one-sided: realised above estimated).
    pub backtests: Cited<Rows<Backtest>>,
    /// Realised LGD against the ELBE of defaulted exposures (two-sided).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elbe: Option<Cited<Backtest>>,
    /// Realised LGD against the LGD in-default (one-sided).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lgd_in_default: Option<Cited<Backtest>>,
}

/// Segments: each row's index into the segment labels.
pub type Segments<'a> = (&'a [usize], &'a [String]);

impl LgdPredictive {
    /// The back-tests of `estimate` against `realised`, weighted by `weight` (EAD) when given,
    /// per segment when `segments` are given, else for the portfolio.
    pub fn from_rows(
        realised: &[f64],
        estimate: &[f64],
        weight: Option<&[f64]>,
        segments: Option<Segments<'_>>,
    ) -> Result<Self> {
        let rows = match segments {
            Some((codes, labels)) => {
                segment_backtests(realised, estimate, weight, codes, labels, Alternative::Greater)?
            }
            None => vec![backtest("portfolio", realised, estimate, weight, Alternative::Greater)?],
        };
        Ok(Self { backtests: cite(Rows { rows }, cite::BACKTEST), elbe: None, lgd_in_default: None })
    }

    /// With the two-sided back-test of `realised` against the `elbe` of the same rows.
    pub fn with_elbe(mut self, realised: &[f64], elbe: &[f64], weight: Option<&[f64]>) -> Result<Self> {
        let test = backtest("portfolio", realised, elbe, weight, Alternative::TwoSided)?;
        self.elbe = Some(cite(test, cite::ELBE));
        Ok(self)
    }

    /// With the one-sided back-test of `realised` against the `lgd_in_default` of the same rows.
    pub fn with_lgd_in_default(
        mut self,
        realised: &[f64],
        lgd_in_default: &[f64],
        weight: Option<&[f64]>,
    ) -> Result<Self> {
        let test = backtest("portfolio", realised, lgd_in_default, weight, Alternative::Greater)?;
        self.lgd_in_default = Some(cite(test, cite::LGD_IN_DEFAULT));
        Ok(self)
    }
}
