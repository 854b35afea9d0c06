//! A classifier seen as the binary model the audit reviews: its probability of the bad class
//! against the others, `[1 − p_bad, p_bad]`, so that a tree extracted by querying it (the
//! Bastani tree) splits on the bad class against the rest and holds the bad class's share
//! second, as every other part of the audit reads it. Needed where the model has more than two
//! classes, or two with the bad one first. For querying only: it stores no outputs
//! ([`Teacher::stored`] stays `None`), so it is not for reading a `column:` teacher's rows.

use kd_core::Task;
use kd_core::teacher::{Teacher, TeacherInfo};
use ndarray::{Array2, ArrayView2};

/// The model `inner`, answering the probability of its class `bad` against the others.
pub struct OneAgainstRest<'a> {
    inner: &'a mut dyn Teacher,
    bad: usize,
    info: TeacherInfo,
}

impl<'a> OneAgainstRest<'a> {
    /// `inner` with its class `bad` as the positive one.
    pub fn new(inner: &'a mut dyn Teacher, bad: usize) -> Self {
        let info = TeacherInfo::new(inner.name(), Task::Binary, inner.n_inputs());
        Self { inner, bad, info }
    }
}

impl Teacher for OneAgainstRest<'_> {
    fn info(&self) -> &TeacherInfo {
        &self.info
    }

    fn info_mut(&mut self) -> &mut TeacherInfo {
        &mut self.info
    }

    /// The inner model's checked answer (its own batches and checks), reduced to two columns.
    fn query(&mut self, x: ArrayView2<'_, f64>, _batch: usize) -> kd_core::Result<Array2<f64>> {
        let p = self.inner.predict(x)?;
        if p.ncols() <= self.bad {
            return Err(kd_core::Error::ShapeMismatch {
                context: format!("the outputs of {}", self.info.name),
                expected: format!("a probability for class {} (0-based), the bad one", self.bad),
                got: format!("{} outputs", p.ncols()),
            });
        }
        Ok(Array2::from_shape_fn((p.nrows(), 2), |(i, c)| {
            if c == 1 { p[[i, self.bad]] } else { 1.0 - p[[i, self.bad]] }
        }))
    }

    fn is_queryable(&self) -> bool {
        self.inner.is_queryable()
    }
}
