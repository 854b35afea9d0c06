//! The WoE scorecard: classes, WoE, IV and coefficients on German credit against pandas and
//! statsmodels 0.15.0 (tests/golden/woe_scorecard, made by gen.py there); points that add up to
//! the score, which maps back to the probability; soft targets; named errors; the saved format.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::data::{Dataset, DatasetSpec, ReadOptions, Target, TaskHint, read_csv};
use kd_students::scorecard::ScorecardScaling;
use kd_students::scorecard::{WoeClass, WoeParams, WoeScorecard};
use kd_students::{Error, SavedStudent, Student};
use kd_test_support::Tolerance;
use ndarray::{Array1, Array2};
use serde_json::Value;

struct German {
    x: Array2<f64>,
    bad: Array1<f64>,
    names: Vec<String>,
    levels: Vec<Option<Vec<String>>>,
}

fn german() -> German {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let table = read_csv(&root.join("data/credit/german_credit.csv"), &ReadOptions::default()).unwrap();
    let spec =
        DatasetSpec { target: "creditability".into(), task: TaskHint::Classification, ..Default::default() };
    let data = Dataset::from_table(&table, &spec).unwrap();
    let Target::Classes { labels, y } = data.target() else { panic!("classes") };
    let bad = y.iter().map(|&c| f64::from(u8::from(labels[c] == "bad"))).collect();
    German { x: data.x().clone(), bad, names: data.feature_names(), levels: data.levels() }
}

fn golden() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/woe_scorecard/german_credit.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    Tolerance::relative(tolerance).admits(a, b)
}

#[test]
fn german_credit_matches_pandas_and_statsmodels() {
    let g = german();
    let golden = golden();
    let card =
        WoeScorecard::fit(&WoeParams::default(), g.x.view(), g.bad.view(), &g.names, &g.levels).unwrap();
    let theirs = golden["features"].as_array().unwrap();
    assert_eq!(card.features.len(), theirs.len());
    let (mut worst_woe, mut worst_iv) = (0.0f64, 0.0f64);
    for (ours, theirs) in card.features.iter().zip(theirs) {
        let name = &ours.name;
        assert_eq!(name, theirs["name"].as_str().unwrap());
        let bins = theirs["bins"].as_array().unwrap();
        assert_eq!(ours.bins.len(), bins.len(), "{name}: classes");
        for (b, (bin, reference)) in ours.bins.iter().zip(bins).enumerate() {
            assert_eq!(bin.rows as u64, reference["rows"].as_u64().unwrap(), "{name} class {b}: rows");
            assert_eq!(
                (bin.lower, bin.upper),
                (reference["lower"].as_f64(), reference["upper"].as_f64()),
                "{name}"
            );
            let levels: Vec<String> = serde_json::from_value(reference["levels"].clone()).unwrap();
            let named: Vec<String> =
                bin.levels.iter().map(|&c| ours.levels.as_ref().unwrap()[c].clone()).collect();
            assert_eq!(named, levels, "{name} class {b}: levels");
            let woe = reference["woe"].as_f64().unwrap();
            assert!(close(bin.woe, woe, 1e-10), "{name} class {b}: WoE {} vs {woe}", bin.woe);
            worst_woe = worst_woe.max((bin.woe - woe).abs());
        }
        let iv = theirs["information_value"].as_f64().unwrap();
        assert!(close(ours.information_value, iv, 1e-10), "{name}: IV");
        worst_iv = worst_iv.max((ours.information_value - iv).abs());
    }
    let coefficients = golden["coefficients"].as_object().unwrap();
    assert_eq!(
        card.logistic.coefficients.len(),
        coefficients.len(),
        "foreign_worker has one class and is left out"
    );
    let mut worst_coefficient = 0.0f64;
    for c in &card.logistic.coefficients {
        let reference = coefficients[&c.name].as_f64().unwrap();
        assert!(close(c.estimate, reference, 1e-6), "{}: {} vs statsmodels {reference}", c.name, c.estimate);
        worst_coefficient = worst_coefficient.max((c.estimate - reference).abs());
    }
    let predictions: Vec<f64> = serde_json::from_value(golden["predictions"].clone()).unwrap();
    let ours = card.predict_proba(g.x.view()).unwrap();
    assert!(ours.iter().zip(&predictions).all(|(a, b)| (a - b).abs() < 1e-8));
    eprintln!(
        "largest differences: WoE {worst_woe:.1e}, IV {worst_iv:.1e}, coefficients {worst_coefficient:.1e}"
    );
}

