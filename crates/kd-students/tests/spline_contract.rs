//! The spline GAM's contract: terms add up to the prediction, planted shapes are recovered,
//! soft targets are fitted through the logit, the grid search keeps its best score, bands nest
//! and extrapolation is linear, fits are deterministic and survive a JSON round trip, and bad
//! input is refused with an error that names it.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_students::gam::Link;
use kd_students::spline::{Band, Smoothing, SplineGam, SplineGamParams};
use kd_students::{Error, SavedStudent, Student};
use ndarray::{Array1, Array2, array};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn uniform(n: usize, d: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, d), |_| rng.gen_range(-2.0..2.0))
}

fn shared(lam: f64) -> SplineGamParams {
    SplineGamParams { smoothing: Smoothing::Shared(lam), ..SplineGamParams::default() }
}

/// 600 rows: `sin(2x₀) + x₁²` plus noise, and a third feature that does nothing.
fn planted() -> (Array2<f64>, Array1<f64>) {
    let x = uniform(600, 3, 1);
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let y = x
        .rows()
        .into_iter()
        .map(|r| (2.0 * r[0]).sin() + r[1] * r[1] + 0.1 * rng.gen_range(-1.0..1.0))
        .collect();
    (x, y)
}

fn invalid_parameter(result: Result<SplineGam, Error>) -> (String, String) {
    match result {
        Err(Error::InvalidParameter { name, reason }) => (name, reason),
        other => panic!("expected an invalid parameter, got {other:?}"),
    }
}

#[test]
fn terms_add_up_and_recover_planted_shapes() {
    let (x, y) = planted();
    let gam = SplineGam::fit(&SplineGamParams::default(), x.view(), y.view(), Link::Identity).unwrap();
    let contributions = gam.contributions(x.view()).unwrap();
    let eta = gam.predict_link(x.view()).unwrap();
    for i in 0..x.nrows() {
        assert!((gam.intercept + contributions.row(i).sum() - eta[i]).abs() < 1e-12);
        // The centred terms add up to the same prediction.
        let centred: f64 = gam.terms.iter().enumerate().map(|(j, t)| contributions[[i, j]] - t.mean).sum();
        assert!((gam.centred_intercept() + centred - eta[i]).abs() < 1e-10);
    }
    assert!(
        (gam.centred_intercept() - eta.mean().unwrap()).abs() < 1e-10,
        "the centred intercept is the mean of η"
    );
    type Shape = fn(f64) -> f64;
    let truths: [(usize, Shape); 2] = [(0, |v| (2.0 * v).sin()), (1, |v| v * v)];
    for (j, truth) in truths {
        let shape = gam.shape(j, 41).unwrap();
        let truth: Vec<f64> = shape.iter().map(|p| truth(p.x)).collect();
        let mean = truth.iter().sum::<f64>() / truth.len() as f64;
        let worst = shape.iter().zip(&truth).map(|(p, t)| (p.score - (t - mean)).abs()).fold(0.0, f64::max);
        assert!(worst < 0.15, "term {j} is within 0.15 of the planted shape, off by {worst}");
        assert!(shape.iter().all(|p| p.band_lower <= p.score && p.score <= p.band_upper));
    }
    assert!(gam.terms[2].importance < 0.1 * gam.terms[0].importance, "the idle feature matters little");
    let r2 = 1.0 - (&y - &eta).mapv(|v| v * v).sum() / y.mapv(|v| (v - y.mean().unwrap()).powi(2)).sum();
    assert!(r2 > 0.98, "R² {r2}");
}

#[test]
fn soft_targets_are_fitted_through_the_logit() {
    let x = uniform(800, 2, 3);
    let p: Array1<f64> =
        x.rows().into_iter().map(|r| 1.0 / (1.0 + (-(1.5 * r[0] - r[1].abs())).exp())).collect();
    let gam = SplineGam::fit(&shared(0.1), x.view(), p.view(), Link::Logit).unwrap();
    let out = gam.predict(x.view()).unwrap();
    assert_eq!(out.ncols(), 2);
    let worst = out.column(1).iter().zip(&p).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    assert!(worst < 0.02, "the teacher's probabilities are reproduced, off by {worst}");
    assert!(gam.statistics.ubre.is_some() && gam.statistics.gcv.is_none());
    assert_eq!(gam.statistics.dispersion, 1.0);
}

