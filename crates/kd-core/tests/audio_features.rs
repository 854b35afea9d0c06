//! kd-core's audio features and WAV decoding against librosa 0.11.0 and soundfile 0.14.0
//! (tests/golden/audio_features, made by gen.py). `cargo test -p kd-core --test audio_features
//! -- --nocapture` prints the agreement per feature.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use std::path::{Path, PathBuf};

use kd_core::audio::{DbReference, FeatureParams, Features, MelNorm, MelScale, PadMode, read_source};
use ndarray::Array2;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/audio_features/cases.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("golden file")).expect("golden JSON")
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = v.as_array().expect("rows").iter().map(floats).collect();
    let columns = rows.first().map_or(0, Vec::len);
    Array2::from_shape_vec((rows.len(), columns), rows.concat()).expect("rectangular")
}

/// A filterbank stored as each row's first non-zero bin and its values.
fn sparse_matrix(v: &Value, columns: usize) -> Array2<f64> {
    let rows = v.as_array().expect("rows");
    let mut out = Array2::zeros((rows.len(), columns));
    for (i, row) in rows.iter().enumerate() {
        let start = row["start"].as_u64().expect("start") as usize;
        for (k, value) in floats(&row["values"]).into_iter().enumerate() {
            out[[i, start + k]] = value;
        }
    }
    out
}

fn params(p: &Value) -> FeatureParams {
    let int = |k: &str| p[k].as_u64().expect(k) as usize;
    FeatureParams {
        n_fft: int("n_fft"),
        hop_length: int("hop_length"),
        win_length: int("win_length"),
        center: p["center"].as_bool().expect("center"),
        pad_mode: if p["pad_mode"] == "reflect" { PadMode::Reflect } else { PadMode::Constant },
        power: p["power"].as_f64().expect("power"),
        n_mels: int("n_mels"),
        fmin: p["fmin"].as_f64().expect("fmin"),
        fmax: p["fmax"].as_f64(),
        mel_scale: if p["mel_scale"] == "htk" { MelScale::Htk } else { MelScale::Slaney },
        mel_norm: if p["mel_norm"] == "slaney" { MelNorm::Slaney } else { MelNorm::None },
        reference: p["reference"].as_f64().map_or(DbReference::Max, DbReference::Value),
        amin: p["amin"].as_f64().expect("amin"),
        top_db: p["top_db"].as_f64(),
        n_mfcc: int("n_mfcc"),
        lifter: p["lifter"].as_f64().expect("lifter"),
    }
}

/// Largest absolute difference, and largest relative difference over cells whose reference is
/// at least 1e-6 of the largest.
fn agreement(ours: &Array2<f64>, theirs: &Array2<f64>, what: &str) -> (f64, f64) {
    assert_eq!(ours.dim(), theirs.dim(), "{what}: shape");
    let scale = theirs.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (mut abs, mut rel) = (0.0f64, 0.0f64);
    for (a, b) in ours.iter().zip(theirs) {
        abs = abs.max((a - b).abs());
        if b.abs() >= 1e-6 * scale {
            rel = rel.max((a - b).abs() / b.abs());
        }
    }
    (abs, rel)
}

#[test]
fn features_match_librosa() {
    let g = golden();
    let fsdd = read_source(&root().join("data/speech/fsdd_recordings.tar.gz")).expect("FSDD");
    let mut worst: Vec<(&str, f64, f64, f64)> =
        ["power", "filterbank", "mel", "log_mel", "mfcc"].into_iter().map(|f| (f, 0.0, 0.0, 0.0)).collect();
    for case in g["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let sr = case["sample_rate"].as_u64().expect("sample rate") as u32;
        let p = params(&case["params"]);
        let y = match case["signal"]["fsdd"].as_str() {
            Some(entry) => fsdd.iter().find(|f| f.name == entry).expect("entry").wav.samples.clone(),
            None => floats(&case["signal"]["samples"]),
        };
        let features = Features::new(p, sr).expect("params");
        let ours = [
            features.power_spectrogram(&y).unwrap(),
            features.filterbank().clone(),
            features.mel_spectrogram(&y).unwrap(),
            features.log_mel(&y).unwrap(),
            features.mfcc(&y).unwrap(),
        ];
        for (slot, ours) in worst.iter_mut().zip(&ours) {
            let theirs = if slot.0 == "filterbank" {
                sparse_matrix(&case["filterbank"], p.n_fft / 2 + 1)
            } else {
                matrix(&case[slot.0])
            };
            let (abs, rel) = agreement(ours, &theirs, &format!("{name} {}", slot.0));
            let scale = theirs.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let in_db = matches!(slot.0, "log_mel" | "mfcc");
            let tolerance = if in_db { 1e-8 } else { 1e-10 * scale };
            assert!(abs <= tolerance, "{name} {}: max |kd − librosa| = {abs:e} (max {scale:e})", slot.0);
            slot.1 = slot.1.max(abs);
            slot.2 = slot.2.max(rel);
            slot.3 = slot.3.max(abs / scale);
        }
    }
    println!("feature      max abs diff   max rel diff   max abs / max |librosa|");
    for (feature, abs, rel, scaled) in worst {
        println!("{feature:<12} {abs:<14.3e} {rel:<14.3e} {scaled:.3e}");
    }
}

