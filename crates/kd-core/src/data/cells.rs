//! One cell's bytes: missing or not, and its number. Parsing works on the bytes the CSV reader
//! hands out, with no `String` per cell.
//!
//! Numbers are parsed by `fast-float2` (Lemire's algorithm, correctly rounded like
//! `str::parse::<f64>`, and accepting the same decimal forms, `inf` and `nan`) because the
//! standard parser needs a `&str` and is several times slower; the float parse is most of a
//! numeric CSV's cost.

use super::read::MISSING_TOKENS;

/// What a non-missing cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell {
    /// A finite number.
    Number(f64),
    /// `NaN`: a number for typing, refused as a value.
    NotANumber,
    /// An infinity: a number for typing, refused as a value.
    Infinite,
    /// Not a number at all.
    Text,
}

/// Whether a trimmed cell is missing: empty or one of [`MISSING_TOKENS`].
pub(crate) fn is_missing(cell: &[u8]) -> bool {
    cell.len() <= 4 && MISSING_TOKENS.iter().any(|t| t.as_bytes() == cell)
}

/// The cell read as a number; with `decimal_comma` the decimal separator is `,` and a `.` makes
/// the cell text (it could be a thousands separator, so it is never read as a decimal point).
pub(crate) fn classify(cell: &[u8], decimal_comma: bool) -> Cell {
    if let Some(x) = short_decimal(cell, if decimal_comma { b',' } else { b'.' }) {
        return Cell::Number(x);
    }
    let parsed = if decimal_comma {
        if cell.contains(&b'.') || cell.len() > 64 {
            return Cell::Text;
        }
        let mut buffer = [0u8; 64];
        let copy = &mut buffer[..cell.len()];
        copy.copy_from_slice(cell);
        copy.iter_mut().filter(|b| **b == b',').for_each(|b| *b = b'.');
        fast_float2::parse::<f64, _>(&*copy)
    } else {
        fast_float2::parse::<f64, _>(cell)
    };
    match parsed {
        Ok(x) if x.is_finite() => Cell::Number(x),
        Ok(x) if x.is_nan() => Cell::NotANumber,
        Ok(_) => Cell::Infinite,
        Err(_) => Cell::Text,
    }
}

/// Powers of ten that `f64` holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 16] =
    [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// A plain decimal (`-12.345`: a sign, at most 15 digits, one `point`, no exponent) by
/// Clinger's fast path: its digits as an integer below 10¹⁵ < 2⁵³ and the power of ten are both
/// exact doubles, so their IEEE quotient is the correctly rounded value, as `str::parse` gives.
/// Most cells of a bank extract are such; anything else is `None`, for `fast-float2`.
/// (Clinger, "How to read floating point numbers accurately", PLDI 1990.)
#[inline]
pub(crate) fn short_decimal(cell: &[u8], point: u8) -> Option<f64> {
    let (negative, digits) = match cell.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, cell),
    };
    if digits.len() > 16 {
        return None;
    }
    let (mut mantissa, mut at) = (0u64, 0usize);
    while let Some(&c) = digits.get(at) {
        let digit = c.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        mantissa = mantissa * 10 + u64::from(digit);
        at += 1;
    }
    let whole = at;
    if let Some(&c) = digits.get(at) {
        if c != point {
            return None;
        }
        for &c in &digits[at + 1..] {
            let digit = c.wrapping_sub(b'0');
            if digit > 9 {
                return None;
            }
            mantissa = mantissa * 10 + u64::from(digit);
        }
        at += 1;
    }
    let decimals = digits.len() - at;
    let count = whole + decimals;
    if count == 0 || count > 15 {
        return None;
    }
    let value = mantissa as f64 / EXACT_POWERS_OF_TEN.get(decimals)?;
    Some(if negative { -value } else { value })
}

/// Why a cell of a numeric column is refused, in the words the loader has always used;
/// `first_line` is the line of the column's first value.
pub(crate) fn refusal(cell: &str, kind: Cell, first_line: u64, row_word: &str) -> String {
    // Control characters (a NUL byte, a tab) are shown escaped, so that the cell reads as the
    // file holds it.
    let cell: String = cell.escape_debug().collect();
    match kind {
        Cell::NotANumber => {
            format!("'{cell}' (NaN) is not allowed; leave the cell empty or write NA for a missing value")
        }
        Cell::Infinite => format!("'{cell}' (infinity) is not allowed"),
        Cell::Number(_) | Cell::Text => format!(
            "'{cell}' is not a number (the column is numeric: its first value, on {row_word} \
             {first_line}, is a number); to read the column as categories, name it as categorical"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{Cell, classify, is_missing};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Every decimal the fast path takes, and every other, reads as `str::parse` reads it.
        #[test]
        fn decimals_read_as_the_standard_parser_reads_them(text in "[+-]?[0-9]{0,17}(\\.[0-9]{0,17})?") {
            match text.parse::<f64>() {
                Ok(x) => prop_assert_eq!(classify(text.as_bytes(), false), Cell::Number(x)),
                Err(_) => prop_assert_eq!(classify(text.as_bytes(), false), Cell::Text),
            }
            let comma = text.replace('.', ",");
            if let Ok(x) = text.parse::<f64>() {
                prop_assert_eq!(classify(comma.as_bytes(), true), Cell::Number(x));
            }
        }
    }

    #[test]
    fn the_fast_parser_agrees_with_the_standard_one() {
        for text in [
            "1.5",
            "-2",
            "+3",
            ".5",
            "5.",
            "1e-300",
            "2.2250738585072014e-308",
            "0.1",
            "123456789012345678901",
        ] {
            assert_eq!(classify(text.as_bytes(), false), Cell::Number(text.parse().unwrap()), "{text}");
        }
        assert_eq!(classify(b"-0", false), Cell::Number(-0.0));
        assert_eq!(classify(b".", false), Cell::Text);
        assert_eq!(classify(b"-", false), Cell::Text);
        assert_eq!(classify(b"1.2.3", false), Cell::Text);
        assert_eq!(classify(b"NaN", false), Cell::NotANumber);
        assert_eq!(classify(b"-inf", false), Cell::Infinite);
        assert_eq!(classify(b"x7", false), Cell::Text);
        assert_eq!(classify(b"1,5", true), Cell::Number(1.5));
        assert_eq!(classify(b"1.234,5", true), Cell::Text);
        assert!(is_missing(b"NA") && is_missing(b"") && !is_missing(b"0"));
    }
}
