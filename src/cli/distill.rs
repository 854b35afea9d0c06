//! `kd distill`: fit a readable student to a teacher's outputs and measure how faithful it is
//! on held-out rows.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use kd::core::Task;
use kd::core::data::{Dataset, Target};
use kd::core::metrics;
use kd::core::teacher::{TeacherSpec, build_teacher};
use kd::students::Student;
use kd::students::gam::{BoostedGam, GamParams, Link, Monotone};
use kd::students::linear::{
    Linear, LinearParams, Logistic, LogisticParams, Multinomial, Scorecard, ScorecardScaling,
};
use kd::students::scorecard::{WoeParams, WoeScorecard};
use kd::students::spline::{Smoothing, SplineGam, SplineGamParams};
use kd::students::tree::{CategoricalSplits, Criterion, Tree, TreeParams, TreeTarget};
use ndarray::{Array2, Axis};
use serde::Serialize;

use super::holdout::{Holdout, HoldoutArgs};
use super::input::Input;
use super::{Format, to_json};

/// Arguments of `kd distill`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: Input,
    /// The black box: cmd:<command line>, torchscript:<file.pt>, or column:<name>[,<name>...].
    #[arg(long)]
    teacher: String,
    /// The student: tree, logistic, linear, gam, gam2, spline, scorecard, or mlp:WIDTH,WIDTH,… (a neural student,
    /// in a kd built with libtorch).
    #[arg(long, value_parser = parse_student, default_value = "tree")]
    student: StudentChoice,
    /// Fit the student to the true labels instead of the teacher (the outcome model of
    /// Distill-and-Compare).
    #[arg(long)]
    labels: bool,
    /// Tree: maximum depth.
    #[arg(long)]
    max_depth: Option<usize>,
    /// Tree: maximum number of leaves (best-first growth).
    #[arg(long)]
    max_leaves: Option<usize>,
    /// Tree: minimum rows per leaf.
    #[arg(long, default_value_t = 1)]
    min_samples_leaf: usize,
    /// Tree: cost-complexity pruning strength (0: none).
    #[arg(long, default_value_t = 0.0)]
    ccp_alpha: f64,
    /// Tree: split categorical features by level sets (`purpose in {car, furniture}`) or by
    /// thresholds on their level codes.
    #[arg(long, value_enum, default_value_t = CategoricalArg::Native)]
    categorical_splits: CategoricalArg,
    /// Scorecard: quantile bins per numeric feature before coarse classing.
    #[arg(long, default_value_t = 20)]
    bins: usize,
    /// Scorecard: the target's label of the bad outcome (default: the second label in sorted
    /// order, class 1).
    #[arg(long, value_name = "LABEL")]
    bad_class: Option<String>,
    /// Logistic and linear: L2 penalty on the coefficients (linear: ridge).
    #[arg(long, default_value_t = 0.0)]
    l2: f64,
    /// Logistic: also make a credit scorecard with this many quantile bins per feature.
    #[arg(long, value_name = "BINS")]
    scorecard: Option<usize>,
    /// Scorecard (and the logistic student's --scorecard): points to double the odds.
    #[arg(long, default_value_t = 20.0)]
    pdo: f64,
    /// Scorecard: the score at which the good:bad odds are --base-odds.
    #[arg(long, default_value_t = 600.0)]
    base_score: f64,
    /// Scorecard: good:bad odds at --base-score.
    #[arg(long, default_value_t = 50.0)]
    base_odds: f64,
    /// Tree: histogram thresholds with this many bins per feature (2 to 256) instead of exact
    /// ones, for large data. GAMs: bins per feature (default 256).
    #[arg(long)]
    max_bins: Option<usize>,
    /// gam2: pair terms chosen by FAST (default interpret's: 5 per feature for a regression
    /// target, 3 per feature for a probability; at most the number of pairs).
    #[arg(long)]
    interactions: Option<usize>,
    /// GAMs: monotone shape functions, `feature:+1` (increasing) or `feature:-1`, comma separated.
    #[arg(long, value_delimiter = ',')]
    monotone: Vec<String>,
    /// gam, gam2: bags averaged (their spread gives the shape functions' bands; default 14, as
    /// interpret).
    #[arg(long)]
    outer_bags: Option<usize>,
    /// spline: B-splines per feature.
    #[arg(long, default_value_t = 20)]
    n_splines: usize,
    /// spline: the smoothing parameter λ of every term (default: chosen by GCV or UBRE over
    /// 10^-3 … 10^3, pyGAM's grid).
    #[arg(long)]
    lam: Option<f64>,
    /// mlp: the loss, kd[:T=4,alpha=0.9] (alpha weighs the soft term, 1 − alpha the labels'
    /// cross-entropy) or mse; default kd:T=1,alpha=1 for classification, mse for regression.
    #[arg(long)]
    loss: Option<String>,
    /// mlp: epochs.
    #[arg(long, default_value_t = 50)]
    epochs: usize,
    /// mlp: rows per optimiser step (--batch-size is the teacher's query batch).
    #[arg(long, default_value_t = 64)]
    minibatch: usize,
    /// mlp: Adam's learning rate (default 1e-3). gam, gam2: the boosting rate (default
    /// interpret's: 0.04 for values, 0.015 for probabilities).
    #[arg(long)]
    lr: Option<f64>,
    /// gam, gam2: boosting rounds at most, per stage (default 50,000, interpret's); fewer
    /// rounds or a larger --lr shorten fits on large data.
    #[arg(long)]
    max_rounds: Option<usize>,
    /// mlp: cpu or cuda.
    #[arg(long, default_value = "cpu")]
    device: String,
    /// mlp: write the training log here (JSON).
    #[arg(long)]
    log: Option<PathBuf>,
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
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CategoricalArg {
    /// Level sets, the levels ordered by their mean target.
    Native,
    /// Thresholds on the level codes.
    Codes,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum StudentArg {
    /// A CART decision tree (born-again tree: a regression tree on the teacher's outputs).
    Tree,
    /// A logistic regression on the teacher's probability of class 1 (binary tasks), or a
    /// multinomial one on all its class probabilities (multiclass tasks); numeric features;
    /// with a coefficient table.
    Logistic,
    /// An OLS regression (ridge with --l2) on the teacher's values (regression tasks), with a
    /// coefficient table.
    Linear,
    /// A boosted GAM (EBM) on the teacher's probability of class 1 (through the logit) or
    /// values: one shape function per feature.
    Gam,
    /// The boosted GAM with pair terms (GA²M).
    Gam2,
    /// A penalised-spline GAM (pyGAM's LinearGAM / LogisticGAM): a smooth shape function per
    /// numeric feature with a pointwise band.
    Spline,
    /// A WoE scorecard (binary tasks; `--bad-class` names the bad outcome): fine and coarse
    /// classes per feature, a logistic regression on their weights of evidence, points per class.
    Scorecard,
    /// A multilayer perceptron (`mlp:64,64`), trained with kd's distiller.
    Mlp,
}

/// `--student`: a kind and, for `mlp`, its hidden widths.
#[derive(Debug, Clone)]
struct StudentChoice {
    kind: StudentArg,
    #[cfg_attr(not(feature = "torch"), allow(dead_code))]
    hidden: Vec<i64>,
}

fn parse_student(text: &str) -> Result<StudentChoice, String> {
    use clap::ValueEnum as _;
    let (name, widths) = text.split_once(':').unwrap_or((text, ""));
    let kind = StudentArg::from_str(name, true)?;
    let hidden = widths
        .split(',')
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim().parse::<i64>().ok().filter(|&w| w >= 1).ok_or(format!("'{w}' is not a layer width"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    match (kind, hidden.is_empty()) {
        (StudentArg::Mlp, true) => Err("mlp needs its hidden widths, e.g. mlp:64,64".into()),
        (StudentArg::Mlp, false) | (_, true) => Ok(StudentChoice { kind, hidden }),
        (_, false) => Err(format!("'{name}' takes no widths")),
    }
}

impl StudentArg {
    fn name(self) -> &'static str {
        match self {
            StudentArg::Tree => "tree",
            StudentArg::Logistic => "logistic",
            StudentArg::Linear => "linear",
            StudentArg::Gam => "gam",
            StudentArg::Gam2 => "gam2",
            StudentArg::Spline => "spline",
            StudentArg::Scorecard => "scorecard",
            StudentArg::Mlp => "mlp",
        }
    }
}

#[derive(Serialize)]
struct Fidelity {
    r2: Option<f64>,
    rmse: Option<f64>,
    agreement: Option<f64>,
}

#[derive(Serialize)]
struct Performance {
    accuracy: Option<f64>,
    auroc: Option<f64>,
    r2: Option<f64>,
}

#[derive(Serialize)]
struct Report {
    student: &'static str,
    task: &'static str,
    teacher: String,
    fitted_to: &'static str,
    n_train: usize,
    n_test: usize,
    dropped_rows: usize,
    fidelity: Fidelity,
    performance: PerformancePair,
    complexity: serde_json::Value,
    seconds: f64,
}

#[derive(Serialize)]
struct PerformancePair {
    student: Performance,
    teacher: Performance,
}

/// The single number compared between student and teacher: the positive-class probability
/// (binary), every class probability (multiclass, so R² averages over classes), or the value.
fn compared(task: Task, outputs: &Array2<f64>) -> Array2<f64> {
    match task {
        Task::Binary => outputs.slice(ndarray::s![.., 1..2]).to_owned(),
        _ => outputs.clone(),
    }
}

fn fidelity(task: Task, student: &Array2<f64>, teacher: &Array2<f64>) -> Fidelity {
    let (s, t) = (compared(task, student), compared(task, teacher));
    let per_column =
        |f: fn(ndarray::ArrayView1<'_, f64>, ndarray::ArrayView1<'_, f64>) -> kd::core::Result<f64>| {
            let values: Option<Vec<f64>> =
                s.columns().into_iter().zip(t.columns()).map(|(a, b)| f(b, a).ok()).collect();
            values.map(|v| v.iter().sum::<f64>() / v.len() as f64)
        };
    Fidelity {
        r2: per_column(metrics::r2),
        rmse: per_column(metrics::rmse),
        agreement: task
            .is_classification()
            .then(|| metrics::agreement(student.view(), teacher.view()).ok())
            .flatten(),
    }
}

fn performance(task: Task, data: &Dataset, rows: &[usize], outputs: &Array2<f64>) -> Performance {
    match data.target() {
        Target::Classes { y, .. } => {
            let truth: Vec<usize> = rows.iter().map(|&r| y[r]).collect();
            Performance {
                accuracy: metrics::accuracy(&truth, &metrics::argmax(outputs.view())).ok(),
                auroc: (task == Task::Binary)
                    .then(|| metrics::auroc(&truth, outputs.column(1)).ok())
                    .flatten(),
                r2: None,
            }
        }
        Target::Values(v) => {
            let truth: ndarray::Array1<f64> = rows.iter().map(|&r| v[r]).collect();
            Performance { accuracy: None, auroc: None, r2: metrics::r2(truth.view(), outputs.column(0)).ok() }
        }
    }
}

/// Distills and reports.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let start = Instant::now();
    let progress = super::progress::Progress::start("reading the data");
    let spec: TeacherSpec = args.teacher.parse()?;
    let mut params = TreeParams::default()
        .min_samples_leaf(args.min_samples_leaf)
        .criterion(Criterion::SquaredError)
        .ccp_alpha(args.ccp_alpha)
        .categorical(match args.categorical_splits {
            CategoricalArg::Native => CategoricalSplits::Native,
            CategoricalArg::Codes => CategoricalSplits::Codes,
        });
    params.max_depth = args.max_depth;
    params.max_leaves = args.max_leaves;
    if let Some(bins) = args.max_bins {
        params = params.histogram(bins);
    }
    params.check()?;
    let holdout = Holdout::load(&args.input, spec.output_columns(), &args.holdout)?;
    let (data, train, test) = (&holdout.data, &holdout.train, &holdout.test);
    let task = data.task();
    check_student(args, data)?;
    progress.step("asking the teacher");
    let options = args.holdout.cmd_options();
    let mut teacher = build_teacher(&spec, &holdout.table, data, options)?;
    let teacher_train = teacher.predict_rows(data, train)?;
    let teacher_test = holdout.teacher_on_test(teacher.as_mut(), &spec, options)?;
    let test_set = holdout.test_set();

    progress.step("fitting the student");
    let x_train = data.x().select(Axis(0), train);
    let student = fit_student(args, params, data, train, &x_train, &teacher_train)?;
    let student_test = student.predict(test_set.x().select(Axis(0), test).view())?;
    drop(progress);

    let names = data.feature_names();
    let classes = data.class_labels();
    if let Some(path) = &args.out {
        let json = match &student {
            Fitted::Readable(s) => {
                super::saved_student(data, (!args.labels).then_some(args.teacher.as_str()), (**s).clone())
                    .to_json()?
            }
            #[cfg(feature = "torch")]
            Fitted::Neural(n) => n.to_json(&names, classes)?,
        };
        super::write_file(path, &json)?;
    }
    if let Some(path) = &args.predictions {
        write_predictions(path, test_set, test, &teacher_test, &student_test)?;
    }
    let report = Report {
        student: args.student.kind.name(),
        task: task.name(),
        teacher: args.teacher.clone(),
        fitted_to: if args.labels { "labels" } else { "teacher" },
        n_train: train.len(),
        n_test: test.len(),
        dropped_rows: data.dropped_rows(),
        fidelity: fidelity(task, &student_test, &teacher_test),
        performance: PerformancePair {
            student: performance(task, test_set, test, &student_test),
            teacher: performance(task, test_set, test, &teacher_test),
        },
        complexity: student.complexity(),
        seconds: start.elapsed().as_secs_f64(),
    };
    match args.format {
        Format::Json => to_json(&report),
        Format::Table => Ok(text(&report, &student.explain(&names, classes))),
    }
}

/// Refuses a student that cannot be fitted to these data, before the teacher is asked.
fn check_student(args: &Args, data: &Dataset) -> anyhow::Result<()> {
    if matches!(args.student.kind, StudentArg::Gam | StudentArg::Gam2 | StudentArg::Spline)
        && matches!(data.task(), Task::Multiclass(_))
    {
        anyhow::bail!(kd::core::Error::InvalidParameter {
            name: "student".into(),
            reason: "the GAM students fit binary and regression tasks; this one is multiclass".into(),
        });
    }
    if matches!(args.student.kind, StudentArg::Logistic) && data.task() == Task::Regression {
        anyhow::bail!(kd::core::Error::InvalidParameter {
            name: "student".into(),
            reason: "the logistic student needs classes; this task is regression (use linear, tree or gam)"
                .into(),
        });
    }
    if matches!(args.student.kind, StudentArg::Scorecard) && data.task() != Task::Binary {
        anyhow::bail!(kd::core::Error::InvalidParameter {
            name: "student".into(),
            reason: format!(
                "the scorecard student needs a binary task, and this one is {}",
                data.task().name()
            ),
        });
    }
    if args.scorecard.is_some() && data.task() != Task::Binary {
        anyhow::bail!(kd::core::Error::InvalidParameter {
            name: "scorecard".into(),
            reason: format!("scorecards need a binary task, and this one is {}", data.task().name()),
        });
    }
    if matches!(args.student.kind, StudentArg::Logistic | StudentArg::Linear | StudentArg::Spline)
        && let Some(f) = data.features().iter().find(|f| f.levels.is_some())
    {
        anyhow::bail!(kd::core::Error::InvalidParameter {
            name: "features".into(),
            reason: format!(
                "'{}' is categorical; the {} student needs numeric features",
                f.name,
                args.student.kind.name()
            ),
        });
    }
    Ok(())
}

/// Fits the chosen student to the teacher's outputs (or, with `--labels`, the true target) on
/// the training rows.
fn fit_student(
    args: &Args,
    params: TreeParams,
    data: &Dataset,
    train: &[usize],
    x_train: &Array2<f64>,
    teacher_train: &Array2<f64>,
) -> anyhow::Result<Fitted> {
    let names = data.feature_names();
    let levels = data.levels();
    let readable = match args.student.kind {
        StudentArg::Mlp => return fit_neural(args, data, train, x_train, teacher_train),
        StudentArg::Logistic if data.task() != Task::Binary => {
            let params = LogisticParams { l2: args.l2, ..LogisticParams::default() };
            let target = match (args.labels, data.target()) {
                (true, Target::Classes { y, labels }) => {
                    Array2::from_shape_fn((train.len(), labels.len()), |(i, c)| {
                        f64::from(u8::from(y[train[i]] == c))
                    })
                }
                _ => teacher_train.clone(),
            };
            Student::Multinomial(Multinomial::fit(&params, x_train.view(), target.view(), &names)?)
        }
        StudentArg::Logistic => {
            let target = binary_target(args, data, train, teacher_train);
            let params = LogisticParams { l2: args.l2, ..LogisticParams::default() };
            let mut model = Logistic::fit(&params, x_train.view(), target.view(), &names)?;
            if let Some(bins) = args.scorecard {
                let scaling = ScorecardScaling {
                    pdo: args.pdo,
                    base_score: args.base_score,
                    base_odds: args.base_odds,
                };
                model.scorecard = Some(Scorecard::new(&model, x_train.view(), &names, bins, scaling)?);
            }
            Student::Logistic(model)
        }
        StudentArg::Scorecard => {
            let bad_class = bad_class(args.bad_class.as_deref(), data)?;
            let class_one = binary_target(args, data, train, teacher_train);
            let target = if bad_class == 1 { class_one } else { class_one.mapv(|p| 1.0 - p) };
            let params = WoeParams {
                bad_class,
                fine_bins: args.bins,
                logistic: LogisticParams { l2: args.l2, ..LogisticParams::default() },
                scaling: ScorecardScaling {
                    pdo: args.pdo,
                    base_score: args.base_score,
                    base_odds: args.base_odds,
                },
                ..WoeParams::default()
            };
            Student::Scorecard(WoeScorecard::fit(&params, x_train.view(), target.view(), &names, &levels)?)
        }
        StudentArg::Linear => {
            let target = match (args.labels, data.target()) {
                (true, Target::Values(v)) => v.select(Axis(0), train),
                _ => teacher_train.column(0).to_owned(),
            };
            let params = LinearParams { l2: args.l2 };
            Student::Linear(Linear::fit(&params, x_train.view(), target.view(), &names)?)
        }
        StudentArg::Spline => {
            let (target, link) = additive_target(args.labels, data, train, teacher_train);
            let params = SplineGamParams {
                n_splines: args.n_splines,
                smoothing: args.lam.map_or_else(Smoothing::default_grid, Smoothing::Shared),
                ..SplineGamParams::default()
            };
            Student::Spline(SplineGam::fit(&params, x_train.view(), target.view(), link)?)
        }
        StudentArg::Gam | StudentArg::Gam2 => {
            let (target, link) = additive_target(args.labels, data, train, teacher_train);
            let pairs = names.len() * names.len().saturating_sub(1) / 2;
            let defaults = GamParams::for_link(link);
            let params = GamParams {
                max_bins: args.max_bins.unwrap_or(defaults.max_bins),
                interactions: match args.student.kind {
                    StudentArg::Gam2 => {
                        args.interactions.unwrap_or(GamParams::interpret_pairs(names.len(), link)).min(pairs)
                    }
                    _ => 0,
                },
                monotone: monotone(&args.monotone, &names)?,
                outer_bags: args.outer_bags.unwrap_or(defaults.outer_bags),
                learning_rate: args.lr.unwrap_or(defaults.learning_rate),
                max_rounds: args.max_rounds.unwrap_or(defaults.max_rounds),
                seed: args.holdout.seed,
                ..defaults
            };
            Student::Gam(BoostedGam::fit(&params, x_train.view(), target.view(), link)?)
        }
        StudentArg::Tree => {
            let fit =
                |params: &TreeParams, target| Tree::fit_with_levels(params, x_train.view(), target, &levels);
            let tree = match (args.labels, data.target()) {
                (true, Target::Classes { y, labels }) => {
                    let y: Vec<usize> = train.iter().map(|&r| y[r]).collect();
                    let classes = TreeTarget::Classes { y: &y, n_classes: labels.len() };
                    fit(&params.criterion(Criterion::Gini), classes)?
                }
                (true, Target::Values(v)) => {
                    let y = v.select(Axis(0), train).insert_axis(Axis(1));
                    fit(&params, TreeTarget::Values(y.view()))?
                }
                (false, _) => fit(&params, TreeTarget::Values(teacher_train.view()))?,
            };
            Student::Tree(tree)
        }
    };
    Ok(Fitted::Readable(Box::new(readable)))
}

/// The class (0 or 1) of `--bad-class`'s label; class 1 without it.
fn bad_class(label: Option<&str>, data: &Dataset) -> anyhow::Result<usize> {
    let (Some(label), Target::Classes { labels, .. }) = (label, data.target()) else { return Ok(1) };
    labels.iter().position(|l| l == label).ok_or_else(|| {
        kd::core::Error::InvalidParameter {
            name: "bad-class".into(),
            reason: format!("'{label}' is not a label of the target; its labels are {}", labels.join(", ")),
        }
        .into()
    })
}

/// The target of a binary student: the true class (with `--labels`) or the teacher's
/// probability of class 1, on the training rows.
fn binary_target(
    args: &Args,
    data: &Dataset,
    train: &[usize],
    teacher_train: &Array2<f64>,
) -> ndarray::Array1<f64> {
    if args.labels {
        let y = data.classes().unwrap_or_default();
        train.iter().map(|&r| y[r] as f64).collect()
    } else {
        teacher_train.column(1).to_owned()
    }
}

/// What an additive student (boosted or spline GAM) fits: the labels or the teacher's
/// probability of class 1 through the logit, or values through the identity.
fn additive_target(
    labels: bool,
    data: &Dataset,
    train: &[usize],
    teacher_train: &Array2<f64>,
) -> (ndarray::Array1<f64>, Link) {
    match (labels, data.target()) {
        (true, Target::Classes { y, .. }) => (train.iter().map(|&r| y[r] as f64).collect(), Link::Logit),
        (true, Target::Values(v)) => (v.select(Axis(0), train), Link::Identity),
        (false, Target::Classes { .. }) => (teacher_train.column(1).to_owned(), Link::Logit),
        (false, Target::Values(_)) => (teacher_train.column(0).to_owned(), Link::Identity),
    }
}

/// A fitted student: a readable one, or (with libtorch) a neural one.
enum Fitted {
    Readable(Box<Student>),
    #[cfg(feature = "torch")]
    Neural(Box<super::neural::NeuralStudent>),
}

impl Fitted {
    fn predict(&self, x: ndarray::ArrayView2<'_, f64>) -> anyhow::Result<Array2<f64>> {
        match self {
            Fitted::Readable(s) => Ok(s.predict(x)?),
            #[cfg(feature = "torch")]
            Fitted::Neural(n) => n.predict(x),
        }
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
            Fitted::Neural(n) => n.explain(names),
        }
    }
}

