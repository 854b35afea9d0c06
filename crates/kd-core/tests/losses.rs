//! Every distillation loss against PyTorch 2.13.0: value and gradient with respect to the
//! student's input (and to learnable adaptors and heads) within 1e-5 (tests/golden/losses, made
//! by its gen.py); CRD's memory banks and normalisation constants over two steps.
#![cfg(feature = "torch")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::loss::Reduction;
use kd_core::loss::contrastive::{Crd, CrdConfig};
use kd_core::loss::cross_modal::CrossModalConfig;
use kd_core::loss::feature::{AttentionTransfer, Hint, NeuronSelectivity, NstKernel, Regressor};
use kd_core::loss::kd::{KdLossConfig, mse, soft_binary_cross_entropy};
use kd_core::loss::relational::{Relational, probabilistic_transfer, similarity_preserving};
use serde_json::Value;
use tch::{Kind, Tensor, nn};

fn tensor(v: &Value) -> Tensor {
    let data: Vec<f32> = v["data"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap() as f32).collect();
    let shape: Vec<i64> = v["shape"].as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect();
    Tensor::from_slice(&data).view(shape.as_slice())
}

fn tensors(v: &Value) -> Vec<Tensor> {
    match v.as_array() {
        Some(list) => list.iter().map(tensor).collect(),
        None => vec![tensor(v)],
    }
}

fn close(ours: &Tensor, reference: &Tensor, what: &str) {
    assert_eq!(ours.size(), reference.size(), "{what}: shape");
    let diff = (ours - reference).abs().max().double_value(&[]);
    let scale = reference.abs().max().double_value(&[]).max(1.0);
    assert!(diff <= 1e-5 * scale, "{what}: largest difference {diff:e} (scale {scale})");
}

fn reduction(name: &Value) -> Reduction {
    match name.as_str() {
        Some("sum") => Reduction::Sum,
        Some("mean") => Reduction::Mean,
        _ => Reduction::BatchMean,
    }
}

/// Copies `weight` and `bias` into a regressor's parameters.
fn set_regressor(hint: &Hint, weight: &Tensor, bias: &Tensor) {
    tch::no_grad(|| {
        let (w, b) = hint.parameters();
        w.shallow_clone().copy_(weight);
        b.unwrap().shallow_clone().copy_(bias);
    });
}

/// Our loss for a golden case, on student inputs `s`, and the learnable parameters whose
/// gradients the case records.
fn our_loss(case: &Value, s: &[Tensor]) -> (Tensor, Vec<Tensor>) {
    let name = case["name"].as_str().unwrap();
    let p = &case["params"];
    let t = tensors(&case["t"]);
    if name.starts_with("cross modal") {
        let vs = nn::VarStore::new(tch::Device::Cpu);
        let (sw, tw) = (s[0].size()[1], t[0].size()[1]);
        let adaptor = match p["adaptor"].as_str() {
            Some("linear") => Some(Regressor::Linear),
            Some("conv1x1") => Some(Regressor::Conv1x1),
            _ => None,
        };
        let config = CrossModalConfig {
            adaptor,
            student_width: sw,
            teacher_width: tw,
            reduction: reduction(&p["reduction"]),
        };
        let loss = config.init(&vs.root()).unwrap();
        let mut trained = Vec::new();
        if let Some(hint) = loss.adaptor() {
            set_regressor(hint, &tensor(&case["weight"]), &tensor(&case["bias"]));
            let (w, b) = hint.parameters();
            trained = vec![w.shallow_clone(), b.unwrap().shallow_clone()];
        }
        return (loss.forward(&s[0], &t[0]).unwrap(), trained);
    }
    let value = match name {
        n if n.starts_with("kd") => {
            let config = KdLossConfig {
                temperature: p["temperature"].as_f64().unwrap(),
                alpha: p["alpha"].as_f64(),
                beta: p["beta"].as_f64(),
                reduction: if p["reduction"] == "sum" { Reduction::Sum } else { Reduction::BatchMean },
            };
            let y = tensor(&case["y"]).to_kind(Kind::Int64);
            config.init().unwrap().forward(&s[0], &t[0], Some(&y)).unwrap()
        }
        "soft bce" => soft_binary_cross_entropy(&s[0], &t[0], p["temperature"].as_f64().unwrap()).unwrap(),
        "mse" => mse(&s[0], &t[0]).unwrap(),
        "attention" => AttentionTransfer::default().forward(s, &t).unwrap(),
        n if n.starts_with("nst") => {
            let kernel = match p["kernel"].as_str().unwrap() {
                "poly" => NstKernel::Polynomial { d: 2.0, c: 0.0 },
                "linear" => NstKernel::Linear,
                _ => NstKernel::Gaussian { sigma2: 1.0 },
            };
            NeuronSelectivity { kernel }.forward(s, &t).unwrap()
        }
        n if n.starts_with("hint") => {
            let vs = nn::VarStore::new(tch::Device::Cpu);
            let (weight, bias) = (tensor(&case["weight"]), tensor(&case["bias"]));
            let kind = if n.ends_with("conv1x1") { Regressor::Conv1x1 } else { Regressor::Linear };
            let hint = Hint::new(&vs.root(), kind, weight.size()[1], weight.size()[0]);
            set_regressor(&hint, &weight, &bias);
            hint.forward(&s[0], &t[0]).unwrap()
        }
        "similarity preserving" => similarity_preserving(&s[0], &t[0]).unwrap(),
        "pkt" => probabilistic_transfer(&s[0], &t[0]).unwrap(),
        "rkd" => Relational::default().forward(&s[0], &t[0]).unwrap(),
        other => panic!("no kd loss for golden case '{other}'"),
    };
    (value, Vec::new())
}

