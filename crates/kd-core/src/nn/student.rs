//! The MLP student of `kd distill --student mlp:64,64`: a [`Mlp`] trained by the [`Distiller`]
//! on a teacher's outputs (or the true labels), with features standardised by the training
//! rows' mean and standard deviation. Classification teachers' probabilities `p` become logits
//! `ln p` (their softmax at temperature `T` is the tempered distribution `p^{1/T}`
//! normalised); regression values are standardised and matched by MSE. Every tensor operation
//! is tch's fallible one; failures are [`Error::Torch`].
//!
//! Parameters: [`MlpParams`] (`mlp_params.rs`).

use ndarray::{Array2, ArrayView2};
use tch::{Device, Kind, Tensor, nn};

use super::mlp_params::{MlpLoss, MlpParams};
use super::saved::{MLP_FORMAT, MLP_VERSION, SavedLayer, SavedMlp, corrupt};
use super::{
    Distiller, DistillerConfig, EpochRecord, Mlp, MlpConfig, OptimizerKind, TeacherSignal, Term, TrainingLog,
    WeightedTerm, logits,
};
use crate::data::{FitTarget, TargetForm};
use crate::loss::kd::KdLossConfig;
use crate::loss::torch;
use crate::{Error, Result, Task};

/// A trained MLP student with the standardisation it was trained with.
#[derive(Debug)]
pub struct MlpStudent {
    pub(super) net: Mlp,
    pub(super) store: nn::VarStore,
    pub(super) mean: Vec<f64>,
    pub(super) sd: Vec<f64>,
    pub(super) task: Task,
    pub(super) hidden: Vec<i64>,
    /// Regression: the target's mean and standard deviation (the network predicts the
    /// standardised value); `(0, 1)` for classification.
    pub(super) scale: (f64, f64),
    pub(super) log: TrainingLog,
}

/// Mean and standard deviation (1 where it is 0) of `values`.
fn moments(values: impl Iterator<Item = f64> + Clone, n: usize) -> (f64, f64) {
    let mean = values.clone().sum::<f64>() / n.max(1) as f64;
    let sd = (values.map(|v| (v - mean).powi(2)).sum::<f64>() / n.max(1) as f64).sqrt();
    (mean, if sd > 0.0 { sd } else { 1.0 })
}

/// Rows `x` as a float32 tensor `(n, d)`.
pub(super) fn to_tensor(x: ArrayView2<'_, f64>) -> Result<Tensor> {
    let values: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    Tensor::f_from_slice(&values)
        .and_then(|t| t.f_view([x.nrows() as i64, x.ncols() as i64]))
        .map_err(torch("rows to tensor"))
}

