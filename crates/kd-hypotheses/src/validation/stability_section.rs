//! The stability section of a validation report, shared by PD, LGD and CCF: PSI of the
//! estimates and CSI of the other columns against the baseline, KS of the scores, the shift of
//! the grade distribution, and the migration matrix (the ECB's instructions, section 2.8).
//! `kd validate` and the Python `kd.validate` build it here.

use std::collections::BTreeMap;

use kd_core::data::columns::{complete_rows, levels, numbers, rows_with_value};
use kd_core::data::{ColumnKind, Table};
use kd_core::quantile::Binning;
use serde::Serialize;

use super::cite::{self, Cited, cite};
use super::{ChiSquareTest, ColumnBins, KolmogorovSmirnov, Migration, Psi, PsiVerdict, ScoreCounts};
use crate::error::{Result, ensure_len, or_undefined};

/// A PSI with its verdict, and for the estimates its bins.
#[derive(Debug, Serialize)]
pub struct PsiFigure {
    /// The PSI.
    pub value: f64,
    /// Its reading (stable, a shift to watch, a significant shift).
    pub verdict: PsiVerdict,
    /// The bins of the estimates' PSI, lowest first (none for the CSI's columns).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bins: Vec<PsiBin>,
}

/// One bin of the estimates' PSI.
#[derive(Debug, Serialize)]
pub struct PsiBin {
    /// Its upper edge, a cut point of the baseline: the bin holds the values above the previous
    /// edge up to this one; `None` for the last bin, open above.
    pub upper: Option<f64>,
    /// The baseline's share of the bin (after the empty-bin correction, as the PSI uses it).
    pub baseline_share: f64,
    /// The current sample's share.
    pub current_share: f64,
    /// The bin's term of the PSI, `(a − e) ln(a / e)`.
    pub contribution: f64,
}

/// One grade's shares of the two samples.
#[derive(Debug, Serialize)]
pub struct GradeShare {
    /// The grade.
    pub grade: String,
    /// The baseline's share of the grade (after the empty-bin correction, as the PSI uses it).
    pub baseline_share: f64,
    /// The current sample's share.
    pub current_share: f64,
    /// The grade's term of the PSI, `(a − e) ln(a / e)`.
    pub contribution: f64,
}

/// CSI of every shared column.
#[derive(Debug, Serialize)]
pub struct Csi {
    /// By column name.
    pub columns: BTreeMap<String, PsiFigure>,
    /// The columns of either file that have no CSI, each with why: in one file only, no value
    /// in a sample, or numbers in one and text in the other.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub left_out: BTreeMap<String, String>,
}

/// Why a column has no CSI.
pub mod left_out {
    /// In the current file, not in the baseline.
    pub const NOT_IN_BASELINE: &str = "not in the baseline";
    /// In the baseline, not in the current file.
    pub const NOT_IN_CURRENT: &str = "not in the current file";
    /// No value in the current sample's rows.
    pub const EMPTY_NOW: &str = "no value in the current sample";
    /// No value in the baseline.
    pub const EMPTY_BEFORE: &str = "no value in the baseline";
    /// Read as numbers in one file and as text in the other.
    pub const KINDS_DIFFER: &str = "numbers in one file, text in the other";

    use std::collections::BTreeMap;

    /// Why a column both files hold has no CSI, from its rows with a value in the baseline and
    /// now and whether both read it as the same kind: emptiness first (a column with no value
    /// reads as numbers, whatever it would hold), the baseline's first; `None` when it has one.
    pub fn why(baseline_rows: usize, current_rows: usize, same_kind: bool) -> Option<&'static str> {
        if baseline_rows == 0 {
            Some(EMPTY_BEFORE)
        } else if current_rows == 0 {
            Some(EMPTY_NOW)
        } else if !same_kind {
            Some(KINDS_DIFFER)
        } else {
            None
        }
    }

    /// The columns of one file only, with which, the columns in `skip` left out.
    pub fn in_one_file<S: AsRef<str>>(
        current: &[S],
        baseline: &[S],
        skip: &[&str],
    ) -> BTreeMap<String, String> {
        let only = |these: &[S], those: &[S], why: &str| {
            these
                .iter()
                .map(AsRef::as_ref)
                .filter(|n| !those.iter().any(|t| t.as_ref() == *n) && !skip.contains(n))
                .map(|n| (n.to_owned(), why.to_owned()))
                .collect::<Vec<_>>()
        };
        only(current, baseline, NOT_IN_BASELINE)
            .into_iter()
            .chain(only(baseline, current, NOT_IN_CURRENT))
            .collect()
    }
}

/// The shift of the grade distribution.
#[derive(Debug, Serialize)]
pub struct GradeShift {
    /// PSI of the grade shares.
    pub psi: f64,
    /// Its reading (stable, a shift to watch, a significant shift).
    pub verdict: PsiVerdict,
    /// χ² test of homogeneity of the two samples' grade counts; `None` where it is undefined
    /// (a scale of one grade; see `note`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chi_square: Option<ChiSquareTest>,
    /// Why the χ² test is not computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Each grade's shares, best first.
    pub shares: Vec<GradeShare>,
}

