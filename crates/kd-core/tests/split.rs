//! Properties of the seeded train/test split.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::data::train_test_split;
use proptest::prelude::*;

proptest! {
    #[test]
    fn a_split_partitions_the_rows(n in 2usize..400, fraction in 0.05f64..0.95, seed in any::<u64>()) {
        prop_assume!((fraction * n as f64).round() >= 1.0 && (fraction * n as f64).round() < n as f64);
        let split = train_test_split(n, fraction, seed, None).unwrap();
        let mut all: Vec<usize> = split.train.iter().chain(&split.test).copied().collect();
        all.sort_unstable();
        prop_assert_eq!(all, (0..n).collect::<Vec<_>>());
        prop_assert_eq!(split.test.len(), (fraction * n as f64).round() as usize);
        prop_assert_eq!(train_test_split(n, fraction, seed, None).unwrap(), split);
    }

    #[test]
    fn a_stratified_split_keeps_class_shares(sizes in proptest::collection::vec(10usize..80, 2..5), seed in any::<u64>()) {
        let y: Vec<usize> = sizes.iter().enumerate().flat_map(|(c, &n)| std::iter::repeat_n(c, n)).collect();
        let split = train_test_split(y.len(), 0.3, seed, Some(&y)).unwrap();
        for (c, &n) in sizes.iter().enumerate() {
            let in_test = split.test.iter().filter(|&&r| y[r] == c).count();
            prop_assert_eq!(in_test, (0.3 * n as f64).round() as usize);
        }
    }
}

#[test]
fn different_seeds_give_different_splits() {
    let a = train_test_split(100, 0.3, 1, None).unwrap();
    let b = train_test_split(100, 0.3, 2, None).unwrap();
    assert_ne!(a, b);
}

#[test]
fn a_fraction_outside_zero_one_is_refused() {
    for bad in [0.0, 1.0, -0.1, f64::NAN] {
        let error = train_test_split(10, bad, 0, None).unwrap_err();
        assert!(error.to_string().contains("test fraction"), "{error}");
    }
    assert!(train_test_split(1, 0.5, 0, None).is_err());
}
