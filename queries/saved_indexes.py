"""Indexes saved beside the store, so that a new process reads them instead of building them.

A store that keeps its content in a local file (SQLite) says on its view where indexes may
be saved and which content the view holds (:class:`graph.stores.base.SavedIndexes`). An
index is saved in a folder named by that content key and by a digest of the code that
builds it (:func:`code_digest`): any write to the store moves its revision, another store
has another identity and a change of that code another digest, so a saved index is read
only for the very content and code it was built from, never for a later one. Only the
last saved version of each index is kept.

Files are numpy arrays (``.npy``, no pickled objects); lists of strings and sets go as
JSON inside one of them. Arrays are mapped from their files (copy on write), not read: the
operating system pages in what a query touches, and a saved folder is never written again,
only replaced by a new one. A folder that cannot be read is removed and the index built and
saved again; a folder that cannot be written leaves the index in memory only. Builds of one
index beside one store take turns, across processes too (a lock file in the folder): a
process that finds a build in progress waits for it and reads what it saved.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Hashable, Iterator, Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.stores.base import SAVED_INDEXES_ATTRIBUTE, SavedIndexes
from queries.profiles import InstrumentTable, TextMatrix, release_freed_memory

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
# The code that decides what a saved index holds, and what the graph it is built on holds
# (projection, stores, model, gazetteer): a change to any file of these packages makes the
# indexes saved by earlier code unread.
CODE = ("graph", "queries")

Arrays = dict[str, np.ndarray]
H = TypeVar("H", bound=Hashable)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of every file of the folders :data:`CODE` (compiled files aside)."""
    digest = hashlib.sha256()
    for name in CODE:
        for file in sorted((ROOT / name).rglob("*")):
            if not file.is_file() or file.suffix == ".pyc":
                continue
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def saved_folder(graph: nx.Graph, name: str) -> Path | None:
    """Where the index ``name`` of ``graph`` is saved (None when its store saves none)."""
    saved = graph.graph.get(SAVED_INDEXES_ATTRIBUTE)
    if not isinstance(saved, SavedIndexes):
        return None
    return folder_of(saved, name)


def folder_of(saved: SavedIndexes, name: str) -> Path:
    """Where the index ``name`` of the content ``saved`` names is saved by this code."""
    return Path(saved.folder) / f"{name}-{saved.content}-{code_digest()}"


def build_lock_path(saved: SavedIndexes, name: str) -> Path:
    """The lock file that builds of the index ``name`` beside one store take in turn."""
    return Path(saved.folder) / f".{name}.lock"


@contextlib.contextmanager
def _build_turn(graph: nx.Graph, name: str) -> Iterator[None]:
    """Hold the build lock of the index ``name`` beside ``graph``'s store (waiting for a
    build in progress in any process); nothing to hold when the store saves no index or
    its folder cannot be written."""
    saved = graph.graph.get(SAVED_INDEXES_ATTRIBUTE)
    if not isinstance(saved, SavedIndexes):
        yield
        return
    path = build_lock_path(saved, name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_arrays(graph: nx.Graph, name: str) -> Arrays | None:
    """The arrays of the index ``name`` saved for ``graph``, or None (none saved, or not
    readable)."""
    folder = saved_folder(graph, name)
    if folder is None or not folder.is_dir():
        return None
    try:
        return {
            path.stem: np.load(path, mmap_mode="c", allow_pickle=False)
            for path in folder.glob("*.npy")
        }
    except (OSError, ValueError) as exc:
        log.warning("%s: saved index not readable, building it again (%s)", folder, exc)
        shutil.rmtree(folder, ignore_errors=True)
        return None


def save_arrays(graph: nx.Graph, name: str, arrays: Arrays) -> Path | None:
    """Save ``arrays`` as the index ``name`` of ``graph``; drop its other saved versions.

    The folder is written under a temporary name and renamed: a reader sees all of it or
    nothing. Returns the folder, or None when ``graph`` has no place for it or the write
    failed (logged).
    """
    target = saved_folder(graph, name)
    if target is None:
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
        try:
            for key, values in arrays.items():
                np.save(partial / f"{key}.npy", values, allow_pickle=False)
            os.rename(partial, target)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)
            if not target.is_dir():  # not saved by another process meanwhile
                raise
        for old in target.parent.glob(f"{name}-*"):
            if old != target:
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        log.warning("%s: cannot save the index (%s)", target, exc)
        return None
    return target


def saved_or_built(
    graph: nx.Graph,
    name: str,
    build: Callable[[], Any],
    encode: Callable[[Any], Arrays],
    decode: Callable[[Arrays], Any],
) -> Any:
    """The index ``name`` of ``graph`` decoded from its saved arrays, or built and saved.

    A freshly saved index is read back from its files like any later process reads it: the
    memory of the built copy goes back to the system, and a query pages in only what it
    touches. A build in progress in another process is waited for, then read.
    """
    saved = _decoded(graph, name, decode)
    if saved is not None:
        return saved
    with _build_turn(graph, name):
        saved = _decoded(graph, name, decode)  # saved meanwhile by another process
        if saved is not None:
            return saved
        value = build()
        if graph.graph.get(SAVED_INDEXES_ATTRIBUTE) is None:
            return value
        if save_arrays(graph, name, encode(value)) is None:
            return value
    saved = _decoded(graph, name, decode)
    if saved is None:
        return value
    del value
    release_freed_memory()  # the built copy and what building it left in the heap
    return saved


def _decoded(graph: nx.Graph, name: str, decode: Callable[[Arrays], Any]) -> Any:
    arrays = load_arrays(graph, name)
    if arrays is None:
        return None
    try:
        return decode(arrays)
    except (KeyError, ValueError, IndexError) as exc:
        folder = saved_folder(graph, name)
        log.warning("%s: saved index not usable, building it again (%s)", folder, exc)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        return None


