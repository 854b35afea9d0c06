"""scikit-learn's side of benches/validate.rs: roc_auc_score on the same rows, best of 3.

Usage: python validate_sklearn.py SCORES.f64 OUTCOMES.u8   (raw little-endian files)
Prints one JSON line: {"seconds": best time, "auroc": value, "sklearn": version}.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score

score = np.fromfile(sys.argv[1], dtype="<f8")
outcome = np.fromfile(sys.argv[2], dtype=np.uint8).astype(bool)
best, auc = float("inf"), None
for _ in range(3):
    start = time.perf_counter()
    auc = roc_auc_score(outcome, score)
    best = min(best, time.perf_counter() - start)
print(json.dumps({"seconds": best, "auroc": auc, "sklearn": sklearn.__version__}))
