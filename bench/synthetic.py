"""Synthetic programme inventories for benchmarks and scale tests.

Texts are real: objectives of Mexico's inventory of state social programmes (CONEVAL 2018)
and the activities of the sample corpus. Each synthetic instrument rewrites one of them (or
joins clauses of two) with word-level variations: synonyms, dropped and swapped words,
added place phrases. Agencies, states, municipalities, target groups and support types are
drawn at random around the seed's own values, so that the inventory holds families of
near-duplicates run by different institutions at different levels, as real ones do.

Everything is seeded: the same arguments give the same graph.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from graph.model import DocumentInfo, Entity, Evidence, Extraction, Relation, entity_id
from graph.normalize import slugify
from graph.projection import project

MISSING = {"", "no aplica", "no disponible", "no identificado", "none"}

SYNONYMS: dict[str, tuple[str, ...]] = {
    "contribuir": ("coadyuvar", "aportar"),
    "promover": ("impulsar", "fomentar"),
    "impulsar": ("promover", "fomentar"),
    "fomentar": ("promover", "impulsar"),
    "fortalecer": ("consolidar", "robustecer"),
    "mejorar": ("elevar", "optimizar"),
    "apoyar": ("respaldar", "asistir"),
    "otorgar": ("entregar", "brindar"),
    "brindar": ("ofrecer", "otorgar"),
    "garantizar": ("asegurar",),
    "incrementar": ("aumentar", "ampliar"),
    "reducir": ("disminuir",),
    "desarrollar": ("generar", "crear"),
    "acceso": ("ingreso",),
    "apoyos": ("ayudas", "beneficios"),
    "personas": ("habitantes", "ciudadanos"),
    "capacitacion": ("formacion", "entrenamiento"),
    "capacitación": ("formación", "entrenamiento"),
    "población": ("ciudadanía",),
    "mediante": ("a través de", "por medio de"),
    "calidad": ("nivel",),
    "vida": ("bienestar",),
    "familias": ("hogares",),
    "niños": ("infantes", "menores"),
    "jóvenes": ("juventudes",),
    "estudiantes": ("alumnos", "educandos"),
    "económicos": ("monetarios", "financieros"),
    "recursos": ("fondos",),
    "proyectos": ("iniciativas",),
    "productivos": ("económicos",),
    "regional": ("territorial",),
    "políticas": ("estrategias",),
    "estudio": ("análisis", "diagnóstico"),
    "realizar": ("llevar a cabo", "efectuar"),
    "elaborar": ("preparar", "diseñar"),
    "identificar": ("detectar", "reconocer"),
}

PLACE_PHRASES = (
    "en el estado de {state}",
    "de la entidad de {state}",
    "en los municipios de {state}",
    "para la población de {state}",
)
PURPOSE_PHRASES = (
    "mediante apoyos directos",
    "con enfoque de género",
    "en zonas de alta marginación",
    "con participación comunitaria",
    "en coordinación con los municipios",
)

NATIONAL_AGENCIES = (
    "Secretaría de Bienestar",
    "Secretaría de Economía",
    "Secretaría de Agricultura y Desarrollo Rural",
    "Secretaría de Educación Pública",
    "Secretaría de Salud",
    "Secretaría del Trabajo y Previsión Social",
    "Secretaría de Desarrollo Agrario, Territorial y Urbano",
    "Secretaría de Cultura",
    "Secretaría de Turismo",
    "Instituto Nacional de las Mujeres",
    "Instituto Mexicano de la Juventud",
    "Instituto Nacional de los Pueblos Indígenas",
    "Instituto Nacional de la Economía Social",
    "Comisión Nacional Forestal",
    "Comisión Nacional de Vivienda",
    "Comisión Nacional del Agua",
    "Nacional Financiera",
    "Sistema Nacional para el Desarrollo Integral de la Familia",
    "Comisión Nacional de Cultura Física y Deporte",
    "Instituto Nacional para la Educación de los Adultos",
)

ACTIVITY_TARGET_GROUPS = (
    "Empresas",
    "Emprendedores",
    "Mujeres",
    "Jóvenes",
    "Funcionarios públicos",
    "Municipios",
    "Productores agrícolas",
    "Estudiantes",
)
ACTIVITY_SUPPORT_TYPES = (
    "Capacitación, asesoría u orientación",
    "Estudio",
    "Diálogo o foro",
    "Red o plataforma",
    "Subsidios",
)
ACTIVITY_THEMES = (
    "Transformación digital",
    "Innovación",
    "Desarrollo productivo",
    "Bienestar Económico",
    "Trabajo",
    "Educación",
)

SYNTHETIC_DOCUMENT = "synthetic-inventory"


@dataclass(frozen=True)
class SeedProgramme:
    """A real programme or activity that synthetic instruments are rewritten from."""

    name: str
    objective: str
    agency: str | None = None
    state: str | None = None
    target_groups: tuple[str, ...] = ()
    support_types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- seeds


def _clean(value: object) -> str | None:
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    return None if text.casefold() in MISSING else text


def read_catalogue_seeds(path: Path) -> list[SeedProgramme]:
    """Programmes of the CONEVAL state inventory workbook with a usable objective.

    Reads the consolidated sheet (the first one) with openpyxl; the header row is the one
    starting with ``Ciclo``. Raises ``ValueError`` naming the file when it is not there.
    """
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types
        raise ValueError(f"{path}: cannot be read as an XLSX workbook ({error})") from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header: dict[str, int] | None = None
        seeds: list[SeedProgramme] = []
        for row in rows:
            if header is None:
                if row and str(row[0] or "").strip() == "Ciclo":
                    header = {str(v or "").strip(): i for i, v in enumerate(row)}
                continue
            seed = _seed_from_row(row, header, path)
            if seed is not None:
                seeds.append(seed)
    finally:
        workbook.close()
    if header is None:
        raise ValueError(f"{path}: no header row starting with 'Ciclo' in the first sheet")
    return seeds


def _column(header: dict[str, int], prefix: str, path: Path) -> int:
    for name, index in header.items():
        if name.startswith(prefix):
            return index
    raise ValueError(f"{path}: no column starting with {prefix!r}")


def _seed_from_row(
    row: Sequence[object], header: dict[str, int], path: Path
) -> SeedProgramme | None:
    def cell(prefix: str) -> str | None:
        index = _column(header, prefix, path)
        return _clean(row[index]) if index < len(row) else None

    objective = cell("4. Objetivo")
    name = cell("1. Nombre")
    if not objective or not name or len(objective.split()) < 6:
        return None
    state = cell("Entidad federativa")
    return SeedProgramme(
        name=name,
        objective=objective,
        agency=cell("2. Dependencia 1") or cell("3. Entidad"),
        state=state,
        target_groups=tuple(
            v for v in (cell(f"15. Grupos de atención {k}") for k in (1, 2, 3)) if v
        ),
        support_types=tuple(v for v in (cell(f"16. Tipo de apoyo {k}") for k in (1, 2, 3)) if v),
        themes=tuple(v for v in (cell("13. Derecho social directo"),) if v),
    )


_ACTIVITY = re.compile(
    r"(?:^|\t|\n)\s*(?:\d+\.\d+\.?\s+)?([A-ZÁÉÍÓÚ][a-záéíóúñ]+(?:ar|er|ir))\b([^\t\n]{30,400})"
)


def read_corpus_activities(corpus_dir: Path) -> list[SeedProgramme]:
    """Activity texts of the sample corpus: cells, lines or bullets opening with an infinitive."""
    if not corpus_dir.is_dir():
        raise ValueError(f"{corpus_dir}: not a directory of corpus documents")
    seeds: list[SeedProgramme] = []
    seen: set[str] = set()
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix not in (".txt", ".md"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _ACTIVITY.finditer(text):
            sentence = re.sub(r"\s+", " ", match.group(1) + match.group(2)).strip(" .;")
            key = slugify(sentence)
            if len(sentence.split()) < 6 or key in seen:
                continue
            seen.add(key)
            seeds.append(SeedProgramme(name=" ".join(sentence.split()[:8]), objective=sentence))
    return seeds


# --------------------------------------------------------------------------- variation


def vary_text(text: str, rng: random.Random, intensity: float, state: str | None = None) -> str:
    """Rewrite ``text`` word by word: synonyms, drops, a swap, an added phrase.

    ``intensity`` in [0, 1] scales every probability; 0 returns the text unchanged.
    """
    if intensity <= 0:
        return text
    words = text.split()
    out: list[str] = []
    for position, word in enumerate(words):
        bare = word.strip(".,;:").casefold()
        if position > 0 and rng.random() < 0.06 * intensity:
            continue
        choices = SYNONYMS.get(bare)
        if choices and rng.random() < 0.5 * intensity:
            replacement = rng.choice(choices)
            out.append(replacement + word[len(word.rstrip(".,;:")) :])
        else:
            out.append(word)
    if len(out) > 3 and rng.random() < 0.5 * intensity:
        k = rng.randrange(1, len(out) - 1)
        out[k], out[k + 1] = out[k + 1], out[k]
    if state and rng.random() < 0.4 * intensity:
        out.append(rng.choice(PLACE_PHRASES).format(state=state))
    if rng.random() < 0.3 * intensity:
        out.append(rng.choice(PURPOSE_PHRASES))
    return " ".join(out)


def join_clauses(first: str, second: str, rng: random.Random) -> str:
    """The first part of one objective followed by the last part of another."""
    a, b = first.split(), second.split()
    cut_a = max(3, int(len(a) * rng.uniform(0.4, 0.7)))
    cut_b = min(len(b) - 3, int(len(b) * rng.uniform(0.3, 0.6)))
    return " ".join([*a[:cut_a], "y", *b[max(cut_b, 0):]])


# --------------------------------------------------------------------------- inventory


@dataclass
class InventoryShape:
    """How many of each thing the synthetic inventory holds."""

    instruments: int = 1000
    municipalities_per_state: int = 60
    national_share: float = 0.1
    local_share: float = 0.2
    co_responsible_share: float = 0.1
    mixed_share: float = 0.25
    explicit_overlaps: int = 40
    body_members: int = 12
    seed: int = 0
    states: tuple[str, ...] = field(default_factory=tuple)


class _Builder:
    """Collects entities and relations; every relation gets one evidence entry, quoting a line
    of the synthetic document's text (one line per relation, so the quotes are exact)."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.relations: dict[str, Relation] = {}
        self.lines: list[str] = []
        self.cursor = 0

    def entity(self, label: str, name: str, **fields: object) -> str:
        node = entity_id(label, name, "mx")
        if node not in self.entities:
            self.entities[node] = Entity(id=node, label=label, name=name, country="MX", **fields)
        return node

    def relate(self, source: str, rel_type: str, target: str, quote: str) -> None:
        relation = Relation(source=source, type=rel_type, target=target)
        if relation.id not in self.relations:
            quote = " ".join(quote.split())
            start, end = self.cursor, self.cursor + len(quote)
            relation.evidence.append(
                Evidence(
                    passage_id=f"{SYNTHETIC_DOCUMENT}:{start}-{end}",
                    document_id=SYNTHETIC_DOCUMENT,
                    start=start,
                    end=end,
                    quote=quote,
                    extractor="synthetic",
                )
            )
            self.relations[relation.id] = relation
            self.lines.append(quote)
            self.cursor = end + 1  # the line break

    def extraction(self) -> Extraction:
        """What was built, as one document's extraction a store can write."""
        document = DocumentInfo(
            id=SYNTHETIC_DOCUMENT,
            title="Inventario sintético",
            path=f"{SYNTHETIC_DOCUMENT}.txt",
            format="txt",
            text="\n".join(self.lines),
        )
        return Extraction(
            document=document,
            entities=sorted(self.entities.values(), key=lambda e: e.id),
            relations=sorted(self.relations.values(), key=lambda r: r.id),
        )