#[test]
fn every_loss_matches_pytorch_in_value_and_gradient() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden/losses/cases.json");
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = golden["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 19);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let s: Vec<Tensor> = tensors(&case["s"]).into_iter().map(|x| x.set_requires_grad(true)).collect();
        let (loss, trained) = our_loss(case, &s);
        let value = loss.double_value(&[]);
        let reference = case["value"].as_f64().unwrap();
        assert!(
            (value - reference).abs() <= 1e-5 * reference.abs().max(1.0),
            "{name}: {value} vs {reference}"
        );
        loss.backward();
        for (x, g) in s.iter().zip(case["grad"].as_array().unwrap()) {
            close(&x.grad(), &tensor(g), &format!("{name} gradient"));
        }
        let recorded = case["param_grads"].as_array().map_or(&[][..], Vec::as_slice);
        assert_eq!(trained.len(), recorded.len(), "{name}: learnable parameters");
        for (x, g) in trained.iter().zip(recorded) {
            close(&x.grad(), &tensor(g), &format!("{name} parameter gradient"));
        }
    }
}

#[test]
fn losses_vanish_when_the_student_is_the_teacher_and_refuse_bad_shapes() {
    let t = Tensor::randn([6, 4], (Kind::Float, tch::Device::Cpu));
    let kd = KdLossConfig::hinton(4.0, 1.0).init().unwrap();
    assert!(kd.forward(&t, &t, None).unwrap().double_value(&[]).abs() < 1e-7);
    assert!(mse(&t, &t).unwrap().double_value(&[]) == 0.0);
    assert!(similarity_preserving(&t, &t).unwrap().double_value(&[]).abs() < 1e-10);
    assert!(Relational::default().forward(&t, &t).unwrap().double_value(&[]).abs() < 1e-10);
    let maps = [Tensor::randn([2, 3, 4, 4], (Kind::Float, tch::Device::Cpu))];
    assert!(AttentionTransfer::default().forward(&maps, &maps).unwrap().double_value(&[]).abs() < 1e-10);
    let err = kd.forward(&t, &Tensor::zeros([6, 3], (Kind::Float, tch::Device::Cpu)), None).unwrap_err();
    assert!(err.to_string().contains("[6, 4]"), "{err}");
    let other = [Tensor::randn([2, 3, 5, 5], (Kind::Float, tch::Device::Cpu))];
    assert!(AttentionTransfer::default().forward(&maps, &other).is_err());
    assert!(KdLossConfig { temperature: 0.0, ..KdLossConfig::hinton(1.0, 0.5) }.init().is_err());
}

fn index(v: &Value) -> Tensor {
    tensor(v).to_kind(Kind::Int64)
}

