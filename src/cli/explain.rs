//! `kd explain`: what a saved model says, in a form a person can read. Every format is read
//! and validated by the library that owns it (`kd-student`: kd-students, `kd-mlp`: kd-core,
//! `kd-extracted`: kd-extract, `kd-text-student`: kd-students, `kd-speech-cnn`: kd-core with
//! libtorch).

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::nn::{MLP_FORMAT, SavedMlp};
use kd::core::plot::{Panel, panels_svg};
use kd::extract::{EXTRACTED_FORMAT, SavedExtraction};
use kd::students::text::{SavedTextStudent, TEXT_FORMAT};
use kd::students::{SavedStudent, Student};

use super::{UsageError, to_json};

/// Arguments of `kd explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A student saved by `kd distill --out`.
    model: PathBuf,
    /// text (the tree as indented rules, the coefficients, the GAM's terms and shapes, or the
    /// scorecard's points table), rules
    /// (a tree: one rule per leaf with its coverage), dot (a tree, Graphviz), shapes (a GAM: its
    /// shape functions as CSV), svg (a GAM: its shape functions drawn) or json (the whole model;
    /// a scorecard's with its `points_table`).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
    /// A text student (`kd distill --text … --student sparse`): explain this message, its
    /// n-grams' contributions to the log-odds.
    #[arg(long)]
    message: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ExplainFormat {
    Text,
    Rules,
    Dot,
    Shapes,
    Svg,
    Json,
}

/// A model file of any of kd's formats, read by the library that owns the format.
enum Model {
    Student(Box<SavedStudent>),
    Mlp(Box<SavedMlp>),
    Extracted(Box<SavedExtraction>),
    Text(Box<SavedTextStudent>),
    #[cfg(feature = "torch")]
    Speech(Box<kd::core::nn::SavedSpeechCnn>),
}

/// Reads `text` by its `format` field: `kd-mlp`, `kd-extracted`, otherwise a kd student (whose
/// reader names what is wrong with anything else).
fn load(text: &str) -> anyhow::Result<Model> {
    Ok(match kd::core::saved_format::format_of(text).as_deref() {
        Some(MLP_FORMAT) => Model::Mlp(Box::new(SavedMlp::from_json(text)?)),
        Some(EXTRACTED_FORMAT) => Model::Extracted(Box::new(SavedExtraction::from_json(text)?)),
        Some(TEXT_FORMAT) => Model::Text(Box::new(SavedTextStudent::from_json(text)?)),
        #[cfg(feature = "torch")]
        Some(kd::core::nn::SPEECH_CNN_FORMAT) => {
            Model::Speech(Box::new(kd::core::nn::SavedSpeechCnn::from_json(text)?))
        }
        _ => Model::Student(Box::new(SavedStudent::from_json(text)?)),
    })
}

/// Loads the model and explains it.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let text = super::read_model_file(&args.model)?;
    let model = super::in_model_file(&args.model, load(&text))?;
    if let Some(message) = &args.message {
        let Model::Text(saved) = &model else {
            anyhow::bail!(UsageError::new("message", "only a text student explains a message"));
        };
        return super::explain_text::message(saved, message, matches!(args.format, ExplainFormat::Json));
    }
    let (summary, reason) = match model {
        Model::Student(saved) => return student(args.format, &saved),
        Model::Text(saved) => (
            super::explain_text::summary(&saved),
            "a text student is explained as text (its n-grams by class) or json; --message explains one message",
        ),
        Model::Mlp(mlp) => {
            (mlp.summary()?, "an MLP student is explained as text (its shape and training) or json")
        }
        Model::Extracted(model) => {
            (model.export_text(), "an m-of-n tree or decision set is explained as text or json")
        }
        #[cfg(feature = "torch")]
        Model::Speech(saved) => (
            kd::core::nn::SpeechCnn::from_saved(&saved, kd::core::tch::Device::Cpu)?.summary() + "\n",
            "a speech CNN is explained as text (what it reads, its layers and training) or json",
        ),
    };
    match args.format {
        ExplainFormat::Text => Ok(summary),
        ExplainFormat::Json => Ok(text),
        _ => anyhow::bail!(UsageError::new("format", reason)),
    }
}

