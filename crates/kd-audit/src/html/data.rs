//! Section 1 of the report: the samples, their columns and missing cells, drift (PSI) and
//! novelty.

use maud::{Markup, html};

use super::chart::{AMBER, Bar, GREEN, RED, bar_chart};
use super::{facts, figure, method, number, percent};
use crate::report::Audit;
use crate::stages::data::{DataReport, DriftRow, SampleProfile, UnseenLevels};

/// The data section.
pub fn section(audit: &Audit) -> Markup {
    let body = match &audit.data {
        None => html! { p.note { "Not run: " (audit.skipped.get("data").cloned().unwrap_or_default()) } },
        Some(d) => html! {
            (samples(d, audit))
            h3 { "Columns of the development sample" }
            (columns(d))
            h3 id="drift" { "Drift of the current sample" }
            (drift(d, audit))
            @if let Some(u) = &d.unseen_levels { (unseen(u)) }
            h3 id="novelty" { "Novelty of the current rows" }
            (novelty(audit))
        },
    };
    super::section("data", "1", "Data", body)
}

fn sample_row(name: &str, s: &SampleProfile, binary: bool) -> Markup {
    html! {
        tr {
            td { (name) } td { code { (s.file) } }
            td.r { (number(s.rows_in_file as f64)) } td.r { (number(s.rows as f64)) } td.r { (number(s.dropped_rows as f64)) }
            td.r { @match s.outcome_mean { None => "not known", Some(m) => @if binary { (percent(m)) } @else { (number(m)) } } }
            td.r { @if binary { (percent(s.score_mean)) } @else { (number(s.score_mean)) } }
        }
    }
}

fn samples(d: &DataReport, audit: &Audit) -> Markup {
    let binary = audit.task == "binary";
    let (outcome, score) = if binary { ("bad rate", "mean PD") } else { ("mean target", "mean prediction") };
    html! {
        table {
            thead { tr { th { "Sample" } th { "File" } th.r { "Rows in file" } th.r { "Rows used" } th.r { "Dropped" } th.r { (outcome) } th.r { (score) } } }
            tbody {
                (sample_row("development", &d.development, binary))
                @if let Some(c) = &d.current { (sample_row("current", c, binary)) }
            }
        }
        @if let Some(c) = &d.current && let Some(n) = c.rows_set_aside {
            p.note { (number(n as f64)) " further current " (if n == 1 { "row was" } else { "rows were" }) " set aside for a level the development sample lacks (see " a href="#unseen" { "Levels the development sample lacks" } ")." }
        }
        @if let Some(c) = &d.current && let Some(known) = c.rows_with_outcome {
            p.note {
                @if known == 0 { "No outcome of the current sample is known (its file has no value in " code { (audit.provenance.spec.data.target) } ")" }
                @else { (number(known as f64)) " of its " (number(c.rows as f64)) " rows have a known outcome (a value in " code { (audit.provenance.spec.data.target) } ")" }
                ": every row kept counts for drift and novelty, the rows with an outcome for its performance."
            }
        }
    }
}

fn columns(d: &DataReport) -> Markup {
    let has_current = d.current.is_some();
    html! {
        table {
            thead { tr { th { "Column" } th { "Type" } th { "Role" } th.r { "Missing (dev.)" } @if has_current { th.r { "Missing (cur.)" } } th { "Levels / range" } } }
            tbody {
                @for c in &d.columns {
                    tr {
                        td { code { (c.name) } } td { (c.kind) } td { (c.role) } td.r { (number(c.missing as f64)) }
                        @if has_current { td.r { (c.missing_current.map_or("—".to_owned(), |m| number(m as f64))) } }
                        td { @if let Some(l) = c.levels { (l) " levels" } @else if let Some((a, b)) = c.range { (number(a)) " … " (number(b)) } }
                    }
                }
            }
        }
    }
}

