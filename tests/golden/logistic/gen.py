"""Reference fits for kd_students::linear::Logistic, from statsmodels and scikit-learn.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/logistic/gen.py
Writes tests/golden/logistic/cases.json: on five breast-cancer features, (1) statsmodels'
Logit on the 0/1 labels (estimates, standard errors, p-values), (2) statsmodels' GLM(Binomial)
on soft targets (a teacher's probabilities), (3) scikit-learn's L2 LogisticRegression(C=0.5).
"""
import json
import pathlib

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

assert sklearn.__version__ == "1.9.1" and statsmodels.__version__ == "0.15.0"
ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = pathlib.Path(__file__).resolve().parent
FEATURES = ["mean_radius", "mean_texture", "mean_smoothness", "mean_concave_points", "worst_symmetry"]

data = np.genfromtxt(ROOT / "data/sklearn/breast_cancer.csv", delimiter=",", names=True)
all_names = [n for n in data.dtype.names if n != "target"]
x_all = np.column_stack([data[n] for n in all_names])
x = np.column_stack([data[n] for n in FEATURES])
y = data["target"]
# The teacher: a penalised logistic regression on all 30 features, its probabilities rounded.
z = StandardScaler().fit_transform(x_all)
soft = np.round(LogisticRegression(C=0.05, max_iter=10000).fit(z, y).predict_proba(z)[:, 1], 6)

exog = sm.add_constant(x)
hard = sm.Logit(y, exog).fit(disp=0, method="newton", tol=1e-12, maxiter=200)
glm = sm.GLM(soft, exog, family=sm.families.Binomial()).fit(tol=1e-12, maxiter=200)
l2 = LogisticRegression(C=0.5, tol=1e-12, max_iter=100000).fit(x, y)
cases = {
    "source": f"statsmodels {statsmodels.__version__}, scikit-learn {sklearn.__version__}",
    "features": FEATURES,
    "soft_targets": soft.tolist(),
    "hard": {"params": hard.params.tolist(), "bse": hard.bse.tolist(), "pvalues": hard.pvalues.tolist(),
             "proba": hard.predict(exog).tolist()},
    "soft": {"params": glm.params.tolist(), "bse": glm.bse.tolist(), "proba": glm.predict(exog).tolist()},
    "l2": {"C": 0.5, "params": [float(l2.intercept_[0])] + l2.coef_[0].tolist(), "proba": l2.predict_proba(x)[:, 1].tolist()},
}
(OUT / "cases.json").write_text(json.dumps(cases) + "\n")
print("hard", np.round(hard.params, 4), "soft", np.round(glm.params, 4), "l2", np.round(cases["l2"]["params"], 4))
