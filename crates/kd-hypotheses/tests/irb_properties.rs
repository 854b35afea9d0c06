//! Properties of the IRB validation figures (seeded), and with `KD_SLOW_TESTS` the size and power
//! of their tests by simulation.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_hypotheses::validation::*;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// gAUC by its definition: over pairs with different realised values, the share ordered alike
/// by the estimate, ties in the estimate ½.
fn gauc_by_pairs(y: &[f64], s: &[f64]) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..y.len() {
        for j in 0..y.len() {
            if y[i] > y[j] {
                den += 1.0;
                num += if s[i] > s[j] {
                    1.0
                } else if s[i] == s[j] {
                    0.5
                } else {
                    0.0
                };
            }
        }
    }
    num / den
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, rng_seed: proptest::test_runner::RngSeed::Fixed(16), ..ProptestConfig::default() })]

    #[test]
    fn the_gauc_is_its_pairwise_definition_and_order_free(
        pairs in proptest::collection::vec((0u8..6, 0u8..8), 3..60),
        rotate in 0usize..60,
    ) {
        let y: Vec<f64> = pairs.iter().map(|p| f64::from(p.0) / 5.0).collect();
        let s: Vec<f64> = pairs.iter().map(|p| f64::from(p.1)).collect();
        prop_assume!(y.iter().any(|&v| v != y[0]));
        let g = generalised_auc(&y, &s).unwrap();
        prop_assert!((g.value - gauc_by_pairs(&y, &s)).abs() < 1e-12);
        prop_assert!((0.0..=1.0).contains(&g.value) && g.std_error >= 0.0);
        let k = rotate % y.len();
        let (mut y2, mut s2) = (y.clone(), s.clone());
        y2.rotate_left(k);
        s2.rotate_left(k);
        let h = generalised_auc(&y2, &s2).unwrap();
        prop_assert!((h.value - g.value).abs() < 1e-12 && (h.std_error - g.std_error).abs() < 1e-12);
    }

    #[test]
    fn migration_shares_add_up_and_bandwidths_lie_in_the_unit_interval(
        moves in proptest::collection::vec((0usize..6, 0usize..6), 1..200),
    ) {
        let (from, to): (Vec<usize>, Vec<usize>) = moves.into_iter().unzip();
        let m = migration(&from, &to, 6).unwrap();
        prop_assert!((m.stayed + m.moved_one + m.moved_two + m.moved_more - 1.0).abs() < 1e-12);
        prop_assert!((m.stayed + m.upgraded + m.downgraded - 1.0).abs() < 1e-12);
        prop_assert_eq!(m.counts.iter().flatten().sum::<usize>(), from.len());
        for mwb in [m.mwb_upper, m.mwb_lower].into_iter().flatten() {
            prop_assert!((0.0..=1.0).contains(&mwb));
        }
    }

    #[test]
    fn the_herfindahl_index_runs_from_even_to_concentrated(weights in proptest::collection::vec(0.0f64..100.0, 2..12)) {
        prop_assume!(weights.iter().sum::<f64>() > 0.0);
        let h = herfindahl(&weights).unwrap();
        prop_assert!(h.index > -1e-12 && h.index < 1.0 + 1e-12, "{}", h.index);
        let k = weights.len();
        prop_assert!(herfindahl(&vec![3.0; k]).unwrap().index.abs() < 1e-12);
        let mut one = vec![0.0; k];
        one[k / 2] = 5.0;
        prop_assert!((herfindahl(&one).unwrap().index - 1.0).abs() < 1e-12);
    }
}

