//! linfa's `ParamGuard`, `Fit` and `Predict` on kd's students: fitting through linfa gives the
//! same model and predictions as kd's own API, for every student (tree, linear, logistic,
//! multinomial, boosted GAM, spline GAM, WoE scorecard); errors come back as kd's
//! (with `E = kd_students::Error`) or as a linfa error carrying kd's (with `E = linfa::Error`).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_students::Error;
use kd_students::gam::{BoostedGam, GamParams, Link};
use kd_students::linear::{Linear, LinearParams, Logistic, LogisticParams, Multinomial};
use kd_students::linfa_traits::Params;
use kd_students::scorecard::{WoeParams, WoeScorecard};
use kd_students::spline::{SplineGam, SplineGamParams};
use kd_students::tree::{Criterion, Tree, TreeParams, TreeTarget};
use linfa::prelude::{DatasetBase, Fit, ParamGuard, Predict};
use ndarray::{Array1, Array2, ArrayView2, Axis, stack};

/// 150 rows, 3 features; a teacher's probability of class 1 and its value.
fn data() -> (Array2<f64>, Array1<f64>, Vec<String>) {
    let x = Array2::from_shape_fn((150, 3), |(i, j)| (((i * 37 + j * 11) % 29) as f64 - 14.0) / 7.0);
    let p =
        x.rows().into_iter().map(|r| 1.0 / (1.0 + (-(1.2 * r[0] - 0.7 * r[1] + 0.1 * r[2])).exp())).collect();
    (x, p, vec!["a".into(), "b".into(), "c".into()])
}

type Kd<T> = std::result::Result<T, Error>;

#[test]
fn fitting_through_linfa_gives_kds_students() {
    let (x, p, names) = data();
    let soft = stack(Axis(1), &[p.mapv(|v| 1.0 - v).view(), p.view()]).unwrap();
    let values = DatasetBase::new(x.view(), p.view()).with_feature_names(names.clone());

    let tree_params = TreeParams::default().criterion(Criterion::SquaredError).max_leaves(8);
    let soft_set = DatasetBase::new(x.view(), soft.view());
    let tree: Kd<Tree> = Params::from(tree_params).fit(&soft_set);
    let own = Tree::fit(&tree_params, x.view(), TreeTarget::Values(soft.view())).unwrap();
    assert_eq!(tree.as_ref().unwrap(), &own);
    assert_eq!(tree.unwrap().predict(x.view()).unwrap(), own.predict(x.view()).unwrap());

    let classes: Array1<usize> = p.mapv(|v| usize::from(v > 0.5));
    let class_set = DatasetBase::new(x.view(), classes.view());
    let checked = Params::from(TreeParams::default().max_depth(3)).check().unwrap();
    let tree: Kd<Tree> = checked.fit(&class_set);
    let y = classes.to_vec();
    let own = Tree::fit(checked.params(), x.view(), TreeTarget::Classes { y: &y, n_classes: 2 }).unwrap();
    assert_eq!(tree.unwrap(), own);

    let linear: Kd<Linear> = Params::from(LinearParams { l2: 0.3 }).fit(&values);
    let own = Linear::fit(&LinearParams { l2: 0.3 }, x.view(), p.view(), &names).unwrap();
    assert_eq!(linear.as_ref().unwrap(), &own, "the dataset's feature names name the coefficients");
    assert_eq!(
        Predict::<ArrayView2<f64>, Kd<Array1<f64>>>::predict(&linear.unwrap(), x.view()).unwrap(),
        own.predict(x.view()).unwrap()
    );

    let logistic: Kd<Logistic> = Params::from(LogisticParams::default()).fit(&values);
    let own = Logistic::fit(&LogisticParams::default(), x.view(), p.view(), &names).unwrap();
    assert_eq!(logistic.as_ref().unwrap(), &own);
    let ours: Kd<Array1<f64>> = logistic.unwrap().predict(x.view());
    assert_eq!(ours.unwrap(), own.predict_proba(x.view()).unwrap());

    let gam_params = GamParams { outer_bags: 2, learning_rate: 0.05, ..GamParams::default() };
    let gam: Kd<BoostedGam> = Params::from((gam_params.clone(), Link::Logit)).fit(&values);
    let own = BoostedGam::fit(&gam_params, x.view(), p.view(), Link::Logit).unwrap();
    let ours: Kd<Array2<f64>> = gam.unwrap().predict(x.view());
    assert_eq!(ours.unwrap(), own.predict(x.view()).unwrap());

    let spline_params = SplineGamParams { n_splines: 8, ..SplineGamParams::default() };
    let spline: Kd<SplineGam> = Params::from((spline_params.clone(), Link::Logit)).fit(&values);
    let own = SplineGam::fit(&spline_params, x.view(), p.view(), Link::Logit).unwrap();
    assert_eq!(spline.as_ref().unwrap(), &own);
    let ours: Kd<Array2<f64>> = spline.unwrap().predict(x.view());
    assert_eq!(ours.unwrap(), own.predict(x.view()).unwrap());

    let three = Array2::from_shape_fn((150, 3), |(i, c)| {
        let e = |c: usize| [0.0, x[[i, 0]], -0.5 * x[[i, 1]]][c].exp();
        e(c) / (0..3).map(e).sum::<f64>()
    });
    let multiclass = DatasetBase::new(x.view(), three.view()).with_feature_names(names.clone());
    let multinomial: Kd<Multinomial> = Params::from(LogisticParams::default()).fit(&multiclass);
    let own = Multinomial::fit(&LogisticParams::default(), x.view(), three.view(), &names).unwrap();
    assert_eq!(multinomial.as_ref().unwrap(), &own);
    let ours: Kd<Array2<f64>> = multinomial.unwrap().predict(x.view());
    assert_eq!(ours.unwrap(), own.predict_proba(x.view()).unwrap());

    let card: Kd<WoeScorecard> = Params::from(WoeParams::default()).fit(&values);
    let own = WoeScorecard::fit(&WoeParams::default(), x.view(), p.view(), &names, &[]).unwrap();
    assert_eq!(card.as_ref().unwrap(), &own);
    let ours: Kd<Array1<f64>> = card.unwrap().predict(x.view());
    assert_eq!(ours.unwrap(), own.predict_proba(x.view()).unwrap());
}