impl MlpStudent {
    /// Trains on rows `x` `(n, d)` for `task` on `target` (a teacher's outputs, or true classes
    /// taken one-hot, or true values), with `labels` the true classes for the cross-entropy
    /// share of a kd loss; `on_epoch` hears every epoch. Errors: a kd loss on a regression
    /// task, bad widths or device, a diverging run ([`Error::Diverged`]).
    pub fn fit(
        params: &MlpParams,
        x: ArrayView2<'_, f64>,
        task: Task,
        target: FitTarget<'_>,
        labels: Option<&[usize]>,
        on_epoch: &mut dyn FnMut(&EpochRecord),
    ) -> Result<Self> {
        let device = params.device.device()?;
        let n = x.nrows();
        let (mean, sd): (Vec<f64>, Vec<f64>) =
            x.columns().into_iter().map(|c| moments(c.iter().copied(), n)).unzip();
        let form = if task.is_classification() { TargetForm::ClassProbabilities } else { TargetForm::Values };
        let target = form.build(&target)?.into_matrix();
        let loss = params.loss.unwrap_or(if task.is_classification() {
            MlpLoss::Kd { temperature: 1.0, alpha: 1.0 }
        } else {
            MlpLoss::Mse
        });
        let scale = if task.is_classification() {
            (0.0, 1.0)
        } else {
            moments(target.column(0).into_iter().copied(), n)
        };
        let signal = match (task.is_classification(), loss) {
            (true, _) => target.mapv(|p| p.max(1e-12).ln()),
            (false, MlpLoss::Mse) => target.mapv(|v| (v - scale.0) / scale.1),
            (false, MlpLoss::Kd { .. }) => {
                return Err(Error::InvalidParameter {
                    name: "loss".into(),
                    reason: "kd needs a classification teacher; use mse for regression".into(),
                });
            }
        };
        let term = match loss {
            MlpLoss::Kd { temperature, alpha } => Term::Kd(KdLossConfig::hinton(temperature, alpha).init()?),
            MlpLoss::Mse => Term::Mse,
        };
        tch::manual_seed(params.seed as i64);
        let store = nn::VarStore::new(device);
        let config = MlpConfig {
            input: x.ncols() as i64,
            hidden: params.hidden.clone(),
            output: target.ncols() as i64,
        };
        let net = config.init(&store.root())?;
        let mut student =
            Self { net, store, mean, sd, task, hidden: params.hidden.clone(), scale, log: empty_log() };
        let inputs = student.inputs(x)?;
        let teacher = TeacherSignal::Outputs(
            to_tensor(signal.view())?.f_to_device(device).map_err(torch("to device"))?,
        );
        let y = labels
            .map(|l| {
                let classes: Vec<i64> = l.iter().map(|&c| c as i64).collect();
                Tensor::f_from_slice(&classes).and_then(|t| t.f_to_device(device)).map_err(torch("labels"))
            })
            .transpose()?;
        let config = DistillerConfig {
            epochs: params.epochs,
            batch_size: params.batch_size,
            optimizer: OptimizerKind::adam(params.learning_rate),
            seed: params.seed,
            device,
            ..Default::default()
        };
        let terms = vec![WeightedTerm { weight: 1.0, term }];
        student.log = Distiller::new(config, terms, teacher)?.fit(
            &student.net,
            &student.store,
            &inputs,
            y.as_ref(),
            on_epoch,
        )?;
        Ok(student)
    }

    /// Rows `x` standardised, as a tensor on the student's device.
    fn inputs(&self, x: ArrayView2<'_, f64>) -> Result<Tensor> {
        if x.ncols() != self.mean.len() {
            return Err(Error::ShapeMismatch {
                context: "MLP student input (features)".into(),
                expected: self.mean.len().to_string(),
                got: x.ncols().to_string(),
            });
        }
        let scaled = Array2::from_shape_fn(x.dim(), |(i, j)| (x[[i, j]] - self.mean[j]) / self.sd[j]);
        to_tensor(scaled.view())?.f_to_device(self.store.device()).map_err(torch("to device"))
    }