#[test]
fn points_add_up_to_the_score_which_maps_to_the_probability() {
    let g = german();
    let scaling = ScorecardScaling { pdo: 40.0, base_score: 500.0, base_odds: 20.0 };
    // Soft targets: a smoothed default probability instead of the 0/1 outcome.
    let soft = g.bad.mapv(|b| 0.1 + 0.8 * b);
    for t in [&g.bad, &soft] {
        let params = WoeParams { scaling, fine_bins: 10, ..WoeParams::default() };
        let card = WoeScorecard::fit(&params, g.x.view(), t.view(), &g.names, &g.levels).unwrap();
        let points = card.points(g.x.view()).unwrap();
        let score = card.score(g.x.view()).unwrap();
        let pd = card.predict_proba(g.x.view()).unwrap();
        for i in 0..g.x.nrows() {
            assert!((card.base_points + points.row(i).sum() - score[i]).abs() < 1e-9);
            assert!((scaling.pd_of_score(score[i]) - pd[i]).abs() < 1e-12, "row {i}");
        }
        assert!(card.features.iter().all(|f| f.information_value >= 0.0));
        assert!(card.features.iter().filter(|f| f.levels.is_none() && f.bins.len() > 1).all(|f| {
            let woe: Vec<f64> = f.bins.iter().map(|b| b.woe).collect();
            woe.windows(2).all(|w| w[0] <= w[1]) || woe.windows(2).all(|w| w[0] >= w[1])
        }));
        let table = card.points_table();
        assert_eq!(table.len(), card.features.iter().map(|f| f.bins.len()).sum::<usize>());
        assert!(card.explain().contains("purpose") && table.iter().any(|r| r.class.starts_with('{')));
    }
}

#[test]
fn bad_input_is_a_named_error_and_the_saved_format_round_trips() {
    let g = german();
    let fit = |params: &WoeParams, t: &Array1<f64>| {
        WoeScorecard::fit(params, g.x.view(), t.view(), &g.names, &g.levels)
    };
    let default = WoeParams::default();
    let mut outside = g.bad.clone();
    outside[7] = 1.5;
    assert!(matches!(fit(&default, &outside), Err(Error::InvalidInput { row: 7, .. })));
    assert!(matches!(fit(&default, &Array1::zeros(g.bad.len())), Err(Error::InvalidParameter { .. })));
    for (params, name) in [
        (WoeParams { fine_bins: 1, ..default.clone() }, "bins"),
        (WoeParams { min_bin_share: 0.7, ..default.clone() }, "min_bin_share"),
        (
            WoeParams {
                scaling: ScorecardScaling { pdo: 0.0, ..ScorecardScaling::default() },
                ..default.clone()
            },
            "scaling",
        ),
    ] {
        assert!(fit(&params, &g.bad).unwrap_err().to_string().contains(name), "{name}");
    }
    let card = fit(&default, &g.bad).unwrap();
    let purpose = g.names.iter().position(|n| n == "purpose").unwrap();
    let mut unseen = g.x.slice(ndarray::s![..3, ..]).to_owned();
    unseen[[1, purpose]] = 99.0;
    assert!(
        matches!(card.predict_proba(unseen.view()), Err(Error::InvalidInput { row: 1, column, .. }) if column == purpose)
    );
    unseen[[1, purpose]] = f64::NAN;
    assert!(matches!(card.score(unseen.view()), Err(Error::InvalidInput { row: 1, .. })));
    assert!(matches!(card.points(g.x.slice(ndarray::s![.., ..3]).view()), Err(Error::ShapeMismatch { .. })));

    let saved = SavedStudent {
        format: "kd-student".into(),
        version: kd_students::FORMAT_VERSION,
        task: "binary".into(),
        target: "creditability".into(),
        features: g.names.clone(),
        levels: g.levels.clone(),
        classes: Some(vec!["good".into(), "bad".into()]),
        teacher: None,
        ranges: Vec::new(),
        student: Student::Scorecard(card.clone()),
    };
    let back = SavedStudent::from_json(&saved.to_json().unwrap()).unwrap();
    assert_eq!(back.student.predict(g.x.view()).unwrap(), saved.student.predict(g.x.view()).unwrap());
    assert_eq!(back.student.kind(), "scorecard");
    let mut broken = saved.clone();
    if let Student::Scorecard(c) = &mut broken.student {
        c.features[0].bins[0].levels.push(1000);
    }
    assert!(
        SavedStudent::from_json(&broken.to_json().unwrap()).unwrap_err().to_string().contains("scorecard")
    );
}

