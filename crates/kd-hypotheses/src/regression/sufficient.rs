//! The regression battery's sufficient statistics as mergeable summaries, so that a
//! regression on a portfolio too large for one machine (or one pass) is fitted and tested from
//! per-partition summaries merged on one node:
//!
//! | summary | holds | gives |
//! |---|---|---|
//! | [`CrossProducts`] of `[x, y]` | `n`, means, centred cross products | OLS coefficients, SSR, R² |
//! | [`CrossProducts`] of `[x, e²]` | the same | Breusch–Pagan (Koenker) `n R²` |
//! | [`CrossProducts`] of `[white_design(x), e²]` | the same | White's `n R²` |
//! | [`ResidualSums`] | `n`, `Σe^k` (k ≤ 4), first/last residual and `Σ(Δe)²` | Jarque–Bera, Durbin–Watson |
//!
//! Residual summaries need the coefficients, so a distributed fit takes two passes (fit, then
//! residuals). Cross products merge by Chan, Golub & LeVeque's (1979) pairwise update
//! `C = C₁ + C₂ + n₁n₂/n · δδᵀ`, `δ = x̄₂ − x̄₁`, which keeps the centred sums accurate; the
//! regressions are solved from them by Goodnight's (1979) sweep operator, as SAS PROC REG
//! does from its SSCP matrix, with a column swept only while its pivot keeps more than 1e-9 of
//! its centred sum of squares (collinear columns are left out, so White's rank is counted).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Centred cross products of `p` variables over rows, mergeable (see the module).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossProducts {
    n: u64,
    mean: Vec<f64>,
    /// `Σ (zᵢ − z̄)(zⱼ − z̄)ᵀ`, row-major `p × p`.
    comoment: Vec<f64>,
}

/// A regression from [`CrossProducts`]: an intercept and the regressors kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SweptFit {
    /// Intercept first, then one coefficient per regressor (0 for a column left out).
    pub params: Vec<f64>,
    /// Residual sum of squares.
    pub ssr: f64,
    /// Centred total sum of squares of the target.
    pub tss: f64,
    /// Independent columns, the intercept included.
    pub rank: usize,
    /// Rows.
    pub n: u64,
}

impl SweptFit {
    /// `1 − SSR/TSS`.
    pub fn r_squared(&self) -> f64 {
        1.0 - self.ssr / self.tss
    }
}

impl CrossProducts {
    /// An empty summary of `p` variables.
    pub fn new(p: usize) -> Self {
        Self { n: 0, mean: vec![0.0; p], comoment: vec![0.0; p * p] }
    }

    /// Adds one row (Welford's update).
    pub fn push(&mut self, row: &[f64]) {
        let p = self.mean.len();
        self.n += 1;
        let n = self.n as f64;
        let delta: Vec<f64> = row.iter().zip(&self.mean).map(|(x, m)| x - m).collect();
        for (m, d) in self.mean.iter_mut().zip(&delta) {
            *m += d / n;
        }
        // C += (n−1)/n · δδᵀ, with δ taken before the mean moved.
        let scale = (n - 1.0) / n;
        for i in 0..p {
            for j in 0..p {
                self.comoment[i * p + j] += scale * delta[i] * delta[j];
            }
        }
    }

    /// Adds `other`'s rows.
    pub fn merge(&mut self, other: &CrossProducts) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = other.clone();
            return;
        }
        let p = self.mean.len();
        let (n1, n2) = (self.n as f64, other.n as f64);
        let n = n1 + n2;
        let delta: Vec<f64> = other.mean.iter().zip(&self.mean).map(|(b, a)| b - a).collect();
        for i in 0..p {
            for j in 0..p {
                self.comoment[i * p + j] += other.comoment[i * p + j] + n1 * n2 / n * delta[i] * delta[j];
            }
        }
        for (m, d) in self.mean.iter_mut().zip(&delta) {
            *m += d * n2 / n;
        }
        self.n += other.n;
    }

    /// Rows summarised.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Bytes the summary holds.
    pub fn bytes(&self) -> usize {
        8 * (1 + self.mean.len() + self.comoment.len())
    }

    /// Regresses variable `target` on an intercept and the variables `regressors`.
    pub fn regress(&self, target: usize, regressors: &[usize]) -> Result<SweptFit> {
        let p = self.mean.len();
        if target >= p || regressors.iter().any(|&r| r >= p) {
            return Err(Error::InvalidInput {
                column: "variable".into(),
                row: 0,
                reason: format!("index beyond {p}"),
            });
        }
        let vars: Vec<usize> = regressors.iter().copied().chain(std::iter::once(target)).collect();
        let k = regressors.len();
        let m = k + 1;
        let mut a: Vec<f64> = vars
            .iter()
            .flat_map(|&i| vars.iter().map(move |&j| (i, j)))
            .map(|(i, j)| self.comoment[i * p + j])
            .collect();
        let tss = a[k * m + k];
        let mut swept = vec![false; k];
        for c in 0..k {
            let original = self.comoment[vars[c] * p + vars[c]];
            if original <= 0.0 || a[c * m + c] <= 1e-9 * original {
                continue;
            }
            sweep(&mut a, m, c);
            swept[c] = true;
        }
        let slopes: Vec<f64> = (0..k).map(|c| if swept[c] { a[c * m + k] } else { 0.0 }).collect();
        let intercept =
            self.mean[target] - slopes.iter().zip(regressors).map(|(b, &r)| b * self.mean[r]).sum::<f64>();
        Ok(SweptFit {
            params: std::iter::once(intercept).chain(slopes).collect(),
            ssr: a[k * m + k].max(0.0),
            tss,
            rank: 1 + swept.iter().filter(|s| **s).count(),
            n: self.n,
        })
    }
}

