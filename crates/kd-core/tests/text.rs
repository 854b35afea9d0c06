//! kd_core::text against scikit-learn 1.9.1 (tests/golden/tfidf, made by gen.py there): the
//! tokeniser on the whole SMS corpus, the vocabulary with min_df and the cap, TF-IDF, counts and
//! hashed columns; and the errors for unusable text columns.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use std::path::{Path, PathBuf};

use kd_core::data::{ReadOptions, read_csv};
use kd_core::text::{CsMat, MinDf, Vectorizer, VectorizerParams, Weighting, read_texts, words};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/tfidf/cases.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn messages() -> Vec<String> {
    let table = read_csv(&root().join("data/text/sms_spam.csv"), &ReadOptions::default()).unwrap();
    let rows: Vec<usize> = (0..table.n_rows()).collect();
    read_texts(&table, "text", &rows).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|s| s.as_f64().unwrap()).collect()
}

/// The largest difference between kd's CSR matrix and the golden one, after checking that
/// both have the same shape and the same non-zero pattern.
fn matrix_gap(ours: &CsMat<f64>, theirs: &Value, what: &str) -> f64 {
    let shape: Vec<usize> =
        theirs["shape"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    assert_eq!(vec![ours.rows(), ours.cols()], shape, "{what}: shape");
    let indptr: Vec<usize> =
        theirs["indptr"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    let indices: Vec<usize> =
        theirs["indices"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    assert_eq!(ours.indptr().raw_storage(), indptr.as_slice(), "{what}: row pointers");
    assert_eq!(ours.indices(), indices.as_slice(), "{what}: columns");
    ours.data().iter().zip(numbers(&theirs["data"])).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
}

#[test]
fn tokens_of_the_whole_corpus_match_an_independent_uax29() {
    let g = golden();
    let messages = messages();
    assert_eq!(messages.len() as u64, g["corpus_size"].as_u64().unwrap());
    let joined: Vec<String> = messages.iter().map(|m| words(m).join(" ")).collect();
    let digest = Sha256::digest(joined.join("\n").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, g["corpus_tokens_sha256"].as_str().unwrap());
}

#[test]
fn tfidf_with_min_df_and_cap_matches_tfidf_vectorizer() {
    let g = &golden()["tfidf"];
    let docs = &messages()[..400];
    let params = VectorizerParams { min_df: MinDf::Count(2), max_terms: 237, ..VectorizerParams::default() };
    let (v, x) = Vectorizer::fit_transform(docs, &params).unwrap();
    assert_eq!(v.terms(), strings(&g["vocabulary"]).as_slice());
    let idf_gap = v.idf().iter().zip(numbers(&g["idf"])).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    assert!(idf_gap < 1e-12, "idf differs by {idf_gap:e}");
    let gap = matrix_gap(&x, &g["matrix"], "tfidf");
    assert!(gap < 1e-12, "weights differ by {gap:e}");
}

#[test]
fn counts_with_a_min_df_share_match_count_vectorizer() {
    let g = &golden()["counts"];
    let docs = &messages()[..400];
    let params = VectorizerParams {
        min_df: MinDf::Share(0.01),
        weighting: Weighting::Counts,
        ..VectorizerParams::default()
    };
    let (v, x) = Vectorizer::fit_transform(docs, &params).unwrap();
    assert_eq!(v.terms(), strings(&g["vocabulary"]).as_slice());
    assert_eq!(matrix_gap(&x, &g["matrix"], "counts"), 0.0);
    assert!(v.idf().is_empty());
}

#[test]
fn hashed_tfidf_matches_hashing_vectorizer_and_tfidf_transformer() {
    let g = &golden()["hashed"];
    let docs = &messages()[..400];
    let params = VectorizerParams { hashing: Some(1024), ..VectorizerParams::default() };
    let (v, x) = Vectorizer::fit_transform(docs, &params).unwrap();
    assert_eq!(v.n_columns(), 1024);
    let idf_gap = v.idf().iter().zip(numbers(&g["idf"])).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    assert!(idf_gap < 1e-12, "idf differs by {idf_gap:e}");
    let gap = matrix_gap(&x, &g["matrix"], "hashed");
    assert!(gap < 1e-12, "weights differ by {gap:e}");
    // A hashed column is named by the n-grams that fell into it.
    let free = v.column_of("free").unwrap();
    assert!(v.column_name(free).contains("free"), "{}", v.column_name(free));
}

#[test]
fn unicode_documents_match() {
    let g = &golden()["unicode"];
    let docs = strings(&g["documents"]);
    for (doc, tokens) in docs.iter().zip(g["tokens"].as_array().unwrap()) {
        assert_eq!(words(doc), strings(tokens), "{doc}");
    }
    let params = VectorizerParams { min_df: MinDf::Count(1), ..VectorizerParams::default() };
    let (v, x) = Vectorizer::fit_transform(&docs, &params).unwrap();
    assert_eq!(v.terms(), strings(&g["vocabulary"]).as_slice());
    let gap = matrix_gap(&x, &g["matrix"], "unicode");
    assert!(gap < 1e-12, "weights differ by {gap:e}");
}

#[test]
fn unseen_documents_and_round_trip() {
    let docs = &messages()[..400];
    let (v, _) = Vectorizer::fit_transform(docs, &VectorizerParams::default()).unwrap();
    // No known n-gram: an all-zero row, as scikit-learn leaves it.
    let x = v.transform(&["zzzqx qqqzz"]).unwrap();
    assert_eq!(x.nnz(), 0);
    let json = serde_json::to_string(&v).unwrap();
    let back: Vectorizer = serde_json::from_str(&json).unwrap();
    back.validate().unwrap();
    assert_eq!(back.transform(&docs[..20]).unwrap(), v.transform(&docs[..20]).unwrap());
}

#[test]
fn nothing_left_after_min_df_is_an_error() {
    let err = Vectorizer::fit(&["one two", "three four"], &VectorizerParams::default()).unwrap_err();
    assert!(err.to_string().contains("min-df"), "{err}");
    let err = Vectorizer::fit::<&str>(&[], &VectorizerParams::default()).unwrap_err();
    assert!(err.to_string().contains("needs at least 1 rows"), "{err}");
}

fn table(text: &str) -> (tempfile::TempDir, kd_core::data::Table) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, text).unwrap();
    let t = read_csv(&path, &ReadOptions::default()).unwrap();
    (dir, t)
}

#[test]
fn unusable_text_columns_are_named_errors() {
    let (_d, t) = table("label,text,n\nham,hello there,1\nspam,,2\nham,free,3\n");
    let err = read_texts(&t, "text", &[0, 1, 2]).unwrap_err().to_string();
    assert!(err.contains("line 3") && err.contains("'text'") && err.contains("empty"), "{err}");
    let err = read_texts(&t, "body", &[0]).unwrap_err().to_string();
    assert!(err.contains("no column named 'body'"), "{err}");
    let err = read_texts(&t, "n", &[0]).unwrap_err().to_string();
    assert!(err.contains("holds numbers"), "{err}");
    let (_d, t) = table("label,text\nham,same words\nspam,same words\n");
    let err = read_texts(&t, "text", &[0, 1]).unwrap_err().to_string();
    assert!(err.contains("one distinct text") && err.contains("same words"), "{err}");
}