def synthetic_extraction(seeds: Sequence[SeedProgramme], shape: InventoryShape) -> Extraction:
    """An inventory of ``shape.instruments`` instruments rewritten from ``seeds``, as the
    extraction of one synthetic document (a store can write it; every quote is exact).

    Territories: Mexico, its states (``shape.states``, else the seeds' states) and
    municipalities. Institutions: national agencies, the seeds' state agencies (and each
    state's government), municipalities, and one coordination council per state.
    Relations: responsibility (some co-responsibility), coverage, operation, membership of
    councils, explicit coordination and a few explicit overlap statements.
    """
    if not seeds:
        raise ValueError("a synthetic inventory needs at least one seed programme")
    rng = random.Random(shape.seed)
    states = sorted(set(shape.states) or {s.state for s in seeds if s.state} or {"Jalisco"})
    build = _Builder()
    country = build.entity("Territory", "México", kind="country")
    state_ids = {s: build.entity("Territory", s, kind="region") for s in states}
    for state, node in state_ids.items():
        build.relate(node, "PART_OF", country, f"{state}, México")
    municipalities: dict[str, list[tuple[str, str]]] = {}
    for state in states:
        municipalities[state] = []
        for k in range(1, shape.municipalities_per_state + 1):
            place_name = f"Municipio {k} de {state}"
            place = build.entity("Territory", place_name, kind="city")
            build.relate(place, "PART_OF", state_ids[state], place_name)
            office = build.entity(
                "Institution",
                f"Presidencia Municipal {k} de {state}",
                kind="municipality",
                level="local",
                sector="public",
            )
            build.relate(office, "OPERATES_IN", place, place_name)
            municipalities[state].append((office, place))
    national = [
        build.entity("Institution", name, kind="ministry", level="national", sector="public")
        for name in NATIONAL_AGENCIES
    ]
    for node in national:
        build.relate(node, "OPERATES_IN", country, build.entities[node].name)
    agencies: dict[str, list[str]] = {state: [] for state in states}
    for state in states:
        government = build.entity(
            "Institution",
            f"Gobierno del Estado de {state}",
            kind="regional_government",
            level="regional",
            sector="public",
        )
        agencies[state].append(government)
    for seed in seeds:
        if seed.state in agencies and seed.agency:
            node = build.entity(
                "Institution",
                f"{seed.agency} de {seed.state}",
                kind="agency",
                level="regional",
                sector="public",
            )
            if node not in agencies[seed.state]:
                agencies[seed.state].append(node)
    for state, nodes in agencies.items():
        for node in nodes:
            build.relate(node, "OPERATES_IN", state_ids[state], f"{build.entities[node].name}")
    _add_instruments(
        build, rng, seeds, shape, states, state_ids, country, national, agencies, municipalities
    )
    _add_coordination(build, rng, shape, states, national, agencies, municipalities)
    return build.extraction()


