//! Section 2 of the report: discrimination, calibration, grades and stability of the model
//! under review.

use maud::{Markup, html};

use super::chart::{AMBER, BLUE, Chart, GREEN, GREY, ORANGE, RED, Series, line_chart};
use super::{figure, method, number, percent};
use crate::report::Audit;
use crate::stages::performance::{EveryClass, PerformanceReport, SamplePerformance};

/// The performance section.
pub fn section(audit: &Audit) -> Markup {
    let body = match &audit.performance {
        None => {
            html! { p.note { "Not run: " (audit.skipped.get("performance").cloned().unwrap_or_default()) } }
        }
        Some(p) if audit.task == "regression" => accuracy(p),
        Some(p) => html! {
            (discrimination(p))
            (every_class(p, audit))
            (calibration(p))
            (grades(p))
            h3 id="stability" { "Stability against the development sample" }
            @match &p.auroc_change {
                None => p.note { @match &p.current_not_measured {
                    Some(why) => { "The current sample's performance is not measured: " (why) "." }
                    None => "No current sample with outcomes was given.",
                } },
                Some(c) => {
                    p { "AUROC " (number(c.development)) " on the development sample, " (number(c.current))
                        " on the current one: a relative fall of " (figure("performance.auroc_change", c.relative_drop))
                        " (S = " (number(c.statistic)) ", one-sided p = " (number(c.p_value)) ")." }
                    (method("S = (AUC_dev − AUC_cur) / s_cur, s_cur DeLong's standard error on the current sample; p = 1 − Φ(S). ECB Banking Supervision (2019), Instructions for reporting the validation results of internal models, §2.5.4.1."))
                }
            }
        },
    };
    super::section("performance", "2", "Performance of the model under review", body)
}

fn samples(p: &PerformanceReport) -> Vec<(&'static str, &SamplePerformance)> {
    std::iter::once(("development", &p.development))
        .chain(p.current.as_ref().map(|c| ("current", c)))
        .collect()
}

fn accuracy(p: &PerformanceReport) -> Markup {
    html! {
        h3 id="discrimination" { "Accuracy" }
        table {
            thead { tr { th { "Sample" } th.r { "Rows" } th.r { "R²" } th.r { "RMSE" } th.r { "MAE" } } }
            tbody { @for (name, s) in samples(p) { @if let Some(a) = &s.accuracy {
                tr { td { (name) } td.r { (s.n) } td.r { (figure(&format!("performance.r2.{name}"), a.r2)) } td.r { (number(a.rmse)) } td.r { (number(a.mae)) } }
            } } }
        }
    }
}

fn discrimination(p: &PerformanceReport) -> Markup {
    let colours = [BLUE, ORANGE];
    let curve =
        |title: &str,
         x: &str,
         y: &str,
         pick: &dyn Fn(&crate::stages::performance::Discrimination) -> Vec<(f64, f64)>| {
            let mut chart = Chart::new(title, x, y, (520.0, 380.0));
            chart.diagonal = true;
            chart.x_range = Some((0.0, 1.0));
            chart.y_range = Some((0.0, 1.0));
            for (k, (name, s)) in samples(p).into_iter().enumerate() {
                if let Some(d) = &s.discrimination {
                    chart.series.push(Series::line(name, colours[k % 2], pick(d)));
                }
            }
            line_chart(&chart)
        };
    html! {
        h3 id="discrimination" { "Discrimination" }
        table {
            thead { tr { th { "Sample" } th.r { "Rows" } th.r { "Bad" } th.r { "AUROC" } th.r { "95% interval" } th.r { "Gini" } th.r { "KS" } th.r { "KS p" } } }
            tbody { @for (name, s) in samples(p) { @if let Some(d) = &s.discrimination {
                tr {
                    td { (name) } td.r { (number(s.n as f64)) } td.r { (number(s.n_bad.unwrap_or(0) as f64)) }
                    td.r { (figure(&format!("performance.auroc.{name}"), d.auroc.value)) }
                    td.r { "[" (number(d.auroc.ci_low)) ", " (number(d.auroc.ci_high)) "]" }
                    td.r { (number(d.gini)) } td.r { (number(d.ks.statistic)) } td.r { (number(d.ks.p_value)) }
                }
            } } }
        }
        div.grid.two {
            (curve("ROC curve", "false-positive rate (good rows above the cut)", "true-positive rate (bad rows above the cut)", &|d| d.roc.clone()))
            (curve("CAP curve", "share of rows, riskiest first", "share of bad outcomes", &|d| d.cap.clone()))
        }
        (method("AUROC = P(score_bad > score_good) + ½ P(=), DeLong, DeLong & Clarke-Pearson (1988) standard error; Gini = 2·AUROC − 1 (the CAP's accuracy ratio); KS = sup |F_bad − F_good| with the Smirnov two-sample p-value."))
    }
}

