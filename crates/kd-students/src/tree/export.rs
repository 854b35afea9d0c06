//! Readable exports of a tree: text (as scikit-learn's `export_text`), Graphviz DOT, a rule
//! list and JSON. A level-set split reads `purpose in {car, furniture}` towards the child that
//! unseen levels do not reach and `purpose not in {car, furniture}` towards the other, so the
//! conditions are exact for every level code.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;

use super::grow::Tree;
use crate::error::{Error, Result};

impl Tree {
    /// The tree as indented rules, like scikit-learn's `export_text`: `|--- name <= t` lines,
    /// leaves with their value (`class: label (probability)` when `classes` are given).
    pub fn export_text(&self, names: &[String], classes: Option<&[String]>) -> String {
        let mut out = String::new();
        self.write_node(0, 0, names, classes, &mut out);
        out
    }

    fn write_node(
        &self,
        node: usize,
        indent: usize,
        names: &[String],
        classes: Option<&[String]>,
        out: &mut String,
    ) {
        let bar = "|   ".repeat(indent);
        let n = &self.nodes[node];
        match n.split {
            Some((f, t, left, right)) => {
                let name = feature_name(names, f);
                let (yes, no) = match self.level_condition(node) {
                    Some((set, true)) => (format!("{name} in {set}"), format!("{name} not in {set}")),
                    Some((set, false)) => (format!("{name} not in {set}"), format!("{name} in {set}")),
                    None => (format!("{name} <= {t:.2}"), format!("{name} >  {t:.2}")),
                };
                let _ = writeln!(out, "{bar}|--- {yes}");
                self.write_node(left, indent + 1, names, classes, out);
                let _ = writeln!(out, "{bar}|--- {no}");
                self.write_node(right, indent + 1, names, classes, out);
            }
            None => match classes {
                Some(labels) => {
                    let best =
                        n.value.iter().enumerate().fold(0, |b, (i, &v)| if v > n.value[b] { i } else { b });
                    let label = labels.get(best).map_or("?", String::as_str);
                    let _ = writeln!(out, "{bar}|--- class: {label} ({:.2})", n.value[best]);
                }
                None => {
                    let _ = writeln!(out, "{bar}|--- value: [{}]", format_values(&n.value));
                }
            },
        }
    }

    /// The tree in Graphviz DOT: one box per node with its split or value and row count.
    pub fn export_dot(&self, names: &[String]) -> String {
        let mut out = String::from("digraph tree {\n  node [shape=box, fontname=\"sans-serif\"];\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let condition = self.level_condition(i);
            let label = match n.split {
                Some((f, t, _, _)) => {
                    let test = match &condition {
                        Some((set, _)) => format!("in {set}"),
                        None => format!("<= {t:.4}"),
                    };
                    format!("{} {test}\\nrows = {}", feature_name(names, f), n.n_samples)
                }
                None => format!("value = [{}]\\nrows = {}", format_values(&n.value), n.n_samples),
            };
            let _ = writeln!(out, "  n{i} [label=\"{}\"];", label.replace('"', "'"));
            if let Some((_, _, left, right)) = n.split {
                let (yes, no) = match condition {
                    Some((_, false)) => (right, left),
                    _ => (left, right),
                };
                let _ = writeln!(out, "  n{i} -> n{yes} [label=\"yes\"];\n  n{i} -> n{no} [label=\"no\"];");
            }
        }
        out.push_str("}\n");
        out
    }

    /// One rule per leaf: the conditions on the path to it (merged into one interval or level
    /// set per feature), the share of training rows it covers and its value.
    pub fn rules(&self, names: &[String]) -> Vec<Rule> {
        self.leaf_rules(names).into_iter().map(|(_, rule)| rule).collect()
    }

