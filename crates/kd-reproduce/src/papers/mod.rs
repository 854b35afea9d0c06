//! The reproductions, one file per paper, and what they share.

pub mod asadulaev2019;
pub mod bastani2019;
pub mod bucila2006;
#[cfg(feature = "torch")]
pub mod burda2018;
pub mod craven1995;
#[cfg(feature = "torch")]
pub mod feature_transfer;
#[cfg(feature = "torch")]
pub mod gupta2016;
#[cfg(feature = "torch")]
pub mod han2015;
#[cfg(feature = "torch")]
pub mod hinton2015;
#[cfg(feature = "torch")]
pub mod hinton2015_speech;
#[cfg(feature = "torch")]
pub mod huang2017;
pub mod idx;
#[cfg(feature = "torch")]
pub mod images;
pub mod lakkaraju2017;
pub mod liu2018;
pub mod tan2018;
pub mod text_distillation;
#[cfg(feature = "torch")]
pub mod zagoruyko2017;

use std::path::{Path, PathBuf};

use anyhow::Result;
use kd_core::data::{Dataset, Table};
use kd_core::teacher::{CmdOptions, Teacher, TeacherSpec, build_teacher};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The repository root (shipped data, example teachers).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Python with scikit-learn that `cargo xtask` provisions (`KD_PYTHON`), or `python3`.
pub fn python() -> String {
    std::env::var("KD_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Mean and sample standard deviation.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = if values.len() > 1 {
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// Mean and half-width of the 95% Student-t interval of `values` (0 for one value).
pub fn interval(values: &[f64]) -> (f64, f64) {
    let (mean, sd) = mean_sd(values);
    let n = values.len();
    if n < 2 {
        return (mean, 0.0);
    }
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64).map_or(f64::NAN, |d| d.inverse_cdf(0.975));
    (mean, t * sd / (n as f64).sqrt())
}

/// A scikit-learn model (`random_forest`, `gradient_boosting`, `logistic` or `mlp`) trained on
/// rows `rows` of `file` only, served over the `cmd:` protocol by
/// `examples/teachers/sklearn_teacher.py`. The training rows are written to `dir`.
pub fn sklearn_teacher(
    file: &Path,
    table: &Table,
    data: &Dataset,
    rows: &[usize],
    model: &str,
    seed: u64,
    dir: &Path,
) -> Result<Box<dyn Teacher>> {
    sklearn_teacher_without(file, table, data, rows, model, seed, dir, &[])
}

/// [`sklearn_teacher`] trained without the columns `exclude` (which `data` must not hold as
/// features either).
#[allow(clippy::too_many_arguments)]
pub fn sklearn_teacher_without(
    file: &Path,
    table: &Table,
    data: &Dataset,
    rows: &[usize],
    model: &str,
    seed: u64,
    dir: &Path,
    exclude: &[&str],
) -> Result<Box<dyn Teacher>> {
    let text = std::fs::read_to_string(file)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut train_text = lines.first().copied().unwrap_or_default().to_owned();
    for &r in rows {
        train_text.push('\n');
        train_text.push_str(lines[data.lines()[r] as usize - 1]);
    }
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("data");
    let without: String = exclude.iter().map(|c| format!("_without_{c}")).collect();
    let train_file = dir.join(format!("{stem}_{model}_{seed}{without}_train.csv"));
    std::fs::write(&train_file, train_text + "\n")?;
    let script = root().join("examples/teachers/sklearn_teacher.py");
    let mut command = format!(
        "cmd:{} {} --train {} --target {} --model {model} --seed {seed}",
        python(),
        script.display(),
        train_file.display(),
        data.target_name()
    );
    if !exclude.is_empty() {
        command.push_str(&format!(" --exclude {}", exclude.join(",")));
    }
    Ok(build_teacher(&command.parse::<TeacherSpec>()?, table, data, CmdOptions::default())?)
}
