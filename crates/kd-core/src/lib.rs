//! kd-core: the ground the other kd crates stand on.
//!
//! - [`audio`]: WAV recordings from a folder or a `.tar.gz` (labels from the file name or a
//!   manifest), held-out speakers or takes, and librosa's features (mel spectrogram, log-mel,
//!   MFCC), checked against librosa 0.11.
//! - [`data`]: CSV files read into typed columns, a target and features chosen from them, the
//!   missing-value policy, seeded (stratified) train/test splits. Errors name the file, line and
//!   column.
//! - [`teacher`]: the [`Teacher`](teacher::Teacher) trait for the black box under review, and its
//!   adapters (external process, stored column, Rust closure, TorchScript with `torch`).
//! - [`text`]: text columns as sparse rows: Unicode words, n-grams, vocabulary or hashing,
//!   TF-IDF or counts (scikit-learn's `TfidfVectorizer`), as `sprs` CSR matrices.
//! - [`metrics`]: accuracy, agreement, AUROC, log-loss, Brier, R², RMSE, KL divergence, checked
//!   against scikit-learn.
//! - [`quantile`]: sample quantiles by name (Hyndman & Fan's nine types and two order-statistic
//!   conventions), quantile groups as R's `cut` and SAS `PROC RANK` form them; checked against
//!   numpy and R.
//! - `loss` (feature `torch`): distillation losses on libtorch (Hinton KD as torchdistill, soft
//!   BCE, MSE, FitNets hints, attention transfer, NST, RKD, SP, PKT), checked against PyTorch.
//!
//! - [`nn`]: with `torch`, neural students (MLP, LeNet-like CNN, wide ResNet), the `Distiller`
//!   trainer (weighted losses, SGD/Adam, schedules, early stopping, a training log), magnitude
//!   pruning and the MLP student of `kd distill`; always, its `kd-mlp` file format.
//! - `novelty` (feature `torch`): random network distillation as a novelty score.
//! - [`plot`]: line charts and panels of curves with bands as SVG text, the reports' figures.
//! - [`saved_format`]: the versioned envelope every saved model shares.
//!
//! Only this crate links libtorch, and only with its `torch` feature. It never prints and never
//! writes files.
//!
//! ```
//! use kd_core::metrics::auroc;
//! let auc = auroc(&[0, 0, 1, 1], ndarray::array![0.1, 0.4, 0.35, 0.8].view()).unwrap();
//! assert_eq!(auc, 0.75);
//! ```

// The CBLAS that ndarray calls when the workspace switches on its `blas` feature (see Cargo.toml).
use openblas_src as _;

pub mod audio;
pub mod data;
mod error;
#[cfg(feature = "torch")]
pub mod loss;
pub mod metrics;
pub mod nn;
#[cfg(feature = "torch")]
pub mod novelty;
pub mod plot;
pub mod quantile;
pub mod saved_format;
mod task;
pub mod teacher;
pub mod text;

pub use error::{Error, Result, ensure_same_len};
pub use task::Task;
/// The `tch` kd-core is built on, so that users of its neural API need no second libtorch binding.
#[cfg(feature = "torch")]
pub use tch;
