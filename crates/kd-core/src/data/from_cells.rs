//! An in-memory table of text cells (a data frame handed over as text, as the Python bindings
//! do) typed by exactly the rule and errors of a CSV file: the cells go through the loader's
//! own [`Assembler`] as one piece.

use std::path::Path;

use super::assemble::{Assembler, PieceSource};
use super::lines::LineMap;
use super::piece::{Builder, Mode, Piece, PieceColumn, SpareVectors};
use super::read::{ReadOptions, check_unique};
use super::table::Table;
use crate::{Error, Result};

/// A table from text cells, typed by the same rule as [`read_csv`](super::read_csv): `names`
/// the header, `cells[j]` column `j`'s cells (missing ones as the empty string or a
/// [`MISSING_TOKENS`](super::MISSING_TOKENS) token), `lines[r]` row `r`'s line for error
/// messages; `options.categorical` (and `categorical_if_present`) and `options.decimal_comma`
/// apply as to a file.
///
/// Errors: [`Error::DuplicateColumn`], [`Error::MissingColumn`] (a categorical name not in
/// `names`), [`Error::RaggedRow`] for a column whose length differs from `lines`,
/// [`Error::EmptyFile`] for no rows, and [`Error::InvalidValue`] for a bad cell of a numeric
/// column, as for a file.
pub fn table_from_cells(
    path: &Path,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    lines: Vec<u64>,
    options: &ReadOptions,
) -> Result<Table> {
    check_unique(path, &names)?;
    if let Some(column) = cells.iter().find(|c| c.len() != lines.len()) {
        return Err(Error::RaggedRow {
            file: path.to_owned(),
            line: lines.first().copied().unwrap_or(0),
            expected: lines.len(),
            found: column.len(),
        });
    }
    if let Some(name) = options.categorical.iter().find(|name| !names.contains(name)) {
        return Err(Error::MissingColumn {
            file: path.to_owned(),
            name: name.clone(),
            available: names.join(", "),
        });
    }
    let columns = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let text = options.forces_categorical(&name);
            (name, i + 1, text)
        })
        .collect();
    let mut assembler = Assembler::new(path, "line", columns, lines.len());
    let mut line_map = LineMap::default();
    lines.iter().for_each(|&line| line_map.push(line));
    assembler.absorb(&Cells { cells: &cells, lines: &line_map, decimal_comma: options.decimal_comma })?;
    assembler.take()
}

/// The cells as one piece.
struct Cells<'a> {
    cells: &'a [Vec<String>],
    lines: &'a LineMap,
    decimal_comma: bool,
}

impl PieceSource for Cells<'_> {
    fn pieces(&self, modes: &[Option<Mode>], spare: &SpareVectors) -> Result<Vec<Piece>> {
        let columns = self
            .cells
            .iter()
            .zip(modes)
            .map(|(column, mode)| {
                // A column not asked for this time is left empty.
                let Some(mode) = *mode else {
                    return PieceColumn::Text { codes: Vec::new(), levels: Vec::new() };
                };
                let mut builder = Builder::new(mode, column.len(), spare);
                for (row, cell) in column.iter().enumerate() {
                    // Cells are `String`s, so always UTF-8: push_cell cannot fail here.
                    let _ = builder.push_cell(cell.as_bytes().trim_ascii(), row, self.decimal_comma);
                }
                builder.finish()
            })
            .collect();
        Ok(vec![Piece { columns, lines: self.lines.clone() }])
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::table_from_cells;
    use crate::Error;
    use crate::data::{ColumnData, ReadOptions, read_csv};

    fn column(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn cells_are_typed_as_the_same_csv_file_is() {
        let names = vec!["x".to_owned(), "colour".to_owned(), "y".to_owned()];
        let cells =
            vec![column(&["1.5", "", "0.5"]), column(&["red", "blue", "NA"]), column(&["0", "1", "1"])];
        let ours = table_from_cells(Path::new("frame"), names, cells, vec![2, 3, 4], &ReadOptions::default())
            .expect("the cells are valid");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("d.csv");
        std::fs::write(&file, "x,colour,y\n1.5,red,0\n,blue,1\n0.5,NA,1\n").expect("written");
        let theirs = read_csv(&file, &ReadOptions::default()).expect("the file is valid");
        for (a, b) in ours.columns.iter().zip(&theirs.columns) {
            match (&a.data, &b.data) {
                (ColumnData::Numeric(a), ColumnData::Numeric(b)) => {
                    assert!(a.iter().zip(b).all(|(a, b)| a == b || (a.is_nan() && b.is_nan())));
                }
                (a, b) => assert_eq!(a, b),
            }
        }
    }

    #[test]
    fn a_bad_cell_is_named_by_its_line_and_column() {
        let names = vec!["x".to_owned()];
        let error = table_from_cells(
            Path::new("frame"),
            names,
            vec![column(&["1", "two"])],
            vec![1, 2],
            &ReadOptions::default(),
        )
        .expect_err("'two' is not a number");
        assert!(matches!(error, Error::InvalidValue { line: 2, column: 1, .. }), "{error}");
    }
}
