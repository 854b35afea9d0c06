//! `kd._kd`, the native half of the Python package `kd`: it translates between Python and the
//! kd crates and holds no statistics of its own. Data arrive as a header and text cells per
//! column, typed by kd-core's CSV rule (`table_from_cells`), so that a data frame is read
//! exactly as its CSV file would be and the numbers equal the `kd` program's; models travel as
//! `kd-student` JSON; reports as JSON. Rust works with the GIL released. Every kd error is a
//! Python `ValueError` carrying kd's message (which names the row and column).

use std::path::Path;

use kd_core::data::{
    Dataset, DatasetSpec, FitTarget, MissingPolicy, ReadOptions, Table, TaskHint, describe as describe_table,
    table_from_cells, train_test_split,
};
use kd_extract::{RowScore, SavedModel};
use kd_students::sql::Dialect;
use kd_students::{DistillReport, Distilled, SavedStudent, StudentKind, Unseen, fit_student};
use ndarray::{Array2, Axis};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

mod compare;
mod extract;
mod params;
mod teacher;
mod validate;

/// A kd error as a Python `ValueError` with kd's message.
fn value_error(error: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(error.to_string())
}

/// The name data frames go by in kd's messages; "line n" is the frame's n-th row.
const FRAME: &str = "data frame";

/// The table of a frame given as its column `names` and text `cells` per column (missing cells
/// empty), row `i` numbered `i + 1` in messages.
fn table(names: Vec<String>, cells: Vec<Vec<String>>) -> PyResult<Table> {
    named_table(FRAME, names, cells, Vec::new())
}

/// [`table`] of a frame that messages call `name`, reading the `categorical` columns as
/// categories even when their cells are numbers (grades, flags).
fn named_table(
    name: &str,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    categorical: Vec<String>,
) -> PyResult<Table> {
    let n = cells.first().map_or(0, Vec::len) as u64;
    let options = ReadOptions { categorical, ..ReadOptions::default() };
    table_from_cells(Path::new(name), names, cells, (1..=n).collect(), &options).map_err(value_error)
}

/// `kd describe` of a frame, as its JSON document; `text` as `--text` (columns read and
/// reported as free text).
#[pyfunction]
fn describe(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    text: Vec<String>,
) -> PyResult<String> {
    let table = named_table(FRAME, names, cells, text.clone())?;
    py.detach(|| serde_json::to_string(&describe_table(&table, &text)).map_err(value_error))
}

/// The data set of a frame with `target`: its task, class labels, features and their levels as
/// JSON (`{"task": ..., "classes": [...] | null, "features": [...], "levels": [[...] | null]}`).
/// With `test` (a second frame's names and cells), that frame is checked too, as `kd.distill`
/// will read it, so that a bad one is refused before the teacher is asked.
#[pyfunction]
#[pyo3(signature = (names, cells, target, missing, test=None))]
fn dataset(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    target: String,
    missing: &str,
    test: Option<(Vec<String>, Vec<Vec<String>>)>,
) -> PyResult<String> {
    let table = table(names, cells)?;
    let test = test.map(|(names, cells)| test_table(names, cells)).transpose()?;
    let missing = missing_policy(missing)?;
    py.detach(|| {
        let data = load(&table, &target, missing)?;
        if let Some(test) = &test {
            held_out(test, &data, &target, missing)?;
        }
        let doc = serde_json::json!({
            "task": data.task().name(), "classes": data.class_labels(), "features": data.feature_names(),
            "levels": data.levels(),
        });
        Ok(doc.to_string())
    })
}

fn load(table: &Table, target: &str, missing: MissingPolicy) -> PyResult<Dataset> {
    let spec =
        DatasetSpec { target: target.to_owned(), task: TaskHint::Auto, missing, ..DatasetSpec::default() };
    Dataset::from_table(table, &spec).map_err(value_error)
}

