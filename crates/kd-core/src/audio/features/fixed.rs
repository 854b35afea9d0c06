//! Fixed-size inputs for a network: every recording's log-mel spectrogram cropped or padded to
//! the same number of frames around its centre (or the MFCCs of that fitted spectrogram), one
//! flat row per recording, and the per-band standardisation a network reads them with
//! ([`BandScaler`]).

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::Features;
use crate::{Result, error::invalid_parameter};

/// `a` `(rows, columns)` cropped or padded to `frames` columns, the kept or original columns
/// centred (the extra column of an odd difference goes to the right); padding is `fill`.
pub fn fit_frames(a: ArrayView2<'_, f64>, frames: usize, fill: f64) -> Array2<f64> {
    let (rows, columns) = a.dim();
    let mut out = Array2::from_elem((rows, frames), fill);
    if columns >= frames {
        let start = (columns - frames) / 2;
        out.assign(&a.slice(ndarray::s![.., start..start + frames]));
    } else {
        let start = (frames - columns) / 2;
        out.slice_mut(ndarray::s![.., start..start + columns]).assign(&a);
    }
    out
}

/// What a network's image of a recording holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Representation {
    /// The log-mel spectrogram, `n_mels` bands.
    #[default]
    LogMel,
    /// Its MFCCs (the orthonormal DCT-II of each frame, liftered when `lifter > 0`), `n_mfcc`
    /// coefficients.
    Mfcc,
}

impl Representation {
    /// The rows of an image: `n_mels` or `n_mfcc` of `features`.
    pub fn bands(self, features: &super::FeatureParams) -> usize {
        match self {
            Representation::LogMel => features.n_mels,
            Representation::Mfcc => features.n_mfcc,
        }
    }
}

/// The images of `signals` as `representation`: each recording's log-mel spectrogram fitted to
/// `frames` frames (padding with the recording's own minimum, its silence floor), or the MFCCs
/// of that fitted spectrogram (so a padded frame is the cepstrum of silence), flattened
/// band-major: row `r`, column `b · frames + t` is band `b` at frame `t` of recording `r`.
/// Shape `(n, bands · frames)`.
pub fn images<'a>(
    features: &Features,
    representation: Representation,
    signals: impl IntoIterator<Item = &'a [f64]>,
    frames: usize,
) -> Result<Array2<f64>> {
    if frames == 0 {
        return Err(invalid_parameter("frames", "0: must be at least 1"));
    }
    let width = representation.bands(features.params()) * frames;
    let mut values = Vec::new();
    let mut n = 0;
    for y in signals {
        let db = features.log_mel(y)?;
        let floor = db.iter().copied().fold(f64::INFINITY, f64::min);
        let fitted = fit_frames(db.view(), frames, floor);
        match representation {
            Representation::LogMel => values.extend(fitted.iter().copied()),
            Representation::Mfcc => values.extend(features.cepstrum(fitted.view())?.iter().copied()),
        }
        n += 1;
    }
    Array2::from_shape_vec((n, width), values)
        .map_err(|e| invalid_parameter("frames", format!("inconsistent image sizes: {e}")))
}

/// The log-mel [`images`] of `signals`, shape `(n, n_mels · frames)`.
pub fn log_mel_images<'a>(
    features: &Features,
    signals: impl IntoIterator<Item = &'a [f64]>,
    frames: usize,
) -> Result<Array2<f64>> {
    images(features, Representation::LogMel, signals, frames)
}

/// Per-band standardisation of log-mel (or MFCC) images: `(x − mean_m) / sd_m` for every frame of
/// band `m`, with the mean and (population) standard deviation over the training images'
/// frames; a constant band gets `sd = 1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandScaler {
    /// Mean of each band (dB for log-mel images).
    pub mean: Vec<f64>,
    /// Standard deviation of each band (dB for log-mel images).
    pub sd: Vec<f64>,
}

impl BandScaler {
    /// Fits the scaler to `images` `(n, mels · frames)` with `mels` bands.
    pub fn fit(images: ArrayView2<'_, f64>, mels: usize) -> Result<Self> {
        let frames = Self::frames(images.ncols(), mels)?;
        if images.nrows() == 0 {
            return Err(invalid_parameter("images", "no rows to fit the band scaler to"));
        }
        let count = (images.nrows() * frames) as f64;
        let band = |m: usize| images.slice(ndarray::s![.., m * frames..(m + 1) * frames]);
        let mean: Vec<f64> = (0..mels).map(|m| band(m).sum() / count).collect();
        let sd = (0..mels)
            .map(|m| {
                let var = band(m).iter().map(|v| (v - mean[m]).powi(2)).sum::<f64>() / count;
                if var > 0.0 { var.sqrt() } else { 1.0 }
            })
            .collect();
        Ok(Self { mean, sd })
    }

    fn frames(columns: usize, mels: usize) -> Result<usize> {
        if mels == 0 || !columns.is_multiple_of(mels) || columns == 0 {
            return Err(invalid_parameter(
                "images",
                format!("{columns} columns do not make {mels} bands of equal length"),
            ));
        }
        Ok(columns / mels)
    }

    /// `images` standardised band by band.
    pub fn transform(&self, images: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let frames = Self::frames(images.ncols(), self.mean.len())?;
        Ok(Array2::from_shape_fn(images.dim(), |(i, j)| {
            let m = j / frames;
            (images[[i, j]] - self.mean[m]) / self.sd[m]
        }))
    }
}
