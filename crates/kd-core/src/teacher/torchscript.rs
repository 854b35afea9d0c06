//! `torchscript:` teachers: a model saved with `torch.jit.script` or `torch.jit.trace`, run in
//! eval mode under `no_grad` on float32 inputs of shape `(n, n_inputs)`.

use std::path::Path;

use ndarray::{Array2, ArrayView2};
use tch::{CModule, Device, Kind, Tensor};

use super::{Teacher, TeacherInfo, TorchOutput};
use crate::{Error, Result, Task};

/// A TorchScript model as a teacher.
///
/// The model's output has shape `(n, k)`, `(n, 1)` or `(n,)`. Classification: with
/// [`TorchOutput::Logits`] a softmax is taken over `k > 1` columns and a sigmoid of a single
/// column gives the probability of class 1; with [`TorchOutput::Probabilities`] the values are
/// used as they are (a single column being the probability of class 1). Regression: one value
/// per row.
pub struct TorchScriptTeacher {
    info: TeacherInfo,
    output: TorchOutput,
    device: Device,
    module: CModule,
}

fn torch_error(name: &str, batch: usize, error: tch::TchError) -> Error {
    Error::Teacher { teacher: name.to_owned(), batch, reason: error.to_string() }
}

impl TorchScriptTeacher {
    /// Loads `path` on `device` (`cpu`, `cuda`, or `auto`: CUDA when available).
    pub fn load(path: &Path, task: Task, n_inputs: usize, output: TorchOutput, device: &str) -> Result<Self> {
        let name = format!("torchscript:{}", path.display());
        let device = match device {
            "cpu" => Device::Cpu,
            "cuda" if tch::Cuda::is_available() => Device::Cuda(0),
            "cuda" => {
                return Err(crate::error::invalid_parameter(
                    "teacher",
                    format!("{name}: device=cuda but no CUDA device is available"),
                ));
            }
            _ => Device::cuda_if_available(),
        };
        if !path.is_file() {
            let reason = if path.is_dir() { "a folder, not a TorchScript file" } else { "no such file" };
            return Err(Error::Io {
                file: path.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, reason),
            });
        }
        let mut module = CModule::load_on_device(path, device).map_err(|e| torch_error(&name, 0, e))?;
        module.set_eval();
        Ok(Self { info: TeacherInfo::new(name, task, n_inputs), output, device, module })
    }

    fn run(&self, x: ArrayView2<'_, f64>, batch: usize) -> std::result::Result<Array2<f64>, tch::TchError> {
        let n = x.nrows();
        let data: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        let input = Tensor::f_from_slice(&data)?
            .f_view([n as i64, self.info.n_inputs as i64])?
            .f_to_device(self.device)?;
        let raw = tch::no_grad(|| self.module.forward_ts(&[input]))?;
        let raw = if raw.dim() == 1 { raw.f_unsqueeze(1)? } else { raw };
        let raw = raw.f_to_kind(Kind::Double)?;
        let probs = match (self.info.task, self.output, raw.size().get(1).copied()) {
            (Task::Regression, _, _) => raw,
            (_, TorchOutput::Logits, Some(1)) => {
                let p = raw.f_sigmoid()?;
                Tensor::f_cat(&[p.f_neg()?.f_add_scalar(1.0)?, p], 1)?
            }
            (_, TorchOutput::Logits, _) => raw.f_softmax(1, Kind::Double)?,
            (_, TorchOutput::Probabilities, Some(1)) => {
                Tensor::f_cat(&[raw.f_neg()?.f_add_scalar(1.0)?, raw], 1)?
            }
            (_, TorchOutput::Probabilities, _) => raw,
        };
        let probs = probs.f_to_device(Device::Cpu)?.f_contiguous()?;
        let cols = probs.size().get(1).copied().unwrap_or(1) as usize;
        let values = Vec::<f64>::try_from(&probs.f_flatten(0, -1)?)?;
        Array2::from_shape_vec((n, cols), values).map_err(|e| {
            tch::TchError::Shape(format!(
                "batch {batch}: output of {cols} columns does not fit {n} rows: {e}"
            ))
        })
    }
}

impl Teacher for TorchScriptTeacher {
    fn info(&self) -> &TeacherInfo {
        &self.info
    }
    fn info_mut(&mut self) -> &mut TeacherInfo {
        &mut self.info
    }
    fn query(&mut self, x: ArrayView2<'_, f64>, batch: usize) -> Result<Array2<f64>> {
        let outputs = self.run(x, batch).map_err(|e| torch_error(&self.info.name, batch, e))?;
        if self.info.task.is_classification() && self.output == TorchOutput::Probabilities {
            not_probabilities_hint(&outputs).map_or(Ok(()), |reason| {
                Err(Error::Teacher { teacher: self.info.name.clone(), batch, reason })
            })?;
        }
        Ok(outputs)
    }
}

/// Why outputs read as probabilities are not probabilities (a value outside [0, 1], or a row not
/// summing to 1), with the hint that the model may return logits; `None` when they are.
fn not_probabilities_hint(outputs: &Array2<f64>) -> Option<String> {
    let tolerance = super::PROBABILITY_SUM_TOLERANCE;
    let (i, row) = outputs.rows().into_iter().enumerate().find(|(_, row)| {
        row.iter().any(|p| !(0.0..=1.0).contains(p)) || (row.sum() - 1.0).abs() > tolerance
    })?;
    Some(format!(
        "row {i} of the outputs, {row}, is not probabilities in [0, 1] summing to 1; if the model returns logits, add ?output=logits to the teacher spec"
    ))
}
