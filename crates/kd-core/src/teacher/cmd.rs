//! `cmd:` teachers: an external process that answers newline-delimited JSON.
//!
//! Protocol, one line each way per batch:
//! - request `{"rows": [[x1, x2, ...], ...]}`: features in the order kd was given them, numeric
//!   features as JSON numbers, categorical features as JSON strings of their levels;
//! - response `{"predictions": [[p1, ..., pk], ...]}` (class probabilities) or
//!   `{"predictions": [v1, ...]}` / `[[v1], ...]` (regression), or `{"error": "message"}`.
//!
//! The process is started once (through `sh -c`) and reused for every batch; it is killed when
//! the teacher is dropped. A crash, a time-out, malformed JSON or outputs that fail
//! [`check_outputs`](super::check_outputs) are errors naming the teacher and the batch, with the last lines the
//! process wrote to stderr.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ndarray::{Array2, ArrayView2};
use serde_json::Value;

use super::{BatchCount, Teacher, check_outputs};
use crate::data::Feature;
use crate::{Error, Result, Task};

/// How many stderr lines of the teacher process are kept for error messages.
const STDERR_TAIL: usize = 20;

/// Options of a [`CmdTeacher`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CmdOptions {
    /// Rows per request (default 10,000; at least 1).
    pub batch_size: usize,
    /// How long to wait for one answer (default 120 s).
    pub timeout: Duration,
}

impl Default for CmdOptions {
    fn default() -> Self {
        Self { batch_size: 10_000, timeout: Duration::from_secs(120) }
    }
}

/// A teacher served by an external process; see the module documentation for the protocol.
pub struct CmdTeacher {
    name: String,
    task: Task,
    levels: Vec<Option<Vec<String>>>,
    options: CmdOptions,
    child: Child,
    stdin: Option<ChildStdin>,
    answers: Receiver<std::io::Result<String>>,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    batches: BatchCount,
}

