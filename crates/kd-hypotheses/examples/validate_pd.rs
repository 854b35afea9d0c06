//! Validate a PD model's discriminatory power and calibration as the ECB's instructions ask:
//! `cargo run -p kd-hypotheses --example validate_pd`.
//!
//! 5,000 obligors whose defaults are drawn from PDs 20% lower than the model's: AUROC with
//! DeLong's interval, Hosmer–Lemeshow on ten groups, Spiegelhalter's test and the portfolio
//! Jeffreys test, each a function of the outcomes and PDs.

use kd_core::quantile::Binning;
use kd_hypotheses::validation::{HlSample, auroc_delong, hosmer_lemeshow, portfolio_jeffreys, spiegelhalter};
use rand::{Rng, SeedableRng};

fn main() -> anyhow::Result<()> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let pd: Vec<f64> = (0..5000).map(|_| 0.005 + 0.15 * rng.r#gen::<f64>().powi(3)).collect();
    let default: Vec<bool> = pd.iter().map(|&p| rng.r#gen::<f64>() < 0.8 * p).collect();

    let auc = auroc_delong(&default, &pd, 0.95)?;
    println!("AUROC {:.3} [{:.3}, {:.3}] (DeLong)", auc.value, auc.ci_low, auc.ci_high);
    let hl = hosmer_lemeshow(&default, &pd, Binning::r_default(10), HlSample::Validation)?;
    println!("Hosmer–Lemeshow χ² {:.2} on {} df, p = {:.4}", hl.statistic, hl.df, hl.p_value);
    let sp = spiegelhalter(&default, &pd)?;
    println!("Spiegelhalter z {:.2}, p = {:.4}", sp.statistic, sp.p_value);
    let j = portfolio_jeffreys(&default, &pd)?;
    println!(
        "Jeffreys: {} defaults of {} (rate {:.4}) against a mean PD of {:.4}, p = {:.4}",
        j.defaults, j.n, j.observed_rate, j.pd, j.p_value
    );
    Ok(())
}
