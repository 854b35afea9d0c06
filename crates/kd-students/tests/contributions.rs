//! The one explanation interface, checked once for every additive student: per-row term
//! contributions plus the intercept, through the student's response (identity, logit of its
//! class, softmax against class 0), give back its prediction exactly — linear, logistic,
//! multinomial (per class), boosted GAM, GA²M, spline GAM, WoE scorecard (either bad class) and
//! the quantile-bin scorecard of a logistic student (its own points-based probability).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::Task;
use kd_core::data::{Feature, FitTarget};
use kd_students::contributions::{Additive, Response};
use kd_students::linear::LinearParams;
use kd_students::scorecard::{ScorecardScaling, WoeParams};
use kd_students::spline::SplineGamParams;
use kd_students::{GamSettings, LogisticSettings, PointsTableParams, Student, StudentParams, fit_student};
use ndarray::{Array2, Axis};

fn x() -> Array2<f64> {
    Array2::from_shape_fn((90, 3), |(i, j)| (((i * 31 + j * 17) % 23) as f64 - 11.0) / 5.0)
}

fn teacher(task: Task, x: &Array2<f64>) -> Array2<f64> {
    let eta = |i: usize, c: usize| [0.0, 1.1 * x[[i, 0]] - 0.4 * x[[i, 2]], 0.7 * x[[i, 1]]][c];
    match task {
        Task::Regression => Array2::from_shape_fn((x.nrows(), 1), |(i, _)| eta(i, 1) + x[[i, 1]].cos()),
        _ => {
            let k = task.n_outputs();
            Array2::from_shape_fn((x.nrows(), k), |(i, c)| {
                eta(i, c).exp() / (0..k).map(|d| eta(i, d).exp()).sum::<f64>()
            })
        }
    }
}

#[test]
fn contributions_add_up_to_every_additive_students_prediction() {
    let x = x();
    let features: Vec<Feature> = ["a", "b", "c"].into_iter().map(Feature::numeric).collect();
    let names: Vec<String> = features.iter().map(|f| f.name.clone()).collect();
    let gam = |pairs| {
        StudentParams::Gam(GamSettings {
            pairs,
            interactions: pairs.then_some(2),
            outer_bags: Some(2),
            max_rounds: Some(500),
            ..GamSettings::default()
        })
    };
    let spline = StudentParams::Spline(SplineGamParams { n_splines: 8, ..SplineGamParams::default() });
    let points = PointsTableParams { bins: 6, scaling: ScorecardScaling::default() };
    let cases = [
        (StudentParams::Linear(LinearParams::default()), Task::Regression),
        (
            StudentParams::Logistic(LogisticSettings { points: Some(points), ..LogisticSettings::default() }),
            Task::Binary,
        ),
        (StudentParams::Logistic(LogisticSettings::default()), Task::Multiclass(3)),
        (gam(false), Task::Binary),
        (gam(true), Task::Regression),
        (spline.clone(), Task::Binary),
        (spline, Task::Regression),
        (StudentParams::Scorecard(WoeParams::default()), Task::Binary),
        (StudentParams::Scorecard(WoeParams { bad_class: 0, ..WoeParams::default() }), Task::Binary),
    ];
    let mut responses = Vec::new();
    for (params, task) in cases {
        let outputs = teacher(task, &x);
        let student =
            fit_student(&params, x.view(), &features, task, FitTarget::Teacher(outputs.view())).unwrap();
        let c = student.contributions(x.view(), &names).expect("an additive student").unwrap();
        assert_eq!(c.values.dim(), (90, c.intercept.len(), c.terms.len()), "{params:?}");
        let gap = (&c.prediction() - &student.predict(x.view()).unwrap())
            .mapv(f64::abs)
            .fold(0.0_f64, |a, &b| a.max(b));
        assert!(gap < 1e-12, "{:?} on {task:?}: contributions miss the prediction by {gap}", params.kind());
        responses.push(c.response);
        if let Student::Logistic(model) = &student
            && let Some(card) = &model.scorecard
        {
            let c = card.contributions(x.view(), &names).unwrap();
            let own = card.predict_proba(x.view(), &names);
            let gap = (&c.prediction().column(1) - &own).mapv(f64::abs).fold(0.0_f64, |a, &b| a.max(b));
            assert!(gap < 1e-12, "the quantile-bin card's points give its own P(bad) (gap {gap})");
            let score = card.base_points + card.points(x.view(), &names).sum_axis(Axis(1));
            assert_eq!(score[0], card.score(&x.row(0).to_vec(), &names));
        }
    }
    assert!(responses.contains(&Response::Softmax) && responses.contains(&Response::Logit { class: 0 }));
    let tree = fit_student(
        &StudentParams::Tree(kd_students::tree::TreeParams::default()),
        x.view(),
        &features,
        Task::Regression,
        FitTarget::Teacher(teacher(Task::Regression, &x).view()),
    )
    .unwrap();
    assert!(tree.contributions(x.view(), &names).is_none(), "a tree is not additive");
}
