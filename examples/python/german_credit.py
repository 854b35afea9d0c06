"""A notebook-style walk-through of kd in Python: a scikit-learn gradient boosting model on
German credit distilled into a tree and a scorecard, both shown, the scorecard exported to
SQL and scored in DuckDB. Run from the repository root with kd's Python (after
`cargo xtask test` or `maturin develop` in crates/kd-python):

    ~/.cache/kd/torch-2.13.0/bin/python examples/python/german_credit.py
"""

import duckdb
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

import kd

# 1. The black box: gradient boosting behind a one-hot encoder, trained on half the rows.
X = pd.read_csv("data/credit/german_credit.csv")
y = X.pop("creditability")
X_model, X_review, y_model, y_review = train_test_split(X, y, test_size=0.5, random_state=0, stratify=y)
levels = list(X.select_dtypes(exclude="number").columns)
encode = ColumnTransformer([("levels", OneHotEncoder(handle_unknown="ignore"), levels)], remainder="passthrough")
model = Pipeline([("encode", encode), ("boost", GradientBoostingClassifier(random_state=0))]).fit(X_model, y_model)

# 2. A born-again tree of its probabilities on the other half (the validator's rows).
tree = kd.distill(model, X_review, y_review, student="tree", target="creditability", max_depth=3)
print("tree fidelity:", {k: round(v, 4) for k, v in tree.report["fidelity"].items() if v is not None})
print(tree.explain())

# 3. A WoE scorecard of the same model, its points table and its reasons for three applicants.
card = kd.distill(model, X_review, y_review, student="scorecard", target="creditability", bad_class="bad")
print("scorecard fidelity:", {k: round(v, 4) for k, v in card.report["fidelity"].items() if v is not None})
points = pd.DataFrame(card.points_table())
print(points[points.feature.isin(["duration_in_month", "status_of_existing_checking_account"])]
      [["feature", "class", "rows", "woe", "points"]].round(2).to_string(index=False))
print(card.predict_frame(X_review.head(3), reasons=2)[["p_bad", "score", "reason_1"]].round(3).to_string())

# 4. The scorecard as SQL, scored where the data live (DuckDB here).
sql = card.to_sql(dialect="duckdb", table="loans")
db = duckdb.connect()
db.register("review", X_review.reset_index(drop=True))
db.execute("CREATE TABLE loans AS SELECT * FROM review")
scored = db.execute(f"SELECT round(p_bad, 3) AS p_bad, round(score, 1) AS score FROM ({sql.rstrip().rstrip(';')}) LIMIT 3")
print(scored.fetchdf().to_string())
in_sql = db.execute(f"SELECT p_bad FROM ({sql.rstrip().rstrip(';')})").fetchall()
gap = max(abs(a[0] - b[0]) for a, b in zip(in_sql, card.predict(X_review)))
print(f"largest difference between DuckDB and kd on {len(in_sql)} rows: {gap:.1e}")
