//! `kd distill --audio PATH`: a CNN student for recordings (a kd built with libtorch).
//!
//! The recordings (a folder of WAV files or a `.tar.gz` of them, labelled by their file names
//! or a manifest) become log-mel images, or with `--mfcc N` images of their MFCCs
//! (`FeatureParams::speech()` with `--n-fft`, `--hop`, `--mels`, `--fmin`, `--fmax`, `--top-db`
//! and `--db-ref`, `--frames` around each
//! recording's centre, standardised per band on the training recordings). The teacher is an
//! ensemble of CNNs trained here on the training recordings (`cnn-ensemble:N`) or saved speech
//! CNNs (`speech:a.json,b.json`); the student, a smaller CNN, learns from the teacher's
//! outputs with Hinton's loss (or from the labels with `--labels`). The report gives both
//! models' accuracy and their agreement on the held-out recordings.
//!
//! `kd distill` hands its arguments here when they contain `--audio` (see [`audio_args`]).

use std::ffi::OsString;
#[cfg(feature = "torch")]
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Parser;

use super::Format;

/// Arguments of `kd distill --audio`.
#[derive(Debug, Parser)]
#[command(
    name = "kd distill",
    about = "Distill a speech teacher into a CNN student (recordings; a kd built with libtorch)"
)]
pub struct AudioArgs {
    /// Recordings: a folder of WAV files (searched recursively) or a .tar / .tar.gz of them.
    #[arg(long)]
    pub audio: PathBuf,
    /// Labels from a manifest CSV (columns file,label and optionally speaker,index) instead of
    /// the file names ({label}_{speaker}_{index}.wav).
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// The held-out recordings: index:5 (takes 0-4, the Free Spoken Digit Dataset's test set),
    /// speakers:NAME[,NAME...] (voices no model hears) or random:0.2[:SEED].
    #[arg(long, default_value = "index:5")]
    pub test_split: String,
    /// The teacher: cnn-ensemble:N[:C1,C2] (N CNNs trained here on the training recordings,
    /// channels 8,16 by default) or speech:A.json[,B.json...] (saved speech CNNs, their
    /// probabilities averaged).
    #[arg(long, default_value = "cnn-ensemble:4")]
    pub teacher: String,
    /// The student: cnn:C1,C2[,...] (channels of its convolution stages, 1 to 4 stages).
    #[arg(long, default_value = "cnn:4,8")]
    pub student: String,
    /// Width of the CNNs' dense layer.
    #[arg(long, default_value_t = 32)]
    pub dense: i64,
    /// Fit the student to the true labels instead of the teacher.
    #[arg(long)]
    pub labels: bool,
    /// The student's loss: kd[:T=4,alpha=0.9] (alpha weighs the soft term, 1 - alpha the
    /// labels' cross-entropy).
    #[arg(long, default_value = "kd:T=4,alpha=0.9")]
    pub loss: String,
    /// Epochs (the student's, and each member's of a cnn-ensemble teacher).
    #[arg(long, default_value_t = 15)]
    pub epochs: usize,
    /// Recordings per optimiser step.
    #[arg(long, default_value_t = 32)]
    pub minibatch: usize,
    /// Adam's learning rate.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    /// Frames per image (one per hop: 20 ms each at 8 kHz by default).
    #[arg(long, default_value_t = 32)]
    pub frames: usize,
    /// FFT length and window of the log-mel frames, in samples (even; 256 = 32 ms at 8 kHz).
    #[arg(long, default_value_t = 256)]
    pub n_fft: usize,
    /// Hop between frames, in samples (160 = 20 ms at 8 kHz).
    #[arg(long, default_value_t = 160)]
    pub hop: usize,
    /// Mel bands of the log-mel images.
    #[arg(long, default_value_t = 32)]
    pub mels: usize,
    /// Images of N MFCCs (the DCT of each log-mel frame, N ≤ --mels) instead of log-mel bands.
    #[arg(long, value_name = "N")]
    pub mfcc: Option<usize>,
    /// Lowest frequency of the mel bands, Hz.
    #[arg(long, default_value_t = 0.0)]
    pub fmin: f64,
    /// Highest frequency of the mel bands, Hz (default: half the sample rate).
    #[arg(long)]
    pub fmax: Option<f64>,
    /// Dynamic range kept below each image's loudest cell, dB (librosa's `top_db`).
    #[arg(long, default_value_t = 80.0)]
    pub top_db: f64,
    /// The decibels' reference: `max` (each recording's loudest cell is 0 dB) or a power.
    #[arg(long, default_value = "max")]
    pub db_ref: String,
    /// Seed of the weights and batch orders.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// cpu or cuda.
    #[arg(long, default_value = "cpu")]
    pub device: String,
    /// Save the student here (kd-speech-cnn JSON; `kd explain` summarises it).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `Some` when the command line is `kd distill ... --audio ...`: then it is parsed here (exiting
/// with clap's message on bad arguments, as any subcommand does).
pub fn audio_args(args: &[OsString]) -> Option<AudioArgs> {
    let is_distill = args.get(1).is_some_and(|a| a == "distill");
    let has_audio = args.iter().any(|a| a == "--audio" || a.to_string_lossy().starts_with("--audio="));
    (is_distill && has_audio)
        .then(|| super::parse_with_negative_values(args.iter().skip(1), super::negative_numbers_as_values))
}

/// Runs `kd distill --audio`.
#[cfg(not(feature = "torch"))]
pub fn run(_args: &AudioArgs) -> anyhow::Result<String> {
    anyhow::bail!(crate::cli::UsageError::new(
        "--audio",
        "audio students are CNNs: use a kd built with libtorch (cargo xtask install)"
    ))
}

/// Runs `kd distill --audio`.
#[cfg(feature = "torch")]
pub fn run(args: &AudioArgs) -> anyhow::Result<String> {
    let run = super::audio_run::distill(args)?;
    if let Some(path) = &args.out {
        super::write_file(path, &run.student.to_saved()?.to_json()?)?;
    }
    Ok(match args.format {
        Format::Json => super::to_json(&run.report)?,
        Format::Table => {
            let r = &run.report;
            let mut o = String::new();
            let _ = writeln!(
                o,
                "recordings: {} in {} ({} Hz, {} classes); training {}, held out {} ({})",
                r.recordings, r.source, r.sample_rate, r.classes, r.train, r.test, r.test_split
            );
            let _ = writeln!(o, "teacher: {}\n  held-out accuracy {:.4}", r.teacher, r.teacher_accuracy);
            let _ = writeln!(
                o,
                "student: CNN {:?}, {} parameters, trained on {} ({} epochs, {:.1} s)\n  held-out accuracy {:.4}, agreement with the teacher {:.4}",
                r.student_channels,
                r.student_parameters,
                r.trained_on,
                r.epochs,
                r.seconds,
                r.student_accuracy,
                r.agreement
            );
            if let Some(path) = &args.out {
                let _ = writeln!(o, "saved: {}", path.display());
            }
            o
        }
    })
}
