//! `kd extract`: a readable tree drawn from a black box by querying it, measured on held-out
//! real rows against born-again and plain CART baselines.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use kd::core::Task;
use kd::core::data::{Dataset, Target};
use kd::core::metrics::{accuracy, argmax};
use kd::core::teacher::{TeacherSpec, build_teacher};
use kd::extract::bastani::{BastaniParams, extract};
use kd::extract::beta::{BetaParams, DecisionSet, TuneParams, beta_tuned};
use kd::extract::fidelity::{Fidelity, class_fidelity, value_fidelity};
use kd::extract::input::{Components, MixtureParams};
use kd::extract::trepan::{TrepanParams, TrepanTree, trepan};
use kd::extract::{Answers, ExtractedModel, Oracle, SavedExtraction, answers_of};
use kd::students::tree::{Criterion, Tree, TreeParams, TreeTarget};
use kd::students::{SavedStudent, Student};
use ndarray::{Array2, Axis};
use serde::Serialize;

use super::holdout::{Holdout, HoldoutArgs};
use super::input::Input;
use super::{Format, to_json};

/// Arguments of `kd extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: Input,
    /// The black box: cmd:<command line> or torchscript:<file.pt> (sampling methods query it at
    /// new points); column:<name>[,...] only for born-again and cart.
    #[arg(long)]
    teacher: String,
    /// Extraction method.
    #[arg(long, value_enum, default_value_t = Method::Bastani)]
    method: Method,
    /// Leaf budget (TREPAN: internal nodes at most budget − 1; BETA: rules at most budget − 1
    /// plus the default rule).
    #[arg(long, default_value_t = 16)]
    max_leaves: usize,
    /// Bastani and TREPAN: points each node is decided on (real rows first, then drawn).
    #[arg(long, default_value_t = 1000)]
    samples_per_node: usize,
    /// Bastani: components of the input mixture (default: chosen by BIC, up to 10).
    #[arg(long)]
    components: Option<usize>,
    #[command(flatten)]
    holdout: HoldoutArgs,
    /// Save the extracted model here (JSON with a format version, readable by `kd explain`): a
    /// tree as a kd student, an m-of-n tree or a decision set with its feature names.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Method {
    /// Bastani, Kim & Bastani (2017): CART grown on fresh points drawn from a Gaussian mixture
    /// at every node.
    Bastani,
    /// CART on the validator's rows labelled by the teacher.
    BornAgain,
    /// CART on the validator's rows with their true labels (no teacher).
    Cart,
    /// TREPAN (Craven & Shavlik 1996): a tree of m-of-n tests grown best-first on queries drawn
    /// from per-feature kernel densities (classification teachers).
    Trepan,
    /// BETA (Lakkaraju et al. 2017): a two-level decision set fitted to the teacher's classes
    /// on the validator's rows (classification teachers; no new queries).
    Beta,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Bastani => "bastani",
            Method::BornAgain => "born-again",
            Method::Cart => "cart",
            Method::Trepan => "trepan",
            Method::Beta => "beta",
        }
    }
}

/// What a method extracted.
enum Extracted {
    Tree(Tree),
    Trepan(TrepanTree),
    Beta(DecisionSet),
}

impl Extracted {
    /// Outputs on the rows of `x`: class proportions or values (tree), one-hot classes otherwise.
    fn outputs(&self, x: ndarray::ArrayView2<'_, f64>, n_outputs: usize) -> anyhow::Result<Array2<f64>> {
        let one_hot = |classes: Vec<usize>| {
            Array2::from_shape_fn((classes.len(), n_outputs), |(i, k)| f64::from(u8::from(classes[i] == k)))
        };
        Ok(match self {
            Extracted::Tree(tree) => tree.predict(x)?,
            Extracted::Trepan(tree) => one_hot(tree.predict(x)?),
            Extracted::Beta(set) => one_hot(set.predict(x)?),
        })
    }

    /// Leaves (a decision set: its rules and the default rule) and depth (a decision set: 2).
    fn size(&self) -> (usize, usize) {
        match self {
            Extracted::Tree(tree) => (tree.n_leaves(), tree.depth()),
            Extracted::Trepan(tree) => (tree.n_leaves(), tree.depth()),
            Extracted::Beta(set) => (set.n_rules() + 1, 2),
        }
    }

    fn text(&self, data: &Dataset, names: &[String], classes: Option<&[String]>) -> String {
        match self {
            Extracted::Tree(tree) => tree.export_text(names, classes),
            Extracted::Trepan(tree) => tree.export_text(names, classes),
            Extracted::Beta(set) => set.export_text(names, &data.levels(), classes.unwrap_or_default()),
        }
    }
}

