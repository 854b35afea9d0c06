//! Neural students, the Distiller and pruning (feature `torch`).
#![cfg(feature = "torch")]

use anyhow::Result;
use kd_core::loss::feature::AttentionTransfer;
use kd_core::loss::kd::KdLossConfig;
use kd_core::nn::{
    Augmentation, Distiller, DistillerConfig, EarlyStopping, LeNetConfig, MlpConfig, Network, OptimizerKind,
    Output, PruneMasks, Schedule, TeacherSignal, Term, TrainingLog, WeightedTerm, WideResNetConfig, accuracy,
    logits,
};
use kd_test_support::torch_rng;
use serde_json::Value;
use std::cell::RefCell;
use tch::{Device, Kind, Tensor, nn};

fn tensor(v: &Value) -> Tensor {
    fn flat(v: &Value, out: &mut Vec<f32>, shape: &mut Vec<i64>, depth: usize) {
        match v {
            Value::Array(items) => {
                if shape.len() == depth {
                    shape.push(items.len() as i64);
                }
                items.iter().for_each(|i| flat(i, out, shape, depth + 1));
            }
            Value::Number(n) => out.push(n.as_f64().unwrap_or(f64::NAN) as f32),
            _ => panic!("unexpected JSON value {v}"),
        }
    }
    let (mut out, mut shape) = (Vec::new(), Vec::new());
    flat(v, &mut out, &mut shape, 0);
    Tensor::from_slice(&out).view(shape.as_slice())
}

fn weighted(weight: f64, term: Term) -> WeightedTerm {
    WeightedTerm { weight, term }
}

/// Trains `student` (its variables in `store`) on `x` with the one `term`, without labels.
fn fit_one_term(
    config: DistillerConfig,
    term: Term,
    teacher: TeacherSignal<'_>,
    student: &dyn Network,
    store: &nn::VarStore,
    x: &Tensor,
) -> Result<TrainingLog> {
    Ok(Distiller::new(config, vec![weighted(1.0, term)], teacher)?.fit(
        student,
        store,
        x,
        None,
        &mut |_| {},
    )?)
}

fn max_difference(a: &Tensor, b: &Tensor) -> f64 {
    (a - b).abs().max().double_value(&[])
}

#[test]
fn five_sgd_epochs_match_pytorch() -> Result<()> {
    let _rng = torch_rng();
    let golden: Value = serde_json::from_str(&std::fs::read_to_string("tests/golden/distiller/cases.json")?)?;
    let store = nn::VarStore::new(Device::Cpu);
    let net = MlpConfig { input: 4, hidden: vec![5], output: 3 }.init(&store.root())?;
    let vars = store.variables();
    tch::no_grad(|| {
        for (name, value) in golden["initial"].as_object().into_iter().flatten() {
            vars[name].shallow_clone().copy_(&tensor(value));
        }
    });
    let x = tensor(&golden["x"]);
    let y = tensor(&golden["y"]).to_kind(Kind::Int64);
    let config = DistillerConfig {
        epochs: 5,
        batch_size: 12,
        optimizer: OptimizerKind::Sgd { lr: 0.1, momentum: 0.9, weight_decay: 1e-3, nesterov: false },
        schedule: Schedule::Cosine,
        ..Default::default()
    };
    let terms = vec![
        weighted(0.7, Term::Kd(KdLossConfig::hinton(4.0, 0.9).init()?)),
        weighted(0.3, Term::CrossEntropy),
    ];
    let distiller = Distiller::new(config, terms, TeacherSignal::Outputs(tensor(&golden["teacher"])))?;
    let log = distiller.fit(&net, &store, &x, Some(&y), &mut |_| {})?;
    let tolerance = golden["tolerance"].as_f64().unwrap_or(1e-5);
    let losses: Vec<f64> =
        golden["losses"].as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
    for (record, want) in log.epochs.iter().zip(&losses) {
        assert!(
            (record.train_loss - want).abs() < tolerance,
            "epoch {}: {} vs {want}",
            record.epoch,
            record.train_loss
        );
    }
    for (name, value) in golden["final"].as_object().into_iter().flatten() {
        let d = max_difference(&vars[name], &tensor(value));
        assert!(d < tolerance, "{name}: largest difference {d}");
    }
    Ok(())
}

