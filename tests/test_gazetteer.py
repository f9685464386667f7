"""The shipped gazetteer: files validate, coverage, uniqueness, lookups, user extensions, errors."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
import yaml
from spacy.lang.es.stop_words import STOP_WORDS

from graph.gazetteer import (
    Gazetteer,
    GazetteerEntry,
    GazetteerError,
    TerritoryEntry,
    build_gazetteer,
    countries,
    country_code,
    load_gazetteer,
    read_file,
    shipped_files,
)
from graph.model import entity_id
from graph.normalize import normalize_name
from graph.vocab import LEVELS, SECTORS

LATIN_AMERICA = (
    "AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "SV",
    "GT", "HN", "MX", "NI", "PA", "PY", "PE", "UY", "VE", "HT",
)
SHARED = Path(
    os.environ.get("TEJIDO_SHARED", Path(__file__).resolve().parents[1] / ".." / "shared")
)

# Ordinary Spanish words that an upper-case acronym could be confused with when matched
# case-insensitively; spaCy's Spanish stop words are added to them.
SPANISH_WORDS = frozenset({
    "alba", "ama", "ame", "ande", "ante", "cabe", "cae", "can", "casa", "da", "dar", "den", "fe",
    "fia", "ira", "mar", "maga", "mida", "mira", "mire", "oro", "paz", "pesca", "plan",
    "produce", "red", "sea", "sena", "sep", "ser", "sol", "une", "vea", "vida",
}) | STOP_WORDS


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------- shipped data


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_file_loads_and_validates(path: Path) -> None:
    entries, territories = read_file(path)
    assert entries or territories, f"{path} holds nothing"
    for item in [*entries, *territories]:
        assert item.source and item.source.startswith(str(path))


def test_shipped_files_cover_the_twenty_countries_and_the_regional_files() -> None:
    names = {(p.parent.name, p.stem) for p in shipped_files()}
    for code in LATIN_AMERICA:
        assert ("gazetteer", code.lower()) in names
        assert ("territories", code.lower()) in names
    assert {("gazetteer", "regional"), ("gazetteer", "international")} <= names
    assert ("territories", "regions") in names


def test_at_least_400_institutions_instruments_and_programmes(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.institutions) + len(gazetteer.instruments) + len(gazetteer.programs) >= 400
    assert len(gazetteer.instruments) >= 20


def test_every_country_has_a_ministry_and_an_agency(gazetteer: Gazetteer) -> None:
    kinds: dict[str, Counter[str]] = {code: Counter() for code in LATIN_AMERICA}
    for entry in gazetteer.institutions:
        if entry.country in kinds:
            kinds[entry.country][entry.kind or ""] += 1
    missing = [c for c, k in kinds.items() if not (k["ministry"] and k["agency"])]
    assert not missing, f"countries without a ministry or an agency: {missing}"


def test_no_two_entries_of_one_country_share_a_name_or_acronym(gazetteer: Gazetteer) -> None:
    conflicts = gazetteer.conflicts()
    assert not conflicts, "\n".join(
        f"{c.country}: {c.form!r} in {c.first} and {c.second}" for c in conflicts
    )


def test_levels_sectors_and_countries_are_valid(gazetteer: Gazetteer) -> None:
    known_countries = set(gazetteer.countries())
    for entry in gazetteer.entries:
        if entry.kind == "university":
            assert entry.level is None, entry.name
        else:
            assert entry.level in LEVELS, f"{entry.name}: level {entry.level!r}"
        assert entry.sector is None or entry.sector in SECTORS, entry.name
        assert entry.country is None or entry.country in known_countries, entry.name
    for territory in gazetteer.territories:
        assert territory.country is None or territory.country in known_countries


def test_supranational_bodies_belong_to_no_country_and_national_ones_do(
    gazetteer: Gazetteer,
) -> None:
    for entry in gazetteer.entries:
        if entry.level == "supranational":
            assert entry.country is None, entry.name
        elif entry.level in ("regional", "local") and entry.kind == "regional_government":
            assert entry.country is not None, entry.name


def test_acronyms_that_are_spanish_words_are_case_sensitive(gazetteer: Gazetteer) -> None:
    loose = [
        f"{acronym} ({entry.name})"
        for entry in gazetteer.entries
        for acronym in entry.acronyms
        if acronym.lower() in SPANISH_WORDS and not entry.case_sensitive
    ]
    assert not loose, f"acronyms to flag case_sensitive: {loose}"


def test_references_resolve_within_the_same_country(gazetteer: Gazetteer) -> None:
    for entry in gazetteer.entries:
        if entry.parent:
            parent = gazetteer.resolve(entry.parent, country=entry.country)
            assert isinstance(parent, GazetteerEntry), entry.name
        if entry.territory:
            place = gazetteer.resolve(entry.territory, label="Territory", country=entry.country)
            assert isinstance(place, TerritoryEntry) and place.kind != "country", entry.name


def test_chile_has_the_sixteen_regional_governments_on_their_regions(
    gazetteer: Gazetteer,
) -> None:
    governments = [
        e for e in gazetteer.institutions
        if e.country == "CL" and e.kind == "regional_government"
    ]
    regions = {t.name for t in gazetteer.territories if t.country == "CL" and t.kind == "region"}
    assert len(governments) == 16
    assert len(regions) == 16
    assert {g.territory for g in governments} == regions
    assert all(g.level == "regional" for g in governments)


def test_chilean_core_bodies_are_present(gazetteer: Gazetteer) -> None:
    for acronym in ("SUBDERE", "CORFO", "SERCOTEC", "SERNATUR", "SERNAPESCA", "INDAP",
                    "FOSIS", "ANID", "AChM", "AMUCH", "CGR"):
        hits = gazetteer.lookup(acronym, country="CL")
        assert len(hits) == 1, acronym
    fndr = gazetteer.lookup("FNDR", country="CL")
    assert [(e.label, e.kind) for e in fndr] == [("Instrument", "fund")]


def test_every_country_has_its_territory_subdivisions_and_a_capital(
    gazetteer: Gazetteer,
) -> None:
    for code in LATIN_AMERICA:
        own = [t for t in gazetteer.territories if t.country == code]
        kinds = Counter(t.kind for t in own)
        assert kinds["country"] == 1, code
        assert kinds["region"] >= 7, code
        assert any(t.capital for t in own), code
        for territory in own:
            if territory.kind != "country":
                assert gazetteer.resolve(territory.parent or "", label="Territory",
                                         country=code), territory.name


# ---------------------------------------------------------------------------- lookups


def test_lookup_ignores_accents_case_and_punctuation(gazetteer: Gazetteer) -> None:
    corfo = gazetteer.lookup("Corporación de Fomento de la Producción")
    assert len(corfo) == 1
    assert gazetteer.lookup("CORPORACION DE FOMENTO DE LA PRODUCCION") == corfo
    assert gazetteer.lookup("corporación de fomento de la produccion") == corfo
    assert gazetteer.lookup("corfo") == corfo
    biobio = gazetteer.lookup("Gobierno Regional del Biobío")
    assert len(biobio) == 1
    for form in ("Gobierno Regional del Bío-Bío", "gobierno regional del BIOBIO",
                 "Gobierno Regional del BíoBío"):
        assert gazetteer.lookup(form) == biobio, form
    region = gazetteer.lookup("region del bio bio", label="Territory")
    assert [t.name for t in region] == ["Región del Biobío"]


def test_lookup_by_english_and_portuguese_forms(gazetteer: Gazetteer) -> None:
    assert [e.name for e in gazetteer.lookup("World Bank")] == ["Banco Mundial"]
    assert [e.name for e in gazetteer.lookup("ECLAC")] == [
        "Comisión Económica para América Latina y el Caribe"
    ]
    assert [e.name for e in gazetteer.lookup("IDB")] == ["Banco Interamericano de Desarrollo"]
    assert [e.name for e in gazetteer.lookup("Mercosul")] == ["Mercado Común del Sur"]


def test_case_sensitive_acronyms_match_only_as_written(gazetteer: Gazetteer) -> None:
    assert [e.name for e in gazetteer.lookup("CAN")] == ["Comunidad Andina"]
    assert [e.name for e in gazetteer.lookup("la CAN")] == ["Comunidad Andina"]
    assert gazetteer.lookup("can") == []
    assert gazetteer.lookup("Can") == []
    assert [e.name for e in gazetteer.lookup("comunidad andina")] == ["Comunidad Andina"]
    assert gazetteer.lookup("alba", label="Institution") == []


def test_lookup_narrows_by_label_and_country(gazetteer: Gazetteer) -> None:
    mef = gazetteer.lookup("MEF")
    assert {e.country for e in mef} >= {"PE", "UY", "EC", "PA", "PY"}
    assert [e.country for e in gazetteer.lookup("MEF", country="pe")] == ["PE"]
    assert gazetteer.lookup("CORFO", label="Instrument") == []


def test_acronym_index_maps_normalised_acronyms_to_entries(gazetteer: Gazetteer) -> None:
    assert [e.name for e in gazetteer.acronym_index["corfo"]] == [
        "Corporación de Fomento de la Producción"
    ]
    assert {e.country for e in gazetteer.acronym_index["ine"]} >= {"CL", "BO", "UY"}
    for key, entries in gazetteer.acronym_index.items():
        assert key == normalize_name(key)
        assert all(key in e.normalized_acronyms() for e in entries)


def test_resolve_prefers_the_country_then_international_bodies(gazetteer: Gazetteer) -> None:
    ministry = gazetteer.resolve("Ministerio de Relaciones Exteriores", country="PE")
    assert ministry is not None and ministry.country == "PE"
    assert gazetteer.resolve("Ministerio de Relaciones Exteriores") is None
    cepal = gazetteer.resolve("CEPAL", country="CL")
    assert cepal is not None and cepal.country is None


def test_to_entity_carries_the_stable_id_and_surface_forms(gazetteer: Gazetteer) -> None:
    (corfo,) = gazetteer.lookup("CORFO")
    entity = corfo.to_entity()
    assert entity.id == entity_id("Institution", corfo.name, "CL")
    assert entity.acronym == "CORFO"
    assert entity.level == "national" and entity.country == "CL"
    assert "CORFO" not in entity.aliases and "Corfo Chile" in entity.aliases
    region = gazetteer.lookup("Biobío", label="Territory")[0].to_entity()
    assert region.label == "Territory" and region.kind == "region"


def test_countries_and_country_codes(gazetteer: Gazetteer) -> None:
    names = countries()
    assert set(LATIN_AMERICA) <= set(names)
    assert names["BR"] == "Brasil" and names["DO"] == "República Dominicana"
    assert names["MX"] == "México"
    assert country_code("Brasil") == "BR"
    assert country_code("Brazil") == "BR"
    assert country_code("república dominicana") == "DO"
    assert country_code("Republica Dominicana") == "DO"
    assert country_code("Estado Plurinacional de Bolivia") == "BO"
    assert country_code("Perú") == country_code("peru") == "PE"
    assert country_code("cl") == "CL"
    assert country_code("España") == "ES"
    assert country_code("Atlántida") is None
    assert country_code("Biobío") is None


def test_default_loading_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()
    assert load_gazetteer(()) is load_gazetteer()


# ---------------------------------------------------------------------- user extensions


def test_user_yaml_adds_entries_and_extends_known_ones(tmp_path: Path) -> None:
    user = write(tmp_path / "mine.yaml", """\
