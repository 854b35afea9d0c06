//! A fitted tree drawn left to right: one column per depth, one row per leaf; each box says
//! the condition that leads to it (level sets for categorical features), its value and rows;
//! leaves are coloured by their value from green (lowest) to red (highest).

use kd_students::tree::{PRESENT_LEFT, Tree};
use maud::{Markup, html};

use super::chart::short;
use super::number;

const BOX_W: f64 = 212.0;
const BOX_H: f64 = 38.0;
const COL: f64 = 246.0;
const ROW: f64 = 48.0;

/// The features' names and levels, to word the splits.
pub struct Names<'a> {
    /// Feature names.
    pub features: &'a [String],
    /// Levels of categorical features.
    pub levels: &'a [Option<Vec<String>>],
}

struct Placed {
    x: f64,
    y: f64,
}

fn place(tree: &Tree, node: usize, next_leaf: &mut f64, out: &mut Vec<Option<Placed>>) -> f64 {
    let n = &tree.nodes[node];
    let y = match n.split {
        Some((_, _, l, r)) => {
            let a = place(tree, l, next_leaf, out);
            let b = place(tree, r, next_leaf, out);
            (a + b) / 2.0
        }
        None => {
            let y = *next_leaf * ROW + 10.0;
            *next_leaf += 1.0;
            y
        }
    };
    out[node] = Some(Placed { x: 10.0 + n.depth as f64 * COL, y });
    y
}

/// A node's label, `feature condition`, cut to its box (29 characters of 12-pixel bold): a short condition
/// (a threshold, `is missing`) is kept whole and the feature's name cut; a long level set is
/// cut, keeping a closing "or missing" in view.
fn label(feature: &str, condition: &str) -> String {
    const WIDTH: usize = 29;
    const MISSING: &str = " or missing";
    let full = format!("{feature} {condition}");
    let room = WIDTH.saturating_sub(condition.chars().count() + 1);
    match condition.strip_suffix(MISSING) {
        _ if full.chars().count() <= WIDTH => full,
        _ if room >= 8 => format!("{} {condition}", short(feature, room)),
        Some(base) => short(&format!("{feature} {base}"), WIDTH - MISSING.len()) + MISSING,
        None => short(&full, WIDTH),
    }
}

/// The conditions of the left and right edges of split node `node`.
fn conditions(tree: &Tree, node: usize, names: &Names<'_>) -> (String, String) {
    let n = &tree.nodes[node];
    let Some((f, t, _, _)) = n.split else { return (String::new(), String::new()) };
    let levels =
        tree.levels.get(f).and_then(Option::as_ref).or_else(|| names.levels.get(f).and_then(Option::as_ref));
    let set = |codes: &[usize]| {
        let l =
            levels.map(|l| codes.iter().filter_map(|&c| l.get(c).cloned()).collect::<Vec<_>>().join(", "));
        format!("{{{}}}", l.unwrap_or_default())
    };
    // Missing values join the side the fit sent them to.
    let holes = |left: bool| if n.missing_left == Some(left) { " or missing" } else { "" };
    let (l, r) = match (&n.levels, levels) {
        _ if t == PRESENT_LEFT => return ("present".into(), "missing".into()),
        (Some(split), _) => (format!("∈ {}", set(&split.left)), format!("∈ {}", set(&split.right))),
        (None, Some(l)) => {
            // A threshold on level codes (a Bastani tree): the levels at or below it go left.
            let left: Vec<usize> = (0..l.len()).filter(|&c| c as f64 <= t).collect();
            let right: Vec<usize> = (0..l.len()).filter(|&c| c as f64 > t).collect();
            (format!("∈ {}", set(&left)), format!("∈ {}", set(&right)))
        }
        (None, None) => (format!("≤ {}", number(t)), format!("> {}", number(t))),
    };
    (l + holes(true), r + holes(false))
}

