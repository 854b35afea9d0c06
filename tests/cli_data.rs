//! The data formats through the `kd` binary: Parquet, gzipped and European CSV read to the
//! same report as plain CSV; chunked validation gives the whole file's figures; damaged input
//! exits 2 with a clear message and nothing on stdout.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, BinaryArray, Float64Array, Int64Array, RecordBatch, StringArray};
use common::{assert_exit_2, kd, same_within};

/// A small PD portfolio: PD, 0/1 default, grade.
fn portfolio(n: usize) -> (Vec<f64>, Vec<i64>, Vec<String>) {
    let mut state = 12345u64;
    let mut uniform = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let pd: Vec<f64> = (0..n).map(|_| (uniform() * 0.3 * 1e4).round() / 1e4).collect();
    let default: Vec<i64> = pd.iter().map(|&p| i64::from(uniform() < p)).collect();
    let grade: Vec<String> = pd.iter().map(|&p| format!("G{}", (p * 20.0) as usize)).collect();
    (pd, default, grade)
}

fn write_csv(path: &Path, n: usize, delimiter: char, decimal_comma: bool) {
    let (pd, default, grade) = portfolio(n);
    let mut text = format!("pd{delimiter}default{delimiter}grade\n");
    for i in 0..n {
        let p = format!("{}", pd[i]);
        let p = if decimal_comma { p.replace('.', ",") } else { p };
        text.push_str(&format!("{p}{delimiter}{}{delimiter}{}\n", default[i], grade[i]));
    }
    std::fs::write(path, text).unwrap();
}

fn write_parquet(path: &Path, n: usize, rows_per_group: usize) {
    let (pd, default, grade) = portfolio(n);
    let batch = RecordBatch::try_from_iter([
        ("pd", Arc::new(Float64Array::from(pd)) as ArrayRef),
        ("default", Arc::new(Int64Array::from(default))),
        ("grade", Arc::new(StringArray::from(grade))),
    ])
    .unwrap();
    write_batch(path, &batch, rows_per_group);
}

fn validate(file: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["validate", "--data", file.to_str().unwrap()];
    args.extend(common::PD_COLUMNS);
    args.extend(["--format", "json"]);
    args.extend(extra);
    let out = kd(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The report without the file name.
fn figures(mut report: serde_json::Value) -> serde_json::Value {
    report["file"] = serde_json::Value::Null;
    report
}

#[test]
fn every_format_gives_the_same_validation() {
    let dir = tempfile::tempdir().unwrap();
    let n = 30_000;
    let csv = dir.path().join("p.csv");
    write_csv(&csv, n, ',', false);
    let reference = figures(validate(&csv, &[]));
    let eu = dir.path().join("eu.csv");
    write_csv(&eu, n, ';', true);
    assert_eq!(figures(validate(&eu, &["--delimiter", ";", "--decimal-comma"])), reference);
    let gz = dir.path().join("p.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(&std::fs::read(&csv).unwrap()).unwrap();
    std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
    assert_eq!(figures(validate(&gz, &[])), reference);
    let parquet = dir.path().join("p.parquet");
    write_parquet(&parquet, n, 4_000);
    assert_eq!(figures(validate(&parquet, &[])), reference);

    // Chunk by chunk, from summaries: the same counts, and every figure within 1e-12.
    let chunked = figures(validate(&parquet, &["--chunk-rows", "5000"]));
    same_within(&chunked, &reference, 1e-12, 1e-300, "report");
    // Against a baseline: the PSI's bins and the grades' shares, from rows and from summaries.
    let base = dir.path().join("base.csv");
    write_csv(&base, n / 2, ',', false);
    let baseline = ["--baseline", base.to_str().unwrap()];
    let rows = validate(&parquet, &baseline);
    let chunked = validate(&parquet, &[&baseline[..], &["--chunk-rows", "5000"]].concat());
    for figure in ["psi", "grades"] {
        same_within(&chunked["stability"][figure], &rows["stability"][figure], 1e-12, 1e-300, figure);
    }
    assert!(
        rows["stability"]["psi"]["bins"].as_array().is_some_and(|b| b.len() >= 5),
        "{}",
        rows["stability"]
    );
    assert!(rows["stability"]["grades"]["shares"].as_array().is_some_and(|s| !s.is_empty()));
    let described = kd(&["describe", "--data", parquet.to_str().unwrap(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&described.stdout).unwrap();
    assert_eq!(
        (doc["n_rows"].as_u64(), doc["columns"][2]["kind"].as_str()),
        (Some(n as u64), Some("categorical"))
    );
}

/// The same JSON document, numbers within 1e-12 relative.
/// Writes `batch` to `path` as Parquet in row groups of `rows_per_group`.
fn write_batch(path: &Path, batch: &RecordBatch, rows_per_group: usize) {
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(rows_per_group))
        .build();
    let mut writer = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(path).unwrap(),
        batch.schema(),
        Some(props),
    )
    .unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
}

/// A portfolio with two more columns for the CSI, in Parquet row groups of `rows_per_group`:
/// `income` (continuous), `region` (text), the region missing in the first `blank` rows, and
/// `id`.
fn write_parquet_with_features(path: &Path, n: usize, rows_per_group: usize, shift: f64, blank: usize) {
    let (pd, default, grade) = portfolio(n);
    let income: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1000) as f64 * (1.0 + shift) + 0.5).collect();
    let regions = ["north", "south", "east", "west"];
    // With a shift, every fifth row moves north.
    let level = |i: usize| if shift > 0.0 && i.is_multiple_of(5) { 0 } else { i % 4 };
    let region: Vec<Option<&str>> = (0..n).map(|i| (i >= blank).then(|| regions[level(i)])).collect();
    let batch = RecordBatch::try_from_iter([
        ("pd", Arc::new(Float64Array::from(pd)) as ArrayRef),
        ("default", Arc::new(Int64Array::from(default))),
        ("grade", Arc::new(StringArray::from(grade))),
        ("income", Arc::new(Float64Array::from(income))),
        ("region", Arc::new(StringArray::from(region))),
        ("id", Arc::new(Int64Array::from((0..n as i64).collect::<Vec<_>>()))),
    ])
    .unwrap();
    write_batch(path, &batch, rows_per_group);
}

#[test]
fn the_csi_over_many_chunks_equals_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (data, base) = (dir.path().join("current.parquet"), dir.path().join("baseline.parquet"));
    // The current file's region is missing in its first two row groups, which read it as numbers.
    write_parquet_with_features(&data, 20_000, 3_000, 0.2, 6_500);
    write_parquet_with_features(&base, 16_000, 2_500, 0.0, 0);
    let baseline = ["--baseline", base.to_str().unwrap()];
    let rows = validate(&data, &baseline);
    let chunked = validate(&data, &[&baseline[..], &["--chunk-rows", "3000"]].concat());
    same_within(&chunked["stability"]["csi"], &rows["stability"]["csi"], 1e-12, 1e-300, "csi");
    let csi = &rows["stability"]["csi"]["columns"];
    assert!(csi["income"]["value"].as_f64().is_some_and(|v| v > 0.1), "{csi}");
    assert!(csi["region"]["value"].as_f64().is_some_and(|v| v > 0.0), "{csi}");
    // `--id` names a column of identifiers, left out of the CSI in chunks as in rows.
    assert!(csi.get("id").is_some(), "{csi}");
    let id = [&baseline[..], &["--id", "id"]].concat();
    let rows = validate(&data, &id);
    let chunked = validate(&data, &[&id[..], &["--chunk-rows", "3000"]].concat());
    same_within(&chunked["stability"]["csi"], &rows["stability"]["csi"], 1e-12, 1e-300, "csi with --id");
    assert!(rows["stability"]["csi"]["columns"].get("id").is_none());
}

