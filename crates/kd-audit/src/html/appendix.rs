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
            @if !r.gvif.is_empty() {
                p { "A categorical feature's indicator columns together: the generalised VIF (Fox & Monette 1992, as R's car::vif), which does not depend on the reference level, and GVIF^(1/(2·df)), comparable with the square root of a VIF." }
                table {
                    thead { tr { th { "Feature" } th.r { "GVIF" } th.r { "Columns (df)" } th.r { "GVIF^(1/(2·df))" } } }
                    tbody { @for g in &r.gvif { tr { td { code { (g.feature) } } td.r { (number(g.gvif)) } td.r { (g.df) } td.r { (number(g.scaled)) } } } }
                }
            }
            (method("kd-hypotheses' battery; each test's reference is beside it. An assumption's finding reads the smallest p-value among its tests, without a correction for their number."))
        },
    };
    super::section("regression", "5", "Regression assumptions", body)
}

/// The methods section: the bars and where they come from.
pub fn methods(audit: &Audit) -> Markup {
    let bars = audit.provenance.spec.thresholds.bars();
    let body = html! {
        p { "Every finding is graded against a bar of the spec's [thresholds] table; these are the bars this report used." }
        table {
            thead { tr { th { "Key" } th { "Figure" } th.r { "Amber" } th.r { "Red" } th { "Source" } } }
            tbody { @for b in bars.iter() {
                tr { td { code { (b.key) } } td { (b.figure) } td.r { (number(b.bar.amber)) } td.r { (number(b.bar.red)) } td.detail { (b.source) } }
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
