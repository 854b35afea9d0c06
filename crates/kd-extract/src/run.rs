//! One extraction as a validator runs it: a named method applied to the validator's rows and a
//! teacher, then measured on held-out rows against the teacher and the truth. The `kd extract`
//! program and the Python package both run it, so they report the same figures.
//!
//! | method | what it fits | asks the teacher |
//! |---|---|---|
//! | `bastani` | CART on fresh points of a Gaussian mixture at every node ([`crate::bastani`]) | at new points |
//! | `trepan` | an m-of-n tree on kernel-density queries ([`crate::trepan`]; classifiers) | at new points |
//! | `beta` | a two-level decision set ([`crate::beta`]; classifiers) | on the rows |
//! | `born-again` | CART on the rows labelled by the teacher | on the rows |
//! | `cart` | CART on the rows' true labels (the baseline without a teacher) | never |
//!
//! `max_leaves` bounds every model: TREPAN's internal nodes at most `max_leaves − 1`, BETA's
//! rules at most `max_leaves − 1` plus the default rule.

use std::str::FromStr;

use kd_core::Task;
use kd_core::data::{Dataset, Target};
use kd_core::metrics::{accuracy, argmax};
use kd_core::teacher::Teacher;
use kd_students::tree::{Criterion, Tree, TreeParams, TreeTarget};
use kd_students::{SavedStudent, Student};
use ndarray::{Array2, ArrayView2, Axis};
use serde::Serialize;

use crate::bastani::{BastaniParams, extract};
use crate::beta::{BetaParams, DecisionSet, TuneParams, beta_tuned};
use crate::error::{Result, invalid_parameter};
use crate::fidelity::{Fidelity, class_fidelity, value_fidelity};
use crate::input::{Components, MixtureParams};
use crate::saved_rows::one_hot;
use crate::trepan::{TrepanParams, TrepanTree, trepan};
use crate::{Answers, ExtractedModel, Oracle, SavedExtraction, answers_of};

/// An extraction method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Bastani, Kim & Bastani (2017).
    Bastani,
    /// CART on the rows labelled by the teacher.
    BornAgain,
    /// CART on the rows' true labels.
    Cart,
    /// TREPAN (Craven & Shavlik 1996).
    Trepan,
    /// BETA (Lakkaraju et al. 2017).
    Beta,
}

impl Method {
    /// The method's name as the program and the report write it.
    pub fn name(self) -> &'static str {
        match self {
            Method::Bastani => "bastani",
            Method::BornAgain => "born-again",
            Method::Cart => "cart",
            Method::Trepan => "trepan",
            Method::Beta => "beta",
        }
    }
}

impl FromStr for Method {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self> {
        [Method::Bastani, Method::BornAgain, Method::Cart, Method::Trepan, Method::Beta]
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                invalid_parameter("method", format!("'{s}' (bastani, born-again, cart, trepan or beta)"))
            })
    }
}

/// The parameters of [`run`].
#[derive(Debug, Clone, PartialEq)]
pub struct RunParams {
    /// The method.
    pub method: Method,
    /// Leaf budget.
    pub max_leaves: usize,
    /// Bastani and TREPAN: points each node is decided on.
    pub samples_per_node: usize,
    /// Bastani: components of the input mixture (`None`: chosen by BIC, up to 10).
    pub components: Option<usize>,
    /// Seed of the method's draws (and of the fidelity's bootstrap in [`measure`]).
    pub seed: u64,
}

impl Default for RunParams {
    fn default() -> Self {
        Self { method: Method::Bastani, max_leaves: 16, samples_per_node: 1000, components: None, seed: 0 }
    }
}

/// What a method extracted.
#[derive(Debug, Clone)]
pub enum Extracted {
    /// A CART tree (Bastani, born-again, CART).
    Tree(Tree),
    /// An m-of-n tree (TREPAN).
    Trepan(TrepanTree),
    /// A decision set (BETA).
    Beta(DecisionSet),
}

impl Extracted {
    /// Outputs on the rows of `x`, shape `(n, n_outputs)`: class proportions or values (a
    /// tree), one-hot classes (an m-of-n tree, a decision set).
    pub fn outputs(&self, x: ArrayView2<'_, f64>, n_outputs: usize) -> Result<Array2<f64>> {
        Ok(match self {
            Extracted::Tree(tree) => tree.predict(x)?,
            Extracted::Trepan(tree) => one_hot(&tree.predict(x)?, n_outputs),
            Extracted::Beta(set) => one_hot(&set.predict(x)?, n_outputs),
        })
    }

    /// Leaves (a decision set: its rules and the default rule) and depth (a decision set: 2).
    pub fn size(&self) -> (usize, usize) {
        match self {
            Extracted::Tree(tree) => (tree.n_leaves(), tree.depth()),
            Extracted::Trepan(tree) => (tree.n_leaves(), tree.depth()),
            Extracted::Beta(set) => (set.n_rules() + 1, 2),
        }
    }

