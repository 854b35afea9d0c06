//! Helpers of the scoring tests (`kd predict`, `kd export`): German credit with a stored
//! teacher column, students fitted on it, and CSV output read back as columns.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use crate::common::{data, kd};

/// German credit with a column `teacher` (a stored score in (0, 1), the same for every run)
/// written into `dir`; the students below are fitted to the true labels, the teacher only
/// answers `kd distill`'s fidelity figures.
pub fn credit_with_teacher(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(data("credit/german_credit.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let extra = if i == 0 {
            "teacher".to_owned()
        } else {
            format!("{}", 0.05 + 0.9 * ((i * 7919) % 1000) as f64 / 1000.0)
        };
        out.push_str(&format!("{line},{extra}\n"));
    }
    let path = dir.join("credit.csv");
    std::fs::write(&path, out).unwrap();
    path
}

/// Fits `student` (with `extra` flags) to the labels of `file`'s `target` and saves it in
/// `dir` under `name`.
pub fn fit(dir: &Path, file: &Path, target: &str, teacher: &str, name: &str, extra: &[&str]) -> PathBuf {
    let model = dir.join(format!("{name}.json"));
    let mut args = vec![
        "distill",
        "--data",
        file.to_str().unwrap(),
        "--target",
        target,
        "--teacher",
        teacher,
        "--labels",
        "--out",
        model.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = kd(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    model
}

/// A CSV document as its header and rows of fields.
pub fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

/// The numbers of column `name`.
pub fn column(header: &[String], rows: &[Vec<String>], name: &str) -> Vec<f64> {
    let j = header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    rows.iter()
        .map(|r| r[j].parse().unwrap_or_else(|_| panic!("{name}: '{}' is not a number", r[j])))
        .collect()
}

/// [`credit_with_teacher`] with holes: the checking-account status (categorical) missing on
/// every 11th data row from the fourth, the duration (numeric) on every 7th from the first.
pub fn credit_with_holes(dir: &Path) -> PathBuf {
    let full = std::fs::read_to_string(credit_with_teacher(dir)).unwrap();
    let mut out = String::new();
    for (i, line) in full.lines().enumerate() {
        let mut fields: Vec<&str> = line.splitn(3, ',').collect();
        if i > 0 && (i - 1) % 11 == 3 {
            fields[0] = "";
        }
        if i > 0 && (i - 1) % 7 == 0 {
            fields[1] = "";
        }
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    let path = dir.join("holes.csv");
    std::fs::write(&path, out).unwrap();
    path
}

/// A copy of the credit file with one cell of its second data row (line 3) replaced.
pub fn with_cell(dir: &Path, file: &Path, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[2] = lines[2].replacen(from, to, 1);
    let path = dir.join(format!("changed_{}.csv", to.len()));
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}
