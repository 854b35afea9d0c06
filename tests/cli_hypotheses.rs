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
        // A categorical feature, treatment-coded: Grunfeld's fixed-effects regression.
        ("grunfeld", "data/statsmodels/grunfeld.csv", "invest", vec!["--features", "value,capital,firm"]),
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
        assert_eq!(r.get("categorical"), g.get("categorical"), "{case}: the coding");
        assert_eq!(r["lags"], g["lags"]);
        for key in ["params", "vif"] {
            for (name, value) in g[key].as_object().unwrap() {
                let (a, b) = (r[key][name].as_f64().unwrap(), value.as_f64().unwrap());
                assert!((a - b).abs() <= 1e-8 * b.abs(), "{case} {key} {name}: {a} vs {b}");
            }
        }
        // A categorical feature's columns together: R's car::vif (tests/golden/hypotheses_r/gvif.R).
        match r.get("gvif") {
            None => assert!(g.get("categorical").is_none(), "{case}: a GVIF per categorical feature"),
            Some(gvif) => {
                let car: Value = serde_json::from_str(
                    &std::fs::read_to_string(common::root().join("tests/golden/hypotheses_r/gvif.json"))
                        .unwrap(),
                )
                .unwrap();
                for ours in gvif.as_array().unwrap() {
                    let theirs = &car[case][ours["feature"].as_str().unwrap()];
                    assert_eq!(ours["df"], theirs["df"]);
                    let (a, b) = (ours["gvif"].as_f64().unwrap(), theirs["gvif"].as_f64().unwrap());
                    assert!((a - b).abs() <= 1e-10 * b, "{case} GVIF: {a} vs {b}");
                }
            }
        }
        for (name, t) in r["tests"].as_object().unwrap() {
            for field in ["assumption", "statistic", "p_value", "reject", "null_hypothesis"] {
                assert!(t.get(field).is_some(), "{case} {name} lacks {field}");
            }
            let p = t["p_value"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p), "{case} {name}: p = {p}");
            let reference = match name.as_str() {
                "lilliefors" | "goldfeld_quandt" => continue, // checked in kd-hypotheses (table / R's df)
                "box_pierce" => &g["tests"]["box_pierce"]["model_df_0"]["statistic"],
                _ => &g["tests"][name]["statistic"],
            };
            let (a, b) = (t["statistic"].as_f64().unwrap(), reference.as_f64().unwrap());
            assert!((a - b).abs() <= 1e-8 * b.abs().max(1e-12), "{case} {name}: {a} vs {b}");
        }
        let features = g["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap());
        for (j, name) in std::iter::once("const").chain(features).enumerate() {
            let hc3 = r["standard_errors"].as_array().unwrap().iter().find(|c| c["kind"] == "hc3").unwrap();
            let (a, b) =
                (hc3["std_error"][j].as_f64().unwrap(), g["robust_se"]["HC3"][name].as_f64().unwrap());
            assert!((a - b).abs() <= 1e-7 * b.abs(), "{case} HC3 {name}: {a} vs {b}");
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
    let identifiers: String = (0..120).map(|i| format!("{},id{},{}\n", i, i, i % 7)).collect();
    assert_exit_2(
        &run_on(&format!("a,b,y\n{identifiers}"), &[]),
        &["'b' is categorical with 120 levels", "at most 100"],
    );
    assert_exit_2(&run_on(&good, &["--break-at", "2"]), &["break-at"]);
    assert_exit_2(&run_on(&good, &["--lags", "500"]), &["lags"]);
}

fn json_tests(args: &[&str]) -> Value {
    let out = kd(args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn options_reach_the_tests_and_influence_all_gives_every_row() {
    let base = [
        "hypotheses",
        "--data",
        "data/statsmodels/stackloss.csv",
        "--target",
        "STACKLOSS",
        "--format",
        "json",
    ];
    let with = |extra: &[&str]| json_tests(&[&base[..], extra].concat());
    let default = with(&[]);
    let r = with(&[
        "--dw-alternative",
        "two-sided",
        "--breusch-godfrey",
        "f",
        "--gq-alternative",
        "less",
        "--rainbow-rows",
        "r",
        "--reset-powers",
        "2,3,4",
        "--reset-type",
        "regressor",
        "--lags",
        "3",
        "--fitdf",
        "1",
        "--influence",
        "all",
    ]);
    let t = &r["tests"];
    assert!(t["durbin_watson"]["method"].as_str().unwrap().contains("two-sided"));
    assert_eq!(t["breusch_godfrey"]["df"].as_array().unwrap().len(), 2, "the F form has two df");
    assert_eq!(t["ljung_box"]["df"][0], 2.0, "lags 3 − fitdf 1");
    assert!(t["goldfeld_quandt"]["method"].as_str().unwrap().contains("less"));
    assert!(t["rainbow"]["method"].as_str().unwrap().contains("R raintest"));
    assert_eq!(t["reset"]["df"][0], 9.0, "3 powers of 3 regressors");
    assert_ne!(t["durbin_watson"]["p_value"], default["tests"]["durbin_watson"]["p_value"]);
    let m = &r["influence_measures"];
    for key in ["dffits", "covratio", "cooks_distance", "hat", "student_resid_external", "dfbetas"] {
        assert_eq!(m[key].as_array().unwrap().len(), 21, "{key}: one value per row");
    }
    assert_eq!(r["influence_lines"].as_array().unwrap().len(), 21);
    assert!(default.get("influence_measures").is_none());
    let table = kd(&[
        "hypotheses",
        "--data",
        "data/statsmodels/stackloss.csv",
        "--target",
        "STACKLOSS",
        "--influence",
        "all",
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("influence measures (R's influence.measures)") && text.contains("HC3 se"),
        "{text}"
    );
}

#[test]
fn out_of_range_options_are_refused_before_reading() {
    let rows: String = (0..40).map(|i| format!("{},{},{}\n", i, (i * i) % 7, 2 * i + (i % 3))).collect();
    let good = format!("a,b,y\n{rows}");
    for (flag, value, words) in [
        ("--alpha", "1.5", &["alpha", "(0, 1)"][..]),
        ("--alpha", "NaN", &["alpha"][..]),
        ("--alpha", "-0.05", &["alpha"][..]),
        ("--gq-drop", "1", &["gq-drop", "[0, 1)"][..]),
        ("--rainbow-fraction", "0", &["rainbow-fraction", "(0, 1)"][..]),
        ("--rainbow-center", "0.9", &["rainbow-center"][..]),
        ("--reset-powers", "1", &["reset-powers", "from 2 to 10"][..]),
        ("--lags", "0", &["lags", "at least 1"][..]),
        ("--hac-lags", "40", &["hac-lags", "below the number of rows"][..]),
    ] {
        assert_exit_2(&run_on(&good, &[flag, value]), words);
    }
    assert_exit_2(&run_on(&good, &["--lags", "3", "--fitdf", "3"]), &["fitdf", "below the lag count 3"]);
    // Refused before the data are read: a missing file is not what the message is about.
    let out = kd(&["hypotheses", "--data", "no-such-file.csv", "--target", "y", "--alpha", "2"]);
    assert_exit_2(&out, &["alpha"]);
}

/// The battery's statistics on `csv` (JSON), keyed by test.
fn statistics(csv: &str) -> std::collections::BTreeMap<String, (f64, f64)> {
    let out = run_on(csv, &["--format", "json", "--break-at", "20"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    r["tests"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, t)| (k.clone(), (t["statistic"].as_f64().unwrap(), t["p_value"].as_f64().unwrap())))
        .collect()
}

#[test]
fn targets_and_features_anywhere_in_f64s_range_give_the_same_tests() {
    let row = |i: usize, sy: f64, sx: f64| {
        let (a, b) = (i as f64, ((i * i) % 7) as f64 + 0.25 * (i % 3) as f64);
        let y = 2.0 * a - b + ((i * 37) % 11) as f64 * 0.3;
        format!("{:e},{:e},{:e}\n", a * sx, b, y * sy)
    };
    let csv = |sy: f64, sx: f64| format!("a,b,y\n{}", (0..60).map(|i| row(i, sy, sx)).collect::<String>());
    let reference = statistics(&csv(1.0, 1.0));
    for (sy, sx) in
        [(1e160, 1.0), (1e-150, 1.0), (1e150, 1e-150), (1e300, 1e300), (1e-300, 1.0), (1.0, 1e-300)]
    {
        let scaled = statistics(&csv(sy, sx));
        assert_eq!(
            scaled.keys().collect::<Vec<_>>(),
            reference.keys().collect::<Vec<_>>(),
            "y × {sy}, a × {sx}"
        );
        for (key, (s, p)) in &reference {
            let (s2, p2) = scaled[key];
            assert!((s - s2).abs() <= 1e-9 * s.abs().max(1e-9), "{key} with y × {sy}, a × {sx}: {s} vs {s2}");
            assert!((p - p2).abs() <= 1e-9, "{key} p with y × {sy}, a × {sx}: {p} vs {p2}");
        }
    }
    // A coefficient beyond f64's range is refused, naming the feature.
    assert_exit_2(&run_on(&csv(1e300, 1e-300), &[]), &["coefficient of 'a'", "beyond f64's range"]);
}
