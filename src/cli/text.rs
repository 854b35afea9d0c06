//! `kd distill --text COL --student sparse`: a sparse n-gram student of a text teacher, with
//! its fidelity, the n-grams pushing towards each class, per-message explanations and the
//! deletion test of their faithfulness to the teacher.

use std::path::Path;
use std::time::Instant;

use kd::core::Task;
use kd::core::data::{
    Dataset, DatasetSpec, FeatureSelection, MissingPolicy, ReadOptions, Split, Table, Target, TaskHint,
    read_csv, train_test_split,
};
use kd::core::teacher::{CmdOptions, ColumnTeacher, Teacher, TeacherSpec, TextTeacher, spawn_text_teacher};
use kd::core::text::{MinDf, VectorizerParams, Weighting, read_texts};
use kd::students::sparse::SparseLogisticParams;
use kd::students::text::{
    DeletionParams, SavedTextStudent, TextStudent, TextStudentParams, WeightedTerm, deletion_check,
};
use kd::students::{DistillReport, Distilled};
use ndarray::Array1;

use super::text_report::{Faithfulness, Report, examples, text, write_predictions};
use super::{Format, MissingArg, to_json};

/// The text arguments of `kd distill`.
#[derive(Debug, clap::Args)]
pub struct TextArgs {
    /// A text column: the teacher reads its raw text, the student (`--student sparse`) its n-grams.
    #[arg(long, value_name = "COL")]
    pub text: Option<String>,
    /// sparse: at most this many non-zero n-gram weights (picks the L1 penalty on the path).
    #[arg(long, default_value_t = 100)]
    pub max_terms: usize,
    /// sparse: the L1 share of the penalty (1: lasso; below 1: elastic net).
    #[arg(long, default_value_t = 1.0)]
    pub l1_ratio: f64,
    /// sparse: the longest n-gram (n-grams of 1 to N words).
    #[arg(long, default_value_t = 2)]
    pub ngrams: usize,
    /// sparse: n-grams in fewer documents are dropped (a count, or a share below 1).
    #[arg(long, default_value_t = 2.0)]
    pub min_df: f64,
    /// sparse: the vocabulary cap (the most frequent n-grams).
    #[arg(long, default_value_t = 20_000)]
    pub max_vocabulary: usize,
    /// sparse: TF-IDF weights (scikit-learn's smooth idf, l2 rows) or raw counts.
    #[arg(long, value_enum, default_value_t = WeightingArg::Tfidf)]
    pub weighting: WeightingArg,
    /// sparse: hash n-grams into this many columns instead of a vocabulary (large corpora).
    #[arg(long)]
    pub hash_buckets: Option<usize>,
    /// The deletion test: words deleted per message (the student's top words, and random ones).
    #[arg(long, default_value_t = 3)]
    pub deletion_words: usize,
}

/// `--weighting`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum WeightingArg {
    /// TF-IDF.
    Tfidf,
    /// Counts.
    Counts,
}

/// What `kd distill` needs besides the text arguments.
pub struct Common<'a> {
    pub data: &'a Path,
    pub target: &'a str,
    pub features: &'a [String],
    pub missing: MissingArg,
    pub teacher: &'a str,
    pub labels: bool,
    pub test_fraction: f64,
    /// A file of held-out messages (same columns) instead of a split of `data`.
    pub test: Option<&'a Path>,
    pub seed: u64,
    pub cmd: CmdOptions,
    pub out: Option<&'a Path>,
    pub predictions: Option<&'a Path>,
    pub format: Format,
}

/// The vectoriser and penalty settings the arguments ask for.
fn params(args: &TextArgs) -> TextStudentParams {
    let vectorizer = VectorizerParams {
        ngrams: (1, args.ngrams),
        min_df: if args.min_df >= 1.0 {
            MinDf::Count(args.min_df as usize)
        } else {
            MinDf::Share(args.min_df)
        },
        max_terms: args.max_vocabulary,
        weighting: match args.weighting {
            WeightingArg::Tfidf => Weighting::TfIdf,
            WeightingArg::Counts => Weighting::Counts,
        },
        hashing: args.hash_buckets,
    };
    let logistic = SparseLogisticParams {
        max_terms: Some(args.max_terms),
        l1_ratio: args.l1_ratio,
        ..SparseLogisticParams::default()
    };
    TextStudentParams { vectorizer, logistic }
}

