#!/usr/bin/env python3
"""Serve a scikit-learn model as a kd teacher (the `cmd:` protocol).

Train on a CSV file, or load a saved model, then answer kd's requests on stdin/stdout:
  request  {"rows": [[x1, x2, ...], ...]}    numeric features as numbers, categorical as strings
  response {"predictions": [[p1, ..., pk], ...]} class probabilities (classes in sorted order,
           as kd numbers them), or {"predictions": [v1, ...]} for regression

Examples:
  kd describe --data data/sklearn/wine.csv
  python3 examples/teachers/sklearn_teacher.py --train data/sklearn/wine.csv --target target \
      --model random_forest --save /tmp/wine_rf.joblib --fit-only
  kd ... --teacher "cmd:python3 examples/teachers/sklearn_teacher.py --load /tmp/wine_rf.joblib"

The features are the file's columns other than the target (and --exclude), in file order:
the order in which kd sends them by default. A column is numeric when all its cells parse as
numbers, categorical (one-hot encoded) otherwise or when --categorical names it (as kd's
--categorical, which sends its cells as level names). Needs scikit-learn (`cargo xtask setup`
installs the pinned version into kd's Python environment).
"""
import argparse
import csv
import json
import sys

import joblib
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MODELS = {
    "random_forest": (lambda s: RandomForestClassifier(n_estimators=200, random_state=s),
                      lambda s: RandomForestRegressor(n_estimators=200, random_state=s)),
    "gradient_boosting": (lambda s: GradientBoostingClassifier(random_state=s),
                          lambda s: GradientBoostingRegressor(random_state=s)),
    "logistic": (lambda s: LogisticRegression(max_iter=5000), lambda s: LinearRegression()),
    "mlp": (lambda s: MLPClassifier(hidden_layer_sizes=(64, 64), max_iter=2000, random_state=s),
            lambda s: MLPRegressor(hidden_layer_sizes=(64, 64), max_iter=2000, random_state=s)),
    # The same network regularised: L2 penalty alpha = 0.01 (scikit-learn's default is 1e-4),
    # batches of 32 rows, early stopping on a 10% validation split (20 epochs without improvement).
    "mlp_regularised": (
        lambda s: MLPClassifier(hidden_layer_sizes=(64, 64), alpha=1e-2, batch_size=32, early_stopping=True,
                                validation_fraction=0.1, n_iter_no_change=20, max_iter=2000, random_state=s),
        lambda s: MLPRegressor(hidden_layer_sizes=(64, 64), alpha=1e-2, batch_size=32, early_stopping=True,
                               validation_fraction=0.1, n_iter_no_change=20, max_iter=2000, random_state=s)),
}


def is_number(cell):
    try:
        float(cell)
        return True
    except ValueError:
        return False


def read(path, target, exclude, categorical=frozenset()):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index(target)
    cols = [i for i, name in enumerate(header) if i != t and name not in exclude]
    numeric = [header[i] not in categorical and all(is_number(r[i]) for r in body) for i in cols]
    x = np.array([[float(r[i]) if num else r[i] for i, num in zip(cols, numeric)] for r in body], dtype=object)
    return x, [r[t] for r in body], numeric


def train(args):
    names = lambda text: set(text.split(",")) if text else set()
    x, y, numeric = read(args.train, args.target, names(args.exclude), names(args.categorical))
    y_numeric = all(is_number(v) for v in y)
    values = np.array([float(v) for v in y]) if y_numeric else np.array(y)
    integral = y_numeric and np.all(values == np.round(values)) and len(np.unique(values)) <= 10
    classify = args.task == "classification" or (args.task == "auto" and (not y_numeric or integral))
    model = MODELS[args.model][0 if classify else 1](args.seed)
    categorical = [j for j, num in enumerate(numeric) if not num]
    numbers = [j for j, num in enumerate(numeric) if num]
    encode = ColumnTransformer([("num", StandardScaler(), numbers),
                                ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])
    pipeline = make_pipeline(encode, model)
    pipeline.fit(x, values if (not classify or y_numeric) else y)
    return {"pipeline": pipeline, "classify": classify, "numeric": numeric}


def predict(bundle, rows):
    pipeline, classify, numeric = bundle["pipeline"], bundle["classify"], bundle["numeric"]
    x = np.array([[float(v) if num else str(v) for v, num in zip(r, numeric)] for r in rows], dtype=object)
    if len(rows) == 0:
        return []
    return (pipeline.predict_proba(x) if classify else pipeline.predict(x)).tolist()


def serve(predict):
    """Answers kd's requests, one JSON line `{"rows": [[...], ...]}` each, with
    `{"predictions": predict(rows)}` or `{"error": ...}` on one line."""
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            preds = predict(json.loads(line)["rows"])
            print(json.dumps({"predictions": preds}), flush=True)
        except Exception as error:  # report to kd instead of dying silently
            print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", help="CSV file with a header to train on")
    p.add_argument("--target", help="target column (with --train)")
    p.add_argument("--exclude", default="", help="comma-separated columns that are not features")
    p.add_argument("--categorical", default="",
                   help="comma-separated columns one-hot encoded even when their cells look like numbers")
    p.add_argument("--model", choices=sorted(MODELS), default="random_forest")
    p.add_argument("--task", choices=["auto", "classification", "regression"], default="auto")
    run(p, train, predict)


def run(p, train, predict):
    """The options every example teacher shares (--seed, --save, --load, --fit-only), then:
    load a saved model or train one (and save it), and serve it unless --fit-only."""
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--save", help="save the trained model to this file (joblib)")
    p.add_argument("--load", help="load a model saved with --save instead of training")
    p.add_argument("--fit-only", action="store_true", help="train (and save), then exit")
    args = p.parse_args()
    if args.load:
        bundle = joblib.load(args.load)
    elif args.train and args.target:
        bundle = train(args)
        if args.save:
            joblib.dump(bundle, args.save)
    else:
        p.error("give --train FILE --target COL, or --load MODEL")
    if not args.fit_only:
        serve(lambda rows: predict(bundle, rows))


if __name__ == "__main__":
    main()
