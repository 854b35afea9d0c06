//! The rows a model is fitted on and the held-out rows it is measured on: a seeded stratified
//! split of the data file, or the whole file and a separate test file recoded to its levels.
//! Shared by `kd distill` and `kd extract`.

use std::path::PathBuf;

use kd::core::data::{Dataset, Table, TaskHint, train_test_split};
use kd::core::teacher::{CmdOptions, Teacher, TeacherSpec, build_teacher};
use ndarray::Array2;

use super::input::Input;

/// The arguments that choose the held-out rows and how the teacher is asked.
#[derive(Debug, clap::Args)]
pub struct HoldoutArgs {
    /// A file of held-out rows (same columns) to measure fidelity on, instead of a split.
    #[arg(long)]
    pub test: Option<PathBuf>,
    /// Share of rows held out to measure fidelity (without --test).
    #[arg(long, default_value_t = 0.3)]
    pub test_fraction: f64,
    /// Seed of the train/test split (and of the fit, where it is random).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Rows per request to a cmd: teacher.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_size: u64,
    /// Seconds a cmd: teacher may take to answer one batch (more than 0, at most 86400); past
    /// it, the teacher and every process it started are stopped.
    #[arg(long, value_name = "SECONDS", default_value = "120", value_parser = parse_teacher_timeout)]
    pub teacher_timeout: CmdOptions,
}

/// `--teacher-timeout`: seconds, checked by [`CmdOptions::with_timeout_secs`].
pub fn parse_teacher_timeout(text: &str) -> Result<CmdOptions, String> {
    let seconds: f64 = text.trim().parse().map_err(|_| format!("'{text}' is not a number of seconds"))?;
    CmdOptions::default().with_timeout_secs(seconds).map_err(|e| e.to_string())
}

impl HoldoutArgs {
    /// How a `cmd:` teacher is asked.
    pub fn cmd_options(&self) -> CmdOptions {
        let batch_size = usize::try_from(self.batch_size).unwrap_or(usize::MAX);
        CmdOptions { batch_size, ..self.teacher_timeout }
    }
}

/// Training rows of the data file and test rows of the data file or of a test file.
pub struct Holdout {
    /// The data file as read.
    pub table: Table,
    /// Its dataset.
    pub data: Dataset,
    /// Rows of `data` to fit on.
    pub train: Vec<usize>,
    /// Rows of [`Holdout::test_set`] to measure on.
    pub test: Vec<usize>,
    /// The test file, read and aligned to `data`, when one was given.
    test_file: Option<(Table, Dataset)>,
}

impl Holdout {
    /// Reads the data (never using `exclude` as features) and splits it, or reads the test file.
    pub fn load(input: &Input, exclude: &[String], args: &HoldoutArgs) -> anyhow::Result<Self> {
        let (table, data) = input.load(TaskHint::Auto, exclude)?;
        Ok(match &args.test {
            None => {
                let split = train_test_split(data.n_rows(), args.test_fraction, args.seed, data.classes())?;
                Self { table, data, train: split.train, test: split.test, test_file: None }
            }
            Some(file) => {
                let (test_table, raw) = input.load_file(file, TaskHint::like(data.task()), exclude)?;
                let aligned = raw.aligned_to(&data)?;
                let test = (0..aligned.n_rows()).collect();
                let train = (0..data.n_rows()).collect();
                Self { table, data, train, test, test_file: Some((test_table, aligned)) }
            }
        })
    }

    /// The dataset the test rows index.
    pub fn test_set(&self) -> &Dataset {
        self.test_file.as_ref().map_or(&self.data, |(_, aligned)| aligned)
    }

    /// The teacher's outputs on the test rows: asked directly, or (a teacher of stored columns)
    /// read from the test file's own columns.
    pub fn teacher_on_test(
        &self,
        teacher: &mut dyn Teacher,
        spec: &TeacherSpec,
        options: CmdOptions,
    ) -> anyhow::Result<Array2<f64>> {
        Ok(match &self.test_file {
            None => teacher.predict_rows(&self.data, &self.test)?,
            Some((_, aligned)) if teacher.is_queryable() => teacher.predict(aligned.x().view())?,
            Some((table, aligned)) => {
                build_teacher(spec, table, aligned, options)?.predict_rows(aligned, &self.test)?
            }
        })
    }
}
