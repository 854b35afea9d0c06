//! Words and n-grams of a text: the text lower-cased, cut into Unicode words (UAX #29 word
//! boundaries, the `unicode-segmentation` crate's `unicode_words`: segments holding at least one
//! letter or digit), and consecutive words joined by one space into n-grams.
//!
//! scikit-learn's default tokeniser (`(?u)\b\w\w+\b`) differs: it drops one-character words
//! ("u", "2") and splits "don't" and "1.50" in two. kd keeps the UAX #29 words, which matter in
//! short messages; the golden files give scikit-learn kd's tokeniser (the `regex` module's
//! UAX #29 boundaries) so that only the vectoriser is compared.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use unicode_segmentation::UnicodeSegmentation;

/// The lower-cased Unicode words of `text`, in order.
///
/// ```
/// assert_eq!(kd_core::text::words("Call FREE now: 08002986030!"), ["call", "free", "now", "08002986030"]);
/// assert_eq!(kd_core::text::words("U can't"), ["u", "can't"]);
/// ```
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase().unicode_words().map(str::to_owned).collect()
}

/// The n-grams of `words` for every `n` in `range` (1-based, `1..=2` for words and pairs), as
/// scikit-learn's `_word_ngrams` lists them: all 1-grams in order, then all 2-grams, and so on.
///
/// ```
/// let w = kd_core::text::words("free entry now");
/// assert_eq!(kd_core::text::ngrams(&w, 1..=2), ["free", "entry", "now", "free entry", "entry now"]);
/// ```
pub fn ngrams(words: &[String], range: RangeInclusive<usize>) -> Vec<String> {
    let mut out = Vec::new();
    for n in range {
        if n == 0 || n > words.len() {
            continue;
        }
        out.extend(words.windows(n).map(|w| w.join(" ")));
    }
    out
}

/// `text` with every occurrence of the words in `deleted` (lower-cased Unicode words, as
/// [`words`] gives them) removed; everything else (spaces, punctuation, other words) is kept
/// as it was. Used to ask a teacher what a message means without some of its words.
///
/// ```
/// use std::collections::BTreeSet;
/// let gone: BTreeSet<String> = ["free".to_string()].into();
/// assert_eq!(kd_core::text::remove_words("FREE entry, free!", &gone), " entry, !");
/// ```
pub fn remove_words(text: &str, deleted: &BTreeSet<String>) -> String {
    text.split_word_bounds()
        .filter(|segment| {
            let lower = segment.to_lowercase();
            // A segment is one word exactly when `words` would keep it.
            !(deleted.contains(&lower) && lower.unicode_words().count() == 1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_unicode_boundaries() {
        assert_eq!(
            words("Don't call 07732584351 now!! U.S.A. £1.50 e-mail x@y.com 😀"),
            ["don't", "call", "07732584351", "now", "u.s.a", "1.50", "e", "mail", "x", "y.com"]
        );
        assert!(words(" ... !!! ").is_empty());
    }

    #[test]
    fn ngrams_of_short_texts() {
        let w = words("hi");
        assert_eq!(ngrams(&w, 1..=2), ["hi"]);
        assert!(ngrams(&[], 1..=2).is_empty());
        assert_eq!(ngrams(&words("a b c"), 2..=3), ["a b", "b c", "a b c"]);
    }

    #[test]
    fn removing_words_keeps_the_rest() {
        let gone: BTreeSet<String> = ["call".to_string(), "now".to_string()].into();
        assert_eq!(remove_words("Call me NOW, not later", &gone), " me , not later");
        assert_eq!(remove_words("nothing to remove", &gone), "nothing to remove");
    }
}