/// CRD with the golden heads and memory banks.
fn golden_crd(golden: &Value, vs: &nn::VarStore) -> Crd {
    let c = &golden["config"];
    let int = |key: &str| c[key].as_i64().unwrap();
    let config = CrdConfig {
        feat_dim: int("feat_dim"),
        nce_k: int("nce_k"),
        nce_t: c["nce_t"].as_f64().unwrap(),
        momentum: c["momentum"].as_f64().unwrap(),
        ..CrdConfig::new(int("s_dim"), int("t_dim"), int("n_data"))
    };
    assert_eq!(config.negatives(), golden["negatives"].as_i64().unwrap());
    let crd = config.init(&vs.root()).unwrap();
    let ((embed_s, embed_t), (memory_s, memory_t)) = (crd.heads(), crd.memories());
    tch::no_grad(|| {
        for (head, key) in [(embed_s, "embed_s"), (embed_t, "embed_t")] {
            head.ws.shallow_clone().copy_(&tensor(&golden[key]["weight"]));
            head.bs.as_ref().unwrap().shallow_clone().copy_(&tensor(&golden[key]["bias"]));
        }
        memory_s.shallow_clone().copy_(&tensor(&golden["memory_s"]));
        memory_t.shallow_clone().copy_(&tensor(&golden["memory_t"]));
    });
    crd
}

#[test]
fn crd_matches_repdistiller_over_two_steps() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden/losses/cases.json");
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let golden = &golden["crd"];
    let vs = nn::VarStore::new(tch::Device::Cpu);
    let mut crd = golden_crd(golden, &vs);
    assert_eq!(crd.normalizers(), (None, None));
    let steps = golden["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    for (i, step) in steps.iter().enumerate() {
        let what = |x: &str| format!("CRD step {i}: {x}");
        let (embed_s, embed_t) = crd.heads();
        let mut parameters: Vec<Tensor> = [embed_s, embed_t]
            .iter()
            .flat_map(|h| [h.ws.shallow_clone(), h.bs.as_ref().unwrap().shallow_clone()])
            .collect();
        for p in &mut parameters {
            p.zero_grad();
        }
        let f_s = tensor(&step["f_s"]).set_requires_grad(true);
        let f_t = tensor(&step["f_t"]).set_requires_grad(true);
        let loss = crd.forward(&f_s, &f_t, &index(&step["idx"]), &index(&step["contrast_idx"])).unwrap();
        let (value, reference) = (loss.double_value(&[]), step["value"].as_f64().unwrap());
        assert!(
            (value - reference).abs() <= 1e-5 * reference.abs().max(1.0),
            "{}",
            what(&format!("{value} vs {reference}"))
        );
        let (z_s, z_t) = crd.normalizers();
        for (z, key) in [(z_s.unwrap(), "z_s"), (z_t.unwrap(), "z_t")] {
            let reference = step[key].as_f64().unwrap();
            assert!(
                (z - reference).abs() <= 1e-5 * reference,
                "{}",
                what(&format!("{key} {z} vs {reference}"))
            );
        }
        loss.backward();
        close(&f_s.grad(), &tensor(&step["grad_f_s"]), &what("gradient of f_s"));
        close(&f_t.grad(), &tensor(&step["grad_f_t"]), &what("gradient of f_t"));
        let recorded: Vec<&Value> =
            ["grad_embed_s", "grad_embed_t"].iter().flat_map(|k| step[*k].as_array().unwrap()).collect();
        for (p, g) in parameters.iter().zip(recorded) {
            close(&p.grad(), &tensor(g), &what("gradient of a head"));
        }
        let (memory_s, memory_t) = crd.memories();
        close(memory_s, &tensor(&step["memory_s"]), &what("student memory bank"));
        close(memory_t, &tensor(&step["memory_t"]), &what("teacher memory bank"));
    }
}

