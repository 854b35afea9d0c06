//! The whole battery on one fit: every test of [`TESTS`] that can be computed, and for every
//! test that cannot, the reason (never a number from a degenerate computation: a statistic or
//! p-value that is not a finite number is listed as skipped too).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::results::Alternative;
use super::specs::{Assumption, Context, TESTS};
use super::*;
use crate::error::{Error, Result, invalid_parameter};

/// Options of [`battery`]. Every field has R's or statsmodels' default.
///
/// | field | default | meaning | range |
/// |---|---|---|---|
/// | `lags` | `min(10, n div 5)` | lags of Breusch–Godfrey, Ljung–Box, Box–Pierce, ARCH | ≥ 1 |
/// | `fitdf` | 0 | degrees of freedom Ljung–Box and Box–Pierce subtract | < `lags` |
/// | `alpha` | 0.05 | significance level of the verdicts | (0, 1) |
/// | `break_at` | none | first row of the Chow test's second regime | rows on each side > p |
/// | `bp_variant` | Koenker | Breusch–Pagan statistic | |
/// | `bg_form` | χ² | Breusch–Godfrey statistic | |
/// | `dw_alternative`, `dw_method` | greater, auto | Durbin–Watson p-value | |
/// | `goldfeld_quandt` | greater, drop 0 | alternative, share of central rows dropped | [0, 1) |
/// | `rainbow` | 0.5, 0.5, statsmodels | fraction, centre, row convention | (0, 1) |
/// | `reset` | powers 2, 3 of ŷ | powers and what is raised | 2 … 10 |
/// | `hac_lags` | `⌊4 (n/100)^{2/9}⌋` | Newey–West lag | < n |
/// | `influence_measures` | false | R's `influence.measures` per row | |
/// | `skip_harvey_collier` | false | leave out Harvey–Collier (sequential, O(n p²)) | |
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct BatteryOptions {
    pub lags: Option<usize>,
    pub fitdf: usize,
    pub alpha: f64,
    pub break_at: Option<usize>,
    pub bp_variant: BpVariant,
    pub bg_form: BgForm,
    pub dw_alternative: Alternative,
    pub dw_method: DwMethod,
    pub goldfeld_quandt: GqOptions,
    pub rainbow: RainbowOptions,
    pub reset: ResetOptions,
    pub hac_lags: Option<usize>,
    pub influence_measures: bool,
    pub skip_harvey_collier: bool,
}

impl Default for BatteryOptions {
    fn default() -> Self {
        Self {
            lags: None,
            fitdf: 0,
            alpha: 0.05,
            break_at: None,
            bp_variant: BpVariant::Koenker,
            bg_form: BgForm::Chisq,
            dw_alternative: Alternative::Greater,
            dw_method: DwMethod::Auto,
            goldfeld_quandt: GqOptions::default(),
            rainbow: RainbowOptions::default(),
            reset: ResetOptions::default(),
            hac_lags: None,
            influence_measures: false,
            skip_harvey_collier: false,
        }
    }
}

/// One test of the battery, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TestRow {
    /// The assumption tested.
    pub assumption: Assumption,
    /// The statistic.
    pub statistic: f64,
    /// Its p-value.
    pub p_value: f64,
    /// `p_value < alpha`.
    pub reject: bool,
    /// Degrees of freedom (none, one or two).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub df: Vec<f64>,
    /// How the p-value or the variant was computed, where there is a choice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The null hypothesis, in words.
    pub null_hypothesis: &'static str,
    /// The reference the computation follows.
    pub reference: &'static str,
}

