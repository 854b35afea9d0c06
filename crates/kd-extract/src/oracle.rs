//! The black box as extraction sees it: a teacher that is queried in batches and whose queries
//! are counted, answering with classes (its most probable one) or values.

use kd_core::Task;
use kd_core::metrics::argmax;
use kd_core::teacher::Teacher;
use ndarray::{Array2, ArrayView2};

use crate::error::{Result, invalid_parameter};

/// What the teacher says about a set of points.
#[derive(Debug, Clone, PartialEq)]
pub enum Answers {
    /// The most probable class of each point, of `n_classes`.
    Classes {
        /// One class per point.
        y: Vec<usize>,
        /// Number of classes.
        n_classes: usize,
    },
    /// Values, shape `(n, outputs)` (regression teachers).
    Values(Array2<f64>),
}

impl Answers {
    /// Number of points answered.
    pub fn len(&self) -> usize {
        match self {
            Answers::Classes { y, .. } => y.len(),
            Answers::Values(v) => v.nrows(),
        }
    }

    /// Whether no point was answered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The answers of the points `rows`, in that order.
    pub fn select(&self, rows: &[usize]) -> Answers {
        match self {
            Answers::Classes { y, n_classes } => {
                Answers::Classes { y: rows.iter().map(|&r| y[r]).collect(), n_classes: *n_classes }
            }
            Answers::Values(v) => Answers::Values(v.select(ndarray::Axis(0), rows)),
        }
    }

    /// These answers followed by `more` (of the same kind).
    pub fn append(&mut self, more: Answers) {
        match (self, more) {
            (Answers::Classes { y, .. }, Answers::Classes { y: extra, .. }) => y.extend(extra),
            (Answers::Values(v), Answers::Values(extra)) => {
                let mut joined = Array2::zeros((v.nrows() + extra.nrows(), v.ncols()));
                joined.slice_mut(ndarray::s![..v.nrows(), ..]).assign(v);
                joined.slice_mut(ndarray::s![v.nrows().., ..]).assign(&extra);
                *v = joined;
            }
            _ => {}
        }
    }
}

/// A queryable teacher with a query counter.
pub struct Oracle<'a> {
    teacher: &'a mut dyn Teacher,
    queries: usize,
    waited: std::time::Duration,
}

impl<'a> Oracle<'a> {
    /// Wraps a teacher; refuses one that cannot be queried at new points (a `column:` teacher
    /// only knows the rows of its file).
    pub fn new(teacher: &'a mut dyn Teacher) -> Result<Self> {
        if !teacher.is_queryable() {
            return Err(invalid_parameter(
                "teacher",
                format!(
                    "'{}' holds stored outputs and cannot label new points; sampling methods need a \
                     teacher that can be queried (cmd: or torchscript:), or use born-again or cart",
                    teacher.name()
                ),
            ));
        }
        Ok(Self { teacher, queries: 0, waited: std::time::Duration::ZERO })
    }

    /// The teacher's task.
    pub fn task(&self) -> Task {
        self.teacher.task()
    }

    /// The teacher's name, for messages.
    pub fn name(&self) -> &str {
        self.teacher.name()
    }

    /// Points the teacher has been asked about so far.
    pub fn queries(&self) -> usize {
        self.queries
    }

    /// Seconds spent waiting for the teacher's answers so far.
    pub fn teacher_seconds(&self) -> f64 {
        self.waited.as_secs_f64()
    }

    /// The teacher's raw outputs at `x`: `(n, k)` probabilities or `(n, 1)` values.
    pub fn outputs(&mut self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        if x.nrows() == 0 {
            return Ok(Array2::zeros((0, 0)));
        }
        self.queries += x.nrows();
        let start = std::time::Instant::now();
        let outputs = self.teacher.predict(x);
        self.waited += start.elapsed();
        Ok(outputs?)
    }

    /// The teacher's answers at `x`: classes (classification) or values (regression).
    pub fn answer(&mut self, x: ArrayView2<'_, f64>) -> Result<Answers> {
        let task = self.task();
        let out = self.outputs(x)?;
        Ok(answers_of(task, out))
    }
}

/// Classes (the most probable one) or values from a teacher's outputs.
pub fn answers_of(task: Task, outputs: Array2<f64>) -> Answers {
    if task.is_classification() {
        Answers::Classes { y: argmax(outputs.view()), n_classes: outputs.ncols() }
    } else {
        Answers::Values(outputs)
    }
}
