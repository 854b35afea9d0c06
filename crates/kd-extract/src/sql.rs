//! A saved m-of-n tree or decision set as one SQL `SELECT` over a table holding its features as
//! columns, written with kd-students' SQL pieces ([`Sql`]) as a student's query is, so that the
//! extracted model scores where the data live. The query returns every column of the table and
//! the model's outputs under the names `kd predict` writes (`p_<class>` per class), with the
//! tests `kd_test_<node>` and the leaf `kd_leaf` (TREPAN) or the class `kd_class` (BETA).
//!
//! | model | SQL |
//! |---|---|
//! | TREPAN m-of-n tree | `kd_test_<node>` per split: 1 when its m-of-n test holds, `(CASE WHEN l₁ THEN 1 ELSE 0 END + …) >= m` (a literal on a categorical feature as `col IN (…)`, the levels it admits), else 0; `kd_leaf`: one `WHEN` per leaf with its path's tests' values; then each leaf's class proportions |
//! | BETA decision set | `kd_class`: one `WHEN` per rule, in order, its outer and inner conditions joined by `AND` (a level test as `column = 'level'`), `ELSE` the default rule's class; then the class as one-hot |
//!
//! Neither model has a place for a missing value or an unseen level (`kd predict` refuses
//! them), so a row with a NULL or an unseen level in a feature the model reads gets NULL
//! outputs, never a guess.

use std::collections::BTreeSet;

use kd_students::sql::{Dialect, Sql};

use crate::beta::{Condition, DecisionSet, Test};
use crate::error::{Result, invalid_parameter};
use crate::saved::{ExtractedModel, SavedExtraction};
use crate::trepan::{Literal, MofN, TrepanTree};

impl SavedExtraction {
    /// The `SELECT` computing this model's outputs from the rows of `table`, in `dialect`.
    ///
    /// # Errors
    /// An empty table name.
    pub fn to_sql(&self, dialect: Dialect, table: &str) -> Result<String> {
        if table.is_empty() {
            return Err(invalid_parameter("table", "an empty name"));
        }
        let sql = Sql { dialect, features: &self.features, levels: &self.levels };
        let outputs = self.output_names();
        let header = format!(
            "-- kd extracted model ({}) of {}: outputs {}\n",
            self.method(),
            self.teacher,
            outputs.join(", ")
        );
        let from = sql.ident(table);
        let body = match &self.model {
            ExtractedModel::Trepan(tree) => {
                let [tests, leaf, columns] = trepan(&sql, tree, &outputs);
                let tested = sql.subquery(&sql.select(tests, &from), "kd_tests");
                sql.select(columns, &sql.subquery(&sql.select(leaf, &tested), "kd_leaves"))
            }
            ExtractedModel::Beta(set) => {
                let (class, columns) = beta(&sql, set, &outputs);
                sql.select(columns, &sql.subquery(&sql.select(class, &from), "kd_classes"))
            }
        };
        Ok(format!("{header}{body};\n"))
    }
}

/// Named SQL expressions, in order.
type Columns = Vec<(String, String)>;

/// `WHEN v₁ IS NULL OR … THEN NULL`: a NULL (or an unseen level) in a feature the model reads.
fn unscored(sql: &Sql<'_>, features: &BTreeSet<usize>) -> String {
    let tests: Vec<String> = features.iter().map(|&j| format!("{} IS NULL", sql.value(j))).collect();
    if tests.is_empty() { String::new() } else { format!("\n    WHEN {} THEN NULL", tests.join(" OR ")) }
}

/// A literal's test: `v <= t` or `v > t`; on a categorical feature the levels it admits,
/// `col IN ('a', 'b')` (the guard has sent unseen levels to NULL), as `kd explain` writes it.
fn literal(sql: &Sql<'_>, l: &Literal) -> String {
    if let Some(levels) = sql.levels(l.feature) {
        let admitted: Vec<usize> = (0..levels.len()).filter(|&code| l.holds_for(code as f64)).collect();
        if !admitted.is_empty() && admitted.len() < levels.len() {
            return sql.in_levels(l.feature, &admitted);
        }
    }
    let op = if l.greater { ">" } else { "<=" };
    format!("{} {op} {}", sql.value(l.feature), sql.number(l.threshold))
}

