//! What a reproduction is: a [`Paper`] that re-runs a claim of a reference paper here and
//! returns an [`Outcome`] computed by kd, never the paper's own number.
//!
//! A claim is judged in two steps. First its [`Precondition`]s: what must be true for the
//! experiment to be able to test the claim at all (for example "the teacher is more accurate
//! than the student trained alone"). When one fails the [`Verdict`] is `inconclusive`, never
//! `does not hold`. Then the claim's own conditions, on held-out rows: `holds` or
//! `does not hold`.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Map, Value};

/// How much of a reproduction to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// A smoke test: one or two seeds, small sizes (seconds to a minute per paper).
    Quick,
    /// Enough seeds for every verdict, within the whole run's budget (`cargo xtask reproduce`).
    #[default]
    Default,
    /// The longer runs: more seeds and data sets (`--full`).
    Full,
}

impl Scale {
    /// The value for this scale: `quick`, `default` or `full`.
    pub fn pick<T>(self, quick: T, default: T, full: T) -> T {
        match self {
            Scale::Quick => quick,
            Scale::Default => default,
            Scale::Full => full,
        }
    }
}

/// How a reproduction is run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How much to run.
    pub scale: Scale,
    /// The paper's own output folder (`target/reproduce/<paper>`), for extra files.
    pub dir: PathBuf,
}

impl RunOptions {
    /// Whether this is the long scale.
    pub fn full(&self) -> bool {
        self.scale == Scale::Full
    }

    /// Seeds `0, 1, …` as many as the scale asks: `quick`, `default` or `full`.
    pub fn seeds(&self, quick: u64, default: u64, full: u64) -> Vec<u64> {
        (0..self.scale.pick(quick, default, full)).collect()
    }
}

/// A condition the experiment must meet before it can test the claim, with the figure that
/// decided it.
#[derive(Debug, Clone, Serialize)]
pub struct Precondition {
    /// What must be true, in words ("the teacher beats the student alone by ≥ 1 point").
    pub what: String,
    /// The figure measured here ("+2.4 points on average; ahead in 5 of 5 seeds").
    pub figure: String,
    /// Whether it is met.
    pub met: bool,
}

impl Precondition {
    /// A precondition with its figure and whether it is met.
    pub fn new(what: impl Into<String>, figure: impl Into<String>, met: bool) -> Self {
        Self { what: what.into(), figure: figure.into(), met }
    }
}

/// The verdict on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every precondition is met and so are the claim's conditions.
    Holds,
    /// Every precondition is met and a condition of the claim is not.
    DoesNotHold,
    /// A precondition failed: the experiment could not test the claim.
    Inconclusive,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Holds => "holds",
            Verdict::DoesNotHold => "does not hold",
            Verdict::Inconclusive => "inconclusive",
        })
    }
}

/// A figure of the report, as SVG text.
#[derive(Debug, Clone)]
pub struct Plot {
    /// File name, ending in `.svg`.
    pub file: String,
    /// Caption shown in `report.md`.
    pub caption: String,
    /// The SVG document.
    pub svg: String,
}

/// What a reproduction found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// kd's figures (JSON object).
    pub metrics: Map<String, Value>,
    /// The paper's figures for the same quantities, for context (JSON object).
    pub paper_metrics: Map<String, Value>,
    /// Whether the claim's own conditions are met here (the verdict also needs every
    /// precondition: see [`Outcome::verdict`]).
    pub holds: bool,
    /// What the experiment must meet to test the claim, checked before the claim.
    pub preconditions: Vec<Precondition>,
    /// The seeds used.
    pub seeds: Vec<u64>,
    /// The paper's headline figure, in words (for SUMMARY.md).
    pub paper_figure: String,
    /// kd's headline figure, in words (for SUMMARY.md).
    pub our_figure: String,
    /// The report's table, in Markdown.
    pub table: String,
    /// Figures for the report.
    pub plots: Vec<Plot>,
    /// Remarks: departures from the paper, why a claim does not hold.
    pub notes: String,
}

impl Outcome {
    /// `inconclusive` when a precondition failed, else `holds` or `does not hold`.
    pub fn verdict(&self) -> Verdict {
        if self.preconditions.iter().any(|p| !p.met) {
            Verdict::Inconclusive
        } else if self.holds {
            Verdict::Holds
        } else {
            Verdict::DoesNotHold
        }
    }

    /// The failed preconditions, in words, for an inconclusive verdict.
    pub fn failed_preconditions(&self) -> Vec<&Precondition> {
        self.preconditions.iter().filter(|p| !p.met).collect()
    }
}

/// What a reproduction states before it runs: the paper, the claim tested and the
/// preconditions checked before the claim.
#[derive(Debug)]
pub struct Card {
    /// Short id, as on the command line (`hinton2015`).
    pub id: &'static str,
    /// Authors, year and title.
    pub citation: &'static str,
    /// The claim tested, with its threshold.
    pub claim: &'static str,
    /// The preconditions, in words, in the order the run reports them.
    pub preconditions: &'static [&'static str],
    /// About how long a run takes on 2 idle cores, in seconds, at the `quick`, `default` and
    /// `full` scales (for the time-left estimate printed while `all` runs).
    pub seconds: [f64; 3],
}

impl Card {
    /// About how long a run at this scale takes, in seconds.
    pub fn expected_seconds(&self, scale: Scale) -> f64 {
        let [quick, default, full] = self.seconds;
        scale.pick(quick, default, full)
    }
}

/// A reproduction of one paper's claim: the card it states before it runs, and the run.
#[derive(Clone, Copy)]
pub struct Paper {
    /// The paper, the claim and its preconditions.
    pub card: &'static Card,
    /// Runs the reproduction.
    pub run: fn(&RunOptions) -> anyhow::Result<Outcome>,
}
