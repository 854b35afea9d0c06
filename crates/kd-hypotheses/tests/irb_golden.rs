//! kd-hypotheses' IRB validation figures against independent computations from the published
//! formulas: the Taiwan PD example and the synthetic PD panel (tests/golden/irb_pd, gen.py with
//! scipy / scikit-learn and gen.R with pROC) and the synthetic LGD / CCF portfolio
//! (tests/golden/irb_lgd).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_test_support::{VALIDATION, assert_close};
use std::collections::HashMap;

use kd_core::data::{ColumnData, ReadOptions, Table, read_csv};
use kd_hypotheses::validation::*;
use serde_json::Value;

fn dir(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden").join(name)
}

fn json(folder: &str, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir(folder).join(file)).unwrap()).unwrap()
}

fn table(folder: &str, file: &str) -> Table {
    // Grade and segment labels are categories (the panel's grades are the numbers 1 to 7).
    let categorical = match (folder, file.starts_with("taiwan")) {
        ("irb_lgd", _) => vec!["segment".to_owned()],
        (_, true) => vec!["grade".to_owned()],
        _ => Vec::new(),
    };
    read_csv(&dir(folder).join(file), &ReadOptions { categorical, ..ReadOptions::default() }).unwrap()
}

fn numbers(t: &Table, column: &str) -> Vec<f64> {
    match &t.column(column).unwrap().data {
        ColumnData::Numeric(v) => v.clone(),
        ColumnData::Categorical { .. } => panic!("{column} is categorical"),
    }
}

