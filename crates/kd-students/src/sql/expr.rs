//! The pieces of SQL every model's query is made of — quoted names and text, constants exact in
//! double precision, a feature's value (a categorical one as its level code), the `CASE`
//! lookups of bins, a `SELECT` adding columns to a table or a subquery — public so that other
//! crates' models (kd-extract's m-of-n trees and decision sets) are written the same way.

use std::fmt::Write as _;

/// The SQL dialect of an export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dialect {
    /// ISO SQL: constants cast to `DOUBLE PRECISION`.
    #[default]
    Ansi,
    /// PostgreSQL: constants cast to `DOUBLE PRECISION` (a bare decimal is `NUMERIC`).
    Postgres,
    /// DuckDB: constants cast to `DOUBLE` (a bare decimal is `DECIMAL`).
    Duckdb,
    /// SQLite: bare constants (its decimals are doubles).
    Sqlite,
}

impl Dialect {
    /// The dialect called `name` (`ansi`, `postgres`, `duckdb`, `sqlite`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "ansi" => Some(Dialect::Ansi),
            "postgres" | "postgresql" => Some(Dialect::Postgres),
            "duckdb" => Some(Dialect::Duckdb),
            "sqlite" => Some(Dialect::Sqlite),
            _ => None,
        }
    }
}

/// What every expression of one export reads.
#[derive(Debug, Clone, Copy)]
pub struct Sql<'a> {
    /// The dialect.
    pub dialect: Dialect,
    /// The model's feature names, the table's columns.
    pub features: &'a [String],
    /// Each feature's levels (`None` for a numeric one), as the model codes them.
    pub levels: &'a [Option<Vec<String>>],
}

