//! The distillation trainer: a student learns from a frozen teacher with a weighted sum of
//! losses, `L = Σ_i w_i · L_i(student(x), teacher(x), y)`, by mini-batch SGD or Adam.
//!
//! Each epoch shuffles the training rows (ChaCha8 stream of `seed`), runs the student in train
//! mode and the teacher in eval mode under `no_grad`, steps the optimiser and re-applies the
//! pruning masks if any. With early stopping, a `validation_fraction` of the rows (drawn from the
//! same stream) is held out, the objective is evaluated on it after every epoch in eval mode,
//! training stops after `patience` epochs without improvement and the best epoch's weights are
//! restored. With an [`Augmentation`], every training batch is augmented (offsets from a second
//! ChaCha8 stream of the seed, so batch orders are those of the run without it) before the
//! student and an in-process teacher see it. This is the loop of torchdistill's `train` and
//! RepDistiller's `train_distill`.

use std::collections::BTreeMap;
use std::time::Instant;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use tch::{Device, Tensor, nn};

use super::augment::Augmentation;
use super::log::{EpochRecord, TrainingLog};
use super::network::{Network, Output};
use super::optim::{OptimizerKind, Schedule};
use super::prune::PruneMasks;
use super::term::WeightedTerm;
use crate::loss::torch;
use crate::{Error, Result};

/// What the teacher contributes.
#[derive(Debug)]
pub enum TeacherSignal<'a> {
    /// No teacher (training on labels alone).
    None,
    /// The teacher's outputs for every training row `(n, k)`, computed beforehand: logits, or
    /// log-probabilities of a probabilistic teacher (their softmax at temperature `T` is the
    /// tempered distribution), or values of a regression teacher.
    Outputs(Tensor),
    /// The teacher's logits and taps for every training row, computed beforehand, e.g. on a
    /// paired input of another modality (Gupta et al. 2016: the teacher sees the image, the
    /// student its depth map).
    Features(Output),
    /// An in-process network, run in eval mode under `no_grad` on each batch (needed by the
    /// feature losses, which read its taps).
    Network(&'a dyn Network),
}

/// Early stopping on a validation split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EarlyStopping {
    /// Share of the rows held out (0 < f < 1).
    pub validation_fraction: f64,
    /// Epochs without improvement of the validation objective before stopping (≥ 1).
    pub patience: usize,
}

/// The trainer's settings.
///
/// | field | default | meaning |
/// |---|---|---|
/// | `epochs` | 30 | passes over the training rows |
/// | `batch_size` | 64 | rows per step |
/// | `optimizer` | Adam, lr 1e-3 | see [`OptimizerKind`] |
/// | `schedule` | constant | see [`Schedule`] |
/// | `seed` | 0 | batch order and validation split |
/// | `early_stopping` | none | see [`EarlyStopping`] |
/// | `device` | CPU | where the student, teacher and batches live |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DistillerConfig {
    /// Epochs.
    pub epochs: usize,
    /// Batch size.
    pub batch_size: usize,
    /// Optimiser.
    pub optimizer: OptimizerKind,
    /// Learning-rate schedule.
    pub schedule: Schedule,
    /// Seed.
    pub seed: u64,
    /// Early stopping.
    pub early_stopping: Option<EarlyStopping>,
    /// Device.
    pub device: Device,
}

impl Default for DistillerConfig {
    fn default() -> Self {
        Self {
            epochs: 30,
            batch_size: 64,
            optimizer: OptimizerKind::adam(1e-3),
            schedule: Schedule::Constant,
            seed: 0,
            early_stopping: None,
            device: Device::Cpu,
        }
    }
}

/// The trainer: settings, the objective's terms and the teacher.
#[derive(Debug)]
pub struct Distiller<'a> {
    config: DistillerConfig,
    terms: Vec<WeightedTerm>,
    teacher: TeacherSignal<'a>,
    masks: Option<&'a PruneMasks>,
    augmentation: Option<Augmentation>,
}

fn invalid(name: &str, reason: String) -> Error {
    Error::InvalidParameter { name: name.into(), reason }
}

