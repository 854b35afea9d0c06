//! How the levels of the terms and the intercept are told apart: pyGAM's way, solved without
//! its ill-conditioning.
//!
//! The B-splines of a feature sum to one, so adding `c` to every coefficient of term `j` and
//! taking `c` from the intercept changes no prediction and no difference penalty: the vectors
//! `n_j` (ones on term `j`'s block, −1 on the intercept) span a null space `N` of both `X` and
//! `P`. pyGAM places no centring constraint; it adds `√ε·I` (`ε` the machine epsilon) to the
//! penalty, which picks the solution with no component in `N`, i.e. `β ⊥ N`: the coefficients
//! of every term sum to the intercept. Solving that with the `√ε` ridge alone makes
//! `XᵀWX + P + √εI` about `n / √ε` ill-conditioned; here the solution is sought in `N⊥`
//! directly. With `T` the columns that keep all coefficients but the first of each term (a
//! complement of `N`) and `Π = I − N(NᵀN)⁻¹Nᵀ` the projection onto `N⊥`, `β = ΠTθ` runs over
//! `N⊥` exactly once, and since `XΠ = X`, `PΠ = P`, the objective
//! `‖√W(z − Xβ)‖² + βᵀPβ + √ε‖β‖²` becomes the well-posed
//! `‖√W(z − XTθ)‖² + θᵀTᵀPTθ + √ε·θᵀTᵀΠTθ` in `p = m − d` unknowns. The minimiser is pyGAM's
//! (`tests/golden/spline`: coefficients within 1e-8 relative).

use ndarray::{Array1, Array2};

/// The reduced parametrisation `β = ΠTθ` of `d` terms of `k` splines and an intercept.
#[derive(Debug, Clone)]
pub(crate) struct Reduction {
    d: usize,
    k: usize,
    /// The kept columns `T`: every column but each term's first.
    pub keep: Vec<usize>,
}

impl Reduction {
    /// The parametrisation of `d` terms of `k` splines each.
    pub fn new(d: usize, k: usize) -> Self {
        let keep = (0..d * k + 1).filter(|&c| c >= d * k || c % k != 0).collect();
        Self { d, k, keep }
    }

    /// Full coefficients, `m = d·k + 1`.
    pub fn m(&self) -> usize {
        self.d * self.k + 1
    }

    /// `v ← Πv`. With `NᵀN = kI + 11ᵀ`, `(NᵀN)⁻¹ = (I − 11ᵀ/(k + d)) / k`.
    pub fn project(&self, v: &mut [f64]) {
        let (d, k) = (self.d, self.k);
        let intercept = v[d * k];
        let nt_v: Vec<f64> = (0..d).map(|j| v[j * k..(j + 1) * k].iter().sum::<f64>() - intercept).collect();
        let total: f64 = nt_v.iter().sum();
        let c: Vec<f64> = nt_v.iter().map(|u| (u - total / (k + d) as f64) / k as f64).collect();
        for (j, cj) in c.iter().enumerate() {
            v[j * k..(j + 1) * k].iter_mut().for_each(|x| *x -= cj);
        }
        v[d * k] += c.iter().sum::<f64>();
    }

    /// `β = ΠTθ`.
    pub fn expand(&self, theta: &Array1<f64>) -> Array1<f64> {
        let mut beta = vec![0.0; self.m()];
        for (&c, &t) in self.keep.iter().zip(theta) {
            beta[c] = t;
        }
        self.project(&mut beta);
        Array1::from(beta)
    }

    /// `M = ΠT`, the `m × p` basis of `N⊥` that `θ` is coordinates in.
    pub fn basis(&self) -> Array2<f64> {
        let mut out = Array2::zeros((self.m(), self.keep.len()));
        for (l, &c) in self.keep.iter().enumerate() {
            let mut column = vec![0.0; self.m()];
            column[c] = 1.0;
            self.project(&mut column);
            out.column_mut(l).assign(&Array1::from(column));
        }
        out
    }

    /// `Tᵀ a T`: the kept rows and columns of an `m × m` matrix.
    pub fn select(&self, a: &Array2<f64>) -> Array2<f64> {
        let p = self.keep.len();
        Array2::from_shape_fn((p, p), |(r, c)| a[[self.keep[r], self.keep[c]]])
    }

    /// `Tᵀ v`.
    pub fn select_vector(&self, v: &Array1<f64>) -> Array1<f64> {
        self.keep.iter().map(|&c| v[c]).collect()
    }
}