    /// [`Tree::rules`] with the node index of each rule's leaf (as [`Tree::leaf_of`] gives it).
    pub fn leaf_rules(&self, names: &[String]) -> Vec<(usize, Rule)> {
        let total = self.nodes[0].n_samples as f64;
        let mut rules = Vec::new();
        let mut stack = vec![(0usize, Vec::<(usize, Bound)>::new())];
        while let Some((node, bounds)) = stack.pop() {
            let n = &self.nodes[node];
            match (n.split, &n.levels) {
                (Some((f, _, left, right)), Some(split)) => {
                    let narrowed = |set: &[usize], inside: bool| {
                        let set: BTreeSet<usize> = set.iter().copied().collect();
                        narrow(&bounds, f, if inside { Bound::In(set) } else { Bound::NotIn(set) })
                    };
                    // Unseen levels follow `unseen_left`: that side reads "not in" the other's set.
                    let (l, r) = if split.unseen_left {
                        (narrowed(&split.right, false), narrowed(&split.right, true))
                    } else {
                        (narrowed(&split.left, true), narrowed(&split.left, false))
                    };
                    stack.push((right, r));
                    stack.push((left, l));
                }
                (Some((f, t, left, right)), None) => {
                    stack.push((right, narrow(&bounds, f, Bound::Interval(t, f64::INFINITY))));
                    stack.push((left, narrow(&bounds, f, Bound::Interval(f64::NEG_INFINITY, t))));
                }
                (None, _) => {
                    let conditions = bounds.iter().map(|(f, b)| self.condition(names, *f, b)).collect();
                    rules.push((
                        node,
                        Rule { conditions, coverage: n.n_samples as f64 / total, value: n.value.clone() },
                    ));
                }
            }
        }
        rules
    }

    /// A path's bound on feature `f` in words.
    fn condition(&self, names: &[String], f: usize, bound: &Bound) -> String {
        let name = feature_name(names, f);
        match bound {
            Bound::Interval(lo, hi) => match (lo.is_finite(), hi.is_finite()) {
                (true, true) => format!("{lo:.4} < {name} <= {hi:.4}"),
                (false, true) => format!("{name} <= {hi:.4}"),
                _ => format!("{name} > {lo:.4}"),
            },
            Bound::In(set) => format!("{name} in {}", self.level_set(f, set.iter().copied())),
            Bound::NotIn(set) => format!("{name} not in {}", self.level_set(f, set.iter().copied())),
        }
    }

    /// For a level-set split: the set that unseen levels do not follow, `{a, b}`, and whether it
    /// goes left.
    fn level_condition(&self, node: usize) -> Option<(String, bool)> {
        let n = &self.nodes[node];
        let ((f, ..), split) = (n.split?, n.levels.as_ref()?);
        Some(if split.unseen_left {
            (self.level_set(f, split.right.iter().copied()), false)
        } else {
            (self.level_set(f, split.left.iter().copied()), true)
        })
    }

    /// Level codes of feature `f` by name, `{car, furniture}` (codes when names are missing).
    fn level_set(&self, f: usize, codes: impl Iterator<Item = usize>) -> String {
        let names = self.levels.get(f).and_then(Option::as_ref);
        let shown: Vec<String> =
            codes.map(|c| names.and_then(|n| n.get(c)).cloned().unwrap_or_else(|| c.to_string())).collect();
        format!("{{{}}}", shown.join(", "))
    }

    /// The tree as JSON (parameters, nodes).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Load(e.to_string()))
    }
}

/// One leaf of a tree as a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// Conditions, all of which hold on the leaf's rows.
    pub conditions: Vec<String>,
    /// Share of the training rows that reach the leaf.
    pub coverage: f64,
    /// The leaf's prediction.
    pub value: Vec<f64>,
}

/// What a path to a leaf says about one feature.
#[derive(Debug, Clone)]
enum Bound {
    /// `lo < x ≤ hi`.
    Interval(f64, f64),
    /// The level is one of these.
    In(BTreeSet<usize>),
    /// The level is none of these.
    NotIn(BTreeSet<usize>),
}

/// `bounds` with feature `f` further bound by `new`.
fn narrow(bounds: &[(usize, Bound)], f: usize, new: Bound) -> Vec<(usize, Bound)> {
    let mut out = bounds.to_vec();
    match out.iter_mut().find(|(g, _)| *g == f) {
        Some((_, old)) => {
            *old = match (old.clone(), new) {
                (Bound::Interval(lo, hi), Bound::Interval(l, h)) => Bound::Interval(lo.max(l), hi.min(h)),
                (Bound::In(a), Bound::In(b)) => Bound::In(a.intersection(&b).copied().collect()),
                (Bound::In(a), Bound::NotIn(b)) | (Bound::NotIn(b), Bound::In(a)) => {
                    Bound::In(a.difference(&b).copied().collect())
                }
                (Bound::NotIn(a), Bound::NotIn(b)) => Bound::NotIn(a.union(&b).copied().collect()),
                (_, new) => new,
            }
        }
        None => out.push((f, new)),
    }
    out
}

fn feature_name(names: &[String], f: usize) -> String {
    names.get(f).cloned().unwrap_or_else(|| format!("feature_{f}"))
}

fn format_values(values: &[f64]) -> String {
    values.iter().map(|v| format!("{v:.3}")).collect::<Vec<_>>().join(", ")
}
