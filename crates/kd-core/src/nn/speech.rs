//! A speech classifier: an [`AudioCnn`] on band-standardised log-mel (or MFCC) images, with
//! everything needed to apply it to new recordings (the feature settings, the image size, the
//! scaler, the class names), trained by the [`Distiller`] and saved as `kd-speech-cnn` JSON,
//! version 2 (version 1, which had log-mel images only, is read as such).
//!
//! The saved file ([`SavedSpeechCnn`]) holds `format`, `version`, `input` (sample rate,
//! [`FeatureParams`], frames, [`Representation`]), `classes`, `scaler` (per-band mean and sd), `network`
//! ([`AudioCnnConfig`]), `trained_on` (what the targets were), `training` (the
//! [`TrainingLog`]) and `variables` (every weight by name, PyTorch's layouts). Loading checks
//! all of it against itself: the format and version, the feature parameters, the sizes of the
//! scaler, network and classes, and every weight's name, shape and finiteness.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};
use tch::{Device, Kind, Tensor, nn};

use super::audio_cnn::{AudioCnn, AudioCnnConfig};
use super::distiller::{Distiller, DistillerConfig, TeacherSignal};
use super::log::{EpochRecord, TrainingLog};
use super::eval::logits;
use super::variables::{SavedTensor, load_variables, save_variables};
use super::term::WeightedTerm;
use crate::audio::{BandScaler, DbReference, FeatureParams, Features, Representation, images};
use crate::loss::torch;
use crate::{Error, Result};

/// The format name of a saved speech CNN.
pub const SPEECH_CNN_FORMAT: &str = "kd-speech-cnn";
/// The version this build writes (it reads 1 too: log-mel images, before MFCCs).
pub const SPEECH_CNN_VERSION: u64 = 2;

/// What the network reads: recordings at `sample_rate`, turned into images of
/// `bands × frames` (log-mel bands or MFCCs, [`Representation`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeechInput {
    /// Samples per second of the recordings.
    pub sample_rate: u32,
    /// The log-mel settings.
    pub features: FeatureParams,
    /// Frames per image (longer recordings are cropped around their centre, shorter ones
    /// padded with their silence floor).
    pub frames: usize,
    /// What an image holds (a version 1 file: log-mel).
    #[serde(default)]
    pub representation: Representation,
}

impl SpeechInput {
    /// The images `(n, bands · frames)` of `signals` (see `kd_core::audio::images`).
    pub fn images<'a>(&self, signals: impl IntoIterator<Item = &'a [f64]>) -> Result<Array2<f64>> {
        images(&Features::new(self.features, self.sample_rate)?, self.representation, signals, self.frames)
    }

    /// The rows of an image: mel bands or MFCCs.
    pub fn bands(&self) -> usize {
        self.representation.bands(&self.features)
    }
}

/// A speech CNN as saved on disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedSpeechCnn {
    /// Always [`SPEECH_CNN_FORMAT`].
    pub format: String,
    /// [`SPEECH_CNN_VERSION`].
    pub version: u64,
    /// What the network reads.
    pub input: SpeechInput,
    /// Class names, in output order.
    pub classes: Vec<String>,
    /// The input standardisation.
    pub scaler: BandScaler,
    /// The network's shape.
    pub network: AudioCnnConfig,
    /// What it was trained on ("the true labels", or the teacher).
    pub trained_on: String,
    /// The training log.
    pub training: Option<TrainingLog>,
    /// The weights.
    pub variables: Vec<SavedTensor>,
}

impl SavedSpeechCnn {
    /// Parses a saved model, refusing another format or version.
    pub fn from_json(text: &str) -> Result<Self> {
        let bad = |reason: String| Error::InvalidParameter { name: "speech CNN file".into(), reason };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
        let version = value["version"].as_u64().filter(|v| (1..=SPEECH_CNN_VERSION).contains(v));
        if value["format"] != SPEECH_CNN_FORMAT || version.is_none() {
            return Err(bad(format!(
                "format {} version {}; this kd reads {SPEECH_CNN_FORMAT} versions 1 to {SPEECH_CNN_VERSION}",
                value["format"], value["version"]
            )));
        }
        // Version 1 had log-mel images only; from version 2 the file says which.
        let said = value["input"].get("representation").is_some();
        match version {
            Some(1) if said => return Err(bad("a version 1 file has no representation: it reads log-mel".into())),
            Some(v) if v >= 2 && !said => return Err(bad(format!("a version {v} file names its representation"))),
            _ => {}
        }
        serde_json::from_value(value).map_err(|e| bad(e.to_string()))
    }

