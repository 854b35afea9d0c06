//! kd's spline GAM against pyGAM 0.12.0 at the same basis (20 cubic B-splines per feature) and
//! λ (0.6, pyGAM's default), on 100,000 × 10 synthetic rows (`KD_BENCH_ROWS` changes n):
//! `LinearGAM` on a smooth additive signal plus noise, `LogisticGAM` on 0/1 outcomes drawn from
//! it through the logit. Both sides fit the same rows in the same run; it prints both fit times,
//! the ratio and the largest relative difference between the fitted means. The bar:
//! predictions within 1e-3 relative and at least 3× faster.
//!
//! Run: `cargo xtask bench spline` (it provides pyGAM's environment, see
//! xtask/pygam-requirements.txt), or `KD_PYGAM_PYTHON=/path/to/python cargo bench --bench spline`.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

use std::time::Instant;

mod common;
use common::{run_anchor_with, write_f64};

use kd::students::gam::Link;
use kd::students::spline::{Smoothing, SplineGam, SplineGamParams};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};

const FEATURES: usize = 10;
const LAM: f64 = 0.6;

/// Rows uniform on [0, 1]¹⁰ and the additive signal `η` with its 0/1 and noisy outcomes.
fn data(n: usize) -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let x = Array2::from_shape_fn((n, FEATURES), |_| rng.r#gen::<f64>());
    let eta: Vec<f64> = x
        .rows()
        .into_iter()
        .map(|r| {
            (2.0 * std::f64::consts::PI * r[0]).sin() + 2.0 * (r[1] - 0.5).powi(2) + r[2] - (3.0 * r[3]).cos()
                + 0.5 * r[4] * r[4]
                - 0.5
        })
        .collect();
    let y = eta.iter().map(|e| e + rng.r#gen::<f64>() - 0.5).collect();
    let labels =
        eta.iter().map(|e| f64::from(u8::from(rng.r#gen::<f64>() < 1.0 / (1.0 + (-e).exp())))).collect();
    (x, y, labels)
}

fn read_f64(path: &str) -> Vec<f64> {
    std::fs::read(path).unwrap().chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().unwrap())).collect()
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("KD_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let python = std::env::var("KD_PYGAM_PYTHON").unwrap_or_else(|_| "python3".into());
    let (x, y, labels) = data(n);
    let dir = tempfile::tempdir()?;
    write_f64(&dir.path().join("x.f64"), x.iter().copied())?;
    println!("spline GAM (20 cubic splines per feature, λ = {LAM}) vs pyGAM 0.12.0 on {n} × {FEATURES}");
    println!(
        "{:<10} {:>8} {:>8} {:>10} {:>10} {:>8} {:>14}",
        "link", "kd edof", "pyGAM", "kd s", "pyGAM s", "speed", "max rel diff"
    );
    for (name, target, link) in [("identity", y, Link::Identity), ("logit", labels, Link::Logit)] {
        write_f64(&dir.path().join(format!("y_{name}.f64")), target.iter().copied())?;
        let args = [
            dir.path().display().to_string(),
            name.into(),
            n.to_string(),
            FEATURES.to_string(),
            LAM.to_string(),
        ];
        let anchor = run_anchor_with(&python, "spline_pygam.py", &args)?;
        let params = SplineGamParams { smoothing: Smoothing::Shared(LAM), ..SplineGamParams::default() };
        let start = Instant::now();
        let gam = SplineGam::fit(&params, x.view(), target.view(), link)?;
        let ours = start.elapsed().as_secs_f64();
        let predicted = gam.predict(x.view())?;
        let mu = predicted.column(predicted.ncols() - 1);
        let theirs = read_f64(anchor["mu"].as_str().unwrap());
        let worst =
            mu.iter().zip(&theirs).map(|(a, b)| (a - b).abs() / b.abs().max(1e-12)).fold(0.0, f64::max);
        let seconds = anchor["seconds"].as_f64().unwrap();
        println!(
            "{name:<10} {:>8.3} {:>8.3} {ours:>10.3} {seconds:>10.3} {:>7.1}x {worst:>14.2e}",
            gam.statistics.edof,
            anchor["edof"].as_f64().unwrap(),
            seconds / ours
        );
    }
    println!("bar: at least 3× faster, predictions within 1e-3 relative");
    Ok(())
}