/// The missing-value bin (optbinning's "Missing" bin): the rows with a hole in a feature form
/// its last class, whose WoE is `ln((good_m / G) / (bad_m / B))` over the totals of all rows and
/// whose share of the information value is added to the feature's; a card fitted without holes
/// refuses one.
#[test]
fn missing_values_get_a_bin_of_their_own_with_its_counts_woe_and_points() {
    let g = german();
    let mut x = g.x.clone();
    let (duration, purpose) = (1, 3);
    for i in 0..x.nrows() {
        if i % 7 == 0 {
            x[[i, duration]] = f64::NAN;
        }
        if i % 11 == 3 {
            x[[i, purpose]] = f64::NAN;
        }
    }
    let card = WoeScorecard::fit(&WoeParams::default(), x.view(), g.bad.view(), &g.names, &g.levels).unwrap();
    let (goods, bads) = (g.bad.iter().map(|b| 1.0 - b).sum::<f64>(), g.bad.sum());
    for (j, every, offset) in [(duration, 7, 0), (purpose, 11, 3)] {
        let feature = &card.features[j];
        let missing = feature.bins.last().unwrap();
        assert!(missing.missing && feature.bins.iter().filter(|b| b.missing).count() == 1);
        let rows: Vec<usize> = (0..x.nrows()).filter(|i| i % every == offset).collect();
        let bad: f64 = rows.iter().map(|&i| g.bad[i]).sum();
        assert_eq!(missing.rows, rows.len());
        assert!(close(missing.bad, bad, 1e-12) && close(missing.good, rows.len() as f64 - bad, 1e-12));
        let woe = ((missing.good / goods) / (missing.bad / bads)).ln();
        assert!(close(missing.woe, woe, 1e-12), "{} vs {woe}", missing.woe);
        let factor = ScorecardScaling::default().factor();
        assert!(close(missing.points, -factor * feature.coefficient * woe, 1e-9));
        let iv: f64 = feature.bins.iter().map(|b| (b.good / goods - b.bad / bads) * b.woe).sum();
        assert!(close(feature.information_value, iv, 1e-12));
        assert_eq!(feature.describe_class(WoeClass::Bin(feature.bins.len() - 1)), "missing");
        assert_eq!(feature.bins.iter().map(|b| b.rows).sum::<usize>(), x.nrows());
    }
    let rows_with_holes: Vec<usize> = (0..x.nrows()).filter(|i| i % 7 == 0 || i % 11 == 3).collect();
    let points = card.points(x.view()).unwrap();
    for &i in &rows_with_holes {
        if i % 7 == 0 {
            assert_eq!(points[[i, duration]], card.features[duration].bins.last().unwrap().points);
        }
    }
    let table = card.points_table();
    assert!(table.iter().any(|r| r.feature == g.names[duration] && r.class == "missing"));

    let text = serde_json::to_string(&card).unwrap();
    let back: WoeScorecard = serde_json::from_str(&text).unwrap();
    assert_eq!(back.score(x.view()).unwrap(), card.score(x.view()).unwrap());

    let whole =
        WoeScorecard::fit(&WoeParams::default(), g.x.view(), g.bad.view(), &g.names, &g.levels).unwrap();
    let err = whole.score(x.view()).unwrap_err().to_string();
    assert!(err.contains("row 0, column 1") && err.contains("no missing-value bin"), "{err}");
}

