//! `kd validate --chunk-rows N`: the PD validation of a portfolio too large to hold, read chunk
//! by chunk (Parquet row groups, CSV blocks) into mergeable summaries — the distinct PDs with
//! their defaults and non-defaults, per grade, and exposure sums — from which every figure is
//! computed as from all rows at once (kd_hypotheses::validation::ScoreCounts). Memory is one
//! chunk plus the summaries (24 bytes per distinct PD and grade) and, with a baseline, the CSI's
//! (24 bytes per distinct value of each numeric column of the baseline; the current file's rows
//! are only counted), whatever the number of current rows.
//!
//! The figures that need every row together (migration, cohorts, the challenger's paired test,
//! overrides, curves, LGD/CCF back-tests) are refused here; `--id` only leaves its column out of
//! the CSI. The CSI of the other columns the files share reads the baseline once more for its
//! bins ([`ChunkedCsi`]).
//!
//! `kd validate --obligors COL` reads grade tables the same way: a row per group of obligors
//! sharing a PD, with its obligors and defaults, summarised by `ScoreCounts::from_groups`, so
//! that every figure equals that of the groups written out a row per obligor (no CSI: the
//! other columns describe groups).

use std::collections::BTreeMap;
use std::path::Path;

use kd::core::data::{ReadOptions, read_chunks};
use kd::hypotheses::validation::{
    self as v, Calibration, Concentration, Discrimination, DiscriminatoryPower, HlSample, Predictive,
    ScoreCounts, Stability, grade_sections,
};

use super::super::MissingArg;
use super::super::columns::{
    complete_rows, ensure_probabilities, exposures, invalid_value, numbers, outcomes,
};
use super::chunked_csi::ChunkedCsi;
use super::cite;
use super::{Args, Model, SampleArg};
use kd::hypotheses::validation::report::PdReport;
use kd::hypotheses::validation::scale::{Scale, labels};

/// What one file contributes: the summary of each grade (one entry, `""`, without grades) and
/// each grade's exposure.
#[derive(Default)]
struct Summary {
    by_grade: BTreeMap<String, ScoreCounts>,
    exposure: BTreeMap<String, f64>,
}

impl Summary {
    fn all(&self) -> ScoreCounts {
        let mut all = ScoreCounts::default();
        self.by_grade.values().for_each(|s| all.merge(s));
        all
    }
}

