//! The battery's tests as a table of specifications: each row names its key, the assumption
//! it tests, its null hypothesis, the reference it follows and the function that computes it.
//! A new test is one function in its family's file and one row here; nothing matches keys at
//! run time.

use serde::Serialize;

use super::battery::BatteryOptions;
use super::results::{Alternative, Outcome};
use super::*;
use crate::error::{Error, Result};

/// The assumption a test examines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Assumption {
    /// Errors uncorrelated over the row order.
    Independence,
    /// Constant error variance.
    Homoscedasticity,
    /// Normal errors.
    Normality,
    /// A mean linear in the regressors.
    Linearity,
    /// Coefficients constant over the row order.
    Stability,
}

impl Assumption {
    /// The assumption's name, as in the JSON report.
    pub fn name(self) -> &'static str {
        match self {
            Self::Independence => "independence",
            Self::Homoscedasticity => "homoscedasticity",
            Self::Normality => "normality",
            Self::Linearity => "linearity",
            Self::Stability => "stability",
        }
    }
}

/// What a test's computation sees.
pub(crate) struct Context<'a> {
    pub ols: &'a Ols,
    pub options: &'a BatteryOptions,
    /// Lags of the autocorrelation and ARCH tests.
    pub lags: usize,
    /// Residuals in working units.
    pub resid: &'a [f64],
}

/// One test of the battery.
#[derive(Debug, Clone, Copy)]
pub struct TestSpec {
    /// JSON key.
    pub key: &'static str,
    /// The assumption tested.
    pub assumption: Assumption,
    /// The null hypothesis, in words.
    pub null_hypothesis: &'static str,
    /// The reference the computation follows (and the implementation it matches).
    pub reference: &'static str,
    /// `Ok(None)` when the options do not ask for the test (Chow without a break).
    compute: for<'a> fn(&Context<'a>) -> Result<Option<Outcome>>,
}

impl TestSpec {
    pub(crate) fn run(&self, context: &Context<'_>) -> Result<Option<Outcome>> {
        (self.compute)(context)
    }
}

fn alternative_name(a: Alternative) -> &'static str {
    match a {
        Alternative::Greater => "greater",
        Alternative::Less => "less",
        Alternative::TwoSided => "two-sided",
    }
}

fn dw(c: &Context<'_>) -> Result<Option<Outcome>> {
    let t = durbin_watson_test(c.ols, c.options.dw_alternative, c.options.dw_method)?;
    let method = format!("{}; alternative {}", t.method, alternative_name(t.alternative));
    Ok(Some(Outcome { statistic: t.statistic, p_value: t.p_value, df: Vec::new(), method: Some(method) }))
}

fn bg(c: &Context<'_>) -> Result<Option<Outcome>> {
    let t = breusch_godfrey(c.ols, c.lags)?;
    Ok(Some(match c.options.bg_form {
        BgForm::Chisq => Outcome::from(t.lm).with_method("chi-squared form, LM = n R²"),
        BgForm::F => Outcome::from(t.f.ok_or_else(|| Error::Undefined {
            test: "the Breusch-Godfrey F test".into(),
            reason: "the lagged residuals are linearly dependent on the design".into(),
        })?)
        .with_method("F form"),
    }))
}

fn portmanteau(c: &Context<'_>, t: ChiSquareStat) -> Option<Outcome> {
    let o = Outcome::from(t);
    Some(if c.options.fitdf > 0 { o.with_method(format!("fitdf = {}", c.options.fitdf)) } else { o })
}

fn lb(c: &Context<'_>) -> Result<Option<Outcome>> {
    Ok(portmanteau(c, ljung_box(c.ols.w.resid.view(), c.lags, c.options.fitdf)?))
}

fn bp_portmanteau(c: &Context<'_>) -> Result<Option<Outcome>> {
    Ok(portmanteau(c, box_pierce(c.ols.w.resid.view(), c.lags, c.options.fitdf)?))
}

