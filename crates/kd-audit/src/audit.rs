//! Running an audit: read the samples, ask the model, run the stages (explanation and
//! comparison in parallel: only the explanation queries the model, the comparison reads the
//! scores already given), grade the figures, and record the provenance.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use kd_core::Task;

use crate::error::Result;
use crate::frames::{InProcess, frame_label};
use crate::one_against_rest::OneAgainstRest;
use crate::progress::{Observer, Plan};
use crate::report::{Audit, FORMAT, Provenance, StageTime, VERSION};
use crate::samples::{Samples, load};
use crate::spec::{Regression, Spec};
use crate::stages::{comparison, data, explanation, performance, regression};

const OFF: &str = "switched off in the spec";

/// Runs the audit `spec` describes (checked first), reporting progress to `observer`.
/// `spec_file` is recorded in the provenance with its fingerprint.
pub fn run(spec: Spec, spec_file: Option<&Path>, observer: &dyn Observer) -> Result<Audit> {
    run_with(spec, spec_file, InProcess::default(), observer)
}

/// [`run`] with what the caller's process holds (the Python package's model and data frames):
/// `given.teacher` builds the model for the development sample's features (`model.teacher`
/// then only names it); a frame in `given` replaces the spec's file of that sample, and the
/// report names it `<development frame>` or `<current frame>`, fingerprinted by its cells.
pub fn run_with(
    mut spec: Spec,
    spec_file: Option<&Path>,
    given: InProcess<'_>,
    observer: &dyn Observer,
) -> Result<Audit> {
    if given.development.is_some() {
        spec.data.development = frame_label("development");
    }
    if given.current.is_some() {
        spec.data.current = Some(frame_label("current"));
    }
    spec.check()?;
    let start = Instant::now();
    let started = crate::provenance::now();
    let mut inputs = vec![match &given.development {
        Some(frame) => frame.fingerprint("development", &spec.data.development)?,
        None => crate::provenance::fingerprint("development", &spec.data.development)?,
    }];
    if let Some(current) = &spec.data.current {
        inputs.push(match &given.current {
            Some(frame) => frame.fingerprint("current", current)?,
            None => crate::provenance::fingerprint("current", current)?,
        });
    }
    if let Some(file) = spec_file {
        inputs.push(crate::provenance::fingerprint("spec", file)?);
    }
    inputs.extend(crate::provenance::command_files(&spec.model.teacher));

    let plan = Plan::new(observer, planned_work(&spec)?);
    let (samples, t) = plan.stage("teacher", || load(&mut spec, given));
    let mut samples: Samples = samples?;
    let spec = spec;
    let mut times = vec![StageTime { stage: "teacher", seconds: t }];
    let mut skipped = BTreeMap::new();
    let task = samples.task;

    let mut audit = Audit {
        format: FORMAT,
        version: VERSION,
        title: spec.title.clone(),
        model: spec.model.teacher.clone(),
        task: task.name(),
        bad_class: samples.bad_label.clone(),
        classes: samples.classes.clone(),
        tally: Default::default(),
        findings: Vec::new(),
        data: None,
        novelty: None,
        performance: None,
        explanation: None,
        comparison: None,
        regression: None,
        skipped: BTreeMap::new(),
        provenance: Provenance {
            kd_version: env!("CARGO_PKG_VERSION"),
            torch: cfg!(feature = "torch"),
            inputs,
            spec: spec.clone(),
            seed: spec.seed,
            threads: rayon::current_num_threads(),
            started,
            finished: String::new(),
            seconds: 0.0,
            stages: Vec::new(),
        },
    };

    if spec.stages.data {
        let (r, t) = plan.stage("data", || data::run(&samples, spec.performance.psi_bins));
        times.push(StageTime { stage: "data", seconds: t });
        audit.data = Some(r?);
    } else {
        skipped.insert("data", OFF.to_owned());
    }
    match novelty_skipped(&spec, &samples) {
        Some(reason) => {
            skipped.insert("novelty", reason);
        }
        None => {
            let (r, t) = plan.stage("novelty", || novelty(&spec, &samples));
            times.push(StageTime { stage: "novelty", seconds: t });
            audit.novelty = r?;
        }
    }
    if spec.stages.performance {
        let (r, t) = plan.stage("performance", || {
            performance::run(&spec, task, &samples.development, samples.current.as_ref())
        });
        times.push(StageTime { stage: "performance", seconds: t });
        audit.performance = Some(r?);
    } else {
        skipped.insert("performance", OFF.to_owned());
    }
    match (spec.stages.regression, task) {
        (Regression::Never, _) => {
            skipped.insert("regression", OFF.to_owned());
        }
        (Regression::Auto, Task::Binary) => {
            skipped.insert(
                "regression",
                "the model is a classifier (stages.regression = \"always\" runs the battery on the 0/1 outcome)".to_owned(),
            );
        }
        _ => {
            let (r, t) = plan.stage("regression", || regression::run(&samples.development));
            times.push(StageTime { stage: "regression", seconds: t });
            match r? {
                Ok(report) => audit.regression = Some(report),
                Err(reason) => {
                    skipped.insert("regression", reason);
                }
            }
        }
    }

    // Explanation (queries the model) and comparison (reads the scores given) in parallel.
    let Samples { development, teacher, bad, bad_label, classes, .. } = &mut samples;
    let dev: &crate::samples::Sample = development;
    // The Bastani tree queries the model: as its bad class against the others where the model
    // has more classes, or the bad one first, so that the tree's second class is the bad one.
    let mut reduced;
    let (teacher, bad): (&mut dyn kd_core::teacher::Teacher, Option<usize>) = match *bad {
        Some(b) if b != 1 || classes.is_some() => {
            reduced = OneAgainstRest::new(teacher.as_mut(), b);
            (&mut reduced, Some(1))
        }
        other => (teacher.as_mut(), other),
    };
    let model = explanation::Model { task, bad: bad.zip(bad_label.clone()), teacher };
    let (explained, compared) = rayon::join(
        || spec.stages.explanation.then(|| plan.stage("explanation", || explanation::run(&spec, dev, model))),
        || {
            spec.stages
                .comparison
                .then(|| plan.stage("comparison", || comparison::run(&spec, task, dev, bad_label.as_deref())))
        },
    );
    match explained {
        Some((r, t)) => {
            times.push(StageTime { stage: "explanation", seconds: t });
            audit.explanation = Some(r?);
        }
        None => {
            skipped.insert("explanation", OFF.to_owned());
        }
    }
    match compared {
        Some((r, t)) => {
            times.push(StageTime { stage: "comparison", seconds: t });
            audit.comparison = Some(r?);
        }
        None => {
            skipped.insert("comparison", OFF.to_owned());
        }
    }

    audit.findings = crate::findings::grade(&spec, &audit);
    audit.tally = crate::finding::Tally::of(&audit.findings);
    audit.skipped = skipped;
    audit.provenance.finished = crate::provenance::now();
    audit.provenance.seconds = start.elapsed().as_secs_f64();
    audit.provenance.stages = times;
    Ok(audit)
}

