//! Sections 5 and after: the regression battery, the methods and their bars, and the
//! provenance of the report.

use maud::{Markup, html};

use super::{figure, method, number};
use crate::report::Audit;

/// The regression section.
pub fn regression(audit: &Audit) -> Markup {
    let body = match &audit.regression {
        None => {
            html! { p.note { "Not run: " (audit.skipped.get("regression").cloned().unwrap_or_default()) } }
        }
        Some(r) => html! {
            p { "OLS of " code { (audit.provenance.spec.data.target) } " on " (r.features.len())
                @if r.categorical.is_empty() { " numeric features, " } @else { " design columns, " }
                (number(r.n_obs as f64)) " rows: R² " (number(r.r_squared)) ", condition number " @if let Some(c) = r.condition_number { (number(c)) } @else { "beyond f64's range" } "."
                @if !r.categorical.is_empty() {
                    " Categorical features treatment-coded, one 0/1 column per level but the reference: "
                    @for (k, c) in r.categorical.iter().enumerate() { @if k > 0 { ", " } code { (c.feature) } " (reference " (c.reference) ")" } "."
                } }
            table {
                thead { tr { th { "Assumption" } th { "Test" } th.r { "Statistic" } th.r { "p" } th { "Null hypothesis" } th { "Reference" } } }
                tbody { @for a in &r.assumptions { @for (k, (key, t)) in a.tests.iter().enumerate() {
                    tr { td { @if k == 0 { b { (a.name) } } } td { (key) } td.r { (number(t.statistic)) }
                        td.r { @if Some(t.p_value) == a.min_p_value { (figure(&format!("regression.{}", a.name), t.p_value)) } @else { (number(t.p_value)) } }
                        td { (t.null_hypothesis) } td.detail { (t.reference) } }
                } } }
            }
            @if !r.skipped.is_empty() { p.note { "Not computed: " @for (k, (t, why)) in r.skipped.iter().enumerate() { @if k > 0 { "; " } (t) " (" (why) ")" } } }
            h3 { "Variance inflation factors" }
            table { tbody { @for (name, v) in &r.vif { tr { td { code { (name) } } td.r { (number(*v)) } } } } }
            (method("kd-hypotheses' battery; each test's reference is beside it. An assumption's finding reads the smallest p-value among its tests, without a correction for their number."))
        },
    };
    super::section("regression", "5", "Regression assumptions", body)
}

/// Thresholds' sources, by key (see `spec/thresholds.rs`).
const SOURCES: [(&str, &str, &str); 11] = [
    ("psi", "PSI of a feature or the score", "Siddiqi (2006), Credit Risk Scorecards, ch. 8"),
    (
        "auroc_low",
        "AUROC",
        "Hosmer & Lemeshow (2000), Applied Logistic Regression, §5.2.4 (below 0.7 poor); red at 0.6 is kd's",
    ),
    (
        "auroc_implausible",
        "AUROC on the development sample",
        "Hosmer & Lemeshow (2000) §5.2.4: 0.9 and above outstanding, extremely unusual; red at 0.97 is kd's",
    ),
    (
        "auroc_drop",
        "relative fall of AUROC (when the one-sided test rejects at 5%)",
        "ECB (2019) §2.5.4.1 for the test; 5% / 10% is common monitoring practice",
    ),
    (
        "calibration_p",
        "p-values of HL, Spiegelhalter, per-grade tests",
        "the usual 5% / 1% levels; ECB (2019) §2.5.3",
    ),
    (
        "fidelity_r2",
        "R² of a student to the model",
        "kd's: below 0.8 a fifth of the model's variation is unexplained",
    ),
    (
        "comparison_share",
        "share of rows where mimic and outcome differ",
        "0.1 is kd compare's flag rule after Tan et al. (2018); 0.3 is kd's",
    ),
    ("candidate_p", "p-value of the missing-feature test", "Tan et al. (2018) §4.3"),
    ("novelty_share", "share of novel current rows (1% expected)", "kd's: twice and five times chance"),
    ("dropped_rows", "share of rows dropped for missing cells", "kd's"),
    ("regression_p", "smallest p-value of an assumption's tests", "the usual 5% / 1% levels"),
];

/// The methods section: the bars and where they come from.
pub fn methods(audit: &Audit) -> Markup {
    let bars = audit.provenance.spec.thresholds.bars();
    let body = html! {
        p { "Every finding is graded against a bar of the spec's [thresholds] table; these are the bars this report used." }
        table {
            thead { tr { th { "Key" } th { "Figure" } th.r { "Amber" } th.r { "Red" } th { "Source" } } }
            tbody { @for (key, bar) in bars.iter() {
                @let (_, what, source) = SOURCES.iter().find(|s| s.0 == *key).copied().unwrap_or((key, "", ""));
                tr { td { code { (key) } } td { (what) } td.r { (number(bar.amber)) } td.r { (number(bar.red)) } td.detail { (source) } }
            } }
        }
    };
    super::section("methods", "A", "Methods and thresholds", body)
}

/// The provenance section.
pub fn provenance(audit: &Audit) -> Markup {
    let p = &audit.provenance;
    let spec = p.spec.to_toml().unwrap_or_default();
    let body = html! {
        table {
            thead { tr { th { "Input" } th { "File" } th.r { "Bytes" } th { "SHA-256" } } }
            tbody { @for i in &p.inputs { tr { td { (i.role) } td { code { (i.path) } } td.r { (number(i.bytes as f64)) } td { code { (i.sha256) } } } } }
        }
        table.facts { tbody {
            tr { th { "kd" } td { (p.kd_version) @if p.torch { " (with libtorch)" } } }
            tr { th { "seed" } td { (p.seed) } }
            tr { th { "threads" } td { (p.threads) } }
            tr { th { "started / finished (UTC)" } td { (p.started) " / " (p.finished) } }
            tr { th { "wall time" } td { (number(p.seconds)) " s" } }
        } }
        h3 { "Time per stage" }
        table.facts { tbody { @for s in &p.stages { tr { th { (s.stage) } td.r { (number(s.seconds)) " s" } } } } }
        p.note { "Explanation and comparison run in parallel, so their times overlap." }
        h3 { "The spec as resolved" }
        pre { code { (spec) } }
    };
    super::section("provenance", "B", "Provenance", body)
}
