//! Reading recordings: folders and archives, labels from names and manifests, test splits, and
//! every kind of bad input answered by an error that names the file or the manifest's line.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use std::io::Write as _;
use std::path::{Path, PathBuf};

use kd_core::Error;
use kd_core::audio::{Corpus, LabelSource, TestSplit};

fn wav(rate: u32, samples: &[i16]) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut cursor = std::io::Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
    samples.iter().for_each(|&s| writer.write_sample(s).unwrap());
    writer.finalize().unwrap();
    cursor.into_inner()
}

/// A folder of FSDD-named recordings: 2 labels × 2 speakers × 3 takes at 8 kHz.
fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let recordings = dir.path().join("recordings");
    std::fs::create_dir(&recordings).unwrap();
    for label in ["0", "1"] {
        for speaker in ["ann", "bob"] {
            for take in 0..3 {
                let samples: Vec<i16> = (0..400).map(|i| ((i * 37 + take * 11) % 200) as i16 * 50).collect();
                std::fs::write(recordings.join(format!("{label}_{speaker}_{take}.wav")), wav(8000, &samples))
                    .unwrap();
            }
        }
    }
    let path = dir.path().to_path_buf();
    (dir, path)
}

fn archive_of(folder: &Path, out: &Path) {
    let file = std::fs::File::create(out).unwrap();
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(file, flate2::Compression::default()));
    tar.append_dir_all("recordings", folder.join("recordings")).unwrap();
    tar.into_inner().unwrap().finish().unwrap();
}

#[test]
fn a_folder_and_its_archive_give_the_same_corpus() {
    let (_dir, path) = folder();
    let archive = path.join("all.tar.gz");
    archive_of(&path, &archive);
    let from_folder = Corpus::load(&path, &LabelSource::FileName).unwrap();
    let from_archive = Corpus::load(&archive, &LabelSource::FileName).unwrap();
    assert_eq!(from_folder.recordings, from_archive.recordings);
    assert_eq!(from_folder.classes, vec!["0", "1"]);
    assert_eq!(from_folder.speakers(), vec!["ann", "bob"]);
    assert_eq!(from_folder.sample_rate, 8000);
    let split = from_folder.split(&TestSplit::Index { below: 1 }).unwrap();
    assert_eq!((split.train.len(), split.test.len()), (8, 4));
    let split = from_folder.split(&"speakers:bob".parse().unwrap()).unwrap();
    assert!(split.test.iter().all(|&i| from_folder.recordings[i].tags.speaker.as_deref() == Some("bob")));
    assert_eq!(split.test.len(), 6);
}

#[test]
fn the_shipped_fsdd_has_its_documented_test_set() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/speech/fsdd_recordings.tar.gz");
    let fsdd = Corpus::load(&root, &LabelSource::FileName).unwrap();
    assert_eq!(fsdd.recordings.len(), 3000);
    assert_eq!(fsdd.speakers().len(), 6);
    let split = fsdd.split(&TestSplit::default()).unwrap();
    assert_eq!((split.train.len(), split.test.len()), (2700, 300));
}

#[test]
fn a_manifest_labels_the_files_it_lists() {
    let (_dir, path) = folder();
    let manifest = path.join("labels.csv");
    std::fs::write(&manifest, "label,file,speaker\nyes,0_ann_0.wav,ann\nno,recordings/1_bob_2.wav,bob\n")
        .unwrap();
    let corpus = Corpus::load(&path, &LabelSource::Manifest(manifest)).unwrap();
    assert_eq!(corpus.recordings.len(), 2);
    assert_eq!(corpus.classes, vec!["no", "yes"]);
    assert_eq!(corpus.class_indices(), vec![1, 0]);
    let err = corpus.split(&TestSplit::Index { below: 1 }).unwrap_err();
    assert!(err.to_string().contains("needs every recording's index"), "{err}");
}

#[test]
fn a_manifest_row_without_a_file_names_its_line() {
    let (_dir, path) = folder();
    let manifest = path.join("labels.csv");
    std::fs::write(&manifest, "file,label\n0_ann_0.wav,0\n9_zed_0.wav,9\n").unwrap();
    let err = Corpus::load(&path, &LabelSource::Manifest(manifest)).unwrap_err();
    assert!(matches!(err, Error::InvalidValue { line: 3, column: 1, .. }), "{err:?}");
    assert!(
        err.to_string().contains("line 3") && err.to_string().contains("no recording named '9_zed_0.wav'")
    );
}

