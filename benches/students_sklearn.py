"""scikit-learn's side of benches/students.rs: DecisionTreeRegressor(max_depth=8) on the same rows.

Usage: python students_sklearn.py X_TRAIN Y_TRAIN X_TEST Y_TEST N_TRAIN N_TEST K   (raw f64, row-major)
Prints one JSON line: {"seconds": fit time, "r2": test R², "sklearn": version}.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.metrics import r2_score
from sklearn.tree import DecisionTreeRegressor

n_train, n_test, k = (int(v) for v in sys.argv[5:8])
x_train = np.fromfile(sys.argv[1], dtype="<f8").reshape(n_train, k)
y_train = np.fromfile(sys.argv[2], dtype="<f8")
x_test = np.fromfile(sys.argv[3], dtype="<f8").reshape(n_test, k)
y_test = np.fromfile(sys.argv[4], dtype="<f8")
start = time.perf_counter()
model = DecisionTreeRegressor(max_depth=8, random_state=0).fit(x_train, y_train)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "r2": r2_score(y_test, model.predict(x_test)), "sklearn": sklearn.__version__}))
