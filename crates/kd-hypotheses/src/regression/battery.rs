//! The whole battery on one fit: every test that can be computed, and for every test that
//! cannot, the reason (never a number from a degenerate computation).

use std::collections::BTreeMap;

use serde::Serialize;

use super::*;
use crate::error::{Error, Result};

/// Options of [`battery`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatteryOptions {
    /// Lags of Breusch–Godfrey and Ljung–Box; `None` for `min(10, n div 5)`.
    pub lags: Option<usize>,
    /// Significance level of the verdicts.
    pub alpha: f64,
    /// Rows in the first regime of the Chow test; the test runs only when given.
    pub break_at: Option<usize>,
    /// Breusch–Pagan statistic.
    pub bp_variant: BpVariant,
    /// Skip Harvey–Collier (O(n p²) sequential work; the benchmark leaves it out).
    pub skip_harvey_collier: bool,
}

impl Default for BatteryOptions {
    fn default() -> Self {
        Self {
            lags: None,
            alpha: 0.05,
            break_at: None,
            bp_variant: BpVariant::Koenker,
            skip_harvey_collier: false,
        }
    }
}

/// One test of the battery, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestRow {
    /// The assumption tested.
    pub assumption: &'static str,
    /// The statistic.
    pub statistic: f64,
    /// Its p-value (`None` for Durbin–Watson).
    pub p_value: Option<f64>,
    /// `p_value < alpha` (`None` without a p-value).
    pub reject: Option<bool>,
    /// The null hypothesis, in words.
    pub null_hypothesis: &'static str,
    /// The reference the computation follows.
    pub reference: &'static str,
}

/// The battery's results.
#[derive(Debug, Clone, Serialize)]
pub struct Battery {
    /// Rows.
    pub n_obs: usize,
    /// Features (intercept excluded).
    pub n_features: usize,
    /// Lags used.
    pub lags: usize,
    /// Coefficients by name, `const` first.
    #[serde(serialize_with = "in_order")]
    pub params: Vec<(String, f64)>,
    /// R².
    pub r_squared: f64,
    /// Condition number of the design.
    pub condition_number: f64,
    /// VIF by feature, in design order.
    #[serde(serialize_with = "in_order")]
    pub vif: Vec<(String, f64)>,
    /// Computed tests, by key.
    pub tests: BTreeMap<&'static str, TestRow>,
    /// Tests that could not be computed, with the reason.
    pub skipped: BTreeMap<&'static str, String>,
    /// Influence measures, one value per row (not serialised: `n` values each).
    #[serde(skip)]
    pub influence: Influence,
}

/// Keys, assumptions, null hypotheses and references of the battery, in display order.
pub const TESTS: [(&str, &str, &str, &str); 16] = [
    (
        "durbin_watson",
        "independence",
        "no first-order autocorrelation (d ≈ 2)",
        "Durbin & Watson 1950; statsmodels durbin_watson",
    ),
    (
        "breusch_godfrey",
        "independence",
        "no autocorrelation up to the lag",
        "Breusch 1978, Godfrey 1978; statsmodels acorr_breusch_godfrey",
    ),
    (
        "ljung_box",
        "independence",
        "no autocorrelation up to the lag",
        "Ljung & Box 1978; statsmodels acorr_ljungbox",
    ),
    (
        "breusch_pagan",
        "homoscedasticity",
        "constant error variance",
        "Breusch & Pagan 1979, Koenker 1981; statsmodels het_breuschpagan",
    ),
    ("white", "homoscedasticity", "constant error variance", "White 1980; statsmodels het_white"),
    (
        "goldfeld_quandt",
        "homoscedasticity",
        "variance does not increase with row order",
        "Goldfeld & Quandt 1965; R gqtest",
    ),
    ("jarque_bera", "normality", "normal errors", "Jarque & Bera 1980; statsmodels jarque_bera"),
    ("omnibus", "normality", "normal errors", "D'Agostino & Pearson 1973; statsmodels omni_normtest"),
    ("shapiro_wilk", "normality", "normal errors", "Shapiro & Wilk 1965, Royston 1995; scipy shapiro"),
    ("anderson_darling", "normality", "normal errors", "Anderson & Darling 1954; statsmodels normal_ad"),
    ("lilliefors", "normality", "normal errors", "Lilliefors 1967; statsmodels lilliefors (table)"),
    (
        "reset",
        "linearity",
        "the linear form is adequate",
        "Ramsey 1969; statsmodels linear_reset, R resettest",
    ),
    ("harvey_collier", "linearity", "the linear form is adequate", "Harvey & Collier 1977; R harvtest"),
    ("rainbow", "linearity", "the linear form is adequate", "Utts 1982; statsmodels linear_rainbow"),
    (
        "cusum",
        "stability",
        "stable coefficients",
        "Ploberger & Krämer 1992; statsmodels breaks_cusumolsresid",
    ),
    ("chow", "stability", "equal coefficients before and after the break", "Chow 1960"),
];

