"""Reference fit for kd_students::linear::Multinomial, from statsmodels.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/multinomial/gen.py
Writes tests/golden/multinomial/cases.json: statsmodels' MNLogit (class 0 the reference) on four
wine features: estimates and standard errors, one column per non-reference class.
"""
import json
import pathlib

import numpy as np
import statsmodels
import statsmodels.api as sm

assert statsmodels.__version__ == "0.15.0"
ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = pathlib.Path(__file__).resolve().parent
FEATURES = ["alcohol", "malic_acid", "ash", "alcalinity_of_ash"]

data = np.genfromtxt(ROOT / "data/sklearn/wine.csv", delimiter=",", names=True)
x = np.column_stack([data[f] for f in FEATURES])
y = data["target"].astype(int)
fit = sm.MNLogit(y, sm.add_constant(x)).fit(method="newton", disp=0, tol=1e-12, maxiter=200)
assert fit.mle_retvals["converged"]
cases = {"source": f"statsmodels {statsmodels.__version__}", "features": FEATURES,
         "params": fit.params.T.tolist(), "bse": fit.bse.T.tolist()}
(OUT / "cases.json").write_text(json.dumps(cases) + "\n")
print(np.round(fit.params, 4))
