//! Fidelity of an extracted model to the teacher, measured on held-out real rows, with a
//! percentile bootstrap confidence interval (Efron & Tibshirani 1993, ch. 13).

use kd_core::quantile::{QuantileDef, quantile};
use ndarray::ArrayView1;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::error::{Result, invalid_parameter};

/// Resamples of the bootstrap.
pub const BOOTSTRAP_RESAMPLES: usize = 1000;

/// A fidelity figure with its 95% percentile bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Fidelity {
    /// Share of rows where the model's class equals the teacher's, or R² to the teacher's
    /// values.
    pub value: f64,
    /// 2.5% and 97.5% percentiles over bootstrap resamples of the rows.
    pub ci: (f64, f64),
    /// Rows measured.
    pub n: usize,
}

/// Agreement between the model's classes and the teacher's on the same rows.
pub fn class_fidelity(model: &[usize], teacher: &[usize], seed: u64) -> Result<Fidelity> {
    check(model.len(), teacher.len())?;
    let hits: Vec<f64> = model.iter().zip(teacher).map(|(a, b)| f64::from(u8::from(a == b))).collect();
    let statistic = |rows: &[usize]| rows.iter().map(|&r| hits[r]).sum::<f64>() / rows.len() as f64;
    Ok(bootstrap(hits.len(), seed, statistic))
}

/// `R² = 1 − Σ(t − m)² / Σ(t − t̄)²` of the model's values `model` to the teacher's `teacher`.
pub fn value_fidelity(
    model: ArrayView1<'_, f64>,
    teacher: ArrayView1<'_, f64>,
    seed: u64,
) -> Result<Fidelity> {
    check(model.len(), teacher.len())?;
    let statistic = |rows: &[usize]| {
        let mean = rows.iter().map(|&r| teacher[r]).sum::<f64>() / rows.len() as f64;
        let ss_res: f64 = rows.iter().map(|&r| (teacher[r] - model[r]).powi(2)).sum();
        let ss_tot: f64 = rows.iter().map(|&r| (teacher[r] - mean).powi(2)).sum();
        if ss_tot > 0.0 { 1.0 - ss_res / ss_tot } else { f64::NAN }
    };
    let f = bootstrap(model.len(), seed, statistic);
    if !f.value.is_finite() {
        return Err(invalid_parameter(
            "teacher",
            "its values are constant on the test rows, so R² is undefined",
        ));
    }
    Ok(f)
}

fn check(a: usize, b: usize) -> Result<()> {
    if a != b {
        return Err(invalid_parameter("predictions", format!("{a} model rows and {b} teacher rows")));
    }
    if a == 0 {
        return Err(invalid_parameter("test rows", "none to measure fidelity on"));
    }
    Ok(())
}

fn bootstrap(n: usize, seed: u64, statistic: impl Fn(&[usize]) -> f64) -> Fidelity {
    let all: Vec<usize> = (0..n).collect();
    let value = statistic(&all);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows = vec![0; n];
    let mut draws: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
        .map(|_| {
            for r in rows.iter_mut() {
                *r = rng.gen_range(0..n);
            }
            statistic(&rows)
        })
        .filter(|v| v.is_finite())
        .collect();
    draws.sort_by(f64::total_cmp);
    let at = |q: f64| quantile(&draws, q, QuantileDef::RoundedLinear).unwrap_or(value);
    Fidelity { value, ci: (at(0.025), at(0.975)), n }
}
