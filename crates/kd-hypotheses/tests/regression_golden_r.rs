//! The battery's options against R itself (lmtest 0.9-40, nortest 1.0-4, sandwich 3.0-2 on R
//! 4.2.2): tests/golden/hypotheses_r/*.json, made by gen.R beside them. Each test prints the
//! largest absolute and relative difference it saw (`cargo test -- --nocapture`).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod golden_case;

use kd_hypotheses::regression::*;
use serde_json::Value;

/// The shared cases, then the small samples only R's generator makes.
fn cases() -> impl Iterator<Item = &'static str> {
    let small = ["autocorrelated_60", "heteroscedastic_60", "nonnormal_60", "null_40"];
    golden_case::SHARED_CASES.into_iter().chain(small)
}

fn load(case: &str) -> (Value, Ols) {
    golden_case::load("hypotheses_r", case)
}

/// The largest differences seen by one family of checks.
struct Agreement {
    what: &'static str,
    tolerance: f64,
    floor: f64,
    max_abs: f64,
    max_rel: f64,
    checks: usize,
}

impl Agreement {
    /// Checks `|kd − R| ≤ tolerance · |R| + floor`.
    fn new(what: &'static str, tolerance: f64, floor: f64) -> Self {
        Self { what, tolerance, floor, max_abs: 0.0, max_rel: 0.0, checks: 0 }
    }

    #[track_caller]
    fn close(&mut self, label: &str, ours: f64, theirs: &Value) {
        let theirs = theirs.as_f64().unwrap_or_else(|| panic!("{label}: no reference"));
        let abs = (ours - theirs).abs();
        self.max_abs = self.max_abs.max(abs);
        if theirs.abs() > 1e-12 {
            self.max_rel = self.max_rel.max(abs / theirs.abs());
        }
        self.checks += 1;
        assert!(
            abs <= self.tolerance * theirs.abs() + self.floor,
            "{} {label}: kd {ours} vs R {theirs}",
            self.what
        );
    }

    fn report(&self) {
        println!(
            "{:<48} {:>5} checks, largest |Δ| {:.2e}, relative {:.2e} (tolerance {:.0e})",
            self.what, self.checks, self.max_abs, self.max_rel, self.tolerance
        );
    }
}

fn outcome_close(a: &mut Agreement, label: &str, statistic: f64, p: f64, r: &Value) {
    a.close(&format!("{label} statistic"), statistic, &r["statistic"]);
    a.close(&format!("{label} p"), p, &r["p_value"]);
}

#[test]
fn durbin_watson_matches_dwtest() {
    let mut normal = Agreement::new("Durbin-Watson, normal approximation", 1e-9, 1e-300);
    let mut exact = Agreement::new("Durbin-Watson, exact (Imhof vs Pan converged)", 1e-9, 1e-11);
    let mut r_default_gap = 0.0f64;
    for case in cases() {
        let (g, ols) = load(case);
        for (alt, alternative) in [
            ("greater", Alternative::Greater),
            ("less", Alternative::Less),
            ("two.sided", Alternative::TwoSided),
        ] {
            let r = &g["durbin_watson"][alt];
            let t = durbin_watson_test(&ols, alternative, DwMethod::Normal).unwrap();
            outcome_close(&mut normal, &format!("{case} {alt}"), t.statistic, t.p_value, &r["normal"]);
            let t = durbin_watson_test(&ols, alternative, DwMethod::Exact).unwrap();
            if let Some(converged) = r["converged"].as_f64() {
                if converged > durbin_watson::EXACT_FLOOR {
                    // Imhof's accuracy is absolute (about 1e-12).
                    exact.close(&format!("{case} {alt}"), t.p_value, &Value::from(converged));
                    let default = r["exact"]["p_value"].as_f64().unwrap();
                    r_default_gap = r_default_gap.max((default - converged).abs());
                } else {
                    assert_eq!(t.p_value, durbin_watson::EXACT_FLOOR, "{case} {alt}: a bound");
                }
            }
        }
    }
    normal.report();
    exact.report();
    println!("  (R's default 15-term Pan value differs from the converged one by up to {r_default_gap:.3})");
}

