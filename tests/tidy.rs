//! House rules that keep the repository honest (after rust-analyzer's `tidy.rs`).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use std::path::Path;

use sha2::{Digest, Sha256};

fn files_under(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

#[test]
fn shipped_data_matches_its_recorded_sha256() {
    let readme = std::fs::read_to_string(common::data("README.md")).expect("data/README.md");
    let mut checked = 0;
    for line in readme.lines() {
        let Some((hash, file)) = line.split_once("  ") else { continue };
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let bytes = std::fs::read(common::data(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(digest, hash, "{file} changed");
        checked += 1;
    }
    let mut shipped = Vec::new();
    files_under_any(&common::data(""), &mut shipped);
    let shipped = shipped.iter().filter(|p| p.file_name().is_some_and(|n| n != "README.md")).count();
    assert_eq!(checked, shipped, "every shipped file has its sha256 in data/README.md");
}

fn files_under_any(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under_any(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_golden_folder_has_its_generator() {
    let root = common::root();
    let crates = std::fs::read_dir(root.join("crates"))
        .expect("crates")
        .flatten()
        .map(|c| c.path().join("tests/golden"));
    let mut folders = 0;
    for golden in std::iter::once(root.join("tests/golden")).chain(crates).filter(|g| g.is_dir()) {
        for entry in std::fs::read_dir(&golden).expect("golden folder").flatten() {
            if entry.path().is_dir() {
                let has = |name: &str| entry.path().join(name).exists();
                assert!(has("gen.py") || has("gen.R"), "{} has no gen.py or gen.R", entry.path().display());
                folders += 1;
            }
        }
    }
    assert!(folders >= 4, "only {folders} golden folders found");
}

/// The library crates: typed errors, no printing, every public module named in the crate doc.
/// (`kd`, `kd-reproduce` and `xtask` are programs: `anyhow` and printing are theirs.)
const LIBRARIES: [&str; 6] =
    ["kd-core", "kd-hypotheses", "kd-students", "kd-extract", "kd-audit", "kd-python"];

#[test]
fn libraries_have_crate_docs_and_never_print() {
    for krate in LIBRARIES {
        let src = common::root().join("crates").join(krate).join("src");
        let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
        assert!(lib.starts_with("//! "), "{krate} lacks crate docs");
        let mut files = Vec::new();
        files_under(&src, "rs", &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("source");
            for macro_name in ["println!", "eprintln!", "print!(", "dbg!"] {
                assert!(!text.contains(macro_name), "{} uses {macro_name}", file.display());
            }
        }
    }
}

/// Every manifest of the workspace: the root, each crate and xtask.
fn manifests() -> Vec<(String, toml::Table)> {
    let root = common::root();
    let mut paths =
        vec![("kd".to_owned(), root.join("Cargo.toml")), ("xtask".to_owned(), root.join("xtask/Cargo.toml"))];
    for entry in std::fs::read_dir(root.join("crates")).expect("crates").flatten() {
        let manifest = entry.path().join("Cargo.toml");
        if manifest.exists() {
            paths.push((entry.file_name().to_string_lossy().into_owned(), manifest));
        }
    }
    paths
        .into_iter()
        .map(|(name, path)| {
            let text = std::fs::read_to_string(&path).expect("manifest");
            (name, text.parse::<toml::Table>().unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        })
        .collect()
}

/// The names of a manifest's dependencies of every kind, target-specific ones included.
fn dependencies(manifest: &toml::Table) -> Vec<String> {
    let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<&toml::Table> = kinds.iter().filter_map(|k| manifest.get(*k)?.as_table()).collect();
    if let Some(targets) = manifest.get("target").and_then(toml::Value::as_table) {
        for target in targets.values().filter_map(toml::Value::as_table) {
            tables.extend(kinds.iter().filter_map(|k| target.get(*k)?.as_table()));
        }
    }
    tables.into_iter().flat_map(|t| t.keys().cloned()).collect()
}

#[test]
fn libraries_return_typed_errors_not_anyhow() {
    for (name, manifest) in manifests().iter().filter(|(name, _)| LIBRARIES.contains(&name.as_str())) {
        let runtime = manifest.get("dependencies").and_then(toml::Value::as_table);
        assert!(
            !runtime.is_some_and(|d| d.contains_key("anyhow")),
            "{name} is a library: its errors are typed (thiserror); anyhow belongs to programs and tests"
        );
        let mut files = Vec::new();
        files_under(&common::root().join("crates").join(name).join("src"), "rs", &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("source");
            assert!(!text.contains("anyhow::"), "{} uses anyhow", file.display());
        }
    }
}

#[test]
fn the_program_refuses_its_command_lines_with_its_own_usage_error() {
    let mut files = Vec::new();
    files_under(&common::root().join("src"), "rs", &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source");
        // Matching a library's error (`{ name, reason }`) to rename its parameter is fine;
        // building one (`{ name: …`) is not.
        for (at, found) in text.match_indices("Error::InvalidParameter {") {
            // The fields: up to the brace that closes the struct's (a `format!("{x}")` inside
            // opens and closes its own).
            let rest = &text[at + found.len()..];
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let fields = &rest[..end];
            assert!(
                !fields.contains("name:"),
                "{}: a command line refused with a library's error; use UsageError",
                file.display()
            );
        }
    }
}

#[test]
fn only_kd_core_links_libtorch_through_tch() {
    let manifests = manifests();
    assert!(manifests.len() >= 8, "only {} manifests found", manifests.len());
    for (name, manifest) in &manifests {
        if dependencies(manifest).iter().any(|d| d == "tch") {
            assert_eq!(name, "kd-core", "{name} depends on tch; only kd-core may (behind its torch feature)");
        }
    }
}

/// Source and text files of the repository (no build output, no shipped data).
fn repository_files(ext: &[&str]) -> Vec<std::path::PathBuf> {
    fn walk(dir: &Path, ext: &[&str], out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("folder").flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let skipped = ["target", ".git", "__pycache__", ".pytest_cache", "data"];
            if path.is_dir() {
                if !skipped.iter().any(|s| name == *s) {
                    walk(&path, ext, out);
                }
            } else if path.extension().is_some_and(|e| ext.iter().any(|x| e == *x)) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(common::root(), ext, &mut out);
    out
}

#[test]
fn every_source_file_opens_with_its_purpose() {
    let files = repository_files(&["rs"]);
    assert!(files.len() > 300, "only {} source files found", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source");
        assert!(
            text.starts_with("//!"),
            "{} does not open with a `//!` line saying what it is for",
            file.display()
        );
    }
}

#[test]
fn nothing_points_outside_the_repository_or_at_issue_numbers() {
    // Built from pieces so that this file does not match itself.
    let outside = [concat!("..", "/shared"), concat!("/wo", "rk/"), concat!("DEVELOPERS", ".md")];
    let files = repository_files(&["rs", "md", "py", "R", "toml", "sh", "txt", "html"]);
    assert!(files.len() > 300, "only {} files found", files.len());
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        for needle in outside {
            assert!(
                !text.contains(needle),
                "{} names a path outside the repository ({needle})",
                file.display()
            );
        }
        let lower = text.to_lowercase();
        for word in [concat!("issue", " "), concat!("issue", " #"), concat!("issues", " ")] {
            for (at, _) in lower.match_indices(word) {
                let rest = &lower[at + word.len()..];
                assert!(
                    !rest.starts_with(|c: char| c.is_ascii_digit()),
                    "{} cites an issue number: {}",
                    file.display(),
                    &text[at..(at + word.len() + 3).min(text.len())]
                );
            }
        }
    }
}

#[test]
fn crate_docs_name_their_public_modules() {
    for krate in LIBRARIES {
        let lib = std::fs::read_to_string(common::root().join("crates").join(krate).join("src/lib.rs"))
            .expect("lib.rs");
        let doc: String = lib.lines().filter(|l| l.starts_with("//!")).collect::<Vec<_>>().join("\n");
        for line in lib.lines() {
            let Some(module) = line.trim().strip_prefix("pub mod ").and_then(|m| m.strip_suffix(';')) else {
                continue;
            };
            assert!(
                doc.contains(&format!("`{module}`")) || doc.contains(&format!("[`{module}`]")),
                "{krate}'s crate doc does not name its public module `{module}`"
            );
        }
    }
}

#[test]
fn library_crates_are_ready_to_publish() {
    for (name, manifest) in manifests().iter().filter(|(name, _)| LIBRARIES.contains(&name.as_str())) {
        if name == "kd-python" {
            continue; // a Python wheel (maturin), not a crates.io package
        }
        let dir = common::root().join("crates").join(name);
        let package = manifest.get("package").and_then(toml::Value::as_table).expect("[package]");
        for key in ["description", "readme", "keywords", "categories", "documentation"] {
            assert!(package.contains_key(key), "{name}'s manifest lacks `{key}`");
        }
        let repository = package.get("repository").and_then(toml::Value::as_str);
        assert!(
            repository.is_none_or(|r| !r.contains("example.") && !r.contains("invalid")),
            "{name}'s repository is a placeholder"
        );
        for licence in ["LICENSE-MIT", "LICENSE-APACHE"] {
            assert!(dir.join(licence).is_file(), "{name} lacks {licence}");
        }
        if let Some(build) = package.get("build").and_then(toml::Value::as_str) {
            let script = dir.join(build).canonicalize().expect("build script");
            assert!(
                script.starts_with(dir.canonicalize().unwrap()),
                "{name}'s build script is outside its package"
            );
        }
    }
}
