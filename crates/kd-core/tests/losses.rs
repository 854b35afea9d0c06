//! Every distillation loss against PyTorch 2.13.0: value and gradient with respect to the
//! student's input within 1e-5 (tests/golden/losses, made by its gen.py).
#![cfg(feature = "torch")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::loss::Reduction;
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
    let diff = (ours - reference).abs().max().double_value(&[]);
    let scale = reference.abs().max().double_value(&[]).max(1.0);
    assert!(diff <= 1e-5 * scale, "{what}: largest difference {diff:e} (scale {scale})");
}

/// Our loss for a golden case, on student inputs `s`.
fn our_loss(case: &Value, s: &[Tensor]) -> Tensor {
    let name = case["name"].as_str().unwrap();
    let p = &case["params"];
    let t = tensors(&case["t"]);
    match name {
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
            tch::no_grad(|| {
                let (w, b) = hint.parameters();
                w.shallow_clone().copy_(&weight);
                b.unwrap().shallow_clone().copy_(&bias);
            });
            hint.forward(&s[0], &t[0]).unwrap()
        }
        "similarity preserving" => similarity_preserving(&s[0], &t[0]).unwrap(),
        "pkt" => probabilistic_transfer(&s[0], &t[0]).unwrap(),
        "rkd" => Relational::default().forward(&s[0], &t[0]).unwrap(),
        other => panic!("no kd loss for golden case '{other}'"),
    }
}

#[test]
fn every_loss_matches_pytorch_in_value_and_gradient() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden/losses/cases.json");
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = golden["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 16);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let s: Vec<Tensor> = tensors(&case["s"]).into_iter().map(|x| x.set_requires_grad(true)).collect();
        let loss = our_loss(case, &s);
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
