//! The training log of a neural student: one record per epoch (written by the [`Distiller`](super::Distiller),
//! saved with an MLP student, readable without libtorch).

use serde::{Deserialize, Serialize};

/// One epoch of the training log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// 0-based epoch.
    pub epoch: usize,
    /// Learning rate used.
    pub learning_rate: f64,
    /// Mean objective over the training batches (weighted by batch size).
    pub train_loss: f64,
    /// Objective on the validation rows, with early stopping.
    pub validation_loss: Option<f64>,
    /// Wall-clock seconds of the epoch.
    pub seconds: f64,
    /// Training rows per second.
    pub samples_per_second: f64,
}

/// The training log (saved as JSON by the CLI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingLog {
    /// Rows trained on.
    pub n_train: usize,
    /// Rows held out for early stopping.
    pub n_validation: usize,
    /// Every epoch run.
    pub epochs: Vec<EpochRecord>,
    /// The epoch whose weights were kept (the last one without early stopping).
    pub best_epoch: usize,
    /// Whether early stopping ended the run.
    pub stopped_early: bool,
    /// Total seconds.
    pub seconds: f64,
}
