//! `kd explain`: what a saved student says, in a form a person can read.

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::students::{SavedStudent, Student};

use super::to_json;

/// Arguments of `kd explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A student saved by `kd distill --out`.
    model: PathBuf,
    /// text (the tree as indented rules), rules (one rule per leaf with its coverage), dot
    /// (Graphviz) or json (the whole model).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ExplainFormat {
    Text,
    Rules,
    Dot,
    Json,
}

/// Loads the student and explains it.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(&args.model)
        .map_err(|source| kd::core::Error::Io { file: args.model.clone(), source })?;
    let saved = SavedStudent::from_json(&text)?;
    let source = saved.teacher.as_deref().map_or("the true labels".to_owned(), |t| format!("teacher {t}"));
    let kind = match &saved.student {
        Student::Tree(_) => "tree",
        Student::Logistic(_) => "logistic",
        _ => "unknown",
    };
    Ok(match (args.format, &saved.student) {
        (ExplainFormat::Json, _) => to_json(&saved)?,
        (ExplainFormat::Text, student) => format!(
            "{kind} student for {} ({}), fitted to {source}\n\n{}",
            saved.target,
            saved.task,
            student.explain(&saved.features, saved.classes.as_deref())
        ),
        (ExplainFormat::Dot, Student::Tree(tree)) => tree.export_dot(&saved.features),
        (ExplainFormat::Rules, Student::Tree(tree)) => {
            let mut out = String::new();
            let mut rules = tree.rules(&saved.features);
            rules.sort_by(|a, b| b.coverage.total_cmp(&a.coverage));
            for rule in rules {
                let value: Vec<String> = rule.value.iter().map(|v| format!("{v:.3}")).collect();
                let _ = writeln!(
                    out,
                    "IF {} THEN [{}]   (covers {:.1}% of training rows)",
                    if rule.conditions.is_empty() { "TRUE".into() } else { rule.conditions.join(" AND ") },
                    value.join(", "),
                    100.0 * rule.coverage
                );
            }
            out
        }
        (ExplainFormat::Dot | ExplainFormat::Rules, _) => {
            anyhow::bail!(kd::core::Error::InvalidParameter {
                name: "format".into(),
                reason: format!("dot and rules describe trees; this is a {kind} student (use text or json)"),
            })
        }
    })
}
