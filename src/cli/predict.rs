//! `kd predict`: a saved student's outputs for the rows of a new file, with each row's top
//! reasons (a tree's path as a rule, a scorecard's points below the best, an additive
//! student's largest contributions; see `kd_students::reasons`), or an extracted m-of-n tree's
//! or decision set's class outputs with the rule that decided each row
//! (`kd_extract::SavedModel`). Unseen levels and values outside the training range follow
//! `--unseen` (`kd_students::Unseen`).

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::data::{ReadOptions, read_csv};
use kd::extract::{RowScore, SavedModel};
use kd::students::Unseen;

use super::write_file;

/// Arguments of `kd predict`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A student saved by `kd distill --out`, or an m-of-n tree or decision set saved by `kd
    /// extract --out`.
    #[arg(long)]
    model: PathBuf,
    /// The CSV file of rows to score (with a header row naming the student's features; other
    /// columns are ignored).
    #[arg(long)]
    data: PathBuf,
    /// Reasons per row: a tree's, m-of-n tree's or decision set's rule, or the top k features
    /// (0: none).
    #[arg(long, default_value_t = 0)]
    reasons: usize,
    /// Write the scores to this CSV file instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Unseen levels and values outside the training range: error (default) or fallback (the
    /// student's own rule; a row it cannot score is written without outputs, with the reason
    /// in the `unscored` column).
    #[arg(long, value_enum, default_value_t)]
    unseen: UnseenArg,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
enum UnseenArg {
    #[default]
    Error,
    Fallback,
}

/// A CSV field, quoted when it needs to be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Scores the file and writes the CSV.
pub fn run(args: &Args) -> anyhow::Result<String> {
    super::check_output("out", args.out.as_deref())?;
    let text = super::read_model_file(&args.model)?;
    let model = super::in_model_file(&args.model, SavedModel::from_json(&text))?;
    let options = ReadOptions { categorical: model.categorical(), ..ReadOptions::default() };
    let table = read_csv(&args.data, &options)?;
    let unseen = if args.unseen == UnseenArg::Fallback { Unseen::Fallback } else { Unseen::Error };
    let scores = model.score(&table, unseen, args.reasons)?;

    let fallback = unseen == Unseen::Fallback;
    let mut header = vec!["line".to_owned()];
    header.extend(scores.names.iter().cloned());
    header.extend((1..=args.reasons).map(|r| format!("reason_{r}")));
    if fallback {
        header.push("unscored".into());
    }
    let mut csv = header.iter().map(|h| field(h)).collect::<Vec<_>>().join(",");
    csv.push('\n');
    for (line, row) in scores.by_row() {
        let _ = write!(csv, "{line}");
        match row {
            RowScore::Scored { values, reasons } => {
                for v in values {
                    let _ = write!(csv, ",{v}");
                }
                for r in 0..args.reasons {
                    let text = reasons.get(r).map_or("", String::as_str);
                    let _ = write!(csv, ",{}", field(text));
                }
                if fallback {
                    csv.push(',');
                }
            }
            RowScore::Unscored(why) => {
                csv.push_str(&",".repeat(scores.names.len() + args.reasons));
                let _ = write!(csv, ",{}", field(why));
            }
        }
        csv.push('\n');
    }
    let scored = scores.values.nrows();
    match &args.out {
        Some(path) => {
            write_file(path, &csv)?;
            Ok(format!(
                "{} rows scored, {} not scored; written to {}\n",
                scored,
                scores.lines.len() - scored,
                path.display()
            ))
        }
        None => Ok(csv),
    }
}
