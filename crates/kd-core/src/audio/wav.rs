//! One WAV file decoded to mono samples in [−1, 1] with `hound`.
//!
//! Integer PCM of 8 to 32 bits is scaled by `1 / 2^(bits − 1)` (16-bit: `/ 32768`), as
//! libsndfile and so `librosa.load` / `soundfile.read` do; 32-bit IEEE float is taken as is.
//! Several channels are averaged into one (`librosa.load`'s `mono=True`). A-law, µ-law, ADPCM
//! and other compressed encodings are refused, as are files without samples and files whose
//! data chunk ends before its header says.

use std::io::Read;
use std::path::Path;

use crate::{Error, Result};

/// A decoded recording: mono samples and their rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Wav {
    /// Mono samples in [−1, 1].
    pub samples: Vec<f64>,
    /// Samples per second.
    pub sample_rate: u32,
}

fn audio_error(file: &Path, reason: impl Into<String>) -> Error {
    Error::Audio { file: file.to_path_buf(), reason: reason.into() }
}

/// Decodes the WAV bytes read from `reader`; `file` names the recording in errors.
pub fn decode_wav(file: &Path, reader: impl Read) -> Result<Wav> {
    let wav = hound::WavReader::new(reader).map_err(|e| match e {
        hound::Error::Unsupported => audio_error(
            file,
            "not a PCM WAV file: its encoding (for example A-law, µ-law or ADPCM) is not supported; \
             convert it to 16-bit PCM",
        ),
        hound::Error::FormatError(what) => audio_error(file, format!("not a valid WAV file: {what}")),
        other => audio_error(file, format!("not a readable WAV file: {other}")),
    })?;
    let spec = wav.spec();
    let channels = usize::from(spec.channels);
    if channels == 0 || spec.sample_rate == 0 {
        return Err(audio_error(file, format!("header says {channels} channels at {} Hz", spec.sample_rate)));
    }
    let interleaved: Vec<f64> = match spec.sample_format {
        hound::SampleFormat::Int => {
            if !(8..=32).contains(&spec.bits_per_sample) {
                return Err(audio_error(
                    file,
                    format!("{}-bit integer samples: kd reads 8 to 32 bits", spec.bits_per_sample),
                ));
            }
            let scale = 1.0 / f64::from(1u32 << (spec.bits_per_sample - 1));
            wav.into_samples::<i32>()
                .map(|s| s.map(|v| f64::from(v) * scale))
                .collect::<std::result::Result<_, _>>()
        }
        hound::SampleFormat::Float => {
            wav.into_samples::<f32>().map(|s| s.map(f64::from)).collect::<std::result::Result<_, _>>()
        }
    }
    .map_err(|e| audio_error(file, format!("the sample data is truncated or unreadable: {e}")))?;
    if interleaved.is_empty() {
        return Err(audio_error(file, "the recording has no samples"));
    }
    if !interleaved.len().is_multiple_of(channels) {
        return Err(audio_error(
            file,
            format!("{} samples do not divide into {channels} channels", interleaved.len()),
        ));
    }
    let samples = if channels == 1 {
        interleaved
    } else {
        interleaved.chunks_exact(channels).map(|frame| frame.iter().sum::<f64>() / channels as f64).collect()
    };
    Ok(Wav { samples, sample_rate: spec.sample_rate })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav_bytes(spec: hound::WavSpec, samples: &[i32]) -> Vec<u8> {
        let mut cursor = std::io::Cursor::new(Vec::new());
        {
            let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
            for &s in samples {
                writer.write_sample(s).unwrap();
            }
            writer.finalize().unwrap();
        }
        cursor.into_inner()
    }

    #[test]
    fn scales_16_bit_and_averages_channels() {
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 8000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let bytes = wav_bytes(spec, &[16384, 0, -32768, -32768]);
        let wav = decode_wav(Path::new("a.wav"), bytes.as_slice()).unwrap();
        assert_eq!(wav.sample_rate, 8000);
        assert_eq!(wav.samples, vec![0.25, -1.0]);
    }

    #[test]
    fn refuses_an_empty_recording() {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 8000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let err = decode_wav(Path::new("quiet.wav"), wav_bytes(spec, &[]).as_slice()).unwrap_err();
        assert_eq!(err.to_string(), "quiet.wav: the recording has no samples");
    }
}