#[test]
fn errors_come_back_as_kds_or_as_linfa_errors_carrying_kds() {
    let (x, p, _) = data();
    let bad_params = Params::from(LogisticParams { l2: -1.0, ..LogisticParams::default() });
    assert!(matches!(bad_params.check_ref(), Err(Error::InvalidParameter { name, .. }) if name == "l2"));
    let set = DatasetBase::new(x.view(), p.view());
    let through_linfa: Result<Logistic, linfa::Error> = bad_params.fit(&set);
    assert!(matches!(through_linfa, Err(linfa::Error::Parameters(m)) if m.contains("invalid l2")));
    assert!(Params::from(TreeParams::default().min_samples_leaf(0)).check().is_err());

    let mut nan = x.clone();
    nan[[3, 1]] = f64::NAN;
    let nan_set = DatasetBase::new(nan.view(), p.view());
    let ours: Kd<Linear> = Params::from(LinearParams::default()).fit(&nan_set);
    assert!(matches!(ours, Err(Error::InvalidInput { row: 3, column: 1, .. })));
    let theirs: Result<Linear, linfa::Error> = Params::from(LinearParams::default()).fit(&nan_set);
    assert!(matches!(theirs, Err(linfa::Error::Parameters(m)) if m.starts_with("row 3, column 1")));

    let short = p.slice(ndarray::s![..100]);
    let short_set = DatasetBase::new(x.view(), short);
    let theirs: Result<WoeScorecard, linfa::Error> = Params::from(WoeParams::default()).fit(&short_set);
    assert!(matches!(theirs, Err(linfa::Error::MismatchedShapes(150, 100))));

    let weighted = DatasetBase::new(x.view(), p.view()).with_weights(Array1::ones(150));
    let ours: Kd<Logistic> = Params::from(LogisticParams::default()).fit(&weighted);
    assert!(matches!(ours, Err(Error::InvalidParameter { name, .. }) if name == "weights"));
    let wrapped = Error::from(linfa::Error::NotEnoughSamples);
    assert!(wrapped.to_string().starts_with("linfa: "));

    let classes_with_values: Kd<Tree> = Params::from(TreeParams::default())
        .fit(&DatasetBase::new(x.view(), Array2::<f64>::zeros((150, 1)).view()));
    assert!(matches!(classes_with_values, Err(Error::InvalidParameter { name, .. }) if name == "criterion"));
}