/// A model of more than two classes on all of them: Hand & Till's M and each class against the
/// others, per sample.
fn every_class(p: &PerformanceReport, audit: &Audit) -> Markup {
    let measured: Vec<_> =
        samples(p).into_iter().filter_map(|(name, s)| s.every_class.as_ref().map(|e| (name, e))).collect();
    let (Some(classes), false) = (&audit.classes, measured.is_empty()) else { return html! {} };
    let bad = audit.bad_class.as_deref().unwrap_or_default();
    let shown = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), number);
    html! {
        p { "The model has " (classes.len()) " classes; the figures above read class " (bad) " against the others. On all of them:" }
        table {
            thead { tr { th { "Sample" } th.r { "Hand & Till's M" } @for c in classes { th.r { (c) " against the rest" } } th.r { "Brier" } th.r { "Log loss" } } }
            tbody { @for (name, e) in &measured {
                tr {
                    td { (name) } td.r { (shown(e.hand_till)) } @for a in &e.one_against_rest { td.r { (shown(*a)) } }
                    td.r { (shown(e.brier)) } td.r { (shown(e.log_loss)) }
                }
            } }
        }
        (method("M = 2 / (k(k − 1)) · Σ_{i<j} (A(i|j) + A(j|i)) / 2, A(i|j) the AUROC of class i's probability on the rows of classes i and j: Hand & Till (2001), Machine Learning 45, 171–186. A class against the rest: the AUROC of its probability. – where a class has no row in the sample. Brier = mean Σ_c (p_c − [y = c])² over all classes (0 is perfect; always answering the classes' shares scores 1 − Σ_c share_c²); log loss = −mean log p_y."))
        (every_class_calibration(&measured, classes))
    }
}

/// The multinomial Hosmer–Lemeshow test per sample and each class's reliability curve.
fn every_class_calibration(measured: &[(&str, &EveryClass)], classes: &[String]) -> Markup {
    let colours = [BLUE, ORANGE, GREEN, RED, AMBER, GREY];
    let chart = |name: &str, e: &EveryClass| {
        let mut chart = Chart::new(
            format!("Reliability of each class ({name})"),
            "mean probability of the class in the group",
            "observed share of the class (95% Jeffreys interval)",
            (620.0, 400.0),
        );
        chart.diagonal = true;
        chart.x_range = Some((0.0, 1.0));
        chart.y_range = Some((0.0, 1.0));
        for (k, (class, bins)) in classes.iter().zip(&e.reliability).enumerate() {
            let mut series = Series::line(
                class.clone(),
                colours[k % colours.len()],
                bins.iter().map(|b| (b.mean_pd, b.observed)).collect(),
            );
            series.dots = true;
            series.dashed = k >= colours.len();
            series.whiskers = bins.iter().map(|b| (b.mean_pd, b.low, b.high)).collect();
            chart.series.push(series);
        }
        line_chart(&chart)
    };
    html! {
        h4 id="calibration-every-class" { "Calibration over all classes" }
        table {
            thead { tr { th { "Sample" } th.r { "Groups" } th.r { "T" } th.r { "df" } th.r { "p" } th.r { "Fagerland–Hosmer C" } th.r { "df" } th.r { "p" } } }
            tbody { @for (name, e) in measured { @if let Some(c) = &e.calibration {
                tr {
                    td { (name) } td.r { (c.groups) }
                    @match (c.covariance_statistic, c.covariance_p_value) {
                        (Some(t), Some(p)) => { td.r { (number(t)) } td.r { (c.covariance_df) }
                            td.r { (figure(&format!("performance.calibration_every_class.{name}"), p)) } }
                        _ => { td.r { "–" } td.r { (c.covariance_df) } td.r { "–" } }
                    }
                    td.r { (number(c.statistic)) } td.r { (c.df) } td.r { (number(c.p_value)) }
                }
            } } }
        }
        @for (name, e) in measured { @if let Some(why) = &e.calibration_skipped { p.note { "No calibration test over all classes on the " (name) " sample: " (why) } } }
        div.grid.two { @for (name, e) in measured { div { p.note { "Each class against the others, " (name) " sample" } (chart(name, e)) } } }
        (method(&format!("Rows grouped by the quantiles of 1 − p of the first class, {first} (performance.hl_groups groups, deciles by default); per group and class O the rows of the class, E the sum of its probabilities. Fagerland, Hosmer & Bofin (2008), Statistics in Medicine 27, 4238–4253: C = Σ (O − E)² / E on G(k − 1) df (the probabilities were not fitted on these rows); it is conservative when the other classes' probabilities vary within a group. T = Σ_g d' V⁻¹ d, d = O − E and V = Σ (diag(p) − p p') over the classes after the first: the deviations in their exact covariance, on G(k − 1) df (kd's; the finding reads its p, or C's where a group's V is singular; – there). Each class's reliability: its probability in as many groups, the observed share of the class with its Jeffreys interval.", first = classes.first().map_or("", String::as_str))))
    }
}