/// Serialises name–value pairs as a JSON object, keeping their order.
fn in_order<S: serde::Serializer>(
    pairs: &[(String, f64)],
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// Runs every test of the battery on `ols`.
pub fn battery(ols: &Ols, options: &BatteryOptions) -> Result<Battery> {
    let n = ols.n_obs();
    // A break the user gave that does not fit the data is their error, not a property of the
    // data: refuse it rather than list the Chow test as skipped.
    if let Some(at) = options.break_at {
        let p = ols.n_params();
        if at <= p || at + p >= n {
            return Err(Error::InvalidParameter {
                name: "break-at".into(),
                reason: format!("{at}: each regime needs more than {p} rows, and the data has {n}"),
            });
        }
    }
    let lags = options.lags.unwrap_or((n / 5).min(10)).max(1);
    if options.lags.is_some() && lags + ols.n_params() >= n {
        return Err(Error::InvalidParameter {
            name: "lags".into(),
            reason: format!(
                "{lags}: with {n} rows and {} parameters at most {} lags fit",
                ols.n_params(),
                n.saturating_sub(ols.n_params() + 1)
            ),
        });
    }
    let e = ols.resid.to_vec();
    let mut tests = BTreeMap::new();
    let mut skipped = BTreeMap::new();
    for (key, assumption, null_hypothesis, reference) in TESTS {
        let outcome: Option<Result<(f64, Option<f64>)>> = match key {
            "durbin_watson" => Some(Ok((durbin_watson(ols.resid.view()), None))),
            "breusch_godfrey" => Some(breusch_godfrey(ols, lags).map(|t| t.reported())),
            "ljung_box" => Some(ljung_box(ols.resid.view(), lags).map(|t| t.reported())),
            "breusch_pagan" => Some(breusch_pagan(ols, options.bp_variant).map(|t| t.reported())),
            "white" => Some(white(ols).map(|t| t.reported())),
            "goldfeld_quandt" => Some(goldfeld_quandt(ols).map(|t| t.reported())),
            "jarque_bera" => Some(jarque_bera(&e).map(|t| t.reported())),
            "omnibus" => Some(omnibus(&e).map(|t| t.reported())),
            "shapiro_wilk" => Some(shapiro_wilk(&e).map(|t| t.reported())),
            "anderson_darling" => Some(anderson_darling(&e).map(|t| t.reported())),
            "lilliefors" => Some(lilliefors(&e).map(|t| t.reported())),
            "reset" => Some(reset(ols, 3).map(|t| t.reported())),
            "harvey_collier" if !options.skip_harvey_collier => {
                Some(harvey_collier(ols).map(|t| t.reported()))
            }
            "rainbow" => Some(rainbow(ols).map(|t| t.reported())),
            "cusum" => Some(cusum(ols).map(|t| t.reported())),
            "chow" => options.break_at.map(|at| chow(ols, at).map(|t| t.reported())),
            _ => None,
        };
        match outcome {
            Some(Ok((statistic, p_value))) => {
                let reject = p_value.map(|p| p < options.alpha);
                tests.insert(
                    key,
                    TestRow { assumption, statistic, p_value, reject, null_hypothesis, reference },
                );
            }
            Some(Err(error)) => {
                skipped.insert(key, error.to_string());
            }
            None => {}
        }
    }
    let names = &ols.names;
    Ok(Battery {
        n_obs: n,
        n_features: ols.n_params() - 1,
        lags,
        params: names.iter().cloned().zip(ols.params.iter().copied()).collect(),
        r_squared: ols.r_squared,
        condition_number: condition_number(ols)?,
        vif: names[1..].iter().cloned().zip(vif(ols)?).collect(),
        tests,
        skipped,
        influence: influence(ols)?,
    })
}
