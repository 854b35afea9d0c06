//! The conformance battery every student passes (scikit-learn's `check_estimator`, linfa's
//! autotraits test), each fitted through the one entry point `fit_student` on a binary, a
//! multiclass and a regression task: deterministic refits, output shapes, probabilities that
//! sum to 1, named errors on mismatched or non-finite input, `Send + Sync`, a JSON round trip
//! through `SavedStudent` that keeps predictions and refuses unknown versions, and the
//! registry's refusals (tasks a kind does not fit, categorical features for numeric students).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::Task;
use kd_core::data::{Feature, FitTarget};
use kd_students::linear::{LinearParams, LogisticParams};
use kd_students::scorecard::{ScorecardScaling, WoeParams};
use kd_students::spline::SplineGamParams;
use kd_students::tree::{CategoricalSplits, TreeParams};
use kd_students::{
    Error, GamSettings, LogisticSettings, PointsTableParams, SavedStudent, Student, StudentKind,
    StudentOptions, StudentParams, fit_student,
};
use ndarray::{Array1, Array2};

/// The tasks the battery knows.
const TASKS: [Task; 3] = [Task::Binary, Task::Multiclass(3), Task::Regression];

/// 120 rows, 3 features.
fn x() -> Array2<f64> {
    Array2::from_shape_fn((120, 3), |(i, j)| (((i * 37 + j * 11) % 29) as f64 - 14.0) / 7.0)
}

fn features() -> Vec<Feature> {
    (0..3).map(|j| Feature::numeric(format!("x{j}"))).collect()
}

/// A teacher's outputs for `task` on [`x`]: `P(class 1)` of a logistic score, three softmax
/// probabilities, or a smooth value.
fn teacher(task: Task) -> Array2<f64> {
    let x = x();
    match task {
        Task::Binary => Array2::from_shape_fn((120, 2), |(i, c)| {
            let p = 1.0 / (1.0 + (-(1.2 * x[[i, 0]] - 0.7 * x[[i, 1]])).exp());
            if c == 1 { p } else { 1.0 - p }
        }),
        Task::Multiclass(k) => Array2::from_shape_fn((120, k), |(i, c)| {
            let eta = |c: usize| [0.0, 0.9 * x[[i, 0]], -0.6 * x[[i, 1]] + 0.3 * x[[i, 2]]][c];
            eta(c).exp() / (0..k).map(|d| eta(d).exp()).sum::<f64>()
        }),
        Task::Regression => x
            .rows()
            .into_iter()
            .map(|r| r[0].sin() + 0.5 * r[1] - 0.2 * r[2] * r[2])
            .collect::<Array1<f64>>()
            .insert_axis(ndarray::Axis(1)),
    }
}

fn gam(pairs: bool) -> StudentParams {
    StudentParams::Gam(GamSettings {
        pairs,
        interactions: pairs.then_some(1),
        outer_bags: Some(2),
        learning_rate: Some(0.05),
        max_rounds: Some(2000),
        seed: 3,
        ..GamSettings::default()
    })
}

/// Every student kd has, under the parameters it is checked with (chosen to keep the battery
/// quick, and a kind with none at its defaults); each is checked on every task its kind fits.
fn cases() -> Vec<(String, StudentParams)> {
    let spline = StudentParams::Spline(SplineGamParams { n_splines: 10, ..SplineGamParams::default() });
    let points = PointsTableParams { bins: 5, scaling: ScorecardScaling::default() };
    let mut cases: Vec<(String, StudentParams)> = [
        ("tree", StudentParams::Tree(TreeParams::default().max_leaves(8))),
        ("logistic", StudentParams::Logistic(LogisticSettings::default())),
        (
            "logistic with points",
            StudentParams::Logistic(LogisticSettings {
                logistic: LogisticParams::default(),
                points: Some(points),
            }),
        ),
        ("linear", StudentParams::Linear(LinearParams { l2: 0.5 })),
        ("gam", gam(false)),
        ("gam2", gam(true)),
        ("spline", spline),
        ("scorecard", StudentParams::Scorecard(WoeParams::default())),
        (
            "scorecard, bad class 0",
            StudentParams::Scorecard(WoeParams { bad_class: 0, ..WoeParams::default() }),
        ),
    ]
    .into_iter()
    .map(|(name, params)| (name.to_owned(), params))
    .collect();
    for kind in StudentKind::ALL {
        if !cases.iter().any(|(_, params)| params.kind() == kind) {
            cases.push((format!("{kind} at its defaults"), kind.default_params().unwrap()));
        }
    }
    cases
}

