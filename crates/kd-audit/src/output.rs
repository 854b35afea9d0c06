//! Writing the report folder atomically: every file goes into a fresh temporary folder beside
//! the target, which is renamed into place only when complete, so a failed audit never leaves
//! a half-written report. An existing folder is replaced only if it holds an earlier report
//! (an `audit.json`).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The files of a report: (name, contents).
pub type Files = Vec<(&'static str, String)>;

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write { path: path.to_owned(), source }
}

/// Writes `files` into the folder `out`.
pub fn write_folder(out: &Path, files: &Files) -> Result<()> {
    if out.exists() && !(out.is_dir() && out.join("audit.json").is_file()) {
        return Err(Error::OutputTaken { path: out.to_owned() });
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(write_error(&parent))?;
    let name = out.file_name().map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let temporary = parent.join(format!(".{name}.kd-audit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temporary);
    std::fs::create_dir(&temporary).map_err(write_error(&temporary))?;
    let written = files.iter().try_for_each(|(file, text)| {
        let path = temporary.join(file);
        std::fs::write(&path, text).map_err(write_error(&path))
    });
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&temporary);
        return Err(e);
    }
    if out.exists() {
        // Move the earlier report aside, put the new one in place, then remove the old one.
        let old = parent.join(format!(".{name}.kd-audit-old-{}", std::process::id()));
        std::fs::rename(out, &old).map_err(write_error(out))?;
        if let Err(source) = std::fs::rename(&temporary, out) {
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&temporary);
            return Err(Error::Write { path: out.to_owned(), source });
        }
        let _ = std::fs::remove_dir_all(&old);
        return Ok(());
    }
    std::fs::rename(&temporary, out).map_err(|source| {
        let _ = std::fs::remove_dir_all(&temporary);
        Error::Write { path: out.to_owned(), source }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(text: &str) -> Files {
        vec![("audit.json", text.to_owned()), ("report.html", "<p>r</p>".to_owned())]
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_report_replaces_an_earlier_one_and_leaves_no_temporary_folder() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Write { path: "tmp".into(), source: e })?;
        let out = dir.path().join("report");
        write_folder(&out, &files("1"))?;
        write_folder(&out, &files("2"))?;
        assert_eq!(std::fs::read_to_string(out.join("audit.json")).ok().as_deref(), Some("2"));
        assert_eq!(leftovers(dir.path()), vec!["report".to_owned()]);
        Ok(())
    }

    #[test]
    fn a_folder_that_is_not_a_report_is_left_alone() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Write { path: "tmp".into(), source: e })?;
        let out = dir.path().join("notes");
        std::fs::create_dir(&out).map_err(|e| Error::Write { path: out.clone(), source: e })?;
        std::fs::write(out.join("mine.txt"), "keep")
            .map_err(|e| Error::Write { path: out.clone(), source: e })?;
        assert!(matches!(write_folder(&out, &files("1")), Err(Error::OutputTaken { .. })));
        assert_eq!(leftovers(&out), vec!["mine.txt".to_owned()]);
        assert_eq!(leftovers(dir.path()), vec!["notes".to_owned()]);
        Ok(())
    }
}
