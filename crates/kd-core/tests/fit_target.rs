//! The target forms a student takes (teacher outputs, true classes, true values) and the
//! fidelity and performance summaries of a distillation report.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::Task;
use kd_core::data::{FitTarget, FormedTarget, Target, TargetForm};
use kd_core::metrics::{fidelity, performance};
use ndarray::{array, s};

#[test]
fn every_form_is_built_from_the_sources_that_can_give_it() {
    let outputs = array![[0.8, 0.2], [0.3, 0.7]];
    let teacher = FitTarget::Teacher(outputs.view());
    let y = [0, 1];
    let classes = FitTarget::Classes { y: &y, n_classes: 2 };
    let v = array![1.5, -2.0];
    let values = FitTarget::Values(v.view());

    let one = TargetForm::ClassOneProbability;
    assert_eq!(one.build(&teacher).unwrap(), FormedTarget::Column(array![0.2, 0.7]));
    assert_eq!(one.build(&classes).unwrap(), FormedTarget::Column(array![0.0, 1.0]));
    assert!(one.build(&values).is_err());
    let all = TargetForm::ClassProbabilities;
    assert_eq!(all.build(&teacher).unwrap(), FormedTarget::Matrix(outputs.clone()));
    assert_eq!(all.build(&classes).unwrap().into_matrix(), array![[1.0, 0.0], [0.0, 1.0]]);
    assert_eq!(
        TargetForm::Classes.build(&classes).unwrap(),
        FormedTarget::Classes { y: y.to_vec(), n_classes: 2 }
    );
    assert!(TargetForm::Classes.build(&teacher).is_err());
    assert_eq!(TargetForm::Values.build(&values).unwrap().into_matrix(), array![[1.5], [-2.0]]);
    let error = TargetForm::Values.build(&classes).unwrap_err().to_string();
    assert!(error.contains("true classes cannot be fitted as values"), "{error}");

    let truth = Target::Classes { labels: vec!["a".into(), "b".into()], y: vec![1, 0, 1] };
    assert_eq!(
        truth.select(&[2, 1]),
        Target::Classes { labels: vec!["a".into(), "b".into()], y: vec![1, 0] }
    );
    assert!(FitTarget::labels(&truth).is_labels() && !teacher.is_labels());
    assert_eq!(FitTarget::labels(&truth).n_rows(), 3);
}

#[test]
fn fidelity_compares_class_one_and_performance_scores_the_truth() {
    let teacher = array![[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.7, 0.3]];
    let student = array![[0.8, 0.2], [0.5, 0.5], [0.1, 0.9], [0.4, 0.6]];
    let f = fidelity(Task::Binary, student.view(), teacher.view());
    let r2 = kd_core::metrics::r2(teacher.slice(s![.., 1]), student.slice(s![.., 1])).unwrap();
    assert_eq!(f.r2, Some(r2), "R² of P(class 1), the teacher's as truth");
    assert_eq!(f.agreement, Some(0.5), "rows 1 and 3 pick another class");
    let truth = Target::Classes { labels: vec!["0".into(), "1".into()], y: vec![0, 1, 1, 0] };
    let p = performance(Task::Binary, &truth, teacher.view());
    assert_eq!((p.accuracy, p.auroc, p.r2), (Some(1.0), Some(1.0), None));
    // More classes: the AUROC is Hand & Till's M, undefined where a class has no row.
    let three = array![[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0.5, 0.4, 0.1]];
    let labels: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let truth = Target::Classes { labels: labels.clone(), y: vec![0, 1, 2, 0] };
    assert_eq!(performance(Task::Multiclass(3), &truth, three.view()).auroc, Some(1.0));
    let truth = Target::Classes { labels, y: vec![0, 1, 1, 0] };
    assert_eq!(performance(Task::Multiclass(3), &truth, three.view()).auroc, None);
    let values = Target::Values(array![1.0, 2.0, 3.0]);
    let p = performance(Task::Regression, &values, array![[1.0], [2.0], [3.0]].view());
    assert_eq!((p.accuracy, p.r2), (None, Some(1.0)));
    let f = fidelity(Task::Regression, array![[1.0], [2.0]].view(), array![[1.0], [2.0]].view());
    assert_eq!((f.r2, f.rmse, f.agreement), (Some(1.0), Some(0.0), None));
}
