//! What the cross-language benchmarks share: handing data to the anchor's Python script as raw
//! little-endian files, and reading its one-line JSON answer.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Writes `values` as raw little-endian `f64`.
pub fn write_f64(path: &Path, values: impl Iterator<Item = f64>) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    for v in values {
        f.write_all(&v.to_le_bytes())?;
    }
    f.flush()
}

/// Runs `benches/<script>` with `KD_PYTHON` (or `python3`) and `args`; returns its JSON line.
pub fn run_anchor(script: &str, args: &[String]) -> anyhow::Result<serde_json::Value> {
    let python = std::env::var("KD_PYTHON").unwrap_or_else(|_| "python3".into());
    run_anchor_with(&python, script, args)
}

/// Runs `benches/<script>` with the interpreter `python` and `args`; returns its JSON line.
pub fn run_anchor_with(python: &str, script: &str, args: &[String]) -> anyhow::Result<serde_json::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches").join(script);
    let out = Command::new(python).arg(&path).args(args).output()?;
    anyhow::ensure!(out.status.success(), "{script} failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(serde_json::from_slice(&out.stdout)?)
}