/// Rows of a planted 3-class problem and a teacher network trained on it.
fn problem(seed: i64) -> (Tensor, Tensor) {
    tch::manual_seed(seed);
    let x = Tensor::randn([300, 6], (Kind::Float, Device::Cpu));
    let w = Tensor::randn([6, 3], (Kind::Float, Device::Cpu));
    let y = x.matmul(&w).argmax(1, false);
    (x, y)
}

fn fit_mlp(
    seed: u64,
    x: &Tensor,
    teacher: TeacherSignal<'_>,
    terms: Vec<WeightedTerm>,
) -> Result<(Tensor, f64)> {
    tch::manual_seed(seed as i64);
    let store = nn::VarStore::new(Device::Cpu);
    let net = MlpConfig { input: 6, hidden: vec![16], output: 3 }.init(&store.root())?;
    let config = DistillerConfig {
        epochs: 40,
        batch_size: 32,
        seed,
        optimizer: OptimizerKind::adam(1e-2),
        ..Default::default()
    };
    let log = Distiller::new(config, terms, teacher)?.fit(&net, &store, x, None, &mut |_| {})?;
    Ok((logits(&net, x, 100)?, log.epochs.last().map_or(f64::NAN, |r| r.train_loss)))
}

#[test]
fn a_student_learns_its_teacher_and_refits_identically() -> Result<()> {
    let _rng = torch_rng();
    let (x, y) = problem(1);
    let teacher_logits = (y.one_hot(3).to_kind(Kind::Float) * 6.0) - 3.0;
    let kd = || {
        vec![weighted(
            1.0,
            Term::Kd(KdLossConfig { alpha: None, ..KdLossConfig::hinton(2.0, 1.0) }.init().unwrap()),
        )]
    };
    let (a, first_loss) = fit_mlp(3, &x, TeacherSignal::Outputs(teacher_logits.shallow_clone()), kd())?;
    let (b, _) = fit_mlp(3, &x, TeacherSignal::Outputs(teacher_logits.shallow_clone()), kd())?;
    assert_eq!(max_difference(&a, &b), 0.0, "same seed, different student");
    let agreement =
        a.argmax(1, false).eq_tensor(&y).to_kind(Kind::Double).mean(Kind::Double).double_value(&[]);
    assert!(agreement > 0.9, "agreement with the teacher {agreement}");
    assert!(first_loss.is_finite());
    Ok(())
}

#[test]
fn early_stopping_keeps_the_best_epoch() -> Result<()> {
    let _rng = torch_rng();
    let (x, y) = problem(2);
    tch::manual_seed(0);
    let store = nn::VarStore::new(Device::Cpu);
    let net = MlpConfig { input: 6, hidden: vec![64, 64], output: 3 }.init(&store.root())?;
    let config = DistillerConfig {
        epochs: 200,
        optimizer: OptimizerKind::adam(1e-2),
        early_stopping: Some(EarlyStopping { validation_fraction: 0.3, patience: 5 }),
        ..Default::default()
    };
    let mut seen = 0;
    let log = Distiller::new(config, vec![weighted(1.0, Term::CrossEntropy)], TeacherSignal::None)?.fit(
        &net,
        &store,
        &x,
        Some(&y),
        &mut |_| seen += 1,
    )?;
    assert_eq!(seen, log.epochs.len());
    assert!(log.stopped_early, "200 epochs on 210 rows without overfitting?");
    assert_eq!((log.n_train, log.n_validation), (210, 90));
    let best = log.epochs[log.best_epoch].validation_loss.unwrap_or(f64::NAN);
    assert!(log.epochs.iter().all(|r| r.validation_loss.unwrap_or(f64::NAN) >= best));
    assert_eq!(log.epochs.len(), log.best_epoch + 6);
    assert!(accuracy(&net, &x, &y)? > 0.8);
    Ok(())
}

