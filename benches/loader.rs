//! The loader end to end, as a user meets it: `kd describe` and `kd validate` on 10,000,000
//! rows × 2 columns of CSV, and `kd hypotheses` on 200,000 × 11, each against what the user
//! would run instead (pandas `read_csv`; pandas + scikit-learn `roc_auc_score`; statsmodels'
//! battery on data already in memory). kd and the anchor alternate, three times each; the best
//! of each is reported with kd's peak memory and the machine's load.
//!
//! Run: `cargo xtask bench loader` (it provides the Python environment), or
//! `KD_PYTHON=/path/to/python cargo bench --bench loader`. `KD_BENCH_ROWS` changes the 10⁷.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

mod common;
use common::{Cost, load, measure, python, run_anchor, script, write_f64, write_pd_csv};

const KD: &str = env!("CARGO_BIN_EXE_kd");

fn kd(args: &[&str]) -> Vec<String> {
    std::iter::once(KD).chain(args.iter().copied()).map(str::to_owned).collect()
}

/// Best of three alternating runs of kd and the anchor; the anchor's own timing of its work.
fn alternate(kd_command: &[String], anchor: impl Fn() -> anyhow::Result<f64>) -> anyhow::Result<(Cost, f64)> {
    let (mut best, mut anchor_best) = (Cost { seconds: f64::INFINITY, peak_bytes: 0.0 }, f64::INFINITY);
    for _ in 0..3 {
        let ours = measure(kd_command)?;
        if ours.seconds < best.seconds {
            best = ours;
        }
        anchor_best = anchor_best.min(anchor()?);
    }
    Ok((best, anchor_best))
}

fn row(what: &str, ours: Cost, anchor_name: &str, theirs: f64, typed_bytes: f64) {
    println!(
        "  {what:<44} kd {:7.2} s (peak {:6.0} MB, {:.2}× the typed columns)   {anchor_name} {theirs:7.2} s   ratio {:5.2}×",
        ours.seconds,
        ours.peak_bytes / 1e6,
        ours.peak_bytes / typed_bytes,
        theirs / ours.seconds
    );
}

fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::var("KD_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000_000);
    let dir = tempfile::tempdir()?;
    println!("load before: {}   (2 cores shared; best of 3, kd and anchor alternating)", load());

    let pd_csv = dir.path().join("portfolio.csv");
    write_pd_csv(&pd_csv, rows, 0)?;
    let size = std::fs::metadata(&pd_csv)?.len() as f64;
    let file = pd_csv.display().to_string();
    let pandas = |mode: &str, file: &str| -> anyhow::Result<f64> {
        Ok(run_anchor("loader_pandas.py", &[mode.into(), file.into()])?["seconds"]
            .as_f64()
            .unwrap_or(f64::NAN))
    };
    let typed = rows as f64 * 2.0 * 8.0;
    println!("{rows} rows × 2 columns, {:.0} MB of CSV", size / 1e6);
    let (ours, theirs) = alternate(&kd(&["describe", "--data", &file]), || pandas("read", &file))?;
    row("kd describe vs pandas read_csv", ours, "pandas", theirs, typed);
    println!("  {:<44} kd reads {:.0} MB/s", "", size / 1e6 / ours.seconds);
    let validate = kd(&["validate", "--data", &file, "--score", "score", "--outcome", "default"]);
    let (ours, theirs) = alternate(&validate, || pandas("auroc", &file))?;
    row("kd validate vs pandas + roc_auc_score", ours, "pandas+sklearn", theirs, typed);
    std::fs::remove_file(&pd_csv)?;

    let (n, k) = (200_000, 10);
    let reg_csv = dir.path().join("regression.csv");
    common::write_regression_csv(&reg_csv, n, k, false, 0)?;
    let size = std::fs::metadata(&reg_csv)?.len() as f64;
    // statsmodels gets the same numbers already in memory (raw f64 files, read before timing).
    let text = std::fs::read_to_string(&reg_csv)?;
    let values: Vec<Vec<f64>> =
        text.lines().skip(1).map(|l| l.split(',').map(|v| v.parse().unwrap()).collect()).collect();
    let (xf, yf) = (dir.path().join("x.f64"), dir.path().join("y.f64"));
    write_f64(&xf, values.iter().flat_map(|r| r[1..].to_vec()))?;
    write_f64(&yf, values.iter().map(|r| r[0]))?;
    drop((text, values));
    println!("{n} rows × {} columns, {:.0} MB of CSV", k + 1, size / 1e6);
    let reg = reg_csv.display().to_string();
    let statsmodels = || -> anyhow::Result<f64> {
        let args =
            [xf.display().to_string(), yf.display().to_string(), n.to_string(), k.to_string(), "0".into()];
        Ok(run_anchor("hypotheses_statsmodels.py", &args)?["seconds"].as_f64().unwrap_or(f64::NAN))
    };
    let (ours, theirs) = alternate(&kd(&["hypotheses", "--data", &reg, "--target", "y"]), statsmodels)?;
    row("kd hypotheses (CSV) vs statsmodels (memory)", ours, "statsmodels", theirs, n as f64 * 11.0 * 8.0);
    println!("load after: {}   (python: {})", load(), python());
    let _ = script;
    Ok(())
}