impl<'a> Distiller<'a> {
    /// Checks the settings against the terms and the teacher.
    pub fn new(
        config: DistillerConfig,
        terms: Vec<WeightedTerm>,
        teacher: TeacherSignal<'a>,
    ) -> Result<Self> {
        config.optimizer.check()?;
        config.schedule.check()?;
        if config.epochs == 0 || config.batch_size == 0 {
            return Err(invalid(
                "epochs/batch_size",
                format!("{} and {}; both must be at least 1", config.epochs, config.batch_size),
            ));
        }
        if let Some(e) = config.early_stopping
            && !(e.validation_fraction > 0.0 && e.validation_fraction < 1.0 && e.patience >= 1)
        {
            return Err(invalid(
                "early_stopping",
                format!("{e:?}: need 0 < validation_fraction < 1 and patience ≥ 1"),
            ));
        }
        if terms.is_empty() {
            return Err(invalid("loss", "no terms: give at least one loss".into()));
        }
        if let Some(w) = terms.iter().find(|w| !(w.weight.is_finite() && w.weight >= 0.0)) {
            return Err(invalid(
                "loss",
                format!("{:?} has weight {}; weights are finite and ≥ 0", w.term, w.weight),
            ));
        }
        let has_network = matches!(teacher, TeacherSignal::Network(_) | TeacherSignal::Features(_));
        let has_teacher = !matches!(teacher, TeacherSignal::None);
        if let Some(w) = terms.iter().find(|w| {
            (w.term.needs_teacher() && !has_teacher) || (w.term.needs_teacher_taps() && !has_network)
        }) {
            return Err(invalid(
                "teacher",
                format!(
                    "{:?} needs {}",
                    w.term,
                    if has_teacher {
                        "the teacher's taps (an in-process network or precomputed features)"
                    } else {
                        "a teacher"
                    }
                ),
            ));
        }
        Ok(Self { config, terms, teacher, masks: None, augmentation: None })
    }

    /// Keeps pruned weights at zero after every step (retraining a pruned network).
    pub fn with_masks(mut self, masks: &'a PruneMasks) -> Self {
        self.masks = Some(masks);
        self
    }

    /// Augments every training batch (see [`Augmentation`]). Refused with precomputed teacher
    /// outputs or features, which were computed on the images before augmentation.
    pub fn with_augmentation(mut self, augmentation: Augmentation) -> Result<Self> {
        augmentation.check()?;
        if matches!(self.teacher, TeacherSignal::Outputs(_) | TeacherSignal::Features(_)) {
            return Err(invalid(
                "augmentation",
                "the teacher's outputs were computed on unaugmented rows; give an in-process teacher network"
                    .into(),
            ));
        }
        self.augmentation = Some(augmentation);
        Ok(self)
    }

    /// The objective on one batch `rows` (int64 indices into `x`), augmented by `shift` when
    /// given.
    fn objective(
        &self,
        student: &dyn Network,
        (x, y): (&Tensor, Option<&Tensor>),
        rows: &Tensor,
        train: bool,
        shift: Option<&mut ChaCha8Rng>,
    ) -> Result<Tensor> {
        let mut xb = x.f_index_select(0, rows).map_err(torch("batch"))?;
        if let (Some(a), Some(rng)) = (self.augmentation, shift) {
            xb = a.apply(&xb, rng)?;
        }
        let yb = y.map(|y| y.f_index_select(0, rows)).transpose().map_err(torch("labels"))?;
        let teacher: Option<Output> = match &self.teacher {
            TeacherSignal::None => None,
            TeacherSignal::Outputs(t) => Some(Output {
                logits: t.f_index_select(0, rows).map_err(torch("teacher outputs"))?,
                taps: Vec::new(),
            }),
            TeacherSignal::Features(f) => {
                let pick = |t: &Tensor| t.f_index_select(0, rows).map_err(torch("teacher features"));
                Some(Output {
                    logits: pick(&f.logits)?,
                    taps: f.taps.iter().map(pick).collect::<Result<_>>()?,
                })
            }
            TeacherSignal::Network(net) => Some(tch::no_grad(|| net.forward_taps(&xb, false))?),
        };
        let out = student.forward_taps(&xb, train)?;
        let mut total: Option<Tensor> = None;
        for w in &self.terms {
            let Some(term) = w.term.loss(&out, teacher.as_ref(), yb.as_ref(), rows, train)? else { continue };
            let term = term.f_mul_scalar(w.weight).map_err(torch("weight"))?;
            total = Some(match total {
                None => term,
                Some(t) => t.f_add(&term).map_err(torch("sum of terms"))?,
            });
        }
        // Only when every term sat this evaluation out (CRD alone, on validation rows).
        total.map_or_else(|| Tensor::f_zeros([], (tch::Kind::Float, x.device())).map_err(torch("zero")), Ok)
    }

    fn check_rows(&self, x: &Tensor, y: Option<&Tensor>) -> Result<i64> {
        let n = x.size().first().copied().unwrap_or(0);
        let need = |what: &str, rows: Option<i64>| match rows {
            Some(r) if r != n => Err(invalid(what, format!("{r} rows for {n} input rows"))),
            _ => Ok(()),
        };
        need("labels", y.map(|y| y.size()[0]))?;
        match &self.teacher {
            TeacherSignal::Outputs(t) => need("teacher outputs", t.size().first().copied())?,
            TeacherSignal::Features(f) => {
                for t in std::iter::once(&f.logits).chain(&f.taps) {
                    need("teacher features", t.size().first().copied())?;
                }
            }
            TeacherSignal::None | TeacherSignal::Network(_) => {}
        }
        if self.terms.iter().any(|w| w.term.needs_labels()) && y.is_none() {
            return Err(invalid("labels", "the cross-entropy term needs labels".into()));
        }
        let min = if self.config.early_stopping.is_some() { 2 } else { 1 };
        if n < min {
            return Err(invalid("rows", format!("{n} training rows; need at least {min}")));
        }
        Ok(n)
    }