#[test]
fn portmanteau_and_breusch_godfrey_match_r() {
    // R's Box.test computes 1 - pchisq(...), exact only to 1e-16 absolute.
    let mut bp = Agreement::new("Box-Pierce / Ljung-Box (fitdf 0, 2)", 1e-10, 2e-16);
    let mut bg = Agreement::new("Breusch-Godfrey chi2 and F", 1e-9, 1e-300);
    for case in cases() {
        let (g, ols) = load(case);
        let lags = g["lags"].as_u64().unwrap() as usize;
        for fitdf in [0, 2] {
            let key = format!("fitdf_{fitdf}");
            if g["box_pierce"][&key].is_null() {
                continue;
            }
            let t = box_pierce(ols.resid.view(), lags, fitdf).unwrap();
            outcome_close(
                &mut bp,
                &format!("{case} BP {key}"),
                t.statistic,
                t.p_value,
                &g["box_pierce"][&key],
            );
            let t = ljung_box(ols.resid.view(), lags, fitdf).unwrap();
            outcome_close(
                &mut bp,
                &format!("{case} LB {key}"),
                t.statistic,
                t.p_value,
                &g["ljung_box"][&key],
            );
        }
        let t = breusch_godfrey(&ols, lags).unwrap();
        outcome_close(
            &mut bg,
            &format!("{case} chisq"),
            t.lm.statistic,
            t.lm.p_value,
            &g["breusch_godfrey"]["chisq"],
        );
        let f = t.f.unwrap();
        outcome_close(&mut bg, &format!("{case} F"), f.statistic, f.p_value, &g["breusch_godfrey"]["f"]);
    }
    bp.report();
    bg.report();
}

#[test]
fn goldfeld_quandt_rainbow_and_reset_options_match_r() {
    let mut gq = Agreement::new("Goldfeld-Quandt (drop 0, 0.2; 3 alternatives)", 1e-9, 1e-300);
    let mut rain = Agreement::new("rainbow (R rows; 0.5/0.5, 0.3/0.4)", 1e-9, 1e-300);
    let mut reset_a = Agreement::new("RESET (fitted 2:3, 2:4; regressor 2:3, 2)", 1e-7, 1e-300);
    for case in cases() {
        let (g, ols) = load(case);
        for drop in [0.0, 0.2] {
            for (alt, alternative) in [
                ("greater", Alternative::Greater),
                ("less", Alternative::Less),
                ("two.sided", Alternative::TwoSided),
            ] {
                let r = &g["goldfeld_quandt"][format!("fraction_{drop}_{alt}").replace("_0.0_", "_0_")];
                let ours = goldfeld_quandt(&ols, &GqOptions { alternative, drop });
                match ours {
                    Ok(t) => {
                        outcome_close(&mut gq, &format!("{case} {drop} {alt}"), t.statistic, t.p_value, r)
                    }
                    Err(e) => assert!(r.is_null(), "{case} {drop} {alt}: kd refused ({e}) where R answered"),
                }
            }
        }
        for (key, fraction, center) in [("default", 0.5, 0.5), ("fraction_0.3_center_0.4", 0.3, 0.4)] {
            let options = RainbowOptions { fraction, center, rows: RainbowRows::R };
            match rainbow(&ols, &options) {
                Ok(t) => outcome_close(
                    &mut rain,
                    &format!("{case} {key}"),
                    t.statistic,
                    t.p_value,
                    &g["rainbow"][key],
                ),
                Err(e) => assert!(g["rainbow"][key].is_null(), "{case} {key}: kd refused ({e})"),
            }
        }
        for (key, powers, kind) in [
            ("fitted_2_3", vec![2, 3], ResetKind::Fitted),
            ("fitted_2_4", vec![2, 3, 4], ResetKind::Fitted),
            ("regressor_2_3", vec![2, 3], ResetKind::Regressor),
            ("regressor_2", vec![2], ResetKind::Regressor),
        ] {
            let r = &g["reset"][key];
            match reset(&ols, &ResetOptions { powers, kind }) {
                Ok(t) if t.df_num == r["df"][0].as_f64().unwrap() => {
                    outcome_close(&mut reset_a, &format!("{case} {key}"), t.statistic, t.p_value, r);
                }
                Ok(t) => {
                    // A power of a 0/1 feature (or of a two-level one) is a combination of it:
                    // lm drops the aliased column but resettest still counts it in q, so R's
                    // degrees of freedom differ; kd counts independent columns. The fits agree:
                    // compare (SSR₀ − SSR₁)/SSR₁ = F · q / (n − k − q).
                    let ratio_r = r["statistic"].as_f64().unwrap() * r["df"][0].as_f64().unwrap()
                        / r["df"][1].as_f64().unwrap();
                    let ratio = t.statistic * t.df_num / t.df_denom;
                    reset_a.close(&format!("{case} {key} SSR ratio"), ratio, &Value::from(ratio_r));
                    assert!(t.df_num < r["df"][0].as_f64().unwrap(), "{case} {key}: R drops more columns");
                }
                // R prints -Inf with negative degrees of freedom where more columns are added
                // than rows remain; kd refuses.
                Err(e) => assert!(
                    r["statistic"].as_f64().is_none(),
                    "{case} {key}: kd refused ({e}) where R answered"
                ),
            }
        }
    }
    gq.report();
    rain.report();
    reset_a.report();
}

