"""Ingestion: files and folders → read → extract (documents) or catalogue rows → resolve → store.

One broken file never stops the others: each failure is recorded with the file and the reason.
Re-ingesting an unchanged file is skipped by its sha256; an edited file replaces its previous
version (see :mod:`graph.stores.base`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
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
from loaders.read import SUPPORTED_SUFFIXES, iter_files, read

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


def ingest(
    paths: Iterable[Path],
    store: Store,
    *,
    lexicon: Lexicon | None = None,
    max_bytes: int = 50_000_000,
    on_file: Callable[[Path, str], None] | None = None,
    mappings: Sequence[ColumnMapping] = (),
) -> IngestSummary:
    """Ingest every supported file under ``paths`` into ``store``.

    ``on_file(path, status)`` is called after each file (for progress bars); status is one of
    ``ingested``, ``unchanged``, ``failed``. ``mappings`` are the user's column mappings
    for inventories (see :func:`extract_file`).
    """
    lexicon = lexicon or default_lexicon()
    summary = IngestSummary()
    names: InstitutionNames | None = None
    for path in iter_files(paths):
        status = "failed"
        try:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise ReadError(str(path), f"unsupported format {path.suffix or '(none)'}")
            doc = read(path, max_bytes=max_bytes)
            if store.has_document(doc.sha256):
                summary.unchanged += 1
                status = "unchanged"
                continue
            extraction, skipped = extract_file(doc, lexicon, mappings)
            summary.skipped_rows += skipped
            names = names or InstitutionNames(store)
            extraction, candidates = resolve(extraction, store, names)
            if candidates:
                # recorded first: a run killed between the two writes re-ingests the document
                # (not stored yet) and records them again; they are idempotent
                store.add_merge_candidates(candidates)
            result = store.write(extraction)
            names.add(extraction.entities)
            summary.documents += 1
            summary.replaced += 1 if result.replaced else 0
            summary.entities.update(e.label for e in extraction.entities)
            summary.relations.update(r.type for r in extraction.relations)
            summary.evidence += sum(len(r.evidence) for r in extraction.relations)
            summary.warnings += [f"{path}: {w}" for w in extraction.warnings[:20]]
            status = "ingested"
        except ReadError as exc:
            summary.failures.append(Failure(str(path), exc.reason))
        except Exception as exc:  # one broken file must not stop the others
            summary.failures.append(Failure(str(path), f"{type(exc).__name__}: {exc}"))
        finally:
            if on_file is not None:
                on_file(path, status)
    return summary