fn bp(c: &Context<'_>) -> Result<Option<Outcome>> {
    let t = breusch_pagan(c.ols, c.options.bp_variant)?;
    let method = match t.variant {
        BpVariant::Koenker => "Koenker's studentised form",
        BpVariant::Original => "original form (assumes normal errors)",
    };
    Ok(Some(Outcome {
        statistic: t.statistic,
        p_value: t.p_value,
        df: vec![t.df],
        method: Some(method.into()),
    }))
}

fn white_test(c: &Context<'_>) -> Result<Option<Outcome>> {
    Ok(Some(white(c.ols)?.into()))
}

fn gq(c: &Context<'_>) -> Result<Option<Outcome>> {
    let o = &c.options.goldfeld_quandt;
    let t = goldfeld_quandt(c.ols, o)?;
    let (end1, start2) = goldfeld_quandt::segments(c.ols.n_obs(), o.drop);
    let method = format!(
        "alternative {}; rows 1-{end1} against {}-{} ({:.0}% of the rows dropped in the middle)",
        alternative_name(o.alternative),
        start2 + 1,
        c.ols.n_obs(),
        100.0 * o.drop
    );
    Ok(Some(Outcome::from(t).with_method(method)))
}

fn arch(c: &Context<'_>) -> Result<Option<Outcome>> {
    Ok(Some(arch_lm(c.ols.w.resid.view(), c.lags)?.into()))
}

fn jb(c: &Context<'_>) -> Result<Option<Outcome>> {
    let t = jarque_bera(c.resid)?;
    Ok(Some(Outcome { statistic: t.statistic, p_value: t.p_value, df: vec![2.0], method: None }))
}

fn omni(c: &Context<'_>) -> Result<Option<Outcome>> {
    Ok(Some(Outcome { df: vec![2.0], ..omnibus(c.resid)?.into() }))
}

fn sw(c: &Context<'_>) -> Result<Option<Outcome>> {
    Ok(Some(shapiro_wilk(c.resid)?.into()))
}

fn ad(c: &Context<'_>) -> Result<Option<Outcome>> {
    let t = anderson_darling(c.resid)?;
    let method = if t.bounded {
        "beyond the approximation's range (A*² > 13): the p-value is an upper bound"
    } else {
        "D'Agostino & Stephens' approximation"
    };
    Ok(Some(described(t.statistic, t.p_value, method)))
}

/// A statistic without degrees of freedom, with how its p-value was computed.
fn described(statistic: f64, p_value: f64, method: &str) -> Outcome {
    Outcome { statistic, p_value, df: Vec::new(), method: Some(method.into()) }
}

fn lf(c: &Context<'_>) -> Result<Option<Outcome>> {
    let t = lilliefors(c.resid)?;
    let method = match t.method {
        LillieforsMethod::Table => "table of simulated critical values",
        LillieforsMethod::DallalWilkinson => "Dallal-Wilkinson approximation (below the table's 0.001)",
    };
    Ok(Some(described(t.statistic, t.p_value, method)))
}

fn reset_test(c: &Context<'_>) -> Result<Option<Outcome>> {
    let o = &c.options.reset;
    let of = match o.kind {
        ResetKind::Fitted => "the fitted values",
        ResetKind::Regressor => "every regressor",
    };
    let powers: Vec<String> = o.powers.iter().map(u32::to_string).collect();
    Ok(Some(Outcome::from(reset(c.ols, o)?).with_method(format!("powers {} of {of}", powers.join(", ")))))
}

fn hc(c: &Context<'_>) -> Result<Option<Outcome>> {
    if c.options.skip_harvey_collier {
        return Ok(None);
    }
    let t = harvey_collier(c.ols)?;
    Ok(Some(Outcome { statistic: t.statistic, p_value: t.p_value, df: vec![t.df], method: None }))
}

fn rain(c: &Context<'_>) -> Result<Option<Outcome>> {
    let o = &c.options.rainbow;
    let rows = rainbow_rows(c.ols.n_obs(), o)?;
    let convention = match o.rows {
        RainbowRows::Statsmodels => "statsmodels",
        RainbowRows::R => "R raintest",
    };
    let method = format!(
        "central rows {}-{} ({convention} rows; fraction {}, centre {})",
        rows.start + 1,
        rows.end,
        o.fraction,
        o.center
    );
    Ok(Some(Outcome::from(rainbow(c.ols, o)?).with_method(method)))
}

