//! The stability section, shared by PD, LGD and CCF: PSI of the estimates and CSI of the other
//! columns against the baseline, KS of the scores, the shift of the grade distribution, and the
//! migration matrix.

use std::collections::BTreeMap;

use kd::core::data::ColumnKind;
use kd::hypotheses::validation::{self as v, ChiSquareTest, KolmogorovSmirnov, Migration, PsiVerdict};
use serde::Serialize;

use super::super::columns::{complete_rows, levels, numbers};
use super::Args;
use super::cite::{self, Cited, cite};
use super::inputs::Inputs;

/// A PSI with its verdict.
#[derive(Debug, Serialize)]
pub struct PsiFigure {
    pub value: f64,
    pub verdict: PsiVerdict,
}

/// CSI of every shared column.
#[derive(Debug, Serialize)]
pub struct Csi {
    pub columns: BTreeMap<String, PsiFigure>,
}

/// The shift of the grade distribution.
#[derive(Debug, Serialize)]
pub struct GradeShift {
    pub psi: f64,
    pub chi_square: ChiSquareTest,
}

/// The migration matrix with where it migrates from.
#[derive(Debug, Serialize)]
pub struct MigrationFigure {
    pub from: String,
    pub grades: Vec<String>,
    #[serde(flatten)]
    pub migration: Migration,
}

/// The stability section.
#[derive(Debug, Default, Serialize)]
pub struct Stability {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psi: Option<Cited<PsiFigure>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csi: Option<Cited<Csi>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ks: Option<Cited<KolmogorovSmirnov>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grades: Option<Cited<GradeShift>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migration: Option<Cited<MigrationFigure>>,
}

fn psi_figure(psi: f64) -> PsiFigure {
    PsiFigure { value: psi, verdict: PsiVerdict::from_psi(psi) }
}

/// The stability section of `inputs`; `score` holds the current sample's estimates.
pub fn stability(args: &Args, inputs: &Inputs, score: &[f64]) -> anyhow::Result<Stability> {
    let mut out = Stability::default();
    if let Some(base) = &inputs.baseline {
        let base_score = numbers(&base.table, &args.score, &base.rows)?;
        out.baseline = Some(base.table.file().display().to_string());
        out.psi =
            Some(cite(psi_figure(v::psi_numeric(&base_score, score, args.binning(10))?.value), cite::PSI));
        out.ks = Some(cite(v::ks_two_sample(&base_score, score)?, cite::KS_SHIFT));
        out.csi = Some(cite(Csi { columns: csi(args, inputs)? }, cite::PSI));
        if let (Some(scale), Some(now), Some(before)) = (&inputs.scale, &inputs.grade, &base.grade) {
            let k = scale.grades.len();
            let count =
                |g: &[usize]| (0..k).map(|l| g.iter().filter(|&&x| x == l).count()).collect::<Vec<_>>();
            out.grades = Some(cite(
                GradeShift {
                    psi: v::psi_categorical(before, now, k)?.value,
                    chi_square: v::chi_square_homogeneity(&count(before), &count(now))?,
                },
                cite::GRADE_SHIFT,
            ));
        }
    }
    if let (Some((from, to)), Some(scale), Some(source)) =
        (&inputs.migration, &inputs.scale, &inputs.migration_from)
    {
        out.migration = Some(cite(
            MigrationFigure {
                from: source.clone(),
                grades: scale.grades.clone(),
                migration: v::migration(from, to, scale.grades.len())?,
            },
            cite::MIGRATION,
        ));
    }
    Ok(out)
}

/// CSI of every column shared by the current sample and the baseline, other than the ones the
/// validation uses; missing cells are left out column by column.
fn csi(args: &Args, inputs: &Inputs) -> anyhow::Result<BTreeMap<String, PsiFigure>> {
    let Some(base) = &inputs.baseline else { return Ok(BTreeMap::new()) };
    let skip: Vec<&str> = [
        Some(&args.score),
        Some(&args.outcome),
        args.grade.as_ref(),
        args.challenger.as_ref(),
        args.id.as_ref(),
        args.date.as_ref(),
        args.r#override.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect();
    let mut out = BTreeMap::new();
    let table = &inputs.table;
    for column in table.columns().iter().filter(|c| !skip.contains(&c.name.as_str())) {
        let Ok(base_column) = base.table.column(&column.name) else { continue };
        let name = column.name.as_str();
        let current_rows: Vec<usize> = complete_rows(table, &[name], true)?
            .into_iter()
            .filter(|r| inputs.current().binary_search(r).is_ok())
            .collect();
        let base_rows = complete_rows(&base.table, &[name], true)?;
        let value = match (column.kind(), base_column.kind()) {
            (ColumnKind::Numeric, ColumnKind::Numeric) => {
                let (b, c) = (numbers(&base.table, name, &base_rows)?, numbers(table, name, &current_rows)?);
                v::psi_numeric(&b, &c, args.binning(10))?.value
            }
            (ColumnKind::Categorical, ColumnKind::Categorical) => {
                let (b, b_levels) = levels(&base.table, name, &base_rows)?;
                let (c, c_levels) = levels(table, name, &current_rows)?;
                let (b, c, n) = shared_levels(&b, &b_levels, &c, &c_levels);
                v::psi_categorical(&b, &c, n)?.value
            }
            _ => continue,
        };
        out.insert(column.name.clone(), psi_figure(value));
    }
    Ok(out)
}

/// Re-codes two samples' level codes onto the union of their levels (sorted).
fn shared_levels(
    a: &[usize],
    a_levels: &[String],
    b: &[usize],
    b_levels: &[String],
) -> (Vec<usize>, Vec<usize>, usize) {
    let mut all: Vec<&String> = a_levels.iter().chain(b_levels).collect();
    all.sort();
    all.dedup();
    let index = |levels: &[String], codes: &[usize]| -> Vec<usize> {
        codes.iter().map(|&c| all.binary_search(&&levels[c]).unwrap_or(0)).collect()
    };
    (index(a_levels, a), index(b_levels, b), all.len())
}
