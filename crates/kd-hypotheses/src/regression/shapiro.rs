//! The Shapiro–Wilk W test by Royston's algorithm AS R94 (Royston 1995, "Remark AS R94: A
//! remark on algorithm AS 181", Applied Statistics 44(4)), the algorithm of R's
//! `shapiro.test` and `scipy.stats.shapiro`; matches scipy 1.17 (tests/golden/hypotheses).
//!
//! The polynomial coefficients below are Royston's published approximations.

use statrs::distribution::ContinuousCDF;

use super::results::Statistic;
use crate::distributions::normal;
use crate::error::{Error, Result};

/// `c[0] + c[1] x + c[2] x² + …`.
fn poly(c: &[f64], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &ci| acc * x + ci)
}

const C1: [f64; 6] = [0.0, 0.221157, -0.147981, -2.071190, 4.434685, -2.706056];
const C2: [f64; 6] = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3: [f64; 4] = [0.544, -0.39978, 0.025054, -6.714e-4];
const C4: [f64; 4] = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5: [f64; 4] = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6: [f64; 3] = [-0.4803, -0.082676, 0.0030302];
const G: [f64; 2] = [-2.273, 0.459];

/// Royston's coefficients `a_1 … a_{n/2}` (positive; the lower half of the sorted sample gets
/// `−a_i`, the upper half `+a_i`).
fn coefficients(n: usize) -> Vec<f64> {
    let half = n / 2;
    if n == 3 {
        return vec![std::f64::consts::FRAC_1_SQRT_2];
    }
    let an = n as f64;
    let m: Vec<f64> = (1..=half).map(|i| normal().inverse_cdf((i as f64 - 0.375) / (an + 0.25))).collect();
    let summ2 = 2.0 * m.iter().map(|v| v * v).sum::<f64>();
    let ssumm2 = summ2.sqrt();
    let rsn = 1.0 / an.sqrt();
    let a1 = poly(&C1, rsn) - m[0] / ssumm2;
    let mut a = vec![0.0; half];
    a[0] = a1;
    let (first, fac) = if n > 5 {
        let a2 = -m[1] / ssumm2 + poly(&C2, rsn);
        a[1] = a2;
        (2, ((summ2 - 2.0 * m[0] * m[0] - 2.0 * m[1] * m[1]) / (1.0 - 2.0 * a1 * a1 - 2.0 * a2 * a2)).sqrt())
    } else {
        (1, ((summ2 - 2.0 * m[0] * m[0]) / (1.0 - 2.0 * a1 * a1)).sqrt())
    };
    for i in first..half {
        a[i] = -m[i] / fac;
    }
    a
}

/// Shapiro & Wilk (1965) W with Royston's p-value, for 3 ≤ n ≤ 5000 (the range of the
/// approximation; beyond it, use another normality test).
pub fn shapiro_wilk(x: &[f64]) -> Result<Statistic> {
    let n = x.len();
    if !(3..=5000).contains(&n) {
        return Err(Error::Undefined {
            test: "the Shapiro-Wilk test".into(),
            reason: format!("Royston's approximation holds for 3 to 5000 rows, not {n}"),
        });
    }
    let mut sorted = x.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let range = sorted[n - 1] - sorted[0];
    if range <= 0.0 {
        return Err(Error::Undefined {
            test: "the Shapiro-Wilk test".into(),
            reason: "the values are all equal".into(),
        });
    }
    let a = coefficients(n);
    // W is the squared correlation of the sorted sample with the (unit-norm, zero-sum)
    // coefficient vector; computing 1 − W directly keeps precision near W = 1.
    let mean = sorted.iter().sum::<f64>() / n as f64;
    let coef = |i: usize| -> f64 {
        if i < n / 2 {
            -a[i]
        } else if n % 2 == 1 && i == n / 2 {
            0.0
        } else {
            a[n - 1 - i]
        }
    };
    let (mut ssa, mut ssx, mut sax) = (0.0, 0.0, 0.0);
    for (i, &v) in sorted.iter().enumerate() {
        let (c, d) = (coef(i), (v - mean) / range);
        ssa += c * c;
        ssx += d * d;
        sax += c * d;
    }
    let root = (ssa * ssx).sqrt();
    let w1 = (root - sax) * (root + sax) / (ssa * ssx);
    let w = 1.0 - w1;
    Ok(Statistic { statistic: w, p_value: p_value(n, w, w1) })
}

fn p_value(n: usize, w: f64, w1: f64) -> f64 {
    let an = n as f64;
    if n == 3 {
        let p = 6.0 / std::f64::consts::PI * (w.sqrt().asin() - std::f64::consts::PI / 3.0);
        return p.max(0.0);
    }
    let mut y = w1.ln();
    let (m, s) = if n <= 11 {
        let gamma = poly(&G, an);
        if y >= gamma {
            return 1e-99;
        }
        y = -(gamma - y).ln();
        (poly(&C3, an), poly(&C4, an).exp())
    } else {
        let ln_n = an.ln();
        (poly(&C5, ln_n), poly(&C6, ln_n).exp())
    };
    normal().sf((y - m) / s)
}
