//! Corrupted saved models: students saved by `kd distill --out` (a tree, a logistic model, a
//! boosted GAM, a scorecard) and a decision set saved by `kd extract --out`, then cut, emptied, stripped of a key, given a future version,
//! broken on purpose (a cycle, a child out of range, a missing threshold, a feature list shorter
//! than the features used, a probability above 1) or changed number by number. `kd explain`,
//! `kd predict` and `kd export --to sql` must refuse each broken file naming it, and never
//! panic or hang on any.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::run::{Case, Expect, refused};
use super::{args, case, on_stored_scores};

const FAMILY: &str = "corrupted model";

/// Fits a student (`kd distill`) or extracts a model (`kd extract`) on the valid file and
/// returns its saved JSON.
fn fit(dir: &Path, data: &Path, student: &[&str], name: &str) -> Value {
    let out = dir.join(format!("{name}.json"));
    let command = if name == "beta" { "extract" } else { "distill" };
    let mut command = on_stored_scores(command, data.to_str().unwrap(), &["--out", out.to_str().unwrap()]);
    command.extend(args(student));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kd"))
        .args(&command)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "kd {}", command.join(" "));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// The paths (as JSON pointers) of every number under `value`.
fn numbers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Number(_) => out.push(at.to_owned()),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| numbers(v, &format!("{at}/{i}"), out))
        }
        Value::Object(map) => map.iter().for_each(|(k, v)| numbers(v, &format!("{at}/{k}"), out)),
        _ => {}
    }
}

/// A copy of `value` with the item at `pointer` replaced.
fn set(value: &Value, pointer: &str, new: Value) -> Value {
    let mut copy = value.clone();
    *copy.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = new;
    copy
}

/// The broken files of one model: `(name, text, must be refused)`.
fn mutations(model: &Value) -> Vec<(String, String, bool)> {
    let text = serde_json::to_string_pretty(model).unwrap();
    let mut out = vec![
        ("cut at a third".to_owned(), text[..text.len() / 3].to_owned(), true),
        ("cut at two thirds".into(), text[..2 * text.len() / 3].to_owned(), true),
        ("empty".into(), String::new(), true),
        ("an array".into(), "[]".into(), true),
        ("null".into(), "null".into(), true),
        ("an empty object".into(), "{}".into(), true),
        ("version 99".into(), set(model, "/version", json!(99)).to_string(), true),
        (
            "a feature list shorter than the features used".into(),
            {
                let mut m = model.clone();
                for key in ["features", "levels", "ranges"] {
                    if let Some(list) = m[key].as_array_mut() {
                        list.truncate(1);
                    }
                }
                m.to_string()
            },
            true,
        ),
    ];
    if let Some(map) = model.as_object() {
        for key in map.keys() {
            let mut m = model.clone();
            m.as_object_mut().unwrap().remove(key);
            // Some keys are optional; a file without one must be read or refused, never crash.
            out.push((format!("without '{key}'"), m.to_string(), false));
        }
    }
    let mut paths = Vec::new();
    let body = if model.get("student").is_some() { "student" } else { "model" };
    numbers(&model[body], &format!("/{body}"), &mut paths);
    let step = (paths.len() / 6).max(1);
    for path in paths.iter().step_by(step).take(6) {
        out.push((format!("{path} missing (null)"), set(model, path, Value::Null).to_string(), true));
        for v in [json!(-1), json!(1e308)] {
            out.push((format!("{path} = {v}"), set(model, path, v).to_string(), false));
        }
    }
    out
}

/// Deliberate breaks of a tree: each leaves a file that is well-formed JSON but not a tree.
fn tree_breaks(model: &Value) -> Vec<(String, String, bool)> {
    let split = "/student/nodes/0/split";
    let leaf = model["student"]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().position(|n| n["split"].is_null()))
        .expect("a leaf");
    [
        ("a child out of range", set(model, &format!("{split}/2"), json!(99))),
        ("a cycle", set(model, &format!("{split}/2"), json!(0))),
        ("two parents sharing children", {
            let children = model["student"]["nodes"][0]["split"].clone();
            let mut m = model.clone();
            if let Some(node) = m["student"]["nodes"].as_array_mut().and_then(|n| n.get_mut(1)) {
                node["split"] = json!([0, 1.0, children[2], children[3]]);
            }
            m
        }),
        ("a missing threshold", set(model, &format!("{split}/1"), Value::Null)),
        ("a feature index out of range", set(model, &format!("{split}/0"), json!(7))),
        (
            "a leaf probability above 1",
            set(model, &format!("/student/nodes/{leaf}/value"), json!([-0.5, 1.5])),
        ),
        ("a negative row count", set(model, "/student/nodes/0/n_samples", json!(-5))),
    ]
    .into_iter()
    .map(|(name, m)| (name.to_owned(), m.to_string(), true))
    .collect()
}

/// The cases: each broken file through `kd explain` and `kd predict`.
pub fn cases(dir: &Path) -> Vec<Case> {
    let data = super::csv_files::valid(dir);
    let models_dir = dir.join("models");
    std::fs::create_dir_all(&models_dir).unwrap();
    let fitted = [
        ("tree", fit(dir, &data, &["--features", "x1,x2,colour", "--max-leaves", "6"], "tree")),
        ("logistic", fit(dir, &data, &["--features", "x1,x2", "--student", "logistic"], "logistic")),
        (
            "gam",
            fit(
                dir,
                &data,
                &[
                    "--features",
                    "x1,x2,colour",
                    "--student",
                    "gam",
                    "--outer-bags",
                    "2",
                    "--max-rounds",
                    "100",
                ],
                "gam",
            ),
        ),
        (
            "scorecard",
            fit(
                dir,
                &data,
                &["--features", "x1,x2,colour", "--student", "scorecard", "--bins", "4"],
                "scorecard",
            ),
        ),
        ("beta", fit(dir, &data, &["--features", "x1,x2,colour", "--method", "beta"], "beta")),
    ];
    let mut cases = Vec::new();
    let mut n = 0;
    for (kind, model) in &fitted {
        let mut broken = mutations(model);
        if *kind == "tree" {
            broken.extend(tree_breaks(model));
        }
        for (what, text, must_refuse) in broken {
            n += 1;
            let file: PathBuf = models_dir.join(format!("{kind}-{n}.json"));
            std::fs::write(&file, text).unwrap();
            let shown = file.file_name().unwrap().to_str().unwrap().to_owned();
            let expect = if must_refuse { refused(&[&shown]) } else { Expect::Either(vec![shown.clone()]) };
            let path = file.to_str().unwrap();
            cases.push(case(
                FAMILY,
                format!("{kind} {what}: explain"),
                args(&["explain", path]),
                expect.clone(),
            ));
            let predict = args(&["predict", "--model", path, "--data", data.to_str().unwrap()]);
            cases.push(case(FAMILY, format!("{kind} {what}: predict"), predict, expect.clone()));
            let export = args(&["export", path, "--to", "sql"]);
            cases.push(case(FAMILY, format!("{kind} {what}: export"), export, expect));
        }
    }
    cases
}
