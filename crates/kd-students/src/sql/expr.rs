//! The pieces of SQL every student's query is made of: quoted names and text, constants
//! exact in double precision, a feature's value (a categorical one as its level code), and
//! the `CASE` lookups of bins.

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
pub(super) struct Sql<'a> {
    pub dialect: Dialect,
    pub features: &'a [String],
    pub levels: &'a [Option<Vec<String>>],
}

impl Sql<'_> {
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

    /// `1 / (1 + EXP(−η))`.
    pub fn sigmoid(&self, eta: &str) -> String {
        format!("{one} / ({one} + EXP(-({eta})))", one = self.number(1.0))
    }

    /// `(a + b + …)`, or `0` for no terms.
    pub fn sum(&self, terms: &[String]) -> String {
        if terms.is_empty() { self.number(0.0) } else { format!("({})", terms.join(" + ")) }
    }
}