fn cusum_test(c: &Context<'_>) -> Result<Option<Outcome>> {
    Ok(Some(cusum(c.ols)?.into()))
}

fn chow_test(c: &Context<'_>) -> Result<Option<Outcome>> {
    c.options.break_at.map(|at| chow(c.ols, at).map(Outcome::from)).transpose()
}

const fn spec(
    key: &'static str,
    assumption: Assumption,
    null_hypothesis: &'static str,
    reference: &'static str,
    compute: for<'a> fn(&Context<'a>) -> Result<Option<Outcome>>,
) -> TestSpec {
    TestSpec { key, assumption, null_hypothesis, reference, compute }
}

use Assumption::{Homoscedasticity, Independence, Linearity, Normality, Stability};

const NO_AUTOCORRELATION: &str = "no autocorrelation up to the lag";
const CONSTANT_VARIANCE: &str = "constant error variance";
const NORMAL: &str = "normal errors";
const LINEAR: &str = "the linear form is adequate";

/// The battery, in display order (grouped by assumption).
pub static TESTS: [TestSpec; 18] = [
    spec(
        "durbin_watson",
        Independence,
        "no first-order autocorrelation",
        "Durbin & Watson 1950; R lmtest dwtest",
        dw,
    ),
    spec(
        "breusch_godfrey",
        Independence,
        NO_AUTOCORRELATION,
        "Breusch 1978, Godfrey 1978; R bgtest, statsmodels acorr_breusch_godfrey",
        bg,
    ),
    spec(
        "ljung_box",
        Independence,
        NO_AUTOCORRELATION,
        "Ljung & Box 1978; R Box.test, statsmodels acorr_ljungbox",
        lb,
    ),
    spec(
        "box_pierce",
        Independence,
        NO_AUTOCORRELATION,
        "Box & Pierce 1970; R Box.test, statsmodels acorr_ljungbox",
        bp_portmanteau,
    ),
    spec(
        "breusch_pagan",
        Homoscedasticity,
        CONSTANT_VARIANCE,
        "Breusch & Pagan 1979, Koenker 1981; statsmodels het_breuschpagan",
        bp,
    ),
    spec("white", Homoscedasticity, CONSTANT_VARIANCE, "White 1980; statsmodels het_white", white_test),
    spec(
        "goldfeld_quandt",
        Homoscedasticity,
        "equal variance in the first and last rows",
        "Goldfeld & Quandt 1965; R gqtest",
        gq,
    ),
    spec(
        "arch",
        Homoscedasticity,
        "no ARCH effects up to the lag",
        "Engle 1982; statsmodels het_arch, R FinTS ArchTest",
        arch,
    ),
    spec("jarque_bera", Normality, NORMAL, "Jarque & Bera 1980; statsmodels jarque_bera", jb),
    spec("omnibus", Normality, NORMAL, "D'Agostino & Pearson 1973; statsmodels omni_normtest", omni),
    spec("shapiro_wilk", Normality, NORMAL, "Shapiro & Wilk 1965, Royston 1995; scipy shapiro", sw),
    spec("anderson_darling", Normality, NORMAL, "Anderson & Darling 1954; statsmodels normal_ad", ad),
    spec(
        "lilliefors",
        Normality,
        NORMAL,
        "Lilliefors 1967, Dallal & Wilkinson 1986; statsmodels lilliefors, R nortest",
        lf,
    ),
    spec("reset", Linearity, LINEAR, "Ramsey 1969; R resettest, statsmodels linear_reset", reset_test),
    spec("harvey_collier", Linearity, LINEAR, "Harvey & Collier 1977; R harvtest", hc),
    spec("rainbow", Linearity, LINEAR, "Utts 1982; statsmodels linear_rainbow, R raintest", rain),
    spec(
        "cusum",
        Stability,
        "stable coefficients",
        "Ploberger & Krämer 1992; statsmodels breaks_cusumolsresid",
        cusum_test,
    ),
    spec("chow", Stability, "equal coefficients before and after the break", "Chow 1960", chow_test),
];