/// The battery's results.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Battery {
    /// Rows.
    pub n_obs: usize,
    /// Columns of the design, the intercept excluded (a categorical feature counts its
    /// indicators).
    pub n_features: usize,
    /// How the categorical features were coded (absent when every feature is numeric).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categorical: Vec<super::CodedFeature>,
    /// Lags used by the autocorrelation and ARCH tests.
    pub lags: usize,
    /// Coefficients by name, `const` first.
    #[serde(serialize_with = "in_order")]
    pub params: Vec<(String, f64)>,
    /// Standard errors, t and p of the coefficients under OLS, HC0–HC3 and Newey–West
    /// (empty when they cannot be computed; the reason is under `skipped`).
    pub standard_errors: Vec<CoefficientInference>,
    /// Newey–West lag.
    pub hac_lags: usize,
    /// R².
    pub r_squared: f64,
    /// Condition number of the design in the data's units (`None` beyond `f64`'s range).
    pub condition_number: Option<f64>,
    /// VIF by feature, in design order.
    #[serde(serialize_with = "in_order")]
    pub vif: Vec<(String, f64)>,
    /// Generalised VIF of each categorical feature's indicator columns together (absent when
    /// every feature is numeric).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gvif: Vec<Gvif>,
    /// Computed tests, by key.
    pub tests: BTreeMap<&'static str, TestRow>,
    /// Tests (and the robust standard errors, the GVIFs) that could not be computed, with the
    /// reason.
    pub skipped: BTreeMap<&'static str, String>,
    /// Influence summary, one value per row (not serialised: `n` values each).
    #[serde(skip)]
    pub influence: Influence,
    /// R's `influence.measures` per row, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub influence_measures: Option<InfluenceMeasures>,
}

/// Serialises name–value pairs as a JSON object, keeping their order.
fn in_order<S: serde::Serializer>(
    pairs: &[(String, f64)],
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

impl BatteryOptions {
    /// Checks the options that do not depend on the data (ranges of `alpha`, `lags`, `fitdf`,
    /// the fractions and the powers), naming the option; the CLI calls it before reading any
    /// data, [`battery`] again with the data's size.
    pub fn check(&self) -> Result<()> {
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(invalid_parameter("alpha", format!("{}: must lie in (0, 1)", self.alpha)));
        }
        if self.lags == Some(0) {
            return Err(invalid_parameter("lags", "0: must be at least 1"));
        }
        if let Some(lags) = self.lags
            && self.fitdf >= lags
        {
            return Err(invalid_parameter(
                "fitdf",
                format!("{}: must be below the lag count {lags}", self.fitdf),
            ));
        }
        if !(0.0..1.0).contains(&self.goldfeld_quandt.drop) {
            return Err(invalid_parameter(
                "gq-drop",
                format!(
                    "{}: the share of central rows dropped must lie in [0, 1)",
                    self.goldfeld_quandt.drop
                ),
            ));
        }
        // Any size checks the fraction and the centre.
        rainbow_rows(1000, &self.rainbow)?;
        let powers = &self.reset.powers;
        if powers.is_empty() || powers.iter().any(|&q| !(2..=RESET_MAX_POWER).contains(&q)) {
            return Err(invalid_parameter(
                "reset-powers",
                format!("{powers:?}: give one or more powers from 2 to {RESET_MAX_POWER}"),
            ));
        }
        Ok(())
    }

    /// Checks the options against `n` rows and `p` parameters; returns the lag count.
    fn check_with_data(&self, n: usize, p: usize) -> Result<usize> {
        self.check()?;
        // A break the user gave that does not fit the data is their error, not a property of
        // the data: refuse it rather than list the Chow test as skipped.
        if let Some(at) = self.break_at
            && (at <= p || at + p >= n)
        {
            return Err(Error::InvalidParameter {
                name: "break-at".into(),
                reason: format!("{at}: each regime needs more than {p} rows, and the data has {n}"),
            });
        }
        let lags = self.lags.unwrap_or((n / 5).min(10)).max(1);
        if self.lags.is_some() && lags + p >= n {
            return Err(invalid_parameter(
                "lags",
                format!(
                    "{lags}: with {n} rows and {p} parameters at most {} lags fit",
                    n.saturating_sub(p + 1)
                ),
            ));
        }
        if self.fitdf >= lags {
            return Err(invalid_parameter(
                "fitdf",
                format!("{}: must be below the lag count {lags}", self.fitdf),
            ));
        }
        if self.dw_method == DwMethod::Exact && n > durbin_watson::EXACT_MAX_ROWS {
            return Err(invalid_parameter(
                "dw-method",
                format!(
                    "exact needs an {n} × {n} eigendecomposition; use it up to {} rows",
                    durbin_watson::EXACT_MAX_ROWS
                ),
            ));
        }
        if let Some(l) = self.hac_lags
            && l >= n
        {
            return Err(invalid_parameter("hac-lags", format!("{l}: must be below the number of rows, {n}")));
        }
        Ok(lags)
    }
}

