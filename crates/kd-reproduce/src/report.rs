//! Writing a reproduction's `result.json` and `report.md`, and `SUMMARY.md` for a whole run.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::paper::{Outcome, Paper};

/// One finished reproduction.
pub struct Finished<'a> {
    /// The paper.
    pub paper: &'a dyn Paper,
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
pub fn write_paper(dir: &Path, done: &Finished<'_>) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let paper = done.paper;
    let (result, report) = match &done.outcome {
        Ok(o) => {
            let result = json!({
                "paper": paper.id(), "claim": paper.claim(), "metrics": o.metrics,
                "paper_metrics": o.paper_metrics, "holds": o.holds, "seeds": o.seeds,
                "seconds": done.seconds, "versions": versions(),
            });
            let mut md =
                format!("# {}\n\n{}\n\n**Claim.** {}\n\n", paper.id(), paper.citation(), paper.claim());
            let _ = writeln!(
                md,
                "**Holds here: {}** ({:.1} s)\n",
                if o.holds { "yes" } else { "no" },
                done.seconds
            );
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
                "paper": paper.id(), "claim": paper.claim(), "metrics": {}, "paper_metrics": {},
                "holds": false, "seeds": [], "seconds": done.seconds, "versions": versions(),
                "error": format!("{e:#}"),
            });
            let md = format!(
                "# {}\n\n**Claim.** {}\n\nThe reproduction failed: {e:#}\n",
                paper.id(),
                paper.claim()
            );
            (result, md)
        }
    };
    std::fs::write(dir.join("result.json"), serde_json::to_string_pretty(&result)? + "\n")?;
    std::fs::write(dir.join("report.md"), report)?;
    Ok(())
}

/// The text of `SUMMARY.md`: one row per paper.
pub fn summary(done: &[Finished<'_>]) -> String {
    let mut md = String::from("# Reproductions\n\n");
    if done.is_empty() {
        md.push_str(
            "No paper is registered yet: `cargo xtask reproduce --list` lists the registered papers.\n",
        );
        return md;
    }
    md.push_str("| paper | claim | the paper's figure | ours | holds |\n|---|---|---|---|---|\n");
    for d in done {
        let (paper_fig, ours, holds) = match &d.outcome {
            Ok(o) => (o.paper_figure.as_str(), o.our_figure.clone(), if o.holds { "yes" } else { "no" }),
            Err(e) => ("", format!("failed: {e}"), "no"),
        };
        let _ =
            writeln!(md, "| {} | {} | {} | {} | {} |", d.paper.id(), d.paper.claim(), paper_fig, ours, holds);
    }
    md
}
