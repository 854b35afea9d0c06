//! `kd compare` and the GAM students end to end, on stored scores (a `column:` teacher) with a
//! planted truth: the score ignores `x2`, which the outcome depends on.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use std::path::Path;
use std::process::Output;

use common::{assert_exit_2, kd};
use kd::students::{SavedStudent, Student};
use rand::{Rng, SeedableRng};
use serde_json::Value;

/// `x1, x2, x3, cand, y, score`: y ~ Bernoulli(σ(x1 + 1.5·x2)); score = σ(x1 + 1.5·cand).
fn planted(dir: &std::path::Path) -> std::path::PathBuf {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let sigmoid = |v: f64| 1.0 / (1.0 + (-v).exp());
    let mut text = String::from("x1,x2,x3,cand,y,score\n");
    for _ in 0..1200 {
        let x: Vec<f64> = (0..4).map(|_| rng.gen_range(-2.0..2.0)).collect();
        let y = u8::from(rng.r#gen::<f64>() < sigmoid(x[0] + 1.5 * x[1]));
        let score = sigmoid(x[0] + 1.5 * x[3]);
        text.push_str(&format!("{},{},{},{},{y},{score}\n", x[0], x[1], x[2], x[3]));
    }
    let file = dir.join("scored.csv");
    std::fs::write(&file, text).unwrap();
    file
}

/// `kd <command> --data <data> --target y --teacher column:score <extra…>`.
fn on_scores(command: &str, data: &Path, extra: &[&str]) -> Output {
    let head = [command, "--data", data.to_str().unwrap(), "--target", "y", "--teacher", "column:score"];
    kd(&[&head[..], extra].concat())
}

#[test]
fn compare_flags_the_ignored_feature_and_detects_the_used_candidate() {
    let dir = tempfile::tempdir().unwrap();
    let data = planted(dir.path());
    let svg = dir.path().join("shapes.svg");
    let out = on_scores(
        "compare",
        &data,
        &["--candidate", "cand", "--bootstrap", "20", "--svg", svg.to_str().unwrap(), "--format", "json"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> =
        r["features"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["x1", "x2", "x3"], "the candidate is not an audit feature");
    assert!(r["flagged"].as_array().unwrap().iter().any(|f| f == "x2"), "{}", r["flagged"]);
    let x2 = &r["features"][1];
    assert!(
        x2["mimic_amplitude"].as_f64().unwrap() < 0.3 * x2["outcome_amplitude"].as_f64().unwrap(),
        "{x2}"
    );
    assert_eq!(r["candidates"][0]["name"], "cand");
    assert_eq!(r["candidates"][0]["detected"], true, "{}", r["candidates"]);
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));

    let bad = on_scores("compare", &data, &["--candidate", "nope"]);
    assert_exit_2(&bad, &["nope"]);
}

#[test]
fn gam_students_distill_stored_scores_and_explain_their_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let data = planted(dir.path());
    let model = dir.path().join("gam.json");
    let out = on_scores(
        "distill",
        &data,
        &[
            "--features",
            "x1,x2,x3,cand",
            "--student",
            "gam2",
            "--interactions",
            "2",
            "--outer-bags",
            "2",
            "--monotone",
            "x1:+1",
            "--lr",
            "0.1",
            "--max-rounds",
            "2000",
            "--out",
            model.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["student"], "gam2");
    assert!(r["fidelity"]["r2"].as_f64().unwrap() > 0.9, "{r}");
    assert_eq!(r["complexity"]["n_pairs"].as_u64(), Some(2));
    let saved = SavedStudent::from_json(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let Student::Gam(gam) = &saved.student else { panic!("a GAM") };
    assert!(gam.terms[0].scores.windows(2).all(|w| w[1] >= w[0] - 1e-12), "x1 is monotone");
    assert_eq!((gam.params.learning_rate, gam.params.max_rounds, gam.params.outer_bags), (0.1, 2000, 2));
    let shapes =
        String::from_utf8(kd(&["explain", model.to_str().unwrap(), "--format", "shapes"]).stdout).unwrap();
    assert!(shapes.starts_with("term,lower,upper,score,band_lower,band_upper,count\nx1,-inf,"), "{shapes}");
    let svg = String::from_utf8(kd(&["explain", model.to_str().unwrap(), "--format", "svg"]).stdout).unwrap();
    assert!(svg.starts_with("<svg"));
    let bad = on_scores("distill", &data, &["--student", "gam", "--monotone", "x9:+1"]);
    assert_exit_2(&bad, &["monotone", "x9"]);
    let bad_rate = on_scores("distill", &data, &["--student", "gam", "--lr", "0"]);
    assert_exit_2(&bad_rate, &["learning_rate", "(0, 1]"]);
}

#[test]
fn compare_audits_one_class_of_a_multiclass_model_against_the_others() {
    // Classes a, b, c with log-odds 0, x1 and x1 + 1.5·x2; the teacher's probabilities put
    // `cand` where the outcome has x2.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let softmax = |l: [f64; 3]| {
        let e = l.map(f64::exp);
        let s: f64 = e.iter().sum();
        e.map(|v| v / s)
    };
    let mut text = String::from("x1,x2,x3,cand,y,p_a,p_b,p_c\n");
    for _ in 0..1000 {
        let x: Vec<f64> = (0..4).map(|_| rng.gen_range(-2.0..2.0)).collect();
        let truth = softmax([0.0, x[0], x[0] + 1.5 * x[1]]);
        let u: f64 = rng.r#gen();
        let y = if u < truth[0] {
            "a"
        } else if u < truth[0] + truth[1] {
            "b"
        } else {
            "c"
        };
        let p = softmax([0.0, x[0], x[0] + 1.5 * x[3]]);
        text.push_str(&format!("{},{},{},{},{y},{},{},{}\n", x[0], x[1], x[2], x[3], p[0], p[1], p[2]));
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("three.csv");
    std::fs::write(&data, text).unwrap();
    let run = |extra: &[&str]| {
        let head =
            ["compare", "--data", data.to_str().unwrap(), "--target", "y", "--teacher", "column:p_a,p_b,p_c"];
        kd(&[&head[..], &["--candidate", "cand", "--bootstrap", "20"], extra].concat())
    };
    let out = run(&["--class", "c", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((r["task"].as_str(), r["class"].as_str()), (Some("multiclass"), Some("c")));
    assert_eq!(r["scale"], "log-odds of class c");
    assert!(r["flagged"].as_array().unwrap().iter().any(|f| f == "x2"), "{}", r["flagged"]);
    assert_eq!(r["candidates"][0]["detected"], true, "{}", r["candidates"]);
    // Without a class, or with one the target lacks, the flag is named with the classes.
    assert_exit_2(&run(&[]), &["--class", "audits one score", "a, b, c"]);
    assert_exit_2(&run(&["--class", "d"]), &["--class", "'d' is not a class", "a, b, c"]);
}
