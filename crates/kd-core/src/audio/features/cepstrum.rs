//! Decibels and the cepstrum: `librosa.power_to_db` and the DCT step of `librosa.feature.mfcc`.
//!
//! `power_to_db(S) = 10·log10(max(amin, S)) − 10·log10(max(amin, ref))`, then, with `top_db`,
//! every cell is raised to at least `max − top_db` (the maximum over the whole spectrogram).
//! MFCCs are the orthonormal DCT-II of each frame's decibel mel spectrum (scipy's
//! `dct(type=2, norm="ortho")` along the mel axis), of which the first `n_mfcc` are kept:
//! `c_k = s_k Σ_n x_n cos(π k (2n + 1) / 2N)`, `s_0 = √(1/N)`, `s_k = √(2/N)`; with a lifter
//! `L > 0`, `c_k` is multiplied by `1 + (L/2)·sin(π (k + 1) / L)`.

use ndarray::{Array2, ArrayView2};

use super::params::{DbReference, FeatureParams};

/// `S` in decibels as `librosa.power_to_db(S, ref, amin, top_db)` (same shape).
pub fn power_to_db(s: ArrayView2<'_, f64>, params: &FeatureParams) -> Array2<f64> {
    let reference = match params.reference {
        DbReference::Value(r) => r.abs(),
        DbReference::Max => s.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    };
    let offset = 10.0 * reference.max(params.amin).log10();
    let mut db = s.mapv(|v| 10.0 * v.max(params.amin).log10() - offset);
    if let Some(top_db) = params.top_db {
        let floor = db.iter().copied().fold(f64::NEG_INFINITY, f64::max) - top_db;
        db.mapv_inplace(|v| v.max(floor));
    }
    db
}

/// The `(n_mfcc, n_mels)` matrix of the orthonormal DCT-II's first rows, liftered.
///
/// Written out rather than taken from a DCT crate: the transform is a few hundred
/// multiply-adds per frame (n_mels ≤ a few hundred, n_mfcc ≤ n_mels), for which one
/// precomputed matrix is simpler and faster than planning a fast transform.
pub fn dct_matrix(params: &FeatureParams) -> Array2<f64> {
    let (k_max, n) = (params.n_mfcc, params.n_mels);
    let lifter = params.lifter;
    Array2::from_shape_fn((k_max, n), |(k, i)| {
        let scale = if k == 0 { (1.0 / n as f64).sqrt() } else { (2.0 / n as f64).sqrt() };
        let lift = if lifter > 0.0 {
            1.0 + lifter / 2.0 * (std::f64::consts::PI * (k + 1) as f64 / lifter).sin()
        } else {
            1.0
        };
        lift * scale * (std::f64::consts::PI * k as f64 * (2 * i + 1) as f64 / (2 * n) as f64).cos()
    })
}
