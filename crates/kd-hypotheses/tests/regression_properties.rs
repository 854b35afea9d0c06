//! Invariances of the regression battery, and the size and power of each test. The
//! simulations run when `KD_SLOW_TESTS` is set (`cargo xtask test` and CI set it).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use std::collections::BTreeMap;

use kd_hypotheses::regression::*;
use ndarray::{Array1, Array2};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn gaussian(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller.
    let (u, v): (f64, f64) = (rng.r#gen::<f64>().max(1e-300), rng.r#gen());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// How the simulated data violate (or not) the assumptions.
#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    Null,
    Autocorrelated,
    VarianceWithX,
    VarianceWithRow,
    Skewed,
    Quadratic,
    OrderedQuadratic,
    LevelShift,
    CoefficientBreak,
}

fn simulate(scenario: Scenario, n: usize, rng: &mut ChaCha8Rng) -> (Array2<f64>, Array1<f64>) {
    let mut x = Array2::zeros((n, 2));
    x.mapv_inplace(|_: f64| gaussian(rng));
    if scenario == Scenario::OrderedQuadratic {
        let mut first: Vec<f64> = x.column(0).to_vec();
        first.sort_by(f64::total_cmp);
        x.column_mut(0).assign(&Array1::from(first));
    }
    let mut previous = 0.0;
    let y = (0..n)
        .map(|i| {
            let (x1, x2) = (x[[i, 0]], x[[i, 1]]);
            let z = gaussian(rng);
            let error = match scenario {
                Scenario::Autocorrelated => {
                    previous = 0.6 * previous + z;
                    previous
                }
                Scenario::VarianceWithX => z * (1.0 * x1).exp(),
                Scenario::VarianceWithRow => z * (0.2 + 3.0 * i as f64 / n as f64),
                Scenario::Skewed => -(rng.r#gen::<f64>().max(1e-300)).ln() - 1.0,
                _ => z,
            };
            let late = i >= n / 2;
            let mean = match scenario {
                Scenario::Quadratic | Scenario::OrderedQuadratic => 1.0 + 2.0 * x1 - x2 + 1.0 * x1 * x1,
                Scenario::LevelShift if late => 2.0 + 2.0 * x1 - x2,
                Scenario::CoefficientBreak if late => 1.0 + 1.0 * x1 - 2.0 * x2,
                _ => 1.0 + 2.0 * x1 - x2,
            };
            mean + error
        })
        .collect();
    (x, y)
}

fn names() -> Vec<String> {
    vec!["x1".into(), "x2".into()]
}

fn p_values(x: &Array2<f64>, y: &Array1<f64>, break_at: Option<usize>) -> BTreeMap<&'static str, f64> {
    let ols = Ols::fit(x.view(), y.view(), &names()).unwrap();
    let b = battery(&ols, &BatteryOptions { break_at, ..BatteryOptions::default() }).unwrap();
    assert!(b.skipped.is_empty() || b.skipped.keys().all(|k| *k == "chow"), "skipped: {:?}", b.skipped);
    b.tests.iter().filter_map(|(k, t)| t.p_value.map(|p| (*k, p))).collect()
}

fn statistics(x: &Array2<f64>, y: &Array1<f64>) -> BTreeMap<&'static str, f64> {
    let ols = Ols::fit(x.view(), y.view(), &names()).unwrap();
    battery(&ols, &BatteryOptions { break_at: Some(x.nrows() / 2), ..BatteryOptions::default() })
        .unwrap()
        .tests
        .into_iter()
        .map(|(k, t)| (k, t.statistic))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn the_battery_ignores_affine_maps_of_target_and_features(
        seed in any::<u64>(), scale in 0.01f64..100.0, shift in -1e3f64..1e3, a in 0.1f64..10.0, b in -50.0f64..50.0
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (x, y) = simulate(Scenario::Null, 60, &mut rng);
        let before = statistics(&x, &y);
        let y2 = y.mapv(|v| scale * v + shift);
        let mut x2 = x.clone();
        x2.column_mut(1).mapv_inplace(|v| a * v + b);
        let after = statistics(&x2, &y2);
        for (key, value) in &before {
            let other = after[key];
            prop_assert!((value - other).abs() <= 1e-6 * value.abs().max(1.0), "{}: {} vs {}", key, value, other);
        }
        for p in p_values(&x, &y, Some(30)).values() {
            prop_assert!((0.0..=1.0).contains(p));
        }
    }

    #[test]
    fn order_free_tests_ignore_row_order(seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (x, y) = simulate(Scenario::Null, 50, &mut rng);
        let order: Vec<usize> = (0..50).rev().collect();
        let (xr, yr) = (x.select(ndarray::Axis(0), &order), y.select(ndarray::Axis(0), &order));
        let (before, after) = (statistics(&x, &y), statistics(&xr, &yr));
        for key in ["breusch_pagan", "white", "jarque_bera", "omnibus", "shapiro_wilk", "anderson_darling", "lilliefors", "reset"] {
            prop_assert!((before[key] - after[key]).abs() <= 1e-8 * before[key].abs().max(1.0), "{}", key);
        }
    }
}

