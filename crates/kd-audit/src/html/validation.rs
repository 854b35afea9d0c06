//! The validation report of a PD, LGD or CCF model as one HTML page (`kd validate --format
//! html`, the Python package's `Validation.to_html()`), laid out from the report's JSON as the
//! ECB's instructions for reporting validation results group it: discriminatory power,
//! predictive ability, stability, concentration. Every figure keeps the formula and reference
//! the report cites beside it; p-values below 5% and red or yellow traffic lights are marked,
//! the migration matrix is shaded by each row's shares, and the figures that have a chart
//! (`validation_charts`) are drawn. A first table (`validation_summary`) lists every flagged
//! figure.
//!
//! The page is built from the JSON rather than from the report's types, so that what the
//! program writes as JSON and what a validator reads on the page are one document: a figure is
//! an object with `formula` and `reference`; its scalar fields (and those of the objects in it)
//! are a table of facts, its lists of rows tables (led by the grade or segment list of the same
//! length), its list of lists a matrix (the migration counts), at any depth. It is as
//! self-contained as the audit report: inline CSS and SVG, no script, a
//! Content-Security-Policy that forbids any request.

use maud::{DOCTYPE, Markup, html};
use serde_json::{Map, Value};

use kd_hypotheses::validation::report::is_figure;
use kd_hypotheses::validation::report::titles::{self, SECTIONS, TITLES, field_words, title};

use super::validation_charts::chart;
use super::validation_summary::summary;
use super::{number, page_head};

/// The fields a figure's facts and a table's columns begin with, in this order (the JSON's
/// own order is lost in `serde_json::Value`'s sorted maps); the others follow by name.
const FIELDS: [&str; 39] = [
    "segment",
    "grade",
    "cohort",
    "column",
    "from",
    "to",
    "upper",
    "z",
    "value",
    "statistic",
    "p_value",
    "std_error",
    "ci_low",
    "ci_high",
    "confidence",
    "n",
    "obligors",
    "defaults",
    "pd",
    "expected_defaults",
    "observed_rate",
    "default_rate",
    "mean_pd",
    "initial",
    "initial_std_error",
    "current",
    "current_std_error",
    "independent_statistic",
    "independent_p_value",
    "mean_estimate",
    "mean_realised",
    "mean_difference",
    "t_test",
    "upper_bound",
    "upper_bound_correlated",
    "baseline_share",
    "current_share",
    "contribution",
    "note",
];

/// `map`'s entries in the order of [`FIELDS`], then of `order` (figure keys), then by name.
fn ordered<'a>(map: &'a Map<String, Value>, order: &[&str]) -> Vec<(&'a String, &'a Value)> {
    let rank = |key: &str| FIELDS.iter().chain(order).position(|k| *k == key).unwrap_or(usize::MAX);
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by_key(|(key, _)| rank(key));
    entries
}

/// The figures' keys in [`TITLES`]'s order.
fn figure_order() -> Vec<&'static str> {
    TITLES.iter().map(|(key, _)| *key).collect()
}

/// Lists of names that label another list's rows when their lengths agree, by preference.
const LABELS: [&str; 2] = ["grades", "segments"];

