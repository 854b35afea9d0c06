//! kd_core::quantile against numpy 2.4, R 4.2 and exact rational arithmetic
//! (tests/golden/quantile, made by gen.py and gen.R beside it), SAS PROC RANK's formula and
//! printed example, and the legacy binning formulas its callers used before.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_test_support::{Tolerance, assert_close};
use std::collections::BTreeMap;

use kd_core::quantile::{
    self, ALL, Binning, Grouping, QuantileDef, Ties, group_of, quantile, quantile_at, quantile_cuts,
    rank_groups,
};
use proptest::prelude::*;
use serde_json::Value;

const TOLERANCE: f64 = 1e-12;

fn golden() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/quantile")
}

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(golden().join("expected.json")).unwrap()).unwrap()
}

fn name(def: QuantileDef) -> String {
    serde_json::to_value(def).unwrap().as_str().unwrap().to_owned()
}

fn samples(e: &Value) -> BTreeMap<String, Vec<f64>> {
    e["samples"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let mut x: Vec<f64> = v.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            x.sort_by(f64::total_cmp);
            (k.clone(), x)
        })
        .collect()
}

#[track_caller]
fn close(ours: f64, theirs: f64, what: &str) {
    assert_close!(ours, theirs, Tolerance::relative(TOLERANCE), "{what}");
}

#[test]
fn the_nine_types_match_numpy_and_the_exact_definitions() {
    let e = expected();
    let samples = samples(&e);
    for case in e["real"].as_array().unwrap() {
        let x = &samples[case["sample"].as_str().unwrap()];
        let p = case["p"].as_f64().unwrap();
        for def in ALL {
            let ours = quantile(x, p, def).unwrap();
            let what = format!("{} at {p}, {}", case["sample"], name(def));
            close(ours, case["exact"][name(def)].as_f64().unwrap(), &what);
            if def.hyndman_fan_type().is_some_and(|t| t >= 4) {
                close(ours, case["numpy"][name(def)].as_f64().unwrap(), &format!("{what} (numpy)"));
            }
        }
    }
}

#[test]
fn quantiles_at_fractions_are_exact() {
    let e = expected();
    let samples = samples(&e);
    for case in e["fractions"].as_array().unwrap() {
        let x = &samples[case["sample"].as_str().unwrap()];
        let (k, g) = (case["k"].as_u64().unwrap() as usize, case["g"].as_u64().unwrap() as usize);
        for def in ALL {
            let what = format!("{} at {k}/{g}, {}", case["sample"], name(def));
            close(quantile_at(x, k, g, def).unwrap(), case["exact"][name(def)].as_f64().unwrap(), &what);
        }
    }
}

#[test]
fn the_nine_types_match_r() {
    let samples = samples(&expected());
    let text = std::fs::read_to_string(golden().join("r_quantiles.csv")).unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let (x, p) = (&samples[f[0]], f[1].parse::<f64>().unwrap());
        let def = QuantileDef::from_hyndman_fan_type(f[2].parse().unwrap()).unwrap();
        close(
            quantile(x, p, def).unwrap(),
            f[3].parse().unwrap(),
            &format!("R type {} on {} at {p}", f[2], f[0]),
        );
        checked += 1;
    }
    assert_eq!(checked, 882);
}

#[test]
fn hyndman_fan_numbers_round_trip() {
    for t in 1..=9 {
        assert_eq!(QuantileDef::from_hyndman_fan_type(t).unwrap().hyndman_fan_type(), Some(t));
    }
    assert_eq!(QuantileDef::from_hyndman_fan_type(0), None);
    assert_eq!(QuantileDef::from_hyndman_fan_type(10), None);
    assert_eq!(QuantileDef::UpperInvertedCdf.hyndman_fan_type(), None);
    assert_eq!(quantile(&[], 0.5, QuantileDef::Linear), None);
    assert_eq!(quantile(&[1.0], 1.5, QuantileDef::Linear), None);
    assert_eq!(quantile_at(&[1.0], 3, 2, QuantileDef::Linear), None);
}

