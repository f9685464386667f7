"""The typed state the extraction components share while one document is extracted.

Each component reads the fields earlier components filled and fills its own (see
:mod:`loaders.extract.pipeline` for the order). Candidate objects keep their identity from
the component that finds them to the one that turns them into entities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from graph.model import DocumentInfo, Extraction
from loaders.extract.candidates import Candidate
from loaders.extract.context import ExtractionContext
from loaders.extract.layout import CleanText
from loaders.extract.lexicon import Lexicon
from loaders.extract.patterns import AcronymDefinition
from loaders.extract.speakers import SpeakerLine, find_speaker_lines


@dataclass
class ExtractionState:
    """Everything the components of one document's extraction read and write."""

    document: DocumentInfo
    raw_text: str
    lexicon: Lexicon
    # layout
    clean: CleanText = field(init=False)
    ctx: ExtractionContext = field(init=False)
    # recognisers: candidates by where they come from
    gazetteer: list[Candidate] = field(default_factory=list)  # matches and located places
    laws: list[Candidate] = field(default_factory=list)
    quoted: list[Candidate] = field(default_factory=list)
    patterns: list[Candidate] = field(default_factory=list)
    owners: list[tuple[Candidate, Candidate]] = field(default_factory=list)  # unit, parent
    marked: list[Candidate] = field(default_factory=list)
    section_items: list[Candidate] = field(default_factory=list)
    named: list[Candidate] = field(default_factory=list)
    objects: list[Candidate] = field(default_factory=list)
    # the candidates kept after overlaps are resolved, then the entities' mentions
    base: list[Candidate] = field(default_factory=list)
    definitions: list[AcronymDefinition] = field(default_factory=list)
    # instruments a sentence opens with by their head alone ("El Fondo"), for its triggers
    bare_subjects: list[Candidate] = field(default_factory=list)
    # speaker lines: where each starts and the institutions it names
    speaker_context: list[tuple[int, list[str]]] = field(default_factory=list)
    # set by the component that ends the extraction (finish, or layout on an empty text)
    result: Extraction | None = None

    @property
    def text(self) -> str:
        """The cleaned document text every offset refers to."""
        return self.ctx.text

    @cached_property
    def speaker_lines(self) -> list[SpeakerLine]:
        """Speaker lines of the cleaned text ("Name, Role, Institution"), found once."""
        return find_speaker_lines(self.text)
