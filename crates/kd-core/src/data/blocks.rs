//! A CSV byte stream cut into blocks of whole records, and a block cut into pieces for parallel
//! parsing. A line break ends a record only outside quotes: with RFC 4180 quoting (a quote
//! inside a field is doubled) that is where the quotes before it are even in number.

use std::io::Read;

/// Bytes read per block (the block grows when one record is longer).
pub(crate) const BLOCK_BYTES: usize = 16 << 20;

/// Smallest piece worth a thread of its own.
const MIN_PIECE_BYTES: usize = 1 << 20;

/// Reads `inner` in blocks that end at a record boundary. A block handed back with
/// [`Blocks::recycle`] is filled again, so a file costs two block buffers, not one per block
/// (fresh pages are most of the kernel's share of reading).
pub(crate) struct Blocks<R> {
    inner: R,
    carry: Vec<u8>,
    spare: Vec<u8>,
    done: bool,
}

impl<R: Read> Blocks<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self { inner, carry: Vec::new(), spare: Vec::new(), done: false }
    }

    /// The next block of whole records, `None` at the end.
    pub(crate) fn next_block(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut block = std::mem::take(&mut self.spare);
        block.clear();
        block.append(&mut self.carry);
        loop {
            if !self.done {
                // `read_to_end` fills the spare capacity without zeroing it first.
                let want = BLOCK_BYTES.saturating_sub(block.len()).max(BLOCK_BYTES / 4);
                let read = (&mut self.inner).take(want as u64).read_to_end(&mut block)?;
                self.done = read < want;
            }
            if self.done {
                return Ok(if block.is_empty() { None } else { Some(block) });
            }
            if let Some(end) = last_record_end(&block) {
                self.carry.extend_from_slice(&block[end..]);
                block.truncate(end);
                return Ok(Some(block));
            }
        }
    }

    /// Hands a block back to be filled again.
    pub(crate) fn recycle(&mut self, block: Vec<u8>) {
        self.spare = block;
    }
}

/// One past the last line break outside quotes, if any.
fn last_record_end(block: &[u8]) -> Option<usize> {
    let quotes = memchr::memchr_iter(b'"', block).count();
    let mut after = 0usize;
    let mut end = block.len();
    while let Some(at) = memchr::memrchr2(b'\n', b'"', &block[..end]) {
        if block[at] == b'"' {
            after += 1;
        } else if (quotes - after).is_multiple_of(2) {
            return Some(at + 1);
        }
        end = at;
    }
    None
}

/// A block cut into pieces of whole records.
pub(crate) struct Cut {
    /// Each piece's range and the number of line breaks before it in the block.
    pub pieces: Vec<(std::ops::Range<usize>, u64)>,
    /// Line breaks in the whole block.
    pub lines: u64,
}

/// Cuts a block of whole records into about `parts` pieces of whole records, counting each
/// piece's line breaks on rayon's threads.
pub(crate) fn pieces(block: &[u8], parts: usize) -> Cut {
    use rayon::prelude::*;
    let parts = parts.min(block.len() / MIN_PIECE_BYTES).max(1);
    let target = block.len() / parts;
    let quoted = memchr::memchr(b'"', block).is_some();
    let mut ranges = Vec::with_capacity(parts);
    let (mut start, mut inside) = (0usize, false);
    while start < block.len() {
        let goal = (start + target).min(block.len());
        let end = if ranges.len() + 1 == parts || goal >= block.len() {
            block.len()
        } else if quoted {
            boundary_quoted(block, start, goal, &mut inside)
        } else {
            memchr::memchr(b'\n', &block[goal..]).map_or(block.len(), |i| goal + i + 1)
        };
        ranges.push(start..end);
        start = end;
    }
    let counts: Vec<u64> =
        ranges.par_iter().map(|r| memchr::memchr_iter(b'\n', &block[r.clone()]).count() as u64).collect();
    let mut lines = 0u64;
    let pieces = ranges
        .into_iter()
        .zip(counts)
        .map(|(range, count)| {
            lines += count;
            (range, lines - count)
        })
        .collect();
    Cut { pieces, lines }
}

/// The first record end at or after `goal`, tracking whether `start` is inside quotes.
fn boundary_quoted(block: &[u8], start: usize, goal: usize, inside: &mut bool) -> usize {
    let mut at = start;
    while let Some(i) = memchr::memchr2(b'"', b'\n', &block[at..]) {
        let p = at + i;
        if block[p] == b'"' {
            *inside = !*inside;
        } else if p >= goal && !*inside {
            return p + 1;
        }
        at = p + 1;
    }
    block.len()
}

#[cfg(test)]
mod tests {
    use super::{last_record_end, pieces};

    #[test]
    fn quoted_line_breaks_never_end_a_record() {
        let text = b"a,\"x\ny\"\nb,c\n\"d\ne";
        assert_eq!(last_record_end(text), Some(12));
        let block: Vec<u8> = (0..200_000).flat_map(|i| format!("{i},\"q\nq\"\n").into_bytes()).collect();
        let cut = pieces(&block, 4);
        assert!(cut.pieces.len() > 1);
        for (range, _) in &cut.pieces {
            let piece = &block[range.clone()];
            assert!(piece.first().is_some_and(u8::is_ascii_digit));
            assert_eq!(memchr::memchr_iter(b'"', piece).count() % 2, 0);
        }
        let lines: u64 = cut
            .pieces
            .last()
            .map_or(0, |(r, before)| before + memchr::memchr_iter(b'\n', &block[r.clone()]).count() as u64);
        assert_eq!(cut.lines, 400_000);
        assert_eq!(lines, 400_000);
    }
}
