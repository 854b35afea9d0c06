//! The one error type of kd-hypotheses.

/// Errors from the tests: bad input (named by row and column), parameters out of range, and
/// statistics that are undefined on the data given.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value that a test cannot use, at a 0-based row of the input.
    #[error("{column}, row {row}: {reason}")]
    InvalidInput {
        /// The input (for example "score" or "outcome").
        column: String,
        /// 0-based row.
        row: usize,
        /// What is wrong.
        reason: String,
    },
    /// A parameter outside its valid range.
    #[error("invalid {name}: {reason}")]
    InvalidParameter {
        /// The parameter.
        name: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// Inputs whose lengths differ.
    #[error("{context}: {expected} rows expected, got {got}")]
    ShapeMismatch {
        /// Which inputs.
        context: String,
        /// Expected length.
        expected: usize,
        /// Given length.
        got: usize,
    },
    /// Too few rows (or too few of a class) for a test.
    #[error("{what} needs at least {needed}, got {found}")]
    TooFewRows {
        /// The test and what it counts.
        what: String,
        /// How many it needs.
        needed: usize,
        /// How many there are.
        found: usize,
    },
    /// A statistic that is undefined on these data (instead of a NaN).
    #[error("{test} is undefined here: {reason}")]
    Undefined {
        /// The test.
        test: String,
        /// Why.
        reason: String,
    },
    /// A column of the design that is (numerically) a linear combination of earlier ones, or
    /// constant like the intercept.
    #[error("column '{column}' is a linear combination of {} (perfect collinearity): drop one of them", with.join(", "))]
    Collinear {
        /// The dependent column.
        column: String,
        /// The earlier columns it is a combination of.
        with: Vec<String>,
    },
    /// A failure of the linear-algebra backend (LAPACK).
    #[error("linear algebra failed in {what}: {reason}")]
    Linalg {
        /// The computation.
        what: String,
        /// LAPACK's message.
        reason: String,
    },
    /// A report that could not be written as JSON (a failure inside kd, not bad input).
    #[error("the report could not be written as JSON: {0}")]
    Json(String),
    /// An error from kd-core (data loading).
    #[error(transparent)]
    Core(#[from] kd_core::Error),
}

/// `Result` with kd-hypotheses' [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn ensure_len(context: &str, expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::ShapeMismatch { context: context.to_owned(), expected, got })
    }
}

pub(crate) fn invalid_parameter(name: &str, reason: impl Into<String>) -> Error {
    Error::InvalidParameter { name: name.to_owned(), reason: reason.into() }
}

/// Checks that every value is finite, naming the first row that is not.
pub(crate) fn ensure_finite(column: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(row) => Err(Error::InvalidInput {
            column: column.to_owned(),
            row,
            reason: format!("{} is not a finite number", values[row]),
        }),
    }
}

/// Checks that every value is a probability in [0, 1], naming the first row that is not.
pub(crate) fn ensure_probabilities(column: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !(0.0..=1.0).contains(v)) {
        None => Ok(()),
        Some(row) => Err(Error::InvalidInput {
            column: column.to_owned(),
            row,
            reason: format!("{} is not a probability in [0, 1] (calibration tests need PDs)", values[row]),
        }),
    }
}

/// A figure, or why it is undefined on these data: [`Error::Undefined`] becomes
/// `(None, Some(its message))`, so that a report keeps its other figures and says why this one
/// is missing; every other error stays an error.
pub(crate) fn or_undefined<T>(result: Result<T>) -> Result<(Option<T>, Option<String>)> {
    match result {
        Ok(value) => Ok((Some(value), None)),
        Err(e @ Error::Undefined { .. }) => Ok((None, Some(e.to_string()))),
        Err(e) => Err(e),
    }
}
