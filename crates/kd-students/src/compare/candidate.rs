//! The missing-feature test: did the teacher use a column that is not among the audit features?

use ndarray::{ArrayView1, ArrayView2, Axis, concatenate};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use super::{CompareParams, percentile_band, resample};
use crate::error::{Error, Result};
use crate::gam::BoostedGam;
use crate::link::Link;

/// The result of [`candidate_test`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CandidateTest {
    /// Mean out-of-bag fidelity (R² to the teacher's outputs) of the mimic without the candidate.
    pub fidelity_without: f64,
    /// The same with the candidate added.
    pub fidelity_with: f64,
    /// Mean paired improvement `with − without`.
    pub improvement: f64,
    /// 95% percentile band of the improvement.
    pub improvement_ci: (f64, f64),
    /// One-sided bootstrap p-value of "no improvement": `(1 + #{Δ ≤ 0}) / (B + 1)`.
    pub p_value: f64,
    /// Whether `p_value < alpha`: the teacher probably used the candidate.
    pub detected: bool,
}

/// Fits the mimic with and without `candidate` on each bootstrap resample of the rows and
/// compares their R² to `teacher` (the teacher's probability of the audited class, or values) on the rows
/// the resample left out.
pub fn candidate_test<'a>(
    params: &CompareParams,
    x: ArrayView2<'a, f64>,
    candidate: ArrayView1<'a, f64>,
    teacher: ArrayView1<'_, f64>,
    link: Link,
) -> Result<CandidateTest> {
    params.check()?;
    let n = x.nrows();
    if candidate.len() != n || teacher.len() != n {
        let got = if candidate.len() != n { candidate.len() } else { teacher.len() };
        return Err(Error::ShapeMismatch {
            context: "rows of features, candidate and teacher".into(),
            expected: n,
            got,
        });
    }
    let with = concatenate(Axis(1), &[x.view(), candidate.view().insert_axis(Axis(1))])
        .map_err(|e| Error::Load(e.to_string()))?;
    let pairs: Vec<(f64, f64)> = (0..params.bootstrap)
        .into_par_iter()
        .map(|r| {
            let mut rng = ChaCha8Rng::seed_from_u64(params.seed.wrapping_add(r as u64));
            let (rows, left_out) = resample(n, &mut rng);
            let gam =
                crate::gam::GamParams { seed: params.seed.wrapping_add(r as u64), ..params.gam.clone() };
            let target = teacher.select(Axis(0), &rows);
            let truth = teacher.select(Axis(0), &left_out);
            let fidelity = |features: ArrayView2<'_, f64>| -> Result<f64> {
                let model =
                    BoostedGam::fit(&gam, features.select(Axis(0), &rows).view(), target.view(), link)?;
                let predicted = model.predict(features.select(Axis(0), &left_out).view())?;
                let predicted = predicted.column(predicted.ncols() - 1);
                let mean = truth.mean().unwrap_or(0.0);
                let ss_res: f64 = truth.iter().zip(predicted).map(|(t, p)| (t - p).powi(2)).sum();
                let ss_tot: f64 = truth.iter().map(|t| (t - mean).powi(2)).sum();
                Ok(1.0 - ss_res / ss_tot.max(f64::MIN_POSITIVE))
            };
            Ok((fidelity(x)?, fidelity(with.view())?))
        })
        .collect::<Result<_>>()?;
    let b = pairs.len() as f64;
    let mut deltas: Vec<f64> = pairs.iter().map(|(without, with)| with - without).collect();
    let not_better = deltas.iter().filter(|&&d| d <= 0.0).count();
    let p_value = (1.0 + not_better as f64) / (b + 1.0);
    let improvement = deltas.iter().sum::<f64>() / b;
    Ok(CandidateTest {
        fidelity_without: pairs.iter().map(|p| p.0).sum::<f64>() / b,
        fidelity_with: pairs.iter().map(|p| p.1).sum::<f64>() / b,
        improvement,
        improvement_ci: percentile_band(&mut deltas),
        p_value,
        detected: p_value < params.alpha,
    })
}
