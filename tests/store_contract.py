"""The store contract: one suite that every adapter of :class:`graph.stores.base.Store` passes.

An adapter's test module subclasses :class:`StoreContract` and provides the ``make_store``
fixture: a zero-argument callable that opens a store on this test's own data (empty when
the test starts); calling it again opens another handle on the same data. The base class
closes the handle it opened; a test closes the handles it opens itself.

The extractions are built here with the model classes: real Spanish institution names,
passages cut at sentence ends, evidence whose quote is the document text at its offsets.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from graph.model import (
    DocumentInfo,
    Entity,
    Evidence,
    Extraction,
    Mention,
    Passage,
    Relation,
    entity_id,
    passage_id,
)
from graph.stores.base import VERDICTS_ATTRIBUTE, MergeCandidate, Store, StoreError

# ---------------------------------------------------------------------------- builders

_SENTENCE = re.compile(r"\S[^.]*\.?")


def make_document(path: str, text: str, title: str = "", **fields: Any) -> DocumentInfo:
    """A document keyed, as the readers key it, by the sha256 of its content."""
    return DocumentInfo(
        id=hashlib.sha256(text.encode("utf-8")).hexdigest(), title=title or path, path=path,
        format=path.rsplit(".", 1)[-1], text=text, **fields,
    )


def sentence_passages(document: DocumentInfo) -> list[Passage]:
    """One passage per sentence, with offsets into the document text."""
    return [
        Passage(id=passage_id(document.id, m.start(), m.end()), document_id=document.id,
                start=m.start(), end=m.end(), text=m.group())
        for m in _SENTENCE.finditer(document.text)
    ]


class ExtractionBuilder:
    """Builds an extraction of one document, finding every quote in the document text."""

    def __init__(self, document: DocumentInfo) -> None:
        self.document = document
        self.passages = sentence_passages(document)
        self.entities: dict[str, Entity] = {}
        self.relations: list[Relation] = []
        self.mentions: list[Mention] = []

    def span(self, quote: str, after: int = 0) -> tuple[int, int]:
        """Offsets of the first occurrence of ``quote`` at or after ``after``."""
        start = self.document.text.find(quote, after)
        if start < 0:
            raise AssertionError(f"{quote!r} is not in the text of {self.document.path}")
        return start, start + len(quote)

    def passage_of(self, start: int, end: int) -> Passage:
        """The passage that holds the span."""
        for passage in self.passages:
            if passage.start <= start and end <= passage.end:
                return passage
        raise AssertionError(f"no passage holds {start}-{end} in {self.document.path}")

    def entity(self, entity: Entity) -> Entity:
        """Add an entity to the extraction."""
        self.entities[entity.id] = entity
        return entity

    def mention(self, entity: Entity, surface: str, after: int = 0) -> Mention:
        """Add a mention of ``entity`` where ``surface`` occurs (and the entity itself)."""
        self.entity(entity)
        start, end = self.span(surface, after)
        mention = Mention(passage_id=self.passage_of(start, end).id, entity_id=entity.id,
                          start=start, end=end, text=surface)
        self.mentions.append(mention)
        return mention

    def evidence(self, quote: str, extractor: str = "pattern", after: int = 0,
                 confidence: float = 0.9) -> Evidence:
        """Evidence for the first occurrence of ``quote``."""
        start, end = self.span(quote, after)
        return Evidence(passage_id=self.passage_of(start, end).id, document_id=self.document.id,
                        start=start, end=end, quote=quote, extractor=extractor,
                        confidence=confidence)

    def relation(self, source: Entity | str, rel_type: str, target: Entity | str, quote: str,
                 extractor: str = "pattern", **properties: Any) -> Relation:
        """Add a relation with one evidence entry quoting ``quote``."""
        relation = Relation(
            source=source if isinstance(source, str) else source.id, type=rel_type,
            target=target if isinstance(target, str) else target.id, properties=properties,
            evidence=[self.evidence(quote, extractor)],
        )
        self.relations.append(relation)
        return relation

    def build(self) -> Extraction:
        """The extraction, every model copied so that later edits do not leak into it."""
        return Extraction(
            document=self.document.model_copy(), passages=list(self.passages),
            entities=[e.model_copy(deep=True) for e in self.entities.values()],
            relations=[r.model_copy(deep=True) for r in self.relations],
            mentions=list(self.mentions),
        )


# ---------------------------------------------------------------------------- entities


def _institution(name: str, country: str, **fields: Any) -> Entity:
    return Entity(id=entity_id("Institution", name, country), label="Institution", name=name,
                  country=country, **fields)


def corfo() -> Entity:
    """CORFO as the gazetteer knows it."""
    return _institution(
        "Corporación de Fomento de la Producción", "CL", acronym="CORFO", aliases=["CORFO"],
        kind="agency", sector="public", level="national", source="gazetteer",
        objective="Promover el emprendimiento, la innovación y la competitividad",
        themes=["entrepreneurship", "innovation"],
    )


def corfo_duplicate() -> Entity:
    """A second entity for CORFO, named differently by another document."""
    return _institution("Corporación de Fomento", "CL", kind="agency", level="national",
                        source="pattern")


def gore_biobio(**fields: Any) -> Entity:
    """The regional government of Biobío, with the spelling variants documents use."""
    return _institution(
        "Gobierno Regional del Biobío", "CL",
        aliases=["Gobierno Regional del Bío Bío", "GORE Biobío"], kind="regional_government",
        level="regional", source="pattern", **fields,
    )


def subdere() -> Entity:
    """SUBDERE, from the gazetteer."""
    return _institution(
        "Subsecretaría de Desarrollo Regional y Administrativo", "CL", acronym="SUBDERE",
        kind="ministry", sector="public", level="national", source="gazetteer",
    )


def produce() -> Entity:
    """Peru's Ministry of Production."""
    return _institution("Ministerio de la Producción", "PE", acronym="PRODUCE",
                        kind="ministry", sector="public", level="national", source="pattern")


