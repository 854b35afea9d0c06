//! The parameters of the spectral features, librosa's names and defaults.

use serde::{Deserialize, Serialize};

use crate::{Result, error::invalid_parameter};

/// How a signal is padded at both ends before framing when `center` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PadMode {
    /// Zeros (librosa ≥ 0.10's default `pad_mode="constant"`).
    Constant,
    /// Mirror without repeating the edge sample (numpy's `reflect`, librosa < 0.10's default).
    Reflect,
}

/// The mel scale's formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MelScale {
    /// Slaney's Auditory Toolbox: linear below 1 kHz (3 mels per 200 Hz), logarithmic above
    /// (librosa's default, `htk=False`).
    Slaney,
    /// HTK's `2595 · log10(1 + f / 700)` (`htk=True`).
    Htk,
}

/// How each mel filter is scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MelNorm {
    /// Slaney's area normalisation: each triangle scaled by `2 / (f_{i+2} − f_i)` so that every
    /// filter has about the same energy (librosa's default `norm="slaney"`).
    Slaney,
    /// Triangles of peak 1 (`norm=None`).
    None,
}

/// The reference of the decibel scale: `10 · log10(S / ref)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DbReference {
    /// A fixed reference (librosa's default `ref=1.0`).
    Value(f64),
    /// The spectrogram's own maximum (`ref=np.max`): its loudest cell is 0 dB.
    Max,
}

/// The parameters of [`Features`](super::Features), as librosa names them.
///
/// | name | librosa default | [`speech`](Self::speech) | meaning | range |
/// |---|---|---|---|---|
/// | `n_fft` | 2048 | 256 | FFT length in samples (frame length) | ≥ 2, even |
/// | `hop_length` | `n_fft / 4` = 512 | 160 | samples between frame starts | ≥ 1 |
/// | `win_length` | `n_fft` | `n_fft` | Hann window length, zero-padded to `n_fft` at the centre | 1 ..= `n_fft` |
/// | `center` | true | true | pad `n_fft / 2` samples at both ends, so frame `t` is centred on sample `t · hop` | |
/// | `pad_mode` | constant | constant | the padding of `center` | constant, reflect |
/// | `power` | 2 | 2 | exponent of the magnitude (2: power, 1: magnitude) | > 0 |
/// | `n_mels` | 128 | 32 | mel filters | ≥ 1, every filter must cover an FFT bin |
/// | `fmin` | 0 | 0 | lowest filter edge, Hz | 0 ≤ fmin < fmax |
/// | `fmax` | `sr / 2` | `sr / 2` | highest filter edge, Hz (`None`: Nyquist) | ≤ `sr / 2` |
/// | `mel_scale` | slaney | slaney | mel formula (`htk=False`) | slaney, htk |
/// | `mel_norm` | slaney | slaney | filter scaling | slaney, none |
/// | `reference` | 1.0 | max | decibel reference | value > 0, max |
/// | `amin` | 1e-10 | 1e-10 | floor of `S` and of the reference before the logarithm | > 0 |
/// | `top_db` | 80 | 80 | cells more than `top_db` below the maximum are raised to it (`None`: no floor) | ≥ 0 |
/// | `n_mfcc` | 20 | 13 | cepstral coefficients kept | 1 ..= `n_mels` |
/// | `lifter` | 0 | 0 | cepstral liftering `1 + (L/2) · sin(π (k+1) / L)` (0: none) | ≥ 0 |
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FeatureParams {
    /// FFT length.
    pub n_fft: usize,
    /// Hop between frames.
    pub hop_length: usize,
    /// Window length.
    pub win_length: usize,
    /// Centre the frames.
    pub center: bool,
    /// Padding when centring.
    pub pad_mode: PadMode,
    /// Magnitude exponent.
    pub power: f64,
    /// Mel filters.
    pub n_mels: usize,
    /// Lowest frequency, Hz.
    pub fmin: f64,
    /// Highest frequency, Hz (`None`: half the sample rate).
    pub fmax: Option<f64>,
    /// Mel formula.
    pub mel_scale: MelScale,
    /// Filter scaling.
    pub mel_norm: MelNorm,
    /// Decibel reference.
    pub reference: DbReference,
    /// Floor before the logarithm.
    pub amin: f64,
    /// Dynamic range kept below the maximum, dB.
    pub top_db: Option<f64>,
    /// Cepstral coefficients.
    pub n_mfcc: usize,
    /// Liftering coefficient.
    pub lifter: f64,
}

