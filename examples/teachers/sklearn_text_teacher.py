#!/usr/bin/env python3
"""Serve a scikit-learn text classifier as a kd teacher (the `cmd:` protocol, raw text).

A TF-IDF vectoriser (scikit-learn's default tokens, 1-2-grams, min_df=2) followed by gradient
boosting (`--model gradient_boosting`, the default: 200 trees of depth 3) or an L2 logistic
regression (`--model logistic`). Train on a CSV file, or load a saved model, then answer kd's
requests on stdin/stdout:
  request  {"rows": [["free entry now"], ...]}   each row holds the message as its one string
  response {"predictions": [[p1, ..., pk], ...]}  class probabilities, classes in sorted order
           (as kd numbers them)

Examples:
  python3 examples/teachers/sklearn_text_teacher.py --train data/text/sms_spam.csv \
      --text text --target label --save /tmp/sms_gb.joblib --fit-only
  kd distill --data data/text/sms_spam.csv --target label --text text --student sparse \
      --teacher "cmd:python3 examples/teachers/sklearn_text_teacher.py --load /tmp/sms_gb.joblib"

`--rows FILE` trains on the listed 0-based data rows only (one number per line), so that a
held-out part stays unseen. Needs scikit-learn (`cargo xtask setup` installs the pinned version
into kd's Python environment).
"""
import argparse
import csv

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sklearn_teacher import run  # the shared options and the load / train / serve steps

MODELS = {
    "gradient_boosting": lambda s: GradientBoostingClassifier(n_estimators=200, max_depth=3, random_state=s),
    "logistic": lambda s: LogisticRegression(C=10.0, max_iter=5000),
}


def read(path, text, target, rows):
    with open(path, newline="", encoding="utf-8") as f:
        records = list(csv.DictReader(f))
    if rows is not None:
        records = [records[i] for i in rows]
    # kd's CSV reader trims cells; so does this teacher, so both see the same messages.
    return [r[text].strip() for r in records], [r[target].strip() for r in records]


def train(args):
    rows = None
    if args.rows:
        with open(args.rows) as f:
            rows = [int(line) for line in f if line.strip()]
    texts, labels = read(args.train, args.text, args.target, rows)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2)
    pipeline = make_pipeline(vectorizer, MODELS[args.model](args.seed))
    pipeline.fit(texts, np.array(labels))
    return pipeline


def predict(pipeline, rows):
    texts = [str(r[0]) if isinstance(r, list) else str(r) for r in rows]
    return pipeline.predict_proba(texts).tolist() if texts else []


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", help="CSV file with a header to train on")
    p.add_argument("--text", default="text", help="the text column (with --train)")
    p.add_argument("--target", help="target column (with --train)")
    p.add_argument("--rows", help="file of 0-based data rows to train on (default: all)")
    p.add_argument("--model", choices=sorted(MODELS), default="gradient_boosting")
    run(p, train, predict)


if __name__ == "__main__":
    main()