def gore_arequipa() -> Entity:
    """The regional government of Arequipa."""
    return _institution("Gobierno Regional de Arequipa", "PE", kind="regional_government",
                        sector="public", level="regional", source="pattern")


def focal() -> Entity:
    """An instrument with every field of the model filled."""
    return Entity(
        id=entity_id("Instrument", "Programa de Fomento a la Calidad", "CL"),
        label="Instrument", name="Programa de Fomento a la Calidad", aliases=["FOCAL"],
        acronym="FOCAL", kind="grant", sector="public", level="national", country="CL",
        objective="Apoyar a las empresas en la implementación de normas de calidad",
        description="Subsidio que cofinancia consultorías para certificar normas técnicas.",
        themes=["quality", "sme_development"], target_groups=["smes"],
        support_types=["grant"], territory="Región del Biobío", code="FOCAL-2019",
        period="2019-2022", budget=1_250_000_000.0, source="table",
        extra={"url": "https://www.corfo.cl/focal", "rows": [1, 2]},
    )


def fndr() -> Entity:
    """The national fund for regional development."""
    return Entity(
        id=entity_id("Instrument", "Fondo Nacional de Desarrollo Regional", "CL"),
        label="Instrument", name="Fondo Nacional de Desarrollo Regional", acronym="FNDR",
        kind="fund", level="national", country="CL", source="pattern",
    )


def region_biobio() -> Entity:
    """The Biobío region."""
    return Entity(
        id=entity_id("Territory", "Región del Biobío", "CL"), label="Territory",
        name="Región del Biobío", aliases=["Región del Bío-Bío"], kind="region", country="CL",
        source="pattern",
    )


# ---------------------------------------------------------------------------- documents

TALLER_PATH = "corpus/taller_biobio.txt"
TALLER_TEXT = (
    "La Corporación de Fomento de la Producción (CORFO) ejecuta el Programa de Fomento a la "
    "Calidad (FOCAL) en la Región del Biobío. CORFO trabaja en coordinación con el Gobierno "
    "Regional del Biobío. El Gobierno Regional del Biobío administra el Fondo Nacional de "
    "Desarrollo Regional (FNDR) con la Subsecretaría de Desarrollo Regional y Administrativo "
    "(SUBDERE)."
)
TALLER_EDITED_TEXT = (
    "La Corporación de Fomento de la Producción (CORFO) ejecuta el Programa de Fomento a la "
    "Calidad (FOCAL) en la Región del Biobío. CORFO trabaja en coordinación con el Gobierno "
    "Regional del Biobío desde 2019."
)
SEMINARIO_TEXT = (
    "En el seminario, el Gobierno Regional del Biobío actuó en coordinación con Corfo. "
    "El Ministerio de la Producción (PRODUCE) trabaja en conjunto con el Gobierno Regional "
    "de Arequipa."
)
CONVENIO_TEXT = (
    "La Corporación de Fomento financia el Programa de Fomento a la Calidad. "
    "La Corporación de Fomento trabaja con la Corporación de Fomento de la Producción. "
    "La Corporación de Fomento firmó un convenio con el Ministerio de la Producción."
)


def _taller_common(b: ExtractionBuilder) -> None:
    c, f, r, g = corfo(), focal(), region_biobio(), gore_biobio()
    b.mention(c, "Corporación de Fomento de la Producción")
    b.mention(c, "CORFO", after=60)
    b.mention(f, "Programa de Fomento a la Calidad")
    b.mention(r, "Región del Biobío")
    b.mention(g, "Gobierno Regional del Biobío")
    b.relation(c, "RESPONSIBLE_FOR", f,
               "Corporación de Fomento de la Producción (CORFO) ejecuta el Programa de Fomento "
               "a la Calidad", extractor="trigger", trigger="ejecuta")
    b.relation(f, "COVERS", r, "Programa de Fomento a la Calidad (FOCAL) en la Región del Biobío")
    b.relation(c, "COORDINATES_WITH", g,
               "CORFO trabaja en coordinación con el Gobierno Regional del Biobío",
               extractor="trigger", trigger="en coordinación con")
    b.relation(c, "AT_LEVEL", "level:national", "Corporación de Fomento de la Producción",
               extractor="gazetteer")