fn colour(psi: f64, audit: &Audit) -> &'static str {
    let bar = audit.provenance.spec.thresholds.psi;
    match bar.grade(psi) {
        crate::Severity::Red => RED,
        crate::Severity::Amber => AMBER,
        crate::Severity::Green => GREEN,
    }
}

fn drift(d: &DataReport, audit: &Audit) -> Markup {
    let Some(score) = &d.score_drift else {
        return html! { p.note { "No current sample was given (data.current), so there is no drift to measure." } };
    };
    let bar = audit.provenance.spec.thresholds.psi;
    let mut bars = vec![Bar {
        label: "model score".into(),
        value: score.psi.value,
        color: colour(score.psi.value, audit),
    }];
    bars.extend(d.feature_drift.iter().take(30).map(|r| Bar {
        label: r.name.clone(),
        value: r.psi.value,
        color: colour(r.psi.value, audit),
    }));
    html! {
        p { "PSI of the model's score " (figure("drift.score", score.psi.value)) "; the features by PSI, largest first"
            @if d.feature_drift.len() > 30 { " (the first 30 of " (d.feature_drift.len()) ")" } ":" }
        (bar_chart("PSI of the score and of each feature", "population stability index", &bars,
            &[(bar.amber, AMBER, "amber"), (bar.red, RED, "red")]))
        (method("PSI = Σ (a − e) · ln(a / e) over the development sample's deciles (numeric) or levels (categorical), e and a the development and current shares; an empty bin adds ½ to every bin of both samples. Bars: Siddiqi (2006)."))
        h3 { "Distribution of the score" }
        (shares(score))
    }
}

/// The unseen levels the report lists (audit.json has them all).
const UNSEEN_SHOWN: usize = 50;

fn unseen(u: &UnseenLevels) -> Markup {
    html! {
        h3 id="unseen" { "Levels the development sample lacks" }
        p { (number(u.rows as f64)) " current " (if u.rows == 1 { "row" } else { "rows" }) ", a share of " (figure("data.unseen_levels", u.share)) " (" (percent(u.share)) ") of those kept, " (if u.rows == 1 { "holds" } else { "hold" }) " a level of a categorical feature that the development sample's levels lack. kd cannot code such a level as the development sample's features, so these rows are set aside unscored: the PSI above, novelty and performance leave them out." }
        table {
            thead { tr { th { "Feature" } th { "Level" } th.r { "Rows" } th.r { "First line" } } }
            tbody {
                @for l in u.levels.iter().take(UNSEEN_SHOWN) {
                    tr { td { code { (l.feature) } } td { code { (l.level) } } td.r { (number(l.rows as f64)) } td.r { (l.first_line) } }
                }
            }
        }
        @if u.levels.len() > UNSEEN_SHOWN { p.note { "The first " (UNSEEN_SHOWN) " of " (u.levels.len()) " levels; audit.json lists every one." } }
    }
}

fn shares(row: &DriftRow) -> Markup {
    super::chart::line_chart(&super::chart::shares_chart(
        "Score distribution by development decile",
        "decile of the development sample's score",
        row.bins.clone(),
        ("development", &row.psi.baseline_shares),
        &row.psi.current_shares,
    ))
}

fn novelty(audit: &Audit) -> Markup {
    match &audit.novelty {
        None => html! { p.note { "Not run: " (audit.skipped.get("novelty").cloned().unwrap_or_default()) } },
        Some(n) => html! {
            (facts(&[
                ("current rows above the bar", html! { (figure("novelty.share", n.share_above)) " (" (percent(n.share_above)) "; 1% expected)" }),
                ("bar: 99th percentile of held-out development rows", html! { (number(n.bar)) }),
                ("median novelty, development (held out) / current", html! { (number(n.median_development)) " / " (number(n.median_current)) }),
                ("rows: trained / held out / current", html! { (n.n_trained) " / " (n.n_held_out) " / " (n.n_current) }),
            ]))
            (method("Random network distillation (Burda, Edwards, Storkey & Klimov 2018): a predictor network learns a fixed random network's outputs on the development rows; its error is large on rows unlike them."))
        },
    }
}
