//! The regression's design from a data set: treatment coding of categorical features (the
//! goldens `categorical` and `grunfeld` check the fit on it against statsmodels/patsy; these
//! check the coding's edge cases).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use std::path::Path;

use kd_core::data::{Dataset, DatasetSpec, MissingPolicy, ReadOptions, TaskHint, table_from_cells};
use kd_hypotheses::regression::{Design, MAX_LEVELS, Ols, gvif, vif, white};

/// A data set with a numeric feature `x`, a categorical `g` with the cells given, and `y`.
fn data(g: &[&str], missing: MissingPolicy) -> Dataset {
    let n = g.len();
    let names = ["x", "g", "y"].map(str::to_owned).to_vec();
    let x: Vec<String> = (0..n).map(|i| format!("{}", (i * 7 % 11) as f64 / 3.0)).collect();
    let y: Vec<String> = (0..n).map(|i| format!("{}", (i * 5 % 13) as f64)).collect();
    let cells = vec![x, g.iter().map(|c| (*c).to_owned()).collect(), y];
    let lines = (2..2 + n as u64).collect();
    let table = table_from_cells(Path::new("frame"), names, cells, lines, &ReadOptions::default()).unwrap();
    let spec = DatasetSpec { target: "y".into(), task: TaskHint::Regression, missing, ..Default::default() };
    Dataset::from_table(&table, &spec).unwrap()
}

