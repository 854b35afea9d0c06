//! Fidelity with its bootstrap interval.

use kd_extract::fidelity::{class_fidelity, value_fidelity};
use ndarray::Array1;

#[test]
fn agreement_and_its_interval() {
    let teacher: Vec<usize> = (0..400).map(|i| i % 3).collect();
    let mut model = teacher.clone();
    for m in model.iter_mut().take(40) {
        *m = (*m + 1) % 3;
    }
    let f = class_fidelity(&model, &teacher, 1).unwrap();
    assert!((f.value - 0.9).abs() < 1e-12);
    assert_eq!(f.n, 400);
    // The normal-approximation half-width is 1.96·√(0.9·0.1/400) ≈ 0.029.
    assert!(f.ci.0 < 0.9 && f.ci.1 > 0.9 && (f.ci.1 - f.ci.0 - 0.059).abs() < 0.015, "{f:?}");
    assert_eq!(class_fidelity(&model, &teacher, 1).unwrap(), f, "seeded");
}

#[test]
fn r_squared_to_the_teacher() {
    let teacher = Array1::from_iter((0..100).map(|i| f64::from(i) / 10.0));
    let f = value_fidelity(teacher.view(), teacher.view(), 0).unwrap();
    assert_eq!((f.value, f.ci), (1.0, (1.0, 1.0)));
    let shifted = teacher.mapv(|v| v + 1.0);
    // R² = 1 − n·1 / Σ(t − t̄)².
    let ss_tot: f64 = teacher.iter().map(|v| (v - 4.95).powi(2)).sum();
    let f = value_fidelity(shifted.view(), teacher.view(), 0).unwrap();
    assert!((f.value - (1.0 - 100.0 / ss_tot)).abs() < 1e-12);
}

#[test]
fn degenerate_inputs_are_errors() {
    assert!(
        class_fidelity(&[0, 1], &[0], 0).unwrap_err().to_string().contains("2 model rows and 1 teacher rows")
    );
    assert!(class_fidelity(&[], &[], 0).unwrap_err().to_string().contains("none to measure"));
    let constant = Array1::from_elem(10, 2.0);
    let err = value_fidelity(constant.view(), constant.view(), 0).unwrap_err().to_string();
    assert!(err.contains("constant"), "{err}");
}
