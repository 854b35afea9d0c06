//! The conformance battery every student passes (scikit-learn's `check_estimator`, linfa's
//! autotraits test): deterministic refits, output shapes, named errors on mismatched or
//! non-finite input, `Send + Sync`, and a JSON round trip through `SavedStudent` that keeps
//! predictions and refuses unknown versions.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_students::gam::{BoostedGam, GamParams, Link};
use kd_students::linear::{Linear, LinearParams, Logistic, LogisticParams};
use kd_students::spline::{SplineGam, SplineGamParams};
use kd_students::tree::{Criterion, Tree, TreeParams, TreeTarget};
use kd_students::{Error, SavedStudent, Student};
use ndarray::{Array1, Array2, Axis, stack};

/// 120 rows, 3 features, a teacher's probability of class 1.
fn data() -> (Array2<f64>, Array1<f64>) {
    let x = Array2::from_shape_fn((120, 3), |(i, j)| (((i * 37 + j * 11) % 29) as f64 - 14.0) / 7.0);
    let p = x.rows().into_iter().map(|r| 1.0 / (1.0 + (-(1.2 * r[0] - 0.7 * r[1])).exp())).collect();
    (x, p)
}

/// A named way to fit one student on [`data`].
type Fitter = (&'static str, Box<dyn Fn() -> Student>);

fn students() -> Vec<Fitter> {
    let (x, p) = data();
    let soft = stack(Axis(1), &[p.mapv(|v| 1.0 - v).view(), p.view()]).unwrap();
    let names: Vec<String> = (0..3).map(|j| format!("x{j}")).collect();
    let (x1, x2, x3, x4) = (x.clone(), x.clone(), x.clone(), x);
    let (p2, p3, p4) = (p.clone(), p.clone(), p);
    vec![
        (
            "tree",
            Box::new(move || {
                let params = TreeParams::default().criterion(Criterion::SquaredError).max_leaves(8);
                Student::Tree(Tree::fit(&params, x1.view(), TreeTarget::Values(soft.view())).unwrap())
            }),
        ),
        (
            "logistic",
            Box::new(move || {
                Student::Logistic(
                    Logistic::fit(&LogisticParams::default(), x2.view(), p2.view(), &names).unwrap(),
                )
            }),
        ),
        (
            "gam",
            Box::new(move || {
                let params =
                    GamParams { outer_bags: 2, learning_rate: 0.05, interactions: 1, ..GamParams::default() };
                Student::Gam(BoostedGam::fit(&params, x3.view(), p3.view(), Link::Logit).unwrap())
            }),
        ),
        (
            "spline",
            Box::new(move || {
                let params = SplineGamParams { n_splines: 10, ..SplineGamParams::default() };
                Student::Spline(SplineGam::fit(&params, x4.view(), p4.view(), Link::Logit).unwrap())
            }),
        ),
    ]
}

fn saved(student: Student) -> SavedStudent {
    SavedStudent {
        format: "kd-student".into(),
        version: kd_students::FORMAT_VERSION,
        task: "binary".into(),
        target: "y".into(),
        features: (0..3).map(|j| format!("x{j}")).collect(),
        levels: vec![None; 3],
        classes: Some(vec!["0".into(), "1".into()]),
        teacher: Some("column:p".into()),
        student,
    }
}

#[test]
fn every_student_conforms() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Student>();
    send_sync::<SavedStudent>();
    let (x, _) = data();
    for (name, fit) in students() {
        let (a, b) = (fit(), fit());
        assert_eq!(a, b, "{name}: a refit with the same data and seed is identical");
        let out = a.predict(x.view()).unwrap();
        assert_eq!(out.dim(), (120, 2), "{name}: one row of class probabilities per input row");
        for row in out.rows() {
            assert!(
                row.iter().all(|&v| (0.0..=1.0).contains(&v)) && (row.sum() - 1.0).abs() < 1e-9,
                "{name}"
            );
        }
        let narrow = x.slice(ndarray::s![.., ..2]).to_owned();
        assert!(matches!(a.predict(narrow.view()), Err(Error::ShapeMismatch { .. })), "{name}: wrong width");
        let mut bad = x.clone();
        bad[[4, 2]] = f64::INFINITY;
        assert!(
            matches!(a.predict(bad.view()), Err(Error::InvalidInput { row: 4, column: 2, .. })),
            "{name}: infinity"
        );

        let text = saved(a.clone()).to_json().unwrap();
        let back = SavedStudent::from_json(&text).unwrap();
        assert_eq!(back.student.predict(x.view()).unwrap(), out, "{name}: JSON round trip");
        let current = format!("\"version\": {}", kd_students::FORMAT_VERSION);
        let newer = text.replacen(&current, "\"version\": 99", 1);
        assert!(SavedStudent::from_json(&newer).unwrap_err().to_string().contains("version 99"), "{name}");
        let truncated = &text[..text.len() / 2];
        assert!(SavedStudent::from_json(truncated).is_err(), "{name}: a corrupt file");
        assert!(!a.explain(&back.features, back.classes.as_deref()).is_empty(), "{name}: explains itself");
    }
}

#[test]
fn the_linear_student_conforms() {
    let (x, p) = data();
    let names: Vec<String> = (0..3).map(|j| format!("x{j}")).collect();
    let fit = || Student::Linear(Linear::fit(&LinearParams { l2: 0.5 }, x.view(), p.view(), &names).unwrap());
    let (a, b) = (fit(), fit());
    assert_eq!(a, b);
    let out = a.predict(x.view()).unwrap();
    assert_eq!(out.dim(), (120, 1));
    let mut bad = x.clone();
    bad[[7, 0]] = f64::NAN;
    assert!(matches!(a.predict(bad.view()), Err(Error::InvalidInput { row: 7, column: 0, .. })));
    assert!(matches!(a.predict(x.slice(ndarray::s![.., ..1]).view()), Err(Error::ShapeMismatch { .. })));
    let mut record = saved(a);
    record.task = "regression".into();
    record.classes = None;
    let back = SavedStudent::from_json(&record.to_json().unwrap()).unwrap();
    assert_eq!(back.student.predict(x.view()).unwrap(), out);
}