/// Trains an MLP student on the teacher's outputs (or, with `--labels`, one-hot labels or
/// values).
#[cfg(feature = "torch")]
fn fit_neural(
    args: &Args,
    data: &Dataset,
    train: &[usize],
    x_train: &Array2<f64>,
    teacher_train: &Array2<f64>,
) -> anyhow::Result<Fitted> {
    use super::neural::{NeuralArgs, NeuralStudent, parse_loss};
    let loss = args
        .loss
        .as_deref()
        .map(parse_loss)
        .transpose()
        .map_err(|reason| kd::core::Error::InvalidParameter { name: "loss".into(), reason })?;
    let labels: Option<Vec<usize>> = data.classes().map(|y| train.iter().map(|&r| y[r]).collect());
    let target = match (args.labels, data.target()) {
        (true, Target::Classes { y, labels }) => {
            Array2::from_shape_fn((train.len(), labels.len()), |(i, c)| f64::from(u8::from(y[train[i]] == c)))
        }
        (true, Target::Values(v)) => v.select(Axis(0), train).insert_axis(Axis(1)),
        (false, _) => teacher_train.clone(),
    };
    let neural = NeuralArgs {
        hidden: args.student.hidden.clone(),
        loss,
        epochs: args.epochs,
        batch_size: args.minibatch,
        learning_rate: args.lr.unwrap_or(1e-3),
        device: args.device.clone(),
        log: args.log.clone(),
        seed: args.holdout.seed,
    };
    let student = NeuralStudent::fit(&neural, data.task(), x_train.view(), &target, labels.as_deref())?;
    Ok(Fitted::Neural(Box::new(student)))
}

