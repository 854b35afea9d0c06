//! Mergeable summaries: a portfolio summarised in one partition and in 16 gives the same
//! figures (counts exactly, every figure to 1e-12), and those figures equal the row-level
//! functions'.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic
#![allow(clippy::single_range_in_vec_init)] // one partition is a list of one row range

use kd_core::quantile::{Binning, Grouping, QuantileDef, Ties};
use kd_hypotheses::regression::{
    BpVariant, CrossProducts, Ols, ResidualSums, breusch_pagan, durbin_watson, jarque_bera, white,
    white_design,
};
use kd_hypotheses::validation::{self as v, HlSample, ScoreCounts};
use kd_test_support::{Tolerance, assert_close};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[track_caller]
fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert_close!(a, b, Tolerance::relative(tol).floor(1e-300), "{what}");
}

/// A PD portfolio: PDs on a grid of basis points (so ties abound), 7 grades cut from the PD,
/// defaults drawn with the PD.
fn portfolio(n: usize, seed: u64) -> (Vec<bool>, Vec<f64>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut outcome = Vec::with_capacity(n);
    let mut pd = Vec::with_capacity(n);
    let mut grade = Vec::with_capacity(n);
    for _ in 0..n {
        let z: f64 = rng.gen_range(-4.5..-0.5);
        let p = (1.0 / (1.0 + (-z).exp()) * 10_000.0).round() / 10_000.0;
        outcome.push(rng.gen_bool(p));
        grade.push(((p * 100.0).sqrt() as usize).min(6));
        pd.push(p);
    }
    (outcome, pd, grade)
}

/// Contiguous partitions of `0..n` of uneven sizes.
fn partitions(n: usize, parts: usize, seed: u64) -> Vec<std::ops::Range<usize>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cuts: Vec<usize> = (1..parts).map(|_| rng.gen_range(1..n)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let bounds: Vec<usize> = std::iter::once(0).chain(cuts).chain(std::iter::once(n)).collect();
    bounds.windows(2).map(|w| w[0]..w[1]).collect()
}

