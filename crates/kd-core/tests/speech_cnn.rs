//! The speech CNN: training side by side does not change the result, the saved file round-trips
//! to the same predictions, and broken files are refused with the reason.
#![cfg(feature = "torch")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::audio::{BandScaler, FeatureParams, Representation};
use kd_core::nn::{
    DistillerConfig, OptimizerKind, SavedSpeechCnn, SpeechCnn, SpeechInput, SpeechJob, SpeechTarget,
    ensemble_log_probabilities, train_many,
};
use kd_core::tch::Device;
use ndarray::Array2;
use rand::{Rng, SeedableRng};

const MELS: usize = 8;
const FRAMES: usize = 8;

/// Two classes of 8×8 "images": class 1 has a bright upper half.
fn data(n: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let labels: Vec<usize> = (0..n).map(|i| i % 2).collect();
    let images = Array2::from_shape_fn((n, MELS * FRAMES), |(i, j)| {
        let bright = labels[i] == 1 && j < MELS * FRAMES / 2;
        rng.gen_range(-1.0..1.0) + if bright { 1.5 } else { 0.0 }
    });
    (images, labels)
}

fn input() -> SpeechInput {
    let features = FeatureParams {
        n_fft: 64,
        hop_length: 32,
        win_length: 64,
        n_mels: MELS,
        n_mfcc: 4,
        ..FeatureParams::speech()
    };
    SpeechInput { sample_rate: 8000, features, frames: FRAMES, representation: Representation::LogMel }
}

fn model(images: &Array2<f64>, seed: u64) -> SpeechCnn {
    let scaler = BandScaler::fit(images.view(), MELS).unwrap();
    SpeechCnn::new(input(), vec!["no".into(), "yes".into()], scaler, vec![2, 4], 8, seed, Device::Cpu)
        .unwrap()
}

fn jobs(images: &Array2<f64>) -> Vec<SpeechJob> {
    (0..3)
        .map(|m| SpeechJob {
            model: model(images, m),
            target: SpeechTarget::Labels,
            // Enough steps that every member learns the bright half whatever its initial weights.
            config: DistillerConfig {
                epochs: 10,
                batch_size: 8,
                optimizer: OptimizerKind::adam(1e-2),
                seed: m,
                ..Default::default()
            },
        })
        .collect()
}

#[test]
fn side_by_side_training_gives_the_same_models_and_the_ensemble_learns() {
    let _rng = kd_test_support::torch_rng();
    let (images, labels) = data(64, 1);
    let one = train_many(jobs(&images), images.view(), &labels, 1).unwrap();
    let two = train_many(jobs(&images), images.view(), &labels, 2).unwrap();
    for (a, b) in one.iter().zip(&two) {
        let (pa, pb) = (a.probabilities(images.view()).unwrap(), b.probabilities(images.view()).unwrap());
        assert_eq!(pa, pb);
    }
    let ensemble = ensemble_log_probabilities(&two, images.view()).unwrap();
    let predicted: Vec<i64> = Vec::try_from(ensemble.argmax(1, false)).unwrap();
    let right = predicted.iter().zip(&labels).filter(|&(&p, &y)| p == y as i64).count();
    assert!(right >= 56, "the ensemble gets {right} of 64 training images right");
    let p = ensemble.exp().sum_dim_intlist(1, false, kd_core::tch::Kind::Float);
    assert!(Vec::<f32>::try_from(p).unwrap().iter().all(|s| (s - 1.0).abs() < 1e-5));
}

#[test]
fn a_saved_model_predicts_the_same_after_loading() {
    let _rng = kd_test_support::torch_rng();
    let (images, labels) = data(32, 2);
    let teacher = ensemble_log_probabilities(
        &train_many(jobs(&images), images.view(), &labels, 2).unwrap(),
        images.view(),
    )
    .unwrap();
    let student = SpeechJob {
        model: model(&images, 9),
        target: SpeechTarget::Distil { teacher, temperature: 4.0, alpha: 0.9, name: "three CNNs".into() },
        config: DistillerConfig { epochs: 2, batch_size: 8, ..Default::default() },
    };
    let trained = train_many(vec![student], images.view(), &labels, 1).unwrap().remove(0);
    let text = trained.to_saved().unwrap().to_json().unwrap();
    let loaded = SpeechCnn::from_saved(&SavedSpeechCnn::from_json(&text).unwrap(), Device::Cpu).unwrap();
    assert_eq!(trained.probabilities(images.view()).unwrap(), loaded.probabilities(images.view()).unwrap());
    let summary = loaded.summary();
    assert!(summary.contains("three CNNs (Hinton's loss, T = 4, alpha = 0.9)"), "{summary}");
    assert!(summary.contains("2 epochs"), "{summary}");
}

#[test]
fn broken_saved_models_are_refused_with_the_reason() {
    let _rng = kd_test_support::torch_rng();
    let (images, _) = data(8, 3);
    let saved = model(&images, 0).to_saved().unwrap();
    let json: serde_json::Value = serde_json::from_str(&saved.to_json().unwrap()).unwrap();
    let refused = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = json.clone();
        edit(&mut v);
        SavedSpeechCnn::from_json(&v.to_string())
            .and_then(|s| SpeechCnn::from_saved(&s, Device::Cpu))
            .unwrap_err()
            .to_string()
    };
    assert!(refused(&|v| v["version"] = 99.into()).contains("version 99"));
    assert!(refused(&|v| v["format"] = "kd-mlp".into()).contains("kd-mlp"));
    assert!(refused(&|v| v["classes"] = serde_json::json!(["a", "b", "c"])).contains("3 class names"));
    assert!(refused(&|v| v["variables"][0]["shape"] = serde_json::json!([1])).contains("shape"));
    assert!(refused(&|v| v["scaler"]["sd"][0] = (-1.0).into()).contains("sd positive"));
    assert!(refused(&|v| v["input"]["features"]["n_fft"] = 3.into()).contains("n_fft"));
    assert!(refused(&|v| v["variables"].as_array_mut().unwrap().truncate(2)).contains("variables saved"));
    // MFCC images of 4 coefficients do not fit a network and scaler of 8 bands.
    assert!(refused(&|v| v["input"]["representation"] = "mfcc".into()).contains("4 bands × 8 frames"));
    let unsaid = |v: &mut serde_json::Value| {
        v["input"].as_object_mut().unwrap().remove("representation");
    };
    assert!(refused(&unsaid).contains("names its representation"));
    // A version 1 file, written before MFCC images, is read as log-mel.
    let mut old = json.clone();
    old["version"] = 1.into();
    old["input"].as_object_mut().unwrap().remove("representation");
    let loaded = SavedSpeechCnn::from_json(&old.to_string()).unwrap();
    assert_eq!(loaded.input.representation, Representation::LogMel);
    assert!(SpeechCnn::from_saved(&loaded, Device::Cpu).is_ok());
    assert_eq!(json["version"], 2);
}