/// Without libtorch there is no neural student.
#[cfg(not(feature = "torch"))]
fn fit_neural(
    _: &Args,
    _: &Dataset,
    _: &[usize],
    _: &Array2<f64>,
    _: &Array2<f64>,
) -> anyhow::Result<Fitted> {
    anyhow::bail!(kd::core::Error::InvalidParameter {
        name: "student".into(),
        reason: "mlp students need a kd built with libtorch (cargo xtask install)".into(),
    })
}

/// `feature:+1` / `feature:-1` constraints, by feature name.
fn monotone(specs: &[String], names: &[String]) -> anyhow::Result<Vec<(usize, Monotone)>> {
    specs
        .iter()
        .map(|spec| {
            let bad = |reason: String| kd::core::Error::InvalidParameter { name: "monotone".into(), reason };
            let (name, sign) = spec
                .rsplit_once(':')
                .ok_or_else(|| bad(format!("'{spec}' is not feature:+1 or feature:-1")))?;
            let feature = names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| bad(format!("'{name}' is not a feature")))?;
            let direction = match sign {
                "+1" | "1" => Monotone::Increasing,
                "-1" => Monotone::Decreasing,
                _ => return Err(bad(format!("'{sign}' in '{spec}' is not +1 or -1")).into()),
            };
            Ok((feature, direction))
        })
        .collect()
}