impl GradeShift {
    /// The shift of `grades`' distribution from the `before` counts to the `now` counts (one
    /// per grade, best first); an error when the three lengths differ.
    fn new(grades: &[String], before: &[usize], now: &[usize]) -> Result<Self> {
        ensure_len("the baseline's counts per grade", grades.len(), before.len())?;
        ensure_len("the current counts per grade", grades.len(), now.len())?;
        let psi = super::psi_from_counts(before, now)?;
        let shares = grades
            .iter()
            .zip(psi.bins())
            .map(|(grade, (baseline_share, current_share, contribution))| GradeShare {
                grade: grade.clone(),
                baseline_share,
                current_share,
                contribution,
            })
            .collect();
        let (chi_square, note) = or_undefined(super::chi_square_homogeneity(before, now))?;
        Ok(GradeShift { psi: psi.value, verdict: PsiVerdict::from_psi(psi.value), chi_square, note, shares })
    }
}

/// The migration matrix with where it migrates from.
#[derive(Debug, Serialize)]
pub struct MigrationFigure {
    /// What the earlier snapshot was: a file or a date.
    pub from: String,
    /// The grades, best first.
    pub grades: Vec<String>,
    /// The matrix and its summaries; `None` on a scale of one grade (see `note`).
    #[serde(flatten)]
    pub migration: Option<Migration>,
    /// Why there is no matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The stability section.
#[derive(Debug, Default, Serialize)]
pub struct Stability {
    /// The baseline's file (or frame).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// PSI of the estimates over the baseline's bins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psi: Option<Cited<PsiFigure>>,
    /// CSI of every other shared column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csi: Option<Cited<Csi>>,
    /// KS between the baseline's and the current estimates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ks: Option<Cited<KolmogorovSmirnov>>,
    /// The shift of the grade distribution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grades: Option<Cited<GradeShift>>,
    /// The migration matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migration: Option<Cited<MigrationFigure>>,
}

/// One sample of a validation: its table, the rows validated (ascending) and, on a rating
/// scale, their grade codes.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    /// The table read.
    pub table: &'a Table,
    /// The rows validated, ascending.
    pub rows: &'a [usize],
    /// Grade codes of those rows (indices into the scale, best first).
    pub grade: Option<&'a [usize]>,
}

/// A column's PSI with its verdict (the CSI).
fn psi_figure(psi: f64) -> PsiFigure {
    PsiFigure { value: psi, verdict: PsiVerdict::from_psi(psi), bins: Vec::new() }
}

/// The estimates' PSI with its verdict and bins.
fn psi_with_bins(psi: &Psi) -> PsiFigure {
    let bins = psi
        .bins()
        .enumerate()
        .map(|(k, (baseline_share, current_share, contribution))| PsiBin {
            upper: psi.cuts.get(k).copied(),
            baseline_share,
            current_share,
            contribution,
        })
        .collect();
    PsiFigure { bins, ..psi_figure(psi.value) }
}

impl Stability {
    /// The section against a `baseline` sample: PSI of the `score` column over the baseline's
    /// bins (`binning`), KS of the two samples' scores, CSI of every other column the two
    /// tables share except those in `skip` (missing cells left out column by column), and with
    /// grades on the scale `grades` (best first), the PSI and χ² test of the grade
    /// distribution.
    pub fn against_baseline(
        current: Sample<'_>,
        baseline: Sample<'_>,
        score: &str,
        skip: &[&str],
        grades: Option<&[String]>,
        binning: Binning,
    ) -> Result<Self> {
        let now = numbers(current.table, score, current.rows)?;
        let before = numbers(baseline.table, score, baseline.rows)?;
        let mut out = Stability {
            baseline: Some(baseline.table.file().display().to_string()),
            psi: Some(cite(psi_with_bins(&super::psi_numeric(&before, &now, binning)?), cite::PSI)),
            ks: Some(cite(super::ks_two_sample(&before, &now)?, cite::KS_SHIFT)),
            csi: Some(cite(csi(current, baseline, skip, binning)?, cite::PSI)),
            ..Stability::default()
        };
        if let (Some(grades), Some(now), Some(before)) = (grades, current.grade, baseline.grade) {
            let count = |codes: &[usize]| super::level_counts(codes, grades.len(), "grade");
            out.grades =
                Some(cite(GradeShift::new(grades, &count(before)?, &count(now)?)?, cite::GRADE_SHIFT));
        }
        Ok(out)
    }

