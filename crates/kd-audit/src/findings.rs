//! Grading: the stages' figures measured against the spec's bars ([`Thresholds`]), one finding
//! per figure that carries a decision. Keys are stable (`drift.psi.age`), so two runs can be
//! compared finding by finding.

use crate::finding::{Findings, Severity};
use crate::report::Audit;
use crate::spec::{Missing, Spec, Thresholds};
use crate::stages::performance::EveryClass;

fn fmt(v: f64) -> String {
    crate::html::number(v)
}

/// "1 row", "6 rows".
fn rows(n: usize) -> String {
    if n == 1 { "1 row".to_owned() } else { format!("{n} rows") }
}

/// Grades every stage of `audit` into findings, most severe first.
pub fn grade(spec: &Spec, audit: &Audit) -> Vec<crate::finding::Finding> {
    let t = &spec.thresholds;
    let mut f = Findings::default();
    data(spec, t, audit, &mut f);
    performance(t, audit, &mut f);
    explanation(t, audit, &mut f);
    comparison(t, audit, &mut f);
    if let Some(r) = &audit.regression {
        for a in &r.assumptions {
            let Some(p) = a.min_p_value else { continue };
            let severity = t.regression_p.grade(p);
            let detail = if severity == Severity::Green {
                format!("no test of {} rejects at the amber level", a.name)
            } else {
                format!("at least one test rejects {} (smallest p = {})", a.name, fmt(p))
            };
            f.add(
                format!("regression.{}", a.name),
                "regression",
                format!("Assumption: {}", a.name),
                Some(p),
                t.regression_p.describe(),
                severity,
                detail,
                "regression",
            );
        }
    }
    f.finish()
}

fn data(spec: &Spec, t: &Thresholds, audit: &Audit, f: &mut Findings) {
    let Some(d) = &audit.data else { return };
    if spec.data.missing == Missing::Drop {
        for (name, s) in
            std::iter::once(("development", &d.development)).chain(d.current.as_ref().map(|c| ("current", c)))
        {
            let share = s.dropped_rows as f64 / s.rows_in_file.max(1) as f64;
            f.add(
                format!("data.dropped.{name}"),
                "data",
                format!("Rows dropped for missing cells ({name})"),
                Some(share),
                t.dropped_rows.describe(),
                t.dropped_rows.grade(share),
                format!("{} of {} rows had a missing cell in a used column", s.dropped_rows, s.rows_in_file),
                "data",
            );
        }
    }
    if let Some(score) = &d.score_drift {
        let v = score.psi.value;
        f.add(
            "drift.score",
            "data",
            "PSI of the model's score, current against development",
            Some(v),
            t.psi.describe(),
            t.psi.grade(v),
            "the distribution of the scores has moved by this much",
            "drift",
        );
    }
    let mut quiet = Vec::new();
    for row in &d.feature_drift {
        let severity = t.psi.grade(row.psi.value);
        if severity == Severity::Green {
            quiet.push(row.psi.value);
        } else {
            f.add(
                format!("drift.psi.{}", row.name),
                "data",
                format!("PSI of '{}'", row.name),
                Some(row.psi.value),
                t.psi.describe(),
                severity,
                "the feature's distribution has shifted between the samples",
                "drift",
            );
        }
    }
    if !quiet.is_empty() {
        let max = quiet.iter().copied().fold(0.0, f64::max);
        f.add(
            "drift.psi.others",
            "data",
            format!("PSI of the other {} features (largest)", quiet.len()),
            Some(max),
            t.psi.describe(),
            Severity::Green,
            "no other feature has shifted past the amber bar",
            "drift",
        );
    }
    if let Some(u) = &d.unseen_levels {
        let mut named: Vec<String> = u
            .levels
            .iter()
            .take(3)
            .map(|l| format!("'{}' = '{}' ({})", l.feature, l.level, rows(l.rows)))
            .collect();
        if u.levels.len() > 3 {
            named.push(format!("{} more", u.levels.len() - 3));
        }
        f.add(
            "data.unseen_levels",
            "data",
            "Current rows with a level the development sample lacks",
            Some(u.share),
            t.unseen_levels.describe(),
            t.unseen_levels.grade(u.share),
            format!(
                "{} of the current sample: {}; kd cannot code such a level as the development sample's features, so they are set aside unscored and drift, novelty and performance leave them out",
                rows(u.rows),
                named.join(", ")
            ),
            "unseen",
        );
    }
    if let Some(n) = &audit.novelty {
        f.add(
            "novelty.share",
            "novelty",
            "Share of current rows unlike the development rows (RND)",
            Some(n.share_above),
            t.novelty_share.describe(),
            t.novelty_share.grade(n.share_above),
            format!(
                "rows above the 99th percentile of held-out development rows' novelty; {} expected by chance",
                fmt(0.01)
            ),
            "novelty",
        );
    }
}

