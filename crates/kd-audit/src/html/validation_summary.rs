//! The validation page's first table: every figure that asks a validator to look, gathered from
//! the report's JSON, each linked to its figure.
//!
//! | flagged | when |
//! |---|---|
//! | a test | a `…p_value` below 5% (not the Kolmogorov–Smirnov test of discriminatory power, whose rejection is what one hopes for, nor a cell test of the migration matrix, whose breach is listed instead; the comparison with a challenger only when the model's AUROC is the lower) |
//! | a traffic light | yellow or red |
//! | a PSI or CSI | a moderate or significant shift |
//! | a monotonicity test | a breach, with the two grades |
//!
//! The table reads only the JSON, so it lists what the JSON says: sections and figures in the
//! page's order, the fields within a figure by name.

use maud::{Markup, html};
use serde_json::{Map, Value};

use super::number;
use super::validation::{SECTIONS, figure_order, humanise, is_figure, ordered, plain, title};

/// One flagged figure: where it stands and what it says.
struct Flag {
    /// The anchor of its figure on the page.
    anchor: String,
    /// The figure's title.
    figure: String,
    /// The row or field within the figure (a grade, a segment, a column), if any.
    place: String,
    /// What is flagged, in words.
    what: String,
}

/// The level below which a p-value is flagged.
const LEVEL: f64 = 0.05;

/// The summary table of `doc` (a validation report's JSON).
pub fn summary(doc: &Value) -> Markup {
    let mut flags = Vec::new();
    for (section, _) in SECTIONS {
        let Some(figures) = doc.get(section).and_then(Value::as_object) else { continue };
        for (key, figure) in ordered(figures, &figure_order()) {
            if let Some(figure) = figure.as_object() {
                visit_figure(section, key, figure, &mut flags);
            }
        }
    }
    html! {
        section id="summary" {
            h2 { "What to look at" }
            @if flags.is_empty() {
                p { "No test rejects at 5%, no traffic light is yellow or red, no shift is moderate or worse and the migration matrix has no breach." }
            } @else {
                p.note { (flags.len()) " flags: tests rejecting at 5% (a low p-value), yellow or red traffic lights, moderate or significant shifts and breaches of the migration matrix's monotonicity. Each links to its figure." }
                table {
                    thead { tr { th { "Figure" } th { "Where" } th { "What" } } }
                    tbody { @for f in &flags { tr {
                        td { a href=(format!("#{}", f.anchor)) { (f.figure) } }
                        td { (f.place) }
                        td { (f.what) }
                    } } }
                }
            }
        }
    }
}

/// Flags within figure `key` of `section`, and within the figures it holds.
fn visit_figure(section: &str, key: &str, figure: &Map<String, Value>, flags: &mut Vec<Flag>) {
    let grades = figure.get("grades").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let here = Here { section, key, anchor: format!("{section}-{key}"), figure: title(section, key), grades };
    visit(&here, "", figure, flags);
}

/// The figure being read.
struct Here<'a> {
    section: &'a str,
    key: &'a str,
    anchor: String,
    figure: String,
    /// The figure's grade names, for rows that give grades as indices (the migration's tests).
    grades: &'a [Value],
}

/// Flags among the fields of `map`, found at `place` within the figure.
fn visit(here: &Here<'_>, place: &str, map: &Map<String, Value>, flags: &mut Vec<Flag>) {
    let breach_row = map.contains_key("breach");
    for (name, value) in map {
        let flag = |what: String| Flag {
            anchor: here.anchor.clone(),
            figure: here.figure.clone(),
            place: place.to_owned(),
            what,
        };
        match value {
            Value::Number(n) if name.contains("p_value") && !breach_row => {
                if let Some(p) = n.as_f64().filter(|p| *p < LEVEL && rejection_is_a_flag(here, map)) {
                    flags.push(flag(format!("{} {}", humanise(name), number(p))));
                }
            }
            Value::String(s) if name == "traffic_light" && matches!(s.as_str(), "yellow" | "red") => {
                flags.push(flag(format!("traffic light {s}")));
            }
            Value::String(s) if name == "verdict" && matches!(s.as_str(), "moderate" | "significant") => {
                flags.push(flag(format!("{s} shift")));
            }
            Value::Bool(true) if name == "breach" => flags.push(flag("monotonicity breached".into())),
            Value::Object(inner) if is_figure(inner) => visit_figure(here.section, name, inner, flags),
            // The CSI's columns: an object per column, named as the tables' rows are.
            Value::Object(columns) if name == "columns" => {
                for (column, figure) in columns {
                    if let Some(figure) = figure.as_object() {
                        visit(here, &joined(place, &format!("column {column}")), figure, flags);
                    }
                }
            }
            Value::Object(inner) => visit(here, &joined(place, &humanise(name)), inner, flags),
            Value::Array(rows) => {
                for row in rows.iter().filter_map(Value::as_object) {
                    visit(here, &joined(place, &row_name(row, here.grades)), row, flags);
                }
            }
            _ => {}
        }
    }
}

