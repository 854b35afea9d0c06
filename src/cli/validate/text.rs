//! The report as a table for people: each figure on a line, its formula and reference on the
//! next, in the ECB's four groups, then the figures flagged.

use std::fmt::Write as _;

use serde::Serialize;

use super::cite::{Citation, Cited};
use kd::hypotheses::validation::AucChange;
use kd::hypotheses::validation::report::{FLAGGED, Flag, NOTHING_FLAGGED, PdReport, Report, by_place};
use kd::hypotheses::validation::{
    Discrimination, DiscriminatoryPower, HerfindahlFigure, PrudentBound, Stability,
};

/// Renders `report` as text, ending with its `flags`.
pub fn render(report: &Report, flags: &[Flag]) -> String {
    let mut o = String::new();
    match report {
        Report::Pd(r) => pd(&mut o, r),
        Report::Lgd(r) => super::lgd_text::lgd(&mut o, r),
    }
    flagged(&mut o, flags);
    o
}

/// The figures that ask a validator to look, a line a place: figure, place, what.
fn flagged(o: &mut String, flags: &[Flag]) {
    if flags.is_empty() {
        let _ = writeln!(o, "\nWhat to look at: nothing flagged ({NOTHING_FLAGGED})");
        return;
    }
    let _ = writeln!(
        o,
        "\nWhat to look at ({} flags in {} places: {FLAGGED})",
        flags.len(),
        by_place(flags).count()
    );
    for run in by_place(flags) {
        let place = if run[0].place.is_empty() { String::new() } else { format!(", {}", run[0].place) };
        let what: Vec<&str> = run.iter().map(|f| f.what.as_str()).collect();
        let _ = writeln!(o, "  {}{place}: {}", run[0].title, what.join("; "));
    }
}

/// A figure's line and its citation's line.
pub(super) fn line<T: Serialize>(o: &mut String, label: &str, value: String, figure: &Cited<T>) {
    let _ = writeln!(o, "  {label:<22} {value}");
    cited(o, (figure.formula, figure.reference));
}

/// A figure's lines (`value` of it) or, where it is undefined, the note saying why.
pub(super) fn line_or_note<T: Serialize>(
    o: &mut String,
    label: &str,
    figure: Option<&Cited<T>>,
    why: Option<&String>,
    value: impl Fn(&T) -> String,
) {
    match figure {
        Some(f) => line(o, label, value(&f.figure), f),
        None => note(o, label, why.map_or("", String::as_str)),
    }
}

/// A figure left out, with why, where its line would be.
pub(super) fn note(o: &mut String, label: &str, text: &str) {
    let _ = writeln!(o, "  {label:<22} {text}");
}

pub(super) fn cited(o: &mut String, (formula, reference): Citation) {
    let _ = writeln!(o, "  {:<22} {formula} — {reference}", "");
}

pub(super) fn header(
    o: &mut String,
    what: &str,
    file: &str,
    date: Option<&String>,
    counts: String,
    scale: Option<&kd::hypotheses::validation::scale::Scale>,
) {
    let when = date.map_or(String::new(), |d| format!(", rows dated {d}"));
    let _ = writeln!(o, "{what} validation of {file} ({counts}{when})");
    if let Some(s) = scale {
        let _ = writeln!(o, "Grades, best first ({:?}): {}", s.order, s.grades.join(", "));
    }
    let _ = writeln!(
        o,
        "Grouped as the {}; each figure's formula and reference below it.",
        super::cite::INSTRUCTIONS
    );
}

pub(super) fn change(o: &mut String, label: &str, c: &Cited<AucChange>) {
    let f = &c.figure;
    let initial_se = f.initial_std_error.map_or(String::new(), |s| format!(" (s.e. {s:.4})"));
    let independent = match (f.independent_statistic, f.independent_p_value) {
        (Some(z), Some(p)) => format!("; independent z = {z:.3}, p = {p:.4}"),
        _ => String::new(),
    };
    let value = format!(
        "initial {:.4}{initial_se}, now {:.4}: S = {:.3}, p = {:.4}{independent}",
        f.initial, f.current, f.statistic, f.p_value
    );
    line(o, label, value, c);
}

/// The figures of discriminatory power.
fn discrimination(o: &mut String, d: &Discrimination) {
    let a = &d.auroc.figure;
    let auroc =
        format!("{:.4}  s.e. {:.4}, 95% CI [{:.4}, {:.4}]", a.value, a.std_error, a.ci_low, a.ci_high);
    line(o, "AUROC", auroc, &d.auroc);
    line(o, "Gini (AR)", format!("{:.4}", d.gini.figure.value), &d.gini);
    let ks = &d.ks.figure;
    line(o, "KS", format!("{:.4}  p = {:.4} ({:?})", ks.statistic, ks.p_value, ks.method), &d.ks);
    if let Some(c) = &d.auc_change {
        change(o, "AUROC vs initial", c);
    }
    if let Some(text) = &d.auc_change_note {
        note(o, "AUROC vs initial", text);
    }
    if let Some(c) = &d.comparison {
        let f = &c.figure;
        match &f.test {
            Some(t) => {
                let value = format!(
                    "'{}': AUROC {:.4} vs {:.4}, z = {:.3}, p = {:.4}",
                    f.challenger, t.auroc_a, t.auroc_b, t.statistic, t.p_value
                );
                line(o, "vs challenger", value, c);
            }
            None => note(
                o,
                "vs challenger",
                &format!("'{}': {}", f.challenger, f.note.as_deref().unwrap_or_default()),
            ),
        }
    }
}

