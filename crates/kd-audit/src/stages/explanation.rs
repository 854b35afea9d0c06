//! The explanation stage: the model distilled into students a person can read, each measured by
//! its fidelity to the model on development rows it was not fitted on.
//!
//! - A born-again tree: CART (squared error, scikit-learn's exact splits, level-set splits of
//!   categorical features) on the model's score, depth `explanation.tree_max_depth`.
//! - A boosted GAM (interpret's EBM schedule with the audit's `[gam]` settings) on the model's
//!   score through the logit (probabilities) or the identity (values): one shape function per
//!   feature with a band of ±1.96 bag standard deviations.
//! - A Bastani tree (Bastani, Kim & Bastani 2017) of the same depth, grown on points drawn from
//!   a Gaussian mixture of the fitting rows and labelled by querying the model (queryable
//!   models only): the model's classes for a binary model, its values otherwise.
//!
//! Fidelity: R² of the student's score to the model's on the held-out rows, and for a binary
//! model the agreement of their classes (score above ½), each with a 95% percentile bootstrap
//! interval over 1,000 resamples of the rows (kd-extract's `fidelity`).

use kd_core::Task;
use kd_core::data::train_test_split;
use kd_core::teacher::Teacher;
use kd_extract::Oracle;
use kd_extract::bastani::{BastaniParams, extract};
use kd_extract::fidelity::{Fidelity, class_fidelity, value_fidelity};
use kd_extract::input::{FeatureKind, MixtureParams};
use kd_students::gam::{BoostedGam, Link};
use kd_students::tree::{Criterion, Tree, TreeParams, TreeTarget};
use ndarray::{Array1, Array2, Axis};
use serde::Serialize;

use crate::error::{Result, at};
use crate::samples::Sample;
use crate::spec::Spec;

const STAGE: &str = "explanation";

/// A student's fidelity to the model on the held-out rows.
#[derive(Debug, Clone, Serialize)]
pub struct StudentFidelity {
    /// R² of the student's score to the model's.
    pub r2: Fidelity,
    /// Agreement of classes (binary models).
    pub agreement: Option<Fidelity>,
}

/// A distilled or extracted tree.
#[derive(Debug, Clone, Serialize)]
pub struct TreeStudent {
    /// "born-again" or "bastani".
    pub method: &'static str,
    /// The tree (node values: the mean score, or class shares for a Bastani tree of a binary
    /// model).
    pub tree: Tree,
    /// Leaves.
    pub leaves: usize,
    /// Depth.
    pub depth: usize,
    /// Fidelity on the held-out rows.
    pub fidelity: StudentFidelity,
    /// Points the model was asked about (Bastani).
    pub queries: Option<usize>,
}

/// One point of a shape function.
#[derive(Debug, Clone, Serialize)]
pub struct ShapePoint {
    /// The bin's position: a representative value, or a level code.
    pub x: f64,
    /// The level's name (categorical features).
    pub level: Option<String>,
    /// The term's score on the link scale.
    pub score: f64,
    /// `score − 1.96·sd` over the bags.
    pub low: f64,
    /// `score + 1.96·sd`.
    pub high: f64,
    /// Fitting rows in the bin.
    pub count: usize,
}

/// One shape function of the GAM.
#[derive(Debug, Clone, Serialize)]
pub struct Shape {
    /// The feature.
    pub feature: String,
    /// Mean absolute score over the fitting rows (interpret's importance).
    pub importance: f64,
    /// Its points.
    pub points: Vec<ShapePoint>,
    /// The missing-value bin's score, when the feature had holes in training (its `level` is
    /// `(missing)`, its `x` 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<ShapePoint>,
}

/// The distilled GAM.
#[derive(Debug, Clone, Serialize)]
pub struct GamStudent {
    /// Shape functions by importance.
    pub shapes: Vec<Shape>,
    /// Intercept on the link scale.
    pub intercept: f64,
    /// Fidelity on the held-out rows.
    pub fidelity: StudentFidelity,
}

