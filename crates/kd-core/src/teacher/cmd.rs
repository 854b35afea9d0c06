//! `cmd:` teachers: an external process that answers newline-delimited JSON.
//!
//! Protocol, one line each way per batch:
//! - request `{"rows": [[x1, x2, ...], ...]}`: features in the order kd was given them, numeric
//!   features as JSON numbers, categorical features as JSON strings of their levels;
//! - response `{"predictions": [[p1, ..., pk], ...]}` (class probabilities) or
//!   `{"predictions": [v1, ...]}` / `[[v1], ...]` (regression), or `{"error": "message"}`.
//!
//! The process is started once (through `sh -c`, in a process group of its own) and reused for
//! every batch; see [`process`](super::process) for how it is run without ever blocking kd.
//! Each answer must come within [`CmdOptions::timeout`] and be one line of at most
//! [`answer_limit`] bytes; a line the teacher writes before it is asked (a request answered
//! twice) is refused, since every later answer would belong to the batch before. A crash, a
//! time-out, a flood, malformed JSON or outputs that fail [`check_outputs`](super::check_outputs)
//! are errors naming the teacher and the batch, with the last lines the process wrote to
//! stderr; the process group is then killed and reaped.

use std::time::{Duration, Instant};

use ndarray::{Array2, ArrayView2};
use serde_json::Value;

use super::process::{Event, TeacherProcess};
use super::{Teacher, TeacherInfo, check_outputs};
use crate::data::Feature;
use crate::{Error, Result, Task};

/// The longest time-out accepted: one day.
const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);

/// Options of a [`CmdTeacher`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CmdOptions {
    /// Rows per request (default 10,000; at least 1).
    pub batch_size: usize,
    /// How long to wait for one answer (default 120 s; more than 0, at most a day).
    pub timeout: Duration,
}

impl Default for CmdOptions {
    fn default() -> Self {
        Self { batch_size: 10_000, timeout: Duration::from_secs(120) }
    }
}

impl CmdOptions {
    /// These options with a time-out of `seconds`, checked: finite, more than 0 and at
    /// most a day.
    pub fn with_timeout_secs(self, seconds: f64) -> Result<Self> {
        if !(seconds > 0.0 && seconds <= MAX_TIMEOUT.as_secs_f64()) {
            return Err(timeout_error(seconds));
        }
        Ok(Self { timeout: Duration::from_secs_f64(seconds), ..self })
    }
}

fn timeout_error(seconds: f64) -> Error {
    crate::error::invalid_parameter(
        "teacher time-out",
        format!("must be more than 0 and at most 86400 seconds, got {seconds}"),
    )
}

/// The longest answer line accepted from a teacher asked `batch_size` rows of `task`: 1 MiB
/// plus 64 bytes per value (a JSON number with 17 significant digits takes at most 24).
fn answer_limit(batch_size: usize, task: Task) -> usize {
    batch_size.saturating_mul(task.n_outputs().max(1)).saturating_mul(64).saturating_add(1 << 20)
}

/// A teacher served by an external process; see the module documentation for the protocol.
pub struct CmdTeacher {
    info: TeacherInfo,
    levels: Vec<Option<Vec<String>>>,
    options: CmdOptions,
    process: TeacherProcess,
}

impl CmdTeacher {
    /// Starts `command` with `sh -c` as a teacher for `task` on `features`.
    pub fn spawn(command: &str, task: Task, features: &[Feature], options: CmdOptions) -> Result<Self> {
        let name = format!("cmd:{command}");
        if options.batch_size == 0 {
            return Err(crate::error::invalid_parameter("batch size", "must be at least 1"));
        }
        if options.timeout.is_zero() || options.timeout > MAX_TIMEOUT {
            return Err(timeout_error(options.timeout.as_secs_f64()));
        }
        let process =
            TeacherProcess::start(command, answer_limit(options.batch_size, task)).map_err(|e| {
                Error::Teacher {
                    teacher: name.clone(),
                    batch: 0,
                    reason: format!("cannot start the process: {e}"),
                }
            })?;
        Ok(Self {
            info: TeacherInfo::new(name, task, features.len()),
            levels: features.iter().map(|f| f.levels.clone()).collect(),
            options,
            process,
        })
    }

    /// The error for `batch`, after stopping the process: nothing it does later can be trusted.
    fn fail(&mut self, batch: usize, reason: String) -> Error {
        self.process.stop();
        Error::Teacher { teacher: self.info.name.clone(), batch, reason }
    }

    fn request(&mut self, x: ArrayView2<'_, f64>, batch: usize) -> Result<String> {
        let mut rows = Vec::with_capacity(x.nrows());
        for row in x.outer_iter() {
            let mut values = Vec::with_capacity(row.len());
            for (&v, levels) in row.iter().zip(&self.levels) {
                let value = match levels {
                    None => serde_json::Number::from_f64(v).map(Value::Number),
                    Some(levels) => level_of(levels, v).map(|l| Value::String(l.to_owned())),
                };
                match (value, levels) {
                    (Some(value), _) => values.push(value),
                    (None, None) => return Err(self.fail(batch, format!("input value {v} is not finite"))),
                    (None, Some(_)) => {
                        return Err(self
                            .fail(batch, format!("input {v} is not a level code of a categorical feature")));
                    }
                }
            }
            rows.push(Value::Array(values));
        }
        Ok(serde_json::json!({ "rows": rows }).to_string())
    }