#[test]
fn arch_and_lilliefors_match_r() {
    let mut arch = Agreement::new("ARCH LM (FinTS ArchTest formula)", 1e-9, 1e-300);
    // statrs' normal CDF and R's pnorm differ by about 1e-11, which moves D by 2e-10 relative;
    // the Dallal-Wilkinson exponent multiplies that about thirty-fold.
    let mut lillie = Agreement::new("Lilliefors statistic; Dallal-Wilkinson p", 1e-8, 1e-300);
    let mut dallal = 0;
    for case in cases() {
        let (g, ols) = load(case);
        let lags = g["lags"].as_u64().unwrap() as usize;
        let t = arch_lm(ols.resid.view(), lags).unwrap();
        outcome_close(&mut arch, case, t.statistic, t.p_value, &g["arch"]);
        let t = lilliefors(&ols.resid.to_vec()).unwrap();
        lillie.close(&format!("{case} D"), t.statistic, &g["lilliefors"]["statistic"]);
        if t.method == LillieforsMethod::DallalWilkinson {
            lillie.close(&format!("{case} p"), t.p_value, &g["lilliefors"]["p_value"]);
            dallal += 1;
        }
    }
    assert!(dallal >= 2, "only {dallal} cases below the table's floor");
    arch.report();
    lillie.report();
}

#[test]
fn influence_measures_and_robust_errors_match_r() {
    let mut infl = Agreement::new("influence.measures (6 measures per row)", 1e-8, 1e-300);
    // Longley's design (condition number 5e9) is the worst: 4e-8 relative.
    let mut robust = Agreement::new("HC0-HC3 and Newey-West standard errors", 1e-7, 1e-300);
    for case in cases() {
        let (g, ols) = load(case);
        let m = influence_measures(&ols).unwrap();
        let r = &g["influence"];
        let n = ols.n_obs();
        for i in 0..n {
            let row = |key: &str| &r[key][i];
            infl.close(&format!("{case} hat {i}"), m.hat[i], row("hat"));
            infl.close(&format!("{case} cook {i}"), m.cooks_distance[i], row("cook_d"));
            infl.close(&format!("{case} dffit {i}"), m.dffits[i], row("dffit"));
            infl.close(&format!("{case} cov.r {i}"), m.covratio[i], row("cov_r"));
            infl.close(&format!("{case} rstudent {i}"), m.student_resid_external[i], row("rstudent"));
            for j in 0..ols.n_params() {
                infl.close(&format!("{case} dfbetas {i},{j}"), m.dfbetas[i][j], &r["dfbetas"][i][j]);
            }
        }
        let flagged: Vec<u64> = m.flagged.iter().map(|f| f.row as u64).collect();
        let expected: Vec<u64> =
            r["flagged_rows"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        assert_eq!(flagged, expected, "{case}: flagged rows");
        let hac = g["hac_lags"].as_u64().unwrap() as usize;
        let (lags, table) = robust_inference(&ols, Some(hac)).unwrap();
        assert_eq!(lags, hac);
        for (kind, key) in golden_case::ROBUST_KEYS {
            let se = &table.iter().find(|c| c.kind == kind).unwrap().std_error;
            for (j, v) in se.iter().enumerate() {
                robust.close(&format!("{case} {key} {j}"), *v, &g["robust_se"][key][j]);
            }
        }
        assert_eq!(newey_west_default_lags(n), hac, "{case}: default lag");
    }
    infl.report();
    robust.report();
}