fn pd(o: &mut String, r: &PdReport) {
    let counts = format!("n = {}, defaults = {}", r.n_obs, r.n_defaults);
    header(o, "PD model", &r.file, r.date.as_ref(), counts, r.scale.as_ref());
    let _ = writeln!(o, "\nDiscriminatory power");
    match &r.discriminatory_power {
        DiscriminatoryPower::Figures(d) => discrimination(o, d),
        DiscriminatoryPower::Undefined { auroc_note } => note(o, "AUROC", auroc_note),
    }
    if let Some(p) = &r.predictive_ability {
        let _ = writeln!(o, "\nPredictive ability");
        let c = &p.calibration;
        line_or_note(
            o,
            "Hosmer-Lemeshow",
            c.hosmer_lemeshow.as_ref(),
            c.hosmer_lemeshow_note.as_ref(),
            |hl| {
                format!(
                    "{:.3}  p = {:.4} ({} groups, df {}, {:?} sample)",
                    hl.statistic, hl.p_value, hl.groups, hl.df, hl.sample
                )
            },
        );
        line_or_note(o, "Spiegelhalter z", c.spiegelhalter.as_ref(), c.spiegelhalter_note.as_ref(), |s| {
            format!("{:.3}  p = {:.4}", s.statistic, s.p_value)
        });
        let b = &p.calibration.brier.figure;
        let value = format!(
            "{:.4} = {:.4} − {:.4} + {:.4} + {:.4}",
            b.brier, b.reliability, b.resolution, b.uncertainty, b.within_bin
        );
        line(o, "Brier", value, &p.calibration.brier);
        let j = &p.calibration.jeffreys.figure;
        let value = format!(
            "N = {}, D = {}, PD {:.4}, DR {:.4}: p = {:.4}",
            j.n, j.defaults, j.pd, j.observed_rate, j.p_value
        );
        line(o, "Jeffreys (portfolio)", value, &p.calibration.jeffreys);
        if let Some(g) = &p.grades {
            let _ = writeln!(o, "  Per grade");
            cited(o, (g.formula, g.reference));
            let _ = writeln!(
                o,
                "  {:>8} {:>7} {:>8} {:>8} {:>9} {:>11} {:>11}  light",
                "grade", "n", "defaults", "PD", "observed", "binomial p", "Jeffreys p"
            );
            for t in &g.figure.rows {
                let _ = writeln!(
                    o,
                    "  {:>8} {:>7} {:>8} {:>8.4} {:>9.4} {:>11.4} {:>11.4}  {:?}",
                    t.grade,
                    t.n,
                    t.defaults,
                    t.pd,
                    t.observed_rate,
                    t.binomial_p_value,
                    t.jeffreys_p_value,
                    t.traffic_light
                );
            }
        }
        if let Some(pt) = &p.pluto_tasche {
            let f = &pt.figure;
            let row = |bound: fn(&PrudentBound) -> f64| {
                let each: Vec<String> =
                    f.grades.iter().zip(&f.bounds).map(|(g, b)| format!("{g} {:.4}", bound(b))).collect();
                each.join(", ")
            };
            let label = format!("Pluto-Tasche {:.0}%", 100.0 * f.confidence);
            let _ = writeln!(o, "  {label:<22} {}", row(|b| b.upper_bound));
            line(o, &format!("  correlated, ρ {}", f.rho), row(|b| b.upper_bound_correlated), pt);
        }
        if let Some(pt) = &p.pluto_tasche_periods {
            let f = &pt.figure;
            let each: Vec<String> = f
                .grades
                .iter()
                .zip(&f.bounds)
                .map(|(g, b)| match b.upper_bound {
                    Some(bound) => format!("{g} {bound:.4}"),
                    None => format!("{g} – ({})", b.note.as_deref().unwrap_or("not computed")),
                })
                .collect();
            let label = format!("  {} periods, τ {}", f.periods.len(), f.period_correlation);
            line(o, &label, each.join(", "), pt);
        }
        if let Some(l) = &p.long_run {
            let f = &l.figure;
            let test = match (f.statistic, f.p_value) {
                (Some(z), Some(pv)) => format!(": z = {z:.3}, p = {pv:.4}"),
                _ => String::new(),
            };
            let target = f.target.map_or("each cohort's mean PD".to_owned(), |t| format!("target {t:.4}"));
            let value = format!(
                "LRA {:.4} over {} cohorts against {target} ({:+.4}){test}",
                f.default_rate,
                f.cohorts.len(),
                f.difference
            );
            line(o, "Long-run default rate", value, l);
            for c in &f.cohorts {
                let _ = writeln!(
                    o,
                    "  {:>22} {}: n {}, defaults {}, DR {:.4}, mean PD {:.4}",
                    "", c.cohort, c.n, c.defaults, c.default_rate, c.mean_pd
                );
            }
        }
        if let Some(v) = &p.overrides {
            let f = &v.figure;
            let split = match (f.upgrades, f.downgrades) {
                (Some(u), Some(d)) => format!(" ({u} to better grades, {d} to worse)"),
                _ => String::new(),
            };
            line(o, "Overrides", format!("{} of {} ({:.2}%){split}", f.overridden, f.n, 100.0 * f.rate), v);
        }
    }
    stability(o, &r.stability);
    if let Some(c) = &r.concentration {
        let _ = writeln!(o, "\nConcentration");
        herfindahl(o, "Herfindahl (obligors)", &c.obligors);
        if let Some(e) = &c.exposure {
            herfindahl(o, "Herfindahl (exposure)", e);
        }
    }
}

