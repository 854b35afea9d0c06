"""Reference missing-value bins for kd_students::gam, from interpret's EBM.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python crates/kd-students/tests/golden/gam_missing/gen.py
Writes cases.json beside this file.

The anchor. interpret 0.7.8's ExplainableBoostingClassifier/Regressor with its defaults
(missing="separate": the missing bin is a leaf of its own in every boosting step) and no
pairs (interactions=0), fitted on data sets with holes: NaN in some columns at random and,
in one column, mostly where the target is high, so that "is missing" carries information.
Recorded per case: the data with holes (null = missing), interpret's score of each feature's
missing-value bin (term_scores_[j][0]) minus the count-weighted mean of its term (so that it
is comparable with kd's centred terms), the share of rows missing, and interpret's
predictions on every row (probability of class 1, or the value).
"""
import json
import pathlib

import interpret
import numpy as np
import sklearn
from interpret.glassbox import ExplainableBoostingClassifier, ExplainableBoostingRegressor

assert interpret.__version__ == "0.7.8", interpret.__version__
assert sklearn.__version__ == "1.9.1", sklearn.__version__
ROOT = pathlib.Path(__file__).resolve().parents[5]
OUT = pathlib.Path(__file__).resolve().parent


def load(name):
    path = f"data/sklearn/{name}.csv"
    data = np.genfromtxt(ROOT / path, delimiter=",", names=True)
    names = [n for n in data.dtype.names if n != "target"]
    return path, names, np.column_stack([data[n] for n in names]), data["target"]


rng = np.random.default_rng(20261204)
cases = []
for case, name, kind, columns, informative in [
    ("breast_cancer", "breast_cancer", "classifier",
     ["worst_radius", "mean_texture", "worst_concave_points"], "worst_area"),
    ("diabetes", "diabetes", "regressor", ["bmi", "s5"], "bp"),
]:
    path, names, x, y = load(name)
    x = x.copy()
    for c in columns:
        x[rng.random(len(x)) < 0.2, names.index(c)] = np.nan
    high = y >= np.median(y) if kind == "regressor" else y == 1
    x[rng.random(len(x)) < np.where(high, 0.5, 0.1), names.index(informative)] = np.nan
    model = (ExplainableBoostingClassifier if kind == "classifier" else ExplainableBoostingRegressor)(
        interactions=0, random_state=0)
    model.fit(x, y.astype(int) if kind == "classifier" else y)
    missing = {}
    for j, n in enumerate(names):
        if not np.isnan(x[:, j]).any():
            continue
        scores = model.term_scores_[j]
        weights = model.bin_weights_[j]
        mean = float(np.average(scores, weights=weights))
        missing[n] = {"score": float(scores[0]) - mean, "share": float(np.isnan(x[:, j]).mean())}
    pred = model.predict_proba(x)[:, 1] if kind == "classifier" else model.predict(x)
    cases.append({
        "case": case, "data": path, "kind": kind, "features": names,
        "x": [[None if np.isnan(v) else float(v) for v in row] for row in x],
        "target": y.tolist(), "missing_scores": missing, "predictions": pred.tolist(),
    })
    print(case, {k: round(v["score"], 3) for k, v in missing.items()})

(OUT / "cases.json").write_text(json.dumps({
    "source": f"interpret {interpret.__version__} (missing='separate', interactions=0, random_state=0), "
              f"scikit-learn {sklearn.__version__}",
    "cases": cases,
}) + "\n")
