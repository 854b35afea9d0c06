//! `kd distill --audio` end to end (feature `torch`) on the shipped Free Spoken Digit Dataset:
//! an ensemble teacher trained here, a CNN student distilled from it and saved, `kd explain`
//! on the saved file, and bad audio options refused by name with exit code 2.
#![cfg(feature = "torch")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{assert_exit_2, kd};
use serde_json::Value;

#[test]
fn a_cnn_student_learns_from_an_ensemble_and_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("student.json");
    let out = kd(&[
        "distill",
        "--audio",
        "data/speech/fsdd_recordings.tar.gz",
        "--teacher",
        "cnn-ensemble:2",
        "--student",
        "cnn:2,4",
        "--epochs",
        "2",
        "--frames",
        "16",
        "--n-fft",
        "320",
        "--hop",
        "160",
        "--mels",
        "24",
        "--fmin",
        "50",
        "--fmax",
        "3800",
        "--top-db",
        "70",
        "--out",
        out_file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["recordings"].as_u64(), report["train"].as_u64(), report["test"].as_u64()),
        (Some(3000), Some(2700), Some(300))
    );
    assert_eq!(report["test_split"], "index:5");
    for key in ["teacher_accuracy", "student_accuracy", "agreement"] {
        let v = report[key].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&v), "{key} = {v}");
    }
    // Two epochs are enough to beat guessing (0.1) by far on the held-out takes.
    assert!(report["teacher_accuracy"].as_f64().unwrap() > 0.3, "{report}");
    assert_eq!(report["epochs"], 2);
    let explained = kd(&["explain", out_file.to_str().unwrap()]);
    assert!(explained.status.success(), "{}", String::from_utf8_lossy(&explained.stderr));
    let text = String::from_utf8_lossy(&explained.stdout);
    for words in [
        "speech CNN: 10 classes",
        "24 mel bands × 16 frames",
        "n_fft 320, hop 160",
        "fmin 50 Hz, fmax 3800 Hz, top_db 70 dB, 0 dB at each recording's loudest cell",
        "conv3×3 2 + pool",
        "Hinton's loss, T = 4",
    ] {
        assert!(text.contains(words), "lacks '{words}': {text}");
    }
    let refused = kd(&["explain", out_file.to_str().unwrap(), "--format", "rules"]);
    assert_exit_2(&refused, &["speech CNN is explained as text"]);
    // As a teacher: accepted for images of the same settings, refused for others with what
    // differs (the default 32 bands and band edges).
    let teacher = format!("speech:{}", out_file.display());
    let same = "distill --audio data/speech/fsdd_recordings.tar.gz --student cnn:2 --epochs 1 --frames 16 \
                --n-fft 320 --hop 160 --mels 24 --fmin 50 --fmax 3800 --top-db 70 --teacher";
    let taught = kd(&same.split_whitespace().chain([teacher.as_str()]).collect::<Vec<_>>());
    assert!(taught.status.success(), "{}", String::from_utf8_lossy(&taught.stderr));
    let refused = kd(&["distill", "--audio", "data/speech/fsdd_recordings.tar.gz", "--teacher", &teacher]);
    assert_exit_2(&refused, &["--teacher", "reads other features", "features.n_mels: 24 vs 32"]);
    // Images of MFCCs: one epoch of a one-member teacher, the student saved and explained.
    let mfcc_file = dir.path().join("mfcc.json");
    let run = "distill --audio data/speech/fsdd_recordings.tar.gz --teacher cnn-ensemble:1 --student cnn:2 \
               --epochs 1 --frames 16 --mels 24 --mfcc 12 --out";
    let mfcc = kd(&run.split_whitespace().chain([mfcc_file.to_str().unwrap()]).collect::<Vec<_>>());
    assert!(mfcc.status.success(), "{}", String::from_utf8_lossy(&mfcc.stderr));
    let explained =
        String::from_utf8_lossy(&kd(&["explain", mfcc_file.to_str().unwrap()]).stdout).into_owned();
    assert!(explained.contains("12 MFCCs × 16 frames, from a log-mel of 24 mel bands"), "{explained}");
}

#[test]
fn bad_audio_options_are_named() {
    let archive = "data/speech/fsdd_recordings.tar.gz";
    assert_exit_2(&kd(&["distill", "--audio", "no/such/folder"]), &["no/such/folder"]);
    assert_exit_2(
        &kd(&["distill", "--audio", archive, "--test-split", "speakers:nobody"]),
        &["no speaker 'nobody'"],
    );
    assert_exit_2(
        &kd(&["distill", "--audio", archive, "--teacher", "forest:3"]),
        &["--teacher", "cnn-ensemble"],
    );
    assert_exit_2(
        &kd(&["distill", "--audio", archive, "--test-split", "halves"]),
        &["test split", "index:5"],
    );
    for (flag, value, words) in [
        ("--n-fft", "255", "must be even"),
        ("--hop", "0", "at least 1"),
        ("--mels", "0", "at least 1"),
        ("--fmax", "5000", "half the sample rate"),
        ("--top-db", "-1", "at least 0"),
        ("--db-ref", "0", "must be positive"),
        ("--mfcc", "0", "1..=32"),
        ("--mfcc", "40", "1..=32"),
    ] {
        assert_exit_2(&kd(&["distill", "--audio", archive, flag, value]), &[flag, words, "8000 Hz"]);
    }
    assert_exit_2(&kd(&["distill", "--audio", archive, "--db-ref", "loud"]), &["--db-ref", "'loud'", "max"]);
    // Two MFCCs are too few rows for the teacher's two poolings: the flags that size the images.
    assert_exit_2(
        &kd(&["distill", "--audio", archive, "--mfcc", "2"]),
        &["too small", "--mfcc 2 × --frames 32"],
    );
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("labels.csv");
    std::fs::write(&manifest, "file,label\n0_george_0.wav,0\n0_nobody_0.wav,0\n").unwrap();
    assert_exit_2(
        &kd(&["distill", "--audio", archive, "--manifest", manifest.to_str().unwrap()]),
        &["line 3", "no recording named '0_nobody_0.wav'"],
    );
}
