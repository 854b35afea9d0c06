//! Each student's SQL: a tree's nested `CASE`s, and the additive students' predictors and
//! links in layers (predictors, then outputs, then the complement of a binary probability).

use super::expr::Sql;
use crate::error::{Result, invalid_parameter};
use crate::gam::{BoostedGam, Term};
use crate::link::Link;
use crate::scorecard::{WoeBin, WoeFeature, WoeScorecard};
use crate::student::Student;
use crate::tree::{PRESENT_LEFT, Tree};

/// Named expressions.
type Columns = Vec<(String, String)>;

/// An additive student's query in layers, each reading the columns of the one before.
pub(super) struct Layers {
    /// `kd_eta` (or one per class) and a scorecard's `score`.
    pub predictors: Columns,
    /// The outputs read from the predictors.
    pub outputs: Columns,
    /// `1 − p` of a binary student, read from its `p` column.
    pub after: Option<Columns>,
}

/// A split's two tests with NULL (a missing value, which every comparison leaves unknown)
/// added to the side `missing_left` names; a split without one sends NULL down neither side,
/// so the row reaches no leaf and scores NULL.
fn with_nulls(value: &str, left: String, right: String, missing_left: Option<bool>) -> (String, String) {
    let or_null = |test: String| format!("({test} OR {value} IS NULL)");
    match missing_left {
        Some(true) => (or_null(left), right),
        Some(false) => (left, or_null(right)),
        None => (left, right),
    }
}

/// A tree in two layers: `kd_leaf`, the leaf each row reaches (one `WHEN` per leaf with the
/// conjunction of its path's tests, so that no engine's parser meets deep nesting), then each
/// output as a lookup of the leaf.
pub(super) fn tree(sql: &Sql<'_>, tree: &Tree, outputs: &[String]) -> (Columns, Columns) {
    let mut leaves = Vec::new();
    let mut stack = vec![(0usize, Vec::<String>::new())];
    while let Some((i, path)) = stack.pop() {
        let Some(n) = tree.nodes.get(i) else { continue };
        match (n.split, &n.levels) {
            (None, _) => leaves.push((i, path)),
            (Some((f, t, left, right)), None) => {
                let v = sql.value(f);
                let (go_left, go_right) = if t == PRESENT_LEFT {
                    (format!("{v} IS NOT NULL"), format!("{v} IS NULL"))
                } else {
                    let number = sql.number(t);
                    with_nulls(&v, format!("{v} <= {number}"), format!("{v} > {number}"), n.missing_left)
                };
                stack.push((right, [path.clone(), vec![go_right]].concat()));
                stack.push((left, [path, vec![go_left]].concat()));
            }
            (Some((f, _, left, right)), Some(split)) => {
                // Levels in neither set (unseen ones) follow the child with more training rows,
                // as `Tree::predict` does.
                let (go_left, go_right) = if split.unseen_left {
                    (format!("NOT {}", sql.in_levels(f, &split.right)), sql.in_levels(f, &split.right))
                } else {
                    (sql.in_levels(f, &split.left), format!("NOT {}", sql.in_levels(f, &split.left)))
                };
                let (go_left, go_right) = with_nulls(&sql.column(f), go_left, go_right, n.missing_left);
                stack.push((right, [path.clone(), vec![go_right]].concat()));
                stack.push((left, [path, vec![go_left]].concat()));
            }
        }
    }
    sql.leaf_layers(None, &leaves, outputs, |i, k| tree.nodes.get(i).and_then(|n| n.value.get(k)).copied())
}

/// The layers of an additive student.
pub(super) fn additive(sql: &Sql<'_>, student: &Student, outputs: &[String]) -> Result<Layers> {
    let name = |k: usize| outputs.get(k).cloned().unwrap_or_default();
    let binary = |predictors: Columns, positive: usize| {
        let p = name(positive);
        let q = name(1 - positive);
        Layers {
            predictors,
            outputs: vec![(p.clone(), sql.sigmoid("\"kd_eta\""))],
            after: Some(vec![(q, format!("{} - {}", sql.number(1.0), sql.ident(&p)))]),
        }
    };
    let linear = |coefficients: &[crate::linear::Coefficient]| {
        let terms: Vec<String> = coefficients
            .iter()
            .skip(1)
            .enumerate()
            .map(|(j, c)| format!("{} * {}", sql.number(c.estimate), sql.value(j)))
            .collect();
        let b = coefficients.first().map_or(0.0, |c| c.estimate);
        (terms, b)
    };
    Ok(match student {
        Student::Linear(model) => {
            let (terms, b) = linear(&model.coefficients);
            Layers {
                predictors: vec![("kd_eta".into(), format!("{} + {}", sql.sum(&terms), sql.number(b)))],
                outputs: vec![(name(0), "\"kd_eta\"".into())],
                after: None,
            }
        }
        Student::Logistic(model) => {
            let (terms, b) = linear(&model.coefficients);
            binary(vec![("kd_eta".into(), format!("{} + {}", sql.sum(&terms), sql.number(b)))], 1)
        }
        Student::Multinomial(model) => {
            let predictors: Columns = model
                .coefficients
                .iter()
                .enumerate()
                .map(|(c, table)| {
                    let (terms, b) = linear(table);
                    let all: Vec<String> = std::iter::once(sql.number(b)).chain(terms).collect();
                    (format!("kd_eta_{}", c + 1), sql.sum(&all))
                })
                .collect();
            let exps: Vec<String> =
                predictors.iter().map(|(n, _)| format!("EXP({})", sql.ident(n))).collect();
            let total = format!("({} + {})", sql.number(1.0), exps.join(" + "));
            let mut columns = vec![(name(0), format!("{} / {total}", sql.number(1.0)))];
            columns.extend(exps.iter().enumerate().map(|(c, e)| (name(c + 1), format!("{e} / {total}"))));
            Layers { predictors, outputs: columns, after: None }
        }
        Student::Gam(gam) => {
            let eta = format!("{} + {}", sql.sum(&gam_terms(sql, gam)), sql.number(gam.intercept));
            let predictors = vec![("kd_eta".into(), eta)];
            match gam.link {
                Link::Identity => {
                    Layers { predictors, outputs: vec![(name(0), "\"kd_eta\"".into())], after: None }
                }
                Link::Logit => binary(predictors, 1),
            }
        }
        Student::Scorecard(card) => {
            let mut layers = binary(scorecard(sql, card), card.params.bad_class);
            layers.outputs.push(("score".into(), "\"kd_score\"".into()));
            layers
        }
        other => {
            return Err(invalid_parameter(
                "student",
                format!("the {} student has no SQL form", other.kind()),
            ));
        }
    })
}

