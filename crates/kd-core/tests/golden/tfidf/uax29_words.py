"""The tokeniser the text goldens give scikit-learn: UAX #29 words, as kd_core::text cuts them,
written independently with the `regex` module's Unicode word boundaries (the WORD flag, `(?w)`).
Imported by gen.py beside it and by crates/kd-students/tests/golden/sparse_logistic/gen.py, so
both anchors tokenise alike. Pinned: regex 2026.11.15 (xtask/python-requirements.txt).
"""
import regex

assert regex.__version__ == "2026.11.15", regex.__version__

BOUNDARY = regex.compile(r"(?wV1)\b")


def words(text):
    """UAX #29 words of an already lower-cased text: segments with a letter or digit.

    One correction: `regex` joins an apostrophe to the word after it even when no letter or
    digit stands before it ("'anything", "4'o"), where UAX #29 (rules WB6/WB7, WB11/WB12)
    breaks; on the SMS corpus this is the only difference (12 messages), so a leading
    apostrophe is cut off."""
    segments = (s for s in BOUNDARY.split(text) if any(c.isalnum() for c in s))
    return [s.lstrip("'") if s.startswith("'") else s for s in segments]
