"""Ingestion: files and folders → read → extract (documents) or catalogue rows → resolve → store.

One broken file never stops the others: each failure is recorded with the file and the reason.
Re-ingesting an unchanged file is skipped by its sha256; an edited file replaces its previous
version (see :mod:`graph.stores.base`), and so does a renamed and edited one
(:mod:`loaders.versions`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from graph.model import Extraction
from graph.resolve import InstitutionNames, resolve
from graph.stores.base import Store
from loaders.catalog import extract_catalog
from loaders.catalog_mapping import ColumnMapping
from loaders.document import Document, ReadError
from loaders.extract.lexicon import Lexicon, default_lexicon
from loaders.extract.pipeline import extract_document
from loaders.inventory_guess import detect_mapping
from loaders.limits import DEFAULT_LIMITS, Limits, TimeLimitReached, seconds_exceeded, time_limit
from loaders.read import iter_files, read
from loaders.readers.source import Progress
from loaders.versions import FormerVersions

TABULAR = {"csv", "tsv", "xlsx"}


@dataclass
class Failure:
    """A file that could not be ingested, and why."""

    path: str
    reason: str


@dataclass
class IngestSummary:
    """What an ingestion run did."""

    documents: int = 0
    unchanged: int = 0
    replaced: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    evidence: int = 0
    skipped_rows: int = 0
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, path: Path, outcome: FileOutcome) -> None:
        """Count one file's outcome."""
        if outcome.status == "unchanged":
            self.unchanged += 1
        elif outcome.status == "failed":
            self.failures.append(Failure(str(path), outcome.reason or "failed"))
        elif outcome.extraction is not None:
            extraction = outcome.extraction
            self.documents += 1
            self.replaced += 1 if outcome.replaced else 0
            self.skipped_rows += outcome.skipped_rows
            self.entities.update(e.label for e in extraction.entities)
            self.relations.update(r.type for r in extraction.relations)
            self.evidence += sum(len(r.evidence) for r in extraction.relations)
            self.warnings += [f"{path}: {w}" for w in extraction.warnings[:20]]

    @property
    def ok(self) -> bool:
        """Whether at least one file was ingested (or was already there unchanged)."""
        return self.documents + self.unchanged > 0


def extract_file(
    doc: Document, lexicon: Lexicon, mappings: Sequence[ColumnMapping] = ()
) -> tuple[Extraction, int]:
    """Extraction of a read document: catalogue rows for inventories, the pipeline otherwise.

    ``mappings`` are the user's column mappings, preferred to the shipped ones and to the
    guess for a file whose headers they match. Returns the extraction and the number of
    catalogue rows skipped (0 for documents).
    """
    if doc.format in TABULAR:
        mapping = detect_mapping(doc, mappings)
        if mapping is not None:
            result = extract_catalog(doc, mapping)
            extraction = result.extraction
            # the skipped rows first: they are what a reader of the run must see
            extraction.warnings = [
                f"{f'sheet {s.sheet}, ' if s.sheet else ''}row {s.row}: skipped, {s.reason}"
                for s in result.skipped
            ] + extraction.warnings
            return extraction, len(result.skipped)
    return extract_document(doc, lexicon), 0


@dataclass
class FileOutcome:
    """What happened to one file: ``ingested``, ``unchanged`` or ``failed`` (with why)."""

    status: str
    document_id: str | None = None
    replaced: str | None = None
    reason: str | None = None
    skipped_rows: int = 0
    extraction: Extraction | None = None


def ingest_file(
    path: Path,
    store: Store,
    lexicon: Lexicon,
    *,
    max_bytes: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    names: InstitutionNames | None = None,
    record_as: str | None = None,
    mappings: Sequence[ColumnMapping] = (),
    progress: Progress | None = None,
    versions: FormerVersions | None = None,
) -> FileOutcome:
    """Read, extract, resolve and store one file; a failure is reported, not raised (an
    unavailable store is raised). ``record_as`` is the path the document is recorded
    under (an upload's client name rather than a server path); ``mappings`` are the user's
    column mappings for inventories (see :func:`extract_file`). With ``versions``, a renamed
    and edited file replaces its former version (:mod:`loaders.versions`).

    Reading, extraction and resolution run under ``limits`` (:mod:`loaders.limits`;
    ``max_bytes``, when given, overrides ``limits.file_bytes``), ``seconds`` included; the
    write is one transaction and is never cut short. ``progress`` hears how far a long read
    has got.
    """
    from graph.stores import StoreUnavailable

    if max_bytes is not None:
        limits = replace(limits, file_bytes=max_bytes)
    try:
        with time_limit(limits.seconds):
            doc = read(path, limits=limits, progress=progress)
            if record_as is not None:
                doc = doc.model_copy(update={"path": record_as})
            if store.has_document(doc.sha256):
                return FileOutcome("unchanged", document_id=doc.sha256)
            extraction, skipped = extract_file(doc, lexicon, mappings)
            extraction, candidates = resolve(extraction, store, names)
        if candidates:
            # recorded first: a run killed between the two writes re-ingests the document
            # (not stored yet) and records them again; they are idempotent
            store.add_merge_candidates(candidates)
        replaces = versions.of(Path(doc.path), doc.text) if versions is not None else []
        result = store.write(extraction, replaces=replaces)
        if names is not None:
            names.add(extraction.entities)
    except StoreUnavailable:
        raise
    except TimeLimitReached:
        return FileOutcome("failed", reason=seconds_exceeded(str(path), limits).reason)
    except ReadError as exc:
        return FileOutcome("failed", reason=exc.reason)
    except Exception as exc:  # one broken file must not stop the others
        return FileOutcome("failed", reason=f"{type(exc).__name__}: {exc}")
    return FileOutcome("ingested", document_id=result.document_id, replaced=result.replaced,
                       skipped_rows=skipped, extraction=extraction)


def ingest(
    paths: Iterable[Path],
    store: Store,
    *,
    lexicon: Lexicon | None = None,
    max_bytes: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    on_file: Callable[[Path, str], None] | None = None,
    on_progress: Callable[[Path, str], None] | None = None,
    mappings: Sequence[ColumnMapping] = (),
) -> IngestSummary:
    """Ingest every supported file under ``paths`` into ``store`` (see :func:`ingest_file`).

    ``on_file(path, status)`` is called after each file (for progress bars); status is one of
    ``ingested``, ``unchanged``, ``failed``. ``on_progress(path, note)`` hears how far a long
    read has got. ``mappings`` are the user's column mappings for inventories (see
    :func:`extract_file`).
    """
    lexicon = lexicon or default_lexicon()
    summary = IngestSummary()
    names = InstitutionNames(store)
    versions = FormerVersions(store)
    for path in iter_files(paths):
        outcome = FileOutcome("failed", reason="not read")
        try:
            outcome = ingest_file(
                path, store, lexicon, max_bytes=max_bytes, limits=limits, names=names,
                mappings=mappings, versions=versions,
                progress=None if on_progress is None else partial(on_progress, path),
            )
            summary.add(path, outcome)
        finally:
            if on_file is not None:
                on_file(path, outcome.status)
    return summary
