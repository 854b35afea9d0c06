//! The work of `kd distill --audio` (feature `torch`): recordings to images, the teacher (an
//! ensemble trained here or saved speech CNNs), the student, and the held-out figures.

use kd::core::audio::{
    BandScaler, Corpus, DbReference, FeatureParams, LabelSource, Representation, TestSplit,
};
use kd::core::nn::{
    DistillerConfig, MlpLoss, OptimizerKind, SavedSpeechCnn, SpeechCnn, SpeechInput, SpeechJob, SpeechTarget,
    ensemble_log_probabilities, train_many,
};
use kd::core::tch::{Device, Tensor};
use ndarray::{Array2, Axis};
use serde::Serialize;

use super::audio::AudioArgs;

/// The figures `kd distill --audio` prints.
#[derive(Debug, Serialize)]
pub struct AudioReport {
    pub source: String,
    pub recordings: usize,
    pub sample_rate: u32,
    pub classes: usize,
    pub test_split: String,
    pub train: usize,
    pub test: usize,
    pub teacher: String,
    pub teacher_accuracy: f64,
    pub student_channels: Vec<i64>,
    pub student_parameters: i64,
    pub trained_on: String,
    pub epochs: usize,
    pub seconds: f64,
    pub student_accuracy: f64,
    pub agreement: f64,
}

/// The trained student and its report.
pub struct AudioRun {
    pub student: SpeechCnn,
    pub report: AudioReport,
}

fn invalid(name: &str, reason: String) -> anyhow::Error {
    crate::cli::UsageError::new(name, reason).into()
}

/// `FeatureParams::speech()` with the frames, bands, frequencies and decibels asked for,
/// checked at `sample_rate`; a bad value is refused naming its flag.
fn features(args: &AudioArgs, sample_rate: u32) -> anyhow::Result<FeatureParams> {
    let reference = match args.db_ref.trim() {
        "max" => DbReference::Max,
        text => DbReference::Value(text.parse().map_err(|_| {
            invalid("--db-ref", format!("'{text}': max, or the power that is 0 dB (a positive number)"))
        })?),
    };
    let features = FeatureParams {
        n_fft: args.n_fft,
        win_length: args.n_fft,
        hop_length: args.hop,
        n_mels: args.mels,
        fmin: args.fmin,
        // Half the sample rate given is the default, saved as such.
        fmax: args.fmax.filter(|&f| f != f64::from(sample_rate) / 2.0),
        top_db: Some(args.top_db),
        reference,
        // Without --mfcc the MFCCs are not read; their count only has to fit in the bands.
        n_mfcc: args.mfcc.unwrap_or(args.mels.min(FeatureParams::speech().n_mfcc)),
        ..FeatureParams::speech()
    };
    match features.check(sample_rate) {
        Ok(()) => Ok(features),
        Err(kd::core::Error::InvalidParameter { name, reason }) => {
            let flag = match name.as_str() {
                "n_fft" | "win_length" => "--n-fft",
                "hop_length" => "--hop",
                "n_mels" => "--mels",
                "n_mfcc" => "--mfcc",
                "fmin/fmax" => "--fmin and --fmax",
                "top_db" => "--top-db",
                "reference" => "--db-ref",
                other => other,
            };
            Err(invalid(flag, format!("{reason} (at {sample_rate} Hz)")))
        }
        Err(other) => Err(other.into()),
    }
}

/// The settings in which `theirs` differs from `ours`, each as `name: theirs vs ours`
/// (`features.fmin: 0 vs 50`).
fn differences(theirs: &SpeechInput, ours: &SpeechInput) -> Vec<String> {
    let flat = |input: &SpeechInput| -> Vec<(String, serde_json::Value)> {
        let mut out = Vec::new();
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(input) {
            for (key, value) in map {
                match value {
                    serde_json::Value::Object(inner) => {
                        out.extend(inner.into_iter().map(|(k, v)| (format!("{key}.{k}"), v)));
                    }
                    other => out.push((key, other)),
                }
            }
        }
        out
    };
    let ours = flat(ours);
    flat(theirs)
        .into_iter()
        .zip(ours)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((name, a), (_, b))| format!("{name}: {a} vs {b}"))
        .collect()
}

