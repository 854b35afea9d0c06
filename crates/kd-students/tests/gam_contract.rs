//! The boosted GAM's contract: terms add up, planted shapes and pairs are recovered (under the
//! greedy, unsmoothed and cyclic schedules alike), monotone constraints hold, fits are
//! deterministic and survive a JSON round trip (older files without the schedule's parameters
//! included), interpret's pair counts, bad input is refused.

use kd_students::gam::{BoostedGam, GamParams, Link, Monotone};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn uniform(n: usize, d: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, d), |_| rng.gen_range(-2.0..2.0))
}

fn quick() -> GamParams {
    GamParams { outer_bags: 2, learning_rate: 0.05, max_rounds: 2000, ..GamParams::default() }
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn a_fit_reports_each_bag_of_each_stage() {
    let x = uniform(300, 3, 7);
    let y: Array1<f64> = x.rows().into_iter().map(|r| r[0] * r[1]).collect();
    for (interactions, total) in [(0, 3), (1, 6)] {
        let params = GamParams { outer_bags: 3, interactions, max_rounds: 200, ..quick() };
        let seen = std::sync::Mutex::new(Vec::new());
        let report = |p: kd_students::FitProgress| seen.lock().unwrap().push((p.done, p.total));
        BoostedGam::fit_reporting(&params, x.view(), y.view(), Link::Identity, &report).unwrap();
        let mut seen = seen.into_inner().unwrap();
        seen.sort_unstable();
        assert_eq!(seen, (1..=total).map(|d| (d, total)).collect::<Vec<_>>(), "interactions {interactions}");
    }
}

#[test]
fn recovers_planted_shapes_and_terms_add_up() {
    let x = uniform(3000, 3, 1);
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let y: Array1<f64> = x
        .rows()
        .into_iter()
        .map(|r| r[0].sin() * 2.0 + r[1] * r[1] + 0.1 * rng.gen_range(-1.0..1.0))
        .collect();
    let gam = BoostedGam::fit(&quick(), x.view(), y.view(), Link::Identity).unwrap();
    let contributions = gam.contributions(x.view()).unwrap();
    let eta = gam.predict_link(x.view()).unwrap();
    for i in 0..x.nrows() {
        let sum = gam.intercept + contributions.row(i).sum();
        assert!((sum - eta[i]).abs() < 1e-12);
    }
    let truth0: Vec<f64> = x.column(0).iter().map(|v| v.sin() * 2.0).collect();
    let truth1: Vec<f64> = x.column(1).iter().map(|v| v * v).collect();
    assert!(correlation(&contributions.column(0).to_vec(), &truth0) > 0.99);
    assert!(correlation(&contributions.column(1).to_vec(), &truth1) > 0.99);
    let importance: Vec<f64> = gam.terms.iter().map(|t| t.importance()).collect();
    assert!(importance[2] < 0.1 * importance[0], "the noise feature matters little: {importance:?}");
    // Centred terms: the intercept is the mean prediction.
    assert!((gam.intercept - eta.mean().unwrap()).abs() < 1e-9);
}

#[test]
fn fits_soft_probabilities_through_the_logit() {
    let x = uniform(3000, 2, 3);
    let p: Array1<f64> =
        x.rows().into_iter().map(|r| 1.0 / (1.0 + (-(1.5 * r[0] - r[1].abs())).exp())).collect();
    let gam = BoostedGam::fit(&quick(), x.view(), p.view(), Link::Logit).unwrap();
    let out = gam.predict(x.view()).unwrap();
    assert_eq!(out.ncols(), 2);
    let rmse = (out.column(1).iter().zip(&p).map(|(a, b)| (a - b).powi(2)).sum::<f64>() / 3000.0).sqrt();
    assert!(rmse < 0.03, "rmse {rmse}");
    assert!(out.rows().into_iter().all(|r| (r[0] + r[1] - 1.0).abs() < 1e-12));
}

#[test]
fn finds_a_planted_pair_and_honours_monotone_constraints() {
    let x = uniform(3000, 4, 4);
    let y: Array1<f64> =
        x.rows().into_iter().map(|r| 2.0 * r[1] * r[3] + 0.5 * r[0] - 0.3 * (3.0 * r[2]).sin()).collect();
    let params = GamParams { interactions: 1, monotone: vec![(2, Monotone::Increasing)], ..quick() };
    let gam = BoostedGam::fit(&params, x.view(), y.view(), Link::Identity).unwrap();
    assert_eq!(gam.terms.len(), 5);
    assert_eq!(gam.terms[4].features, vec![1, 3]);
    let shape = &gam.terms[2].scores;
    assert!(shape.windows(2).all(|w| w[1] >= w[0] - 1e-12), "{shape:?}");
    let without = BoostedGam::fit(&quick(), x.view(), y.view(), Link::Identity).unwrap();
    let r2 = |g: &BoostedGam| {
        let pred = g.predict_link(x.view()).unwrap();
        let mean = y.mean().unwrap();
        1.0 - pred.iter().zip(&y).map(|(a, b)| (a - b).powi(2)).sum::<f64>()
            / y.iter().map(|b| (b - mean).powi(2)).sum::<f64>()
    };
    assert!(r2(&gam) > r2(&without) + 0.2, "pair {:.3} vs mains only {:.3}", r2(&gam), r2(&without));
}

#[test]
fn deterministic_serialisable_and_strict_about_input() {
    let x = uniform(200, 2, 5);
    let y: Array1<f64> = x.column(0).mapv(|v| v * 3.0);
    let params = GamParams { outer_bags: 3, ..quick() };
    let a = BoostedGam::fit(&params, x.view(), y.view(), Link::Identity).unwrap();
    let b = BoostedGam::fit(&params, x.view(), y.view(), Link::Identity).unwrap();
    assert_eq!(a, b);
    let back: BoostedGam = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert_eq!(back.predict(x.view()).unwrap(), a.predict(x.view()).unwrap());
    assert!(a.terms[0].standard_deviations.iter().any(|&s| s > 0.0), "bags differ");

    let err = |p: &GamParams, y: &Array1<f64>, link| {
        BoostedGam::fit(p, x.view(), y.view(), link).unwrap_err().to_string()
    };
    assert!(err(&params, &y, Link::Logit).contains("not a probability"));
    assert!(err(&GamParams { max_bins: 1, ..params.clone() }, &y, Link::Identity).contains("max_bins"));
    assert!(
        err(&GamParams { interactions: 2, ..params.clone() }, &y, Link::Identity).contains("interactions")
    );
    assert!(
        err(&GamParams { monotone: vec![(5, Monotone::Decreasing)], ..params.clone() }, &y, Link::Identity)
            .contains("monotone")
    );
    let mut bad = y.clone();
    bad[7] = f64::NAN;
    assert!(err(&params, &bad, Link::Identity).contains("row 7"));
    assert!(
        a.predict(ndarray::array![[f64::INFINITY, 0.0]].view())
            .unwrap_err()
            .to_string()
            .contains("row 0, column 0")
    );
    assert!(a.predict(ndarray::array![[0.0]].view()).unwrap_err().to_string().contains("expected 2"));
}

#[test]
fn interpret_pair_counts_and_link_defaults() {
    // interactions="5x" (regressor) and "3x" (classifier), capped at the d(d − 1)/2 pairs.
    assert_eq!(GamParams::interpret_pairs(20, Link::Identity), 100);
    assert_eq!(GamParams::interpret_pairs(20, Link::Logit), 60);
    assert_eq!(GamParams::interpret_pairs(10, Link::Identity), 45);
    assert_eq!(GamParams::interpret_pairs(1, Link::Identity), 0);
    let classifier = GamParams::for_link(Link::Logit);
    assert_eq!((classifier.learning_rate, classifier.smoothing_rounds), (0.015, 75));
    assert_eq!(GamParams::for_link(Link::Identity), GamParams::default());
    let x = uniform(200, 2, 6);
    let y = x.column(0).to_owned();
    let bad = GamParams { greedy_ratio: -1.0, ..quick() };
    let err = BoostedGam::fit(&bad, x.view(), y.view(), Link::Identity).unwrap_err().to_string();
    assert!(err.contains("greedy_ratio"), "{err}");
}

#[test]
fn cyclic_and_unsmoothed_schedules_fit_the_same_shapes() {
    let x = uniform(2000, 2, 7);
    let y: Array1<f64> = x.rows().into_iter().map(|r| (2.0 * r[0]).tanh() + 0.5 * r[1]).collect();
    let truth: Vec<f64> = x.column(0).iter().map(|v| (2.0 * v).tanh()).collect();
    for params in
        [quick(), GamParams { greedy_ratio: 0.0, ..quick() }, GamParams { smoothing_rounds: 0, ..quick() }]
    {
        let gam = BoostedGam::fit(&params, x.view(), y.view(), Link::Identity).unwrap();
        let contributions = gam.contributions(x.view()).unwrap();
        let fit = correlation(&contributions.column(0).to_vec(), &truth);
        assert!(
            fit > 0.99,
            "greedy_ratio {} smoothing {}: {fit}",
            params.greedy_ratio,
            params.smoothing_rounds
        );
    }
}

#[test]
fn models_saved_before_the_schedule_parameters_still_load() {
    let x = uniform(300, 2, 8);
    let y: Array1<f64> = x.column(1).mapv(|v| v * v);
    let gam = BoostedGam::fit(&quick(), x.view(), y.view(), Link::Identity).unwrap();
    let mut json: serde_json::Value = serde_json::to_value(&gam).unwrap();
    let params = json["params"].as_object_mut().unwrap();
    for field in ["smoothing_rounds", "interaction_smoothing_rounds", "greedy_ratio"] {
        assert!(params.remove(field).is_some(), "{field} is saved");
    }
    let old: BoostedGam = serde_json::from_value(json).unwrap();
    // They read as the schedule those fits used: no smoothing, cyclic boosting.
    assert_eq!((old.params.smoothing_rounds, old.params.greedy_ratio), (0, 0.0));
    assert_eq!(old.predict(x.view()).unwrap(), gam.predict(x.view()).unwrap());
}