fn colour(v: f64, lo: f64, hi: f64) -> String {
    let t = if hi > lo { ((v - lo) / (hi - lo)).clamp(0.0, 1.0) } else { 0.5 };
    // From a pale green to a pale red through a pale yellow.
    let (r, g, b) = if t < 0.5 {
        let u = t * 2.0;
        (200.0 + 55.0 * u, 230.0, 201.0 - 30.0 * u)
    } else {
        let u = (t - 0.5) * 2.0;
        (255.0, 230.0 - 80.0 * u, 171.0 - 20.0 * u)
    };
    format!("rgb({r:.0},{g:.0},{b:.0})")
}

/// The tree as an inline `<svg>`; `value` reads a node's figure, `what` names it.
pub fn tree_svg(tree: &Tree, names: &Names<'_>, what: &str, value: &dyn Fn(&[f64]) -> f64) -> Markup {
    let mut placed: Vec<Option<Placed>> = (0..tree.nodes.len()).map(|_| None).collect();
    let mut leaves = 0.0;
    if !tree.nodes.is_empty() {
        place(tree, 0, &mut leaves, &mut placed);
    }
    // The condition that leads to each node, in full and cut to its box.
    let mut reached: Vec<String> = vec!["all rows".to_owned(); tree.nodes.len()];
    let mut labels = reached.clone();
    for (i, n) in tree.nodes.iter().enumerate() {
        if let Some((f, _, l, r)) = n.split {
            let (yes, no) = conditions(tree, i, names);
            let feature = names.features.get(f).cloned().unwrap_or_else(|| format!("feature {f}"));
            for (child, condition) in [(l, yes), (r, no)] {
                reached[child] = format!("{feature} {condition}");
                labels[child] = label(&feature, &condition);
            }
        }
    }
    let values: Vec<f64> = tree.nodes.iter().filter(|n| n.split.is_none()).map(|n| value(&n.value)).collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let depth = tree.nodes.iter().map(|n| n.depth).max().unwrap_or(0) as f64;
    let (w, h) = (20.0 + depth * COL + BOX_W, 20.0 + leaves * ROW);
    html! {
        figure.chart.tree {
            svg viewBox=(format!("0 0 {w} {h}")) role="img" aria-label="the distilled tree" {
                title { "Tree: each box is the condition that leads to it, " (what) " and rows" }
                @for (i, n) in tree.nodes.iter().enumerate() {
                    @if let (Some((_, _, l, r)), Some(p)) = (n.split, &placed[i]) {
                        @for child in [l, r] {
                            @if let Some(c) = &placed[child] {
                                @let (x1, y1, x2, y2) = (p.x + BOX_W, p.y + BOX_H / 2.0, c.x, c.y + BOX_H / 2.0);
                                path d=(format!("M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}", x1 + 16.0, x2 - 16.0))
                                    fill="none" stroke="#9aa0a8" {}
                            }
                        }
                    }
                }
                @for (i, n) in tree.nodes.iter().enumerate() {
                    @if let Some(p) = &placed[i] {
                        @let v = value(&n.value);
                        @let leaf = n.split.is_none();
                        g {
                            title { (reached[i]) "; " (what) " " (number(v)) ", " (n.n_samples) " rows" }
                            rect x=(p.x) y=(p.y) width=(BOX_W) height=(BOX_H) rx="4"
                                fill=(if leaf { colour(v, lo, hi) } else { "#f4f5f7".to_owned() }) stroke="#9aa0a8" {}
                            text x=(p.x + 7.0) y=(p.y + 15.0) class="node" { (labels[i]) }
                            text x=(p.x + 7.0) y=(p.y + 30.0) class="tick" { (what) " " (number(v)) " · " (number(n.n_samples as f64)) " rows" }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn labels_keep_thresholds_and_missing_values_in_view() {
        assert_eq!(label("age", "≤ 30"), "age ≤ 30");
        // A threshold stays whole; the feature's name is cut.
        assert_eq!(label("duration_in_month", "≤ 16.5 or missing"), "duration_i… ≤ 16.5 or missing");
        // A long level set is cut, its closing "or missing" kept.
        let long = label("status", "∈ {no checking account, 0 <= ... < 200 DM} or missing");
        assert!(long.ends_with("… or missing") && long.chars().count() == 29, "{long}");
        assert_eq!(label("purpose", "∈ {car (new), education, retraining}").chars().count(), 29);
    }
}