/// The report's JSON (`kd validate --format json`) as one HTML document.
pub fn render(doc: &Value) -> String {
    let field = |key: &str| doc.get(key).and_then(Value::as_str).unwrap_or_default();
    let title = format!("{} model validation", field("model").to_uppercase());
    let empty = Map::new();
    let top = doc.as_object().unwrap_or(&empty);
    let meta = ["file", "date", "n_obs", "n_defaults", "instructions"];
    let any_shown = SECTIONS.iter().any(|(id, _)| shown(doc, id));
    html! {
        (DOCTYPE)
        html lang="en" {
            (page_head(&title, env!("CARGO_PKG_VERSION")))
            body {
                header {
                    p.kicker { "Model validation report · kd validate" }
                    h1 { (title) }
                    dl.meta {
                        @for key in meta {
                            @if let Some(value) = top.get(key).filter(|v| !v.is_null()) {
                                dt { (field_words(key)) } dd { @if key == "file" { code { (plain(value)) } } @else { (cell(key, value)) } }
                            }
                        }
                        @if let Some(grades) = doc.pointer("/scale/grades").and_then(Value::as_array) {
                            dt { "Grades (segments), in order" } dd { (joined(grades)) }
                        }
                        @if let Some(baseline) = doc.pointer("/stability/baseline").and_then(Value::as_str) {
                            dt { "Baseline (initial validation)" } dd { code { (baseline) } }
                        }
                    }
                    nav {
                        @if any_shown { a href="#summary" { "What to look at" } }
                        @for (id, label) in SECTIONS.iter().filter(|(id, _)| shown(doc, id)) {
                            a href=(format!("#{id}")) { (label) }
                        }
                    }
                    p.note { "Each figure is followed by its formula and reference. P-values below 5% are in bold: the test rejects its null hypothesis at 5% (for the Kolmogorov–Smirnov test of discriminatory power, what one hopes for)." }
                }
                @if any_shown { (summary(doc)) }
                @for (number, (id, label)) in SECTIONS.iter().filter(|(id, _)| shown(doc, id)).enumerate() {
                    section id=(id) {
                        h2 { span.num { (number + 1) } (label) }
                        @let figures = doc[id].as_object().unwrap_or(&empty);
                        @for (key, figure) in ordered(figures, &figure_order()) {
                            @if let Some(figure) = figure.as_object() { (figure_block(id, key, figure, figures)) }
                            // A figure left out where it is undefined says why in a note.
                            @if let (true, Some(note)) = (key.ends_with("_note"), figure.as_str()) {
                                p.note { (titles::title(id, key.trim_end_matches("_note"))) ": " (note) }
                            }
                        }
                    }
                }
                footer { "Written by kd " (env!("CARGO_PKG_VERSION")) ". The same figures are the report's JSON (" code { "--format json" } ")." }
            }
        }
    }
    .into_string()
}

/// What a field of a figure is on the page.
enum Part<'a> {
    /// A value in the table of facts (a list of scalars joined).
    Fact,
    /// A list that labels another's rows (grades, segments): not shown on its own.
    Label,
    /// Rows of objects: a table.
    Rows(&'a [Value]),
    /// A list of lists: a matrix.
    Matrix(&'a [Value]),
    /// An object of objects (the CSI by column): a table, a row per key.
    Keyed(&'a Map<String, Value>),
    /// A figure of its own (with its formula and reference).
    Figure(&'a Map<String, Value>),
    /// An object of scalars: its fields among the facts, their names prefixed.
    Nested(&'a Map<String, Value>),
}

fn part<'a>(key: &str, value: &'a Value) -> Part<'a> {
    match value {
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => Part::Rows(items),
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_array) => Part::Matrix(items),
        Value::Array(items) if LABELS.contains(&key) && items.iter().all(Value::is_string) => Part::Label,
        Value::Object(inner) if is_figure(inner) => Part::Figure(inner),
        Value::Object(inner) if !inner.is_empty() && inner.values().all(Value::is_object) => {
            Part::Keyed(inner)
        }
        Value::Object(inner) => Part::Nested(inner),
        _ => Part::Fact,
    }
}

/// The list of names that labels a figure's rows: its grades or segments.
struct Labels<'a> {
    /// `grade` or `segment`.
    kind: &'a str,
    /// The names, in the report's order.
    names: &'a [Value],
}

/// Whether the report has section `id` with a figure in it, or a note saying why one is
/// undefined (a report without a baseline has an empty stability section).
fn shown(doc: &Value, id: &str) -> bool {
    doc.get(id).and_then(Value::as_object).is_some_and(|s| {
        s.iter().any(|(key, value)| value.is_object() || (key.ends_with("_note") && value.is_string()))
    })
}

