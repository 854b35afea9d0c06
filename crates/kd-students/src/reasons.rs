//! The reasons behind each row's output, as `kd predict --reasons k` prints them and as
//! adverse-action notices order them:
//!
//! | student | reasons |
//! |---|---|
//! | tree | one: the path to the row's leaf as a rule (`duration > 22.5 and purpose in {car}`) |
//! | WoE scorecard | the features whose points fall furthest below the feature's best points, largest shortfall first (the "points below maximum" method of adverse-action reason codes; features at their best are not reasons) |
//! | other additive students | the terms of largest absolute contribution to the predictor: the log-odds of class 1 (binary), of the predicted class against the first (multinomial; the runner-up's when the first class is predicted) or the prediction itself (regression) |
//!
//! Ties keep the features' order.

use ndarray::ArrayView2;
use serde::Serialize;

use crate::contributions::Response;
use crate::error::Result;
use crate::scorecard::WoeScorecard;
use crate::student::Student;
use crate::tree::Tree;

/// One reason for one row's output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// The feature (a term `a × b` for a GAM pair; empty for a tree's rule).
    pub feature: String,
    /// The reason in words.
    pub text: String,
    /// Its weight: the points below the best (scorecard), the contribution (additive), the
    /// leaf's coverage of the training rows (tree).
    pub weight: f64,
}

impl Student {
    /// At most `k` reasons for each row of `x` (coded features, shape `(n, features)`), with
    /// the features' `names`, their `levels` (`None` for numeric ones; to print levels by
    /// name) and the class labels.
    pub fn reasons(
        &self,
        x: ArrayView2<'_, f64>,
        names: &[String],
        levels: &[Option<Vec<String>>],
        classes: Option<&[String]>,
        k: usize,
    ) -> Result<Vec<Vec<Reason>>> {
        if k == 0 {
            self.predict(x)?;
            return Ok(vec![Vec::new(); x.nrows()]);
        }
        let words = Words { names, levels, classes, most: k };
        match self {
            Student::Tree(tree) => tree_reasons(tree, x, names),
            Student::Scorecard(card) => scorecard_reasons(card, x, &words),
            _ => additive_reasons(self, x, &words),
        }
    }
}

/// What puts a row's reasons in words: the features' names, their levels (`None` for numeric
/// ones) and the class labels; and how many reasons a row keeps at most.
struct Words<'a> {
    names: &'a [String],
    levels: &'a [Option<Vec<String>>],
    classes: Option<&'a [String]>,
    most: usize,
}

impl Words<'_> {
    /// A value of feature `j` in words: its level's name, or the number.
    fn shown(&self, j: usize, v: f64) -> String {
        if v.is_nan() {
            return "missing".into();
        }
        match self.levels.get(j).and_then(Option::as_ref) {
            Some(names) => {
                names.get(v as usize).map_or_else(|| "an unseen level".to_owned(), |l| format!("'{l}'"))
            }
            None => format!("{v}"),
        }
    }

    /// Class `c`'s label, or its index when the classes have none.
    fn class(&self, c: usize) -> String {
        self.classes.and_then(|l| l.get(c)).cloned().unwrap_or_else(|| c.to_string())
    }
}

fn tree_reasons(tree: &Tree, x: ArrayView2<'_, f64>, names: &[String]) -> Result<Vec<Vec<Reason>>> {
    tree.predict(x)?;
    let rules = tree.leaf_rules(names);
    Ok(x.rows()
        .into_iter()
        .map(|row| {
            // The tree compares in single precision (scikit-learn's), so the path is found so too.
            let leaf = tree.leaf_of(|f| f64::from(row[f] as f32));
            rules
                .iter()
                .find(|(node, _)| *node == leaf)
                .map(|(_, rule)| {
                    let text = if rule.conditions.is_empty() {
                        "every row".to_owned()
                    } else {
                        rule.conditions.join(" and ")
                    };
                    vec![Reason { feature: String::new(), text, weight: rule.coverage }]
                })
                .unwrap_or_default()
        })
        .collect())
}

fn scorecard_reasons(
    card: &WoeScorecard,
    x: ArrayView2<'_, f64>,
    words: &Words<'_>,
) -> Result<Vec<Vec<Reason>>> {
    let classes = card.classes(x)?;
    let best: Vec<f64> = card
        .features
        .iter()
        .map(|f| f.bins.iter().map(|b| b.points).fold(f64::NEG_INFINITY, f64::max))
        .collect();
    Ok(classes
        .rows()
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let mut reasons: Vec<Reason> = card
                .features
                .iter()
                .enumerate()
                .filter_map(|(j, f)| {
                    let points = f.value_of(row[j], |b| b.points);
                    let shortfall = best[j] - points;
                    (shortfall > 0.0).then(|| Reason {
                        feature: words.names.get(j).cloned().unwrap_or_else(|| f.name.clone()),
                        text: format!(
                            "{} = {} (class {}): {points:.1} points, {shortfall:.1} below the best",
                            f.name,
                            words.shown(j, x[[i, j]]),
                            f.describe_class(row[j])
                        ),
                        weight: shortfall,
                    })
                })
                .collect();
            reasons.sort_by(|a, b| b.weight.total_cmp(&a.weight));
            reasons.truncate(words.most);
            reasons
        })
        .collect())
}

fn additive_reasons(
    student: &Student,
    x: ArrayView2<'_, f64>,
    words: &Words<'_>,
) -> Result<Vec<Vec<Reason>>> {
    let Some(contributions) = student.contributions(x, words.names) else {
        return Err(crate::error::invalid_parameter(
            "reasons",
            format!("the {} student has none", student.kind()),
        ));
    };
    let contributions = contributions?;
    let prediction = contributions.prediction();
    Ok((0..x.nrows())
        .map(|i| {
            let (predictor, scale) = match contributions.response {
                Response::Identity => (0, "the prediction".to_owned()),
                Response::Logit { class } => (0, format!("the log-odds of {}", words.class(class))),
                Response::Softmax => {
                    let row = prediction.row(i);
                    let mut order: Vec<usize> = (0..row.len()).collect();
                    order.sort_by(|&a, &b| row[b].total_cmp(&row[a]));
                    let class = if order[0] == 0 { order.get(1).copied().unwrap_or(1) } else { order[0] };
                    (class - 1, format!("the log-odds of {} against {}", words.class(class), words.class(0)))
                }
            };
            let values = contributions.values.slice(ndarray::s![i, predictor, ..]);
            let mut reasons: Vec<Reason> = contributions
                .terms
                .iter()
                .enumerate()
                .map(|(t, term)| {
                    let value = match words.names.iter().position(|n| n == term) {
                        Some(j) => format!(" = {}", words.shown(j, x[[i, j]])),
                        None => String::new(),
                    };
                    Reason {
                        feature: term.clone(),
                        text: format!("{term}{value}: {:+.4} to {scale}", values[t]),
                        weight: values[t],
                    }
                })
                .collect();
            reasons.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
            reasons.truncate(words.most);
            reasons
        })
        .collect())
}
