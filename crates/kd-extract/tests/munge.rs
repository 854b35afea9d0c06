//! MUNGE and its baselines on small planted data whose structure is known.

use kd_extract::Error;
use kd_extract::input::{FeatureKind, MixtureParams};
use kd_extract::munge::{MungeParams, independent_marginals, munge, naive_bayes_estimation};
use ndarray::{Array2, ArrayView1, s};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CATEGORICAL: FeatureKind = FeatureKind::Categorical { levels: 4 };

/// A standard normal draw (sum of 12 uniforms, centred).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    (0..12).map(|_| rng.r#gen::<f64>()).sum::<f64>() - 6.0
}

/// `n` rows: `x0 ~ N(0, 1)`, `x1 = x0 + 0.1·N(0, 1)` (correlation ≈ 0.995), `x2 ~ 100·U(0, 1)`
/// and a categorical `x3` in `0..4`.
fn planted(n: usize, seed: u64) -> (Array2<f64>, Vec<FeatureKind>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut x = Array2::zeros((n, 4));
    for mut row in x.rows_mut() {
        row[0] = normal(&mut rng);
        row[1] = row[0] + 0.1 * normal(&mut rng);
        row[2] = 100.0 * rng.r#gen::<f64>();
        row[3] = rng.gen_range(0..4) as f64;
    }
    (x, vec![FeatureKind::Numeric, FeatureKind::Numeric, FeatureKind::Numeric, CATEGORICAL])
}