    /// The model as JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self)
            .map_err(|e| Error::InvalidParameter { name: "speech CNN file".into(), reason: e.to_string() })
    }
}

/// A trained (or initialised) speech classifier.
#[derive(Debug)]
pub struct SpeechCnn {
    input: SpeechInput,
    classes: Vec<String>,
    scaler: BandScaler,
    store: nn::VarStore,
    net: AudioCnn,
    trained_on: String,
    log: Option<TrainingLog>,
}

impl SpeechCnn {
    /// A network of `channels` and `hidden` width for `classes`, its weights drawn from
    /// libtorch's generator seeded with `seed`, on `device`.
    pub fn new(
        input: SpeechInput,
        classes: Vec<String>,
        scaler: BandScaler,
        channels: Vec<i64>,
        hidden: i64,
        seed: u64,
        device: Device,
    ) -> Result<Self> {
        input.features.check(input.sample_rate)?;
        let config = AudioCnnConfig {
            mels: input.bands() as i64,
            frames: input.frames as i64,
            channels,
            hidden,
            classes: classes.len() as i64,
        };
        if scaler.mean.len() != input.bands() || scaler.sd.len() != input.bands() {
            return Err(Error::ShapeMismatch {
                context: "band scaler".into(),
                expected: format!("{} bands", input.bands()),
                got: format!("{} means, {} sds", scaler.mean.len(), scaler.sd.len()),
            });
        }
        tch::manual_seed(seed as i64);
        let store = nn::VarStore::new(device);
        let net = config.init(&store.root())?;
        Ok(Self { input, classes, scaler, store, net, trained_on: "nothing (untrained)".into(), log: None })
    }

    /// The network (for the [`Distiller`] or feature losses).
    pub fn network(&self) -> &AudioCnn {
        &self.net
    }

    /// What it reads.
    pub fn input(&self) -> &SpeechInput {
        &self.input
    }

    /// Class names.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// The training log, once trained.
    pub fn log(&self) -> Option<&TrainingLog> {
        self.log.as_ref()
    }

    /// Images `(n, bands · frames)` standardised, as float32 rows on the model's device.
    pub fn inputs(&self, images: ArrayView2<'_, f64>) -> Result<Tensor> {
        let scaled = self.scaler.transform(images)?;
        let values: Vec<f32> = scaled.iter().map(|&v| v as f32).collect();
        Tensor::from_slice(&values)
            .f_view([scaled.nrows() as i64, scaled.ncols() as i64])
            .and_then(|t| t.f_to_device(self.store.device()))
            .map_err(torch("images to a tensor"))
    }

    /// Trains on `images` with classes `labels` and the objective `terms` (with the teacher's
    /// outputs in `teacher` for distillation); `trained_on` says what the targets were.
    #[allow(clippy::too_many_arguments)]
    pub fn fit(
        &mut self,
        images: ArrayView2<'_, f64>,
        labels: &[usize],
        terms: Vec<WeightedTerm>,
        teacher: TeacherSignal<'_>,
        config: DistillerConfig,
        trained_on: impl Into<String>,
        on_epoch: &mut dyn FnMut(&EpochRecord),
    ) -> Result<&TrainingLog> {
        let x = self.inputs(images)?;
        let y = Tensor::from_slice(&labels.iter().map(|&c| c as i64).collect::<Vec<_>>())
            .f_to_device(self.store.device())
            .map_err(torch("labels to a tensor"))?;
        let log =
            Distiller::new(config, terms, teacher)?.fit(&self.net, &self.store, &x, Some(&y), on_epoch)?;
        self.trained_on = trained_on.into();
        Ok(self.log.insert(log))
    }

    /// Logits `(n, k)` on the CPU.
    pub fn logits(&self, images: ArrayView2<'_, f64>) -> Result<Tensor> {
        logits(&self.net, &self.inputs(images)?, 512)
    }

