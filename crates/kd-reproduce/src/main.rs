//! `kd-reproduce`: runs the registered paper reproductions (`cargo xtask reproduce` calls it).
//!
//! Each paper writes `<out>/<paper>/result.json` (`paper`, `claim`, `metrics`,
//! `paper_metrics`, `holds`, `seeds`, `seconds`, `versions`) and `report.md` with its table
//! and SVG plots; a run of all papers also writes `<out>/SUMMARY.md`.

mod paper;
mod papers;
mod plot;
mod registry;
mod report;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::Parser;

use paper::{Paper, RunOptions};
use report::Finished;

/// Re-runs the reference papers and says, paper by paper, whether their claims hold here.
#[derive(Debug, Parser)]
#[command(name = "kd-reproduce", version)]
struct Args {
    /// Papers to run (ids from --list), or `all` (the default).
    papers: Vec<String>,
    /// Fewer seeds and smaller sizes.
    #[arg(long)]
    quick: bool,
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
        for p in &papers {
            println!("{:16} {}\n{:16} claim: {}", p.id(), p.citation(), "", p.claim());
        }
        return Ok(());
    }
    let all = args.papers.is_empty() || args.papers.iter().any(|p| p == "all");
    let selected: Vec<&dyn Paper> = if all {
        papers.iter().map(Box::as_ref).collect()
    } else {
        args.papers
            .iter()
            .map(|id| match papers.iter().find(|p| p.id() == id) {
                Some(p) => Ok(p.as_ref()),
                None => bail!("no paper '{id}' is registered (see --list)"),
            })
            .collect::<Result<_>>()?
    };
    let finished = run(&selected, &args.out, args.quick)?;
    if all {
        let path = args.out.join("SUMMARY.md");
        std::fs::create_dir_all(&args.out)?;
        std::fs::write(&path, report::summary(&finished))?;
        println!("{}", report::summary(&finished));
        println!("written: {}", path.display());
    }
    let failed = finished.iter().filter(|f| f.outcome.is_err()).count();
    if failed > 0 {
        bail!("{failed} reproduction(s) failed to run");
    }
    Ok(())
}

fn run<'a>(papers: &[&'a dyn Paper], out: &std::path::Path, quick: bool) -> Result<Vec<Finished<'a>>> {
    let mut finished = Vec::new();
    for &paper in papers {
        let dir = out.join(paper.id());
        println!("reproduce: {} ...", paper.id());
        std::fs::create_dir_all(&dir)?;
        let start = Instant::now();
        let outcome = paper.run(&RunOptions { quick, dir: dir.clone() });
        let done = Finished { paper, outcome, seconds: start.elapsed().as_secs_f64() };
        report::write_paper(&dir, &done)?;
        match &done.outcome {
            Ok(o) => println!("reproduce: {}: holds = {} ({:.1} s)", paper.id(), o.holds, done.seconds),
            Err(e) => println!("reproduce: {}: failed: {e:#}", paper.id()),
        }
        finished.push(done);
    }
    Ok(finished)
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper::Outcome;

    /// A reproduction whose computation is a sum, to exercise the writing of results.
    struct Sum;

    impl Paper for Sum {
        fn id(&self) -> &'static str {
            "sum"
        }
        fn citation(&self) -> &'static str {
            "Test paper"
        }
        fn claim(&self) -> &'static str {
            "1 + 1 = 2"
        }
        fn run(&self, options: &RunOptions) -> Result<Outcome> {
            let ours = 1 + 1;
            let mut o = Outcome {
                holds: ours == 2,
                seeds: vec![0],
                our_figure: ours.to_string(),
                ..Default::default()
            };
            o.metrics.insert("sum".into(), ours.into());
            o.table = format!("| quick |\n|---|\n| {} |", options.quick);
            std::fs::write(options.dir.join("extra.txt"), "written by the paper")?;
            Ok(o)
        }
    }

    #[test]
    fn a_run_writes_result_report_and_summary_rows() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let sum = Sum;
        let finished = run(&[&sum], dir.path(), true)?;
        let result: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("sum/result.json"))?)?;
        for key in ["paper", "claim", "metrics", "paper_metrics", "holds", "seeds", "seconds", "versions"] {
            assert!(result.get(key).is_some(), "result.json lacks {key}");
        }
        assert_eq!(result["metrics"]["sum"], 2);
        assert_eq!(result["holds"], true);
        assert!(dir.path().join("sum/extra.txt").exists());
        let report = std::fs::read_to_string(dir.path().join("sum/report.md"))?;
        assert!(report.contains("Holds here: yes") && report.contains("| true |"));
        let summary = report::summary(&finished);
        assert!(summary.contains("| sum | 1 + 1 = 2 |  | 2 | yes |"), "{summary}");
        Ok(())
    }

    #[test]
    fn the_summary_of_no_paper_says_so() {
        assert!(report::summary(&[]).contains("No paper is registered yet"));
    }
}