/// DeLong's AUROC and standard error row by row: each defaulter's placement (the share of
/// non-defaulters scored below it, ties ½) and each non-defaulter's (the share of defaulters
/// scored above), found by binary search in the other class's sorted scores.
fn delong_by_rows(outcome: &[bool], pd: &[f64]) -> (f64, f64) {
    let sorted = |class: bool| -> Vec<f64> {
        let mut v: Vec<f64> = outcome.iter().zip(pd).filter(|(y, _)| **y == class).map(|(_, p)| *p).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let (defaults, others) = (sorted(true), sorted(false));
    let (m, n) = (defaults.len() as f64, others.len() as f64);
    let below = |sorted: &[f64], x: f64| {
        let (lo, hi) = (sorted.partition_point(|v| *v < x), sorted.partition_point(|v| *v <= x));
        (lo as f64, (hi - lo) as f64)
    };
    let v10: Vec<f64> = defaults
        .iter()
        .map(|&x| {
            let (b, t) = below(&others, x);
            (b + t / 2.0) / n
        })
        .collect();
    let v01: Vec<f64> = others
        .iter()
        .map(|&x| {
            let (b, t) = below(&defaults, x);
            (m - b - t + t / 2.0) / m
        })
        .collect();
    let auc = v10.iter().sum::<f64>() / m;
    let spread = |v: &[f64]| v.iter().map(|x| (x - auc).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0);
    (auc, (spread(&v10) / m + spread(&v01) / n).sqrt())
}

/// The summaries of rows `range`: overall and per grade.
fn summarise(
    outcome: &[bool],
    pd: &[f64],
    grade: &[usize],
    ranges: &[std::ops::Range<usize>],
) -> (ScoreCounts, Vec<ScoreCounts>) {
    let mut all = ScoreCounts::default();
    let mut by_grade = vec![ScoreCounts::default(); 7];
    for range in ranges {
        let part = ScoreCounts::from_rows(&outcome[range.clone()], &pd[range.clone()]).unwrap();
        all.merge(&part);
        for (g, summary) in by_grade.iter_mut().enumerate() {
            let rows: Vec<usize> = range.clone().filter(|&r| grade[r] == g).collect();
            let y: Vec<bool> = rows.iter().map(|&r| outcome[r]).collect();
            let p: Vec<f64> = rows.iter().map(|&r| pd[r]).collect();
            summary.merge(&ScoreCounts::from_rows(&y, &p).unwrap());
        }
    }
    (all, by_grade)
}

#[test]
fn one_partition_and_sixteen_give_the_same_validation_figures() {
    let (outcome, pd, grade) = portfolio(40_000, 7);
    let one = summarise(&outcome, &pd, &grade, &[0..outcome.len()]);
    let sixteen = summarise(&outcome, &pd, &grade, &partitions(outcome.len(), 16, 11));
    // The merged tables are the same object: every count, every distinct score.
    assert_eq!(one, sixteen);
    let (all, by_grade) = &sixteen;
    let labels: Vec<String> = (0..7).map(|g| format!("G{g}")).collect();

    // ... and their figures equal the row-level functions'.
    let (auc, std_error) = delong_by_rows(&outcome, &pd);
    let merged = v::auroc_of(all, 0.95).unwrap();
    close(merged.value, auc, 1e-12, "AUROC");
    close(merged.std_error, std_error, 1e-12, "DeLong's standard error");
    let (defaulters, others) = v::split_by_outcome(&outcome, &pd);
    let ks = v::ks_two_sample(&defaulters, &others).unwrap();
    assert_eq!(v::ks_of(all).unwrap(), ks, "KS (an exact lattice count)");
    for grouping in [
        Grouping::RCut(QuantileDef::Linear),
        Grouping::RCut(QuantileDef::InvertedCdf),
        Grouping::SasRank(Ties::Mean),
    ] {
        let binning = Binning { groups: 10, grouping };
        let rows = v::hosmer_lemeshow(&outcome, &pd, binning, HlSample::Validation).unwrap();
        let merged = v::hosmer_lemeshow_of(all, binning, HlSample::Validation).unwrap();
        assert_eq!(merged.groups, rows.groups, "{grouping:?}");
        for (a, b) in merged.table.iter().zip(&rows.table) {
            assert_eq!((a.n, a.observed), (b.n, b.observed), "{grouping:?}: group counts");
            close(a.expected, b.expected, 1e-12, "expected defaults");
        }
        close(merged.statistic, rows.statistic, 1e-12, "Hosmer-Lemeshow");
    }
    let s = v::spiegelhalter(&outcome, &pd).unwrap();
    close(v::spiegelhalter_of(all).unwrap().statistic, s.statistic, 1e-12, "Spiegelhalter");
    let brier = v::brier_decomposition(&outcome, &pd, &grade).unwrap();
    let merged = v::brier_of(by_grade).unwrap();
    for (a, b, what) in [
        (merged.brier, brier.brier, "Brier"),
        (merged.reliability, brier.reliability, "reliability"),
        (merged.resolution, brier.resolution, "resolution"),
        (merged.uncertainty, brier.uncertainty, "uncertainty"),
        (merged.within_bin, brier.within_bin, "within-bin"),
    ] {
        close(a, b, 1e-12, what);
    }
    let j = v::portfolio_jeffreys(&outcome, &pd).unwrap();
    let mj = v::jeffreys_of(all).unwrap();
    assert_eq!((mj.n, mj.defaults), (j.n, j.defaults));
    close(mj.p_value, j.p_value, 1e-12, "Jeffreys");
    let tests = v::grade_tests(&outcome, &pd, &grade, &labels, 0.12).unwrap();
    let merged = v::grade_tests_of(by_grade, &labels, 0.12).unwrap();
    assert_eq!(merged.len(), tests.len());
    for (a, b) in merged.iter().zip(&tests) {
        assert_eq!((a.n, a.defaults, a.traffic_light), (b.n, b.defaults, b.traffic_light), "{}", a.grade);
        close(a.pd, b.pd, 1e-12, "grade PD");
        close(a.binomial_p_value, b.binomial_p_value, 1e-10, "binomial p-value");
        close(a.jeffreys_p_value, b.jeffreys_p_value, 1e-10, "Jeffreys p-value");
    }
}

#[test]
fn stability_figures_merge_exactly() {
    let (_, baseline, _) = portfolio(30_000, 1);
    let (_, current, _) = portfolio(25_000, 2);
    let current: Vec<f64> = current.iter().map(|p| (p * 1.1f64).min(1.0)).collect();
    let merge = |values: &[f64], parts: usize| {
        let mut s = ScoreCounts::default();
        for r in partitions(values.len(), parts, 5) {
            s.merge(&ScoreCounts::from_values(&values[r]).unwrap());
        }
        s
    };
    let (b1, c1) = (merge(&baseline, 1), merge(&current, 1));
    let (b16, c16) = (merge(&baseline, 16), merge(&current, 16));
    assert_eq!((&b1, &c1), (&b16, &c16));
    for grouping in [Grouping::RCut(QuantileDef::Linear), Grouping::SasRank(Ties::High)] {
        let binning = Binning { groups: 10, grouping };
        let rows = v::psi_numeric(&baseline, &current, binning).unwrap();
        let merged = v::psi_of(&b16, &c16, binning).unwrap();
        assert_eq!(merged.baseline_shares, rows.baseline_shares);
        assert_eq!(merged.cuts, rows.cuts);
        close(merged.value, rows.value, 1e-12, "PSI");
        // The CSI's way: the baseline's bins, the current sample counted into them part by part.
        let mut bins = v::ColumnBins::numeric(&b16, binning).unwrap();
        for r in partitions(current.len(), 16, 6) {
            bins.add_numbers(&current[r]).unwrap();
        }
        assert_eq!(bins.rows(), (baseline.len(), current.len()));
        let counted = bins.psi().unwrap();
        assert_eq!((&counted.cuts, &counted.current_shares), (&rows.cuts, &rows.current_shares));
        close(counted.value, rows.value, 1e-12, "CSI");
        assert!(bins.add_levels([("a", 1)]).is_err(), "levels for a numeric column");
    }
    // A categorical column: levels counted part by part, a level new in the current sample.
    let mut levels = v::ColumnBins::levels([("a".to_owned(), 60), ("b".to_owned(), 40)].into());
    levels.add_levels([("a", 30), ("c", 5)]).unwrap();
    levels.add_levels([("b", 15), ("a", 20)]).unwrap();
    let by_hand = v::psi_from_counts(&[60, 40, 0], &[50, 15, 5]).unwrap();
    assert_eq!(levels.psi().unwrap().value, by_hand.value);
    assert!(levels.add_numbers(&[1.0]).is_err(), "numbers for a categorical column");
    // One level in both samples: no shift.
    assert_eq!(v::psi_from_counts(&[7], &[3]).unwrap().value, 0.0);
    assert_eq!(v::ks_shift(&b16, &c16).unwrap(), v::ks_two_sample(&baseline, &current).unwrap());
    // From summaries, grades and their counts must agree in length.
    let grades = ["A", "B", "C"].map(String::from);
    let binning = Binning::r_default(10);
    let shift = |before: &[usize], now: &[usize]| {
        v::Stability::from_counts("baseline", &b16, &c16, binning, Some((&grades, before, now)))
    };
    let shift_ok = shift(&[5, 3, 2], &[4, 4, 2]).unwrap();
    let shares = &shift_ok.grades.as_ref().unwrap().figure.shares;
    assert_eq!(shares.iter().map(|s| s.grade.as_str()).collect::<Vec<_>>(), ["A", "B", "C"]);
    assert!(shift(&[5, 3], &[4, 4, 2]).is_err() && shift(&[5, 3, 2], &[4, 4, 2, 1]).is_err());
}

#[test]
fn regression_sufficient_statistics_merge_and_match_the_fit() {
    let (n, k) = (6_000, 4);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let x = Array2::from_shape_fn((n, k), |(_, j)| rng.gen_range(-1.0..1.0) * (j + 1) as f64 + 10.0);
    let y: Array1<f64> = (0..n)
        .map(|i| {
            1.0 + x.row(i).sum() * 0.5 + (1.0 + x[[i, 0]].abs() / 10.0) * rng.gen_range(-1.0..1.0f64).powi(3)
        })
        .collect();
    let names: Vec<String> = (0..k).map(|j| format!("x{j}")).collect();
    let ols = Ols::fit(x.view(), y.view(), &names).unwrap();
    let aux = white_design(&kd_hypotheses::regression::least_squares::with_constant(x.view()));
    let passes = |ranges: &[std::ops::Range<usize>]| {
        let (mut fit, mut bp, mut wh, mut res) = (
            CrossProducts::new(k + 1),
            CrossProducts::new(k + 1),
            CrossProducts::new(aux.ncols()),
            ResidualSums::default(),
        );
        for r in ranges {
            let mut part = CrossProducts::new(k + 1);
            r.clone().for_each(|i| part.push(&x.row(i).iter().copied().chain([y[i]]).collect::<Vec<_>>()));
            fit.merge(&part);
        }
        let params = fit.regress(k, &(0..k).collect::<Vec<_>>()).unwrap().params;
        let e: Vec<f64> = (0..n)
            .map(|i| y[i] - params[0] - (0..k).map(|j| params[j + 1] * x[[i, j]]).sum::<f64>())
            .collect();
        for r in ranges {
            let (mut b, mut w) = (CrossProducts::new(k + 1), CrossProducts::new(aux.ncols()));
            for i in r.clone() {
                b.push(&x.row(i).iter().copied().chain([e[i] * e[i]]).collect::<Vec<_>>());
                // The white design's first column is the constant: replace it by e².
                w.push(&aux.row(i).iter().skip(1).copied().chain([e[i] * e[i]]).collect::<Vec<_>>());
            }
            bp.merge(&b);
            wh.merge(&w);
            res.merge(&ResidualSums::from_residuals(&e[r.clone()]));
        }
        (fit, bp, wh, res)
    };
    let one = passes(&[0..n]);
    let sixteen = passes(&partitions(n, 16, 9));
    let regressors: Vec<usize> = (0..k).collect();
    let white_regressors: Vec<usize> = (0..aux.ncols() - 1).collect();
    let figures = |(fit, bp, wh, res): &(CrossProducts, CrossProducts, CrossProducts, ResidualSums)| {
        let f = fit.regress(k, &regressors).unwrap();
        let b = bp.regress(k, &regressors).unwrap();
        let w = wh.regress(aux.ncols() - 1, &white_regressors).unwrap();
        let mut out = f.params.clone();
        out.extend([
            f.ssr,
            f.r_squared(),
            n as f64 * b.r_squared(),
            n as f64 * w.r_squared(),
            (w.rank - 1) as f64,
        ]);
        out.extend([res.jarque_bera(), res.durbin_watson()]);
        out
    };
    let (a, b) = (figures(&one), figures(&sixteen));
    for (i, (x1, x16)) in a.iter().zip(&b).enumerate() {
        close(*x1, *x16, 1e-12, &format!("one partition against sixteen, figure {i}"));
    }
    // Against the row-level battery (QR on the rows): to the conditioning of the normal equations.
    for (j, (m, q)) in a.iter().zip(ols.params.iter()).enumerate() {
        close(*m, *q, 1e-8, &format!("coefficient {j}"));
    }
    close(a[k + 1], ols.ssr(), 1e-9, "SSR");
    close(a[k + 3], breusch_pagan(&ols, BpVariant::Koenker).unwrap().statistic, 1e-8, "Breusch-Pagan");
    let w = white(&ols).unwrap();
    close(a[k + 4], w.statistic, 1e-7, "White");
    assert_eq!(a[k + 5], w.df, "White's degrees of freedom");
    close(a[k + 6], jarque_bera(&ols.resid.to_vec()).unwrap().statistic, 1e-8, "Jarque-Bera");
    close(a[k + 7], durbin_watson(ols.resid.view()), 1e-9, "Durbin-Watson");
}
