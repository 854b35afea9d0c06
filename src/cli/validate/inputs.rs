//! Reading what `kd validate` needs — the data file (only the columns the validation uses when
//! no baseline asks for every shared column's CSI), the baseline and the earlier snapshot — and
//! the flags as the [`Request`] of kd-hypotheses' report.

use std::path::Path;

use kd::core::data::{Table, read_csv};
use kd::hypotheses::validation::HlSample;
use kd::hypotheses::validation::report::{Request, Spelling, ValidationModel};

use super::super::MissingArg;
use super::{Args, Model, SampleArg};

impl Args {
    /// The flags as the report's request, its messages naming the flags.
    pub fn request(&self) -> Request {
        let model = match self.model {
            Model::Pd => ValidationModel::Pd,
            Model::Lgd => ValidationModel::Lgd,
            Model::Ccf => ValidationModel::Ccf,
        };
        Request {
            grade: self.grade.clone(),
            grade_order: self.grade_order.clone(),
            exposure: self.exposure.clone(),
            id: self.id.clone(),
            date: self.date.clone(),
            challenger: self.challenger.clone(),
            override_column: self.r#override.clone(),
            calibration_target: self.calibration_target,
            prudence: self.prudence,
            rho: self.rho,
            period_correlation: self.period_correlation,
            groups: self.groups,
            grouping: self.binning,
            hl_sample: match self.hl_sample {
                SampleArg::Validation => HlSample::Validation,
                SampleArg::Development => HlSample::Development,
            },
            no_calibration: self.no_calibration,
            curves: self.curves,
            allow_outside_unit: self.allow_outside_unit,
            elbe: self.elbe.clone(),
            lgd_in_default: self.lgd_in_default.clone(),
            initial_auc: self.initial_given(),
            drop_missing: self.missing == MissingArg::Drop,
            ..Request::new(model, &self.score, &self.outcome, Spelling::Flags)
        }
    }
}

/// Reads a file; `only_used` reads just the columns the validation uses.
fn read(path: &Path, args: &Args, request: &Request, only_used: bool) -> anyhow::Result<Table> {
    let columns = only_used.then(|| request.used_columns().into_iter().map(str::to_owned).collect());
    Ok(read_csv(path, &args.file_format.options(request.label_columns(), columns))?)
}

/// The files `args` names: the data, the baseline and the earlier snapshot.
pub fn read_files(args: &Args, request: &Request) -> anyhow::Result<(Table, Option<Table>, Option<Table>)> {
    let table = read(&args.data, args, request, args.baseline.is_none())?;
    let baseline = args.baseline.as_deref().map(|path| read(path, args, request, false)).transpose()?;
    let previous = args.previous.as_deref().map(|path| read(path, args, request, false)).transpose()?;
    Ok((table, baseline, previous))
}
