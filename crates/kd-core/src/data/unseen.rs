//! The rows of a later file whose categorical features hold a level the reference data set
//! lacks. A model under review was never shown such a level, so the rows cannot be coded as its
//! features; [`FeatureRows::like_setting_aside`](super::FeatureRows::like_setting_aside) sets
//! them aside and reports them here (a monitoring sample's new product code is drift to report,
//! not a reason to stop).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::dataset::Dataset;
use super::table::{ColumnData, Table};

/// One level a later file holds that the reference lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnseenLevel {
    /// The feature.
    pub feature: String,
    /// The level, as the file writes it.
    pub level: String,
    /// Rows holding it.
    pub rows: usize,
    /// The first line holding it, as [`Table::line_of`] numbers lines: in a file the header
    /// is line 1; in cells handed over in memory (a data frame), row `r` is line `r + 1`.
    pub first_line: u64,
}

/// The rows set aside: how many, and the unseen levels they hold, in the reference's feature
/// order and, within a feature, the table's level order (sorted: numerically where every
/// level is a number); a row with two unseen levels counts under both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SetAside {
    /// Rows set aside.
    pub rows: usize,
    /// The levels that set them aside.
    pub levels: Vec<UnseenLevel>,
}

/// A categorical feature with levels the reference lacks: its index, its codes in the later
/// table, and whether each of the table's levels is in the reference.
struct Checked<'a> {
    feature: usize,
    codes: &'a [Option<u32>],
    seen: Vec<bool>,
}

/// Splits the rows `kept` of `table` into those whose every categorical feature (`columns[j]`
/// of `table` holding `reference`'s feature `j`) has a level `reference` knows, in order, and
/// the [`SetAside`] rest. A feature numeric in one and categorical in the other is left for
/// the coding to refuse.
pub(super) fn split_unseen(
    table: &Table,
    reference: &Dataset,
    columns: &[usize],
    kept: Vec<usize>,
) -> (Vec<usize>, SetAside) {
    let checked: Vec<Checked<'_>> = reference
        .features()
        .iter()
        .zip(columns)
        .enumerate()
        .filter_map(|(j, (feature, &c))| match (&feature.levels, &table.columns[c].data) {
            (Some(known), ColumnData::Categorical { levels, codes }) => {
                let known: HashSet<&String> = known.iter().collect();
                let seen = levels.iter().map(|l| known.contains(l)).collect::<Vec<_>>();
                seen.contains(&false).then_some(Checked { feature: j, codes, seen })
            }
            _ => None,
        })
        .collect();
    if checked.is_empty() {
        return (kept, SetAside::default());
    }
    // (feature, code in table) → (rows, first line).
    let mut found: BTreeMap<(usize, u32), (usize, u64)> = BTreeMap::new();
    let mut known_rows = Vec::with_capacity(kept.len());
    let mut set_aside = 0;
    for r in kept {
        let mut unseen = false;
        for c in &checked {
            let Some(code) = c.codes[r] else { continue };
            if c.seen[code as usize] {
                continue;
            }
            unseen = true;
            found.entry((c.feature, code)).or_insert((0, table.line_of(r))).0 += 1;
        }
        if unseen {
            set_aside += 1;
        } else {
            known_rows.push(r);
        }
    }
    let levels = found
        .into_iter()
        .map(|((j, code), (rows, first_line))| {
            let column = &table.columns[columns[j]];
            let level = column.levels().and_then(|l| l.get(code as usize)).cloned().unwrap_or_default();
            UnseenLevel { feature: reference.features()[j].name.clone(), level, rows, first_line }
        })
        .collect();
    (known_rows, SetAside { rows: set_aside, levels })
}