# --------------------------------------------------------------------------- encoding


def json_array(value: Any) -> np.ndarray:
    """``value`` as the bytes of its JSON."""
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode(), dtype=np.uint8)


def from_json_array(array: np.ndarray) -> Any:
    """The value :func:`json_array` encoded."""
    return json.loads(array.tobytes().decode())


def strings_arrays(prefix: str, values: Sequence[str]) -> Arrays:
    """Strings as their UTF-8 bytes one after another and where each ends (leaner than
    JSON for long lists: no escaping, no list of pieces)."""
    encoded = [value.encode() for value in values]
    ends = np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)))
    joined = b"".join(encoded)
    del encoded
    return {f"{prefix}.bytes": np.frombuffer(joined, dtype=np.uint8), f"{prefix}.ends": ends}


def strings_from(arrays: Arrays, prefix: str) -> list[str]:
    """The strings :func:`strings_arrays` encoded."""
    raw = arrays[f"{prefix}.bytes"].tobytes()
    ends = arrays[f"{prefix}.ends"].tolist()
    return [raw[start:end].decode() for start, end in pairwise([0, *ends])]


def csr_arrays(prefix: str, matrix: sp.csr_matrix) -> Arrays:
    """The arrays of a CSR matrix, under names starting with ``prefix``."""
    return {
        f"{prefix}.data": matrix.data,
        f"{prefix}.indices": matrix.indices,
        f"{prefix}.indptr": matrix.indptr,
        f"{prefix}.shape": np.array(
            [*matrix.shape, int(matrix.has_sorted_indices)], dtype=np.int64
        ),
    }


def csr_from(arrays: Arrays, prefix: str) -> sp.csr_matrix:
    """The CSR matrix :func:`csr_arrays` saved under ``prefix``."""
    rows, columns, ordered = arrays[f"{prefix}.shape"].tolist()
    matrix = sp.csr_matrix(
        (arrays[f"{prefix}.data"], arrays[f"{prefix}.indices"], arrays[f"{prefix}.indptr"]),
        shape=(rows, columns),
        copy=False,
    )
    if ordered:
        matrix.has_sorted_indices = True
    return matrix


def _distinct(rows: Sequence[H]) -> tuple[list[H], np.ndarray]:
    """The distinct values of ``rows`` and each row's position among them."""
    position: dict[H, int] = {}
    codes = np.fromiter(
        (position.setdefault(row, len(position)) for row in rows), np.int32, len(rows)
    )
    return list(position), codes


_STRING_COLUMNS = ("ids", "names", "texts")
_SET_COLUMNS = ("levels", "countries", "territories", "stated_territories")


def table_arrays(table: InstrumentTable) -> Arrays:
    """The instrument table as arrays: strings in JSON, sets as codes into their distinct
    values (rows share a few thousand distinct sets)."""
    columns = {name: getattr(table, name) for name in _SET_COLUMNS}
    columns.update({f"facet:{facet}": rows for facet, rows in table.facets.items()})
    columns["responsible"] = table.responsible
    distinct: dict[str, list[list[str]]] = {}
    out: Arrays = {}
    for name, rows in columns.items():
        values, codes = _distinct(rows)
        distinct[name] = [sorted(value) if name != "responsible" else list(value)
                          for value in values]
        out[f"table.{name}"] = codes
    for name in _STRING_COLUMNS:
        out.update(strings_arrays(f"table.{name}", getattr(table, name)))
    out["table.json"] = json_array({
        "distinct": distinct,
        "place_parents": {place: sorted(c) for place, c in table.place_parents.items()},
    })
    out["table.part_of"] = np.array(sorted(table.part_of_pairs), dtype=np.int64).reshape(-1, 2)
    return out


def table_from(arrays: Arrays) -> InstrumentTable:
    """The instrument table :func:`table_arrays` encoded."""
    text = from_json_array(arrays["table.json"])

    def column(name: str) -> list[Any]:
        kind = tuple if name == "responsible" else frozenset
        values = [kind(value) for value in text["distinct"][name]]
        return [values[k] for k in arrays[f"table.{name}"].tolist()]

    ids, names, texts = (strings_from(arrays, f"table.{name}") for name in _STRING_COLUMNS)
    facets = {
        key.split(":", 1)[1]: column(key) for key in text["distinct"] if key.startswith("facet:")
    }
    return InstrumentTable(
        ids=ids,
        position={node: i for i, node in enumerate(ids)},
        names=names,
        texts=texts,
        responsible=column("responsible"),
        levels=column("levels"),
        countries=column("countries"),
        facets=facets,
        territories=column("territories"),
        stated_territories=column("stated_territories"),
        part_of_pairs={(i, j) for i, j in arrays["table.part_of"].tolist()},
        place_parents={place: set(c) for place, c in text["place_parents"].items()},
    )


def text_arrays(prefix: str, text: TextMatrix) -> Arrays:
    """A TF-IDF text matrix with its word columns and document frequencies."""
    columns = sorted(text.words)
    return {
        **csr_arrays(prefix, text.matrix),
        f"{prefix}.word_columns": np.array(columns, dtype=np.int64),
        f"{prefix}.words": json_array([text.words[c] for c in columns]),
        f"{prefix}.frequency": text.document_frequency,
    }


def text_from(arrays: Arrays, prefix: str) -> TextMatrix:
    """The text matrix :func:`text_arrays` encoded."""
    words = from_json_array(arrays[f"{prefix}.words"])
    columns = arrays[f"{prefix}.word_columns"].tolist()
    return TextMatrix(
        csr_from(arrays, prefix),
        dict(zip(columns, words, strict=True)),
        arrays[f"{prefix}.frequency"],
    )
