//! Classification metrics.

use ndarray::{Array1, ArrayView1, ArrayView2};

use super::ensure_nonempty;
use crate::Result;
use crate::error::{ensure_same_len, invalid_parameter};

/// Index of the largest value of each row (the first one on ties, as `numpy.argmax`).
pub fn argmax(probs: ArrayView2<'_, f64>) -> Vec<usize> {
    probs
        .outer_iter()
        .map(|row| row.iter().enumerate().fold(0, |best, (j, &v)| if v > row[best] { j } else { best }))
        .collect()
}

/// Share of rows where `y_pred` equals `y_true` (scikit-learn's `accuracy_score`).
pub fn accuracy(y_true: &[usize], y_pred: &[usize]) -> Result<f64> {
    ensure_same_len("accuracy (predictions)", y_true.len(), y_pred.len())?;
    ensure_nonempty("accuracy", y_true.len())?;
    let hits = y_true.iter().zip(y_pred).filter(|(a, b)| a == b).count();
    Ok(hits as f64 / y_true.len() as f64)
}

/// Share of rows where the student's most probable class is the teacher's, both given as
/// `(n, k)` probabilities.
pub fn agreement(student: ArrayView2<'_, f64>, teacher: ArrayView2<'_, f64>) -> Result<f64> {
    ensure_same_len("agreement (rows)", teacher.nrows(), student.nrows())?;
    ensure_same_len("agreement (classes)", teacher.ncols(), student.ncols())?;
    accuracy(&argmax(teacher), &argmax(student))
}

/// Area under the ROC curve of `score` for the binary labels `y` (0 or 1), by the rank-sum
/// (Mann–Whitney) formula with mid-ranks for ties: `(R₁ − n₁(n₁+1)/2) / (n₁ n₀)`, where `R₁` is
/// the sum of the positives' ranks. Equal to scikit-learn's `roc_auc_score`; O(n log n).
pub fn auroc(y: &[usize], score: ArrayView1<'_, f64>) -> Result<f64> {
    ensure_same_len("auroc (scores)", y.len(), score.len())?;
    ensure_nonempty("auroc", y.len())?;
    if let Some(bad) = y.iter().find(|&&c| c > 1) {
        return Err(invalid_parameter("auroc", format!("labels must be 0 or 1, found {bad}")));
    }
    if let Some(bad) = score.iter().find(|s| !s.is_finite()) {
        return Err(invalid_parameter("auroc", format!("scores must be finite, found {bad}")));
    }
    let n1 = y.iter().filter(|&&c| c == 1).count();
    let n0 = y.len() - n1;
    if n1 == 0 || n0 == 0 {
        return Err(invalid_parameter("auroc", "only one class is present, so the AUROC is undefined"));
    }
    let mut order: Vec<usize> = (0..y.len()).collect();
    order.sort_unstable_by(|&a, &b| score[a].total_cmp(&score[b]));
    let mut rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && score[order[end]] == score[order[start]] {
            end += 1;
        }
        // Ranks start+1 ..= end share their mean.
        let mid_rank = (start + 1 + end) as f64 / 2.0;
        let positives = order[start..end].iter().filter(|&&i| y[i] == 1).count();
        rank_sum += mid_rank * positives as f64;
        start = end;
    }
    let (n1, n0) = (n1 as f64, n0 as f64);
    Ok((rank_sum - n1 * (n1 + 1.0) / 2.0) / (n1 * n0))
}

