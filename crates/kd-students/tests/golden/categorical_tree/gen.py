"""Reference level-set splits for kd_students::tree's categorical features.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python crates/kd-students/tests/golden/categorical_tree/gen.py
Writes cases.json beside this file.

The anchor. scikit-learn 1.9.1's DecisionTreeRegressor has no categorical features, so each
case records, for one categorical feature of German credit alone and one target:
  * `exhaustive`: the best partition of the levels over all 2^(L-1) - 1 of them, by numpy
    (the squared-error decrease n*imp - n_l*imp_l - n_r*imp_r), which Breiman's theorem says
    the scan over levels ordered by their mean target finds;
  * `hgb`: the first split of HistGradientBoostingRegressor(max_iter=1, learning_rate=1,
    max_depth=1, min_samples_leaf=1, categorical_features=[0]) on the feature's level codes,
    and its gain. scikit-learn ignores levels with fewer than 10 rows (MIN_CAT_SUPPORT) and
    sorts by sum_gradient / (count + 10), so `hgb` is recorded only where every level has
    at least 10 rows, with `hgb_matches_exhaustive` saying whether its smoothing changed
    the answer.
Level codes are kd-core's: the levels of a column sorted as strings.
"""
import itertools
import json
import pathlib

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingRegressor

assert sklearn.__version__ == "1.9.1", sklearn.__version__
assert np.__version__ == "2.4.6", np.__version__
ROOT = pathlib.Path(__file__).resolve().parents[5]
OUT = pathlib.Path(__file__).resolve().parent
DATA = "data/credit/german_credit.csv"

frame = pd.read_csv(ROOT / DATA, dtype=str, keep_default_na=False)
categorical = [c for c in frame.columns if c != "creditability" and not frame[c].str.fullmatch(r"-?\d+(\.\d+)?").all()]
targets = {
    "bad": (frame["creditability"] == "bad").astype(float).to_numpy(),
    "log_credit_amount": np.log(frame["credit_amount"].astype(float).to_numpy()),
}


def decrease(y, mask):
    def sse(v):
        return ((v - v.mean()) ** 2).sum() if len(v) else 0.0
    return sse(y) - sse(y[mask]) - sse(y[~mask])


cases = []
for column in categorical:
    levels = sorted(frame[column].unique())
    codes = np.array([levels.index(v) for v in frame[column]])
    counts = np.bincount(codes, minlength=len(levels))
    for target_name, y in targets.items():
        best = None
        for k in range(1, len(levels)):
            for subset in itertools.combinations(range(len(levels)), k):
                if 0 not in subset:  # each partition once: the side holding level 0
                    continue
                gain = decrease(y, np.isin(codes, subset))
                if best is None or gain > best[0] + 1e-12:
                    best = (gain, subset)
        left = sorted(levels[c] for c in best[1])
        right = sorted(set(levels) - set(left))
        case = {
            "feature": column, "target": target_name, "n_levels": len(levels),
            "exhaustive": {"left": left, "right": right, "decrease": best[0]},
            "hgb": None,
        }
        if counts.min() >= 10:
            model = HistGradientBoostingRegressor(
                max_iter=1, learning_rate=1.0, max_depth=1, min_samples_leaf=1,
                l2_regularization=0.0, categorical_features=[0], early_stopping=False,
            ).fit(codes[:, None], y)
            predictor = model._predictors[0][0]
            root = predictor.nodes[0]
            assert root["is_categorical"]
            bits = predictor.raw_left_cat_bitsets[root["bitset_idx"]]
            hgb_left = sorted(levels[c] for c in range(len(levels)) if (bits[c // 32] >> (c % 32)) & 1)
            hgb_right = sorted(set(levels) - set(hgb_left))
            case["hgb"] = {"left": hgb_left, "right": hgb_right, "gain": float(root["gain"])}
            case["hgb_matches_exhaustive"] = {frozenset(hgb_left), frozenset(hgb_right)} == {frozenset(left), frozenset(right)}
        cases.append(case)
        print(column, target_name, len(levels), round(best[0], 6), case.get("hgb_matches_exhaustive"))

(OUT / "cases.json").write_text(json.dumps({
    "source": f"numpy {np.__version__} (exhaustive), scikit-learn {sklearn.__version__} (HistGradientBoostingRegressor), pandas {pd.__version__}",
    "data": DATA,
    "tolerance": {"decrease": 1e-9, "hgb_gain": 1e-6},
    "cases": cases,
}, indent=1) + "\n")
