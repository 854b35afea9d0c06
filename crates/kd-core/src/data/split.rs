//! Seeded train/test splits. The generator is ChaCha8 from `rand_chacha`, whose stream is fixed
//! across platforms and versions, so a seed names the same split everywhere.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::{Error, Result, error::invalid_parameter};

/// Row indices of a train/test split, each sorted ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Training rows.
    pub train: Vec<usize>,
    /// Test rows.
    pub test: Vec<usize>,
}

/// Splits `n` rows, putting `round(test_fraction · n)` of them in the test part.
///
/// With `classes` (one class index per row) the split is stratified: each class contributes
/// `round(test_fraction · n_c)` rows to the test part, so class shares agree in both parts.
/// Errors unless `0 < test_fraction < 1` and both parts are non-empty.
pub fn train_test_split(n: usize, test_fraction: f64, seed: u64, classes: Option<&[usize]>) -> Result<Split> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(invalid_parameter(
            "test fraction",
            format!("{test_fraction} is not strictly between 0 and 1"),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut test = Vec::new();
    let mut train = Vec::new();
    let groups: Vec<Vec<usize>> = match classes {
        None => vec![(0..n).collect()],
        Some(y) => {
            crate::error::ensure_same_len("stratified split (class labels)", n, y.len())?;
            let k = y.iter().max().map_or(0, |&m| m + 1);
            let mut groups = vec![Vec::new(); k];
            for (row, &class) in y.iter().enumerate() {
                groups[class].push(row);
            }
            groups
        }
    };
    for mut group in groups {
        group.shuffle(&mut rng);
        let n_test = (test_fraction * group.len() as f64).round() as usize;
        test.extend_from_slice(&group[..n_test]);
        train.extend_from_slice(&group[n_test..]);
    }
    if train.is_empty() || test.is_empty() {
        return Err(Error::TooFewRows {
            what: format!("a train/test split with test fraction {test_fraction}"),
            needed: 2,
            found: n,
        });
    }
    train.sort_unstable();
    test.sort_unstable();
    Ok(Split { train, test })
}