proptest! {
    // Each case finds up to nine one-factor bounds, each by bisecting over an integral: fewer
    // cases than above.
    #![proptest_config(ProptestConfig { cases: 24, rng_seed: proptest::test_runner::RngSeed::Fixed(17), ..ProptestConfig::default() })]

    #[test]
    fn correlated_prudent_bounds_rise_with_the_correlation_and_meet_the_independent_at_zero(
        n in proptest::collection::vec(1usize..2000, 1..4),
        share in 0.0f64..0.2,
        confidence in 0.5f64..0.999,
        rho in 0.01f64..0.5,
    ) {
        // ρ → 0 gives the independent bound, with defaults or without.
        let d: Vec<usize> = n.iter().map(|&m| (share * m as f64) as usize).collect();
        for b in pluto_tasche(&n, &d, confidence, 1e-9).unwrap() {
            prop_assert!((b.upper_bound_correlated - b.upper_bound).abs() <= 1e-6 * b.upper_bound);
        }
        // Without defaults, P(none) = E[(1 − G)^N] ≥ (1 − p)^N (Jensen) and rises with ρ (G's
        // Vasicek law rises in convex order), so the bound does too.
        let none = vec![0; n.len()];
        let low = pluto_tasche(&n, &none, confidence, rho).unwrap();
        let high = pluto_tasche(&n, &none, confidence, rho + 0.3).unwrap();
        for k in 0..n.len() {
            prop_assert!(low[k].upper_bound_correlated >= low[k].upper_bound * (1.0 - 1e-9));
            prop_assert!(high[k].upper_bound_correlated >= low[k].upper_bound_correlated * (1.0 - 1e-9));
        }
    }
}

#[test]
fn bad_inputs_are_refused() {
    assert!(migration(&[0, 7], &[1, 1], 3).is_err(), "grade out of range");
    assert!(migration(&[], &[], 3).is_err());
    assert!(herfindahl(&[1.0]).is_err(), "one grade: undefined");
    assert!(migration(&[0], &[0], 1).is_err(), "one grade: undefined");
    assert!(herfindahl(&[1.0, -2.0]).is_err());
    assert!(herfindahl_test(&[1.0, 1.0], &[1.0, 2.0]).is_err(), "no spread now: undefined");
    assert!(herfindahl_test(&[0.7; 5], &[1.0, 2.0, 1.0, 1.0, 1.0]).is_err(), "even up to rounding");
    // In a report the index stays and the undefined test is a note.
    let even = HerfindahlFigure::new(&[1.0, 1.0], Some(&[1.0, 2.0])).unwrap();
    assert!(even.test.is_none() && even.note.is_some_and(|n| n.contains("same share")));
    assert_eq!(even.index.map(|i| i.index), Some(0.0));
    assert!(auc_change(0.7, 0.0, 0.8, None).is_err());
    // In a report the undefined test is a note; an AUC outside [0, 1] stays an error.
    let (change, note) = auc_change_or_note(1.0, 0.0, Some((0.8, None))).unwrap();
    assert!(change.is_none() && note.is_some_and(|n| n.contains("standard error is 0")));
    assert_eq!(auc_change_or_note(0.7, 0.02, None).unwrap(), (None, None));
    assert!(auc_change_or_note(0.0, 0.0, Some((0.8, None))).is_err(), "a certain fall is not a note");
    assert!(auc_change_or_note(1.2, 0.02, Some((0.8, None))).is_err());
    assert!(auc_change(1.2, 0.01, 0.8, None).is_err());
    let one = backtest("x", &[0.3], &[0.2], None, Alternative::Greater).unwrap();
    assert!(one.t_test.is_none() && one.skipped.unwrap().contains("at least 2"));
    let same = backtest("x", &[0.3, 0.4], &[0.2, 0.3], None, Alternative::Greater).unwrap();
    // 0.3 − 0.2 and 0.4 − 0.3 differ in the last bits: equal within the relative tolerance.
    assert!(same.t_test.is_none(), "equal differences: no t statistic");
    assert!(backtest("x", &[0.3], &[0.2], Some(&[-1.0]), Alternative::Greater).is_err());
    assert!(long_run_average(&[true], &[0.5], &[3], &["a".into()], None).is_err());
    let single = long_run_average(&[true, false], &[0.5, 0.5], &[0, 0], &["2024".into()], None).unwrap();
    assert!(single.statistic.is_none(), "one cohort: no test");
    assert!(overrides_by_grade(&[], &[]).is_err());
    let flags = overrides_by_flag(&[true, false, false, false]).unwrap();
    assert_eq!((flags.rate, flags.upgrades), (0.25, None));
}

fn slow() -> bool {
    std::env::var_os("KD_SLOW_TESTS").is_some()
}

