//! `column:` teachers: outputs stored in the data file beside the features, such as a bank's
//! risk score. They can be distilled and audited on the file's rows, never queried elsewhere.

use std::path::{Path, PathBuf};

use ndarray::{Array2, ArrayView2};

use super::{Teacher, TeacherInfo};
use crate::data::{ColumnData, Table};
use crate::{Error, Result, Task};

/// Teacher outputs read from columns of a [`Table`].
///
/// Columns: one value column for regression; for binary tasks either one column with the
/// probability of class 1 or two with both probabilities; for `k` classes, `k` probability
/// columns in class order.
#[derive(Debug, Clone)]
pub struct ColumnTeacher {
    info: TeacherInfo,
    file: PathBuf,
    /// One row per table row; NaN where the file has a missing cell.
    outputs: Array2<f64>,
    lines: Vec<u64>,
    columns: Vec<(usize, String)>,
}

impl ColumnTeacher {
    /// Reads the teacher's outputs for `task` from `columns` of `table`; the teacher takes
    /// `n_inputs` features.
    pub fn from_table(table: &Table, columns: &[String], task: Task, n_inputs: usize) -> Result<Self> {
        let name = format!("column:{}", columns.join(","));
        let (fits, needs) = match task {
            Task::Regression => (columns.len() == 1, "one column of values".to_owned()),
            Task::Binary => (
                matches!(columns.len(), 1 | 2),
                "the probability of the second class, or one column per class".to_owned(),
            ),
            Task::Multiclass(k) => (
                columns.len() == k,
                format!("one probability column per class ({k} columns, in the classes' order)"),
            ),
        };
        if !fits {
            let target = match task {
                Task::Multiclass(k) => format!("the target has {k} classes"),
                _ => format!("the task is {}", task.name()),
            };
            return Err(crate::error::invalid_parameter(
                "teacher",
                format!("{name} names {} column(s); {target}, so the teacher needs {needs}", columns.len()),
            ));
        }
        let mut values = Array2::from_elem((table.n_rows(), columns.len()), f64::NAN);
        let mut positions = Vec::new();
        for (j, column_name) in columns.iter().enumerate() {
            let c = table.column_index(column_name)?;
            let ColumnData::Numeric(cells) = &table.columns()[c].data else {
                return Err(crate::error::invalid_parameter(
                    "teacher",
                    format!("{name}: column '{column_name}' is categorical; teacher outputs must be numbers"),
                ));
            };
            for (r, cell) in cells.iter().enumerate() {
                values[[r, j]] = *cell;
            }
            positions.push((table.columns()[c].position() - 1, column_name.clone()));
        }
        let outputs = if task == Task::Binary && columns.len() == 1 {
            let p = values.column(0);
            ndarray::stack(ndarray::Axis(1), &[p.mapv(|p| 1.0 - p).view(), p])
                .map_err(|e| crate::error::invalid_parameter("teacher", format!("{name}: {e}")))?
        } else {
            values
        };
        Ok(Self {
            info: TeacherInfo::new(name, task, n_inputs),
            file: table.file().to_owned(),
            outputs,
            lines: (0..table.n_rows()).map(|r| table.line_of(r)).collect(),
            columns: positions,
        })
    }

    /// The stored outputs of the rows `source_rows` of `file`, which must be the teacher's
    /// file; a missing cell or a probability outside [0, 1] is refused naming its line and
    /// column.
    fn lookup(&self, file: &Path, source_rows: &[usize]) -> Result<Array2<f64>> {
        if file != self.file {
            return Err(crate::error::invalid_parameter(
                "teacher",
                format!(
                    "{} holds outputs for {}, not for {}",
                    self.info.name,
                    self.file.display(),
                    file.display()
                ),
            ));
        }
        for &r in source_rows {
            self.check_row(r)?;
        }
        Ok(self.outputs.select(ndarray::Axis(0), source_rows))
    }

    fn check_row(&self, row: usize) -> Result<()> {
        let bad = |j: usize, reason: String| Error::InvalidValue {
            file: self.file.clone(),
            line: self.lines[row],
            column: self.columns[j.min(self.columns.len() - 1)].0 + 1,
            name: self.columns[j.min(self.columns.len() - 1)].1.clone(),
            reason,
        };
        // One column read for a binary target holds p; the outputs hold (1 − p, p): check the
        // value as the file has it.
        let outputs = self.outputs.row(row);
        let read =
            if self.columns.len() < outputs.len() { outputs.slice(ndarray::s![-1..]) } else { outputs };
        for (j, &v) in read.iter().enumerate() {
            if v.is_nan() {
                return Err(bad(j, format!("{}: the teacher's output is missing", self.info.name)));
            }
            if self.info.task.is_classification() && !(0.0..=1.0).contains(&v) {
                return Err(bad(j, format!("{}: {v} is not a probability in [0, 1]", self.info.name)));
            }
        }
        Ok(())
    }
}

impl Teacher for ColumnTeacher {
    fn info(&self) -> &TeacherInfo {
        &self.info
    }
    fn info_mut(&mut self) -> &mut TeacherInfo {
        &mut self.info
    }
    fn query(&mut self, _x: ArrayView2<'_, f64>, _batch: usize) -> Result<Array2<f64>> {
        Err(Error::TeacherNotQueryable {
            teacher: self.info.name.clone(),
            reason: "its outputs are known only on the rows of the data file; use a cmd: or \
                     torchscript: teacher for methods that sample new points"
                .into(),
        })
    }
    fn stored(&mut self, file: &Path, source_rows: &[usize]) -> Option<Result<Array2<f64>>> {
        Some(self.lookup(file, source_rows))
    }
    fn is_queryable(&self) -> bool {
        false
    }
}
