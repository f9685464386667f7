"""The filters of the analyses, declared once.

:class:`AnalysisFilters` is a pydantic model: its fields (with their descriptions and
limits) are the only declaration of what a filter is. Each analysis takes some of them
(:data:`PARAMETERS`); from that, :func:`query_model` derives the model of an endpoint's
query string (hence its OpenAPI parameters), the pages build their forms and
``tejido query`` / ``tejido report`` their options (:mod:`app.cli_filters`).

- ``level_pair=A,B``: pairs with one side at level A and the other at level B;
- ``country``: a country code or name; both sides of a pair are of that country;
- ``theme``: a theme id (``innovation``) or its Spanish label (``Innovación``); both
  institutions of a pair have it in their profile, both instruments carry it;
- ``top``: how many rows (1 to :data:`MAX_TOP`);
- ``min_score``: the lowest score kept; for gaps and the level matrix, the overlap from
  which two institutions "share a field";
- ``territory`` (duplication, overlap, search): a state, region or municipality, by name;
  instruments located in it, institutions acting in it (a place inside it counts);
- ``institutions`` (duplication): ``different`` (the default) keeps pairs run by different
  institutions, ``same`` the variants inside one institution, ``any`` both;
- ``verdict`` (duplication): ``unreviewed`` keeps the pairs no reviewer judged yet,
  ``duplicate`` or ``not_duplicate`` those judged so, ``any`` (the default) all, labelled.

This module imports only pydantic and the vocabulary, so the command line can build its
options from it at once; the graph is read only to resolve themes.

Values are read leniently (blank is the default, ``0,25`` is a score) and checked strictly:
a wrong value is a :class:`FilterError` naming the parameter and what it expects. The theme
is checked against the themes the graph knows (:func:`resolve_theme`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from graph.vocab import (
    INSTITUTION_CHOICES,
    LEVELS,
    VERDICT_CHOICES,
    Institutions,
    VerdictFilter,
)

T = TypeVar("T", bound=str)

if TYPE_CHECKING:  # the graph is only read by the theme functions; kept light to import
    import networkx as nx

DEFAULT_TOP = 50
MAX_TOP = 500

_COUNTRY = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ .'\-]){1,59}$")
_LEVEL_CHOICE = "(?:" + "|".join(LEVELS) + ")"
LEVEL_PAIR_PATTERN = rf"^\s*$|^\s*{_LEVEL_CHOICE}\s*,\s*{_LEVEL_CHOICE}\s*$"
"""What ``level_pair`` accepts, as its OpenAPI schema says (blank: no filter)."""
COUNTRY_PATTERN = r"^\s*$|^\s*[^\W\d_]\s*(?:[^\W\d_]|[.'\-])(?:[^\W\d_]|[.'\-]|\s)*$"
"""What ``country`` accepts, as its OpenAPI schema says: a code or a name whose first
character is a letter and whose runs of spaces are read as one (blank: no filter)."""
_THEME = re.compile(r"^[\w .,'\-()]{1,80}$")
_TERRITORY = re.compile(r"^[\w .,'\-():]{1,120}$")


class FilterError(ValueError):
    """A filter parameter is invalid; the message names the parameter and what is expected."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter!r}: {message}")
        self.parameter = parameter
        self.message = message


# --------------------------------------------------------------------------- one value each


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_level_pair(value: object) -> tuple[str, str] | None:
    """``"national,regional"`` → ``("national", "regional")``; blank → None."""
    if _blank(value):
        return None
    if isinstance(value, (tuple, list)):
        value = ",".join(str(part) for part in value)
    parts = [part.strip() for part in str(value).split(",")]
    if len(parts) != 2 or not all(parts):
        raise FilterError("level_pair", f"expected two levels separated by a comma, got {value!r}")
    for part in parts:
        if part not in LEVELS:
            raise FilterError(
                "level_pair", f"unknown level {part!r}; expected one of {', '.join(LEVELS)}"
            )
    return (parts[0], parts[1])


