//! `kd explain`: what a saved student says, in a form a person can read.

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::students::{SavedStudent, Student};

use super::shape_plot::{Curve, Panel, panels_svg, term_curve};
use super::to_json;

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

/// Loads the student and explains it.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(&args.model)
        .map_err(|source| kd::core::Error::Io { file: args.model.clone(), source })?;
    if let Some((summary, reason)) = other_model(&text)? {
        return match args.format {
            ExplainFormat::Text => Ok(summary),
            ExplainFormat::Json => Ok(text),
            _ => anyhow::bail!(kd::core::Error::InvalidParameter {
                name: "format".into(),
                reason: reason.into()
            }),
        };
    }
    let saved = SavedStudent::from_json(&text)?;
    let source = saved.teacher.as_deref().map_or("the true labels".to_owned(), |t| format!("teacher {t}"));
    let kind = saved.student.kind();
    Ok(match (args.format, &saved.student) {
        (ExplainFormat::Json, Student::Scorecard(card)) => {
            let mut value = serde_json::to_value(&saved)?;
            value["points_table"] = serde_json::to_value(card.points_table())?;
            to_json(&value)?
        }
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
        (ExplainFormat::Shapes, Student::Gam(gam)) => shapes_csv(gam, &saved.features),
        (ExplainFormat::Svg, Student::Gam(gam)) => {
            let panels: Vec<Panel> = gam
                .terms
                .iter()
                .filter(|t| t.features.len() == 1)
                .map(|t| Panel { title: t.name(&saved.features), curves: vec![term_curve("score", t)] })
                .collect();
            let scale = if saved.task == "regression" { "score" } else { "log-odds" };
            panels_svg(scale, &panels)?
        }
        (ExplainFormat::Shapes, Student::Spline(gam)) => spline_csv(&spline_shapes(gam, &saved.features)?),
        (ExplainFormat::Svg, Student::Spline(gam)) => {
            let panels: Vec<Panel> = spline_shapes(gam, &saved.features)?
                .into_iter()
                .map(|(title, points)| Panel {
                    title,
                    curves: vec![Curve {
                        label: "score".into(),
                        points: points.iter().map(|p| (p.x, p.score)).collect(),
                        band: points.iter().map(|p| (p.x, p.band_lower, p.band_upper)).collect(),
                    }],
                })
                .collect();
            let scale = if saved.task == "regression" { "score" } else { "log-odds" };
            panels_svg(scale, &panels)?
        }
        (ExplainFormat::Dot | ExplainFormat::Rules | ExplainFormat::Shapes | ExplainFormat::Svg, _) => {
            anyhow::bail!(kd::core::Error::InvalidParameter {
                name: "format".into(),
                reason: format!(
                    "dot and rules describe trees, shapes and svg describe GAMs; this is a {kind} student (use text or json)"
                ),
            })
        }
    })
}

