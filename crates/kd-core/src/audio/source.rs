//! Where recordings come from: a folder of WAV files (searched recursively) or a tar archive
//! of them (`.tar`, or gzip'd `.tar.gz` / `.tgz`, read with the `tar` and `flate2` crates).
//! Files are taken in the order of their relative paths, so a corpus is the same on every
//! machine. Every recording must have the same sample rate.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::wav::{Wav, decode_wav};
use crate::{Error, Result};

/// A decoded file with its path relative to the source (`recordings/0_george_0.wav`).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the folder or inside the archive, with `/` separators.
    pub name: String,
    /// The path used in error messages (the archive's path joined with the entry's).
    pub path: PathBuf,
    /// The samples.
    pub wav: Wav,
}

fn is_wav(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("wav"))
}

fn io_error(file: &Path, source: std::io::Error) -> Error {
    Error::Io { file: file.to_path_buf(), source }
}

/// Whether `path` names an archive rather than a folder (by its extension).
pub fn is_archive(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    name.ends_with(".tar") || name.ends_with(".tar.gz") || name.ends_with(".tgz")
}

/// Reads every `.wav` file of the folder or archive `source`, checking that they share one
/// sample rate. Errors: the source cannot be read, holds no WAV file, an archive is truncated,
/// a file is not a PCM WAV, or two rates differ (naming both files).
pub fn read_source(source: &Path) -> Result<Vec<SourceFile>> {
    let files = if is_archive(source) {
        read_archive(source)?
    } else if source.is_dir() {
        read_folder(source)?
    } else if source.exists() {
        return Err(Error::Audio {
            file: source.to_path_buf(),
            reason: "neither a folder nor a .tar / .tar.gz / .tgz archive of WAV files".into(),
        });
    } else {
        return Err(io_error(source, std::io::Error::from(std::io::ErrorKind::NotFound)));
    };
    let Some(first) = files.first() else {
        return Err(Error::EmptyFile { file: source.to_path_buf(), what: "holds no .wav files" });
    };
    if let Some(other) = files.iter().find(|f| f.wav.sample_rate != first.wav.sample_rate) {
        return Err(Error::SampleRateMismatch {
            file: other.path.clone(),
            found: other.wav.sample_rate,
            first: first.path.clone(),
            expected: first.wav.sample_rate,
        });
    }
    Ok(files)
}

/// The `.wav` files under `folder`, recursively, sorted by relative path.
fn read_folder(folder: &Path) -> Result<Vec<SourceFile>> {
    let mut pending = vec![folder.to_path_buf()];
    let mut paths = Vec::new();
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| io_error(&dir, e))? {
            let path = entry.map_err(|e| io_error(&dir, e))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().is_some_and(|n| is_wav(&n.to_string_lossy())) {
                paths.push(path);
            }
        }
    }
    let mut files = paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(folder).unwrap_or(&path);
            let name = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>();
            let file = File::open(&path).map_err(|e| io_error(&path, e))?;
            let wav = decode_wav(&path, std::io::BufReader::new(file))?;
            Ok(SourceFile { name: name.join("/"), path, wav })
        })
        .collect::<Result<Vec<_>>>()?;
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// The `.wav` entries of a tar archive (gzip'd when its name ends in `.gz` or `.tgz`), sorted
/// by entry path.
fn read_archive(archive: &Path) -> Result<Vec<SourceFile>> {
    let file = File::open(archive).map_err(|e| io_error(archive, e))?;
    let name = archive.to_string_lossy().to_ascii_lowercase();
    let reader: Box<dyn Read> = if name.ends_with(".gz") || name.ends_with(".tgz") {
        Box::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    let mut tar = tar::Archive::new(reader);
    let mut files = Vec::new();
    let mut last = String::from("(none: the first entry)");
    let broken = |last: &str, e: std::io::Error| Error::Archive {
        file: archive.to_path_buf(),
        reason: format!("truncated or corrupt archive after entry {last}: {e}"),
    };
    for entry in tar.entries().map_err(|e| broken(&last, e))? {
        let mut entry = entry.map_err(|e| broken(&last, e))?;
        let entry_name = entry.path().map_err(|e| broken(&last, e))?.to_string_lossy().into_owned();
        let entry_name = entry_name.trim_start_matches("./").to_owned();
        if entry.header().entry_type().is_file() && is_wav(&entry_name) {
            let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
            entry.read_to_end(&mut bytes).map_err(|e| broken(&entry_name, e))?;
            if bytes.len() as u64 != entry.size() {
                return Err(Error::Archive {
                    file: archive.to_path_buf(),
                    reason: format!(
                        "truncated archive: entry {entry_name} has {} of its {} bytes",
                        bytes.len(),
                        entry.size()
                    ),
                });
            }
            let path = archive.join(&entry_name);
            let wav = decode_wav(&path, bytes.as_slice())?;
            files.push(SourceFile { name: entry_name.clone(), path, wav });
        }
        last = entry_name;
    }
    // Read on to the end of the stream so that gzip checks its length and CRC trailer: tar
    // stops at its end-of-archive blocks, before a cut-off trailer would show.
    std::io::copy(&mut tar.into_inner(), &mut std::io::sink()).map_err(|e| broken(&last, e))?;
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}
