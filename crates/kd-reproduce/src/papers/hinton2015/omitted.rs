//! The omitted-class experiment of Hinton et al. (2015, section 3): students trained on a
//! transfer set without a single 3, a class-3 logit bias chosen on the training rows, and what
//! each student then does with the test 3s.

use anyhow::Result;
use kd_core::tch::Tensor;

use super::super::images::errors_of;

/// `z` with `bias` added to the class-3 logit.
fn shifted(z: &Tensor, bias: f64) -> Tensor {
    let mut shift = [0f32; 10];
    shift[3] = bias as f32;
    z.shallow_clone() + Tensor::from_slice(&shift)
}

/// Rows `rows` of `z` and their labels.
fn pick(z: &Tensor, labels: &[usize], rows: &[usize]) -> (Tensor, Tensor) {
    let index = Tensor::from_slice(&rows.iter().map(|&r| r as i64).collect::<Vec<_>>());
    let y = Tensor::from_slice(&rows.iter().map(|&r| labels[r] as i64).collect::<Vec<_>>());
    (z.index_select(0, &index), y)
}

/// Share of `rows` of class 3 classified as 3 after adding `bias` to the class-3 logit.
pub fn recall_of_threes(z: &Tensor, labels: &[usize], rows: &[usize], bias: f64) -> f64 {
    let predicted: Vec<i64> = Vec::try_from(shifted(z, bias).argmax(1, false)).unwrap_or_default();
    let threes: Vec<usize> = rows.iter().copied().filter(|&r| labels[r] == 3).collect();
    threes.iter().filter(|&&r| predicted.get(r) == Some(&3)).count() as f64 / threes.len().max(1) as f64
}

/// Errors on `rows` after adding `bias` to the class-3 logit.
pub fn errors_with_bias(z: &Tensor, labels: &[usize], rows: &[usize], bias: f64) -> Result<usize> {
    let (zr, y) = pick(z, labels, rows);
    errors_of(&shifted(&zr, bias), &y)
}

/// The class-3 bias from the grid 0, 0.25, …, 30 with the fewest errors on `rows` (the
/// smallest such bias).
pub fn choose_bias(z: &Tensor, labels: &[usize], rows: &[usize]) -> Result<f64> {
    let (zr, y) = pick(z, labels, rows);
    let mut best = (usize::MAX, 0.0);
    for step in 0..=120 {
        let bias = step as f64 * 0.25;
        let wrong = errors_of(&shifted(&zr, bias), &y)?;
        if wrong < best.0 {
            best = (wrong, bias);
        }
    }
    Ok(best.1)
}

/// What the students trained without 3s do with the test 3s.
#[derive(Debug, Clone, Copy)]
pub struct Omitted {
    /// The distilled student's class-3 bias, chosen on the training rows.
    pub bias: f64,
    /// The hard-label student's bias, chosen the same way.
    pub hard_bias: f64,
    /// Share of test 3s right: distilled student after its bias.
    pub distilled: f64,
    /// … distilled student without a bias.
    pub distilled_unbiased: f64,
    /// … hard-label student without a bias (0 by construction: it never saw a 3).
    pub hard: f64,
    /// … hard-label student after its own bias.
    pub hard_biased: f64,
    /// Test errors (every class) of the distilled student without the bias.
    pub errors_unbiased: usize,
    /// … with the bias.
    pub errors_biased: usize,
}

impl Omitted {
    /// The figures of the distilled (`z_soft`) and hard-label (`z_hard`) logits of every row,
    /// the bias chosen on `train_rows` (3s included), judged on `test_rows`.
    pub fn measure(
        z_soft: &Tensor,
        z_hard: &Tensor,
        labels: &[usize],
        train_rows: &[usize],
        test_rows: &[usize],
    ) -> Result<Self> {
        let bias = choose_bias(z_soft, labels, train_rows)?;
        let hard_bias = choose_bias(z_hard, labels, train_rows)?;
        Ok(Self {
            bias,
            hard_bias,
            distilled: recall_of_threes(z_soft, labels, test_rows, bias),
            distilled_unbiased: recall_of_threes(z_soft, labels, test_rows, 0.0),
            hard: recall_of_threes(z_hard, labels, test_rows, 0.0),
            hard_biased: recall_of_threes(z_hard, labels, test_rows, hard_bias),
            errors_unbiased: errors_with_bias(z_soft, labels, test_rows, 0.0)?,
            errors_biased: errors_with_bias(z_soft, labels, test_rows, bias)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bias_is_chosen_on_the_given_rows_and_moves_rows_to_class_3() -> Result<()> {
        // Row 0 is a 3 whose class-3 logit is 1 below its best; row 1 is a 5 with a margin of 2.
        let z = Tensor::from_slice(&[
            0f32, 0., 0., 1., 0., 2., 0., 0., 0., 0., //
            0., 0., 0., 0., 0., 2., 0., 0., 0., 0.,
        ])
        .view([2, 10]);
        let labels = [3, 5];
        let bias = choose_bias(&z, &labels, &[0, 1])?;
        assert!((1.0..2.0).contains(&bias), "{bias}");
        assert_eq!(recall_of_threes(&z, &labels, &[0, 1], 0.0), 0.0);
        assert_eq!(recall_of_threes(&z, &labels, &[0, 1], bias), 1.0);
        assert_eq!(errors_with_bias(&z, &labels, &[0, 1], bias)?, 0);
        assert_eq!(errors_with_bias(&z, &labels, &[0, 1], 3.0)?, 1);
        // Chosen on the 5 alone, no bias helps.
        assert_eq!(choose_bias(&z, &labels, &[1])?, 0.0);
        Ok(())
    }
}
