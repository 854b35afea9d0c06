//! Neural students of `kd distill` (`--student mlp:64,64`), trained with kd-core's `Distiller`
//! on the teacher's outputs: features standardised with the training rows' mean and standard
//! deviation; classification teachers' probabilities `p` become logits `ln p` (their softmax at
//! temperature `T` is the tempered distribution `p^{1/T}` normalised), regression teachers'
//! values are matched by MSE.

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::Task;
use kd::core::loss::kd::KdLossConfig;
use kd::core::nn::{
    Distiller, DistillerConfig, Mlp, MlpConfig, OptimizerKind, TeacherSignal, Term, TrainingLog,
    WeightedTerm, logits,
};
use kd::core::tch::{Device, Kind, Tensor, nn};
use ndarray::{Array2, ArrayView2};
use serde::Serialize;

/// The objective of a neural student, from `--loss`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LossSpec {
    /// `kd:T=4,alpha=0.9`: `α·T²·KL(teacher_T ‖ student_T) + (1 − α)·CE(student, labels)`.
    Kd {
        /// Temperature.
        temperature: f64,
        /// Weight of the soft term.
        alpha: f64,
    },
    /// `mse`: mean squared error to the teacher's logits or values.
    Mse,
}

/// Parses `kd[:T=4,alpha=0.9]` or `mse`.
pub fn parse_loss(text: &str) -> Result<LossSpec, String> {
    let (name, options) = text.split_once(':').unwrap_or((text, ""));
    match name {
        "mse" if options.is_empty() => Ok(LossSpec::Mse),
        "kd" => {
            let (mut temperature, mut alpha) = (1.0, 1.0);
            for option in options.split(',').filter(|o| !o.is_empty()) {
                let (key, value) = option.split_once('=').ok_or(format!("'{option}' is not key=value"))?;
                let value: f64 = value.parse().map_err(|_| format!("'{value}' is not a number"))?;
                match key {
                    "T" | "t" | "temperature" => temperature = value,
                    "alpha" => alpha = value,
                    _ => return Err(format!("unknown kd option '{key}' (T, alpha)")),
                }
            }
            if !(temperature > 0.0 && (0.0..=1.0).contains(&alpha)) {
                return Err(format!("kd needs T > 0 and 0 ≤ alpha ≤ 1, got T={temperature}, alpha={alpha}"));
            }
            Ok(LossSpec::Kd { temperature, alpha })
        }
        _ => Err(format!("'{text}' is not a loss: kd[:T=4,alpha=0.9] or mse")),
    }
}

/// Training settings from the command line.
#[derive(Debug, Clone)]
pub struct NeuralArgs {
    /// Hidden widths.
    pub hidden: Vec<i64>,
    /// The loss (default: kd at T = 1 for classification, mse for regression).
    pub loss: Option<LossSpec>,
    /// Epochs.
    pub epochs: usize,
    /// Batch size.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// `cpu` or `cuda`.
    pub device: String,
    /// Where to write the training log.
    pub log: Option<PathBuf>,
    /// Seed of the weights and batches.
    pub seed: u64,
}

/// A trained MLP student with the standardisation it was trained with.
pub struct NeuralStudent {
    net: Mlp,
    store: nn::VarStore,
    mean: Vec<f64>,
    sd: Vec<f64>,
    task: Task,
    hidden: Vec<i64>,
    outputs: i64,
    /// Regression: the teacher values' mean and standard deviation (the network predicts the
    /// standardised value); `(0, 1)` for classification.
    scale: (f64, f64),
    log: TrainingLog,
}

#[derive(Serialize)]
struct SavedLayer {
    name: String,
    shape: Vec<i64>,
    values: Vec<f32>,
}

#[derive(Serialize)]
struct SavedMlp<'a> {
    format: &'static str,
    version: u64,
    task: &'static str,
    features: &'a [String],
    classes: Option<&'a [String]>,
    hidden: &'a [i64],
    mean: &'a [f64],
    sd: &'a [f64],
    output_scale: (f64, f64),
    layers: Vec<SavedLayer>,
    training: &'a TrainingLog,
}