#[test]
fn each_level_but_the_first_gets_a_0_1_column_named_as_patsy_names_it() {
    let data = data(&["b", "c", "a", "b", "c", "a", "a"], MissingPolicy::Error);
    let design = Design::of(&data).unwrap();
    assert_eq!(design.names(), ["x", "g[T.b]", "g[T.c]"]);
    assert_eq!(design.categorical().len(), 1);
    assert_eq!(design.categorical()[0].reference, "a");
    assert_eq!(design.x().column(1).to_vec(), [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
    assert_eq!(design.x().column(2).to_vec(), [0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
}

#[test]
fn a_level_the_rows_do_not_hold_gets_no_column_and_the_reference_is_the_first_held() {
    // The table's levels are a, b, c, d; the rows kept hold b, c, d only.
    let all = data(&["a", "b", "c", "a", "b", "c", "d", "b", "c", "d"], MissingPolicy::Error);
    let kept = all.select(&[1, 2, 4, 5, 6, 7, 8, 9]);
    let design = Design::of(&kept).unwrap();
    assert_eq!(design.names(), ["x", "g[T.c]", "g[T.d]"]);
    assert_eq!(design.categorical()[0].reference, "b");
    let constant = data(&["k"; 6], MissingPolicy::Error);
    let one_level = Design::of(&constant).unwrap();
    assert_eq!(one_level.names(), ["x"], "a single level is all reference");
    assert!(one_level.categorical()[0].columns.is_empty());
}

#[test]
fn the_fit_on_the_coding_has_the_intercept_absorb_the_reference() {
    let data = data(&["b", "c", "a", "b", "c", "a", "a", "c", "b", "a"], MissingPolicy::Error);
    let ols = Ols::fit_dataset(&data).unwrap();
    assert_eq!(ols.names, ["const", "x", "g[T.b]", "g[T.c]"]);
    assert_eq!(ols.categorical()[0].columns, ["g[T.b]", "g[T.c]"]);
}

#[test]
fn the_generalised_vif_does_not_depend_on_the_reference_level() {
    // Four levels, relabelled so that another one sorts first and becomes the reference: the
    // columns change, their GVIF does not (Fox & Monette's invariance).
    let codes: Vec<usize> = (0..40).map(|i| (i * 3 + i / 7) % 4).collect();
    let gvif_with = |labels: [&str; 4]| {
        let cells: Vec<&str> = codes.iter().map(|&c| labels[c]).collect();
        let ols = Ols::fit_dataset(&data(&cells, MissingPolicy::Error)).unwrap();
        let g = gvif(&ols).unwrap();
        (g[0].gvif, g[0].df)
    };
    // The reference 'a' is the rows of code 0, then those of code 3.
    let (base, df) = gvif_with(["a", "b", "c", "d"]);
    let (relabelled, _) = gvif_with(["d", "c", "b", "a"]);
    assert_eq!(df, 3);
    assert!(base > 1.0 && (base - relabelled).abs() < 1e-10 * base, "{base} vs {relabelled}");
    // Two levels: one column, whose GVIF is its VIF.
    let cells: Vec<&str> = codes.iter().map(|&c| if c < 2 { "lo" } else { "hi" }).collect();
    let ols = Ols::fit_dataset(&data(&cells, MissingPolicy::Error)).unwrap();
    let (g, v) = (gvif(&ols).unwrap(), vif(&ols).unwrap());
    assert!((g[0].gvif - v[1]).abs() < 1e-10 * v[1] && (g[0].scaled - v[1].sqrt()).abs() < 1e-10);
}

#[test]
fn too_many_levels_are_refused_by_name() {
    let labels: Vec<String> = (0..=MAX_LEVELS).map(|i| format!("id{i}")).collect();
    let cells: Vec<&str> = labels.iter().chain(labels.iter()).map(String::as_str).collect();
    let identifiers = data(&cells, MissingPolicy::Error);
    let error = Design::of(&identifiers).unwrap_err().to_string();
    assert!(error.contains("'g' is categorical with 101 levels"), "{error}");
    assert!(error.contains("at most 100"), "{error}");
}

/// White's test on the coding of `g` (`levels[(i * 7 + i / 5) % k]`, `n` rows) against White's
/// test on the same columns given as numbers, where every product is formed: the same
/// statistic and rank.
fn white_with_and_without_the_record(n: usize, levels: &[&str]) {
    let g: Vec<&str> = (0..n).map(|i| levels[(i * 7 + i / 5) % levels.len()]).collect();
    let coded = data(&g, MissingPolicy::Error);
    let design = Design::of(&coded).unwrap();
    let kd_core::data::Target::Values(y) = coded.target() else { panic!("a numeric target") };
    let pruned = white(&Ols::fit_design(&design, y.view()).unwrap()).unwrap();
    let whole = white(&Ols::fit(design.x(), y.view(), design.names()).unwrap()).unwrap();
    assert_eq!(pruned.df, whole.df);
    assert!((pruned.statistic - whole.statistic).abs() <= 1e-8 * whole.statistic, "{pruned:?} vs {whole:?}");
}

#[test]
fn whites_test_on_the_coding_equals_whites_test_on_the_same_columns_given_as_numbers() {
    // White's test leaves out the products the coding makes zero or duplicate; the fit on the
    // same columns without the coding's record forms them all. 300 rows take the QR; 40,000
    // the normal equations of the standardised products where the pruned design is well
    // conditioned (the whole one, with its duplicates, falls back to the QR).
    white_with_and_without_the_record(300, &["a", "b", "c", "d", "e", "f"]);
    white_with_and_without_the_record(40_000, &["a", "b", "c", "d"]);
}

#[test]
fn a_missing_level_and_a_name_taken_twice_are_refused() {
    let holes = data(&["a", "b", "", "a", "b", "a"], MissingPolicy::Bin);
    let error = Design::of(&holes).unwrap_err().to_string();
    assert!(error.contains("g, row 2") && error.contains("missing level"), "{error}");
    let one_level = data(&["a", "a", "", "a", "a", "a"], MissingPolicy::Bin);
    assert!(Design::of(&one_level).is_err(), "a hole is refused even where the feature gets no column");
    let names = ["g[T.b]", "g", "y"].map(str::to_owned).to_vec();
    let cells = vec![
        ["1", "2", "3", "4", "5", "6"].map(str::to_owned).to_vec(),
        ["a", "b", "a", "b", "a", "b"].map(str::to_owned).to_vec(),
        ["1", "3", "2", "5", "4", "7"].map(str::to_owned).to_vec(),
    ];
    let table = table_from_cells(Path::new("frame"), names, cells, (2..8).collect(), &ReadOptions::default())
        .unwrap();
    let spec = DatasetSpec { target: "y".into(), task: TaskHint::Regression, ..Default::default() };
    let taken = Dataset::from_table(&table, &spec).unwrap();
    let error = Design::of(&taken).unwrap_err().to_string();
    assert!(error.contains("two design columns would be named 'g[T.b]'"), "{error}");
}