def taller_extraction() -> Extraction:
    """A workshop report from Biobío: CORFO, FOCAL, the regional government, FNDR, SUBDERE."""
    b = ExtractionBuilder(make_document(TALLER_PATH, TALLER_TEXT, title="Taller Biobío",
                                        publisher="SUBDERE", date="2019-05-14"))
    _taller_common(b)
    g, n, s = gore_biobio(), fndr(), subdere()
    b.mention(n, "Fondo Nacional de Desarrollo Regional")
    b.mention(s, "Subsecretaría de Desarrollo Regional y Administrativo")
    b.relation(g, "RESPONSIBLE_FOR", n,
               "Gobierno Regional del Biobío administra el Fondo Nacional de Desarrollo Regional")
    b.relation(s, "CO_RESPONSIBLE_FOR", n,
               "Fondo Nacional de Desarrollo Regional (FNDR) con la Subsecretaría de Desarrollo "
               "Regional y Administrativo")
    # evidence of an inventory cell names its field and column; both must round-trip
    cell = b.evidence("Fondo Nacional de Desarrollo Regional", extractor="catalog")
    b.relations[-1].evidence.append(
        cell.model_copy(update={"field": "name", "column": "Nombre del programa"})
    )
    return b.build()


def taller_edited_extraction() -> Extraction:
    """The same workshop report, edited: the sentence on FNDR and SUBDERE is gone."""
    b = ExtractionBuilder(make_document(TALLER_PATH, TALLER_EDITED_TEXT, title="Taller Biobío"))
    _taller_common(b)
    return b.build()


def seminario_extraction() -> Extraction:
    """A seminar report: the CORFO–Biobío tie again, and a Peruvian pair."""
    b = ExtractionBuilder(make_document("corpus/seminario_sela.md", SEMINARIO_TEXT,
                                        title="Seminario SELA", language="es"))
    g = gore_biobio(sector="public")
    c = corfo().model_copy(update={"aliases": ["Corfo"], "objective": None, "themes": []})
    p, a = produce(), gore_arequipa()
    b.mention(g, "Gobierno Regional del Biobío")
    b.mention(c, "Corfo")
    b.mention(p, "Ministerio de la Producción")
    b.mention(a, "Gobierno Regional de Arequipa")
    # Written target-first: an undirected relation has one id whichever way it is read.
    b.relation(g, "COORDINATES_WITH", c,
               "Gobierno Regional del Biobío actuó en coordinación con Corfo",
               extractor="trigger")
    b.relation(p, "COORDINATES_WITH", a,
               "Ministerio de la Producción (PRODUCE) trabaja en conjunto con el Gobierno "
               "Regional de Arequipa", extractor="trigger")
    return b.build()


def convenio_extraction() -> Extraction:
    """A document naming CORFO differently, so that a merge has work to do."""
    b = ExtractionBuilder(make_document("corpus/convenio.txt", CONVENIO_TEXT))
    d, c, f, p = corfo_duplicate(), corfo(), focal(), produce()
    first = b.mention(d, "Corporación de Fomento")
    b.mention(c, "Corporación de Fomento")  # the same place, read as the other entity
    b.mention(d, "Corporación de Fomento", after=first.end)
    b.mention(c, "Corporación de Fomento de la Producción")
    b.mention(f, "Programa de Fomento a la Calidad")
    b.mention(p, "Ministerio de la Producción")
    b.relation(d, "RESPONSIBLE_FOR", f,
               "Corporación de Fomento financia el Programa de Fomento a la Calidad",
               role="financia")
    b.relation(d, "COORDINATES_WITH", c,
               "Corporación de Fomento trabaja con la Corporación de Fomento de la Producción")
    b.relation(d, "COORDINATES_WITH", p,
               "Corporación de Fomento firmó un convenio con el Ministerio de la Producción")
    return b.build()


# ---------------------------------------------------------------------------- comparison


def relation_dump(relation: Relation) -> dict:
    """A relation as a dict, its evidence sorted so that storage order does not matter."""
    data = relation.model_dump()
    data["id"] = relation.id
    data["evidence"] = sorted(data["evidence"], key=lambda e: (e["document_id"], e["start"],
                                                               e["end"], e["extractor"]))
    return data


BOTH_STORES = ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@contextmanager
def fresh_store(kind: str, folder: Path) -> Iterator[Store]:
    """An empty store: ``sqlite``, a file in ``folder``; ``neo4j``, the server at
    ``NEO4J_URI`` emptied (the test is skipped without one, saying why)."""
    if kind == "sqlite":
        from graph.stores.sqlite_store import SQLiteStore

        store: Store = SQLiteStore(f"sqlite:///{folder / 'tejido.db'}")
    else:
        from graph.stores.neo4j_store import Neo4jStore
        from tests.test_store_neo4j import NEO4J_SKIP_REASON

        if not os.environ.get("NEO4J_URI"):
            pytest.skip(NEO4J_SKIP_REASON)
        store = Neo4jStore.from_env()
        store.clear()
    try:
        yield store
        if kind == "sqlite":
            assert store.integrity_check() == ["ok"]  # type: ignore[attr-defined]
    finally:
        store.close()