/// The stage's result.
#[derive(Debug, Clone, Serialize)]
pub struct ExplanationReport {
    /// Rows the students were fitted on.
    pub n_fit: usize,
    /// Rows their fidelity was measured on.
    pub n_holdout: usize,
    /// The scale of the shape functions.
    pub scale: String,
    /// The born-again tree.
    pub born_again: TreeStudent,
    /// The Bastani tree.
    pub bastani: Option<TreeStudent>,
    /// Why there is none.
    pub bastani_skipped: Option<String>,
    /// The GAM.
    pub gam: GamStudent,
    /// The features' names, in the model's order (the trees' feature indices).
    pub feature_names: Vec<String>,
    /// Their levels (categorical features).
    pub feature_levels: Vec<Option<Vec<String>>>,
}

/// The model under review as the explanation stage sees it.
pub struct Model<'a> {
    /// Binary or regression.
    pub task: Task,
    /// The bad outcome's class index and label (binary).
    pub bad: Option<(usize, String)>,
    /// The model, for the Bastani tree's queries.
    pub teacher: &'a mut dyn Teacher,
}

/// Runs the stage on the development sample (it queries the model for the Bastani tree).
pub fn run(spec: &Spec, dev: &Sample, model: Model<'_>) -> Result<ExplanationReport> {
    let data = &dev.data;
    let e = &spec.explanation;
    let strata: Option<Vec<usize>> =
        (model.task == Task::Binary).then(|| dev.outcome.iter().map(|&y| y as usize).collect());
    let split = train_test_split(data.n_rows(), e.holdout_fraction, spec.seed, strata.as_deref())
        .map_err(at(STAGE))?;
    let x_fit = data.x().select(Axis(0), &split.train);
    let x_out = data.x().select(Axis(0), &split.test);
    let score = Array1::from(dev.score.clone());
    let (y_fit, y_out) = (score.select(Axis(0), &split.train), score.select(Axis(0), &split.test));
    let levels: Vec<Option<Vec<String>>> = data.features().iter().map(|f| f.levels.clone()).collect();
    let names: Vec<String> = data.features().iter().map(|f| f.name.clone()).collect();
    let measure = |student: &Array1<f64>| -> Result<StudentFidelity> {
        let r2 = value_fidelity(student.view(), y_out.view(), spec.seed).map_err(at(STAGE))?;
        let agreement = match model.task {
            Task::Binary => {
                let classes = |s: &Array1<f64>| s.iter().map(|&p| usize::from(p > 0.5)).collect::<Vec<_>>();
                Some(class_fidelity(&classes(student), &classes(&y_out), spec.seed).map_err(at(STAGE))?)
            }
            _ => None,
        };
        Ok(StudentFidelity { r2, agreement })
    };

    let params = TreeParams::default()
        .criterion(Criterion::SquaredError)
        .max_depth(e.tree_max_depth)
        .min_samples_leaf(e.tree_min_samples_leaf);
    let target = y_fit.clone().insert_axis(Axis(1));
    let tree = Tree::fit_with_levels(&params, x_fit.view(), TreeTarget::Values(target.view()), &levels)
        .map_err(at(STAGE))?;
    let tree_out = tree.predict(x_out.view()).map_err(at(STAGE))?.column(0).to_owned();
    let born_again = TreeStudent {
        method: "born-again",
        leaves: tree.n_leaves(),
        depth: tree.depth(),
        fidelity: measure(&tree_out)?,
        tree,
        queries: None,
    };

    let link = if model.task == Task::Binary { Link::Logit } else { Link::Identity };
    let gam_params = spec.gam.params(link, spec.gam.outer_bags, spec.seed);
    let gam = BoostedGam::fit(&gam_params, x_fit.view(), y_fit.view(), link).map_err(at(STAGE))?;
    let eta = gam.predict_link(x_out.view()).map_err(at(STAGE))?;
    let gam_out = match link {
        Link::Logit => eta.mapv(|z| 1.0 / (1.0 + (-z).exp())),
        Link::Identity => eta,
    };
    let gam_student = GamStudent {
        shapes: shapes(&gam, &names, &levels),
        intercept: gam.intercept,
        fidelity: measure(&gam_out)?,
    };

    let (bastani, bastani_skipped) = if !e.bastani {
        (None, Some("switched off in the spec (explanation.bastani = false)".to_owned()))
    } else if !model.teacher.is_queryable() {
        (
            None,
            Some(
                "the model is given by stored scores (column:), so it cannot be queried at new points"
                    .to_owned(),
            ),
        )
    } else {
        let kinds: Vec<FeatureKind> = levels
            .iter()
            .map(|l| {
                l.as_ref().map_or(FeatureKind::Numeric, |l| FeatureKind::Categorical { levels: l.len() })
            })
            .collect();
        let params = BastaniParams {
            max_leaves: 1 << e.tree_max_depth.min(10),
            max_depth: Some(e.tree_max_depth),
            samples_per_node: e.bastani_samples_per_node,
            mixture: MixtureParams { seed: spec.seed, ..MixtureParams::default() },
            seed: spec.seed,
            ..BastaniParams::default()
        };
        let bad = model.bad.as_ref().map(|b| b.0);
        let mut oracle = Oracle::new(model.teacher).map_err(at(STAGE))?;
        let found = extract(&params, x_fit.view(), &kinds, &mut oracle).map_err(at(STAGE))?;
        let out: Array2<f64> = found.tree.predict(x_out.view()).map_err(at(STAGE))?;
        let column = bad.unwrap_or(0).min(out.ncols() - 1);
        let student = out.column(column).to_owned();
        (
            Some(TreeStudent {
                method: "bastani",
                leaves: found.tree.n_leaves(),
                depth: found.tree.depth(),
                fidelity: measure(&student)?,
                tree: found.tree,
                queries: Some(found.n_queries),
            }),
            None,
        )
    };
    Ok(ExplanationReport {
        n_fit: split.train.len(),
        n_holdout: split.test.len(),
        scale: match link {
            Link::Logit => {
                format!("log-odds of '{}'", model.bad.as_ref().map(|b| b.1.clone()).unwrap_or_default())
            }
            Link::Identity => format!("the units of '{}'", data.target_name()),
        },
        born_again,
        bastani,
        bastani_skipped,
        gam: gam_student,
        feature_names: names,
        feature_levels: levels,
    })
}

