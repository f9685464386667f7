"""The extraction pipeline: Document → Extraction (entities, relations, mentions, evidence).

Extraction is a sequence of named components (:mod:`loaders.extract.components`, one module
each, registered with :func:`loaders.extract.registry.component`) that share one typed
state (:class:`loaders.extract.state.ExtractionState`). :data:`COMPONENTS` is their order:

layout → segmentation → gazetteer → countries → patterns → places → overlaps → acronyms → entities →
bare_acronyms → office_titles → bare_bodies → law_titles → speakers → headings → tables → unit_parents → sentences → memberships →
duties → name_parents → divisions → territories → coverage →
named_levels → referents → short_forms → levels → finish.

A :class:`Pipeline` may be composed from other names (a component of one's own registered
beside these, or some left out).
"""

from __future__ import annotations

from collections.abc import Iterable

import loaders.extract.components  # noqa: F401  (registers the components)
from graph.model import DocumentInfo, Extraction
from loaders.document import Document
from loaders.extract.lexicon import Lexicon
from loaders.extract.registry import Component, compose
from loaders.extract.state import ExtractionState

COMPONENTS: tuple[str, ...] = (
    "layout",  # clean PDF-to-text artefacts; the cleaned text is the document text
    "segmentation",  # passages: sentences, table rows
    "gazetteer",  # known institutions, instruments, territories
    "countries",  # the document's country; gazetteer entries of that country
    "patterns",  # head nouns, laws, quoted and marked names, headings, trigger objects
    "places",  # places located in a country ("Ciudad, País")
    "overlaps",  # one candidate per stretch of text
    "acronyms",  # definitions link short and long forms
    "entities",  # candidates become entities (speakers' names left out)
    "bare_acronyms",  # later mentions of defined acronyms
    "office_titles",  # "el Ministro de Hacienda": the ministry
    "bare_bodies",  # "la Comisión" alone: the last commission named in full
    "law_titles",  # a numbered law and the title beside it are one instrument
    "speakers",  # "Name, Role, Institution" lines
    "headings",  # coded section hierarchy
    "tables",  # responsibility tables, "Responsable:" lines
    "unit_parents",  # "División X del Ministerio Y", gazetteer parents
    "sentences",  # trigger phrases within a sentence
    "memberships",  # members of legal lists, presiding and secretariat roles, organs
    "duties",  # commissions, functions, acting units, charged authorities, issuers
    "name_parents",  # parents read from names: generic units, regional structure
    "divisions",  # territories a law lists as the divisions of another
    "territories",  # territories named in institution names
    "coverage",  # an issued instrument covers its issuer's territory
    "named_levels",  # levels and countries names state
    "referents",  # "Consejo regional" said of the document's own regional council
    "short_forms",  # short forms of longer names
    "levels",  # levels and countries of the rest
    "finish",  # entities with stable ids, relations, mentions
)


class Pipeline:
    """Components composed in order; each runs on the state the previous ones left.

    The run stops at the first component that sets ``state.result`` (``finish``, or
    ``layout`` on a document without text).
    """

    def __init__(self, names: Iterable[str] = COMPONENTS) -> None:
        self.components: list[Component] = compose(names)
        if not self.components or self.components[-1].name != "finish":
            raise ValueError("an extraction pipeline ends with the 'finish' component")

    @property
    def names(self) -> list[str]:
        """The component names, in order."""
        return [c.name for c in self.components]

    def run(self, document: DocumentInfo, raw_text: str, lexicon: Lexicon) -> ExtractionState:
        """Run the components over ``raw_text`` and return the final state."""
        state = ExtractionState(document, raw_text, lexicon)
        for comp in self.components:
            comp.run(state)
            if state.result is not None:
                break
        return state

    def __call__(self, document: DocumentInfo, raw_text: str, lexicon: Lexicon) -> Extraction:
        """The extraction of ``raw_text`` (cleaned, stored as the document text)."""
        result = self.run(document, raw_text, lexicon).result
        if result is None:  # cannot happen while 'finish' is last: it always sets the result
            raise RuntimeError(f"the pipeline {self.names} ended without an extraction")
        return result


DEFAULT_PIPELINE = Pipeline()


def extract_text(document: DocumentInfo, raw_text: str, lexicon: Lexicon) -> Extraction:
    """Clean ``raw_text``, store it as the document text, and extract the graph from it."""
    return DEFAULT_PIPELINE(document, raw_text, lexicon)


def extract_document(doc: Document, lexicon: Lexicon) -> Extraction:
    """Extract the graph from a read document (text formats; catalogues use loaders.catalog)."""
    return extract_text(doc.info(), doc.text, lexicon)
