//! The terms a [`Distiller`](super::Distiller) adds up: `L = Σ_i w_i · L_i`.

use std::sync::Mutex;

use tch::Tensor;

use super::network::Output;
use crate::loss::contrastive::{ContrastSampler, Crd};
use crate::loss::cross_modal::CrossModalHint;
use crate::loss::feature::{AttentionTransfer, Hint, NeuronSelectivity};
use crate::loss::kd::{KdLoss, mse, soft_binary_cross_entropy};
use crate::loss::relational::{Relational, probabilistic_transfer, similarity_preserving};
use crate::loss::torch;
use crate::{Error, Result};

/// One loss of the objective. Tap indices refer to [`Output::taps`] of the student and of the
/// teacher (first hidden layer or stage first).
#[derive(Debug)]
pub enum Term {
    /// Cross-entropy of the student's logits `(n, k)` with the true labels `(n,)`.
    CrossEntropy,
    /// Hinton's soft-target loss on the logits (with the labels when it has `alpha`).
    Kd(KdLoss),
    /// Soft binary cross-entropy of one student logit against one teacher logit.
    SoftBinary {
        /// Temperature.
        temperature: f64,
    },
    /// Mean squared error between the student's and the teacher's outputs: logit matching (Ba &
    /// Caruana 2014) or a regression teacher's values.
    Mse,
    /// FitNets hint (Romero et al. 2015): the regressor maps the student tap to the teacher's.
    /// With an identity-width regressor and a frozen teacher on a paired input this is also
    /// Gupta et al.'s (2016) supervision transfer.
    Hint {
        /// Student tap.
        student: usize,
        /// Teacher tap.
        teacher: usize,
        /// The (learnable) regressor and distance.
        hint: Hint,
    },
    /// Attention transfer over pairs `(student tap, teacher tap)` of 4-d maps.
    Attention {
        /// Tap pairs.
        pairs: Vec<(usize, usize)>,
        /// The loss.
        loss: AttentionTransfer,
    },
    /// Neuron selectivity transfer over pairs `(student tap, teacher tap)` of 4-d maps.
    Selectivity {
        /// Tap pairs.
        pairs: Vec<(usize, usize)>,
        /// The loss.
        loss: NeuronSelectivity,
    },
    /// Relational KD (distance and angle) between two taps, flattened per row.
    Relational {
        /// Student tap.
        student: usize,
        /// Teacher tap.
        teacher: usize,
        /// The loss.
        loss: Relational,
    },
    /// Similarity-preserving KD between two taps.
    SimilarityPreserving {
        /// Student tap.
        student: usize,
        /// Teacher tap.
        teacher: usize,
    },
    /// Probabilistic knowledge transfer between two taps.
    ProbabilisticTransfer {
        /// Student tap.
        student: usize,
        /// Teacher tap.
        teacher: usize,
    },
    /// Gupta et al.'s (2016) supervision transfer: L2 between a student tap and the frozen
    /// teacher's, usually on paired inputs of another modality ([`TeacherSignal::Features`](super::TeacherSignal::Features)).
    CrossModal {
        /// Student tap.
        student: usize,
        /// Teacher tap.
        teacher: usize,
        /// The loss (with its optional adaptor).
        hint: CrossModalHint,
    },
    /// Contrastive representation distillation (Tian et al. 2020) between two taps, flattened
    /// per row. Its memory banks are indexed by training row, so it needs the batch's row
    /// indices, and it updates them on every training batch; it is left out of the validation
    /// objective (RepDistiller validates on accuracy). Negatives come from the sampler.
    Contrastive {
        /// Student tap.
        student: usize,
        /// Teacher tap.
        teacher: usize,
        /// The loss with its heads and memory banks, and the negatives' sampler.
        crd: Box<Mutex<(Crd, ContrastSampler)>>,
    },
}

/// A term and its weight `w_i`.
#[derive(Debug)]
pub struct WeightedTerm {
    /// The weight.
    pub weight: f64,
    /// The term.
    pub term: Term,
}

fn tap<'o>(output: &'o Output, index: usize, whose: &str) -> Result<&'o Tensor> {
    output.taps.get(index).ok_or_else(|| Error::InvalidParameter {
        name: format!("{whose} tap"),
        reason: format!("index {index}, but the network has {} taps", output.taps.len()),
    })
}

fn flat(t: &Tensor) -> Result<Tensor> {
    t.f_flatten(1, -1).map_err(torch("flatten"))
}