#[derive(Serialize)]
struct Report {
    method: &'static str,
    teacher: String,
    task: &'static str,
    n_train: usize,
    n_test: usize,
    n_leaves: usize,
    depth: usize,
    fidelity: f64,
    fidelity_ci: [f64; 2],
    accuracy: Option<f64>,
    teacher_accuracy: Option<f64>,
    n_queries: usize,
    teacher_seconds: Option<f64>,
    mixture_components: Option<usize>,
    seconds: f64,
}

/// Extracts and reports.
pub fn run(args: &Args) -> anyhow::Result<String> {
    super::check_output("out", args.out.as_deref())?;
    let start = Instant::now();
    let progress = super::progress::Progress::start("reading the data");
    let spec: TeacherSpec = args.teacher.parse()?;
    let holdout = Holdout::load(&args.input, spec.output_columns(), &args.holdout)?;
    let (data, train) = (&holdout.data, &holdout.train);
    let task = data.task();
    let options = args.holdout.cmd_options();
    let mut teacher = build_teacher(&spec, &holdout.table, data, options)?;
    let x_train = data.x().select(Axis(0), train);
    progress.step("extracting");
    let needs_classes = matches!(args.method, Method::Trepan | Method::Beta);
    if needs_classes && !task.is_classification() {
        anyhow::bail!(super::UsageError::new(
            "method",
            format!("{} extracts classifiers; this teacher is a regression model", args.method.name()),
        ));
    }
    let (model, n_queries, teacher_seconds, components) = match args.method {
        Method::Bastani => {
            let mut oracle = Oracle::new(teacher.as_mut())?;
            let params = BastaniParams {
                max_leaves: args.max_leaves,
                samples_per_node: args.samples_per_node,
                mixture: MixtureParams {
                    components: args.components.map_or(Components::Bic { max: 10 }, Components::Fixed),
                    seed: args.holdout.seed,
                    ..MixtureParams::default()
                },
                seed: args.holdout.seed,
                ..BastaniParams::default()
            };
            let found = extract(&params, x_train.view(), &data.feature_kinds(), &mut oracle)?;
            let k = found.mixture.components.len();
            (Extracted::Tree(found.tree), found.n_queries, Some(found.teacher_seconds), Some(k))
        }
        Method::Trepan => {
            let mut oracle = Oracle::new(teacher.as_mut())?;
            let params = TrepanParams {
                min_samples: args.samples_per_node,
                max_internal: args.max_leaves.saturating_sub(1).max(1),
                ..TrepanParams::default()
            };
            let tree =
                trepan(&params, x_train.view(), &data.feature_kinds(), &mut oracle, args.holdout.seed)?;
            (Extracted::Trepan(tree), oracle.queries(), Some(oracle.teacher_seconds()), None)
        }
        Method::Beta => {
            let answers = answers_of(task, teacher.predict_rows(data, train)?);
            let Answers::Classes { y, n_classes } = answers else {
                anyhow::bail!("BETA needs the teacher's classes");
            };
            let params = BetaParams {
                max_rules: args.max_leaves.saturating_sub(1).max(1),
                seed: args.holdout.seed,
                ..BetaParams::default()
            };
            let tune = TuneParams { seed: args.holdout.seed, ..TuneParams::default() };
            let tuned = beta_tuned(&params, &tune, x_train.view(), &data.feature_kinds(), &y, n_classes)?;
            (Extracted::Beta(tuned.set), train.len(), None, None)
        }
        Method::BornAgain => {
            let answers = answers_of(task, teacher.predict_rows(data, train)?);
            (Extracted::Tree(cart(args.max_leaves, &x_train, &answers)?), train.len(), None, None)
        }
        Method::Cart => {
            (Extracted::Tree(cart(args.max_leaves, &x_train, &true_answers(data, train))?), 0, None, None)
        }
    };
    progress.step("measuring fidelity on the test rows");
    let test_set = holdout.test_set();
    let teacher_test = holdout.teacher_on_test(teacher.as_mut(), &spec, options)?;
    let tree_test =
        model.outputs(test_set.x().select(Axis(0), &holdout.test).view(), teacher_test.ncols())?;
    let fidelity = measure(task, &tree_test, &teacher_test, args.holdout.seed)?;
    drop(progress);
    let (accuracy, teacher_accuracy) = match test_set.target() {
        Target::Classes { y, .. } => {
            let truth: Vec<usize> = holdout.test.iter().map(|&r| y[r]).collect();
            (
                Some(accuracy(&truth, &argmax(tree_test.view()))?),
                Some(accuracy(&truth, &argmax(teacher_test.view()))?),
            )
        }
        Target::Values(_) => (None, None),
    };
    let names = data.feature_names();
    let classes = data.class_labels();
    if let Some(path) = &args.out {
        let json = match &model {
            Extracted::Tree(tree) => {
                let teacher = (args.method != Method::Cart).then_some(args.teacher.as_str());
                SavedStudent::new(Student::Tree(tree.clone()), data, teacher).to_json()?
            }
            Extracted::Trepan(tree) => {
                saved_extraction(ExtractedModel::Trepan(tree.clone()), args, data).to_json()?
            }
            Extracted::Beta(set) => {
                saved_extraction(ExtractedModel::Beta(set.clone()), args, data).to_json()?
            }
        };
        super::write_file(path, &json)?;
    }
    let (n_leaves, depth) = model.size();
    let report = Report {
        method: args.method.name(),
        teacher: args.teacher.clone(),
        task: task.name(),
        n_train: train.len(),
        n_test: holdout.test.len(),
        n_leaves,
        depth,
        fidelity: fidelity.value,
        fidelity_ci: [fidelity.ci.0, fidelity.ci.1],
        accuracy,
        teacher_accuracy,
        n_queries,
        teacher_seconds,
        mixture_components: components,
        seconds: start.elapsed().as_secs_f64(),
    };
    match args.format {
        Format::Json => to_json(&report),
        Format::Table => Ok(text(&report, &model.text(data, &names, classes))),
    }
}

