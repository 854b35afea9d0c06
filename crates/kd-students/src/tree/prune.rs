//! Minimal cost-complexity pruning (Breiman et al. 1984, ch. 3), as scikit-learn's `ccp_alpha`.
//!
//! With `R(t) = (n_t / N) · impurity(t)`, the weakest link is the internal node of smallest
//! `α(t) = (R(t) − R(T_t)) / (|leaves(T_t)| − 1)`, `T_t` the subtree below `t`; it is made a
//! leaf, and again, while the smallest `α` is at most `ccp_alpha`.

use super::grow::{Node, Tree};

impl Tree {
    /// The tree pruned at complexity `ccp_alpha` (the tree itself when `ccp_alpha` is 0).
    pub fn pruned(&self, ccp_alpha: f64) -> Tree {
        let total = self.nodes[0].n_samples as f64;
        let risk: Vec<f64> = self.nodes.iter().map(|n| n.n_samples as f64 / total * n.impurity).collect();
        let mut is_leaf: Vec<bool> = self.nodes.iter().map(|n| n.split.is_none()).collect();
        loop {
            // Subtree risk and leaf count of every node, children before parents.
            let (mut branch_risk, mut leaves) = (risk.clone(), vec![1usize; self.nodes.len()]);
            for i in self.post_order(&is_leaf) {
                if let (false, Some((_, _, l, r))) = (is_leaf[i], self.nodes[i].split) {
                    branch_risk[i] = branch_risk[l] + branch_risk[r];
                    leaves[i] = leaves[l] + leaves[r];
                }
            }
            let weakest = self
                .post_order(&is_leaf)
                .into_iter()
                .filter(|&i| !is_leaf[i])
                .map(|i| (i, (risk[i] - branch_risk[i]) / (leaves[i] - 1) as f64))
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            match weakest {
                Some((i, alpha)) if alpha <= ccp_alpha => is_leaf[i] = true,
                _ => break,
            }
        }
        self.keep(&is_leaf)
    }

    /// Nodes reachable from the root without descending below a leaf, children first.
    fn post_order(&self, is_leaf: &[bool]) -> Vec<usize> {
        let mut order = Vec::new();
        let mut stack = vec![(0usize, false)];
        while let Some((i, expanded)) = stack.pop() {
            match (expanded, is_leaf[i], self.nodes[i].split) {
                (false, false, Some((_, _, l, r))) => {
                    stack.push((i, true));
                    stack.push((r, false));
                    stack.push((l, false));
                }
                _ => order.push(i),
            }
        }
        order
    }

    /// A copy holding only the nodes above and at the `is_leaf` frontier, renumbered.
    fn keep(&self, is_leaf: &[bool]) -> Tree {
        let mut nodes: Vec<Node> = Vec::new();
        let mut stack = vec![(0usize, None::<(usize, bool)>)];
        while let Some((i, parent)) = stack.pop() {
            let id = nodes.len();
            let mut node = self.nodes[i].clone();
            if is_leaf[i] {
                node.split = None;
                node.levels = None;
                node.missing_left = None;
            }
            let children = node.split.map(|(_, _, l, r)| (l, r));
            nodes.push(node);
            if let Some((p, left)) = parent
                && let Some((f, t, l, r)) = nodes[p].split
            {
                nodes[p].split = Some(if left { (f, t, id, r) } else { (f, t, l, id) });
            }
            if let Some((l, r)) = children {
                stack.push((r, Some((id, false))));
                stack.push((l, Some((id, true))));
            }
        }
        Tree { params: self.params, nodes, n_features: self.n_features, levels: self.levels.clone() }
    }
}