fn channels(text: &str, name: &str) -> anyhow::Result<Vec<i64>> {
    text.split(',')
        .map(|c| c.trim().parse::<i64>().ok().filter(|&c| c >= 1))
        .collect::<Option<Vec<_>>>()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| invalid(name, format!("'{text}': channels are whole numbers ≥ 1, comma separated")))
}

fn device(name: &str) -> anyhow::Result<Device> {
    match name {
        "cpu" => Ok(Device::Cpu),
        "cuda" if kd::core::tch::Cuda::is_available() => Ok(Device::Cuda(0)),
        "cuda" => Err(invalid("--device", "cuda, but no CUDA device is available".into())),
        other => Err(invalid("--device", format!("'{other}': use cpu or cuda"))),
    }
}

/// Predicted classes of `(n, k)` logits.
fn predicted(logits: &Tensor) -> anyhow::Result<Vec<i64>> {
    Ok(Vec::try_from(logits.f_argmax(1, false)?)?)
}

fn share_equal(a: &[i64], b: &[i64]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len().max(1) as f64
}

/// The teacher's log-probabilities on the training and test images, and its description.
#[allow(clippy::too_many_arguments)]
fn teacher(
    args: &AudioArgs,
    make: &dyn Fn(Vec<i64>, u64) -> anyhow::Result<SpeechCnn>,
    config: &dyn Fn(u64) -> DistillerConfig,
    (train_x, train_y): (&Array2<f64>, &[usize]),
    test_x: &Array2<f64>,
    input: &SpeechInput,
    classes: &[String],
    device: Device,
) -> anyhow::Result<(Tensor, Tensor, String)> {
    let (kind, spec) = args.teacher.split_once(':').unwrap_or((args.teacher.as_str(), ""));
    let (members, name) = match kind {
        "cnn-ensemble" => {
            let (count, widths) = spec.split_once(':').unwrap_or((spec, "8,16"));
            let count: u64 = count.parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
                invalid("--teacher", format!("'{}': cnn-ensemble:N needs N ≥ 1", args.teacher))
            })?;
            let widths = channels(widths, "--teacher")?;
            let jobs = (0..count)
                .map(|m| {
                    let seed = args.seed * 1000 + m;
                    Ok(SpeechJob {
                        model: make(widths.clone(), seed)?,
                        target: SpeechTarget::Labels,
                        config: config(seed),
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let workers = if device == Device::Cpu { 2 } else { 1 };
            let members = train_many(jobs, train_x.view(), train_y, workers)?;
            (members, format!("an ensemble of {count} CNNs {widths:?} trained here on the labels"))
        }
        "speech" => {
            let members = spec
                .split(',')
                .map(|file| {
                    let text = std::fs::read_to_string(file)
                        .map_err(|source| kd::core::Error::Io { file: file.into(), source })?;
                    let model = SpeechCnn::from_saved(&SavedSpeechCnn::from_json(&text)?, device)?;
                    if model.input() != input || model.classes() != classes {
                        let mut differ = differences(model.input(), input);
                        if model.classes() != classes {
                            differ.push(format!("classes {} vs {}", model.classes().join(","), classes.join(",")));
                        }
                        return Err(invalid(
                            "--teacher",
                            format!(
                                "{file} reads other features or classes than these recordings give ({}: the teacher's vs these)",
                                differ.join("; ")
                            ),
                        ));
                    }
                    Ok(model)
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            (members, format!("saved speech CNNs {spec}"))
        }
        _ => {
            return Err(invalid(
                "--teacher",
                format!("'{}': use cnn-ensemble:N[:C1,C2] or speech:A.json[,B.json]", args.teacher),
            ));
        }
    };
    let train = ensemble_log_probabilities(&members, train_x.view())?;
    let test = ensemble_log_probabilities(&members, test_x.view())?;
    Ok((train, test, name))
}

/// Loads, trains and measures.
pub fn distill(args: &AudioArgs) -> anyhow::Result<AudioRun> {
    let device = device(&args.device)?;
    let labels = args.manifest.clone().map_or(LabelSource::FileName, LabelSource::Manifest);
    let split: TestSplit = args.test_split.parse()?;
    let corpus = Corpus::load(&args.audio, &labels)?;
    let parts = corpus.split(&split)?;
    let input = SpeechInput {
        sample_rate: corpus.sample_rate,
        features: features(args, corpus.sample_rate)?,
        frames: args.frames,
        representation: if args.mfcc.is_some() { Representation::Mfcc } else { Representation::LogMel },
    };
    let images = input.images(corpus.recordings.iter().map(|r| r.samples.as_slice()))?;
    let all_labels = corpus.class_indices();
    let rows = |r: &[usize]| -> (Array2<f64>, Vec<usize>) {
        (images.select(Axis(0), r), r.iter().map(|&i| all_labels[i]).collect())
    };
    let ((train_x, train_y), (test_x, test_y)) = (rows(&parts.train), rows(&parts.test));
    let scaler = BandScaler::fit(train_x.view(), input.bands())?;
    // A network refused for its shape names the flags that size its images.
    let rows_flag = if args.mfcc.is_some() { "--mfcc" } else { "--mels" };
    let make = |widths: Vec<i64>, seed: u64| -> anyhow::Result<SpeechCnn> {
        SpeechCnn::new(
            input.clone(),
            corpus.classes.clone(),
            scaler.clone(),
            widths,
            args.dense,
            seed,
            device,
        )
        .map_err(|e| match e {
            kd::core::Error::InvalidParameter { name, reason } if name == "cnn" => invalid(
                "cnn",
                format!(
                    "{reason} (the images are {rows_flag} {} × --frames {})",
                    input.bands(),
                    input.frames
                ),
            ),
            other => other.into(),
        })
    };
    let config = |seed: u64| DistillerConfig {
        epochs: args.epochs,
        batch_size: args.minibatch,
        optimizer: OptimizerKind::adam(args.lr),
        seed,
        device,
        ..Default::default()
    };
    let (teacher_train, teacher_test, teacher_name) =
        teacher(args, &make, &config, (&train_x, &train_y), &test_x, &input, &corpus.classes, device)?;
    let widths = channels(
        args.student.strip_prefix("cnn:").ok_or_else(|| {
            invalid("--student", format!("'{}': audio students are cnn:C1,C2[,...]", args.student))
        })?,
        "--student",
    )?;
    let target = if args.labels {
        SpeechTarget::Labels
    } else {
        let MlpLoss::Kd { temperature, alpha } =
            args.loss.parse::<MlpLoss>().map_err(|e| invalid("--loss", e.to_string()))?
        else {
            return Err(invalid("--loss", "audio students learn with kd[:T=4,alpha=0.9]".into()));
        };
        SpeechTarget::Distil { teacher: teacher_train, temperature, alpha, name: teacher_name.clone() }
    };
    let job =
        SpeechJob { model: make(widths.clone(), args.seed * 1000 + 999)?, target, config: config(args.seed) };
    let student = train_many(vec![job], train_x.view(), &train_y, 1)?.remove(0);
    let student_predicted = predicted(&student.logits(test_x.view())?)?;
    let teacher_predicted = predicted(&teacher_test)?;
    let truth: Vec<i64> = test_y.iter().map(|&c| c as i64).collect();
    let log = student.log();
    let report = AudioReport {
        source: args.audio.display().to_string(),
        recordings: corpus.recordings.len(),
        sample_rate: corpus.sample_rate,
        classes: corpus.classes.len(),
        test_split: split.to_string(),
        train: parts.train.len(),
        test: parts.test.len(),
        teacher: teacher_name,
        teacher_accuracy: share_equal(&teacher_predicted, &truth),
        student_parameters: student.network().config().parameters(),
        student_channels: widths,
        trained_on: if args.labels {
            "the true labels".into()
        } else {
            format!("the teacher ({})", args.loss)
        },
        epochs: log.map_or(0, |l| l.epochs.len()),
        seconds: log.map_or(0.0, |l| l.seconds),
        student_accuracy: share_equal(&student_predicted, &truth),
        agreement: share_equal(&student_predicted, &teacher_predicted),
    };
    Ok(AudioRun { student, report })
}
