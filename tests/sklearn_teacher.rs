//! The example scikit-learn teacher (examples/teachers/sklearn_teacher.py) over the `cmd:`
//! protocol: kd must receive exactly what the model computes, with categorical features sent
//! as their level names.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use std::process::Command;

use kd::core::data::{Dataset, DatasetSpec, ReadOptions, read_csv};
use kd::core::teacher::{CmdOptions, TeacherSpec, build_teacher};

#[test]
fn the_sklearn_teacher_serves_exactly_its_models_probabilities() -> anyhow::Result<()> {
    let python = common::python_with_sklearn();
    let script = common::root().join("examples/teachers/sklearn_teacher.py");
    let file = common::data("credit/german_credit.csv");
    let dir = tempfile::tempdir()?;
    let model = dir.path().join("rf.joblib");
    let trained = Command::new(&python)
        .arg(&script)
        .args([
            "--train",
            file.to_str().unwrap_or_default(),
            "--target",
            "creditability",
            "--fit-only",
            "--save",
        ])
        .arg(&model)
        .status()?;
    assert!(trained.success());

    // What scikit-learn itself predicts for every row of the file.
    let direct = Command::new(&python)
        .current_dir(script.parent().expect("folder"))
        .args([
            "-c",
            "import json, sys, joblib; from sklearn_teacher import read; \
                      x, _, _ = read(sys.argv[1], 'creditability', set()); \
                      print(json.dumps(joblib.load(sys.argv[2])['pipeline'].predict_proba(x).tolist()))",
        ])
        .arg(&file)
        .arg(&model)
        .output()?;
    assert!(direct.status.success(), "{}", String::from_utf8_lossy(&direct.stderr));
    let expected: Vec<Vec<f64>> = serde_json::from_slice(&direct.stdout)?;

    let table = read_csv(&file, &ReadOptions::default())?;
    let data =
        Dataset::from_table(&table, &DatasetSpec { target: "creditability".into(), ..Default::default() })?;
    let spec: TeacherSpec =
        format!("cmd:{python} {} --load {}", script.display(), model.display()).parse()?;
    let options = CmdOptions { batch_size: 300, ..CmdOptions::default() };
    let mut teacher = build_teacher(&spec, &table, &data, options)?;
    let rows: Vec<usize> = (0..data.n_rows()).collect();
    let probs = teacher.predict_rows(&data, &rows)?;
    assert_eq!(probs.dim(), (1000, 2));
    for (i, row) in expected.iter().enumerate() {
        for (j, &p) in row.iter().enumerate() {
            assert!(
                (probs[[i, j]] - p).abs() < 1e-15,
                "row {i}, class {j}: kd {} vs sklearn {p}",
                probs[[i, j]]
            );
        }
    }
    Ok(())
}
