//! Literal pruning of the m-of-n test a beam search found (after Craven 1996, ch. 4, which
//! prunes the chosen test's literals once the search ends).
//!
//! Literals added early can become redundant once later ones are in. Repeatedly, every literal
//! is tried out of the test, keeping `m` or lowering it by one (`m of {L \ l}` or
//! `m−1 of {L \ l}`, with `1 ≤ m' ≤ n − 1`); the best such test replaces the current one when
//! it loses less than `step` bits of information gain (the same significance step that admits
//! a literal during the search, so a literal stays only when it is worth its place), and does
//! not fall below the gain of the best single literal (which would then be the better test).

use super::mofn::MofN;
use super::search::{Examples, Scored, gain_of};

/// `best` with the literals removed whose removal costs less than `step` bits, keeping at
/// least `floor` bits of gain.
pub(super) fn prune_literals(ex: &Examples<'_>, mut best: Scored, step: f64, floor: f64) -> Scored {
    loop {
        let n = best.test.n();
        if n < 2 {
            return best;
        }
        let mut candidate: Option<Scored> = None;
        for i in 0..n {
            let literal = best.test.literals[i];
            let counts: Vec<usize> = best
                .counts
                .iter()
                .enumerate()
                .map(|(r, &c)| c - usize::from(literal.holds_for(ex.x[[r, literal.feature]])))
                .collect();
            for m in [best.test.m, best.test.m.saturating_sub(1)] {
                if m == 0 || m > n - 1 {
                    continue;
                }
                let gain = gain_of(ex, &counts, m);
                if candidate.as_ref().is_none_or(|c| gain > c.gain) {
                    let mut literals = best.test.literals.clone();
                    literals.remove(i);
                    candidate = Some(Scored { test: MofN { m, literals }, gain, counts: counts.clone() });
                }
            }
        }
        match candidate {
            Some(c) if best.gain - c.gain < step && c.gain >= floor => best = c,
            _ => return best,
        }
    }
}