#[test]
fn a_wav_that_is_not_pcm_is_named() {
    let (_dir, path) = folder();
    let mut alaw = wav(8000, &[0; 100]);
    alaw[20] = 6; // format tag 6: A-law
    alaw[34] = 8; // 8 bits per sample
    let bad = path.join("recordings/1_ann_9.wav");
    std::fs::write(&bad, &alaw).unwrap();
    let err = Corpus::load(&path, &LabelSource::FileName).unwrap_err();
    assert!(matches!(&err, Error::Audio { file, .. } if file == &bad), "{err:?}");
    assert!(err.to_string().contains("not a PCM WAV file"), "{err}");
    std::fs::write(&bad, b"RIFF\x10\x00\x00\x00WAVEnot a wav at all").unwrap();
    let err = Corpus::load(&path, &LabelSource::FileName).unwrap_err();
    assert!(err.to_string().starts_with(&bad.display().to_string()), "{err}");
}

#[test]
fn a_different_sample_rate_names_both_files() {
    let (_dir, path) = folder();
    std::fs::write(path.join("recordings/1_bob_7.wav"), wav(16000, &[1; 100])).unwrap();
    let err = Corpus::load(&path, &LabelSource::FileName).unwrap_err();
    assert!(matches!(err, Error::SampleRateMismatch { found: 16000, expected: 8000, .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("1_bob_7.wav") && text.contains("0_ann_0.wav"), "{text}");
}

#[test]
fn a_truncated_archive_is_an_error_not_a_short_corpus() {
    let (_dir, path) = folder();
    let archive = path.join("all.tar.gz");
    archive_of(&path, &archive);
    let bytes = std::fs::read(&archive).unwrap();
    for keep in [bytes.len() / 2, bytes.len() - 10] {
        let cut = path.join(format!("cut_{keep}.tar.gz"));
        std::fs::write(&cut, &bytes[..keep]).unwrap();
        let err = Corpus::load(&cut, &LabelSource::FileName).unwrap_err();
        assert!(matches!(&err, Error::Archive { file, .. } if file == &cut), "{err:?}");
    }
    // An uncompressed tar cut inside an entry.
    let plain = path.join("all.tar");
    let mut tar = tar::Builder::new(std::fs::File::create(&plain).unwrap());
    tar.append_dir_all("recordings", path.join("recordings")).unwrap();
    tar.into_inner().unwrap().flush().unwrap();
    let bytes = std::fs::read(&plain).unwrap();
    std::fs::write(&plain, &bytes[..1200]).unwrap();
    let err = Corpus::load(&plain, &LabelSource::FileName).unwrap_err();
    assert!(matches!(&err, Error::Archive { .. }), "{err:?}");
    assert!(err.to_string().contains("truncated"), "{err}");
}

#[test]
fn an_empty_folder_and_a_missing_one_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = Corpus::load(dir.path(), &LabelSource::FileName).unwrap_err();
    assert!(matches!(err, Error::EmptyFile { .. }), "{err:?}");
    assert!(err.to_string().contains("holds no .wav files"), "{err}");
    let err = Corpus::load(&dir.path().join("nowhere"), &LabelSource::FileName).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
}

#[test]
fn a_name_without_the_pattern_asks_for_a_manifest() {
    let (_dir, path) = folder();
    std::fs::write(path.join("recordings/hello.wav"), wav(8000, &[1; 100])).unwrap();
    let err = Corpus::load(&path, &LabelSource::FileName).unwrap_err();
    assert!(err.to_string().contains("hello.wav") && err.to_string().contains("manifest"), "{err}");
}

#[test]
fn test_splits_parse_and_refuse_nonsense() {
    assert_eq!("index:5".parse::<TestSplit>().unwrap(), TestSplit::Index { below: 5 });
    assert_eq!(
        "speakers:theo, george".parse::<TestSplit>().unwrap(),
        TestSplit::Speakers(vec!["theo".into(), "george".into()])
    );
    assert_eq!("random:0.25:3".parse::<TestSplit>().unwrap(), TestSplit::Random { fraction: 0.25, seed: 3 });
    for bad in ["index", "index:x", "random:1.5", "speakers:", "folds:3"] {
        assert!(bad.parse::<TestSplit>().is_err(), "{bad}");
    }
    let (_dir, path) = folder();
    let corpus = Corpus::load(&path, &LabelSource::FileName).unwrap();
    let err = corpus.split(&"speakers:zed".parse().unwrap()).unwrap_err();
    assert!(err.to_string().contains("no speaker 'zed'"), "{err}");
    assert!(corpus.split(&TestSplit::Index { below: 0 }).is_err());
}
