//! The validation report of an IRB model as one call, so that `kd validate` and the Python
//! `kd.validate` read their inputs their own way (files, data frames) and build the same
//! report: a [`Request`] (the settings by the user's names), the [`Inputs`] it reads from
//! tables, and the [`Report`] — [`PdReport`] or [`LgdReport`] — grouped as the ECB's
//! instructions group it; its JSON [`Document`] adds the [`Flag`]s its figures raise, and
//! [`titles`] names its sections and figures.

mod flags;
mod inputs;
mod lgd;
mod pd;
mod request;
mod stability;
pub mod titles;

use kd_core::data::Table;
use serde::Serialize;

pub use flags::{FLAG_LEVEL, FLAGGED, Flag, FlagKind, NOTHING_FLAGGED, by_place, flags, is_figure};
pub use inputs::{Baseline, Inputs};
pub use lgd::LgdReport;
pub use pd::PdReport;
pub use request::{Request, Spelling, ValidationModel};

use crate::error::{Error, Result};

/// Either report; serialised as itself.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Report {
    /// A PD model's.
    Pd(Box<PdReport>),
    /// An LGD or CCF model's.
    Lgd(Box<LgdReport>),
}

impl Report {
    /// The report of `request` on `table`, against the `baseline` (the sample at initial
    /// validation) and migrating from the `previous` snapshot when given.
    ///
    /// # Errors
    /// The request's refusals ([`Request::check`]), those of its inputs ([`Inputs::new`]) and
    /// of its model's report ([`PdReport::build`], [`LgdReport::build`]).
    pub fn build(
        request: &Request,
        table: Table,
        baseline: Option<Table>,
        previous: Option<Table>,
    ) -> Result<Self> {
        request.check()?;
        let inputs = Inputs::new(request, table, baseline, previous)?;
        Ok(match request.model {
            ValidationModel::Pd => Report::Pd(Box::new(PdReport::build(request, &inputs)?)),
            ValidationModel::Lgd | ValidationModel::Ccf => {
                Report::Lgd(Box::new(LgdReport::build(request, &inputs)?))
            }
        })
    }

    /// The report with its flags, the figures that ask a validator to look ([`flags`]): the
    /// JSON document the program writes and Python reads.
    ///
    /// # Errors
    /// [`Error::Json`] should the report not serialise (it holds no map with other than text
    /// keys, so this is not expected).
    pub fn document(&self) -> Result<Document<'_>> {
        let doc = serde_json::to_value(self).map_err(|e| Error::Json(e.to_string()))?;
        Ok(Document { report: self, flags: flags(&doc) })
    }
}

/// A report and its flags, serialised as the report's own fields in their order (the ECB's
/// sections, each figure's fields as its type declares them) followed by `flags`.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    /// The report.
    #[serde(flatten)]
    pub report: &'a Report,
    /// The figures that ask a validator to look, in the page's order.
    pub flags: Vec<Flag>,
}
