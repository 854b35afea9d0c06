//! The input model: the normal quantile, truncated sampling and the fitted mixture.

use kd_extract::input::{
    Components, FeatureKind, Mixture, MixtureParams, Region, TruncatedNormal, normal_cdf, normal_quantile,
};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use statrs::distribution::{ContinuousCDF, Normal};

#[test]
fn quantile_matches_statrs_across_the_range_and_inverts_the_cdf() {
    let n = Normal::standard();
    for &p in &[1e-300, 1e-100, 1e-20, 1e-8, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0 - 1e-10] {
        let (ours, reference) = (normal_quantile(p), n.inverse_cdf(p));
        assert!((ours - reference).abs() <= 1e-8 * reference.abs().max(1.0), "p {p}: {ours} vs {reference}");
        // Acklam's relative error in x is below 1.2e-9; in Φ(x) it grows to ~1.3e-7 at p = 1e-300.
        assert!((normal_cdf(ours) / p - 1.0).abs() <= 2e-7, "p {p}");
    }
    assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(normal_quantile(1.0), f64::INFINITY);
}

/// Mean of `N(0, 1)` truncated to `[a, b]`: `(φ(a) − φ(b)) / (Φ(b) − Φ(a))`.
fn truncated_mean(a: f64, b: f64) -> f64 {
    let phi = |x: f64| (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
    (phi(a) - phi(b)) / (normal_cdf(b) - normal_cdf(a))
}

#[test]
fn truncated_normal_stays_in_bounds_and_has_the_truncated_mean() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for &(a, b) in &[(-1.0, 2.0), (2.5, 3.0), (6.0, 9.0), (-9.0, -6.0), (-0.1, 0.1), (1.0, f64::INFINITY)] {
        let t = TruncatedNormal::new(0.0, 1.0, a, b);
        let draws: Vec<f64> = (0..20_000).map(|_| t.draw(rng.gen_range(1e-12..1.0))).collect();
        assert!(draws.iter().all(|&v| v >= a && v <= b), "[{a}, {b}]");
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let expected = truncated_mean(a, b);
        assert!((mean - expected).abs() < 0.02 * (b - a).min(3.0) + 1e-3, "[{a}, {b}]: {mean} vs {expected}");
        let log_mass = (normal_cdf(b) - normal_cdf(a)).ln();
        assert!((t.log_mass() - log_mass).abs() < 1e-6 * log_mass.abs().max(1.0), "[{a}, {b}]");
    }
    // A box so far in the tail that Φ underflows: still sampled within it.
    let t = TruncatedNormal::new(0.0, 1.0, -41.0, -40.0);
    assert!((0..100).map(|_| t.draw(rng.r#gen())).all(|v| (-41.0..=-40.0).contains(&v)));
    assert!(t.log_mass() < -790.0);
}

fn two_clusters(n: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, 2), |(i, j)| {
        let centre = if i % 3 == 0 { [4.0, -2.0] } else { [-1.0, 1.0] };
        let z: f64 = (0..12).map(|_| rng.r#gen::<f64>()).sum::<f64>() - 6.0;
        centre[j] + 0.5 * z
    })
}

#[test]
fn em_recovers_a_planted_mixture_and_bic_chooses_its_size() {
    let x = two_clusters(3000, 1);
    let params = MixtureParams { components: Components::Bic { max: 5 }, ..MixtureParams::default() };
    let m = Mixture::fit(&params, x.view(), &[FeatureKind::Numeric; 2]).unwrap();
    assert_eq!(m.components.len(), 2, "BIC chose {}", m.components.len());
    let mut found: Vec<_> = m.components.iter().map(|c| (c.weight, c.mean.clone(), c.sd.clone())).collect();
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (small, large) = (&found[0], &found[1]);
    assert!((small.0 - 1.0 / 3.0).abs() < 0.02 && (large.0 - 2.0 / 3.0).abs() < 0.02);
    for (got, want) in small.1.iter().zip([4.0, -2.0]).chain(large.1.iter().zip([-1.0, 1.0])) {
        assert!((got - want).abs() < 0.05, "{got} vs {want}");
    }
    assert!(small.2.iter().chain(&large.2).all(|sd| (sd - 0.5).abs() < 0.05));
}

#[test]
fn samples_in_a_box_follow_the_restricted_mixture() {
    let m = Mixture::random(4, 3, 11);
    let region = Region { lower: vec![-1.0, f64::NEG_INFINITY, 0.5], upper: vec![2.0, 0.0, f64::INFINITY] };
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let n = 40_000;
    let points = m.sample(&region, n, &mut rng).unwrap();
    assert!(points.rows().into_iter().all(|r| region.contains(r)));
    // The share of draws below a cut equals the mixture's mass below it over its mass in the box.
    for cut in [-0.5, 0.5, 1.5] {
        let (below, _) = region.split(0, cut);
        let expected = m.mass(&below) / m.mass(&region);
        let observed = points.column(0).iter().filter(|&&v| v <= cut).count() as f64 / n as f64;
        assert!(
            (observed - expected).abs() < 4.0 * (expected * (1.0 - expected) / n as f64).sqrt() + 1e-3,
            "cut {cut}"
        );
    }
    assert!((m.mass(&Region::everywhere(3)) - 1.0).abs() < 1e-12);
}

#[test]
fn categorical_features_draw_only_allowed_levels() {
    let x =
        Array2::from_shape_fn((300, 2), |(i, j)| if j == 0 { (i % 4) as f64 } else { (i % 7) as f64 * 0.3 });
    let kinds = [FeatureKind::Categorical { levels: 4 }, FeatureKind::Numeric];
    let params = MixtureParams { components: Components::Fixed(2), ..MixtureParams::default() };
    let m = Mixture::fit(&params, x.view(), &kinds).unwrap();
    let (_, upper_levels) = Region::everywhere(2).split(0, 1.5);
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let drawn = m.sample(&upper_levels, 2000, &mut rng).unwrap();
    let codes: std::collections::BTreeSet<i64> = drawn.column(0).iter().map(|&v| v as i64).collect();
    assert_eq!(codes.into_iter().collect::<Vec<_>>(), vec![2, 3]);
    assert!((m.mass(&upper_levels) - 0.5).abs() < 0.02);
}

#[test]
fn bad_inputs_are_refused_with_the_parameter_named() {
    let fixed = |k| MixtureParams { components: Components::Fixed(k), ..MixtureParams::default() };
    let x = ndarray::array![[1.0, 0.0], [f64::NAN, 1.0], [2.0, 1.0]];
    let err = Mixture::fit(&fixed(1), x.view(), &[FeatureKind::Numeric; 2]).unwrap_err().to_string();
    assert!(err.contains("row 1, column 0"), "{err}");
    let x = ndarray::array![[1.0, 0.0], [2.0, 5.0]];
    let kinds = [FeatureKind::Numeric, FeatureKind::Categorical { levels: 2 }];
    assert!(Mixture::fit(&fixed(1), x.view(), &kinds).unwrap_err().to_string().contains("level code"));
    assert!(
        Mixture::fit(&fixed(3), x.view(), &[FeatureKind::Numeric; 2])
            .unwrap_err()
            .to_string()
            .contains("components")
    );
    assert!(
        Mixture::fit(&fixed(1), x.view(), &[FeatureKind::Numeric]).unwrap_err().to_string().contains("kinds")
    );
    let m = Mixture::random(2, 2, 0);
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    assert!(m.sample(&Region::everywhere(3), 5, &mut rng).unwrap_err().to_string().contains("region"));
}
