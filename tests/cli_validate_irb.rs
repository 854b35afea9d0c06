//! `kd validate` on the IRB examples of the README, end to end: the Taiwan PD example and the
//! synthetic PD panel (tests/golden/irb_pd), the synthetic LGD and CCF portfolios
//! (tests/golden/irb_lgd), against the independent computations beside them; and its errors on
//! bad input (exit 2, the line named, nothing on stdout).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{PD_COLUMNS, assert_exit_2, close, kd, same_within};
use serde_json::Value;
use std::collections::BTreeMap;

fn golden(folder: &str, file: &str) -> String {
    common::root().join("tests/golden").join(folder).join(file).display().to_string()
}

fn golden_lgd(file: &str) -> String {
    golden("irb_lgd", file)
}

fn expected(folder: &str, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(golden(folder, file)).unwrap()).unwrap()
}

/// The `key` of each flag of `kind` in a report's JSON.
fn flagged(doc: &Value, kind: &str, key: &str) -> Vec<Value> {
    let flags = doc["flags"].as_array().cloned().unwrap_or_default();
    flags.iter().filter(|f| f["kind"] == kind).map(|f| f[key].clone()).collect()
}

fn json(args: &[&str]) -> Value {
    let out = kd(&[args, &["--format", "json"]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn taiwan_args() -> Vec<String> {
    let f = |name: &str| golden("irb_pd", name);
    let (data, baseline, previous) =
        (f("taiwan_current.csv.gz"), f("taiwan_development.csv.gz"), f("taiwan_previous.csv.gz"));
    let files = ["validate", "--data", &data, "--baseline", &baseline, "--previous", &previous];
    let rest = ["--grade-order", "AAA,AA,A,BBB,BB,B,CCC", "--exposure", "limit", "--id", "id"];
    [&files[..], &PD_COLUMNS, &rest].concat().into_iter().map(str::to_owned).collect()
}

#[test]
fn the_taiwan_pd_example_matches_python_and_proc() {
    let args = taiwan_args();
    let r = json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let (g, proc) = (expected("irb_pd", "expected.json"), expected("irb_pd", "proc.json"));
    let t = &g["taiwan"];
    assert_eq!((&r["n_obs"], &r["n_defaults"]), (&t["n_obs"], &t["n_defaults"]));
    assert_eq!(r["scale"]["grades"], g["scale"]);
    let d = &r["discriminatory_power"];
    close(&d["auroc"]["value"], &proc["current"]["auroc"]);
    close(&d["auroc"]["std_error"], &proc["current"]["std_error"]);
    close(&d["ks"]["statistic"], &t["ks"]["statistic"]);
    close(&d["ks"]["p_value"], &t["ks"]["p_value"]);
    for key in [
        "initial",
        "initial_std_error",
        "statistic",
        "p_value",
        "independent_statistic",
        "independent_p_value",
    ] {
        close(&d["auc_change"][key], &t["auc_change"][key]);
    }
    let p = &r["predictive_ability"];
    close(&p["hosmer_lemeshow"]["statistic"], &t["hosmer_lemeshow"]["statistic"]);
    close(&p["jeffreys"]["p_value"], &t["portfolio_jeffreys"]["p_value"]);
    for (ours, theirs) in p["grades"]["rows"].as_array().unwrap().iter().zip(t["grades"].as_array().unwrap())
    {
        assert_eq!(ours["grade"], theirs["grade"]);
        for key in ["pd", "binomial_p_value", "jeffreys_p_value"] {
            close(&ours[key], &theirs[key]);
        }
    }
    // Pluto-Tasche at 90%: independent against scipy, correlated at the default ρ 0.12 against R.
    let correlated = expected("irb_pd", "pluto_tasche.json");
    assert_eq!(p["pluto_tasche"]["rho"], correlated["taiwan"]["rho"]);
    for ((ours, independent), correlated) in p["pluto_tasche"]["bounds"]
        .as_array()
        .unwrap()
        .iter()
        .zip(t["pluto_tasche_90"].as_array().unwrap())
        .zip(correlated["taiwan"]["bounds"].as_array().unwrap())
    {
        close(&ours["upper_bound"], independent);
        close(&ours["upper_bound_correlated"], correlated);
    }
    let s = &r["stability"];
    close(&s["psi"]["value"], &t["stability"]["psi"]);
    close(&s["grades"]["psi"], &t["stability"]["psi_grades"]);
    for column in ["age", "limit", "status"] {
        close(&s["csi"]["columns"][column]["value"], &t["stability"]["csi"][column]);
    }
    let m = &s["migration"];
    assert_eq!(m["counts"], t["migration"]["counts"]);
    for key in ["stayed", "moved_one", "moved_two", "moved_more", "mwb_upper", "mwb_lower"] {
        close(&m[key], &t["migration"][key]);
    }
    for kind in ["obligors", "exposure"] {
        let (ours, theirs) = (&r["concentration"][kind], &t["concentration"][kind]);
        close(&ours["index"], &theirs["current"]["index"]);
        close(&ours["test"]["statistic"], &theirs["statistic"]);
        close(&ours["test"]["p_value"], &theirs["p_value"]);
    }
    for section in ["discriminatory_power", "predictive_ability", "stability"] {
        for (name, figure) in r[section].as_object().unwrap() {
            if figure.is_object() && name != "baseline" {
                assert!(figure["formula"].is_string() && figure["reference"].is_string(), "{section}.{name}");
            }
        }
    }
}

#[test]
fn the_synthetic_panel_gives_cohorts_migrations_and_overrides() {
    let panel = golden("irb_pd", "panel.csv.gz");
    let files = ["validate", "--data", &panel];
    let rest = ["--id", "id", "--date", "date", "--override", "final_grade", "--exposure", "exposure"];
    let base = [&files[..], &PD_COLUMNS, &rest].concat();
    let r = json(&base);
    let s = &expected("irb_pd", "expected.json")["synthetic_panel"];
    assert_eq!(r["date"], "2023-12-31");
    assert_eq!(r["scale"]["order"], "numeric");
    close(&r["discriminatory_power"]["auroc"]["value"], &s["latest"]["auroc"]);
    let p = &r["predictive_ability"];
    close(&p["long_run"]["default_rate"], &s["long_run"]["default_rate"]);
    close(&p["long_run"]["statistic"], &s["long_run"]["statistic_own_pd"]);
    close(&p["long_run"]["p_value"], &s["long_run"]["p_value_own_pd"]);
    for (ours, theirs) in
        p["long_run"]["cohorts"].as_array().unwrap().iter().zip(s["cohorts"].as_array().unwrap())
    {
        assert_eq!(ours["cohort"], theirs["cohort"]);
        close(&ours["default_rate"], &theirs["default_rate"]);
    }
    for (ours, theirs) in p["pluto_tasche"]["bounds"]
        .as_array()
        .unwrap()
        .iter()
        .zip(s["latest"]["pluto_tasche_90"].as_array().unwrap())
    {
        close(&ours["upper_bound"], theirs);
    }
    close(&p["overrides"]["rate"], &s["overrides"]["rate"]);
    assert_eq!(p["overrides"]["downgrades"], s["overrides"]["downgrades"]);
    let m = &r["stability"]["migration"];
    assert_eq!(m["from"], "2022-12-31");
    assert_eq!(m["counts"], s["migration"]["counts"]);
    close(&m["mwb_upper"], &s["migration"]["mwb_upper"]);
    let target = json(&[&base[..], &["--calibration-target", "0.05"]].concat());
    close(&target["predictive_ability"]["long_run"]["statistic"], &s["long_run"]["statistic_target"]);
    // Simulation precision: the long-run default rate against the generator's expected rate,
    // the mean of the cohorts' mean PDs times the cycle, within 3 standard errors.
    let cycle: Vec<f64> = s["cycle"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let cohorts = s["cohorts"].as_array().unwrap();
    let expected_rate =
        cohorts.iter().zip(&cycle).map(|(c, k)| c["mean_pd"].as_f64().unwrap() * k).sum::<f64>() / 5.0;
    let se = (expected_rate * (1.0 - expected_rate) / 7500.0).sqrt();
    let lra = p["long_run"]["default_rate"].as_f64().unwrap();
    assert!((lra - expected_rate).abs() < 3.0 * se, "LRA {lra} vs expected {expected_rate}");
}

#[test]
fn the_csi_from_chunks_equals_the_rows_and_columns_without_one_say_why() {
    let f = |name: &str| golden("irb_pd", name);
    let (data, baseline) = (f("taiwan_current.csv.gz"), f("taiwan_development.csv.gz"));
    let files =
        ["validate", "--data", &data, "--baseline", &baseline, "--grade-order", "AAA,AA,A,BBB,BB,B,CCC"];
    let args = [&files[..], &PD_COLUMNS].concat();
    let csi = |args: &[&str]| json(args)["stability"]["csi"].clone();
    let same = |rows: &Value, chunked: &Value| {
        let (a, b) = (rows["columns"].as_object().unwrap(), chunked["columns"].as_object().unwrap());
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (name, figure) in a {
            close(&b[name]["value"], &figure["value"]);
            assert_eq!(b[name]["verdict"], figure["verdict"], "{name}");
        }
        assert_eq!(rows["left_out"], chunked["left_out"]);
    };
    let rows = csi(&args);
    assert!(rows["columns"]["status"]["value"].as_f64().is_some_and(|v| v > 0.0), "{rows}");
    same(&rows, &csi(&[&args[..], &["--chunk-rows", "5000"]].concat()));
    // A column with one level in both files (no shift: 0), one with no value, one emptied
    // since the baseline, one in each file only (each left out with why), and a level only the
    // current file holds; three grades equally filled now, where the Herfindahl test is
    // undefined (a note, the index kept).
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, n: usize, levels: &[&str], current: bool| {
        let only = if current { "new" } else { "gone" };
        let mut text = format!("pd,default,grade,region,empty,branch,emptied,{only}\n");
        for i in 0..n {
            let pd = 0.01 + 0.2 * (i % 17) as f64 / 17.0;
            let branch = levels[i % levels.len()];
            let emptied = if current { String::new() } else { format!("x{}", i % 4) };
            let default = u8::from(i % 7 == 0);
            text.push_str(&format!("{pd},{default},{},north,,{branch},{emptied},{i}\n", i % 3));
        }
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let (data, baseline) =
        (write("current.csv", 300, &["a", "b", "c"], true), write("baseline.csv", 400, &["a", "b"], false));
    let args = [&["validate", "--data", &data, "--baseline", &baseline][..], &PD_COLUMNS].concat();
    let concentration = &json(&args)["concentration"]["obligors"];
    assert_eq!(concentration["index"], 0.0);
    assert!(concentration["note"].as_str().is_some_and(|n| n.contains("same share")), "{concentration}");
    let rows = csi(&args);
    assert_eq!(rows["columns"]["region"]["value"], 0.0, "{rows}");
    let left_out = serde_json::json!({
        "empty": "no value in the baseline",
        "emptied": "no value in the current sample",
        "gone": "not in the current file",
        "new": "not in the baseline",
    });
    assert_eq!(rows["left_out"], left_out);
    // The column emptied since the baseline is flagged; those in one file only are not.
    assert_eq!(flagged(&json(&args), "column", "place"), ["column emptied"]);
    assert!(rows["columns"]["branch"]["value"].as_f64().is_some_and(|v| v > 0.25), "{rows}");
    same(&rows, &csi(&[&args[..], &["--chunk-rows", "50"]].concat()));
}

#[test]
fn the_lgd_and_ccf_examples_match_scipy() {
    let g = expected("irb_lgd", "expected.json");
    for (model, estimate, weight) in [("lgd", "lgd", "ead"), ("ccf", "ccf", "undrawn")] {
        let (data, baseline) = (
            golden("irb_lgd", &format!("{model}_current.csv.gz")),
            golden("irb_lgd", &format!("{model}_baseline.csv.gz")),
        );
        let mut args = vec![
            "validate",
            "--model",
            model,
            "--data",
            &data,
            "--baseline",
            &baseline,
            "--score",
            estimate,
            "--outcome",
            "realised",
            "--grade",
            "segment",
            "--exposure",
            weight,
            "--allow-outside-unit",
        ];
        if model == "lgd" {
            args.extend(["--elbe", "elbe", "--lgd-in-default", "lgd_in_default"]);
        }
        let r = json(&args);
        let e = &g[model];
        assert_eq!(r["model"], model);
        let d = &r["discriminatory_power"];
        close(&d["gauc"]["value"], &e["gauc"]["value"]);
        close(&d["gauc"]["std_error"], &e["gauc"]["std_error"]);
        close(&d["gauc_change"]["statistic"], &e["gauc_change"]["statistic"]);
        close(&d["gauc_change"]["independent_p_value"], &e["gauc_change"]["independent_p_value"]);
        let rows = r["predictive_ability"]["backtests"]["rows"].as_array().unwrap();
        for (ours, theirs) in rows.iter().zip(e["backtests"].as_array().unwrap()) {
            assert_eq!(ours["segment"], theirs["segment"]);
            for key in ["mean_difference", "mean_absolute_error", "mean_squared_error", "loss_shortfall"] {
                close(&ours[key], &theirs[key]);
            }
            close(&ours["t_test"]["statistic"], &theirs["t_test"]["statistic"]);
            close(&ours["t_test"]["p_value"], &theirs["t_test"]["p_value"]);
        }
        close(&r["stability"]["psi"]["value"], &e["psi_estimate"]);
        close(&r["stability"]["grades"]["psi"], &e["psi_segments"]);
        if model == "lgd" {
            for key in ["elbe", "lgd_in_default"] {
                let ours = &r["predictive_ability"][key];
                close(&ours["t_test"]["statistic"], &e[key]["t_test"]["statistic"]);
                close(&ours["t_test"]["p_value"], &e[key]["t_test"]["p_value"]);
            }
        }
    }
}

#[test]
fn the_table_is_grouped_as_the_instructions() {
    let args = taiwan_args();
    let out = kd(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("no '{s}' in\n{text}"));
    assert!(at("Discriminatory power") < at("Predictive ability"));
    assert!(at("Predictive ability") < at("Stability") && at("Stability") < at("Concentration"));
    for figure in
        ["AUROC vs initial", "Jeffreys (portfolio)", "Pluto-Tasche 90%", "Migration", "Herfindahl (exposure)"]
    {
        at(figure);
    }
    // Pluto-Tasche's two rows: independent, then correlated at the default ρ (R's figures, rounded).
    assert!(at("Pluto-Tasche 90%       AAA 0.2242") < at("correlated, ρ 0.12   AAA 0.3895, AA 0.4085"));
    // The migration matrix's monotonicity z-tests: the count and each breach on its line.
    assert!(
        at("Migration") < at("monotonicity (ECB z-tests, one-sided 0.05 per cell): 2 of 38 cells breach")
    );
    assert!(text.contains("    AA → BB: z = -12.70") && text.contains("    A → B: z = -5.86"), "{text}");
}

fn write(dir: &tempfile::TempDir, name: &str, contents: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

#[test]
fn figures_undefined_on_the_data_become_notes_and_the_report_stands() {
    // A pool rated on one grade: its per-grade tests stand; the concentration, the χ² test of
    // the grade distribution and the migration matrix are undefined and say so.
    let dir = tempfile::tempdir().unwrap();
    let sample = |name: &str, shift: usize, grades: &str| {
        let mut text = String::from("id,pd,default,grade,limit,half,zero\n");
        for i in 0..300 {
            let pd = 0.01 + 0.1 * ((i + shift) % 13) as f64 / 13.0;
            let default = u8::from((i + shift).is_multiple_of(11));
            let grade = if pd < 0.05 { &grades[..1] } else { &grades[grades.len() - 1..] };
            text.push_str(&format!("{i},{pd},{default},{grade},{},{},0\n", 1000 + i, pd / 2.0));
        }
        write(&dir, name, &text)
    };
    let (data, baseline, previous) =
        (sample("now.csv", 0, "A"), sample("base.csv", 3, "A"), sample("prev.csv", 5, "A"));
    let args = [
        &["validate", "--data", &data, "--baseline", &baseline, "--previous", &previous][..],
        &["--id", "id", "--exposure", "limit"],
        &PD_COLUMNS,
    ]
    .concat();
    let one_grade = |doc: &Value, migration: bool| {
        assert_eq!(doc["predictive_ability"]["grades"]["rows"].as_array().map(Vec::len), Some(1), "{doc}");
        for concentration in [&doc["concentration"]["obligors"], &doc["concentration"]["exposure"]] {
            assert!(concentration.get("index").is_none(), "{concentration}");
            let note = concentration["note"].as_str().unwrap_or_default();
            assert!(
                note.contains(
                    "Herfindahl index is undefined here: it needs at least 2 grades (the scale has 1)"
                ),
                "{note}"
            );
        }
        let grades = &doc["stability"]["grades"];
        assert_eq!(grades["psi"], 0.0, "{grades}");
        assert!(grades.get("chi_square").is_none() && grades["note"].as_str().is_some(), "{grades}");
        let m = &doc["stability"]["migration"];
        assert_eq!(m.get("counts").is_none() && m["note"].as_str().is_some(), migration, "{m}");
    };
    one_grade(&json(&args), true);
    let chunked =
        [&["validate", "--data", &data, "--baseline", &baseline][..], &PD_COLUMNS, &["--chunk-rows", "70"]]
            .concat();
    one_grade(&json(&[&chunked[..], &["--exposure", "limit"]].concat()), false);
    let table = kd(&args);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(table.status.success(), "{text}");
    assert!(text.contains("the migration matrix is undefined here: it needs at least 2 grades to migrate between (the scale has 1)"), "{text}");

    // Two grades, a challenger that is the score halved (it ranks the rows alike, so DeLong's
    // test is undefined) and exposures that are all 0 (no exposure shares).
    let data = sample("two.csv", 0, "AB");
    let args =
        [&["validate", "--data", &data, "--challenger", "half", "--exposure", "zero"][..], &PD_COLUMNS]
            .concat();
    let doc = json(&args);
    let comparison = &doc["discriminatory_power"]["comparison"];
    assert!(comparison.get("statistic").is_none(), "{comparison}");
    assert!(comparison["note"].as_str().is_some_and(|n| n.contains("order the rows alike")), "{comparison}");
    assert!(doc["concentration"]["obligors"]["index"].as_f64().is_some(), "{doc}");
    let exposure = &doc["concentration"]["exposure"];
    assert!(exposure["note"].as_str().is_some_and(|n| n.contains("sum to 0")), "{exposure}");
    let text = String::from_utf8_lossy(&kd(&args).stdout).into_owned();
    assert!(text.contains("vs challenger          'half': DeLong's test is undefined here"), "{text}");

    // A low-default portfolio with no default: Pluto & Tasche's (2005) example of Table 1 (grades
    // of 100, 400 and 300 obligors, no default), whose most prudent 90% bounds are
    // 1 − 0.1^(1/n) over the n obligors of a grade and the grades below it (0.29%, 0.33%,
    // 0.76%); its PDs are one per grade, too few for Hosmer–Lemeshow's 3 groups.
    let mut text = String::from("pd,default,grade\n");
    for (grade, n, pd) in [("A", 100, 0.001), ("B", 400, 0.002), ("C", 300, 0.005)] {
        text.push_str(&format!("{pd},0,{grade}\n").repeat(n));
    }
    let none = write(&dir, "no_default.csv", &text);
    let args = [&["validate", "--data", &none, "--grade-order", "A,B,C"][..], &PD_COLUMNS].concat();
    for doc in [json(&args), json(&[&args[..], &["--chunk-rows", "150"]].concat())] {
        // Each figure left out is flagged where it would be, with its note's words.
        assert_eq!(flagged(&doc, "undefined", "field"), ["auroc_note", "hosmer_lemeshow_note"], "{doc}");
        let note = doc["discriminatory_power"]["auroc_note"].as_str().unwrap_or_default();
        assert!(note.contains("holds no defaults (no 1) in the 800 rows validated"), "{doc}");
        let p = &doc["predictive_ability"];
        assert!(
            p["hosmer_lemeshow_note"].as_str().is_some_and(|n| n.contains("only 2 of its groups")),
            "{p}"
        );
        assert!(p["spiegelhalter"]["p_value"].as_f64().is_some(), "{p}");
        for (bound, n) in p["pluto_tasche"]["bounds"].as_array().unwrap().iter().zip([800.0, 700.0, 300.0]) {
            let expected = 1.0 - 0.1_f64.powf(1.0 / n);
            assert!((bound["upper_bound"].as_f64().unwrap() - expected).abs() < 1e-12, "{bound}");
        }
    }
    // The baseline holds no default: the change since initial validation is a note naming it.
    let args = ["validate", "--data", &data, "--baseline", &none, "--score", "pd", "--outcome", "default"];
    for doc in [json(&args), json(&[&args[..], &["--chunk-rows", "150"]].concat())] {
        let note = doc["discriminatory_power"]["auc_change_note"].as_str().unwrap_or_default();
        assert!(note.contains("no_default.csv: the column 'default' holds no defaults"), "{doc}");
    }
}

#[test]
fn an_lgd_sample_whose_realised_values_are_all_equal_keeps_its_back_tests() {
    // Every facility cured (realised LGD 0): no pair to rank, so no gAUC (a note); the
    // back-tests of realised against estimated stand. As a baseline, only the change goes.
    let dir = tempfile::tempdir().unwrap();
    let sample = |name: &str, cured: bool| {
        let mut text = String::from("lgd,realised,segment\n");
        for i in 0..60 {
            let estimate = 0.1 + 0.5 * (i % 7) as f64 / 7.0;
            let realised = if cured { 0.0 } else { estimate + 0.05 * ((i % 3) as f64 - 1.0) };
            text.push_str(&format!("{estimate},{realised},S{}\n", i % 2));
        }
        write(&dir, name, &text)
    };
    let (cured, mixed) = (sample("cured.csv", true), sample("mixed.csv", false));
    let columns = ["--score", "lgd", "--outcome", "realised", "--grade", "segment"];
    for model in ["lgd", "ccf"] {
        let doc = json(&[&["validate", "--model", model, "--data", &cured][..], &columns].concat());
        let d = &doc["discriminatory_power"];
        assert!(d.get("gauc").is_none(), "{d}");
        assert!(
            d["gauc_note"].as_str().is_some_and(|n| n.contains("every realised value is the same")),
            "{d}"
        );
        assert_eq!(doc["predictive_ability"]["backtests"]["rows"].as_array().map(Vec::len), Some(3), "{doc}");
        let args =
            [&["validate", "--model", model, "--data", &mixed, "--baseline", &cured][..], &columns].concat();
        let d = json(&args)["discriminatory_power"].clone();
        assert!(d["gauc"]["value"].as_f64().is_some(), "{d}");
        let note = d["gauc_change_note"].as_str().unwrap_or_default();
        assert!(note.starts_with("at initial validation, the generalised AUC is undefined here"), "{d}");
    }
}

#[test]
fn a_grade_table_gives_the_figures_of_its_obligors_rows() {
    // A 7-grade master scale, a PD per grade: the obligors' rows and the grade table that counts
    // them (obligors, defaults and exposure per grade) give the same report.
    let dir = tempfile::tempdir().unwrap();
    let pds = [("A", 0.002), ("B", 0.005), ("C", 0.01), ("D", 0.02), ("E", 0.05), ("F", 0.1), ("G", 0.2)];
    let files = |name: &str, seed: u64| {
        let (mut rows, mut groups) = (String::from("pd,default,grade,ead\n"), BTreeMap::new());
        for i in 0..4000_u64 {
            let draw = |salt: u64| ((i + 1) * (salt * 7_919 + seed * 104_729) % 10_007) as f64 / 10_007.0;
            let (grade, pd) = pds[((draw(1) * draw(2) * 7.0) as usize).min(6)];
            let default = u64::from(draw(3) < pd * 1.3);
            let ead = 100 + i % 900;
            rows.push_str(&format!("{pd},{default},{grade},{ead}\n"));
            let g = groups.entry((grade, pd.to_string())).or_insert((0, 0, 0));
            *g = (g.0 + 1, g.1 + default, g.2 + ead);
        }
        let mut table = String::from("grade,pd,obligors,defaults,ead\n");
        for ((grade, pd), (n, d, e)) in groups {
            table.push_str(&format!("{grade},{pd},{n},{d},{e}\n"));
        }
        // A group of no obligors, in a grade of none: no row, so no grade (and no refusal).
        table.push_str("H,0.5,0,0,0\n");
        (write(&dir, &format!("{name}_rows.csv"), &rows), write(&dir, &format!("{name}_table.csv"), &table))
    };
    let ((rows, table), (base_rows, base_table)) = (files("now", 1), files("base", 2));
    let common = ["--score", "pd", "--grade", "grade", "--exposure", "ead", "--grade-order", "A,B,C,D,E,F,G"];
    let by_rows = json(
        &[&["validate", "--data", &rows, "--baseline", &base_rows, "--outcome", "default"][..], &common]
            .concat(),
    );
    let by_table = json(
        &[
            &[
                "validate",
                "--data",
                &table,
                "--baseline",
                &base_table,
                "--outcome",
                "defaults",
                "--obligors",
                "obligors",
            ][..],
            &common,
        ]
        .concat(),
    );
    assert_eq!(by_table["n_obs"], 4000);
    // Equal but for the order of the sums (a group's PDs added at once): 1e-9 relative.
    for section in ["discriminatory_power", "predictive_ability", "concentration"] {
        same_within(&by_rows[section], &by_table[section], 1e-9, 1e-6, section);
    }
    for figure in ["psi", "ks", "grades"] {
        same_within(&by_rows["stability"][figure], &by_table["stability"][figure], 1e-9, 1e-6, figure);
    }
    assert!(by_table["stability"].get("csi").is_none(), "the other columns describe groups");
    // Counts are whole numbers, and a group's defaults at most its obligors, named by line.
    let text = std::fs::read_to_string(&table).unwrap();
    let line2 = text.lines().nth(1).unwrap().to_owned();
    let fields: Vec<&str> = line2.split(',').collect();
    let bad = |name: &str, row: String| write(&dir, name, &text.replacen(&line2, &row, 1));
    let args = |file: &str| {
        ["validate", "--data", file, "--score", "pd", "--outcome", "defaults", "--obligors", "obligors"]
            .map(str::to_owned)
            .to_vec()
    };
    let half = bad("half.csv", format!("{},{},2.5,0,1", fields[0], fields[1]));
    let over = bad("over.csv", format!("{},{},3,4,1", fields[0], fields[1]));
    let refused = |file: &str, words: &[&str]| {
        let argv = args(file);
        assert_exit_2(&kd(&argv.iter().map(String::as_str).collect::<Vec<_>>()), words);
    };
    refused(&half, &["line 2, column 3 ('obligors')", "2.5 is not a count of obligors"]);
    refused(&over, &["line 2, column 4 ('defaults')", "4 defaults in a group of 3 obligors"]);
    let exposed = bad("exposed.csv", format!("{},{},0,0,7", fields[0], fields[1]));
    let exposure = [args(&exposed), vec!["--exposure".into(), "ead".into()]].concat();
    assert_exit_2(
        &kd(&exposure.iter().map(String::as_str).collect::<Vec<_>>()),
        &["line 2, column 5 ('ead')", "an exposure of 7 in a group of 0 obligors"],
    );
    let with_id = [args(&table), vec!["--id".into(), "grade".into()]].concat();
    assert_exit_2(&kd(&with_id.iter().map(String::as_str).collect::<Vec<_>>()), &["--obligors", "--id"]);
    let with_challenger = [args(&table), vec!["--challenger".into(), "pd".into()]].concat();
    assert_exit_2(
        &kd(&with_challenger.iter().map(String::as_str).collect::<Vec<_>>()),
        &["--obligors", "--challenger needs each obligor's row"],
    );
}

#[test]
fn bad_input_is_named_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let pd = "id,date,pd,default,grade,ead\n1,2023-12-31,0.1,0,B,5\n2,2023-12-31,0.2,1,C,5\n3,2023-12-31,0.05,0,A,5\n\
              4,2023-12-31,0.3,1,C,5\n5,2023-12-31,0.15,0,B,5\n";
    let good = write(&dir, "pd.csv", pd);
    let run = |file: &str, extra: &[&str]| {
        let args = [&["validate", "--data", file][..], &PD_COLUMNS, &["--groups", "3"]].concat();
        kd(&[&args[..], extra].concat())
    };
    assert!(run(&good, &["--id", "id", "--date", "date"]).status.success());
    assert_exit_2(
        &run(&good, &["--grade-order", "A,B,C,D"]),
        &["grade 'D' has no obligors", "--grade-order"],
    );
    assert_exit_2(&run(&good, &["--grade-order", "A,B"]), &["line 3", "grade 'C' is not in --grade-order"]);
    let bad_date = write(&dir, "date.csv", &pd.replace("3,2023-12-31", "3,2023-02-30"));
    assert_exit_2(
        &run(&bad_date, &["--id", "id", "--date", "date"]),
        &["line 4", "'2023-02-30' is not a date"],
    );
    let repeated = write(&dir, "repeat.csv", &pd.replace("4,2023-12-31", "2,2023-12-31"));
    assert_exit_2(
        &run(&repeated, &["--id", "id", "--date", "date"]),
        &["line 5", "id '2' repeats on 2023-12-31", "line 3"],
    );
    let negative = write(&dir, "ead.csv", &pd.replace("0.15,0,B,5", "0.15,0,B,-5"));
    assert_exit_2(&run(&negative, &["--exposure", "ead"]), &["line 6", "negative exposure"]);
    // A Hosmer–Lemeshow group of PDs of exactly 0: the test is a note, the rest stands.
    let zeros = write(&dir, "zeros.csv", &pd.replace("0.05,0,A", "0,0,A").replace("0.1,0,B", "0,0,B"));
    let report = run(&zeros, &[]);
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(report.status.success() && text.contains("Hosmer-Lemeshow is undefined here"), "{text}");
    assert!(text.contains("exactly 0 or 1") && text.contains("Jeffreys (portfolio)"), "{text}");
    assert!(run(&zeros, &["--no-calibration"]).status.success());
    // A current AUROC of 1 has a standard error of 0: the change since initial validation is
    // a note, the report stands.
    let perfect = write(&dir, "perfect.csv", &pd.replace("0.15,0,B", "0.01,0,B"));
    let report = kd(&[
        &["validate", "--data", &perfect, "--baseline", &good, "--format", "json", "--groups", "3"][..],
        &PD_COLUMNS,
    ]
    .concat());
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    let note = report["discriminatory_power"]["auc_change_note"].as_str().unwrap_or_default();
    assert!(note.contains("standard error is 0"), "{report}");
    let lgd = write(&dir, "lgd.csv", "est,realised,seg\n0.2,0.1,a\n0.3,1.2,b\n0.4,0.5,a\n0.5,0.3,b\n");
    let lgd_run = |extra: &[&str]| {
        kd(&[
            &[
                "validate",
                "--model",
                "lgd",
                "--data",
                &lgd,
                "--score",
                "est",
                "--outcome",
                "realised",
                "--grade",
                "seg",
            ][..],
            extra,
        ]
        .concat())
    };
    assert_exit_2(&lgd_run(&[]), &["line 3", "1.2 lies outside [0, 1]", "--allow-outside-unit"]);
    assert!(lgd_run(&["--allow-outside-unit"]).status.success());
    // A PD model's setting is refused for an LGD model, never ignored; the binning is not one.
    assert_exit_2(&lgd_run(&["--allow-outside-unit", "--rho", "0.2"]), &["--rho", "an option of --model pd"]);
    assert_exit_2(&lgd_run(&["--allow-outside-unit", "--curves"]), &["--curves", "an option of --model pd"]);
    assert!(lgd_run(&["--allow-outside-unit", "--binning", "sas"]).status.success());
}

/// A low-default panel of two dates: the counts of the R golden's two-period case
/// (tests/golden/irb_pd/pluto_tasche_periods.R), one row an obligor.
fn low_default_panel(dir: &std::path::Path) -> String {
    let g = expected("irb_pd", "pluto_tasche_periods.json");
    let case = &g["two_periods"];
    let mut csv = String::from("date,grade,pd,default\n");
    for (t, date) in ["2022-12-31", "2023-12-31"].iter().enumerate() {
        for (k, (grade, pd)) in [("A", 0.001), ("B", 0.003), ("C", 0.01)].iter().enumerate() {
            let count = |v: &Value| v[t][k].as_u64().unwrap() as usize;
            let (n, d) = (count(&case["n"]), count(&case["d"]));
            for i in 0..n {
                // Distinct PDs within a grade, for the Hosmer-Lemeshow groups.
                let pd = pd * (0.5 + i as f64 / n as f64);
                csv.push_str(&format!("{date},{grade},{pd},{}\n", u8::from(i < d)));
            }
        }
    }
    let path = dir.join("low_default_panel.csv");
    std::fs::write(&path, csv).unwrap();
    path.display().to_string()
}

#[test]
fn multi_period_bounds_over_the_dates_match_r() {
    let dir = tempfile::tempdir().unwrap();
    let data = low_default_panel(dir.path());
    let g = expected("irb_pd", "pluto_tasche_periods.json");
    let case = &g["two_periods"];
    let base = ["validate", "--data", &data, "--date", "date", "--grade-order", "A,B,C"];
    let r = json(&[&base[..], &PD_COLUMNS, &["--period-correlation", "0.3"]].concat());
    let periods = &r["predictive_ability"]["pluto_tasche_periods"];
    assert_eq!(periods["periods"], serde_json::json!(["2022-12-31", "2023-12-31"]));
    assert_eq!((periods["rho"].as_f64(), periods["period_correlation"].as_f64()), (Some(0.12), Some(0.3)));
    for (k, theirs) in case["bounds"].as_array().unwrap().iter().enumerate() {
        let ours = &periods["bounds"][k];
        // Grade k's pool: it and the worse grades, period by period.
        let pooled: Vec<u64> =
            (0..2).map(|t| (k..3).map(|j| case["n"][t][j].as_u64().unwrap()).sum()).collect();
        assert_eq!(ours["obligors"], serde_json::json!(pooled), "grade {k}");
        assert!(
            (ours["upper_bound"].as_f64().unwrap() / theirs.as_f64().unwrap() - 1.0).abs() < 1e-9,
            "grade {k}: {ours} against R's {theirs}"
        );
    }
    let text = kd(&[&base[..], &PD_COLUMNS, &["--period-correlation", "0.3"]].concat());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("2 periods, τ 0.3") && text.contains("A 0.0105"), "{text}");
    // Without dates, grades, or in range, the flag is refused by name.
    let refused = |extra: &[&str], words: &[&str]| {
        let args = ["validate", "--data", &data, "--score", "pd", "--outcome", "default"];
        assert_exit_2(&kd(&[&args[..], extra].concat()), words);
    };
    refused(&["--grade", "grade", "--period-correlation", "0.3"], &["--period-correlation", "--date"]);
    refused(&["--date", "date", "--period-correlation", "0.3"], &["--period-correlation", "--grade"]);
    refused(
        &["--date", "date", "--grade", "grade", "--period-correlation", "1"],
        &["--period-correlation", "[0, 0.99]"],
    );
    refused(&["--model", "lgd", "--period-correlation", "0.3"], &["--period-correlation", "--model pd"]);
    // Dates a quarter apart: one-year cohorts that overlap are no periods.
    let quarterly = dir.path().join("quarterly.csv");
    std::fs::write(&quarterly, std::fs::read_to_string(&data).unwrap().replace("2022-12-31", "2023-09-30"))
        .unwrap();
    let args =
        ["validate", "--data", quarterly.to_str().unwrap(), "--date", "date", "--period-correlation", "0.3"];
    assert_exit_2(&kd(&[&args[..], &PD_COLUMNS].concat()), &["--period-correlation", "92 days apart"]);
}

/// Every figure of the report, by its JSON path, with its formula and reference.
fn cited_figures(doc: &Value, path: &str, out: &mut Vec<(String, String, String)>) {
    if let Some(map) = doc.as_object() {
        let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
        if let (Some(formula), Some(reference)) = (text("formula"), text("reference")) {
            out.push((path.to_owned(), formula, reference));
        }
        for (key, value) in map {
            cited_figures(value, &format!("{path}/{key}"), out);
        }
    }
}

/// `text` as maud escapes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[test]
fn the_html_report_shows_every_cited_figure_of_the_json() {
    let panel = golden("irb_pd", "panel.csv.gz");
    let base = [
        "validate",
        "--data",
        &panel,
        "--score",
        "pd",
        "--outcome",
        "default",
        "--grade",
        "grade",
        "--date",
        "date",
        "--id",
        "id",
        "--exposure",
        "exposure",
        "--override",
        "final_grade",
        "--period-correlation",
        "0.3",
        "--baseline",
        &panel,
        "--curves",
    ];
    let lgd = [
        "validate",
        "--model",
        "lgd",
        "--data",
        &golden_lgd("lgd_current.csv.gz"),
        "--baseline",
        &golden_lgd("lgd_baseline.csv.gz"),
        "--score",
        "lgd",
        "--outcome",
        "realised",
        "--grade",
        "segment",
        "--exposure",
        "ead",
        "--elbe",
        "elbe",
        "--lgd-in-default",
        "lgd_in_default",
        "--allow-outside-unit",
    ];
    // A challenger score (the customer's age, as a second ranking of the same rows) and a CCF
    // model.
    let taiwan = golden("irb_pd", "taiwan_current.csv.gz");
    let challenger =
        ["validate", "--data", &taiwan, "--score", "pd", "--outcome", "default", "--challenger", "age"];
    let (ccf_current, ccf_baseline) = (golden_lgd("ccf_current.csv.gz"), golden_lgd("ccf_baseline.csv.gz"));
    let ccf = [
        "validate",
        "--model",
        "ccf",
        "--data",
        &ccf_current,
        "--baseline",
        &ccf_baseline,
        "--score",
        "ccf",
        "--outcome",
        "realised",
        "--grade",
        "segment",
        "--exposure",
        "undrawn",
        "--allow-outside-unit",
    ];
    for args in [&base[..], &lgd[..], &challenger[..], &ccf[..]] {
        let doc = json(args);
        let out = kd(&[args, &["--format", "html"]].concat());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let page = String::from_utf8(out.stdout).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>") && page.contains("default-src 'none'"));
        let mut figures = Vec::new();
        cited_figures(&doc, "", &mut figures);
        assert!(figures.len() >= 6, "{figures:?}");
        // Each figure's formula and reference, together, as the page cites them.
        for (path, formula, reference) in &figures {
            let cited = format!("<code>{}</code> — {}", escaped(formula), escaped(reference));
            assert!(page.contains(&cited), "{path}: '{cited}' is not on the page");
        }
        for section in ["What to look at", "Discriminatory power", "Predictive ability"] {
            assert!(page.contains(section), "{section}");
        }
        assert_eq!(
            page.contains("Stability"),
            args.contains(&"--baseline"),
            "a stability section with a baseline only"
        );
        assert!(!page.contains("{&quot;"), "a JSON object printed raw");
    }
    let page = String::from_utf8(kd(&[&base[..], &["--format", "html"]].concat()).stdout).unwrap();
    // The AUROC to four digits, the traffic light as a pill, the migration matrix shaded by
    // its rows' shares and its monotonicity tests, the multi-period bound of the worst grade and
    // the others' notes; the charts of the curves, the Hosmer–Lemeshow groups, the grades, the
    // Pluto–Tasche bounds, the cohorts and the CSI.
    let shown = [
        "0.8349",
        "pill amber",
        "from \\ to",
        "% of the row",
        "monotonicity · tests",
        "0.351",
        "more than the 200",
        "aria-label=\"ROC and CAP curves\"",
        "aria-label=\"Observed default rate against mean PD per group\"",
        "aria-label=\"Default rate and PD per grade\"",
        "aria-label=\"Most prudent upper bounds and PD per grade\"",
        "aria-label=\"Default rate per cohort\"",
        "aria-label=\"Shares of the baseline and the current sample by bin\"",
        "aria-label=\"CSI of each column\"",
        "aria-label=\"Shares of the baseline and the current sample by grade\"",
        // The first table's flags, linked to their figures.
        "<a href=\"#predictive_ability-grades\">Per grade</a></td><td>grade 1</td><td>binomial p value 0.0338; Jeffreys p value 0.0142; traffic light yellow</td>",
    ];
    for shown in shown {
        assert!(page.contains(shown), "'{shown}' is not on the page");
    }
    // The JSON keeps the report's order (the ECB's sections), the flags after them.
    let raw = String::from_utf8(kd(&[&base[..], &["--format", "json"]].concat()).stdout).unwrap();
    let at = |key: &str| raw.find(&format!("\n  \"{key}\":")).unwrap_or(usize::MAX);
    let order =
        ["model", "discriminatory_power", "predictive_ability", "stability", "concentration", "flags"];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{:?}", order.map(at));
    // The flags in the JSON and at the end of the table.
    let flags = json(&base)["flags"].as_array().cloned().unwrap_or_default();
    assert!(
        flags.iter().any(|f| f["kind"] == "light" && f["place"] == "grade 1" && f["value"] == "yellow"),
        "{flags:?}"
    );
    assert!(flags.iter().all(|f| f["figure"] != "ks" || f["section"] != "discriminatory_power"));
    let table = String::from_utf8(kd(&base).stdout).unwrap();
    assert!(
        table.contains("\nWhat to look at (14 flags in 11 places")
            && table.contains("  Per grade, grade 1: binomial p value 0.0338; Jeffreys p value 0.0142; traffic light yellow\n")
            && table.contains("  Pluto–Tasche bounds over the periods, grade 1: 386 defaults pooled, more than the 200"),
        "{table}"
    );
    let page = String::from_utf8(kd(&[&lgd[..], &["--format", "html"]].concat()).stdout).unwrap();
    assert!(page.contains("aria-label=\"Mean estimate and mean realised value per segment\""));
    assert!(!page.contains("aria-label=\"Default rate and PD per grade\""), "a PD chart on an LGD page");
}