/// `kd_test_<i>`: 1 when node `i`'s m-of-n test holds (`(CASE WHEN l₁ THEN 1 ELSE 0 END + …)
/// >= m`), 0 when it fails, NULL when a feature it reads is NULL or an unseen level.
fn test_column(sql: &Sql<'_>, test: &MofN) -> String {
    let read: BTreeSet<usize> = test.literals.iter().map(|l| l.feature).collect();
    let terms: Vec<String> =
        test.literals.iter().map(|l| format!("CASE WHEN {} THEN 1 ELSE 0 END", literal(sql, l))).collect();
    format!(
        "CASE{}\n    WHEN ({}) >= {} THEN 1\n    ELSE 0\n  END",
        unscored(sql, &read),
        terms.join(" + "),
        test.m
    )
}

/// The tests' columns, the leaf column and the outputs' columns of an m-of-n tree.
fn trepan(sql: &Sql<'_>, tree: &TrepanTree, outputs: &[String]) -> [Columns; 3] {
    let tests: Columns = tree
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, node)| {
            node.split.as_ref().map(|split| (format!("kd_test_{i}"), test_column(sql, &split.test)))
        })
        .collect();
    let mut leaves = Vec::new();
    let mut stack = vec![(0usize, Vec::<String>::new())];
    while let Some((i, path)) = stack.pop() {
        let Some(node) = tree.nodes.get(i) else { continue };
        match &node.split {
            None => leaves.push((i, path)),
            Some(split) => {
                let column = sql.ident(&format!("kd_test_{i}"));
                stack.push((split.failed, [path.clone(), vec![format!("{column} = 0")]].concat()));
                stack.push((split.satisfied, [path, vec![format!("{column} = 1")]].concat()));
            }
        }
    }
    let unknown: Vec<String> = tests.iter().map(|(name, _)| format!("{} IS NULL", sql.ident(name))).collect();
    let unknown = (!unknown.is_empty()).then(|| unknown.join(" OR "));
    let proportion = |i: usize, k: usize| tree.nodes.get(i).and_then(|n| n.proportions.get(k)).copied();
    let (leaf, columns) = sql.leaf_layers(unknown, &leaves, outputs, proportion);
    [tests, leaf, columns]
}

/// A decision set's condition: an interval `l < v ≤ u`, or a level code's equality.
fn condition(sql: &Sql<'_>, c: &Condition) -> String {
    let v = sql.value(c.feature);
    match c.test {
        Test::Interval { lower, upper } => {
            let mut tests = Vec::new();
            if let Some(l) = lower {
                tests.push(format!("{v} > {}", sql.number(l)));
            }
            if let Some(u) = upper {
                tests.push(format!("{v} <= {}", sql.number(u)));
            }
            if tests.is_empty() { format!("{v} IS NOT NULL") } else { tests.join(" AND ") }
        }
        // The guard has sent rows with an unseen level to NULL, so the level's text is its code.
        Test::Level { level } => match sql.levels(c.feature).and_then(|names| names.get(level)) {
            Some(name) => format!("{} = {}", sql.column(c.feature), sql.text(name)),
            None => format!("{v} = {level}"),
        },
    }
}

/// The class column and the outputs' columns of a decision set.
fn beta(sql: &Sql<'_>, set: &DecisionSet, outputs: &[String]) -> (Columns, Columns) {
    let read: BTreeSet<usize> =
        set.rules.iter().flat_map(|r| r.outer.iter().chain(&r.inner)).map(|c| c.feature).collect();
    let mut arms = unscored(sql, &read);
    for rule in &set.rules {
        let tests: Vec<String> = rule.outer.iter().chain(&rule.inner).map(|c| condition(sql, c)).collect();
        let test = if tests.is_empty() { "1 = 1".to_owned() } else { tests.join(" AND ") };
        arms += &format!("\n    WHEN {test} THEN {}", rule.class);
    }
    // A set without rules reads no feature: every row takes the default class.
    let class = if arms.is_empty() {
        set.default.class.to_string()
    } else {
        format!("CASE{arms}\n    ELSE {}\n  END", set.default.class)
    };
    let columns = outputs
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let one_hot = format!(
                "CASE WHEN \"kd_class\" IS NULL THEN NULL WHEN \"kd_class\" = {k} THEN {} ELSE {} END",
                sql.number(1.0),
                sql.number(0.0)
            );
            (name.clone(), one_hot)
        })
        .collect();
    (vec![("kd_class".into(), class)], columns)
}
