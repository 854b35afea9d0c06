"""Reference fits for kd_students::linear::Linear, from statsmodels and scikit-learn.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/linear/gen.py
Writes tests/golden/linear/cases.json: on the diabetes data (10 features), statsmodels' OLS
(estimates, standard errors, t statistics, p-values, residual standard error) and
scikit-learn's Ridge(alpha=10) (intercept and coefficients); on Longley (ill-conditioned),
statsmodels' OLS estimates and standard errors (without the row number `Obs`).
"""
import json
import pathlib

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import Ridge

assert sklearn.__version__ == "1.9.1" and statsmodels.__version__ == "0.15.0"
ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = pathlib.Path(__file__).resolve().parent


def load(file, target, exclude=()):
    data = np.genfromtxt(ROOT / file, delimiter=",", names=True)
    names = [n for n in data.dtype.names if n != target and n not in exclude]
    return names, np.column_stack([data[n] for n in names]), data[target]


names, x, y = load("data/sklearn/diabetes.csv", "target")
ols = sm.OLS(y, sm.add_constant(x)).fit()
ridge = Ridge(alpha=10.0, solver="cholesky").fit(x, y)
l_names, lx, ly = load("data/statsmodels/longley.csv", "TOTEMP", exclude=("Obs",))
longley = sm.OLS(ly, sm.add_constant(lx)).fit()
cases = {
    "source": f"statsmodels {statsmodels.__version__}, scikit-learn {sklearn.__version__}",
    "diabetes": {"features": names, "params": ols.params.tolist(), "bse": ols.bse.tolist(),
                 "tvalues": ols.tvalues.tolist(), "pvalues": ols.pvalues.tolist(),
                 "sigma": float(np.sqrt(ols.scale))},
    "ridge": {"alpha": 10.0, "params": [float(ridge.intercept_)] + ridge.coef_.tolist()},
    "longley": {"features": l_names, "params": longley.params.tolist(), "bse": longley.bse.tolist()},
}
(OUT / "cases.json").write_text(json.dumps(cases) + "\n")
print("ols", np.round(ols.params, 3), "ridge", np.round(cases["ridge"]["params"], 3))