#[test]
fn the_cnns_give_logits_and_taps_of_the_documented_shapes() -> Result<()> {
    let _rng = torch_rng();
    let store = nn::VarStore::new(Device::Cpu);
    let x = Tensor::randn([5, 64], (Kind::Float, Device::Cpu));
    let lenet = LeNetConfig::lenet5(8, 10).init(&(store.root() / "lenet"))?;
    let out = lenet.forward_taps(&x, false)?;
    assert_eq!(out.logits.size(), [5, 10]);
    assert_eq!(out.taps.iter().map(Tensor::size).collect::<Vec<_>>(), [vec![5, 6, 8, 8], vec![5, 16, 4, 4]]);
    let mnist = LeNetConfig::lenet5(28, 10).init(&(store.root() / "mnist"))?;
    assert_eq!(
        mnist.forward_taps(&Tensor::randn([2, 784], (Kind::Float, Device::Cpu)), true)?.logits.size(),
        [2, 10]
    );
    let wrn = WideResNetConfig { depth: 10, width: 2, base: 16, channels: 1, side: 8, classes: 10 }
        .init(&(store.root() / "wrn"))?;
    let out = wrn.forward_taps(&x, true)?;
    assert_eq!(out.logits.size(), [5, 10]);
    let sizes: Vec<_> = out.taps.iter().map(Tensor::size).collect();
    assert_eq!(sizes, [vec![5, 32, 8, 8], vec![5, 64, 4, 4], vec![5, 128, 2, 2]]);
    let thin = WideResNetConfig { depth: 10, width: 1, base: 4, channels: 1, side: 8, classes: 10 }
        .init(&(store.root() / "thin"))?;
    let sizes: Vec<_> = thin.forward_taps(&x, true)?.taps.iter().map(Tensor::size).collect();
    assert_eq!(sizes, [vec![5, 4, 8, 8], vec![5, 8, 4, 4], vec![5, 16, 2, 2]]);
    assert!(lenet.forward_taps(&Tensor::randn([5, 63], (Kind::Float, Device::Cpu)), false).is_err());
    for bad in [(12, 16), (10, 0)] {
        let config =
            WideResNetConfig { depth: bad.0, width: 1, base: bad.1, channels: 1, side: 8, classes: 10 };
        assert!(config.init(&store.root()).is_err());
    }
    Ok(())
}

#[test]
fn attention_transfer_between_cnns_trains() -> Result<()> {
    let _rng = torch_rng();
    let store = nn::VarStore::new(Device::Cpu);
    let teacher = LeNetConfig { conv: (12, 32), ..LeNetConfig::lenet5(8, 10) }.init(&(store.root() / "t"))?;
    let student_store = nn::VarStore::new(Device::Cpu);
    let student = LeNetConfig::lenet5(8, 10).init(&student_store.root())?;
    let x = Tensor::randn([64, 64], (Kind::Float, Device::Cpu));
    let term = Term::Attention { pairs: vec![(0, 0), (1, 1)], loss: AttentionTransfer::default() };
    let config = DistillerConfig {
        epochs: 30,
        batch_size: 64,
        optimizer: OptimizerKind::adam(1e-2),
        ..Default::default()
    };
    let log = fit_one_term(config, term, TeacherSignal::Network(&teacher), &student, &student_store, &x)?;
    let (first, last) = (log.epochs[0].train_loss, log.epochs[29].train_loss);
    assert!(last < 0.5 * first, "attention distance {first} → {last}");
    Ok(())
}

