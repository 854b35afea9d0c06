//! A labelled set of recordings ([`Corpus`]) and the held-out part of it ([`TestSplit`]):
//! takes with a low index (the Free Spoken Digit Dataset's documented test set is takes 0–4 of
//! every speaker and digit), whole speakers the models never hear, or a stratified random share.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::labels::{LabelSource, Tags, tags_from_manifest, tags_from_name};
use super::source::read_source;
use crate::data::{Split, train_test_split};
use crate::{Error, Result, error::invalid_parameter};

/// One labelled recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    /// Path relative to the folder or inside the archive.
    pub name: String,
    /// Mono samples in [−1, 1].
    pub samples: Vec<f64>,
    /// Label, speaker and take.
    pub tags: Tags,
}

/// Recordings that share one sample rate, with their classes (labels in sorted order).
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The folder or archive read.
    pub source: PathBuf,
    /// Samples per second of every recording.
    pub sample_rate: u32,
    /// The recordings, in the order of their names (file-name labels) or of the manifest.
    pub recordings: Vec<Recording>,
    /// The distinct labels, sorted; a recording's class is its label's position here.
    pub classes: Vec<String>,
}

impl Corpus {
    /// Reads every WAV file of `source` (a folder or a `.tar` / `.tar.gz`) and labels them.
    ///
    /// ```no_run
    /// use kd_core::audio::{Corpus, LabelSource};
    /// let fsdd = Corpus::load("data/speech/fsdd_recordings.tar.gz".as_ref(), &LabelSource::FileName)?;
    /// assert_eq!((fsdd.recordings.len(), fsdd.sample_rate), (3000, 8000));
    /// # Ok::<(), kd_core::Error>(())
    /// ```
    pub fn load(source: &Path, labels: &LabelSource) -> Result<Self> {
        let files = read_source(source)?;
        let sample_rate = files.first().map_or(0, |f| f.wav.sample_rate);
        let tagged: Vec<(usize, Tags)> = match labels {
            LabelSource::FileName => files
                .iter()
                .enumerate()
                .map(|(i, f)| Ok((i, tags_from_name(&f.name, &f.path)?)))
                .collect::<Result<_>>()?,
            LabelSource::Manifest(manifest) => tags_from_manifest(manifest, &files, source)?,
        };
        let mut files: Vec<Option<_>> = files.into_iter().map(Some).collect();
        let recordings: Vec<Recording> = tagged
            .into_iter()
            .filter_map(|(i, tags)| {
                files.get_mut(i).and_then(Option::take).map(|f| Recording {
                    name: f.name,
                    samples: f.wav.samples,
                    tags,
                })
            })
            .collect();
        let mut classes: Vec<String> = recordings.iter().map(|r| r.tags.label.clone()).collect();
        classes.sort();
        classes.dedup();
        if classes.len() < 2 {
            return Err(Error::SingleClass {
                file: source.to_path_buf(),
                target: "label".into(),
                class: classes.first().cloned().unwrap_or_default(),
            });
        }
        Ok(Self { source: source.to_path_buf(), sample_rate, recordings, classes })
    }

    /// Each recording's class (its label's position in [`Corpus::classes`]).
    pub fn class_indices(&self) -> Vec<usize> {
        self.recordings
            .iter()
            .map(|r| self.classes.binary_search(&r.tags.label).unwrap_or_default())
            .collect()
    }

    /// The distinct speakers, sorted (empty when no recording names one).
    pub fn speakers(&self) -> Vec<String> {
        let mut speakers: Vec<String> =
            self.recordings.iter().filter_map(|r| r.tags.speaker.clone()).collect();
        speakers.sort();
        speakers.dedup();
        speakers
    }