/// Refuses what the request refuses, and the options whose figures need all rows at once.
fn check(args: &Args) -> anyhow::Result<()> {
    args.request().check()?;
    if let Some(column) = args.obligors.as_ref().filter(|c| **c == args.outcome) {
        anyhow::bail!(crate::cli::UsageError::new(
            "--obligors",
            format!(
                "'{column}' is also --outcome: a grade table counts its obligors and its defaults in two columns"
            )
        ));
    }
    let refused = [
        (args.obligors.is_some() && args.id.is_some(), "--id"),
        (args.model != Model::Pd, "--model lgd/ccf"),
        (args.date.is_some(), "--date"),
        (args.previous.is_some(), "--previous"),
        (args.challenger.is_some(), "--challenger"),
        (args.r#override.is_some(), "--override"),
        (args.curves, "--curves"),
    ];
    if let Some((_, flag)) = refused.iter().find(|(on, _)| *on) {
        let (mode, why) = match args.obligors {
            Some(_) => (
                "--obligors",
                format!(
                    "a grade table gives the figures of groups of obligors; {flag} needs each obligor's row"
                ),
            ),
            None => (
                "--chunk-rows",
                format!(
                    "chunked validation computes the figures that merge across chunks; {flag} needs every \
                     row at once (leave out --chunk-rows)"
                ),
            ),
        };
        anyhow::bail!(crate::cli::UsageError::new(mode, why));
    }
    Ok(())
}

/// The summary of one chunk's `rows` in one grade (`members`, indices into `rows`): of each
/// row, its PD in `score` and, with outcomes, its default in `y`, or in a grade table (`groups`:
/// each row's obligors and defaults) the group's.
fn grade_counts(
    members: &[usize],
    score: &[f64],
    y: &[bool],
    groups: Option<&(Vec<u64>, Vec<u64>)>,
) -> kd::hypotheses::Result<ScoreCounts> {
    let ss: Vec<f64> = members.iter().map(|&i| score[i]).collect();
    match groups {
        Some((obligors, defaults)) => {
            let ds: Vec<u64> = members.iter().map(|&i| defaults[i]).collect();
            let os: Vec<u64> = members.iter().map(|&i| obligors[i] - defaults[i]).collect();
            ScoreCounts::from_groups(&ss, &ds, &os)
        }
        None => ScoreCounts::from_rows(&members.iter().map(|&i| y[i]).collect::<Vec<_>>(), &ss),
    }
}

/// Each row's obligors (`column`) and defaults (`outcome`, when the file has the column; else
/// none), whole numbers with the defaults at most the obligors, refused by line otherwise.
fn group_sizes(
    table: &kd::core::data::Table,
    column: &str,
    outcome: Option<&str>,
    rows: &[usize],
) -> anyhow::Result<(Vec<u64>, Vec<u64>)> {
    // 2⁵³: the largest count an f64 column holds exactly.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    let whole = |name: &str, what: &str| -> anyhow::Result<Vec<u64>> {
        let values = numbers(table, name, rows)?;
        if let Some(i) = values.iter().position(|v| !(v.fract() == 0.0 && (0.0..=EXACT).contains(v))) {
            anyhow::bail!(invalid_value(
                table,
                name,
                rows[i],
                format!("{} is not a count of {what} (a whole number ≥ 0)", values[i])
            ));
        }
        Ok(values.into_iter().map(|v| v as u64).collect())
    };
    let obligors = whole(column, "obligors")?;
    let defaults = match outcome {
        Some(name) => whole(name, "defaults")?,
        None => vec![0; rows.len()],
    };
    if let (Some(name), Some(i)) = (outcome, obligors.iter().zip(&defaults).position(|(n, d)| d > n)) {
        anyhow::bail!(invalid_value(
            table,
            name,
            rows[i],
            format!("{} defaults in a group of {} obligors ('{column}')", defaults[i], obligors[i])
        ));
    }
    Ok((obligors, defaults))
}

/// The reading options of `args`' files for `columns` (all of them with `None`), the label
/// columns read as text, as the rows' report reads them.
pub(super) fn options(args: &Args, columns: Option<Vec<String>>) -> ReadOptions {
    args.file_format.options(args.request().label_columns(), columns)
}

