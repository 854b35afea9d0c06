//! Sections 3 and 4 of the report: the model explained by distillation (trees, GAM shape
//! functions, fidelity) and audited by Distill-and-Compare.

use maud::{Markup, html};

use super::chart::{BLUE, Chart, GREY, ORANGE, Series, line_chart};
use super::tree::{Names, tree_svg};
use super::{figure, method, number, percent, slug};
use crate::report::Audit;
use crate::stages::comparison::ComparedFeature;
use crate::stages::explanation::{ExplanationReport, Shape, StudentFidelity, TreeStudent};

/// Shape functions drawn (the most important first).
const SHAPES_SHOWN: usize = 12;
/// Distill-and-Compare panels drawn (flagged first, then by the mimic's amplitude).
const COMPARISONS_SHOWN: usize = 9;

fn interval(f: &kd_extract::fidelity::Fidelity) -> String {
    format!("[{}, {}]", number(f.ci.0), number(f.ci.1))
}

fn fidelity_row(
    name: &str,
    key: &str,
    leaves: Option<usize>,
    queries: Option<usize>,
    f: &StudentFidelity,
) -> Markup {
    html! {
        tr {
            td { (name) }
            td.r { (figure(key, f.r2.value)) } td.r { (interval(&f.r2)) }
            td.r { @if let Some(a) = &f.agreement { (number(a.value)) } @else { "—" } }
            td.r { @if let Some(a) = &f.agreement { (interval(a)) } @else { "—" } }
            td.r { @if let Some(l) = leaves { (l) } @else { "—" } }
            td.r { @if let Some(q) = queries { (number(q as f64)) } @else { "—" } }
        }
    }
}

/// The explanation section.
pub fn explanation(audit: &Audit) -> Markup {
    let body = match &audit.explanation {
        None => {
            html! { p.note { "Not run: " (audit.skipped.get("explanation").cloned().unwrap_or_default()) } }
        }
        Some(e) => html! {
            p { "Students fitted to the model's " @if audit.task == "binary" { "probability of the bad outcome" } @else { "predictions" }
                " on " (number(e.n_fit as f64)) " development rows, measured on the other " (number(e.n_holdout as f64)) "." }
            table {
                thead { tr { th { "Student" } th.r { "R² to the model" } th.r { "95% interval" } th.r { "Class agreement" } th.r { "95% interval" } th.r { "Leaves" } th.r { "Queries" } } }
                tbody {
                    (fidelity_row("born-again tree", "explanation.tree", Some(e.born_again.leaves), None, &e.born_again.fidelity))
                    (fidelity_row("boosted GAM (main effects)", "explanation.gam", None, None, &e.gam.fidelity))
                    @if let Some(b) = &e.bastani { (fidelity_row("Bastani tree", "explanation.bastani", Some(b.leaves), b.queries, &b.fidelity)) }
                }
            }
            @if let Some(why) = &e.bastani_skipped { p.note { "No Bastani tree: " (why) "." } }
            (method("Fidelity on held-out rows: R² of the student's score to the model's, and the agreement of their classes (score above ½), each with a 95% percentile bootstrap interval over 1,000 resamples. The Bastani tree (Bastani, Kim & Bastani 2017) is grown on points drawn from a Gaussian mixture of the fitting rows and labelled by the model's classes, so its R² to the probabilities is low by construction: read its agreement."))
            h3 { "The born-again tree" }
            (tree(audit, e, &e.born_again))
            @if let Some(b) = &e.bastani { h3 { "The Bastani tree" } (tree(audit, e, b)) }
            h3 { "Shape functions of the GAM" }
            p { "On the scale of " (e.scale) "; the band is ±1.96 standard deviations across the bags. "
                @if e.gam.shapes.len() > SHAPES_SHOWN { "The " (SHAPES_SHOWN) " most important of " (e.gam.shapes.len()) " features; all are in audit.json." } }
            div.grid { @for s in e.gam.shapes.iter().take(SHAPES_SHOWN) { (shape(s, &e.scale)) } }
            (method("Boosted GAM: interpret's Explainable Boosting Machine schedule (kd-students' BoostedGam) with the audit's [gam] settings; importance is the mean absolute score over the fitting rows."))
        },
    };
    super::section("explanation", "3", "Explanation by distillation", body)
}

fn tree(audit: &Audit, e: &ExplanationReport, t: &TreeStudent) -> Markup {
    let names = Names { features: &e.feature_names, levels: &e.feature_levels };
    let bad = audit.bad_class.clone().unwrap_or_default();
    let what = if audit.task == "binary" { format!("P({bad})") } else { "mean".to_owned() };
    let bastani_binary = t.method == "bastani" && audit.task == "binary";
    let bad_index = usize::from(bastani_binary);
    let value = move |v: &[f64]| {
        if bastani_binary {
            v.get(bad_index).copied().unwrap_or(f64::NAN)
        } else {
            v.first().copied().unwrap_or(f64::NAN)
        }
    };
    let what = if bastani_binary { format!("share {bad}") } else { what };
    tree_svg(&t.tree, &names, &what, &value)
}

