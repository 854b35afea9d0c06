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

/// What one run of a program cost.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// Wall seconds.
    pub seconds: f64,
    /// Peak resident memory in bytes.
    pub peak_bytes: f64,
}

/// Runs `command` through `benches/measure.py` (wall time and exact peak memory of the child);
/// an error when the command fails.
pub fn measure(command: &[String]) -> anyhow::Result<Cost> {
    let answer = run_anchor("measure.py", command)?;
    let status = answer["status"].as_i64().unwrap_or(-1);
    anyhow::ensure!(status == 0, "{} exited with {status}: {}", command.join(" "), answer["stderr"]);
    Ok(Cost {
        seconds: answer["seconds"].as_f64().unwrap_or(f64::NAN),
        peak_bytes: answer["peak_bytes"].as_f64().unwrap_or(f64::NAN),
    })
}

/// The Python interpreter the anchors run with.
pub fn python() -> String {
    std::env::var("KD_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// `benches/<script>`.
pub fn script(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches").join(name).display().to_string()
}

/// The machine's load averages, as `uptime` prints them.
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// A PD portfolio as CSV: `score` (7 decimals, the PD) and `default` (0/1, drawn with it).
pub fn write_pd_csv(path: &Path, rows: usize, seed: u64) -> std::io::Result<()> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(f, "score,default")?;
    for _ in 0..rows {
        let s: f64 = rng.r#gen::<f64>() * 0.2;
        let y = u8::from(rng.r#gen::<f64>() < s);
        writeln!(f, "{s:.7},{y}")?;
    }
    f.flush()
}

/// A regression data set as CSV: `y` and `x0 … x{k−1}` (standard normal), at full precision,
/// with a `teacher` column (the noiseless mean) when `teacher` is set.
pub fn write_regression_csv(
    path: &Path,
    rows: usize,
    k: usize,
    teacher: bool,
    seed: u64,
) -> std::io::Result<()> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut gaussian = move || {
        let (u, v): (f64, f64) = (rng.r#gen::<f64>().max(1e-300), rng.r#gen());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    };
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let names: Vec<String> = (0..k).map(|j| format!("x{j}")).collect();
    writeln!(f, "y,{}{}", names.join(","), if teacher { ",teacher" } else { "" })?;
    let mut x = vec![0.0; k];
    for _ in 0..rows {
        x.iter_mut().for_each(|v| *v = gaussian());
        let mean = 1.0 + x.iter().enumerate().map(|(j, v)| v * (j as f64 - 4.5)).sum::<f64>();
        write!(f, "{}", mean + gaussian())?;
        for v in &x {
            write!(f, ",{v}")?;
        }
        if teacher {
            write!(f, ",{mean}")?;
        }
        writeln!(f)?;
    }
    f.flush()
}

/// A PD portfolio as Parquet (`score` with 7 decimals, `default` 0/1; row groups of 2²⁰ rows,
/// snappy), written batch by batch so that memory stays small whatever `rows`.
pub fn write_pd_parquet(path: &Path, rows: usize) -> anyhow::Result<()> {
    use arrow_array::{ArrayRef, Float64Array, Int8Array, RecordBatch};
    use rand::{Rng, SeedableRng};
    use std::sync::Arc;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let file = std::fs::File::create(path)?;
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build();
    let mut writer = None;
    let mut left = rows;
    while left > 0 {
        let n = left.min(1 << 20);
        let score: Vec<f64> = (0..n).map(|_| (rng.r#gen::<f64>() * 0.2 * 1e7).round() / 1e7).collect();
        let default: Vec<i8> = score.iter().map(|&s| i8::from(rng.r#gen::<f64>() < s)).collect();
        let batch = RecordBatch::try_from_iter([
            ("score", Arc::new(Float64Array::from(score)) as ArrayRef),
            ("default", Arc::new(Int8Array::from(default)) as ArrayRef),
        ])?;
        let w = match &mut writer {
            Some(w) => w,
            None => writer.insert(parquet::arrow::ArrowWriter::try_new(
                file.try_clone()?,
                batch.schema(),
                Some(props.clone()),
            )?),
        };
        w.write(&batch)?;
        left -= n;
    }
    if let Some(w) = writer {
        w.close()?;
    }
    Ok(())
}
