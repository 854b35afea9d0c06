//! Sufficient statistics of a node and the impurity criteria computed from them.
//!
//! Every target is a matrix of `m` outputs per row: one-hot class indicators for
//! classification (so the sums are class counts), values or soft targets for regression.

use ndarray::ArrayView1;

use super::params::Criterion;

/// Row count, per-output sums and sums of squares of a set of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub n: f64,
    pub sum: Vec<f64>,
    pub sum_sq: Vec<f64>,
}

impl Stats {
    pub fn empty(outputs: usize) -> Self {
        Self { n: 0.0, sum: vec![0.0; outputs], sum_sq: vec![0.0; outputs] }
    }

    pub fn add(&mut self, row: ArrayView1<'_, f64>) {
        self.n += 1.0;
        for ((s, q), &v) in self.sum.iter_mut().zip(&mut self.sum_sq).zip(row.iter()) {
            *s += v;
            *q += v * v;
        }
    }

    pub fn merge(&mut self, other: &Stats) {
        self.n += other.n;
        for (a, b) in self.sum.iter_mut().zip(&other.sum) {
            *a += b;
        }
        for (a, b) in self.sum_sq.iter_mut().zip(&other.sum_sq) {
            *a += b;
        }
    }

    pub fn minus(&self, other: &Stats) -> Stats {
        Stats {
            n: self.n - other.n,
            sum: self.sum.iter().zip(&other.sum).map(|(a, b)| a - b).collect(),
            sum_sq: self.sum_sq.iter().zip(&other.sum_sq).map(|(a, b)| a - b).collect(),
        }
    }

    /// The node's prediction: class proportions, or the mean of each output.
    pub fn value(&self) -> Vec<f64> {
        self.sum.iter().map(|s| s / self.n).collect()
    }

    /// Impurity: Gini `1 − Σ p_k²`, entropy `−Σ p_k log₂ p_k`, or the variance averaged over
    /// outputs.
    pub fn impurity(&self, criterion: Criterion) -> f64 {
        let n = self.n;
        match criterion {
            Criterion::Gini => 1.0 - self.sum.iter().map(|c| (c / n).powi(2)).sum::<f64>(),
            Criterion::Entropy => {
                -self.sum.iter().filter(|&&c| c > 0.0).map(|c| (c / n) * (c / n).log2()).sum::<f64>()
            }
            Criterion::SquaredError => {
                let m = self.sum.len() as f64;
                self.sum.iter().zip(&self.sum_sq).map(|(s, q)| q / n - (s / n).powi(2)).sum::<f64>() / m
            }
        }
    }

    /// scikit-learn's proxy of the impurity decrease, which ranks splits of one node as the
    /// decrease does: `−n_l·imp_l − n_r·imp_r`, or for squared error `Σ s_l²/n_l + Σ s_r²/n_r`.
    pub fn proxy(left: &Stats, right: &Stats, criterion: Criterion) -> f64 {
        match criterion {
            Criterion::SquaredError => {
                let part = |s: &Stats| s.sum.iter().map(|v| v * v).sum::<f64>() / s.n;
                part(left) + part(right)
            }
            _ => -left.n * left.impurity(criterion) - right.n * right.impurity(criterion),
        }
    }
}
