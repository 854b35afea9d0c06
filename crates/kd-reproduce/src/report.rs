//! Writing a reproduction's `result.json` and `report.md`, and `SUMMARY.md` for a whole run.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::paper::{Outcome, Paper, Scale};

/// One finished reproduction.
pub struct Finished {
    /// The paper.
    pub paper: Paper,
    /// Its outcome, or the error that stopped it.
    pub outcome: Result<Outcome>,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// Versions of what computed the results.
pub fn versions() -> Value {
    let mut v = json!({ "kd": env!("CARGO_PKG_VERSION") });
    if cfg!(feature = "torch") {
        v["libtorch"] = json!("2.13.0");
    }
    v
}

/// Writes `<dir>/result.json` and `<dir>/report.md` (and the plots) for a finished paper.
pub fn write_paper(dir: &Path, done: &Finished) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let paper = done.paper.card;
    let (result, report) = match &done.outcome {
        Ok(o) => {
            let verdict = o.verdict();
            let result = json!({
                "paper": paper.id, "claim": paper.claim, "preconditions": o.preconditions,
                "verdict": verdict, "metrics": o.metrics, "paper_metrics": o.paper_metrics,
                "holds": o.holds, "seeds": o.seeds, "seconds": done.seconds, "versions": versions(),
            });
            let mut md = format!("# {}\n\n{}\n\n**Claim.** {}\n\n", paper.id, paper.citation, paper.claim);
            if !paper.preconditions.is_empty() {
                md.push_str("**Preconditions stated before the run:**\n\n");
                for condition in paper.preconditions {
                    let _ = writeln!(md, "- {condition}");
                }
                md.push('\n');
            }
            if !o.preconditions.is_empty() {
                md.push_str("**Preconditions** (checked before the claim):\n\n| precondition | here | met |\n|---|---|---|\n");
                for p in &o.preconditions {
                    let _ = writeln!(
                        md,
                        "| {} | {} | {} |",
                        p.what,
                        p.figure,
                        if p.met { "yes" } else { "**no**" }
                    );
                }
                md.push('\n');
            }
            let _ = writeln!(md, "**Verdict: {verdict}** ({:.1} s)\n", done.seconds);
            let _ = writeln!(md, "{}\n", o.table);
            for plot in &o.plots {
                std::fs::write(dir.join(&plot.file), &plot.svg)?;
                let _ = writeln!(md, "![{}]({})\n", plot.caption, plot.file);
            }
            if !o.notes.is_empty() {
                let _ = writeln!(md, "## Notes\n\n{}", o.notes);
            }
            (result, md)
        }
        Err(e) => {
            let result = json!({
                "paper": paper.id, "claim": paper.claim, "preconditions": [], "verdict": null,
                "metrics": {}, "paper_metrics": {}, "holds": false, "seeds": [],
                "seconds": done.seconds, "versions": versions(), "error": format!("{e:#}"),
            });
            let md =
                format!("# {}\n\n**Claim.** {}\n\nThe reproduction failed: {e:#}\n", paper.id, paper.claim);
            (result, md)
        }
    };
    std::fs::write(dir.join("result.json"), serde_json::to_string_pretty(&result)? + "\n")?;
    std::fs::write(dir.join("report.md"), report)?;
    Ok(())
}

/// The text of `SUMMARY.md` for a run at `scale`: one row per paper, then the total time
/// against the papers' own estimates.
pub fn summary(done: &[Finished], scale: Scale) -> String {
    let mut md = String::from("# Reproductions\n\n");
    let (name, command) = match scale {
        Scale::Quick => {
            ("quick (a smoke test, too few seeds for the verdicts)", "cargo xtask reproduce --quick")
        }
        Scale::Default => ("default (enough seeds for every verdict)", "cargo xtask reproduce"),
        Scale::Full => ("full (more seeds and data sets)", "cargo xtask reproduce --full"),
    };
    let _ = writeln!(md, "Scale: {name}, `{command}`.\n");
    if done.is_empty() {
        md.push_str(
            "No paper is registered yet: `cargo xtask reproduce --list` lists the registered papers.\n",
        );
        return md;
    }
    md.push_str(
        "| paper | claim | the paper's figure | ours | verdict | seconds |\n|---|---|---|---|---|---|\n",
    );
    for d in done {
        let (paper_fig, ours, verdict) = match &d.outcome {
            Ok(o) => {
                let mut verdict = o.verdict().to_string();
                for p in o.failed_preconditions() {
                    let _ = write!(verdict, " (precondition failed: {}: {})", p.what, p.figure);
                }
                (o.paper_figure.as_str(), o.our_figure.clone(), verdict)
            }
            Err(e) => ("", format!("failed: {e}"), "failed to run".to_owned()),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {:.0} |",
            d.paper.card.id, d.paper.card.claim, paper_fig, ours, verdict, d.seconds
        );
    }
    let total: f64 = done.iter().map(|d| d.seconds).sum();
    let expected: f64 = done.iter().map(|d| d.paper.card.expected_seconds(scale)).sum();
    let _ = writeln!(
        md,
        "\nTotal: {:.1} minutes (the papers' estimates for 2 idle cores: {:.1} minutes).",
        total / 60.0,
        expected / 60.0
    );
    md
}