    /// Class probabilities `(n, k)` or values `(n, 1)` for rows `x`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let z = logits(&self.net, &self.inputs(x)?, 1024)?;
        let out = if self.task.is_classification() {
            z.f_softmax(1, Kind::Double)
        } else {
            z.f_to_kind(Kind::Double)
                .and_then(|v| v.f_mul_scalar(self.scale.1))
                .and_then(|v| v.f_add_scalar(self.scale.0))
        }
        .map_err(torch("outputs"))?;
        let (n, k) = match out.size()[..] {
            [n, k] => (n as usize, k as usize),
            _ => {
                return Err(Error::Torch { op: "outputs".into(), reason: format!("shape {:?}", out.size()) });
            }
        };
        let values: Vec<f64> =
            out.f_flatten(0, -1).and_then(|t| Vec::try_from(&t)).map_err(torch("outputs"))?;
        Array2::from_shape_vec((n, k), values)
            .map_err(|e| Error::Torch { op: "outputs".into(), reason: e.to_string() })
    }

    /// The training log.
    pub fn log(&self) -> &TrainingLog {
        &self.log
    }

    /// Trainable parameters.
    pub fn n_parameters(&self) -> usize {
        self.store.trainable_variables().iter().map(Tensor::numel).sum()
    }

    /// Size and training summary for a report.
    pub fn complexity(&self) -> serde_json::Value {
        let epochs = self.log.epochs.len();
        serde_json::json!({
            "hidden": self.hidden,
            "parameters": self.n_parameters(),
            "epochs": epochs,
            "final_train_loss": self.log.epochs.last().map(|r| r.train_loss),
            "samples_per_second": self.log.epochs.iter().map(|r| r.samples_per_second).sum::<f64>() / epochs.max(1) as f64,
        })
    }

    /// One line: the layer widths and the training time (an MLP has no readable form).
    pub fn summary(&self) -> String {
        let widths: Vec<String> = std::iter::once(self.mean.len() as i64)
            .chain(self.hidden.iter().copied())
            .chain([self.task.n_outputs() as i64])
            .map(|w| w.to_string())
            .collect();
        format!(
            "MLP {} (ReLU), trained {} epochs in {:.2} s",
            widths.join(" → "),
            self.log.epochs.len(),
            self.log.seconds
        )
    }
}

fn empty_log() -> TrainingLog {
    TrainingLog {
        n_train: 0,
        n_validation: 0,
        epochs: Vec::new(),
        best_epoch: 0,
        stopped_early: false,
        seconds: 0.0,
    }
}

impl MlpStudent {
    /// The student as a [`SavedMlp`] for features `features` and classes `classes`.
    pub fn saved(&self, features: &[String], classes: Option<&[String]>) -> Result<SavedMlp> {
        let mut layers = self
            .store
            .variables()
            .into_iter()
            .map(|(name, t)| {
                let values = t
                    .f_to_device(Device::Cpu)
                    .and_then(|t| t.f_to_kind(Kind::Float))
                    .and_then(|t| t.f_flatten(0, -1))
                    .and_then(|t| Vec::<f32>::try_from(&t))
                    .map_err(torch("save weights"))?;
                Ok(SavedLayer { name, shape: t.size(), values })
            })
            .collect::<Result<Vec<_>>>()?;
        layers.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(SavedMlp {
            format: MLP_FORMAT.into(),
            version: MLP_VERSION,
            task: self.task.name().into(),
            features: features.to_vec(),
            classes: classes.map(<[String]>::to_vec),
            hidden: self.hidden.clone(),
            mean: self.mean.clone(),
            sd: self.sd.clone(),
            output_scale: self.scale,
            layers,
            training: self.log.clone(),
        })
    }

    /// The student a [`SavedMlp`] holds, on the CPU, predicting as it did when saved.
    pub fn from_saved(saved: &SavedMlp) -> Result<Self> {
        saved.validate()?;
        let task = saved.task()?;
        let store = nn::VarStore::new(Device::Cpu);
        let config = MlpConfig {
            input: saved.features.len() as i64,
            hidden: saved.hidden.clone(),
            output: task.n_outputs() as i64,
        };
        let net = config.init(&store.root())?;
        let variables = store.variables();
        tch::no_grad(|| {
            for layer in &saved.layers {
                let mut target = variables
                    .get(&layer.name)
                    .ok_or_else(|| corrupt(format!("no variable {} in the network", layer.name)))?
                    .shallow_clone();
                let values = Tensor::f_from_slice(&layer.values)
                    .and_then(|t| t.f_view(layer.shape.as_slice()))
                    .map_err(torch("load weights"))?;
                target.f_copy_(&values).map_err(torch("load weights"))?;
            }
            Ok::<_, Error>(())
        })?;
        Ok(MlpStudent {
            net,
            store,
            mean: saved.mean.clone(),
            sd: saved.sd.clone(),
            task,
            hidden: saved.hidden.clone(),
            scale: saved.output_scale,
            log: saved.training.clone(),
        })
    }
}