country: CL
entries:
  - name: Corporación de Fomento de la Producción
    aliases: [la Corporación]
    acronyms: [CORFO-CL]
  - name: Agencia Regional de Desarrollo Productivo del Biobío
    acronyms: [ARDP]
    kind: agency
    level: regional
    parent: Gobierno Regional del Biobío
territories:
  - name: Región del Biobío
    aliases: [Región del Bio Bio de Chile]
    kind: region
""")
    extended = load_gazetteer([user])
    assert extended is not load_gazetteer()
    corfo = extended.lookup("la Corporación")
    assert [e.name for e in corfo] == ["Corporación de Fomento de la Producción"]
    assert corfo == extended.lookup("CORFO-CL") == extended.lookup("CORFO")
    assert corfo[0].parent == "Ministerio de Economía, Fomento y Turismo"  # kept
    assert len(extended) == len(load_gazetteer()) + 1
    (ardp,) = extended.lookup("ardp")
    assert ardp.level == "regional" and ardp.country == "CL"
    region = extended.lookup("region del bio bio de chile")
    assert [t.name for t in region] == ["Región del Biobío"]
    assert len(extended.territories) == len(load_gazetteer().territories)
    # the shipped gazetteer is untouched
    assert load_gazetteer().lookup("la Corporación") == []


def test_user_entry_overrides_the_fields_it_gives(tmp_path: Path) -> None:
    user = write(tmp_path / "level.yaml", """\
