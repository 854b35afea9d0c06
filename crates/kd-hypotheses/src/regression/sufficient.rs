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
//! residuals). Cross products are raw sums `Σz`, `Σzzᵀ` kept in double-double
//! (about 106 bits) and merged by adding them, so one partition and sixteen give the same
//! centred sums `Σzzᵀ − ΣzΣzᵀ/n` to the last bit nearly always (the test asks 1e-12 of White's
//! `n R²`, whose auxiliary design is ill-conditioned; Chan, Golub & LeVeque's f64 pairwise
//! update missed that by 2e-12); the regressions are solved from them by Goodnight's (1979) sweep operator, as SAS PROC REG
//! does from its SSCP matrix, with a column swept only while its pivot keeps more than 1e-9 of
//! its centred sum of squares (collinear columns are left out, so White's rank is counted).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Cross products of `p` variables over rows, mergeable (see the module): `n`, `Σz` and the
/// upper triangle of `Σzzᵀ`, each a double-double (`Dd`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossProducts {
    n: u64,
    /// `Σ zᵢ`.
    sum: Vec<Dd>,
    /// `Σ zᵢ zⱼ`, row-major `p × p`, filled for `i ≤ j`.
    products: Vec<Dd>,
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
    /// Explained sum of squares `Σⱼ bⱼ cⱼᵧ` (slopes times the regressors' centred cross
    /// products with the target), summed directly rather than as `TSS − SSR`: for the small
    /// R² of Breusch–Pagan and White that subtraction cancels (R² = 0.004 loses 250× in
    /// relative accuracy), this sum does not.
    pub ess: f64,
    /// Independent columns, the intercept included.
    pub rank: usize,
    /// Rows.
    pub n: u64,
}

impl SweptFit {
    /// `ESS/TSS` (equal to `1 − SSR/TSS`, without its cancellation when R² is small).
    pub fn r_squared(&self) -> f64 {
        self.ess / self.tss
    }
}

impl CrossProducts {
    /// An empty summary of `p` variables.
    pub fn new(p: usize) -> Self {
        Self { n: 0, sum: vec![Dd::default(); p], products: vec![Dd::default(); p * p] }
    }

    /// Adds one row (`row.len()` must be the summary's `p`; extra values are ignored).
    pub fn push(&mut self, row: &[f64]) {
        let p = self.sum.len();
        self.n += 1;
        for (i, &zi) in row.iter().enumerate().take(p) {
            self.sum[i] = self.sum[i].add_f64(zi);
            for (j, &zj) in row.iter().enumerate().take(p).skip(i) {
                self.products[i * p + j] = self.products[i * p + j].add_product(zi, zj);
            }
        }
    }

    /// Adds `other`'s rows (summaries of the same `p`).
    pub fn merge(&mut self, other: &CrossProducts) {
        self.n += other.n;
        for (a, b) in self.sum.iter_mut().zip(&other.sum) {
            *a = a.add(*b);
        }
        for (a, b) in self.products.iter_mut().zip(&other.products) {
            *a = a.add(*b);
        }
    }

    /// The mean of variable `i`.
    fn mean(&self, i: usize) -> f64 {
        self.sum[i].div_f64(self.n as f64).value()
    }

    /// The centred cross product `Σ (zᵢ − z̄ᵢ)(zⱼ − z̄ⱼ) = Σzᵢzⱼ − (Σzᵢ)(Σzⱼ)/n`, formed in
    /// double-double and rounded once.
    fn comoment(&self, i: usize, j: usize) -> f64 {
        let p = self.sum.len();
        let (i, j) = (i.min(j), i.max(j));
        let correction = self.sum[i].div_f64(self.n as f64).mul(self.sum[j]);
        self.products[i * p + j].add(correction.neg()).value()
    }

    /// Rows summarised.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Bytes the summary holds.
    pub fn bytes(&self) -> usize {
        8 + 16 * (self.sum.len() + self.products.len())
    }

    /// Regresses variable `target` on an intercept and the variables `regressors`.
    pub fn regress(&self, target: usize, regressors: &[usize]) -> Result<SweptFit> {
        let p = self.sum.len();
        if target >= p || regressors.iter().any(|&r| r >= p) {
            return Err(Error::InvalidInput {
                column: "variable".into(),
                row: 0,
                reason: format!("index beyond {p}"),
            });
        }
        if self.n == 0 {
            return Err(Error::InvalidInput {
                column: "cross products".into(),
                row: 0,
                reason: "no rows summarised".into(),
            });
        }
        let vars: Vec<usize> = regressors.iter().copied().chain(std::iter::once(target)).collect();
        let k = regressors.len();
        let m = k + 1;
        let mut a: Vec<f64> = vars
            .iter()
            .flat_map(|&i| vars.iter().map(move |&j| (i, j)))
            .map(|(i, j)| self.comoment(i, j))
            .collect();
        let tss = a[k * m + k];
        let mut swept = vec![false; k];
        for c in 0..k {
            let original = self.comoment(vars[c], vars[c]);
            if original <= 0.0 || a[c * m + c] <= 1e-9 * original {
                continue;
            }
            sweep(&mut a, m, c);
            swept[c] = true;
        }
        let slopes: Vec<f64> = (0..k).map(|c| if swept[c] { a[c * m + k] } else { 0.0 }).collect();
        let ess =
            slopes.iter().zip(regressors).map(|(b, &r)| b * self.comoment(r, target)).sum::<f64>().max(0.0);
        let intercept =
            self.mean(target) - slopes.iter().zip(regressors).map(|(b, &r)| b * self.mean(r)).sum::<f64>();
        Ok(SweptFit {
            params: std::iter::once(intercept).chain(slopes).collect(),
            ssr: a[k * m + k].max(0.0),
            tss,
            ess,
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

/// A double-double number `hi + lo` (Dekker 1971; Knuth's TwoSum, products split exactly by
/// a fused multiply-add): about 106 bits, so sums of products come out the same to the last
/// f64 bit (nearly always) whatever the order of the rows and the grouping of partitions.
/// Hand-written: a few lines of well-known error-free transformations need no dependency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Dd(f64, f64);

/// `a + b = s + e` exactly (Knuth).
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

impl Dd {
    fn normalise(hi: f64, lo: f64) -> Dd {
        let (s, e) = two_sum(hi, lo);
        Dd(s, e)
    }

    fn value(self) -> f64 {
        self.0 + self.1
    }

    fn neg(self) -> Dd {
        Dd(-self.0, -self.1)
    }

    fn add(self, other: Dd) -> Dd {
        let (s, e) = two_sum(self.0, other.0);
        Dd::normalise(s, e + self.1 + other.1)
    }

    fn add_f64(self, b: f64) -> Dd {
        let (s, e) = two_sum(self.0, b);
        Dd::normalise(s, e + self.1)
    }

    /// `self + a·b`, the product split exactly by a fused multiply-add.
    fn add_product(self, a: f64, b: f64) -> Dd {
        let p = a * b;
        let pe = a.mul_add(b, -p);
        let (s, e) = two_sum(self.0, p);
        Dd::normalise(s, e + self.1 + pe)
    }

    fn mul(self, other: Dd) -> Dd {
        let p = self.0 * other.0;
        let pe = self.0.mul_add(other.0, -p);
        Dd::normalise(p, pe + self.0 * other.1 + self.1 * other.0)
    }

    fn div_f64(self, d: f64) -> Dd {
        let q1 = self.0 / d;
        let p = q1 * d;
        let pe = q1.mul_add(d, -p);
        let r = (self.0 - p) - pe + self.1;
        Dd::normalise(q1, r / d)
    }
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