/// Why the novelty stage does not run, if it does not.
fn novelty_skipped(spec: &Spec, samples: &Samples) -> Option<String> {
    if !spec.stages.novelty {
        Some(OFF.to_owned())
    } else if samples.current.is_none() {
        Some("there is no current sample (data.current)".to_owned())
    } else if !cfg!(feature = "torch") {
        Some("this kd was built without libtorch; cargo xtask install builds it with libtorch".to_owned())
    } else {
        None
    }
}

#[cfg(feature = "torch")]
fn novelty(spec: &Spec, samples: &Samples) -> Result<Option<crate::stages::novelty::NoveltyReport>> {
    match &samples.current {
        Some(current) => crate::stages::novelty::run(spec, &samples.development, current).map(Some),
        None => Ok(None),
    }
}

#[cfg(not(feature = "torch"))]
fn novelty(_: &Spec, _: &Samples) -> Result<Option<crate::stages::novelty::NoveltyReport>> {
    Ok(None)
}

/// Work units per stage for the time-left estimate: rows × features × model fits, read from
/// the development file's size before it is parsed (bytes stand in for rows × columns). The
/// factors are measured: on Taiwan's 10,000 development rows the teacher took 11 s, the
/// explanation 122 s and Distill-and-Compare's 30 resamples 823 s of wall time (in parallel, on
/// a loaded machine); on an idle machine, with 10,000 current rows, the data stage 0.01 s, the
/// novelty stage's 30 epochs 8 s, the explanation 25 s and the comparison 110 s.
fn planned_work(spec: &Spec) -> Result<Vec<(&'static str, f64)>> {
    let bytes = |p: &Path| std::fs::metadata(p).map(|m| m.len() as f64).unwrap_or(1.0);
    let dev = bytes(&spec.data.development);
    let cur = spec.data.current.as_deref().map_or(0.0, bytes);
    let gam = (2000.0 / spec.gam.max_rounds as f64).max(1.0).recip() * (0.05 / spec.gam.learning_rate);
    Ok(vec![
        ("teacher", dev + cur),
        ("data", 0.01 * (dev + cur)),
        ("novelty", if cur > 0.0 { 0.6 * spec.novelty.epochs as f64 * dev } else { 0.0 }),
        ("performance", 0.2 * (dev + cur)),
        ("regression", 0.2 * dev),
        ("explanation", 4.0 * gam * dev * (spec.gam.outer_bags as f64 + 4.0)),
        ("comparison", 10.0 * gam * dev * spec.comparison.bootstrap as f64),
    ])
}
