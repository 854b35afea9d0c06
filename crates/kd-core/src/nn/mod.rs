//! Neural students and the distillation trainer on libtorch (feature `torch`); the `kd-mlp`
//! file format ([`SavedMlp`]) and the training log are readable without it.
//!
//! - [`Network`]: a module that returns its logits and its *taps* (intermediate activations for
//!   hint, attention and NST losses), in train or eval mode. Implemented by the models here and
//!   by TorchScript modules ([`ScriptNetwork`], logits only).
//! - Models: [`Mlp`], the LeNet-5-like [`LeNet`] CNN, a small [`WideResNet`] and
//!   [`AudioCnn`] for log-mel spectrograms or their MFCCs. Every model takes flat float32 rows `(n, d)`; the
//!   convolutional ones view them as images.
//! - [`SpeechCnn`]: an [`AudioCnn`] with its features, scaler and classes, saved as
//!   `kd-speech-cnn` JSON ([`SavedSpeechCnn`]); [`save_variables`] / [`load_variables`] move
//!   any network's weights to and from plain data; [`train_many`] trains several side by side
//!   and [`ensemble_log_probabilities`] combines an ensemble.
//! - [`Distiller`]: trains a student against a frozen teacher (precomputed outputs or an
//!   in-process [`Network`] run in eval mode under `no_grad`) with a weighted list of
//!   [`Term`]s, SGD or Adam with a learning-rate [`Schedule`], early stopping on a validation
//!   split, shift [`Augmentation`] of image batches, and a JSON-serialisable [`TrainingLog`].
//!   Deterministic on CPU for a given seed.
//! - [`PruneMasks`]: magnitude pruning as Han et al. (2015), masks kept through retraining.
//! - [`MlpStudent`]: the MLP student of `kd distill` (an [`Mlp`] trained by the [`Distiller`]
//!   on a teacher's outputs, standardised inputs), saved in the validated `kd-mlp` format
//!   ([`SavedMlp`]) and loaded back.
//!
//! Weights are initialised by libtorch's generator: call `tch::manual_seed(seed)` before
//! building a model to make it reproducible; the trainer draws batch orders and validation
//! splits from a ChaCha8 stream of its own seed.
// The links above name items of the `torch` feature; documented without it they dangle.
#![cfg_attr(not(feature = "torch"), allow(rustdoc::broken_intra_doc_links))]

mod log;
mod saved;

pub use log::{EpochRecord, TrainingLog};
pub use saved::{MLP_FORMAT, MLP_VERSION, SavedLayer, SavedMlp};

/// Puts `#[cfg(feature = "torch")]` on every item it is given.
macro_rules! with_torch {
    ($($item:item)*) => { $(#[cfg(feature = "torch")] $item)* };
}

with_torch! {
    mod audio_cnn;
    mod augment;
    mod bag;
    mod distiller;
    mod eval;
    mod lenet;
    mod mlp;
    mod mlp_params;
    mod network;
    mod optim;
    mod prune;
    mod speech;
    mod speech_train;
    mod student;
    mod term;
    mod variables;
    mod wrn;

    pub use audio_cnn::{AudioCnn, AudioCnnConfig};
    pub use augment::Augmentation;
    pub use bag::{BagConfig, BagOfEmbeddings, bag_ids};
    pub use distiller::{Distiller, DistillerConfig, EarlyStopping, TeacherSignal};
    pub use eval::{accuracy, logits};
    pub use lenet::{LeNet, LeNetConfig};
    pub use mlp::{Mlp, MlpConfig};
    pub use mlp_params::{MlpDevice, MlpLoss, MlpParams};
    pub use network::{Network, Output, ScriptNetwork};
    pub use optim::{OptimizerKind, Schedule};
    pub use prune::{LayerSparsity, PruneMasks};
    pub use speech::{SPEECH_CNN_FORMAT, SPEECH_CNN_VERSION, SavedSpeechCnn, SpeechCnn, SpeechInput};
    pub use speech_train::{SpeechJob, SpeechTarget, ensemble_log_probabilities, train_many};
    pub use student::MlpStudent;
    pub use term::{Term, WeightedTerm};
    pub use variables::{SavedTensor, load_variables, save_variables};
    pub use wrn::{WideResNet, WideResNetConfig};
}