/// The tasks `params` fits: those its kind supports and its parameters allow.
fn tasks(params: &StudentParams) -> Vec<Task> {
    TASKS
        .into_iter()
        .filter(|&task| params.kind().supports(task) && params.check_task(task).is_ok())
        .collect()
}

fn saved(student: Student, task: Task) -> SavedStudent {
    SavedStudent {
        format: "kd-student".into(),
        version: kd_students::FORMAT_VERSION,
        task: task.name().into(),
        target: "y".into(),
        features: (0..3).map(|j| format!("x{j}")).collect(),
        levels: vec![None; 3],
        classes: task.is_classification().then(|| (0..task.n_outputs()).map(|c| c.to_string()).collect()),
        teacher: Some("column:p".into()),
        ranges: Vec::new(),
        student,
    }
}

#[test]
fn every_student_conforms_on_every_task_it_fits() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Student>();
    send_sync::<SavedStudent>();
    let (x, features) = (x(), features());
    let mut fitted = Vec::new();
    for (name, params) in cases() {
        assert!(!tasks(&params).is_empty(), "{name} is checked on a task");
        for task in tasks(&params) {
            let outputs = teacher(task);
            let fit = || {
                fit_student(&params, x.view(), &features, task, FitTarget::Teacher(outputs.view())).unwrap()
            };
            let (a, b) = (fit(), fit());
            assert_eq!(a, b, "{name} ({task:?}): a refit with the same data and seed is identical");
            let out = a.predict(x.view()).unwrap();
            assert_eq!(
                out.dim(),
                (120, task.n_outputs()),
                "{name} ({task:?}): one row of outputs per input row"
            );
            if task.is_classification() {
                for row in out.rows() {
                    assert!(
                        row.iter().all(|&v| (0.0..=1.0).contains(&v)) && (row.sum() - 1.0).abs() < 1e-9,
                        "{name}"
                    );
                }
            }
            let narrow = x.slice(ndarray::s![.., ..2]).to_owned();
            assert!(
                matches!(a.predict(narrow.view()), Err(Error::ShapeMismatch { .. })),
                "{name}: wrong width"
            );
            let mut bad = x.clone();
            bad[[4, 2]] = f64::INFINITY;
            assert!(
                matches!(a.predict(bad.view()), Err(Error::InvalidInput { row: 4, column: 2, .. })),
                "{name} ({task:?}): infinity"
            );

            let text = saved(a.clone(), task).to_json().unwrap();
            let back = SavedStudent::from_json(&text).unwrap();
            assert_eq!(back.student.predict(x.view()).unwrap(), out, "{name} ({task:?}): JSON round trip");
            let current = format!("\"version\": {}", kd_students::FORMAT_VERSION);
            let newer = text.replacen(&current, "\"version\": 99", 1);
            assert!(
                SavedStudent::from_json(&newer).unwrap_err().to_string().contains("version 99"),
                "{name}"
            );
            let truncated = &text[..text.len() / 2];
            assert!(SavedStudent::from_json(truncated).is_err(), "{name}: a corrupt file");
            assert!(
                !a.explain(&back.features, back.classes.as_deref()).is_empty(),
                "{name}: explains itself"
            );
            if let Some(contributions) = a.contributions(x.view(), &back.features) {
                let gap = (&contributions.unwrap().prediction() - &out)
                    .mapv(f64::abs)
                    .fold(0.0_f64, |m, &v| m.max(v));
                assert!(gap < 1e-12, "{name} ({task:?}): its contributions miss its prediction by {gap}");
            }
            fitted.push((params.kind(), task));
        }
    }
    for kind in StudentKind::ALL {
        for task in TASKS.into_iter().filter(|&t| kind.supports(t)) {
            assert!(fitted.contains(&(kind, task)), "{kind} is checked on {task:?}");
        }
    }
}

