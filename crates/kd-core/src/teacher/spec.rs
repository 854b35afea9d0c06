//! Teacher spec strings, as the `kd` program takes them: `cmd:<command line>`,
//! `torchscript:<file.pt>[?output=logits|probabilities][&device=cpu|cuda|auto]` and
//! `column:<name>[,<name>...]`.

use std::path::PathBuf;
use std::str::FromStr;

use super::{CmdOptions, CmdTeacher, ColumnTeacher, Teacher};
use crate::data::{Dataset, Table};
use crate::{Error, Result};

/// What a TorchScript model returns for classification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TorchOutput {
    /// Class probabilities (default); a single column is the probability of class 1.
    #[default]
    Probabilities,
    /// Logits: softmax over classes, or the sigmoid of a single column.
    Logits,
}

/// A parsed teacher spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeacherSpec {
    /// An external process (see [`CmdTeacher`]).
    Cmd(String),
    /// A TorchScript file (needs kd-core's `torch` feature).
    TorchScript {
        /// The `.pt` file.
        path: PathBuf,
        /// Probabilities or logits.
        output: TorchOutput,
        /// `cpu`, `cuda` or `auto` (CUDA when available).
        device: String,
    },
    /// Outputs stored in columns of the data file (see [`ColumnTeacher`]).
    Column(Vec<String>),
}

impl FromStr for TeacherSpec {
    type Err = Error;

    fn from_str(spec: &str) -> Result<Self> {
        let bad = |reason: &str| crate::error::invalid_parameter("teacher", format!("'{spec}': {reason}"));
        let (kind, rest) = spec
            .split_once(':')
            .ok_or_else(|| bad("expected cmd:<command line>, torchscript:<file.pt> or column:<name>"))?;
        if rest.trim().is_empty() {
            return Err(bad("nothing after the colon"));
        }
        match kind {
            "cmd" => Ok(TeacherSpec::Cmd(rest.to_owned())),
            "column" => Ok(TeacherSpec::Column(rest.split(',').map(|c| c.trim().to_owned()).collect())),
            "torchscript" => {
                let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
                let mut output = TorchOutput::default();
                let mut device = "auto".to_owned();
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    match pair.split_once('=') {
                        Some(("output", "logits")) => output = TorchOutput::Logits,
                        Some(("output", "probabilities")) => output = TorchOutput::Probabilities,
                        Some(("device", d @ ("cpu" | "cuda" | "auto"))) => device = d.to_owned(),
                        _ => {
                            return Err(bad(&format!(
                                "unknown option '{pair}' (options: output=logits|probabilities, device=cpu|cuda|auto)"
                            )));
                        }
                    }
                }
                Ok(TeacherSpec::TorchScript { path: PathBuf::from(path), output, device })
            }
            other => Err(bad(&format!("unknown teacher kind '{other}'; use cmd:, torchscript: or column:"))),
        }
    }
}

impl TeacherSpec {
    /// Columns of the data file that hold the teacher's outputs (never features).
    pub fn output_columns(&self) -> &[String] {
        match self {
            TeacherSpec::Column(columns) => columns,
            _ => &[],
        }
    }
}

/// Builds the teacher `spec` describes for the task and features of `data`, which was built
/// from `table` (a `column:` teacher reads its outputs from `table`).
pub fn build_teacher(
    spec: &TeacherSpec,
    table: &Table,
    data: &Dataset,
    cmd: CmdOptions,
) -> Result<Box<dyn Teacher>> {
    let task = data.task();
    let n_inputs = data.features().len();
    match spec {
        TeacherSpec::Cmd(command) => Ok(Box::new(CmdTeacher::spawn(command, task, data.features(), cmd)?)),
        TeacherSpec::Column(columns) => {
            Ok(Box::new(ColumnTeacher::from_table(table, columns, task, n_inputs)?))
        }
        #[cfg(feature = "torch")]
        TeacherSpec::TorchScript { path, output, device } => {
            Ok(Box::new(super::TorchScriptTeacher::load(path, task, n_inputs, *output, device)?))
        }
        #[cfg(not(feature = "torch"))]
        TeacherSpec::TorchScript { .. } => Err(crate::error::invalid_parameter(
            "teacher",
            "torchscript: teachers need kd built with the `torch` feature (`cargo xtask install` builds it so)",
        )),
    }
}
