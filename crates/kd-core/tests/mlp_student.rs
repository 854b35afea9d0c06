//! The MLP student (feature `torch`): fitted from a teacher's outputs or one-hot labels, saved
//! in the `kd-mlp` format and loaded back predicting the same, with every corrupt file refused
//! by name; a kd loss on a regression task and a diverging run are named errors.
#![cfg(feature = "torch")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::data::FitTarget;
use kd_core::nn::{MlpLoss, MlpParams, MlpStudent, SavedMlp};
use kd_core::{Error, Task};
use ndarray::Array2;

fn rows() -> (Array2<f64>, Array2<f64>) {
    let x = Array2::from_shape_fn((80, 2), |(i, j)| ((i * 7 + j * 13) % 17) as f64 / 4.0 + 10.0 * j as f64);
    let p = Array2::from_shape_fn((80, 2), |(i, c)| {
        let q = 1.0 / (1.0 + (-(x[[i, 0]] - 2.0)).exp());
        if c == 1 { q } else { 1.0 - q }
    });
    (x, p)
}

#[test]
fn an_mlp_student_saves_and_loads_back_predicting_the_same() {
    let (x, p) = rows();
    let params = MlpParams { epochs: 5, seed: 4, ..MlpParams::new(vec![6]) };
    let mut epochs = 0;
    let student =
        MlpStudent::fit(&params, x.view(), Task::Binary, FitTarget::Teacher(p.view()), None, &mut |_| {
            epochs += 1
        })
        .unwrap();
    assert_eq!((epochs, student.log().epochs.len()), (5, 5));
    assert_eq!(student.n_parameters(), 2 * 6 + 6 + 6 * 2 + 2);
    assert!(student.summary().starts_with("MLP 2 → 6 → 2 (ReLU), trained 5 epochs"));
    let names = ["a".to_owned(), "b".to_owned()];
    let classes = ["no".to_owned(), "yes".to_owned()];
    let text = student.saved(&names, Some(&classes)).unwrap().to_json().unwrap();
    let saved = SavedMlp::from_json(&text).unwrap();
    assert!(saved.summary().unwrap().contains("2 → 6 → 2 (ReLU), 32 parameters"));
    let back = MlpStudent::from_saved(&saved).unwrap();
    let (ours, theirs) = (student.predict(x.view()).unwrap(), back.predict(x.view()).unwrap());
    let gap = (&ours - &theirs).mapv(f64::abs).fold(0.0_f64, |a, &b| a.max(b));
    assert!(gap < 1e-6, "float32 weights give back the predictions (gap {gap})");

    let refused =
        |from: &str, to: &str| SavedMlp::from_json(&text.replacen(from, to, 1)).unwrap_err().to_string();
    assert!(refused("\"version\": 1", "\"version\": 99").contains("kd-mlp model: format version 99"));
    assert!(
        refused("\"hidden\": [\n    6\n  ]", "\"hidden\": [\n    7\n  ]").contains("need"),
        "widths and weights disagree"
    );
    assert!(refused("\"no\",", "").contains("does not fit its classes"));
    let short = text.replacen("\"mean\": [", "\"mean\": [1.0, ", 1);
    assert!(SavedMlp::from_json(&short).unwrap_err().to_string().contains("3 means"));
    assert!(matches!(SavedMlp::from_json("{}"), Err(Error::Load { .. })));
    assert!(matches!(back.predict(Array2::zeros((3, 5)).view()), Err(Error::ShapeMismatch { .. })));
}

#[test]
fn labels_regression_and_divergence() {
    let (x, p) = rows();
    let y: Vec<usize> = p.column(1).iter().map(|&v| usize::from(v > 0.5)).collect();
    let params = MlpParams { epochs: 2, ..MlpParams::new(vec![4]) };
    let labels = FitTarget::Classes { y: &y, n_classes: 2 };
    let student = MlpStudent::fit(&params, x.view(), Task::Binary, labels, Some(&y), &mut |_| {}).unwrap();
    assert_eq!(student.predict(x.view()).unwrap().dim(), (80, 2));

    let values = p.column(1).to_owned();
    let kd = MlpParams { loss: Some("kd:T=2".parse().unwrap()), ..params.clone() };
    let error =
        MlpStudent::fit(&kd, x.view(), Task::Regression, FitTarget::Values(values.view()), None, &mut |_| {})
            .unwrap_err();
    assert!(error.to_string().contains("use mse for regression"), "{error}");
    assert_eq!("mse".parse::<MlpLoss>().unwrap(), MlpLoss::Mse);
    assert!("kd:T=0".parse::<MlpLoss>().unwrap_err().to_string().contains("T > 0"));

    let wild = MlpParams { learning_rate: 1e30, epochs: 20, ..params };
    let huge = x.mapv(|v| v * 1e30);
    let diverged = MlpStudent::fit(
        &wild,
        huge.view(),
        Task::Regression,
        FitTarget::Values(values.view()),
        None,
        &mut |_| {},
    );
    assert!(matches!(diverged, Err(Error::Diverged { .. })), "{diverged:?}");
}
