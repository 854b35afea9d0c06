//! `kd_extract::run`: every method on one data set and one in-process teacher whose rule is
//! known — the model, its size, what it asked the teacher, its fidelity on held-out rows — and
//! the refusals (a method by an unknown name, a classifier method on a regression teacher).
#![allow(clippy::unwrap_used)] // tests may panic

use kd_core::Task;
use kd_core::data::{Dataset, DatasetSpec, ReadOptions, TaskHint, table_from_cells};
use kd_core::teacher::FnTeacher;
use kd_extract::run::{Extracted, Method, RunParams, measure, run};
use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Class 1 when `x0 > 0.5` and `x1 ≤ 0`.
fn rule(x: ArrayView2<'_, f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), 2), |(i, k)| {
        let one = x[[i, 0]] > 0.5 && x[[i, 1]] <= 0.0;
        f64::from(u8::from(one == (k == 1)))
    })
}

/// 300 rows of three uniform features and the rule's class as the target `y` (`task` binary),
/// or `x0 + x1` (regression).
fn data(regression: bool) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let n = 300;
    let x: Vec<[f64; 3]> = (0..n)
        .map(|_| [rng.gen_range(-2.0..2.0), rng.gen_range(-2.0..2.0), rng.gen_range(-2.0..2.0)])
        .collect();
    let mut cells: Vec<Vec<String>> =
        (0..3).map(|j| x.iter().map(|r| format!("{:?}", r[j])).collect()).collect();
    cells.push(
        x.iter()
            .map(|r| {
                if regression {
                    format!("{:?}", r[0] + r[1])
                } else {
                    u8::from(r[0] > 0.5 && r[1] <= 0.0).to_string()
                }
            })
            .collect(),
    );
    let names = ["x0", "x1", "x2", "y"].map(String::from).to_vec();
    let lines = (2..n as u64 + 2).collect();
    let table =
        table_from_cells(std::path::Path::new("rows"), names, cells, lines, &ReadOptions::default()).unwrap();
    let task = if regression { TaskHint::Regression } else { TaskHint::Auto };
    Dataset::from_table(&table, &DatasetSpec { target: "y".into(), task, ..DatasetSpec::default() }).unwrap()
}

#[test]
fn every_method_extracts_a_model_of_the_rule_and_measures_it() {
    let data = data(false);
    let (train, test): (Vec<usize>, Vec<usize>) = (0..300).partition(|i| i % 3 != 0);
    for method in [Method::Bastani, Method::Trepan, Method::Beta, Method::BornAgain, Method::Cart] {
        assert_eq!(method.name().parse::<Method>().unwrap(), method);
        let mut teacher = FnTeacher::new("rule", Task::Binary, 3, |x: ArrayView2<'_, f64>| Ok(rule(x)));
        let params =
            RunParams { method, max_leaves: 4, samples_per_node: 300, seed: 1, ..RunParams::default() };
        let extraction = run(&params, &data, &train, &mut teacher).unwrap();
        let (leaves, _) = extraction.model.size();
        assert!((2..=4).contains(&leaves), "{}: {leaves} leaves", method.name());
        match method {
            Method::Cart => assert_eq!(extraction.n_queries, 0),
            Method::Beta | Method::BornAgain => assert_eq!(extraction.n_queries, train.len()),
            Method::Bastani | Method::Trepan => assert!(extraction.n_queries > train.len()),
        }
        assert_eq!(
            matches!(extraction.model, Extracted::Tree(_)),
            !matches!(method, Method::Trepan | Method::Beta)
        );
        let teacher_test = rule(data.x().select(ndarray::Axis(0), &test).view());
        let measured = measure(&extraction.model, &data, &test, &teacher_test, 1).unwrap();
        // BETA's conditions are quantile bins of each feature, which do not hold the rule's cut
        // at 0.5 exactly; the trees place their thresholds on the rows.
        let bar = if method == Method::Beta { 0.75 } else { 0.9 };
        assert!(measured.fidelity > bar, "{}: fidelity {}", method.name(), measured.fidelity);
        assert!(measured.fidelity_ci[0] <= measured.fidelity && measured.fidelity <= measured.fidelity_ci[1]);
        assert_eq!(measured.teacher_accuracy, Some(1.0), "the target is the rule");
        assert!(extraction.model.to_json(&data, Some("rule")).unwrap().contains("\"format\""));
    }
}

#[test]
fn unknown_methods_and_classifier_methods_on_regression_are_refused() {
    let error = "id3".parse::<Method>().unwrap_err().to_string();
    assert!(error.contains("invalid method") && error.contains("bastani"), "{error}");
    let data = data(true);
    let train: Vec<usize> = (0..200).collect();
    for method in [Method::Trepan, Method::Beta] {
        let mut teacher = FnTeacher::new("sum", Task::Regression, 3, |x: ArrayView2<'_, f64>| {
            Ok(Array2::from_shape_fn((x.nrows(), 1), |(i, _)| x[[i, 0]] + x[[i, 1]]))
        });
        let params = RunParams { method, ..RunParams::default() };
        let error = run(&params, &data, &train, &mut teacher).unwrap_err().to_string();
        assert!(error.contains("regression"), "{error}");
    }
}