entries:
  - {name: Servicio de Cooperación Técnica, country: CL, level: regional}
""")
    (sercotec,) = load_gazetteer([user]).lookup("SERCOTEC")
    assert sercotec.level == "regional"
    assert sercotec.kind == "service"


def test_user_folder_is_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "a.yaml", "entries:\n  - {name: Red Uno de Prueba, kind: network}\n")
    write(tmp_path / "b.yml", "entries:\n  - {name: Red Dos de Prueba, kind: network}\n")
    write(tmp_path / "notes.txt", "not yaml: [")
    extended = load_gazetteer([tmp_path])
    assert extended.lookup("red uno de prueba") and extended.lookup("Red Dos de Prueba")


# ------------------------------------------------------------------------------ errors


def test_yaml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.yaml", "entries:\n  - name: Uno\n    aliases: [a, b\n")
    with pytest.raises(GazetteerError) as info:
        load_gazetteer([broken])
    assert str(broken) in str(info.value)
    assert "YAML syntax error" in str(info.value)
    assert info.value.path == str(broken) and info.value.line is not None


def test_invalid_level_names_the_file_line_entry_and_field(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", """\
entries:
  - name: Primera Entidad
  - name: Segunda Entidad
    level: provincial
""")
    with pytest.raises(GazetteerError) as info:
        load_gazetteer([bad])
    message = str(info.value)
    assert f"{bad}:3:" in message
    assert "Segunda Entidad" in message and "level" in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("entries:\n  - {name: X, colour: red}\n", "colour"),
        ("entries:\n  - {name: X, country: Chile}\n", "ISO 3166-1"),
        ("entries:\n  - {name: X, acronyms: [A B]}\n", "contains a space"),
        ("entries:\n  - {name: Universidad X, kind: university, level: national}\n",
         "universities"),
        ("entries:\n  - {name: X, case_sensitive: true}\n", "case_sensitive"),
        ("entries:\n  - {name: '...'}\n", "no letters"),
        ("entries:\n  - {name: X, parent: Nada Que Exista}\n", "names no entry"),
        ("entries:\n  - {name: X, country: CL, territory: Baviera}\n", "names no entry"),
        ("territories:\n  - {name: Y, kind: region}\n", "needs a 'country'"),
        ("territories:\n  - {name: Y, kind: supranational_region, country: CL}\n",
         "belongs to no country"),
        ("entries:\n  - name: X\n    name: Y\n", "appears twice"),
        ("entradas:\n  - {name: X}\n", "unknown top-level"),
        ("defaults: {parent: X}\nentries: []\n", "'defaults' may set only"),
        ("- just a list\n", "must be a mapping"),
        ("entries: {name: X}\n", "must be a list"),
    ],
)
def test_invalid_user_files_raise_gazetteer_error(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = write(tmp_path / "user.yaml", text)
    with pytest.raises(GazetteerError) as info:
        load_gazetteer([path])
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_missing_user_path_raises(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="no such file"):
        load_gazetteer([tmp_path / "absent.yaml"])


def test_conflicts_are_found_unless_shared(tmp_path: Path) -> None:
    regions = TerritoryEntry(name="Sudamérica", kind="supranational_region")
    base = write(tmp_path / "base.yaml", """\