def full_dump(store: Store) -> dict:
    """Everything a store holds, in a form independent of storage order (revision aside)."""
    entities = sorted((e.model_dump() for e in store.entities()), key=lambda e: e["id"])
    relations = sorted((relation_dump(r) for r in store.relations()), key=lambda r: r["id"])
    mentions = {
        e["id"]: sorted((m.model_dump() for m in store.mentions_of(e["id"], limit=10_000)),
                        key=lambda m: (m["passage_id"], m["start"], m["end"]))
        for e in entities
    }
    documents = sorted(
        (store.get_document(d.id).model_dump() for d in store.documents()),
        key=lambda d: d["id"],
    )
    stats = store.stats().model_dump(exclude={"revision"})
    candidates = [c.model_dump() for c in store.merge_candidates()]
    return {"entities": entities, "relations": relations, "mentions": mentions,
            "documents": documents, "stats": stats, "candidates": candidates}


def _evidence_count(extractions: list[Extraction]) -> int:
    return len({(r.id, *e.key()) for x in extractions for r in x.relations for e in r.evidence})


# ---------------------------------------------------------------------------- the suite


class StoreContract:
    """The behaviour every store adapter must have; subclasses provide ``make_store``."""

    @pytest.fixture
    def make_store(self) -> Callable[[], Store]:
        """Overridden by each adapter's test class."""
        pytest.fail("a StoreContract subclass must provide the make_store fixture")

    @pytest.fixture
    def store(self, make_store: Callable[[], Store]):
        """A store with no content, closed after the test."""
        opened = make_store()
        yield opened
        opened.close()

    # -- write and read back

    def test_protocol(self, store: Store) -> None:
        assert isinstance(store, Store)
        assert store.stats().documents == 0

    def test_round_trip_of_every_field(self, store: Store) -> None:
        extraction = taller_extraction()
        result = store.write(extraction)
        assert not result.skipped and result.replaced is None
        assert result.document_id == extraction.document.id
        assert result.entities == len(extraction.entities)
        assert result.relations == len(extraction.relations)
        assert result.evidence == _evidence_count([extraction])

        assert store.has_document(extraction.document.id)
        assert store.get_document(extraction.document.id) == extraction.document
        listed = store.documents()
        assert listed == [extraction.document.model_copy(update={"text": ""})]

        for entity in extraction.entities:
            assert store.get_entity(entity.id) == entity
        assert store.get_entity(focal().id) == focal()

        stored_relations = {r.id: relation_dump(r) for r in store.relations()}
        for relation in extraction.relations:
            assert stored_relations[relation.id] == relation_dump(relation)

        ids = [p.id for p in extraction.passages]
        assert store.passages(ids) == extraction.passages
        assert store.passages(list(reversed(ids))) == list(reversed(extraction.passages))
        assert store.passages(["no-such-passage"]) == []

        expected_mentions = [m for m in extraction.mentions if m.entity_id == corfo().id]
        got = store.mentions_of(corfo().id)
        assert sorted(got, key=lambda m: m.start) == expected_mentions
        assert len(store.mentions_of(corfo().id, limit=1)) == 1

    def test_reads_of_unknown_ids(self, store: Store) -> None:
        store.write(taller_extraction())
        assert store.get_entity("inst:no-existe") is None
        assert store.get_document("0" * 64) is None
        assert not store.has_document("0" * 64)
        assert store.relations_of("inst:no-existe") == []
        assert store.mentions_of("inst:no-existe") == []
        found = store.get_entities([corfo().id, "inst:no-existe", focal().id])
        assert sorted(e.id for e in found) == sorted([corfo().id, focal().id])

    def test_entities_by_label_and_relations_of(self, store: Store) -> None:
        store.write(taller_extraction())
        instruments = {e.id for e in store.entities(label="Instrument")}
        assert instruments == {focal().id, fndr().id}
        assert {e.label for e in store.entities()} == {
            "Institution", "Instrument", "Territory", "GovernanceLevel"
        }
        around_corfo = {r.id for r in store.relations_of(corfo().id)}
        assert around_corfo == {
            f"{corfo().id}|RESPONSIBLE_FOR|{focal().id}",
            f"{corfo().id}|COORDINATES_WITH|{gore_biobio().id}",
            f"{corfo().id}|AT_LEVEL|level:national",
        }
        assert all(r.evidence for r in store.relations_of(corfo().id))

    def test_governance_level_nodes_are_created_on_demand(self, store: Store) -> None:
        store.write(taller_extraction())
        level = store.get_entity("level:national")
        assert level is not None
        assert (level.label, level.level) == ("GovernanceLevel", "national")

    def test_relation_to_an_unknown_entity_is_refused(self, store: Store) -> None:
        extraction = taller_extraction()
        extraction.relations.append(Relation(
            source=corfo().id, type="FUNDS", target="instr:no-existe",
            evidence=[extraction.relations[0].evidence[0]],
        ))
        with pytest.raises(StoreError, match="instr:no-existe"):
            store.write(extraction)
        assert not store.has_document(extraction.document.id)
        assert store.stats().model_dump(exclude={"revision"}) == {
            "documents": 0, "passages": 0, "mentions": 0, "entities": {}, "relations": {},
            "evidence": 0,
        }

    def test_data_survives_reopening(self, store: Store, make_store) -> None:
        store.write(taller_extraction())
        before = full_dump(store)
        store.close()
        reopened = make_store()
        try:
            assert full_dump(reopened) == before
        finally:
            reopened.close()

    def test_verdicts_are_kept_by_pair_apart_from_documents(self, store: Store) -> None:
        extraction = taller_extraction()
        store.write(extraction)
        a, b = sorted(e.id for e in extraction.entities[:2])
        revision = store.revision()
        recorded = store.set_verdict(b, a, "not_duplicate", "otro público")
        assert (recorded.a, recorded.b, recorded.verdict) == (a, b, "not_duplicate")
        assert store.revision() > revision
        store.set_verdict(a, b, "duplicate", "revisado")
        assert [(v.a, v.b, v.verdict, v.note) for v in store.verdicts()] == [
            (a, b, "duplicate", "revisado")]
        assert set(store.view().graph[VERDICTS_ATTRIBUTE]) == {(a, b)}
        with pytest.raises(StoreError):
            store.set_verdict(a, a, "duplicate")
        with pytest.raises(StoreError):
            store.set_verdict(a, b, "maybe")
        with pytest.raises(StoreError):
            store.set_verdict(a, "inst:nobody-at-all", "duplicate")
        store.delete_document(extraction.document.id)
        assert store.get_entity(a) is None
        store.write(extraction)
        assert [(v.a, v.b) for v in store.verdicts()] == [(a, b)]
        assert store.remove_verdict(b, a) and not store.remove_verdict(a, b)
        assert store.verdicts() == []

    # -- idempotence, several documents, replacement

    def test_rewriting_the_same_document_changes_nothing(self, store: Store) -> None:
        store.write(taller_extraction())
        before, revision = full_dump(store), store.revision()
        again = store.write(taller_extraction())
        assert again.skipped and again.document_id == taller_extraction().document.id
        assert full_dump(store) == before
        assert store.revision() == revision

    def test_evidence_quotes_are_document_text_slices(self, store: Store) -> None:
        for extraction in (taller_extraction(), seminario_extraction(), convenio_extraction()):
            store.write(extraction)
        checked = 0
        for relation in store.relations():
            for ev in relation.evidence:
                document = store.get_document(ev.document_id)
                assert document is not None
                assert document.text[ev.start:ev.end] == ev.quote
                (passage,) = store.passages([ev.passage_id])
                assert passage.start <= ev.start <= ev.end <= passage.end
                checked += 1
        assert checked == store.stats().evidence > 0

    def test_relation_seen_in_two_documents_has_two_evidence_entries(self, store: Store) -> None:
        taller, seminario = taller_extraction(), seminario_extraction()
        store.write(taller)
        store.write(seminario)
        tie_id = f"{corfo().id}|COORDINATES_WITH|{gore_biobio().id}"
        ties = [r for r in store.relations() if r.id == tie_id]
        assert len(ties) == 1
        assert sorted(e.document_id for e in ties[0].evidence) == sorted(
            [taller.document.id, seminario.document.id]
        )
        assert store.stats().relations["COORDINATES_WITH"] == 2

    def test_an_entity_seen_again_absorbs_names_and_empty_fields(self, store: Store) -> None:
        store.write(taller_extraction())
        store.write(seminario_extraction())
        stored_corfo = store.get_entity(corfo().id)
        assert stored_corfo.name == corfo().name
        assert {"CORFO", "Corfo"} <= set(stored_corfo.aliases)
        assert stored_corfo.objective == corfo().objective   # not emptied by the second read
        assert stored_corfo.themes == corfo().themes
        assert store.get_entity(gore_biobio().id).sector == "public"   # filled by the second

    def test_replacing_an_edited_document_replaces_its_passages_and_evidence(
        self, store: Store
    ) -> None:
        old, seminario, edited = (
            taller_extraction(), seminario_extraction(), taller_edited_extraction()
        )
        store.write(old)
        store.write(seminario)
        seminario_relations = {r.id: relation_dump(r) for r in store.relations()
                               if produce().id in (r.source, r.target)}
        assert seminario_relations
        result = store.write(edited)
        assert result.replaced == old.document.id and not result.skipped

        assert not store.has_document(old.document.id)
        assert store.has_document(edited.document.id)
        assert {d.id for d in store.documents()} == {edited.document.id, seminario.document.id}
        assert store.passages([p.id for p in old.passages]) == []
        assert store.passages([p.id for p in edited.passages]) == edited.passages

        evidence_docs = {e.document_id for r in store.relations() for e in r.evidence}
        assert old.document.id not in evidence_docs
        tie = {r.id: r for r in store.relations()}[
            f"{corfo().id}|COORDINATES_WITH|{gore_biobio().id}"
        ]
        assert sorted(e.document_id for e in tie.evidence) == sorted(
            [edited.document.id, seminario.document.id]
        )
        # What only the old version said is gone, whatever the entity's source.
        assert store.get_entity(fndr().id) is None
        assert store.relations_of(subdere().id) == []
        assert store.get_entity(subdere().id) is None
        assert store.mentions_of(subdere().id) == []
        # The other document is untouched.
        for relation_id, dumped in seminario_relations.items():
            assert relation_dump({r.id: r for r in store.relations()}[relation_id]) == dumped
        assert store.get_entity(produce().id) == produce()
        assert store.stats().documents == 2
        assert store.stats().passages == len(edited.passages) + len(seminario.passages)

    # -- deleting documents

    def test_deleting_documents_leaves_the_store_as_if_they_were_never_written(
        self, store: Store
    ) -> None:
        taller, seminario, convenio = (
            taller_extraction(), seminario_extraction(), convenio_extraction()
        )
        store.write(seminario)
        store.write(convenio)
        reference = full_dump(store)
        # Delete the last document written...
        store.write(taller)
        assert store.get_entity(fndr().id) is not None
        result = store.delete_document(taller.document.id)
        assert (result.document_id, result.path) == (taller.document.id, taller.document.path)
        assert result.entities_removed >= 3 and result.relations_removed >= 3
        assert full_dump(store) == reference
        # ...then everything: nothing is left.
        store.delete_document(seminario.document.id)
        store.delete_document(convenio.document.id)
        empty = full_dump(store)
        assert empty["entities"] == [] and empty["relations"] == [] and empty["documents"] == []
        assert empty["stats"]["passages"] == empty["stats"]["mentions"] == 0
        # ...and the first document written: what others said too is rebuilt from theirs
        # (CORFO's objective, the Biobío tie's direction, as the seminar wrote it).
        for extraction in (taller, seminario, convenio):
            store.write(extraction)
        store.delete_document(taller.document.id)
        assert full_dump(store) == reference

    def test_deleting_an_unknown_document_is_refused(self, store: Store) -> None:
        store.write(taller_extraction())
        revision = store.revision()
        with pytest.raises(StoreError, match="0" * 64):
            store.delete_document("0" * 64)
        assert store.revision() == revision
        assert store.stats().documents == 1

    # -- search and lookups

    def _write_search_corpus(self, store: Store) -> None:
        store.write(taller_extraction())
        store.write(seminario_extraction())

    @staticmethod
    def _ids(entities: list[Entity]) -> list[str]:
        return [e.id for e in entities]

    def test_search_is_accent_and_case_insensitive(self, store: Store) -> None:
        self._write_search_corpus(store)
        for q in ("corporacion de fomento de la produccion", "CORPORACIÓN DE FOMENTO",
                  "Corporación de Fomento de la Producción"):
            assert self._ids(store.search_entities(q))[0] == corfo().id, q
        for q in ("biobío", "BIOBIO", "Biobio"):
            found = self._ids(store.search_entities(q))
            assert set(found) >= {gore_biobio().id, region_biobio().id}, q

    def test_search_by_alias_acronym_and_prefix(self, store: Store) -> None:
        self._write_search_corpus(store)
        assert self._ids(store.search_entities("CORFO"))[0] == corfo().id
        assert self._ids(store.search_entities("corf"))[0] == corfo().id
        assert self._ids(store.search_entities("produce")) == [produce().id]
        assert self._ids(store.search_entities("focal")) == [focal().id]
        assert set(self._ids(store.search_entities("bio bio"))) == {
            gore_biobio().id, region_biobio().id
        }
        assert self._ids(store.search_entities("gore bio")) == [gore_biobio().id]
        assert store.search_entities("xochimilco") == []

    def test_passage_search_finds_every_word_accents_and_case_aside(self, store: Store) -> None:
        self._write_search_corpus(store)
        both = {"CORFO trabaja en coordinación con el Gobierno Regional del Biobío.",
                "En el seminario, el Gobierno Regional del Biobío actuó en coordinación con "
                "Corfo."}
        for q in ("coordinacion con corfo", "COORDINACIÓN CON CORF"):
            found = store.search_passages(q)
            assert {p.text for p in found} == both, q
            assert store.passages([p.id for p in found]) == found
        assert [p.text for p in store.search_passages("seminario corfo")] == [
            "En el seminario, el Gobierno Regional del Biobío actuó en coordinación con Corfo."]
        assert {p.document_id for p in store.search_passages("biobio")} == {
            taller_extraction().document.id, seminario_extraction().document.id}
        assert len(store.search_passages("biobio", limit=1)) == 1
        for q in ("xochimilco", "", "   ", '"*(', "corfo xochimilco"):
            assert store.search_passages(q) == [], q
        store.delete_document(taller_extraction().document.id)
        assert [p.document_id for p in store.search_passages("coordinacion con corfo")] == [
            seminario_extraction().document.id]

    def test_exact_name_comes_before_better_word_matches(self, store: Store) -> None:
        b = ExtractionBuilder(make_document(
            "corpus/consejos.txt",
            "El Consejo Regional aprobó el plan. El Consejo Regional de Desarrollo Regional "
            "opinó.",
        ))
        exact = Entity(
            id=entity_id("Institution", "Consejo Regional", "CL"), label="Institution",
            name="Consejo Regional",
            aliases=["Consejo Regional de la Región del Biobío, órgano colegiado de carácter "
                     "normativo, resolutivo y fiscalizador del gobierno regional"],
            country="CL", level="regional",
        )
        other = Entity(
            id=entity_id("Institution", "Consejo Regional de Desarrollo Regional", "CL"),
            label="Institution", name="Consejo Regional de Desarrollo Regional", country="CL",
        )
        b.mention(exact, "Consejo Regional")
        b.mention(other, "Consejo Regional de Desarrollo Regional")
        store.write(b.build())
        assert self._ids(store.search_entities("consejo regional")) == [exact.id, other.id]

    def test_search_filters(self, store: Store) -> None:
        self._write_search_corpus(store)
        regional = set(self._ids(store.search_entities("gobierno regional", level="regional")))
        assert regional == {gore_biobio().id, gore_arequipa().id}
        assert self._ids(store.search_entities("gobierno regional", country="PE")) == [
            gore_arequipa().id
        ]
        assert self._ids(store.search_entities("biobio", label="Territory")) == [
            region_biobio().id
        ]
        assert store.search_entities("corfo", label="Instrument") == []
        peru = set(self._ids(store.search_entities(country="PE")))
        assert peru == {produce().id, gore_arequipa().id}
        institutions = set(self._ids(store.search_entities(label="Institution", limit=100)))
        assert institutions == {e.id for e in store.entities(label="Institution")}

    def test_search_without_query_pages_by_name(self, store: Store) -> None:
        self._write_search_corpus(store)
        everything = store.search_entities(label="Institution", limit=100)
        names = [e.name for e in everything]
        assert names == sorted(names, key=str.casefold)
        first = store.search_entities(label="Institution", limit=2)
        second = store.search_entities(label="Institution", limit=2, offset=2)
        assert self._ids(first + second) == self._ids(everything[:4])
        assert store.search_entities(label="Institution", limit=2, offset=100) == []
        hits = store.search_entities("gobierno regional", limit=1)
        more = store.search_entities("gobierno regional", limit=1, offset=1)
        assert len(hits) == len(more) == 1 and hits[0].id != more[0].id

    def test_find_by_normalized_names(self, store: Store) -> None:
        self._write_search_corpus(store)
        found = store.find_by_normalized_names(
            ["corfo", "gobierno regional del bio bio", "corporacion de fomento de la produccion",
             "municipalidad de xochimilco"]
        )
        assert found == {
            "corfo": [corfo().id],
            "gobierno regional del bio bio": [gore_biobio().id],
            "corporacion de fomento de la produccion": [corfo().id],
        }

    # -- merges

    def test_merge_then_unmerge_restores_the_exact_prior_state(self, store: Store) -> None:
        for extraction in (taller_extraction(), seminario_extraction(), convenio_extraction()):
            store.write(extraction)
        store.add_merge_candidates([
            MergeCandidate(a=corfo().id, b=corfo_duplicate().id, score=0.93,
                           reason="nombre casi idéntico"),
        ])
        before = full_dump(store)
        kept, dup = corfo().id, corfo_duplicate().id
        kept_mentions = len(store.mentions_of(kept, limit=1000))
        dup_mentions = len(store.mentions_of(dup, limit=1000))

        record = store.merge(kept, dup, reason="misma institución")
        assert (record.kept_id, record.merged_id, record.undone) == (kept, dup, False)
        assert store.get_entity(dup) is None
        assert "Corporación de Fomento" in store.get_entity(kept).aliases
        assert store.relations_of(dup) == [] and store.mentions_of(dup) == []
        relations = {r.id: r for r in store.relations()}
        assert not any(r.source == r.target for r in relations.values())
        # collided with CORFO's own relation: one relation, evidence of both documents
        responsible = relations[f"{kept}|RESPONSIBLE_FOR|{focal().id}"]
        assert len({e.document_id for e in responsible.evidence}) == 2
        # moved: the duplicate's tie to PRODUCE is now CORFO's
        moved = [r for r in relations.values()
                 if {r.source, r.target} == {kept, produce().id}]
        assert len(moved) == 1 and len(moved[0].evidence) == 1
        # the duplicate's mentions are CORFO's now, but for the one at a place CORFO held
        assert len(store.mentions_of(kept, limit=1000)) == kept_mentions + dup_mentions - 1
        assert store.merge_candidates() == []
        assert store.merges()[0].id == record.id

        undone = store.unmerge(record.id)
        assert undone.undone and undone.id == record.id
        assert full_dump(store) == before
        assert store.merges()[0].undone

    def test_merge_and_unmerge_errors(self, store: Store) -> None:
        store.write(taller_extraction())
        with pytest.raises(StoreError, match="inst:no-existe"):
            store.merge(corfo().id, "inst:no-existe")
        with pytest.raises(StoreError, match="inst:no-existe"):
            store.merge("inst:no-existe", corfo().id)
        with pytest.raises(StoreError):
            store.merge(corfo().id, corfo().id)
        with pytest.raises(StoreError, match="12345"):
            store.unmerge(12345)
        record = store.merge(corfo().id, gore_biobio().id)
        store.unmerge(record.id)
        with pytest.raises(StoreError, match="already undone"):
            store.unmerge(record.id)

    def test_merges_are_listed_newest_first(self, store: Store) -> None:
        store.write(taller_extraction())
        first = store.merge(corfo().id, fndr().id, reason="prueba")
        second = store.merge(corfo().id, subdere().id)
        assert [m.id for m in store.merges()] == [second.id, first.id]
        assert store.merges()[1].reason == "prueba"

    def test_merge_candidates_round_trip(self, store: Store) -> None:
        store.write(taller_extraction())
        candidates = [
            MergeCandidate(a=gore_biobio().id, b=region_biobio().id, score=0.41,
                           reason="comparten «Biobío»"),
            MergeCandidate(a=subdere().id, b=corfo().id, score=0.88, reason="acrónimo similar"),
            MergeCandidate(a=fndr().id, b="instr:no-existe", score=0.99, reason="huérfano"),
        ]
        store.add_merge_candidates(candidates)
        store.add_merge_candidates(candidates)   # idempotent
        got = store.merge_candidates()
        assert [(frozenset((c.a, c.b)), c.score, c.reason) for c in got] == [
            (frozenset((subdere().id, corfo().id)), 0.88, "acrónimo similar"),
            (frozenset((gore_biobio().id, region_biobio().id)), 0.41, "comparten «Biobío»"),
        ]
        store.add_merge_candidates([MergeCandidate(a=region_biobio().id, b=gore_biobio().id,
                                                   score=0.95, reason="revisado")])
        top, rest = store.merge_candidates()
        assert (frozenset((top.a, top.b)), top.score, top.reason) == (
            frozenset((gore_biobio().id, region_biobio().id)), 0.95, "revisado"
        )
        assert (rest.score, rest.reason) == (0.88, "acrónimo similar")

    # -- view and stats

    def test_view_matches_the_stored_graph(self, store: Store) -> None:
        store.write(taller_extraction())
        store.write(seminario_extraction())
        graph = store.view()
        entities = {e.id: e for e in store.entities()}
        assert set(graph.nodes) == set(entities)
        for node_id, entity in entities.items():
            assert graph.nodes[node_id] == entity.model_dump(exclude={"id"})
        relations = {r.id: r for r in store.relations()}
        edges = {data["id"]: (u, v, key, data) for u, v, key, data in
                 graph.edges(keys=True, data=True)}
        assert set(edges) == set(relations)
        for relation_id, (u, v, key, data) in edges.items():
            relation = relations[relation_id]
            assert (u, v, key) == (relation.source, relation.target, relation.type)
            assert data["properties"] == relation.properties
            assert relation_dump(Relation(**{**data, "source": u, "target": v})) == (
                relation_dump(relation)
            )

    def test_view_is_cached_until_the_store_changes(self, store: Store) -> None:
        store.write(taller_extraction())
        first = store.view()
        assert store.view() is first
        revision = store.revision()
        store.write(seminario_extraction())
        assert store.revision() != revision
        refreshed = store.view()
        assert refreshed is not first
        assert produce().id in refreshed and produce().id not in first
        record = store.merge(corfo().id, gore_biobio().id)
        assert gore_biobio().id not in store.view()
        store.unmerge(record.id)
        assert gore_biobio().id in store.view()

    def test_stats_count_everything(self, store: Store) -> None:
        assert store.stats().model_dump(exclude={"revision"}) == {
            "documents": 0, "passages": 0, "mentions": 0, "entities": {}, "relations": {},
            "evidence": 0,
        }
        extractions = [taller_extraction(), seminario_extraction()]
        for extraction in extractions:
            store.write(extraction)
        stats = store.stats()
        assert stats.documents == 2
        assert stats.passages == sum(len(x.passages) for x in extractions)
        assert stats.mentions == sum(len(x.mentions) for x in extractions)
        assert stats.evidence == _evidence_count(extractions)
        labels: dict[str, set[str]] = {}
        for x in extractions:
            for e in x.entities:
                labels.setdefault(e.label, set()).add(e.id)
        labels["GovernanceLevel"] = {"level:national"}
        assert stats.entities == {label: len(ids) for label, ids in labels.items()}
        types: dict[str, set[str]] = {}
        for x in extractions:
            for r in x.relations:
                types.setdefault(r.type, set()).add(r.id)
        assert stats.relations == {t: len(ids) for t, ids in types.items()}
        assert stats.revision == store.revision()
