//! Readable exports of a tree: text (as scikit-learn's `export_text`), Graphviz DOT, a rule
//! list and JSON. A level-set split reads `purpose in {car, furniture}` towards the child that
//! unseen levels do not reach and `purpose not in {car, furniture}` towards the other, so the
//! conditions are exact for every level code. Where a split sends missing values they are
//! named with the condition they join: `age <= 30.5 or missing`, `purpose in {car, (missing)}`,
//! `age is missing` for the split of present from missing values.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;

use super::grow::Tree;
use super::split::PRESENT_LEFT;
use crate::error::{Error, Result};

/// One node of a binary tree as [`indented_text`] writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum TextNode {
    /// A split: the condition towards each child, first the one written first.
    Split {
        /// The condition towards `first`.
        yes: String,
        /// The child written first.
        first: usize,
        /// The condition towards `second`.
        no: String,
        /// The child written second.
        second: usize,
    },
    /// A leaf: its text after `|--- `.
    Leaf(String),
}

/// A binary tree as indented rules in the layout of scikit-learn's `export_text`: a split as
/// `|--- condition` towards each child, each followed by that child's subtree one level deeper
/// (`|   ` per level), a leaf as one `|--- text` line. `node(i)` describes node `i`; the root
/// is node 0. CART's and TREPAN's trees are written by it.
pub fn indented_text(node: impl Fn(usize) -> TextNode) -> String {
    fn walk(node: &dyn Fn(usize) -> TextNode, at: usize, depth: usize, out: &mut String) {
        let bar = "|   ".repeat(depth);
        match node(at) {
            TextNode::Split { yes, first, no, second } => {
                let _ = writeln!(out, "{bar}|--- {yes}");
                walk(node, first, depth + 1, out);
                let _ = writeln!(out, "{bar}|--- {no}");
                walk(node, second, depth + 1, out);
            }
            TextNode::Leaf(text) => {
                let _ = writeln!(out, "{bar}|--- {text}");
            }
        }
    }
    let mut out = String::new();
    walk(&node, 0, 0, &mut out);
    out
}

impl Tree {
    /// The tree as indented rules, like scikit-learn's `export_text` ([`indented_text`]):
    /// `|--- name <= t` lines, leaves with their value (`class: label (probability)` when
    /// `classes` are given).
    pub fn export_text(&self, names: &[String], classes: Option<&[String]>) -> String {
        indented_text(|node| self.text_node(node, names, classes))
    }

    fn text_node(&self, node: usize, names: &[String], classes: Option<&[String]>) -> TextNode {
        let n = &self.nodes[node];
        match n.split {
            Some((f, t, left, right)) => {
                let name = feature_name(names, f);
                let (yes, no) = match self.level_condition(node) {
                    Some((set, true, holes)) => {
                        (format!("{name} in {set}"), format!("{name} not in {set}{holes}"))
                    }
                    Some((set, false, holes)) => {
                        (format!("{name} not in {set}{holes}"), format!("{name} in {set}"))
                    }
                    // scikit-learn's `export_text` pads `>` to the width of `<=`.
                    None => match threshold_conditions(&name, t, n.missing_left, |t| format!("{t:.2}")) {
                        (yes, no) if n.missing_left.is_none() => (yes, no.replacen(" > ", " >  ", 1)),
                        conditions => conditions,
                    },
                };
                TextNode::Split { yes, first: left, no, second: right }
            }
            None => TextNode::Leaf(match classes {
                Some(labels) => {
                    let best =
                        n.value.iter().enumerate().fold(0, |b, (i, &v)| if v > n.value[b] { i } else { b });
                    let label = labels.get(best).map_or("?", String::as_str);
                    format!("class: {label} ({:.2})", n.value[best])
                }
                None => format!("value: [{}]", format_values(&n.value)),
            }),
        }
    }

