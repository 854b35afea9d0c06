//! The one error type of kd-extract.

/// Errors from extraction.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter outside its valid range, or a teacher the method cannot use.
    #[error("invalid {name}: {reason}")]
    InvalidParameter {
        /// The parameter.
        name: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// A saved model that cannot be read: another format, an unknown version, or parts that
    /// do not fit together.
    #[error("cannot load the {format} model: {reason}")]
    Load {
        /// The format (`kd-extracted`).
        format: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Data or a teacher failed (kd-core's error, which names the file, row and column or the
    /// teacher and batch).
    #[error(transparent)]
    Core(#[from] kd_core::Error),
    /// A tree could not be grown (kd-students' error).
    #[error(transparent)]
    Students(#[from] kd_students::Error),
}

/// `Result` with kd-extract's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn invalid_parameter(name: &str, reason: impl Into<String>) -> Error {
    Error::InvalidParameter { name: name.to_owned(), reason: reason.into() }
}