#[test]
fn the_grid_search_keeps_the_best_score_and_lambda_smooths() {
    let (x, y) = planted();
    let gam = SplineGam::fit(&SplineGamParams::default(), x.view(), y.view(), Link::Identity).unwrap();
    let search = &gam.statistics.search;
    assert_eq!(search.len(), 11);
    let best = search.iter().map(|s| s.score.unwrap()).fold(f64::INFINITY, f64::min);
    assert_eq!(gam.statistics.gcv, Some(best));
    assert!(gam.terms.iter().all(|t| t.lam == gam.terms[0].lam));
    // A larger λ on one feature takes degrees of freedom from that term alone.
    let per = |l: f64| SplineGamParams {
        smoothing: Smoothing::PerFeature(vec![l, 1.0, 1.0]),
        ..SplineGamParams::default()
    };
    let rough = SplineGam::fit(&per(0.01), x.view(), y.view(), Link::Identity).unwrap();
    let smooth = SplineGam::fit(&per(1e4), x.view(), y.view(), Link::Identity).unwrap();
    assert!(
        smooth.terms[0].edof + 3.0 < rough.terms[0].edof,
        "{} vs {}",
        smooth.terms[0].edof,
        rough.terms[0].edof
    );
    assert!((smooth.terms[1].edof - rough.terms[1].edof).abs() < 0.5);
    let total: f64 = rough.terms.iter().map(|t| t.edof).sum();
    assert!(
        total < rough.statistics.edof && rough.statistics.edof < total + 1.0,
        "the intercept's share is below 1"
    );
}

#[test]
fn bands_nest_and_extrapolation_is_linear() {
    let (x, y) = planted();
    let gam = SplineGam::fit(&shared(1.0), x.view(), y.view(), Link::Identity).unwrap();
    let xs = [-1.5, 0.0, 0.7, 1.9];
    let bayes = gam.partial_dependence(0, &xs, 0.95, Band::Bayesian).unwrap();
    let freq = gam.partial_dependence(0, &xs, 0.95, Band::Frequentist).unwrap();
    let narrow = gam.partial_dependence(0, &xs, 0.5, Band::Bayesian).unwrap();
    for ((b, f), n) in bayes.iter().zip(&freq).zip(&narrow) {
        assert_eq!(b.score, f.score);
        assert!(b.band_lower <= f.band_lower && f.band_upper <= b.band_upper, "V_e ≤ V_β");
        assert!(b.band_lower < n.band_lower && n.band_upper < b.band_upper, "a 50% band inside the 95% one");
    }
    let intervals = gam.confidence_intervals(x.view(), 0.95, Band::Bayesian).unwrap();
    let eta = gam.predict_link(x.view()).unwrap();
    assert!((0..x.nrows()).all(|i| intervals[[i, 0]] < eta[i] && eta[i] < intervals[[i, 1]]));
    // Beyond the training range every basis function continues along its tangent.
    let upper = gam.terms[0].basis.upper;
    let far: Vec<f64> = (1..=4).map(|k| upper + 0.5 * f64::from(k)).collect();
    let line = gam.partial_dependence(0, &far, 0.95, Band::Bayesian).unwrap();
    let second = line[0].score - 2.0 * line[1].score + line[2].score;
    assert!(second.abs() < 1e-9 * line[0].score.abs().max(1.0), "second difference {second}");
}

