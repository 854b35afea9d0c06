"""Notebook views of a student: a scorecard's points table, a coefficient or term table, a
tree's rules; everything escaped."""

import html


def _table(header, rows):
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def student_html(student):
    title = f"<p><b>kd {html.escape(student.kind)} student</b> of {html.escape(student._doc['target'])}</p>"
    points = student.points_table()
    if points is not None:
        rows = [(p["feature"], p["class"], p["rows"], f"{p['bad_rate']:.4f}", f"{p['woe']:.4f}",
                 f"{p['points']:.1f}") for p in points]
        return title + _table(["feature", "class", "rows", "bad rate", "WoE", "points"], rows)
    return title + f"<pre>{html.escape(student.explain())}</pre>"
