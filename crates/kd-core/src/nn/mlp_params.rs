//! The parameters of the MLP student ([`MlpStudent`](super::MlpStudent)).
//!
//! | parameter | default | meaning |
//! |---|---|---|
//! | `hidden` | (required) | hidden widths, each ≥ 1 |
//! | `loss` | `kd:T=1,alpha=1` classification, `mse` regression | the objective ([`MlpLoss`]) |
//! | `epochs` | 50 | passes over the training rows |
//! | `batch_size` | 64 | rows per optimiser step |
//! | `learning_rate` | 1e-3 | Adam's rate |
//! | `device` | cpu | [`MlpDevice`] |
//! | `seed` | 0 | weights and batch order |

use std::str::FromStr;

use tch::Device;

use crate::{Error, Result};

/// The objective of an MLP student.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MlpLoss {
    /// `kd:T=4,alpha=0.9`: `α·T²·KL(teacher_T ‖ student_T) + (1 − α)·CE(student, labels)`.
    Kd {
        /// Temperature, > 0.
        temperature: f64,
        /// Weight of the soft term, in [0, 1].
        alpha: f64,
    },
    /// `mse`: mean squared error to the teacher's logits or standardised values.
    Mse,
}

impl FromStr for MlpLoss {
    type Err = Error;

    /// Parses `kd[:T=4,alpha=0.9]` (defaults `T = 1`, `alpha = 1`) or `mse`.
    fn from_str(text: &str) -> Result<Self> {
        let bad = |reason: String| Error::InvalidParameter { name: "loss".into(), reason };
        let (name, options) = text.split_once(':').unwrap_or((text, ""));
        match name {
            "mse" if options.is_empty() => Ok(MlpLoss::Mse),
            "kd" => {
                let (mut temperature, mut alpha) = (1.0, 1.0);
                for option in options.split(',').filter(|o| !o.is_empty()) {
                    let (key, value) =
                        option.split_once('=').ok_or(bad(format!("'{option}' is not key=value")))?;
                    let value: f64 = value.parse().map_err(|_| bad(format!("'{value}' is not a number")))?;
                    match key {
                        "T" | "t" | "temperature" => temperature = value,
                        "alpha" => alpha = value,
                        _ => return Err(bad(format!("unknown kd option '{key}' (T, alpha)"))),
                    }
                }
                if !(temperature > 0.0 && (0.0..=1.0).contains(&alpha)) {
                    return Err(bad(format!(
                        "kd needs T > 0 and 0 ≤ alpha ≤ 1, got T={temperature}, alpha={alpha}"
                    )));
                }
                Ok(MlpLoss::Kd { temperature, alpha })
            }
            _ => Err(bad(format!("'{text}' is not a loss: kd[:T=4,alpha=0.9] or mse"))),
        }
    }
}

/// Where the MLP trains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MlpDevice {
    /// The CPU (deterministic for a seed).
    #[default]
    Cpu,
    /// The first CUDA device; an error where there is none.
    Cuda,
}

impl MlpDevice {
    pub(super) fn device(self) -> Result<Device> {
        match self {
            MlpDevice::Cpu => Ok(Device::Cpu),
            MlpDevice::Cuda if tch::Cuda::is_available() => Ok(Device::Cuda(0)),
            MlpDevice::Cuda => Err(Error::InvalidParameter {
                name: "device".into(),
                reason: "cuda, but no CUDA device is available".into(),
            }),
        }
    }
}

/// Parameters of [`MlpStudent::fit`](super::MlpStudent::fit) (table in the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct MlpParams {
    /// Hidden widths.
    pub hidden: Vec<i64>,
    /// The objective; `None` picks kd at `T = 1` for classification, mse for regression.
    pub loss: Option<MlpLoss>,
    /// Epochs.
    pub epochs: usize,
    /// Rows per optimiser step.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Device.
    pub device: MlpDevice,
    /// Seed of the weights and batches.
    pub seed: u64,
}

impl MlpParams {
    /// The defaults with these hidden widths.
    pub fn new(hidden: Vec<i64>) -> Self {
        Self {
            hidden,
            loss: None,
            epochs: 50,
            batch_size: 64,
            learning_rate: 1e-3,
            device: MlpDevice::Cpu,
            seed: 0,
        }
    }
}
