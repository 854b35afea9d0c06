//! The records of a CSV piece that holds no quote: every line is a record, cut at the
//! delimiter.
//!
//! Written here rather than left to the `csv` crate because this is where a numeric file's
//! reading time goes: csv-core steps every byte through its state machine and copies each
//! field, while this scan finds the delimiters and line breaks of 64 bytes at once (a loop the
//! SSE2 byte compares and a move-mask on x86-64) and hands out slices of the piece.
//! The rules are csv-core's for unquoted text: a line break ends a record, `\r\n` is one break,
//! an empty line is no record. Pieces with a quote, or with a `\r` that does not end a line, go
//! to the `csv` crate.

use memchr::{memchr, memchr_iter};

use crate::Result;

/// Receives a piece's records cell by cell.
pub(crate) trait Record {
    /// Field `field` (0-based, untrimmed) of the record on 1-based `line`.
    fn cell(&mut self, field: usize, cell: &[u8], line: u64) -> Result<()>;
    /// The record on `line` has ended after `fields` fields.
    fn end(&mut self, fields: usize, line: u64) -> Result<()>;
}

/// Whether `bytes` can be split as plain lines: no quote, and every `\r` ends a line.
pub(crate) fn is_plain(bytes: &[u8]) -> bool {
    memchr(b'"', bytes).is_none() && memchr_iter(b'\r', bytes).all(|i| bytes.get(i + 1) == Some(&b'\n'))
}

/// Hands every record of `bytes` (which [`is_plain`]) to `out`, the first on 1-based line
/// `first_line`; stops at the first error `out` returns.
pub(crate) fn split(bytes: &[u8], delimiter: u8, first_line: u64, out: &mut impl Record) -> Result<()> {
    let (mut line, mut start, mut field) = (first_line, 0usize, 0usize);
    for at in Hits::new(bytes, delimiter, b'\n') {
        let cell = &bytes[start..at];
        start = at + 1;
        if bytes[at] == b'\n' {
            if !(field == 0 && matches!(cell, b"" | b"\r")) {
                out.cell(field, cell, line)?;
                out.end(field + 1, line)?;
            }
            field = 0;
            line += 1;
        } else {
            out.cell(field, cell, line)?;
            field += 1;
        }
    }
    if start < bytes.len() || field > 0 {
        out.cell(field, &bytes[start..], line)?;
        out.end(field + 1, line)?;
    }
    Ok(())
}

/// Positions of the bytes `a` or `b`, in order.
struct Hits<'a> {
    bytes: &'a [u8],
    a: u8,
    b: u8,
    /// Offset of the 64-byte window `mask` describes.
    base: usize,
    /// Bit `i` set: byte `base + i` is `a` or `b` and not yet handed out.
    mask: u64,
}

impl<'a> Hits<'a> {
    fn new(bytes: &'a [u8], a: u8, b: u8) -> Self {
        let mask = window_mask(bytes, a, b);
        Self { bytes, a, b, base: 0, mask }
    }
}

/// The bit mask of `a` or `b` in the (up to) 64 bytes at the start of `bytes`.
fn window_mask(bytes: &[u8], a: u8, b: u8) -> u64 {
    match bytes.first_chunk::<64>() {
        Some(window) => full_window_mask(window, a, b),
        None => bytes.iter().enumerate().fold(0u64, |m, (i, &c)| m | (u64::from((c == a) | (c == b)) << i)),
    }
}

/// [`window_mask`] of a whole window: SSE2's byte compares and move-mask, 16 bytes at a time.
#[cfg(target_arch = "x86_64")]
fn full_window_mask(window: &[u8; 64], a: u8, b: u8) -> u64 {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let (va, vb) = (set_splat_i8_m128i(a as i8), set_splat_i8_m128i(b as i8));
    let (quarters, _) = window.as_chunks::<16>();
    quarters.iter().enumerate().fold(0u64, |m, (k, quarter)| {
        let v = load_unaligned_m128i(quarter);
        let hits = bitor_m128i(cmp_eq_mask_i8_m128i(v, va), cmp_eq_mask_i8_m128i(v, vb));
        m | (u64::from(move_mask_i8_m128i(hits) as u16) << (16 * k))
    })
}

/// [`window_mask`] of a whole window, byte by byte.
#[cfg(not(target_arch = "x86_64"))]
fn full_window_mask(window: &[u8; 64], a: u8, b: u8) -> u64 {
    window.iter().enumerate().fold(0u64, |m, (i, &c)| m | (u64::from((c == a) | (c == b)) << i))
}

impl Iterator for Hits<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.base += 64;
            let rest = self.bytes.get(self.base..).filter(|r| !r.is_empty())?;
            self.mask = window_mask(rest, self.a, self.b);
        }
        let at = self.base + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::{Record, is_plain, split};
    use crate::Result;
    use proptest::prelude::*;

    /// Records as `(line, trimmed fields)`.
    #[derive(Default)]
    struct Collect {
        records: Vec<(u64, Vec<Vec<u8>>)>,
        current: Vec<Vec<u8>>,
    }

    impl Record for Collect {
        fn cell(&mut self, field: usize, cell: &[u8], _line: u64) -> Result<()> {
            assert_eq!(field, self.current.len());
            self.current.push(cell.trim_ascii().to_vec());
            Ok(())
        }
        fn end(&mut self, fields: usize, line: u64) -> Result<()> {
            assert_eq!(fields, self.current.len());
            self.records.push((line, std::mem::take(&mut self.current)));
            Ok(())
        }
    }

    fn plain(bytes: &[u8], delimiter: u8) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut out = Collect::default();
        split(bytes, delimiter, 1, &mut out).unwrap();
        out.records
    }

    /// The fields of every record, by the `csv` crate.
    fn by_csv(bytes: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(bytes);
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            out.push(record.iter().map(|f| f.trim_ascii().to_vec()).collect());
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// On unquoted text the plain splitter finds csv-core's records and fields, each on
        /// its own line (pieces longer than one 64-byte window included).
        #[test]
        fn plain_lines_are_csv_records(
            text in "([a-c0-9 ;,.]{0,9}(\r\n|\n|,|;)){0,60}[a-c0-9 ,]{0,3}",
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            let bytes = text.as_bytes();
            prop_assert!(is_plain(bytes));
            let ours = plain(bytes, delimiter);
            // Fields as csv-core reads them (its line count loses a blank `\r\n` line).
            let fields: Vec<Vec<Vec<u8>>> = ours.iter().map(|r| r.1.clone()).collect();
            prop_assert_eq!(fields, by_csv(bytes, delimiter));
            // Lines: every line that is not blank is a record, on its own line number.
            let expected: Vec<(u64, Vec<Vec<u8>>)> = text
                .split('\n')
                .enumerate()
                .filter(|(_, line)| !line.is_empty() && *line != "\r")
                .map(|(i, line)| {
                    let cells = line.strip_suffix('\r').unwrap_or(line).split(char::from(delimiter));
                    (i as u64 + 1, cells.map(|c| c.trim().as_bytes().to_vec()).collect())
                })
                .collect();
            prop_assert_eq!(ours, expected);
        }
    }

    #[test]
    fn quotes_and_lone_carriage_returns_are_not_plain() {
        assert!(!is_plain(b"a,\"b\"\n"));
        assert!(!is_plain(b"a\rb\n"));
        assert!(is_plain(b"a,b\r\n1,2\r\n"));
    }
}
