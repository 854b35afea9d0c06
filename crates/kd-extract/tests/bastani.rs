//! Bastani extraction against in-process teachers whose truth is known.

use kd_core::Task;
use kd_core::teacher::{FnTeacher, Teacher};
use kd_extract::Oracle;
use kd_extract::bastani::{BastaniParams, extract};
use kd_extract::fidelity::class_fidelity;
use kd_extract::input::FeatureKind;
use kd_students::tree::{Tree, TreeParams, TreeTarget};
use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Class 1 when `x0 > 1` and `x1 ≤ 0`: a three-leaf tree.
fn rule(x: ArrayView2<'_, f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), 2), |(i, k)| {
        let one = x[[i, 0]] > 1.0 && x[[i, 1]] <= 0.0;
        f64::from(u8::from(one == (k == 1)))
    })
}

fn rule_teacher() -> impl Teacher {
    FnTeacher::new("rule", Task::Binary, 3, |x: ArrayView2<'_, f64>| Ok(rule(x)))
}

fn gaussian_rows(n: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, 3), |_| (0..12).map(|_| rng.r#gen::<f64>()).sum::<f64>() - 6.0)
}

fn classes(p: &Array2<f64>) -> Vec<usize> {
    kd_core::metrics::argmax(p.view())
}

#[test]
fn recovers_a_planted_rule_from_few_rows() {
    let x = gaussian_rows(40, 1);
    let mut teacher = rule_teacher();
    let mut oracle = Oracle::new(&mut teacher).unwrap();
    let params = BastaniParams { max_leaves: 3, samples_per_node: 500, ..BastaniParams::default() };
    let found = extract(&params, x.view(), &[FeatureKind::Numeric; 3], &mut oracle).unwrap();
    assert_eq!(found.tree.n_leaves(), 3);
    assert!(found.n_queries >= 500 && found.n_queries == oracle.queries());
    assert_eq!(found.tree.nodes[0].n_samples, 40, "node counts are the validator's rows");
    let test = gaussian_rows(5000, 2);
    let fidelity =
        class_fidelity(&classes(&found.tree.predict(test.view()).unwrap()), &classes(&rule(test.view())), 0)
            .unwrap();
    assert!(fidelity.value > 0.99, "{fidelity:?}");
    assert!(fidelity.ci.0 <= fidelity.value && fidelity.value <= fidelity.ci.1);
}

#[test]
fn beats_a_born_again_tree_of_the_same_size_when_rows_are_few() {
    // A teacher with a diagonal boundary: trees need many leaves, and 30 rows are too few for
    // a born-again tree to place them.
    let diagonal = |x: ArrayView2<'_, f64>| {
        Array2::from_shape_fn((x.nrows(), 2), |(i, k)| {
            let one = x[[i, 0]] + 0.8 * x[[i, 1]] - 0.5 * x[[i, 2]] > 0.3;
            f64::from(u8::from(one == (k == 1)))
        })
    };
    let mut teacher =
        FnTeacher::new("diagonal", Task::Binary, 3, move |x: ArrayView2<'_, f64>| Ok(diagonal(x)));
    let (mut ours, mut born_again) = (0.0, 0.0);
    let test = gaussian_rows(4000, 99);
    let truth = classes(&diagonal(test.view()));
    for seed in 0..3 {
        let x = gaussian_rows(30, 10 + seed);
        let mut oracle = Oracle::new(&mut teacher).unwrap();
        let params = BastaniParams { max_leaves: 8, samples_per_node: 400, seed, ..BastaniParams::default() };
        let found = extract(&params, x.view(), &[FeatureKind::Numeric; 3], &mut oracle).unwrap();
        ours += class_fidelity(&classes(&found.tree.predict(test.view()).unwrap()), &truth, 0).unwrap().value;
        let labels = classes(&diagonal(x.view()));
        let cart = Tree::fit(
            &TreeParams::default().max_leaves(8),
            x.view(),
            TreeTarget::Classes { y: &labels, n_classes: 2 },
        )
        .unwrap();
        born_again += class_fidelity(&classes(&cart.predict(test.view()).unwrap()), &truth, 0).unwrap().value;
    }
    assert!(ours > born_again + 0.03, "Bastani {ours:.3} vs born-again {born_again:.3} (sums over 3 seeds)");
}

#[test]
fn is_deterministic_for_a_seed_and_respects_the_budget() {
    let x = gaussian_rows(60, 4);
    let run = |seed| {
        let mut teacher = rule_teacher();
        let mut oracle = Oracle::new(&mut teacher).unwrap();
        let params = BastaniParams { max_leaves: 6, samples_per_node: 200, seed, ..BastaniParams::default() };
        extract(&params, x.view(), &[FeatureKind::Numeric; 3], &mut oracle).unwrap().tree
    };
    let (a, b) = (run(7), run(7));
    assert_eq!(a, b);
    assert!(a.n_leaves() <= 6);
}

#[test]
fn extracts_regression_teachers_and_refuses_bad_parameters() {
    let x = gaussian_rows(50, 5);
    let mut teacher = FnTeacher::new("step", Task::Regression, 3, |x: ArrayView2<'_, f64>| {
        Ok(Array2::from_shape_fn((x.nrows(), 1), |(i, _)| if x[[i, 2]] > 0.5 { 3.0 } else { -1.0 }))
    });
    let mut oracle = Oracle::new(&mut teacher).unwrap();
    let params = BastaniParams { max_leaves: 2, samples_per_node: 300, ..BastaniParams::default() };
    let found = extract(&params, x.view(), &[FeatureKind::Numeric; 3], &mut oracle).unwrap();
    let (f, t, _, _) = found.tree.nodes[0].split.unwrap();
    assert_eq!(f, 2);
    assert!((t - 0.5).abs() < 0.05, "threshold {t}");
    for (bad, name) in [
        (BastaniParams { max_leaves: 1, ..params }, "max_leaves"),
        (BastaniParams { samples_per_node: 0, ..params }, "samples_per_node"),
    ] {
        let err = extract(&bad, x.view(), &[FeatureKind::Numeric; 3], &mut oracle).unwrap_err().to_string();
        assert!(err.contains(name), "{err}");
    }
}