country: CL
entries:
  - {name: Instituto Uno, acronyms: [IU]}
  - {name: Instituto Dos, acronyms: [IU]}
  - {name: Instituto Tres, aliases: [Instituto Uno]}
  - {name: Fondo Uno, label: Instrument, acronyms: [IU]}
  - {name: Instituto Cuatro, acronyms: [IC]}
  - {name: Instituto Cinco, acronyms: [IC], shared: true}
  - {name: Instituto Uno, country: PE}
""")
    entries, _ = read_file(base)
    found = Gazetteer(entries, [regions]).conflicts()
    assert sorted((c.country, c.form) for c in found) == [("CL", "instituto uno"), ("CL", "iu")]


def test_defaults_apply_but_never_give_a_university_a_level(tmp_path: Path) -> None:
    path = write(tmp_path / "d.yaml", """\
country: uy
defaults: {sector: public, level: national}
entries:
  - {name: Agencia X, kind: agency}
  - {name: Universidad X, kind: university, sector: academic}
""")
    agency, university = read_file(path)[0]
    assert (agency.country, agency.sector, agency.level) == ("UY", "public", "national")
    assert (university.sector, university.level) == ("academic", None)


def test_build_gazetteer_from_explicit_files(tmp_path: Path) -> None:
    path = write(tmp_path / "only.yaml", """\