    /// The model in words, with `data`'s names, levels and classes.
    pub fn text(&self, data: &Dataset) -> String {
        let (names, classes) = (data.feature_names(), data.class_labels());
        match self {
            Extracted::Tree(tree) => tree.export_text(&names, classes),
            Extracted::Trepan(tree) => tree.export_text(&names, &data.levels(), classes),
            Extracted::Beta(set) => set.export_text(&names, &data.levels(), classes.unwrap_or_default()),
        }
    }

    /// The model as a file `kd explain` and `kd predict` read: a tree as a kd student (its
    /// teacher named unless it was fitted to the truth), an m-of-n tree or a decision set as a
    /// `kd-extracted` file.
    pub fn to_json(&self, data: &Dataset, teacher: Option<&str>) -> Result<String> {
        let extraction = |model: ExtractedModel| {
            let classes = data.class_labels().map(<[String]>::to_vec);
            SavedExtraction::new(model, teacher.unwrap_or(""), data.feature_names(), data.levels(), classes)
                .to_json()
        };
        match self {
            Extracted::Tree(tree) => {
                Ok(SavedStudent::new(Student::Tree(tree.clone()), data, teacher).to_json()?)
            }
            Extracted::Trepan(tree) => extraction(ExtractedModel::Trepan(tree.clone())),
            Extracted::Beta(set) => extraction(ExtractedModel::Beta(set.clone())),
        }
    }
}

/// A model and what its extraction cost.
#[derive(Debug, Clone)]
pub struct Run {
    /// The extracted model.
    pub model: Extracted,
    /// Questions put to the teacher (the rows, for the methods that ask about them only).
    pub n_queries: usize,
    /// Seconds spent waiting for the teacher's answers at new points.
    pub teacher_seconds: Option<f64>,
    /// Bastani: the input mixture's components.
    pub mixture_components: Option<usize>,
}

/// Runs `params.method` on rows `train` of `data`, asking `teacher` (which `cart` never asks).
/// Errors: TREPAN or BETA on a regression teacher, and whatever the method or the teacher
/// refuses.
pub fn run(params: &RunParams, data: &Dataset, train: &[usize], teacher: &mut dyn Teacher) -> Result<Run> {
    let task = data.task();
    if matches!(params.method, Method::Trepan | Method::Beta) && !task.is_classification() {
        let reason =
            format!("{} extracts classifiers; this teacher is a regression model", params.method.name());
        return Err(invalid_parameter("method", reason));
    }
    let x = data.x().select(Axis(0), train);
    let kinds = data.feature_kinds();
    let rows_only = |model: Extracted, n_queries: usize| Run {
        model,
        n_queries,
        teacher_seconds: None,
        mixture_components: None,
    };
    Ok(match params.method {
        Method::Bastani => {
            let mut oracle = Oracle::new(teacher)?;
            let bastani = BastaniParams {
                max_leaves: params.max_leaves,
                samples_per_node: params.samples_per_node,
                mixture: MixtureParams {
                    components: params.components.map_or(Components::Bic { max: 10 }, Components::Fixed),
                    seed: params.seed,
                    ..MixtureParams::default()
                },
                seed: params.seed,
                ..BastaniParams::default()
            };
            let found = extract(&bastani, x.view(), &kinds, &mut oracle)?;
            Run {
                mixture_components: Some(found.mixture.components.len()),
                model: Extracted::Tree(found.tree),
                n_queries: found.n_queries,
                teacher_seconds: Some(found.teacher_seconds),
            }
        }
        Method::Trepan => {
            let mut oracle = Oracle::new(teacher)?;
            let trepan_params = TrepanParams {
                min_samples: params.samples_per_node,
                max_internal: params.max_leaves.saturating_sub(1).max(1),
                ..TrepanParams::default()
            };
            let tree = trepan(&trepan_params, x.view(), &kinds, &mut oracle, params.seed)?;
            Run {
                model: Extracted::Trepan(tree),
                n_queries: oracle.queries(),
                teacher_seconds: Some(oracle.teacher_seconds()),
                mixture_components: None,
            }
        }
        Method::Beta => {
            let Answers::Classes { y, n_classes } = answers_of(task, teacher.predict_rows(data, train)?)
            else {
                return Err(invalid_parameter("method", "BETA needs the teacher's classes"));
            };
            let beta = BetaParams {
                max_rules: params.max_leaves.saturating_sub(1).max(1),
                seed: params.seed,
                ..BetaParams::default()
            };
            let tune = TuneParams { seed: params.seed, ..TuneParams::default() };
            rows_only(
                Extracted::Beta(beta_tuned(&beta, &tune, x.view(), &kinds, &y, n_classes)?.set),
                train.len(),
            )
        }
        Method::BornAgain => {
            let answers = answers_of(task, teacher.predict_rows(data, train)?);
            rows_only(Extracted::Tree(cart(params.max_leaves, x.view(), &answers)?), train.len())
        }
        Method::Cart => {
            rows_only(Extracted::Tree(cart(params.max_leaves, x.view(), &true_answers(data, train))?), 0)
        }
    })
}