def parse_country(value: object) -> str | None:
    """A country code (``CL``, returned upper-case) or name; blank → None."""
    if _blank(value):
        return None
    text = " ".join(str(value).split())
    if not _COUNTRY.match(text):
        raise FilterError(
            "country", f"expected a country code such as CL or a country name, got {value!r}"
        )
    return text.upper() if len(text) == 2 else text


def parse_territory(value: object) -> str | None:
    """A territory name (a state, region or municipality) or id; blank → None."""
    if _blank(value):
        return None
    text = " ".join(str(value).split())
    if not _TERRITORY.match(text):
        raise FilterError(
            "territory", f"expected a place name such as Oaxaca or Valparaíso, got {value!r}"
        )
    return text


def parse_top(value: object, most: int = MAX_TOP) -> int:
    """How many rows: an integer from 1 to ``most``; blank → :data:`DEFAULT_TOP`."""
    if _blank(value):
        return DEFAULT_TOP
    if isinstance(value, bool):
        raise FilterError("top", f"expected an integer from 1 to {most}, got {value!r}")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise FilterError("top", f"expected an integer from 1 to {most}, got {value!r}") from None
    if not 1 <= number <= most:
        raise FilterError("top", f"expected an integer from 1 to {most}, got {number}")
    return number


def parse_min_score(value: object) -> float | None:
    """A score between 0 and 1; blank → None (the analysis's own default)."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise FilterError("min_score", f"expected a number between 0 and 1, got {value!r}")
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise FilterError(
            "min_score", f"expected a number between 0 and 1, got {value!r}"
        ) from None
    if not 0.0 <= number <= 1.0:  # also refuses nan
        raise FilterError("min_score", f"expected a number between 0 and 1, got {value!r}")
    return number


def _choice(name: str, value: object, choices: tuple[T, ...], blank: T | None = None) -> T:
    """The one of ``choices`` that ``value`` names (case aside); blank → ``blank``, or the
    first choice."""
    if _blank(value):
        return choices[0] if blank is None else blank
    text = str(value).strip().lower()
    for choice in choices:
        if text == choice:
            return choice
    raise FilterError(name, f"expected one of {', '.join(choices)}, got {value!r}")


# Whose pairs a duplication list shows unless asked: programmes of different bodies, so that
# variants of one programme inside one agency are not the top of the list (they are with
# ``any``, labelled, and alone with ``same``).
DEFAULT_INSTITUTIONS: Institutions = "different"


def parse_institutions(value: object) -> Institutions:
    """``different``, ``any`` or ``same``; blank → ``different``."""
    return _choice("institutions", value, INSTITUTION_CHOICES, DEFAULT_INSTITUTIONS)


def parse_verdict(value: object) -> VerdictFilter:
    """``any``, ``unreviewed``, ``duplicate`` or ``not_duplicate``; blank → ``any``."""
    return _choice("verdict", value, VERDICT_CHOICES)


# --------------------------------------------------------------------------- the model


class AnalysisFilters(BaseModel):
    """Validated filters of an analysis (see the module docstring for their meaning)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    level_pair: tuple[str, str] | None = Field(
        default=None, description="two governance levels, comma-separated: national,regional",
        json_schema_extra={"max_length": 40, "pattern": LEVEL_PAIR_PATTERN},
    )
    country: str | None = Field(
        default=None, max_length=60, description="country code (CL) or name (Chile)",
        json_schema_extra={"pattern": COUNTRY_PATTERN},
    )
    theme: str | None = Field(
        default=None, max_length=80,
        description="theme id (innovation) or Spanish label (Innovación)",
    )
    top: int = Field(default=DEFAULT_TOP, ge=1, le=MAX_TOP,
                     description=f"rows returned (1 to {MAX_TOP})")
    min_score: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="lowest score kept (gaps and matrix: the overlap from which two "
        "institutions share a field, default 0.2)",
    )
    institutions: Institutions = Field(
        default=DEFAULT_INSTITUTIONS, description="duplication: different (default): run by "
        "different institutions; any: all pairs, variants inside one institution labelled; "
        "same: only those variants",
    )
    territory: str | None = Field(
        default=None, max_length=120,
        description="a state, region or municipality by name (Oaxaca): what lies in it, a "
        "place inside it counting",
    )
    verdict: VerdictFilter = Field(
        default="any", description="duplication: any (default, each pair with its verdict); "
        "unreviewed: pairs nobody judged yet; duplicate or not_duplicate: pairs judged so",
    )

    @field_validator("level_pair", mode="before")
    @classmethod
    def _level_pair(cls, value: Any) -> Any:
        return parse_level_pair(value)

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return parse_country(value)

    @field_validator("theme", mode="before")
    @classmethod
    def _theme(cls, value: Any) -> Any:
        if _blank(value):
            return None
        text = str(value).strip()
        if not _THEME.match(text):
            raise FilterError("theme", f"expected a theme id such as innovation, got {value!r}")
        return text

    @field_validator("top", mode="before")
    @classmethod
    def _top(cls, value: Any) -> Any:
        return parse_top(value)

    @field_validator("min_score", mode="before")
    @classmethod
    def _min_score(cls, value: Any) -> Any:
        return parse_min_score(value)

    @field_validator("territory", mode="before")
    @classmethod
    def _territory(cls, value: Any) -> Any:
        return parse_territory(value)

    @field_validator("institutions", mode="before")
    @classmethod
    def _institutions(cls, value: Any) -> Any:
        return parse_institutions(value)

    @field_validator("verdict", mode="before")
    @classmethod
    def _verdict(cls, value: Any) -> Any:
        return parse_verdict(value)

    def score_or(self, default: float) -> float:
        """``min_score``, or ``default`` when it was not given."""
        return default if self.min_score is None else self.min_score

    def as_query(self) -> dict[str, str]:
        """The filters that differ from the defaults, as query parameters for a link."""
        out: dict[str, str] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value == field.default:
                continue
            if isinstance(value, tuple):
                out[name] = ",".join(value)
            elif isinstance(value, float):
                out[name] = format(value, "g")
            else:
                out[name] = str(value)
        return out

    def described(self) -> dict[str, Any]:
        """The filters as JSON-friendly values (every field, defaults included)."""
        return {name: list(value) if isinstance(value, tuple) else value
                for name, value in self}

    def sentence(self) -> str:
        """The filters that differ from the defaults in one line (``ninguno`` if none)."""
        query = self.as_query()
        return "; ".join(f"{k}={v}" for k, v in query.items()) or "ninguno"