fn performance(t: &Thresholds, audit: &Audit, f: &mut Findings) {
    let Some(p) = &audit.performance else { return };
    if let Some(why) = &p.current_not_measured {
        f.add(
            "performance.not_measured".to_owned(),
            "performance",
            "Performance on the current sample not measured".to_owned(),
            None,
            "amber where the current sample cannot be measured".to_owned(),
            Severity::Amber,
            format!("{why}; its drift and scores are in § 1"),
            "stability",
        );
    }
    for (name, s) in
        std::iter::once(("development", &p.development)).chain(p.current.as_ref().map(|c| ("current", c)))
    {
        if let Some(d) = &s.discrimination {
            let a = d.auroc.value;
            f.add(
                format!("performance.auroc.{name}"),
                "performance",
                format!("AUROC on the {name} sample"),
                Some(a),
                t.auroc_low.describe(),
                t.auroc_low.grade(a),
                format!(
                    "95% interval [{}, {}] (DeLong); Gini {}",
                    fmt(d.auroc.ci_low),
                    fmt(d.auroc.ci_high),
                    fmt(d.gini)
                ),
                "discrimination",
            );
            if name == "development" {
                let severity = t.auroc_implausible.grade(a);
                let detail = if severity == Severity::Green {
                    "a plausible level for the task".to_owned()
                } else {
                    "implausibly high for a credit model: were these rows part of the model's training data, or does a feature leak the outcome?".to_owned()
                };
                f.add(
                    "performance.plausibility",
                    "performance",
                    "Plausibility of the AUROC on the development sample",
                    Some(a),
                    t.auroc_implausible.describe(),
                    severity,
                    detail,
                    "discrimination",
                );
            }
        }
        if let Some(c) = &s.calibration {
            let hl = &c.hosmer_lemeshow;
            f.add(
                format!("performance.hl.{name}"),
                "performance",
                format!("Hosmer–Lemeshow test ({name})"),
                Some(hl.p_value),
                t.calibration_p.describe(),
                t.calibration_p.grade(hl.p_value),
                format!("χ² = {} with {} df over {} PD groups", fmt(hl.statistic), hl.df, hl.groups),
                "calibration",
            );
            let sp = &c.spiegelhalter;
            f.add(
                format!("performance.spiegelhalter.{name}"),
                "performance",
                format!("Spiegelhalter test ({name})"),
                Some(sp.p_value),
                t.calibration_p.describe(),
                t.calibration_p.grade(sp.p_value),
                format!("z = {}; Brier score {}", fmt(sp.statistic), fmt(c.brier.brier)),
                "calibration",
            );
        }
        if let Some(why) = &s.calibration_skipped {
            f.add(
                format!("performance.calibration.{name}"),
                "performance",
                format!("Calibration not testable ({name})"),
                None,
                t.calibration_p.describe(),
                Severity::Amber,
                why.clone(),
                "calibration",
            );
        }
        if let Some(e) = &s.every_class {
            every_class_calibration(f, t, name, e);
        }
        if let Some(why) = &s.grades_skipped {
            f.add(
                format!("performance.grades.{name}"),
                "performance",
                format!("Per-grade default rates not tested ({name})"),
                None,
                t.calibration_p.describe(),
                Severity::Amber,
                why.clone(),
                "grades",
            );
        }
        if let Some(grades) = &s.grades {
            let worst = grades
                .iter()
                .map(|g| (g.binomial_p_value.min(g.jeffreys_p_value), g))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((pv, g)) = worst {
                let light = grades.iter().map(|g| g.traffic_light).max_by_key(|l| *l as u8);
                let mut severity = t.calibration_p.grade(pv);
                if light == Some(kd_hypotheses::validation::TrafficLight::Red) {
                    severity = Severity::Red;
                }
                f.add(
                    format!("performance.grades.{name}"),
                    "performance",
                    format!("Per-grade default rates ({name})"),
                    Some(pv),
                    t.calibration_p.describe(),
                    severity,
                    format!(
                        "smallest binomial / Jeffreys p-value, grade '{}' ({} defaults in {} rows at PD {})",
                        g.grade,
                        g.defaults,
                        g.n,
                        fmt(g.pd)
                    ),
                    "grades",
                );
            }
        }
    }
    if let Some(c) = &p.auroc_change {
        let significant = c.p_value < 0.05;
        let severity = if significant { t.auroc_drop.grade(c.relative_drop) } else { Severity::Green };
        f.add(
            "performance.auroc_change",
            "performance",
            "Relative fall of AUROC, development to current",
            Some(c.relative_drop),
            format!("{} (when p < 0.05)", t.auroc_drop.describe()),
            severity,
            format!(
                "AUROC {} → {}; one-sided test p = {} (ECB 2019)",
                fmt(c.development),
                fmt(c.current),
                fmt(c.p_value)
            ),
            "stability",
        );
    }
}

