"""Fast scans of a document for a regular expression that only matches near a keyword.

Patterns such as "ENCARGAR a X" or "integrado por" start with an alternation behind ``\\b`` and
``re.IGNORECASE``: Python's engine tries them at every position of a long text. Their
keywords, looked for in the lower-cased text with a plain alternation, are found many times
faster; the pattern then runs only in the windows around them and finds the same matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def lowered(text: str) -> str | None:
    """``text`` in lower case when lowering keeps every offset (no character becomes two),
    else None."""
    low = text.lower()
    return low if len(low) == len(text) else None


def finditer_near(
    pattern: re.Pattern[str], text: str, keywords: re.Pattern[str], low: str | None,
    before: int = 40, after: int = 400,
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)`` when every match holds one of ``keywords``
    (a lower-case pattern searched in ``low``, the lower-cased text) within ``before``
    characters of its start and ends within ``after`` characters of that keyword. Without
    ``low`` the whole text is scanned."""
    if low is None:
        yield from pattern.finditer(text)
        return
    windows: list[list[int]] = []
    for hit in keywords.finditer(low):
        start, end = max(0, hit.start() - before), min(len(text), hit.end() + after)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    last_end = -1
    for start, end in windows:
        for m in pattern.finditer(text, max(start, last_end), end):
            last_end = max(last_end, m.end())
            yield m