# Which filters each analysis takes.
PARAMETERS: dict[str, tuple[str, ...]] = {
    "coordination": ("level_pair", "country", "theme", "top"),
    "matrix": ("country", "theme", "min_score"),
    "gaps": ("level_pair", "country", "theme", "top", "min_score"),
    "brokers": ("country", "theme", "top"),
    "overlap": ("level_pair", "country", "theme", "top", "min_score", "territory"),
    "duplication": ("level_pair", "country", "theme", "top", "min_score", "institutions",
                    "territory", "verdict"),
}
# What the pages and the report take: every filter any analysis takes.
ALL_PARAMETERS: tuple[str, ...] = tuple(AnalysisFilters.model_fields)


def wire_type(name: str) -> Any:
    """The type a filter has in a query string or on the command line (scalars only)."""
    annotation = AnalysisFilters.model_fields[name].annotation
    for candidate in (annotation, *get_args(annotation)):
        if candidate in (int, float):
            return candidate
        if get_origin(candidate) is Literal:
            return candidate
    return str


def query_model(analysis: str, **more: Any) -> type[BaseModel]:
    """The query-string model of ``analysis``: its filters as optional scalars, with the
    descriptions and limits of :class:`AnalysisFilters`, plus the fields ``more`` (as
    ``create_model`` takes them); unknown parameters are refused."""
    fields: dict[str, Any] = {}
    for name in PARAMETERS[analysis]:
        info = AnalysisFilters.model_fields[name]
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        constraints = {
            key: value for meta in info.metadata
            for key in ("ge", "le", "max_length") if (value := getattr(meta, key, None)) is not None
        }
        constraints |= {k: v for k, v in extra.items() if k == "max_length"}
        # the pattern is only documented: the filter's own check refuses in words
        documented = {"pattern": extra["pattern"]} if "pattern" in extra else None
        fields[name] = (wire_type(name) | None,
                        Field(default=None, description=info.description,
                              json_schema_extra=documented, **constraints))
    title = "".join(part.capitalize() for part in analysis.split("_"))
    return create_model(f"{title}Query", __config__=ConfigDict(extra="forbid"),
                        **fields, **more)


