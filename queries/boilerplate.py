"""Boilerplate: text copied across many programmes of one place, which says nothing of any.

State inventories often give a dozen programmes the same opening sentence, copied from the
state development plan ("Salvaguardar los derechos humanos de los grupos en situación de
vulnerabilidad…"): two programmes sharing it are no more alike than any two of that state.
A run of :data:`SHINGLE` content words is boilerplate when at least :data:`MIN_PROGRAMMES`
programmes of the same group (the same territories covered, or none known) contain it and
those programmes have different names (their names share less than :data:`NAME_OVERLAP` of
their words on average); its words are dropped from those programmes' text before it is
compared. Kept are a sentence shared by two programmes only (what a copied programme looks
like), one shared by programmes of alike names (copies of one programme: duplicates), and one
shared by programmes of different territories (one design run in several states is
fragmentation, which the duplication ranking reports).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from queries.profiles import content_words

SHINGLE = 5  # consecutive content words
MIN_PROGRAMMES = 3  # programmes of one group sharing a run for it to be boilerplate
NAME_OVERLAP = 0.5  # mean Jaccard of name words under which programmes are different ones


def _different_names(rows: frozenset[int], names: Sequence[frozenset[str]]) -> bool:
    """Whether the programmes ``rows`` have different names (mean pairwise Jaccard low)."""
    members = sorted(rows)
    total, count = 0.0, 0
    for k, i in enumerate(members):
        for j in members[k + 1 :]:
            union = names[i] | names[j]
            total += len(names[i] & names[j]) / len(union) if union else 1.0
            count += 1
    return count > 0 and total / count < NAME_OVERLAP


def strip_boilerplate(
    texts: Sequence[str],
    groups: Sequence[Hashable],
    names: Sequence[str],
    *,
    shingle: int = SHINGLE,
    min_programmes: int = MIN_PROGRAMMES,
) -> tuple[list[str], list[int]]:
    """The content words of each text without its boilerplate, and how many were dropped.

    ``groups[i]`` is the group of text ``i`` (programmes compared for boilerplate only
    within their group) and ``names[i]`` the name of its programme. Texts come back as
    their content words joined by spaces, which analyse to the same words.
    """
    words = [content_words(text) for text in texts]
    vocabulary: dict[str, int] = {}
    coded = [
        np.fromiter((vocabulary.setdefault(w, len(vocabulary)) for w in row), np.int64, len(row))
        for row in words
    ]
    group_ids: dict[Hashable, int] = {}
    group_of = np.fromiter(
        (group_ids.setdefault(g, len(group_ids)) for g in groups), np.int64, len(groups)
    )
    base = max(len(vocabulary), 1) + 1
    keys_by_row: list[np.ndarray] = []
    for row in coded:
        keys = np.zeros(max(len(row) - shingle + 1, 0), dtype=np.uint64)
        for offset in range(shingle):
            part = row[offset : offset + len(keys)].astype(np.uint64)
            keys = keys * np.uint64(base) + part  # wraps: a hash of the run, rarely ambiguous
        keys_by_row.append(keys)
    lengths = np.fromiter((len(k) for k in keys_by_row), np.int64, len(keys_by_row))
    if not lengths.sum():
        return [" ".join(row) for row in words], [0] * len(words)
    rows = np.repeat(np.arange(len(keys_by_row)), lengths)
    keys = np.concatenate(keys_by_row)
    # one count per (group, run, programme): a run repeated inside one text counts once
    table = np.unique(
        np.rec.fromarrays([group_of[rows], keys, rows], names="g,k,r")
    )
    pairs = np.rec.fromarrays([table.g, table.k], names="g,k")
    unique, inverse, counts = np.unique(pairs, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    common = np.flatnonzero(counts[inverse] >= min_programmes)
    sharing: dict[int, set[int]] = {}  # index of a (group, run) -> programmes containing it
    run_key: dict[int, int] = {}
    for run, row, key in zip(
        inverse[common].tolist(), table.r[common].tolist(), table.k[common].tolist(),
        strict=True,
    ):
        sharing.setdefault(run, set()).add(row)
        run_key[run] = key
    del unique
    name_words = [frozenset(content_words(name)) for name in names]
    verdicts: dict[frozenset[int], bool] = {}
    boiler: set[tuple[int, int]] = set()
    for run, rows_sharing in sharing.items():
        members = frozenset(rows_sharing)
        if members not in verdicts:
            verdicts[members] = _different_names(members, name_words)
        if verdicts[members]:
            boiler.update((r, run_key[run]) for r in members)
    out: list[str] = []
    dropped: list[int] = []
    for i, row in enumerate(words):
        if not boiler or not len(keys_by_row[i]):
            out.append(" ".join(row))
            dropped.append(0)
            continue
        drop = np.zeros(len(row), dtype=bool)
        for start, key in enumerate(keys_by_row[i].tolist()):
            if (i, key) in boiler:
                drop[start : start + shingle] = True
        out.append(" ".join(w for w, gone in zip(row, drop, strict=True) if not gone))
        dropped.append(int(drop.sum()))
    return out, dropped