#[test]
fn sas_proc_rank_groups_follow_the_documented_formula_and_example() {
    let e = expected();
    for case in e["sas_rank"].as_array().unwrap() {
        let x: Vec<f64> = e["samples"][case["sample"].as_str().unwrap()]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let groups = case["groups"].as_u64().unwrap() as usize;
        for (key, ties) in [("mean", Ties::Mean), ("low", Ties::Low), ("high", Ties::High)] {
            let theirs: Vec<usize> =
                case[key].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
            assert_eq!(
                rank_groups(&x, groups, ties),
                theirs,
                "{} {groups} groups, ties {key}",
                case["sample"]
            );
            // The cut points reproduce the non-empty groups, numbered in order.
            let cuts = quantile::rank_group_cuts(&x, groups, ties);
            let mut present: Vec<usize> = theirs.clone();
            present.sort_unstable();
            present.dedup();
            for (&v, &g) in x.iter().zip(&theirs) {
                assert_eq!(group_of(&cuts, v), present.binary_search(&g).unwrap());
            }
        }
    }
    let s = &e["swimmers"];
    for (stroke, printed) in [("back", "sas_back_first3"), ("free", "sas_free_first3")] {
        let times: Vec<f64> = s[stroke].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        let printed: Vec<usize> =
            s[printed].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        assert_eq!(rank_groups(&times, 3, Ties::Mean)[..3], printed[..], "SAS's printed {stroke} groups");
    }
}

#[test]
fn r_cut_merges_cut_points_at_the_extremes() {
    // Type-7 deciles of a sample with a heavy minimum: R's cut merges the repeated cuts at 0.
    let x = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
    let cuts = Binning::r_default(10).cut_points(&x);
    assert!(cuts.iter().all(|&c| c > 0.0 && c < 5.0), "{cuts:?}");
    let students = quantile_cuts(&x, 10, QuantileDef::InvertedCdf);
    assert_eq!(students[0], 0.0, "the students' rule keeps a cut at the minimum");
    let sas = Binning { groups: 4, grouping: Grouping::SasRank(Ties::Mean) }.cut_points(&x);
    // Ranks: the zeros share 3 (group ⌊3·4/11⌋ = 1), 1, 2, 3 rank 6-8 (group 2), 4 and 5 group 3.
    assert_eq!(sas, vec![0.0, 3.0]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, rng_seed: proptest::test_runner::RngSeed::Fixed(11), ..ProptestConfig::default() })]

    /// The conventions kd's callers used before this module, written out as they were: type 1
    /// at k/B (WoE fine classing, the logistic scorecard, BETA's conditions), the upper inverse
    /// (histogram bins), rounded type-7 positions (bootstrap bands, the novelty threshold) and
    /// type 7 (Hosmer–Lemeshow, PSI).
    #[test]
    fn the_legacy_formulas_are_the_named_definitions(
        mut x in proptest::collection::vec(-50i32..50, 1..120),
        bins in 2usize..30,
        q in 0.0f64..=1.0,
    ) {
        x.sort_unstable();
        let x: Vec<f64> = x.into_iter().map(f64::from).collect();
        let n = x.len();
        for k in 1..bins {
            prop_assert_eq!(quantile_at(&x, k, bins, QuantileDef::InvertedCdf), Some(x[(k * n).div_ceil(bins) - 1]));
            prop_assert_eq!(quantile_at(&x, k, bins, QuantileDef::UpperInvertedCdf), Some(x[k * n / bins]));
            let h = (n - 1) as f64 * (k as f64 / bins as f64);
            let (lo, hi) = (h.floor() as usize, (h.floor() as usize + 1).min(n - 1));
            prop_assert_eq!(quantile_at(&x, k, bins, QuantileDef::Linear), Some(x[lo] + (h - lo as f64) * (x[hi] - x[lo])));
        }
        prop_assert_eq!(quantile(&x, q, QuantileDef::RoundedLinear), Some(x[((n as f64 - 1.0) * q).round() as usize]));
    }

    #[test]
    fn quantiles_are_monotone_and_within_the_sample(
        mut x in proptest::collection::vec(-1e3f64..1e3, 1..60),
        a in 0.0f64..=1.0,
        b in 0.0f64..=1.0,
    ) {
        x.sort_by(f64::total_cmp);
        let (lo, hi) = (a.min(b), a.max(b));
        for def in ALL {
            let (qa, qb) = (quantile(&x, lo, def).unwrap(), quantile(&x, hi, def).unwrap());
            prop_assert!(qa <= qb + 1e-9 * qb.abs().max(1.0), "{:?}: {} > {}", def, qa, qb);
            prop_assert!(qa >= x[0] && qb <= x[x.len() - 1]);
        }
    }
}