    /// Trains `student`, whose trainable variables (and those of any learnable loss, such as a
    /// hint regressor) live in `store`, on rows `x` `(n, d)` float32 and optional labels `y`
    /// `(n,)` int64. `on_epoch` sees each epoch's record (for a progress bar).
    pub fn fit(
        &self,
        student: &dyn Network,
        store: &nn::VarStore,
        x: &Tensor,
        y: Option<&Tensor>,
        on_epoch: &mut dyn FnMut(&EpochRecord),
    ) -> Result<TrainingLog> {
        let started = Instant::now();
        let c = self.config;
        let n = self.check_rows(x, y)?;
        let mut rng = ChaCha8Rng::seed_from_u64(c.seed);
        let mut shift_rng = ChaCha8Rng::seed_from_u64(c.seed);
        shift_rng.set_stream(1);
        let mut rows: Vec<i64> = (0..n).collect();
        let n_validation = match c.early_stopping {
            Some(e) => {
                rows.shuffle(&mut rng);
                ((n as f64 * e.validation_fraction).round() as i64).clamp(1, n - 1) as usize
            }
            None => 0,
        };
        let validation = Tensor::from_slice(&rows[..n_validation]);
        let mut train = rows[n_validation..].to_vec();
        let mut optimizer = c.optimizer.build(store)?;
        let mut log = TrainingLog {
            n_train: train.len(),
            n_validation,
            epochs: Vec::new(),
            best_epoch: 0,
            stopped_early: false,
            seconds: 0.0,
        };
        let mut best: Option<(f64, BTreeMap<String, Tensor>)> = None;
        for epoch in 0..c.epochs {
            let epoch_start = Instant::now();
            let rate = c.schedule.rate(c.optimizer.learning_rate(), epoch, c.epochs);
            optimizer.set_lr(rate);
            train.shuffle(&mut rng);
            let mut sum = 0.0;
            for batch in train.chunks(c.batch_size) {
                let index = Tensor::from_slice(batch);
                let loss = self.objective(student, (x, y), &index, true, Some(&mut shift_rng))?;
                let value = loss.f_double_value(&[]).map_err(torch("loss value"))?;
                if !value.is_finite() {
                    return Err(Error::Diverged { epoch, loss: value });
                }
                optimizer.zero_grad();
                loss.f_backward().map_err(torch("backward"))?;
                optimizer.step();
                if let Some(m) = self.masks {
                    m.apply(store)?;
                }
                sum += value * batch.len() as f64;
            }
            let validation_loss = if n_validation > 0 {
                Some(
                    tch::no_grad(|| self.objective(student, (x, y), &validation, false, None))?
                        .f_double_value(&[])
                        .map_err(torch("loss value"))?,
                )
            } else {
                None
            };
            let seconds = epoch_start.elapsed().as_secs_f64();
            let record = EpochRecord {
                epoch,
                learning_rate: rate,
                train_loss: sum / train.len() as f64,
                validation_loss,
                seconds,
                samples_per_second: train.len() as f64 / seconds.max(1e-9),
            };
            on_epoch(&record);
            log.epochs.push(record);
            log.best_epoch = epoch;
            let (Some(v), Some(stop)) = (validation_loss, c.early_stopping) else { continue };
            match &best {
                Some((b, _)) if v >= *b => {
                    let since = epoch
                        - log.epochs.iter().position(|r| r.validation_loss == Some(*b)).unwrap_or(epoch);
                    if since >= stop.patience {
                        log.stopped_early = true;
                        break;
                    }
                }
                _ => best = Some((v, snapshot(store)?)),
            }
        }
        if let Some((b, weights)) = best {
            restore(store, &weights)?;
            log.best_epoch =
                log.epochs.iter().position(|r| r.validation_loss == Some(b)).unwrap_or(log.best_epoch);
        }
        log.seconds = started.elapsed().as_secs_f64();
        Ok(log)
    }
}

fn snapshot(store: &nn::VarStore) -> Result<BTreeMap<String, Tensor>> {
    store
        .variables()
        .into_iter()
        .map(|(k, v)| Ok((k, v.f_detach_copy().map_err(torch("copy weights"))?)))
        .collect()
}

fn restore(store: &nn::VarStore, weights: &BTreeMap<String, Tensor>) -> Result<()> {
    let current = store.variables();
    tch::no_grad(|| {
        for (name, w) in weights {
            if let Some(v) = current.get(name) {
                v.shallow_clone().f_copy_(w).map_err(torch("restore weights"))?;
            }
        }
        Ok(())
    })
}
