//! The loader's behaviour on good files and every error path.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use std::path::PathBuf;

use kd_core::Error;
use kd_core::data::{
    ColumnKind, Dataset, DatasetSpec, FeatureRows, FeatureSelection, MissingPolicy, ReadOptions, Target,
    TaskHint, class_index, read_csv,
};

fn write(contents: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("data.csv");
    std::fs::write(&path, contents).expect("write test file");
    (dir, path)
}

fn read(contents: &str) -> kd_core::Result<kd_core::data::Table> {
    let (_dir, path) = write(contents);
    read_csv(&path, &ReadOptions::default())
}

fn spec(target: &str) -> DatasetSpec {
    DatasetSpec { target: target.into(), ..Default::default() }
}

#[test]
fn types_levels_and_ranges_are_read() -> anyhow::Result<()> {
    let table = read("x,colour,y\n1.5,red,0\n-2,blue,1\n0.5,red,1\n")?;
    assert_eq!(table.n_rows(), 3);
    let kinds: Vec<_> = table.columns().iter().map(|c| c.kind()).collect();
    assert_eq!(kinds, [ColumnKind::Numeric, ColumnKind::Categorical, ColumnKind::Numeric]);
    assert_eq!(table.column("colour")?.levels(), Some(&["blue".to_string(), "red".to_string()][..]));
    assert_eq!(table.column("x")?.range(), Some((-2.0, 1.5)));
    Ok(())
}

#[test]
fn numeric_levels_of_a_forced_categorical_sort_numerically() -> anyhow::Result<()> {
    let (_dir, path) = write("grade,y\n10,0\n9,1\n100,1\n");
    let table = read_csv(&path, &ReadOptions { categorical: vec!["grade".into()], ..Default::default() })?;
    assert_eq!(table.column("grade")?.levels(), Some(&["9".to_string(), "10".into(), "100".into()][..]));
    Ok(())
}

fn assert_invalid_value(error: Error, line: u64, column: usize, words: &str) {
    match &error {
        Error::InvalidValue { line: l, column: c, reason, .. } => {
            assert_eq!((*l, *c), (line, column), "{error}");
            assert!(reason.contains(words), "{error}");
        }
        other => panic!("expected an invalid value, got {other}"),
    }
    assert!(error.to_string().contains("data.csv"), "the message names the file: {error}");
}

#[test]
fn a_class_label_is_found_as_written_or_by_its_numeric_value() {
    let labels: Vec<String> = ["0", "1", "2.5", "yes"].map(String::from).to_vec();
    assert_eq!(class_index(&labels, "1"), Some(1));
    assert_eq!(class_index(&labels, "1.0"), Some(1));
    assert_eq!(class_index(&labels, "2.50"), Some(2));
    assert_eq!(class_index(&labels, "yes"), Some(3));
    for absent in ["Yes", "3", "nan", ""] {
        assert_eq!(class_index(&labels, absent), None, "{absent}");
    }
    // Labels of text with the same value: only the one written as given is found.
    let text: Vec<String> = ["01", "1", "1.0"].map(String::from).to_vec();
    assert_eq!(class_index(&text, "1"), Some(1));
    assert_eq!(class_index(&text, "01"), Some(0));
    assert_eq!(class_index(&text, "1.00"), None, "three labels of value 1");
}

#[test]
fn an_unparsable_number_names_line_and_column() {
    let error = read("a,b\n1,2\n3,x7\n").expect_err("x7 is not a number");
    assert_invalid_value(error, 3, 2, "'x7' is not a number");
}

#[test]
fn windows_line_endings_give_the_same_line_numbers() -> anyhow::Result<()> {
    let error = read("a,b\r\n1,2\r\n3,x7\r\n").expect_err("x7 is not a number");
    assert_invalid_value(error, 3, 2, "'x7' is not a number");
    let (_dir, path) = write("a,b\r\n1,2\r\n3,4\r\n");
    let table = read_csv(&path, &ReadOptions::default())?;
    assert_eq!((table.line_of(0), table.line_of(1)), (2, 3));
    Ok(())
}

