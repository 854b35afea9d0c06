"""Runs a `kd export --to sql` query in SQLite or DuckDB on a CSV file and prints the
outputs as CSV, one row per data row in file order, every number with its round-trip digits.

The CSV is typed as kd types it (kd_core::data::read_csv): a column is numeric when its first
non-missing cell parses as a number, text otherwise; kd's missing tokens are NULL. The rows get
a `kd_row` number, by which the result is ordered.

Usage: run_sql.py {sqlite|duckdb} DATA.csv QUERY.sql TABLE COLUMN[,COLUMN...]
Versions: Python's sqlite3 (SQLite 3.40 with its math functions), duckdb 2.0.0 (pinned in
xtask/python-requirements.txt).
"""

import csv
import sys

MISSING = {"", "NA", "N/A", "na", "n/a", "null", "NULL", "?"}


def typed_rows(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    numeric = []
    for j in range(len(header)):
        first = next((r[j].strip() for r in body if r[j].strip() not in MISSING), None)
        try:
            float(first)
            numeric.append(True)
        except (TypeError, ValueError):
            numeric.append(False)

    def cell(j, text):
        text = text.strip()
        if text in MISSING:
            return None
        return float(text) if numeric[j] else text

    values = [[i] + [cell(j, t) for j, t in enumerate(r)] for i, r in enumerate(body)]
    return header, numeric, values


def main():
    engine, data, query_file, table, columns = sys.argv[1:6]
    header, numeric, values = typed_rows(data)
    kinds = ["BIGINT"] + ["DOUBLE" if n else "VARCHAR" for n in numeric]
    names = ["kd_row"] + header
    quoted = ", ".join(f'"{n}" {k}' for n, k in zip(names, kinds))
    if engine == "sqlite":
        import sqlite3

        db = sqlite3.connect(":memory:")
    else:
        import duckdb

        db = duckdb.connect(":memory:")
    db.execute(f'CREATE TABLE "{table}" ({quoted})')
    marks = ", ".join("?" for _ in names)
    db.executemany(f'INSERT INTO "{table}" VALUES ({marks})', values)
    query = open(query_file).read().strip().rstrip(";")
    wanted = columns.split(",")
    selected = ", ".join(f'"{c}"' for c in wanted)
    result = db.execute(f'SELECT "kd_row", {selected} FROM ({query}) AS q ORDER BY "kd_row"').fetchall()
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(wanted)
    for row in result:
        out.writerow(["" if v is None else repr(float(v)) for v in row[1:]])


if __name__ == "__main__":
    main()
