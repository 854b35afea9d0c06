//! Teachers that read raw text: a [`TextTeacher`] answers a batch of documents with class
//! probabilities or values, so that kd can ask it about a message with some of its words
//! deleted (the faithfulness check of text explanations).
//!
//! A `cmd:` teacher receives each document as a row of one string, `{"rows": [["free entry
//! now"], ...]}` — what it receives for a text column through [`Teacher`](super::Teacher) too,
//! since categorical cells travel as their text. [`FnTextTeacher`] wraps a Rust closure.

use ndarray::Array2;

use super::{CmdOptions, CmdTeacher, check_outputs};
use crate::data::Feature;
use crate::{Result, Task};

/// A model under review that reads raw documents.
pub trait TextTeacher: Send {
    /// The spec or name that identifies the teacher in messages.
    fn name(&self) -> &str;

    /// What the teacher predicts.
    fn task(&self) -> Task;

    /// Outputs for `texts`: `(n, k)` class probabilities or `(n, 1)` values, checked by
    /// [`check_outputs`].
    fn predict_texts(&mut self, texts: &[String]) -> Result<Array2<f64>>;
}

impl TextTeacher for CmdTeacher {
    fn name(&self) -> &str {
        super::Teacher::name(self)
    }
    fn task(&self) -> Task {
        super::Teacher::task(self)
    }
    fn predict_texts(&mut self, texts: &[String]) -> Result<Array2<f64>> {
        self.predict_strings(texts)
    }
}

/// Starts `command` as a `cmd:` teacher of one text column called `column`.
pub fn spawn_text_teacher(
    command: &str,
    task: Task,
    column: &str,
    options: CmdOptions,
) -> Result<CmdTeacher> {
    let feature = Feature { name: column.to_owned(), levels: Some(Vec::new()) };
    CmdTeacher::spawn(command, task, &[feature], options)
}

/// A text teacher backed by a closure `f(texts) -> outputs`, checked like any teacher's.
///
/// ```
/// use kd_core::{Task, teacher::{FnTextTeacher, TextTeacher}};
/// let mut t = FnTextTeacher::new("shouting", Task::Binary, |texts: &[String]| {
///     Ok(ndarray::Array2::from_shape_fn((texts.len(), 2), |(i, c)| {
///         let loud = f64::from(u8::from(texts[i].contains('!')));
///         if c == 1 { loud } else { 1.0 - loud }
///     }))
/// });
/// assert_eq!(t.predict_texts(&["hi!".into(), "hi".into()]).unwrap()[[0, 1]], 1.0);
/// ```
pub struct FnTextTeacher<F> {
    name: String,
    task: Task,
    f: F,
    calls: usize,
}

impl<F> FnTextTeacher<F>
where
    F: FnMut(&[String]) -> Result<Array2<f64>> + Send,
{
    /// A teacher named `name` that predicts `task` from texts with `f`.
    pub fn new(name: impl Into<String>, task: Task, f: F) -> Self {
        Self { name: name.into(), task, f, calls: 0 }
    }
}

impl<F> TextTeacher for FnTextTeacher<F>
where
    F: FnMut(&[String]) -> Result<Array2<f64>> + Send,
{
    fn name(&self) -> &str {
        &self.name
    }
    fn task(&self) -> Task {
        self.task
    }
    fn predict_texts(&mut self, texts: &[String]) -> Result<Array2<f64>> {
        let batch = self.calls;
        self.calls += 1;
        let out = (self.f)(texts)?;
        check_outputs(&self.name, self.task, batch, texts.len(), &out)?;
        Ok(out)
    }
}
