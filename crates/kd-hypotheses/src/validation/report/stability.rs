//! The stability section of a report from its [`Inputs`]: the baseline and the current sample
//! as [`Sample`]s, the columns the validation uses left out of the CSI, and the migration from
//! the earlier snapshot or date.

use super::inputs::Inputs;
use super::request::Request;
use crate::error::Result;
use crate::validation::{Sample, Stability};

/// The stability section of `inputs` (empty without a baseline or a migration).
pub(crate) fn stability(request: &Request, inputs: &Inputs) -> Result<Stability> {
    let current = Sample { table: &inputs.table, rows: inputs.current(), grade: inputs.grade.as_deref() };
    let mut out = match &inputs.baseline {
        Some(base) => {
            let skip = request.csi_skipped();
            let baseline = Sample { table: &base.table, rows: &base.rows, grade: base.grade.as_deref() };
            let grades = inputs.scale.as_ref().map(|s| s.grades.as_slice());
            Stability::against_baseline(
                current,
                baseline,
                &request.score,
                &skip,
                grades,
                request.binning(10),
            )?
        }
        None => Stability::default(),
    };
    if let (Some((from, to)), Some(scale), Some(source)) =
        (&inputs.migration, &inputs.scale, &inputs.migration_from)
    {
        out = out.with_migration(source, &scale.grades, from, to)?;
    }
    Ok(out)
}
