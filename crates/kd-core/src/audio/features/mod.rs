//! Spectral features of a recording, computed as librosa 0.11 computes them: the power
//! spectrogram ([`Stft`]), the mel spectrogram (the [`mel_filterbank`] applied to it), the
//! log-mel spectrogram ([`power_to_db`]) and MFCCs (the orthonormal DCT-II of the log-mel
//! spectrum). Parameters and their defaults: [`FeatureParams`].
//!
//! Agreement with librosa 0.11.0 on float64 input (`tests/golden/audio_features`, generator
//! beside it), worst case over its cases: see `crates/kd-core/tests/audio_features.rs` and
//! the README.
//!
//! ```
//! use kd_core::audio::{FeatureParams, Features};
//! let tone: Vec<f64> = (0..8000).map(|i| (2.0 * std::f64::consts::PI * 440.0 * i as f64 / 8000.0).sin()).collect();
//! let features = Features::new(FeatureParams::speech(), 8000)?;
//! let log_mel = features.log_mel(&tone)?;
//! assert_eq!(log_mel.dim(), (32, 1 + 8000 / 160));
//! # Ok::<(), kd_core::Error>(())
//! ```

mod cepstrum;
mod fixed;
mod mel;
mod params;
mod stft;

use ndarray::{Array2, ArrayView2};

pub use cepstrum::{dct_matrix, power_to_db};
pub use fixed::{BandScaler, Representation, fit_frames, images, log_mel_images};
pub use mel::{hz_to_mel, mel_filterbank, mel_frequencies, mel_to_hz};
pub use params::{DbReference, FeatureParams, MelNorm, MelScale, PadMode};
pub use stft::{Stft, hann_window};

use crate::{Result, error::invalid_parameter};

/// A feature extractor for one sample rate: the planned STFT, the filterbank and the DCT.
#[derive(Debug, Clone)]
pub struct Features {
    params: FeatureParams,
    sample_rate: u32,
    stft: Stft,
    filterbank: Array2<f64>,
    dct: Array2<f64>,
}

impl Features {
    /// Checks `params` at `sample_rate` and plans the transforms.
    pub fn new(params: FeatureParams, sample_rate: u32) -> Result<Self> {
        params.check(sample_rate)?;
        Ok(Self {
            stft: Stft::new(&params),
            filterbank: mel_filterbank(&params, sample_rate)?,
            dct: dct_matrix(&params),
            params,
            sample_rate,
        })
    }

    /// The parameters.
    pub fn params(&self) -> &FeatureParams {
        &self.params
    }

    /// The sample rate.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// The mel filterbank `(n_mels, 1 + n_fft/2)`.
    pub fn filterbank(&self) -> &Array2<f64> {
        &self.filterbank
    }

    /// `|STFT(y)|^power`, shape `(1 + n_fft/2, frames)`.
    pub fn power_spectrogram(&self, y: &[f64]) -> Result<Array2<f64>> {
        if y.is_empty() {
            return Err(invalid_parameter("signal", "no samples"));
        }
        self.stft.power_spectrogram(y)
    }

    /// The mel spectrogram `(n_mels, frames)` (`librosa.feature.melspectrogram`).
    pub fn mel_spectrogram(&self, y: &[f64]) -> Result<Array2<f64>> {
        Ok(self.filterbank.dot(&self.power_spectrogram(y)?))
    }

    /// The mel spectrogram in decibels `(n_mels, frames)` (`power_to_db(melspectrogram(y))`).
    pub fn log_mel(&self, y: &[f64]) -> Result<Array2<f64>> {
        Ok(power_to_db(self.mel_spectrogram(y)?.view(), &self.params))
    }

    /// MFCCs `(n_mfcc, frames)` (`librosa.feature.mfcc`).
    pub fn mfcc(&self, y: &[f64]) -> Result<Array2<f64>> {
        self.cepstrum(self.log_mel(y)?.view())
    }

    /// The MFCCs `(n_mfcc, frames)` of a log-mel spectrogram `(n_mels, frames)`.
    ///
    /// # Errors
    /// A spectrogram of another number of bands than `n_mels`.
    pub fn cepstrum(&self, log_mel: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        if log_mel.nrows() != self.params.n_mels {
            return Err(crate::Error::ShapeMismatch {
                context: "log-mel spectrogram for its MFCCs".into(),
                expected: format!("{} mel bands", self.params.n_mels),
                got: format!("{} rows", log_mel.nrows()),
            });
        }
        Ok(self.dct.dot(&log_mel))
    }
}