/// One shape function as a chart with its band, titled by its feature and importance.
pub(crate) fn shape(s: &Shape, scale: &str) -> Markup {
    let categorical = s.points.iter().any(|p| p.level.is_some());
    let mut chart =
        Chart::new(s.feature.clone(), if categorical { "level" } else { "value" }, scale, (420.0, 260.0));
    chart.rules = vec![(0.0, GREY)];
    type Points = (Vec<(f64, f64)>, Vec<(f64, f64, f64)>);
    let (points, band): Points = if categorical {
        chart.categories = s.points.iter().map(|p| p.level.clone().unwrap_or_default()).collect();
        chart.x_range = Some((-0.5, s.points.len() as f64 - 0.5));
        s.points.iter().enumerate().map(|(i, p)| ((i as f64, p.score), (i as f64, p.low, p.high))).unzip()
    } else {
        s.points.iter().map(|p| ((p.x, p.score), (p.x, p.low, p.high))).unzip()
    };
    let mut series = Series::line("score", BLUE, points);
    if categorical {
        series.dots = true;
        series.whiskers = band;
    } else {
        series.band = band;
    }
    chart.series = vec![series];
    html! {
        div {
            h4 { (s.feature) " " span.note { "importance " (number(s.importance)) } }
            (line_chart(&chart))
            @if let Some(m) = &s.missing {
                p.note { "missing values (not on the axis): " (number(m.score)) " [" (number(m.low)) ", " (number(m.high)) "], " (m.count) " rows" }
            }
        }
    }
}

/// The comparison section.
pub fn comparison(audit: &Audit) -> Markup {
    let body = match &audit.comparison {
        None => {
            html! { p.note { "Not run: " (audit.skipped.get("comparison").cloned().unwrap_or_default()) } }
        }
        Some(c) => {
            let flag = audit.provenance.spec.thresholds.comparison_share.amber;
            let mut shown: Vec<&ComparedFeature> = c.features.iter().collect();
            shown.sort_by(|a, b| {
                b.material_share
                    .total_cmp(&a.material_share)
                    .then(b.comparison.mimic_amplitude.total_cmp(&a.comparison.mimic_amplitude))
            });
            html! {
                p { "A mimic GAM of the model's score and an outcome GAM of the true outcomes, fitted on the same "
                    (c.bootstrap) " bootstrap resamples of " (number(c.n_rows as f64)) " development rows, on the scale of " (c.scale) "." }
                table {
                    thead { tr { th { "Feature" } th.r { "Mimic range" } th.r { "Outcome range" } th.r { "Ratio" } th.r { "Rows where they differ materially" } th { "" } } }
                    tbody { @for f in &c.features {
                        @let m = &f.comparison;
                        tr { td { code { (f.name) } } td.r { (number(m.mimic_amplitude)) } td.r { (number(m.outcome_amplitude)) }
                            td.r { (number(m.mimic_amplitude / m.outcome_amplitude)) }
                            td.r { (figure(&format!("comparison.{}", f.name), f.material_share)) " (" (percent(f.material_share)) ")" }
                            td { @if f.material_share >= flag { span.flag { "differs" } } } }
                    } }
                }
                div.grid { @for f in shown.iter().take(COMPARISONS_SHOWN) { (panel(f, &c.scale, f.material_share >= flag)) } }
                (method(&format!("Distill-and-Compare (Tan, Caruana, Hooker & Lou 2018): where the 95% bootstrap band of mimic − outcome excludes 0 and the difference is material (at least {} on this scale), the model uses the feature differently from how it relates to the outcome. Range: the 2.5%–97.5% spread of a shape over the rows.", number(c.materiality))))
                h3 id="candidates" { "Features the model may use that the audit data lack" }
                @if c.candidates.is_empty() {
                    p.note { "No candidate columns were named (comparison.candidates)." }
                } @else {
                    table {
                        thead { tr { th { "Column" } th.r { "R² without" } th.r { "R² with" } th.r { "Improvement" } th.r { "95% interval" } th.r { "p" } th { "" } } }
                        tbody { @for k in &c.candidates {
                            tr { td { code { (k.name) } } td.r { (number(k.test.fidelity_without)) } td.r { (number(k.test.fidelity_with)) }
                                td.r { (number(k.test.improvement)) } td.r { "[" (number(k.test.improvement_ci.0)) ", " (number(k.test.improvement_ci.1)) "]" }
                                td.r { (figure(&format!("comparison.candidate.{}", k.name), k.test.p_value)) }
                                td { @if k.test.detected { span.flag { "the model probably uses it" } } } }
                        } }
                    }
                    (method("Missing-feature test (Tan et al. 2018 §4.3): does adding the column to the mimic improve its out-of-bag R² to the model over the bootstrap resamples?"))
                }
            }
        }
    };
    super::section("comparison", "4", "Audit by Distill-and-Compare", body)
}

fn panel(f: &ComparedFeature, scale: &str, flagged: bool) -> Markup {
    let categorical = f.levels.is_some();
    let mut chart =
        Chart::new(f.name.clone(), if categorical { "level" } else { "value" }, scale, (420.0, 260.0));
    chart.rules = vec![(0.0, GREY)];
    let x = |v: f64| v;
    if let Some(levels) = &f.levels {
        chart.categories = levels.clone();
        chart.x_range = Some((-0.5, levels.len() as f64 - 0.5));
    }
    let grid = &f.comparison.grid;
    let mut mimic = Series::line("mimic (model)", BLUE, grid.iter().map(|p| (x(p.value), p.mimic)).collect());
    let mut outcome = Series::line("outcome", ORANGE, grid.iter().map(|p| (x(p.value), p.outcome)).collect());
    let mut difference = Series::line(
        "mimic − outcome (95% band)",
        GREY,
        grid.iter().map(|p| (x(p.value), p.difference)).collect(),
    );
    difference.dashed = true;
    difference.band = grid.iter().map(|p| (x(p.value), p.lower, p.upper)).collect();
    if categorical {
        mimic.dots = true;
        outcome.dots = true;
        difference.dots = true;
        difference.whiskers = std::mem::take(&mut difference.band);
    }
    chart.series = vec![mimic, outcome, difference];
    html! {
        div id=(format!("compare-{}", slug(&f.name))) {
            h4 { (f.name) @if flagged { " " span.flag { "differs" } } }
            (line_chart(&chart))
        }
    }
}