/// The table of `kd.distill`'s `test=` frame, named so in messages.
fn test_table(names: Vec<String>, cells: Vec<Vec<String>>) -> PyResult<Table> {
    named_table("test frame", names, cells, Vec::new())
}

/// The held-out frame `test` read as `data` was, its target as the same kind of task and its
/// categories coded to `data`'s levels (as `--test FILE`); a level `data` lacks is refused.
fn held_out(test: &Table, data: &Dataset, target: &str, missing: MissingPolicy) -> PyResult<Dataset> {
    let spec = DatasetSpec {
        target: target.to_owned(),
        task: TaskHint::like(data.task()),
        missing,
        ..DatasetSpec::default()
    };
    Dataset::from_table(test, &spec).and_then(|raw| raw.aligned_to(data)).map_err(value_error)
}

/// The `missing` keyword: `"error"` (a missing cell is refused, naming its row and column) or
/// `"bin"` (kept for a student with a place for missing values: scorecard, tree, boosted GAM). Dropping rows is left to
/// pandas (`dropna`), so that the teacher's outputs and the rows stay one to one.
fn missing_policy(missing: &str) -> PyResult<MissingPolicy> {
    match missing {
        "error" => Ok(MissingPolicy::Error),
        "bin" => Ok(MissingPolicy::Bin),
        other => Err(value_error(format!(
            "missing='{other}': use 'error' or 'bin' (drop rows with pandas' dropna)"
        ))),
    }
}

/// The teacher's `outputs` on the `n` rows of the frame called `frame` as an `(n, k)` array,
/// refused when their count or widths do not fit.
pub(crate) fn outputs_array(outputs: &[Vec<f64>], n: usize, frame: &str) -> PyResult<Array2<f64>> {
    let k = outputs.first().map_or(0, Vec::len);
    if outputs.len() != n || outputs.iter().any(|r| r.len() != k) {
        return Err(value_error(format!(
            "the teacher gave {} rows of outputs for the {n} rows of the {frame}",
            outputs.len()
        )));
    }
    Ok(Array2::from_shape_fn((n, k), |(i, j)| outputs[i][j]))
}

