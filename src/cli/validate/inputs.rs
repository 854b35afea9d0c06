//! Reading what `kd validate` needs: the data file with its complete rows, the current sample
//! (the latest date's rows), the cohorts, the rating scale, the baseline and the earlier snapshot.

use std::path::Path;

use kd::core::data::{Table, read_csv};

use super::super::MissingArg;
use super::super::columns::{complete_rows, numbers};
use super::{Args, Model};
use kd::hypotheses::validation::panel::{Panel, SampleRows};
use kd::hypotheses::validation::scale::{Scale, labels};

/// A second file (baseline) with its usable rows.
pub struct Other {
    pub table: Table,
    pub rows: Vec<usize>,
    /// Grade codes on the current scale, with `--grade`.
    pub grade: Option<Vec<usize>>,
    /// Whether it holds the outcome column.
    pub has_outcome: bool,
}

/// Everything read.
pub struct Inputs {
    pub table: Table,
    /// Complete rows of every date, the current sample (the latest date's), the dates with
    /// --date and the ids with --id.
    rows: SampleRows,
    pub scale: Option<Scale>,
    /// Grade codes of the current rows.
    pub grade: Option<Vec<usize>>,
    pub baseline: Option<Other>,
    /// `(from, to)` grade codes of the ids in the earlier snapshot and the current sample.
    pub migration: Option<(Vec<usize>, Vec<usize>)>,
    /// What the earlier snapshot was: a file or a date.
    pub migration_from: Option<String>,
}

/// The columns the validation uses: the score and outcome, and the optional ones given.
pub fn used_columns(args: &Args) -> Vec<&str> {
    let optional = [
        &args.grade,
        &args.exposure,
        &args.id,
        &args.date,
        &args.challenger,
        &args.r#override,
        &args.elbe,
        &args.lgd_in_default,
    ];
    let mut used = vec![args.score.as_str(), args.outcome.as_str()];
    used.extend(optional.into_iter().flatten().map(String::as_str));
    used
}

/// Reads a file; `only_used` reads just the columns the validation uses (the data file when no
/// baseline asks for every shared column's CSI).
fn read(path: &Path, args: &Args, only_used: bool) -> anyhow::Result<Table> {
    let categorical =
        [&args.grade, &args.id, &args.date, &args.r#override].into_iter().flatten().cloned().collect();
    let columns = only_used.then(|| used_columns(args).into_iter().map(str::to_owned).collect());
    Ok(read_csv(path, &args.file_format.options(categorical, columns))?)
}

impl Inputs {
    /// The current sample: the latest date's rows (all rows without --date).
    pub fn current(&self) -> &[usize] {
        self.rows.current()
    }

    /// The dates, with --date: the cohorts and the current sample's date.
    pub fn panel(&self) -> Option<&Panel> {
        self.rows.panel()
    }

    /// Reads and checks every input of `args`.
    pub fn read(args: &Args) -> anyhow::Result<Self> {
        let drop = args.missing == MissingArg::Drop;
        let table = read(&args.data, args, args.baseline.is_none())?;
        let used = used_columns(args);
        let all = complete_rows(&table, &used, drop)?;
        let rows = SampleRows::read(&table, all, args.date.as_deref(), args.id.as_deref())?;
        let current = rows.current();
        let (scale, grade) = match &args.grade {
            None => (None, None),
            Some(column) => {
                let names = labels(&table, column, current)?;
                let score = numbers(&table, &args.score, current)?;
                let scale =
                    Scale::resolve(args.grade_order.as_deref(), &names, &score, &table, column, current)?;
                let codes = scale.codes(&names, &table, column, current)?;
                (Some(scale), Some(codes))
            }
        };
        let baseline = match &args.baseline {
            Some(path) => Some(Self::other(path, args, scale.as_ref(), drop)?),
            None => None,
        };
        let mut inputs = Self { table, rows, scale, grade, baseline, migration: None, migration_from: None };
        inputs.migration(args, drop)?;
        Ok(inputs)
    }

    /// A baseline file: the score, and the grade, exposure and outcome where asked for.
    fn other(path: &Path, args: &Args, scale: Option<&Scale>, drop: bool) -> anyhow::Result<Other> {
        let table = read(path, args, false)?;
        let has_outcome = table.column(&args.outcome).is_ok();
        let mut used = vec![args.score.as_str()];
        used.extend([&args.grade, &args.exposure].into_iter().flatten().map(String::as_str));
        if has_outcome {
            used.push(&args.outcome);
        }
        let rows = complete_rows(&table, &used, drop)?;
        let grade = match (scale, &args.grade) {
            (Some(scale), Some(column)) => {
                Some(scale.codes(&labels(&table, column, &rows)?, &table, column, &rows)?)
            }
            _ => None,
        };
        Ok(Other { table, rows, grade, has_outcome })
    }

    /// The grade pairs of the migration matrix: from `--previous`, or from the date before the
    /// latest.
    fn migration(&mut self, args: &Args, drop: bool) -> anyhow::Result<()> {
        let (Some(scale), Some(grade), Some(id_column), Some(grade_column)) =
            (&self.scale, &self.grade, &args.id, &args.grade)
        else {
            if args.previous.is_some() {
                anyhow::bail!(kd::core::Error::InvalidParameter {
                    name: "--previous".into(),
                    reason: "a migration matrix needs --id and --grade".into(),
                });
            }
            return Ok(());
        };
        let earlier = match &args.previous {
            Some(path) => {
                let table = read(path, args, false)?;
                let rows = complete_rows(&table, &[id_column, grade_column], drop)?;
                Some((path.display().to_string(), table, rows))
            }
            None => None,
        };
        let earlier = earlier
            .as_ref()
            .map(|(name, table, rows)| (name.as_str(), table, id_column.as_str(), rows.as_slice()));
        if let Some((from, pairs)) = self.rows.migration(&self.table, grade_column, scale, grade, earlier)? {
            self.migration = Some(pairs);
            self.migration_from = Some(from);
        }
        Ok(())
    }

    /// The current sample's date, with --date.
    pub fn current_date(&self) -> Option<String> {
        self.panel().map(|p| p.latest().to_string())
    }

    /// The file's name for the report.
    pub fn file(&self) -> String {
        self.table.file().display().to_string()
    }
}

/// Whether values outside [0, 1] are refused for `model` (LGD and CCF without the flag).
pub fn bounded(args: &Args) -> bool {
    args.model != Model::Pd && !args.allow_outside_unit
}