fn correlation(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.sum() / n, b.sum() / n);
    let cov: f64 = a.iter().zip(b).map(|(u, v)| (u - ma) * (v - mb)).sum();
    let va: f64 = a.iter().map(|u| (u - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|v| (v - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

fn sorted(column: ArrayView1<'_, f64>) -> Vec<f64> {
    let mut v = column.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

fn invalid_name(error: Error) -> String {
    match error {
        Error::InvalidParameter { name, .. } => name,
        other => panic!("expected InvalidParameter, got {other}"),
    }
}

#[test]
fn shapes_ranges_and_level_codes() {
    let (x, kinds) = planted(120, 1);
    let drawn = [
        munge(&MungeParams::default(), x.view(), &kinds, 730, 3).unwrap(),
        independent_marginals(x.view(), &kinds, 730, 3).unwrap(),
        naive_bayes_estimation(&MixtureParams::default(), x.view(), &kinds, 730, 3).unwrap(),
    ];
    for points in &drawn {
        assert_eq!(points.dim(), (730, 4));
        for j in 0..3 {
            let (lo, hi) =
                x.column(j).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
            let range = hi - lo;
            assert!(points.column(j).iter().all(|&v| v.is_finite() && v > lo - range && v < hi + range));
        }
        assert!(points.column(3).iter().all(|&v| v.fract() == 0.0 && (0.0..4.0).contains(&v)));
    }
    // RANDOM copies values, so it never leaves a column's range.
    for j in 0..3 {
        let column = sorted(x.column(j));
        assert!(drawn[1].column(j).iter().all(|v| column.binary_search_by(|c| c.total_cmp(v)).is_ok()));
    }
    let empty = munge(&MungeParams::default(), x.view(), &kinds, 0, 3).unwrap();
    assert_eq!(empty.dim(), (0, 4));
}

#[test]
fn probability_zero_copies_the_rows_round_after_round() {
    let (x, kinds) = planted(50, 2);
    let points = munge(&MungeParams::default().p(0.0), x.view(), &kinds, 2 * 50 + 7, 5).unwrap();
    for (i, row) in points.rows().into_iter().enumerate() {
        assert_eq!(row, x.row(i % 50));
    }
}

#[test]
fn categorical_swaps_keep_each_rounds_column_a_permutation() {
    let (x, kinds) = planted(60, 4);
    let points = munge(&MungeParams::default().p(0.7), x.view(), &kinds, 3 * 60, 6).unwrap();
    let original = sorted(x.column(3));
    for round in 0..3 {
        let block = points.slice(s![round * 60..(round + 1) * 60, ..]);
        assert_eq!(sorted(block.column(3)), original, "round {round}");
        // Something did change.
        assert_ne!(block, x.view());
    }
}

#[test]
fn a_large_s_turns_numeric_draws_into_swaps() {
    // sd = |e_a − e'_a| / s: with s = 1e9 every new value is within 1e-6 of an old one.
    let (x, kinds) = planted(40, 5);
    let points = munge(&MungeParams::default().p(1.0).s(1e9), x.view(), &kinds, 40, 7).unwrap();
    for j in 0..3 {
        let column = sorted(x.column(j));
        for &v in points.column(j) {
            let near = column.iter().any(|c| (c - v).abs() <= 1e-6 * (1.0 + c.abs()));
            assert!(near, "column {j}: {v} is not (nearly) an original value");
        }
    }
    // And the spread of the draws grows as s shrinks.
    let moved = |s: f64| {
        let p = munge(&MungeParams::default().s(s), x.view(), &kinds, 400, 8).unwrap();
        (0..400).map(|i| (p[[i, 2]] - x[[i % 40, 2]]).abs()).sum::<f64>()
    };
    assert!(moved(1.0) > moved(10.0));
}

#[test]
fn the_same_seed_gives_the_same_points() {
    let (x, kinds) = planted(80, 6);
    let params = MungeParams::default();
    let a = munge(&params, x.view(), &kinds, 300, 11).unwrap();
    assert_eq!(a, munge(&params, x.view(), &kinds, 300, 11).unwrap());
    assert_ne!(a, munge(&params, x.view(), &kinds, 300, 12).unwrap());
    // A shorter request is a prefix of a longer one.
    assert_eq!(munge(&params, x.view(), &kinds, 100, 11).unwrap(), a.slice(s![..100, ..]));
    let r = independent_marginals(x.view(), &kinds, 300, 11).unwrap();
    assert_eq!(r, independent_marginals(x.view(), &kinds, 300, 11).unwrap());
    assert_ne!(r, independent_marginals(x.view(), &kinds, 300, 12).unwrap());
    let m = MixtureParams::default();
    let b = naive_bayes_estimation(&m, x.view(), &kinds, 300, 11).unwrap();
    assert_eq!(b, naive_bayes_estimation(&m, x.view(), &kinds, 300, 11).unwrap());
}

#[test]
fn munge_keeps_a_planted_correlation_that_random_loses() {
    let (x, kinds) = planted(300, 7);
    let truth = correlation(x.column(0), x.column(1));
    assert!(truth > 0.99);
    let mixed = munge(&MungeParams::default(), x.view(), &kinds, 3000, 1).unwrap();
    let random = independent_marginals(x.view(), &kinds, 3000, 1).unwrap();
    let (r_munge, r_random) =
        (correlation(mixed.column(0), mixed.column(1)), correlation(random.column(0), random.column(1)));
    assert!(r_munge > 0.95, "MUNGE correlation {r_munge}");
    assert!(r_random.abs() < 0.1, "RANDOM correlation {r_random}");
    // The marginal spread is kept too: the sd of x0 within 15% of the data's.
    let sd = |c: ArrayView1<'_, f64>| c.std(0.0);
    assert!((sd(mixed.column(0)) / sd(x.column(0)) - 1.0).abs() < 0.15);
}

#[test]
fn bad_parameters_and_data_are_refused() {
    let (x, kinds) = planted(20, 8);
    for p in [-0.1, 1.5, f64::NAN] {
        let e = munge(&MungeParams::default().p(p), x.view(), &kinds, 10, 0).unwrap_err();
        assert_eq!(invalid_name(e), "p");
    }
    for s in [0.0, -1.0, f64::INFINITY, f64::NAN] {
        let e = munge(&MungeParams::default().s(s), x.view(), &kinds, 10, 0).unwrap_err();
        assert_eq!(invalid_name(e), "s");
    }
    let params = MungeParams::default();
    let one_row = x.slice(s![..1, ..]);
    assert_eq!(invalid_name(munge(&params, one_row, &kinds, 10, 0).unwrap_err()), "data");
    assert_eq!(invalid_name(munge(&params, x.view(), &kinds[..3], 10, 0).unwrap_err()), "kinds");
    for bad in [f64::NAN, f64::INFINITY] {
        let mut y = x.clone();
        y[[3, 1]] = bad;
        assert_eq!(invalid_name(munge(&params, y.view(), &kinds, 10, 0).unwrap_err()), "data");
        assert_eq!(invalid_name(independent_marginals(y.view(), &kinds, 10, 0).unwrap_err()), "data");
    }
    for code in [4.0, 1.5, -1.0] {
        let mut y = x.clone();
        y[[2, 3]] = code;
        assert_eq!(invalid_name(munge(&params, y.view(), &kinds, 10, 0).unwrap_err()), "data");
    }
    let empty = x.slice(s![..0, ..]);
    assert_eq!(invalid_name(independent_marginals(empty, &kinds, 10, 0).unwrap_err()), "data");
}
