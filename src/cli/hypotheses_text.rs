//! The table `kd hypotheses` prints: the fit and its coefficients with robust standard errors,
//! the tests grouped by assumption with a verdict each, and the influential rows.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kd::hypotheses::regression::{Battery, CovarianceKind, InfluenceMeasures, InfluenceSummary, TESTS};

use super::hypotheses::Args;

/// A p-value with four decimals, or in scientific notation below 1e-4.
fn p_text(p: f64) -> String {
    if p < 1e-4 { format!("{p:.2e}") } else { format!("{p:.4}") }
}

fn coefficients(o: &mut String, b: &Battery) {
    let find = |kind| b.standard_errors.iter().find(|c| c.kind == kind);
    let (ols, hc3, nw) =
        (find(CovarianceKind::Ols), find(CovarianceKind::Hc3), find(CovarianceKind::NeweyWest));
    // The name column fits the longest name (an indicator column's name holds its level).
    let w = b.params.iter().map(|(name, _)| name.chars().count()).max().unwrap_or(0).max(20);
    let _ = writeln!(
        o,
        "\n{:<w$} {:>14} {:>11} {:>9} {:>11} {:>9} {:>11} {:>9} {:>9}",
        "coefficient", "estimate", "std err", "p", "HC3 se", "p", "NW se", "p", "VIF"
    );
    for (j, (name, value)) in b.params.iter().enumerate() {
        let vif = b.vif.iter().find(|(n, _)| n == name).map_or(String::new(), |(_, v)| format!("{v:.2}"));
        let cell = |c: Option<&kd::hypotheses::regression::CoefficientInference>| match c {
            Some(c) => (format!("{:.4e}", c.std_error[j]), p_text(c.p_value[j])),
            None => ("-".into(), "-".into()),
        };
        let ((s0, p0), (s3, p3), (sn, pn)) = (cell(ols), cell(hc3), cell(nw));
        let _ = writeln!(
            o,
            "{name:<w$} {value:>14.6} {s0:>11} {p0:>9} {s3:>11} {p3:>9} {sn:>11} {pn:>9} {vif:>9}"
        );
    }
    if b.standard_errors.is_empty() {
        if let Some(reason) = b.skipped.get("robust_standard_errors") {
            let _ = writeln!(o, "robust standard errors skipped: {reason}");
        }
    } else {
        let _ = writeln!(
            o,
            "(HC0-HC3 and Newey-West with {} lags are in --format json; p from t with n - p df)",
            b.hac_lags
        );
    }
    for g in &b.gvif {
        let columns = if g.df == 1 { "column" } else { "columns" };
        let _ = writeln!(
            o,
            "{}: GVIF {:.2} over its {} {columns} together, GVIF^(1/(2·{})) = {:.2} (Fox & Monette 1992; R's car::vif)",
            g.feature, g.gvif, g.df, g.df, g.scaled
        );
    }
    if let Some(reason) = b.skipped.get("gvif") {
        let _ = writeln!(o, "generalised VIF skipped: {reason}");
    }
}

fn tests(o: &mut String, b: &Battery, alpha: f64) {
    let verdicts: BTreeMap<_, bool> = b.tests.values().fold(BTreeMap::new(), |mut m, t| {
        *m.entry(t.assumption).or_insert(false) |= t.reject;
        m
    });
    let mut assumption = None;
    for spec in &TESTS {
        if assumption != Some(spec.assumption) {
            assumption = Some(spec.assumption);
            let verdict = match verdicts.get(&spec.assumption) {
                Some(true) => format!("doubtful: some test rejects at α = {alpha}"),
                Some(false) => format!("no test rejects at α = {alpha}"),
                None => "no verdict (no test computed)".into(),
            };
            let _ = writeln!(o, "\n{} — {verdict}", spec.assumption.name());
        }
        let key = spec.key;
        if let Some(t) = b.tests.get(key) {
            let mark = if t.reject { "reject" } else { "" };
            let _ = writeln!(
                o,
                "  {key:<18} {:>12.4}  p = {:<10} {mark:<7} H0: {}; {}",
                t.statistic,
                p_text(t.p_value),
                t.null_hypothesis,
                t.reference
            );
            if let Some(method) = &t.method {
                let _ = writeln!(o, "  {:<18} ({method})", "");
            }
        } else if let Some(reason) = b.skipped.get(key) {
            let _ = writeln!(o, "  {key:<18} skipped: {reason}");
        }
    }
}

fn measures(o: &mut String, m: &InfluenceMeasures, lines: &[u64]) {
    let _ = writeln!(
        o,
        "\ninfluence measures (R's influence.measures): {} of {} rows break a rule of thumb \
         (every row in --format json)",
        m.flagged.len(),
        m.hat.len()
    );
    if m.flagged.is_empty() {
        return;
    }
    let mut header = format!("  {:>8}", "line");
    for name in &m.names {
        // An indicator column is shown by its level (`firm[T.IBM]` as `dfb.IBM`).
        let shown = name.split_once("[T.").map_or(name.as_str(), |(_, level)| level.trim_end_matches(']'));
        let short: String = shown.chars().take(6).collect();
        let _ = write!(header, " {:>10}", format!("dfb.{short}"));
    }
    let _ = writeln!(
        o,
        "{header} {:>10} {:>10} {:>10} {:>10} {:>10}  flagged",
        "dffit", "cov.r", "cook.d", "hat", "rstudent"
    );
    for f in &m.flagged {
        let i = f.row;
        let mut line = format!("  {:>8}", lines[i]);
        for v in &m.dfbetas[i] {
            let _ = write!(line, " {v:>10.4}");
        }
        let _ = writeln!(
            o,
            "{line} {:>10.4} {:>10.4} {:>10.4} {:>10.4} {:>10.4}  {}",
            m.dffits[i],
            m.covratio[i],
            m.cooks_distance[i],
            m.hat[i],
            m.student_resid_external[i],
            f.measures.join(", ")
        );
    }
}

/// The report as a table.
pub fn text(b: &Battery, inf: &InfluenceSummary, args: &Args, lines: &[u64]) -> String {
    let mut o = String::new();
    let condition = b.condition_number.map_or("beyond f64's range".into(), |c| format!("{c:.3e}"));
    let columns = if b.categorical.is_empty() { "features" } else { "design columns" };
    let _ = writeln!(
        o,
        "OLS of {} on {} {columns}, {} rows: R² = {:.4}, condition number {condition}",
        args.input.target, b.n_features, b.n_obs, b.r_squared
    );
    for coded in &b.categorical {
        let _ = writeln!(
            o,
            "  '{}' treatment-coded: reference level '{}', {} indicator columns",
            coded.feature,
            coded.reference,
            coded.columns.len()
        );
    }
    coefficients(&mut o, b);
    tests(&mut o, b, args.alpha);
    let _ = writeln!(
        o,
        "\ninfluence: {} rows with Cook's distance above 4/n = {:.4}, {} Bonferroni outliers, largest leverage {:.4}",
        inf.influential.len(),
        inf.cooks_threshold,
        inf.outliers.len(),
        inf.max_leverage
    );
    for r in inf.outliers.iter().take(10) {
        let _ = writeln!(o, "  outlier: line {} (Bonferroni p = {})", r.line, p_text(r.value));
    }
    if let Some(m) = &b.influence_measures {
        measures(&mut o, m, lines);
    }
    o
}
