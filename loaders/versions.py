"""A renamed and edited file replaces its former version instead of adding a second document.

A file edited in place is matched on its path by the store (:mod:`graph.stores.base`). A file
renamed and edited has neither the path nor the content (sha256) of its former version; it
is matched on content: a stored document of the same folder whose file is gone from disk
and whose text shares at least :data:`SIMILAR` of its word 5-grams with the new text
(Jaccard) is its former version, the most similar one when several qualify. A gone file's
near-copy whose original is still on disk is a document of its own, never a version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from graph.model import DocumentInfo
from graph.normalize import strip_accents
from graph.stores.base import Store

SIMILAR = 0.5    # share of word 5-grams two versions of a text have in common, at least
SHINGLE = 5
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """Hashes of the runs of ``size`` consecutive words of ``text`` (accents, case aside)."""
    words = _WORD.findall(strip_accents(text).casefold())
    if len(words) < size:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i:i + size])) for i in range(len(words) - size + 1)}


def similarity(a: set[int], b: set[int]) -> float:
    """Jaccard similarity of two sets of shingles (0 when both are empty)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _folder(path: str | Path) -> Path:
    return Path(path).parent.resolve()


class FormerVersions:
    """The stored documents whose files are gone, by folder: what a renamed file may replace.

    Built once per ingestion run from the store's documents; a document found to be a
    former version is not offered again.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._gone: dict[Path, list[DocumentInfo]] | None = None
        self._paths: set[str] = set()

    def _load(self) -> dict[Path, list[DocumentInfo]]:
        if self._gone is None:
            documents = self._store.documents()
            self._paths = {d.path for d in documents}
            self._gone = {}
            for document in documents:
                if not Path(document.path).exists():
                    self._gone.setdefault(_folder(document.path), []).append(document)
        return self._gone

    def of(self, path: Path, text: str) -> list[str]:
        """The id of the stored document that the file at ``path``, holding ``text``, is a
        renamed and edited version of (empty when none is)."""
        gone = self._load()
        if str(path) in self._paths:
            return []   # a version at the same path: the store replaces it
        candidates = [d for d in gone.get(_folder(path), ()) if d.path != str(path)]
        if not candidates:
            return []
        best = _most_similar(self._store, shingles(text), candidates)
        if best is None:
            return []
        gone[_folder(path)].remove(best)
        return [best.id]


def _most_similar(
    store: Store, new: set[int], candidates: Iterable[DocumentInfo]
) -> DocumentInfo | None:
    best: tuple[float, str] | None = None
    found: dict[str, DocumentInfo] = {}
    for candidate in candidates:
        stored = store.get_document(candidate.id)
        if stored is None or not stored.text:
            continue
        score = similarity(new, shingles(stored.text))
        if score >= SIMILAR and (best is None or (score, candidate.id) > best):
            best = (score, candidate.id)
            found[candidate.id] = candidate
    return None if best is None else found[best[1]]
