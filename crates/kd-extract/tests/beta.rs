//! BETA two-level decision sets on small planted problems whose rules are known.

use kd_extract::Error;
use kd_extract::beta::{BetaParams, DecisionSet, TuneParams, Weights, beta, beta_tuned};
use kd_extract::input::FeatureKind;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const KINDS: [FeatureKind; 4] = [
    FeatureKind::Categorical { levels: 2 },
    FeatureKind::Numeric,
    FeatureKind::Numeric,
    FeatureKind::Numeric,
];

/// `n` rows: a categorical `x0` in {0, 1} and `x1, x2, x3 ~ U(0, 1)` (`x3` is noise).
fn rows(n: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn(
        (n, 4),
        |(_, j)| if j == 0 { f64::from(rng.gen_range(0..2u8)) } else { rng.r#gen() },
    )
}

/// The planted two-subspace rule: if `x0 == 0`, class 1 when `x1 > 0.75`; if `x0 == 1`, class 1
/// when `x2 <= 0.25`; class 0 otherwise.
fn planted(x: &Array2<f64>) -> Vec<usize> {
    x.rows().into_iter().map(|r| usize::from(if r[0] == 0.0 { r[1] > 0.75 } else { r[2] <= 0.25 })).collect()
}

/// A less regular teacher, for invariants: three classes from an additive score.
fn scored(x: &Array2<f64>) -> Vec<usize> {
    x.rows()
        .into_iter()
        .map(|r| {
            let s = r[1] + 0.6 * r[2] - 0.4 * r[3] + 0.3 * r[0];
            if s < 0.5 {
                0
            } else if s < 0.9 {
                1
            } else {
                2
            }
        })
        .collect()
}

fn agreement(a: &[usize], b: &[usize]) -> f64 {
    a.iter().zip(b).filter(|(u, v)| u == v).count() as f64 / a.len() as f64
}

fn matches(set: &DecisionSet, x: &Array2<f64>) -> Vec<Vec<bool>> {
    set.rules.iter().map(|rule| x.rows().into_iter().map(|r| rule.matches(&r.to_vec())).collect()).collect()
}

fn invalid_name(error: Error) -> String {
    match error {
        Error::InvalidParameter { name, .. } => name,
        other => panic!("expected InvalidParameter, got {other}"),
    }
}

#[test]
fn planted_two_subspace_rule_is_recovered() {
    let x = rows(600, 1);
    let labels = planted(&x);
    let set = beta(&BetaParams::default(), x.view(), &KINDS, &labels, 2).unwrap();
    let train = agreement(&set.predict(x.view()).unwrap(), &labels);
    let fresh = rows(2000, 2);
    let test = agreement(&set.predict(fresh.view()).unwrap(), &planted(&fresh));
    assert!(train >= 0.95 && test >= 0.95, "fidelity {train} (fitting rows), {test} (fresh rows)");
    assert!((set.fit.fidelity - train).abs() < 1e-12);
    assert!(set.n_rules() <= 10 && set.n_subspaces() <= 3);
    // The noise feature x3 is never needed.
    let uses_noise = set.rules.iter().flat_map(|r| r.outer.iter().chain(&r.inner)).any(|c| c.feature == 3);
    assert!(!uses_noise, "{}", set.export_text(&[], &[], &[]));
}

#[test]
fn inner_rules_of_a_subspace_never_overlap() {
    let x = rows(400, 3);
    let labels = scored(&x);
    for max_subspaces in [1, 2, 3] {
        let params = BetaParams { max_subspaces, max_rules: 8, ..BetaParams::default() };
        let set = beta(&params, x.view(), &KINDS, &labels, 3).unwrap();
        assert!(set.overlaps().is_empty());
        assert!(set.n_subspaces() <= max_subspaces && set.n_rules() <= 8);
        let hits = matches(&set, &x);
        for a in 0..set.n_rules() {
            for b in a + 1..set.n_rules() {
                if set.rules[a].outer == set.rules[b].outer {
                    assert!(!(0..x.nrows()).any(|r| hits[a][r] && hits[b][r]), "rules {a} and {b} overlap");
                }
            }
        }
        assert_eq!(set.overlaps_on(x.view()).unwrap(), set.overlaps());
    }
}

#[test]
fn coverage_and_default_rule_are_reported_correctly() {
    let x = rows(400, 4);
    let labels = scored(&x);
    let params = BetaParams { max_rules: 2, ..BetaParams::default() };
    let set = beta(&params, x.view(), &KINDS, &labels, 3).unwrap();
    assert!(set.n_rules() >= 1 && set.n_rules() <= 2);
    let hits = matches(&set, &x);
    let n = x.nrows() as f64;
    for (rule, hit) in set.rules.iter().zip(&hits) {
        let covered: Vec<usize> = (0..x.nrows()).filter(|&r| hit[r]).collect();
        assert!((rule.coverage - covered.len() as f64 / n).abs() < 1e-12);
        let right = covered.iter().filter(|&&r| labels[r] == rule.class).count();
        assert!((rule.agreement - right as f64 / covered.len() as f64).abs() < 1e-12);
        assert!(rule.coverage >= params.min_support);
    }
    let uncovered: Vec<usize> = (0..x.nrows()).filter(|&r| hits.iter().all(|h| !h[r])).collect();
    assert!(!uncovered.is_empty(), "two rules cannot cover three classes");
    assert!((set.default_coverage() - uncovered.len() as f64 / n).abs() < 1e-12);
    let mut counts = [0usize; 3];
    uncovered.iter().for_each(|&r| counts[labels[r]] += 1);
    assert_eq!(counts[set.default.class], *counts.iter().max().unwrap());
    let predicted = set.predict(x.view()).unwrap();
    assert!(uncovered.iter().all(|&r| predicted[r] == set.default.class));
    assert_eq!(set.fit.terms.cover, x.nrows() - uncovered.len());
    assert_eq!(set.coverage().len(), set.n_rules());
}

#[test]
fn fitting_is_deterministic() {
    let x = rows(300, 5);
    let labels = scored(&x);
    let a = beta(&BetaParams::default(), x.view(), &KINDS, &labels, 3).unwrap();
    let b = beta(&BetaParams::default(), x.view(), &KINDS, &labels, 3).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.to_json().unwrap(), b.to_json().unwrap());
}

