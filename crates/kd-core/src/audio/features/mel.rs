//! The mel filterbank of `librosa.filters.mel`: `n_mels` triangles whose corners are
//! `n_mels + 2` points equally spaced on the mel scale between `fmin` and `fmax`, evaluated at
//! the FFT bins' frequencies `k · sr / n_fft`, with Slaney's area normalisation.
//!
//! Filter `i` has corners `f_i < f_{i+1} < f_{i+2}`; its weight at frequency `f` is
//! `max(0, min((f − f_i) / (f_{i+1} − f_i), (f_{i+2} − f) / (f_{i+2} − f_{i+1})))`, times
//! `2 / (f_{i+2} − f_i)` under [`MelNorm::Slaney`].

use ndarray::Array2;

use super::params::{FeatureParams, MelNorm, MelScale};
use crate::{Result, error::invalid_parameter};

/// Slaney's scale: 3 mels per 200 Hz up to 1 kHz (15 mels), then `27 / ln 6.4` mels per
/// natural-log unit of frequency.
const SLANEY_HZ_PER_MEL: f64 = 200.0 / 3.0;
const SLANEY_BREAK_HZ: f64 = 1000.0;
const SLANEY_BREAK_MEL: f64 = SLANEY_BREAK_HZ / SLANEY_HZ_PER_MEL;

fn slaney_log_step() -> f64 {
    6.4f64.ln() / 27.0
}

/// Hertz to mels (`librosa.hz_to_mel`).
pub fn hz_to_mel(hz: f64, scale: MelScale) -> f64 {
    match scale {
        MelScale::Htk => 2595.0 * (1.0 + hz / 700.0).log10(),
        MelScale::Slaney if hz >= SLANEY_BREAK_HZ => {
            SLANEY_BREAK_MEL + (hz / SLANEY_BREAK_HZ).ln() / slaney_log_step()
        }
        MelScale::Slaney => hz / SLANEY_HZ_PER_MEL,
    }
}

/// Mels to hertz (`librosa.mel_to_hz`).
pub fn mel_to_hz(mel: f64, scale: MelScale) -> f64 {
    match scale {
        MelScale::Htk => 700.0 * (10f64.powf(mel / 2595.0) - 1.0),
        MelScale::Slaney if mel >= SLANEY_BREAK_MEL => {
            SLANEY_BREAK_HZ * (slaney_log_step() * (mel - SLANEY_BREAK_MEL)).exp()
        }
        MelScale::Slaney => SLANEY_HZ_PER_MEL * mel,
    }
}

/// `n` frequencies equally spaced in mels from `fmin` to `fmax` (`librosa.mel_frequencies`).
pub fn mel_frequencies(n: usize, fmin: f64, fmax: f64, scale: MelScale) -> Vec<f64> {
    let (low, high) = (hz_to_mel(fmin, scale), hz_to_mel(fmax, scale));
    let step = if n > 1 { (high - low) / (n - 1) as f64 } else { 0.0 };
    (0..n).map(|i| mel_to_hz(if i + 1 == n { high } else { low + i as f64 * step }, scale)).collect()
}

/// The filterbank, shape `(n_mels, 1 + n_fft / 2)`. Errors when a filter covers no FFT bin
/// (too many filters for the frequency resolution; librosa only warns), naming the filter.
pub fn mel_filterbank(params: &FeatureParams, sample_rate: u32) -> Result<Array2<f64>> {
    let bins = params.n_fft / 2 + 1;
    let sr = f64::from(sample_rate);
    let fft_freqs: Vec<f64> = (0..bins).map(|k| k as f64 * sr / params.n_fft as f64).collect();
    let corners =
        mel_frequencies(params.n_mels + 2, params.fmin, params.fmax_at(sample_rate), params.mel_scale);
    let mut weights = Array2::zeros((params.n_mels, bins));
    for i in 0..params.n_mels {
        let (lo, mid, hi) = (corners[i], corners[i + 1], corners[i + 2]);
        let scale = match params.mel_norm {
            MelNorm::Slaney => 2.0 / (hi - lo),
            MelNorm::None => 1.0,
        };
        for (k, &f) in fft_freqs.iter().enumerate() {
            let rising = (f - lo) / (mid - lo);
            let falling = (hi - f) / (hi - mid);
            weights[[i, k]] = rising.min(falling).max(0.0) * scale;
        }
        if weights.row(i).iter().all(|&w| w == 0.0) {
            return Err(invalid_parameter(
                "n_mels",
                format!(
                    "mel filter {i} ({lo:.1}–{hi:.1} Hz) covers no FFT bin (bins are {:.2} Hz apart): \
                     use fewer mel filters or a larger n_fft",
                    sr / params.n_fft as f64
                ),
            ));
        }
    }
    Ok(weights)
}