fn slow() -> bool {
    std::env::var_os("KD_SLOW_TESTS").is_some()
}

const SIMULATIONS: usize = 1000;

fn rejection_rates(scenario: Scenario, n: usize, seed: u64) -> BTreeMap<&'static str, f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for _ in 0..SIMULATIONS {
        let (x, y) = simulate(scenario, n, &mut rng);
        for (key, p) in p_values(&x, &y, Some(n / 2)) {
            *counts.entry(key).or_default() += usize::from(p < 0.05);
        }
    }
    counts.into_iter().map(|(k, c)| (k, c as f64 / SIMULATIONS as f64)).collect()
}

#[test]
fn every_test_has_its_size_under_the_null() {
    if !slow() {
        return;
    }
    let sd = (0.05 * 0.95 / SIMULATIONS as f64).sqrt();
    let (lo, hi) = (0.05 - 2.576 * sd, 0.05 + 2.576 * sd);
    let mut rates = rejection_rates(Scenario::Null, 200, 1);
    // The CUSUM p-value is the Kolmogorov limit of a Brownian bridge, conservative at n = 200
    // (about 3%); its size is checked where the asymptotics hold, at n = 2000.
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let cusum_rejections = (0..SIMULATIONS)
        .filter(|_| {
            let (x, y) = simulate(Scenario::Null, 2000, &mut rng);
            cusum(&Ols::fit(x.view(), y.view(), &names()).unwrap()).unwrap().p_value < 0.05
        })
        .count();
    rates.insert("cusum", cusum_rejections as f64 / SIMULATIONS as f64);
    let outside: Vec<String> =
        rates.iter().filter(|(_, r)| !(lo..=hi).contains(*r)).map(|(k, r)| format!("{k} {r:.3}")).collect();
    assert!(outside.is_empty(), "rejection rates outside [{lo:.3}, {hi:.3}]: {outside:?} (all: {rates:?})");
}

#[test]
fn every_test_has_power_against_its_violation() {
    if !slow() {
        return;
    }
    let cases = [
        (Scenario::Autocorrelated, &["breusch_godfrey", "ljung_box"][..]),
        (Scenario::VarianceWithX, &["breusch_pagan", "white"][..]),
        (Scenario::VarianceWithRow, &["goldfeld_quandt"][..]),
        (Scenario::Skewed, &["jarque_bera", "omnibus", "shapiro_wilk", "anderson_darling", "lilliefors"][..]),
        (Scenario::Quadratic, &["reset"][..]),
        (Scenario::OrderedQuadratic, &["harvey_collier", "rainbow"][..]),
        (Scenario::LevelShift, &["cusum"][..]),
        (Scenario::CoefficientBreak, &["chow"][..]),
    ];
    let mut weak = Vec::new();
    for (i, (scenario, keys)) in cases.iter().enumerate() {
        let rates = rejection_rates(*scenario, 200, 100 + i as u64);
        for key in *keys {
            if rates[key] < 0.9 {
                weak.push(format!("{key} {:.3}", rates[key]));
            }
        }
    }
    assert!(weak.is_empty(), "power below 0.9: {weak:?}");
}