impl Sql<'_> {
    /// `SELECT *, e₁ AS name₁, … FROM from`: the rows of `from` with `columns` added
    /// (`SELECT * FROM from` without any).
    pub fn select(&self, columns: Vec<(String, String)>, from: &str) -> String {
        if columns.is_empty() {
            return format!("SELECT *\nFROM {from}");
        }
        let list: Vec<String> =
            columns.into_iter().map(|(name, e)| format!("  {e} AS {}", self.ident(&name))).collect();
        format!("SELECT *,\n{}\nFROM {from}", list.join(",\n"))
    }

    /// `query` as a subquery named `alias`, indented.
    pub fn subquery(&self, query: &str, alias: &str) -> String {
        let indented: Vec<String> = query.lines().map(|l| format!("  {l}")).collect();
        format!("(\n{}\n) AS {alias}", indented.join("\n"))
    }

    /// A quoted identifier, `"name"` with `"` doubled.
    pub fn ident(&self, name: &str) -> String {
        format!("\"{}\"", name.replace('"', "\"\""))
    }

    /// A quoted text literal, `'text'` with `'` doubled.
    pub fn text(&self, text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }

    /// The constant `v`, exact: Rust's shortest round-trip digits (a decimal point or an
    /// exponent always present), cast to double precision where the dialect reads decimals
    /// exactly.
    pub fn number(&self, v: f64) -> String {
        let digits = format!("{v:?}");
        match self.dialect {
            Dialect::Sqlite => format!("({digits})"),
            Dialect::Duckdb => format!("CAST({digits} AS DOUBLE)"),
            Dialect::Ansi | Dialect::Postgres => format!("CAST({digits} AS DOUBLE PRECISION)"),
        }
    }

    /// The column of feature `j`.
    pub fn column(&self, j: usize) -> String {
        self.ident(self.features.get(j).map_or("", String::as_str))
    }

    /// The test that feature `j`'s cell is missing as `kd predict` reads it: NULL, and for a
    /// categorical feature also the text kd reads as missing (kd-core's `MISSING_TOKENS`,
    /// white space trimmed).
    pub fn is_missing(&self, j: usize) -> String {
        let column = self.column(j);
        if self.levels(j).is_none() {
            return format!("{column} IS NULL");
        }
        let tokens: Vec<String> = kd_core::data::MISSING_TOKENS.iter().map(|t| self.text(t)).collect();
        format!("({column} IS NULL OR TRIM({column}) IN ({}))", tokens.join(", "))
    }

    /// The levels of feature `j`, `None` for a numeric one.
    pub fn levels(&self, j: usize) -> Option<&[String]> {
        self.levels.get(j).and_then(Option::as_deref)
    }

    /// The value the student reads for feature `j`: the column, or for a categorical feature
    /// its level code (`CASE col WHEN 'a' THEN 0 … END`, NULL for an unseen level).
    pub fn value(&self, j: usize) -> String {
        match self.levels(j) {
            None => self.column(j),
            Some(levels) => {
                let mut out = format!("CASE {}", self.column(j));
                for (code, level) in levels.iter().enumerate() {
                    let _ = write!(out, " WHEN {} THEN {code}", self.text(level));
                }
                out + " END"
            }
        }
    }

    /// `col IN ('a', 'b')` for the level codes `codes` of feature `j`.
    pub fn in_levels(&self, j: usize, codes: &[usize]) -> String {
        let names = self.levels(j).unwrap_or_default();
        let shown: Vec<String> =
            codes.iter().map(|&c| names.get(c).map_or_else(|| "NULL".to_owned(), |l| self.text(l))).collect();
        format!("{} IN ({})", self.column(j), shown.join(", "))
    }

    /// A lookup of `value` in bins `lower < value ≤ upper` (`None`: unbounded), each giving
    /// its expression; NULL when no bin holds the value.
    pub fn interval_lookup(&self, value: &str, bins: &[(Option<f64>, Option<f64>, String)]) -> String {
        let mut out = String::from("CASE");
        for (lower, upper, then) in bins {
            let mut tests = Vec::new();
            if let Some(l) = lower {
                tests.push(format!("{value} > {}", self.number(*l)));
            }
            if let Some(u) = upper {
                tests.push(format!("{value} <= {}", self.number(*u)));
            }
            if tests.is_empty() {
                tests.push(format!("{value} IS NOT NULL"));
            }
            let _ = write!(out, " WHEN {} THEN {then}", tests.join(" AND "));
        }
        out + " END"
    }

    /// A tree's two layers: `kd_leaf`, the leaf each row reaches — `NULL` first when `unknown`
    /// (a test that leaves the row unscored) holds, then one `WHEN` per leaf `(node, path)`
    /// with the conjunction of its path's tests, so that no engine's parser meets deep nesting —
    /// then each of `outputs` as a lookup of the leaf's `value(node, output)`.
    #[allow(clippy::type_complexity)] // the two layers' named expressions
    pub fn leaf_layers(
        &self,
        unknown: Option<String>,
        leaves: &[(usize, Vec<String>)],
        outputs: &[String],
        value: impl Fn(usize, usize) -> Option<f64>,
    ) -> (Vec<(String, String)>, Vec<(String, String)>) {
        let mut leaf = String::from("CASE");
        if let Some(test) = unknown {
            let _ = write!(leaf, "\n    WHEN {test} THEN NULL");
        }
        for (i, path) in leaves {
            let test = if path.is_empty() { "1 = 1".to_owned() } else { path.join(" AND ") };
            let _ = write!(leaf, "\n    WHEN {test} THEN {i}");
        }
        leaf += "\n  END";
        let columns = outputs
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let mut out = String::from("CASE \"kd_leaf\"");
                for (i, _) in leaves {
                    let v = value(*i, k).map_or_else(|| "NULL".into(), |v| self.number(v));
                    let _ = write!(out, " WHEN {i} THEN {v}");
                }
                (name.clone(), out + " END")
            })
            .collect();
        (vec![("kd_leaf".into(), leaf)], columns)
    }

    /// `1 / (1 + EXP(−η))`.
    pub fn sigmoid(&self, eta: &str) -> String {
        format!("{one} / ({one} + EXP(-({eta})))", one = self.number(1.0))
    }

    /// `(a + b + …)`, or `0` for no terms.
    pub fn sum(&self, terms: &[String]) -> String {
        if terms.is_empty() { self.number(0.0) } else { format!("({})", terms.join(" + ")) }
    }
}
