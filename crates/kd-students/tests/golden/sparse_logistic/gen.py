"""Reference optima of L1 and elastic-net logistic regression on soft targets, for
kd_students::sparse::SparseLogistic.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python crates/kd-students/tests/golden/sparse_logistic/gen.py
Writes cases.json beside this file.

Data: the first 300 messages of data/text/sms_spam.csv as scikit-learn 1.9.1 TF-IDF rows
(1-2-grams, min_df=3, on the UAX #29 words of crates/kd-core/tests/golden/tfidf/gen.py), and
soft targets: the probability of spam from an L2 logistic regression (C = 1) on the labels.
The matrix and targets are stored, so the test checks the solver alone.

Objective (glmnet's scaling; kd's): F = (1/n) sum_i [log(1 + e^eta_i) - y_i eta_i]
+ lam * (a * |b|_1 + (1 - a)/2 * |b|_2^2), intercept unpenalised. scikit-learn's
LogisticRegression(C, l1_ratio=a) minimises the same up to a factor when lam = 1 / (C n) and
each soft target is written as two rows (label 1 with weight y_i, label 0 with weight 1 - y_i).
Two anchors per case: scikit-learn's saga (tol 1e-12) and scipy 1.17's L-BFGS-B on the split
variables b = u - v, u, v >= 0 (a smooth bound-constrained form of the same problem); the
generator checks they agree before writing.
"""
import csv
import json
import pathlib
import sys

import numpy as np
import scipy
import sklearn
from scipy.optimize import minimize
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

assert sklearn.__version__ == "1.9.1", sklearn.__version__
assert scipy.__version__ == "1.17.1", scipy.__version__
assert np.__version__ == "2.4.6", np.__version__

ROOT = pathlib.Path(__file__).resolve().parents[5]
OUT = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "crates/kd-core/tests/golden/tfidf"))
from uax29_words import words  # noqa: E402  (kd-core's tokeniser golden: the same words)


with open(ROOT / "data/text/sms_spam.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))[:300]
docs = [r["text"].strip() for r in rows]
labels = np.array([r["label"] == "spam" for r in rows], dtype=float)
x = TfidfVectorizer(tokenizer=words, token_pattern=None, ngram_range=(1, 2), min_df=3).fit_transform(docs).tocsr()
x.sort_indices()
y = LogisticRegression(C=1.0, max_iter=10000).fit(x, labels).predict_proba(x)[:, 1]
n, p = x.shape


def objective(b0, b, lam, a):
    eta = b0 + x @ b
    loss = np.mean(np.logaddexp(0.0, eta) - y * eta)
    return loss + lam * (a * np.abs(b).sum() + 0.5 * (1 - a) * (b @ b))


def saga(lam, a):
    c = 1.0 / (lam * n)
    model = LogisticRegression(C=c, l1_ratio=a, solver="saga", tol=1e-12, max_iter=1_000_000)
    from scipy.sparse import vstack
    model.fit(vstack([x, x]).tocsr(), np.r_[np.ones(n), np.zeros(n)], sample_weight=np.r_[y, 1 - y])
    return model.intercept_[0], model.coef_[0]


def lbfgsb(lam, a):
    def f(z):
        b0, u, v = z[0], z[1:p + 1], z[p + 1:]
        b = u - v
        eta = b0 + x @ b
        q = 1.0 / (1.0 + np.exp(-eta))
        r = (q - y) / n
        g = x.T @ r
        value = np.mean(np.logaddexp(0.0, eta) - y * eta) + lam * (a * (u + v).sum() + 0.5 * (1 - a) * (b @ b))
        gb = g + lam * (1 - a) * b
        return value, np.r_[r.sum(), gb + lam * a, -gb + lam * a]
    bounds = [(None, None)] + [(0, None)] * (2 * p)
    res = minimize(f, np.zeros(2 * p + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": 100000, "maxfun": 200000, "ftol": 1e-16, "gtol": 1e-13, "maxcor": 50})
    z = res.x
    return z[0], z[1:p + 1] - z[p + 1:]


cases = []
for name, lam, a in [("lasso", 2e-3, 1.0), ("elastic_net", 4e-3, 0.5), ("lasso_dense", 3e-4, 1.0)]:
    s0, sb = saga(lam, a)
    l0, lb = lbfgsb(lam, a)
    fs, fl = objective(s0, sb, lam, a), objective(l0, lb, lam, a)
    assert abs(fs - fl) < 1e-8 * max(1.0, abs(fs)), (name, fs, fl)
    cases.append({"name": name, "lambda": lam, "l1_ratio": a, "C": 1.0 / (lam * n),
                  "saga": {"intercept": s0, "coef": sb.tolist(), "objective": fs,
                           "n_nonzero": int(np.count_nonzero(sb))},
                  "lbfgsb": {"objective": fl}})
    print(name, "saga", fs, "lbfgsb", fl, "nonzero", int(np.count_nonzero(sb)))

golden = {"n": n, "p": p, "y": y.tolist(),
          "x": {"indptr": x.indptr.tolist(), "indices": x.indices.tolist(), "data": x.data.tolist()},
          "cases": cases,
          "versions": {"scikit-learn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}}
(OUT / "cases.json").write_text(json.dumps(golden, separators=(",", ":")) + "\n")
print("wrote", OUT / "cases.json")
