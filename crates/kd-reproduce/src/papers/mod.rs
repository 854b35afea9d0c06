//! The reproductions, one file per paper, and what they share.

pub mod asadulaev2019;
pub mod bastani2019;
#[cfg(feature = "torch")]
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

use anyhow::{Context, Result};
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

/// `file` with its `target` column recoded to 1 for the class `positive` and 0 for every other
/// (a one-vs-rest task), written to `dir` as `<stem>_<positive>_vs_rest.csv`.
pub fn one_vs_rest(file: &Path, target: &str, positive: &str, dir: &Path) -> Result<PathBuf> {
    let text = std::fs::read_to_string(file)?;
    let mut lines = text.lines();
    let header = lines.next().with_context(|| format!("{}: no header", file.display()))?;
    let t = header
        .split(',')
        .position(|c| c == target)
        .with_context(|| format!("{}: no column {target}", file.display()))?;
    let mut out = String::from(header);
    for line in lines {
        let cells: Vec<&str> = line
            .split(',')
            .enumerate()
            .map(|(i, c)| if i == t { if c == positive { "1" } else { "0" } } else { c })
            .collect();
        out.push('\n');
        out.push_str(&cells.join(","));
    }
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("data");
    let path = dir.join(format!("{stem}_{positive}_vs_rest.csv"));
    std::fs::write(&path, out + "\n")?;
    Ok(path)
}

/// The kind of each feature of `data` for kd-extract's samplers: categorical with its level
/// count where the dataset coded the column as levels, numeric otherwise.
pub fn feature_kinds(data: &Dataset) -> Vec<kd_extract::input::FeatureKind> {
    use kd_extract::input::FeatureKind;
    data.features()
        .iter()
        .map(|f| match &f.levels {
            Some(levels) => FeatureKind::Categorical { levels: levels.len() },
            None => FeatureKind::Numeric,
        })
        .collect()
}

/// A scikit-learn model served over `cmd:` by `examples/teachers/sklearn_teacher.py`.
#[derive(Debug, Clone, Copy)]
pub struct SklearnModel<'a> {
    /// `random_forest`, `gradient_boosting`, `logistic`, `mlp` or `mlp_regularised`.
    pub model: &'a str,
    /// The model's random state.
    pub seed: u64,
    /// Columns that are not features (the `Dataset` must not hold them as features either).
    pub exclude: &'a [&'a str],
    /// Columns one-hot encoded although their cells look like numbers (read as categorical by
    /// kd too, which then sends their level names).
    pub categorical: &'a [&'a str],
}

/// A scikit-learn model (`random_forest`, `gradient_boosting`, `logistic` or `mlp`) trained on
/// rows `rows` of `file` only, served over the `cmd:` protocol by
/// `examples/teachers/sklearn_teacher.py`. The training rows are written to a new file in `dir`.
pub fn sklearn_teacher(
    file: &Path,
    table: &Table,
    data: &Dataset,
    rows: &[usize],
    model: &str,
    seed: u64,
    dir: &Path,
) -> Result<Box<dyn Teacher>> {
    sklearn_teacher_with(
        file,
        table,
        data,
        rows,
        &SklearnModel { model, seed, exclude: &[], categorical: &[] },
        dir,
    )
}

/// [`sklearn_teacher`] with the settings of `model`.
pub fn sklearn_teacher_with(
    file: &Path,
    table: &Table,
    data: &Dataset,
    rows: &[usize],
    model: &SklearnModel<'_>,
    dir: &Path,
) -> Result<Box<dyn Teacher>> {
    let text = std::fs::read_to_string(file)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut train_text = lines.first().copied().unwrap_or_default().to_owned();
    for &r in rows {
        train_text.push('\n');
        train_text.push_str(lines[data.lines()[r] as usize - 1]);
    }
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("data");
    let without: String = model.exclude.iter().map(|c| format!("_without_{c}")).collect();
    let (name, seed) = (model.model, model.seed);
    // A file of its own (folds of one seed, and seeds run side by side, share `dir`).
    let train_file = tempfile::Builder::new()
        .prefix(&format!("{stem}_{name}_{seed}{without}_"))
        .suffix("_train.csv")
        .tempfile_in(dir)?
        .into_temp_path()
        .keep()?;
    std::fs::write(&train_file, train_text + "\n")?;
    let script = root().join("examples/teachers/sklearn_teacher.py");
    // One BLAS thread per teacher: reproductions run seeds side by side on the cores, and
    // OpenBLAS threads that spin while they wait would only take time from each other.
    let mut command = format!(
        "cmd:OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 {} {} --train {} --target {} --model {name} --seed {seed}",
        python(),
        script.display(),
        train_file.display(),
        data.target_name()
    );
    if !model.exclude.is_empty() {
        command.push_str(&format!(" --exclude {}", model.exclude.join(",")));
    }
    if !model.categorical.is_empty() {
        command.push_str(&format!(" --categorical {}", model.categorical.join(",")));
    }
    Ok(build_teacher(&command.parse::<TeacherSpec>()?, table, data, CmdOptions::default())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_vs_rest_recodes_only_the_target_column() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("small.csv");
        std::fs::write(&file, "a,target,b\n8,8,1\n1,3,8\n2,8,0\n")?;
        let out = one_vs_rest(&file, "target", "8", dir.path())?;
        assert_eq!(std::fs::read_to_string(&out)?, "a,target,b\n8,1,1\n1,0,8\n2,1,0\n");
        assert!(one_vs_rest(&file, "class", "8", dir.path()).is_err());
        Ok(())
    }
}