#[test]
fn crd_samples_uniform_negatives_from_its_seed_and_refuses_bad_input() {
    let vs = nn::VarStore::new(tch::Device::Cpu);
    let config = CrdConfig { feat_dim: 4, nce_k: 50, ..CrdConfig::new(3, 2, 10) };
    let mut crd = config.init(&vs.root()).unwrap();
    assert_eq!(config.negatives(), 10);
    // The banks are uniform in ±1/√(feat_dim/3) and a function of the seed.
    let bound = 1.0 / (4.0f64 / 3.0).sqrt();
    let (memory_s, memory_t) = crd.memories();
    assert!(memory_s.abs().max().double_value(&[]) <= bound);
    assert!((memory_s - memory_t).abs().max().double_value(&[]) > 0.1);
    let again = config.init(&nn::VarStore::new(tch::Device::Cpu).root()).unwrap();
    assert_eq!((again.memories().0 - memory_s).abs().max().double_value(&[]), 0.0);

    let idx = Tensor::from_slice(&[4i64, 0, 9]);
    let drawn = crd.sampler(7).sample(&idx).unwrap();
    assert_eq!(drawn.size(), [3, 11]);
    assert_eq!(Vec::<i64>::try_from(drawn.select(1, 0)).unwrap(), [4, 0, 9]);
    assert!(drawn.equal(&crd.sampler(7).sample(&idx).unwrap()));
    assert!(!drawn.equal(&crd.sampler(8).sample(&idx).unwrap()));
    // 30,000 negatives over 10 rows: each row's share within 5% of a tenth.
    let mut sampler = crd.sampler(1);
    let mut counts = [0usize; 10];
    for _ in 0..1000 {
        let negatives = sampler.sample(&idx).unwrap().narrow(1, 1, 10).reshape([-1]);
        for i in Vec::<i64>::try_from(negatives).unwrap() {
            counts[i as usize] += 1;
        }
    }
    assert!(counts.iter().all(|&c| (2850..=3150).contains(&c)), "{counts:?}");

    let f_s = Tensor::randn([3, 3], (Kind::Float, tch::Device::Cpu));
    let f_t = Tensor::randn([3, 2], (Kind::Float, tch::Device::Cpu));
    let mut refused = |f_s: &Tensor, f_t: &Tensor, idx: &Tensor, contrast: &Tensor, named: &str| {
        let err = crd.forward(f_s, f_t, idx, contrast).unwrap_err().to_string();
        assert!(err.contains(named), "{named}: {err}");
    };
    let wide = Tensor::randn([3, 4], (Kind::Float, tch::Device::Cpu));
    refused(&wide, &f_t, &idx, &drawn, "f_s");
    refused(&f_s, &f_s, &idx, &drawn, "f_t");
    refused(&f_s, &f_t, &idx.narrow(0, 0, 2), &drawn, "idx");
    refused(&f_s, &f_t, &idx, &drawn.narrow(1, 0, 5), "contrast_idx");
    refused(&f_s, &f_t, &Tensor::from_slice(&[4i64, 4, 9]), &drawn, "idx");
    refused(&f_s, &f_t, &Tensor::from_slice(&[4i64, 0, 10]), &drawn, "idx");
    refused(&f_s, &f_t, &idx.flip([0]), &drawn, "contrast_idx");
    refused(&f_s, &f_t, &idx.to_kind(Kind::Int), &drawn, "idx");
    assert_eq!(crd.normalizers(), (None, None), "a refused batch sets no Z");
    assert!(crd.forward(&f_s, &f_t, &idx, &drawn).unwrap().double_value(&[]).is_finite());
    let (z_s, z_t) = crd.normalizers();
    assert!(z_s.unwrap() > 0.0 && z_t.unwrap() > 0.0);
    assert!(crd.sampler(0).sample(&Tensor::from_slice(&[10i64])).is_err());
    let root = vs.root();
    for bad in [
        CrdConfig { nce_t: 0.0, ..config },
        CrdConfig { momentum: 1.0, ..config },
        CrdConfig { feat_dim: 0, ..config },
        CrdConfig { n_data: 0, ..config },
    ] {
        assert!(bad.init(&root).is_err(), "{bad:?}");
    }
}

#[test]
fn cross_modal_hint_freezes_the_teacher_and_names_bad_shapes() {
    let vs = nn::VarStore::new(tch::Device::Cpu);
    let plain = CrossModalConfig::new(5).init(&vs.root()).unwrap();
    let s = Tensor::randn([4, 5], (Kind::Float, tch::Device::Cpu)).set_requires_grad(true);
    let t = Tensor::randn([4, 5], (Kind::Float, tch::Device::Cpu)).set_requires_grad(true);
    assert_eq!(plain.forward(&t, &t).unwrap().double_value(&[]), 0.0);
    plain.forward(&s, &t).unwrap().backward();
    assert!(s.grad().defined() && !t.grad().defined(), "the teacher's features receive no gradient");
    let err = plain.forward(&s, &Tensor::zeros([4, 6], (Kind::Float, tch::Device::Cpu))).unwrap_err();
    assert!(err.to_string().contains("teacher features"), "{err}");
    let err = plain.forward(&Tensor::zeros([4, 3], (Kind::Float, tch::Device::Cpu)), &t).unwrap_err();
    assert!(err.to_string().contains("student features"), "{err}");
    let unequal = CrossModalConfig { teacher_width: 6, ..CrossModalConfig::new(5) };
    assert!(unequal.init(&vs.root()).is_err());
    let adapted = CrossModalConfig { adaptor: Some(Regressor::Linear), ..unequal }.init(&vs.root()).unwrap();
    let t6 = Tensor::randn([4, 6], (Kind::Float, tch::Device::Cpu));
    assert!(adapted.forward(&s, &t6).unwrap().double_value(&[]) > 0.0);
}
