//! Test the assumptions of a linear regression, as statsmodels' and R's lmtest's tests do:
//! `cargo run -p kd-hypotheses --example regression_battery`.
//!
//! 500 rows whose noise grows with the first feature: Breusch–Pagan and White reject;
//! Goldfeld–Quandt, which splits the rows in their file order, does not (they are not sorted by
//! the first feature).

use kd_hypotheses::regression::{BatteryOptions, Ols, battery};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};

fn main() -> anyhow::Result<()> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let x = Array2::from_shape_fn((500, 2), |_| rng.gen_range(0.0..10.0));
    let y: Array1<f64> = x
        .rows()
        .into_iter()
        .map(|r| 1.0 + 2.0 * r[0] - r[1] + (0.2 + 0.3 * r[0]) * (rng.r#gen::<f64>() - 0.5) * 3.46)
        .collect();
    let ols = Ols::fit(x.view(), y.view(), &["x1".into(), "x2".into()])?;
    let b = battery(&ols, &BatteryOptions::default())?;
    println!("R² {:.3} on {} rows", b.r_squared, b.n_obs);
    for (key, test) in &b.tests {
        let verdict = if test.reject { "rejects" } else { "" };
        println!("{key:<22} {:>10.4}  p = {:.4}  {verdict}", test.statistic, test.p_value);
    }
    Ok(())
}
