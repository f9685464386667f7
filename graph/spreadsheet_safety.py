"""CSV cells made safe to open in a spreadsheet (OWASP "CSV Injection").

Names, quotes and objectives come from documents and inventories that anyone may write, so a
cell could hold ``=HYPERLINK(...)`` or ``@SUM(...)``. A cell starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (OWASP's list), or with the full-width forms of the
first four, which some spreadsheets also read as formulas, is prefixed with an apostrophe:
the spreadsheet then shows the text as written. The csv module quotes every cell holding the
separator or a quote, so a cell cannot start a new one. Every CSV that Tejido writes goes
through :func:`defuse`.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def defuse(value: object) -> object:
    """``value``, or, for a string a spreadsheet would read as a formula, the same text
    behind an apostrophe. Numbers stay numbers (a negative amount is not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