#[test]
fn fits_are_deterministic_and_survive_a_json_round_trip() {
    let (x, y) = planted();
    let p = y.mapv(|v| 1.0 / (1.0 + (-v + 1.0).exp()));
    for (target, link) in [(y, Link::Identity), (p, Link::Logit)] {
        let fit = || SplineGam::fit(&SplineGamParams::default(), x.view(), target.view(), link).unwrap();
        let (a, b) = (fit(), fit());
        assert_eq!(a, b, "a refit is identical");
        let text = serde_json::to_string(&a).unwrap();
        let back: SplineGam = serde_json::from_str(&text).unwrap();
        assert_eq!(back, a);
        assert_eq!(back.predict(x.view()).unwrap(), a.predict(x.view()).unwrap());
        let saved = SavedStudent {
            format: "kd-student".into(),
            version: kd_students::FORMAT_VERSION,
            task: if link == Link::Logit { "binary" } else { "regression" }.into(),
            target: "y".into(),
            features: (0..3).map(|j| format!("x{j}")).collect(),
            levels: vec![None; 3],
            classes: None,
            teacher: None,
            ranges: Vec::new(),
            student: Student::Spline(a.clone()),
        };
        let loaded = SavedStudent::from_json(&saved.to_json().unwrap()).unwrap();
        assert_eq!(loaded.student.kind(), "spline");
        assert_eq!(loaded.student.predict(x.view()).unwrap(), a.predict(x.view()).unwrap());
        let mut broken = a.clone();
        broken.terms[1].coefficients.pop();
        let text = SavedStudent { student: Student::Spline(broken), ..saved }.to_json().unwrap();
        assert!(
            SavedStudent::from_json(&text).unwrap_err().to_string().contains("spline GAM is inconsistent")
        );
    }
}

#[test]
fn bad_input_is_refused_by_name() {
    let (x, y) = planted();
    let default = SplineGamParams::default();
    let mut nan = x.clone();
    nan[[17, 1]] = f64::NAN;
    assert!(matches!(
        SplineGam::fit(&default, nan.view(), y.view(), Link::Identity),
        Err(Error::InvalidInput { row: 17, column: 1, .. })
    ));
    let mut constant = x.clone();
    constant.column_mut(2).fill(3.0);
    let (name, reason) =
        invalid_parameter(SplineGam::fit(&default, constant.view(), y.view(), Link::Identity));
    assert!(name == "features" && reason.contains("column 2 is constant"), "{reason}");
    let few = x.slice(ndarray::s![..60, ..]);
    let (name, reason) =
        invalid_parameter(SplineGam::fit(&default, few, y.slice(ndarray::s![..60]), Link::Identity));
    assert!(name == "n_splines" && reason.contains("60 rows for 61 coefficients"), "{reason}");
    for lam in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let (name, _) = invalid_parameter(SplineGam::fit(&shared(lam), x.view(), y.view(), Link::Identity));
        assert_eq!(name, "lam");
    }
    let wrong =
        SplineGamParams { smoothing: Smoothing::PerFeature(vec![1.0; 2]), ..SplineGamParams::default() };
    assert_eq!(invalid_parameter(SplineGam::fit(&wrong, x.view(), y.view(), Link::Identity)).0, "lam");
    let empty = SplineGamParams { smoothing: Smoothing::Grid(Vec::new()), ..SplineGamParams::default() };
    assert_eq!(invalid_parameter(SplineGam::fit(&empty, x.view(), y.view(), Link::Identity)).0, "lam");
    let order = SplineGamParams { n_splines: 3, ..SplineGamParams::default() };
    assert_eq!(invalid_parameter(SplineGam::fit(&order, x.view(), y.view(), Link::Identity)).0, "n_splines");
    assert!(matches!(
        SplineGam::fit(&default, x.view(), y.view(), Link::Logit),
        Err(Error::InvalidInput { column: 3, .. })
    ));
    assert!(matches!(
        SplineGam::fit(&default, x.view(), y.slice(ndarray::s![..10]), Link::Identity),
        Err(Error::ShapeMismatch { .. })
    ));

    let gam = SplineGam::fit(&shared(1.0), x.view(), y.view(), Link::Identity).unwrap();
    assert!(matches!(
        gam.predict(array![[1.0, 2.0]].view()),
        Err(Error::ShapeMismatch { expected: 3, got: 2, .. })
    ));
    assert!(matches!(
        gam.predict(array![[1.0, f64::INFINITY, 0.0]].view()),
        Err(Error::InvalidInput { row: 0, column: 1, .. })
    ));
    for width in [0.0, 1.0, f64::NAN] {
        assert!(matches!(
            gam.confidence_intervals(x.view(), width, Band::Bayesian),
            Err(Error::InvalidParameter { ref name, .. }) if name == "width"
        ));
    }
    assert!(
        matches!(gam.partial_dependence(3, &[0.0], 0.95, Band::Bayesian), Err(Error::InvalidParameter { ref name, .. }) if name == "term")
    );
}
