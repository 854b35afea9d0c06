//! The audit spec: unknown keys are errors naming them, every default is filled in and written
//! back, bad values name their key, the severity bars grade in their direction, and every bar
//! is listed with its source.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kd_audit::spec::{Bar, Spec};
use kd_audit::{Error, Severity};

const MINIMAL: &str = r#"
[data]
development = "dev.csv"
target = "default"

[model]
teacher = "column:pd"
"#;

#[test]
fn an_unknown_key_is_an_error_naming_it_and_its_line() {
    let text = format!("{MINIMAL}\n[comparison]\nbootstraps = 50\n");
    let err = Spec::from_toml(&text).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::SpecSyntax { .. }));
    assert!(message.contains("bootstraps"), "{message}");
    assert!(message.contains("line 10"), "{message}");
    let top = Spec::from_toml(&format!("sed = 1\n{MINIMAL}")).unwrap_err().to_string();
    assert!(top.contains("unknown field `sed`"), "{top}");
}

#[test]
fn a_value_of_the_wrong_type_names_its_key() {
    let err =
        Spec::from_toml(&format!("{MINIMAL}\n[gam]\nlearning_rate = \"fast\"\n")).unwrap_err().to_string();
    assert!(err.contains("learning_rate"), "{err}");
}

#[test]
fn defaults_are_filled_in_and_the_resolved_spec_reads_back_the_same() {
    let spec = Spec::from_toml(MINIMAL).unwrap();
    assert_eq!(spec.comparison.bootstrap, 30);
    assert_eq!(spec.thresholds.psi, Bar { amber: 0.1, red: 0.25 });
    spec.check().unwrap();
    let resolved = spec.to_toml().unwrap();
    assert!(resolved.contains("[thresholds.psi]") || resolved.contains("psi ="), "{resolved}");
    assert_eq!(Spec::from_toml(&resolved).unwrap(), spec);
}

#[test]
fn a_missing_required_key_or_a_bad_value_is_named() {
    let spec = Spec::from_toml("[data]\ndevelopment = \"dev.csv\"\n").unwrap();
    assert!(spec.check().unwrap_err().to_string().contains("data.target"));
    let mut spec = Spec::from_toml(MINIMAL).unwrap();
    spec.explanation.holdout_fraction = 1.5;
    assert!(spec.check().unwrap_err().to_string().contains("explanation.holdout_fraction"));
    let mut spec = Spec::from_toml(MINIMAL).unwrap();
    spec.thresholds.psi = Bar { amber: 0.2, red: 0.2 };
    assert!(spec.check().unwrap_err().to_string().contains("thresholds.psi"));
}

#[test]
fn bars_grade_in_their_direction() {
    let psi = Bar { amber: 0.1, red: 0.25 };
    assert_eq!(psi.grade(0.05), Severity::Green);
    assert_eq!(psi.grade(0.1), Severity::Amber);
    assert_eq!(psi.grade(0.3), Severity::Red);
    let p = Bar { amber: 0.05, red: 0.01 };
    assert_eq!(p.grade(0.5), Severity::Green);
    assert_eq!(p.grade(0.03), Severity::Amber);
    assert_eq!(p.grade(0.001), Severity::Red);
    assert_eq!(p.describe(), "amber ≤ 0.05, red ≤ 0.01");
}

#[test]
fn every_bar_is_listed_with_its_figure_and_source() {
    // The keys the spec's [thresholds] table takes, against the bars that the checks and the
    // report's methods table go through: a bar missing from `bars()` would be neither.
    let thresholds = Spec::from_toml(MINIMAL).unwrap().thresholds;
    let serialized = serde_json::to_value(&thresholds).unwrap();
    let mut keys: Vec<&str> = serialized.as_object().unwrap().keys().map(String::as_str).collect();
    let bars = thresholds.bars();
    let mut listed: Vec<&str> = bars.iter().map(|b| b.key).collect();
    keys.sort_unstable();
    listed.sort_unstable();
    assert_eq!(listed, keys);
    for b in &bars {
        assert!(!b.figure.is_empty() && !b.source.is_empty(), "{}", b.key);
        assert_eq!(serialized[b.key]["amber"], b.bar.amber, "{}", b.key);
    }
}
