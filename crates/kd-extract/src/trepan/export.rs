//! A TREPAN tree as indented text, in the style of kd's CART export (scikit-learn's
//! `export_text`), with m-of-n tests written out:
//!
//! ```text
//! |--- 2 of {age <= 40.5, income > 3.2, debt > 0.7}
//! |   |--- class: bad (0.97 of 1000 examples)
//! |--- fewer than 2 of {age <= 40.5, income > 3.2, debt > 0.7}
//! |   |--- class: good (0.99 of 1000 examples)
//! ```

use kd_students::tree::{TextNode, indented_text};

use super::tree::TrepanTree;

impl TrepanTree {
    /// The tree as indented rules (kd's CART layout, [`indented_text`]): each split as two lines
    /// (the test satisfied, then failed), each leaf as its class (named by `classes` when given)
    /// with the share of its examples the oracle puts in that class. Features are named by
    /// `names` (`x{j}` past its end), a categorical feature's tests by the `levels` they admit.
    pub fn export_text(
        &self,
        names: &[String],
        levels: &[Option<Vec<String>>],
        classes: Option<&[String]>,
    ) -> String {
        indented_text(|node| {
            let n = &self.nodes[node];
            match &n.split {
                Some(split) => TextNode::Split {
                    yes: split.test.describe(names, levels),
                    first: split.satisfied,
                    no: split.test.describe_failed(names, levels),
                    second: split.failed,
                },
                None => {
                    let label = match classes.and_then(|c| c.get(n.class)) {
                        Some(name) => name.clone(),
                        None => n.class.to_string(),
                    };
                    let share = n.proportions.get(n.class).copied().unwrap_or(0.0);
                    TextNode::Leaf(format!("class: {label} ({share:.2} of {} examples)", n.n_examples))
                }
            }
        })
    }
}
