//! AUROC with DeLong's standard error on 10 million rows, kd against scikit-learn's
//! `roc_auc_score` (which gives no standard error), both measured in this run.
//!
//! Run: `cargo xtask bench validate` (it provides the Python environment), or
//! `KD_PYTHON=/path/to/python cargo bench --bench validate`. `KD_BENCH_ROWS` changes the size.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

use std::time::Instant;

mod common;
use common::{run_anchor, write_f64};

use kd::hypotheses::validation::auroc_delong;
use rand::{Rng, SeedableRng};

fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::var("KD_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000_000);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let score: Vec<f64> = (0..rows).map(|_| rng.r#gen::<f64>()).collect();
    let outcome: Vec<bool> = score.iter().map(|&s| rng.r#gen::<f64>() < 0.3 * s).collect();

    let dir = tempfile::tempdir()?;
    let (score_file, outcome_file) = (dir.path().join("score.f64"), dir.path().join("outcome.u8"));
    write_f64(&score_file, score.iter().copied())?;
    std::fs::write(&outcome_file, outcome.iter().map(|&y| u8::from(y)).collect::<Vec<_>>())?;

    let mut best = f64::INFINITY;
    let mut result = None;
    for _ in 0..3 {
        let start = Instant::now();
        result = Some(auroc_delong(&outcome, &score, 0.95)?);
        best = best.min(start.elapsed().as_secs_f64());
    }
    let ours = result.expect("three runs");

    let theirs = run_anchor(
        "validate_sklearn.py",
        &[score_file.display().to_string(), outcome_file.display().to_string()],
    )?;
    let sk_seconds = theirs["seconds"].as_f64().expect("seconds");
    let sk_auc = theirs["auroc"].as_f64().expect("auroc");

    println!("AUROC on {rows} rows (best of 3, one thread each)");
    println!(
        "  kd auroc_delong (with DeLong s.e.)   {best:8.3} s   AUROC {:.12}  s.e. {:.3e}",
        ours.value, ours.std_error
    );
    println!(
        "  scikit-learn {} roc_auc_score   {sk_seconds:8.3} s   AUROC {sk_auc:.12}",
        theirs["sklearn"].as_str().unwrap_or("?")
    );
    println!(
        "  ratio (scikit-learn / kd)            {:8.1}x   |AUROC difference| {:.1e}",
        sk_seconds / best,
        (ours.value - sk_auc).abs()
    );
    Ok(())
}
