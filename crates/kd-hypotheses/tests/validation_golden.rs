//! kd-hypotheses' PD validation tests against scipy and scikit-learn
//! (tests/golden/validation/expected.json, made by gen.py beside it) and R's pROC (proc.json,
//! made by gen.R).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::data::{ColumnData, ReadOptions, Table, read_csv};
use kd_core::quantile::{Binning, Grouping, Ties};
use kd_hypotheses::validation::*;
use kd_test_support::{Tolerance, assert_close};
use serde_json::Value;

fn golden_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/validation")
}

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(golden_dir().join("expected.json")).unwrap()).unwrap()
}

fn table(name: &str) -> Table {
    read_csv(&golden_dir().join(format!("german_pd_{name}.csv")), &ReadOptions::default()).unwrap()
}

fn numbers(t: &Table, column: &str) -> Vec<f64> {
    match &t.column(column).unwrap().data {
        ColumnData::Numeric(v) => v.clone(),
        ColumnData::Categorical { .. } => panic!("{column} is categorical"),
    }
}

fn codes(t: &Table, column: &str) -> (Vec<usize>, Vec<String>) {
    match &t.column(column).unwrap().data {
        ColumnData::Categorical { levels, codes } => {
            (codes.iter().map(|c| c.unwrap() as usize).collect(), levels.clone())
        }
        ColumnData::Numeric(_) => panic!("{column} is numeric"),
    }
}

#[track_caller]
fn close(ours: f64, theirs: &Value, tol: f64) {
    assert_close!(ours, theirs, Tolerance::relative(tol).floor(1e-3));
}

struct Sample {
    outcome: Vec<bool>,
    pd: Vec<f64>,
    challenger: Vec<f64>,
}

fn current() -> Sample {
    let t = table("current");
    Sample {
        outcome: numbers(&t, "default").iter().map(|&d| d == 1.0).collect(),
        pd: numbers(&t, "pd"),
        challenger: numbers(&t, "challenger"),
    }
}

#[test]
fn discrimination_matches_scikit_learn_and_scipy() {
    let (g, s) = (expected(), current());
    let tol = g["tolerance"].as_f64().unwrap();
    let auc = auroc_delong(&s.outcome, &s.pd, 0.95).unwrap();
    close(auc.value, &g["auroc"]["value"], tol);
    close(auc.std_error, &g["auroc"]["std_error"], tol);
    // The bootstrap (2000 resamples) agrees with DeLong within its Monte Carlo error (~2%).
    close(auc.std_error, &g["auroc"]["bootstrap_std_error"], 0.05);
    close(2.0 * auc.value - 1.0, &g["gini"], tol);
    let (d, n) = split_by_outcome(&s.outcome, &s.pd);
    let ks = ks_two_sample(&d, &n).unwrap();
    close(ks.statistic, &g["ks"]["statistic"], tol);
    close(ks.p_value, &g["ks"]["p_value"], tol);
    let cmp = delong_test(&s.outcome, &s.pd, &s.challenger).unwrap();
    for (ours, key) in [
        (cmp.auroc_a, "auroc_a"),
        (cmp.auroc_b, "auroc_b"),
        (cmp.std_error, "std_error"),
        (cmp.statistic, "statistic"),
        (cmp.p_value, "p_value"),
    ] {
        close(ours, &g["delong_test"][key], tol);
    }
    // R's pROC 1.18 (gen.R): the AUROC, DeLong's standard error and the paired DeLong test.
    let proc: Value =
        serde_json::from_str(&std::fs::read_to_string(golden_dir().join("proc.json")).unwrap()).unwrap();
    close(auc.value, &proc["auroc"], tol);
    close(auc.std_error, &proc["std_error"], tol);
    close(cmp.auroc_b, &proc["challenger_auroc"], tol);
    close(cmp.statistic, &proc["delong_statistic"], tol);
    close(cmp.p_value, &proc["delong_p_value"], tol);
}

