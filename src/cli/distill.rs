//! `kd distill`: fit a readable student to a teacher's outputs and measure how faithful it is
//! on held-out rows. The students, their targets and checks live in kd-students (the MLP in
//! kd-core); the figures in kd-core's metrics; this file reads the flags, asks the teacher and
//! hands everything to them.

use std::path::PathBuf;
use std::time::Instant;

use kd::core::data::{Dataset, FitTarget};
use kd::core::teacher::{TeacherSpec, build_teacher};
use kd::students::{DistillReport, Distilled, FitProgress, SavedStudent, Student, fit_student_reporting};
use ndarray::{Array2, ArrayView2, Axis};

use super::distill_report::{Report, text, write_predictions};
use super::holdout::{Holdout, HoldoutArgs};
use super::input::TeacherInput;
use super::student_args::{StudentArgs, StudentChoice};
use super::{Format, to_json};

/// Arguments of `kd distill`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: TeacherInput,
    /// Fit the student to the true labels instead of the teacher (the outcome model of
    /// Distill-and-Compare).
    #[arg(long)]
    labels: bool,
    #[command(flatten)]
    holdout: HoldoutArgs,
    /// Save the student here (JSON, with a format version).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the test rows' truth, teacher and student outputs here (CSV).
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    // The student and its flags come last: each family's flags under its own heading.
    #[command(flatten)]
    student: StudentArgs,
}

/// Distills and reports.
pub fn run(args: &Args) -> anyhow::Result<String> {
    super::check_output("out", args.out.as_deref())?;
    super::check_output("predictions", args.predictions.as_deref())?;
    if let Some(column) = text_column(args)? {
        return run_text(args, column);
    }
    let progress = super::progress::Progress::start("reading the data");
    let spec: TeacherSpec = args.data.teacher.parse()?;
    let holdout = Holdout::load(&args.data.input, spec.output_columns(), &args.holdout)?;
    let (data, train, test) = (&holdout.data, &holdout.train, &holdout.test);
    let task = data.task();
    let readable = match &args.student.student {
        StudentChoice::Readable(kind) => {
            let params = kind.params(&args.student.options(args.holdout.seed), data.class_labels())?;
            params.check()?;
            kind.check(task, data.features())?;
            params.check_task(task)?;
            Some(params)
        }
        StudentChoice::Mlp(_) | StudentChoice::Sparse => None,
    };
    progress.step("asking the teacher");
    let options = args.holdout.cmd_options();
    let mut teacher = build_teacher(&spec, &holdout.table, data, options)?;
    let teacher_train = teacher.predict_rows(data, train)?;
    let teacher_test = holdout.teacher_on_test(teacher.as_mut(), &spec, options)?;
    let test_set = holdout.test_set();

    progress.step("fitting the student");
    let x_train = data.x().select(Axis(0), train);
    let truth = data.target().select(train);
    let target =
        if args.labels { FitTarget::labels(&truth) } else { FitTarget::Teacher(teacher_train.view()) };
    let student = match readable {
        Some(params) => {
            let started = Instant::now();
            let report =
                |p: FitProgress| progress.share("fitting the student (bags)", p.done, p.total, started);
            let student =
                fit_student_reporting(&params, x_train.view(), data.features(), task, target, &report)?;
            Fitted::Readable(Box::new(student))
        }
        None => fit_neural(args, data, &x_train, &truth, target)?,
    };
    let student_test = student.predict(test_set.x().select(Axis(0), test).view())?;

    let (names, classes) = (data.feature_names(), data.class_labels());
    if let Some(path) = &args.out {
        super::write_file(
            path,
            &student.to_json(data, (!args.labels).then_some(args.data.teacher.as_str()))?,
        )?;
    }
    if let Some(path) = &args.predictions {
        write_predictions(path, test_set, test, &teacher_test, &student_test)?;
    }
    let truth_test = test_set.target().select(test);
    let distilled = Distilled {
        student: args.student.student.name(),
        task: task.name(),
        teacher: args.data.teacher.clone(),
        fitted_to: Distilled::fitted_to(args.labels),
        n_train: train.len(),
        n_test: test.len(),
        dropped_rows: data.dropped_rows(),
    };
    let report = Report {
        report: DistillReport::measure(
            distilled,
            task,
            &truth_test,
            student_test.view(),
            teacher_test.view(),
            student.complexity(),
        ),
        seconds: progress.finish(),
    };
    match args.format {
        Format::Json => to_json(&report),
        Format::Table => Ok(text(&report, &student.explain(&names, classes))),
    }
}

