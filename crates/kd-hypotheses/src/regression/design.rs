//! The regression's design from a data set: numeric features as they are, each categorical
//! feature treatment-coded — one 0/1 indicator per level but the reference, the first level in
//! kd's order (sorted, numerically when every level is a number) that the rows hold — as R's
//! `contr.treatment` and patsy's `C(x)` code a factor, and named as patsy names its columns,
//! `feature[T.level]`.
//!
//! | feature | columns | values |
//! |---|---|---|
//! | numeric `x` | `x` | the value |
//! | categorical `g`, levels `a < b < c` held by the rows | `g[T.b]`, `g[T.c]` | 1 where the row's level is that column's, else 0 |
//!
//! A level the rows do not hold (every row holding it was dropped for a missing value) gets no
//! column, which would be all zeros; a feature whose rows hold one level gets none at all. A
//! missing categorical value (kept as a hole under `--missing bin`) is refused, naming the
//! feature and row, as the fit refuses a missing number; so is a design column whose name is
//! another's (a numeric column called `g[T.b]` beside a categorical `g` with a level `b`). A feature with more than [`MAX_LEVELS`] levels is refused: its indicators
//! would make the design (and White's auxiliary regression, which grows with its square) too
//! large to be what the user meant, an identifier read as a category, say. R orders a factor's
//! levels by the locale's collation, patsy and kd by code point, so the reference can differ for
//! levels that differ only in case.

use kd_core::data::Dataset;
use ndarray::{Array2, CowArray, Ix2};
use serde::Serialize;

use crate::error::{Error, Result};

/// The most levels a categorical feature may have.
pub const MAX_LEVELS: usize = 100;

/// A categorical feature as the design codes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodedFeature {
    /// The feature.
    pub feature: String,
    /// Its reference level, the one without a column (absorbed by the intercept).
    pub reference: String,
    /// Its indicator columns, `feature[T.level]`, in level order.
    pub columns: Vec<String>,
}

/// The columns of a regression's design (the intercept excluded) and how each categorical
/// feature was coded.
/// Made only by [`Design::of`], so its record of the coding is true of its columns (White's test
/// relies on it to leave out products that are zero or duplicate).
#[derive(Debug, Clone)]
pub struct Design<'a> {
    x: CowArray<'a, f64, Ix2>,
    names: Vec<String>,
    categorical: Vec<CodedFeature>,
}

impl<'a> Design<'a> {
    /// The design, shape `(n_rows, names().len())`: the data set's own matrix, not a copy,
    /// when every feature is numeric.
    pub fn x(&self) -> ndarray::ArrayView2<'_, f64> {
        self.x.view()
    }

    /// The columns' names, in design order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The categorical features, in feature order.
    pub fn categorical(&self) -> &[CodedFeature] {
        &self.categorical
    }

    /// The design of `data`'s features: numeric ones as they are, categorical ones
    /// treatment-coded (see the module's table).
    ///
    /// Errors: a categorical feature with more than [`MAX_LEVELS`] levels in the rows or a
    /// missing level (named), and two design columns of one name.
    pub fn of(data: &'a Dataset) -> Result<Self> {
        let x = data.x();
        // Each design column: the feature it reads and, for an indicator, the level it marks.
        let mut sources: Vec<(usize, Option<usize>)> = Vec::new();
        let mut names = Vec::new();
        let mut categorical = Vec::new();
        for (j, feature) in data.features().iter().enumerate() {
            let Some(levels) = &feature.levels else {
                sources.push((j, None));
                names.push(feature.name.clone());
                continue;
            };
            let mut held = vec![false; levels.len()];
            for (row, &c) in x.column(j).iter().enumerate() {
                if c.is_nan() {
                    return Err(Error::InvalidInput {
                        column: feature.name.clone(),
                        row,
                        reason: "a missing level; the regression battery needs every value (drop such rows)"
                            .into(),
                    });
                }
                held[c as usize] = true;
            }
            let count = held.iter().filter(|&&h| h).count();
            if count > MAX_LEVELS {
                return Err(crate::error::invalid_parameter(
                    "features",
                    format!(
                        "'{}' is categorical with {count} levels; the regression battery codes at most {MAX_LEVELS} \
                         (one 0/1 column per level but the reference): leave it out or group its levels",
                        feature.name
                    ),
                ));
            }
            let mut present = (0..levels.len()).filter(|&l| held[l]);
            let Some(reference) = present.next() else { continue };
            let columns: Vec<String> = present
                .map(|level| {
                    sources.push((j, Some(level)));
                    format!("{}[T.{}]", feature.name, levels[level])
                })
                .collect();
            names.extend(columns.iter().cloned());
            categorical.push(CodedFeature {
                feature: feature.name.clone(),
                reference: levels[reference].clone(),
                columns,
            });
        }
        let mut sorted: Vec<&String> = names.iter().collect();
        sorted.sort();
        if let Some(twice) = sorted.windows(2).find(|w| w[0] == w[1]) {
            return Err(crate::error::invalid_parameter(
                "features",
                format!("two design columns would be named '{}'; rename the column of that name", twice[0]),
            ));
        }
        if data.features().iter().all(|f| f.levels.is_none()) {
            return Ok(Self { x: CowArray::from(x.view()), names, categorical });
        }
        let design = Array2::from_shape_fn((x.nrows(), sources.len()), |(i, c)| {
            let (j, level) = sources[c];
            match level {
                None => x[[i, j]],
                Some(level) => f64::from(u8::from(x[[i, j]] as usize == level)),
            }
        });
        Ok(Self { x: CowArray::from(design), names, categorical })
    }
}