#[test]
fn the_true_labels_are_fitted_in_each_kinds_form() {
    let (x, features) = (x(), features());
    let p = teacher(Task::Binary);
    let y: Vec<usize> = p.column(1).iter().map(|&v| usize::from(v > 0.5)).collect();
    let labels = FitTarget::Classes { y: &y, n_classes: 2 };
    let tree =
        fit_student(&StudentParams::Tree(TreeParams::default()), x.view(), &features, Task::Binary, labels)
            .unwrap();
    let Student::Tree(tree) = tree else { panic!("a tree") };
    assert_eq!(tree.params.criterion, kd_students::tree::Criterion::Gini, "classes grow a Gini tree");
    assert!(
        tree.predict(x.view()).unwrap().iter().all(|&v| v == 0.0 || v == 1.0),
        "pure leaves on 0/1 labels"
    );
    let logistic = StudentParams::Logistic(LogisticSettings {
        logistic: LogisticParams { l2: 1.0, ..LogisticParams::default() },
        points: None,
    });
    assert!(matches!(
        fit_student(&logistic, x.view(), &features, Task::Binary, labels),
        Ok(Student::Logistic(_))
    ));
    let values: Array1<f64> = teacher(Task::Regression).column(0).to_owned();
    let linear = fit_student(
        &StudentParams::Linear(LinearParams::default()),
        x.view(),
        &features,
        Task::Regression,
        FitTarget::Values(values.view()),
    );
    assert!(matches!(linear, Ok(Student::Linear(_))));
    let wrong = fit_student(
        &StudentParams::Linear(LinearParams::default()),
        x.view(),
        &features,
        Task::Regression,
        labels,
    );
    assert!(matches!(wrong, Err(Error::Core(_))), "classes are not values");
}

/// Unset settings are the families' own defaults, and each setting reaches the parameter it
/// names.
#[test]
fn settings_by_name_become_each_kinds_parameters() {
    let defaults = |kind: StudentKind| kind.default_params().unwrap();
    assert_eq!(defaults(StudentKind::Tree), StudentParams::Tree(TreeParams::default()));
    assert_eq!(defaults(StudentKind::Linear), StudentParams::Linear(LinearParams::default()));
    assert_eq!(defaults(StudentKind::Logistic), StudentParams::Logistic(LogisticSettings::default()));
    assert_eq!(defaults(StudentKind::Gam), StudentParams::Gam(GamSettings::default()));
    assert_eq!(
        defaults(StudentKind::Gam2),
        StudentParams::Gam(GamSettings { pairs: true, ..GamSettings::default() })
    );
    assert_eq!(defaults(StudentKind::Spline), StudentParams::Spline(SplineGamParams::default()));
    assert_eq!(defaults(StudentKind::Scorecard), StudentParams::Scorecard(WoeParams::default()));

    let options = StudentOptions {
        max_depth: Some(3),
        ccp_alpha: Some(0.01),
        categorical_splits: Some(CategoricalSplits::Codes),
        max_bins: Some(32),
        l2: Some(0.5),
        points_bins: Some(4),
        fine_bins: Some(10),
        bad_class: Some("bad".into()),
        pdo: Some(40.0),
        base_score: Some(500.0),
        base_odds: Some(20.0),
        monotone: vec!["x0:+1".into()],
        n_splines: Some(8),
        lam: Some(2.0),
        seed: 7,
        ..StudentOptions::default()
    };
    let labels = ["bad".to_owned(), "good".to_owned()];
    let scaling = ScorecardScaling { pdo: 40.0, base_score: 500.0, base_odds: 20.0 };
    let params = |kind: StudentKind| kind.params(&options, Some(&labels)).unwrap();
    assert_eq!(
        params(StudentKind::Tree),
        StudentParams::Tree(
            TreeParams::default()
                .max_depth(3)
                .ccp_alpha(0.01)
                .categorical(CategoricalSplits::Codes)
                .histogram(32)
        )
    );
    let logistic = LogisticParams { l2: 0.5, ..LogisticParams::default() };
    assert_eq!(
        params(StudentKind::Logistic),
        StudentParams::Logistic(LogisticSettings {
            logistic,
            points: Some(PointsTableParams { bins: 4, scaling })
        })
    );
    let StudentParams::Gam(gam) = params(StudentKind::Gam2) else { panic!("gam2 is a GAM") };
    assert!(gam.pairs && gam.max_bins == Some(32) && gam.seed == 7 && gam.monotone.len() == 1);
    let StudentParams::Spline(spline) = params(StudentKind::Spline) else { panic!("a spline GAM") };
    assert_eq!(spline.n_splines, 8);
    assert_eq!(
        params(StudentKind::Scorecard),
        StudentParams::Scorecard(WoeParams {
            bad_class: 0,
            fine_bins: 10,
            logistic,
            scaling,
            ..WoeParams::default()
        })
    );
    let refused = |options: StudentOptions, kind: StudentKind| {
        kind.params(&options, Some(&labels)).unwrap_err().to_string()
    };
    let unknown = StudentOptions { bad_class: Some("ugly".into()), ..StudentOptions::default() };
    assert!(refused(unknown, StudentKind::Scorecard).contains("'ugly' is not a label"));
    let sloped = StudentOptions { monotone: vec!["x0:up".into()], ..StudentOptions::default() };
    assert!(refused(sloped, StudentKind::Gam).contains("monotone"));
}