    /// The training and held-out recordings under `split`.
    pub fn split(&self, split: &TestSplit) -> Result<Split> {
        let missing = |what: &str, name: &str| Error::Audio {
            file: self.source.clone(),
            reason: format!("the test split {split} needs every recording's {what}, and {name} has none"),
        };
        let mut test = vec![false; self.recordings.len()];
        match split {
            TestSplit::Index { below } => {
                for (t, r) in test.iter_mut().zip(&self.recordings) {
                    *t = r.tags.index.ok_or_else(|| missing("index", &r.name))? < *below;
                }
            }
            TestSplit::Speakers(held_out) => {
                let known = self.speakers();
                if let Some(unknown) = held_out.iter().find(|s| !known.contains(s)) {
                    return Err(invalid_parameter(
                        "test split",
                        format!(
                            "no speaker '{unknown}' in {} (speakers: {})",
                            self.source.display(),
                            known.join(", ")
                        ),
                    ));
                }
                for (t, r) in test.iter_mut().zip(&self.recordings) {
                    *t = held_out
                        .contains(r.tags.speaker.as_ref().ok_or_else(|| missing("speaker", &r.name))?);
                }
            }
            TestSplit::Random { fraction, seed } => {
                return train_test_split(
                    self.recordings.len(),
                    *fraction,
                    *seed,
                    Some(&self.class_indices()),
                );
            }
        }
        let (test, train): (Vec<usize>, Vec<usize>) = (0..test.len()).partition(|&i| test[i]);
        if test.is_empty() || train.is_empty() {
            return Err(Error::TooFewRows {
                what: format!("the test split {split} of {}", self.source.display()),
                needed: 1,
                found: 0,
            });
        }
        Ok(Split { train, test })
    }
}

/// Which recordings are held out.
///
/// | text | meaning |
/// |---|---|
/// | `index:5` | takes 0–4 of every speaker and label (FSDD's documented test set) |
/// | `speakers:theo,george` | every recording of these speakers |
/// | `random:0.2` | a stratified 20% of the recordings (seed 0; `random:0.2:7` for seed 7) |
#[derive(Debug, Clone, PartialEq)]
pub enum TestSplit {
    /// Takes with an index below `below`.
    Index {
        /// The first index of the training part.
        below: u64,
    },
    /// Every recording of these speakers.
    Speakers(Vec<String>),
    /// A stratified random share.
    Random {
        /// The held-out share, 0 < fraction < 1.
        fraction: f64,
        /// The seed of the draw.
        seed: u64,
    },
}

impl Default for TestSplit {
    fn default() -> Self {
        Self::Index { below: 5 }
    }
}

impl std::fmt::Display for TestSplit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Index { below } => write!(f, "index:{below}"),
            Self::Speakers(s) => write!(f, "speakers:{}", s.join(",")),
            Self::Random { fraction, seed } => write!(f, "random:{fraction}:{seed}"),
        }
    }
}

impl FromStr for TestSplit {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        let bad = |why: &str| {
            invalid_parameter(
                "test split",
                format!("'{text}': {why} (index:5, speakers:NAME,NAME or random:0.2[:SEED])"),
            )
        };
        let (kind, rest) = text.split_once(':').ok_or_else(|| bad("no ':'"))?;
        match kind {
            "index" => Ok(Self::Index { below: rest.parse().map_err(|_| bad("not a whole number"))? }),
            "speakers" => {
                let names: Vec<String> =
                    rest.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
                if names.is_empty() { Err(bad("no speaker named")) } else { Ok(Self::Speakers(names)) }
            }
            "random" => {
                let (fraction, seed) = rest.split_once(':').unwrap_or((rest, "0"));
                let fraction: f64 = fraction.parse().map_err(|_| bad("the share is not a number"))?;
                if !(fraction > 0.0 && fraction < 1.0) {
                    return Err(bad("the share must lie strictly between 0 and 1"));
                }
                Ok(Self::Random {
                    fraction,
                    seed: seed.parse().map_err(|_| bad("the seed is not a whole number"))?,
                })
            }
            _ => Err(bad("unknown kind")),
        }
    }
}