/// One figure of `section` (beside the figures `siblings`): its title, facts, tables, chart and
/// citation; a figure inside it in turn.
fn figure_block(
    section: &str,
    key: &str,
    figure: &Map<String, Value>,
    siblings: &Map<String, Value>,
) -> Markup {
    let facts = flatten(figure, "");
    let labels = LABELS.iter().find_map(|name| {
        let list = figure.get(*name).filter(|v| matches!(part(name, v), Part::Label))?.as_array()?;
        Some(Labels { kind: name.trim_end_matches('s'), names: list })
    });
    html! {
        h3 id=(format!("{section}-{key}")) { (title(section, key)) }
        @if !facts.is_empty() {
            table.facts { tbody { @for (name, leaf, value) in &facts { tr { th { (name) } td.r { (cell(leaf, value)) } } } } }
        }
        (tables(section, key, "", figure, labels.as_ref()))
        @if let Some(chart) = chart(section, key, figure, siblings) { (chart) }
        @if let (Some(formula), Some(reference)) = (text(figure, "formula"), text(figure, "reference")) {
            p.method { code { (formula) } " — " (reference) }
        }
    }
}

/// The tables of `map` (a figure, or an object of scalars inside one, named `prefix`): its
/// rows, matrices, keyed tables and figures, in turn.
fn tables(
    section: &str,
    key: &str,
    prefix: &str,
    map: &Map<String, Value>,
    labels: Option<&Labels<'_>>,
) -> Markup {
    html! {
        @for (name, value) in ordered(map, &figure_order()) {
            @let named = if prefix.is_empty() { name.clone() } else { format!("{prefix} · {}", field_words(name)) };
            @match part(name, value) {
                // The curves are drawn; their points are many, and in the JSON.
                Part::Rows(_) if key == "curves" => {}
                Part::Rows(rows) => (rows_table(&named, rows, labels)),
                Part::Matrix(rows) => (matrix(rows, labels.map(|l| l.names).unwrap_or_default())),
                Part::Keyed(rows) => (keyed_table(name, rows)),
                Part::Figure(inner) => (figure_block(section, name, inner, map)),
                Part::Nested(inner) => (tables(section, key, &named, inner, labels)),
                Part::Fact | Part::Label => {}
            }
        }
    }
}

fn text<'a>(figure: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    figure.get(key).and_then(Value::as_str)
}

/// The facts of `figure`: its scalar fields and those of its objects of scalars, named with
/// their path (`t test · p value`), each with its own key (for marking p-values).
fn flatten<'a>(figure: &'a Map<String, Value>, prefix: &str) -> Vec<(String, &'a str, &'a Value)> {
    let mut out = Vec::new();
    for (key, value) in
        ordered(figure, &[]).into_iter().filter(|(k, _)| !matches!(k.as_str(), "formula" | "reference"))
    {
        let name =
            if prefix.is_empty() { field_words(key) } else { format!("{prefix} · {}", field_words(key)) };
        match part(key, value) {
            Part::Fact => out.push((name, key.as_str(), value)),
            Part::Nested(inner) => out.extend(flatten(inner, &name)),
            _ => {}
        }
    }
    out
}

/// Rows of objects as a table (nested objects of a row as columns of their own), each row led
/// by its grade or segment where the figure's list of them is as long, and `from` and `to`
/// grade indices (the migration's monotonicity tests) shown as the grades' names.
fn rows_table(name: &str, rows: &[Value], labels: Option<&Labels<'_>>) -> Markup {
    let grade =
        |v: &Value| -> Option<String> { labels?.names.get(usize::try_from(v.as_u64()?).ok()?).map(plain) };
    let leading = labels.filter(|l| l.names.len() == rows.len());
    let cells: Vec<Vec<(String, &str, &Value)>> =
        rows.iter().map(|r| r.as_object().map(|r| flatten(r, "")).unwrap_or_default()).collect();
    let mut columns: Vec<&str> = Vec::new();
    for (column, _, _) in cells.iter().flatten() {
        if !columns.contains(&column.as_str()) {
            columns.push(column);
        }
    }
    html! {
        @if name != "rows" { p.note { (field_words(name)) } }
        div style="overflow-x: auto" { table {
            thead { tr {
                @if let Some(l) = leading { th { (l.kind) } }
                @for c in &columns { th.r { (c) } }
            } }
            tbody { @for (k, row) in cells.iter().enumerate() { tr {
                @if let Some(l) = leading { th { (l.names.get(k).map(plain).unwrap_or_default()) } }
                @for c in &columns {
                    td.r { @if let Some((_, leaf, v)) = row.iter().find(|(name, ..)| name == c) {
                        @match (*leaf, grade(v)) {
                            ("from" | "to", Some(name)) => (name),
                            _ => (cell(leaf, v)),
                        }
                    } }
                }
            } } }
        } }
    }
}