fn calibration(p: &PerformanceReport) -> Markup {
    let mut chart = Chart::new(
        "Reliability diagram",
        "mean PD of the group",
        "observed bad rate (95% Jeffreys interval)",
        (620.0, 400.0),
    );
    chart.diagonal = true;
    let mut hi: f64 = 0.0;
    for (k, (name, s)) in samples(p).into_iter().enumerate() {
        if let Some(c) = &s.calibration {
            let mut series = Series::line(
                name,
                [BLUE, ORANGE][k % 2],
                c.reliability.iter().map(|b| (b.mean_pd, b.observed)).collect(),
            );
            series.dots = true;
            series.whiskers = c.reliability.iter().map(|b| (b.mean_pd, b.low, b.high)).collect();
            hi = c.reliability.iter().map(|b| b.high.max(b.mean_pd)).fold(hi, f64::max);
            chart.series.push(series);
        }
    }
    let top = (hi * 1.05).clamp(0.05, 1.0);
    chart.x_range = Some((0.0, top));
    chart.y_range = Some((0.0, top));
    html! {
        h3 id="calibration" { "Calibration" }
        table {
            thead { tr { th { "Sample" } th.r { "Hosmer–Lemeshow χ²" } th.r { "df" } th.r { "p" } th.r { "Spiegelhalter z" } th.r { "p" } th.r { "Brier" } th.r { "reliability" } th.r { "resolution" } th.r { "uncertainty" } } }
            tbody { @for (name, s) in samples(p) { @if let Some(c) = &s.calibration {
                tr {
                    td { (name) } td.r { (number(c.hosmer_lemeshow.statistic)) } td.r { (c.hosmer_lemeshow.df) }
                    td.r { (figure(&format!("performance.hl.{name}"), c.hosmer_lemeshow.p_value)) }
                    td.r { (number(c.spiegelhalter.statistic)) }
                    td.r { (figure(&format!("performance.spiegelhalter.{name}"), c.spiegelhalter.p_value)) }
                    td.r { (number(c.brier.brier)) } td.r { (number(c.brier.reliability)) } td.r { (number(c.brier.resolution)) } td.r { (number(c.brier.uncertainty)) }
                }
            } } }
        }
        @for (name, s) in samples(p) { @if let Some(why) = &s.calibration_skipped { p.note { "No calibration tests on the " (name) " sample: " (why) } } }
        (line_chart(&chart))
        (method("Hosmer & Lemeshow (1980) over PD deciles, χ² with G degrees of freedom (the PDs were not fitted on these rows); Spiegelhalter (1986) z = Σ(y − p)(1 − 2p) / √Σ(1 − 2p)² p(1 − p); Brier = reliability − resolution + uncertainty (Murphy 1973) over the same groups; intervals: Jeffreys, Beta(d + ½, n − d + ½)."))
    }
}

fn grades(p: &PerformanceReport) -> Markup {
    let any = samples(p).iter().any(|(_, s)| s.grades.is_some());
    if !any {
        return html! { h3 id="grades" { "Grades" } p.note { "No grade column was given (data.grade), so there are no per-grade tests." } };
    }
    html! {
        h3 id="grades" { "Grades" }
        @for (name, s) in samples(p) { @if let Some(why) = &s.grades_skipped { p.note { "No per-grade tests on the " (name) " sample: " (why) "." } } }
        @for (name, s) in samples(p) { @if let Some(grades) = &s.grades {
            h4 { (name) " sample" }
            (grade_chart(name, grades))
            table {
                thead { tr { th { "Grade" } th.r { "Rows" } th.r { "Defaults" } th.r { "PD" } th.r { "Observed" } th.r { "Binomial p" } th.r { "Jeffreys p" } th { "Traffic light" } } }
                tbody { @for g in grades {
                    tr { td { (g.grade) } td.r { (g.n) } td.r { (g.defaults) } td.r { (percent(g.pd)) } td.r { (percent(g.observed_rate)) }
                        td.r { (number(g.binomial_p_value)) } td.r { (number(g.jeffreys_p_value)) } td { (format!("{:?}", g.traffic_light).to_lowercase()) } }
                } }
            }
        } }
        (method("Per grade: the exact binomial test P(X ≥ d | n, PD); the Jeffreys test, Beta(d + ½, n − d + ½) at PD (ECB 2019 §2.5.3); the Vasicek traffic light at the 95% and 99.9% quantiles."))
    }
}

fn grade_chart(name: &str, grades: &[kd_hypotheses::validation::GradeTest]) -> Markup {
    let mut chart =
        Chart::new(format!("Default rate per grade ({name})"), "grade", "default rate", (760.0, 300.0));
    chart.categories = grades.iter().map(|g| g.grade.clone()).collect();
    chart.x_range = Some((-0.5, grades.len() as f64 - 0.5));
    let mut pd = Series::line(
        "PD of the grade",
        BLUE,
        grades.iter().enumerate().map(|(i, g)| (i as f64, g.pd)).collect(),
    );
    pd.dashed = true;
    let mut observed = Series::line(
        "observed rate",
        ORANGE,
        grades.iter().enumerate().map(|(i, g)| (i as f64, g.observed_rate)).collect(),
    );
    observed.dots = true;
    chart.series = vec![pd, observed];
    line_chart(&chart)
}
