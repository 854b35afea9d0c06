//! Explanations of a [`TextStudent`]: per message, the n-grams whose contributions `β_j x_j`
//! add up with the intercept to the student's log-odds (a local explanation), each word's share
//! of them, and the whole model as the n-grams pushing towards each class (a global one).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use kd_core::text::{Weighting, words};

use super::student::TextStudent;

/// One n-gram's part in a message's log-odds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The n-gram (or hashed column's name).
    pub term: String,
    /// Its value in the message's row (TF-IDF weight or count).
    pub value: f64,
    /// The model's weight.
    pub weight: f64,
    /// `weight · value`, on the log-odds of class 1.
    pub contribution: f64,
}

/// A message explained: `log_odds = intercept + Σ contributions` exactly (up to rounding).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The model's intercept.
    pub intercept: f64,
    /// The n-grams of the message with a non-zero weight, largest contribution in size first.
    pub terms: Vec<Contribution>,
    /// The student's log-odds of class 1 for the message.
    pub log_odds: f64,
}

impl TextStudent {
    /// The message's n-gram contributions to its log-odds of class 1.
    pub fn explain_text(&self, text: &str) -> Explanation {
        let row = self.vectorizer.row(text);
        let mut terms: Vec<Contribution> = self
            .model
            .contributions(&row)
            .into_iter()
            .map(|(j, contribution)| {
                let weight = self.model.weight(j);
                Contribution {
                    term: self.vectorizer.column_name(j),
                    value: contribution / weight,
                    weight,
                    contribution,
                }
            })
            .collect();
        terms.sort_by(|a, b| {
            b.contribution.abs().total_cmp(&a.contribution.abs()).then_with(|| a.term.cmp(&b.term))
        });
        let log_odds = self.model.intercept + terms.iter().map(|t| t.contribution).sum::<f64>();
        Explanation { intercept: self.model.intercept, terms, log_odds }
    }

    /// Each distinct word of the message with its share of the contributions: the
    /// contributions of the n-grams it is part of, an n-gram's divided equally among its
    /// words. The shares add up to the log-odds less the intercept. Sorted by share, largest
    /// towards class 1 first.
    pub fn word_scores(&self, text: &str) -> Vec<(String, f64)> {
        let tokens = words(text);
        let mut scores: BTreeMap<String, f64> = tokens.iter().map(|w| (w.clone(), 0.0)).collect();
        let range = self.vectorizer.params.ngram_range();
        let row = self.vectorizer.row(text);
        let value: BTreeMap<usize, f64> = self.model.contributions(&row).into_iter().collect();
        // Each column's contribution is shared by its occurrences in the message.
        let mut occurrences: BTreeMap<usize, Vec<&[String]>> = BTreeMap::new();
        for n in range.filter(|&n| n >= 1) {
            for gram in tokens.windows(n) {
                if let Some(j) = self.vectorizer.column_of(&gram.join(" "))
                    && value.contains_key(&j)
                {
                    occurrences.entry(j).or_default().push(gram);
                }
            }
        }
        for (j, grams) in occurrences {
            let share = value[&j] / grams.len() as f64;
            for gram in grams {
                for word in gram {
                    if let Some(s) = scores.get_mut(word) {
                        *s += share / gram.len() as f64;
                    }
                }
            }
        }
        let mut out: Vec<(String, f64)> = scores.into_iter().collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// The model in words: its size and penalty, then the `top` n-grams pushing towards each
    /// class with their weights.
    pub fn explain(&self, top: usize) -> String {
        let v = &self.vectorizer;
        let weighting = match v.params.weighting {
            Weighting::TfIdf => "TF-IDF",
            Weighting::Counts => "counts",
        };
        let columns = match v.params.hashing {
            Some(b) => format!("{b} hashed columns"),
            None => format!("{} n-grams", v.n_columns()),
        };
        let m = &self.model;
        let penalty = if m.params.l1_ratio >= 1.0 {
            "L1".to_owned()
        } else {
            format!("elastic net, α = {}", m.params.l1_ratio)
        };
        let mut out = format!(
            "sparse logistic student: {} non-zero weights over {columns} ({}-{}-grams, {weighting}), λ = {:.4e} ({penalty}), intercept {:.4}\n",
            self.n_terms(),
            v.params.ngrams.0,
            v.params.ngrams.1,
            m.lambda,
            m.intercept
        );
        let (positive, negative) = self.terms_by_class();
        for (class, terms) in [(&self.classes[1], positive), (&self.classes[0], negative)] {
            let _ = writeln!(out, "\nn-grams pushing towards {class} ({} in all):", terms.len());
            for t in terms.iter().take(top) {
                let _ = writeln!(out, "  {:<32} {:>+10.4}", t.term, t.weight);
            }
        }
        out
    }
}

impl Explanation {
    /// The explanation as a few lines of text: the log-odds and the `top` largest
    /// contributions.
    pub fn to_text(&self, top: usize) -> String {
        let mut out = format!("log-odds {:+.4} = intercept {:+.4}", self.log_odds, self.intercept);
        for t in self.terms.iter().take(top) {
            let _ = write!(out, " {:+.4} ({})", t.contribution, t.term);
        }
        if self.terms.len() > top {
            let rest: f64 = self.terms[top..].iter().map(|t| t.contribution).sum();
            let _ = write!(out, " {rest:+.4} (the other {})", self.terms.len() - top);
        }
        out
    }
}
