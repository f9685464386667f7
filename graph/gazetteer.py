"""The curated gazetteer: real institutions, instruments, programmes and territories.

Shipped YAML lives in ``graph/data/gazetteer`` (institutions, instruments, programmes; one file
per country, plus ``regional.yaml`` and ``international.yaml``) and ``graph/data/territories``
(countries, their first-level subdivisions and capitals, and supranational regions). Users add
their own YAML files or folders of them; a user entry whose label, country and normalised name
equal those of a known entry extends it (new aliases and acronyms, explicitly given fields
override) instead of adding a second one.

File format (a mapping; every key optional)::

    country: CL            # default country of the file's entries and territories
    defaults:              # default label, kind, sector and level of the file's entries
      sector: public       # (a default level is never given to universities)
      level: national
    entries:               # institutions, instruments, programmes (GazetteerEntry)
      - name: Corporación de Fomento de la Producción
        acronyms: [CORFO]
    territories:           # territories (TerritoryEntry)
      - name: Región del Biobío
        kind: region

Any problem (YAML syntax, an unknown field, a bad level, a parent that names nothing) raises
:class:`GazetteerError` naming the file, the line where it is known, and the problem.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from graph.model import Entity, entity_id
from graph.normalize import normalize_name
from graph.vocab import Level, Sector

DATA_DIR = Path(__file__).resolve().parent / "data"
GAZETTEER_DIR = DATA_DIR / "gazetteer"
TERRITORIES_DIR = DATA_DIR / "territories"

EntryLabel = Literal["Institution", "Instrument", "Program"]
TerritoryKind = Literal["country", "region", "province", "commune", "city", "supranational_region"]

_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_KIND = re.compile(r"^[a-z][a-z_]*$")
_FILE_KEYS = frozenset({"country", "defaults", "entries", "territories"})
_DEFAULTABLE = frozenset({"label", "kind", "sector", "level"})
_YAML_SUFFIXES = (".yaml", ".yml")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
# Fields a user entry never overrides when it extends a known entry: they identify it.
_IDENTITY_FIELDS = frozenset({"name", "label", "country", "aliases", "acronyms", "source"})


class GazetteerError(Exception):
    """A gazetteer file is unreadable or invalid; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")


def _check_country(code: str) -> str:
    code = code.strip().upper()
    if not _COUNTRY_CODE.match(code):
        raise ValueError(f"country must be an ISO 3166-1 alpha-2 code such as 'CL', got {code!r}")
    return code


def _check_form(text: str) -> str:
    text = " ".join(text.split())
    if not normalize_name(text):
        raise ValueError(f"{text!r} has no letters or digits")
    return text


CountryCode = Annotated[str, AfterValidator(_check_country)]
SurfaceForm = Annotated[str, AfterValidator(_check_form)]


