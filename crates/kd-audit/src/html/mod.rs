//! The HTML report: one self-contained file — inline CSS and SVG, no script, no external
//! resource (a Content-Security-Policy of `default-src 'none'` makes the browser refuse any
//! request, should one ever creep in), readable without JavaScript, printable with a page break
//! before every section. maud writes it, so every name from the data (columns, levels, files)
//! is escaped by construction.

mod appendix;
pub mod chart;
mod data;
mod format;
pub(crate) mod model;
mod performance;
pub mod tree;
pub mod validation;
mod validation_charts;
mod validation_summary;

use maud::{DOCTYPE, Markup, PreEscaped, html};

pub use format::{bin_labels, number, percent, slug};

use crate::finding::{Finding, Severity};
use crate::report::Audit;

/// The page's style sheet (print rules included).
const STYLE: &str = concat!(include_str!("report.css"), include_str!("chart.css"));

/// The rules of charts and trees alone (a drawing outside the report carries them).
pub const CHART_STYLE: &str = include_str!("chart.css");

/// The policy of the page: nothing may be fetched; inline styles and data: images only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// A figure with its exact value for machines (`data-value`) and its rounded one for people.
pub fn figure(key: &str, v: f64) -> Markup {
    html! { span.fig data-key=(key) data-value=(v) { (number(v)) } }
}

/// A severity pill: coloured, and its word, so that it reads in grey print too.
pub fn pill(s: Severity) -> Markup {
    html! { span class=(format!("pill {}", s.name())) { (s.name()) } }
}

/// A section with its number, anchor and title.
pub fn section(id: &str, number: &str, title: &str, body: Markup) -> Markup {
    html! {
        section id=(id) {
            h2 { span.num { (number) } (title) }
            (body)
        }
    }
}

/// The report as one HTML document.
pub fn render(audit: &Audit) -> String {
    let sections = [
        data::section(audit),
        performance::section(audit),
        model::explanation(audit),
        model::comparison(audit),
        appendix::regression(audit),
        appendix::methods(audit),
        appendix::provenance(audit),
    ];
    html! {
        (DOCTYPE)
        html lang="en" {
            (page_head(&audit.title, audit.provenance.kd_version))
            body {
                header {
                    p.kicker { "Model validation report · kd audit" }
                    h1 { (audit.title) }
                    dl.meta {
                        dt { "Model under review" } dd { code { (audit.model) } }
                        dt { "Task" } dd { (audit.task) @if let Some(b) = &audit.bad_class { " — the bad outcome is " code { (b) } }
                            @if let Some(classes) = &audit.classes { " against the model's " (classes.len() - 1) " other classes (" @for (k, c) in classes.iter().filter(|c| Some(*c) != audit.bad_class.as_ref()).enumerate() { @if k > 0 { ", " } code { (c) } } "): its probability is the score audited" } }
                        dt { "Samples" } dd { (samples(audit)) }
                        dt { "Run" } dd { (audit.provenance.finished) " · kd " (audit.provenance.kd_version) " · seed " (audit.provenance.seed) }
                    }
                    nav { @for (id, label) in NAV { a href=(format!("#{id}")) { (label) } } }
                }
                (summary(audit))
                @for s in &sections { (s) }
                footer { "Written by kd " (audit.provenance.kd_version) ". Every figure is in audit.json beside this file; the spec as resolved is spec.toml." }
            }
        }
    }
    .into_string()
}

/// A report page's head: the policy that forbids any request, the title, the style sheet.
fn page_head(title: &str, kd_version: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta http-equiv="Content-Security-Policy" content=(CONTENT_SECURITY_POLICY);
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="generator" content=(format!("kd {kd_version}"));
            title { (title) }
            style { (PreEscaped(STYLE)) }
        }
    }
}

const NAV: [(&str, &str); 8] = [
    ("summary", "Summary"),
    ("data", "Data"),
    ("performance", "Performance"),
    ("explanation", "Explanation"),
    ("comparison", "Comparison"),
    ("regression", "Regression"),
    ("methods", "Methods"),
    ("provenance", "Provenance"),
];

fn samples(audit: &Audit) -> Markup {
    let files: Vec<&crate::report::InputFile> =
        audit.provenance.inputs.iter().filter(|i| i.role == "development" || i.role == "current").collect();
    html! {
        @for (k, f) in files.iter().enumerate() {
            @if k > 0 { "; " }
            (f.role) " " code { (f.path) }
        }
    }
}

fn summary(audit: &Audit) -> Markup {
    let t = &audit.tally;
    let worst: Vec<&Finding> =
        audit.findings.iter().filter(|f| f.severity != Severity::Green).take(4).collect();
    html! {
        section id="summary" {
            h2 { "Summary" }
            p.tally {
                span.pill.red { (t.red) " red" } " " span.pill.amber { (t.amber) " amber" } " " span.pill.green { (t.green) " green" }
            }
            @if worst.is_empty() {
                p.lead { "No finding passes an amber bar: within the thresholds of this spec the model shows no concern." }
            } @else {
                p.lead { "To be looked at first:" }
                ul.lead {
                    @for f in &worst {
                        li { (pill(f.severity)) " " a href=(format!("#{}", f.evidence)) { (f.id) } " " (f.title)
                            @if let Some(v) = f.value { ": " (number(v)) } " — " (f.detail) }
                    }
                }
            }
            @if !audit.skipped.is_empty() {
                p.note { "Not run: "
                    @for (k, (stage, why)) in audit.skipped.iter().enumerate() { @if k > 0 { "; " } b { (stage) } ": " (why) } "." }
            }
            h3 id="findings" { "Findings" }
            table.findings {
                thead { tr { th { "ID" } th { "Severity" } th { "Finding" } th.r { "Figure" } th { "Bars" } th { "Evidence" } } }
                tbody {
                    @for f in &audit.findings {
                        tr id=(format!("finding-{}", f.id)) data-key=(f.key) data-severity=(f.severity.name()) {
                            td { (f.id) }
                            td { (pill(f.severity)) }
                            td { (f.title) div.detail { (f.detail) } }
                            td.r { @if let Some(v) = f.value { (figure(&f.key, v)) } @else { "—" } }
                            td.bar { (f.bar) }
                            td { a href=(format!("#{}", f.evidence)) { "§ " (evidence_label(&f.evidence)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The words of an evidence anchor: the subsection it points to.
fn evidence_label(anchor: &str) -> &'static str {
    match anchor {
        "data" => "1 Data",
        "drift" => "1 Drift",
        "unseen" => "1 Unseen levels",
        "novelty" => "1 Novelty",
        "discrimination" => "2 Discrimination",
        "calibration" => "2 Calibration",
        "calibration-every-class" => "2 Calibration over all classes",
        "grades" => "2 Grades",
        "stability" => "2 Stability",
        "explanation" => "3 Explanation",
        "candidates" => "4 Missing features",
        a if a.starts_with("compare-") || a == "comparison" => "4 Comparison",
        "regression" => "5 Regression",
        _ => "evidence",
    }
}

/// A small table of `(label, value)` rows.
pub fn facts(rows: &[(&str, Markup)]) -> Markup {
    html! { table.facts { tbody { @for (k, v) in rows { tr { th { (k) } td { (v) } } } } } }
}

/// A "method" note: the formula and the reference, under a figure.
pub fn method(text: &str) -> Markup {
    html! { p.method { (text) } }
}