    /// The tree in Graphviz DOT: one box per node with its split or value and row count.
    pub fn export_dot(&self, names: &[String]) -> String {
        let mut out = String::from("digraph tree {\n  node [shape=box, fontname=\"sans-serif\"];\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let condition = self.level_condition(i);
            let label = match n.split {
                Some((f, t, _, _)) => {
                    let name = feature_name(names, f);
                    let test = match &condition {
                        Some((set, ..)) => format!("{name} in {set}"),
                        None => threshold_conditions(&name, t, n.missing_left, |t| format!("{t:.4}")).0,
                    };
                    format!("{test}\\nrows = {}", n.n_samples)
                }
                None => format!("value = [{}]\\nrows = {}", format_values(&n.value), n.n_samples),
            };
            let _ = writeln!(out, "  n{i} [label=\"{}\"];", label.replace('"', "'"));
            if let Some((_, _, left, right)) = n.split {
                let (yes, no) = match condition {
                    Some((_, false, _)) => (right, left),
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
                    // Unseen levels follow `unseen_left`: that side reads "not in" the other's
                    // set. Missing values are in the named set when they go its way.
                    let (named, named_left) =
                        if split.unseen_left { (&split.right, false) } else { (&split.left, true) };
                    let mut set: BTreeSet<usize> = named.iter().copied().collect();
                    if n.missing_left == Some(named_left) {
                        set.insert(MISSING_LEVEL);
                    }
                    let holes_outside = n.missing_left == Some(!named_left);
                    let (inside, outside) = (Bound::In(set.clone()), Bound::NotIn(set, holes_outside));
                    let (l, r) = if named_left { (inside, outside) } else { (outside, inside) };
                    stack.push((right, narrow(&bounds, f, r)));
                    stack.push((left, narrow(&bounds, f, l)));
                }
                (Some((f, t, left, right)), None) => {
                    let holes = |goes: bool| match n.missing_left {
                        None => Holes::Unstated,
                        Some(side) if side == goes => Holes::Allowed,
                        Some(_) => Holes::Excluded,
                    };
                    let (l, r) = if t == PRESENT_LEFT {
                        (Bound::Interval(f64::NEG_INFINITY, f64::INFINITY, Holes::Excluded), Bound::Missing)
                    } else {
                        (
                            Bound::Interval(f64::NEG_INFINITY, t, holes(true)),
                            Bound::Interval(t, f64::INFINITY, holes(false)),
                        )
                    };
                    stack.push((right, narrow(&bounds, f, r)));
                    stack.push((left, narrow(&bounds, f, l)));
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
            Bound::Missing => format!("{name} is missing"),
            Bound::Interval(lo, hi, holes) => {
                let interval = match (lo.is_finite(), hi.is_finite()) {
                    (true, true) => format!("{lo:.4} < {name} <= {hi:.4}"),
                    (false, true) => format!("{name} <= {hi:.4}"),
                    (true, false) => format!("{name} > {lo:.4}"),
                    (false, false) => format!("{name} is not missing"),
                };
                // In parentheses: a rule joins its conditions with "and".
                if *holes == Holes::Allowed { format!("({interval} or missing)") } else { interval }
            }
            Bound::In(set) => format!("{name} in {}", self.level_set(f, set.iter().copied())),
            Bound::NotIn(set, holes) => {
                let condition = format!("{name} not in {}", self.level_set(f, set.iter().copied()));
                if *holes { format!("({condition} or missing)") } else { condition }
            }
        }
    }

    /// For a level-set split: the set that unseen levels do not follow, `{a, b}` (with
    /// `(missing)` when missing values go its way), whether it goes left, and `" or missing"`
    /// when missing values go the other way (empty otherwise).
    fn level_condition(&self, node: usize) -> Option<(String, bool, &'static str)> {
        let n = &self.nodes[node];
        let ((f, ..), split) = (n.split?, n.levels.as_ref()?);
        let (named, named_left) = if split.unseen_left { (&split.right, false) } else { (&split.left, true) };
        let missing = (n.missing_left == Some(named_left)).then_some(MISSING_LEVEL);
        let holes = if n.missing_left == Some(!named_left) { " or missing" } else { "" };
        Some((self.level_set(f, named.iter().copied().chain(missing)), named_left, holes))
    }

    /// Level codes of feature `f` by name, `{car, furniture}` (codes when names are missing,
    /// `(missing)` for [`MISSING_LEVEL`]).
    fn level_set(&self, f: usize, codes: impl Iterator<Item = usize>) -> String {
        let names = self.levels.get(f).and_then(Option::as_ref);
        let shown: Vec<String> = codes
            .map(|c| match c {
                MISSING_LEVEL => "(missing)".to_owned(),
                c => names.and_then(|n| n.get(c)).cloned().unwrap_or_else(|| c.to_string()),
            })
            .collect();
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

/// The code that stands for a missing level in a path's level sets.
const MISSING_LEVEL: usize = usize::MAX;

/// The left and right conditions of a threshold split at `t` (written by `number`), with
/// missing values where `missing_left` sends them.
pub(crate) fn threshold_conditions(
    name: &str,
    t: f64,
    missing_left: Option<bool>,
    number: impl Fn(f64) -> String,
) -> (String, String) {
    if t == PRESENT_LEFT {
        return (format!("{name} is not missing"), format!("{name} is missing"));
    }
    let (left, right) = (format!("{name} <= {}", number(t)), format!("{name} > {}", number(t)));
    match missing_left {
        Some(true) => (format!("{left} or missing"), right),
        Some(false) => (left, format!("{right} or missing")),
        None => (left, right),
    }
}

/// What a path to a leaf says about one feature.
#[derive(Debug, Clone)]
enum Bound {
    /// `lo < x ≤ hi`, and what it says of missing values.
    Interval(f64, f64, Holes),
    /// The value is missing.
    Missing,
    /// The level is one of these ([`MISSING_LEVEL`] for a missing one).
    In(BTreeSet<usize>),
    /// The level is none of these; `true`: the path says missing values take it too.
    NotIn(BTreeSet<usize>, bool),
}

/// Whether an interval's rows may be missing the feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holes {
    /// Nothing said: the feature had no missing values in training.
    Unstated,
    /// Missing values also take this path.
    Allowed,
    /// Missing values take another path.
    Excluded,
}

/// `bounds` with feature `f` further bound by `new`.
fn narrow(bounds: &[(usize, Bound)], f: usize, new: Bound) -> Vec<(usize, Bound)> {
    let mut out = bounds.to_vec();
    match out.iter_mut().find(|(g, _)| *g == f) {
        Some((_, old)) => {
            *old = match (old.clone(), new) {
                (Bound::Interval(lo, hi, a), Bound::Interval(l, h, b)) => {
                    let holes = match (a, b) {
                        (Holes::Unstated, b) => b,
                        (a, Holes::Unstated) => a,
                        (Holes::Allowed, Holes::Allowed) => Holes::Allowed,
                        _ => Holes::Excluded,
                    };
                    Bound::Interval(lo.max(l), hi.min(h), holes)
                }
                (Bound::In(a), Bound::In(b)) => Bound::In(a.intersection(&b).copied().collect()),
                (Bound::In(a), Bound::NotIn(b, _)) | (Bound::NotIn(b, _), Bound::In(a)) => {
                    Bound::In(a.difference(&b).copied().collect())
                }
                (Bound::NotIn(a, x), Bound::NotIn(b, y)) => {
                    Bound::NotIn(a.union(&b).copied().collect(), x && y)
                }
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