/// How many rows a chunk holds at most.
pub(super) fn chunk_rows(args: &Args) -> usize {
    args.chunk_rows.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// Reads `path` chunk by chunk into its summary; `outcome` says whether it has the outcome
/// column; `scale`, when known, must hold every grade (the baseline's are checked on their line);
/// `csi`, when given, counts the rows' other columns into the baseline's bins.
fn summarise(
    path: &Path,
    args: &Args,
    outcome: bool,
    scale: Option<&Scale>,
    mut csi: Option<&mut ChunkedCsi>,
) -> anyhow::Result<Summary> {
    let mut used = vec![args.score.as_str()];
    used.extend(outcome.then_some(args.outcome.as_str()));
    used.extend([&args.grade, &args.exposure, &args.obligors].into_iter().flatten().map(String::as_str));
    let mut read: Vec<String> = used.iter().map(|c| (*c).to_owned()).collect();
    read.extend(
        csi.iter().flat_map(|c| c.columns()).map(str::to_owned).filter(|c| !used.contains(&c.as_str())),
    );
    let mut out = Summary::default();
    for chunk in read_chunks(path, &options(args, Some(read)), chunk_rows(args))? {
        let table = chunk?;
        let rows = complete_rows(&table, &used, args.missing == MissingArg::Drop)?;
        if let Some(csi) = csi.as_deref_mut() {
            csi.count(&table, &rows)?;
        }
        let score = numbers(&table, &args.score, &rows)?;
        let outcome_column = outcome.then_some(args.outcome.as_str());
        let groups = match &args.obligors {
            Some(column) => Some(group_sizes(&table, column, outcome_column, &rows)?),
            None => None,
        };
        let y = match outcome_column {
            Some(column) if groups.is_none() => outcomes(&table, column, &rows)?,
            _ => vec![false; rows.len()],
        };
        if !args.no_calibration {
            let hint = "calibration tests need PDs (pass --no-calibration to skip them)";
            ensure_probabilities(&table, &args.score, &rows, &score, hint)?;
        }
        let exposure = match &args.exposure {
            Some(column) => Some(exposures(&table, column, &rows)?),
            None => None,
        };
        let grade = match &args.grade {
            Some(column) => labels(&table, column, &rows)?,
            None => vec![String::new(); rows.len()],
        };
        // A group of no obligors stands for no row: left out, as its rows written out would be
        // (but not with an exposure, which no row could hold).
        let empty = |i: usize| groups.as_ref().is_some_and(|(obligors, _)| obligors[i] == 0);
        if let (Some(e), Some(column)) = (&exposure, &args.exposure)
            && let Some(i) = (0..rows.len()).find(|&i| empty(i) && e[i] != 0.0)
        {
            anyhow::bail!(invalid_value(
                &table,
                column,
                rows[i],
                format!("an exposure of {} in a group of 0 obligors", e[i])
            ));
        }
        let allowed = scale.map(|s| s.grades.clone()).or_else(|| args.grade_order.clone());
        if let (Some(allowed), Some(column)) = (&allowed, &args.grade)
            && let Some(i) = (0..grade.len()).find(|&i| !empty(i) && !allowed.contains(&grade[i]))
        {
            anyhow::bail!(invalid_value(
                &table,
                column,
                rows[i],
                format!("grade '{}' is not a grade of the scale ({})", grade[i], allowed.join(","))
            ));
        }
        let mut rows_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, g) in grade.iter().enumerate().filter(|(i, _)| !empty(*i)) {
            rows_of.entry(g).or_default().push(i);
        }
        for (g, members) in rows_of {
            let counts = grade_counts(&members, &score, &y, groups.as_ref())?;
            out.by_grade.entry(g.to_owned()).or_default().merge(&counts);
            if let Some(e) = &exposure {
                *out.exposure.entry(g.to_owned()).or_default() += members.iter().map(|&i| e[i]).sum::<f64>();
            }
        }
    }
    Ok(out)
}

/// The grade scale from the grades' summaries: as given, numeric, or by mean PD (the labels
/// were checked against --grade-order chunk by chunk, on their lines).
fn scale(args: &Args, current: &Summary) -> anyhow::Result<Option<Scale>> {
    if args.grade.is_none() {
        return Ok(None);
    }
    let mean = |g: &String| {
        current.by_grade.get(g).map_or(f64::NAN, |s| {
            s.values().iter().zip(s.counts()).map(|(v, c)| v * c as f64).sum::<f64>() / s.n() as f64
        })
    };
    let present = current.by_grade.keys().cloned().collect();
    Ok(Some(Scale::ordered(args.grade_order.as_deref(), present, mean, &args.data.display().to_string())?))
}

/// The summaries of the baseline, with its outcomes when it has the column.
fn baseline(args: &Args, scale: Option<&Scale>) -> anyhow::Result<Option<(Summary, bool)>> {
    let Some(path) = &args.baseline else { return Ok(None) };
    match summarise(path, args, true, scale, None) {
        Ok(s) => Ok(Some((s, true))),
        Err(e) if matches!(e.downcast_ref(), Some(kd::core::Error::MissingColumn { name, .. }) if *name == args.outcome) => {
            Ok(Some((summarise(path, args, false, scale, None)?, false)))
        }
        Err(e) => Err(e),
    }
}

/// Per-grade summaries in scale order (empty ones for grades a file lacks).
fn in_scale(summary: &Summary, scale: &Scale) -> Vec<ScoreCounts> {
    scale.grades.iter().map(|g| summary.by_grade.get(g).cloned().unwrap_or_default()).collect()
}

