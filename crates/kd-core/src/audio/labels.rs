//! Where a recording's label (and speaker and take) come from: its file name, following the
//! Free Spoken Digit Dataset's pattern `{label}_{speaker}_{index}.wav`, or a manifest CSV.
//!
//! A manifest has a header with the columns `file` and `label` (required) and `speaker` and
//! `index` (optional), in any order. `file` is the recording's path relative to the folder or
//! inside the archive (`recordings/0_george_0.wav`), or its bare file name when that is
//! unique. Recordings the manifest does not list are left out; a row naming no recording is an
//! error naming the manifest's line.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::source::SourceFile;
use crate::{Error, Result};

/// Where labels come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LabelSource {
    /// The file name: `{label}_{speaker}_{index}.wav`.
    #[default]
    FileName,
    /// A manifest CSV (`file,label[,speaker][,index]`).
    Manifest(PathBuf),
}

/// What is known of one recording besides its samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tags {
    /// The class label.
    pub label: String,
    /// The speaker, when known.
    pub speaker: Option<String>,
    /// The take number, when known (FSDD: 0–49; its documentation keeps 0–4 for testing).
    pub index: Option<u64>,
}

/// Parses `{label}_{speaker}_{index}.wav`; `path` names the file in errors.
pub fn tags_from_name(name: &str, path: &Path) -> Result<Tags> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let parts: Vec<&str> = stem.split('_').collect();
    let bad = || Error::Audio {
        file: path.to_path_buf(),
        reason: format!(
            "the file name '{file}' does not follow {{label}}_{{speaker}}_{{index}}.wav \
             (e.g. 7_george_12.wav); give the labels in a manifest CSV instead"
        ),
    };
    match parts.as_slice() {
        [label, speaker, index] if !label.is_empty() && !speaker.is_empty() => Ok(Tags {
            label: (*label).to_owned(),
            speaker: Some((*speaker).to_owned()),
            index: Some(index.parse().map_err(|_| bad())?),
        }),
        _ => Err(bad()),
    }
}

fn manifest_error(manifest: &Path, line: u64, column: usize, name: &str, reason: String) -> Error {
    Error::InvalidValue { file: manifest.to_path_buf(), line, column, name: name.to_owned(), reason }
}

/// Reads `manifest` and returns, for each of `files` it lists, the file's position and tags,
/// in the manifest's order. `source` names the folder or archive in errors.
pub fn tags_from_manifest(
    manifest: &Path,
    files: &[SourceFile],
    source: &Path,
) -> Result<Vec<(usize, Tags)>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(manifest)
        .map_err(|e| Error::Malformed { file: manifest.to_path_buf(), line: 1, reason: e.to_string() })?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Malformed { file: manifest.to_path_buf(), line: 1, reason: e.to_string() })?
        .iter()
        .map(str::to_owned)
        .collect();
    let position = |name: &str| header.iter().position(|h| h == name);
    let column = |name: &str| {
        position(name).ok_or_else(|| Error::MissingColumn {
            file: manifest.to_path_buf(),
            name: name.to_owned(),
            available: header.join(","),
        })
    };
    let (file_col, label_col) = (column("file")?, column("label")?);
    let (speaker_col, index_col) = (position("speaker"), position("index"));
    let mut by_path: HashMap<&str, usize> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        by_path.insert(&f.name, i);
        by_name.entry(f.name.rsplit('/').next().unwrap_or(&f.name)).or_default().push(i);
    }
    let (mut rows, mut seen) = (Vec::new(), HashSet::new());
    for (row, record) in reader.records().enumerate() {
        let line = row as u64 + 2;
        let record = record.map_err(|e| Error::Malformed {
            file: manifest.to_path_buf(),
            line,
            reason: e.to_string(),
        })?;
        let cell = |col: usize| record.get(col).unwrap_or("");
        let name = cell(file_col).trim_start_matches("./");
        let found = match by_path.get(name) {
            Some(&i) => i,
            None => match by_name.get(name).map(Vec::as_slice) {
                Some([i]) => *i,
                Some(many) => {
                    return Err(manifest_error(
                        manifest,
                        line,
                        file_col + 1,
                        "file",
                        format!(
                            "'{name}' names {} recordings in {}; give its path inside the folder or archive",
                            many.len(),
                            source.display()
                        ),
                    ));
                }
                None => {
                    return Err(manifest_error(
                        manifest,
                        line,
                        file_col + 1,
                        "file",
                        format!("no recording named '{name}' in {}", source.display()),
                    ));
                }
            },
        };
        if !seen.insert(found) {
            return Err(manifest_error(
                manifest,
                line,
                file_col + 1,
                "file",
                format!("'{name}' is listed twice"),
            ));
        }
        let label = cell(label_col);
        if label.is_empty() {
            return Err(manifest_error(manifest, line, label_col + 1, "label", "the label is empty".into()));
        }
        let speaker = speaker_col.map(|c| cell(c).to_owned()).filter(|s| !s.is_empty());
        let index = match index_col.map(cell).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => Some(text.parse().map_err(|_| {
                let col = index_col.unwrap_or(0) + 1;
                manifest_error(manifest, line, col, "index", format!("'{text}' is not a whole number"))
            })?),
        };
        rows.push((found, Tags { label: label.to_owned(), speaker, index }));
    }
    if rows.is_empty() {
        return Err(Error::EmptyFile {
            file: manifest.to_path_buf(),
            what: "the manifest lists no recordings",
        });
    }
    Ok(rows)
}
