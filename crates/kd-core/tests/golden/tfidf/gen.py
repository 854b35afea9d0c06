"""Reference text vectors for kd_core::text (tokeniser, vocabulary, counts, TF-IDF, hashing).

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python crates/kd-core/tests/golden/tfidf/gen.py
Writes cases.json beside this file.

The anchor is scikit-learn 1.9.1's CountVectorizer, TfidfVectorizer, HashingVectorizer and
TfidfTransformer. kd cuts text into Unicode words (UAX #29, the `unicode-segmentation` crate);
scikit-learn is given the same tokeniser, written independently with the `regex` module's
Unicode word boundaries (the WORD flag, `(?w)`; uax29_words.py beside this file): the text is
lower-cased, cut at every word boundary, and the segments holding a letter or digit are the words. So the comparison is of
the vectorisers (n-grams, document frequencies, the vocabulary cap, idf, the l2 norm,
MurmurHash3 columns); `corpus_tokens_sha256` checks the tokeniser on all 5,574 messages.

Cases (the first N messages of data/text/sms_spam.csv):
  * tfidf:   400 messages, TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=237);
  * counts:  400 messages, CountVectorizer(ngram_range=(1, 2), min_df=0.01);
  * hashed:  400 messages, HashingVectorizer(ngram_range=(1, 2), n_features=1024,
             alternate_sign=False, norm=None) then TfidfTransformer();
  * unicode: hand-written documents (accents, apostrophes, numbers, emoji, Greek),
             TfidfVectorizer(ngram_range=(1, 2), min_df=1).
Matrices are stored as CSR (indptr, indices, data) with sorted indices.
"""
import csv
import hashlib
import json
import pathlib

import numpy as np
import regex
import sklearn
from sklearn.feature_extraction.text import (CountVectorizer, HashingVectorizer, TfidfTransformer,
                                             TfidfVectorizer)

from uax29_words import words  # beside this file

assert sklearn.__version__ == "1.9.1", sklearn.__version__
assert np.__version__ == "2.4.6", np.__version__

ROOT = pathlib.Path(__file__).resolve().parents[5]
OUT = pathlib.Path(__file__).resolve().parent


def csr(matrix):
    m = matrix.tocsr()
    m.sort_indices()
    return {"shape": list(m.shape), "indptr": m.indptr.tolist(), "indices": m.indices.tolist(),
            "data": m.data.tolist()}


def no_tie_at_cap(vectorizer, docs):
    """max_features keeps the most frequent terms; check that no tie straddles the cap, so that
    scikit-learn's unstable argsort and kd's tie rule (code-point order) agree."""
    counter = CountVectorizer(tokenizer=words, token_pattern=None, ngram_range=vectorizer.ngram_range,
                              min_df=vectorizer.min_df)
    totals = np.asarray(counter.fit_transform(docs).sum(axis=0)).ravel()
    ordered = np.sort(totals)[::-1]
    cap = vectorizer.max_features
    assert ordered[cap - 1] != ordered[cap], ("a tie at the vocabulary cap", ordered[cap - 1])


with open(ROOT / "data/text/sms_spam.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
# kd's CSV reader trims cells.
messages = [r["text"].strip() for r in rows]
docs = messages[:400]

tokens = "\n".join(" ".join(words(m.lower())) for m in messages)
cases = {"corpus_tokens_sha256": hashlib.sha256(tokens.encode("utf-8")).hexdigest(),
         "corpus_size": len(messages)}

tfidf = TfidfVectorizer(tokenizer=words, token_pattern=None, ngram_range=(1, 2), min_df=2, max_features=237)
no_tie_at_cap(tfidf, docs)
x = tfidf.fit_transform(docs)
cases["tfidf"] = {"n_documents": len(docs), "ngrams": [1, 2], "min_df": 2, "max_terms": 237,
                  "vocabulary": tfidf.get_feature_names_out().tolist(), "idf": tfidf.idf_.tolist(),
                  "matrix": csr(x)}

counts = CountVectorizer(tokenizer=words, token_pattern=None, ngram_range=(1, 2), min_df=0.01)
x = counts.fit_transform(docs)
cases["counts"] = {"n_documents": len(docs), "ngrams": [1, 2], "min_df_share": 0.01,
                   "vocabulary": counts.get_feature_names_out().tolist(), "matrix": csr(x)}

hashing = HashingVectorizer(tokenizer=words, token_pattern=None, ngram_range=(1, 2), n_features=1024,
                            alternate_sign=False, norm=None)
raw = hashing.transform(docs)
transformer = TfidfTransformer().fit(raw)
cases["hashed"] = {"n_documents": len(docs), "ngrams": [1, 2], "buckets": 1024,
                   "idf": transformer.idf_.tolist(), "matrix": csr(transformer.transform(raw))}

unicode_docs = ["Café crème à 3,50 €, c'est l'été !", "Don't CALL 0800-123 now!!! 😀😀",
                "ΚΑΛΗΜΕΡΑ κόσμε, καλημέρα", "naïve café e-mail x@y.com", "l'été c'est café"]
tfidf = TfidfVectorizer(tokenizer=words, token_pattern=None, ngram_range=(1, 2), min_df=1)
x = tfidf.fit_transform(unicode_docs)
cases["unicode"] = {"documents": unicode_docs, "ngrams": [1, 2], "min_df": 1,
                    "tokens": [words(d.lower()) for d in unicode_docs],
                    "vocabulary": tfidf.get_feature_names_out().tolist(), "idf": tfidf.idf_.tolist(),
                    "matrix": csr(x)}

cases["versions"] = {"scikit-learn": sklearn.__version__, "numpy": np.__version__,
                     "regex": regex.__version__}
(OUT / "cases.json").write_text(json.dumps(cases, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
print("wrote", OUT / "cases.json")
