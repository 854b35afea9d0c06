//! The fastText-like bag of embeddings (feature `torch`): its mean is EmbeddingBag's mean,
//! padding changes nothing, and a small one distilled from a larger one with Hinton's loss
//! keeps the larger one's answers on held-out SMS messages.
#![cfg(feature = "torch")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use anyhow::Result;
use kd_core::data::{ReadOptions, read_csv, train_test_split};
use kd_core::loss::kd::KdLossConfig;
use kd_core::nn::{
    BagConfig, Distiller, DistillerConfig, Network, OptimizerKind, TeacherSignal, Term, WeightedTerm,
    accuracy, bag_ids, logits,
};
use kd_core::text::{MinDf, Vectorizer, VectorizerParams, read_texts};
use tch::{Device, Kind, Tensor, nn};

fn small_vectorizer() -> Vectorizer {
    let params = VectorizerParams { min_df: MinDf::Count(1), ..VectorizerParams::default() };
    Vectorizer::fit(&["free prize now", "see you now", "free call"], &params).unwrap()
}

#[test]
fn the_mean_is_embedding_bags_and_padding_changes_nothing() -> Result<()> {
    let _rng = kd_test_support::torch_rng();
    let v = small_vectorizer();
    tch::manual_seed(0);
    let store = nn::VarStore::new(Device::Cpu);
    let config = BagConfig { vocabulary: v.n_columns() as i64, dim: 4, hidden: vec![], classes: 2 };
    let net = config.init(&store.root())?;
    let docs = ["free prize now free", "nothing known", "see you"];
    let short = bag_ids(&v, &docs, 8, Device::Cpu)?;
    let long = bag_ids(&v, &docs, 16, Device::Cpu)?;
    let (a, b) = (net.forward_taps(&short, false)?, net.forward_taps(&long, false)?);
    assert_eq!((&a.logits - &b.logits).abs().max().double_value(&[]), 0.0);
    // Row 0 by hand: the mean of its n-grams' embedding rows, repeats counted.
    let weights = store.variables()["embedding"].shallow_clone();
    let ids: Vec<i64> = v.column_sequence(docs[0]).iter().map(|&c| c as i64).collect();
    let by_hand = weights.index_select(0, &Tensor::from_slice(&ids)).mean_dim(0, false, Kind::Float);
    assert!((&a.taps[0].get(0) - by_hand).abs().max().double_value(&[]) < 1e-6);
    // No known n-gram: the zero vector.
    assert_eq!(a.taps[0].get(1).abs().sum(Kind::Float).double_value(&[]), 0.0);
    assert!(BagConfig { vocabulary: 0, ..config }.init(&store.root()).is_err());
    Ok(())
}

fn weighted(weight: f64, term: Term) -> WeightedTerm {
    WeightedTerm { weight, term }
}

fn parameters(store: &nn::VarStore) -> i64 {
    store.trainable_variables().iter().map(Tensor::numel).sum::<usize>() as i64
}

#[test]
fn a_fasttext_student_distilled_from_a_larger_teacher() -> Result<()> {
    let _rng = kd_test_support::torch_rng();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let table = read_csv(&root.join("data/text/sms_spam.csv"), &ReadOptions::default())?;
    let rows: Vec<usize> = (0..table.n_rows()).collect();
    let texts = read_texts(&table, "text", &rows)?;
    let labels: Vec<usize> = match &table.column("label")?.data {
        kd_core::data::ColumnData::Categorical { codes, .. } => {
            codes.iter().map(|c| c.unwrap() as usize).collect()
        }
        kd_core::data::ColumnData::Numeric(_) => unreachable!("labels are categories"),
    };
    let split = train_test_split(texts.len(), 0.3, 0, Some(&labels))?;
    let pick = |rows: &[usize]| -> Vec<String> { rows.iter().map(|&r| texts[r].clone()).collect() };
    let (train, test) = (pick(&split.train), pick(&split.test));
    let y = |rows: &[usize]| Tensor::from_slice(&rows.iter().map(|&r| labels[r] as i64).collect::<Vec<_>>());
    let (y_train, y_test) = (y(&split.train), y(&split.test));
    tch::set_num_threads(1);
    let vectorizer = Vectorizer::fit(&train, &VectorizerParams::default())?;
    let (x_train, x_test) =
        (bag_ids(&vectorizer, &train, 64, Device::Cpu)?, bag_ids(&vectorizer, &test, 64, Device::Cpu)?);
    let vocabulary = vectorizer.n_columns() as i64;
    let config = DistillerConfig {
        epochs: 5,
        batch_size: 64,
        optimizer: OptimizerKind::adam(1e-2),
        ..Default::default()
    };

    tch::manual_seed(0);
    let teacher_store = nn::VarStore::new(Device::Cpu);
    let teacher =
        BagConfig { vocabulary, dim: 32, hidden: vec![32], classes: 2 }.init(&teacher_store.root())?;
    Distiller::new(config, vec![weighted(1.0, Term::CrossEntropy)], TeacherSignal::None)?.fit(
        &teacher,
        &teacher_store,
        &x_train,
        Some(&y_train),
        &mut |_| {},
    )?;

    tch::manual_seed(1);
    let student_store = nn::VarStore::new(Device::Cpu);
    let student = BagConfig { vocabulary, dim: 8, hidden: vec![], classes: 2 }.init(&student_store.root())?;
    let kd = Term::Kd(KdLossConfig::hinton(2.0, 0.9).init()?);
    Distiller::new(config, vec![weighted(1.0, kd)], TeacherSignal::Network(&teacher))?.fit(
        &student,
        &student_store,
        &x_train,
        Some(&y_train),
        &mut |_| {},
    )?;

    let teacher_accuracy = accuracy(&teacher, &x_test, &y_test)?;
    let student_accuracy = accuracy(&student, &x_test, &y_test)?;
    let teacher_classes = logits(&teacher, &x_test, 1024)?.argmax(1, false);
    let agreement = accuracy(&student, &x_test, &teacher_classes)?;
    eprintln!(
        "teacher accuracy {teacher_accuracy:.4} ({} parameters), student {student_accuracy:.4} ({} parameters), agreement {agreement:.4}",
        parameters(&teacher_store),
        parameters(&student_store)
    );
    assert!(teacher_accuracy > 0.96, "teacher accuracy {teacher_accuracy}");
    assert!(agreement > 0.96, "student agrees with the teacher on {agreement}");
    assert!(
        student_accuracy > teacher_accuracy - 0.02,
        "student {student_accuracy} vs teacher {teacher_accuracy}"
    );
    assert!(parameters(&student_store) * 3 < parameters(&teacher_store), "the student is the smaller one");
    Ok(())
}