#[test]
fn bad_set_ups_are_refused_by_name() -> Result<()> {
    let _rng = torch_rng();
    let (x, y) = problem(4);
    let outputs = || TeacherSignal::Outputs(Tensor::zeros([300, 3], (Kind::Float, Device::Cpu)));
    let hint = Term::Attention { pairs: vec![(0, 0)], loss: AttentionTransfer::default() };
    let err = Distiller::new(DistillerConfig::default(), vec![weighted(1.0, hint)], outputs()).unwrap_err();
    assert!(err.to_string().contains("teacher"), "{err}");
    let err = Distiller::new(DistillerConfig::default(), vec![weighted(1.0, Term::Mse)], TeacherSignal::None)
        .unwrap_err();
    assert!(err.to_string().contains("teacher"), "{err}");
    let err = Distiller::new(
        DistillerConfig { batch_size: 0, ..Default::default() },
        vec![weighted(1.0, Term::Mse)],
        outputs(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("batch_size"), "{err}");
    let store = nn::VarStore::new(Device::Cpu);
    let net = MlpConfig { input: 6, hidden: vec![4], output: 3 }.init(&store.root())?;
    let short = TeacherSignal::Outputs(Tensor::zeros([10, 3], (Kind::Float, Device::Cpu)));
    let err = Distiller::new(DistillerConfig::default(), vec![weighted(1.0, Term::Mse)], short)?
        .fit(&net, &store, &x, None, &mut |_| {})
        .unwrap_err();
    assert!(err.to_string().contains("teacher outputs"), "{err}");
    let err = Distiller::new(
        DistillerConfig::default(),
        vec![weighted(1.0, Term::CrossEntropy)],
        TeacherSignal::None,
    )?
    .fit(&net, &store, &x, None, &mut |_| {})
    .unwrap_err();
    assert!(err.to_string().contains("labels"), "{err}");
    let wild = DistillerConfig { optimizer: OptimizerKind::adam(1e30), epochs: 5, ..Default::default() };
    let scaled = Term::Kd(KdLossConfig::hinton(1.0, 0.5).init()?);
    let teacher = TeacherSignal::Outputs(Tensor::randn([300, 3], (Kind::Float, Device::Cpu)) * 1e30);
    let result = Distiller::new(wild, vec![weighted(1.0, scaled)], teacher)?.fit(
        &net,
        &store,
        &x,
        Some(&y),
        &mut |_| {},
    );
    assert!(result.as_ref().is_err_and(|e| e.to_string().contains("learning rate")), "{result:?}");
    assert!(MlpConfig { input: 6, hidden: vec![0], output: 3 }.init(&store.root()).is_err());
    Ok(())
}

#[test]
fn pruning_reaches_its_density_and_survives_retraining() -> Result<()> {
    let _rng = torch_rng();
    let (x, y) = problem(5);
    tch::manual_seed(5);
    let store = nn::VarStore::new(Device::Cpu);
    let net = MlpConfig { input: 6, hidden: vec![64, 32], output: 3 }.init(&store.root())?;
    let mut masks = PruneMasks::dense(&store)?;
    assert_eq!(masks.density()?, 1.0);
    let q = masks.prune_to_density(&store, 0.1)?;
    let density = masks.density()?;
    assert!(q > 0.0 && density <= 0.1 && density > 0.09, "q {q}, density {density}");
    let layers = masks.layers()?;
    assert_eq!(layers.iter().map(|l| l.total).sum::<usize>(), 6 * 64 + 64 * 32 + 32 * 3);
    let config = DistillerConfig { epochs: 10, ..Default::default() };
    Distiller::new(config, vec![weighted(1.0, Term::CrossEntropy)], TeacherSignal::None)?
        .with_masks(&masks)
        .fit(&net, &store, &x, Some(&y), &mut |_| {})?;
    let weights = store.variables();
    let nonzero: i64 = ["l0.weight", "l1.weight", "l2.weight"]
        .iter()
        .map(|n| weights[*n].ne(0.0).sum(Kind::Int64).int64_value(&[]))
        .sum();
    let kept: usize = layers.iter().map(|l| l.kept).sum();
    assert!(
        nonzero as usize <= kept,
        "{nonzero} non-zero weights after retraining, {kept} kept by the masks"
    );
    assert!(masks.prune_to_density(&store, 0.0).is_err());
    Ok(())
}

#[test]
fn per_layer_pruning_keeps_each_layers_own_share() -> Result<()> {
    let _rng = torch_rng();
    tch::manual_seed(8);
    let store = nn::VarStore::new(Device::Cpu);
    let _net = MlpConfig { input: 40, hidden: vec![30, 20], output: 10 }.init(&store.root())?;
    let mut masks = PruneMasks::dense(&store)?;
    let rates = [("l0.weight", 0.5), ("l1.weight", 0.3), ("l2.weight", 0.8)];
    masks.prune_layers_to_density(&store, &rates)?;
    // A second, iterative step on two layers only, from the weights kept so far.
    let qualities = masks.prune_layers_to_density(&store, &[("l0.weight", 0.08), ("l1.weight", 0.09)])?;
    assert!(qualities.iter().all(|&q| q > 0.0), "{qualities:?}");
    let kept: Vec<f64> = masks.layers()?.iter().map(|l| l.kept as f64 / l.total as f64).collect();
    for (share, target) in kept.iter().zip([0.08, 0.09, 0.8]) {
        assert!(*share <= target && *share > target - 0.02, "kept {kept:?}");
    }
    let weights = store.variables();
    let nonzero = weights["l0.weight"].ne(0.0).sum(Kind::Int64).int64_value(&[]);
    assert_eq!(nonzero as usize, masks.layers()?[0].kept);
    assert!(masks.prune_layers_to_density(&store, &[("l9.weight", 0.5)]).is_err());
    assert!(masks.prune_layers_to_density(&store, &[("l0.weight", 1.5)]).is_err());
    Ok(())
}

/// A network that records the batches it is given in train mode.
#[derive(Debug)]
struct Recording {
    net: kd_core::nn::Mlp,
    seen: RefCell<Vec<Tensor>>,
}

impl Network for Recording {
    fn forward_taps(&self, x: &Tensor, train: bool) -> kd_core::Result<Output> {
        self.seen.borrow_mut().push(x.shallow_clone());
        self.net.forward_taps(x, train)
    }
}

#[test]
fn augmented_batches_are_shifted_alike_for_student_and_teacher_and_reproducible() -> Result<()> {
    let _rng = torch_rng();
    let (x, y) = problem(9);
    let x = Tensor::cat(&[&x, &x, &x, &x, &x, &x], 1).relu().narrow(1, 0, 25);
    let shift = Augmentation::RandomShift { channels: 1, side: 5, pixels: 1 };
    let config = DistillerConfig { epochs: 2, batch_size: 50, seed: 4, ..Default::default() };
    let run = || -> Result<(Vec<Tensor>, Vec<Tensor>, Tensor)> {
        let teacher_store = nn::VarStore::new(Device::Cpu);
        tch::manual_seed(1);
        let teacher = Recording {
            net: MlpConfig { input: 25, hidden: vec![8], output: 3 }.init(&teacher_store.root())?,
            seen: RefCell::new(Vec::new()),
        };
        let store = nn::VarStore::new(Device::Cpu);
        tch::manual_seed(2);
        let student = Recording {
            net: MlpConfig { input: 25, hidden: vec![8], output: 3 }.init(&store.root())?,
            seen: RefCell::new(Vec::new()),
        };
        let terms = vec![
            weighted(1.0, Term::CrossEntropy),
            weighted(1.0, Term::Kd(KdLossConfig::hinton(2.0, 1.0).init()?)),
        ];
        Distiller::new(config, terms, TeacherSignal::Network(&teacher))?.with_augmentation(shift)?.fit(
            &student,
            &store,
            &x,
            Some(&y),
            &mut |_| {},
        )?;
        let out = logits(&student, &x, 100)?;
        Ok((student.seen.into_inner(), teacher.seen.into_inner(), out))
    };
    let (student_saw, teacher_saw, first) = run()?;
    // 300 rows in batches of 50 for 2 epochs; the student then gets `logits`' eval passes.
    assert_eq!(teacher_saw.len(), 12);
    for (s, t) in student_saw.iter().zip(&teacher_saw) {
        assert_eq!(max_difference(s, t), 0.0, "the teacher saw other images than the student");
    }
    // Shifting keeps each row's pixels (at most a 1-pixel move), but the batch differs from
    // the raw rows, and the evaluation pass sees the raw rows.
    let raw_sum = x.sum(Kind::Double).double_value(&[]);
    let seen_sum: f64 = student_saw[..12].iter().map(|b| b.sum(Kind::Double).double_value(&[])).sum();
    assert!(seen_sum < 2.0 * raw_sum, "shifted batches {seen_sum}, raw {raw_sum}");
    assert_eq!(max_difference(&student_saw[12], &x.narrow(0, 0, 100)), 0.0);
    let (_, _, second) = run()?;
    assert_eq!(max_difference(&first, &second), 0.0, "same seed, different student");
    let refused = Distiller::new(
        config,
        vec![weighted(1.0, Term::Kd(KdLossConfig::hinton(2.0, 1.0).init()?))],
        TeacherSignal::Outputs(Tensor::zeros([300, 3], (Kind::Float, Device::Cpu))),
    )?
    .with_augmentation(shift);
    assert!(refused.is_err_and(|e| e.to_string().contains("augmentation")));
    Ok(())
}

#[test]
fn crd_and_cross_modal_terms_train_and_crd_sits_out_validation() -> Result<()> {
    let _rng = torch_rng();
    use kd_core::loss::contrastive::CrdConfig;
    use kd_core::loss::cross_modal::CrossModalConfig;
    let (x, _) = problem(6);
    tch::manual_seed(6);
    let teacher_store = nn::VarStore::new(Device::Cpu);
    let teacher = MlpConfig { input: 6, hidden: vec![16], output: 3 }.init(&teacher_store.root())?;
    let store = nn::VarStore::new(Device::Cpu);
    let student = MlpConfig { input: 6, hidden: vec![8], output: 3 }.init(&(store.root() / "net"))?;
    let crd =
        CrdConfig { feat_dim: 16, nce_k: 64, ..CrdConfig::new(8, 16, 300) }.init(&(store.root() / "crd"))?;
    let sampler = crd.sampler(1);
    let term =
        Term::Contrastive { student: 0, teacher: 0, crd: Box::new(std::sync::Mutex::new((crd, sampler))) };
    let config = DistillerConfig {
        epochs: 15,
        optimizer: OptimizerKind::adam(1e-2),
        early_stopping: Some(EarlyStopping { validation_fraction: 0.2, patience: 100 }),
        ..Default::default()
    };
    let log = fit_one_term(config, term, TeacherSignal::Network(&teacher), &student, &store, &x)?;
    let (first, last) = (log.epochs[0].train_loss, log.epochs[14].train_loss);
    assert!(last.is_finite() && last < first, "CRD loss {first} → {last}");
    assert!(log.epochs.iter().all(|r| r.validation_loss == Some(0.0)), "CRD is left out of validation");

    let paired = tch::no_grad(|| teacher.forward_taps(&(&x * 2.0), false))?;
    let store = nn::VarStore::new(Device::Cpu);
    let student = MlpConfig { input: 6, hidden: vec![16], output: 3 }.init(&store.root())?;
    let hint = CrossModalConfig::new(16).init(&store.root())?;
    let term = Term::CrossModal { student: 0, teacher: 0, hint };
    let config = DistillerConfig { epochs: 30, optimizer: OptimizerKind::adam(1e-2), ..Default::default() };
    let log = fit_one_term(config, term, TeacherSignal::Features(paired), &student, &store, &x)?;
    let (first, last) = (log.epochs[0].train_loss, log.epochs[29].train_loss);
    assert!(last < 0.2 * first, "cross-modal distance {first} → {last}");
    Ok(())
}