fn write_predictions(
    path: &std::path::Path,
    data: &Dataset,
    rows: &[usize],
    teacher: &Array2<f64>,
    student: &Array2<f64>,
) -> anyhow::Result<()> {
    let mut out = String::from("line");
    for who in ["teacher", "student"] {
        for j in 0..teacher.ncols() {
            let _ = write!(out, ",{who}_{j}");
        }
    }
    out.push('\n');
    for (i, &r) in rows.iter().enumerate() {
        let _ = write!(out, "{}", data.lines()[r]);
        for v in teacher.row(i).iter().chain(student.row(i).iter()) {
            let _ = write!(out, ",{v}");
        }
        out.push('\n');
    }
    super::write_file(path, &out)
}

fn show(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.4}"))
}

fn text(r: &Report, tree: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} student of {} ({}), fitted to the {} on {} rows, measured on {} held-out rows",
        r.student, r.teacher, r.task, r.fitted_to, r.n_train, r.n_test
    );
    let _ = writeln!(
        o,
        "\nfidelity to the teacher: R² {}, RMSE {}, agreement {}",
        show(r.fidelity.r2),
        show(r.fidelity.rmse),
        show(r.fidelity.agreement)
    );
    let _ = writeln!(o, "{:<10} {:>9} {:>9} {:>9}", "", "accuracy", "AUROC", "R²");
    for (who, p) in [("student", &r.performance.student), ("teacher", &r.performance.teacher)] {
        let _ = writeln!(o, "{who:<10} {:>9} {:>9} {:>9}", show(p.accuracy), show(p.auroc), show(p.r2));
    }
    let _ = writeln!(o, "\n{tree}");
    o
}