impl CmdTeacher {
    /// Starts `command` with `sh -c` as a teacher for `task` on `features`.
    pub fn spawn(command: &str, task: Task, features: &[Feature], options: CmdOptions) -> Result<Self> {
        let name = format!("cmd:{command}");
        if options.batch_size == 0 {
            return Err(crate::error::invalid_parameter("batch size", "must be at least 1"));
        }
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::Teacher {
                teacher: name.clone(),
                batch: 0,
                reason: format!("cannot start the process: {e}"),
            })?;
        let (stdin, stdout, stderr) = match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
            (Some(i), Some(o), Some(e)) => (i, o, e),
            _ => {
                return Err(Error::Teacher {
                    teacher: name,
                    batch: 0,
                    reason: "the process has no pipes".into(),
                });
            }
        };
        let (sender, answers) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr_tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL)));
        let tail = Arc::clone(&stderr_tail);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(std::io::Result::ok) {
                if let Ok(mut tail) = tail.lock() {
                    if tail.len() == STDERR_TAIL {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            }
        });
        Ok(Self {
            name,
            task,
            levels: features.iter().map(|f| f.levels.clone()).collect(),
            options,
            child,
            stdin: Some(stdin),
            answers,
            stderr_tail,
            batches: BatchCount::default(),
        })
    }

    fn fail(&self, batch: usize, reason: String) -> Error {
        Error::Teacher { teacher: self.name.clone(), batch, reason }
    }

    /// Why the process stopped answering: its exit status and stderr's last lines.
    fn crash_report(&mut self) -> String {
        std::thread::sleep(Duration::from_millis(50));
        let status = match self.child.try_wait() {
            Ok(Some(status)) => format!("the process exited ({status})"),
            _ => "the process closed its output".to_owned(),
        };
        let tail = self
            .stderr_tail
            .lock()
            .map(|t| t.iter().cloned().collect::<Vec<_>>().join("\n"))
            .unwrap_or_default();
        if tail.is_empty() { status } else { format!("{status}; its last lines on stderr:\n{tail}") }
    }

    fn request(&self, x: ArrayView2<'_, f64>, batch: usize) -> Result<String> {
        let rows = x
            .outer_iter()
            .map(|row| {
                row.iter()
                    .zip(&self.levels)
                    .map(|(&v, levels)| match levels {
                        None => serde_json::Number::from_f64(v)
                            .map(Value::Number)
                            .ok_or_else(|| self.fail(batch, format!("input value {v} is not finite"))),
                        Some(levels) => {
                            level_of(levels, v).map(|l| Value::String(l.to_owned())).ok_or_else(|| {
                                self.fail(
                                    batch,
                                    format!("input {v} is not a level code of a categorical feature"),
                                )
                            })
                        }
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(Value::Array)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(serde_json::json!({ "rows": rows }).to_string())
    }

    fn answer(&mut self, batch: usize) -> Result<String> {
        loop {
            match self.answers.recv_timeout(self.options.timeout) {
                Ok(Ok(line)) if line.trim().is_empty() => continue,
                Ok(Ok(line)) => return Ok(line),
                Ok(Err(e)) => return Err(self.fail(batch, format!("cannot read the answer: {e}"))),
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    return Err(self.fail(
                        batch,
                        format!("no answer within {:?}; the process was stopped", self.options.timeout),
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let report = self.crash_report();
                    return Err(self.fail(batch, format!("no answer: {report}")));
                }
            }
        }
    }

    fn ask(&mut self, x: ArrayView2<'_, f64>, batch: usize) -> Result<Array2<f64>> {
        let request = self.request(x, batch)?;
        self.exchange(&request, batch)
    }

    /// Sends one request line and returns the parsed answer (checked by the caller).
    fn exchange(&mut self, request: &str, batch: usize) -> Result<Array2<f64>> {
        let written = match self.stdin.as_mut() {
            Some(stdin) => writeln!(stdin, "{request}").and_then(|()| stdin.flush()),
            None => Err(std::io::Error::other("the teacher's input is closed")),
        };
        if let Err(e) = written {
            let report = self.crash_report();
            return Err(self.fail(batch, format!("cannot send the request ({e}): {report}")));
        }
        let line = self.answer(batch)?;
        parse_answer(&line, self.task).map_err(|reason| self.fail(batch, reason))
    }

    /// The teacher's outputs for raw texts, each sent as a row of one string (`{"rows":
    /// [["text"], ...]}`), in batches of `batch_size`.
    pub(super) fn predict_strings(&mut self, texts: &[String]) -> Result<Array2<f64>> {
        let mut parts = Vec::new();
        for chunk in texts.chunks(self.options.batch_size) {
            let batch = self.batches.start();
            let rows: Vec<[&str; 1]> = chunk.iter().map(|t| [t.as_str()]).collect();
            let request = serde_json::json!({ "rows": rows }).to_string();
            let outputs = self.exchange(&request, batch)?;
            check_outputs(&self.name, self.task, batch, chunk.len(), &outputs)?;
            parts.push(outputs);
        }
        self.join(parts)
    }

    fn join(&self, parts: Vec<Array2<f64>>) -> Result<Array2<f64>> {
        if parts.is_empty() {
            return Ok(Array2::zeros((0, self.task.n_outputs())));
        }
        let views: Vec<_> = parts.iter().map(Array2::view).collect();
        ndarray::concatenate(ndarray::Axis(0), &views)
            .map_err(|e| self.fail(self.batches.asked(), format!("cannot join the batches: {e}")))
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
    fn name(&self) -> &str {
        &self.name
    }
    fn task(&self) -> Task {
        self.task
    }
    fn n_inputs(&self) -> usize {
        self.levels.len()
    }
    fn batches(&mut self) -> &mut BatchCount {
        &mut self.batches
    }
    fn batch_size(&self) -> usize {
        self.options.batch_size
    }
    fn query(&mut self, x: ArrayView2<'_, f64>, batch: usize) -> Result<Array2<f64>> {
        self.ask(x, batch)
    }
}

impl Drop for CmdTeacher {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}
