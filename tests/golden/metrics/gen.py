"""Reference values for kd_core::metrics, from scikit-learn and scipy.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/metrics/gen.py
Writes tests/golden/metrics/{binary,multiclass,regression}.json.
"""
import json
import pathlib

import numpy as np
import scipy
import sklearn
from scipy.special import rel_entr
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, brier_score_loss, log_loss, mean_squared_error, r2_score, roc_auc_score
from sklearn.preprocessing import StandardScaler

assert sklearn.__version__ == "1.9.1", sklearn.__version__
assert scipy.__version__ == "1.17.1", scipy.__version__
ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = pathlib.Path(__file__).resolve().parent
SOURCE = f"scikit-learn {sklearn.__version__}, scipy {scipy.__version__}, numpy {np.__version__}"


def load(name, target):
    data = np.genfromtxt(ROOT / "data" / "sklearn" / f"{name}.csv", delimiter=",", names=True)
    names = [n for n in data.dtype.names if n != target]
    x = np.column_stack([data[n] for n in names])
    return StandardScaler().fit_transform(x), data[target]


def classification(name, target):
    x, y = load(name, target)
    y = y.astype(int)
    # Teacher: logistic regression on all features; student: a weaker one on five (so they
    # disagree on some rows, and every probability is positive).
    teacher = LogisticRegression(max_iter=5000, C=0.05).fit(x, y).predict_proba(x)
    student = LogisticRegression(max_iter=5000, C=0.002).fit(x[:, :5], y).predict_proba(x[:, :5])
    out = {
        "source": SOURCE,
        "tolerance": 1e-12,
        "y": y.tolist(),
        "teacher": teacher.tolist(),
        "student": student.tolist(),
        "accuracy": accuracy_score(y, teacher.argmax(1)),
        "agreement": float(np.mean(teacher.argmax(1) == student.argmax(1))),
        "log_loss": log_loss(y, student),
        "brier": brier_score_loss(y, student if student.shape[1] > 2 else student[:, 1]),
        "mean_kl": float(rel_entr(teacher, student).sum(1).mean()),
    }
    if teacher.shape[1] == 2:
        out["auroc"] = roc_auc_score(y, student[:, 1])
        # Rounded scores create ties, which the mid-rank formula must handle as sklearn does.
        out["auroc_tied"] = roc_auc_score(y, np.round(student[:, 1], 1))
    else:
        # Hand & Till's M (one class against one other, every pair) and each class against the
        # rest; the weak student's probabilities, so that the classes overlap.
        out["auroc_hand_till"] = roc_auc_score(y, student, multi_class="ovo", average="macro")
        out["auroc_one_against_rest"] = [roc_auc_score(y == k, student[:, k]) for k in range(student.shape[1])]
    return out


def regression():
    x, y = load("diabetes", "target")
    pred = LinearRegression().fit(x[:, :4], y).predict(x[:, :4])
    return {
        "source": SOURCE,
        "tolerance": 1e-12,
        "y": y.tolist(),
        "pred": pred.tolist(),
        "r2": r2_score(y, pred),
        "rmse": float(np.sqrt(mean_squared_error(y, pred))),
    }


for case, value in [
    ("binary", classification("breast_cancer", "target")),
    ("multiclass", classification("wine", "target")),
    ("regression", regression()),
]:
    (OUT / f"{case}.json").write_text(json.dumps(value, indent=1) + "\n")
    print("wrote", case)
