"""Notebook views of a student (a tree's or a boosted GAM's drawing, a scorecard's points
table, other students' text), of an audit's findings and of a validation's flags; everything
escaped."""

import html
import itertools


def _table(header, rows):
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def student_html(student):
    """A scorecard's points table; a tree's or a boosted GAM's drawing (as the audit report
    draws it) above its text; other students' text."""
    from . import _kd

    title = f"<p><b>kd {html.escape(student.kind)} student</b> of {html.escape(student._doc['target'])}</p>"
    drawing = _kd.diagram(student.to_json())
    if drawing is not None:
        return title + drawing + f"<details><summary>as text</summary><pre>{html.escape(student.explain())}</pre></details>"
    points = student.points_table()
    if points is not None:
        rows = [(p["feature"], p["class"], p["rows"], f"{p['bad_rate']:.4f}", f"{p['woe']:.4f}",
                 f"{p['points']:.1f}") for p in points]
        return title + _table(["feature", "class", "rows", "bad rate", "WoE", "points"], rows)
    return title + f"<pre>{html.escape(student.explain())}</pre>"


_COLOURS = {"red": "#c0392b", "amber": "#d68910", "green": "#1e8449"}


def findings_html(doc):
    """An audit's summary line and findings table, each severity in its colour."""
    t = doc["tally"]
    title = (f"<p><b>{html.escape(doc['title'])}</b>: {t['red']} red, {t['amber']} amber, "
             f"{t['green']} green findings</p>")
    rows = []
    for f in doc["findings"]:
        colour = _COLOURS.get(f["severity"], "inherit")
        value = "—" if f.get("value") is None else f"{f['value']:.4g}"
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in (
            html.escape(f["id"]), f'<span style="color:{colour}">{html.escape(f["severity"])}</span>',
            html.escape(value), html.escape(f["title"]), html.escape(f["detail"]))) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("id", "severity", "figure", "finding", "detail"))
    return title + f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def flags_html(doc):
    """A validation's summary line and the figures it flags (`kd validate`'s "What to look
    at"); the whole report is `Validation.to_html()`."""
    model = doc["model"].upper()
    flags = doc.get("flags", [])
    title = (f"<p><b>kd {html.escape(model)} validation</b> of {html.escape(str(doc['file']))}: "
             f"{doc['n_obs']} rows, {len(flags)} flags</p>")
    if not flags:
        return title
    # One row a place of a figure, as the program's table and page show them.
    runs = itertools.groupby(flags, key=lambda f: (f["section"], f["figure"], f["place"], f["title"]))
    rows = [(key[3], key[2], "; ".join(f["what"] for f in run)) for key, run in runs]
    return title + _table(["figure", "where", "what"], rows)
