"""Anchor for benches/gam.rs: interpret's ExplainableBoostingRegressor (default settings) fitted
to a gradient-boosted teacher's outputs, and the data kd fits on, written as raw f64 files.

Usage: gam_interpret.py OUT_DIR NAME CSV TARGET ROWS
  CSV "synthetic" makes ROWS x 20 rows of Friedman's #1 function with 15 noise features.
For each data set: a 70/30 split (seed 0), a GradientBoostingRegressor teacher fitted on the
training rows' true target (for a 0/1 target, a GradientBoostingClassifier whose probability of
class 1 is the teacher's output), then EBR fitted on the teacher's training outputs. Categorical
columns are coded as integers for both sides. Prints one JSON line: seconds, test R^2 to the
teacher, and the file names of x_train, t_train, x_test, t_test.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split


def load(path, target, rows):
    if path == "synthetic":
        rng = np.random.default_rng(0)
        x = rng.random((rows, 20))
        y = 10 * np.sin(np.pi * x[:, 0] * x[:, 1]) + 20 * (x[:, 2] - 0.5) ** 2 + 10 * x[:, 3] + 5 * x[:, 4]
        return x, y + rng.normal(size=rows)
    frame = pd.read_csv(path)
    y = frame.pop(target)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = pd.factorize(frame[column], sort=True)[0]
    if not pd.api.types.is_numeric_dtype(y):
        y = pd.Series(pd.factorize(y, sort=True)[0])
    return frame.to_numpy(dtype=float), y.to_numpy(dtype=float)


def main():
    out, name, path, target, rows = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    from interpret.glassbox import ExplainableBoostingRegressor

    x, y = load(path, target, rows)
    x_train, x_test, y_train, _ = train_test_split(x, y, test_size=0.3, random_state=0)
    binary = set(np.unique(y)) <= {0.0, 1.0}
    if binary:
        teacher = GradientBoostingClassifier(random_state=0).fit(x_train, y_train)
        t_train, t_test = teacher.predict_proba(x_train)[:, 1], teacher.predict_proba(x_test)[:, 1]
    else:
        teacher = GradientBoostingRegressor(random_state=0).fit(x_train, y_train)
        t_train, t_test = teacher.predict(x_train), teacher.predict(x_test)
    start = time.perf_counter()
    ebm = ExplainableBoostingRegressor().fit(x_train, t_train)
    seconds = time.perf_counter() - start
    r2 = r2_score(t_test, ebm.predict(x_test))
    files = {}
    for key, value in [("x_train", x_train), ("t_train", t_train), ("x_test", x_test), ("t_test", t_test)]:
        files[key] = os.path.join(out, f"{name}_{key}.f64")
        np.ascontiguousarray(value, dtype="<f8").tofile(files[key])
    print(json.dumps({"seconds": seconds, "r2": r2, "features": x.shape[1], "n_train": len(t_train),
                      "n_terms": len(ebm.term_features_), **files}))


main()