/// A model measured on held-out rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measured {
    /// Class agreement with the teacher (classification) or R² to its values.
    pub fidelity: f64,
    /// The fidelity's 95% bootstrap interval.
    pub fidelity_ci: [f64; 2],
    /// Accuracy of the model on the true classes (classification).
    pub accuracy: Option<f64>,
    /// Accuracy of the teacher on the true classes (classification).
    pub teacher_accuracy: Option<f64>,
}

/// One extraction as `kd extract --format json` and the Python package's `kd.extract` report
/// it: the method, the teacher and the rows, the model's size, its [`Measured`] figures, and
/// the queries it took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtractionReport {
    /// The method's name.
    pub method: &'static str,
    /// The teacher, as the user named it.
    pub teacher: String,
    /// The task's name.
    pub task: &'static str,
    /// Rows the extraction learnt from.
    pub n_train: usize,
    /// Held-out rows it was measured on.
    pub n_test: usize,
    /// Leaves (a decision set: rules and the default).
    pub n_leaves: usize,
    /// Depth (a decision set: 2).
    pub depth: usize,
    /// Fidelity and accuracies on the held-out rows.
    #[serde(flatten)]
    pub measured: Measured,
    /// Questions put to the teacher ([`Run::n_queries`]).
    pub n_queries: usize,
    /// Seconds waiting for the teacher at new points.
    pub teacher_seconds: Option<f64>,
    /// Bastani: the input mixture's components.
    pub mixture_components: Option<usize>,
}

impl ExtractionReport {
    /// The report of `run` (by `method`, from `teacher`, on `data`'s task) learnt on `n_train`
    /// rows and `measured` on `n_test` held-out rows.
    pub fn new(
        method: Method,
        teacher: &str,
        data: &Dataset,
        (n_train, n_test): (usize, usize),
        run: &Run,
        measured: Measured,
    ) -> Self {
        let (n_leaves, depth) = run.model.size();
        Self {
            method: method.name(),
            teacher: teacher.to_owned(),
            task: data.task().name(),
            n_train,
            n_test,
            n_leaves,
            depth,
            measured,
            n_queries: run.n_queries,
            teacher_seconds: run.teacher_seconds,
            mixture_components: run.mixture_components,
        }
    }
}

/// Measures `model` on rows `test` of `data` (features and truth) against the teacher's outputs
/// on them, `teacher_test` (shape `(test.len(), outputs)`); `seed` draws the bootstrap.
pub fn measure(
    model: &Extracted,
    data: &Dataset,
    test: &[usize],
    teacher_test: &Array2<f64>,
    seed: u64,
) -> Result<Measured> {
    let outputs = model.outputs(data.x().select(Axis(0), test).view(), teacher_test.ncols())?;
    let fidelity: Fidelity = if data.task() == Task::Regression {
        value_fidelity(outputs.column(0), teacher_test.column(0), seed)?
    } else {
        class_fidelity(&argmax(outputs.view()), &argmax(teacher_test.view()), seed)?
    };
    let (accuracy, teacher_accuracy) = match data.target() {
        Target::Classes { y, .. } => {
            let truth: Vec<usize> = test.iter().map(|&r| y[r]).collect();
            (
                Some(accuracy(&truth, &argmax(outputs.view()))?),
                Some(accuracy(&truth, &argmax(teacher_test.view()))?),
            )
        }
        Target::Values(_) => (None, None),
    };
    Ok(Measured {
        fidelity: fidelity.value,
        fidelity_ci: [fidelity.ci.0, fidelity.ci.1],
        accuracy,
        teacher_accuracy,
    })
}

/// The true answers of rows `rows`.
fn true_answers(data: &Dataset, rows: &[usize]) -> Answers {
    match data.target() {
        Target::Classes { y, labels } => {
            Answers::Classes { y: rows.iter().map(|&r| y[r]).collect(), n_classes: labels.len() }
        }
        Target::Values(v) => Answers::Values(v.select(Axis(0), rows).insert_axis(Axis(1))),
    }
}

/// CART with a leaf budget: Gini on classes, squared error on values.
fn cart(max_leaves: usize, x: ArrayView2<'_, f64>, answers: &Answers) -> Result<Tree> {
    let params = TreeParams::default().max_leaves(max_leaves);
    Ok(match answers {
        Answers::Classes { y, n_classes } => {
            Tree::fit(&params, x, TreeTarget::Classes { y, n_classes: *n_classes })?
        }
        Answers::Values(v) => {
            Tree::fit(&params.criterion(Criterion::SquaredError), x, TreeTarget::Values(v.view()))?
        }
    })
}
