//! The validation page's charts, drawn from figures of the report's JSON:
//!
//! | figure | chart |
//! |---|---|
//! | `curves` (`--curves`) | the ROC and CAP curves |
//! | `hosmer_lemeshow` | observed against mean PD per group, with the 95% binomial range about the diagonal |
//! | `grades` (PD) | default rate and PD per grade, with the Vasicek traffic-light quantiles (log scale; a grade without defaults on the floor) |
//! | `long_run` (`--date`) | each cohort's default rate and mean PD, with the long-run average |
//! | `pluto_tasche`, `pluto_tasche_periods` | each grade's most prudent upper bounds and its PD (from `grades`; log scale) |
//! | `backtests` (LGD, CCF) | mean estimate and mean realised value per segment |
//! | `psi` (stability) | the baseline's and the current shares of each bin of the estimates |
//! | `grades` (stability) | the baseline's and the current shares of each grade |
//! | `csi` (stability) | each column's CSI as a bar, largest first, against the 0.1 and 0.25 marks |
//!
//! A chart reads only fields the JSON holds, and is left out when they are missing. The one
//! figure a chart adds is the reliability range: for a group of `n` rows with mean PD `p̄`, the
//! 2.5% and 97.5% quantiles of `Bin(n, p̄)` divided by `n`, the range of the observed rate if the
//! PDs are right and defaults independent (a group's PDs differ, so the true spread is at most
//! this).

use maud::Markup;
use serde_json::{Map, Value};
use statrs::distribution::{Binomial, DiscreteCDF};

use kd_hypotheses::validation::{PSI_MODERATE, PSI_SIGNIFICANT};

use super::chart::{
    AMBER, BLUE, Bar, Chart, GREEN, GREY, ORANGE, RED, Series, bar_chart, indexed, line_chart, shares_chart,
};

/// The chart of figure `key` of `section` (whose other figures are `siblings`), if it has one
/// and the fields it needs.
pub fn chart(
    section: &str,
    key: &str,
    figure: &Map<String, Value>,
    siblings: &Map<String, Value>,
) -> Option<Markup> {
    match (section, key) {
        ("discriminatory_power", "curves") => roc(figure),
        ("predictive_ability", "hosmer_lemeshow") => reliability(figure),
        ("predictive_ability", "grades") => grades(figure),
        ("predictive_ability", "long_run") => cohorts(figure),
        ("predictive_ability", "pluto_tasche" | "pluto_tasche_periods") => bounds(figure, siblings),
        ("predictive_ability", "backtests") => backtests(figure),
        ("stability", "psi") => shares(figure, "bins", None),
        ("stability", "grades") => shares(figure, "shares", Some("grade")),
        ("stability", "csi") => csi(figure),
        _ => None,
    }
}

/// The list of row objects at `key`.
fn rows<'a>(figure: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    figure.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// Field `key` of every row, or `None` if a row lacks it (a null reads as NaN: a gap).
fn column(rows: &[Value], key: &str) -> Option<Vec<f64>> {
    rows.iter()
        .map(|r| match r.get(key)? {
            Value::Null => Some(f64::NAN),
            v => v.as_f64(),
        })
        .collect()
}

/// Field `key` of every row as text (grade, segment, cohort names).
fn names(rows: &[Value], key: &str) -> Option<Vec<String>> {
    rows.iter().map(|r| r.get(key).map(super::validation::plain)).collect()
}

/// A chart of `series` over `categories`, the page's size, 8% above the largest value.
fn categorical(
    title: &str,
    x_label: &str,
    y_label: &str,
    categories: Vec<String>,
    series: Vec<Series>,
) -> Chart {
    Chart::over_categories(title, x_label, y_label, (640.0, 340.0), categories, series, 1.08)
}

/// `chart` with a log y axis spanning its values.
fn on_log_scale(mut chart: Chart) -> Chart {
    chart.y_range = None;
    chart.log_y = true;
    chart
}

/// The rows of list `key` with their names from field `label`; `None` if there are none.
fn labelled<'a>(
    figure: &'a Map<String, Value>,
    key: &str,
    label: &str,
) -> Option<(&'a [Value], Vec<String>)> {
    let table = rows(figure, key);
    if table.is_empty() {
        return None;
    }
    Some((table, names(table, label)?))
}

