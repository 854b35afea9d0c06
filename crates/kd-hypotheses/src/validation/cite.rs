//! Every figure of a validation report with its formula and reference: the wrapper that puts
//! them beside the figure in the JSON (`kd validate`'s report, the Python package's), and the
//! citations themselves, one constant per figure, named after it. Flags named in a reference
//! (`--binning`) are `kd validate`'s.

use serde::Serialize;

/// A figure with the formula it was computed by and where the formula comes from.
#[derive(Debug, Serialize)]
pub struct Cited<T: Serialize> {
    #[serde(flatten)]
    pub figure: T,
    pub formula: &'static str,
    pub reference: &'static str,
}

/// A formula and its reference.
pub type Citation = (&'static str, &'static str);

/// Wraps `figure` with `citation`.
pub fn cite<T: Serialize>(figure: T, citation: Citation) -> Cited<T> {
    Cited { figure, formula: citation.0, reference: citation.1 }
}

/// A figure that is one number.
#[derive(Debug, Serialize)]
pub struct Number {
    pub value: f64,
}

/// A figure that is a table of rows.
#[derive(Debug, Serialize)]
pub struct Rows<T: Serialize> {
    pub rows: Vec<T>,
}

const ECB: &str = "ECB, Instructions for reporting the validation results of internal models (2019)";

pub const AUROC: Citation = (
    "P(s_D > s_N) + ½P(s_D = s_N); s.e. √(S₁₀/m + S₀₁/n)",
    "DeLong, DeLong & Clarke-Pearson (1988); ECB (2019) Annex 1; matches pROC 1.18",
);
pub const GINI: Citation = ("2·AUROC − 1", "accuracy ratio of the CAP curve; ECB (2019) Annex 1");
pub const KS: Citation = (
    "sup |F_D − F_N|",
    "Smirnov two-sample test: exact p up to 10,000 rows per class (as scipy), else Kolmogorov's limit (as R)",
);
pub const KS_SHIFT: Citation = (
    "sup |F_baseline − F_current|",
    "Smirnov two-sample test: exact p up to 10,000 rows per sample (as scipy), else Kolmogorov's limit (as R)",
);
pub const CHALLENGER: Citation =
    ("z = (AUC_a − AUC_b) / s.e.(AUC_a − AUC_b)", "DeLong et al. (1988), paired test of equal AUROCs");
pub const AUC_CHANGE: Citation = (
    "S = (AUC_init − AUC) / s; p = 1 − Φ(S); with s_init also z = (AUC_init − AUC) / √(s_init² + s²)",
    "ECB (2019) §2.5 / §2.6, change in discriminatory power since initial validation (z is kd's addition)",
);
pub const CURVES: Citation =
    ("(FPR, TPR) and (population share, TPR) at every distinct score", "ROC and CAP curves");
pub const HOSMER_LEMESHOW: Citation = (
    "Σ_g (O_g − E_g)² / (E_g (1 − E_g/n_g)); χ² with G df (validation sample) or G − 2 (development)",
    "Hosmer & Lemeshow (1980); groups by --binning (R's cut of type-7 quantiles by default)",
);
pub const SPIEGELHALTER: Citation =
    ("Σ(y − p)(1 − 2p) / √Σ(1 − 2p)² p(1 − p); two-sided normal p", "Spiegelhalter (1986)");
pub const BRIER: Citation = (
    "mean (p − y)² = reliability − resolution + uncertainty + within-bin",
    "Murphy (1973); Stephenson, Coelho & Jolliffe (2008)",
);
pub const GRADES: Citation = (
    "binomial p = P(X ≥ d | n, PD); Jeffreys p = Beta(d + ½, n − d + ½) cdf at PD; light: Vasicek quantiles at 95% / 99.9%",
    "ECB (2019) §2.5 (Jeffreys test per grade); Tasche (2003) (traffic light)",
);
pub const PORTFOLIO_JEFFREYS: Citation =
    ("Beta(D + ½, N − D + ½) cdf at the mean PD", "ECB (2019) §2.5, Jeffreys test at portfolio level");
