//! The figures of a report that ask a validator to look, found by rule in its JSON document,
//! each with its section, figure, place in the figure and value: the end of the program's
//! table, the top of the HTML page, and `flags` in the JSON.
//!
//! | kind | flagged when |
//! |---|---|
//! | [`FlagKind::Rejected`] | a `…p_value` below 5%; not the Kolmogorov–Smirnov test of discriminatory power (defaulters' scores differing from the others' is what one hopes for), not a cell test of the migration matrix (its breach is flagged instead), and the two-sided comparison with a challenger only when the challenger's AUROC is the higher. The calibration tests of Hosmer–Lemeshow and Spiegelhalter and the ELBE back-test are two-sided: they flag PDs or estimates too prudent as well as too low, where the binomial, Jeffreys, long-run and LGD/CCF back-tests flag only under-estimation |
//! | [`FlagKind::Light`] | a traffic light yellow or red |
//! | [`FlagKind::Shift`] | a PSI or CSI verdict moderate or significant |
//! | [`FlagKind::Breach`] | a cell of the migration matrix breaching monotonicity |
//! | [`FlagKind::Column`] | a column of both files left out of the CSI because it has no value now, or holds numbers in one file and text in the other |
//!
//! Read from the JSON rather than from the report's types so that one rule covers every
//! figure, the PD, LGD and CCF reports' alike, and a new figure is covered when it is written.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::titles::{SECTIONS, TITLES, field_words, title};
use crate::validation::left_out;

/// The level below which a p-value is flagged.
pub const FLAG_LEVEL: f64 = 0.05;

/// What is flagged, in words, for the table's and the page's headings.
pub const FLAGGED: &str = "tests rejecting at 5% (a low p-value), yellow or red traffic lights, moderate or \
significant shifts, breaches of the migration matrix's monotonicity, columns emptied or changed in kind \
since the baseline, and figures the data leave undefined";

/// What is not there when nothing is flagged, in words.
pub const NOTHING_FLAGGED: &str = "no test rejects at 5%, no traffic light is yellow or red, no shift is moderate \
or worse, the migration matrix has no breach, no column emptied or changed in kind, and every figure is defined";

/// What a flag says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlagKind {
    /// A test rejecting its null hypothesis at 5%.
    Rejected,
    /// A yellow or red traffic light.
    Light,
    /// A moderate or significant shift of a distribution.
    Shift,
    /// A breach of the migration matrix's monotonicity.
    Breach,
    /// A column of both files emptied since the baseline, or read as another kind.
    Column,
    /// A figure the data leave undefined (fewer than 2 defaults for the AUROC, one grade for
    /// the concentration): its note says why.
    Undefined,
}

/// One figure that asks a validator to look: `value` for programs, `what` for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// What it says.
    pub kind: FlagKind,
    /// The section's key (`predictive_ability`).
    pub section: String,
    /// The figure's key (`grades`).
    pub figure: String,
    /// The figure's title (`Per grade`).
    pub title: String,
    /// Where in the figure: a grade, segment, cohort or column (`grade AA`), two grades
    /// (`AA → BB`), the fields on the way (`segment L1 · t test`); empty for the figure itself.
    pub place: String,
    /// The field flagged (`jeffreys_p_value`, `traffic_light`, `verdict`, `breach`).
    pub field: String,
    /// Its value.
    pub value: Value,
    /// The flag in words: `Jeffreys p value 0.0142` (four decimals, or three significant
    /// digits below 1e-4: `2.97e-37`), `traffic light yellow`, `moderate shift`, `monotonicity
    /// breached`.
    pub what: String,
}

/// `flags` in runs of the same place of the same figure (a grade's binomial and Jeffreys tests
/// and its light, say): one line or row each, so that one finding reads as one.
pub fn by_place(flags: &[Flag]) -> impl Iterator<Item = &[Flag]> {
    flags.chunk_by(|a, b| (&a.section, &a.figure, &a.place) == (&b.section, &b.figure, &b.place))
}

/// The words of a flag of `kind` on `field` holding `value`.
fn words(kind: FlagKind, field: &str, value: &Value) -> String {
    let text = || value.as_str().unwrap_or_default();
    match kind {
        FlagKind::Rejected => {
            let p = value
                .as_f64()
                .map_or_else(String::new, |p| if p < 1e-4 { format!("{p:.2e}") } else { format!("{p:.4}") });
            format!("{} {p}", field_words(field))
        }
        FlagKind::Light => format!("traffic light {}", text()),
        FlagKind::Shift => format!("{} shift", text()),
        FlagKind::Breach => "monotonicity breached".to_owned(),
        FlagKind::Column | FlagKind::Undefined => text().to_owned(),
    }
}