country: CL
entries:
  - {name: Corporación de Fomento de la Producción, acronyms: [CORFO], level: national}
territories:
  - {name: Chile, kind: country}
""")
    small = build_gazetteer([path])
    assert len(small) == 1 and small.countries() == {"CL": "Chile"}


# ---------------------------------------------------------- agreement with the gold files


def _gold_entities() -> list[dict]:
    gold = SHARED / "gold"
    if not gold.is_dir():
        return []
    items = []
    for path in sorted(gold.glob("*.yaml")):
        items += yaml.safe_load(path.read_text(encoding="utf-8")).get("entities", [])
    return items


@pytest.mark.skipif(not _gold_entities(), reason="../shared/gold is not available")
def test_gazetteer_levels_agree_with_the_gold_annotations(gazetteer: Gazetteer) -> None:
    checked = 0
    for item in _gold_entities():
        if item.get("type") not in ("Institution", "Instrument", "Program"):
            continue
        for form in [item["name"], *item.get("aliases", [])]:
            entry = gazetteer.resolve(form, country=item.get("country"))
            if isinstance(entry, GazetteerEntry):
                assert entry.level == item.get("level"), (form, entry.name, entry.level)
                checked += 1
    assert checked >= 30


@pytest.mark.parametrize(
    ("form", "country", "name"),
    [
        # files of ../shared/bulk naming each (1,463 Peruvian regional texts, 630 Chilean laws)
        ("MINSA", "PE", "Ministerio de Salud"),  # 50
        ("SENASA", "PE", "Servicio Nacional de Sanidad Agraria"),  # 47
        ("Superintendencia Nacional de Administración Tributaria", "PE",
         "Superintendencia Nacional de Aduanas y de Administración Tributaria"),
        ("Instituto Nacional de Investigación Agraria", "PE",
         "Instituto Nacional de Innovación Agraria"),
        ("Congreso Nacional", "CL", "Congreso Nacional"),  # 579
        ("Servicio de Tesorerías", "CL", "Tesorería General de la República"),  # 25
        ("SAG", "CL", "Servicio Agrícola y Ganadero"),  # 17
        ("STPS", "MX", "Secretaría del Trabajo y Previsión Social"),
        ("Secretaría de Comunicaciones y Transportes", "MX",
         "Secretaría de Infraestructura, Comunicaciones y Transportes"),
        ("COPARMEX", "MX", "Confederación Patronal de la República Mexicana"),
        ("Ministerio de Salud y Protección Social", "CO",
         "Ministerio de Salud y Protección Social"),
    ],
)
def test_bodies_legal_texts_name_most_are_present(
    gazetteer: Gazetteer, form: str, country: str, name: str
) -> None:
    hit = gazetteer.resolve(form, label="Institution", country=country)
    assert hit is not None and hit.name == name and hit.country == country


def test_one_generic_name_is_one_entry_per_country(gazetteer: Gazetteer) -> None:
    # "Ministerio de Salud" exists in Peru and Chile; each country's document gets its own
    countries = {e.country for e in gazetteer.lookup("Ministerio de Salud", label="Institution")}
    assert {"PE", "CL"} <= countries
    assert gazetteer.resolve("Ministerio de Salud", country="PE").country == "PE"
