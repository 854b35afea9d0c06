//! `kd-reproduce`: runs the registered paper reproductions (`cargo xtask reproduce` calls it).
//!
//! Each paper writes `<out>/<paper>/result.json` (`paper`, `claim`, `preconditions`,
//! `verdict`, `metrics`, `paper_metrics`, `holds`, `seeds`, `seconds`, `versions`) and
//! `report.md` with its table and SVG plots; a run of all papers also writes
//! `<out>/SUMMARY.md`. While it runs it prints one line per paper as it finishes: verdict,
//! seconds, and the time left by the papers' own estimates.

mod paper;
mod papers;
mod registry;
mod report;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::Parser;

use paper::{Paper, RunOptions, Scale};
use report::Finished;

/// Re-runs the reference papers and says, paper by paper, whether their claims hold here.
#[derive(Debug, Parser)]
#[command(name = "kd-reproduce", version)]
struct Args {
    /// Papers to run (ids from --list), or `all` (the default).
    papers: Vec<String>,
    /// A smoke test: fewer seeds and smaller sizes.
    #[arg(long, conflicts_with = "full")]
    quick: bool,
    /// The longer runs: more seeds and data sets than the default.
    #[arg(long)]
    full: bool,
    /// List the registered papers and exit.
    #[arg(long)]
    list: bool,
    /// Output folder.
    #[arg(long, default_value = "target/reproduce")]
    out: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let papers = registry::papers();
    if args.list {
        if papers.is_empty() {
            println!("no paper is registered yet");
        }
        for card in papers.iter().map(|p| p.card) {
            println!("{:16} {}\n{:16} claim: {}", card.id, card.citation, "", card.claim);
            for condition in card.preconditions {
                println!("{:16} precondition: {condition}", "");
            }
        }
        return Ok(());
    }
    let all = args.papers.is_empty() || args.papers.iter().any(|p| p == "all");
    let selected: Vec<Paper> = if all {
        papers
    } else {
        args.papers
            .iter()
            .map(|id| match papers.iter().find(|p| p.card.id == id) {
                Some(p) => Ok(*p),
                None => bail!("no paper '{id}' is registered (see --list)"),
            })
            .collect::<Result<_>>()?
    };
    let scale = match (args.quick, args.full) {
        (true, _) => Scale::Quick,
        (_, true) => Scale::Full,
        _ => Scale::Default,
    };
    let finished = run(&selected, &args.out, scale)?;
    if all {
        let path = args.out.join("SUMMARY.md");
        std::fs::create_dir_all(&args.out)?;
        let summary = report::summary(&finished, scale);
        std::fs::write(&path, &summary)?;
        println!("{summary}");
        println!("written: {}", path.display());
    }
    let failed = finished.iter().filter(|f| f.outcome.is_err()).count();
    if failed > 0 {
        bail!("{failed} reproduction(s) failed to run");
    }
    Ok(())
}

fn run(papers: &[Paper], out: &std::path::Path, scale: Scale) -> Result<Vec<Finished>> {
    let mut finished = Vec::new();
    let mut left: f64 = papers.iter().map(|p| p.card.expected_seconds(scale)).sum();
    println!("reproduce: {} paper(s), about {} by their estimates", papers.len(), minutes(left));
    for &paper in papers {
        let dir = out.join(paper.card.id);
        println!("reproduce: {} ...", paper.card.id);
        std::fs::create_dir_all(&dir)?;
        let start = Instant::now();
        let outcome = (paper.run)(&RunOptions { scale, dir: dir.clone() });
        let done = Finished { paper, outcome, seconds: start.elapsed().as_secs_f64() };
        report::write_paper(&dir, &done)?;
        left -= paper.card.expected_seconds(scale);
        let status = match &done.outcome {
            Ok(o) => o.verdict().to_string(),
            Err(e) => format!("failed: {e:#}"),
        };
        println!(
            "reproduce: {}: {status} ({:.1} s; about {} left)",
            paper.card.id,
            done.seconds,
            minutes(left)
        );
        finished.push(done);
    }
    Ok(finished)
}

/// `12 min` or `40 s`.
fn minutes(seconds: f64) -> String {
    let seconds = seconds.max(0.0);
    if seconds >= 90.0 { format!("{:.0} min", seconds / 60.0) } else { format!("{seconds:.0} s") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper::Outcome;

    const SUM_CARD: paper::Card = paper::Card {
        id: "sum",
        citation: "Test paper",
        claim: "1 + 1 = 2",
        preconditions: &["1 is a number"],
        seconds: [30.0, 120.0, 600.0],
    };

    /// A reproduction whose computation is a sum, to exercise the writing of results.
    const SUM: Paper = Paper { card: &SUM_CARD, run: sum };

    fn sum(options: &RunOptions) -> Result<Outcome> {
        let ours = 1 + 1;
        let mut o =
            Outcome { holds: ours == 2, seeds: vec![0], our_figure: ours.to_string(), ..Default::default() };
        o.metrics.insert("sum".into(), ours.into());
        o.table = format!("| quick |\n|---|\n| {} |", options.scale == Scale::Quick);
        o.preconditions.push(paper::Precondition::new("1 is a number", "1", true));
        std::fs::write(options.dir.join("extra.txt"), "written by the paper")?;
        Ok(o)
    }

    #[test]
    fn a_run_writes_result_report_and_summary_rows() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let finished = run(&[SUM], dir.path(), Scale::Quick)?;
        let result: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("sum/result.json"))?)?;
        for key in [
            "paper",
            "claim",
            "preconditions",
            "verdict",
            "metrics",
            "paper_metrics",
            "holds",
            "seeds",
            "seconds",
            "versions",
        ] {
            assert!(result.get(key).is_some(), "result.json lacks {key}");
        }
        assert_eq!(result["metrics"]["sum"], 2);
        assert_eq!(result["holds"], true);
        assert_eq!(result["verdict"], "holds");
        assert_eq!(result["preconditions"][0]["met"], true);
        assert!(dir.path().join("sum/extra.txt").exists());
        let report = std::fs::read_to_string(dir.path().join("sum/report.md"))?;
        assert!(report.contains("Verdict: holds") && report.contains("| true |"));
        let summary = report::summary(&finished, Scale::Quick);
        assert!(summary.contains("| sum | 1 + 1 = 2 |  | 2 | holds |"), "{summary}");
        assert!(
            summary.contains("Scale: quick") && summary.contains("estimates for 2 idle cores: 0.5 minutes"),
            "{summary}"
        );
        Ok(())
    }

    #[test]
    fn a_failed_precondition_makes_the_verdict_inconclusive_whatever_the_claim() {
        let mut o = Outcome { holds: false, ..Default::default() };
        o.preconditions.push(paper::Precondition::new("teacher beats student", "-1.2 points", false));
        assert_eq!(o.verdict(), paper::Verdict::Inconclusive);
        o.holds = true;
        assert_eq!(o.verdict(), paper::Verdict::Inconclusive);
        o.preconditions[0].met = true;
        assert_eq!(o.verdict(), paper::Verdict::Holds);
        o.holds = false;
        assert_eq!(o.verdict(), paper::Verdict::DoesNotHold);
    }

    #[test]
    fn the_summary_of_no_paper_says_so() {
        assert!(report::summary(&[], Scale::Default).contains("No paper is registered yet"));
    }
}