def read_filters(values: Mapping[str, object], names: tuple[str, ...] = ALL_PARAMETERS,
                 *, graph: nx.MultiDiGraph | None = None) -> AnalysisFilters:
    """Validate the filters ``names`` present in ``values`` (absent or blank: defaults);
    with ``graph``, the theme is resolved to its id. Raises :class:`FilterError`."""
    given = {name: values.get(name) for name in names if values.get(name) is not None}
    try:
        filters = AnalysisFilters(**given)
    except ValidationError as exc:
        error = exc.errors()[0]
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, FilterError):
            raise cause from None
        parameter = str(error["loc"][0]) if error.get("loc") else "filters"
        raise FilterError(parameter, error["msg"]) from None
    if graph is not None and filters.theme is not None:
        filters = filters.model_copy(update={"theme": resolve_theme(filters.theme, graph)})
    return filters


def parse_filters(values: Mapping[str, object], graph: nx.MultiDiGraph) -> AnalysisFilters:
    """Every filter present in ``values``, validated, the theme resolved against ``graph``."""
    return read_filters(values, graph=graph)


# --------------------------------------------------------------------------- themes


def theme_labels(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Every known theme id with its Spanish label: the vocabulary's and those in the graph."""

    from graph.facets import default_vocabularies
    from queries.profiles import graph_index

    def build() -> dict[str, str]:
        vocabulary = default_vocabularies()
        labels = {value.id: value.label for value in vocabulary.values("themes")}
        for theme in sorted(themes_in_graph(graph)):
            labels.setdefault(theme, theme.replace("_", " "))
        return labels

    return graph_index(graph, ("explorer", "theme_labels"), build)


def themes_in_graph(graph: nx.MultiDiGraph) -> set[str]:
    """Theme ids carried by the graph's instruments or institution profiles."""
    from queries.profiles import graph_index, institution_table, instrument_table

    def build() -> set[str]:
        found: set[str] = set()
        for themes in instrument_table(graph).facets["themes"]:
            found.update(themes)
        for counts in institution_table(graph).facets["themes"]:
            found.update(counts)
        return found

    return graph_index(graph, ("explorer", "themes"), build)


def resolve_theme(text: str, graph: nx.MultiDiGraph) -> str:
    """The theme id ``text`` names (by id or Spanish label); unknown → FilterError."""
    from queries.profiles import facet_key

    labels = theme_labels(graph)
    key = facet_key(text)
    if key in labels:
        return key
    by_label = {facet_key(label): theme for theme, label in labels.items()}
    if key in by_label:
        return by_label[key]
    raise FilterError(
        "theme", f"unknown theme {text!r}; expected one of {', '.join(sorted(labels))}"
    )


def parse_theme(value: object, graph: nx.MultiDiGraph) -> str | None:
    """A theme id, given by id or Spanish label; blank → None; unknown → FilterError."""
    if _blank(value):
        return None
    text = str(value).strip()
    if not _THEME.match(text):
        raise FilterError("theme", f"expected a theme id such as innovation, got {value!r}")
    return resolve_theme(text, graph)