fn herfindahl(o: &mut String, label: &str, h: &Cited<HerfindahlFigure>) {
    let Some(i) = &h.figure.index else {
        return note(o, label, h.figure.note.as_deref().unwrap_or_default());
    };
    let test = match (&h.figure.test, &h.figure.note) {
        (Some(t), _) => {
            format!("; initial HI {:.4}: t = {:.3}, p = {:.4}", t.initial.index, t.statistic, t.p_value)
        }
        (None, Some(note)) => format!("; {note}"),
        (None, None) => String::new(),
    };
    line(
        o,
        label,
        format!("HI {:.4} (Σ R² {:.4}, CV {:.4}, K = {}){test}", i.index, i.sum_of_squares, i.cv, i.grades),
        h,
    );
}

pub(super) fn stability(o: &mut String, s: &Stability) {
    let _ = writeln!(o, "\nStability");
    if let Some(b) = &s.baseline {
        let _ = writeln!(o, "  against the baseline {b}");
    }
    if let Some(p) = &s.psi {
        line(o, "PSI of the estimate", format!("{:.4} ({:?})", p.figure.value, p.figure.verdict), p);
    }
    if let Some(k) = &s.ks {
        line(o, "KS of the estimate", format!("{:.4}  p = {:.4}", k.figure.statistic, k.figure.p_value), k);
    }
    if let Some(g) = &s.grades {
        let test = match (&g.figure.chi_square, &g.figure.note) {
            (Some(c), _) => format!("χ² = {:.3} (df {}), p = {:.4}", c.statistic, c.df, c.p_value),
            (None, note) => note.clone().unwrap_or_default(),
        };
        line(o, "Grade distribution", format!("PSI {:.4}, {test}", g.figure.psi), g);
    }
    if let Some(c) = &s.csi {
        let _ = writeln!(o, "  CSI of the other shared columns");
        for (name, v) in &c.figure.columns {
            let _ = writeln!(o, "    {name:<38} {:.4} ({:?})", v.value, v.verdict);
        }
        for (name, why) in &c.figure.left_out {
            let _ = writeln!(o, "    {name:<38} no CSI: {why}");
        }
    }
    if let Some(m) = &s.migration {
        let f = &m.figure;
        let Some(g) = &f.migration else {
            return note(o, "Migration", f.note.as_deref().unwrap_or_default());
        };
        let mwb = |x: Option<f64>| x.map_or("–".to_owned(), |v| format!("{v:.4}"));
        let value = format!(
            "{} obligors from {}: stayed {:.4}, one grade {:.4}, two {:.4}, more {:.4}; MWB upper {}, lower {}",
            g.n,
            f.from,
            g.stayed,
            g.moved_one,
            g.moved_two,
            g.moved_more,
            mwb(g.mwb_upper),
            mwb(g.mwb_lower)
        );
        line(o, "Migration", value, m);
        let _ = writeln!(
            o,
            "  {:>8} {}",
            "from\\to",
            f.grades.iter().map(|g| format!("{g:>7}")).collect::<String>()
        );
        for (grade, row) in f.grades.iter().zip(&g.counts) {
            let _ = writeln!(o, "  {grade:>8} {}", row.iter().map(|c| format!("{c:>7}")).collect::<String>());
        }
        let m = &g.monotonicity;
        let _ = writeln!(
            o,
            "  monotonicity (ECB z-tests, one-sided {} per cell): {} of {} cells breach ({} not tested: nothing to compare)",
            m.level,
            m.breaches,
            m.tests.len(),
            m.untested
        );
        const SHOWN: usize = 20;
        for t in m.tests.iter().filter(|t| t.breach).take(SHOWN) {
            let z = t.z.map_or("−∞ (the whole row)".to_owned(), |z| format!("{z:.2}"));
            let _ =
                writeln!(o, "    {} → {}: z = {z}, p = {:.2e}", f.grades[t.from], f.grades[t.to], t.p_value);
        }
        if m.breaches > SHOWN {
            let _ = writeln!(o, "    … and {} more (--format json lists every cell)", m.breaches - SHOWN);
        }
    }
}
