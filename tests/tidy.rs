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

#[test]
fn libraries_have_crate_docs_and_never_print() {
    for krate in ["kd-core", "kd-hypotheses", "kd-students", "kd-extract"] {
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
