//! Sets of row indices as bit sets (one bit per fitting row, 64 rows a word): the coverage of
//! conditions, itemsets and candidate rules, intersected and counted with `popcount`.

/// A flat table of equally long bit sets: set `i` is `words[i·stride .. (i + 1)·stride]`.
#[derive(Debug, Clone, Default)]
pub(super) struct RowSets {
    stride: usize,
    words: Vec<u64>,
}

impl RowSets {
    /// An empty table for sets over `n_rows` rows.
    pub(super) fn new(n_rows: usize) -> Self {
        Self { stride: n_rows.div_ceil(64), words: Vec::new() }
    }

    /// Words per set.
    pub(super) fn stride(&self) -> usize {
        self.stride
    }

    /// Set `i`.
    pub(super) fn get(&self, i: usize) -> &[u64] {
        &self.words[i * self.stride..(i + 1) * self.stride]
    }

    /// Appends a set given by its words (which must be `stride` long).
    pub(super) fn push(&mut self, set: &[u64]) {
        debug_assert_eq!(set.len(), self.stride);
        self.words.extend_from_slice(set);
    }

    /// Appends the set of rows where `member` is true.
    pub(super) fn push_rows(&mut self, n_rows: usize, member: impl Fn(usize) -> bool) {
        let start = self.words.len();
        self.words.resize(start + self.stride, 0);
        for r in (0..n_rows).filter(|&r| member(r)) {
            self.words[start + r / 64] |= 1 << (r % 64);
        }
    }
}

/// `|a|`.
pub(super) fn count(a: &[u64]) -> usize {
    a.iter().map(|w| w.count_ones() as usize).sum()
}

/// `|a ∩ b|`.
pub(super) fn and_count(a: &[u64], b: &[u64]) -> usize {
    a.iter().zip(b).map(|(x, y)| (x & y).count_ones() as usize).sum()
}

/// `|a \ b|`.
pub(super) fn and_not_count(a: &[u64], b: &[u64]) -> usize {
    a.iter().zip(b).map(|(x, y)| (x & !y).count_ones() as usize).sum()
}

/// `a ∩ b` into `out`.
pub(super) fn and_into(a: &[u64], b: &[u64], out: &mut [u64]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = x & y;
    }
}

/// Whether row `r` is in `a`.
pub(super) fn contains(a: &[u64], r: usize) -> bool {
    a[r / 64] >> (r % 64) & 1 == 1
}
