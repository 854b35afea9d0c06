//! The novelty stage (kd built with libtorch): how many current rows look unlike the
//! development rows, by random network distillation (Burda et al. 2018; kd-core's `Rnd`). The
//! predictor is trained on most development rows; the 99th percentile of the scores of the
//! development rows it did not see is the bar, so about 1% of current rows pass it by chance.

use serde::Serialize;

/// The stage's result.
#[derive(Debug, Clone, Serialize)]
pub struct NoveltyReport {
    /// Development rows the predictor was trained on.
    pub n_trained: usize,
    /// Development rows held out to set the bar.
    pub n_held_out: usize,
    /// The 99th percentile of the held-out development rows' scores.
    pub bar: f64,
    /// Current rows scored.
    pub n_current: usize,
    /// Share of current rows above the bar (0.01 expected).
    pub share_above: f64,
    /// Median score of the held-out development rows and of the current rows.
    pub median_development: f64,
    /// See `median_development`.
    pub median_current: f64,
}

#[cfg(feature = "torch")]
mod run {
    use kd_core::data::train_test_split;
    use kd_core::novelty::{Rnd, RndConfig};
    use ndarray::Axis;

    use super::NoveltyReport;
    use crate::error::{Result, at};
    use crate::samples::{Later, Sample};
    use crate::spec::Spec;

    /// The type-7 quantile (R's and numpy's default) of `values`, sorted in place.
    fn quantile(values: &mut [f64], q: f64) -> f64 {
        values.sort_by(f64::total_cmp);
        let h = (values.len().max(1) - 1) as f64 * q;
        let (lo, hi) = (h.floor() as usize, (h.ceil() as usize).min(values.len().saturating_sub(1)));
        match (values.get(lo), values.get(hi)) {
            (Some(a), Some(b)) => a + (h - lo as f64) * (b - a),
            _ => f64::NAN,
        }
    }

    /// Runs the stage.
    pub fn run(spec: &Spec, dev: &Sample, current: &Later) -> Result<NoveltyReport> {
        let stage = "novelty";
        let n = dev.data.n_rows();
        let split = train_test_split(n, spec.novelty.holdout_fraction, spec.seed, None).map_err(at(stage))?;
        let config = RndConfig { epochs: spec.novelty.epochs, seed: spec.seed, ..RndConfig::default() };
        let x = dev.data.x();
        let rnd = Rnd::fit(&config, x.select(Axis(0), &split.train).view()).map_err(at(stage))?;
        let mut held = rnd.score(x.select(Axis(0), &split.test).view()).map_err(at(stage))?.to_vec();
        let mut cur = rnd.score(current.rows.x().view()).map_err(at(stage))?.to_vec();
        let bar = quantile(&mut held, 0.99);
        let above = cur.iter().filter(|&&s| s > bar).count();
        Ok(NoveltyReport {
            n_trained: split.train.len(),
            n_held_out: split.test.len(),
            bar,
            n_current: cur.len(),
            share_above: above as f64 / cur.len().max(1) as f64,
            median_development: quantile(&mut held, 0.5),
            median_current: quantile(&mut cur, 0.5),
        })
    }
}

#[cfg(feature = "torch")]
pub use run::run;