/// The ROC and CAP curves from the report's points, at most about 500 a curve.
fn roc(figure: &Map<String, Value>) -> Option<Markup> {
    let all = rows(figure, "rows");
    if all.is_empty() {
        return None;
    }
    // Every k-th point and the last (the JSON has them all).
    let step = all.len().div_ceil(500).max(1);
    let last = all.last().filter(|_| !(all.len() - 1).is_multiple_of(step));
    let thinned: Vec<&Value> = all.iter().step_by(step).chain(last).collect();
    let point = |x: &str, y: &str| -> Vec<(f64, f64)> {
        thinned.iter().filter_map(|r| Some((r.get(x)?.as_f64()?, r.get(y)?.as_f64()?))).collect()
    };
    let mut chart = Chart::new(
        "ROC and CAP curves",
        "false positive rate / population share",
        "true positive rate",
        (560.0, 360.0),
    );
    chart.series = vec![
        Series::line("ROC", BLUE, point("fpr", "tpr")),
        Series::dashed("CAP", "#7a7f87", point("population", "tpr")),
    ];
    chart.diagonal = true;
    chart.x_range = Some((0.0, 1.0));
    chart.y_range = Some((0.0, 1.0));
    Some(line_chart(&chart))
}

/// The quantile `q` of `Bin(n, p)`: the least k with `P(X ≤ k) ≥ q`, by bisection on statrs's
/// CDF (its own `inverse_cdf` unwraps inside).
fn binomial_quantile(n: u64, p: f64, q: f64) -> Option<u64> {
    let dist = Binomial::new(p, n).ok()?;
    let (mut low, mut high) = (0u64, n);
    while low < high {
        let mid = low + (high - low) / 2;
        if dist.cdf(mid) >= q {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    Some(low)
}

/// The Hosmer–Lemeshow groups' observed default rate against their mean PD, each group's 95%
/// binomial range a whisker about the diagonal.
fn reliability(figure: &Map<String, Value>) -> Option<Markup> {
    let table = rows(figure, "table");
    let (n, observed, mean_pd) = (column(table, "n")?, column(table, "observed")?, column(table, "mean_pd")?);
    if table.is_empty() {
        return None;
    }
    let ranges: Vec<(f64, f64, f64)> = n
        .iter()
        .zip(&mean_pd)
        .filter(|(n, p)| **n >= 1.0 && (0.0..=1.0).contains(*p))
        .filter_map(|(&n, &p)| {
            let count = n as u64;
            let low = binomial_quantile(count, p, 0.025)? as f64 / n;
            let high = binomial_quantile(count, p, 0.975)? as f64 / n;
            Some((p, low, high))
        })
        .collect();
    let points: Vec<(f64, f64)> =
        mean_pd.iter().zip(observed.iter().zip(&n)).map(|(&p, (&o, &n))| (p, o / n)).collect();
    let top = points
        .iter()
        .flat_map(|p| [p.0, p.1])
        .chain(ranges.iter().map(|b| b.2))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let mut chart = Chart::new(
        "Observed default rate against mean PD per group",
        "mean PD",
        "observed default rate",
        (460.0, 400.0),
    );
    chart.series = vec![
        Series {
            whiskers: ranges,
            ..Series::line("95% range if the PDs are right (binomial)", GREY, Vec::new())
        },
        Series::dots("group", ORANGE, points),
    ];
    chart.diagonal = true;
    chart.x_range = Some((0.0, (top * 1.05).max(1e-6)));
    chart.y_range = chart.x_range;
    Some(line_chart(&chart))
}

/// Each grade's observed default rate against its PD and the Vasicek quantiles at 95% and
/// 99.9% (above the first the light is yellow, above the second red), on a log axis.
fn grades(figure: &Map<String, Value>) -> Option<Markup> {
    let (table, grade) = labelled(figure, "rows", "grade")?;
    let at = |key: &str| column(table, key).map(|v| indexed(&v));
    let series = vec![
        Series::line("PD", BLUE, at("pd")?),
        Series::dots("observed default rate", ORANGE, at("observed_rate")?),
        Series::dashed("Vasicek 95% (yellow above)", AMBER, at("vasicek_q95")?),
        Series::dashed("Vasicek 99.9% (red above)", RED, at("vasicek_q999")?),
    ];
    let title = "Default rate and PD per grade";
    Some(line_chart(&on_log_scale(categorical(title, "grade", "default rate (log scale)", grade, series))))
}

/// Each cohort's default rate and mean PD, with the long-run average (and the target, if set).
fn cohorts(figure: &Map<String, Value>) -> Option<Markup> {
    let (table, cohort) = labelled(figure, "cohorts", "cohort")?;
    let at = |key: &str| column(table, key).map(|v| indexed(&v));
    let last = table.len() as f64 - 1.0;
    let level = |key: &str| figure.get(key).and_then(Value::as_f64).map(|v| vec![(0.0, v), (last, v)]);
    let mut series = vec![
        Series::dots("default rate", ORANGE, at("default_rate")?),
        Series::line("mean PD", BLUE, at("mean_pd")?),
        Series::dashed("long-run average default rate", GREY, level("default_rate")?),
    ];
    series.extend(level("target").map(|target| Series::dashed("calibration target", GREEN, target)));
    Some(line_chart(&categorical("Default rate per cohort", "cohort", "default rate", cohort, series)))
}

/// Each grade's most prudent upper bounds (the `bounds` rows, one per grade of `grades`) and,
/// where the section's `grades` figure has it, the grade's PD, on a log axis: a PD below a
/// bound is less prudent than the most prudent estimate at the report's confidence.
fn bounds(figure: &Map<String, Value>, siblings: &Map<String, Value>) -> Option<Markup> {
    let grade: Vec<String> = figure.get("grades")?.as_array()?.iter().map(super::validation::plain).collect();
    let table = rows(figure, "bounds");
    if table.is_empty() || table.len() != grade.len() {
        return None;
    }
    let at = |key: &str| column(table, key).map(|v| indexed(&v));
    let mut series = Vec::new();
    if let Some(pd) = grade_pds(siblings, &grade) {
        series.push(Series::line("PD", BLUE, indexed(&pd)));
    }
    // Independent defaults in amber, correlated ones (one period or several) in red.
    if figure.contains_key("period_correlation") {
        let label = "bound, defaults correlated within and across periods";
        series.push(Series::dashed(label, RED, at("upper_bound")?));
    } else if table.iter().all(|r| r.get("upper_bound_correlated").is_some()) {
        series.push(Series::dashed("bound, independent defaults", AMBER, at("upper_bound")?));
        series.push(Series::dashed(
            "bound, defaults correlated (one factor)",
            RED,
            at("upper_bound_correlated")?,
        ));
    } else {
        series.push(Series::dashed("bound", AMBER, at("upper_bound")?));
    }
    let title = "Most prudent upper bounds and PD per grade";
    Some(line_chart(&on_log_scale(categorical(
        title,
        "grade",
        "probability of default (log scale)",
        grade,
        series,
    ))))
}

/// The PD of each of `grades` in the section's `grades` figure, matched by name; `None` if
/// the figure or a grade is missing.
fn grade_pds(siblings: &Map<String, Value>, grades: &[String]) -> Option<Vec<f64>> {
    let (table, names) = labelled(siblings.get("grades")?.as_object()?, "rows", "grade")?;
    let pds = column(table, "pd")?;
    grades.iter().map(|g| names.iter().position(|n| n == g).map(|i| pds[i])).collect()
}

/// The mean estimate and mean realised value of each segment.
fn backtests(figure: &Map<String, Value>) -> Option<Markup> {
    let (table, segment) = labelled(figure, "rows", "segment")?;
    let at = |key: &str| column(table, key).map(|v| indexed(&v));
    let series = vec![
        Series::dots("mean estimate", BLUE, at("mean_estimate")?),
        Series::dots("mean realised", ORANGE, at("mean_realised")?),
    ];
    let title = "Mean estimate and mean realised value per segment";
    Some(line_chart(&categorical(title, "segment", "mean", segment, series)))
}

/// The baseline's and the current shares of the rows at `key`: bins named by their upper
/// edges, or by field `label`.
fn shares(figure: &Map<String, Value>, key: &str, label: Option<&str>) -> Option<Markup> {
    let table = rows(figure, key);
    if table.is_empty() {
        return None;
    }
    let (names, x_label) = match label {
        Some(label) => (names(table, label)?, label),
        None => {
            let cuts: Vec<f64> = table.iter().filter_map(|r| r.get("upper")?.as_f64()).collect();
            (super::bin_labels(&cuts), "bin of the estimates (the baseline's cut points)")
        }
    };
    if names.len() != table.len() {
        return None;
    }
    let title = format!("Shares of the baseline and the current sample by {}", label.unwrap_or("bin"));
    let (before, now) = (column(table, "baseline_share")?, column(table, "current_share")?);
    let mut chart = shares_chart(&title, x_label, names, ("baseline", &before), &now);
    chart.size = (640.0, 340.0);
    Some(line_chart(&chart))
}

/// The most columns the CSI chart shows.
const CSI_SHOWN: usize = 30;

/// Each column's CSI (`columns`: name → value and verdict) as a bar, largest first, coloured by
/// its verdict, with the moderate and significant marks.
fn csi(figure: &Map<String, Value>) -> Option<Markup> {
    let columns = figure.get("columns")?.as_object()?;
    let mut bars: Vec<Bar> = columns
        .iter()
        .map(|(name, c)| {
            let value = c.get("value")?.as_f64()?;
            let color = match c.get("verdict")?.as_str()? {
                "stable" => GREEN,
                "moderate" => AMBER,
                _ => RED,
            };
            Some(Bar { label: name.clone(), value, color })
        })
        .collect::<Option<_>>()?;
    if bars.is_empty() {
        return None;
    }
    bars.sort_by(|a, b| b.value.total_cmp(&a.value));
    let title = if bars.len() > CSI_SHOWN {
        format!("CSI of each column (the largest {CSI_SHOWN} of {})", bars.len())
    } else {
        "CSI of each column".to_owned()
    };
    bars.truncate(CSI_SHOWN);
    let marks = [(PSI_MODERATE, AMBER, "moderate"), (PSI_SIGNIFICANT, RED, "significant")];
    Some(bar_chart(&title, "characteristic stability index", &bars, &marks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_quantiles_bracket_the_mean() {
        // Bin(1000, 0.05): mean 50, sd 6.9; R's qbinom gives 37 and 64.
        assert_eq!(binomial_quantile(1000, 0.05, 0.025), Some(37));
        assert_eq!(binomial_quantile(1000, 0.05, 0.975), Some(64));
        assert_eq!(binomial_quantile(10, 0.0, 0.975), Some(0));
        assert_eq!(binomial_quantile(10, 1.0, 0.025), Some(10));
        assert_eq!(binomial_quantile(10, 1.5, 0.5), None);
    }

    #[test]
    fn a_chart_lacking_its_fields_is_left_out() {
        let figure = serde_json::json!({"rows": [{"grade": "A", "pd": 0.1}]});
        assert!(grades(figure.as_object().unwrap()).is_none());
        let figure = serde_json::json!({"table": []});
        assert!(reliability(figure.as_object().unwrap()).is_none());
        let figure = serde_json::json!({"cohorts": [{"cohort": "2020", "default_rate": 0.1, "mean_pd": 0.1}], "default_rate": 0.1});
        assert!(cohorts(figure.as_object().unwrap()).is_some_and(|m| m.into_string().contains("<svg")));
    }

    #[test]
    fn bounds_are_drawn_with_the_pd_of_each_grade_they_name() {
        let two = serde_json::json!({"grades": ["A", "B"], "bounds": [
            {"upper_bound": 0.01, "upper_bound_correlated": 0.02},
            {"upper_bound": 0.03, "upper_bound_correlated": 0.05}]});
        // The grades figure lists them in another order: the PDs are matched by name.
        let siblings = serde_json::json!({"grades": {"rows": [{"grade": "B", "pd": 0.02}, {"grade": "A", "pd": 0.005}]}});
        let (figure, siblings) = (two.as_object().unwrap(), siblings.as_object().unwrap());
        assert_eq!(grade_pds(siblings, &["A".into(), "B".into()]), Some(vec![0.005, 0.02]));
        let svg = bounds_chart(figure, siblings);
        for legend in ["PD", "bound, independent defaults", "bound, defaults correlated (one factor)"] {
            assert!(svg.contains(legend), "{legend}");
        }
        assert!(!bounds_chart(figure, &Map::new()).contains(">PD<"), "no grades figure, no PD");
        let periods = serde_json::json!({"grades": ["A", "B"], "period_correlation": 0.3,
            "bounds": [{"upper_bound": 0.01}, {"upper_bound": null}]});
        let svg = bounds_chart(periods.as_object().unwrap(), siblings);
        assert!(
            svg.contains("within and across periods") && !svg.contains("NaN"),
            "a bound not computed is a gap"
        );
        let short = serde_json::json!({"grades": ["A", "B"], "bounds": [{"upper_bound": 0.01}]});
        assert!(bounds(short.as_object().unwrap(), siblings).is_none(), "a bound per grade");
    }

    fn bounds_chart(figure: &Map<String, Value>, siblings: &Map<String, Value>) -> String {
        bounds(figure, siblings).map(Markup::into_string).unwrap_or_default()
    }

    #[test]
    fn the_csi_chart_shows_the_largest_columns_first() {
        let columns: Map<String, Value> = (0..CSI_SHOWN + 1)
            .map(|i| (format!("c{i}"), serde_json::json!({"value": i as f64 / 100.0, "verdict": "stable"})))
            .collect();
        let figure = serde_json::json!({ "columns": columns });
        let svg = csi(figure.as_object().unwrap()).map(Markup::into_string).unwrap_or_default();
        assert!(svg.contains(&format!("the largest {CSI_SHOWN} of {}", CSI_SHOWN + 1)), "{svg}");
        assert!(svg.find(">c30<").unwrap() < svg.find(">c29<").unwrap(), "largest first");
        assert!(!svg.contains(">c0<"), "the smallest is left out");
        let empty = serde_json::json!({"columns": {}});
        assert!(csi(empty.as_object().unwrap()).is_none());
    }
}
