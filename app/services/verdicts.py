"""Reviewers' verdicts on duplicate pairs and clusters: one entry point for the API and the
command line.

A verdict on a cluster is the same verdict on every pair of its members. ``none`` forgets
the verdicts on those pairs. Verdicts are kept by the store apart from the documents
(:class:`graph.stores.base.PairVerdict`), so re-ingesting an inventory leaves them in place.
"""

from __future__ import annotations

from itertools import combinations

from graph.stores.base import VERDICTS, PairVerdict, Store, StoreError

MAX_MEMBERS = 20  # programmes judged at once (a cluster); 190 pairs
CLEAR = "none"


def judge(store: Store, members: list[str], verdict: str, note: str = "") -> list[PairVerdict]:
    """Give every pair of ``members`` (two or more entity ids) ``verdict`` with ``note``, or
    forget their verdicts when ``verdict`` is ``none``; returns the verdicts recorded."""
    unique = list(dict.fromkeys(members))
    if not 2 <= len(unique) <= MAX_MEMBERS:
        raise StoreError(f"a verdict needs 2 to {MAX_MEMBERS} different entities, "
                         f"got {len(unique)}")
    if verdict != CLEAR and verdict not in VERDICTS:
        raise StoreError(f"verdict must be one of {', '.join((*VERDICTS, CLEAR))}, "
                         f"got {verdict!r}")
    recorded: list[PairVerdict] = []
    for a, b in combinations(unique, 2):
        if verdict == CLEAR:
            store.remove_verdict(a, b)
        else:
            recorded.append(store.set_verdict(a, b, verdict, note))
    return recorded
