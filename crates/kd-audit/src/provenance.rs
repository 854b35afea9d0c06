//! Fingerprints of the inputs (SHA-256) and the clock, for the report's provenance.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::report::InputFile;

/// The file's SHA-256 and size.
pub fn fingerprint(role: &'static str, path: &Path) -> Result<InputFile> {
    let bytes = std::fs::read(path)
        .map_err(|source| Error::Input(kd_core::Error::Io { file: path.to_owned(), source }))?;
    let digest = Sha256::digest(&bytes);
    Ok(InputFile {
        role,
        path: path.display().to_string(),
        sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        bytes: bytes.len() as u64,
    })
}

/// Files named on a `cmd:` teacher's command line (a saved model, the script serving it): every
/// word that is an existing file.
pub fn command_files(teacher: &str) -> Vec<InputFile> {
    let Some(command) = teacher.strip_prefix("cmd:") else {
        return teacher
            .strip_prefix("torchscript:")
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .and_then(|p| fingerprint("model file", Path::new(p)).ok())
            .into_iter()
            .collect();
    };
    // The interpreter itself (python, Rscript, …) is the machine's, not the model's.
    let interpreters = ["python", "Rscript", "node", "java", "bash", "sh"];
    let words: Vec<&str> = command.split_whitespace().collect();
    let skip = words
        .first()
        .and_then(|w| Path::new(w).file_name())
        .and_then(|n| n.to_str())
        .is_some_and(|n| interpreters.iter().any(|i| n.starts_with(i)));
    words
        .into_iter()
        .skip(usize::from(skip))
        .filter(|w| Path::new(w).is_file())
        .filter_map(|w| fingerprint("model file", Path::new(w)).ok())
        .collect()
}

/// Now, UTC, as RFC 3339 with seconds.
pub fn now() -> String {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
