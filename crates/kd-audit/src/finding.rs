//! Findings: one line of the report's table each, with its severity, the figure behind it, the
//! bar it was measured against, and the section of the report that holds its evidence.

use serde::Serialize;

/// Green (no concern), amber (to be looked at) or red (to be acted on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Within the bars.
    Green,
    /// Past the amber bar.
    Amber,
    /// Past the red bar.
    Red,
}

impl Severity {
    /// "green", "amber" or "red".
    pub fn name(self) -> &'static str {
        match self {
            Severity::Green => "green",
            Severity::Amber => "amber",
            Severity::Red => "red",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// `F1`, `F2`, … in table order (most severe first).
    pub id: String,
    /// A stable key (`drift.psi.age`), the same across runs and seeds.
    pub key: String,
    /// The stage that produced it.
    pub stage: &'static str,
    /// What was measured, in words.
    pub title: String,
    /// The figure (`None` for a finding without one, such as a skipped check).
    pub value: Option<f64>,
    /// The bar it was graded against ("amber ≥ 0.1, red ≥ 0.25").
    pub bar: String,
    /// The severity.
    pub severity: Severity,
    /// What it means, in one sentence.
    pub detail: String,
    /// The anchor of the evidence in the HTML report (`#drift`).
    pub evidence: String,
}

/// Builds findings, numbering them once all are in.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    list: Vec<Finding>,
}

impl Findings {
    /// Adds a finding.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        key: impl Into<String>,
        stage: &'static str,
        title: impl Into<String>,
        value: Option<f64>,
        bar: String,
        severity: Severity,
        detail: impl Into<String>,
        evidence: &str,
    ) {
        self.list.push(Finding {
            id: String::new(),
            key: key.into(),
            stage,
            title: title.into(),
            value,
            bar,
            severity,
            detail: detail.into(),
            evidence: evidence.to_owned(),
        });
    }

    /// The findings, most severe first (stable within a severity), numbered F1, F2, ….
    pub fn finish(mut self) -> Vec<Finding> {
        self.list.sort_by_key(|f| std::cmp::Reverse(f.severity));
        for (i, f) in self.list.iter_mut().enumerate() {
            f.id = format!("F{}", i + 1);
        }
        self.list
    }
}

/// Counts of findings per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Red findings.
    pub red: usize,
    /// Amber findings.
    pub amber: usize,
    /// Green findings.
    pub green: usize,
}

impl Tally {
    /// Counts `findings`.
    pub fn of(findings: &[Finding]) -> Self {
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        Self { red: count(Severity::Red), amber: count(Severity::Amber), green: count(Severity::Green) }
    }
}