/// Distills the teacher of `column` into a sparse n-gram student and reports.
pub fn run(common: &Common<'_>, args: &TextArgs, column: &str) -> anyhow::Result<String> {
    let start = Instant::now();
    let params = params(args);
    params.vectorizer.check()?;
    params.logistic.check()?;
    if !common.features.is_empty() {
        anyhow::bail!(crate::cli::UsageError::new(
            "features",
            format!("with --text the text column '{column}' is the only feature; leave out --features")
        ));
    }
    let read = |file: &Path| {
        read_csv(file, &ReadOptions { categorical: vec![column.to_owned()], ..ReadOptions::default() })
    };
    let table = read(common.data)?;
    let spec = DatasetSpec {
        target: common.target.to_owned(),
        features: FeatureSelection::Named(vec![column.to_owned()]),
        missing: if common.missing == MissingArg::Drop { MissingPolicy::Drop } else { MissingPolicy::Error },
        task: TaskHint::Classification,
        ..DatasetSpec::default()
    };
    let data = Dataset::from_table(&table, &spec)?;
    let Target::Classes { labels, y } = data.target() else {
        anyhow::bail!(crate::cli::UsageError::new("target", "a text student needs classes"))
    };
    if data.task() != Task::Binary {
        anyhow::bail!(crate::cli::UsageError::new(
            "student",
            format!("the sparse text student fits two classes; '{}' has {}", common.target, labels.len())
        ));
    }
    let texts = read_texts(&table, column, data.source_rows())?;
    // The held-out messages: a stratified split of the data file, or the whole test file with
    // its classes coded as the data file's.
    let test_file = match common.test {
        None => None,
        Some(file) => {
            let test_table = read(file)?;
            let test_data = Dataset::from_table(&test_table, &spec)?;
            let truth = classes_as_in(&test_data, labels, common.data)?;
            let test_texts = read_texts(&test_table, column, test_data.source_rows())?;
            Some(TestFile { table: test_table, data: test_data, truth, texts: test_texts })
        }
    };
    let split = match &test_file {
        None => train_test_split(data.n_rows(), common.test_fraction, common.seed, Some(y))?,
        Some(t) => Split { train: (0..data.n_rows()).collect(), test: (0..t.data.n_rows()).collect() },
    };
    let pick = |rows: &[usize]| -> Vec<String> { rows.iter().map(|&r| texts[r].clone()).collect() };
    let train = pick(&split.train);
    let test = match &test_file {
        None => pick(&split.test),
        Some(t) => t.texts.clone(),
    };
    // The test rows' dataset and table (for a column: teacher and the lines reported).
    let (test_table, test_data) = test_file.as_ref().map_or((&table, &data), |t| (&t.table, &t.data));

    let spec: TeacherSpec = common.teacher.parse()?;
    let mut text_teacher: Option<Box<dyn TextTeacher>> = None;
    let (teacher_train, teacher_test) = match &spec {
        TeacherSpec::Cmd(command) => {
            let mut t = spawn_text_teacher(command, Task::Binary, column, common.cmd)?;
            let outputs = (t.predict_texts(&train)?, t.predict_texts(&test)?);
            text_teacher = Some(Box::new(t));
            outputs
        }
        TeacherSpec::Column(columns) => {
            let mut t = ColumnTeacher::from_table(&table, columns, Task::Binary, 1)?;
            let train = t.predict_rows(&data, &split.train)?;
            let mut t = ColumnTeacher::from_table(test_table, columns, Task::Binary, 1)?;
            (train, t.predict_rows(test_data, &split.test)?)
        }
        TeacherSpec::TorchScript { .. } => anyhow::bail!(crate::cli::UsageError::new(
            "teacher",
            "a text teacher is cmd: (it receives the raw text) or column: (stored outputs)"
        )),
    };
    let target: Array1<f64> = if common.labels {
        split.train.iter().map(|&r| y[r] as f64).collect()
    } else {
        teacher_train.column(1).to_owned()
    };
    let classes = [labels[0].clone(), labels[1].clone()];
    let student = TextStudent::fit(&params, &train, target.view(), classes)?;
    let student_test = student.predict_texts(&test)?;

    let faithfulness = match text_teacher.as_mut() {
        Some(teacher) => {
            let deletion =
                DeletionParams { k: args.deletion_words, seed: common.seed, ..DeletionParams::default() };
            let check = deletion_check(&student, teacher.as_mut(), &test, deletion)?;
            Faithfulness { holds: Some(check.holds()), check: Some(check), skipped: None }
        }
        None => Faithfulness {
            check: None,
            holds: None,
            skipped: Some("a column: teacher cannot be asked about messages with words deleted".into()),
        },
    };
    let lines: Vec<u64> = split.test.iter().map(|&r| test_data.lines()[r]).collect();
    if let Some(path) = common.out {
        let saved = SavedTextStudent::new(
            common.target,
            column,
            (!common.labels).then_some(common.teacher),
            student.clone(),
        );
        super::write_file(path, &saved.to_json()?)?;
    }
    if let Some(path) = common.predictions {
        write_predictions(path, &student, &test, &lines, &teacher_test, &student_test)?;
    }
    let (towards_one, towards_zero) = student.terms_by_class();
    let shown = |terms: &[WeightedTerm]| terms.iter().take(20).cloned().collect::<Vec<_>>();
    let truth = match test_file {
        None => data.target().select(&split.test),
        Some(t) => t.truth,
    };
    let distilled = Distilled {
        student: "sparse",
        task: "binary",
        teacher: common.teacher.to_owned(),
        fitted_to: Distilled::fitted_to(common.labels),
        n_train: train.len(),
        n_test: test.len(),
        dropped_rows: data.dropped_rows(),
    };
    let complexity = serde_json::json!({
        "n_terms": student.n_terms(),
        "n_columns": student.vectorizer.n_columns(),
        "lambda": student.model.lambda,
        "path_length": student.model.path.len(),
    });
    let report = Report {
        report: DistillReport::measure(
            distilled,
            Task::Binary,
            &truth,
            student_test.view(),
            teacher_test.view(),
            complexity,
        ),
        text_column: column.to_owned(),
        terms: serde_json::json!({ labels[1].clone(): shown(&towards_one), labels[0].clone(): shown(&towards_zero) }),
        faithfulness,
        examples: examples(&student, &test, &lines, &teacher_test, &student_test),
        seconds: start.elapsed().as_secs_f64(),
    };
    match common.format {
        Format::Json => to_json(&report),
        Format::Table => Ok(text(&report, &student)),
    }
}

/// A file of held-out messages: as read, its dataset, its classes coded as the data file's and
/// its messages.
struct TestFile {
    table: Table,
    data: Dataset,
    truth: Target,
    texts: Vec<String>,
}

/// The classes of `test` coded as `labels` (the data file's), or an error naming the test
/// file's line with a class the data file lacks.
fn classes_as_in(test: &Dataset, labels: &[String], data_file: &Path) -> anyhow::Result<Target> {
    let Target::Classes { labels: ours, y } = test.target() else {
        anyhow::bail!(crate::cli::UsageError::new(
            "test",
            format!("{}: a text student needs classes", test.file().display())
        ))
    };
    let y = y
        .iter()
        .enumerate()
        .map(|(row, &c)| {
            labels.iter().position(|l| *l == ours[c]).ok_or_else(|| {
                crate::cli::UsageError::new(
                    "test",
                    format!(
                        "{}, line {}: class '{}' does not occur in {}",
                        test.file().display(),
                        test.lines()[row],
                        ours[c],
                        data_file.display()
                    ),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Target::Classes { labels: labels.to_vec(), y })
}
