//! TREPAN's local stopping test (Craven 1996, §4.5): a node becomes a leaf when, with
//! confidence `1 − δ`, at least a share `1 − ε` of the instances reaching it belong to one class.
//!
//! With `k` of the node's `n` examples in its majority class, the null hypothesis "the majority
//! class has proportion `p < 1 − ε`" is rejected at level `δ` when the one-sided binomial tail
//! `P(X ≥ k | n, p₀ = 1 − ε) = I_{p₀}(k, n − k + 1)` (the regularised incomplete beta function)
//! is at most `δ`; `p₀` is the boundary of the null, where the tail is largest.

use statrs::function::beta::checked_beta_reg;

/// `P(X ≥ k)` for `X ~ Binomial(n, 1 − ε)`: the p-value of "the majority proportion is below
/// `1 − ε`" when `k` of `n` examples are in the majority. 1 when `k = 0` or `n = 0`.
pub fn majority_p_value(k: usize, n: usize, epsilon: f64) -> f64 {
    if k == 0 || n == 0 || k > n {
        return 1.0;
    }
    checked_beta_reg(k as f64, (n - k) as f64 + 1.0, 1.0 - epsilon).unwrap_or(1.0)
}

/// Whether class counts `counts` pass the ε/δ test (the node is a leaf).
pub fn passes_stopping_test(counts: &[usize], epsilon: f64, delta: f64) -> bool {
    let n: usize = counts.iter().sum();
    let k = counts.iter().copied().max().unwrap_or(0);
    majority_p_value(k, n, epsilon) <= delta
}