/// Codes of a categorical column in the order of `scale`.
fn ranks(t: &Table, column: &str, scale: &[String]) -> Vec<usize> {
    match &t.column(column).unwrap().data {
        ColumnData::Categorical { levels, codes } => codes
            .iter()
            .map(|c| scale.iter().position(|s| *s == levels[c.unwrap() as usize]).unwrap())
            .collect(),
        ColumnData::Numeric(v) => v.iter().map(|&x| x as usize - 1).collect(),
    }
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

#[track_caller]
fn close(ours: f64, theirs: &Value, what: &str) {
    assert_close!(ours, theirs, VALIDATION, "{what}");
}

fn scale(g: &Value) -> Vec<String> {
    g["scale"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
}

#[test]
fn taiwan_discrimination_matches_python_and_proc() {
    let g = json("irb_pd", "expected.json");
    let proc = json("irb_pd", "proc.json");
    let (cur, dev) = (table("irb_pd", "taiwan_current.csv.gz"), table("irb_pd", "taiwan_development.csv.gz"));
    let outcome = |t: &Table| numbers(t, "default").iter().map(|&y| y == 1.0).collect::<Vec<_>>();
    let auc = auroc_delong(&outcome(&cur), &numbers(&cur, "pd"), 0.95).unwrap();
    let auc0 = auroc_delong(&outcome(&dev), &numbers(&dev, "pd"), 0.95).unwrap();
    let t = &g["taiwan"];
    close(auc.value, &t["auroc"]["value"], "AUROC");
    close(auc.std_error, &t["auroc"]["std_error"], "DeLong s.e.");
    close(auc.value, &proc["current"]["auroc"], "AUROC (pROC)");
    close(auc.std_error, &proc["current"]["std_error"], "DeLong s.e. (pROC)");
    close(auc0.std_error, &proc["development"]["std_error"], "initial DeLong s.e. (pROC)");
    let change = auc_change(auc.value, auc.std_error, auc0.value, Some(auc0.std_error)).unwrap();
    for key in ["statistic", "p_value", "independent_statistic", "independent_p_value"] {
        let ours = serde_json::to_value(change).unwrap()[key].as_f64().unwrap();
        close(ours, &t["auc_change"][key], key);
    }
}

#[test]
fn taiwan_predictive_ability_and_concentration_match_python() {
    let g = json("irb_pd", "expected.json");
    let (t, scale) = (&g["taiwan"], scale(&g));
    let (cur, dev) = (table("irb_pd", "taiwan_current.csv.gz"), table("irb_pd", "taiwan_development.csv.gz"));
    let outcome: Vec<bool> = numbers(&cur, "default").iter().map(|&y| y == 1.0).collect();
    let pd = numbers(&cur, "pd");
    let grade = ranks(&cur, "grade", &scale);
    let jeffreys = portfolio_jeffreys(&outcome, &pd).unwrap();
    close(jeffreys.pd, &t["portfolio_jeffreys"]["pd"], "portfolio PD");
    close(jeffreys.p_value, &t["portfolio_jeffreys"]["p_value"], "portfolio Jeffreys");
    let tests = grade_tests(&outcome, &pd, &grade, &scale, 0.12).unwrap();
    for (ours, theirs) in tests.iter().zip(t["grades"].as_array().unwrap()) {
        assert_eq!(ours.grade, theirs["grade"].as_str().unwrap(), "grades in the scale's order");
        close(ours.jeffreys_p_value, &theirs["jeffreys_p_value"], "Jeffreys");
        close(ours.binomial_p_value, &theirs["binomial_p_value"], "binomial");
    }
    let n: Vec<usize> = tests.iter().map(|g| g.n).collect();
    let d: Vec<usize> = tests.iter().map(|g| g.defaults).collect();
    for (ours, theirs) in
        pluto_tasche(&n, &d, 0.9, 0.0).unwrap().iter().zip(t["pluto_tasche_90"].as_array().unwrap())
    {
        close(ours.upper_bound, theirs, "Pluto-Tasche bound");
    }
    let count = |grades: &[usize]| {
        (0..scale.len()).map(|k| grades.iter().filter(|&&g| g == k).count() as f64).collect::<Vec<_>>()
    };
    let exposure = |grades: &[usize], limit: &[f64]| {
        (0..scale.len())
            .map(|k| grades.iter().zip(limit).filter(|(g, _)| **g == k).map(|(_, l)| l).sum())
            .collect::<Vec<f64>>()
    };
    let dev_grade = ranks(&dev, "grade", &scale);
    for (key, test) in [
        ("obligors", herfindahl_test(&count(&grade), &count(&dev_grade)).unwrap()),
        (
            "exposure",
            herfindahl_test(
                &exposure(&grade, &numbers(&cur, "limit")),
                &exposure(&dev_grade, &numbers(&dev, "limit")),
            )
            .unwrap(),
        ),
    ] {
        let r = &t["concentration"][key];
        close(test.current.index, &r["current"]["index"], "HI");
        close(test.current.sum_of_squares, &r["current"]["sum_of_squares"], "HHI");
        close(test.initial.cv, &r["initial"]["cv"], "initial CV");
        close(test.statistic, &r["statistic"], "HI test statistic");
        close(test.p_value, &r["p_value"], "HI test p-value");
    }
}

fn check_migration(ours: &Migration, theirs: &Value) {
    let counts: Vec<Vec<usize>> = serde_json::from_value(theirs["counts"].clone()).unwrap();
    assert_eq!(ours.counts, counts);
    for key in
        ["stayed", "moved_one", "moved_two", "moved_more", "downgraded", "upgraded", "mwb_upper", "mwb_lower"]
    {
        close(serde_json::to_value(ours).unwrap()[key].as_f64().unwrap(), &theirs[key], key);
    }
    if let Some(m) = theirs.get("monotonicity") {
        check_monotonicity(&ours.monotonicity, m);
    }
}

/// The monotonicity z-tests against the generator's: the same cells, z, p and breaches.
fn check_monotonicity(ours: &MigrationStability, theirs: &Value) {
    let tests = theirs["tests"].as_array().unwrap();
    assert_eq!(ours.tests.len(), tests.len(), "tested cells");
    assert_eq!(
        (ours.untested as u64, ours.breaches as u64),
        (theirs["untested"].as_u64().unwrap(), theirs["breaches"].as_u64().unwrap())
    );
    for (t, r) in ours.tests.iter().zip(tests) {
        assert_eq!(
            (t.from as u64, t.to as u64, t.breach),
            (r["from"].as_u64().unwrap(), r["to"].as_u64().unwrap(), r["breach"].as_bool().unwrap())
        );
        match t.z {
            Some(z) => close(z, &r["z"], "monotonicity z"),
            None => assert!(r["z"].is_null(), "z at ({}, {})", t.from, t.to),
        }
        close(t.p_value, &r["p_value"], "monotonicity p");
    }
}

#[test]
fn monotonicity_z_tests_match_the_mathworks_example_and_a_hand_value() {
    let g = json("irb_pd", "expected.json");
    let m = &g["mathworks_mms"];
    let counts: Vec<Vec<usize>> = serde_json::from_value(m["counts"].clone()).unwrap();
    let ours = migration_stability(&counts, 0.05).unwrap();
    check_monotonicity(&ours, m);
    // The decisions MathWorks prints (rows 1-5; null: not tested), read through ours.
    for (i, row) in m["printed_decisions"].as_array().unwrap().iter().enumerate() {
        for (j, decision) in row.as_array().unwrap().iter().enumerate() {
            let found = ours.tests.iter().find(|t| (t.from, t.to) == (i, j)).map(|t| u64::from(t.breach));
            assert_eq!(found, decision.as_u64(), "cell ({i}, {j})");
        }
    }
    // Rows [2,1,1], [1,2,1], [1,1,2]: cell (0, 1) has z = (2 − 1)/√(2 + 1 − 1/4) = 2/√11.
    let small = migration_stability(&[vec![2, 1, 1], vec![1, 2, 1], vec![1, 1, 2]], 0.05).unwrap();
    let z01 = small.tests.iter().find(|t| (t.from, t.to) == (0, 1)).unwrap().z;
    let z01 = z01.unwrap();
    assert!((z01 - 2.0 / 11f64.sqrt()).abs() < 1e-14, "{z01}");
    // A row all in one cell: the cell beyond it is a certain breach, the one before it none.
    let all_moved = migration_stability(&[vec![0, 3, 0], vec![1, 1, 1], vec![0, 0, 0]], 0.05).unwrap();
    let cell = |j: usize| all_moved.tests.iter().find(|t| (t.from, t.to) == (0, j)).cloned().unwrap();
    assert_eq!((cell(1).z, cell(1).p_value, cell(1).breach), (None, 0.0, true));
    assert_eq!((cell(2).z, cell(2).p_value, cell(2).breach), (None, 1.0, false));
    assert_eq!(all_moved.untested, 2, "the empty row's two cells");
    assert!(migration_stability(&[vec![1, 2], vec![3]], 0.05).is_err(), "a row shorter than the grades");
    assert!(migration_stability(&counts, 1.0).is_err(), "a level outside (0, 1)");
}

#[test]
fn migrations_match_python_and_the_mathworks_example() {
    let g = json("irb_pd", "expected.json");
    let scale = scale(&g);
    let (cur, prev) = (table("irb_pd", "taiwan_current.csv.gz"), table("irb_pd", "taiwan_previous.csv.gz"));
    let before: HashMap<u64, usize> =
        numbers(&prev, "id").iter().map(|&i| i as u64).zip(ranks(&prev, "grade", &scale)).collect();
    let (mut from, mut to) = (Vec::new(), Vec::new());
    for (id, grade) in numbers(&cur, "id").iter().zip(ranks(&cur, "grade", &scale)) {
        from.push(before[&(*id as u64)]);
        to.push(grade);
    }
    check_migration(&migration(&from, &to, 7).unwrap(), &g["taiwan"]["migration"]);
    // MathWorks' worked example, expanded to obligors.
    let counts: Vec<Vec<usize>> = serde_json::from_value(g["mathworks_mwb"]["counts"].clone()).unwrap();
    let (mut from, mut to) = (Vec::new(), Vec::new());
    for (i, row) in counts.iter().enumerate() {
        for (j, &c) in row.iter().enumerate() {
            from.extend(std::iter::repeat_n(i, c));
            to.extend(std::iter::repeat_n(j, c));
        }
    }
    let m = migration(&from, &to, 5).unwrap();
    check_migration(&m, &g["mathworks_mwb"]);
    assert_eq!((m.mwb_lower.unwrap() * 1e4).round(), 3306.0);
    assert_eq!((m.mwb_upper.unwrap() * 1e4).round(), 6066.0);
}

#[test]
fn the_synthetic_panel_matches_python() {
    let g = json("irb_pd", "expected.json");
    let s = &g["synthetic_panel"];
    let panel = table("irb_pd", "panel.csv.gz");
    let dates: Vec<String> = match &panel.column("date").unwrap().data {
        ColumnData::Categorical { levels, .. } => levels.clone(),
        ColumnData::Numeric(_) => panic!("dates are text"),
    };
    let cohort = match &panel.column("date").unwrap().data {
        ColumnData::Categorical { codes, .. } => {
            codes.iter().map(|c| c.unwrap() as usize).collect::<Vec<_>>()
        }
        ColumnData::Numeric(_) => unreachable!(),
    };
    let outcome: Vec<bool> = numbers(&panel, "default").iter().map(|&y| y == 1.0).collect();
    let pd = numbers(&panel, "pd");
    let own = long_run_average(&outcome, &pd, &cohort, &dates, None).unwrap();
    close(own.default_rate, &s["long_run"]["default_rate"], "LRA");
    close(own.statistic.unwrap(), &s["long_run"]["statistic_own_pd"], "normal test (own PDs)");
    close(own.p_value.unwrap(), &s["long_run"]["p_value_own_pd"], "normal test p (own PDs)");
    for (ours, theirs) in own.cohorts.iter().zip(s["cohorts"].as_array().unwrap()) {
        close(ours.default_rate, &theirs["default_rate"], "cohort default rate");
        close(ours.mean_pd, &theirs["mean_pd"], "cohort mean PD");
    }
    let target = long_run_average(&outcome, &pd, &cohort, &dates, Some(0.05)).unwrap();
    close(target.statistic.unwrap(), &s["long_run"]["statistic_target"], "normal test (target)");
    close(target.p_value.unwrap(), &s["long_run"]["p_value_target"], "normal test p (target)");
    // Simulation precision: the long-run rate against the generator's expected rate.
    let last = dates.len() - 1;
    let rows = |c: usize| (0..cohort.len()).filter(|&i| cohort[i] == c).collect::<Vec<usize>>();
    let grade = numbers(&panel, "grade");
    let final_grade = numbers(&panel, "final_grade");
    let latest = rows(last);
    let model: Vec<usize> = latest.iter().map(|&i| grade[i] as usize - 1).collect();
    let fin: Vec<usize> = latest.iter().map(|&i| final_grade[i] as usize - 1).collect();
    let o = overrides_by_grade(&model, &fin).unwrap();
    close(o.rate, &s["overrides"]["rate"], "override rate");
    assert_eq!(o.upgrades.unwrap() as u64, s["overrides"]["upgrades"].as_u64().unwrap());
    let ids = numbers(&panel, "id");
    let before: HashMap<u64, usize> =
        rows(last - 1).into_iter().map(|i| (ids[i] as u64, grade[i] as usize - 1)).collect();
    let (mut from, mut to) = (Vec::new(), Vec::new());
    for &i in &latest {
        if let Some(&b) = before.get(&(ids[i] as u64)) {
            from.push(b);
            to.push(grade[i] as usize - 1);
        }
    }
    check_migration(&migration(&from, &to, 7).unwrap(), &s["migration"]);
}

#[test]
fn pluto_tasche_zero_defaults_match_scipy() {
    let g = json("irb_pd", "expected.json");
    let z = &g["pluto_tasche_zero_default"];
    for gamma in ["0.5", "0.9", "0.99", "0.999"] {
        let bounds = pluto_tasche(&[100, 400, 300], &[0, 0, 0], gamma.parse().unwrap(), 0.0).unwrap();
        for (ours, theirs) in bounds.iter().zip(z[format!("bounds_{gamma}")].as_array().unwrap()) {
            close(ours.upper_bound, theirs, &format!("zero-default bound at {gamma}"));
        }
    }
    assert!(pluto_tasche(&[10, 0], &[1, 0], 0.9, 0.12).is_err(), "the worst grade has no obligors");
    assert!(pluto_tasche(&[10], &[11], 0.9, 0.12).is_err());
    assert!(pluto_tasche(&[10], &[1], 1.0, 0.12).is_err());
    assert!(pluto_tasche(&[10], &[1], 0.9, 1.0).is_err(), "an asset correlation of 1");
    assert!(pluto_tasche(&[10], &[1], 1.0 - 1e-12, 0.12).is_err(), "1 − γ below the integral's accuracy");
    assert!(pluto_tasche(&[10], &[1], 1.0 - 1e-12, 0.0).is_ok(), "independent defaults need no integral");
}

#[test]
fn pluto_tasche_correlated_matches_r() {
    let g = json("irb_pd", "pluto_tasche.json");
    let counts = |v: &Value| v.as_array().unwrap().iter().map(|x| f(x) as usize).collect::<Vec<_>>();
    let mut cases: Vec<(String, &Value)> = g["no_defaults"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (format!("no defaults at {k}"), v))
        .collect();
    cases.extend(["few_defaults", "taiwan", "large", "near_one"].map(|k| (k.to_owned(), &g[k])));
    for (name, case) in cases {
        let bounds =
            pluto_tasche(&counts(&case["n"]), &counts(&case["d"]), f(&case["gamma"]), f(&case["rho"]))
                .unwrap();
        let theirs = case["bounds"].as_array().unwrap();
        assert_eq!(bounds.len(), theirs.len(), "{name}");
        for (k, (ours, theirs)) in bounds.iter().zip(theirs).enumerate() {
            close(ours.upper_bound_correlated, theirs, &format!("{name}, grade {k}"));
        }
    }
    // Windridge's Pluto-Tasche calculator prints 0.0334 for 35 defaults among 9,810 obligors at
    // 95% with an asset correlation of 0.15 (its R simulation: P(more than 35) = 0.95002).
    let windridge = pluto_tasche(&[9810], &[35], 0.95, 0.15).unwrap()[0].upper_bound_correlated;
    assert!((windridge - 0.0334).abs() < 5e-5, "{windridge}");
}

fn check_backtests(ours: &[Backtest], theirs: &Value) {
    for (o, t) in ours.iter().zip(theirs.as_array().unwrap()) {
        assert_eq!(o.segment, t["segment"].as_str().unwrap());
        assert_eq!(o.n as u64, t["n"].as_u64().unwrap());
        for key in [
            "mean_estimate",
            "mean_realised",
            "mean_difference",
            "mean_absolute_error",
            "mean_squared_error",
            "loss_shortfall",
        ] {
            close(
                serde_json::to_value(o).unwrap()[key].as_f64().unwrap(),
                &t[key],
                &format!("{} {key}", o.segment),
            );
        }
        let test = o.t_test.unwrap();
        close(test.statistic, &t["t_test"]["statistic"], "t");
        close(test.p_value, &t["t_test"]["p_value"], "t-test p");
    }
}

#[test]
fn lgd_and_ccf_backtests_and_gauc_match_scipy() {
    let g = json("irb_lgd", "expected.json");
    for (model, estimate, weight) in [("lgd", "lgd", "ead"), ("ccf", "ccf", "undrawn")] {
        let cur = table("irb_lgd", &format!("{model}_current.csv.gz"));
        let base = table("irb_lgd", &format!("{model}_baseline.csv.gz"));
        let (segment, labels) = match &cur.column("segment").unwrap().data {
            ColumnData::Categorical { levels, codes } => {
                (codes.iter().map(|c| c.unwrap() as usize).collect::<Vec<_>>(), levels.clone())
            }
            ColumnData::Numeric(_) => unreachable!(),
        };
        let (r, e, w) = (numbers(&cur, "realised"), numbers(&cur, estimate), numbers(&cur, weight));
        let tests = segment_backtests(&r, &e, Some(&w), &segment, &labels, Alternative::Greater).unwrap();
        let reference = &g[model];
        check_backtests(&tests, &reference["backtests"]);
        let gauc = generalised_auc(&r, &e).unwrap();
        close(gauc.value, &reference["gauc"]["value"], "gAUC");
        close(gauc.std_error, &reference["gauc"]["std_error"], "gAUC s.e.");
        let g0 = generalised_auc(&numbers(&base, "realised"), &numbers(&base, estimate)).unwrap();
        close(g0.value, &reference["gauc_initial"]["value"], "initial gAUC");
        let change = auc_change(gauc.value, gauc.std_error, g0.value, Some(g0.std_error)).unwrap();
        close(change.statistic, &reference["gauc_change"]["statistic"], "gAUC change");
        close(
            change.independent_p_value.unwrap(),
            &reference["gauc_change"]["independent_p_value"],
            "gAUC change p",
        );
        if model == "lgd" {
            let elbe =
                backtest("portfolio", &r, &numbers(&cur, "elbe"), Some(&w), Alternative::TwoSided).unwrap();
            check_backtests(&[elbe], &Value::Array(vec![reference["elbe"].clone()]));
            let lid =
                backtest("portfolio", &r, &numbers(&cur, "lgd_in_default"), Some(&w), Alternative::Greater)
                    .unwrap();
            check_backtests(&[lid], &Value::Array(vec![reference["lgd_in_default"].clone()]));
            // Simulation precision: each segment's gap against the generator's true gap, within
            // 4 standard errors of the segment mean.
            for (o, truth) in tests.iter().zip(g["true_gap_lgd"].as_array().unwrap()) {
                let se = (o.mean_squared_error - o.mean_difference.powi(2)).sqrt() / (o.n as f64).sqrt();
                assert!(
                    (o.mean_difference - f(truth)).abs() < 4.0 * se,
                    "{}: {} vs true {truth}",
                    o.segment,
                    o.mean_difference
                );
            }
        }
    }
}

#[test]
fn the_gauc_of_a_binary_outcome_is_the_auroc() {
    let y = [0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
    let s = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.5, 0.5, 0.5];
    let gauc = generalised_auc(&y, &s).unwrap();
    let auc = auroc_delong(&y.map(|v| v == 1.0), &s, 0.95).unwrap();
    assert!((gauc.value - auc.value).abs() < 1e-15);
    assert!(generalised_auc(&[0.3, 0.3], &[0.1, 0.2]).is_err(), "no comparable pair");
}

fn period_counts(v: &Value) -> ndarray::Array2<usize> {
    let rows: Vec<Vec<usize>> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row.as_array().unwrap().iter().map(|x| f(x) as usize).collect())
        .collect();
    ndarray::Array2::from_shape_fn((rows.len(), rows[0].len()), |(t, k)| rows[t][k])
}

fn period_bounds(case: &Value) -> Vec<f64> {
    let (n, d) = (period_counts(&case["n"]), period_counts(&case["d"]));
    pluto_tasche_periods(n.view(), d.view(), f(&case["gamma"]), f(&case["rho"]), f(&case["tau"]))
        .unwrap()
        .iter()
        .map(|b| b.upper_bound.unwrap())
        .collect()
}

#[test]
fn pluto_tasche_periods_match_r() {
    let g = json("irb_pd", "pluto_tasche_periods.json");
    // Two periods: R's nested integrate; three independent ones: R's convolution (both agree
    // to about 1e-12 relative, one period with R's one-period bounds to 4e-11).
    for name in ["two_periods", "two_periods_persistent", "three_periods_independent"] {
        let theirs = g[name]["bounds"].as_array().unwrap();
        for (k, (ours, theirs)) in period_bounds(&g[name]).iter().zip(theirs).enumerate() {
            assert_close!(*ours, theirs, VALIDATION, "{name}, grade {k}");
        }
    }
    // Five periods: R's Monte Carlo, within four of its standard errors.
    for name in ["five_years", "five_years_defaults"] {
        let (theirs, se) =
            (g[name]["bounds"].as_array().unwrap(), g[name]["standard_errors"].as_array().unwrap());
        for (k, ours) in period_bounds(&g[name]).iter().enumerate() {
            let (theirs, se) = (f(&theirs[k]), f(&se[k]));
            assert!((ours - theirs).abs() <= 4.0 * se, "{name}, grade {k}: {ours} against {theirs} ± {se}");
        }
    }
    // One period: the one-period bounds R computed (tests/golden/irb_pd/pluto_tasche.R).
    let one = json("irb_pd", "pluto_tasche.json");
    let mut cases: Vec<&Value> = one["no_defaults"].as_object().unwrap().values().collect();
    cases.extend(["few_defaults", "large", "near_one"].map(|k| &one[k]));
    for case in cases {
        let row = |v: &Value| -> ndarray::Array2<usize> {
            let values: Vec<usize> = match v.as_array() {
                Some(a) => a.iter().map(|x| f(x) as usize).collect(),
                None => vec![f(v) as usize],
            };
            ndarray::Array2::from_shape_vec((1, values.len()), values).unwrap()
        };
        let (n, d) = (row(&case["n"]), row(&case["d"]));
        let ours = pluto_tasche_periods(n.view(), d.view(), f(&case["gamma"]), f(&case["rho"]), 0.5).unwrap();
        for (k, (ours, theirs)) in ours.iter().zip(case["bounds"].as_array().unwrap()).enumerate() {
            assert_close!(ours.upper_bound.unwrap(), theirs, VALIDATION, "one period, grade {k}");
        }
    }
}

#[test]
fn pluto_tasche_periods_refuse_bad_counts_and_parameters() {
    use ndarray::array;
    let (n, d) = (array![[10usize, 20], [12, 18]], array![[0usize, 1], [0, 0]]);
    let bounds = |d: ndarray::Array2<usize>, gamma: f64, rho: f64, tau: f64| {
        pluto_tasche_periods(n.view(), d.view(), gamma, rho, tau)
    };
    assert!(bounds(d.clone(), 0.9, 0.12, 0.3).is_ok());
    let too_many = bounds(array![[0, 1], [0, 19]], 0.9, 0.12, 0.3).unwrap_err().to_string();
    assert!(too_many.contains("period 2, grade 2: 19 defaults among 18"), "{too_many}");
    assert!(bounds(array![[0, 1]], 0.9, 0.12, 0.3).is_err(), "shapes differ");
    assert!(bounds(d.clone(), 1.0, 0.12, 0.3).is_err());
    assert!(bounds(d.clone(), 0.9, 1.0, 0.3).is_err());
    assert!(bounds(d.clone(), 0.9, 0.12, 0.995).unwrap_err().to_string().contains("0.99"));
    assert!(bounds(d.clone(), 0.9, 0.12, -0.1).is_err());
    let empty = ndarray::Array2::<usize>::zeros((0, 0));
    assert!(pluto_tasche_periods(empty.view(), empty.view(), 0.9, 0.12, 0.3).is_err());
    // A pool of more defaults than the recursion takes gets no bound and a note, the others
    // theirs; with ρ = 0 the pool is Clopper–Pearson's, however many defaults it holds.
    let (n, d) = (array![[1000usize, 1000], [1000, 1000]], array![[60usize, 150], [0, 0]]);
    let capped = pluto_tasche_periods(n.view(), d.view(), 0.9, 0.12, 0.3).unwrap();
    assert_eq!((capped[0].upper_bound, capped[0].defaults), (None, 210));
    assert!(capped[0].note.as_deref().is_some_and(|w| w.contains("210 defaults pooled")), "{:?}", capped[0]);
    assert!(capped[1].upper_bound.is_some() && capped[1].note.is_none());
    let independent = pluto_tasche_periods(n.view(), d.view(), 0.9, 0.0, 0.3).unwrap();
    let pooled = pluto_tasche(&[2000, 2000], &[60, 150], 0.9, 0.0).unwrap();
    assert_eq!(independent[0].upper_bound, Some(pooled[0].upper_bound));
    // Every obligor defaulted: the bound is 1.
    let all = pluto_tasche_periods(array![[3usize]].view(), array![[3usize]].view(), 0.9, 0.12, 0.3).unwrap();
    assert_eq!(all[0].upper_bound, Some(1.0));
}