    /// The same section from summaries (`kd validate --chunk-rows`; the CSI is added by
    /// [`with_csi`](Self::with_csi)): PSI of the scores over the `baseline`'s bins and KS, `before` against `now`,
    /// and with the grades and both samples' counts of them (`(grades, before, now)`, best
    /// first), the shift of the grade distribution.
    pub fn from_counts(
        baseline: &str,
        before: &ScoreCounts,
        now: &ScoreCounts,
        binning: Binning,
        grade_counts: Option<(&[String], &[usize], &[usize])>,
    ) -> Result<Self> {
        let mut out = Stability {
            baseline: Some(baseline.to_owned()),
            psi: Some(cite(psi_with_bins(&super::psi_of(before, now, binning)?), cite::PSI)),
            ks: Some(cite(super::ks_shift(before, now)?, cite::KS_SHIFT)),
            ..Stability::default()
        };
        if let Some((grades, before, now)) = grade_counts {
            out.grades = Some(cite(GradeShift::new(grades, before, now)?, cite::GRADE_SHIFT));
        }
        Ok(out)
    }

    /// Adds the CSI from each shared column's [`ColumnBins`] (the chunked report's), with the
    /// columns `left` out and why; a column whose bins hold no row of a sample is left out too.
    ///
    /// # Errors
    /// A column whose bins give no PSI.
    pub fn with_csi(
        mut self,
        columns: &BTreeMap<String, ColumnBins>,
        mut left: BTreeMap<String, String>,
    ) -> Result<Self> {
        let mut figures = BTreeMap::new();
        for (name, bins) in columns {
            let (before, now) = bins.rows();
            match left_out::why(before, now, true) {
                Some(why) => {
                    left.insert(name.clone(), why.into());
                }
                None => {
                    figures.insert(name.clone(), psi_figure(bins.psi()?.value));
                }
            }
        }
        self.csi = Some(cite(Csi { columns: figures, left_out: left }, cite::PSI));
        Ok(self)
    }

    /// Adds the migration matrix of the grade codes `from` (the earlier snapshot, described by
    /// `source`) to `to` on the scale `grades`.
    pub fn with_migration(
        mut self,
        source: &str,
        grades: &[String],
        from: &[usize],
        to: &[usize],
    ) -> Result<Self> {
        let (migration, note) = or_undefined(super::migration(from, to, grades.len()))?;
        self.migration = Some(cite(
            MigrationFigure { from: source.to_owned(), grades: grades.to_vec(), migration, note },
            cite::MIGRATION,
        ));
        Ok(self)
    }
}

/// The names of `table`'s columns.
fn names(table: &Table) -> Vec<&str> {
    table.columns().iter().map(|c| c.name.as_str()).collect()
}

/// CSI of every column shared by the current sample and the baseline other than `skip`;
/// missing cells are left out column by column, and the columns without a CSI are listed with
/// why.
fn csi(current: Sample<'_>, baseline: Sample<'_>, skip: &[&str], binning: Binning) -> Result<Csi> {
    let (table, base) = (current.table, baseline.table);
    let mut out =
        Csi { columns: BTreeMap::new(), left_out: left_out::in_one_file(&names(table), &names(base), skip) };
    for column in table.columns().iter().filter(|c| !skip.contains(&c.name.as_str())) {
        let name = column.name.as_str();
        let Ok(base_column) = base.column(name) else { continue };
        let current_rows = rows_with_value(table, name, current.rows)?;
        let base_rows = complete_rows(base, &[name], true)?;
        let same_kind = column.kind() == base_column.kind();
        if let Some(why) = left_out::why(base_rows.len(), current_rows.len(), same_kind) {
            out.left_out.insert(column.name.clone(), why.into());
            continue;
        }
        let value = if column.kind() == ColumnKind::Numeric {
            let (b, c) = (numbers(base, name, &base_rows)?, numbers(table, name, &current_rows)?);
            super::psi_numeric(&b, &c, binning)?.value
        } else {
            let (b, b_levels) = levels(base, name, &base_rows)?;
            let (c, c_levels) = levels(table, name, &current_rows)?;
            let (b, c, n) = shared_levels(&b, &b_levels, &c, &c_levels);
            super::psi_categorical(&b, &c, n)?.value
        };
        out.columns.insert(column.name.clone(), psi_figure(value));
    }
    Ok(out)
}

/// Re-codes two samples' level codes onto the union of the levels they hold (sorted): a level
/// of the table that neither sample holds (another date's, a dropped row's) is no bin.
fn shared_levels(
    a: &[usize],
    a_levels: &[String],
    b: &[usize],
    b_levels: &[String],
) -> (Vec<usize>, Vec<usize>, usize) {
    let mut all: Vec<&String> = held(a_levels, a);
    all.extend(held(b_levels, b));
    all.sort();
    all.dedup();
    let index = |levels: &[String], codes: &[usize]| -> Vec<usize> {
        codes.iter().map(|&c| all.binary_search(&&levels[c]).unwrap_or(0)).collect()
    };
    (index(a_levels, a), index(b_levels, b), all.len())
}

/// The levels of `levels` that `codes` holds.
fn held<'a>(levels: &'a [String], codes: &[usize]) -> Vec<&'a String> {
    let mut seen = vec![false; levels.len()];
    codes.iter().for_each(|&c| seen.get_mut(c).into_iter().for_each(|s| *s = true));
    levels.iter().zip(seen).filter(|(_, seen)| *seen).map(|(level, _)| level).collect()
}