fn invalid(name: &str, reason: String) -> anyhow::Error {
    kd::core::Error::InvalidParameter { name: name.into(), reason }.into()
}

fn device(name: &str) -> anyhow::Result<Device> {
    match name {
        "cpu" => Ok(Device::Cpu),
        "cuda" if kd::core::tch::Cuda::is_available() => Ok(Device::Cuda(0)),
        "cuda" => Err(invalid("--device", "cuda, but no CUDA device is available".into())),
        other => Err(invalid("--device", format!("'{other}': use cpu or cuda"))),
    }
}

impl NeuralStudent {
    /// Trains on rows `x` `(n, d)` with the teacher's outputs `teacher` (probabilities `(n, k)`
    /// or values `(n, 1)`) and, for classification, the labels `labels`.
    pub fn fit(
        args: &NeuralArgs,
        task: Task,
        x: ArrayView2<'_, f64>,
        teacher: &Array2<f64>,
        labels: Option<&[usize]>,
    ) -> anyhow::Result<Self> {
        let device = device(&args.device)?;
        let n = x.nrows();
        let mean: Vec<f64> = x.columns().into_iter().map(|c| c.sum() / n as f64).collect();
        let sd: Vec<f64> = x
            .columns()
            .into_iter()
            .zip(&mean)
            .map(|(c, m)| (c.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n as f64).sqrt())
            .map(|s| if s > 0.0 { s } else { 1.0 })
            .collect();
        let outputs = teacher.ncols() as i64;
        let loss = args.loss.unwrap_or(if task.is_classification() {
            LossSpec::Kd { temperature: 1.0, alpha: 1.0 }
        } else {
            LossSpec::Mse
        });
        let values = teacher.column(0);
        let scale = if task.is_classification() {
            (0.0, 1.0)
        } else {
            let m = values.sum() / n as f64;
            let s = (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n as f64).sqrt();
            (m, if s > 0.0 { s } else { 1.0 })
        };
        let target = match (task.is_classification(), loss) {
            (true, _) => teacher.mapv(|p| p.max(1e-12).ln()),
            (false, LossSpec::Mse) => teacher.mapv(|v| (v - scale.0) / scale.1),
            (false, LossSpec::Kd { .. }) => {
                return Err(invalid(
                    "--loss",
                    "kd needs a classification teacher; use mse for regression".into(),
                ));
            }
        };
        let term = match loss {
            LossSpec::Kd { temperature, alpha } => Term::Kd(KdLossConfig::hinton(temperature, alpha).init()?),
            LossSpec::Mse => Term::Mse,
        };
        kd::core::tch::manual_seed(args.seed as i64);
        let store = nn::VarStore::new(device);
        let net = MlpConfig { input: x.ncols() as i64, hidden: args.hidden.clone(), output: outputs }
            .init(&store.root())?;
        let mut student = Self {
            net,
            store,
            mean,
            sd,
            task,
            hidden: args.hidden.clone(),
            outputs,
            scale,
            log: empty_log(),
        };
        let inputs = student.inputs(x)?.to_device(device);
        let teacher_signal = TeacherSignal::Outputs(to_tensor(target.view())?.to_device(device));
        let y = labels
            .map(|l| Tensor::from_slice(&l.iter().map(|&c| c as i64).collect::<Vec<_>>()).to_device(device));
        let config = DistillerConfig {
            epochs: args.epochs,
            batch_size: args.batch_size,
            optimizer: OptimizerKind::adam(args.learning_rate),
            seed: args.seed,
            device,
            ..Default::default()
        };
        let bar = indicatif::ProgressBar::new(args.epochs as u64);
        bar.set_style(indicatif::ProgressStyle::with_template("training {bar:30} epoch {pos}/{len} {msg}")?);
        let log = Distiller::new(config, vec![WeightedTerm { weight: 1.0, term }], teacher_signal)?.fit(
            &student.net,
            &student.store,
            &inputs,
            y.as_ref(),
            &mut |r| {
                bar.inc(1);
                bar.set_message(format!("loss {:.4}", r.train_loss));
            },
        )?;
        bar.finish_and_clear();
        if let Some(path) = &args.log {
            super::write_file(path, &super::to_json(&log)?)?;
        }
        student.log = log;
        Ok(student)
    }

