//! A saved student drawn as the report draws its students, for a notebook (the Python
//! package's `_repr_html_`): a tree as boxes from left to right, each with the condition that
//! leads to it, its value and rows; a boosted GAM's main terms as shape functions with their
//! bands across the bags, the most important first. Linear models, scorecards and the spline
//! GAM are tables and text, which the caller shows; they have no drawing here.

use kd_students::{SavedStudent, Student};
use maud::{PreEscaped, html};

use crate::html::CHART_STYLE;
use crate::html::model::shape;
use crate::html::tree::{Names, tree_svg};
use crate::stages::explanation::shapes;

/// The student's drawing as an HTML fragment (inline SVG and its style rules; every name
/// escaped), or `None` for a student without one.
///
/// A tree's boxes show, for a binary task, the probability of the second class (`P(bad)` when
/// the classes are `good`, `bad`); for a multiclass task the share of the box's largest class;
/// for a regression the mean. A GAM's shapes are on the link scale (log-odds for a binary task).
pub fn student_html(saved: &SavedStudent) -> Option<String> {
    let names = Names { features: &saved.features, levels: &saved.levels };
    let classes = saved.classes.as_deref().unwrap_or_default();
    let drawing = match &saved.student {
        Student::Tree(tree) => {
            let (what, value): (String, fn(&[f64]) -> f64) = match (saved.task.as_str(), classes) {
                ("binary", [_, second]) => {
                    (format!("P({second})"), |v| v.get(1).copied().unwrap_or(f64::NAN))
                }
                ("multiclass", _) => {
                    ("largest class share".to_owned(), |v| v.iter().copied().fold(f64::NAN, f64::max))
                }
                _ => ("mean".to_owned(), |v| v.first().copied().unwrap_or(f64::NAN)),
            };
            tree_svg(tree, &names, &what, &value)
        }
        Student::Gam(gam) => {
            let scale = match (saved.task.as_str(), classes) {
                ("binary", [_, second]) => format!("log-odds of '{second}'"),
                _ => format!("the units of '{}'", saved.target),
            };
            let shapes = shapes(gam, &saved.features, &saved.levels);
            html! { div.grid { @for s in &shapes { (shape(s, &scale)) } } }
        }
        _ => return None,
    };
    Some(html! { div.kd-diagram { style { (PreEscaped(CHART_STYLE)) } (drawing) } }.into_string())
}