#[test]
fn restarts_never_lower_the_objective_and_follow_the_seed() {
    let x = rows(300, 9);
    let labels = scored(&x);
    let fit = |restarts: usize, seed: u64| {
        let params = BetaParams { restarts, seed, ..BetaParams::default() };
        beta(&params, x.view(), &KINDS, &labels, 3).unwrap()
    };
    let paper = fit(0, 0);
    let with_restarts = fit(4, 11);
    // The steepest-ascent rounds run first and the best solution is kept.
    assert!(with_restarts.fit.objective >= paper.fit.objective - 1e-12);
    assert_eq!(with_restarts, fit(4, 11));
    // The reported objective is the weighted sum of the reported terms.
    let t = with_restarts.fit.terms;
    let n = x.nrows() as f64;
    let w = Weights::default();
    let f = w.cover * t.cover as f64 / n
        - w.disagreement * t.disagreement as f64 / n
        - w.rule_overlap * t.rule_overlap as f64 / n
        - w.predicates * t.predicates as f64
        - w.feature_overlap * t.feature_overlap as f64;
    assert!((with_restarts.fit.objective - f).abs() < 1e-12);
    assert_eq!(t.rules, with_restarts.n_rules());
    assert_eq!(t.subspaces, with_restarts.n_subspaces());
}

#[test]
fn tuning_picks_the_best_validated_weight() {
    let x = rows(300, 10);
    let labels = scored(&x);
    let params = BetaParams { restarts: 2, ..BetaParams::default() };
    let tune = TuneParams { grid: vec![1.0, 4.0], ..TuneParams::default() };
    let tuned = beta_tuned(&params, &tune, x.view(), &KINDS, &labels, 3).unwrap();
    assert_eq!(tuned.scores.len(), 2);
    let top = tuned.scores.iter().map(|s| s.1).fold(f64::MIN, f64::max);
    let first_best = tuned.scores.iter().find(|s| s.1 == top).unwrap().0;
    assert_eq!(tuned.disagreement, first_best);
    assert_eq!(tuned.set.fit.weights.disagreement, first_best);
    assert_eq!(tuned.set.fit.n_rows, x.nrows());
    let bad = |tune: TuneParams| {
        invalid_name(beta_tuned(&params, &tune, x.view(), &KINDS, &labels, 3).unwrap_err())
    };
    assert_eq!(bad(TuneParams { grid: vec![], ..TuneParams::default() }), "grid");
    assert_eq!(bad(TuneParams { grid: vec![-1.0], ..TuneParams::default() }), "grid");
    assert_eq!(bad(TuneParams { validation_fraction: 1.0, ..TuneParams::default() }), "validation_fraction");
    assert_eq!(
        bad(TuneParams { validation_fraction: 0.001, ..TuneParams::default() }),
        "validation_fraction"
    );
}

