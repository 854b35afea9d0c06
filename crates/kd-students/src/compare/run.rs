//! Distill-and-Compare of one dataset, start to end, as `kd compare` and the Python package's
//! `kd.compare` run it: the shapes of every feature, then the test of every candidate column.

use kd_core::data::columns::values;
use kd_core::data::{Dataset, Table};
use kd_core::plot::{Curve, Panel, panels_svg};
use ndarray::{Array1, ArrayView1};

use super::{
    Audited, CandidateTest, CompareParams, ComparisonReport, FeatureComparison, GridPoint, candidate_test,
    compare_shapes,
};
use crate::error::{Result, invalid_parameter};
use crate::link::Link;

/// What [`distill_and_compare`] found, with what it needs to be reported.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The task's name (binary, multiclass or regression).
    pub task: &'static str,
    /// The shapes' scale ([`Audited::link`]).
    pub scale: String,
    /// The class audited against the others (a classification target).
    pub class: Option<String>,
    /// Rows compared.
    pub n_rows: usize,
    /// The settings used.
    pub params: CompareParams,
    /// The features' names, in feature order.
    pub names: Vec<String>,
    /// Every feature's comparison, in feature order.
    pub comparisons: Vec<FeatureComparison>,
    /// The candidate columns, in the order given.
    pub candidates: Vec<String>,
    /// Each candidate's test, in the same order.
    pub tests: Vec<CandidateTest>,
}

/// The audit data and settings of [`distill_and_compare`], checked before the teacher is asked:
/// valid settings, the class audited (or a regression target), and each candidate column read at the rows
/// `data` uses.
#[derive(Debug, Clone)]
pub struct CompareInputs<'a> {
    params: CompareParams,
    data: &'a Dataset,
    audited: Audited,
    link: Link,
    scale: String,
    candidates: Vec<String>,
    columns: Vec<Array1<f64>>,
}

impl<'a> CompareInputs<'a> {
    /// `params`, `data` (the candidates left out of its features), the columns of `table`
    /// named in `candidates`, as numbers or level codes, and the `class` audited against the
    /// others ([`Audited::of`]: by default a binary target's class 1, the second of its labels).
    ///
    /// # Errors
    /// Invalid `params`; a class that [`Audited::of`] refuses; a candidate that is not a
    /// column of `table` or has a missing cell at a used row.
    pub fn new(
        params: &CompareParams,
        table: &Table,
        data: &'a Dataset,
        candidates: &[String],
        class: Option<&str>,
    ) -> Result<Self> {
        params.check()?;
        let audited = Audited::of(data, class)?;
        let (link, scale) = audited.link();
        let columns = candidates
            .iter()
            .map(|name| values(table, name, data.source_rows()).map(Array1::from))
            .collect::<std::result::Result<_, _>>()?;
        Ok(Self {
            params: params.clone(),
            data,
            audited,
            link,
            scale,
            candidates: candidates.to_vec(),
            columns,
        })
    }

    /// What is audited.
    pub fn audited(&self) -> &Audited {
        &self.audited
    }
}

/// Compares a mimic GAM of `scores` (one per row of the data: the teacher's probability of
/// the audited class, or values) with an outcome GAM of the data's target ([`compare_shapes`]), then
/// tests each candidate column ([`candidate_test`]), with the settings of `inputs`.
///
/// # Errors
/// `scores` of another length than the data's rows.
pub fn distill_and_compare(inputs: &CompareInputs<'_>, scores: ArrayView1<'_, f64>) -> Result<Comparison> {
    let (data, params) = (inputs.data, &inputs.params);
    if scores.len() != data.n_rows() {
        return Err(invalid_parameter(
            "teacher",
            format!("it gave {} scores for {} rows", scores.len(), data.n_rows()),
        ));
    }
    let outcome = inputs.audited.outcome(data)?;
    let comparisons = compare_shapes(params, data.x().view(), outcome.view(), scores, inputs.link)?;
    let tests = inputs
        .columns
        .iter()
        .map(|c| candidate_test(params, data.x().view(), c.view(), scores, inputs.link))
        .collect::<Result<_>>()?;
    Ok(Comparison {
        task: data.task().name(),
        scale: inputs.scale.clone(),
        class: match &inputs.audited {
            Audited::Class { label, .. } => Some(label.clone()),
            Audited::Values => None,
        },
        n_rows: data.n_rows(),
        params: params.clone(),
        names: data.features().iter().map(|f| f.name.clone()).collect(),
        comparisons,
        candidates: inputs.candidates.clone(),
        tests,
    })
}

impl Comparison {
    /// Both shape functions of every feature, a panel each (titled with the feature's name and
    /// `(differs)` when flagged), on the shapes' scale, as an SVG document.
    ///
    /// # Errors
    /// The chart cannot be drawn.
    pub fn svg(&self) -> Result<String> {
        let panels: Vec<Panel> = self
            .comparisons
            .iter()
            .map(|c| {
                let curve = |label: &str, f: fn(&GridPoint) -> f64| Curve {
                    label: label.into(),
                    points: c.grid.iter().map(|p| (p.value, f(p))).collect(),
                    band: c.grid.iter().map(|p| (p.value, f(p), f(p))).collect(),
                };
                let flag = if c.flagged { " (differs)" } else { "" };
                Panel {
                    title: format!("{}{flag}", self.names[c.feature]),
                    curves: vec![curve("mimic (teacher)", |p| p.mimic), curve("outcome", |p| p.outcome)],
                }
            })
            .collect();
        Ok(panels_svg(&self.scale, &panels)?)
    }

    /// The report as `kd compare --format json` writes it (without the teacher and the time).
    pub fn report(&self) -> ComparisonReport<'_> {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        let report = ComparisonReport::new(
            self.task,
            &self.scale,
            self.n_rows,
            &self.params,
            &names,
            &self.comparisons,
            &self.candidates,
            &self.tests,
        );
        ComparisonReport { class: self.class.as_deref(), ..report }
    }
}
