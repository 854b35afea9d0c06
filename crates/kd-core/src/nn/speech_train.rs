//! Training several speech CNNs at once (an ensemble's members, or the students of an
//! experiment) and combining an ensemble's outputs.
//!
//! Small CNNs use libtorch's intra-op threads poorly (and OpenMP's spinning threads suffer on a
//! shared machine), so [`train_many`] trains `workers` models side by side, each on one
//! intra-op thread. Every model's weights are drawn before the threads start and every batch
//! order comes from its own seed, so the result does not depend on the number of workers.

use std::collections::VecDeque;
use std::sync::Mutex;

use ndarray::ArrayView2;
use tch::{Kind, Tensor};

use super::distiller::{DistillerConfig, TeacherSignal};
use super::speech::SpeechCnn;
use super::term::{Term, WeightedTerm};
use crate::loss::kd::KdLossConfig;
use crate::loss::torch;
use crate::{Error, Result};

/// What a model learns from.
#[derive(Debug)]
pub enum SpeechTarget {
    /// The true labels (cross-entropy).
    Labels,
    /// Hinton's loss `α·T²·KL(teacher_T ‖ student_T) + (1 − α)·CE` on the teacher's logits (or
    /// log-probabilities) for every training row, `(n, k)`.
    Distil {
        /// The teacher's outputs on the training rows.
        teacher: Tensor,
        /// Temperature `T`.
        temperature: f64,
        /// Weight `α` of the soft term.
        alpha: f64,
        /// The teacher, in words (saved with the model).
        name: String,
    },
}

/// One model to train and how.
#[derive(Debug)]
pub struct SpeechJob {
    /// The initialised model.
    pub model: SpeechCnn,
    /// Its targets.
    pub target: SpeechTarget,
    /// The trainer's settings.
    pub config: DistillerConfig,
}

fn train_one(job: SpeechJob, images: ArrayView2<'_, f64>, labels: &[usize]) -> Result<SpeechCnn> {
    let SpeechJob { mut model, target, config } = job;
    let (term, teacher, trained_on) = match target {
        SpeechTarget::Labels => (Term::CrossEntropy, TeacherSignal::None, "the true labels".to_owned()),
        SpeechTarget::Distil { teacher, temperature, alpha, name } => (
            Term::Kd(KdLossConfig::hinton(temperature, alpha).init()?),
            TeacherSignal::Outputs(teacher.f_to_device(config.device).map_err(torch("teacher to device"))?),
            format!("{name} (Hinton's loss, T = {temperature}, alpha = {alpha})"),
        ),
    };
    model.fit(
        images,
        labels,
        vec![WeightedTerm { weight: 1.0, term }],
        teacher,
        config,
        trained_on,
        &mut |_| {},
    )?;
    Ok(model)
}

/// Trains every job on `images` `(n, bands · frames)` with classes `labels`, `workers` at a
/// time (each on one libtorch intra-op thread), and returns the models in the jobs' order.
/// The caller's intra-op thread count is restored afterwards.
pub fn train_many(
    jobs: Vec<SpeechJob>,
    images: ArrayView2<'_, f64>,
    labels: &[usize],
    workers: usize,
) -> Result<Vec<SpeechCnn>> {
    let count = jobs.len();
    let queue = Mutex::new(jobs.into_iter().enumerate().collect::<VecDeque<_>>());
    let done: Mutex<Vec<(usize, Result<SpeechCnn>)>> = Mutex::new(Vec::with_capacity(count));
    let threads_before = tch::get_num_threads();
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, count.max(1)) {
            scope.spawn(|| {
                tch::set_num_threads(1);
                loop {
                    let next = queue.lock().map(|mut q| q.pop_front()).unwrap_or(None);
                    let Some((i, job)) = next else { break };
                    let trained = train_one(job, images, labels);
                    let failed = trained.is_err();
                    if let Ok(mut d) = done.lock() {
                        d.push((i, trained));
                    }
                    if failed {
                        break;
                    }
                }
            });
        }
    });
    tch::set_num_threads(threads_before);
    let mut done = done.into_inner().map_err(|_| Error::InvalidParameter {
        name: "training".into(),
        reason: "a training thread panicked".into(),
    })?;
    done.sort_by_key(|(i, _)| *i);
    let models: Vec<SpeechCnn> = done.into_iter().map(|(_, m)| m).collect::<Result<_>>()?;
    if models.len() != count {
        return Err(Error::InvalidParameter {
            name: "training".into(),
            reason: format!("{} of {count} models were trained", models.len()),
        });
    }
    Ok(models)
}

/// An ensemble's log-probabilities `ln( (1/M) Σ_m softmax(z_m) )` `(n, k)` for `images`: the
/// logits of the averaged probabilities, whose softmax at temperature `T` is the ensemble's
/// tempered distribution.
pub fn ensemble_log_probabilities(models: &[SpeechCnn], images: ArrayView2<'_, f64>) -> Result<Tensor> {
    let mut sum: Option<Tensor> = None;
    for model in models {
        let p = model.logits(images)?.f_softmax(1, Kind::Float).map_err(torch("softmax"))?;
        sum = Some(match sum {
            None => p,
            Some(s) => s.f_add(&p).map_err(torch("sum"))?,
        });
    }
    let sum =
        sum.ok_or_else(|| Error::InvalidParameter { name: "ensemble".into(), reason: "no members".into() })?;
    sum.f_div_scalar(models.len() as f64)
        .and_then(|p| p.f_clamp_min(1e-12))
        .and_then(|p| p.f_log())
        .map_err(torch("ensemble log-probabilities"))
}
