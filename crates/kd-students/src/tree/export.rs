//! Readable exports of a tree: text (as scikit-learn's `export_text`), Graphviz DOT, a rule
//! list and JSON.

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
                let _ = writeln!(out, "{bar}|--- {name} <= {t:.2}");
                self.write_node(left, indent + 1, names, classes, out);
                let _ = writeln!(out, "{bar}|--- {name} >  {t:.2}");
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
            let label = match n.split {
                Some((f, t, _, _)) => {
                    format!("{} <= {t:.4}\\nrows = {}", feature_name(names, f), n.n_samples)
                }
                None => format!("value = [{}]\\nrows = {}", format_values(&n.value), n.n_samples),
            };
            let _ = writeln!(out, "  n{i} [label=\"{}\"];", label.replace('"', "'"));
            if let Some((_, _, left, right)) = n.split {
                let _ =
                    writeln!(out, "  n{i} -> n{left} [label=\"yes\"];\n  n{i} -> n{right} [label=\"no\"];");
            }
        }
        out.push_str("}\n");
        out
    }

    /// One rule per leaf: the conditions on the path to it (merged into one interval per
    /// feature), the share of training rows it covers and its value.
    pub fn rules(&self, names: &[String]) -> Vec<Rule> {
        let total = self.nodes[0].n_samples as f64;
        let mut rules = Vec::new();
        let mut stack = vec![(0usize, Vec::<(usize, f64, f64)>::new())];
        while let Some((node, bounds)) = stack.pop() {
            let n = &self.nodes[node];
            match n.split {
                Some((f, t, left, right)) => {
                    let narrowed = |lo: Option<f64>, hi: Option<f64>| {
                        let mut b = bounds.clone();
                        match b.iter_mut().find(|(g, _, _)| *g == f) {
                            Some(entry) => {
                                if let Some(hi) = hi {
                                    entry.2 = entry.2.min(hi);
                                }
                                if let Some(lo) = lo {
                                    entry.1 = entry.1.max(lo);
                                }
                            }
                            None => b.push((f, lo.unwrap_or(f64::NEG_INFINITY), hi.unwrap_or(f64::INFINITY))),
                        }
                        b
                    };
                    stack.push((right, narrowed(Some(t), None)));
                    stack.push((left, narrowed(None, Some(t))));
                }
                None => {
                    let conditions = bounds
                        .iter()
                        .map(|&(f, lo, hi)| {
                            let name = feature_name(names, f);
                            match (lo.is_finite(), hi.is_finite()) {
                                (true, true) => format!("{lo:.4} < {name} <= {hi:.4}"),
                                (false, true) => format!("{name} <= {hi:.4}"),
                                _ => format!("{name} > {lo:.4}"),
                            }
                        })
                        .collect();
                    rules.push(Rule {
                        conditions,
                        coverage: n.n_samples as f64 / total,
                        value: n.value.clone(),
                    });
                }
            }
        }
        rules
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

fn feature_name(names: &[String], f: usize) -> String {
    names.get(f).cloned().unwrap_or_else(|| format!("feature_{f}"))
}

fn format_values(values: &[f64]) -> String {
    values.iter().map(|v| format!("{v:.3}")).collect::<Vec<_>>().join(", ")
}
