//! The data stage: what each sample holds (rows, columns, types, missing cells per column) and
//! how far the current sample has moved from the development one (PSI per feature and of the
//! score, over the development sample's deciles or levels; the current rows set aside for a
//! level the development sample lacks, which the PSI cannot count).

use kd_core::data::{ColumnKind, Dataset, UnseenLevel};
use kd_core::quantile::Binning;
use kd_hypotheses::validation::{Psi, psi_categorical, psi_numeric};
use ndarray::Array2;
use serde::Serialize;

use crate::error::{Result, at};
use crate::samples::{Later, Sample, Samples};

/// One column of the development sample.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnProfile {
    /// The header.
    pub name: String,
    /// "numeric" or "categorical".
    pub kind: &'static str,
    /// "feature", "target", or "not used".
    pub role: &'static str,
    /// Missing cells in the development file.
    pub missing: usize,
    /// Missing cells in the current file (when there is one and it has the column).
    pub missing_current: Option<usize>,
    /// Number of levels (categorical) .
    pub levels: Option<usize>,
    /// Smallest and largest value (numeric).
    pub range: Option<(f64, f64)>,
}

/// Size of one sample.
#[derive(Debug, Clone, Serialize)]
pub struct SampleProfile {
    /// The file as given.
    pub file: String,
    /// Data rows in the file.
    pub rows_in_file: usize,
    /// Rows used (after the missing-value policy).
    pub rows: usize,
    /// Rows dropped for missing cells.
    pub dropped_rows: usize,
    /// Rows set aside for a level the development sample lacks (a later sample; absent when
    /// none is): `rows_in_file = rows + dropped_rows + rows_set_aside`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows_set_aside: Option<usize>,
    /// Share of bad outcomes (binary) or mean target (regression), over the rows whose outcome
    /// is known; `None` where none is.
    pub outcome_mean: Option<f64>,
    /// Rows whose outcome is known, where not every row's is (a later sample).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows_with_outcome: Option<usize>,
    /// Mean score of the model.
    pub score_mean: f64,
}

/// PSI of one variable.
#[derive(Debug, Clone, Serialize)]
pub struct DriftRow {
    /// The feature, or "score".
    pub name: String,
    /// The index with its bins.
    pub psi: Psi,
    /// The bins' labels (deciles' upper edges, or levels).
    pub bins: Vec<String>,
}

/// The data stage's result.
#[derive(Debug, Clone, Serialize)]
pub struct DataReport {
    /// The development sample.
    pub development: SampleProfile,
    /// The current sample.
    pub current: Option<SampleProfile>,
    /// Every column of the development file.
    pub columns: Vec<ColumnProfile>,
    /// PSI of the model's score (current sample only).
    pub score_drift: Option<DriftRow>,
    /// PSI of every feature, largest first (current sample only).
    pub feature_drift: Vec<DriftRow>,
    /// The current rows set aside (unscored, so outside every other figure) because a
    /// categorical feature holds a level the development sample lacks; absent when none is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unseen_levels: Option<UnseenLevels>,
}

/// Current rows holding levels the development sample lacks.
#[derive(Debug, Clone, Serialize)]
pub struct UnseenLevels {
    /// Rows set aside.
    pub rows: usize,
    /// Their share of the current rows kept after the missing-value policy (those used and
    /// these).
    pub share: f64,
    /// Each level with its rows and first line, in feature order.
    pub levels: Vec<UnseenLevel>,
}

fn unseen_levels(s: &Later) -> Option<UnseenLevels> {
    let set_aside = &s.set_aside;
    (set_aside.rows > 0).then(|| UnseenLevels {
        rows: set_aside.rows,
        share: set_aside.rows as f64 / (set_aside.rows + s.rows.n_rows()) as f64,
        levels: set_aside.levels.clone(),
    })
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

fn development_profile(s: &Sample) -> SampleProfile {
    SampleProfile {
        file: s.path.display().to_string(),
        rows_in_file: s.table.n_rows(),
        rows: s.data.n_rows(),
        dropped_rows: s.data.dropped_rows(),
        rows_set_aside: None,
        outcome_mean: Some(mean(&s.outcome)),
        rows_with_outcome: None,
        score_mean: mean(&s.score),
    }
}

fn later_profile(s: &Later) -> SampleProfile {
    let known = s.known.as_ref().map_or(0, |k| k.rows.len());
    SampleProfile {
        file: s.path.display().to_string(),
        rows_in_file: s.table.n_rows(),
        rows: s.rows.n_rows(),
        dropped_rows: s.rows.dropped_rows(),
        rows_set_aside: (s.set_aside.rows > 0).then_some(s.set_aside.rows),
        outcome_mean: s.known.as_ref().map(|k| mean(&k.outcome)),
        rows_with_outcome: (known < s.rows.n_rows()).then_some(known),
        score_mean: mean(&s.score),
    }
}

/// Runs the stage.
pub fn run(samples: &Samples, bins: usize) -> Result<DataReport> {
    let dev = &samples.development;
    let features: Vec<&str> = dev.data.features().iter().map(|f| f.name.as_str()).collect();
    let columns = dev
        .table
        .columns()
        .iter()
        .map(|c| ColumnProfile {
            name: c.name.clone(),
            kind: match c.kind() {
                ColumnKind::Numeric => "numeric",
                ColumnKind::Categorical => "categorical",
            },
            role: if c.name == dev.data.target_name() {
                "target"
            } else if features.contains(&c.name.as_str()) {
                "feature"
            } else {
                "not used"
            },
            missing: c.n_missing(),
            missing_current: samples
                .current
                .as_ref()
                .and_then(|s| s.table.column(&c.name).ok())
                .map(|c| c.n_missing()),
            levels: c.levels().map(<[String]>::len),
            range: c.range(),
        })
        .collect();
    let (score_drift, feature_drift) = match &samples.current {
        None => (None, Vec::new()),
        Some(cur) => {
            let score = numeric_drift("score", &dev.score, &cur.score, bins)?;
            let mut rows = (0..features.len())
                .map(|j| feature_drift(&dev.data, cur.rows.x(), j, bins))
                .collect::<Result<Vec<_>>>()?;
            rows.sort_by(|a, b| b.psi.value.total_cmp(&a.psi.value));
            (Some(score), rows)
        }
    };
    Ok(DataReport {
        development: development_profile(dev),
        current: samples.current.as_ref().map(later_profile),
        columns,
        score_drift,
        feature_drift,
        unseen_levels: samples.current.as_ref().and_then(unseen_levels),
    })
}

fn numeric_drift(name: &str, base: &[f64], current: &[f64], bins: usize) -> Result<DriftRow> {
    let psi = psi_numeric(base, current, Binning::r_default(bins)).map_err(at("data"))?;
    let bins = crate::html::bin_labels(&psi.cuts);
    Ok(DriftRow { name: name.to_owned(), psi, bins })
}

/// PSI of feature `j`, `current` the later sample's rows coded as `dev`'s features.
fn feature_drift(dev: &Dataset, current: &Array2<f64>, j: usize, bins: usize) -> Result<DriftRow> {
    let feature = &dev.features()[j];
    let (base, current) = (dev.x().column(j).to_vec(), current.column(j).to_vec());
    match &feature.levels {
        None => numeric_drift(&feature.name, &base, &current, bins),
        Some(levels) => {
            let code = |v: &[f64]| v.iter().map(|&c| c as usize).collect::<Vec<_>>();
            let psi = psi_categorical(&code(&base), &code(&current), levels.len()).map_err(at("data"))?;
            Ok(DriftRow { name: feature.name.clone(), psi, bins: levels.clone() })
        }
    }
}