#[test]
fn levels_without_training_rows_and_unseen_levels_take_the_neutral_class() {
    // Level 'rare' (code 3) is among the feature's levels but in no training row.
    let n = 300;
    let x = Array2::from_shape_fn((n, 1), |(i, _)| (i % 3) as f64);
    let t = Array1::from_shape_fn(n, |i| {
        if i % 3 == 0 { f64::from(u8::from(i % 2 == 0)) } else { f64::from(u8::from(i % 5 == 0)) }
    });
    let levels = vec![Some(["a", "b", "c", "rare"].map(str::to_owned).to_vec())];
    let card =
        WoeScorecard::fit(&WoeParams::default(), x.view(), t.view(), &["c".to_owned()], &levels).unwrap();
    let feature = &card.features[0];
    assert_eq!(feature.untrained_levels, vec![3]);
    // The untrained level and the code one past the levels (how --unseen fallback codes a level
    // the file lacks) take WoE 0 and no points; a code beyond is refused.
    for code in [3.0, 4.0] {
        assert_eq!(feature.class_of(code), Some(WoeClass::Neutral));
        let row = Array2::from_elem((1, 1), code);
        assert_eq!(card.points(row.view()).unwrap()[[0, 0]], 0.0);
        assert_eq!(card.transform(row.view()).unwrap()[[0, 0]], 0.0);
        assert_eq!(card.score(row.view()).unwrap()[0], card.base_points);
    }
    assert!(card.points(Array2::from_elem((1, 1), 5.0).view()).is_err());
    // A file whose levels are not each in one bin or among the untrained levels is refused on
    // loading: a level dropped from its bin, a level in two bins, a bin's levels out of order.
    let mut unlisted = card.clone();
    unlisted.features[0].untrained_levels.clear();
    assert!(unlisted.validate(1).is_err(), "a level in no bin and not listed");
    let mut twice = card.clone();
    let first = twice.features[0].bins[0].levels[0];
    twice.features[0].bins.last_mut().unwrap().levels.push(first);
    assert!(twice.validate(1).is_err(), "a level in two bins");
    let mut unsorted = card.clone();
    if let Some(bin) = unsorted.features[0].bins.iter_mut().find(|b| b.levels.len() > 1) {
        bin.levels.reverse();
        assert!(unsorted.validate(1).is_err(), "a bin's levels out of order");
    }
    // The points table shows the neutral class: no rows, the overall bad rate, WoE 0, 0 points.
    let table = card.points_table();
    let neutral = table.last().unwrap();
    assert_eq!(
        (neutral.class.as_str(), neutral.rows, neutral.woe, neutral.points),
        ("{rare} or unseen", 0, 0.0, 0.0)
    );
    assert!((neutral.bad_rate - t.sum() / n as f64).abs() < 1e-12);
    assert!(card.explain().contains("takes WoE 0 and no points"));
    // A saved scorecard whose untrained level is not among its levels is refused on loading.
    let mut broken = card.clone();
    broken.features[0].untrained_levels = vec![7];
    assert!(broken.validate(1).is_err());
    broken.features[0].untrained_levels = vec![0];
    assert!(broken.validate(1).is_err(), "a level both in a bin and without training rows");
    assert!(card.validate(1).is_ok());
}