/// A saved student in the asked format.
fn student(format: ExplainFormat, saved: &SavedStudent) -> anyhow::Result<String> {
    let source = saved.teacher.as_deref().map_or("the true labels".to_owned(), |t| format!("teacher {t}"));
    let kind = saved.student.kind();
    Ok(match (format, &saved.student) {
        (ExplainFormat::Json, Student::Scorecard(card)) => {
            let mut value = serde_json::to_value(saved)?;
            value["points_table"] = serde_json::to_value(card.points_table())?;
            to_json(&value)?
        }
        (ExplainFormat::Json, _) => to_json(saved)?,
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
        (ExplainFormat::Shapes, Student::Gam(gam)) => shapes_csv(gam, &saved.features),
        (ExplainFormat::Svg, Student::Gam(gam)) => {
            let panels: Vec<Panel> = gam
                .terms
                .iter()
                .filter(|t| t.features.len() == 1)
                .map(|t| Panel { title: t.name(&saved.features), curves: vec![t.curve("score")] })
                .collect();
            panels_svg(scale(saved), &panels)?
        }
        (ExplainFormat::Shapes, Student::Spline(gam)) => spline_csv(&spline_shapes(gam, &saved.features)?),
        (ExplainFormat::Svg, Student::Spline(gam)) => {
            let panels: Vec<Panel> = (0..gam.terms.len())
                .map(|j| {
                    let title = spline_term_name(gam, &saved.features, j);
                    Ok(Panel { title, curves: vec![gam.curve(j, 100, "score")?] })
                })
                .collect::<anyhow::Result<_>>()?;
            panels_svg(scale(saved), &panels)?
        }
        (ExplainFormat::Dot | ExplainFormat::Rules | ExplainFormat::Shapes | ExplainFormat::Svg, _) => {
            anyhow::bail!(UsageError::new(
                "format",
                format!(
                    "dot and rules describe trees, shapes and svg describe GAMs; this is a {kind} student (use text or json)"
                ),
            ))
        }
    })
}

/// The scale of a GAM's shape functions.
fn scale(saved: &SavedStudent) -> &'static str {
    if saved.task == "regression" { "score" } else { "log-odds" }
}

/// Every main term's shape function as CSV: one row per bin, a missing-value bin's edges
/// written `missing`.
fn shapes_csv(gam: &kd::students::gam::BoostedGam, names: &[String]) -> String {
    let mut out = String::from("term,lower,upper,score,band_lower,band_upper,count\n");
    for term in gam.terms.iter().filter(|t| t.features.len() == 1) {
        let name = term.name(names);
        for row in term.shape_table() {
            let edge = |e: Option<f64>, open: &str| match (row.missing, e) {
                (true, _) => "missing".to_owned(),
                (false, e) => e.map_or(open.to_owned(), |v| v.to_string()),
            };
            let _ = writeln!(
                out,
                "{name},{},{},{},{},{},{}",
                edge(row.lower, "-inf"),
                edge(row.upper, "inf"),
                row.score,
                row.band_lower,
                row.band_upper,
                row.count
            );
        }
    }
    out
}

/// The name of a spline GAM's term `j`: its feature's.
fn spline_term_name(gam: &kd::students::spline::SplineGam, names: &[String], j: usize) -> String {
    names.get(gam.terms[j].feature).cloned().unwrap_or_else(|| format!("feature_{j}"))
}

/// A spline GAM's centred shape functions with their 95% bands, 100 points per term.
fn spline_shapes(
    gam: &kd::students::spline::SplineGam,
    names: &[String],
) -> anyhow::Result<Vec<(String, Vec<kd::students::spline::CurvePoint>)>> {
    (0..gam.terms.len()).map(|j| Ok((spline_term_name(gam, names, j), gam.shape(j, 100)?))).collect()
}

/// Curves as CSV: one row per point.
fn spline_csv(shapes: &[(String, Vec<kd::students::spline::CurvePoint>)]) -> String {
    let mut out = String::from("term,x,score,band_lower,band_upper\n");
    for (name, points) in shapes {
        for p in points {
            let _ = writeln!(out, "{name},{},{},{},{}", p.x, p.score, p.band_lower, p.band_upper);
        }
    }
    out
}
