//! Power-of-two scaling that keeps the battery's arithmetic inside `f64`'s range.
//!
//! Every statistic of the battery is invariant to rescaling the target and the features, but
//! its sums are not: squares of residuals of 1e160 overflow, fourth powers of 1e-90
//! underflow. The fit therefore works on copies scaled by powers of two chosen so that each
//! column's largest magnitude lies in `[0.5, 1)`; multiplying by a power of two is exact (no
//! rounding), so on data inside the range the statistics are unchanged bit for bit, and on
//! data scaled by 1e±300 they are the same numbers as on the unscaled data.

use std::borrow::Cow;

/// `2^k` for `k` in `[-1000, 1000]` (exact; built from the exponent bits).
fn pow2_small(k: i32) -> f64 {
    debug_assert!((-1000..=1000).contains(&k));
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// `x · 2^k`, exactly unless the result leaves `f64`'s range (then `±∞` or a subnormal).
pub fn mul_pow2(mut x: f64, mut k: i32) -> f64 {
    if (-1000..=1000).contains(&k) {
        return x * pow2_small(k);
    }
    while k > 1000 {
        x *= pow2_small(1000);
        k -= 1000;
    }
    while k < -1000 {
        x *= pow2_small(-1000);
        k += 1000;
    }
    x * pow2_small(k)
}

/// The exponent `k` that brings the largest magnitude of `values` into `[0.5, 1)` when
/// multiplied by `2^k`; 0 when every value is zero (or none is finite).
pub fn unit_exponent(values: impl IntoIterator<Item = f64>) -> i32 {
    let largest = values.into_iter().filter(|v| v.is_finite()).fold(0.0f64, |m, v| m.max(v.abs()));
    if largest == 0.0 {
        return 0;
    }
    // log2 is exact enough for this purpose: the factor only needs to be a power of two.
    -(largest.log2().floor() as i32) - 1
}

/// A closure multiplying by `2^k`: one multiplication when `2^k` is a normal number.
pub fn scaler(k: i32) -> impl Fn(f64) -> f64 {
    let factor = if (-1000..=1000).contains(&k) { Some(pow2_small(k)) } else { None };
    move |v| match factor {
        Some(f) => v * f,
        None => mul_pow2(v, k),
    }
}

/// `values` scaled into `[0.5, 1)` by a power of two when their largest magnitude lies
/// outside `[2^-200, 2^200]` (borrowed unchanged otherwise).
pub fn normalised(values: &[f64]) -> Cow<'_, [f64]> {
    let k = unit_exponent(values.iter().copied());
    if (-200..=200).contains(&k) {
        Cow::Borrowed(values)
    } else {
        let scale = scaler(k);
        Cow::Owned(values.iter().map(|&v| scale(v)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_by_powers_of_two_is_exact_across_the_range() {
        for &x in &[1.0, 3.0e-310, 1.7e308, -2.5e-150, 7.25e150] {
            let k = unit_exponent([x]);
            let scaled = mul_pow2(x, k);
            assert!((0.5..1.0).contains(&scaled.abs()), "{x}: {scaled}");
            assert_eq!(mul_pow2(scaled, -k), x);
        }
        assert_eq!(unit_exponent([0.0, 0.0]), 0);
    }
}
