//! The stability section from the program's inputs: the baseline and the current sample as
//! kd-hypotheses' `Sample`s, the columns the validation uses left out of the CSI, and the
//! migration from the earlier snapshot or date (the section itself is built in kd-hypotheses).

use kd::hypotheses::validation::{Sample, Stability};

use super::Args;
use super::inputs::Inputs;

/// The stability section of `inputs`.
pub fn stability(args: &Args, inputs: &Inputs) -> anyhow::Result<Stability> {
    let current = Sample { table: &inputs.table, rows: inputs.current(), grade: inputs.grade.as_deref() };
    let mut out = match &inputs.baseline {
        Some(base) => {
            let skip: Vec<&str> = [
                Some(&args.score),
                Some(&args.outcome),
                args.grade.as_ref(),
                args.challenger.as_ref(),
                args.id.as_ref(),
                args.date.as_ref(),
                args.r#override.as_ref(),
            ]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
            let baseline = Sample { table: &base.table, rows: &base.rows, grade: base.grade.as_deref() };
            let grades = inputs.scale.as_ref().map(|s| s.grades.len());
            Stability::against_baseline(current, baseline, &args.score, &skip, grades, args.binning(10))?
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