/// The calibration over all classes of a model of more than two classes on one sample, graded
/// by `T`'s p-value (Fagerland–Hosmer's `C` is conservative on a validation sample).
fn every_class_calibration(f: &mut Findings, t: &Thresholds, name: &str, e: &EveryClass) {
    let key = format!("performance.calibration_every_class.{name}");
    let title = format!("Calibration over all classes ({name})");
    if let Some(c) = &e.calibration {
        let fh = format!("Fagerland–Hosmer's C = {} (p = {})", fmt(c.statistic), fmt(c.p_value));
        let (p, detail) = match (c.covariance_statistic, c.covariance_p_value) {
            (Some(t), Some(p)) => {
                (p, format!("T = {} with {} df over {} groups; {fh}", fmt(t), c.covariance_df, c.groups))
            }
            _ => (
                c.p_value,
                format!(
                    "{fh} with {} df over {} groups (T undefined: a group's class counts have a singular covariance)",
                    c.df, c.groups
                ),
            ),
        };
        f.add(
            key,
            "performance",
            title,
            Some(p),
            t.calibration_p.describe(),
            t.calibration_p.grade(p),
            detail,
            "calibration-every-class",
        );
    } else if let Some(why) = &e.calibration_skipped {
        let title = format!("Calibration over all classes not testable ({name})");
        f.add(
            key,
            "performance",
            title,
            None,
            t.calibration_p.describe(),
            Severity::Amber,
            why.clone(),
            "calibration-every-class",
        );
    }
}

fn explanation(t: &Thresholds, audit: &Audit, f: &mut Findings) {
    let Some(e) = &audit.explanation else { return };
    for (key, title, fid) in [
        ("explanation.tree", "Fidelity of the distilled tree (R² to the model)", &e.born_again.fidelity),
        ("explanation.gam", "Fidelity of the distilled GAM (R² to the model)", &e.gam.fidelity),
    ] {
        let r2 = fid.r2.value;
        let severity = t.fidelity_r2.grade(r2);
        let detail = format!(
            "95% interval [{}, {}] on {} held-out rows{}",
            fmt(fid.r2.ci.0),
            fmt(fid.r2.ci.1),
            fid.r2.n,
            if severity == Severity::Green { "" } else { "; read its explanation as partial" }
        );
        f.add(key, "explanation", title, Some(r2), t.fidelity_r2.describe(), severity, detail, "explanation");
    }
}

fn comparison(t: &Thresholds, audit: &Audit, f: &mut Findings) {
    let Some(c) = &audit.comparison else { return };
    let mut quiet = 0;
    let mut near = Vec::new();
    for feature in &c.features {
        let share = feature.material_share;
        let severity = t.comparison_share.grade(share);
        let (lo, hi) = feature.comparison.share_interval;
        let crossed = t.comparison_share.crossed_by(lo, hi);
        if severity == Severity::Green {
            quiet += 1;
            if crossed.is_some() {
                near.push(format!(
                    "'{}' ({}, interval [{}, {}])",
                    feature.name,
                    fmt(share),
                    fmt(lo),
                    fmt(hi)
                ));
            }
            continue;
        }
        let at_the_bar = crossed.map_or(String::new(), |bar| {
            format!(
                "; at the bar: over re-drawn resamples its 95% interval [{}, {}] reaches across {}, so its grade depends on the seed",
                fmt(lo),
                fmt(hi),
                fmt(bar)
            )
        });
        f.add(format!("comparison.{}", feature.name), "comparison",
            format!("The model uses '{}' differently from how it relates to the outcome", feature.name), Some(share),
            t.comparison_share.describe(), severity,
            format!("share of rows where the 95% band of mimic − outcome excludes 0 and the difference is at least {}{at_the_bar}", fmt(c.materiality)), &format!("compare-{}", crate::html::slug(&feature.name)));
    }
    if quiet > 0 {
        let detail = if near.is_empty() {
            "no band of mimic − outcome excludes 0 on enough rows".to_owned()
        } else {
            format!(
                "no band of mimic − outcome excludes 0 on enough rows; at the amber bar (its grade depends on the seed): {}",
                near.join(", ")
            )
        };
        f.add(
            "comparison.others",
            "comparison",
            format!("{quiet} features used in line with the outcome"),
            None,
            t.comparison_share.describe(),
            Severity::Green,
            detail,
            "comparison",
        );
    }
    for cand in &c.candidates {
        let p = cand.test.p_value;
        let severity = if cand.test.detected { t.candidate_p.grade(p) } else { Severity::Green };
        f.add(
            format!("comparison.candidate.{}", cand.name),
            "comparison",
            format!("Missing-feature test of '{}'", cand.name),
            Some(p),
            t.candidate_p.describe(),
            severity,
            format!(
                "out-of-bag R² to the model {} → {} with it",
                fmt(cand.test.fidelity_without),
                fmt(cand.test.fidelity_with)
            ),
            "candidates",
        );
    }
}