impl Term {
    /// Whether the term reads the teacher.
    pub fn needs_teacher(&self) -> bool {
        !matches!(self, Term::CrossEntropy)
    }

    /// Whether the term reads the teacher's taps (so the teacher must be a [`Network`](super::Network)).
    pub fn needs_teacher_taps(&self) -> bool {
        !matches!(self, Term::CrossEntropy | Term::Kd(_) | Term::SoftBinary { .. } | Term::Mse)
    }

    /// Whether the term reads the true labels.
    pub fn needs_labels(&self) -> bool {
        matches!(self, Term::CrossEntropy)
    }

    /// The term's value on a batch of training rows `rows` (int64 indices into the training
    /// data; only CRD reads them). `None` for a term left out of this evaluation: CRD outside
    /// training (`train` false).
    pub fn loss(
        &self,
        s: &Output,
        t: Option<&Output>,
        y: Option<&Tensor>,
        rows: &Tensor,
        train: bool,
    ) -> Result<Option<Tensor>> {
        if let Term::Contrastive { student, teacher: j, crd } = self {
            if !train {
                return Ok(None);
            }
            let t = t.ok_or_else(|| Error::InvalidParameter {
                name: "loss".into(),
                reason: "CRD needs a teacher".into(),
            })?;
            let mut guard = crd.lock().map_err(|_| Error::InvalidParameter {
                name: "crd".into(),
                reason: "its memory was poisoned by a failed batch".into(),
            })?;
            let (crd, sampler) = &mut *guard;
            let contrast = sampler.sample(rows)?;
            let (fs, ft) = (flat(tap(s, *student, "student")?)?, flat(tap(t, *j, "teacher")?)?);
            return crd.forward(&fs, &ft, rows, &contrast).map(Some);
        }
        self.value(s, t, y).map(Some)
    }

    fn value(&self, s: &Output, t: Option<&Output>, y: Option<&Tensor>) -> Result<Tensor> {
        let missing = |what: &str| Error::InvalidParameter {
            name: "loss".into(),
            reason: format!("{self:?} needs {what}, which the training data lack"),
        };
        let teacher_output = || t.ok_or_else(|| missing("a teacher"));
        let pairs = |pairs: &[(usize, usize)]| -> Result<(Vec<Tensor>, Vec<Tensor>)> {
            let t = teacher_output()?;
            let mut out = (Vec::new(), Vec::new());
            for &(i, j) in pairs {
                out.0.push(tap(s, i, "student")?.shallow_clone());
                out.1.push(tap(t, j, "teacher")?.shallow_clone());
            }
            Ok(out)
        };
        match self {
            Term::CrossEntropy => {
                let y = y.ok_or_else(|| missing("labels"))?;
                s.logits
                    .f_cross_entropy_loss::<Tensor>(y, None, tch::Reduction::Mean, -100, 0.0)
                    .map_err(torch("cross_entropy"))
            }
            Term::Kd(kd) => kd.forward(&s.logits, &teacher_output()?.logits, y),
            Term::SoftBinary { temperature } => {
                soft_binary_cross_entropy(&s.logits, &teacher_output()?.logits, *temperature)
            }
            Term::Mse => mse(&s.logits, &teacher_output()?.logits),
            Term::Hint { student, teacher: j, hint } => {
                hint.forward(tap(s, *student, "student")?, tap(teacher_output()?, *j, "teacher")?)
            }
            Term::Attention { pairs: p, loss } => {
                let (a, b) = pairs(p)?;
                loss.forward(&a, &b)
            }
            Term::Selectivity { pairs: p, loss } => {
                let (a, b) = pairs(p)?;
                loss.forward(&a, &b)
            }
            Term::Relational { student, teacher: j, loss } => loss.forward(
                &flat(tap(s, *student, "student")?)?,
                &flat(tap(teacher_output()?, *j, "teacher")?)?,
            ),
            Term::SimilarityPreserving { student, teacher: j } => {
                similarity_preserving(tap(s, *student, "student")?, tap(teacher_output()?, *j, "teacher")?)
            }
            Term::CrossModal { student, teacher: j, hint } => {
                hint.forward(tap(s, *student, "student")?, tap(teacher_output()?, *j, "teacher")?)
            }
            Term::Contrastive { .. } => Err(missing("the batch's row indices (see Term::loss)")),
            Term::ProbabilisticTransfer { student, teacher: j } => probabilistic_transfer(
                &flat(tap(s, *student, "student")?)?,
                &flat(tap(teacher_output()?, *j, "teacher")?)?,
            ),
        }
    }
}
