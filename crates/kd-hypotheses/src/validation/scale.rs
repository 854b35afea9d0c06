//! The rating scale: the grades from best to worst, as given (`--grade-order`), as numbers, or
//! by their mean estimate; grade labels of a file mapped onto it with line-numbered errors
//! (kd-core's errors: they name the file, line and column of the table read).

use kd_core::Error;
use kd_core::data::Table;
use kd_core::data::columns::{invalid_value, levels};
use serde::Serialize;

/// How the order of the grades was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrderSource {
    /// `--grade-order`.
    Given,
    /// Every label is a number: ascending.
    Numeric,
    /// By the mean estimate of each grade's rows, ascending (best first).
    MeanEstimate,
}

/// The grades, best first.
#[derive(Debug, Clone, Serialize)]
pub struct Scale {
    /// Grade labels, best first.
    pub grades: Vec<String>,
    /// Where the order comes from.
    pub order: OrderSource,
}

/// The label of every row of `column` at `rows` (a categorical column).
pub fn labels(table: &Table, column: &str, rows: &[usize]) -> Result<Vec<String>, Error> {
    let (codes, levels) = levels(table, column, rows)?;
    Ok(codes.into_iter().map(|c| levels[c].clone()).collect())
}

impl Scale {
    /// The scale of the current sample's `labels` with their `estimate`s: `given` (which must
    /// name every label, each once) or, without it, numeric order when every label is a
    /// number, else ascending mean estimate. Every grade must have obligors.
    pub fn resolve(
        given: Option<&[String]>,
        labels: &[String],
        estimate: &[f64],
        table: &Table,
        column: &str,
        rows: &[usize],
    ) -> Result<Self, Error> {
        if let Some(order) = given
            && let Some(i) = labels.iter().position(|l| !order.contains(l))
        {
            return Err(invalid_value(
                table,
                column,
                rows[i],
                format!("grade '{}' is not in --grade-order ({})", labels[i], order.join(",")),
            ));
        }
        let mut present: Vec<String> = labels.to_vec();
        present.sort();
        present.dedup();
        let mean = |g: &String| {
            let (sum, n) = labels
                .iter()
                .zip(estimate)
                .filter(|(l, _)| *l == g)
                .fold((0.0, 0.0), |(s, n), (_, e)| (s + e, n + 1.0));
            sum / n
        };
        Self::ordered(given, present, mean, &table.file().display().to_string())
    }

    /// The scale of the grades `present` (sorted, distinct, each with obligors in `file`):
    /// `given`, numeric order, or ascending `mean` estimate.
    pub fn ordered(
        given: Option<&[String]>,
        present: Vec<String>,
        mean: impl Fn(&String) -> f64,
        file: &str,
    ) -> Result<Self, Error> {
        let scale = match given {
            Some(order) => {
                let mut seen = order.to_vec();
                seen.sort();
                if let Some(w) = seen.windows(2).find(|w| w[0] == w[1]) {
                    return Err(param(format!("grade '{}' is listed twice", w[0])));
                }
                Self { grades: order.to_vec(), order: OrderSource::Given }
            }
            None if present.iter().all(|l| l.parse::<f64>().is_ok()) => {
                let mut grades = present.clone();
                grades.sort_by(|a, b| {
                    a.parse::<f64>().unwrap_or(0.0).total_cmp(&b.parse::<f64>().unwrap_or(0.0))
                });
                Self { grades, order: OrderSource::Numeric }
            }
            None => {
                let mut grades = present.clone();
                grades.sort_by(|a, b| mean(a).total_cmp(&mean(b)).then_with(|| a.cmp(b)));
                Self { grades, order: OrderSource::MeanEstimate }
            }
        };
        if let Some(empty) = scale.grades.iter().find(|g| !present.contains(g)) {
            return Err(param(format!(
                "grade '{empty}' has no obligors in {file}: drop it from --grade-order"
            )));
        }
        Ok(scale)
    }

    /// Indices into the scale of `labels` read from `table`'s `column` at `rows`; a label
    /// outside the scale is an error naming its line.
    pub fn codes(
        &self,
        labels: &[String],
        table: &Table,
        column: &str,
        rows: &[usize],
    ) -> Result<Vec<usize>, Error> {
        labels
            .iter()
            .zip(rows)
            .map(|(l, &row)| {
                self.grades.iter().position(|g| g == l).ok_or_else(|| {
                    invalid_value(
                        table,
                        column,
                        row,
                        format!(
                            "grade '{l}' is not a grade of the current sample's scale ({})",
                            self.grades.join(",")
                        ),
                    )
                })
            })
            .collect()
    }
}

fn param(reason: String) -> Error {
    Error::InvalidParameter { name: "--grade-order".into(), reason }
}