/// An m-of-n tree or decision set ready to be saved with the data's names.
fn saved_extraction(model: ExtractedModel, args: &Args, data: &Dataset) -> SavedExtraction {
    let classes = data.class_labels().map(<[String]>::to_vec);
    SavedExtraction::new(model, &args.teacher, data.feature_names(), data.levels(), classes)
}

fn true_answers(data: &Dataset, rows: &[usize]) -> Answers {
    match data.target() {
        Target::Classes { y, labels } => {
            Answers::Classes { y: rows.iter().map(|&r| y[r]).collect(), n_classes: labels.len() }
        }
        Target::Values(v) => Answers::Values(v.select(Axis(0), rows).insert_axis(Axis(1))),
    }
}

/// CART with a leaf budget: Gini on classes, squared error on values.
fn cart(max_leaves: usize, x: &Array2<f64>, answers: &Answers) -> anyhow::Result<Tree> {
    let params = TreeParams::default().max_leaves(max_leaves);
    Ok(match answers {
        Answers::Classes { y, n_classes } => {
            Tree::fit(&params, x.view(), TreeTarget::Classes { y, n_classes: *n_classes })?
        }
        Answers::Values(v) => {
            Tree::fit(&params.criterion(Criterion::SquaredError), x.view(), TreeTarget::Values(v.view()))?
        }
    })
}

/// Class agreement (classification) or R² (regression) of the tree to the teacher.
fn measure(task: Task, tree: &Array2<f64>, teacher: &Array2<f64>, seed: u64) -> anyhow::Result<Fidelity> {
    Ok(if task.is_classification() {
        class_fidelity(&argmax(tree.view()), &argmax(teacher.view()), seed)?
    } else {
        value_fidelity(tree.column(0), teacher.column(0), seed)?
    })
}

fn text(r: &Report, tree: &str) -> String {
    let show = |v: Option<f64>| v.map_or("—".into(), |v| format!("{v:.4}"));
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} extraction from {} ({}): {} validator rows, measured on {} held-out rows",
        r.method, r.teacher, r.task, r.n_train, r.n_test
    );
    let what = if r.task == "regression" { "R² to the teacher" } else { "agreement with the teacher" };
    let _ = writeln!(
        o,
        "\nfidelity ({what}): {:.4}  [95% bootstrap CI {:.4}, {:.4}]",
        r.fidelity, r.fidelity_ci[0], r.fidelity_ci[1]
    );
    let _ = writeln!(o, "accuracy: tree {}, teacher {}", show(r.accuracy), show(r.teacher_accuracy));
    let _ = writeln!(
        o,
        "{} leaves, depth {}; {} teacher queries; {:.2} s",
        r.n_leaves, r.depth, r.n_queries, r.seconds
    );
    if let Some(k) = r.mixture_components {
        let _ = writeln!(o, "input model: {k} Gaussian components");
    }
    if let Some(t) = r.teacher_seconds {
        let _ = writeln!(o, "time waiting for the teacher: {t:.2} s of {:.2} s", r.seconds);
    }
    let _ = writeln!(o, "\n{tree}");
    o
}
