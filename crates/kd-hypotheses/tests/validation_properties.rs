//! Invariants of the PD validation tests, and the size and power of the calibration tests.
//! The size/power simulations are slow and run when `KD_SLOW_TESTS` is set (`cargo xtask test`
//! and CI set it).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::quantile::Binning;
use kd_hypotheses::validation::*;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn sample() -> impl Strategy<Value = (Vec<bool>, Vec<f64>)> {
    proptest::collection::vec((any::<bool>(), 0u32..40), 4..300).prop_map(|v| {
        let outcome: Vec<bool> = v.iter().map(|p| p.0).collect();
        let score: Vec<f64> = v.iter().map(|p| f64::from(p.1) / 40.0).collect();
        (outcome, score)
    })
}

fn both_classes(outcome: &[bool]) -> bool {
    outcome.iter().filter(|y| **y).count() >= 2 && outcome.iter().filter(|y| !**y).count() >= 2
}

proptest! {
    #[test]
    fn auroc_and_its_error_ignore_increasing_maps_and_mirror_under_negation((outcome, score) in sample()) {
        prop_assume!(both_classes(&outcome));
        let a = auroc_delong(&outcome, &score, 0.95).unwrap();
        let mapped: Vec<f64> = score.iter().map(|s| (3.0 * s).exp() - 7.0).collect();
        let b = auroc_delong(&outcome, &mapped, 0.95).unwrap();
        prop_assert!((a.value - b.value).abs() < 1e-12 && (a.std_error - b.std_error).abs() < 1e-12);
        let negated: Vec<f64> = score.iter().map(|s| -s).collect();
        let c = auroc_delong(&outcome, &negated, 0.95).unwrap();
        prop_assert!((c.value - (1.0 - a.value)).abs() < 1e-12 && (c.std_error - a.std_error).abs() < 1e-12);
        prop_assert!((0.0..=1.0).contains(&a.value) && a.ci_low <= a.value && a.value <= a.ci_high);
        let points = curve_points(&outcome, &score).unwrap();
        let area: f64 = points.windows(2).map(|w| (w[1].fpr - w[0].fpr) * (w[1].tpr + w[0].tpr) / 2.0).sum();
        prop_assert!((area - a.value).abs() < 1e-12, "trapezoid area {} vs AUROC {}", area, a.value);
        let last = points.last().unwrap();
        prop_assert!(last.fpr == 1.0 && last.tpr == 1.0 && last.population == 1.0);
    }

    #[test]
    fn p_values_are_probabilities((outcome, score) in sample()) {
        prop_assume!(both_classes(&outcome));
        let (d, n) = split_by_outcome(&outcome, &score);
        let ks = ks_two_sample(&d, &n).unwrap();
        prop_assert!((0.0..=1.0).contains(&ks.p_value) && (0.0..=1.0).contains(&ks.statistic));
        let pd: Vec<f64> = score.iter().map(|s| 0.01 + 0.9 * s).collect();
        if let Ok(hl) = hosmer_lemeshow(&outcome, &pd, Binning::r_default(10), HlSample::Validation) {
            prop_assert!((0.0..=1.0).contains(&hl.p_value));
        }
        let sp = spiegelhalter(&outcome, &pd).unwrap();
        prop_assert!((0.0..=1.0).contains(&sp.p_value));
    }

    #[test]
    fn the_psi_of_a_sample_with_itself_is_zero(values in proptest::collection::vec(-100i32..100, 1..300)) {
        let x: Vec<f64> = values.iter().map(|&v| f64::from(v)).collect();
        prop_assert!(psi_numeric(&x, &x, Binning::r_default(10)).unwrap().value.abs() < 1e-15);
    }

    #[test]
    fn the_psi_bins_cover_both_samples_and_their_terms_sum_to_the_psi(
        a in proptest::collection::vec(-50i32..50, 1..200),
        b in proptest::collection::vec(-50i32..50, 1..200),
    ) {
        let (a, b): (Vec<f64>, Vec<f64>) = (a.into_iter().map(f64::from).collect(), b.into_iter().map(f64::from).collect());
        let psi = psi_numeric(&a, &b, Binning::r_default(10)).unwrap();
        prop_assert!(psi.cuts.windows(2).all(|w| w[0] < w[1]), "{:?}", psi.cuts);
        prop_assert_eq!(psi.baseline_shares.len(), psi.cuts.len() + 1);
        prop_assert_eq!(psi.current_shares.len(), psi.cuts.len() + 1);
        for shares in [&psi.baseline_shares, &psi.current_shares] {
            prop_assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
        let terms = psi.contributions();
        prop_assert!(terms.iter().all(|&t| t >= 0.0));
        prop_assert!((terms.iter().sum::<f64>() - psi.value).abs() < 1e-12);
        // Bin k holds (cuts[k−1], cuts[k]]; without an empty bin the shares are the samples'.
        let shares = |x: &[f64]| {
            let mut counts = vec![0usize; psi.cuts.len() + 1];
            for v in x {
                counts[psi.cuts.partition_point(|c| c < v)] += 1;
            }
            counts
        };
        let (ca, cb) = (shares(&a), shares(&b));
        if ca.iter().chain(&cb).all(|&c| c > 0) {
            for (share, count) in psi.current_shares.iter().zip(&cb) {
                prop_assert!((share - *count as f64 / b.len() as f64).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn the_ks_test_is_symmetric(a in proptest::collection::vec(0u8..20, 1..60), b in proptest::collection::vec(0u8..20, 1..60)) {
        let a: Vec<f64> = a.into_iter().map(f64::from).collect();
        let b: Vec<f64> = b.into_iter().map(f64::from).collect();
        let (ab, ba) = (ks_two_sample(&a, &b).unwrap(), ks_two_sample(&b, &a).unwrap());
        prop_assert_eq!(ab.statistic, ba.statistic);
        prop_assert!((ab.p_value - ba.p_value).abs() < 1e-12);
    }
}

#[test]
fn a_perfectly_separating_score_has_auroc_one() {
    let outcome = [false, false, false, true, true];
    let a = auroc_delong(&outcome, &[0.1, 0.2, 0.3, 0.8, 0.9], 0.95).unwrap();
    assert_eq!(a.value, 1.0);
    let g = curve_points(&outcome, &[0.1, 0.2, 0.3, 0.8, 0.9]).unwrap();
    assert_eq!((g[2].fpr, g[2].tpr, g[2].population), (0.0, 1.0, 0.4));
}

#[test]
fn undefined_statistics_are_errors() {
    assert!(auroc_delong(&[true, false, false], &[0.1, 0.2, 0.3], 0.95).is_err(), "one default");
    assert!(delong_test(&[true, true, false, false], &[0.1, 0.9, 0.2, 0.3], &[1.0, 9.0, 2.0, 3.0]).is_err());
    assert!(
        hosmer_lemeshow(&[true, false, true], &[0.5, 0.5, 0.5], Binning::r_default(10), HlSample::Validation)
            .is_err()
    );
    assert!(
        hosmer_lemeshow(&[true, false], &[0.5, 1.5], Binning::r_default(10), HlSample::Validation).is_err(),
        "not a PD"
    );
    assert!(spiegelhalter(&[true], &[0.5]).is_err());
    assert!(ks_two_sample(&[], &[1.0]).is_err());
    assert!(ks_two_sample(&[f64::NAN], &[1.0]).is_err());
}

fn slow() -> bool {
    std::env::var_os("KD_SLOW_TESTS").is_some()
}

const SIMULATIONS: usize = 1000;
const ALPHA: f64 = 0.05;

/// The binomial 99% band of the rejection count over `SIMULATIONS` runs for a test of size `size`.
fn band(size: f64) -> (f64, f64) {
    let sd = (SIMULATIONS as f64 * size * (1.0 - size)).sqrt();
    let mean = SIMULATIONS as f64 * size;
    ((mean - 2.576 * sd) / SIMULATIONS as f64, (mean + 2.576 * sd) / SIMULATIONS as f64)
}

fn bernoulli(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.r#gen::<f64>() < p
}

fn rate(rejections: usize) -> f64 {
    rejections as f64 / SIMULATIONS as f64
}

#[test]
fn hosmer_lemeshow_on_a_validation_sample_has_its_size_and_power() {
    if !slow() {
        return;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (mut null_rejections, mut alt_rejections) = (0, 0);
    for _ in 0..SIMULATIONS {
        let pd: Vec<f64> = (0..1000).map(|_| rng.gen_range(0.02..0.3)).collect();
        let calibrated: Vec<bool> = pd.iter().map(|&p| bernoulli(&mut rng, p)).collect();
        let halved: Vec<f64> = pd.iter().map(|p| p / 2.0).collect();
        let test = |pd: &[f64]| {
            hosmer_lemeshow(&calibrated, pd, Binning::r_default(10), HlSample::Validation).unwrap().p_value
                < ALPHA
        };
        null_rejections += usize::from(test(&pd));
        alt_rejections += usize::from(test(&halved));
    }
    let (lo, hi) = band(ALPHA);
    assert!(
        (lo..=hi).contains(&rate(null_rejections)),
        "HL size {} outside [{lo}, {hi}]",
        rate(null_rejections)
    );
    assert!(rate(alt_rejections) >= 0.9, "HL power {}", rate(alt_rejections));
}

/// Logistic regression of `y` on an intercept and `x` by Newton's method: the fitted PDs.
fn fitted_logistic(x: &[f64], y: &[bool]) -> Vec<f64> {
    let (mut a, mut b) = (0.0, 0.0);
    let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
    for _ in 0..50 {
        let (mut g0, mut g1, mut h00, mut h01, mut h11) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&xi, &yi) in x.iter().zip(y) {
            let p = sigmoid(a + b * xi);
            let r = f64::from(u8::from(yi)) - p;
            let w = p * (1.0 - p);
            g0 += r;
            g1 += r * xi;
            h00 += w;
            h01 += w * xi;
            h11 += w * xi * xi;
        }
        let det = h00 * h11 - h01 * h01;
        a += (h11 * g0 - h01 * g1) / det;
        b += (h00 * g1 - h01 * g0) / det;
    }
    x.iter().map(|&xi| sigmoid(a + b * xi)).collect()
}

#[test]
fn hosmer_lemeshow_on_the_development_sample_has_its_size() {
    if !slow() {
        return;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let mut rejections = 0;
    for _ in 0..SIMULATIONS {
        let x: Vec<f64> = (0..1000).map(|_| rng.gen_range(-2.0..2.0)).collect();
        let y: Vec<bool> =
            x.iter().map(|&xi| bernoulli(&mut rng, 1.0 / (1.0 + (2.0 - 0.8 * xi).exp()))).collect();
        let pd = fitted_logistic(&x, &y);
        rejections += usize::from(
            hosmer_lemeshow(&y, &pd, Binning::r_default(10), HlSample::Development).unwrap().p_value < ALPHA,
        );
    }
    let (lo, hi) = band(ALPHA);
    assert!(
        (lo..=hi).contains(&rate(rejections)),
        "HL (development) size {} outside [{lo}, {hi}]",
        rate(rejections)
    );
}

/// Exact size of a one-grade test that rejects when `p_value(d) < α`, `d ~ Binomial(n, pd)`.
fn exact_size(n: usize, pd: f64, p_value: impl Fn(usize) -> f64) -> f64 {
    (0..=n)
        .filter(|&d| p_value(d) < ALPHA)
        .map(|d| binomial_upper_tail(n, d, pd) - binomial_upper_tail(n, d + 1, pd))
        .sum()
}

#[test]
fn the_binomial_and_jeffreys_tests_have_their_size_and_power() {
    if !slow() {
        return;
    }
    let (n, pd) = (1000, 0.03);
    let binomial = |d: usize| binomial_upper_tail(n, d, pd);
    let jeffreys = |d: usize| jeffreys_p_value(n, d, pd);
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let labels = ["A".to_string()];
    let (mut b_null, mut j_null, mut b_alt, mut j_alt) = (0, 0, 0, 0);
    for _ in 0..SIMULATIONS {
        let calibrated: Vec<bool> = (0..n).map(|_| bernoulli(&mut rng, pd)).collect();
        let halved = vec![pd / 2.0; n];
        let t = &grade_tests(&calibrated, &vec![pd; n], &vec![0; n], &labels, 0.12).unwrap()[0];
        let h = &grade_tests(&calibrated, &halved, &vec![0; n], &labels, 0.12).unwrap()[0];
        b_null += usize::from(t.binomial_p_value < ALPHA);
        j_null += usize::from(t.jeffreys_p_value < ALPHA);
        b_alt += usize::from(h.binomial_p_value < ALPHA);
        j_alt += usize::from(h.jeffreys_p_value < ALPHA);
    }
    for (name, rejections, size) in
        [("binomial", b_null, exact_size(n, pd, binomial)), ("Jeffreys", j_null, exact_size(n, pd, jeffreys))]
    {
        // Discrete tests reach only some sizes: the attainable one is at most α (binomial) or
        // close to it (Jeffreys), and the simulation agrees with it.
        assert!((ALPHA - 0.03..=ALPHA + 0.01).contains(&size), "{name}: exact size {size}");
        let (lo, hi) = band(size);
        let observed = rate(rejections);
        assert!((lo..=hi).contains(&observed), "{name}: rejection rate {observed} outside [{lo}, {hi}]");
    }
    assert!(rate(b_alt) >= 0.9 && rate(j_alt) >= 0.9, "power {b_alt} {j_alt}");
}

/// `n` rows of probabilities over `k` classes: a softmax of scores uniform on
/// `[−spread, spread]`.
fn multinomial_sample(rng: &mut ChaCha8Rng, n: usize, k: usize, spread: f64) -> ndarray::Array2<f64> {
    ndarray::Array2::from_shape_fn((n, k), |_| spread * rng.gen_range(-1.0..1.0))
        .map_axis(ndarray::Axis(1), |row| {
            let top = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            let e = row.mapv(|v| (v - top).exp());
            &e / e.sum()
        })
        .into_iter()
        .flat_map(|r| r.to_vec())
        .collect::<ndarray::Array1<f64>>()
        .into_shape_with_order((n, k))
        .unwrap()
}

fn draw_classes(rng: &mut ChaCha8Rng, probs: &ndarray::Array2<f64>) -> Vec<usize> {
    probs
        .rows()
        .into_iter()
        .map(|row| {
            let u: f64 = rng.r#gen();
            let mut sum = 0.0;
            row.iter()
                .position(|&p| {
                    sum += p;
                    u < sum
                })
                .unwrap_or(row.len() - 1)
        })
        .collect()
}

#[test]
fn the_multinomial_test_with_two_classes_is_the_binary_one() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for _ in 0..20 {
        let probs = multinomial_sample(&mut rng, 300, 2, 2.0);
        let classes = draw_classes(&mut rng, &probs);
        let bad: Vec<bool> = classes.iter().map(|&c| c == 1).collect();
        let pd = probs.column(1).to_vec();
        for sample in [HlSample::Validation, HlSample::Development] {
            let binary = hosmer_lemeshow(&bad, &pd, Binning::r_default(10), sample).unwrap();
            let multi =
                hosmer_lemeshow_multinomial(&classes, probs.view(), Binning::r_default(10), sample).unwrap();
            assert!((binary.statistic - multi.statistic).abs() <= 1e-9 * binary.statistic.max(1.0));
            assert_eq!((binary.df, binary.groups), (multi.df, multi.groups));
            assert!((binary.p_value - multi.p_value).abs() < 1e-9);
        }
    }
}

#[test]
fn the_multinomial_test_ignores_row_order_and_the_names_of_the_other_classes() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let probs = multinomial_sample(&mut rng, 400, 4, 2.0);
    let classes = draw_classes(&mut rng, &probs);
    let test = |classes: &[usize], probs: &ndarray::Array2<f64>| {
        hosmer_lemeshow_multinomial(classes, probs.view(), Binning::r_default(10), HlSample::Validation)
            .unwrap()
    };
    let base = test(&classes, &probs);
    let order: Vec<usize> = (0..400).rev().collect();
    let reversed =
        test(&order.iter().map(|&i| classes[i]).collect::<Vec<_>>(), &probs.select(ndarray::Axis(0), &order));
    // Swapping classes 1 and 3 (the first class, which the groups are cut from, stays).
    let swap = [0, 3, 2, 1];
    let swapped =
        test(&classes.iter().map(|&c| swap[c]).collect::<Vec<_>>(), &probs.select(ndarray::Axis(1), &swap));
    for other in [reversed, swapped] {
        assert!((other.statistic - base.statistic).abs() < 1e-9);
        assert!((other.covariance_statistic.unwrap() - base.covariance_statistic.unwrap()).abs() < 1e-9);
    }
}

#[test]
fn the_multinomial_test_names_the_row_it_cannot_read() {
    let refusal = |classes: &[usize], probs: ndarray::Array2<f64>| {
        hosmer_lemeshow_multinomial(classes, probs.view(), Binning::r_default(3), HlSample::Validation)
            .unwrap_err()
            .to_string()
    };
    let not_summing = ndarray::array![[0.2, 0.3, 0.5], [0.1, 0.1, 0.1], [0.3, 0.3, 0.4]];
    let good = ndarray::array![[0.2, 0.3, 0.5], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]];
    for (classes, probs, words) in [
        (&[0, 1, 2][..], not_summing, &["probabilities, row 1", "sum to"][..]),
        (&[0, 3, 2], good.clone(), &["classes, row 1", "class index 3"]),
        (&[0, 1], good, &["3 rows expected, got 2"]),
    ] {
        let err = refusal(classes, probs);
        assert!(words.iter().all(|w| err.contains(w)), "{err}");
    }
    // Too few distinct probabilities of the first class to form 3 groups, and a class the
    // model never expects in a group: undefined, saying why.
    let two_values =
        ndarray::Array2::from_shape_fn((40, 3), |(i, c)| [[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]][i % 2][c]);
    let err = hosmer_lemeshow_multinomial(
        &[0; 40],
        two_values.view(),
        Binning::r_default(10),
        HlSample::Validation,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("3 groups (2 formed)"), "{err}");
    let never_c = ndarray::Array2::from_shape_fn((40, 3), |(i, c)| {
        let first = 0.1 + 0.02 * i as f64;
        [first, 1.0 - first, 0.0][c]
    });
    let err =
        hosmer_lemeshow_multinomial(&[0; 40], never_c.view(), Binning::r_default(4), HlSample::Validation)
            .unwrap_err()
            .to_string();
    assert!(err.contains("expects no row of class 2"), "{err}");
}

/// A confident model's outputs as a file stores them, six digits each: rows that give the
/// first class 0.000001 and the others a and 1 − a (summing to 1.000001). `T` is still
/// computed (leaving out the first class, as the textbook form does, its `V_g` is singular in
/// the group of those rows), within 1e-3 of `T` on the rows divided by their sums.
#[test]
fn rounded_probabilities_keep_the_covariance_form() {
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    for _ in 0..8 {
        let mut stored = multinomial_sample(&mut rng, 300, 3, 2.0).mapv(|p| (p * 1e6).round() / 1e6);
        for i in 240..300 {
            let a = (rng.gen_range(0.1..0.9_f64) * 1e6).round() / 1e6;
            stored.row_mut(i).assign(&ndarray::array![1e-6, a, 1.0 - a]);
        }
        let classes = draw_classes(&mut rng, &stored);
        let sums = stored.sum_axis(ndarray::Axis(1)).insert_axis(ndarray::Axis(1));
        let normalised = &stored / &sums;
        let test = |p: &ndarray::Array2<f64>| {
            hosmer_lemeshow_multinomial(&classes, p.view(), Binning::r_default(10), HlSample::Validation)
                .unwrap()
        };
        let exact = test(&normalised).covariance_statistic.unwrap();
        let rounded = test(&stored).covariance_statistic.expect("T on the stored probabilities");
        assert!((exact - rounded).abs() < 1e-3 * exact.max(1.0), "{exact} vs {rounded}");
    }
}

/// On calibrated samples `T` rejects at its level and Fagerland–Hosmer's `C` on `G (k − 1)` df
/// at most at it (conservative, as the module says); both find probabilities pulled halfway to
/// a third each.
#[test]
fn the_multinomial_test_on_a_validation_sample_has_its_size_and_power() {
    if !slow() {
        return;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let mut rejections = [0_usize; 4];
    for _ in 0..SIMULATIONS {
        let probs = multinomial_sample(&mut rng, 600, 3, 1.5);
        let classes = draw_classes(&mut rng, &probs);
        let timid = probs.mapv(|p| 0.5 * p + 0.5 / 3.0);
        for (j, p) in [&probs, &timid].into_iter().enumerate() {
            let t =
                hosmer_lemeshow_multinomial(&classes, p.view(), Binning::r_default(10), HlSample::Validation)
                    .unwrap();
            rejections[2 * j] += usize::from(t.covariance_p_value.unwrap() < ALPHA);
            rejections[2 * j + 1] += usize::from(t.p_value < ALPHA);
        }
    }
    let [size_t, size_c, power_t, power_c] = rejections.map(rate);
    println!(
        "multinomial Hosmer-Lemeshow at 5%, 600 rows, 3 classes: T size {size_t:.3}, power {power_t:.3}; C size {size_c:.3}, power {power_c:.3}"
    );
    let (lo, hi) = band(ALPHA);
    assert!((lo..=hi).contains(&size_t), "T's size {size_t} outside [{lo}, {hi}]");
    assert!(size_c <= hi, "C's size {size_c} above {hi}");
    assert!(power_t >= 0.9 && power_c >= 0.9, "power: T {power_t}, C {power_c}");
}
