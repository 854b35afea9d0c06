#!/usr/bin/env python3
"""Split a CSV file's rows into named parts, reproducibly: the rows a model is trained on, the
rows a validator measures it on, and (with --tail) a later sample.

Each row goes to a part by a hash of the seed and its row number (SHA-256, so the split is the
same with every Python version and on every machine); --tail NAME:N sends the file's last N
rows to NAME first (a later sample, when the file is in time order). Reads .csv or .csv.gz,
writes plain CSV files with the header, one per part, into --out.

Example (the German credit audit in the README):
  python3 examples/audit/split_rows.py data/credit/german_credit.csv --out /tmp/german \\
      --parts teacher:0.5,validation:0.5
"""
import argparse
import csv
import gzip
import hashlib
import os
import sys


def parts_of(text):
    parts = []
    for item in text.split(","):
        name, _, share = item.partition(":")
        try:
            parts.append((name.strip(), float(share)))
        except ValueError:
            sys.exit(f"split_rows.py: '{item}' is not NAME:SHARE")
    total = sum(s for _, s in parts)
    if abs(total - 1.0) > 1e-9 or any(s <= 0 for _, s in parts):
        sys.exit(f"split_rows.py: the shares must be positive and add up to 1 (they add up to {total})")
    return parts


def uniform(seed, row):
    """A number in [0, 1) fixed by the seed and the row number."""
    digest = hashlib.sha256(f"{seed}:{row}".encode()).hexdigest()
    return int(digest[:15], 16) / 16**15


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data", help="CSV file with a header (.csv or .csv.gz)")
    p.add_argument("--out", required=True, help="folder for the parts")
    p.add_argument("--parts", required=True, help="NAME:SHARE,... with shares adding up to 1")
    p.add_argument("--tail", help="NAME:N: the last N rows form their own part, before the shares")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    opener = gzip.open if args.data.endswith(".gz") else open
    with opener(args.data, "rt", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    parts = parts_of(args.parts)
    out = {name: [] for name, _ in parts}
    if args.tail:
        name, _, n = args.tail.partition(":")
        n = int(n)
        out[name] = body[len(body) - n:]
        body = body[: len(body) - n]
    for i, row in enumerate(body):
        u, edge = uniform(args.seed, i), 0.0
        for name, share in parts:
            edge += share
            if u < edge or name == parts[-1][0]:
                out[name].append(row)
                break
    os.makedirs(args.out, exist_ok=True)
    for name, part in out.items():
        path = os.path.join(args.out, f"{name}.csv")
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(part)
        print(f"{path}: {len(part)} rows")


if __name__ == "__main__":
    main()
