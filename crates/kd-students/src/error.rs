//! The one error type of kd-students.

/// Errors from fitting and using students.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter outside its valid range.
    #[error("invalid {name}: {reason}")]
    InvalidParameter {
        /// The parameter.
        name: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// Inputs whose shapes do not fit together.
    #[error("shape mismatch in {context}: expected {expected}, got {got}")]
    ShapeMismatch {
        /// Which inputs.
        context: String,
        /// Expected size.
        expected: usize,
        /// Given size.
        got: usize,
    },
    /// A value a student cannot use, at a 0-based row and column.
    #[error("row {row}, column {column}: {reason}")]
    InvalidInput {
        /// 0-based row.
        row: usize,
        /// 0-based column.
        column: usize,
        /// What is wrong.
        reason: String,
    },
    /// A student asked to fit a task it does not fit.
    #[error("invalid student: the {student} student {needs}; this task is {task}")]
    UnsupportedTask {
        /// The student's kind.
        student: &'static str,
        /// What it fits, in words.
        needs: &'static str,
        /// The task it was given.
        task: &'static str,
    },
    /// A categorical feature given to a student that reads numbers only.
    #[error("invalid features: '{feature}' is categorical; the {student} student needs numeric features")]
    CategoricalFeature {
        /// The student's kind.
        student: &'static str,
        /// The feature.
        feature: String,
    },
    /// A cell of a file of new rows that a saved student cannot score as asked.
    #[error("{file}, line {line}, column '{column}': {reason}")]
    NewRow {
        /// The file of new rows.
        file: std::path::PathBuf,
        /// Its 1-based line.
        line: u64,
        /// The column.
        column: String,
        /// What is wrong and what to do.
        reason: String,
    },
    /// A saved model that cannot be read.
    #[error("cannot load the model: {0}")]
    Load(String),
    /// An error of kd-core's (a target that cannot take a student's form, text vectorising, a
    /// teacher asked during a check).
    #[error(transparent)]
    Core(#[from] kd_core::Error),
    /// An error of linfa's, met while fitting through its traits (`linfa_traits`).
    #[error("linfa: {0}")]
    Linfa(#[from] linfa::Error),
}

/// `Result` with kd-students' [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn invalid_parameter(name: &str, reason: impl Into<String>) -> Error {
    Error::InvalidParameter { name: name.to_owned(), reason: reason.into() }
}

/// Refuses an L2 penalty that is negative or not finite.
pub(crate) fn check_l2(l2: f64) -> Result<()> {
    if l2 >= 0.0 && l2.is_finite() {
        Ok(())
    } else {
        Err(invalid_parameter("l2", format!("{l2} (a finite value ≥ 0)")))
    }
}

/// Refuses rows `x` that are not `features` wide ([`Error::ShapeMismatch`]), then the first
/// value that is not finite ([`Error::InvalidInput`]): the check of every student's inputs.
pub(crate) fn check_rows(x: ndarray::ArrayView2<'_, f64>, features: usize) -> Result<()> {
    check_width(x, features)?;
    check_finite(x)
}

/// Refuses rows `x` that are not `features` wide ([`Error::ShapeMismatch`]).
pub(crate) fn check_width(x: ndarray::ArrayView2<'_, f64>, features: usize) -> Result<()> {
    if x.ncols() != features {
        return Err(Error::ShapeMismatch { context: "features".into(), expected: features, got: x.ncols() });
    }
    Ok(())
}

/// Refuses the first infinite value of `x`, naming its row and column; NaN (a missing value)
/// passes, for the students that have a place for it.
pub(crate) fn check_finite_or_missing(x: ndarray::ArrayView2<'_, f64>) -> Result<()> {
    match x.indexed_iter().find(|(_, v)| v.is_infinite()) {
        Some(((row, column), v)) => {
            Err(Error::InvalidInput { row, column, reason: format!("{v} is not a finite number") })
        }
        None => Ok(()),
    }
}

/// Refuses the first value of `x` that is not finite, naming its row and column.
pub(crate) fn check_finite(x: ndarray::ArrayView2<'_, f64>) -> Result<()> {
    match x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        Some(((row, column), v)) => {
            Err(Error::InvalidInput { row, column, reason: format!("{v} is not a finite number") })
        }
        None => Ok(()),
    }
}