#[test]
fn a_gzipped_file_reads_as_its_contents_with_the_same_line_numbers() -> anyhow::Result<()> {
    use std::io::Write as _;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("data.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(b"a,b\n1,2\n3,x7\n")?;
    std::fs::write(&path, encoder.finish()?)?;
    let error = read_csv(&path, &ReadOptions::default()).expect_err("x7 is not a number");
    assert_invalid_value(error, 3, 2, "'x7' is not a number");
    std::fs::write(&path, b"not gzip")?;
    let error = read_csv(&path, &ReadOptions::default()).expect_err("not gzip");
    assert!(matches!(error, Error::Io { .. }), "{error}");
    Ok(())
}

#[test]
fn nan_and_infinity_are_refused() {
    assert_invalid_value(read("a,b\n1,2\n3,NaN\n").expect_err("NaN"), 3, 2, "NaN");
    assert_invalid_value(read("a,b\n1,inf\n3,4\n").expect_err("inf"), 2, 2, "infinity");
}

#[test]
fn a_ragged_row_names_its_line() {
    match read("a,b\n1,2\n3\n4,5\n").expect_err("ragged") {
        Error::RaggedRow { line, expected, found, .. } => assert_eq!((line, expected, found), (3, 2, 1)),
        other => panic!("expected a ragged row, got {other}"),
    }
}

#[test]
fn empty_files_and_header_only_files_are_refused() {
    assert!(matches!(read("").expect_err("empty"), Error::EmptyFile { what: "the file is empty", .. }));
    assert!(matches!(read("a,b\n").expect_err("header only"), Error::EmptyFile { .. }));
}

#[test]
fn a_repeated_header_is_refused() {
    assert!(matches!(
        read("a,b,a\n1,2,3\n").expect_err("dup"),
        Error::DuplicateColumn { first: 1, second: 3, .. }
    ));
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let error =
        read_csv(std::path::Path::new("/no/such/file.csv"), &ReadOptions::default()).expect_err("no file");
    assert!(matches!(error, Error::Io { .. }) && error.to_string().contains("/no/such/file.csv"));
}

#[test]
fn a_missing_target_column_lists_the_columns() -> anyhow::Result<()> {
    let table = read("a,b\n1,2\n3,4\n")?;
    let error = Dataset::from_table(&table, &spec("y")).expect_err("no y");
    assert!(
        error.to_string().contains("no column named 'y'") && error.to_string().contains("a, b"),
        "{error}"
    );
    Ok(())
}

#[test]
fn a_single_class_target_is_refused() -> anyhow::Result<()> {
    let table = read("a,y\n1,good\n2,good\n")?;
    assert!(matches!(
        Dataset::from_table(&table, &spec("y")).expect_err("one class"),
        Error::SingleClass { .. }
    ));
    Ok(())
}

#[test]
fn class_labels_beyond_two_to_the_53_are_refused_not_merged() -> anyhow::Result<()> {
    // 9007199254740993 reads as 9007199254740992: the two labels would be one class.
    let table = read("a,y\n1,9007199254740992\n2,9007199254740993\n3,7\n")?;
    let error = Dataset::from_table(&table, &spec("y")).expect_err("labels beyond 2^53");
    assert_invalid_value(error, 2, 2, "beyond 2^53");
    let values = Dataset::from_table(&table, &DatasetSpec { task: TaskHint::Regression, ..spec("y") })?;
    assert_eq!(values.n_rows(), 3, "as values they are only rounded, as any float");
    Ok(())
}

#[test]
fn missing_values_are_an_error_by_default_and_dropped_on_request() -> anyhow::Result<()> {
    let table = read("a,b,y\n1,,0\n2,3,1\n4,NA,0\n5,6,0\n")?;
    assert_invalid_value(
        Dataset::from_table(&table, &spec("y")).expect_err("missing"),
        2,
        2,
        "missing value",
    );
    let data = Dataset::from_table(&table, &DatasetSpec { missing: MissingPolicy::Drop, ..spec("y") })?;
    assert_eq!((data.n_rows(), data.dropped_rows()), (2, 2));
    assert_eq!(data.lines(), &[3, 5]);
    // A missing value in a column that is not used does not matter.
    let only_a = DatasetSpec { features: FeatureSelection::Named(vec!["a".into()]), ..spec("y") };
    assert_eq!(Dataset::from_table(&table, &only_a)?.n_rows(), 4);
    Ok(())
}

#[test]
fn too_few_rows_names_the_method() -> anyhow::Result<()> {
    let data = Dataset::from_table(&read("a,y\n1,0\n2,1\n")?, &spec("y"))?;
    let error = data.require_rows(10, "Hosmer-Lemeshow").expect_err("too few");
    assert!(error.to_string().contains("Hosmer-Lemeshow needs at least 10 rows, got 2"), "{error}");
    Ok(())
}

#[test]
fn targets_become_classes_or_values() -> anyhow::Result<()> {
    let table = read("a,cls,grade,amount\n1,bad,1,10.5\n2,good,2,3\n3,good,2,4\n")?;
    let classes = Dataset::from_table(&table, &spec("cls"))?;
    assert_eq!(
        classes.target(),
        &Target::Classes { labels: vec!["bad".into(), "good".into()], y: vec![0, 1, 1] }
    );
    assert_eq!(classes.features().len(), 3);
    let integers = Dataset::from_table(&table, &spec("grade"))?;
    assert_eq!(integers.task(), kd_core::Task::Binary);
    let values = Dataset::from_table(&table, &spec("amount"))?;
    assert_eq!(values.task(), kd_core::Task::Regression);
    let forced = Dataset::from_table(&table, &DatasetSpec { task: TaskHint::Regression, ..spec("grade") })?;
    assert_eq!(forced.task(), kd_core::Task::Regression);
    let refused = Dataset::from_table(&table, &DatasetSpec { task: TaskHint::Regression, ..spec("cls") });
    assert!(matches!(refused, Err(Error::InvalidParameter { .. })));
    Ok(())
}

#[test]
fn features_are_chosen_by_name_or_as_all_others() -> anyhow::Result<()> {
    let table = read("a,b,score,y\n1,2,0.5,0\n3,4,0.7,1\n")?;
    let named = Dataset::from_table(
        &table,
        &DatasetSpec { features: FeatureSelection::Named(vec!["b".into()]), ..spec("y") },
    )?;
    assert_eq!(named.x().column(0).to_vec(), vec![2.0, 4.0]);
    let others = Dataset::from_table(&table, &DatasetSpec { exclude: vec!["score".into()], ..spec("y") })?;
    let names: Vec<_> = others.features().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    let both = Dataset::from_table(
        &table,
        &DatasetSpec { features: FeatureSelection::Named(vec!["y".into()]), ..spec("y") },
    );
    assert!(matches!(both, Err(Error::InvalidParameter { .. })));
    // A teacher's output column named as a feature would let the student copy the teacher.
    let leak = Dataset::from_table(
        &table,
        &DatasetSpec {
            features: FeatureSelection::Named(vec!["a".into(), "score".into()]),
            exclude: vec!["score".into()],
            ..spec("y")
        },
    );
    assert!(matches!(&leak, Err(Error::InvalidParameter { name, .. }) if name == "features"), "{leak:?}");
    Ok(())
}

#[test]
fn every_shipped_data_file_loads() -> anyhow::Result<()> {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for file in [
        "credit/german_credit.csv",
        "sklearn/breast_cancer.csv",
        "sklearn/diabetes.csv",
        "sklearn/digits.csv",
        "sklearn/iris.csv",
        "sklearn/wine.csv",
        "statsmodels/engel.csv",
        "statsmodels/grunfeld.csv",
        "statsmodels/longley.csv",
        "statsmodels/macrodata.csv",
        "statsmodels/randhie.csv",
        "statsmodels/stackloss.csv",
        "statsmodels/statecrime.csv",
        "credit/taiwan_default.csv.gz",
    ] {
        let table = read_csv(&data.join(file), &ReadOptions::default())?;
        assert!(table.n_rows() >= 16, "{file}");
    }
    Ok(())
}

#[test]
fn a_test_file_is_recoded_with_the_training_files_levels() -> anyhow::Result<()> {
    let (_a, train_path) = write("colour,x,y\nblue,1,no\nred,2,yes\ngreen,3,no\n");
    let (_b, test_path) = write("colour,x,y\nred,5,yes\nred,6,yes\n");
    let train = Dataset::from_table(&read_csv(&train_path, &ReadOptions::default())?, &spec("y"))?;
    let hint = DatasetSpec { task: TaskHint::Classification, ..spec("y") };
    let test = Dataset::from_table(&read_csv(&test_path, &ReadOptions::default()).unwrap(), &hint);
    // On its own the test file has one class, so it is refused as a data set of its own...
    assert!(matches!(test, Err(Error::SingleClass { .. })));
    // ...but with both classes it is recoded to the training codes: on its own it would code
    // green 0 and red 1; in training they are 1 and 2 (blue being 0).
    let (_c, test_path) = write("colour,x,y\nred,5,yes\ngreen,6,no\n");
    let test =
        Dataset::from_table(&read_csv(&test_path, &ReadOptions::default())?, &hint)?.aligned_to(&train)?;
    assert_eq!(test.x().column(0).to_vec(), vec![2.0, 1.0]);
    assert_eq!(test.classes(), Some(&[1, 0][..]));
    let (_d, other) = write("colour,x,y\nred,5,maybe\ngreen,6,no\n");
    let error = Dataset::from_table(&read_csv(&other, &ReadOptions::default())?, &hint)?
        .aligned_to(&train)
        .unwrap_err();
    assert!(error.to_string().contains("line 2, 'y': class 'maybe' does not occur"), "{error}");
    Ok(())
}

/// Known outcomes: the indices of the rows that have one, and their target.
type Known = Option<(Vec<usize>, Target)>;

/// The rows of a later file holding `contents`, coded as `train`'s features (missing values
/// refused), and the outcomes it has.
fn later_file(contents: &str, train: &Dataset) -> kd_core::Result<(FeatureRows, Known)> {
    let (_dir, path) = write(contents);
    let table = read_csv(&path, &ReadOptions::default())?;
    let rows = FeatureRows::like(&table, train, MissingPolicy::Error, "current file")?;
    let outcomes = rows.outcomes_like(&table, train, "current file")?;
    Ok((rows, outcomes))
}

#[test]
fn rows_without_a_target_are_coded_as_the_training_files_features() -> anyhow::Result<()> {
    let (_a, train_path) = write("colour,x,y\nblue,1,no\nred,2,yes\ngreen,3,no\n");
    let train = Dataset::from_table(&read_csv(&train_path, &ReadOptions::default())?, &spec("y"))?;
    // No target column, the columns in another order, an extra column, a row with a hole.
    let (_b, later) = write("id,x,colour\n7,5,red\n8,,green\n9,6,green\n");
    let table = read_csv(&later, &ReadOptions::default())?;
    let rows = FeatureRows::like(&table, &train, MissingPolicy::Drop, "current file")?;
    assert_eq!(rows.x().column(0).to_vec(), vec![2.0, 1.0], "red and green as training codes them");
    assert_eq!(rows.x().column(1).to_vec(), vec![5.0, 6.0]);
    assert_eq!((rows.source_rows(), rows.lines(), rows.dropped_rows()), (&[0, 2][..], &[2, 4][..], 1));
    let refused =
        FeatureRows::like(&table, &train, MissingPolicy::Error, "current file").unwrap_err().to_string();
    assert!(refused.contains("line 3") && refused.contains("'x'"), "{refused}");
    let error = later_file("x,colour\n5,purple\n", &train).unwrap_err().to_string();
    assert!(error.contains("line 2, 'colour': level 'purple' does not occur"), "{error}");
    let error = later_file("colour\nred\n", &train).unwrap_err().to_string();
    assert!(error.contains("'x'"), "{error}");
    assert!(
        FeatureRows::like(&table, &train, MissingPolicy::Drop, "current file")?
            .outcomes_like(&table, &train, "current file")?
            .is_none(),
        "no target column"
    );
    Ok(())
}

#[test]
fn rows_with_a_level_the_training_file_lacks_are_set_aside_and_counted() -> anyhow::Result<()> {
    let (_a, train_path) = write("colour,shape,x,y\nblue,round,1,no\nred,square,2,yes\ngreen,round,3,no\n");
    let train = Dataset::from_table(&read_csv(&train_path, &ReadOptions::default())?, &spec("y"))?;
    // Line 3: a purple; line 4: a hole (dropped, not set aside); line 5: purple and oval; line 6:
    // a second oval.
    let (_b, later) =
        write("colour,shape,x\nred,round,5\npurple,round,6\n,round,7\npurple,oval,8\ngreen,oval,9\n");
    let table = read_csv(&later, &ReadOptions::default())?;
    let (rows, set_aside) =
        FeatureRows::like_setting_aside(&table, &train, MissingPolicy::Drop, "current file")?;
    assert_eq!((rows.lines(), rows.dropped_rows()), (&[2][..], 1), "one row coded, one dropped for its hole");
    assert_eq!(rows.x().row(0).to_vec(), vec![2.0, 0.0, 5.0], "red and round as training codes them");
    let levels: Vec<(&str, &str, usize, u64)> = set_aside
        .levels
        .iter()
        .map(|l| (l.feature.as_str(), l.level.as_str(), l.rows, l.first_line))
        .collect();
    assert_eq!(set_aside.rows, 3, "a row with two unseen levels is one row");
    assert_eq!(
        levels,
        [("colour", "purple", 2, 3), ("shape", "oval", 2, 5)],
        "feature order, counts, first line"
    );
    // Nothing unseen: nothing set aside, and the rows are those of the strict reading.
    let (_c, known) = write("colour,shape,x\nred,round,5\n");
    let table = read_csv(&known, &ReadOptions::default())?;
    let (rows, set_aside) =
        FeatureRows::like_setting_aside(&table, &train, MissingPolicy::Error, "current file")?;
    assert_eq!((rows.n_rows(), set_aside), (1, kd_core::data::SetAside::default()));
    // Every row set aside: refused, naming the unseen level met first in the file.
    let (_d, none) = write("colour,shape,x\nred,oval,5\npurple,round,6\n");
    let table = read_csv(&none, &ReadOptions::default())?;
    let error = FeatureRows::like_setting_aside(&table, &train, MissingPolicy::Error, "current file")
        .unwrap_err()
        .to_string();
    assert!(error.contains("every row kept") && error.contains("line 2, 'shape': level 'oval'"), "{error}");
    // A feature numeric in one file and categorical in the other is still refused.
    let (_e, mixed) = write("colour,shape,x\nred,round,high\n");
    let table = read_csv(&mixed, &ReadOptions::default())?;
    assert!(FeatureRows::like_setting_aside(&table, &train, MissingPolicy::Error, "current file").is_err());
    Ok(())
}

#[test]
fn the_outcomes_a_later_file_has_are_coded_as_the_training_files_target() -> anyhow::Result<()> {
    let (_a, train_path) = write("x,y\n1,no\n2,yes\n3,no\n");
    let train = Dataset::from_table(&read_csv(&train_path, &ReadOptions::default())?, &spec("y"))?;
    // Outcomes known for two of three rows, one class only among them.
    let (rows, outcomes) = later_file("x,y\n5,yes\n6,\n7,yes\n", &train)?;
    assert_eq!(rows.n_rows(), 3, "a missing outcome does not drop the row");
    let (known, target) = outcomes.expect("two outcomes");
    assert_eq!(known, vec![0, 2]);
    assert_eq!(target, Target::Classes { labels: vec!["no".into(), "yes".into()], y: vec![1, 1] });
    assert!(later_file("x,y\n5,\n6,\n", &train)?.1.is_none(), "an empty target column");
    let error = later_file("x,y\n5,maybe\n", &train).unwrap_err().to_string();
    assert!(
        error.contains("current file") && error.contains("line 2, 'y': class 'maybe' does not occur"),
        "{error}"
    );
    // Numbers as labels: 0/1 outcomes read as the training file's classes "0" and "1".
    let (_e, numeric_train) = write("x,y\n1,0\n2,1\n");
    let numeric = Dataset::from_table(&read_csv(&numeric_train, &ReadOptions::default())?, &spec("y"))?;
    let (_, target) = later_file("x,y\n5,1\n6,0\n", &numeric)?.1.expect("outcomes");
    assert_eq!(target, Target::Classes { labels: vec!["0".into(), "1".into()], y: vec![1, 0] });
    Ok(())
}
