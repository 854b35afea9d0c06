//! The concentration section of a PD report (the ECB's instructions, section 2.9): the
//! Herfindahl index of the obligors over the grades and, with exposures, of the exposure, each
//! with its test against initial validation when the baseline is graded too. `kd validate` (rows
//! and `--chunk-rows`) and the Python `kd.validate` build it here.

use serde::Serialize;

use super::cite::{self, Cited, cite};
use super::{Herfindahl, HerfindahlTest, herfindahl, herfindahl_test};
use crate::error::{Result, ensure_len, invalid_parameter, or_undefined};

/// The Herfindahl index of one weighting now, with the test against initial validation when
/// the baseline's weights are known.
#[derive(Debug, Serialize)]
pub struct HerfindahlFigure {
    /// The index now; `None` on a scale of one grade (see `note`).
    #[serde(flatten)]
    pub index: Option<Herfindahl>,
    /// Now against initial validation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<HerfindahlTest>,
    /// Why the index or the test against initial validation is not computed where it is
    /// undefined: a scale of one grade (no index), or every grade holding the same share now
    /// (the least concentration there is: no test).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl HerfindahlFigure {
    /// From the weight of each grade now and, when known, at initial validation (same grades,
    /// same order). A figure undefined for these weights is left out with a note.
    pub fn new(current: &[f64], initial: Option<&[f64]>) -> Result<Self> {
        let (index, note) = or_undefined(herfindahl(current))?;
        let (test, note) = match (&index, initial) {
            (Some(_), Some(initial)) => or_undefined(herfindahl_test(current, initial))?,
            _ => (None, note),
        };
        Ok(Self { index, test, note })
    }
}

/// A graded sample: each row's grade (an index into a scale of `k` grades) and, when known,
/// its exposure.
#[derive(Debug, Clone, Copy)]
pub struct Graded<'a> {
    /// Grade indices, best first.
    pub codes: &'a [usize],
    /// Exposure per row (≥ 0), when the report weighs by exposure.
    pub exposure: Option<&'a [f64]>,
}

impl Graded<'_> {
    /// Rows per grade and, when the sample has exposures, exposure per grade.
    fn per_grade(&self, k: usize) -> Result<(Vec<f64>, Option<Vec<f64>>)> {
        if let Some(exposure) = self.exposure {
            ensure_len("grades and exposures", self.codes.len(), exposure.len())?;
        }
        let (mut obligors, mut exposure) = (vec![0.0; k], self.exposure.map(|_| vec![0.0; k]));
        for (i, &g) in self.codes.iter().enumerate() {
            let Some(count) = obligors.get_mut(g) else {
                return Err(invalid_parameter("grades", format!("grade index {g} on a scale of {k} grades")));
            };
            *count += 1.0;
            if let (Some(total), Some(given)) = (exposure.as_mut(), self.exposure) {
                total[g] += given[i];
            }
        }
        Ok((obligors, exposure))
    }
}

/// Weights per grade: now, and at initial validation when known.
pub type Totals<'a> = (&'a [f64], Option<&'a [f64]>);

/// The concentration section.
#[derive(Debug, Serialize)]
pub struct Concentration {
    /// Over the obligors (rows) per grade.
    pub obligors: Cited<HerfindahlFigure>,
    /// Over the exposure per grade, when exposures were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Cited<HerfindahlFigure>>,
}

impl Concentration {
    /// From weights per grade (the counts and exposures of merged summaries).
    pub fn from_totals(obligors: Totals<'_>, exposure: Option<Totals<'_>>) -> Result<Self> {
        let figure = |(now, initial): Totals<'_>| {
            Ok::<_, crate::Error>(cite(HerfindahlFigure::new(now, initial)?, cite::HERFINDAHL))
        };
        Ok(Self { obligors: figure(obligors)?, exposure: exposure.map(figure).transpose()? })
    }

    /// From rows graded on a scale of `k` grades, now and, when the baseline is graded, at
    /// initial validation. The exposure figure comes when the current sample has exposures; its
    /// test when the baseline has them too.
    pub fn from_rows(k: usize, current: Graded<'_>, baseline: Option<Graded<'_>>) -> Result<Self> {
        let (obligors, exposure) = current.per_grade(k)?;
        let (base_obligors, base_exposure) = match baseline {
            Some(b) => {
                let (o, e) = b.per_grade(k)?;
                (Some(o), e)
            }
            None => (None, None),
        };
        Self::from_totals(
            (&obligors, base_obligors.as_deref()),
            exposure.as_deref().map(|now| (now, base_exposure.as_deref())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_sum_to_the_totals_per_grade() -> Result<()> {
        let codes = [0, 1, 1, 2, 2, 2];
        let exposure = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let base_codes = [0, 0, 1, 2];
        let rows = Concentration::from_rows(
            3,
            Graded { codes: &codes, exposure: Some(&exposure) },
            Some(Graded { codes: &base_codes, exposure: None }),
        )?;
        let totals = Concentration::from_totals(
            (&[1.0, 2.0, 3.0], Some(&[2.0, 1.0, 1.0])),
            Some((&[1.0, 5.0, 15.0], None)),
        )?;
        assert_eq!(serde_json::to_value(&rows).ok(), serde_json::to_value(&totals).ok());
        assert!(rows.obligors.figure.test.is_some(), "the baseline is graded: the test is there");
        assert!(rows.exposure.is_some_and(|e| e.figure.test.is_none()), "no baseline exposures: no test");
        Ok(())
    }

    #[test]
    fn one_grade_gives_a_note_instead_of_an_index() -> Result<()> {
        let one = Concentration::from_totals((&[5.0], Some(&[4.0])), Some((&[9.0], None)))?;
        let exposure = one.exposure.as_ref().map(|e| &e.figure);
        for figure in [Some(&one.obligors.figure), exposure].into_iter().flatten() {
            assert!(figure.index.is_none() && figure.test.is_none(), "{figure:?}");
            assert!(figure.note.as_deref().is_some_and(|n| n.contains("(the scale has 1)")), "{figure:?}");
        }
        let zero = HerfindahlFigure::new(&[1.0, 2.0], Some(&[0.0, 0.0]))?;
        assert!(zero.index.is_some() && zero.test.is_none(), "{zero:?}");
        assert!(zero.note.is_some_and(|n| n.contains("at initial validation the weights sum to 0")));
        let json = serde_json::to_value(&one.obligors).ok();
        assert!(json.is_some_and(|j| j.get("index").is_none() && j.get("note").is_some()));
        Ok(())
    }

    #[test]
    fn a_grade_off_the_scale_and_short_exposures_are_refused() {
        let off_scale = Concentration::from_rows(2, Graded { codes: &[0, 2], exposure: None }, None);
        assert!(off_scale.is_err_and(|e| e.to_string().contains("grade index 2 on a scale of 2 grades")));
        let short = Concentration::from_rows(2, Graded { codes: &[0, 1], exposure: Some(&[1.0]) }, None);
        assert!(short.is_err_and(|e| e.to_string().contains("grades and exposures")));
    }
}
