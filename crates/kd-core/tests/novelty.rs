//! Random network distillation as a novelty score: rows unlike the reference score higher,
//! fits are deterministic for a seed, bad input is refused.
#![cfg(feature = "torch")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::metrics::auroc;
use kd_core::novelty::{Rnd, RndConfig};
use ndarray::{Array2, Axis, concatenate};
use rand::{Rng, SeedableRng};

fn blob(n: usize, shift: f64, seed: u64) -> Array2<f64> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, 5), |(_, j)| {
        let z: f64 = (0..12).map(|_| rng.r#gen::<f64>()).sum::<f64>() - 6.0;
        shift + z * (1.0 + j as f64 * 0.5)
    })
}

#[test]
fn unfamiliar_rows_score_higher_and_fits_repeat() {
    let _rng = kd_test_support::torch_rng();
    let config = RndConfig { epochs: 60, ..RndConfig::default() };
    let rnd = Rnd::fit(&config, blob(600, 0.0, 1).view()).unwrap();
    let (familiar, novel) = (blob(200, 0.0, 2), blob(200, 4.0, 3));
    let scores = rnd.score(concatenate(Axis(0), &[familiar.view(), novel.view()]).unwrap().view()).unwrap();
    let labels: Vec<usize> = (0..400).map(|i| usize::from(i >= 200)).collect();
    let auc = auroc(&labels, scores.view()).unwrap();
    assert!(auc > 0.95, "AUROC {auc}");
    let again = Rnd::fit(&config, blob(600, 0.0, 1).view()).unwrap();
    assert_eq!(again.score(novel.view()).unwrap(), rnd.score(novel.view()).unwrap());
}

#[test]
fn bad_reference_and_rows_are_refused() {
    let _rng = kd_test_support::torch_rng();
    let mut x = blob(50, 0.0, 4);
    x[[3, 2]] = f64::NAN;
    let err = Rnd::fit(&RndConfig::default(), x.view()).unwrap_err().to_string();
    assert!(err.contains("row 3, column 2"), "{err}");
    let rnd = Rnd::fit(&RndConfig { epochs: 2, ..RndConfig::default() }, blob(50, 0.0, 5).view()).unwrap();
    assert!(
        rnd.score(blob(3, 0.0, 6).slice(ndarray::s![.., ..4]).view())
            .unwrap_err()
            .to_string()
            .contains("4 columns")
    );
    assert!(Rnd::fit(&RndConfig { epochs: 0, ..RndConfig::default() }, blob(50, 0.0, 5).view()).is_err());
}
