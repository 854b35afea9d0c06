//! Readable exports of a tree: text (as scikit-learn's `export_text`) and JSON.

use std::fmt::Write as _;

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
                let name = names.get(f).cloned().unwrap_or_else(|| format!("feature_{f}"));
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
                    let values: Vec<String> = n.value.iter().map(|v| format!("{v:.2}")).collect();
                    let _ = writeln!(out, "{bar}|--- value: [{}]", values.join(", "));
                }
            },
        }
    }

    /// The tree as JSON (parameters, nodes).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Load(e.to_string()))
    }
}