def synthetic_inventory(seeds: Sequence[SeedProgramme], shape: InventoryShape) -> nx.MultiDiGraph:
    """The projected graph of :func:`synthetic_extraction`."""
    extraction = synthetic_extraction(seeds, shape)
    return project(extraction.entities, extraction.relations)


def _facet_values(own: tuple[str, ...], pool: Sequence[str], rng: random.Random) -> list[str]:
    values = list(own) if own and rng.random() < 0.8 else [rng.choice(pool)]
    if rng.random() < 0.15:
        values.append(rng.choice(pool))
    return sorted({slugify(v).replace("-", "_") for v in values})


def _add_instruments(
    build: _Builder,
    rng: random.Random,
    seeds: Sequence[SeedProgramme],
    shape: InventoryShape,
    states: list[str],
    state_ids: dict[str, str],
    country: str,
    national: list[str],
    agencies: dict[str, list[str]],
    municipalities: dict[str, list[tuple[str, str]]],
) -> None:
    target_pool = sorted({v for s in seeds for v in s.target_groups} | set(ACTIVITY_TARGET_GROUPS))
    support_pool = sorted({v for s in seeds for v in s.support_types} | set(ACTIVITY_SUPPORT_TYPES))
    theme_pool = sorted({v for s in seeds for v in s.themes} | set(ACTIVITY_THEMES))
    for serial in range(shape.instruments):
        seed = seeds[rng.randrange(len(seeds))]
        state = seed.state if seed.state in state_ids and rng.random() < 0.5 else rng.choice(states)
        intensity = rng.choice((0.0, 0.3, 0.6, 1.0))
        objective = seed.objective
        if rng.random() < shape.mixed_share:
            objective = join_clauses(objective, seeds[rng.randrange(len(seeds))].objective, rng)
        objective = vary_text(objective, rng, intensity, state)
        draw = rng.random()
        if draw < shape.national_share:
            level, owner, territory = "national", rng.choice(national), country
        elif draw < shape.national_share + shape.local_share:
            level = "local"
            owner, territory = rng.choice(municipalities[state])
        else:
            level, territory = "regional", state_ids[state]
            owner = rng.choice(agencies[state])
        name = f"{vary_text(seed.name, rng, intensity)} ({serial})"
        node = build.entity(
            "Instrument",
            name,
            kind=rng.choice(("grant", "training", "technical_assistance", "activity")),
            objective=objective,
            level=level,
            target_groups=_facet_values(seed.target_groups, target_pool, rng),
            support_types=_facet_values(seed.support_types, support_pool, rng),
            themes=_facet_values(seed.themes, theme_pool, rng),
            territory=build.entities[territory].name,
            source=SYNTHETIC_DOCUMENT,
        )
        build.relate(owner, "RESPONSIBLE_FOR", node, f"{name}: {build.entities[owner].name}")
        build.relate(node, "COVERS", territory, f"{name}: {build.entities[territory].name}")
        if rng.random() < shape.co_responsible_share:
            partner = rng.choice(national if level != "national" else agencies[state])
            build.relate(
                partner, "CO_RESPONSIBLE_FOR", node, f"{name}: {build.entities[partner].name}"
            )