/// The GAM's main terms as shape functions, by importance; `names` and `levels` are the
/// features' names and categorical levels.
pub(crate) fn shapes(gam: &BoostedGam, names: &[String], levels: &[Option<Vec<String>>]) -> Vec<Shape> {
    let mut out: Vec<Shape> = gam
        .terms
        .iter()
        .filter(|t| t.features.len() == 1)
        .map(|term| {
            let f = term.features[0];
            let (name, levels) =
                (names.get(f).cloned().unwrap_or_else(|| format!("feature {f}")), levels.get(f));
            let table = term.shape_table();
            let point = |b: usize, x: f64, level: Option<String>| {
                table.get(b).map(|row| ShapePoint {
                    x,
                    level,
                    score: row.score,
                    low: row.band_lower,
                    high: row.band_upper,
                    count: row.count,
                })
            };
            let points: Vec<ShapePoint> = match levels.and_then(Option::as_ref) {
                // One point per level: the bin its code falls in.
                Some(levels) => levels
                    .iter()
                    .enumerate()
                    .filter_map(|(c, name)| {
                        let b = term.edges[0].partition_point(|&e| e < c as f64);
                        point(b, c as f64, Some(name.clone()))
                    })
                    .filter(|p| p.count > 0)
                    .collect(),
                None => {
                    let x = term.bin_positions();
                    table
                        .iter()
                        .enumerate()
                        .filter(|(_, row)| row.count > 0 && !row.missing)
                        .filter_map(|(b, _)| point(b, x.get(b).copied().unwrap_or(0.0), None))
                        .collect()
                }
            };
            let missing = table
                .iter()
                .position(|row| row.missing && row.count > 0)
                .and_then(|b| point(b, 0.0, Some("(missing)".into())));
            Shape { feature: name, importance: term.importance(), points, missing }
        })
        .collect();
    out.sort_by(|a, b| b.importance.total_cmp(&a.importance));
    out
}
