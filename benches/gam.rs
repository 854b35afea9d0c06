//! kd's boosted GAM with pairs at its defaults, which are interpret's (`GamParams::default()`
//! with `GamParams::interpret_pairs`: 5 pairs per feature, 14 bags, smoothing then greedy
//! steps), against interpret's `ExplainableBoostingRegressor` with its default settings, both
//! fitted to the same gradient-boosted teacher's outputs on the same 70/30 split: test R² to the
//! teacher, fit time and pair terms, on diabetes, breast cancer, German credit, randhie and a
//! synthetic set (`KD_BENCH_ROWS` rows × 20, default 20,000). The bar: R² no more than
//! 0.005 below interpret's on at least three data sets, and at least 10× faster.
//!
//! Run: `cargo xtask bench gam` (it provides the Python environment with interpret), or
//! `KD_PYTHON=/path/to/python cargo bench --bench gam`; `KD_BENCH_SETS=diabetes,randhie` runs
//! only the named sets.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

use std::path::Path;
use std::time::Instant;

mod common;
use common::run_anchor;

use kd::core::metrics::r2;
use kd::students::gam::{BoostedGam, GamParams, Link};
use ndarray::{Array1, Array2};

fn read_f64(path: &str) -> Vec<f64> {
    std::fs::read(path).unwrap().chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().unwrap())).collect()
}

fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::var("KD_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sets = [
        ("diabetes", "data/sklearn/diabetes.csv", "target"),
        ("breast_cancer", "data/sklearn/breast_cancer.csv", "target"),
        ("german_credit", "data/credit/german_credit.csv", "creditability"),
        ("randhie", "data/statsmodels/randhie.csv", "mdvis"),
        ("synthetic", "synthetic", "y"),
    ];
    let chosen: Option<Vec<String>> =
        std::env::var("KD_BENCH_SETS").ok().map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    let sets: Vec<_> = sets
        .into_iter()
        .filter(|(name, ..)| chosen.as_ref().is_none_or(|c| c.iter().any(|s| s == name)))
        .collect();
    let dir = tempfile::tempdir()?;
    println!(
        "boosted GAM with pairs vs interpret's ExplainableBoostingRegressor (defaults), fitted to a GB teacher"
    );
    println!(
        "{:<14} {:>8} {:>12} {:>10} {:>10} {:>9} {:>10} {:>10} {:>8}",
        "data", "rows", "pairs kd/EBM", "kd R²", "EBM R²", "ΔR²", "kd s", "EBM s", "speed"
    );
    let mut within = 0;
    for &(name, file, target) in &sets {
        let path = if file == "synthetic" { file.to_owned() } else { root.join(file).display().to_string() };
        let args = [dir.path().display().to_string(), name.into(), path, target.into(), rows.to_string()];
        let anchor = run_anchor("gam_interpret.py", &args)?;
        let d = anchor["features"].as_u64().unwrap() as usize;
        let load = |key: &str| read_f64(anchor[key].as_str().unwrap());
        let x_train = Array2::from_shape_vec((load("x_train").len() / d, d), load("x_train"))?;
        let x_test = Array2::from_shape_vec((load("x_test").len() / d, d), load("x_test"))?;
        let (t_train, t_test) = (Array1::from(load("t_train")), Array1::from(load("t_test")));
        let params =
            GamParams { interactions: GamParams::interpret_pairs(d, Link::Identity), ..GamParams::default() };
        let start = Instant::now();
        let gam = BoostedGam::fit(&params, x_train.view(), t_train.view(), Link::Identity)?;
        let ours = start.elapsed().as_secs_f64();
        let our_r2 = r2(t_test.view(), gam.predict_link(x_test.view())?.view())?;
        let (their_r2, theirs) = (anchor["r2"].as_f64().unwrap(), anchor["seconds"].as_f64().unwrap());
        within += usize::from(our_r2 >= their_r2 - 0.005);
        let their_pairs = anchor["n_terms"].as_u64().unwrap() as usize - d;
        println!(
            "{name:<14} {:>8} {:>12} {our_r2:>10.4} {their_r2:>10.4} {:>+9.4} {ours:>10.2} {theirs:>10.2} {:>7.1}x",
            x_train.nrows(),
            format!("{}/{their_pairs}", params.interactions),
            our_r2 - their_r2,
            theirs / ours
        );
    }
    println!(
        "R² within 0.005 of interpret's (or better) on {within} of {} data sets (bar: at least 3)",
        sets.len()
    );
    Ok(())
}
