//! `kd audit`: the model-validation report. Reads a spec (or flags for the simple case), runs
//! kd-audit's stages, writes `report.html`, `audit.json` and `spec.toml` into `--out`
//! atomically, prints progress on stderr and the findings on stdout.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use kd::audit::spec::Missing;
use kd::audit::{Audit, Event, Observer, Spec};

use super::{Format, MissingArg};

/// Arguments of `kd audit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The audit spec (TOML). Flags given as well override its keys.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The development sample (data.development).
    #[arg(long)]
    data: Option<PathBuf>,
    /// A later sample with the same features (data.current); its outcomes may be known for
    /// some rows or none (performance is measured where they are).
    #[arg(long)]
    current: Option<PathBuf>,
    /// The outcome column (data.target).
    #[arg(long)]
    target: Option<String>,
    /// The target's label of the bad outcome (data.bad_class; default with two classes: the
    /// second label in sorted order; with more, required: the class audited against the others).
    #[arg(long)]
    bad_class: Option<String>,
    /// The model under review: cmd:<command line>, torchscript:<file.pt> or column:<name> (model.teacher).
    #[arg(long)]
    teacher: Option<String>,
    /// Seconds a cmd: teacher may take to answer one batch (model.timeout_s; default 120).
    #[arg(long, value_name = "SECONDS")]
    teacher_timeout: Option<f64>,
    /// The features, comma separated (data.features; default: every other column).
    #[arg(long, value_delimiter = ',')]
    features: Vec<String>,
    /// Columns that are never features, comma separated (data.exclude).
    #[arg(long, value_delimiter = ',')]
    exclude: Vec<String>,
    /// The rating grade column (data.grade).
    #[arg(long)]
    grade: Option<String>,
    /// A column the model may use that is not a feature: the missing-feature test (repeatable).
    #[arg(long)]
    candidate: Vec<String>,
    /// Rows with a missing cell: error or drop (data.missing).
    #[arg(long, value_enum)]
    missing: Option<MissingArg>,
    /// Seed of every random choice (seed).
    #[arg(long)]
    seed: Option<u64>,
    /// The report's title (title).
    #[arg(long)]
    title: Option<String>,
    /// The report folder: report.html, audit.json, spec.toml (written whole or not at all).
    #[arg(long)]
    out: PathBuf,
    /// What to print on stdout: the findings as a table, or audit.json.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Flags over the spec file's keys.
fn resolve(args: &Args) -> anyhow::Result<Spec> {
    let mut spec = match &args.spec {
        Some(path) => Spec::from_file(path)?,
        None => Spec::default(),
    };
    let d = &mut spec.data;
    if let Some(v) = &args.data {
        d.development = v.clone();
    }
    if args.current.is_some() {
        d.current = args.current.clone();
    }
    if let Some(v) = &args.target {
        d.target = v.clone();
    }
    if args.bad_class.is_some() {
        d.bad_class = args.bad_class.clone();
    }
    if !args.features.is_empty() {
        d.features = args.features.clone();
    }
    if !args.exclude.is_empty() {
        d.exclude = args.exclude.clone();
    }
    if args.grade.is_some() {
        d.grade = args.grade.clone();
    }
    if let Some(m) = args.missing {
        d.missing = if m == MissingArg::Drop { Missing::Drop } else { Missing::Error };
    }
    if !args.candidate.is_empty() {
        spec.comparison.candidates = args.candidate.clone();
    }
    if let Some(v) = &args.teacher {
        spec.model.teacher = v.clone();
    }
    if let Some(v) = args.teacher_timeout {
        spec.model.timeout_s = v;
    }
    if let Some(v) = args.seed {
        spec.seed = v;
    }
    if let Some(v) = &args.title {
        spec.title = v.clone();
    }
    Ok(spec)
}

/// Progress lines on stderr: a stage's start and end, with the time left.
struct Stderr;

impl Observer for Stderr {
    fn event(&self, event: Event) {
        let left = |l: Option<f64>| l.map_or(String::new(), |s| format!(", about {s:.0} s left"));
        let line = match event {
            Event::Started { stage, left: l } => format!("kd audit: {stage} …{}", left(l)),
            Event::Finished { stage, seconds, left: l } => {
                format!("kd audit: {stage} done in {seconds:.1} s{}", left(l))
            }
        };
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
}

/// Audits and writes the report.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let spec = resolve(args)?;
    let audit = kd::audit::run(spec, args.spec.as_deref(), &Stderr)?;
    kd::audit::write_report(&audit, &args.out)?;
    match args.format {
        Format::Json => super::to_json(&audit),
        Format::Table => Ok(table(&audit, &args.out)),
    }
}

fn table(audit: &Audit, out: &std::path::Path) -> String {
    let mut o = String::new();
    let t = &audit.tally;
    let _ = writeln!(o, "{}: {} red, {} amber, {} green findings", audit.title, t.red, t.amber, t.green);
    let _ = writeln!(o, "\n{:<4} {:<6} {:>10}  finding", "id", "", "figure");
    for f in &audit.findings {
        let value = f.value.map_or("—".into(), kd::audit::html::number);
        let _ = writeln!(o, "{:<4} {:<6} {:>10}  {}", f.id, f.severity.name(), value, f.title);
    }
    let _ =
        writeln!(o, "\nreport: {}  ({:.1} s)", out.join("report.html").display(), audit.provenance.seconds);
    o
}
