//! The validation page's first table: the report's `flags` (the figures that ask a validator to
//! look, found by kd-hypotheses' rule), each linked to its figure.

use kd_hypotheses::validation::report::{FLAGGED, Flag, NOTHING_FLAGGED, by_place, flags};
use maud::{Markup, html};
use serde_json::Value;

/// The table of the `flags` of `doc` (a validation report's JSON document); for a document
/// without them, or whose flags do not read as such (an older file, a dictionary edited in
/// Python), the flags found in it by the same rule.
pub fn summary(doc: &Value) -> Markup {
    let flags: Vec<Flag> =
        doc.get("flags").and_then(|f| serde_json::from_value(f.clone()).ok()).unwrap_or_else(|| flags(doc));
    html! {
        section id="summary" {
            h2 { "What to look at" }
            @if flags.is_empty() {
                p { "Nothing is flagged: " (NOTHING_FLAGGED) "." }
            } @else {
                p.note { (flags.len()) " flags in " (by_place(&flags).count()) " places: " (FLAGGED) ". Each links to its figure." }
                table {
                    thead { tr { th { "Figure" } th { "Where" } th { "What" } } }
                    tbody { @for run in by_place(&flags) { tr {
                        td { a href=(format!("#{}-{}", run[0].section, run[0].figure)) { (run[0].title) } }
                        td { (run[0].place) }
                        td { (run.iter().map(|f| f.what.as_str()).collect::<Vec<_>>().join("; ")) }
                    } } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_listed_with_links_to_their_figures() {
        let doc = serde_json::json!({"flags": [
            {"kind": "rejected", "section": "predictive_ability", "figure": "grades", "title": "Per grade",
             "place": "grade AA", "field": "jeffreys_p_value", "value": 0.0142, "what": "Jeffreys p value 0.0142"},
            {"kind": "light", "section": "predictive_ability", "figure": "grades", "title": "Per grade",
             "place": "grade B", "field": "traffic_light", "value": "red", "what": "traffic light red"},
        ]});
        let page = summary(&doc).into_string();
        for shown in [
            "href=\"#predictive_ability-grades\"",
            "grade AA",
            "Jeffreys p value 0.0142",
            "traffic light red",
        ] {
            assert!(page.contains(shown), "'{shown}' not in {page}");
        }
        assert!(
            summary(&serde_json::json!({}))
                .into_string()
                .contains("Nothing is flagged: no test rejects at 5%")
        );
        // Without flags, those the rule finds in the document.
        let unflagged = serde_json::json!({"predictive_ability": {"jeffreys": {"p_value": 0.01, "formula": "f", "reference": "r"}}});
        assert!(summary(&unflagged).into_string().contains("p value 0.0100"));
    }
}
