//! Runs the regression battery on Longley's data and prints each assumption's tests.
//!
//! Run: `cargo run -p kd-hypotheses --example regression_battery`.

use kd_core::data::{Dataset, DatasetSpec, FeatureSelection, ReadOptions, Target, TaskHint, read_csv};
use kd_hypotheses::regression::{BatteryOptions, Ols, TESTS, battery};

fn main() -> anyhow::Result<()> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/statsmodels/longley.csv");
    let features: Vec<String> =
        ["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"].map(String::from).to_vec();
    let spec = DatasetSpec {
        target: "TOTEMP".into(),
        features: FeatureSelection::Named(features.clone()),
        task: TaskHint::Regression,
        ..Default::default()
    };
    let data = Dataset::from_table(&read_csv(&file, &ReadOptions::default())?, &spec)?;
    let Target::Values(y) = data.target() else { anyhow::bail!("a numeric target") };
    let ols = Ols::fit(data.x().view(), y.view(), &features)?;
    let result = battery(&ols, &BatteryOptions { break_at: Some(8), ..BatteryOptions::default() })?;
    for spec in &TESTS {
        match (result.tests.get(spec.key), result.skipped.get(spec.key)) {
            (Some(t), _) => println!(
                "{:<16} {:<18} {:>10.4}  p = {:.4}{}",
                spec.assumption.name(),
                spec.key,
                t.statistic,
                t.p_value,
                if t.reject { "  reject" } else { "" }
            ),
            (None, Some(reason)) => {
                println!("{:<16} {:<18} skipped: {reason}", spec.assumption.name(), spec.key)
            }
            (None, None) => {}
        }
    }
    Ok(())
}