    /// Class probabilities `(n, k)`.
    pub fn probabilities(&self, images: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let p = self.logits(images)?.f_softmax(1, Kind::Double).map_err(torch("softmax"))?;
        let (n, k) = (p.size()[0] as usize, p.size()[1] as usize);
        let values = p.f_flatten(0, -1).and_then(Vec::<f64>::try_from).map_err(torch("probabilities"))?;
        Array2::from_shape_vec((n, k), values).map_err(|e| Error::ShapeMismatch {
            context: "probabilities".into(),
            expected: format!("({n}, {k})"),
            got: e.to_string(),
        })
    }

    /// The model as saved on disk.
    pub fn to_saved(&self) -> Result<SavedSpeechCnn> {
        Ok(SavedSpeechCnn {
            format: SPEECH_CNN_FORMAT.into(),
            version: SPEECH_CNN_VERSION,
            input: self.input.clone(),
            classes: self.classes.clone(),
            scaler: self.scaler.clone(),
            network: self.net.config().clone(),
            trained_on: self.trained_on.clone(),
            training: self.log.clone(),
            variables: save_variables(&self.store)?,
        })
    }

    /// Rebuilds a saved model on `device`, checking every part of it.
    pub fn from_saved(saved: &SavedSpeechCnn, device: Device) -> Result<Self> {
        let n = &saved.network;
        if n.mels != saved.input.bands() as i64 || n.frames != saved.input.frames as i64 {
            return Err(Error::ShapeMismatch {
                context: "speech CNN file: network input".into(),
                expected: format!("{} bands × {} frames", saved.input.bands(), saved.input.frames),
                got: format!("{} × {}", n.mels, n.frames),
            });
        }
        if n.classes != saved.classes.len() as i64 {
            return Err(Error::ShapeMismatch {
                context: "speech CNN file: classes".into(),
                expected: format!("{} outputs", n.classes),
                got: format!("{} class names", saved.classes.len()),
            });
        }
        if saved.scaler.sd.iter().chain(&saved.scaler.mean).any(|v| !v.is_finite())
            || saved.scaler.sd.iter().any(|&s| s <= 0.0)
        {
            return Err(Error::InvalidParameter {
                name: "speech CNN file: scaler".into(),
                reason: "every mean must be finite and every sd positive".into(),
            });
        }
        let mut model = Self::new(
            saved.input.clone(),
            saved.classes.clone(),
            saved.scaler.clone(),
            n.channels.clone(),
            n.hidden,
            0,
            device,
        )?;
        load_variables(&mut model.store, &saved.variables, SPEECH_CNN_FORMAT)?;
        model.trained_on.clone_from(&saved.trained_on);
        model.log.clone_from(&saved.training);
        Ok(model)
    }

    /// A few lines for `kd explain`: what it reads, its layers and size, its training.
    pub fn summary(&self) -> String {
        let (c, f) = (self.net.config(), &self.input.features);
        let stages: Vec<String> = c.channels.iter().map(|ch| format!("conv3×3 {ch} + pool")).collect();
        let mut text = format!(
            "speech CNN: {} classes ({})\ninput: {} (n_fft {}, hop {}, {} Hz, fmin {} Hz, fmax {} Hz, top_db {}, 0 dB at {}), standardised per band\nlayers: {} → mean over time → dense {} → {}\nparameters: {}\ntrained on: {}",
            self.classes.len(),
            self.classes.join(", "),
            match self.input.representation {
                Representation::LogMel => format!("{} mel bands × {} frames of log-mel", f.n_mels, self.input.frames),
                Representation::Mfcc => format!(
                    "{} MFCCs × {} frames, from a log-mel of {} mel bands",
                    f.n_mfcc, self.input.frames, f.n_mels
                ),
            },
            f.n_fft,
            f.hop_length,
            self.input.sample_rate,
            f.fmin,
            f.fmax_at(self.input.sample_rate),
            f.top_db.map_or("none".to_owned(), |t| format!("{t} dB")),
            match f.reference {
                DbReference::Max => "each recording's loudest cell".to_owned(),
                DbReference::Value(power) => format!("power {power}"),
            },
            stages.join(" → "),
            c.hidden,
            c.classes,
            c.parameters(),
            self.trained_on
        );
        if let Some(log) = &self.log {
            let last = log.epochs.last().map_or(f64::NAN, |e| e.train_loss);
            text.push_str(&format!(
                "\ntraining: {} rows, {} epochs in {:.1} s, final training loss {last:.4}",
                log.n_train,
                log.epochs.len(),
                log.seconds
            ));
        }
        text
    }
}
