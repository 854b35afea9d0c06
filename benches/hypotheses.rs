//! The regression-assumption battery (all tests but Harvey–Collier and Chow, with VIF, the
//! condition number and influence), kd against statsmodels on the same rows in the same run;
//! prints the ratios and kd's peak memory.
//!
//! Two runs: n = 200,000, k = 10 without statsmodels' externally studentised residuals and
//! Bonferroni outlier test (statsmodels leaves each row out in turn, O(n²), hours at this n;
//! kd still computes them, in O(n·k)); and n = 10,000 with everything on both sides.
//!
//! Run: `cargo xtask bench hypotheses` (it provides the Python environment), or
//! `KD_PYTHON=/path/to/python cargo bench --bench hypotheses`. `KD_BENCH_ROWS` changes the
//! large n.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

use std::time::Instant;

mod common;
use common::{run_anchor, write_f64};

use kd::hypotheses::regression::{BatteryOptions, Ols, battery};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};

const K: usize = 10;

/// Peak resident memory of this process in MiB (Linux `VmHWM`).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn data(n: usize) -> (Array2<f64>, Array1<f64>) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let mut gaussian = move || {
        let (u, v): (f64, f64) = (rng.r#gen::<f64>().max(1e-300), rng.r#gen());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    };
    let x = Array2::from_shape_fn((n, K), |_| gaussian());
    let y = (0..n)
        .map(|i| 1.0 + (0..K).map(|j| x[[i, j]] * (j as f64 - 4.5)).sum::<f64>() + gaussian())
        .collect();
    (x, y)
}

fn compare(n: usize, leave_one_out: bool) -> anyhow::Result<()> {
    let (x, y) = data(n);
    let names: Vec<String> = (0..K).map(|j| format!("x{j}")).collect();
    let options = BatteryOptions { skip_harvey_collier: true, ..BatteryOptions::default() };
    let start = Instant::now();
    let ols = Ols::fit(x.view(), y.view(), &names)?;
    let result = battery(&ols, &options)?;
    let ours = start.elapsed().as_secs_f64();

    let dir = tempfile::tempdir()?;
    let (xf, yf) = (dir.path().join("x.f64"), dir.path().join("y.f64"));
    write_f64(&xf, x.iter().copied())?;
    write_f64(&yf, y.iter().copied())?;
    let args = [
        xf.display().to_string(),
        yf.display().to_string(),
        n.to_string(),
        K.to_string(),
        u8::from(leave_one_out).to_string(),
    ];
    let theirs = run_anchor("hypotheses_statsmodels.py", &args)?;
    let sm_seconds = theirs["seconds"].as_f64().expect("seconds");
    let what = if leave_one_out { "everything" } else { "all but statsmodels' O(n²) studentised residuals" };
    println!("n = {n}, k = {K}, {what}:");
    println!(
        "  kd {:>26} {ours:8.3} s   R² {:.12}   {} tests, skipped {:?}",
        "",
        result.r_squared,
        result.tests.len(),
        result.skipped.keys().collect::<Vec<_>>()
    );
    println!(
        "  statsmodels {} {:>14} {sm_seconds:8.3} s   R² {:.12}",
        theirs["statsmodels"].as_str().unwrap_or("?"),
        "",
        theirs["r_squared"].as_f64().unwrap_or(f64::NAN)
    );
    println!("  ratio (statsmodels / kd) {:>11.1}x", sm_seconds / ours);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("KD_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(200_000);
    println!(
        "regression battery: all tests but Harvey-Collier and Chow, with VIF, condition number and influence"
    );
    compare(n, false)?;
    let peak = peak_mib().unwrap_or(0.0);
    println!("  kd peak memory {peak:.0} MiB (the data: {:.0} MiB)", (n * (K + 1) * 8) as f64 / 1_048_576.0);
    compare(10_000, true)?;
    Ok(())
}
