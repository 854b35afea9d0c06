//! The file line of every row, stored as runs: a CSV file whose rows each take one line (the
//! usual case) costs one entry instead of eight bytes a row; quoted line breaks and skipped
//! blank lines start a new run.

/// Row → 1-based file line, as runs `(first row, its line)`: row `r` of the run starting at
/// `(r₀, l₀)` is on line `l₀ + (r − r₀)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LineMap {
    runs: Vec<(usize, u64)>,
    n_rows: usize,
}

impl LineMap {
    /// Rows `0..n` on lines `first, first + 1, …` (a Parquet file's rows are numbered so, from 1).
    pub(crate) fn consecutive(first: u64, n: usize) -> Self {
        Self { runs: if n == 0 { Vec::new() } else { vec![(0, first)] }, n_rows: n }
    }

    /// Appends the next row, on `line`.
    pub(crate) fn push(&mut self, line: u64) {
        let continues = self.runs.last().is_some_and(|&(r, l)| l + (self.n_rows - r) as u64 == line);
        if !continues {
            self.runs.push((self.n_rows, line));
        }
        self.n_rows += 1;
    }

    /// Appends `other`'s rows after these.
    pub(crate) fn extend(&mut self, other: &LineMap) {
        for (k, &(start, line)) in other.runs.iter().enumerate() {
            let end = other.runs.get(k + 1).map_or(other.n_rows, |r| r.0);
            let (row, first) = (self.n_rows, line);
            let continues = self.runs.last().is_some_and(|&(r, l)| l + (row - r) as u64 == first);
            if !continues {
                self.runs.push((row, first));
            }
            self.n_rows += end - start;
        }
    }

    /// Number of rows.
    pub(crate) fn len(&self) -> usize {
        self.n_rows
    }

    /// The line of `row` (`row < len()`).
    pub(crate) fn line(&self, row: usize) -> u64 {
        let k = self.runs.partition_point(|&(r, _)| r <= row).saturating_sub(1);
        self.runs.get(k).map_or(0, |&(r, l)| l + (row - r) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::LineMap;

    #[test]
    fn runs_reproduce_every_line() {
        let lines = [2u64, 3, 4, 7, 8, 10];
        let mut map = LineMap::default();
        lines.iter().for_each(|&l| map.push(l));
        assert_eq!((0..lines.len()).map(|r| map.line(r)).collect::<Vec<_>>(), lines);
        let mut joined = LineMap::consecutive(2, 3);
        let mut tail = LineMap::default();
        [5u64, 6, 9].iter().for_each(|&l| tail.push(l));
        joined.extend(&tail);
        assert_eq!((0..6).map(|r| joined.line(r)).collect::<Vec<_>>(), [2, 3, 4, 5, 6, 9]);
        assert_eq!(joined.runs.len(), 2);
    }
}
