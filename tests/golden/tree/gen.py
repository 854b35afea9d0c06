"""Reference trees for kd_students::tree, from scikit-learn.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/tree/gen.py
Writes tests/golden/tree/<case>.json: the data file, target, parameters, and scikit-learn's
predictions on every row, leaf count and depth.
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

assert sklearn.__version__ == "1.9.1", sklearn.__version__
ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = pathlib.Path(__file__).resolve().parent


def load(name):
    path = f"data/sklearn/{name}.csv"
    data = np.genfromtxt(ROOT / path, delimiter=",", names=True)
    names = [n for n in data.dtype.names if n != "target"]
    return path, np.column_stack([data[n] for n in names]), data["target"]


CASES = []
for case, name, kind, params in [
    ("breast_cancer_depth4", "breast_cancer", "classifier", {"max_depth": 4}),
    ("breast_cancer_full", "breast_cancer", "classifier", {}),
    ("wine_entropy_8_leaves", "wine", "classifier", {"criterion": "entropy", "max_leaf_nodes": 8}),
    ("diabetes_depth5_leaf5", "diabetes", "regressor", {"max_depth": 5, "min_samples_leaf": 5}),
    ("diabetes_16_leaves", "diabetes", "regressor", {"max_leaf_nodes": 16}),
    ("wine_soft_targets_depth3", "wine", "soft", {"max_depth": 3}),
    ("breast_cancer_ccp", "breast_cancer", "classifier", {"ccp_alpha": 0.01}),
    ("diabetes_ccp", "diabetes", "regressor", {"ccp_alpha": 30.0, "min_samples_leaf": 5}),
]:
    path, x, y = load(name)
    if kind == "classifier":
        model = DecisionTreeClassifier(random_state=0, **params).fit(x, y.astype(int))
        pred = model.predict_proba(x)
        target = y.astype(int).tolist()
    elif kind == "regressor":
        model = DecisionTreeRegressor(random_state=0, **params).fit(x, y)
        pred = model.predict(x)[:, None]
        target = y.tolist()
    else:  # born-again: a regression tree on a teacher's class probabilities
        z = StandardScaler().fit_transform(x)
        target = LogisticRegression(max_iter=5000, C=0.1).fit(z, y.astype(int)).predict_proba(z)
        model = DecisionTreeRegressor(random_state=0, **params).fit(x, target)
        pred = model.predict(x)
        target = target.tolist()
    (OUT / f"{case}.json").write_text(json.dumps({
        "source": f"scikit-learn {sklearn.__version__}",
        "data": path, "kind": kind, "params": params, "target": target,
        "n_leaves": int(model.get_n_leaves()), "depth": int(model.get_depth()),
        "predictions": pred.tolist(),
    }) + "\n")
    print(case, model.get_n_leaves(), model.get_depth())


# Missing values (scikit-learn >= 1.3 splits them natively): NaN put into some columns, at
# random and, in one column per case, more often in one class or at high values, so that
# "is missing" carries information and the split of present from missing values competes.
# `probe` is the same data with NaN also in columns that had none in training (scikit-learn
# sends such rows to the child with more training rows).
rng = np.random.default_rng(20261204)
for case, name, kind, params, columns, informative, (often, rarely) in [
    ("breast_cancer_missing_depth4", "breast_cancer", "classifier", {"max_depth": 4},
     ["worst_radius", "mean_texture", "worst_concave_points", "worst_perimeter"], "worst_area", (0.5, 0.1)),
    ("breast_cancer_missing_leaf10", "breast_cancer", "classifier", {"min_samples_leaf": 10},
     ["worst_radius", "worst_concave_points", "mean_concave_points"], "worst_texture", (0.5, 0.1)),
    ("diabetes_missing_16_leaves", "diabetes", "regressor", {"max_leaf_nodes": 16},
     ["bmi", "s5", "bp"], "s6", (0.5, 0.1)),
    # Missing `sex` mostly among high targets: a split of present from missing values wins.
    ("diabetes_missing_presence", "diabetes", "regressor", {"max_depth": 4, "min_samples_leaf": 10},
     ["bmi"], "sex", (0.8, 0.05)),
]:
    path, x, y = load(name)
    names = [n for n in np.genfromtxt(ROOT / path, delimiter=",", names=True).dtype.names if n != "target"]
    x = x.copy()
    for c in columns:
        x[rng.random(len(x)) < 0.2, names.index(c)] = np.nan
    j = names.index(informative)
    high = y >= np.median(y) if kind == "regressor" else y == 1
    x[rng.random(len(x)) < np.where(high, often, rarely), j] = np.nan
    probe = x.copy()
    probe[rng.random(probe.shape) < 0.1] = np.nan
    if kind == "classifier":
        model = DecisionTreeClassifier(random_state=0, **params).fit(x, y.astype(int))
        pred, probe_pred, target = model.predict_proba(x), model.predict_proba(probe), y.astype(int).tolist()
    else:
        model = DecisionTreeRegressor(random_state=0, **params).fit(x, y)
        pred, probe_pred, target = model.predict(x)[:, None], model.predict(probe)[:, None], y.tolist()
    as_json = lambda m: [[None if np.isnan(v) else float(v) for v in row] for row in m]
    (OUT / f"{case}.json").write_text(json.dumps({
        "source": f"scikit-learn {sklearn.__version__}",
        "data": path, "kind": kind, "params": params, "target": target,
        "x": as_json(x), "probe": as_json(probe),
        "n_leaves": int(model.get_n_leaves()), "depth": int(model.get_depth()),
        "presence_splits": int(np.isinf(model.tree_.threshold).sum()),
        "predictions": pred.tolist(), "probe_predictions": probe_pred.tolist(),
    }) + "\n")
    print(case, model.get_n_leaves(), model.get_depth(), int(np.isinf(model.tree_.threshold).sum()))