def _dedupe(forms: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for form in forms:
        if form not in seen:
            seen.add(form)
            out.append(form)
    return out


class _Named(BaseModel):
    """Fields shared by gazetteer entries and territories."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: SurfaceForm
    aliases: list[SurfaceForm] = Field(default_factory=list)
    country: CountryCode | None = None
    parent: SurfaceForm | None = None
    source: str | None = None  # "path:line" of the YAML entry, set by the loader

    @field_validator("aliases", mode="after")
    @classmethod
    def _unique_aliases(cls, value: list[str]) -> list[str]:
        return _dedupe(value)

    def surface_forms(self) -> list[str]:
        """Every written form of this entry: name, then acronyms and aliases."""
        return _dedupe([self.name, *self.aliases])

    def normalized_forms(self) -> set[str]:
        """The normalised forms of :meth:`surface_forms`."""
        return {normalize_name(form) for form in self.surface_forms()}


class GazetteerEntry(_Named):
    """An institution, instrument or programme with its acronyms, level, sector and country.

    ``case_sensitive`` marks acronyms that are also ordinary Spanish words (CAN, ALBA, SENA):
    they match only as written, in upper case. ``shared`` allows this entry to share a
    normalised name or acronym with another entry of the same country on purpose.
    ``responsible`` (instruments, programmes) and ``territory`` name other entries.
    ``legal_codes`` are the codes the country's legal identifiers end with when this body
    issues them (Peru's "Decreto Supremo N° 029-2018-PCM", "Resolución Ministerial N°
    123-2020-PRODUCE").
    """

    acronyms: list[SurfaceForm] = Field(default_factory=list)
    label: EntryLabel = "Institution"
    kind: str | None = None
    sector: Sector | None = None
    level: Level | None = None
    responsible: SurfaceForm | None = None
    territory: SurfaceForm | None = None
    case_sensitive: bool = False
    shared: bool = False
    legal_codes: list[SurfaceForm] = Field(default_factory=list)

    @field_validator("acronyms", mode="after")
    @classmethod
    def _unique_acronyms(cls, value: list[str]) -> list[str]:
        for acronym in value:
            if " " in acronym:
                raise ValueError(f"acronym {acronym!r} contains a space; list it under aliases")
        return _dedupe(value)

    @field_validator("kind", mode="after")
    @classmethod
    def _snake_case_kind(cls, value: str | None) -> str | None:
        if value is not None and not _KIND.match(value):
            raise ValueError(f"kind must be a lower-case word such as 'agency', got {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> GazetteerEntry:
        if self.kind == "university" and self.level is not None:
            raise ValueError("universities carry no governance level; remove 'level'")
        if self.case_sensitive and not self.acronyms:
            raise ValueError("case_sensitive applies to acronyms, but the entry has none")
        return self

    @property
    def acronym(self) -> str | None:
        """The main acronym (the first listed), if any."""
        return self.acronyms[0] if self.acronyms else None

    def surface_forms(self) -> list[str]:
        """Every written form of this entry: name, acronyms, aliases."""
        return _dedupe([self.name, *self.acronyms, *self.aliases])

    def normalized_acronyms(self) -> set[str]:
        """The normalised forms of the acronyms."""
        return {normalize_name(a) for a in self.acronyms}

    @property
    def id(self) -> str:
        """The stable id the entity gets in the graph."""
        return entity_id(self.label, self.name, self.country)

    def to_entity(self) -> Entity:
        """This entry as a graph entity (source ``gazetteer``)."""
        aliases = [form for form in self.surface_forms() if form not in (self.name, self.acronym)]
        extra: dict[str, Any] = {}
        if self.parent:
            extra["parent"] = self.parent
        if self.responsible:
            extra["responsible"] = self.responsible
        if self.case_sensitive:
            extra["case_sensitive"] = True
        return Entity(
            id=self.id, label=self.label, name=self.name, aliases=aliases, acronym=self.acronym,
            kind=self.kind, sector=self.sector, level=self.level, country=self.country,
            territory=self.territory, source="gazetteer", extra=extra,
        )


class TerritoryEntry(_Named):
    """A country, subdivision, city or supranational region.

    ``kind`` is the tier, the same in every country: ``region`` is the first sub-national
    tier whatever it is called locally (``division``: región, estado, provincia,
    departamento...), ``province`` the second, ``commune`` the municipal one.
    """

    kind: TerritoryKind
    division: str | None = None
    capital: bool = False

    @model_validator(mode="after")
    def _country_matches_kind(self) -> TerritoryEntry:
        if self.kind == "supranational_region" and self.country:
            raise ValueError("a supranational region belongs to no country; remove 'country'")
        if self.kind != "supranational_region" and not self.country:
            raise ValueError(f"a territory of kind {self.kind!r} needs a 'country'")
        return self

    @property
    def id(self) -> str:
        """The stable id the territory gets in the graph."""
        return entity_id("Territory", self.name, self.country)

    def to_entity(self) -> Entity:
        """This territory as a graph entity (source ``gazetteer``)."""
        extra: dict[str, Any] = {"parent": self.parent} if self.parent else {}
        return Entity(
            id=self.id, label="Territory", name=self.name,
            aliases=[a for a in self.aliases if a != self.name], kind=self.kind,
            country=self.country, source="gazetteer", extra=extra,
        )


AnyEntry = GazetteerEntry | TerritoryEntry


class Conflict(BaseModel):
    """Two entries of one country (and one label family) sharing a normalised form."""

    form: str
    country: str | None
    first: str
    second: str


class Gazetteer:
    """Loaded entries, indexed by normalised name, acronym and alias."""

    def __init__(
        self, entries: Iterable[GazetteerEntry], territories: Iterable[TerritoryEntry]
    ) -> None:
        entries = list(entries)
        self.institutions: list[GazetteerEntry] = [e for e in entries if e.label == "Institution"]
        self.instruments: list[GazetteerEntry] = [e for e in entries if e.label == "Instrument"]
        self.programs: list[GazetteerEntry] = [e for e in entries if e.label == "Program"]
        self.territories: list[TerritoryEntry] = list(territories)
        self._index: dict[str, list[tuple[AnyEntry, str | None]]] = defaultdict(list)
        self.acronym_index: dict[str, list[GazetteerEntry]] = {}
        for entry in self.entries:
            for key in sorted(entry.normalized_acronyms()):
                self.acronym_index.setdefault(key, []).append(entry)
        for item in self.all():
            self._index_entry(item)
        self._country_names, self._country_codes = self._index_countries()

    def _index_entry(self, item: AnyEntry) -> None:
        exact: dict[str, str | None] = {}
        acronyms = item.acronyms if isinstance(item, GazetteerEntry) else []
        case_sensitive = isinstance(item, GazetteerEntry) and item.case_sensitive
        for form in item.surface_forms():
            key = normalize_name(form)
            required = form if case_sensitive and form in acronyms else None
            # A form that also occurs in a case-free spelling needs no exact case.
            exact[key] = None if key in exact and exact[key] is None else required
        for key, required in exact.items():
            self._index[key].append((item, required))

    def _index_countries(self) -> tuple[dict[str, str], dict[str, str]]:
        names: dict[str, str] = {}
        codes: dict[str, str] = {}
        for territory in self.territories:
            if territory.kind == "country" and territory.country:
                names.setdefault(territory.country, territory.name)
                for form in territory.normalized_forms():
                    codes.setdefault(form, territory.country)
        return names, codes

    @property
    def entries(self) -> list[GazetteerEntry]:
        """Institutions, instruments and programmes together."""
        return [*self.institutions, *self.instruments, *self.programs]

    def all(self) -> Iterator[AnyEntry]:
        """Every entry, territories last."""
        yield from self.entries
        yield from self.territories

    def __len__(self) -> int:
        return len(self.institutions) + len(self.instruments) + len(self.programs)

    def lookup(
        self, name: str, *, label: str | None = None, country: str | None = None
    ) -> list[AnyEntry]:
        """Entries one of whose names, acronyms or aliases equals ``name`` once normalised.

        Accent-, case- and punctuation-insensitive, except for case-sensitive acronyms, which
        match only when ``name`` contains them exactly as written. ``label`` (Institution,
        Instrument, Program, Territory) and ``country`` narrow the result.
        """
        hits: list[AnyEntry] = []
        for item, required in self._index.get(normalize_name(name), ()):
            if required is not None and required not in name:
                continue
            item_label = item.label if isinstance(item, GazetteerEntry) else "Territory"
            if label is not None and item_label != label:
                continue
            if country is not None and item.country != country.upper():
                continue
            hits.append(item)
        return hits

    def resolve(
        self, name: str, *, label: str | None = None, country: str | None = None
    ) -> AnyEntry | None:
        """The entry ``name`` refers to when read in ``country``: an entry of that country
        first, else one that belongs to no country (international bodies, regions)."""
        hits = self.lookup(name, label=label)
        wanted = country.upper() if country else None
        for candidate_country in dict.fromkeys((wanted, None)):
            for hit in hits:
                if hit.country == candidate_country:
                    return hit
        return None

    def countries(self) -> dict[str, str]:
        """ISO 3166-1 alpha-2 code -> Spanish name of every country in the territories."""
        return dict(self._country_names)

    def country_code(self, name: str) -> str | None:
        """The ISO code of a country given by name, variant or code ("Brazil" -> "BR")."""
        key = normalize_name(name)
        if key.upper() in self._country_names:
            return key.upper()
        return self._country_codes.get(key)

    def conflicts(self) -> list[Conflict]:
        """Pairs of entries of one country sharing a normalised name, alias or acronym.

        Institutions are compared with institutions, instruments and programmes with each
        other, territories with territories. Entries marked ``shared`` are left out.
        """
        found: list[Conflict] = []
        families = (self.institutions, [*self.instruments, *self.programs], self.territories)
        for family in families:
            owner: dict[tuple[str | None, str], AnyEntry] = {}
            for item in family:
                if isinstance(item, GazetteerEntry) and item.shared:
                    continue
                for form in sorted(item.normalized_forms()):
                    key = (item.country, form)
                    other = owner.setdefault(key, item)
                    if other is not item:
                        found.append(Conflict(
                            form=form, country=item.country,
                            first=f"{other.name} ({other.source})",
                            second=f"{item.name} ({item.source})",
                        ))
        return found


# ---------------------------------------------------------------------------------- loading


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in _YAML_SUFFIXES and p.is_file())
    if path.is_file():
        return [path]
    raise GazetteerError(path, "no such file or folder")


def _check_duplicate_keys(node: yaml.Node, path: Path) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise GazetteerError(
                        path, f"key {key_node.value!r} appears twice in one mapping",
                        key_node.start_mark.line + 1,
                    )
                seen.add(key_node.value)
            _check_duplicate_keys(value_node, path)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item, path)


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse ``path``; return the data and the node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(path, f"cannot read the file: {exc}") from exc
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_duplicate_keys(node, path)
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise GazetteerError(path, f"YAML syntax error: {problem}", line) from exc
    except yaml.YAMLError as exc:
        raise GazetteerError(path, f"YAML error: {exc}") from exc
    finally:
        loader.dispose()


def _item_lines(root: yaml.Node | None, key: str) -> list[int | None]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key_node, value_node in root.value:
        if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value_node.value]
    return []


def _describe(error: ValidationError) -> str:
    parts = []
    for err in error.errors():
        field = ".".join(str(p) for p in err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        parts.append(f"{field}: {message}" if field else message)
    return "; ".join(parts)


def read_file(path: Path) -> tuple[list[GazetteerEntry], list[TerritoryEntry]]:
    """Read and validate one gazetteer or territories YAML file."""
    data, root = _read_yaml(path)
    if data is None:
        return [], []
    if not isinstance(data, dict):
        raise GazetteerError(path, "the file must be a mapping with 'entries' and/or 'territories'")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise GazetteerError(
            path, f"unknown top-level key(s) {sorted(map(str, unknown))}; "
            f"expected {sorted(_FILE_KEYS)}",
        )
    default_country = data.get("country")
    if default_country is not None:
        if not isinstance(default_country, str):
            raise GazetteerError(
                path, f"'country' must be a quoted ISO code, got {default_country!r}"
            )
        try:
            default_country = _check_country(default_country)
        except ValueError as exc:
            raise GazetteerError(path, str(exc)) from exc
    defaults = _read_defaults(path, data.get("defaults"))
    entries = _validate_items(
        path, root, data, "entries", GazetteerEntry, default_country, defaults
    )
    territories = _validate_items(path, root, data, "territories", TerritoryEntry, default_country)
    return entries, territories  # type: ignore[return-value]


def _read_defaults(path: Path, defaults: Any) -> dict[str, Any]:
    if defaults is None:
        return {}
    if not isinstance(defaults, dict):
        raise GazetteerError(path, "'defaults' must be a mapping")
    unknown = set(defaults) - _DEFAULTABLE
    if unknown:
        raise GazetteerError(
            path, f"'defaults' may set only {sorted(_DEFAULTABLE)}, not {sorted(map(str, unknown))}"
        )
    return dict(defaults)


def _validate_items(
    path: Path, root: yaml.Node | None, data: dict[str, Any], key: str,
    model: type[GazetteerEntry] | type[TerritoryEntry], default_country: str | None,
    defaults: dict[str, Any] | None = None,
) -> list[GazetteerEntry] | list[TerritoryEntry]:
    items = data.get(key) or []
    if not isinstance(items, list):
        raise GazetteerError(path, f"'{key}' must be a list")
    lines = _item_lines(root, key)
    out = []
    for position, raw in enumerate(items):
        line = lines[position] if position < len(lines) else None
        if not isinstance(raw, dict):
            raise GazetteerError(path, f"{key}[{position}] must be a mapping", line)
        fields = dict(raw)
        for field, value in (defaults or {}).items():
            if field == "level" and fields.get("kind") == "university":
                continue
            fields.setdefault(field, value)
        if default_country is not None and "country" not in fields:
            is_supranational = key == "territories" and fields.get("kind") == "supranational_region"
            if not is_supranational:
                fields["country"] = default_country
        fields["source"] = f"{path}:{line}" if line else str(path)
        try:
            out.append(model.model_validate(fields))
        except ValidationError as exc:
            name = raw.get("name", f"{key}[{position}]")
            raise GazetteerError(path, f"entry {name!r}: {_describe(exc)}", line) from exc
    return out


def _line_of(source: str | None) -> tuple[str, int | None]:
    path, _, line = (source or "").rpartition(":")
    if path and line.isdigit():
        return path, int(line)
    return source or "<unknown>", None


def _merge_into(known: AnyEntry, extension: AnyEntry) -> AnyEntry:
    """``known`` extended by ``extension``: forms united, explicitly given fields replaced."""
    update = {
        field: getattr(extension, field)
        for field in extension.model_fields_set - _IDENTITY_FIELDS
    }
    update["aliases"] = _dedupe([*known.aliases, *extension.aliases])
    if isinstance(known, GazetteerEntry) and isinstance(extension, GazetteerEntry):
        update["acronyms"] = _dedupe([*known.acronyms, *extension.acronyms])
    merged = known.model_copy(update=update)
    # Re-validate the combination (e.g. a level given to a university).
    try:
        return type(known).model_validate(merged.model_dump())
    except ValidationError as exc:
        path, line = _line_of(extension.source)
        raise GazetteerError(path, f"entry {extension.name!r}: {_describe(exc)}", line) from exc


def _identity(item: AnyEntry) -> tuple[str, str | None, str]:
    label = item.label if isinstance(item, GazetteerEntry) else "Territory"
    return label, item.country, normalize_name(item.name)


def _add_user_items(known: list[AnyEntry], extra: Iterable[AnyEntry]) -> None:
    position = {_identity(item): i for i, item in enumerate(known)}
    for item in extra:
        key = _identity(item)
        if key in position:
            known[position[key]] = _merge_into(known[position[key]], item)
        else:
            position[key] = len(known)
            known.append(item)


def _check_references(gazetteer: Gazetteer) -> None:
    """Every parent, responsible and territory names an entry of the same country or of none."""
    for item in gazetteer.all():
        targets: list[tuple[str, str | None, str | None]] = []
        if isinstance(item, GazetteerEntry):
            targets += [("parent", item.parent, None)]
            targets += [("responsible", item.responsible, "Institution")]
            targets += [("territory", item.territory, "Territory")]
        else:
            targets += [("parent", item.parent, "Territory")]
        for field, target, label in targets:
            if not target:
                continue
            hits = gazetteer.lookup(target, label=label)
            if label is None:  # an entry's parent is an institution, instrument or programme
                hits = [h for h in hits if isinstance(h, GazetteerEntry)]
            if not any(h.country in (item.country, None) for h in hits):
                path, line = _line_of(item.source)
                raise GazetteerError(
                    path,
                    f"entry {item.name!r}: {field} {target!r} names no entry of country "
                    f"{item.country or '(none)'} or of no country",
                    line,
                )


def shipped_files() -> list[Path]:
    """The YAML files shipped with the package, gazetteer first, then territories."""
    return [*_yaml_files(GAZETTEER_DIR), *_yaml_files(TERRITORIES_DIR)]


def build_gazetteer(shipped: Sequence[Path], extra_paths: Sequence[Path] = ()) -> Gazetteer:
    """Load ``shipped`` files as they are, then extend them with the user files or folders."""
    entries: list[AnyEntry] = []
    territories: list[AnyEntry] = []
    for path in shipped:
        file_entries, file_territories = read_file(path)
        entries += file_entries
        territories += file_territories
    for extra in extra_paths:
        for path in _yaml_files(Path(extra)):
            file_entries, file_territories = read_file(path)
            _add_user_items(entries, file_entries)
            _add_user_items(territories, file_territories)
    gazetteer = Gazetteer(entries, territories)  # type: ignore[arg-type]
    _check_references(gazetteer)
    return gazetteer


def load_gazetteer(extra_paths: Sequence[Path | str] = ()) -> Gazetteer:
    """The shipped gazetteer extended with ``extra_paths`` (files or folders of YAML).

    Loaded once per distinct set of paths and cached; treat the result as read-only.
    """
    return _load_cached(tuple(Path(p).resolve() for p in extra_paths))


@functools.cache
def _load_cached(extra_paths: tuple[Path, ...]) -> Gazetteer:
    return build_gazetteer(shipped_files(), extra_paths)


def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> Spanish country name, from the shipped territories."""
    return load_gazetteer().countries()


def country_code(name: str) -> str | None:
    """ISO code of a country named in any common variant ("Brasil", "Brazil", "BR")."""
    return load_gazetteer().country_code(name)