/// The flags of a report's JSON document, in the page's order: sections as the instructions
/// order them, figures as [`TITLES`] does (others by name), fields within a figure by name.
pub fn flags(doc: &Value) -> Vec<Flag> {
    let mut out = Vec::new();
    for (section, _) in SECTIONS {
        let Some(figures) = doc.get(section).and_then(Value::as_object) else { continue };
        for (key, figure) in in_title_order(figures) {
            if let Some(figure) = figure.as_object() {
                visit_figure(section, key, figure, &mut out);
            }
            // A figure left out where it is undefined: its note, beside where it would be.
            if let (Some(left_out), Value::String(_)) = (key.strip_suffix("_note"), figure) {
                let here = Here { section, key: left_out, grades: &[] };
                out.push(flag(&here, "", FlagKind::Undefined, key, figure));
            }
        }
    }
    out
}

/// `figures` in [`TITLES`]' order, the others after them by name.
fn in_title_order(figures: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let rank = |key: &str| TITLES.iter().position(|(k, _)| *k == key).unwrap_or(usize::MAX);
    let mut entries: Vec<_> = figures.iter().collect();
    entries.sort_by_key(|(key, _)| rank(key));
    entries
}

/// Whether `map` is a figure: an object citing its formula and reference.
pub fn is_figure(map: &Map<String, Value>) -> bool {
    map.get("formula").is_some_and(Value::is_string) && map.get("reference").is_some_and(Value::is_string)
}

/// The figure being read.
struct Here<'a> {
    section: &'a str,
    key: &'a str,
    /// The figure's grade names, for rows that give grades as indices (the migration's tests).
    grades: &'a [Value],
}

/// Flags within figure `key` of `section`, and within the figures it holds.
fn visit_figure(section: &str, key: &str, figure: &Map<String, Value>, out: &mut Vec<Flag>) {
    let grades = figure.get("grades").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    visit(&Here { section, key, grades }, "", figure, out);
}

/// Flags among the fields of `map`, found at `place` within the figure.
fn visit(here: &Here<'_>, place: &str, map: &Map<String, Value>, out: &mut Vec<Flag>) {
    let breach_row = map.contains_key("breach");
    for (name, value) in map {
        let kind = match value {
            Value::Number(n) if name.contains("p_value") && !breach_row => n
                .as_f64()
                .filter(|p| *p < FLAG_LEVEL && rejection_is_a_flag(here, map))
                .map(|_| FlagKind::Rejected),
            Value::String(s) if name == "traffic_light" && matches!(s.as_str(), "yellow" | "red") => {
                Some(FlagKind::Light)
            }
            Value::String(s) if name == "verdict" && matches!(s.as_str(), "moderate" | "significant") => {
                Some(FlagKind::Shift)
            }
            Value::Bool(true) if name == "breach" => Some(FlagKind::Breach),
            Value::String(_) if name == "note" => Some(FlagKind::Undefined),
            Value::Object(inner) if is_figure(inner) => {
                visit_figure(here.section, name, inner, out);
                None
            }
            // The CSI's columns left out: those whose data changed since the baseline (not
            // those in one file only, which is a matter of the files given).
            Value::Object(columns) if name == "left_out" => {
                for (column, why) in columns {
                    if matches!(why.as_str(), Some(left_out::EMPTY_NOW | left_out::KINDS_DIFFER)) {
                        let place = joined(place, &format!("column {column}"));
                        out.push(flag(here, &place, FlagKind::Column, name, why));
                    }
                }
                None
            }
            // The CSI's columns: an object per column, named as the tables' rows are.
            Value::Object(columns) if name == "columns" => {
                for (column, figure) in columns {
                    if let Some(figure) = figure.as_object() {
                        visit(here, &joined(place, &format!("column {column}")), figure, out);
                    }
                }
                None
            }
            Value::Object(inner) => {
                visit(here, &joined(place, &field_words(name)), inner, out);
                None
            }
            Value::Array(rows) => {
                for (i, row) in rows.iter().enumerate() {
                    let Some(row) = row.as_object() else { continue };
                    let mut name = row_name(row, here.grades);
                    // Rows a grade each, in the figure's `grades` order (the bounds).
                    if name.is_empty() && rows.len() == here.grades.len() {
                        name = format!("grade {}", text(&here.grades[i]));
                    }
                    visit(here, &joined(place, &name), row, out);
                }
                None
            }
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(flag(here, place, kind, name, value));
        }
    }
}