/// The text column when `--text` is given (with the sparse student);
/// an error for a sparse student without one.
fn text_column(args: &Args) -> anyhow::Result<Option<&str>> {
    let sparse = args.student.student == StudentChoice::Sparse;
    let bad = |reason: &str| crate::cli::UsageError::new("text", reason);
    match (args.student.text.text.as_deref(), sparse) {
        (None, false) => Ok(None),
        (None, true) => anyhow::bail!(bad("the sparse student reads a text column: give --text COL")),
        (Some(_), false) => anyhow::bail!(bad("a text column is distilled into --student sparse")),
        (Some(column), true) => Ok(Some(column)),
    }
}

/// `kd distill --text COL --student sparse`, in [`super::text`].
fn run_text(args: &Args, column: &str) -> anyhow::Result<String> {
    let common = super::text::Common {
        data: &args.data.input.data,
        target: &args.data.input.target,
        features: &args.data.input.features,
        missing: args.data.input.missing,
        teacher: &args.data.teacher,
        labels: args.labels,
        test_fraction: args.holdout.test_fraction,
        test: args.holdout.test.as_deref(),
        seed: args.holdout.seed,
        cmd: args.holdout.cmd_options(),
        out: args.out.as_deref(),
        predictions: args.predictions.as_deref(),
        format: args.format,
    };
    super::text::run(&common, &args.student.text, column)
}

/// A fitted student: a readable one, or (with libtorch) a neural one.
enum Fitted {
    Readable(Box<Student>),
    #[cfg(feature = "torch")]
    Neural(Box<kd::core::nn::MlpStudent>),
}

impl Fitted {
    fn predict(&self, x: ArrayView2<'_, f64>) -> anyhow::Result<Array2<f64>> {
        Ok(match self {
            Fitted::Readable(s) => s.predict(x)?,
            #[cfg(feature = "torch")]
            Fitted::Neural(n) => n.predict(x)?,
        })
    }

    fn complexity(&self) -> serde_json::Value {
        match self {
            Fitted::Readable(s) => s.complexity(),
            #[cfg(feature = "torch")]
            Fitted::Neural(n) => n.complexity(),
        }
    }

    fn explain(&self, names: &[String], classes: Option<&[String]>) -> String {
        match self {
            Fitted::Readable(s) => s.explain(names, classes),
            #[cfg(feature = "torch")]
            Fitted::Neural(n) => n.summary(),
        }
    }

    /// The saved file: a `kd-student`, or a `kd-mlp`.
    fn to_json(&self, data: &Dataset, teacher: Option<&str>) -> anyhow::Result<String> {
        Ok(match self {
            Fitted::Readable(s) => SavedStudent::new((**s).clone(), data, teacher).to_json()?,
            #[cfg(feature = "torch")]
            Fitted::Neural(n) => n.saved(&data.feature_names(), data.class_labels())?.to_json()?,
        })
    }
}

/// Trains an MLP student on the teacher's outputs (or, with `--labels`, one-hot labels or
/// values), with a progress bar on stderr and the training log written where asked.
#[cfg(feature = "torch")]
fn fit_neural(
    args: &Args,
    data: &Dataset,
    x_train: &Array2<f64>,
    truth: &kd::core::data::Target,
    target: FitTarget<'_>,
) -> anyhow::Result<Fitted> {
    use kd::core::nn::{MlpParams, MlpStudent};
    let StudentChoice::Mlp(hidden) = &args.student.student else {
        anyhow::bail!(super::UsageError::new("student", "not an mlp student"))
    };
    let mlp = &args.student.mlp;
    let params = MlpParams {
        hidden: hidden.clone(),
        loss: mlp.loss.as_deref().map(str::parse).transpose()?,
        epochs: mlp.epochs,
        batch_size: mlp.minibatch,
        learning_rate: mlp.lr.unwrap_or(1e-3),
        device: mlp.device.into(),
        seed: args.holdout.seed,
    };
    let labels = match truth {
        kd::core::data::Target::Classes { y, .. } => Some(y.as_slice()),
        kd::core::data::Target::Values(_) => None,
    };
    let bar = indicatif::ProgressBar::new(mlp.epochs as u64);
    bar.set_style(indicatif::ProgressStyle::with_template("training {bar:30} epoch {pos}/{len} {msg}")?);
    let student = MlpStudent::fit(&params, x_train.view(), data.task(), target, labels, &mut |r| {
        bar.inc(1);
        bar.set_message(format!("loss {:.4}", r.train_loss));
    })?;
    bar.finish_and_clear();
    if let Some(path) = &mlp.log {
        super::write_file(path, &to_json(student.log())?)?;
    }
    Ok(Fitted::Neural(Box::new(student)))
}

/// Without libtorch there is no neural student.
#[cfg(not(feature = "torch"))]
fn fit_neural(
    _: &Args,
    _: &Dataset,
    _: &Array2<f64>,
    _: &kd::core::data::Target,
    _: FitTarget<'_>,
) -> anyhow::Result<Fitted> {
    anyhow::bail!(super::UsageError::new(
        "student",
        "mlp students need a kd built with libtorch (cargo xtask install)"
    ))
}