#[test]
fn chunked_validation_refuses_what_needs_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    write_csv(&csv, 100, ',', false);
    let args = [
        "validate",
        "--data",
        csv.to_str().unwrap(),
        "--score",
        "pd",
        "--outcome",
        "default",
        "--chunk-rows",
        "10",
        "--curves",
    ];
    assert_exit_2(&kd(&args), &["--curves needs every row"]);
}

#[test]
fn damaged_input_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let describe = |path: &Path| kd(&["describe", "--data", path.to_str().unwrap()]);

    let parquet = dir.path().join("cut.parquet");
    write_parquet(&parquet, 5_000, 1_000);
    let bytes = std::fs::read(&parquet).unwrap();
    std::fs::write(&parquet, &bytes[..bytes.len() * 2 / 3]).unwrap();
    assert_exit_2(&describe(&parquet), &["cut.parquet", "not a readable Parquet file"]);

    let gz = dir.path().join("cut.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let csv = dir.path().join("p.csv");
    write_csv(&csv, 50_000, ',', false);
    encoder.write_all(&std::fs::read(&csv).unwrap()).unwrap();
    let bytes = encoder.finish().unwrap();
    std::fs::write(&gz, &bytes[..bytes.len() / 2]).unwrap();
    assert_exit_2(&describe(&gz), &["cut.csv.gz", "gzip stream is corrupt or cut short"]);

    let wrong = dir.path().join("wrong.parquet");
    let batch = RecordBatch::try_from_iter([
        ("pd", Arc::new(Float64Array::from(vec![0.1, 0.2])) as ArrayRef),
        ("default", Arc::new(BinaryArray::from(vec![&b"\x01"[..], b"\x00"]))),
    ])
    .unwrap();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(std::fs::File::create(&wrong).unwrap(), batch.schema(), None)
            .unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let args = ["validate", "--data", wrong.to_str().unwrap(), "--score", "pd", "--outcome", "default"];
    assert_exit_2(&kd(&args), &["column 'default'", "Binary", "neither as numbers nor as text"]);

    let semicolons = dir.path().join("semi.csv");
    write_csv(&semicolons, 10, ';', false);
    assert_exit_2(&describe(&semicolons), &["semi.csv", "one column", "--delimiter ';'"]);
}
