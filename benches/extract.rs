//! Drawing 1,000,000 points from a 10-component axis-aligned Gaussian mixture in 20 dimensions,
//! truncated to a box (the inner loop of Bastani extraction), on one core: kd against the same
//! draw written with NumPy and `scipy.stats.truncnorm` in the same run. Prints both times, the
//! ratio, kd's time against the bar (under a second) and the largest difference between
//! the two samples' per-dimension means (both estimate the same truncated mixture).
//!
//! Run: `cargo xtask bench extract` (it provides the Python environment), or
//! `KD_PYTHON=/path/to/python cargo bench --bench extract`. `KD_BENCH_ROWS` changes n.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

use std::time::Instant;

mod common;
use common::run_anchor;

use kd::extract::input::{Mixture, Region};
use rand::SeedableRng;

const K: usize = 10;
const D: usize = 20;

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("KD_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let mixture = Mixture::random(K, D, 42);
    // A box that cuts every dimension, half of them on both sides.
    let region = Region {
        lower: (0..D).map(|j| if j % 2 == 0 { -1.0 } else { f64::NEG_INFINITY }).collect(),
        upper: (0..D).map(|j| if j % 4 == 1 { f64::INFINITY } else { 1.5 }).collect(),
    };
    let mut best = f64::INFINITY;
    let mut sample = ndarray::Array2::zeros((0, D));
    for seed in 0..3 {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let start = Instant::now();
        sample = mixture.sample(&region, n, &mut rng)?;
        best = best.min(start.elapsed().as_secs_f64());
    }
    assert!(sample.rows().into_iter().all(|r| region.contains(r)));
    let our_means: Vec<f64> = sample.columns().into_iter().map(|c| c.sum() / n as f64).collect();

    let spec = serde_json::json!({
        "n": n,
        "weights": mixture.components.iter().map(|c| c.weight).collect::<Vec<_>>(),
        "means": mixture.components.iter().map(|c| c.mean.clone()).collect::<Vec<_>>(),
        "sds": mixture.components.iter().map(|c| c.sd.clone()).collect::<Vec<_>>(),
        "lower": region.lower.iter().map(|v| if v.is_finite() { *v } else { -1e300 }).collect::<Vec<_>>(),
        "upper": region.upper.iter().map(|v| if v.is_finite() { *v } else { 1e300 }).collect::<Vec<_>>(),
    });
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("mixture.json");
    std::fs::write(&file, spec.to_string())?;
    let theirs = run_anchor("extract_scipy.py", &[file.display().to_string()])?;
    let scipy_seconds = theirs["seconds"].as_f64().expect("seconds");
    let their_means: Vec<f64> =
        theirs["means"].as_array().expect("means").iter().map(|v| v.as_f64().expect("mean")).collect();
    let gap = our_means.iter().zip(&their_means).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);

    println!("truncated mixture sampling: {n} points, {K} components, {D} dimensions, one core");
    println!("  kd     {best:8.3} s  (best of 3)");
    println!("  scipy  {scipy_seconds:8.3} s  (numpy choice + scipy.stats.truncnorm, best of 3)");
    println!("  ratio  {:8.1}x faster than scipy", scipy_seconds / best);
    println!("  bar    under 1 s: {}", if best < 1.0 { "met" } else { "NOT met" });
    println!("  largest difference of per-dimension means (kd vs scipy): {gap:.4}");
    Ok(())
}