/// The flag of `kind` on field `name` holding `value` at `place` of the figure.
fn flag(here: &Here<'_>, place: &str, kind: FlagKind, name: &str, value: &Value) -> Flag {
    Flag {
        kind,
        section: here.section.to_owned(),
        figure: here.key.to_owned(),
        title: title(here.section, here.key),
        place: place.to_owned(),
        field: name.to_owned(),
        value: value.clone(),
        what: words(kind, name, value),
    }
}

/// Whether a test of this figure rejecting is a problem: not for the Kolmogorov–Smirnov test
/// of discriminatory power, and for the two-sided comparison with a challenger only when the
/// model's AUROC is the lower.
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

/// A value as text: a string without quotes.
fn text(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_owned)
}

/// A row's name: its grade, segment, cohort or column (`grade AA`), or its two grades
/// (`AA → BB`).
fn row_name(row: &Map<String, Value>, grades: &[Value]) -> String {
    let named = ["grade", "segment", "cohort", "column"].iter().find_map(|k| Some((k, row.get(*k)?)));
    if let Some((key, name)) = named {
        return format!("{key} {}", text(name));
    }
    let grade = |k: &str| -> Option<String> {
        let index = usize::try_from(row.get(k)?.as_u64()?).ok()?;
        Some(grades.get(index).map_or_else(|| index.to_string(), text))
    };
    match (grade("from"), grade("to")) {
        (Some(from), Some(to)) => format!("{from} → {to}"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(flags: &[Flag]) -> Vec<String> {
        flags.iter().map(|f| format!("{} | {} | {}", f.title, f.place, f.what)).collect()
    }

    #[test]
    fn low_p_values_lights_shifts_breaches_and_changed_columns_are_flagged_but_not_the_discriminating_ks() {
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
                "csi": {"columns": {"age": {"value": 0.3, "verdict": "significant"}}, "left_out": {
                    "branch": "no value in the current sample",
                    "kind": "numbers in one file, text in the other",
                    "new": "not in the baseline",
                    "old": "no value in the baseline",
                }, "formula": "f", "reference": "r"},
                "migration": {"grades": ["AA", "B"], "monotonicity": {"tests": [
                    {"from": 0, "to": 1, "p_value": 0.001, "breach": true},
                ]}, "formula": "f", "reference": "r"},
            },
        });
        assert_eq!(
            words(&flags(&doc)),
            [
                "Per grade | grade AA | binomial p value 0.0100",
                "Per grade | grade B | traffic light red",
                "Characteristic stability of the other columns | column age | significant shift",
                "Characteristic stability of the other columns | column branch | no value in the current sample",
                "Characteristic stability of the other columns | column kind | numbers in one file, text in the other",
                "Migration matrix | monotonicity · AA → B | monotonicity breached",
            ]
        );
    }

    #[test]
    fn figures_left_out_as_undefined_are_flagged_with_their_notes() {
        let doc = serde_json::json!({
            "discriminatory_power": {"auroc_note": "discriminatory power is undefined here: no defaults"},
            "concentration": {"obligors": {"note": "the index is undefined here: one grade", "formula": "f", "reference": "r"}},
        });
        let found = flags(&doc);
        assert_eq!(
            words(&found),
            [
                "AUROC with DeLong's interval |  | discriminatory power is undefined here: no defaults",
                "Herfindahl index by obligors |  | the index is undefined here: one grade",
            ]
        );
        assert!(found.iter().all(|f| f.kind == FlagKind::Undefined));
    }

    #[test]
    fn a_challenger_comparison_is_flagged_only_when_the_challenger_ranks_better() {
        let compared = |a: f64, b: f64| {
            let figure = serde_json::json!({"auroc_a": a, "auroc_b": b, "p_value": 0.001, "formula": "f", "reference": "r"});
            flags(&serde_json::json!({"discriminatory_power": {"comparison": figure}}))
        };
        assert!(compared(0.80, 0.70).is_empty());
        let twice = [compared(0.70, 0.80), compared(0.70, 0.80)].concat();
        assert_eq!(by_place(&twice).count(), 1, "two flags of one place read as one");
        assert_eq!(compared(0.70, 0.80).len(), 1);
        assert!(flags(&serde_json::json!({"predictive_ability": {"jeffreys": {"p_value": 0.3, "formula": "f", "reference": "r"}}})).is_empty());
        assert!(flags(&Value::Null).is_empty());
    }
}
