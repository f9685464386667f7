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
from itertools import compress, pairwise

import numpy as np

from queries.profiles import binary_matrix, coded_words, rowwise_dot, texts_content_words

SHINGLE = 5  # consecutive content words
MIN_PROGRAMMES = 3  # programmes of one group sharing a run for it to be boilerplate
NAME_OVERLAP = 0.5  # mean Jaccard of name words under which programmes are different ones


def different_names(
    members: np.ndarray, indptr: np.ndarray, names: Sequence[frozenset[str]]
) -> np.ndarray:
    """For each set of programmes ``members[indptr[s]:indptr[s + 1]]`` (sorted rows), whether
    their names are different: the mean Jaccard index of the name words over the pairs of
    the set is below :data:`NAME_OVERLAP` (sets of one programme are not different)."""
    sizes = np.diff(indptr)
    position = np.arange(len(members)) - np.repeat(indptr[:-1], sizes)
    partners = np.repeat(sizes, sizes) - 1 - position  # later members of the same set
    first = np.repeat(np.arange(len(members)), partners)
    starts = np.concatenate(([0], np.cumsum(partners)))[:-1]
    second = first + 1 + np.arange(len(first)) - np.repeat(starts, partners)
    # sets overlap: the same two programmes meet in many of them, and are compared once
    codes, inverse = np.unique(
        members[first].astype(np.int64) * len(names) + members[second], return_inverse=True
    )
    a, b = codes // len(names), codes % len(names)
    matrix, _ = binary_matrix(names)
    lengths = np.diff(matrix.indptr).astype(np.float64)
    common = rowwise_dot(matrix, a, b)
    union = lengths[a] + lengths[b] - common
    ratios = np.where(union > 0, common / np.maximum(union, 1.0), 1.0)[inverse.ravel()]
    pair_set = np.repeat(np.arange(len(sizes)), sizes)[first]
    # bincount adds each set's ratios in order, one by one: the mean of a pairwise loop
    total = np.bincount(pair_set, weights=ratios, minlength=len(sizes))
    count = sizes * (sizes - 1) // 2
    return (count > 0) & (total / np.maximum(count, 1) < NAME_OVERLAP)


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
    kept, dropped = distinctive_words(
        texts_content_words(texts),
        groups,
        texts_content_words(names),
        shingle=shingle,
        min_programmes=min_programmes,
    )
    return [" ".join(row) for row in kept], dropped


def distinctive_words(
    words: Sequence[Sequence[str]],
    groups: Sequence[Hashable],
    names: Sequence[Sequence[str]],
    *,
    shingle: int = SHINGLE,
    min_programmes: int = MIN_PROGRAMMES,
) -> tuple[list[list[str]], list[int]]:
    """The content words ``words[i]`` of each text without its boilerplate, and how many
    were dropped (:func:`strip_boilerplate` on texts and names already split into content
    words)."""
    keys, rows, starts, word_indptr = _shingle_keys(words, shingle)
    if not len(keys):
        return [list(row) for row in words], [0] * len(words)
    group_ids: dict[Hashable, int] = {}
    group_of = np.fromiter(
        (group_ids.setdefault(g, len(group_ids)) for g in groups), np.int64, len(groups)
    )
    name_words = [frozenset(name) for name in names]
    boiler = _boilerplate_runs(keys, group_of[rows], rows, name_words, min_programmes)
    total = int(word_indptr[-1])
    first = starts[boiler]
    edges = np.bincount(first, minlength=total + 1) - np.bincount(
        first + shingle, minlength=total + 1
    )
    keep = np.cumsum(edges[:total]) == 0
    lengths = np.diff(word_indptr)
    kept_counts = np.bincount(
        np.repeat(np.arange(len(words)), lengths), weights=keep, minlength=len(words)
    ).astype(np.int64)
    kept = list(compress((w for row in words for w in row), keep.tolist()))
    bounds = np.concatenate(([0], np.cumsum(kept_counts))).tolist()
    out = [kept[low:high] for low, high in pairwise(bounds)]
    return out, (lengths - kept_counts).tolist()


def _shingle_keys(
    words: Sequence[Sequence[str]], shingle: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every run of ``shingle`` consecutive words of the texts as a 64-bit key, with its
    text and the position of its first word among all words; and each text's word offsets."""
    codes, word_indptr, vocabulary = coded_words(words)
    coded = codes.astype(np.uint64)
    lengths = np.diff(word_indptr)
    runs = np.maximum(lengths - shingle + 1, 0)
    rows = np.repeat(np.arange(len(words)), runs)
    run_indptr = np.concatenate(([0], np.cumsum(runs)))
    starts = word_indptr[rows] + (np.arange(len(rows)) - run_indptr[rows])
    base = np.uint64(max(len(vocabulary), 1) + 1)
    keys = np.zeros(len(rows), dtype=np.uint64)
    for offset in range(shingle):
        keys = keys * base + coded[starts + offset]  # wraps: a hash of the run, rarely ambiguous
    return keys, rows, starts, word_indptr


def _boilerplate_runs(
    keys: np.ndarray,
    groups: np.ndarray,
    rows: np.ndarray,
    name_words: Sequence[frozenset[str]],
    min_programmes: int,
) -> np.ndarray:
    """Which entries of ``keys`` (the runs of words of the texts ``rows``, in ``groups``)
    are boilerplate: shared by ``min_programmes`` differently named programmes of a group."""
    order = np.lexsort((rows, keys, groups))  # by group, run, text
    g, k, r = groups[order], keys[order], rows[order]
    new_run = np.ones(len(order), dtype=bool)
    new_run[1:] = (g[1:] != g[:-1]) | (k[1:] != k[:-1])
    # one count per (group, run, programme): a run repeated inside one text counts once
    new_entry = new_run.copy()
    new_entry[1:] |= r[1:] != r[:-1]
    run_of = np.cumsum(new_run) - 1
    entry_run, entry_row = run_of[new_entry], r[new_entry]
    programmes = np.bincount(entry_run)
    common = np.flatnonzero(programmes >= min_programmes)
    low = np.searchsorted(entry_run, common)
    sets: dict[tuple[int, ...], int] = {}  # the distinct sets of programmes sharing a run
    set_of_run = np.fromiter(
        (
            sets.setdefault(tuple(entry_row[first : first + count].tolist()), len(sets))
            for first, count in zip(low.tolist(), programmes[common].tolist(), strict=True)
        ),
        np.int64,
        len(common),
    )
    members = [row for key in sets for row in key]
    indptr = np.concatenate(([0], np.cumsum(np.fromiter(map(len, sets), np.int64, len(sets)))))
    verdicts = different_names(np.asarray(members, dtype=np.int64), indptr, name_words)
    boiler_run = np.zeros(len(programmes), dtype=bool)
    boiler_run[common] = verdicts[set_of_run]
    out = np.empty(len(order), dtype=bool)
    out[order] = boiler_run[run_of]
    return out
