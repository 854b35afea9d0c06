//! The regression-assumption battery (every test but Harvey–Collier and Chow, with VIF, the
//! condition number, influence and the HC0–HC3 / Newey–West standard errors), kd against
//! statsmodels on the same rows in the same run; prints the ratios and kd's peak memory.
//!
//! Three measurements at n = 200,000, k = 10 (statsmodels without its externally studentised
//! residuals and Bonferroni outlier test, which leave each row out in turn, O(n²), hours at
//! this n; kd still computes them, in O(n·k)):
//! - the battery alone on data in memory, both sides;
//! - `kd hypotheses` end to end (process start, reading the CSV, the battery, the JSON report),
//!   under `/usr/bin/time -v` for its peak memory, against statsmodels on data in memory;
//! - and n = 10,000 with everything on both sides.
//!
//! Run: `cargo xtask bench hypotheses` (it provides the Python environment), or
//! `KD_PYTHON=/path/to/python cargo bench --bench hypotheses`. `KD_BENCH_ROWS` changes the
//! large n.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

use std::io::Write;
use std::process::Command;
use std::time::Instant;

mod common;
use common::{run_anchor, write_f64};

use kd::hypotheses::regression::{BatteryOptions, Ols, battery};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};

const K: usize = 10;

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

/// Best of `runs` wall-clock seconds of `f`.
fn best_of(runs: usize, mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        best = best.min(start.elapsed().as_secs_f64());
    }
    Ok(best)
}

/// statsmodels' seconds on the same rows (best of `runs`).
fn statsmodels(
    x: &Array2<f64>,
    y: &Array1<f64>,
    leave_one_out: bool,
    runs: usize,
) -> anyhow::Result<(f64, String)> {
    let dir = tempfile::tempdir()?;
    let (xf, yf) = (dir.path().join("x.f64"), dir.path().join("y.f64"));
    write_f64(&xf, x.iter().copied())?;
    write_f64(&yf, y.iter().copied())?;
    let args = [
        xf.display().to_string(),
        yf.display().to_string(),
        x.nrows().to_string(),
        K.to_string(),
        u8::from(leave_one_out).to_string(),
        runs.to_string(),
    ];
    let theirs = run_anchor("hypotheses_statsmodels.py", &args)?;
    Ok((
        theirs["seconds"].as_f64().expect("seconds"),
        theirs["statsmodels"].as_str().unwrap_or("?").to_owned(),
    ))
}

/// The battery alone, in memory.
fn battery_seconds(x: &Array2<f64>, y: &Array1<f64>, runs: usize) -> anyhow::Result<f64> {
    let names: Vec<String> = (0..K).map(|j| format!("x{j}")).collect();
    let options = BatteryOptions { skip_harvey_collier: true, ..BatteryOptions::default() };
    best_of(runs, || {
        let ols = Ols::fit(x.view(), y.view(), &names)?;
        let result = battery(&ols, &options)?;
        anyhow::ensure!(result.skipped.keys().all(|k| *k == "shapiro_wilk"), "skipped {:?}", result.skipped);
        Ok(())
    })
}

/// `kd hypotheses` on a CSV of the rows: best wall-clock seconds of `runs`, and the peak
/// resident memory (MiB) that `/usr/bin/time -v` reports, when it is installed.
fn end_to_end(x: &Array2<f64>, y: &Array1<f64>, runs: usize) -> anyhow::Result<(f64, Option<f64>)> {
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("rows.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&csv)?);
    let header: Vec<String> = (0..K).map(|j| format!("x{j}")).chain(std::iter::once("y".into())).collect();
    writeln!(f, "{}", header.join(","))?;
    for (row, target) in x.rows().into_iter().zip(y) {
        let cells: Vec<String> =
            row.iter().chain(std::iter::once(target)).map(|v| format!("{v:?}")).collect();
        writeln!(f, "{}", cells.join(","))?;
    }
    f.flush()?;
    let args = ["hypotheses", "--data", csv.to_str().unwrap(), "--target", "y", "--format", "json"];
    let kd = env!("CARGO_BIN_EXE_kd");
    let seconds = best_of(runs, || {
        let out = Command::new(kd).args(args).output()?;
        anyhow::ensure!(out.status.success(), "kd failed: {}", String::from_utf8_lossy(&out.stderr));
        Ok(())
    })?;
    let peak = Command::new("/usr/bin/time").arg("-v").arg(kd).args(args).output().ok().and_then(|out| {
        let report = String::from_utf8_lossy(&out.stderr).into_owned();
        let line = report.lines().find(|l| l.contains("Maximum resident set size"))?;
        let kib: f64 = line.rsplit(':').next()?.trim().parse().ok()?;
        Some(kib / 1024.0)
    });
    Ok((seconds, peak))
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("KD_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(200_000);
    println!(
        "regression battery: every test but Harvey-Collier and Chow, with VIF, condition number, influence, HC0-HC3 and Newey-West"
    );
    let (x, y) = data(n);
    let ours = battery_seconds(&x, &y, 5)?;
    let (e2e, peak) = end_to_end(&x, &y, 3)?;
    let (theirs, version) = statsmodels(&x, &y, false, 3)?;
    println!("n = {n}, k = {K}, all but statsmodels' O(n²) studentised residuals (best of 3-5 runs):");
    println!("  kd battery in memory            {ours:8.3} s   ratio {:6.1}x", theirs / ours);
    println!("  kd hypotheses end to end (CSV)  {e2e:8.3} s   ratio {:6.1}x", theirs / e2e);
    println!("  statsmodels {version} in memory     {theirs:8.3} s");
    match peak {
        Some(mib) => println!(
            "  kd hypotheses peak memory {mib:.0} MiB (/usr/bin/time -v; the rows as f64: {:.0} MiB)",
            (n * (K + 1) * 8) as f64 / 1_048_576.0
        ),
        None => println!("  (no /usr/bin/time: peak memory not measured)"),
    }
    let (x, y) = data(10_000);
    let ours = battery_seconds(&x, &y, 5)?;
    let (theirs, _) = statsmodels(&x, &y, true, 1)?;
    println!(
        "n = 10,000, everything on both sides: kd {ours:.3} s, statsmodels {theirs:.3} s, ratio {:.0}x",
        theirs / ours
    );
    Ok(())
}