def _add_coordination(
    build: _Builder,
    rng: random.Random,
    shape: InventoryShape,
    states: list[str],
    national: list[str],
    agencies: dict[str, list[str]],
    municipalities: dict[str, list[tuple[str, str]]],
) -> None:
    for state in states:
        council = build.entity(
            "Institution",
            f"Consejo Estatal de Desarrollo Social de {state}",
            kind="committee",
            level="regional",
            sector="public",
        )
        locals_ = [office for office, _ in municipalities[state]]
        pool = agencies[state] + rng.sample(locals_, min(len(locals_), shape.body_members))
        members = rng.sample(pool, min(len(pool), shape.body_members)) + rng.sample(national, 2)
        for member in sorted(set(members)):
            build.relate(
                member,
                "PARTICIPATES_IN",
                council,
                f"{build.entities[member].name} integra el consejo",
            )
        for agency in agencies[state]:
            if rng.random() < 0.3:
                partner = rng.choice(national)
                build.relate(agency, "COORDINATES_WITH", partner, "en coordinación con")
        for office in locals_:
            if rng.random() < 0.1:
                build.relate(
                    office, "COORDINATES_WITH", rng.choice(agencies[state]), "en coordinación con"
                )
    everyone = sorted(n for n, e in build.entities.items() if e.label == "Institution")
    for _ in range(shape.explicit_overlaps):
        a, b = rng.sample(everyone, 2)
        build.relate(a, "OVERLAPS_WITH", b, "duplicidad de funciones")
