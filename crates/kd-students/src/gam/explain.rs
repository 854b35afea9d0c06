//! The boosted GAM in words and tables: terms by importance, and each term's scores per bin with
//! a band of ±1.96 bag standard deviations (also as a curve to draw); and the consistency check
//! of a loaded model.

use std::fmt::Write as _;

use kd_core::plot::Curve;
use serde::Serialize;

use super::model::{BoostedGam, Term};
use crate::error::{Error, Result};
use crate::link::Link;

/// One bin of a main term's shape function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShapeRow {
    /// Exclusive lower edge (`None`: −∞).
    pub lower: Option<f64>,
    /// Inclusive upper edge (`None`: +∞).
    pub upper: Option<f64>,
    /// Score on the link scale.
    pub score: f64,
    /// `score − 1.96·sd` over the bags.
    pub band_lower: f64,
    /// `score + 1.96·sd`.
    pub band_upper: f64,
    /// Training rows in the bin.
    pub count: usize,
    /// Whether this is the missing-value bin (its edges then `None`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
}

impl Term {
    /// A main term's shape function as a table, one row per bin, the missing-value bin last
    /// (empty for a pair term).
    pub fn shape_table(&self) -> Vec<ShapeRow> {
        if self.features.len() != 1 {
            return Vec::new();
        }
        let edges = &self.edges[0];
        let values = self.value_bins(0);
        (0..self.scores.len())
            .map(|b| ShapeRow {
                lower: b.checked_sub(1).and_then(|e| edges.get(e).copied()).filter(|_| b < values),
                upper: edges.get(b).copied(),
                score: self.scores[b],
                band_lower: self.scores[b] - 1.96 * self.standard_deviations[b],
                band_upper: self.scores[b] + 1.96 * self.standard_deviations[b],
                count: self.counts[b],
                missing: b >= values,
            })
            .collect()
    }

    /// The x position of each bin of values of a main term (not of its missing-value bin),
    /// for drawing its shape: the midpoint of the
    /// bin's edges, the outer bins half a neighbouring gap beyond the outer edges (half a unit
    /// when there is one edge), so that no two bins share a position.
    pub fn bin_positions(&self) -> Vec<f64> {
        let Some(edges) = self.edges.first() else { return vec![0.0] };
        let k = edges.len();
        if k == 0 {
            return vec![0.0];
        }
        let gap = |a: usize, b: usize| if k > 1 { (edges[b] - edges[a]) / 2.0 } else { 0.5 };
        (0..=k)
            .map(|b| match b {
                0 => edges[0] - gap(0, 1),
                b if b == k => edges[k - 1] + gap(k.saturating_sub(2), k - 1),
                b => (edges[b - 1] + edges[b]) / 2.0,
            })
            .collect()
    }

    /// A main term's scores and ±1.96 sd band over the bins of values that hold training rows,
    /// at [`bin_positions`](Self::bin_positions), as a curve labelled `label` (a missing-value
    /// bin has no place on the axis; its score is in the text).
    pub fn curve(&self, label: &str) -> Curve {
        let x = self.bin_positions();
        let rows: Vec<usize> = (0..x.len()).filter(|&b| self.counts.get(b).is_some_and(|&c| c > 0)).collect();
        Curve {
            label: label.to_owned(),
            points: rows.iter().map(|&b| (x[b], self.scores[b])).collect(),
            band: rows
                .iter()
                .map(|&b| {
                    let sd = 1.96 * self.standard_deviations[b];
                    (x[b], self.scores[b] - sd, self.scores[b] + sd)
                })
                .collect(),
        }
    }

    /// The term's name: the feature, or `a × b`.
    pub fn name(&self, names: &[String]) -> String {
        let name = |f: usize| names.get(f).cloned().unwrap_or_else(|| format!("feature_{f}"));
        self.features.iter().map(|&f| name(f)).collect::<Vec<_>>().join(" × ")
    }
}

impl BoostedGam {
    /// Terms by importance, then every main term's shape table.
    pub fn explain(&self, names: &[String]) -> String {
        let scale = match self.link {
            Link::Identity => "the prediction",
            Link::Logit => "the log-odds of class 1",
        };
        let mut out = format!("boosted GAM on {scale}: intercept {:.6}\n\n", self.intercept);
        let mut order: Vec<usize> = (0..self.terms.len()).collect();
        order.sort_by(|&a, &b| self.terms[b].importance().total_cmp(&self.terms[a].importance()));
        let _ = writeln!(out, "{:<40} {:>12}", "term", "importance");
        for &t in &order {
            let _ = writeln!(out, "{:<40} {:>12.6}", self.terms[t].name(names), self.terms[t].importance());
        }
        for &t in &order {
            let term = &self.terms[t];
            if term.features.len() != 1 {
                continue;
            }
            let _ = writeln!(out, "\n{} (score, 95% band over bags, rows)", term.name(names));
            for row in term.shape_table().iter().filter(|r| r.count > 0) {
                let bound = |b: Option<f64>, open: &str| b.map_or(open.to_owned(), |v| format!("{v:.4}"));
                let range = if row.missing {
                    "missing".to_owned()
                } else {
                    format!("({}, {}]", bound(row.lower, "-inf"), bound(row.upper, "+inf"))
                };
                let _ = writeln!(
                    out,
                    "  {range:<28} {:>10.4}  [{:>8.4}, {:>8.4}]  {:>6}",
                    row.score, row.band_lower, row.band_upper, row.count
                );
            }
        }
        out
    }

    /// Checks a model read from a file: term features within range, tables of the size their
    /// edges imply, finite scores.
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: String| Error::Load(format!("the GAM is inconsistent: {reason}"));
        if !self.intercept.is_finite() {
            return Err(bad("its intercept is not finite".into()));
        }
        for (t, term) in self.terms.iter().enumerate() {
            let cells: usize = (0..term.edges.len()).map(|k| term.n_bins(k)).product();
            let sizes_ok = (1..=2).contains(&term.features.len())
                && term.edges.len() == term.features.len()
                && (term.missing.is_empty() || term.missing.len() == term.features.len())
                && term.scores.len() == cells
                && term.standard_deviations.len() == cells
                && term.counts.len() == cells;
            if !sizes_ok || term.features.iter().any(|&f| f >= self.n_features) {
                return Err(bad(format!("term {t} does not fit its features and bins")));
            }
            if term.scores.iter().any(|s| !s.is_finite()) {
                return Err(bad(format!("term {t} has a score that is not finite")));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Term;

    fn main_term(edges: Vec<f64>) -> Term {
        let n = edges.len() + 1;
        Term {
            features: vec![0],
            edges: vec![edges],
            scores: vec![0.0; n],
            standard_deviations: vec![0.0; n],
            counts: vec![1; n],
            missing: Vec::new(),
        }
    }

    #[test]
    fn every_bin_has_a_position_of_its_own() {
        // One edge (a feature with two values): half a unit either side.
        assert_eq!(main_term(vec![1.5]).bin_positions(), [1.0, 2.0]);
        // Inner bins at their midpoints, outer ones half a neighbouring gap out.
        assert_eq!(main_term(vec![1.0, 3.0, 4.0]).bin_positions(), [0.0, 2.0, 3.5, 4.5]);
        assert_eq!(main_term(Vec::new()).bin_positions(), [0.0]);
    }
}
