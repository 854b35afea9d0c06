//! `kd explain` for a saved text student (`kd-text-student`, from `kd distill --text … --student
//! sparse`): its n-grams by class, or one message's n-gram contributions (`--message`).

use std::fmt::Write as _;

use kd::students::text::SavedTextStudent;

use super::to_json;

/// The student's size, penalty and the n-grams pushing towards each class.
pub fn summary(saved: &SavedTextStudent) -> String {
    let source = saved.teacher.as_deref().map_or("the true labels".to_owned(), |t| format!("teacher {t}"));
    format!(
        "text student for {} (text column '{}'), fitted to {source}\n\n{}",
        saved.target,
        saved.text_column,
        saved.student.explain(30)
    )
}

/// One message explained: the probability of class 1 and the n-grams' contributions, which add
/// up with the intercept to the log-odds; as text or (`json`) the whole explanation.
pub fn message(saved: &SavedTextStudent, message: &str, json: bool) -> anyhow::Result<String> {
    let student = &saved.student;
    let explanation = student.explain_text(message);
    let p = 1.0 / (1.0 + (-explanation.log_odds).exp());
    if json {
        return to_json(&serde_json::json!({
            "message": message,
            "class": student.classes[1],
            "probability": p,
            "explanation": explanation,
        }));
    }
    let mut out = format!("P({}) = {p:.4}\n{}\n", student.classes[1], explanation.to_text(10));
    for t in &explanation.terms {
        let _ = writeln!(
            out,
            "  {:<32} value {:>8.4} × weight {:>+9.4} = {:>+9.4}",
            t.term, t.value, t.weight, t.contribution
        );
    }
    Ok(out)
}