#[test]
fn json_round_trip_preserves_predictions() {
    let x = rows(300, 6);
    let labels = scored(&x);
    let set = beta(&BetaParams::default(), x.view(), &KINDS, &labels, 3).unwrap();
    let back = DecisionSet::from_json(&set.to_json().unwrap()).unwrap();
    let fresh = rows(500, 7);
    assert_eq!(back.predict(fresh.view()).unwrap(), set.predict(fresh.view()).unwrap());
    assert_eq!(back, set);
    let corrupt = set.to_json().unwrap().replacen("\"n_classes\": 3", "\"n_classes\": 1", 1);
    assert_eq!(invalid_name(DecisionSet::from_json(&corrupt).unwrap_err()), "json");
    assert_eq!(invalid_name(set.predict(Array2::zeros((2, 3)).view()).unwrap_err()), "x");
}

#[test]
fn export_reads_as_rules() {
    let x = rows(600, 1);
    let set = beta(&BetaParams::default(), x.view(), &KINDS, &planted(&x), 2).unwrap();
    let names: Vec<String> = ["group", "a", "b", "noise"].map(String::from).to_vec();
    let levels = vec![Some(vec!["left".to_owned(), "right".to_owned()]), None, None, None];
    let text = set.export_text(&names, &levels, &["no".to_owned(), "yes".to_owned()]);
    assert_eq!(text.lines().count(), set.n_rules() + 1, "{text}");
    assert!(text.lines().take(set.n_rules()).all(|l| l.starts_with("If ") && l.contains(": If ")), "{text}");
    assert!(text.contains("group == left") && text.contains("then yes"), "{text}");
    assert!(text.lines().last().unwrap().starts_with("Otherwise (no rule applies): "), "{text}");
}

#[test]
fn bad_parameters_and_input_are_refused() {
    let x = rows(50, 8);
    let labels = planted(&x);
    let d = BetaParams::default();
    let cases = [
        (BetaParams { bins: 1, ..d }, "bins"),
        (BetaParams { max_conditions: 0, ..d }, "max_conditions"),
        (BetaParams { max_conditions: 4, ..d }, "max_conditions"),
        (BetaParams { min_support: 0.0, ..d }, "min_support"),
        (BetaParams { min_support: f64::NAN, ..d }, "min_support"),
        (BetaParams { min_support: 1.5, ..d }, "min_support"),
        (BetaParams { max_rules: 0, ..d }, "max_rules"),
        (BetaParams { max_subspaces: 0, ..d }, "max_subspaces"),
        (BetaParams { rounds: 0, ..d }, "rounds"),
        (BetaParams { restarts: 1001, ..d }, "restarts"),
        (BetaParams { weights: Weights { cover: -1.0, ..Weights::default() }, ..d }, "weights.cover"),
        (BetaParams { max_candidates: 5, ..d }, "max_candidates"),
    ];
    for (params, name) in cases {
        assert_eq!(invalid_name(beta(&params, x.view(), &KINDS, &labels, 2).unwrap_err()), name);
    }
    let refused = |x: Array2<f64>, kinds: &[FeatureKind], labels: &[usize], k: usize| {
        invalid_name(beta(&d, x.view(), kinds, labels, k).unwrap_err())
    };
    assert_eq!(refused(Array2::zeros((0, 4)), &KINDS, &[], 2), "x");
    assert_eq!(refused(x.clone(), &KINDS[..3], &labels, 2), "kinds");
    assert_eq!(refused(x.clone(), &KINDS, &labels[1..], 2), "labels");
    assert_eq!(refused(x.clone(), &KINDS, &labels, 1), "n_classes");
    assert_eq!(refused(x.clone(), &KINDS, &vec![2; 50], 2), "labels");
    let mut bad = x.clone();
    bad[[3, 0]] = 2.0;
    assert_eq!(refused(bad, &KINDS, &labels, 2), "x");
    let mut bad = x;
    bad[[4, 2]] = f64::INFINITY;
    assert_eq!(refused(bad, &KINDS, &labels, 2), "x");
}