/// An object of objects (the CSI by column) as a table, a row per key.
fn keyed_table(name: &str, rows: &Map<String, Value>) -> Markup {
    let named: Vec<Value> = rows
        .iter()
        .map(|(key, value)| {
            let mut row = Map::new();
            row.insert(name.trim_end_matches('s').to_owned(), Value::String(key.clone()));
            row.extend(value.as_object().into_iter().flatten().map(|(k, v)| (k.clone(), v.clone())));
            Value::Object(row)
        })
        .collect();
    rows_table("rows", &named, None)
}

/// A list of lists as a matrix, rows and columns labelled by `labels` (the migration counts:
/// grade before down, grade now across), each cell shaded by its share of the row.
fn matrix(rows: &[Value], labels: &[Value]) -> Markup {
    html! {
        table {
            thead { tr { th { "from \\ to" } @for l in labels { th.r { (plain(l)) } } } }
            tbody { @for (k, row) in rows.iter().enumerate() { tr {
                @let cells = row.as_array().map(Vec::as_slice).unwrap_or_default();
                @let total: f64 = cells.iter().filter_map(Value::as_f64).sum();
                th { (labels.get(k).map(plain).unwrap_or_default()) }
                @for v in cells {
                    @let share = v.as_f64().filter(|_| total > 0.0).map_or(0.0, |c| c / total);
                    td.r style=(format!("background: rgba(31, 95, 168, {:.3})", 0.5 * share))
                        title=(format!("{:.1}% of the row", 100.0 * share)) { (cell("", v)) }
                }
            } } }
        }
    }
}

/// A value as the page shows it, `key` its field: p-values below 5% and red or yellow lights
/// (moderate or significant PSI) marked.
fn cell(key: &str, value: &Value) -> Markup {
    match value {
        Value::Number(n) => {
            let v = n.as_f64().unwrap_or(f64::NAN);
            let below = key.contains("p_value") && v < 0.05;
            html! { @if below { strong title="below 5%: the test rejects its null hypothesis at 5%" { (number(v)) } } @else { (number(v)) } }
        }
        Value::String(s) if key == "traffic_light" || key == "verdict" => {
            let class = match s.as_str() {
                "red" | "significant" => "pill red",
                "yellow" | "amber" | "moderate" => "pill amber",
                "green" | "stable" => "pill green",
                _ => "pill",
            };
            html! { span class=(class) { (s) } }
        }
        Value::Array(items) => html! { (joined(items)) },
        Value::Null => html! { "—" },
        other => html! { (plain(other)) },
    }
}

/// A value as text: strings without quotes, numbers as [`number`].
pub(super) fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => number(n.as_f64().unwrap_or(f64::NAN)),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

fn joined(items: &[Value]) -> String {
    items.iter().map(plain).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_documents_render_without_panicking_and_long_curves_are_thinned() {
        for doc in [Value::Null, serde_json::json!({}), serde_json::json!({"model": 3, "stability": {}})] {
            let page = render(&doc);
            assert!(page.starts_with("<!DOCTYPE html>") && !page.contains("<section"), "{page}");
        }
        let rows: Vec<Value> = (0..=1200)
            .map(|i| {
                let x = f64::from(i) / 1200.0;
                serde_json::json!({"fpr": x, "tpr": x.sqrt(), "population": x})
            })
            .collect();
        let doc = serde_json::json!({
            "model": "pd",
            "discriminatory_power": {"curves": {"rows": rows, "formula": "f", "reference": "r"}},
        });
        let page = render(&doc);
        // Two curves of at most 501 points each (every third and the last), not 1,201.
        let points = page.matches(',').count();
        assert!(page.contains("<svg") && points < 2_000, "{points} commas");
    }
}
