//! The short-time Fourier transform's power spectrogram, as `librosa.stft` frames it:
//! centre padding, a periodic Hann window, a real FFT (`realfft`), `|X|^power`.
//!
//! With `center`, `n_fft / 2` samples are padded at both ends (zeros, or a mirror image), so
//! there are `1 + (len + 2·⌊n_fft/2⌋ − n_fft) / hop` frames and frame `t` is centred on sample
//! `t · hop`. The window is `w[n] = 0.5 − 0.5 cos(2πn / win_length)` (scipy's
//! `get_window("hann", N, fftbins=True)`), zero-padded at both ends to `n_fft` as
//! `librosa.util.pad_center` does.

use std::sync::Arc;

use ndarray::Array2;
use realfft::{RealFftPlanner, RealToComplex};

use super::params::{FeatureParams, PadMode};
use crate::{Error, Result};

/// A planned STFT: the window and the FFT of one frame length.
#[derive(Clone)]
pub struct Stft {
    n_fft: usize,
    hop: usize,
    center: bool,
    pad_mode: PadMode,
    power: f64,
    window: Vec<f64>,
    fft: Arc<dyn RealToComplex<f64>>,
}

impl std::fmt::Debug for Stft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stft").field("n_fft", &self.n_fft).field("hop", &self.hop).finish_non_exhaustive()
    }
}

/// The periodic Hann window of `length` samples centred in `n_fft` zeros.
pub fn hann_window(length: usize, n_fft: usize) -> Vec<f64> {
    let mut window = vec![0.0; n_fft];
    let left = (n_fft - length.min(n_fft)) / 2;
    for (n, w) in window.iter_mut().skip(left).take(length).enumerate() {
        *w = 0.5 - 0.5 * (2.0 * std::f64::consts::PI * n as f64 / length as f64).cos();
    }
    window
}

impl Stft {
    /// Plans the transform of `params` (checked beforehand by the caller).
    pub fn new(params: &FeatureParams) -> Self {
        Self {
            n_fft: params.n_fft,
            hop: params.hop_length,
            center: params.center,
            pad_mode: params.pad_mode,
            power: params.power,
            window: hann_window(params.win_length, params.n_fft),
            fft: RealFftPlanner::<f64>::new().plan_fft_forward(params.n_fft),
        }
    }

    /// Frequency bins, `1 + n_fft / 2`.
    pub fn bins(&self) -> usize {
        self.n_fft / 2 + 1
    }

    /// The signal padded as `center` asks.
    fn padded(&self, y: &[f64]) -> Result<Vec<f64>> {
        if !self.center {
            return Ok(y.to_vec());
        }
        let pad = self.n_fft / 2;
        match self.pad_mode {
            PadMode::Constant => {
                let mut out = vec![0.0; y.len() + 2 * pad];
                out[pad..pad + y.len()].copy_from_slice(y);
                Ok(out)
            }
            PadMode::Reflect => {
                if y.len() <= pad {
                    return Err(Error::InvalidParameter {
                        name: "pad_mode".into(),
                        reason: format!(
                            "reflect padding of {pad} samples needs more than {pad} samples, the signal has {}",
                            y.len()
                        ),
                    });
                }
                let left = (1..=pad).rev().map(|i| y[i]);
                let right = (0..pad).map(|i| y[y.len() - 2 - i]);
                Ok(left.chain(y.iter().copied()).chain(right).collect())
            }
        }
    }

    /// The power spectrogram `|STFT(y)|^power`, shape `(1 + n_fft/2, frames)` as librosa.
    pub fn power_spectrogram(&self, y: &[f64]) -> Result<Array2<f64>> {
        let padded = self.padded(y)?;
        if padded.len() < self.n_fft {
            return Err(Error::TooFewRows {
                what: format!("an STFT with n_fft = {} and center = false", self.n_fft),
                needed: self.n_fft,
                found: y.len(),
            });
        }
        let frames = 1 + (padded.len() - self.n_fft) / self.hop;
        let mut out = Array2::zeros((self.bins(), frames));
        let mut input = self.fft.make_input_vec();
        let mut spectrum = self.fft.make_output_vec();
        let mut scratch = self.fft.make_scratch_vec();
        for t in 0..frames {
            let frame = &padded[t * self.hop..t * self.hop + self.n_fft];
            for ((x, &s), &w) in input.iter_mut().zip(frame).zip(&self.window) {
                *x = s * w;
            }
            self.fft
                .process_with_scratch(&mut input, &mut spectrum, &mut scratch)
                .map_err(|e| Error::InvalidParameter { name: "n_fft".into(), reason: e.to_string() })?;
            for (f, c) in spectrum.iter().enumerate() {
                let magnitude = c.norm_sqr();
                out[[f, t]] = if self.power == 2.0 { magnitude } else { magnitude.sqrt().powf(self.power) };
            }
        }
        Ok(out)
    }
}
