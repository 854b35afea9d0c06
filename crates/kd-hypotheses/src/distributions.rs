//! Tail probabilities of the reference distributions, in one place.
//!
//! statrs supplies the distributions; the Kolmogorov limiting distribution, which statrs
//! lacks, is written here (needed by the KS and CUSUM tests).

use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal, StudentsT};

use crate::error::{Result, invalid_parameter};

/// `P(χ²_df > x)`.
pub fn chi2_sf(x: f64, df: f64) -> Result<f64> {
    let d = ChiSquared::new(df).map_err(|e| invalid_parameter("degrees of freedom", format!("{df}: {e}")))?;
    Ok(d.sf(x))
}

/// `P(F_{d1, d2} > x)`.
pub fn f_sf(x: f64, d1: f64, d2: f64) -> Result<f64> {
    let d = FisherSnedecor::new(d1, d2)
        .map_err(|e| invalid_parameter("degrees of freedom", format!("({d1}, {d2}): {e}")))?;
    Ok(d.sf(x))
}

/// Two-sided `2 P(T_df > |x|)` for Student's t.
pub fn t_two_sided(x: f64, df: f64) -> Result<f64> {
    let d = StudentsT::new(0.0, 1.0, df)
        .map_err(|e| invalid_parameter("degrees of freedom", format!("{df}: {e}")))?;
    Ok(2.0 * d.sf(x.abs()))
}

/// The standard normal distribution.
pub fn normal() -> Normal {
    Normal::standard()
}

/// `P(Z > z)` for a standard normal `Z`, as `erfc(z/√2)/2` with libm's `erfc` (FreeBSD's, within
/// an ulp). statrs' `Normal::sf` is off by up to about 1e-10 relative in the body of the
/// distribution (2.3e-11 at z = 0.74 against scipy's `norm.sf`), too coarse for goldens at 1e-10.
pub fn normal_sf(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

/// Survival function of Kolmogorov's limiting distribution,
/// `P(K > x) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²}` (scipy's `kstwobign.sf`); for `x < 1` the dual
/// series `1 − (√(2π)/x) Σ_{k≥1} e^{−(2k−1)²π²/(8x²)}` converges faster.
pub fn kolmogorov_sf(x: f64) -> f64 {
    use std::f64::consts::PI;
    if x <= 0.0 {
        return 1.0;
    }
    if x < 1.0 {
        let s: f64 = (1..=20)
            .map(|k| {
                let odd = f64::from(2 * k - 1);
                (-odd * odd * PI * PI / (8.0 * x * x)).exp()
            })
            .sum();
        return (1.0 - (2.0 * PI).sqrt() / x * s).clamp(0.0, 1.0);
    }
    let s: f64 = (1..=100)
        .map(|k: i32| {
            let sign = if k % 2 == 1 { 1.0 } else { -1.0 };
            let k = f64::from(k);
            sign * (-2.0 * k * k * x * x).exp()
        })
        .sum();
    (2.0 * s).clamp(0.0, 1.0)
}