impl Default for FeatureParams {
    /// librosa 0.11's defaults (`melspectrogram`, `power_to_db`, `mfcc`).
    fn default() -> Self {
        Self {
            n_fft: 2048,
            hop_length: 512,
            win_length: 2048,
            center: true,
            pad_mode: PadMode::Constant,
            power: 2.0,
            n_mels: 128,
            fmin: 0.0,
            fmax: None,
            mel_scale: MelScale::Slaney,
            mel_norm: MelNorm::Slaney,
            reference: DbReference::Value(1.0),
            amin: 1e-10,
            top_db: Some(80.0),
            n_mfcc: 20,
            lifter: 0.0,
        }
    }
}

impl FeatureParams {
    /// Settings for short speech at 8 kHz: 256-sample frames (32 ms), a hop of 160 (20 ms),
    /// 32 mel filters, 13 MFCCs, decibels relative to each recording's maximum (so
    /// loudness does not matter) with 80 dB of range.
    pub fn speech() -> Self {
        Self {
            n_fft: 256,
            hop_length: 160,
            win_length: 256,
            n_mels: 32,
            n_mfcc: 13,
            reference: DbReference::Max,
            ..Self::default()
        }
    }

    /// The highest filter edge at `sample_rate`.
    pub fn fmax_at(&self, sample_rate: u32) -> f64 {
        self.fmax.unwrap_or(f64::from(sample_rate) / 2.0)
    }

    /// Checks every parameter against its range at `sample_rate`, naming the first bad one.
    pub fn check(&self, sample_rate: u32) -> Result<()> {
        let fail = |name: &str, reason: String| Err(invalid_parameter(name, reason));
        let nyquist = f64::from(sample_rate) / 2.0;
        let fmax = self.fmax_at(sample_rate);
        if sample_rate == 0 {
            return fail("sample_rate", "0 Hz".into());
        }
        if self.n_fft < 2 || !self.n_fft.is_multiple_of(2) {
            return fail("n_fft", format!("{}: must be even and at least 2", self.n_fft));
        }
        if self.hop_length == 0 {
            return fail("hop_length", "0: must be at least 1".into());
        }
        if self.win_length == 0 || self.win_length > self.n_fft {
            return fail("win_length", format!("{}: must lie in 1..={}", self.win_length, self.n_fft));
        }
        if !(self.power.is_finite() && self.power > 0.0) {
            return fail("power", format!("{}: must be positive", self.power));
        }
        if self.n_mels == 0 {
            return fail("n_mels", "0: must be at least 1".into());
        }
        if !(self.fmin >= 0.0 && fmax.is_finite() && self.fmin < fmax && fmax <= nyquist) {
            return fail(
                "fmin/fmax",
                format!(
                    "{} and {fmax} Hz: need 0 ≤ fmin < fmax ≤ {nyquist} (half the sample rate)",
                    self.fmin
                ),
            );
        }
        if let DbReference::Value(r) = self.reference
            && !(r.is_finite() && r > 0.0)
        {
            return fail("reference", format!("{r}: must be positive"));
        }
        if !(self.amin.is_finite() && self.amin > 0.0) {
            return fail("amin", format!("{}: must be positive", self.amin));
        }
        if let Some(t) = self.top_db
            && !(t.is_finite() && t >= 0.0)
        {
            return fail("top_db", format!("{t}: must be at least 0"));
        }
        if self.n_mfcc == 0 || self.n_mfcc > self.n_mels {
            return fail("n_mfcc", format!("{}: must lie in 1..={} (n_mels)", self.n_mfcc, self.n_mels));
        }
        if !(self.lifter.is_finite() && self.lifter >= 0.0) {
            return fail("lifter", format!("{}: must be at least 0", self.lifter));
        }
        Ok(())
    }
}