    fn inputs(&self, x: ArrayView2<'_, f64>) -> anyhow::Result<Tensor> {
        let scaled = Array2::from_shape_fn(x.dim(), |(i, j)| (x[[i, j]] - self.mean[j]) / self.sd[j]);
        to_tensor(scaled.view())
    }

    /// Class probabilities `(n, k)` or values `(n, 1)` for rows `x`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> anyhow::Result<Array2<f64>> {
        let z = logits(&self.net, &self.inputs(x)?.to_device(self.store.device()), 1024)?;
        let out = if self.task.is_classification() {
            z.softmax(1, Kind::Double)
        } else {
            z.to_kind(Kind::Double) * self.scale.1 + self.scale.0
        };
        let (n, k) = (out.size()[0] as usize, out.size()[1] as usize);
        let values: Vec<f64> = Vec::try_from(out.flatten(0, -1))?;
        Ok(Array2::from_shape_vec((n, k), values)?)
    }

    /// Size and training summary for the report.
    pub fn complexity(&self) -> serde_json::Value {
        let parameters: i64 = self.store.trainable_variables().iter().map(|t| t.numel() as i64).sum();
        serde_json::json!({
            "hidden": self.hidden,
            "parameters": parameters,
            "epochs": self.log.epochs.len(),
            "final_train_loss": self.log.epochs.last().map(|r| r.train_loss),
            "samples_per_second": self.log.epochs.iter().map(|r| r.samples_per_second).sum::<f64>() / self.log.epochs.len().max(1) as f64,
        })
    }

    /// A text summary (an MLP has no readable form; its fidelity is what the report shows).
    pub fn explain(&self, names: &[String]) -> String {
        let mut o = format!(
            "MLP {} → {} → {} (ReLU)",
            names.len(),
            self.hidden.iter().map(i64::to_string).collect::<Vec<_>>().join(" → "),
            self.outputs
        );
        let _ = write!(o, ", trained {} epochs in {:.2} s", self.log.epochs.len(), self.log.seconds);
        o
    }

    /// The student as JSON (format `kd-mlp`, version 1): the input standardisation (`mean`,
    /// `sd`), the output scale (regression: value = output · scale.1 + scale.0), every
    /// variable's shape and values (`l0.weight` is `(out, in)` as in PyTorch), the training log.
    pub fn to_json(&self, features: &[String], classes: Option<&[String]>) -> anyhow::Result<String> {
        let mut layers: Vec<SavedLayer> = self
            .store
            .variables()
            .into_iter()
            .map(|(name, t)| {
                let values: Vec<f32> =
                    Vec::try_from(t.to_device(Device::Cpu).to_kind(Kind::Float).flatten(0, -1))?;
                Ok(SavedLayer { name, shape: t.size(), values })
            })
            .collect::<anyhow::Result<_>>()?;
        layers.sort_by(|a, b| a.name.cmp(&b.name));
        let saved = SavedMlp {
            format: super::MLP_FORMAT,
            version: super::MLP_VERSION,
            task: self.task.name(),
            features,
            classes,
            hidden: &self.hidden,
            mean: &self.mean,
            sd: &self.sd,
            output_scale: self.scale,
            layers,
            training: &self.log,
        };
        super::to_json(&saved)
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

fn to_tensor(x: ArrayView2<'_, f64>) -> anyhow::Result<Tensor> {
    let values: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    Ok(Tensor::from_slice(&values).view([x.nrows() as i64, x.ncols() as i64]))
}