#[test]
fn calibration_matches_the_references() {
    let (g, s) = (expected(), current());
    let tol = g["tolerance"].as_f64().unwrap();
    let hl = hosmer_lemeshow(&s.outcome, &s.pd, Binning::r_default(10), HlSample::Validation).unwrap();
    close(hl.statistic, &g["hosmer_lemeshow"]["statistic"], tol);
    close(hl.p_value, &g["hosmer_lemeshow"]["p_value_validation"], tol);
    assert_eq!(hl.df, hl.groups);
    let development =
        hosmer_lemeshow(&s.outcome, &s.pd, Binning::r_default(10), HlSample::Development).unwrap();
    close(development.p_value, &g["hosmer_lemeshow"]["p_value_development"], tol);
    assert_eq!(development.df, hl.groups - 2);
    assert_eq!(hl.groups as u64, g["hosmer_lemeshow"]["groups"].as_u64().unwrap());
    // Seven groups, where R's type-7 cut and SAS PROC RANK's deciles part ways.
    let sas = Binning { groups: 7, grouping: Grouping::SasRank(Ties::Mean) };
    for (key, binning) in [("hosmer_lemeshow_7", Binning::r_default(7)), ("hosmer_lemeshow_sas_rank_7", sas)]
    {
        let hl = hosmer_lemeshow(&s.outcome, &s.pd, binning, HlSample::Validation).unwrap();
        close(hl.statistic, &g[key]["statistic"], tol);
        close(hl.p_value, &g[key]["p_value_validation"], tol);
    }
    let sp = spiegelhalter(&s.outcome, &s.pd).unwrap();
    close(sp.statistic, &g["spiegelhalter"]["statistic"], tol);
    close(sp.p_value, &g["spiegelhalter"]["p_value"], tol);
    let (grade, labels) = codes(&table("current"), "grade");
    let brier = brier_decomposition(&s.outcome, &s.pd, &grade).unwrap();
    close(brier.brier, &g["brier"], tol);
    for (ours, key) in [
        (brier.reliability, "reliability"),
        (brier.resolution, "resolution"),
        (brier.uncertainty, "uncertainty"),
    ] {
        close(ours, &g["brier_by_grade"][key], tol);
    }
    let sum = brier.reliability - brier.resolution + brier.uncertainty + brier.within_bin;
    assert!((sum - brier.brier).abs() < 1e-14, "the decomposition adds up");
    let grades = grade_tests(&s.outcome, &s.pd, &grade, &labels, 0.12).unwrap();
    let reference = g["grades"].as_array().unwrap();
    assert_eq!(grades.len(), reference.len());
    for (ours, theirs) in grades.iter().zip(reference) {
        assert_eq!(ours.grade, theirs["grade"].as_str().unwrap());
        assert_eq!(
            (ours.n as u64, ours.defaults as u64),
            (theirs["n"].as_u64().unwrap(), theirs["defaults"].as_u64().unwrap())
        );
        for (v, key) in [
            (ours.pd, "pd"),
            (ours.observed_rate, "observed_rate"),
            (ours.binomial_p_value, "binomial_p_value"),
            (ours.jeffreys_p_value, "jeffreys_p_value"),
            (ours.vasicek_q95, "vasicek_q95"),
            (ours.vasicek_q999, "vasicek_q999"),
        ] {
            close(v, &theirs[key], tol);
        }
        assert_eq!(serde_json::to_value(ours.traffic_light).unwrap(), theirs["traffic_light"]);
    }
}

