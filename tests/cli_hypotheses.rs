//! `kd hypotheses` end to end: its JSON against the statsmodels/R references in
//! tests/golden/hypotheses, and its errors on bad input.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{assert_exit_2, kd};
use serde_json::Value;

#[test]
fn the_json_report_matches_the_references() {
    for (case, file, target, extra) in [
        ("stackloss", "data/statsmodels/stackloss.csv", "STACKLOSS", vec![]),
        (
            "longley",
            "data/statsmodels/longley.csv",
            "TOTEMP",
            vec!["--features", "GNPDEFL,GNP,UNEMP,ARMED,POP,YEAR", "--break-at", "8"],
        ),
    ] {
        let mut args = vec!["hypotheses", "--data", file, "--target", target, "--format", "json"];
        args.extend(extra);
        let out = kd(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        let g: Value = serde_json::from_str(
            &std::fs::read_to_string(common::root().join(format!("tests/golden/hypotheses/{case}.json")))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(r["n_obs"], g["n_obs"]);
        assert_eq!(r["lags"], g["lags"]);
        for key in ["params", "vif"] {
            for (name, value) in g[key].as_object().unwrap() {
                let (a, b) = (r[key][name].as_f64().unwrap(), value.as_f64().unwrap());
                assert!((a - b).abs() <= 1e-8 * b.abs(), "{case} {key} {name}: {a} vs {b}");
            }
        }
        for (name, t) in r["tests"].as_object().unwrap() {
            for field in ["assumption", "statistic", "p_value", "reject", "null_hypothesis"] {
                assert!(t.get(field).is_some(), "{case} {name} lacks {field}");
            }
            if name == "lilliefors" || name == "goldfeld_quandt" {
                continue; // checked in kd-hypotheses' golden tests (table / R's df)
            }
            let (a, b) = (t["statistic"].as_f64().unwrap(), g["tests"][name]["statistic"].as_f64().unwrap());
            assert!((a - b).abs() <= 1e-8 * b.abs().max(1e-12), "{case} {name}: {a} vs {b}");
        }
        for (name, _) in g["skipped"].as_object().unwrap() {
            assert!(r["skipped"][name].is_string(), "{case}: {name} should be skipped with a reason");
            assert!(r["tests"].get(name).is_none());
        }
        assert!(r["influence"]["influential"].is_array());
    }
}

fn run_on(contents: &str, extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reg.csv");
    std::fs::write(&path, contents).unwrap();
    let mut args = vec!["hypotheses", "--data", path.to_str().unwrap(), "--target", "y"];
    args.extend_from_slice(extra);
    kd(&args)
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let rows: String = (0..30).map(|i| format!("{},{},{}\n", i, (i * i) % 7, 2 * i + (i % 3))).collect();
    let good = format!("a,b,y\n{rows}");
    assert!(run_on(&good, &[]).status.success());
    assert_exit_2(&run_on("a,b,y\n1,2,3\n2,1,4\n3,5,5\n", &[]), &["needs at least 4, got 3"]);
    let constant: String = (0..30).map(|i| format!("{},{},5\n", i, i % 4)).collect();
    assert_exit_2(&run_on(&format!("a,b,y\n{constant}"), &[]), &["target is constant"]);
    let collinear: String = (0..30).map(|i| format!("{},{},{}\n", i, 2 * i + 1, i % 5)).collect();
    assert_exit_2(&run_on(&format!("a,b,y\n{collinear}"), &[]), &["'b' is a linear combination of const, a"]);
    assert_exit_2(&run_on(&good.replacen("\n3,", "\nNaN,", 1), &[]), &["line 5, column 1 ('a')", "NaN"]);
    assert_exit_2(&run_on(&good.replacen("\n3,", "\ninf,", 1), &[]), &["line 5", "infinity"]);
    assert_exit_2(
        &run_on(&good.replacen("\n3,", "\nthree,", 1), &[]),
        &["line 5", "'three' is not a number"],
    );
    let text_feature: String = (0..30).map(|i| format!("{},c{},{}\n", i, i % 3, i % 7)).collect();
    assert_exit_2(&run_on(&format!("a,b,y\n{text_feature}"), &[]), &["'b' is categorical"]);
    assert_exit_2(&run_on(&good, &["--break-at", "2"]), &["break-at"]);
    assert_exit_2(&run_on(&good, &["--lags", "500"]), &["lags"]);
}