/// The PD report from summaries, with the figures [`PdReport::build`] gives from rows.
pub fn report(args: &Args) -> anyhow::Result<PdReport> {
    check(args)?;
    // A grade table's other columns describe groups, not obligors: no CSI.
    let baseline_for_csi = args.baseline.as_deref().filter(|_| args.obligors.is_none());
    let mut csi = baseline_for_csi.map(|path| ChunkedCsi::from_baseline(args, path)).transpose()?;
    let current = summarise(&args.data, args, true, None, csi.as_mut())?;
    let scale = scale(args, &current)?;
    let base = baseline(args, scale.as_ref())?;
    let all = current.all();
    let baseline_file = args.baseline.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    let both_classes = |file: &str, s: &ScoreCounts| {
        v::check_both_classes(file, &args.outcome, s.n() as usize, s.n_defaults() as usize)
    };
    let discriminatory_power =
        DiscriminatoryPower::unless_undefined(both_classes(&args.data.display().to_string(), &all), || {
            let (initial, note) = match (args.initial_given(), &base) {
                (Some(given), _) => (Some(given), None),
                (None, Some((b, true))) => {
                    let before = b.all();
                    v::initial_auroc(both_classes(&baseline_file, &before), || v::auroc_of(&before, 0.95))?
                }
                _ => (None, None),
            };
            Ok(Discrimination::new(v::auroc_of(&all, 0.95)?, v::ks_of(&all)?, initial)?
                .with_initial_note(note))
        })?;
    let predictive_ability =
        if args.no_calibration { None } else { Some(predictive(args, &current, &all, scale.as_ref())?) };
    let count =
        |s: &Summary, scale: &Scale| in_scale(s, scale).iter().map(|g| g.n() as usize).collect::<Vec<_>>();
    let stability = match &base {
        Some((b, _)) => {
            let counts = scale
                .as_ref()
                .map(|scale| (scale.grades.as_slice(), count(b, scale), count(&current, scale)));
            let shift = Stability::from_counts(
                &baseline_file,
                &b.all(),
                &all,
                args.binning(10),
                counts.as_ref().map(|(grades, before, now)| (*grades, before.as_slice(), now.as_slice())),
            )?;
            match csi {
                Some(csi) => {
                    let (bins, left_out) = csi.finish();
                    shift.with_csi(&bins, left_out)?
                }
                None => shift,
            }
        }
        None => Stability::default(),
    };
    let concentration = match &scale {
        Some(scale) => {
            let exposure = |s: &Summary| {
                scale.grades.iter().map(|g| s.exposure.get(g).copied().unwrap_or(0.0)).collect::<Vec<_>>()
            };
            let as_f64 = |c: Vec<usize>| c.into_iter().map(|x| x as f64).collect::<Vec<_>>();
            let obligors =
                (as_f64(count(&current, scale)), base.as_ref().map(|(b, _)| as_f64(count(b, scale))));
            let by_exposure =
                args.exposure.as_ref().map(|_| (exposure(&current), base.as_ref().map(|(b, _)| exposure(b))));
            Some(Concentration::from_totals(
                (&obligors.0, obligors.1.as_deref()),
                by_exposure.as_ref().map(|(now, initial)| (now.as_slice(), initial.as_deref())),
            )?)
        }
        None => None,
    };
    Ok(PdReport {
        model: "pd",
        instructions: cite::INSTRUCTIONS,
        file: args.data.display().to_string(),
        date: None,
        n_obs: all.n() as usize,
        n_defaults: all.n_defaults() as usize,
        scale,
        discriminatory_power,
        predictive_ability,
        stability,
        concentration,
    })
}

fn predictive(
    args: &Args,
    current: &Summary,
    all: &ScoreCounts,
    scale: Option<&Scale>,
) -> kd::hypotheses::Result<Predictive> {
    let sample = match args.hl_sample {
        SampleArg::Validation => HlSample::Validation,
        SampleArg::Development => HlSample::Development,
    };
    let binning = args.binning(args.groups);
    let bins = match scale {
        Some(scale) => in_scale(current, scale),
        None => all.split(&binning.cut_points_counts(all.values(), &all.counts())),
    };
    let (grades, pluto_tasche) = match scale {
        Some(scale) => {
            let (tests, bounds) = grade_sections(
                v::grade_tests_of(&bins, &scale.grades, args.rho)?,
                &scale.grades,
                args.prudence,
                args.rho,
            )?;
            (Some(tests), Some(bounds))
        }
        None => (None, None),
    };
    Ok(Predictive {
        calibration: Calibration::from_counts(all, binning, sample, &bins)?,
        grades,
        pluto_tasche,
        pluto_tasche_periods: None,
        long_run: None,
        overrides: None,
    })
}
