//! Post-processing of shape functions: centring and monotone projection.

/// Subtracts the count-weighted mean from `scores` and returns it (to be added to the
/// intercept), so every term has mean 0 over the training rows and the intercept is the mean
/// prediction on the link scale.
pub(crate) fn center(scores: &mut [f64], counts: &[usize]) -> f64 {
    let n: usize = counts.iter().sum();
    if n == 0 {
        return 0.0;
    }
    let mean = scores.iter().zip(counts).map(|(s, &c)| s * c as f64).sum::<f64>() / n as f64;
    scores.iter_mut().for_each(|s| *s -= mean);
    mean
}

/// The weighted isotonic regression of `scores` (weights `counts`; bins without rows weigh
/// nothing but take their neighbours' value), non-decreasing or non-increasing: the pool
/// adjacent violators algorithm (Barlow et al. 1972), as interpret's `monotonize` does after
/// fitting.
pub(super) fn isotonic(scores: &[f64], counts: &[usize], increasing: bool) -> Vec<f64> {
    let sign = if increasing { 1.0 } else { -1.0 };
    // Blocks of (weighted mean, weight, length).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(scores.len());
    for (&s, &c) in scores.iter().zip(counts) {
        let w = c as f64 + 1e-9;
        blocks.push((sign * s, w, 1));
        while blocks.len() > 1 {
            let (m2, w2, l2) = blocks[blocks.len() - 1];
            let (m1, w1, l1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.truncate(blocks.len() - 2);
            blocks.push(((m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, l1 + l2));
        }
    }
    blocks.iter().flat_map(|&(m, _, l)| std::iter::repeat_n(sign * m, l)).collect()
}
