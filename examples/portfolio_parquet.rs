//! Writes a synthetic PD portfolio as Parquet, to try `kd validate --chunk-rows` at scale:
//!
//! ```sh
//! cargo run --release --example portfolio_parquet -- /tmp/portfolio.parquet 100000000
//! kd validate --data /tmp/portfolio.parquet --score score --outcome default --chunk-rows 2000000
//! ```
//!
//! Columns: `score` (a PD in [0, 0.2) with 7 decimals) and `default` (0/1, drawn with the PD).
#![allow(clippy::expect_used, clippy::unwrap_used)] // an example may panic

#[path = "../benches/common/mod.rs"]
mod common;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(rows)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: portfolio_parquet FILE.parquet ROWS");
    };
    common::write_pd_parquet(std::path::Path::new(&path), rows.parse()?)
}
