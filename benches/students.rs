//! A depth-8 regression tree on 1,000,000 × 20 rows (Friedman's #1 function plus noise): kd's
//! histogram mode against scikit-learn's `DecisionTreeRegressor` on the same rows in the same
//! run; prints fit times, the ratio and both test R² on 200,000 held-out rows.
//!
//! Run: `cargo xtask bench students` (it provides the Python environment), or
//! `KD_PYTHON=/path/to/python cargo bench --bench students`. `KD_BENCH_ROWS` changes n.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

use std::time::Instant;

mod common;
use common::{run_anchor, write_f64};

use kd::core::metrics::r2;
use kd::students::tree::{Criterion, Tree, TreeParams, TreeTarget};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};

const K: usize = 20;

fn friedman(n: usize, rng: &mut rand_chacha::ChaCha8Rng) -> (Array2<f64>, Array1<f64>) {
    let x = Array2::from_shape_fn((n, K), |_| rng.r#gen::<f64>());
    let y = (0..n)
        .map(|i| {
            let r = x.row(i);
            10.0 * (std::f64::consts::PI * r[0] * r[1]).sin()
                + 20.0 * (r[2] - 0.5).powi(2)
                + 10.0 * r[3]
                + 5.0 * r[4]
                + (rng.r#gen::<f64>() - 0.5) * 2.0
        })
        .collect();
    (x, y)
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("KD_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let n_test = 200_000;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let (x, y) = friedman(n, &mut rng);
    let (xt, yt) = friedman(n_test, &mut rng);

    let params = TreeParams::default().criterion(Criterion::SquaredError).max_depth(8).histogram(256);
    let start = Instant::now();
    let y2 = y.view().insert_axis(ndarray::Axis(1));
    let tree = Tree::fit(&params, x.view(), TreeTarget::Values(y2))?;
    let ours = start.elapsed().as_secs_f64();
    let our_r2 = r2(yt.view(), tree.predict(xt.view())?.column(0))?;

    let dir = tempfile::tempdir()?;
    let files: Vec<_> = ["x", "y", "xt", "yt"].iter().map(|f| dir.path().join(f)).collect();
    write_f64(&files[0], x.iter().copied())?;
    write_f64(&files[1], y.iter().copied())?;
    write_f64(&files[2], xt.iter().copied())?;
    write_f64(&files[3], yt.iter().copied())?;
    let mut args: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend([n.to_string(), n_test.to_string(), K.to_string()]);
    let theirs = run_anchor("students_sklearn.py", &args)?;
    let sk_seconds = theirs["seconds"].as_f64().expect("seconds");
    let sk_r2 = theirs["r2"].as_f64().expect("r2");

    println!("depth-8 regression tree on {n} x {K} (Friedman #1), test R² on {n_test} rows");
    println!(
        "  kd histogram (256 bins, {} threads) {ours:8.2} s   R² {our_r2:.4}   {} leaves",
        rayon::current_num_threads(),
        tree.n_leaves()
    );
    println!(
        "  scikit-learn {} exact      {sk_seconds:8.2} s   R² {sk_r2:.4}",
        theirs["sklearn"].as_str().unwrap_or("?")
    );
    println!("  ratio (scikit-learn / kd) {:8.1}x   R² difference {:+.4}", sk_seconds / ours, our_r2 - sk_r2);
    Ok(())
}