/// The GAM's terms as lookups of their bins.
fn gam_terms(sql: &Sql<'_>, gam: &BoostedGam) -> Vec<String> {
    gam.terms.iter().map(|term| term_lookup(sql, term, 0, 0)).collect()
}

/// The lookup of `term`'s feature `k` (its first or second), within row `offset` of its grid;
/// a NULL takes the missing-value bin where the feature has one.
fn term_lookup(sql: &Sql<'_>, term: &Term, k: usize, offset: usize) -> String {
    let (Some(&feature), Some(edges)) = (term.features.get(k), term.edges.get(k)) else {
        return "NULL".into();
    };
    let bounds = std::iter::once(None).chain(edges.iter().copied().map(Some));
    let uppers = edges.iter().copied().map(Some).chain(std::iter::once(None));
    let width = if term.features.len() > 1 { term.n_bins(1) } else { 1 };
    let then = |b: usize| {
        if term.features.len() > 1 && k == 0 {
            term_lookup(sql, term, 1, b * width)
        } else {
            term.scores.get(offset + b).map_or_else(|| "NULL".into(), |&s| sql.number(s))
        }
    };
    let bins: Vec<(Option<f64>, Option<f64>, String)> =
        bounds.zip(uppers).enumerate().map(|(b, (lower, upper))| (lower, upper, then(b))).collect();
    let value = sql.value(feature);
    let lookup = sql.interval_lookup(&value, &bins);
    if term.has_missing(k) {
        format!("CASE WHEN {value} IS NULL THEN {} ELSE {lookup} END", then(term.value_bins(k)))
    } else {
        lookup
    }
}

/// A scorecard's `kd_eta` (`b + Σ_j w_j WoE_j`) and `kd_score` (`base + Σ_j points_j`).
fn scorecard(sql: &Sql<'_>, card: &WoeScorecard) -> Columns {
    let mut woe = Vec::new();
    let mut points = Vec::new();
    for (j, feature) in card.features.iter().enumerate().filter(|(_, f)| f.coefficient != 0.0) {
        let lookup = |value: fn(&WoeBin) -> f64| {
            if !feature.bins.iter().any(|b| b.missing) {
                return bin_lookup(sql, j, feature, value);
            }
            // The missing-value bin first, then the others as a lookup of their own.
            let missing = feature.bins.iter().find(|b| b.missing).map_or(0.0, value);
            let rest = WoeFeature {
                bins: feature.bins.iter().filter(|b| !b.missing).cloned().collect(),
                ..feature.clone()
            };
            format!(
                "CASE WHEN {} THEN {} ELSE {} END",
                sql.is_missing(j),
                sql.number(missing),
                bin_lookup(sql, j, &rest, value)
            )
        };
        woe.push(format!("{} * {}", sql.number(feature.coefficient), lookup(|b| b.woe)));
        points.push(lookup(|b| b.points));
    }
    let b = card.logistic.coefficients.first().map_or(0.0, |c| c.estimate);
    vec![
        ("kd_eta".into(), format!("{} + {}", sql.sum(&woe), sql.number(b))),
        ("kd_score".into(), format!("{} + {}", sql.sum(&points), sql.number(card.base_points))),
    ]
}

/// `value` of the bin of feature `j`'s value: level sets as `IN (...)`, any other level the
/// neutral class's 0 (a missing cell, as `kd predict` reads one, stays NULL), intervals as
/// bounds.
fn bin_lookup(sql: &Sql<'_>, j: usize, feature: &WoeFeature, value: fn(&WoeBin) -> f64) -> String {
    match feature.levels {
        Some(_) => {
            let mut out = format!("CASE WHEN {} THEN NULL", sql.is_missing(j));
            for bin in &feature.bins {
                if !bin.levels.is_empty() {
                    out +=
                        &format!(" WHEN {} THEN {}", sql.in_levels(j, &bin.levels), sql.number(value(bin)));
                }
            }
            out + &format!(" ELSE {} END", sql.number(0.0))
        }
        None => {
            let bins: Vec<_> =
                feature.bins.iter().map(|b| (b.lower, b.upper, sql.number(value(b)))).collect();
            sql.interval_lookup(&sql.value(j), &bins)
        }
    }
}
