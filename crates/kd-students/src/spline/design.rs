//! The model matrix `X` of a spline GAM, kept sparse: per row and feature the `p + 1` non-zero
//! basis values, then the intercept. Columns are ordered as pyGAM orders its coefficients: the
//! `K` splines of feature 0, …, of feature `d − 1`, then the intercept (`m = d·K + 1` columns).
//!
//! The penalised IRLS needs `XᵀWX` and `XᵀWz` every iteration; each row touches at most
//! `d·(p + 1) + 1` columns, so both cost `O(n·(d·(p + 1))²)` rather than pyGAM's dense QR of
//! the `n × m` matrix, `O(n·m²)`. Rows are accumulated in parallel blocks whose partial sums
//! are added in a fixed order, so results do not depend on the number of threads.

use ndarray::{Array1, Array2, ArrayView2};
use rayon::prelude::*;

use super::basis::Basis;

/// Rows per parallel block of the cross products.
const BLOCK: usize = 4096;

/// Blocks computed at once.
const GROUP: usize = 8;

/// The sparse model matrix of `n` rows.
#[derive(Debug, Clone)]
pub(crate) struct Design {
    /// Rows.
    pub n: usize,
    /// Features.
    pub d: usize,
    /// Splines per feature.
    pub k: usize,
    /// Non-zeros per row and feature, `p + 1`.
    pub width: usize,
    /// First non-zero column of each row's block for each feature (row-major, `n × d`).
    first: Vec<usize>,
    /// The `width` values from there (row-major, `n × d × width`).
    values: Vec<f64>,
}

impl Design {
    /// The basis rows of `x` (shape `(n, d)`, finite) under one basis per feature.
    pub fn new(x: ArrayView2<'_, f64>, bases: &[Basis]) -> Self {
        let (n, d) = x.dim();
        let (k, width) = (bases[0].n_splines, bases[0].order + 1);
        let mut first = Vec::with_capacity(n * d);
        let mut values = Vec::with_capacity(n * d * width);
        for row in x.rows() {
            for (basis, &v) in bases.iter().zip(row) {
                let (f, vals) = basis.row(v);
                first.push(f);
                values.extend_from_slice(&vals[..width]);
            }
        }
        Self { n, d, k, width, first, values }
    }

    /// Columns, `d·K + 1`.
    pub fn m(&self) -> usize {
        self.d * self.k + 1
    }

    /// Row `i`'s non-zero columns and values (ascending columns, the intercept last).
    fn row(&self, i: usize, cols: &mut Vec<usize>, vals: &mut Vec<f64>) {
        cols.clear();
        vals.clear();
        for j in 0..self.d {
            let f = self.first[i * self.d + j];
            let v = &self.values[(i * self.d + j) * self.width..][..self.width];
            cols.extend((0..self.width).map(|a| j * self.k + f + a));
            vals.extend_from_slice(v);
        }
        cols.push(self.m() - 1);
        vals.push(1.0);
    }

    /// `Xβ`, the linear predictor of every row.
    pub fn eta(&self, beta: &Array1<f64>) -> Vec<f64> {
        (0..self.n)
            .into_par_iter()
            .map_init(
                || (Vec::new(), Vec::new()),
                |(cols, vals), i| {
                    self.row(i, cols, vals);
                    cols.iter().zip(vals.iter()).map(|(&c, &v)| beta[c] * v).sum()
                },
            )
            .collect()
    }

    /// The mean of every column over the rows.
    pub fn column_means(&self) -> Vec<f64> {
        let mut sums = vec![0.0; self.m()];
        let (mut cols, mut vals) = (Vec::new(), Vec::new());
        for i in 0..self.n {
            self.row(i, &mut cols, &mut vals);
            cols.iter().zip(&vals).for_each(|(&c, &v)| sums[c] += v);
        }
        sums.iter().map(|s| s / self.n as f64).collect()
    }

    /// One term's contribution `B_j(x_i)·β_j` for every row, `beta_j` its `K` coefficients.
    pub fn term(&self, j: usize, beta_j: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|i| {
                let f = self.first[i * self.d + j];
                let v = &self.values[(i * self.d + j) * self.width..][..self.width];
                v.iter().enumerate().map(|(a, &b)| b * beta_j[f + a]).sum()
            })
            .collect()
    }

    /// `x_iᵀ V x_i` for every row, `V` an `m × m` covariance.
    pub fn quadratic_form(&self, v: &Array2<f64>) -> Vec<f64> {
        let (mut cols, mut vals) = (Vec::new(), Vec::new());
        (0..self.n)
            .map(|i| {
                self.row(i, &mut cols, &mut vals);
                let mut sum = 0.0;
                for (&a, &va) in cols.iter().zip(&vals) {
                    for (&b, &vb) in cols.iter().zip(&vals) {
                        sum += va * v[[a, b]] * vb;
                    }
                }
                sum
            })
            .collect()
    }

    /// `XᵀWX` (`m × m`, symmetric) and `XᵀWz` for row weights `w` and working responses `z`
    /// (rows with weight 0 drop out).
    pub fn cross_products(&self, w: &[f64], z: &[f64]) -> (Array2<f64>, Array1<f64>) {
        let m = self.m();
        let mut gram = Array2::zeros((m, m));
        let mut rhs = Array1::zeros(m);
        let blocks = self.n.div_ceil(BLOCK);
        // Groups of blocks in parallel, their sums added in block order: deterministic, and at
        // most GROUP partial matrices alive at once.
        for group in (0..blocks).step_by(GROUP) {
            let partial: Vec<(Vec<f64>, Vec<f64>)> =
                (group..(group + GROUP).min(blocks)).into_par_iter().map(|b| self.block(b, w, z)).collect();
            for (g, r) in partial {
                gram.iter_mut().zip(&g).for_each(|(a, b)| *a += b);
                rhs.iter_mut().zip(&r).for_each(|(a, b)| *a += b);
            }
        }
        for a in 0..m {
            for b in 0..a {
                gram[[a, b]] = gram[[b, a]];
            }
        }
        (gram, rhs)
    }

    /// The upper triangle of block `b`'s share of `XᵀWX` (row-major) and its share of `XᵀWz`.
    fn block(&self, b: usize, w: &[f64], z: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let m = self.m();
        let mut gram = vec![0.0; m * m];
        let mut rhs = vec![0.0; m];
        let (mut cols, mut vals) = (Vec::new(), Vec::new());
        for i in b * BLOCK..((b + 1) * BLOCK).min(self.n) {
            if w[i] == 0.0 {
                continue;
            }
            self.row(i, &mut cols, &mut vals);
            for (a, (&ca, &va)) in cols.iter().zip(&vals).enumerate() {
                let wa = w[i] * va;
                rhs[ca] += wa * z[i];
                let line = &mut gram[ca * m..(ca + 1) * m];
                for (&cb, &vb) in cols[a..].iter().zip(&vals[a..]) {
                    line[cb] += wa * vb;
                }
            }
        }
        (gram, rhs)
    }
}
