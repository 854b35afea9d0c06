//! Numbers and names as the report writes them.

/// A figure for people: "—" when not finite, integers with thousands separators, small values
/// in scientific notation, others with four significant digits and no trailing zeros.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return grouped(v as i64);
    }
    let a = v.abs();
    if a < 1e-3 {
        return format!("{v:.2e}").replace('-', "−");
    }
    if a >= 1e4 {
        return grouped(v.round() as i64);
    }
    let decimals = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let text = format!("{v:.decimals$}");
    let text =
        if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text };
    text.replace('-', "−")
}

fn grouped(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 { format!("−{out}") } else { out }
}

/// The labels of the bins that `cuts` (ascending) make: `≤ c₁`, …, `≤ c_k`, `> c_k`; a
/// single bin `all` without cuts.
pub fn bin_labels(cuts: &[f64]) -> Vec<String> {
    let Some(last) = cuts.last() else { return vec!["all".into()] };
    cuts.iter().map(|c| format!("≤ {}", number(*c))).chain([format!("> {}", number(*last))]).collect()
}

/// A share as a percentage with one decimal.
pub fn percent(v: f64) -> String {
    if v.is_finite() { format!("{:.1}%", 100.0 * v) } else { "—".into() }
}

/// An anchor made of a name: ASCII letters and digits kept, everything else `-`, plus a hash
/// of the name so that different names never share an anchor.
pub fn slug(name: &str) -> String {
    let mut hash: u32 = 2_166_136_261;
    for b in name.bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(16_777_619);
    }
    let clean: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .take(40)
        .collect();
    format!("{clean}-{:06x}", hash & 0xff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(number(0.771_234), "0.7712");
        assert_eq!(number(0.2), "0.2");
        assert_eq!(number(-0.5), "−0.5");
        assert_eq!(number(20_000.0), "20,000");
        assert_eq!(number(-1234.0), "−1,234");
        assert_eq!(number(12.345_67), "12.35");
        assert_eq!(number(0.000_012_3), "1.23e−5");
        assert_eq!(number(-0.000_674), "−6.74e−4");
        assert_eq!(number(f64::NAN), "—");
        assert_eq!(percent(0.0512), "5.1%");
    }

    #[test]
    fn slugs_differ_for_different_names() {
        assert_ne!(slug("a b"), slug("a-b"));
        assert!(slug("<script>").chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}
