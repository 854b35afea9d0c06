//! What a reproduction is: a [`Paper`] that re-runs a claim of a reference paper here and
//! returns an [`Outcome`] computed by kd, never the paper's own number.

use std::path::PathBuf;

use serde_json::{Map, Value};

/// How a reproduction is run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Fewer seeds and smaller sizes, for a run of a few minutes.
    pub quick: bool,
    /// The paper's own output folder (`target/reproduce/<paper>`), for extra files.
    pub dir: PathBuf,
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
    /// Whether the claim holds here.
    pub holds: bool,
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

/// A reproduction of one paper's claim.
pub trait Paper {
    /// Short id, as on the command line (`hinton2015`).
    fn id(&self) -> &'static str;
    /// Authors, year and title.
    fn citation(&self) -> &'static str;
    /// The claim tested, with its threshold.
    fn claim(&self) -> &'static str;
    /// Runs the reproduction.
    fn run(&self, options: &RunOptions) -> anyhow::Result<Outcome>;
}
