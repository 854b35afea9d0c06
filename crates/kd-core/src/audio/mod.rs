//! Audio: labelled WAV recordings ([`Corpus`]) from a folder or a tar archive, held-out parts
//! ([`TestSplit`]), and librosa's spectral features ([`Features`]: power and mel spectrograms,
//! log-mel, MFCC). No libtorch: the speech CNN that reads these features is
//! `kd_core::nn::AudioCnn` (feature `torch`).
//!
//! | step | function | reference |
//! |---|---|---|
//! | decode | [`decode_wav`] (`hound`) | `soundfile.read`: integer PCM scaled by `1/2^(bits−1)` |
//! | read a folder or `.tar.gz` | [`read_source`] (`tar`, `flate2`) | |
//! | labels | [`LabelSource`]: file name `{label}_{speaker}_{index}.wav` or a manifest CSV | the Free Spoken Digit Dataset's names |
//! | features | [`Features`] with [`FeatureParams`] | librosa 0.11.0 |
//! | network inputs | [`images`]: log-mel or MFCC ([`Representation`]) | |

mod corpus;
pub mod features;
mod labels;
mod source;
mod wav;

pub use corpus::{Corpus, Recording, TestSplit};
pub use features::{
    BandScaler, DbReference, FeatureParams, Features, MelNorm, MelScale, PadMode, Representation, images,
    log_mel_images,
};
pub use labels::{LabelSource, Tags, tags_from_name};
pub use source::{SourceFile, is_archive, read_source};
pub use wav::{Wav, decode_wav};