const SIMULATIONS: usize = 1000;

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller: the workspace has no rand_distr, and one normal draw needs two lines.
    let (u, v): (f64, f64) = (rng.gen_range(f64::EPSILON..1.0), rng.r#gen());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// Share of `SIMULATIONS` runs of `p_value` below 5%.
fn rejection_rate(seed: u64, mut p_value: impl FnMut(&mut ChaCha8Rng) -> f64) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..SIMULATIONS).filter(|_| p_value(&mut rng) < 0.05).count() as f64 / SIMULATIONS as f64
}

/// The binomial 99% band around a size of 5%.
fn in_band(rate: f64) -> bool {
    let sd = (0.05 * 0.95 / SIMULATIONS as f64).sqrt();
    (0.05 - 2.576 * sd..=0.05 + 2.576 * sd).contains(&rate)
}

/// Binormal scores of `n` obligors with default rate 20%: defaulters shifted by `shift`
/// standard deviations, so that the true AUROC is `Φ(shift/√2)`.
fn binormal(rng: &mut ChaCha8Rng, n: usize, shift: f64) -> (Vec<bool>, Vec<f64>) {
    let y: Vec<bool> = (0..n).map(|_| rng.r#gen::<f64>() < 0.2).collect();
    let s = y.iter().map(|&d| normal(rng) + if d { shift } else { 0.0 }).collect();
    (y, s)
}

#[test]
fn the_auc_change_test_has_its_size_and_power() {
    if !slow() {
        return;
    }
    let true_auc = |shift: f64| 0.5 * libm::erfc(-shift / 2.0);
    let test = |rng: &mut ChaCha8Rng, shift: f64| {
        let (y, s) = binormal(rng, 1000, shift);
        let a = auroc_delong(&y, &s, 0.95).unwrap();
        auc_change(a.value, a.std_error, true_auc(1.0), None).unwrap().p_value
    };
    let size = rejection_rate(21, |rng| test(rng, 1.0));
    let power = rejection_rate(22, |rng| test(rng, 0.7));
    eprintln!("AUC change: size {size}, power {power}");
    assert!(in_band(size), "size {size}");
    assert!(power > 0.9, "power {power} against an AUROC 0.69 instead of 0.76");
}

#[test]
fn the_migration_monotonicity_test_has_its_size_and_power() {
    if !slow() {
        return;
    }
    // Row 0 of a 2-grade matrix with two more columns: 600 obligors spread over four columns
    // by `shares`; the test of cell (0, 1) against its neighbour (0, 0).
    let test = |rng: &mut ChaCha8Rng, shares: [f64; 4]| {
        let mut row = vec![0usize; 4];
        for _ in 0..600 {
            let u: f64 = rng.r#gen();
            let mut cumulative = 0.0;
            let column = shares.iter().position(|s| {
                cumulative += s;
                u < cumulative
            });
            row[column.unwrap_or(3)] += 1;
        }
        let stability = migration_stability(&[row, vec![10, 80, 5, 5]], 0.05).unwrap();
        stability.tests.iter().find(|t| (t.from, t.to) == (0, 1)).unwrap().p_value
    };
    let size = rejection_rate(25, |rng| test(rng, [0.3, 0.3, 0.25, 0.15]));
    let power = rejection_rate(26, |rng| test(rng, [0.28, 0.4, 0.2, 0.12]));
    eprintln!("migration monotonicity: size {size}, power {power}");
    assert!(in_band(size), "size {size} on the null's boundary");
    assert!(power > 0.9, "power {power} against 40% one grade away for 28% staying");
}

#[test]
fn the_backtest_t_test_has_its_size_and_power() {
    if !slow() {
        return;
    }
    let test = |rng: &mut ChaCha8Rng, bias: f64| {
        let e: Vec<f64> = (0..200).map(|_| rng.gen_range(0.1..0.6)).collect();
        let r: Vec<f64> = e.iter().map(|&x| x + bias + 0.2 * normal(rng)).collect();
        backtest("s", &r, &e, None, Alternative::Greater).unwrap().t_test.unwrap().p_value
    };
    let size = rejection_rate(23, |rng| test(rng, 0.0));
    let power = rejection_rate(24, |rng| test(rng, 0.05));
    eprintln!("back-test t-test: size {size}, power {power}");
    assert!(in_band(size), "size {size}");
    assert!(power > 0.9, "power {power} against an under-estimation of 0.05");
}

#[test]
fn the_gauc_standard_error_covers() {
    if !slow() {
        return;
    }
    // Continuous outcome y = x + noise, estimate x: the spread of the gAUC over samples
    // against its mean standard error, and the 95% interval's coverage of the large-sample value.
    let sample = |rng: &mut ChaCha8Rng, n: usize| {
        let x: Vec<f64> = (0..n).map(|_| normal(rng)).collect();
        let y: Vec<f64> = x.iter().map(|&v| v + normal(rng)).collect();
        (y, x)
    };
    let mut rng = ChaCha8Rng::seed_from_u64(25);
    let (y, x) = sample(&mut rng, 40_000);
    let truth = generalised_auc(&y, &x).unwrap().value;
    let mut covered = 0;
    for _ in 0..SIMULATIONS {
        let (y, x) = sample(&mut rng, 300);
        let g = generalised_auc(&y, &x).unwrap();
        covered += usize::from((g.value - truth).abs() <= 1.96 * g.std_error);
    }
    let coverage = covered as f64 / SIMULATIONS as f64;
    eprintln!("gAUC 95% interval coverage {coverage}");
    assert!((0.93..=0.97).contains(&coverage), "coverage {coverage}");
}

#[test]
fn the_concentration_and_long_run_tests_have_the_sizes_kd_documents() {
    if !slow() {
        return;
    }
    // Herfindahl: grade counts of 2,000 obligors over 20 grades, from the same distribution now
    // and at initial validation. The statistic's variance is that of a CV over K grades, far
    // larger than the multinomial noise of 2,000 obligors, so the test is very conservative.
    // (With few grades it cannot reject at all: see the module's documentation.)
    let even: Vec<f64> = (0..20).map(|i| 1.0 + 0.5 * f64::from(i).sin()).collect();
    let decaying: Vec<f64> = (0..20).map(|i| (-0.2 * f64::from(i)).exp()).collect();
    let draw = |rng: &mut ChaCha8Rng, w: &[f64]| {
        let total: f64 = w.iter().sum();
        let mut c = vec![0.0; w.len()];
        for _ in 0..2000 {
            let (mut u, mut k) = (rng.r#gen::<f64>() * total, 0);
            while k + 1 < w.len() && u > w[k] {
                u -= w[k];
                k += 1;
            }
            c[k] += 1.0;
        }
        c
    };
    let size =
        rejection_rate(26, |rng| herfindahl_test(&draw(rng, &even), &draw(rng, &even)).unwrap().p_value);
    assert!(size < 0.01, "Herfindahl size {size}");
    let power =
        rejection_rate(27, |rng| herfindahl_test(&draw(rng, &decaying), &draw(rng, &even)).unwrap().p_value);
    eprintln!("Herfindahl test (20 grades): size {size}, power {power}");
    assert!(power > 0.9, "Herfindahl power {power} (CV 0.34 to 1.03)");
    // Working Paper 14's normal test over 5 cohorts of 2,000 with correct PDs: the statistic is
    // √T ē / τ̂, Student's t with 4 degrees of freedom, so the normal reference is liberal:
    // P(t₄ > 1.645) = 0.0875.
    let cohorts: Vec<String> = (0..5).map(|t| t.to_string()).collect();
    let size = rejection_rate(28, |rng| {
        let cohort: Vec<usize> = (0..10_000).map(|i| i / 2000).collect();
        let pd: Vec<f64> = (0..10_000).map(|_| rng.gen_range(0.01..0.1)).collect();
        let y: Vec<bool> = pd.iter().map(|&p| rng.r#gen::<f64>() < p).collect();
        long_run_average(&y, &pd, &cohort, &cohorts, None).unwrap().p_value.unwrap()
    });
    eprintln!("normal test over 5 cohorts: size {size}");
    assert!((0.06..=0.115).contains(&size), "normal test size {size}, expected about 0.0875");
}

#[test]
fn the_correlated_prudent_bound_covers_under_its_model() {
    if !slow() {
        return;
    }
    // One grade of 400 obligors with PD 5% whose defaults share a factor (ρ = 0.12): the 90%
    // bound must lie above the true PD in at least 90% of the samples (exactly, but for the
    // discreteness of the count); the independent bound, blind to the factor, falls short.
    let (n, pd, rho, confidence) = (400usize, 0.05, 0.12f64, 0.9);
    let threshold = -1.644_853_626_951_472_7; // Φ⁻¹(0.05)
    let mut rng = ChaCha8Rng::seed_from_u64(31);
    let (mut correlated, mut independent) = (0, 0);
    for _ in 0..SIMULATIONS {
        let factor = normal(&mut rng);
        let defaults = (0..n)
            .filter(|_| rho.sqrt() * factor + (1.0f64 - rho).sqrt() * normal(&mut rng) <= threshold)
            .count();
        let bound = pluto_tasche(&[n], &[defaults], confidence, rho).unwrap()[0];
        correlated += usize::from(bound.upper_bound_correlated >= pd);
        independent += usize::from(bound.upper_bound >= pd);
    }
    let (correlated, independent) =
        (correlated as f64 / SIMULATIONS as f64, independent as f64 / SIMULATIONS as f64);
    eprintln!("coverage of the 90% bound: correlated {correlated}, independent {independent}");
    let sd = (confidence * (1.0 - confidence) / SIMULATIONS as f64).sqrt();
    assert!(correlated >= confidence - 2.576 * sd, "correlated coverage {correlated}");
    assert!(correlated < 0.99, "a bound that covers always says nothing: {correlated}");
    assert!(independent < confidence - 2.576 * sd, "independent coverage {independent}");
}

#[test]
fn the_multi_period_prudent_bound_covers_under_its_model() {
    if !slow() {
        return;
    }
    // One grade of 300 obligors a period over 3 periods, PD 1%, defaults sharing a factor
    // (ρ = 0.12) that persists from one period to the next (τ = 0.5): the 90% bound must lie
    // above the true PD in at least 90% of the samples (but for the discreteness of the count),
    // and the bound that takes the periods as independent (τ = 0) covers less.
    let (n, pd, rho, tau, confidence) = (300usize, 0.01, 0.12f64, 0.5f64, 0.9);
    let threshold = -2.326_347_874_040_840_8; // Φ⁻¹(0.01)
    let simulations = 400;
    let mut rng = ChaCha8Rng::seed_from_u64(37);
    let (mut persistent, mut independent) = (0, 0);
    let started = std::time::Instant::now();
    for _ in 0..simulations {
        let mut factor = normal(&mut rng);
        let mut defaults = ndarray::Array2::zeros((3, 1));
        for t in 0..3 {
            if t > 0 {
                factor = tau * factor + (1.0 - tau * tau).sqrt() * normal(&mut rng);
            }
            defaults[[t, 0]] = (0..n)
                .filter(|_| rho.sqrt() * factor + (1.0f64 - rho).sqrt() * normal(&mut rng) <= threshold)
                .count();
        }
        let obligors = ndarray::Array2::from_elem((3, 1), n);
        let bound = |tau| {
            pluto_tasche_periods(obligors.view(), defaults.view(), confidence, rho, tau).unwrap()[0]
                .upper_bound
                .unwrap()
        };
        persistent += usize::from(bound(tau) >= pd);
        independent += usize::from(bound(0.0) >= pd);
    }
    let share = |count: usize| count as f64 / simulations as f64;
    let (persistent, independent) = (share(persistent), share(independent));
    eprintln!(
        "coverage of the 90% multi-period bound: τ = {tau} {persistent}, τ = 0 {independent} ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let sd = (confidence * (1.0 - confidence) / simulations as f64).sqrt();
    assert!(persistent >= confidence - 2.576 * sd, "coverage {persistent}");
    assert!(persistent < 0.99, "a bound that covers always says nothing: {persistent}");
    assert!(independent < persistent, "independent periods {independent}, persistent {persistent}");
}