/// `kd distill` on a frame: the same split (`test_fraction`, `seed`, stratified), the student
/// `student` with `options` (JSON, the CLI's flags by their names) fitted to the teacher's
/// `outputs` on the training rows (every row's outputs, shape `(n, k)`) or, with `labels`, to
/// their true labels (`--labels`), measured on the held-out rows. With `test` (a second frame's
/// names, cells and the teacher's outputs on it), as `--test`: the student learns from every
/// row of the first frame and is measured on the second, coded to the first one's levels.
/// Returns the saved student and the report, both JSON.
#[pyfunction]
#[pyo3(signature = (names, cells, target, outputs, student, options, test_fraction, seed, teacher, missing, labels, test=None))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)] // one Python call's keyword arguments
fn distill(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    target: String,
    outputs: Vec<Vec<f64>>,
    student: String,
    options: String,
    test_fraction: f64,
    seed: u64,
    teacher: String,
    missing: &str,
    labels: bool,
    test: Option<(Vec<String>, Vec<Vec<String>>, Vec<Vec<f64>>)>,
) -> PyResult<(String, String)> {
    let table = table(names, cells)?;
    let test =
        test.map(|(names, cells, outputs)| test_table(names, cells).map(|t| (t, outputs))).transpose()?;
    let missing = missing_policy(missing)?;
    py.detach(|| {
        let data = load(&table, &target, missing)?;
        let answers = outputs_array(&outputs, data.n_rows(), FRAME)?;
        // The held-out rows: a split of the frame, or the test frame coded to its levels.
        let test = match &test {
            None => None,
            Some((test_table, outputs)) => {
                let aligned = held_out(test_table, &data, &target, missing)?;
                let test_answers = outputs_array(outputs, aligned.n_rows(), "test frame")?;
                Some((aligned, test_answers))
            }
        };
        let (train, test_rows): (Vec<usize>, Vec<usize>) = match &test {
            None => {
                let split = train_test_split(data.n_rows(), test_fraction, seed, data.classes())
                    .map_err(value_error)?;
                (split.train, split.test)
            }
            Some((aligned, _)) => ((0..data.n_rows()).collect(), (0..aligned.n_rows()).collect()),
        };
        let (test_set, test_answers) = test.as_ref().map_or((&data, &answers), |(d, a)| (d, a));
        let kind: StudentKind = student.parse().map_err(value_error)?;
        let params = params::student_params(kind, &data, &options, seed)?;
        let x_train = data.x().select(Axis(0), &train);
        let teacher_train = answers.select(Axis(0), &train);
        let truth_train = data.target().select(&train);
        let fit_target =
            if labels { FitTarget::labels(&truth_train) } else { FitTarget::Teacher(teacher_train.view()) };
        let fitted = fit_student(&params, x_train.view(), data.features(), data.task(), fit_target)
            .map_err(value_error)?;
        let x_test = test_set.x().select(Axis(0), &test_rows);
        let student_test = fitted.predict(x_test.view()).map_err(value_error)?;
        let teacher_test = test_answers.select(Axis(0), &test_rows);
        let truth = test_set.target().select(&test_rows);
        let distilled = Distilled {
            student: kind.name(),
            task: data.task().name(),
            teacher: teacher.clone(),
            fitted_to: Distilled::fitted_to(labels),
            n_train: train.len(),
            n_test: test_rows.len(),
            dropped_rows: data.dropped_rows(),
        };
        let complexity = fitted.complexity();
        let report = DistillReport::measure(
            distilled,
            data.task(),
            &truth,
            student_test.view(),
            teacher_test.view(),
            complexity,
        );
        let report = serde_json::to_string(&report).map_err(value_error)?;
        let source = (!labels).then_some(teacher.as_str());
        let saved = SavedStudent::new(fitted, &data, source).to_json().map_err(value_error)?;
        Ok((saved, report))
    })
}

fn saved(json: &str) -> PyResult<SavedStudent> {
    SavedStudent::from_json(json).map_err(value_error)
}

/// `kd predict` of a frame with a saved student or extraction: the output columns' names
/// (a scorecard's score last), then per row its values (empty for a row the model cannot
/// score), the reason it is not scored, and its top `reasons` reasons' texts (an extraction
/// gives one, the rule that decided the row).
#[pyfunction]
#[allow(clippy::type_complexity)] // the names, then three parallel lists, one per row
fn predict(
    py: Python<'_>,
    model: String,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    fallback: bool,
    reasons: usize,
) -> PyResult<(Vec<String>, Vec<Vec<f64>>, Vec<Option<String>>, Vec<Vec<String>>)> {
    let table = table(names, cells)?;
    py.detach(|| {
        let model = SavedModel::from_json(&model).map_err(value_error)?;
        let unseen = if fallback { Unseen::Fallback } else { Unseen::Error };
        let scores = model.score(&table, unseen, reasons).map_err(value_error)?;
        let (values, texts) = scores
            .by_row()
            .map(|(_, row)| match row {
                RowScore::Scored { values, reasons } => (values.to_vec(), reasons.to_vec()),
                RowScore::Unscored(_) => (Vec::new(), Vec::new()),
            })
            .unzip();
        Ok((scores.names, values, scores.unscored, texts))
    })
}

/// The additive student's contributions for the rows of a frame: its terms, intercepts and
/// values `(n, predictors, terms)` as nested lists; `None` for a tree.
#[pyfunction]
#[allow(clippy::type_complexity)] // terms, intercepts, values
fn contributions(
    py: Python<'_>,
    student: String,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
) -> PyResult<Option<(Vec<String>, Vec<f64>, Vec<Vec<Vec<f64>>>)>> {
    let table = table(names, cells)?;
    py.detach(|| {
        let saved = saved(&student)?;
        let rows = saved.rows(&table, Unseen::Error).map_err(value_error)?;
        let Some(found) = saved.student.contributions(rows.x.view(), &saved.features) else {
            return Ok(None);
        };
        let c = found.map_err(value_error)?;
        let values =
            c.values.outer_iter().map(|row| row.outer_iter().map(|p| p.to_vec()).collect()).collect();
        Ok(Some((c.terms, c.intercept.to_vec(), values)))
    })
}

