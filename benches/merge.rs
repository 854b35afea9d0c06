//! The scale-out design simulated on one machine: a PD portfolio cut into partitions, each
//! summarised on its own (as a DataFusion or Spark worker would, here on rayon's threads),
//! the summaries serialised (what a worker ships), merged on a "driver", and the figures
//! compared with one pass over all rows. Prints the cost model of docs/scale.md: rows per
//! second per core of summarising, bytes per summary, merge time, and the largest difference.
//!
//! Run: `cargo xtask bench merge` or `cargo bench --bench merge`; `KD_BENCH_ROWS` (10⁷) and
//! `KD_BENCH_PARTITIONS` (64) change the sizes.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

use std::time::Instant;

use kd::core::quantile::Binning;
use kd::hypotheses::regression::CrossProducts;
use kd::hypotheses::validation::{self as v, HlSample, ScoreCounts};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;

fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::var("KD_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000_000);
    let parts: usize = std::env::var("KD_BENCH_PARTITIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    // PDs in basis points of a hundredth (6 decimals), as rating systems report them.
    let pd: Vec<f64> = (0..rows).map(|_| (rng.r#gen::<f64>() * 0.2 * 1e6).round() / 1e6).collect();
    let outcome: Vec<bool> = pd.iter().map(|&p| rng.r#gen::<f64>() < p).collect();
    let threads = rayon::current_num_threads();

    let start = Instant::now();
    let whole = ScoreCounts::from_rows(&outcome, &pd)?;
    let one_pass = start.elapsed().as_secs_f64();

    let chunk = rows.div_ceil(parts);
    let start = Instant::now();
    let shipped: Vec<String> = (0..parts)
        .into_par_iter()
        .map(|p| {
            let range = (p * chunk).min(rows)..((p + 1) * chunk).min(rows);
            let summary = ScoreCounts::from_rows(&outcome[range.clone()], &pd[range]).unwrap();
            serde_json::to_string(&summary).unwrap()
        })
        .collect();
    let workers = start.elapsed().as_secs_f64();
    let bytes: Vec<usize> = shipped.iter().map(String::len).collect();

    let start = Instant::now();
    let mut merged = ScoreCounts::default();
    for text in &shipped {
        merged.merge(&serde_json::from_str(text)?);
    }
    let driver = start.elapsed().as_secs_f64();
    anyhow::ensure!(merged == whole, "the merged summary differs from one pass");

    let binning = Binning::r_default(10);
    let figures = |s: &ScoreCounts| -> anyhow::Result<Vec<f64>> {
        let auc = v::auroc_of(s, 0.95)?;
        let hl = v::hosmer_lemeshow_of(s, binning, HlSample::Validation)?;
        Ok(vec![
            auc.value,
            auc.std_error,
            v::ks_of(s)?.statistic,
            hl.statistic,
            v::brier_of(std::slice::from_ref(s))?.brier,
        ])
    };
    let largest =
        figures(&merged)?.iter().zip(figures(&whole)?).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);

    // The regression side: cross products of 10 features and the target.
    let k = 11;
    let row: Vec<f64> = (0..k).map(|j| j as f64).collect();
    let start = Instant::now();
    let mut xp = CrossProducts::new(k);
    for i in 0..1_000_000 {
        let mut r = row.clone();
        r[0] = i as f64;
        xp.push(&r);
    }
    let xp_rate = 1e6 / start.elapsed().as_secs_f64();

    println!(
        "{rows} rows in {parts} partitions, {threads} threads (load {})",
        std::fs::read_to_string("/proc/loadavg")?.trim()
    );
    println!(
        "  one pass:          {one_pass:.2} s  ({:.1} M rows/s on one core)",
        rows as f64 / one_pass / 1e6
    );
    println!(
        "  workers:           {workers:.2} s  ({:.1} M rows/s per core)",
        rows as f64 / workers / threads as f64 / 1e6
    );
    println!(
        "  summaries shipped: {:.1} kB each on average (JSON), {} distinct PDs in all ({:.1} MB in memory merged)",
        bytes.iter().sum::<usize>() as f64 / parts as f64 / 1e3,
        merged.values().len(),
        merged.bytes() as f64 / 1e6
    );
    println!("  driver merge:      {driver:.2} s");
    println!("  largest |difference| of AUROC, DeLong s.e., KS, HL, Brier vs one pass: {largest:.1e}");
    println!(
        "  regression cross products (11 variables): {:.1} M rows/s per core, {} bytes per summary",
        xp_rate / 1e6,
        xp.bytes()
    );
    Ok(())
}