/// Every main term's shape function as CSV: one row per bin.
fn shapes_csv(gam: &kd::students::gam::BoostedGam, names: &[String]) -> String {
    let mut out = String::from("term,lower,upper,score,band_lower,band_upper,count\n");
    for term in gam.terms.iter().filter(|t| t.features.len() == 1) {
        let name = term.name(names);
        for row in term.shape_table() {
            let edge = |e: Option<f64>, open: &str| e.map_or(open.to_owned(), |v| v.to_string());
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

/// A spline GAM's centred shape functions with their 95% bands, 100 points per term.
fn spline_shapes(
    gam: &kd::students::spline::SplineGam,
    names: &[String],
) -> anyhow::Result<Vec<(String, Vec<kd::students::spline::CurvePoint>)>> {
    (0..gam.terms.len())
        .map(|j| {
            let name = names.get(gam.terms[j].feature).cloned().unwrap_or_else(|| format!("feature_{j}"));
            Ok((name, gam.shape(j, 100)?))
        })
        .collect()
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

/// A file in one of kd's other model formats (a `kd-mlp` student or a `kd extract` model): its
/// text summary and the reason given when another output format is asked for. `None` for any
/// other file (a saved student); an error for an unknown version of a known format.
fn other_model(text: &str) -> anyhow::Result<Option<(String, &'static str)>> {
    use super::extract::{EXTRACTED_FORMAT, EXTRACTED_VERSION};
    use super::{MLP_FORMAT, MLP_VERSION};
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else { return Ok(None) };
    let (name, expected, summarise, reason): (_, _, fn(&serde_json::Value) -> anyhow::Result<String>, _) =
        match value.get("format").and_then(|f| f.as_str()) {
            Some(MLP_FORMAT) => (
                "kd-mlp",
                MLP_VERSION,
                neural_model,
                "an MLP student is explained as text (its shape and training) or json",
            ),
            Some(EXTRACTED_FORMAT) => (
                "extracted-model",
                EXTRACTED_VERSION,
                extracted_model,
                "an m-of-n tree or decision set is explained as text or json",
            ),
            #[cfg(feature = "torch")]
            Some(kd::core::nn::SPEECH_CNN_FORMAT) => (
                "kd-speech-cnn",
                kd::core::nn::SPEECH_CNN_VERSION,
                speech_model,
                "a speech CNN is explained as text (what it reads, its layers and training) or json",
            ),
            _ => return Ok(None),
        };
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    if version != Some(expected) {
        anyhow::bail!(kd::students::Error::Load(format!(
            "{name} format version {} is not the version this kd reads ({expected})",
            version.map_or("missing".into(), |v| v.to_string())
        )));
    }
    Ok(Some((summarise(&value)?, reason)))
}

/// A saved speech CNN (`kd-speech-cnn`, written by `kd distill --audio`), loaded and checked.
#[cfg(feature = "torch")]
fn speech_model(value: &serde_json::Value) -> anyhow::Result<String> {
    let saved = kd::core::nn::SavedSpeechCnn::from_json(&value.to_string())?;
    Ok(kd::core::nn::SpeechCnn::from_saved(&saved, kd::core::tch::Device::Cpu)?.summary() + "\n")
}

/// A saved MLP student (`kd-mlp`, written by `kd distill --student mlp:…`): its shape, size
/// and training, since its weights are not readable.
fn neural_model(value: &serde_json::Value) -> anyhow::Result<String> {
    let corrupt = |what: &str| kd::students::Error::Load(format!("corrupt kd-mlp file: no valid '{what}'"));
    let features = value["features"].as_array().ok_or_else(|| corrupt("features"))?.len();
    let hidden: Vec<i64> = serde_json::from_value(value["hidden"].clone()).map_err(|_| corrupt("hidden"))?;
    let layers = value["layers"].as_array().ok_or_else(|| corrupt("layers"))?;
    let parameters: usize = layers.iter().filter_map(|l| l["values"].as_array()).map(Vec::len).sum();
    let outputs = value["classes"].as_array().map_or(1, Vec::len);
    let training = &value["training"];
    let epochs = training["epochs"].as_array().ok_or_else(|| corrupt("training"))?;
    let widths: Vec<String> = std::iter::once(features)
        .chain(hidden.iter().map(|&h| h as usize))
        .chain([outputs])
        .map(|w| w.to_string())
        .collect();
    let mut out = format!(
        "MLP student ({}), {} (ReLU), {parameters} parameters; not readable: judge it by its fidelity\n",
        value["task"].as_str().unwrap_or("?"),
        widths.join(" → ")
    );
    let _ = writeln!(
        out,
        "trained {} epochs on {} rows in {:.2} s; final training loss {}",
        epochs.len(),
        training["n_train"],
        training["seconds"].as_f64().unwrap_or(f64::NAN),
        epochs
            .last()
            .map_or("—".into(), |e| format!("{:.5}", e["train_loss"].as_f64().unwrap_or(f64::NAN)))
    );
    Ok(out)
}

/// The text of an m-of-n tree or decision set saved by `kd extract`.
fn extracted_model(value: &serde_json::Value) -> anyhow::Result<String> {
    let corrupt = |e: serde_json::Error| kd::students::Error::Load(format!("corrupt extracted model ({e})"));
    let names: Vec<String> = serde_json::from_value(value["features"].clone()).map_err(corrupt)?;
    let levels: Vec<Option<Vec<String>>> =
        serde_json::from_value(value["levels"].clone()).map_err(corrupt)?;
    let classes: Option<Vec<String>> = serde_json::from_value(value["classes"].clone()).map_err(corrupt)?;
    let model = value["model"].to_string();
    let method = value["method"].as_str().unwrap_or_default();
    let body = match method {
        "trepan" => {
            kd::extract::trepan::TrepanTree::from_json(&model)?.export_text(&names, classes.as_deref())
        }
        "beta" => kd::extract::beta::DecisionSet::from_json(&model)?.export_text(
            &names,
            &levels,
            classes.as_deref().unwrap_or_default(),
        ),
        other => anyhow::bail!(kd::students::Error::Load(format!("unknown extraction method '{other}'"))),
    };
    Ok(format!("{method} model of {}\n\n{body}", value["teacher"].as_str().unwrap_or("a teacher")))
}