#[test]
fn the_registry_refuses_what_a_kind_cannot_fit() {
    let (x, features) = (x(), features());
    for kind in StudentKind::ALL {
        assert_eq!(kind.name().parse::<StudentKind>().unwrap(), kind);
        let defaults = kind.default_params().unwrap();
        assert_eq!(defaults.kind(), kind, "the registry's lists agree");
        defaults.check().unwrap();
        for task in TASKS {
            let refused = kind.check(task, &features);
            assert_eq!(refused.is_ok(), kind.supports(task), "{kind} on {task:?}");
            if let Err(error) = refused {
                assert!(matches!(error, Error::UnsupportedTask { .. }), "{error}");
                assert!(error.to_string().contains(&format!("the {kind} student")), "{error}");
            }
        }
    }
    let mut categorical = features.clone();
    categorical[1].levels = Some(vec!["a".into(), "b".into()]);
    for kind in StudentKind::ALL {
        for task in TASKS.into_iter().filter(|&t| kind.supports(t)) {
            let refused = matches!(kind.check(task, &categorical), Err(Error::CategoricalFeature { .. }));
            assert_eq!(refused, kind.numeric_only(), "{kind} on {task:?} with a categorical feature");
        }
    }
    for name in ["logistic", "linear", "spline"] {
        assert!(name.parse::<StudentKind>().unwrap().numeric_only(), "{name} reads numbers only");
    }
    let error = StudentKind::Linear.check(Task::Regression, &categorical).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid features: 'x1' is categorical; the linear student needs numeric features"
    );
    assert!("forest".parse::<StudentKind>().unwrap_err().to_string().contains("tree, logistic, linear"));

    let p = teacher(Task::Multiclass(3));
    let points = StudentParams::Logistic(LogisticSettings {
        points: Some(PointsTableParams { bins: 4, scaling: ScorecardScaling::default() }),
        ..LogisticSettings::default()
    });
    let error = fit_student(&points, x.view(), &features, Task::Multiclass(3), FitTarget::Teacher(p.view()))
        .unwrap_err();
    assert!(error.to_string().contains("scorecards need a binary task"), "{error}");
    let short =
        fit_student(&gam(false), x.view(), &features[..2], Task::Binary, FitTarget::Teacher(p.view()));
    assert!(matches!(short, Err(Error::ShapeMismatch { .. })), "names for every column");
}
