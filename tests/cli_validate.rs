//! `kd validate` end to end: its JSON against the scipy/scikit-learn references in
//! tests/golden/validation, and its errors on bad input.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{assert_exit_2, close, kd};
use serde_json::Value;

fn golden(file: &str) -> String {
    common::root().join("tests/golden/validation").join(file).display().to_string()
}

#[test]
fn the_json_report_matches_the_references() {
    let (data, baseline) = (golden("german_pd_current.csv"), golden("german_pd_baseline.csv"));
    let columns = common::PD_COLUMNS;
    let out = kd(&[
        &["validate", "--data", &data][..],
        &columns,
        &["--baseline", &baseline, "--challenger", "challenger", "--format", "json"],
    ]
    .concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let g: Value = serde_json::from_str(&std::fs::read_to_string(golden("expected.json")).unwrap()).unwrap();
    assert_eq!((&r["n_obs"], &r["n_defaults"]), (&g["n_obs"], &g["n_defaults"]));
    let d = &r["discriminatory_power"];
    for key in ["value", "std_error"] {
        close(&d["auroc"][key], &g["auroc"][key]);
    }
    assert!(d["auroc"]["ci_low"].as_f64() < d["auroc"]["ci_high"].as_f64());
    close(&d["gini"]["value"], &g["gini"]);
    assert!(
        d["gini"]["formula"].as_str().unwrap().contains("2·AUROC − 1"),
        "each figure carries its formula"
    );
    close(&d["ks"]["statistic"], &g["ks"]["statistic"]);
    close(&d["ks"]["p_value"], &g["ks"]["p_value"]);
    close(&d["comparison"]["p_value"], &g["delong_test"]["p_value"]);
    let c = &r["predictive_ability"];
    close(&c["hosmer_lemeshow"]["statistic"], &g["hosmer_lemeshow"]["statistic"]);
    close(&c["hosmer_lemeshow"]["p_value"], &g["hosmer_lemeshow"]["p_value_validation"]);
    assert_eq!(c["hosmer_lemeshow"]["groups"], g["hosmer_lemeshow"]["groups"]);
    close(&c["spiegelhalter"]["p_value"], &g["spiegelhalter"]["p_value"]);
    close(&c["brier"]["brier"], &g["brier"]);
    for (ours, theirs) in c["grades"]["rows"].as_array().unwrap().iter().zip(g["grades"].as_array().unwrap())
    {
        assert_eq!(ours["grade"], theirs["grade"]);
        for key in ["pd", "observed_rate", "binomial_p_value", "jeffreys_p_value"] {
            close(&ours[key], &theirs[key]);
        }
        assert_eq!(ours["traffic_light"], theirs["traffic_light"]);
    }
    let s = &r["stability"];
    close(&s["psi"]["value"], &g["stability"]["psi"]);
    for (feature, value) in g["stability"]["csi"].as_object().unwrap() {
        close(&s["csi"]["columns"][feature]["value"], value);
    }
    close(&s["grades"]["psi"], &g["stability"]["psi_grades"]);
    close(&s["grades"]["chi_square"]["p_value"], &g["stability"]["chi_square"]["p_value"]);
}

#[test]
fn sas_proc_rank_groups_reproduce_the_reference() {
    let (data, baseline) = (golden("german_pd_current.csv"), golden("german_pd_baseline.csv"));
    let args =
        ["validate", "--data", &data, "--score", "pd", "--outcome", "default", "--baseline", &baseline];
    let out = kd(&[&args[..], &["--groups", "7", "--binning", "sas", "--format", "json"]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let g: Value = serde_json::from_str(&std::fs::read_to_string(golden("expected.json")).unwrap()).unwrap();
    let hl = &r["predictive_ability"]["hosmer_lemeshow"];
    close(&hl["statistic"], &g["hosmer_lemeshow_sas_rank_7"]["statistic"]);
    close(&hl["p_value"], &g["hosmer_lemeshow_sas_rank_7"]["p_value_validation"]);
    let bad = kd(&[&args[..], &["--binning", "type10"]].concat());
    assert_exit_2(&bad, &["type10", "type1 … type9"]);
    // A setting out of its range is refused before any file is read.
    let unread = ["validate", "--data", "/no/such/scores.csv", "--score", "pd", "--outcome", "default"];
    assert_exit_2(
        &kd(&[&unread[..], &["--prudence", "1.5"]].concat()),
        &["--prudence", "strictly between 0 and 1"],
    );
    assert_exit_2(&kd(&[&unread[..], &["--rho", "1"]].concat()), &["--rho", "not in [0, 1)"]);
    assert_exit_2(
        &kd(&[&unread[..], &["--prudence", "0.9999999999"]].concat()),
        &["--prudence", "correlated defaults (rho 0.12)"],
    );
}

fn run_on(contents: &str, extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scores.csv");
    std::fs::write(&path, contents).unwrap();
    let mut args =
        vec!["validate", "--data", path.to_str().unwrap(), "--score", "s", "--outcome", "y", "--groups", "3"];
    args.extend_from_slice(extra);
    kd(&args)
}

const GOOD: &str = "s,y\n0.1,0\n0.2,0\n0.3,1\n0.4,0\n0.5,1\n0.6,1\n0.7,0\n0.8,1\n";

#[test]
fn bad_outcomes_scores_and_missing_values_are_named() {
    assert!(run_on(GOOD, &[]).status.success());
    assert_exit_2(
        &run_on(&GOOD.replace("0.3,1", "0.3,2"), &[]),
        &["line 4, column 2 ('y')", "must be 0 or 1"],
    );
    let not_pd = GOOD.replace("0.8,1", "3.5,1");
    assert_exit_2(
        &run_on(&not_pd, &[]),
        &["line 9, column 1 ('s')", "not a probability", "--no-calibration"],
    );
    assert!(run_on(&not_pd, &["--no-calibration"]).status.success(), "discrimination accepts any score");
    let missing = GOOD.replace("0.4,0", ",0");
    assert_exit_2(&run_on(&missing, &[]), &["line 5", "missing value"]);
    let dropped = run_on(&missing, &["--missing", "drop", "--format", "json"]);
    let r: Value = serde_json::from_slice(&dropped.stdout).unwrap();
    assert_eq!(r["n_obs"], 7);
    assert_exit_2(&run_on(GOOD, &["--grade", "nope"]), &["no column named 'nope'"]);
    // One default: no AUROC (a note says why), the calibration tests stand.
    let one = run_on("s,y\n0.1,0\n0.2,1\n0.3,0\n0.4,0\n", &["--format", "json"]);
    let r: Value = serde_json::from_slice(&one.stdout).unwrap();
    let note = r["discriminatory_power"]["auroc_note"].as_str().unwrap_or_default();
    assert!(note.contains("holds 1 default (1)") && note.contains("at least 2 defaults (DeLong"), "{r}");
    assert!(r["predictive_ability"]["jeffreys"]["p_value"].as_f64().is_some(), "{r}");
    // Without the AUROC the rest is still checked: a wrong initial AUROC, an empty sample.
    let no_default = "s,y\n0.1,0\n0.2,0\n0.3,0\n0.4,0\n";
    assert_exit_2(&run_on(no_default, &["--initial-auc", "1.5"]), &["--initial-auc", "1.5", "[0, 1]"]);
    assert_exit_2(&run_on(no_default, &["--initial-auc", "0.7,-1"]), &["--initial-auc", "-1"]);
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("base.csv");
    std::fs::write(&baseline, "s,y\n0.1,0\n0.2,7\n0.3,1\n0.4,1\n").unwrap();
    for extra in [&[][..], &["--chunk-rows", "2"]] {
        let base = ["--baseline", baseline.to_str().unwrap()];
        let out = run_on(no_default, &[&base[..], extra].concat());
        assert_exit_2(&out, &["base.csv, line 3, column 2 ('y')", "7 is not an outcome"]);
    }
    for extra in [&["--no-calibration"][..], &["--no-calibration", "--chunk-rows", "2"]] {
        let empty = run_on("s,y\n,0\n,1\n", &[&["--missing", "drop"][..], extra].concat());
        assert_exit_2(&empty, &["scores.csv", "needs at least 1, got 0"]);
    }
    // Scores that each separate the classes completely or not at all: DeLong's z is infinite,
    // and the note gives both AUROCs.
    let split = "s,c,y\n0.5,0.1,0\n0.5,0.2,0\n0.5,0.8,1\n0.5,0.9,1\n";
    let out = run_on(split, &["--challenger", "c", "--no-calibration", "--format", "json"]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let note = r["discriminatory_power"]["comparison"]["note"].as_str().unwrap_or_default();
    assert!(note.contains("the AUROCs, 0.5 and 1, differ with no sampling variance"), "{r}");
}
