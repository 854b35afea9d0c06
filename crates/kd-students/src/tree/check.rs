//! Checks of a tree's inputs (finite features rounded to `f32`, a target matrix, level codes of
//! categorical features) and of a tree read from a file.

use ndarray::{Array2, ArrayView2};

use super::grow::{Tree, TreeTarget};
use super::params::Criterion;
use super::split::PRESENT_LEFT;
use crate::error::{Error, Result, check_finite_or_missing, invalid_parameter};

/// Features rounded to `f32` (as scikit-learn stores them), checked finite or NaN (missing),
/// and per feature whether any value is missing.
pub(super) fn as_f32(x: ArrayView2<'_, f64>) -> Result<(Array2<f64>, Vec<bool>)> {
    check_finite_or_missing(x)?;
    let missing = x.columns().into_iter().map(|c| c.iter().any(|v| v.is_nan())).collect();
    Ok((x.mapv(|v| f64::from(v as f32)), missing))
}

pub(super) fn targets(target: TreeTarget<'_>, n: usize, criterion: Criterion) -> Result<Array2<f64>> {
    match (target, criterion) {
        (TreeTarget::Classes { y, n_classes }, Criterion::Gini | Criterion::Entropy) => {
            if y.len() != n {
                return Err(Error::ShapeMismatch {
                    context: "features and classes".into(),
                    expected: n,
                    got: y.len(),
                });
            }
            let mut onehot = Array2::zeros((n, n_classes));
            for (i, &c) in y.iter().enumerate() {
                if c >= n_classes {
                    return Err(Error::InvalidInput {
                        row: i,
                        column: 0,
                        reason: format!("class {c} of {n_classes}"),
                    });
                }
                onehot[[i, c]] = 1.0;
            }
            Ok(onehot)
        }
        (TreeTarget::Values(v), Criterion::SquaredError) => {
            if v.nrows() != n {
                return Err(Error::ShapeMismatch {
                    context: "features and targets".into(),
                    expected: n,
                    got: v.nrows(),
                });
            }
            if let Some(((row, column), value)) = v.indexed_iter().find(|(_, v)| !v.is_finite()) {
                return Err(Error::InvalidInput {
                    row,
                    column,
                    reason: format!("target {value} is not finite"),
                });
            }
            Ok(v.as_standard_layout().to_owned())
        }
        (TreeTarget::Classes { .. }, _) => {
            Err(invalid_parameter("criterion", "classes need gini or entropy"))
        }
        (TreeTarget::Values(_), _) => Err(invalid_parameter("criterion", "values need squared_error")),
    }
}

/// Refuses a value of a categorical feature (`levels[f]` is `Some`) that is neither a level
/// code (an integer `≥ 0`, and with `bounded` (at fit) below the number of levels) nor missing.
pub(super) fn check_codes(
    x: ArrayView2<'_, f64>,
    levels: &[Option<Vec<String>>],
    bounded: bool,
) -> Result<()> {
    for (column, names) in levels.iter().enumerate() {
        let Some(names) = names else { continue };
        let limit = if bounded { names.len().max(1) as f64 } else { f64::INFINITY };
        if let Some((row, v)) = x
            .column(column)
            .indexed_iter()
            .find(|(_, v)| !(v.is_nan() || (**v >= 0.0 && v.fract() == 0.0 && **v < limit)))
        {
            return Err(Error::InvalidInput {
                row,
                column,
                reason: format!("{v} is not a level code of a feature with {} levels", names.len()),
            });
        }
    }
    Ok(())
}

impl Tree {
    /// Checks a tree read from a file: a root, children after their parent and within
    /// range, features within range, values of one length, level sets only on features with
    /// levels, disjoint and within them. (Every tree kd grows passes.)
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: String| Error::Load(format!("the tree is inconsistent: {reason}"));
        let Some(root) = self.nodes.first() else { return Err(bad("it has no nodes".into())) };
        if !self.levels.is_empty() && self.levels.len() != self.n_features {
            return Err(bad(format!("levels for {} of {} features", self.levels.len(), self.n_features)));
        }
        let mut parents = vec![0_usize; self.nodes.len()];
        for (i, node) in self.nodes.iter().enumerate() {
            check_value(i, &node.value).map_err(bad)?;
            if node.value.len() != root.value.len() {
                return Err(bad(format!(
                    "node {i} has {} values, the root {}",
                    node.value.len(),
                    root.value.len()
                )));
            }
            if let Some((f, t, l, r)) = node.split {
                if f >= self.n_features || !t.is_finite() {
                    return Err(bad(format!("node {i} splits on feature {f} at {t}")));
                }
                if t == PRESENT_LEFT && node.missing_left != Some(false) {
                    return Err(bad(format!(
                        "node {i} separates missing values but does not send them right"
                    )));
                }
                if l <= i || r <= i || l >= self.nodes.len() || r >= self.nodes.len() || l == r {
                    return Err(bad(format!("node {i} has children {l} and {r}")));
                }
                parents[l] += 1;
                parents[r] += 1;
            }
            if let Some(split) = &node.levels {
                let n_levels = node
                    .split
                    .and_then(|(f, ..)| self.levels.get(f))
                    .and_then(Option::as_ref)
                    .map_or(0, Vec::len);
                let sorted = |s: &[usize]| s.windows(2).all(|w| w[0] < w[1]);
                let ok = n_levels > 0
                    && sorted(&split.left)
                    && sorted(&split.right)
                    && split.left.iter().chain(&split.right).all(|&c| c < n_levels)
                    && split.left.iter().all(|c| split.right.binary_search(c).is_err());
                if !ok {
                    return Err(bad(format!("node {i} has a level set that does not fit its feature")));
                }
            }
        }
        if let Some((node, n)) = parents.iter().enumerate().skip(1).find(|&(_, &n)| n != 1) {
            return Err(bad(format!("node {node} has {n} parents (every node but the root has one)")));
        }
        Ok(())
    }
}

/// A node's value: finite; with two values or more, class probabilities (each in [0, 1],
/// summing to 1 within 1e-6).
fn check_value(node: usize, value: &[f64]) -> std::result::Result<(), String> {
    if let Some(v) = value.iter().find(|v| !v.is_finite()) {
        return Err(format!("node {node} holds the value {v}"));
    }
    let sum: f64 = value.iter().sum();
    if value.len() >= 2
        && (value.iter().any(|&p| !(-1e-9..=1.0 + 1e-9).contains(&p)) || (sum - 1.0).abs() > 1e-6)
    {
        return Err(format!(
            "node {node} holds class probabilities {value:?}, which are not in [0, 1] summing to 1"
        ));
    }
    Ok(())
}