pub const PLUTO_TASCHE: Citation = (
    "p_k: P(Bin(Σ_{j≥k} n_j, p) ≤ Σ_{j≥k} d_j) = 1 − γ; correlated: ∫ φ(s) P(Bin(·, Φ((Φ⁻¹(p) − √ρ s)/√(1 − ρ))) ≤ ·) ds = 1 − γ",
    "Pluto & Tasche (2005), most prudent estimation, independent (§2) and one-factor (§3) defaults",
);
pub const PLUTO_TASCHE_PERIODS: Citation = (
    "p_k: P(Σ_t Bin(Σ_{j≥k} n_{j,t}, Φ((Φ⁻¹(p) − √ρ S_t)/√(1 − ρ))) ≤ Σ_{t, j≥k} d_{j,t}) = 1 − γ, S_t = τ S_{t−1} + √(1 − τ²) ε_t",
    "Pluto & Tasche (2005), most prudent estimation, multi-period one-factor model read over yearly cohorts (kd's reading: the dates as periods, each date's obligors counted)",
);
pub const LONG_RUN: Citation = (
    "LRA = mean of the cohorts' default rates; z = Σ(d_t − PD_t) / (√T τ̂); p = 1 − Φ(z)",
    "EBA/GL/2017/16 (long-run average default rate); BCBS Working Paper 14 (2005), normal test",
);
pub const OVERRIDES: Citation =
    ("rows whose final grade differs from the model's / rows", "EBA/GL/2017/16, monitoring of overrides");
pub const PSI: Citation = (
    "Σ (a − e) ln(a/e) over the baseline's bins; < 0.1 stable, ≥ 0.25 significant; ½ added to every bin when one is empty",
    "population stability index (Siddiqi 2006); numeric bins by --binning",
);
pub const GRADE_SHIFT: Citation = (
    "PSI over grades; Pearson χ² of the 2 × K table of baseline and current grade counts",
    "as scipy.stats.chi2_contingency(correction=False)",
);
pub const MIGRATION: Citation = (
    "N_ij; MWB_upper = Σ_{j>i} |i − j| N_ij / Σ_{j>i} max(|i − K|, |i − 1|) N_ij, MWB_lower alike below the diagonal",
    "ECB (2019) §2.5, stability of the migration matrix",
);
pub const HERFINDAHL: Citation = (
    "CV = √(K Σ (R_i − 1/K)²); HI = 1 + ln((CV² + 1)/K) / ln K; test t = √(K − 1)(CV − CV_init) / √(CV²(½ + CV²)), p = 1 − Φ(t)",
    "ECB (2019) §2.5, concentration in rating grades",
);
pub const BACKTEST: Citation = (
    "e = realised − estimated; t = √N ē / s, p = P(T_{N−1} > t); LS = 1 − Σ w·est / Σ w·realised; MAE = mean |e|, MSE = mean e²",
    "ECB (2019) §2.6 (LGD) and §2.9 (CCF), predictive ability",
);
pub const ELBE: Citation = (
    "t = √N ē / s, e = realised − ELBE; two-sided p = 2 P(T_{N−1} > |t|)",
    "ECB (2019) §2.7, ELBE back-test",
);
pub const LGD_IN_DEFAULT: Citation = (
    "t = √N ē / s, e = realised − LGD in-default; p = P(T_{N−1} > t)",
    "ECB (2019) §2.8, LGD in-default back-test",
);
pub const GAUC: Citation = (
    "(1 + D)/2, D = Somers' D of the estimate given the realised value; s.e. = ASE(D)/2",
    "ECB (2019) Annex 2 (generalised AUC); Goodman & Kruskal (1972) ASE, as SAS PROC FREQ",
);

/// The instructions' full title, for the report's header.
pub const INSTRUCTIONS: &str = ECB;
