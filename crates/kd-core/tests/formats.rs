//! The loader's formats: Parquet, gzip, delimiters and decimal commas, projection, chunks, and
//! their damaged forms; every format typed by the same rule with the same messages.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, BinaryArray, Float64Array, Int32Array, RecordBatch, StringArray};
use kd_core::Error;
use kd_core::data::{ColumnData, ColumnKind, ReadOptions, Table, read_chunks, read_csv};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;

fn options() -> ReadOptions {
    ReadOptions::default()
}

fn write_parquet(path: &Path, columns: Vec<(&str, ArrayRef)>, rows_per_group: usize) {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let props = WriterProperties::builder().set_max_row_group_row_count(Some(rows_per_group)).build();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

fn numbers(table: &Table, name: &str) -> Vec<f64> {
    match &table.column(name).unwrap().data {
        ColumnData::Numeric(v) => v.clone(),
        ColumnData::Categorical { .. } => panic!("{name} is categorical"),
    }
}

fn same(a: &Table, b: &Table) {
    assert_eq!(a.n_rows(), b.n_rows());
    for (x, y) in a.columns().iter().zip(b.columns()) {
        assert_eq!(x.name, y.name);
        match (&x.data, &y.data) {
            (ColumnData::Numeric(p), ColumnData::Numeric(q)) => {
                assert!(p.iter().zip(q).all(|(u, v)| u == v || (u.is_nan() && v.is_nan())), "{}", x.name)
            }
            (p, q) => assert_eq!(p, q, "{}", x.name),
        }
    }
}

fn csv_text(rows: usize) -> String {
    let mut text = String::from("id,score,grade,default\n");
    for i in 0..rows {
        let grade = ["A", "B", "C"][i % 3];
        let score = if i % 97 == 5 { String::new() } else { format!("{}", (i as f64 * 0.37).sin().abs()) };
        text.push_str(&format!("{i},{score},{grade},{}\n", i % 7 == 0));
    }
    text
}

#[test]
fn csv_gzip_and_parquet_read_to_the_same_table() {
    let dir = tempfile::tempdir().unwrap();
    let text = csv_text(5_000);
    let csv = dir.path().join("p.csv");
    std::fs::write(&csv, &text).unwrap();
    let gz = dir.path().join("p.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(text.as_bytes()).unwrap();
    std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
    let from_csv = read_csv(&csv, &options()).unwrap();
    same(&from_csv, &read_csv(&gz, &options()).unwrap());

    let score: Vec<Option<f64>> =
        numbers(&from_csv, "score").iter().map(|&x| (!x.is_nan()).then_some(x)).collect();
    let parquet = dir.path().join("p.parquet");
    let grades: Vec<&str> = (0..5_000).map(|i| ["A", "B", "C"][i % 3]).collect();
    let defaults: Vec<String> = (0..5_000).map(|i| format!("{}", i % 7 == 0)).collect();
    write_parquet(
        &parquet,
        vec![
            ("id", Arc::new(Int32Array::from_iter_values(0..5_000)) as ArrayRef),
            ("score", Arc::new(Float64Array::from(score))),
            ("grade", Arc::new(StringArray::from(grades))),
            ("default", Arc::new(StringArray::from(defaults))),
        ],
        700,
    );
    let from_parquet = read_csv(&parquet, &options()).unwrap();
    same(&from_csv, &from_parquet);
    assert_eq!(from_parquet.line_of(10), 11, "a Parquet row is numbered from 1");
}

#[test]
fn only_the_columns_asked_for_are_read_and_errors_keep_file_positions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.csv");
    std::fs::write(&path, "a,b,c\n1,x,3\n2,y,oops\n").unwrap();
    let table =
        read_csv(&path, &ReadOptions { columns: Some(vec!["a".into(), "b".into()]), ..options() }).unwrap();
    assert_eq!(table.columns().iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(table.column("b").unwrap().position(), 2);
    match read_csv(&path, &ReadOptions { columns: Some(vec!["c".into()]), ..options() }).unwrap_err() {
        Error::InvalidValue { line, column, .. } => assert_eq!((line, column), (3, 3)),
        other => panic!("{other}"),
    }
    let missing = read_csv(&path, &ReadOptions { columns: Some(vec!["z".into()]), ..options() }).unwrap_err();
    assert!(missing.to_string().contains("no column named 'z'") && missing.to_string().contains("a, b, c"));
}

#[test]
fn european_extracts_read_with_a_semicolon_and_decimal_comma() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eu.csv");
    std::fs::write(&path, "pd;rating\n0,015;A\n1,5e-2;B\n;A\n").unwrap();
    let eu = ReadOptions { delimiter: b';', decimal_comma: true, ..options() };
    let table = read_csv(&path, &eu).unwrap();
    let pd = numbers(&table, "pd");
    assert_eq!(&pd[..2], &[0.015, 0.015]);
    assert!(pd[2].is_nan());
    std::fs::write(&path, "pd;rating\n0,015;A\n1.234;B\n").unwrap();
    match read_csv(&path, &eu).unwrap_err() {
        Error::InvalidValue { line, column, reason, .. } => {
            assert_eq!((line, column), (3, 1));
            assert!(reason.contains("'1.234' is not a number"), "{reason}");
        }
        other => panic!("{other}"),
    }
    let both_commas = ReadOptions { decimal_comma: true, ..options() };
    assert!(matches!(read_csv(&path, &both_commas).unwrap_err(), Error::InvalidParameter { .. }));
}

#[test]
fn a_delimiter_that_leaves_one_column_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("semi.csv");
    std::fs::write(&path, "a;b;c\n1;2;3\n").unwrap();
    let error = read_csv(&path, &options()).unwrap_err();
    assert!(
        matches!(error, Error::Format { .. }) && error.to_string().contains("--delimiter ';'"),
        "{error}"
    );
}

