//! `kd novelty` end to end (feature `torch`): rows from a shifted distribution score above the
//! reference's 99th percentile far more often than rows like the reference.
#![cfg(feature = "torch")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{assert_exit_2, kd};
use rand::{Rng, SeedableRng};
use serde_json::Value;

fn write(dir: &std::path::Path, name: &str, shift: f64, seed: u64) -> std::path::PathBuf {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut text = String::from("a,b,c\n");
    for _ in 0..300 {
        let v: Vec<f64> = (0..3).map(|_| shift + rng.gen_range(-1.0..1.0)).collect();
        text.push_str(&format!("{},{},{}\n", v[0], v[1], v[2]));
    }
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn shifted_rows_are_novel_and_categorical_columns_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let reference = write(dir.path(), "reference.csv", 0.0, 1);
    let (same, shifted) = (write(dir.path(), "same.csv", 0.0, 2), write(dir.path(), "shifted.csv", 2.5, 3));
    let share = |data: &std::path::Path| {
        let out = kd(&[
            "novelty",
            "--reference",
            reference.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--epochs",
            "40",
            "--format",
            "json",
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["scores"].as_array().unwrap().len(), 300);
        r["share_above_p99"].as_f64().unwrap()
    };
    let (usual, novel) = (share(&same), share(&shifted));
    assert!(usual < 0.1 && novel > 0.8, "in-distribution {usual}, shifted {novel}");
    let labelled = dir.path().join("labelled.csv");
    std::fs::write(&labelled, "a,kind\n1,x\n2,y\n3,x\n").unwrap();
    let out =
        kd(&["novelty", "--reference", labelled.to_str().unwrap(), "--data", labelled.to_str().unwrap()]);
    assert_exit_2(&out, &["'kind'", "categorical"]);
}
