//! The one error type of kd-audit. Every variant names what the user must fix: the spec key, the
//! file, or the stage that failed (with the library error underneath).

use std::path::PathBuf;

/// Errors of an audit.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The spec file could not be read.
    #[error("{}: cannot read the spec: {source}", file.display())]
    SpecFile {
        /// The spec file.
        file: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The spec is not valid TOML, has an unknown key or a value of the wrong type (toml's
    /// message names the key, line and column).
    #[error("{}: {reason}", file.display())]
    SpecSyntax {
        /// The spec file.
        file: PathBuf,
        /// What toml said.
        reason: String,
    },
    /// A key of the spec with a value the audit cannot use.
    #[error("spec key '{key}': {reason}")]
    Spec {
        /// The key, dotted (`thresholds.psi.red`).
        key: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// Reading or preparing an input file failed (kd-core names the file, line and column).
    #[error("{0}")]
    Input(#[source] kd_core::Error),
    /// A stage failed; the cause names the teacher, parameter or file underneath.
    #[error("stage '{stage}': {source}")]
    Stage {
        /// The stage's name.
        stage: &'static str,
        /// The failure.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The report could not be written.
    #[error("{}: cannot write the report: {source}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The output folder exists and does not hold an earlier kd audit, so it is not replaced.
    #[error("{}: the folder exists and holds no audit.json; choose a new folder or an earlier report's", path.display())]
    OutputTaken {
        /// The folder.
        path: PathBuf,
    },
}

impl Error {
    /// Whether the error lies in the user's input (spec, data, teacher) rather than the machine
    /// (the CLI exits with 2 for these).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Error::Write { .. })
    }

    /// Wraps a library error as a failure of `stage`.
    pub(crate) fn stage(
        stage: &'static str,
    ) -> impl FnOnce(Box<dyn std::error::Error + Send + Sync>) -> Self {
        move |source| Error::Stage { stage, source }
    }
}

/// `Result` with kd-audit's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Converts any library error into a stage failure (`.map_err(at("performance"))`).
pub(crate) fn at<E: std::error::Error + Send + Sync + 'static>(
    stage: &'static str,
) -> impl FnOnce(E) -> Error {
    move |e| Error::stage(stage)(Box::new(e))
}

/// A spec error for `key`.
pub(crate) fn spec(key: &str, reason: impl Into<String>) -> Error {
    Error::Spec { key: key.to_owned(), reason: reason.into() }
}
