//! `torchscript:` teachers against PyTorch's own outputs (tests/golden/torchscript, gen.py).
#![cfg(feature = "torch")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::Task;
use kd_core::teacher::{Teacher, TorchOutput, TorchScriptTeacher};
use ndarray::Array2;
use serde_json::Value;

fn golden_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/torchscript")
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).expect("matrix");
    let cols = rows[0].len();
    Array2::from_shape_vec((rows.len(), cols), rows.concat()).expect("rectangular")
}

#[test]
fn torchscript_teachers_match_pytorch() -> anyhow::Result<()> {
    let cases: Value = serde_json::from_str(&std::fs::read_to_string(golden_dir().join("cases.json"))?)?;
    let tolerance = cases["tolerance"].as_f64().expect("tolerance");
    let x = matrix(&cases["x"]);
    for (name, task, output) in [
        ("multiclass_logits", Task::Multiclass(3), TorchOutput::Logits),
        ("multiclass_probabilities", Task::Multiclass(3), TorchOutput::Probabilities),
        ("binary_logit", Task::Binary, TorchOutput::Logits),
        ("regression", Task::Regression, TorchOutput::Probabilities),
    ] {
        let path = golden_dir().join(format!("{name}.pt"));
        let mut teacher = TorchScriptTeacher::load(&path, task, 4, output, "cpu")?;
        let ours = teacher.predict(x.view())?;
        let expected = matrix(&cases["models"][name]["expected"]);
        assert_eq!(ours.dim(), expected.dim(), "{name}");
        let worst = (&ours - &expected).iter().fold(0.0f64, |m, d| m.max(d.abs()));
        assert!(worst <= tolerance, "{name}: largest difference {worst}");
    }
    Ok(())
}

#[test]
fn a_wrong_task_or_missing_file_is_a_clear_error() {
    let path = golden_dir().join("multiclass_logits.pt");
    let mut teacher =
        TorchScriptTeacher::load(&path, Task::Binary, 4, TorchOutput::Logits, "cpu").expect("loads");
    let error =
        teacher.predict(ndarray::Array2::zeros((2, 4)).view()).expect_err("3 outputs for a binary task");
    assert!(error.to_string().contains("expected 2 rows of 2"), "{error}");
    let missing = TorchScriptTeacher::load(
        std::path::Path::new("/no/model.pt"),
        Task::Binary,
        4,
        TorchOutput::Logits,
        "cpu",
    );
    assert!(missing.is_err_and(|e| e.to_string().contains("/no/model.pt")));
    let folder = TorchScriptTeacher::load(&golden_dir(), Task::Binary, 4, TorchOutput::Logits, "cpu");
    assert!(folder.is_err_and(|e| e.to_string().contains("a folder, not a TorchScript file")));
}

#[test]
fn logits_read_as_probabilities_are_refused_with_the_hint() {
    let path = golden_dir().join("multiclass_logits.pt");
    let mut teacher =
        TorchScriptTeacher::load(&path, Task::Multiclass(3), 4, TorchOutput::Probabilities, "cpu")
            .expect("loads");
    let x = ndarray::Array2::from_shape_fn((4, 4), |(i, j)| (i * 4 + j) as f64 - 7.5);
    let error = teacher.predict(x.view()).expect_err("logits are not probabilities");
    assert!(error.to_string().contains("?output=logits"), "{error}");
}