#[test]
fn damaged_files_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    // A gzip stream cut short.
    let gz = dir.path().join("cut.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(csv_text(20_000).as_bytes()).unwrap();
    let bytes = encoder.finish().unwrap();
    std::fs::write(&gz, &bytes[..bytes.len() / 2]).unwrap();
    let error = read_csv(&gz, &options()).unwrap_err();
    assert!(
        matches!(error, Error::Io { .. })
            && error.to_string().contains("gzip stream is corrupt or cut short"),
        "{error}"
    );

    // A truncated Parquet file.
    let parquet = dir.path().join("cut.parquet");
    write_parquet(
        &parquet,
        vec![("x", Arc::new(Float64Array::from_iter_values((0..1000).map(f64::from))) as ArrayRef)],
        100,
    );
    let bytes = std::fs::read(&parquet).unwrap();
    std::fs::write(&parquet, &bytes[..bytes.len() - 20]).unwrap();
    let error = read_csv(&parquet, &options()).unwrap_err();
    assert!(matches!(error, Error::Format { .. }) && error.to_string().contains("Parquet"), "{error}");

    // A column of a type kd cannot read.
    let binary = dir.path().join("binary.parquet");
    let blobs: Vec<&[u8]> = vec![b"\x00\x01", b"\x02"];
    write_parquet(
        &binary,
        vec![
            ("x", Arc::new(Float64Array::from(vec![1.0, 2.0])) as ArrayRef),
            ("blob", Arc::new(BinaryArray::from(blobs))),
        ],
        10,
    );
    let error = read_csv(&binary, &options()).unwrap_err();
    assert!(error.to_string().contains("column 'blob'") && error.to_string().contains("Binary"), "{error}");
    assert!(read_csv(&binary, &ReadOptions { columns: Some(vec!["x".into()]), ..options() }).is_ok());
}

#[test]
fn parquet_cells_follow_the_csv_rules_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.parquet");
    write_parquet(&path, vec![("x", Arc::new(Float64Array::from(vec![1.0, f64::NAN, 2.0])) as ArrayRef)], 10);
    let error = read_csv(&path, &options()).unwrap_err();
    assert!(matches!(error, Error::InvalidValue { line: 2, column: 1, .. }), "{error}");
    assert!(error.to_string().contains("row 2") && error.to_string().contains("NaN"), "{error}");
    let text: Vec<Option<&str>> = vec![None, Some("1.5"), Some("2"), Some("x7")];
    write_parquet(&path, vec![("t", Arc::new(StringArray::from(text)) as ArrayRef)], 10);
    let error = read_csv(&path, &options()).unwrap_err();
    assert!(
        error.to_string().contains("row 4") && error.to_string().contains("'x7' is not a number"),
        "{error}"
    );
    let table = read_csv(&path, &ReadOptions { categorical: vec!["t".into()], ..options() }).unwrap();
    assert_eq!(table.column("t").unwrap().levels().unwrap(), ["1.5", "2", "x7"]);
}

#[test]
fn chunks_add_up_to_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    // Big enough for several 32 MiB blocks? No: chunks follow blocks, so use many rows per
    // block and a small chunk size in Parquet, where chunks follow row groups.
    let csv = dir.path().join("c.csv");
    std::fs::write(&csv, csv_text(30_000)).unwrap();
    let whole = read_csv(&csv, &options()).unwrap();
    let parquet = dir.path().join("c.parquet");
    let ids: Vec<i32> = (0..30_000).collect();
    write_parquet(&parquet, vec![("id", Arc::new(Int32Array::from(ids)) as ArrayRef)], 1_000);
    let chunks: Vec<Table> = read_chunks(&parquet, &options(), 5_000).unwrap().map(Result::unwrap).collect();
    assert!(chunks.len() >= 2 && chunks.iter().all(|c| c.n_rows() >= 5_000 || c.n_rows() % 1_000 == 0));
    let ids: Vec<f64> = chunks.iter().flat_map(|c| numbers(c, "id")).collect();
    assert_eq!(ids, numbers(&whole, "id"));
    let first_lines: Vec<u64> = chunks.iter().map(|c| c.line_of(0)).collect();
    assert_eq!(first_lines[0], 1);
    assert!(first_lines.windows(2).all(|w| w[1] > w[0]));
    let kinds: Vec<ColumnKind> = whole.columns().iter().map(|c| c.kind()).collect();
    assert_eq!(
        kinds,
        [ColumnKind::Numeric, ColumnKind::Numeric, ColumnKind::Categorical, ColumnKind::Categorical]
    );
}

#[test]
fn quoted_line_breaks_across_pieces_keep_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("q.csv");
    let mut text = String::from("note,x\n");
    for i in 0..120_000 {
        text.push_str(&format!("\"a, b\nc {i}\",{i}\n"));
    }
    text.push_str("\"last\",oops\n");
    std::fs::write(&path, &text).unwrap();
    match read_csv(&path, &options()).unwrap_err() {
        Error::InvalidValue { line, column, .. } => assert_eq!((line, column), (2 + 2 * 120_000, 2)),
        other => panic!("{other}"),
    }
    let ok = text.replace("oops", "1");
    std::fs::write(&path, ok).unwrap();
    let table = read_csv(&path, &options()).unwrap();
    assert_eq!(table.n_rows(), 120_001);
    assert_eq!(table.line_of(100_000), 2 + 2 * 100_000);
    assert_eq!(table.column("note").unwrap().levels().unwrap().len(), 120_001);
}