    /// Waits for the answer to `batch` until the time-out; blank lines are skipped.
    fn answer(&mut self, batch: usize) -> Result<String> {
        let deadline = Instant::now() + self.options.timeout;
        loop {
            let reason = match self.process.next_event(deadline) {
                Some(Event::Line(line)) if line.trim().is_empty() => continue,
                Some(Event::Line(line)) => return Ok(line),
                Some(Event::TooLong { limit }) => format!(
                    "the answer runs past {limit} bytes without ending its line (one JSON line per batch is expected); the process was stopped"
                ),
                Some(Event::ReadFailed(e)) => format!("cannot read the answer: {e}"),
                Some(Event::Closed | Event::WriteFailed) => format!("no answer: {}", self.process.report()),
                None => format!(
                    "no answer within {:?} (--teacher-timeout); the process and what it started were stopped",
                    self.options.timeout
                ),
            };
            return Err(self.fail(batch, reason));
        }
    }

    /// Sends one request line and returns the parsed answer (checked by the caller). A line
    /// waiting before the request is sent was not asked for, and is refused.
    fn exchange(&mut self, request: String, batch: usize) -> Result<Array2<f64>> {
        while let Some(event) = self.process.pending() {
            match event {
                Event::Line(line) if line.trim().is_empty() => {}
                Event::Line(line) => {
                    let start: String = line.chars().take(80).collect();
                    let why = if batch == 0 {
                        "before it was asked anything (a teacher writes one line per request)".to_owned()
                    } else {
                        format!(
                            "before it was asked for batch {batch} (did it answer the batch before twice?)"
                        )
                    };
                    return Err(self.fail(batch, format!("the teacher wrote a line {why}: {start}")));
                }
                Event::TooLong { .. } | Event::ReadFailed(_) | Event::Closed | Event::WriteFailed => {
                    let report = self.process.report();
                    return Err(self.fail(batch, format!("cannot send the request: {report}")));
                }
            }
        }
        if !self.process.send(request) {
            let report = self.process.report();
            return Err(self.fail(batch, format!("cannot send the request: {report}")));
        }
        let line = self.answer(batch)?;
        parse_answer(&line, self.info.task).map_err(|reason| self.fail(batch, reason))
    }

    /// The teacher's outputs for raw texts, each sent as a row of one string (`{"rows":
    /// [["text"], ...]}`), in batches of `batch_size`.
    pub(super) fn predict_strings(&mut self, texts: &[String]) -> Result<Array2<f64>> {
        let mut parts = Vec::new();
        for chunk in texts.chunks(self.options.batch_size) {
            let batch = self.info.batches.start();
            let rows: Vec<[&str; 1]> = chunk.iter().map(|t| [t.as_str()]).collect();
            let request = serde_json::json!({ "rows": rows }).to_string();
            let outputs = self.exchange(request, batch)?;
            check_outputs(&self.info.name, self.info.task, batch, chunk.len(), &outputs)?;
            parts.push(outputs);
        }
        self.join(parts)
    }

    fn join(&mut self, parts: Vec<Array2<f64>>) -> Result<Array2<f64>> {
        if parts.is_empty() {
            return Ok(Array2::zeros((0, self.info.task.n_outputs())));
        }
        let views: Vec<_> = parts.iter().map(Array2::view).collect();
        let joined = ndarray::concatenate(ndarray::Axis(0), &views);
        joined.map_err(|e| {
            let batch = self.info.batches.asked();
            self.fail(batch, format!("cannot join the batches: {e}"))
        })
    }
}

fn level_of(levels: &[String], code: f64) -> Option<&str> {
    (code >= 0.0 && code.fract() == 0.0).then(|| levels.get(code as usize).map(String::as_str)).flatten()
}

/// Parses one answer line into an `(n, k)` array; the error is the reason, in words.
fn parse_answer(line: &str, task: Task) -> std::result::Result<Array2<f64>, String> {
    let start: String = line.chars().take(200).collect();
    let value: Value = serde_json::from_str(line).map_err(|e| {
        if line.contains("NaN") || line.contains("Infinity") {
            format!("the answer holds NaN or Infinity, which are not numbers ({e}): {start}")
        } else {
            format!("malformed JSON answer ({e}): {start}")
        }
    })?;
    if let Some(message) = value.get("error") {
        return Err(format!("the teacher reported an error: {message}"));
    }
    let rows = value
        .get("predictions")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("the answer has no \"predictions\" array: {start}"))?;
    let width = if task.is_classification() { task.n_outputs() } else { 1 };
    let mut out = Array2::zeros((rows.len(), width));
    for (i, row) in rows.iter().enumerate() {
        let values: Vec<&Value> = match row {
            Value::Array(values) => values.iter().collect(),
            scalar => vec![scalar],
        };
        if values.len() != width {
            return Err(format!(
                "prediction {i} has {} values; expected {width} ({})",
                values.len(),
                task.name()
            ));
        }
        for (j, v) in values.into_iter().enumerate() {
            out[[i, j]] = match v {
                Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
                other => return Err(format!("prediction {i}, value {j} is not a number: {other}")),
            };
        }
    }
    Ok(out)
}

impl Teacher for CmdTeacher {
    fn info(&self) -> &TeacherInfo {
        &self.info
    }
    fn info_mut(&mut self) -> &mut TeacherInfo {
        &mut self.info
    }
    fn batch_size(&self) -> usize {
        self.options.batch_size
    }
    fn query(&mut self, x: ArrayView2<'_, f64>, batch: usize) -> Result<Array2<f64>> {
        let request = self.request(x, batch)?;
        self.exchange(request, batch)
    }
}
