//! Are the student's explanations faithful to the teacher? A deletion test: for each message,
//! delete the `k` words the student credits most with its prediction and, separately, `k`
//! words drawn at random; ask the teacher about both versions. If the explanation points at
//! what the teacher uses, the first deletion moves the teacher's probability of class 1 more
//! than the second, on average over the messages (the "comprehensiveness" of DeYoung et al.
//! 2020, ERASER, against a random baseline).
//!
//! A word's credit is [`TextStudent::word_scores`] signed towards the student's predicted
//! class (positive when the student says class 1, negated otherwise); every occurrence of a
//! deleted word is removed from the raw text ([`remove_words`]). Messages with `k` distinct
//! words or fewer are left out (deleting all words tells nothing). The random baseline is
//! averaged over `draws` draws per message (ChaCha8 of `seed`).
//!
//! | field | default | meaning | range |
//! |---|---|---|---|
//! | `k` | 3 | words deleted per message | ≥ 1 |
//! | `draws` | 5 | random deletions per message | ≥ 1 |
//! | `seed` | 0 | the random draws | any |

use std::collections::BTreeSet;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use kd_core::Task;
use kd_core::teacher::TextTeacher;
use kd_core::text::remove_words;

use super::student::TextStudent;
use crate::error::{Result, invalid_parameter};

/// Settings of [`deletion_check`]; see the module's table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DeletionParams {
    /// Words deleted per message.
    pub k: usize,
    /// Random deletions per message.
    pub draws: usize,
    /// Seed of the random deletions.
    pub seed: u64,
}

impl Default for DeletionParams {
    fn default() -> Self {
        Self { k: 3, draws: 5, seed: 0 }
    }
}

/// What the deletion test found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletionCheck {
    /// Words deleted per message.
    pub k: usize,
    /// Random deletions per message.
    pub draws: usize,
    /// Messages tested (more than `k` distinct words).
    pub n_messages: usize,
    /// Messages left out for having `k` distinct words or fewer.
    pub n_short: usize,
    /// Mean |Δ P(class 1)| of the teacher after deleting the top-`k` words.
    pub top_change: f64,
    /// Mean |Δ P(class 1)| after deleting `k` random words.
    pub random_change: f64,
    /// Share of messages whose top-`k` deletion moved the teacher more than their random ones
    /// did on average.
    pub top_wins: f64,
}

impl DeletionCheck {
    /// Whether deleting the top words moves the teacher more than deleting random ones, on
    /// average.
    pub fn holds(&self) -> bool {
        self.top_change > self.random_change
    }
}

/// Runs the deletion test of the module documentation on `texts` (held-out messages).
///
/// Errors: `k` or `draws` of 0, a teacher that is not binary, no message with more than `k`
/// distinct words, and the teacher's own errors.
pub fn deletion_check(
    student: &TextStudent,
    teacher: &mut dyn TextTeacher,
    texts: &[String],
    params: DeletionParams,
) -> Result<DeletionCheck> {
    if params.k == 0 || params.draws == 0 {
        return Err(invalid_parameter(
            "deletion",
            format!("k = {}, draws = {}; both must be at least 1", params.k, params.draws),
        ));
    }
    if teacher.task() != Task::Binary {
        return Err(invalid_parameter("teacher", "the deletion test needs a binary teacher"));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let (mut originals, mut top, mut random) = (Vec::new(), Vec::new(), Vec::new());
    let mut n_short = 0;
    let log_odds = student.log_odds(texts)?;
    for (text, &z) in texts.iter().zip(&log_odds) {
        let scores = student.word_scores(text);
        if scores.len() <= params.k {
            n_short += 1;
            continue;
        }
        let sign = if z >= 0.0 { 1.0 } else { -1.0 };
        let mut ranked: Vec<(String, f64)> = scores.into_iter().map(|(w, s)| (w, sign * s)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let vocabulary: Vec<String> = ranked.iter().map(|(w, _)| w.clone()).collect();
        let best: BTreeSet<String> = vocabulary.iter().take(params.k).cloned().collect();
        originals.push(text.clone());
        top.push(remove_words(text, &best));
        for _ in 0..params.draws {
            let drawn: BTreeSet<String> = vocabulary.choose_multiple(&mut rng, params.k).cloned().collect();
            random.push(remove_words(text, &drawn));
        }
    }
    let n = originals.len();
    if n == 0 {
        return Err(invalid_parameter(
            "deletion",
            format!("no message has more than {} distinct words; delete fewer words", params.k),
        ));
    }
    let p = |texts: &[String], teacher: &mut dyn TextTeacher| -> Result<Vec<f64>> {
        Ok(teacher.predict_texts(texts)?.column(1).to_vec())
    };
    let base = p(&originals, teacher)?;
    let after_top = p(&top, teacher)?;
    let after_random = p(&random, teacher)?;
    let (mut top_sum, mut random_sum, mut wins) = (0.0, 0.0, 0usize);
    for i in 0..n {
        let t = (after_top[i] - base[i]).abs();
        let r = after_random[i * params.draws..(i + 1) * params.draws]
            .iter()
            .map(|q| (q - base[i]).abs())
            .sum::<f64>()
            / params.draws as f64;
        top_sum += t;
        random_sum += r;
        wins += usize::from(t > r);
    }
    Ok(DeletionCheck {
        k: params.k,
        draws: params.draws,
        n_messages: n,
        n_short,
        top_change: top_sum / n as f64,
        random_change: random_sum / n as f64,
        top_wins: wins as f64 / n as f64,
    })
}