/// Why a computed outcome is not reported, if it is not a finite statistic with a p-value in
/// [0, 1].
fn degenerate(statistic: f64, p_value: f64) -> Option<String> {
    if !statistic.is_finite() {
        Some(format!("the statistic is {statistic}, not a finite number, on these data"))
    } else if !(0.0..=1.0).contains(&p_value) {
        Some(format!("the p-value came out as {p_value}, outside [0, 1]"))
    } else {
        None
    }
}

/// Runs every test of the battery on `ols`.
pub fn battery(ols: &Ols, options: &BatteryOptions) -> Result<Battery> {
    let (n, p) = (ols.n_obs(), ols.n_params());
    let lags = options.check_with_data(n, p)?;
    let resid = ols.w.resid.to_vec();
    let context = Context { ols, options, lags, resid: &resid };
    // The tests, the robust standard errors and the influence measures are independent: run
    // them in parallel (White's row-block QR parallelises within itself too).
    let (outcomes, (robust, (summary, measures))) = rayon::join(
        || TESTS.par_iter().map(|spec| spec.run(&context)).collect::<Vec<_>>(),
        || {
            rayon::join(
                || robust_inference(ols, options.hac_lags),
                || {
                    rayon::join(
                        || influence(ols),
                        || options.influence_measures.then(|| influence_measures(ols)),
                    )
                },
            )
        },
    );
    let mut tests = BTreeMap::new();
    let mut skipped = BTreeMap::new();
    for (spec, outcome) in TESTS.iter().zip(outcomes) {
        match outcome {
            Ok(Some(outcome)) => {
                if let Some(reason) = degenerate(outcome.statistic, outcome.p_value) {
                    skipped.insert(spec.key, reason);
                    continue;
                }
                let row = TestRow {
                    assumption: spec.assumption,
                    statistic: outcome.statistic,
                    p_value: outcome.p_value,
                    reject: outcome.p_value < options.alpha,
                    df: outcome.df,
                    method: outcome.method,
                    null_hypothesis: spec.null_hypothesis,
                    reference: spec.reference,
                };
                tests.insert(spec.key, row);
            }
            Ok(None) => {}
            Err(error) => {
                skipped.insert(spec.key, error.to_string());
            }
        }
    }
    let (hac_lags, standard_errors) = match robust {
        Ok((lags, table)) => (lags, table),
        Err(e) => {
            skipped.insert("robust_standard_errors", e.to_string());
            (options.hac_lags.unwrap_or_else(|| newey_west_default_lags(n)), Vec::new())
        }
    };
    // A correlation matrix that is not positive definite in floating point (a design near the
    // edge of rank) leaves the GVIFs out with the reason; the VIFs stand.
    let gvif = gvif(ols).unwrap_or_else(|e| {
        skipped.insert("gvif", e.to_string());
        Vec::new()
    });
    let names = &ols.names;
    Ok(Battery {
        n_obs: n,
        n_features: p - 1,
        categorical: ols.categorical().to_vec(),
        lags,
        params: names.iter().cloned().zip(ols.params.iter().copied()).collect(),
        standard_errors,
        hac_lags,
        r_squared: ols.r_squared,
        condition_number: condition_number(ols).ok(),
        vif: names[1..].iter().cloned().zip(vif(ols)?).collect(),
        gvif,
        tests,
        skipped,
        influence: summary?,
        influence_measures: measures.transpose()?,
    })
}