/// `kd explain` of a saved student (text).
#[pyfunction]
fn explain(student: String) -> PyResult<String> {
    let saved = saved(&student)?;
    Ok(saved.student.explain(&saved.features, saved.classes.as_deref()))
}

/// A tree's or a boosted GAM's drawing as the audit report draws it (HTML with inline SVG;
/// `None` for other students).
#[pyfunction]
fn diagram(student: String) -> PyResult<Option<String>> {
    Ok(kd_audit::diagram::student_html(&saved(&student)?))
}

/// A validation report (`kd.validate`'s JSON) as the HTML page `kd validate --format html`
/// writes.
#[pyfunction]
fn validation_html(report: String) -> PyResult<String> {
    let doc: serde_json::Value = serde_json::from_str(&report).map_err(value_error)?;
    Ok(kd_audit::html::validation::render(&doc))
}

/// A scorecard's points table as JSON rows: a WoE scorecard's classes, or the quantile bins of a
/// logistic student fitted with a points table (`None` for other students).
#[pyfunction]
fn points_table(student: String) -> PyResult<Option<String>> {
    let saved = saved(&student)?;
    let rows = match &saved.student {
        kd_students::Student::Scorecard(card) => serde_json::to_string(&card.points_table()),
        kd_students::Student::Logistic(model) => match &model.scorecard {
            Some(card) => serde_json::to_string(&card.bins),
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    rows.map(Some).map_err(value_error)
}

/// `kd export --to sql` of a saved student, or of a saved m-of-n tree or decision set.
#[pyfunction]
fn to_sql(model: String, dialect: String, table: String) -> PyResult<String> {
    let dialect = Dialect::parse(&dialect).ok_or_else(|| {
        value_error(format!("invalid dialect: '{dialect}' (ansi, postgres, duckdb or sqlite)"))
    })?;
    SavedModel::from_json(&model).and_then(|m| m.to_sql(dialect, &table)).map_err(value_error)
}

/// `kd hypotheses` on a frame: the regression battery of the numeric `target` on the features
/// (categorical ones treatment-coded), as the JSON of `kd hypotheses --format json` (its influence summary naming a
/// row's line as the frame's row number, from 1). `options` are the program's flags by their
/// names, absent ones at its defaults.
#[pyfunction]
fn hypotheses(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    target: String,
    options: String,
) -> PyResult<String> {
    let table = table(names, cells)?;
    let options = params::battery_options(&options)?;
    py.detach(|| {
        options.check().map_err(value_error)?;
        let spec = DatasetSpec { target, task: TaskHint::Regression, ..DatasetSpec::default() };
        let data = Dataset::from_table(&table, &spec).map_err(value_error)?;
        let ols = kd_hypotheses::regression::Ols::fit_dataset(&data).map_err(value_error)?;
        let battery = kd_hypotheses::regression::battery(&ols, &options).map_err(value_error)?;
        let report = kd_hypotheses::regression::BatteryReport::new(&battery, data.lines());
        serde_json::to_string(&report).map_err(value_error)
    })
}

/// `kd audit`: the spec read from `spec_file` (or kd's defaults), the `overrides` (a JSON
/// object in the spec's shape, such as `{"data": {"target": "y"}, "seed": 1}`) laid over it key
/// by key, the audit run, and, when `out` is given, its folder written (`report.html`,
/// `audit.json`, `spec.toml`) as `kd audit --out` writes it. With `query`, the model under
/// review is that Python function (`query(rows, names, levels, task)`, see [`teacher`]) and the
/// spec's `model.teacher` only names it; `development` and `current`, a frame's column names
/// and cells, replace the spec's files. Returns the `audit.json` document.
#[pyfunction]
#[pyo3(signature = (spec_file, overrides, out, query=None, development=None, current=None))]
#[allow(clippy::type_complexity)] // each frame is its names and its columns' cells
fn audit(
    py: Python<'_>,
    spec_file: Option<String>,
    overrides: String,
    out: Option<String>,
    query: Option<Py<PyAny>>,
    development: Option<(Vec<String>, Vec<Vec<String>>)>,
    current: Option<(Vec<String>, Vec<Vec<String>>)>,
) -> PyResult<String> {
    py.detach(move || {
        let file = spec_file.as_deref().map(Path::new);
        let base = match file {
            Some(path) => kd_audit::Spec::from_file(path).map_err(value_error)?,
            None => kd_audit::Spec::default(),
        };
        let mut spec = serde_json::to_value(&base).map_err(value_error)?;
        let overrides: serde_json::Value = serde_json::from_str(&overrides).map_err(value_error)?;
        lay_over(&mut spec, overrides);
        let spec: kd_audit::Spec =
            serde_json::from_value(spec).map_err(|e| value_error(format!("invalid spec: {e}")))?;
        let name = spec.model.teacher.clone();
        // The callable goes to the one teacher the audit makes (taken: a `Py` is cloned only
        // with the GIL).
        let callable = std::sync::Mutex::new(query);
        let make = |data: &Dataset| -> kd_core::Result<Box<dyn kd_core::teacher::Teacher>> {
            let taken = callable.lock().ok().and_then(|mut c| c.take()).ok_or_else(|| {
                kd_core::Error::Teacher { teacher: name.clone(), batch: 0, reason: "asked for twice".into() }
            })?;
            Ok(Box::new(teacher::python_teacher(name.clone(), data, taken, teacher::Context::Described)))
        };
        let frame = |(names, cells)| kd_audit::Frame { names, cells };
        let given = kd_audit::InProcess {
            teacher: callable.lock().is_ok_and(|c| c.is_some()).then_some(&make as kd_audit::MakeTeacher<'_>),
            development: development.map(frame),
            current: current.map(frame),
        };
        let audit = kd_audit::run_with(spec, file, given, &kd_audit::Silent).map_err(value_error)?;
        if let Some(out) = out {
            kd_audit::write_report(&audit, Path::new(&out)).map_err(value_error)?;
        }
        serde_json::to_string(&audit).map_err(value_error)
    })
}

/// `over` laid over `base`: objects merged key by key, anything else replaced.
fn lay_over(base: &mut serde_json::Value, over: serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(base), serde_json::Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(slot) => lay_over(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (slot, value) => *slot = value,
    }
}

/// The module.
#[pymodule]
fn _kd(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(describe, module)?)?;
    module.add_function(wrap_pyfunction!(dataset, module)?)?;
    module.add_function(wrap_pyfunction!(distill, module)?)?;
    module.add_function(wrap_pyfunction!(predict, module)?)?;
    module.add_function(wrap_pyfunction!(contributions, module)?)?;
    module.add_function(wrap_pyfunction!(explain, module)?)?;
    module.add_function(wrap_pyfunction!(points_table, module)?)?;
    module.add_function(wrap_pyfunction!(diagram, module)?)?;
    module.add_function(wrap_pyfunction!(to_sql, module)?)?;
    module.add_function(wrap_pyfunction!(hypotheses, module)?)?;
    module.add_function(wrap_pyfunction!(audit, module)?)?;
    module.add_function(wrap_pyfunction!(compare::compare, module)?)?;
    module.add_function(wrap_pyfunction!(extract::extract, module)?)?;
    module.add_function(wrap_pyfunction!(validate::validate, module)?)?;
    module.add_function(wrap_pyfunction!(validation_html, module)?)?;
    Ok(())
}
