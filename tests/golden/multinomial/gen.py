"""Reference fits for kd_students::linear::Multinomial, from statsmodels and scikit-learn.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/multinomial/gen.py
Writes tests/golden/multinomial/cases.json: statsmodels' MNLogit (class 0 the reference) on four
wine features: estimates and standard errors, one column per non-reference class; and
scikit-learn's LogisticRegression with an L2 penalty (C = 1/λ for λ in `penalised`), whose
symmetric weights u_c are written as kd's class-0 contrasts u_c − u_0 (intercept first), with
its class probabilities of the first rows.
"""
import json
import pathlib

import numpy as np
import statsmodels
import sklearn
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

assert statsmodels.__version__ == "0.15.0"
assert sklearn.__version__ == "1.9.1"
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

penalised = []
for lam in (0.5, 5.0):
    model = LogisticRegression(C=1.0 / lam, l1_ratio=0.0, solver="newton-cholesky", tol=1e-12, max_iter=1000)
    model.fit(x, y)
    u = np.column_stack([model.intercept_, model.coef_])  # (k, p + 1): intercept, weights
    contrasts = (u[1:] - u[0]).tolist()
    penalised.append({"l2": lam, "params": contrasts, "proba": model.predict_proba(x[:5]).tolist()})
cases["penalised"] = penalised
cases["penalised_source"] = f"scikit-learn {sklearn.__version__}"
(OUT / "cases.json").write_text(json.dumps(cases) + "\n")
print(np.round(fit.params, 4))
