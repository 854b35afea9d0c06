//! A decision set in words: one line per rule, `If <outer>: If <inner> then <class> (coverage
//! 8.1%, agreement 91.2%)`, then the default rule.

use std::fmt::Write as _;

use super::rules::{Condition, DecisionSet, Test};

impl DecisionSet {
    /// The rules as text. `names` are the feature names, `levels` the level names of
    /// categorical features (`None` for numeric ones), `classes` the class names; anything
    /// missing is written as `x3`, the level code or the class index.
    pub fn export_text(
        &self,
        names: &[String],
        levels: &[Option<Vec<String>>],
        classes: &[String],
    ) -> String {
        let class = |c: usize| classes.get(c).cloned().unwrap_or_else(|| c.to_string());
        let mut out = String::new();
        for rule in &self.rules {
            let _ = writeln!(
                out,
                "If {}: If {} then {} (coverage {:.1}%, agreement {:.1}%)",
                conjunction(&rule.outer, names, levels),
                conjunction(&rule.inner, names, levels),
                class(rule.class),
                100.0 * rule.coverage,
                100.0 * rule.agreement
            );
        }
        let _ = writeln!(
            out,
            "Otherwise (no rule applies): {} (coverage {:.1}%)",
            class(self.default.class),
            100.0 * self.default.coverage
        );
        out
    }
}

/// `a and b and …`.
pub(crate) fn conjunction(
    conditions: &[Condition],
    names: &[String],
    levels: &[Option<Vec<String>>],
) -> String {
    conditions.iter().map(|c| condition(c, names, levels)).collect::<Vec<_>>().join(" and ")
}

fn condition(c: &Condition, names: &[String], levels: &[Option<Vec<String>>]) -> String {
    let name = names.get(c.feature).cloned().unwrap_or_else(|| format!("x{}", c.feature));
    match c.test {
        Test::Level { level } => {
            let label = levels
                .get(c.feature)
                .and_then(Option::as_ref)
                .and_then(|l| l.get(level))
                .cloned()
                .unwrap_or_else(|| level.to_string());
            format!("{name} == {label}")
        }
        Test::Interval { lower: None, upper: Some(u) } => format!("{name} <= {}", number(u)),
        Test::Interval { lower: Some(l), upper: None } => format!("{name} > {}", number(l)),
        Test::Interval { lower: Some(l), upper: Some(u) } => {
            format!("{} < {name} <= {}", number(l), number(u))
        }
        Test::Interval { lower: None, upper: None } => format!("{name} is any value"),
    }
}

/// A threshold to 4 significant digits (at least 2 decimals; integers as they are); the
/// JSON keeps the exact value.
fn number(v: f64) -> String {
    if v.fract() == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let decimals = (3 - v.abs().log10().floor() as i32).clamp(2, 12) as usize;
    let text = format!("{v:.decimals$}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