#[test]
fn stability_matches_the_references() {
    let g = expected();
    let tol = g["tolerance"].as_f64().unwrap();
    let (base, cur) = (table("baseline"), table("current"));
    let psi = psi_numeric(&numbers(&base, "pd"), &numbers(&cur, "pd"), Binning::r_default(10)).unwrap();
    close(psi.value, &g["stability"]["psi"], tol);
    let sas = Binning { groups: 7, grouping: Grouping::SasRank(Ties::Mean) };
    let psi = psi_numeric(&numbers(&base, "pd"), &numbers(&cur, "pd"), sas).unwrap();
    close(psi.value, &g["stability"]["psi_sas_rank_7"], tol);
    for (feature, reference) in g["stability"]["csi"].as_object().unwrap() {
        let csi = if feature == "housing" {
            let ((b, levels), (c, _)) = (codes(&base, feature), codes(&cur, feature));
            psi_categorical(&b, &c, levels.len()).unwrap()
        } else {
            psi_numeric(&numbers(&base, feature), &numbers(&cur, feature), Binning::r_default(10)).unwrap()
        };
        close(csi.value, reference, tol);
    }
    let ((bg, levels), (cg, cur_levels)) = (codes(&base, "grade"), codes(&cur, "grade"));
    assert_eq!(levels, cur_levels);
    close(psi_categorical(&bg, &cg, levels.len()).unwrap().value, &g["stability"]["psi_grades"], tol);
    let ks = ks_two_sample(&numbers(&base, "pd"), &numbers(&cur, "pd")).unwrap();
    close(ks.statistic, &g["stability"]["ks"]["statistic"], tol);
    close(ks.p_value, &g["stability"]["ks"]["p_value"], tol);
    let count = |codes: &[usize]| {
        (0..levels.len()).map(|l| codes.iter().filter(|&&c| c == l).count()).collect::<Vec<_>>()
    };
    let chi = chi_square_homogeneity(&count(&bg), &count(&cg)).unwrap();
    close(chi.statistic, &g["stability"]["chi_square"]["statistic"], tol);
    close(chi.p_value, &g["stability"]["chi_square"]["p_value"], tol);
    assert_eq!(chi.df as u64, g["stability"]["chi_square"]["df"].as_u64().unwrap());
}

#[test]
fn exact_ks_p_values_match_scipy_with_ties_and_unequal_sizes() {
    let g = expected();
    for case in g["ks_cases"].as_array().unwrap() {
        let sample =
            |k: &str| case[k].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect::<Vec<_>>();
        let ks = ks_two_sample(&sample("a"), &sample("b")).unwrap();
        assert_eq!(ks.method, KsMethod::Exact);
        close(ks.statistic, &case["statistic"], 1e-12);
        close(ks.p_value, &case["p_value"], 1e-10);
    }
    for point in g["kolmogorov_sf"].as_array().unwrap() {
        close(kolmogorov_sf(point["x"].as_f64().unwrap()), &point["sf"], 1e-10);
    }
}

/// The multinomial Hosmer–Lemeshow test against the base-R computation of
/// `generalhoslem::logitgof`'s definition (multinomial_hl.json, made by multinomial_hl.R).
#[test]
fn the_multinomial_hosmer_lemeshow_test_matches_r() {
    let path = golden_dir().join("multinomial_hl.json");
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for case in golden["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let classes: Vec<usize> =
            case["classes"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap() as usize).collect();
        let rows: Vec<Vec<f64>> = serde_json::from_value(case["probabilities"].clone()).unwrap();
        let k = rows[0].len();
        let probs = ndarray::Array2::from_shape_vec((rows.len(), k), rows.concat()).unwrap();
        let binning = Binning::r_default(case["groups_asked"].as_u64().unwrap() as usize);
        for (sample, suffix) in [(HlSample::Validation, "validation"), (HlSample::Development, "development")]
        {
            let t = hosmer_lemeshow_multinomial(&classes, probs.view(), binning, sample).unwrap();
            assert_close!(t.statistic, &case["statistic"], Tolerance::relative(1e-12), "{name}");
            assert_eq!(t.groups as u64, case["groups"].as_u64().unwrap(), "{name}");
            assert_eq!(t.df as u64, case[format!("df_{suffix}")].as_u64().unwrap(), "{name}");
            assert_close!(
                t.p_value,
                &case[format!("p_{suffix}")],
                Tolerance::relative(1e-10),
                "{name} {suffix}"
            );
            let rows_counted: usize = t.table.iter().map(|g| g.n).sum();
            assert_eq!(rows_counted, classes.len(), "{name}");
            if sample == HlSample::Development {
                continue;
            }
            let covariance = t.covariance_statistic.unwrap();
            assert_close!(covariance, &case["covariance_statistic"], Tolerance::relative(1e-12), "{name}");
            let p = t.covariance_p_value.unwrap();
            assert_close!(p, &case["covariance_p_value"], Tolerance::relative(1e-10), "{name}");
        }
    }
}
