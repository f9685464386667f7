"""Ingest: files into the store, the same way from the command line and over HTTP.

:func:`loaders.ingest.ingest_file` reads, extracts, resolves and stores one file; this
module gives both entry points the gazetteer (the shipped one plus the users' files of the
settings) and runs a batch. A bad file is a failed outcome naming it; the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from graph.gazetteer import GazetteerError
from graph.resolve import InstitutionNames
from graph.stores import Store
from loaders.catalog_mapping import ColumnMapping
from loaders.extract.lexicon import Lexicon, default_lexicon
from loaders.ingest import FileOutcome, IngestSummary, ingest, ingest_file

DEFAULT_MAX_BYTES = 50_000_000


class LexiconError(ValueError):
    """A user's gazetteer file cannot be loaded; the message names it."""


def lexicon_for(gazetteer_paths: Sequence[str] = ()) -> Lexicon:
    """The gazetteer compiled for matching, with the users' files ``gazetteer_paths``."""
    try:
        return default_lexicon(tuple(gazetteer_paths))
    except GazetteerError as exc:
        raise LexiconError(f"gazetteer: {exc}") from exc


def ingest_paths(
    store: Store, paths: Iterable[Path], *, lexicon: Lexicon,
    max_bytes: int = DEFAULT_MAX_BYTES, on_file: Callable[[Path, str], None] | None = None,
    on_progress: Callable[[Path, str], None] | None = None,
    mappings: Sequence[ColumnMapping] = (),
) -> IngestSummary:
    """Every supported file under ``paths`` ingested into ``store``, with a summary;
    ``mappings`` are the user's column mappings for inventories; ``on_progress`` hears how
    far a long read has got."""
    return ingest(paths, store, lexicon=lexicon, max_bytes=max_bytes, on_file=on_file,
                  on_progress=on_progress, mappings=mappings)


def ingest_named_files(
    store: Store, files: Iterable[tuple[Path, str]], *, lexicon: Lexicon,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[FileOutcome]:
    """Files saved under server paths, each recorded under its given name (uploads); one
    outcome per file, in order."""
    names = InstitutionNames(store)
    return [ingest_file(path, store, lexicon, max_bytes=max_bytes, names=names,
                        record_as=recorded) for path, recorded in files]
