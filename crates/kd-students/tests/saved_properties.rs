//! Saved students edited at random: a number replaced (by −1, 0, a huge value, a fraction, null,
//! a string, an array), a key removed, or the text cut. `SavedStudent::from_json` either refuses
//! the file or returns a student that predicts, on the training rows and on extreme values, one
//! finite row of class probabilities in [0, 1] summing to 1 per input row, and prints itself;
//! never a panic.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod saved_tree;

use kd_students::SavedStudent;
use kd_students::tree::{Tree, TreeParams, TreeTarget};
use ndarray::Array2;
use proptest::prelude::*;
use serde_json::{Value, json};

/// A saved three-class tree on a numeric and a six-level feature, with its training rows.
fn saved_tree() -> (String, Array2<f64>) {
    let n = 120;
    let x =
        Array2::from_shape_fn((n, 2), |(i, j)| if j == 0 { ((i * 37) % 101) as f64 } else { (i % 6) as f64 });
    let y: Vec<usize> = (0..n)
        .map(|i| {
            if i % 6 < 2 {
                0
            } else if x[[i, 0]] < 50.0 {
                1
            } else {
                2
            }
        })
        .collect();
    let levels = vec![None, Some(["a", "b", "c", "d", "e", "f"].map(String::from).to_vec())];
    let target = TreeTarget::Classes { y: &y, n_classes: 3 };
    let tree =
        Tree::fit_with_levels(&TreeParams::default().max_leaves(6), x.view(), target, &levels).unwrap();
    let saved = saved_tree::wrap(tree, levels);
    (saved.to_json().unwrap(), x)
}

/// JSON pointers to every number and every object key under `value`.
fn places(value: &Value, at: &str, numbers: &mut Vec<String>, keys: &mut Vec<(String, String)>) {
    match value {
        Value::Number(_) => numbers.push(at.to_owned()),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                places(v, &format!("{at}/{i}"), numbers, keys);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                keys.push((at.to_owned(), k.clone()));
                places(v, &format!("{at}/{k}"), numbers, keys);
            }
        }
        _ => {}
    }
}

fn replacement(choice: usize) -> Value {
    [
        json!(-1),
        json!(0),
        json!(1e308),
        json!(-1e308),
        json!(0.5),
        json!(99),
        Value::Null,
        json!("x"),
        json!([]),
    ][choice % 9]
        .clone()
}

/// The file after edit `kind` at the `at`-th place (modulo the number of places).
fn edited(text: &str, kind: usize, at: usize, choice: usize) -> String {
    let value: Value = serde_json::from_str(text).unwrap();
    let (mut numbers, mut keys) = (Vec::new(), Vec::new());
    places(&value, "", &mut numbers, &mut keys);
    let mut value = value;
    match kind % 3 {
        0 => {
            let pointer = &numbers[at % numbers.len()];
            *value.pointer_mut(pointer).unwrap() = replacement(choice);
            value.to_string()
        }
        1 => {
            let (parent, key) = &keys[at % keys.len()];
            value.pointer_mut(parent).and_then(Value::as_object_mut).unwrap().remove(key);
            value.to_string()
        }
        _ => text.chars().take(at % text.chars().count()).collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn an_edited_student_is_refused_or_predicts_probabilities(kind in 0_usize..3, at in 0_usize..10_000, choice in 0_usize..9) {
        let (text, x) = saved_tree();
        let Ok(saved) = SavedStudent::from_json(&edited(&text, kind, at, choice)) else { return Ok(()) };
        let mut inputs = x.clone();
        inputs.push_row(ndarray::ArrayView1::from(&[1e300, 5.0])).unwrap();
        inputs.push_row(ndarray::ArrayView1::from(&[-1e300, 0.0])).unwrap();
        if let Ok(p) = saved.student.predict(inputs.view()) {
            prop_assert_eq!(p.nrows(), inputs.nrows());
            for row in p.rows() {
                prop_assert!(row.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)), "{row}");
                prop_assert!((row.sum() - 1.0).abs() < 1e-6, "{row}");
            }
        }
        let classes = saved.classes.clone().unwrap_or_default();
        let _ = saved.student.model().describe(&saved.features, Some(&classes));
    }
}
