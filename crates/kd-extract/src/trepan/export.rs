//! A TREPAN tree as indented text, in the style of kd's CART export (scikit-learn's
//! `export_text`), with m-of-n tests written out:
//!
//! ```text
//! |--- 2 of {age <= 40.5, income > 3.2, debt > 0.7}
//! |   |--- class: bad (0.97 of 1000 examples)
//! |--- fewer than 2 of {age <= 40.5, income > 3.2, debt > 0.7}
//! |   |--- class: good (0.99 of 1000 examples)
//! ```

use std::fmt::Write as _;

use super::tree::TrepanTree;

impl TrepanTree {
    /// The tree as indented rules: each split as two lines (the test satisfied, then failed),
    /// each leaf as its class (named by `classes` when given) with the share of its examples
    /// the oracle puts in that class. Features are named by `names` (`x{j}` past its end).
    pub fn export_text(&self, names: &[String], classes: Option<&[String]>) -> String {
        let mut out = String::new();
        self.write_subtree(0, 0, names, classes, &mut out);
        out
    }

    fn write_subtree(
        &self,
        node: usize,
        indent: usize,
        names: &[String],
        classes: Option<&[String]>,
        out: &mut String,
    ) {
        let bar = "|   ".repeat(indent);
        match &self.nodes[node].split {
            Some(split) => {
                let _ = writeln!(out, "{bar}|--- {}", split.test.describe(names));
                self.write_subtree(split.satisfied, indent + 1, names, classes, out);
                let _ = writeln!(out, "{bar}|--- {}", split.test.describe_failed(names));
                self.write_subtree(split.failed, indent + 1, names, classes, out);
            }
            None => self.write_leaf(node, &bar, classes, out),
        }
    }

    fn write_leaf(&self, node: usize, bar: &str, classes: Option<&[String]>, out: &mut String) {
        let n = &self.nodes[node];
        let label = match classes.and_then(|c| c.get(n.class)) {
            Some(name) => name.clone(),
            None => n.class.to_string(),
        };
        let share = n.proportions.get(n.class).copied().unwrap_or(0.0);
        let _ = writeln!(out, "{bar}|--- class: {label} ({share:.2} of {} examples)", n.n_examples);
    }
}