#[test]
fn decoding_matches_soundfile() {
    let g = golden();
    let decode = &g["decode"];
    let files = read_source(&root().join("data/speech/fsdd_recordings.tar.gz")).expect("FSDD");
    assert_eq!(files.len(), 3000);
    let entry = decode["entry"].as_str().expect("entry");
    let wav = &files.iter().find(|f| f.name == entry).expect("entry").wav;
    assert_eq!(u64::from(wav.sample_rate), decode["sample_rate"].as_u64().expect("rate"));
    assert_eq!(wav.samples, floats(&decode["samples"]), "samples differ from soundfile's");
}

#[test]
fn speech_defaults_leave_no_empty_filter_and_shape_frames() {
    let features = Features::new(FeatureParams::speech(), 8000).unwrap();
    let y = vec![0.1; 1000];
    assert_eq!(features.log_mel(&y).unwrap().dim(), (32, 1 + 1000 / 160));
    assert_eq!(features.mfcc(&y).unwrap().dim(), (13, 1 + 1000 / 160));
    let err = Features::new(FeatureParams { n_mels: 256, n_mfcc: 13, ..FeatureParams::speech() }, 8000)
        .unwrap_err();
    assert!(err.to_string().contains("covers no FFT bin"), "{err}");
}

#[test]
fn mfcc_images_are_the_cepstra_of_the_fitted_log_mel_images() {
    use kd_core::audio::features::fit_frames;
    use kd_core::audio::{Representation, images};
    let features = Features::new(FeatureParams::speech(), 8000).unwrap();
    let tone = |n: usize| -> Vec<f64> {
        (0..n).map(|i| (i as f64 * 0.3).sin() * (1.0 + i as f64 / 500.0)).collect()
    };
    let (long, short) = (tone(8000), tone(1200));
    let frames = 20;
    let mfcc = images(&features, Representation::Mfcc, [long.as_slice(), short.as_slice()], frames).unwrap();
    let log_mel =
        images(&features, Representation::LogMel, [long.as_slice(), short.as_slice()], frames).unwrap();
    assert_eq!((mfcc.dim(), log_mel.dim()), ((2, 13 * frames), (2, 32 * frames)));
    // Each row is the DCT of the fitted log-mel image: cropping commutes with the per-frame
    // DCT, and a padded frame is the cepstrum of the silence floor.
    for (r, y) in [long.as_slice(), short.as_slice()].into_iter().enumerate() {
        let fitted = log_mel.row(r).to_owned().into_shape_with_order((32, frames)).unwrap();
        let expected = features.cepstrum(fitted.view()).unwrap();
        let got = mfcc.row(r).to_owned().into_shape_with_order((13, frames)).unwrap();
        assert!(got.iter().zip(&expected).all(|(a, b)| (a - b).abs() <= 1e-9 * b.abs().max(1.0)));
        if r == 0 {
            let cropped = fit_frames(features.mfcc(y).unwrap().view(), frames, 0.0);
            assert!(got.iter().zip(&cropped).all(|(a, b)| (a - b).abs() <= 1e-9 * b.abs().max(1.0)));
        }
    }
    assert_eq!(Representation::Mfcc.bands(features.params()), 13);
    assert!(features.cepstrum(Array2::zeros((5, 3)).view()).is_err(), "5 rows are not 32 mel bands");
}
