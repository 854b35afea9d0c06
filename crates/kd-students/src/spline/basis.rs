//! The B-spline basis of one feature, placed as pyGAM 0.12.0 places it (`utils.gen_edge_knots`
//! and `utils.b_spline_basis` with `periodic=False`, the default `'ps'` basis of `s(j)`).
//!
//! The feature is rescaled to `u = (x − lower) / (upper − lower)`, where `lower` and `upper` are
//! its smallest and largest training values. On `[0, 1]` lie `K − p + 1` equally spaced knots
//! (`K` = `n_splines`, `p` = `spline_order`, the polynomial degree), `h = 1 / (K − p)` apart, and
//! `p` more knots continue the spacing on each side: `t_i = (i − p)·h`, `i = 0, …, K + p`. The
//! `K` B-splines of degree `p` on these knots (Cox–de Boor recursion, de Boor 1978, ch. X) sum to
//! one on `[0, 1]`. Outside `[0, 1]` each basis function continues linearly along its tangent at
//! the nearer end, `B(u) = B(0) + u·B′(0)` or `B(1) + (u − 1)·B′(1)`, as pyGAM extrapolates.
//!
//! Every row has at most `p + 1` non-zero values, consecutive from a first index: a row is
//! `(first, values)`. The values agree with pyGAM's basis matrix to about 1e-15 (its knot
//! arithmetic differs from `(i − p)·h` in the last bits; the `1e-9` that pyGAM adds to the
//! outermost knot changes no value on `[0, 1]`).

use serde::{Deserialize, Serialize};

/// The largest spline order (degree) supported.
pub const MAX_ORDER: usize = 5;

/// One row of a feature's basis: the first non-zero column and the `order + 1` values from it.
pub(crate) type BasisRow = (usize, [f64; MAX_ORDER + 1]);

/// The basis of one feature: its training range, number of splines and degree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Basis {
    /// Smallest training value (the knot at `u = 0`).
    pub lower: f64,
    /// Largest training value (the knot at `u = 1`).
    pub upper: f64,
    /// Number of basis functions `K`.
    pub n_splines: usize,
    /// Polynomial degree `p` (3: cubic).
    pub order: usize,
}

impl Basis {
    /// The spacing `h` of the knots on the `u` scale.
    fn spacing(&self) -> f64 {
        1.0 / (self.n_splines - self.order) as f64
    }

    /// The `degree + 1` B-splines of degree `degree` that may be non-zero on knot interval
    /// `[t_s, t_{s+1})`, evaluated at `u` (de Boor's BSPLVB triangle on uniform knots): value `r`
    /// belongs to basis function `s − degree + r`.
    fn local(&self, u: f64, s: usize, degree: usize) -> [f64; MAX_ORDER + 1] {
        let h = self.spacing();
        let knot = |i: usize| (i as f64 - self.order as f64) * h;
        let mut values = [0.0; MAX_ORDER + 1];
        values[0] = 1.0;
        for r in 1..=degree {
            let mut carry = 0.0;
            for (k, value) in values.iter_mut().enumerate().take(r) {
                // Basis s − r + 1 + k of degree r − 1 feeds bases s − r + k and s − r + 1 + k.
                let right = knot(s + 1 + k) - u;
                let left = u - knot(s + 1 + k - r);
                let share = *value / (right + left);
                *value = carry + right * share;
                carry = left * share;
            }
            values[r] = carry;
        }
        values
    }

    /// The knot interval that holds `u ∈ [0, 1]` (the last interior one for `u = 1`).
    fn interval(&self, u: f64) -> usize {
        let k = (u / self.spacing()).floor();
        let last = self.n_splines - self.order - 1;
        (if k.is_finite() && k > 0.0 { (k as usize).min(last) } else { 0 }) + self.order
    }

    /// The non-zero basis values at feature value `x`.
    pub(crate) fn row(&self, x: f64) -> BasisRow {
        let p = self.order;
        let range = self.upper - self.lower;
        let u = (x - self.lower) / if range > 0.0 { range } else { 1.0 };
        let end = if u < 0.0 {
            0.0
        } else if u > 1.0 {
            1.0
        } else {
            let s = self.interval(u);
            return (s - p, self.local(u, s, p));
        };
        let s = self.interval(end);
        let mut values = self.local(end, s, p);
        // B′_i = (B_{i,p−1} − B_{i+1,p−1}) / h on uniform knots; the degree p − 1 values on
        // interval s belong to bases s − p + 1, …, s.
        let lower = self.local(end, s, p - 1);
        let h = self.spacing();
        for (r, value) in values.iter_mut().enumerate().take(p + 1) {
            let own = if r >= 1 { lower[r - 1] } else { 0.0 };
            let next = if r < p { lower[r] } else { 0.0 };
            *value += (u - end) * (own - next) / h;
        }
        (s - p, values)
    }

    /// All `K` basis values at `x`, zeros included.
    pub fn dense(&self, x: f64) -> Vec<f64> {
        let (first, values) = self.row(x);
        let mut out = vec![0.0; self.n_splines];
        out[first..=first + self.order].copy_from_slice(&values[..=self.order]);
        out
    }
}

/// The penalty of a term: squared second differences of neighbouring coefficients,
/// `Σ_k (β_k − 2β_{k+1} + β_{k+2})² = βᵀDᵀDβ` (Eilers & Marx 1996; pyGAM's `'derivative'`
/// penalty with `derivative=2`), as the `k × k` matrix `DᵀD`, row-major.
pub(crate) fn difference_penalty(k: usize) -> Vec<f64> {
    let mut p = vec![0.0; k * k];
    for row in 0..k.saturating_sub(2) {
        let d = [(row, 1.0), (row + 1, -2.0), (row + 2, 1.0)];
        for &(a, va) in &d {
            for &(b, vb) in &d {
                p[a * k + b] += va * vb;
            }
        }
    }
    p
}