/// Goodnight's sweep of the symmetric `m × m` matrix `a` on pivot `k`.
fn sweep(a: &mut [f64], m: usize, k: usize) {
    let d = a[k * m + k];
    for j in 0..m {
        a[k * m + j] /= d;
    }
    for i in (0..m).filter(|&i| i != k) {
        let b = a[i * m + k];
        for j in 0..m {
            a[i * m + j] -= b * a[k * m + j];
        }
        a[i * m + k] = -b / d;
    }
    a[k * m + k] = 1.0 / d;
}

/// Residual sums for the normality and independence tests, mergeable in row order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResidualSums {
    /// Rows.
    pub n: u64,
    /// `Σe`, `Σe²`, `Σe³`, `Σe⁴`.
    pub power: [f64; 4],
    /// First and last residual of the partition (Durbin–Watson's joins).
    pub ends: Option<(f64, f64)>,
    /// `Σ (e_t − e_{t−1})²` within the partition.
    pub squared_steps: f64,
}

impl ResidualSums {
    /// The sums of consecutive residuals `e`.
    pub fn from_residuals(e: &[f64]) -> Self {
        let mut power = [0.0; 4];
        for &x in e {
            let x2 = x * x;
            power[0] += x;
            power[1] += x2;
            power[2] += x2 * x;
            power[3] += x2 * x2;
        }
        let squared_steps = e.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum();
        let ends = e.first().zip(e.last()).map(|(a, b)| (*a, *b));
        Self { n: e.len() as u64, power, ends, squared_steps }
    }

    /// Appends the residuals that follow these in row order.
    pub fn merge(&mut self, next: &ResidualSums) {
        let join = match (self.ends, next.ends) {
            (Some((_, last)), Some((first, _))) => (first - last).powi(2),
            _ => 0.0,
        };
        self.squared_steps += next.squared_steps + join;
        self.ends = match (self.ends, next.ends) {
            (Some((a, _)), Some((_, b))) => Some((a, b)),
            (a, b) => a.or(b),
        };
        for (p, q) in self.power.iter_mut().zip(next.power) {
            *p += q;
        }
        self.n += next.n;
    }

    /// Skewness and kurtosis of the residuals (biased moments, as
    /// [`moments`](super::moments)).
    pub fn skew_kurtosis(&self) -> (f64, f64) {
        let n = self.n as f64;
        let [s1, s2, s3, s4] = self.power.map(|s| s / n);
        let mean = s1;
        let m2 = s2 - mean * mean;
        let m3 = s3 - 3.0 * mean * s2 + 2.0 * mean.powi(3);
        let m4 = s4 - 4.0 * mean * s3 + 6.0 * mean * mean * s2 - 3.0 * mean.powi(4);
        (m3 / m2.powf(1.5), m4 / (m2 * m2))
    }

    /// Jarque–Bera's `n/6 (S² + (K − 3)²/4)`.
    pub fn jarque_bera(&self) -> f64 {
        let (s, k) = self.skew_kurtosis();
        self.n as f64 / 6.0 * (s * s + (k - 3.0).powi(2) / 4.0)
    }

    /// Durbin–Watson's `Σ(Δe)² / Σe²`.
    pub fn durbin_watson(&self) -> f64 {
        self.squared_steps / self.power[1]
    }
}
