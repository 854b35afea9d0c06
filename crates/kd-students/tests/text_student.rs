//! The text student on SMS messages with a keyword teacher: the budget of terms, local
//! explanations that add up to the log-odds, the deletion test, the saved format.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::Task;
use kd_core::data::{ReadOptions, read_csv};
use kd_core::teacher::{FnTextTeacher, TextTeacher};
use kd_core::text::{read_texts, words};
use kd_students::text::{DeletionParams, SavedTextStudent, TextStudent, TextStudentParams, deletion_check};
use ndarray::{Array1, Array2};
use proptest::prelude::*;

fn messages(n: usize) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let table = read_csv(&root.join("data/text/sms_spam.csv"), &ReadOptions::default()).unwrap();
    let rows: Vec<usize> = (0..n).collect();
    read_texts(&table, "text", &rows).unwrap()
}

/// A teacher that counts a few spam words: P(spam) = σ(−3 + 2.5 free + 2 txt + 1.5 call + 2 win).
fn keyword_probability(text: &str) -> f64 {
    let w = words(text);
    let has = |word: &str| f64::from(u8::from(w.iter().any(|x| x == word)));
    let z = -3.0 + 2.5 * has("free") + 2.0 * has("txt") + 1.5 * has("call") + 2.0 * has("win");
    1.0 / (1.0 + (-z).exp())
}

fn keyword_teacher() -> impl TextTeacher {
    FnTextTeacher::new("keywords", Task::Binary, |texts: &[String]| {
        Ok(Array2::from_shape_fn((texts.len(), 2), |(i, c)| {
            let p = keyword_probability(&texts[i]);
            if c == 1 { p } else { 1.0 - p }
        }))
    })
}

fn fitted(max_terms: usize) -> (Vec<String>, TextStudent) {
    let texts = messages(1500);
    let target: Array1<f64> = texts.iter().map(|t| keyword_probability(t)).collect();
    let mut params = TextStudentParams::default();
    params.logistic.max_terms = Some(max_terms);
    let student = TextStudent::fit(&params, &texts, target.view(), ["ham".into(), "spam".into()]).unwrap();
    (texts, student)
}

#[test]
fn the_student_finds_the_teachers_words_within_its_budget() {
    let (texts, student) = fitted(10);
    assert!(student.n_terms() <= 10 && student.n_terms() >= 4, "{} terms", student.n_terms());
    let (towards_spam, _) = student.terms_by_class();
    let top: Vec<&str> = towards_spam.iter().take(4).map(|t| t.term.as_str()).collect();
    for word in ["free", "txt", "call", "win"] {
        assert!(top.contains(&word), "{word} not among {top:?}");
    }
    // It agrees with the teacher on most messages.
    let p = student.predict_texts(&texts).unwrap();
    let agree =
        texts.iter().zip(p.column(1)).filter(|(t, p)| (keyword_probability(t) > 0.5) == (**p > 0.5)).count();
    assert!(agree as f64 / texts.len() as f64 > 0.95, "agreement {agree}");
    let text = student.explain(5);
    assert!(text.contains("n-grams pushing towards spam") && text.contains("free"), "{text}");
}

#[test]
fn contributions_add_up_to_the_log_odds_on_every_message() {
    let (texts, student) = fitted(40);
    let log_odds = student.log_odds(&texts).unwrap();
    for (text, z) in texts.iter().zip(&log_odds) {
        let e = student.explain_text(text);
        let sum = e.intercept + e.terms.iter().map(|t| t.contribution).sum::<f64>();
        assert!((sum - z).abs() < 1e-12 && (e.log_odds - z).abs() < 1e-12, "{text}: {sum} vs {z}");
        let words: f64 = student.word_scores(text).iter().map(|(_, s)| s).sum();
        assert!((e.intercept + words - z).abs() < 1e-12, "{text}: word shares {words}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: proptest::test_runner::RngSeed::Fixed(7), ..ProptestConfig::default() })]
    #[test]
    fn contributions_add_up_on_made_up_messages(picks in proptest::collection::vec(0usize..40, 0..15)) {
        static STUDENT: std::sync::OnceLock<TextStudent> = std::sync::OnceLock::new();
        let student = STUDENT.get_or_init(|| fitted(40).1);
        let vocabulary = ["free", "txt", "call", "win", "now", "u", "ok", "see", "you", "later"];
        let text: Vec<&str> = picks.iter().map(|&i| vocabulary[i % vocabulary.len()]).collect();
        let text = text.join(" ");
        let e = student.explain_text(&text);
        let z = student.log_odds(std::slice::from_ref(&text)).unwrap()[0];
        let sum = e.intercept + e.terms.iter().map(|t| t.contribution).sum::<f64>();
        prop_assert!((sum - z).abs() < 1e-12);
    }
}

#[test]
fn deleting_top_words_moves_the_teacher_more_than_random_words() {
    let (texts, student) = fitted(10);
    let mut teacher = keyword_teacher();
    let check = deletion_check(&student, &mut teacher, &texts[..400], DeletionParams::default()).unwrap();
    assert!(check.holds(), "{check:?}");
    assert!(check.top_change > 2.0 * check.random_change, "{check:?}");
    assert_eq!(check.n_messages + check.n_short, 400);
    // Seeded: the same draws give the same figures.
    let again = deletion_check(&student, &mut teacher, &texts[..400], DeletionParams::default()).unwrap();
    assert_eq!(check, again);
    let bad = DeletionParams { k: 0, ..DeletionParams::default() };
    assert!(deletion_check(&student, &mut teacher, &texts[..10], bad).is_err());
    let err = deletion_check(&student, &mut teacher, &["too short".to_string()], DeletionParams::default())
        .unwrap_err();
    assert!(err.to_string().contains("distinct words"), "{err}");
}

#[test]
fn saved_students_round_trip_and_bad_files_are_refused() {
    let (texts, student) = fitted(10);
    let saved = SavedTextStudent::new("label", "text", Some("keywords"), student.clone());
    let json = saved.to_json().unwrap();
    let back = SavedTextStudent::from_json(&json).unwrap();
    assert_eq!(
        back.student.predict_texts(&texts[..50]).unwrap(),
        student.predict_texts(&texts[..50]).unwrap()
    );
    let other = json.replacen("\"version\": 1", "\"version\": 9", 1);
    let err = SavedTextStudent::from_json(&other).unwrap_err().to_string();
    assert!(err.contains("version 9"), "{err}");
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["student"]["model"]["weights"][0][0] = serde_json::json!(1_000_000);
    let err = SavedTextStudent::from_json(&value.to_string()).unwrap_err().to_string();
    assert!(err.contains("corrupt"), "{err}");
    let err = SavedTextStudent::from_json("{\"format\": \"kd-student\"}").unwrap_err().to_string();
    assert!(err.contains("not a kd text student"), "{err}");
}
