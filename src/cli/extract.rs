//! `kd extract`: a readable tree drawn from a black box by querying it, measured on held-out
//! real rows against born-again and plain CART baselines.

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::teacher::{TeacherSpec, build_teacher};
use kd::extract::run::{self, ExtractionReport, RunParams, measure};
use serde::Serialize;

use super::holdout::{Holdout, HoldoutArgs};
use super::input::TeacherInput;
use super::{Format, to_json};

/// Arguments of `kd extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: TeacherInput,
    /// Extraction method. bastani and trepan ask the teacher at new points, so they need a cmd:
    /// or torchscript: teacher; born-again, cart and beta also take stored outputs (column:).
    #[arg(long, value_enum, default_value_t = Method::Bastani)]
    method: Method,
    /// Leaf budget (TREPAN: internal nodes at most budget − 1; BETA: rules at most budget − 1
    /// plus the default rule).
    #[arg(long, default_value_t = 16)]
    max_leaves: usize,
    /// Bastani and TREPAN: points each node is decided on (real rows first, then drawn).
    #[arg(long, default_value_t = 1000)]
    samples_per_node: usize,
    /// Bastani: components of the input mixture (default: chosen by BIC, up to 10).
    #[arg(long)]
    components: Option<usize>,
    #[command(flatten)]
    holdout: HoldoutArgs,
    /// Save the extracted model here (JSON with a format version, readable by `kd explain`): a
    /// tree as a kd student, an m-of-n tree or a decision set with its feature names.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Method {
    /// Bastani, Kim & Bastani (2017): CART grown on fresh points drawn from a Gaussian mixture
    /// at every node.
    Bastani,
    /// CART on the validator's rows labelled by the teacher.
    BornAgain,
    /// CART on the validator's rows with their true labels (no teacher).
    Cart,
    /// TREPAN (Craven & Shavlik 1996): a tree of m-of-n tests grown best-first on queries drawn
    /// from per-feature kernel densities (classification teachers).
    Trepan,
    /// BETA (Lakkaraju et al. 2017): a two-level decision set fitted to the teacher's classes
    /// on the validator's rows (classification teachers; no new queries).
    Beta,
}

impl From<Method> for run::Method {
    fn from(method: Method) -> Self {
        match method {
            Method::Bastani => run::Method::Bastani,
            Method::BornAgain => run::Method::BornAgain,
            Method::Cart => run::Method::Cart,
            Method::Trepan => run::Method::Trepan,
            Method::Beta => run::Method::Beta,
        }
    }
}

#[derive(Serialize)]
struct Report {
    #[serde(flatten)]
    report: ExtractionReport,
    seconds: f64,
}

/// Extracts and reports.
pub fn run(args: &Args) -> anyhow::Result<String> {
    super::check_output("out", args.out.as_deref())?;
    let progress = super::progress::Progress::start("reading the data");
    let spec: TeacherSpec = args.data.teacher.parse()?;
    let holdout = Holdout::load(&args.data.input, spec.output_columns(), &args.holdout)?;
    let (data, train) = (&holdout.data, &holdout.train);
    let options = args.holdout.cmd_options();
    let mut teacher = build_teacher(&spec, &holdout.table, data, options)?;
    progress.step("extracting");
    let method = run::Method::from(args.method);
    let params = RunParams {
        method,
        max_leaves: args.max_leaves,
        samples_per_node: args.samples_per_node,
        components: args.components,
        seed: args.holdout.seed,
    };
    let extraction = run::run(&params, data, train, teacher.as_mut()).map_err(|e| match e {
        kd::extract::Error::InvalidParameter { name, reason } if name == "method" => {
            anyhow::Error::new(super::UsageError::new("method", reason))
        }
        other => other.into(),
    })?;
    progress.step("measuring fidelity on the test rows");
    let teacher_test = holdout.teacher_on_test(teacher.as_mut(), &spec, options)?;
    let measured =
        measure(&extraction.model, holdout.test_set(), &holdout.test, &teacher_test, args.holdout.seed)?;
    if let Some(path) = &args.out {
        let teacher = (method != run::Method::Cart).then_some(args.data.teacher.as_str());
        super::write_file(path, &extraction.model.to_json(data, teacher)?)?;
    }
    let report = Report {
        report: ExtractionReport::new(
            method,
            &args.data.teacher,
            data,
            (train.len(), holdout.test.len()),
            &extraction,
            measured,
        ),
        seconds: progress.finish(),
    };
    match args.format {
        Format::Json => to_json(&report),
        Format::Table => Ok(text(&report, &extraction.model.text(data))),
    }
}

fn text(report: &Report, tree: &str) -> String {
    let (r, seconds) = (&report.report, report.seconds);
    let show = |v: Option<f64>| v.map_or("—".into(), |v| format!("{v:.4}"));
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} extraction from {} ({}): {} validator rows, measured on {} held-out rows",
        r.method, r.teacher, r.task, r.n_train, r.n_test
    );
    let what = if r.task == "regression" { "R² to the teacher" } else { "agreement with the teacher" };
    let _ = writeln!(
        o,
        "\nfidelity ({what}): {:.4}  [95% bootstrap CI {:.4}, {:.4}]",
        r.measured.fidelity, r.measured.fidelity_ci[0], r.measured.fidelity_ci[1]
    );
    let m = &r.measured;
    let _ = writeln!(o, "accuracy: tree {}, teacher {}", show(m.accuracy), show(m.teacher_accuracy));
    let _ = writeln!(
        o,
        "{} leaves, depth {}; {} teacher queries; {:.2} s",
        r.n_leaves, r.depth, r.n_queries, seconds
    );
    if let Some(k) = r.mixture_components {
        let _ = writeln!(o, "input model: {k} Gaussian components");
    }
    if let Some(t) = r.teacher_seconds {
        let _ = writeln!(o, "time waiting for the teacher: {t:.2} s of {seconds:.2} s");
    }
    let _ = writeln!(o, "\n{tree}");
    o
}
