//! The data reader on random input: any bytes (as CSV and as gzip), and CSV-like text built
//! from awkward tokens (quotes, separators, NaN, infinities, NUL bytes, numbers beyond f64,
//! non-ASCII). Each file is either read into a table whose every column has one cell per row,
//! numeric cells finite or missing and category codes within their levels, or refused with an
//! error that names the file; never a panic.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::data::{ColumnData, ReadOptions, read_csv};
use proptest::prelude::*;

/// Reads `bytes` as a file named `name` and checks the outcome.
fn read_checked(bytes: &[u8], name: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    match read_csv(&path, &ReadOptions::default()) {
        Err(error) => {
            let message = error.to_string();
            prop_assert!(message.contains(name), "the error does not name the file: {message}");
        }
        Ok(table) => {
            let n = table.n_rows();
            for column in table.columns() {
                match &column.data {
                    ColumnData::Numeric(cells) => {
                        prop_assert_eq!(cells.len(), n);
                        prop_assert!(cells.iter().all(|v| v.is_finite() || v.is_nan()));
                    }
                    ColumnData::Categorical { levels, codes } => {
                        prop_assert_eq!(codes.len(), n);
                        prop_assert!(codes.iter().flatten().all(|&c| (c as usize) < levels.len()));
                    }
                }
            }
        }
    }
    Ok(())
}

/// A cell of a hostile CSV.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        (-1e6_f64..1e6).prop_map(|v| v.to_string()),
        Just(String::new()),
        Just("NA".to_owned()),
        Just("NaN".to_owned()),
        Just("inf".to_owned()),
        Just("-1e400".to_owned()),
        Just("1e308".to_owned()),
        Just("\"a,b\"".to_owned()),
        Just("\"".to_owned()),
        Just("\"\"\"".to_owned()),
        Just("x\0y".to_owned()),
        Just("é".to_owned()),
        Just(" 1 ".to_owned()),
        Just("1,5".to_owned()),
        Just("\r".to_owned()),
        "[a-z]{1,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_bytes_are_read_or_refused_naming_the_file(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        read_checked(&bytes, "random.csv")?;
        read_checked(&bytes, "random.csv.gz")?;
    }

    #[test]
    fn hostile_csv_text_is_read_or_refused_naming_the_file(
        header in proptest::collection::vec("[a-z]{0,2}", 1..5),
        rows in proptest::collection::vec(proptest::collection::vec(token(), 1..6), 0..25),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = header.join(",") + end;
        for row in &rows {
            text.push_str(&row.join(","));
            text.push_str(end);
        }
        read_checked(text.as_bytes(), "hostile.csv")?;
    }
}