/// Whether a test of this figure rejecting is a problem: not for the Kolmogorov–Smirnov test
/// of discriminatory power (the scores of defaulters and others differ, as they should), and
/// for the two-sided comparison with a challenger only when the model's AUROC is the lower.
fn rejection_is_a_flag(here: &Here<'_>, map: &Map<String, Value>) -> bool {
    let auroc = |k: &str| map.get(k).and_then(Value::as_f64);
    match (here.section, here.key) {
        ("discriminatory_power", "ks") => false,
        ("discriminatory_power", "comparison") => {
            matches!((auroc("auroc_a"), auroc("auroc_b")), (Some(a), Some(b)) if a < b)
        }
        _ => true,
    }
}

/// `a · b`, either part left out when empty.
fn joined(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_owned(),
        (_, true) => a.to_owned(),
        _ => format!("{a} · {b}"),
    }
}

/// A row's name: its grade, segment, cohort or column (`grade AA`), or its two grades
/// (`AA → BB`).
fn row_name(row: &Map<String, Value>, grades: &[Value]) -> String {
    if let Some((key, name)) =
        ["grade", "segment", "cohort", "column"].iter().find_map(|k| Some((k, row.get(*k)?)))
    {
        return format!("{key} {}", plain(name));
    }
    let grade = |k: &str| -> Option<String> {
        let index = usize::try_from(row.get(k)?.as_u64()?).ok()?;
        Some(grades.get(index).map_or_else(|| index.to_string(), plain))
    };
    match (grade("from"), grade("to")) {
        (Some(from), Some(to)) => format!("{from} → {to}"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_low_p_values_lights_shifts_and_breaches_but_not_the_discriminating_ks() {
        let doc = serde_json::json!({
            "discriminatory_power": {
                "ks": {"statistic": 0.4, "p_value": 0.0, "formula": "f", "reference": "r"},
            },
            "predictive_ability": {
                "grades": {"rows": [
                    {"grade": "AA", "binomial_p_value": 0.01, "traffic_light": "green"},
                    {"grade": "B", "binomial_p_value": 0.5, "traffic_light": "red"},
                ], "formula": "f", "reference": "r"},
            },
            "stability": {
                "csi": {"columns": {"age": {"value": 0.3, "verdict": "significant"}}, "formula": "f", "reference": "r"},
                "migration": {"grades": ["AA", "B"], "monotonicity": {"tests": [
                    {"from": 0, "to": 1, "p_value": 0.001, "breach": true},
                ]}, "formula": "f", "reference": "r"},
            },
        });
        let page = summary(&doc).into_string();
        let shown = [
            "grade AA",
            "binomial p value 0.01",
            "traffic light red",
            "column age",
            "significant shift",
            "AA → B",
            "monotonicity breached",
        ];
        for shown in shown {
            assert!(page.contains(shown), "'{shown}' not in {page}");
        }
        assert!(!page.contains("Kolmogorov"), "the discriminating KS is not flagged: {page}");
        assert_eq!(page.matches("<tr>").count(), 5, "a header and four flags: {page}");
        // The model beats its challenger: no flag; the challenger beats the model: a flag.
        let compared = |a: f64, b: f64| {
            let figure = serde_json::json!({"auroc_a": a, "auroc_b": b, "p_value": 0.001, "formula": "f", "reference": "r"});
            summary(&serde_json::json!({"discriminatory_power": {"comparison": figure}})).into_string()
        };
        assert!(compared(0.80, 0.70).contains("No test rejects at 5%"));
        assert!(compared(0.70, 0.80).contains("p value 0.001"));
        let calm = summary(
            &serde_json::json!({"predictive_ability": {"jeffreys": {"p_value": 0.3, "formula": "f", "reference": "r"}}}),
        );
        assert!(calm.into_string().contains("No test rejects at 5%"));
    }
}