/// Hand & Till's (2001) multiclass AUROC, `M = 2 / (k(k − 1)) · Σ_{i<j} (A(i|j) + A(j|i)) / 2`,
/// where `A(i|j)` is the [`auroc`] of the probability of class `i` on the rows of classes `i`
/// and `j` (class `i` positive). For rows that sum to 1 (scikit-learn refuses others) it is
/// scikit-learn's `roc_auc_score(y, probs, multi_class="ovo", average="macro")`, and for two
/// classes the binary AUROC. `probs` is `(n, k)` with `k ≥ 2`; every class must have a row.
/// Hand, D. J. & Till, R. J. (2001), "A simple generalisation of the area under the ROC curve
/// for multiple class classification problems", *Machine Learning* 45, 171–186.
pub fn auroc_hand_till(y: &[usize], probs: ArrayView2<'_, f64>) -> Result<f64> {
    check_probs("Hand & Till AUROC", y, probs)?;
    let k = probs.ncols();
    if k < 2 {
        return Err(invalid_parameter("Hand & Till AUROC", "it needs at least two classes"));
    }
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (r, &c) in y.iter().enumerate() {
        by_class[c].push(r);
    }
    if let Some(empty) = by_class.iter().position(Vec::is_empty) {
        return Err(invalid_parameter(
            "Hand & Till AUROC",
            format!("class {empty} has no rows, so its pairs' AUROCs are undefined"),
        ));
    }
    let mut total = 0.0;
    for i in 0..k {
        for j in i + 1..k {
            let rows: Vec<usize> = by_class[i].iter().chain(&by_class[j]).copied().collect();
            let pair = |positive: usize| -> Result<f64> {
                let labels: Vec<usize> = rows.iter().map(|&r| usize::from(y[r] == positive)).collect();
                let score: Array1<f64> = rows.iter().map(|&r| probs[[r, positive]]).collect();
                auroc(&labels, score.view())
            };
            total += (pair(i)? + pair(j)?) / 2.0;
        }
    }
    Ok(total * 2.0 / (k * (k - 1)) as f64)
}

fn check_probs(metric: &str, y: &[usize], probs: ArrayView2<'_, f64>) -> Result<()> {
    ensure_same_len(&format!("{metric} (rows)"), y.len(), probs.nrows())?;
    ensure_nonempty(metric, y.len())?;
    if let Some(bad) = y.iter().find(|&&c| c >= probs.ncols()) {
        return Err(invalid_parameter(
            metric,
            format!("class {bad} has no probability column ({} columns)", probs.ncols()),
        ));
    }
    if let Some(bad) = probs.iter().find(|p| !(0.0..=1.0).contains(*p)) {
        return Err(invalid_parameter(metric, format!("{bad} is not a probability")));
    }
    Ok(())
}

/// Mean negative log-likelihood `−mean(log p[i, y_i])`, as scikit-learn's `log_loss`:
/// probabilities clipped to `[ε, 1 − ε]` (ε = `f64::EPSILON`) and each row renormalised.
pub fn log_loss(y: &[usize], probs: ArrayView2<'_, f64>) -> Result<f64> {
    check_probs("log loss", y, probs)?;
    let eps = f64::EPSILON;
    let total: f64 = y
        .iter()
        .zip(probs.outer_iter())
        .map(|(&c, row)| {
            let sum: f64 = row.iter().map(|p| p.clamp(eps, 1.0 - eps)).sum();
            -(row[c].clamp(eps, 1.0 - eps) / sum).ln()
        })
        .sum();
    Ok(total / y.len() as f64)
}

/// Brier score, as scikit-learn's `brier_score_loss`: for two classes `mean((p₁ − y)²)`; for
/// `k > 2` classes `mean(Σ_c (p_c − [y = c])²)`.
pub fn brier_score(y: &[usize], probs: ArrayView2<'_, f64>) -> Result<f64> {
    check_probs("Brier score", y, probs)?;
    let total: f64 = if probs.ncols() == 2 {
        y.iter().zip(probs.column(1)).map(|(&c, &p)| (p - c as f64).powi(2)).sum()
    } else {
        y.iter()
            .zip(probs.outer_iter())
            .map(|(&c, row)| {
                row.iter().enumerate().map(|(j, &p)| (p - f64::from(u8::from(j == c))).powi(2)).sum::<f64>()
            })
            .sum()
    };
    Ok(total / y.len() as f64)
}

/// Mean Kullback–Leibler divergence from the teacher's to the student's class probabilities,
/// `mean_i Σ_c t_ic · ln(t_ic / s_ic)`, with `0 · ln 0 = 0` (as `scipy.special.rel_entr`). It is
/// `+∞` where the student gives probability 0 to a class the teacher does not.
pub fn mean_kl_divergence(teacher: ArrayView2<'_, f64>, student: ArrayView2<'_, f64>) -> Result<f64> {
    ensure_same_len("KL divergence (rows)", teacher.nrows(), student.nrows())?;
    ensure_same_len("KL divergence (classes)", teacher.ncols(), student.ncols())?;
    ensure_nonempty("KL divergence", teacher.nrows())?;
    let total: f64 = teacher
        .iter()
        .zip(student.iter())
        .map(|(&t, &s)| {
            if t == 0.0 {
                0.0
            } else if s == 0.0 {
                f64::INFINITY
            } else {
                t * (t / s).ln()
            }
        })
        .sum();
    Ok(total / teacher.nrows() as f64)
}
