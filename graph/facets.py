"""Facet vocabularies (themes, target groups, support types) and facet assignment.

Each facet has a shipped controlled vocabulary in ``graph/data/facets/<facet>.yaml``: values
with a snake_case English id, a Spanish label, Spanish (and a few English) keywords, and
optionally whole catalogue cells (``catalog_values``) too generic to be free-text keywords.
Users extend the vocabularies with their own YAML files in the same format.

Matching works on :func:`graph.normalize.normalize_name` forms, token by token: a keyword
matches a run of whole words, and each word of the text also matches the keyword written
in the singular (and masculine), so ``exportador`` finds ``exportadoras``. Keywords are
indexed by their first word, so the cost of a text is a few dictionary look-ups per word,
whatever the size of the vocabularies. Overlapping keywords add up: "capacitación para el
trabajo" gives both ``employment`` and ``training_skills``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from graph.normalize import normalize_name

FACETS: tuple[str, ...] = ("themes", "target_groups", "support_types")
SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "facets"

_ID = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
# Separators between several values in one catalogue cell ("Beca; Capacitación").
_CELL_SEPARATORS = re.compile(r"[;|\n\r•·]+")


class VocabularyError(ValueError):
    """A vocabulary file is unreadable or malformed; the message names the file."""


class FacetValue(BaseModel):
    """One value of a facet: its id, Spanish label, keywords and whole-cell synonyms."""

    id: str
    label: str
    keywords: list[str] = Field(default_factory=list)
    catalog_values: list[str] = Field(default_factory=list)


class Facets(BaseModel):
    """Facet ids assigned to an instrument or institution, each list sorted."""

    themes: list[str] = Field(default_factory=list)
    target_groups: list[str] = Field(default_factory=list)
    support_types: list[str] = Field(default_factory=list)

    def union(self, other: Facets) -> Facets:
        """Facets holding the ids of both, sorted."""
        return Facets(**{
            facet: sorted(set(getattr(self, facet)) | set(getattr(other, facet)))
            for facet in FACETS
        })


def _word_forms(word: str) -> tuple[str, ...]:
    """Forms of a normalised word under which a singular masculine keyword may be written.

    ``mujeres`` → mujeres, mujere, mujer; ``emprendedoras`` → ..., emprendedor;
    ``luces`` → ..., luz; ``niñas`` (normalised ``ninas``) → ..., nino.
    """
    forms = [word]
    if len(word) > 2 and word.endswith("s"):
        forms.append(word[:-1])
        if len(word) > 3 and word.endswith("es"):
            forms.append(word[:-2])
            if len(word) > 4 and word.endswith("ces"):
                forms.append(word[:-3] + "z")
    for form in list(forms):
        if len(form) > 2 and form.endswith("a"):
            forms.append(form[:-1] + "o")
            if form.endswith("ora"):
                forms.append(form[:-1])
    return tuple(dict.fromkeys(forms))


@lru_cache(maxsize=1 << 17)
def _token_forms(token: str) -> tuple[tuple[str, ...], ...]:
    """The forms of each normalised word of a white-space-delimited ``token``.

    Normalising token by token gives the words of :func:`normalize_name` on the whole text
    (its leading-article rule aside, which never changes what matches), and caches well:
    texts are many, words are few.
    """
    return tuple(_word_forms(word) for word in normalize_name(token).split())


def _text_forms(text: str) -> list[tuple[str, ...]]:
    """The forms of every normalised word of ``text``, in order."""
    return [forms for token in text.split() for forms in _token_forms(token)]


_FacetId = tuple[str, str]  # (facet, value id)


class _Matcher:
    """Finds keyword phrases in texts.

    One-word keywords are looked up by their word; longer ones by their first two words,
    then checked word by word, so common first words ("apoyo", "programa") cost nothing.
    """

    def __init__(self, entries: Iterable[tuple[str, str, str]]) -> None:
        single: dict[str, set[_FacetId]] = defaultdict(set)
        pairs: dict[str, dict[str, set[tuple[tuple[str, ...], _FacetId]]]] = defaultdict(
            lambda: defaultdict(set)
        )
        for facet, value_id, keyword in entries:
            words = normalize_name(keyword).split()
            if len(words) == 1:
                single[words[0]].add((facet, value_id))
            elif words:
                pairs[words[0]][words[1]].add((tuple(words[2:]), (facet, value_id)))
        self._single = {word: tuple(ids) for word, ids in single.items()}
        self._pairs = {
            first: {second: tuple(tails) for second, tails in seconds.items()}
            for first, seconds in pairs.items()
        }

    def find(self, text: str, found: dict[str, set[str]]) -> None:
        """Add to ``found[facet]`` the ids of every keyword occurring in ``text``."""
        words = _text_forms(text)
        last = len(words) - 1
        for position, forms in enumerate(words):
            for form in forms:
                for facet, value_id in self._single.get(form, ()):
                    found[facet].add(value_id)
                seconds = self._pairs.get(form)
                if seconds is None or position == last:
                    continue
                for second in words[position + 1]:
                    for tail, (facet, value_id) in seconds.get(second, ()):
                        if _continues(words, position + 2, tail):
                            found[facet].add(value_id)


def _continues(words: list[tuple[str, ...]], start: int, tail: tuple[str, ...]) -> bool:
    """Whether the words from ``start`` on begin with the keyword words ``tail``."""
    if start + len(tail) > len(words):
        return False
    return all(expected in words[start + offset] for offset, expected in enumerate(tail))


class Vocabularies:
    """The values of every facet, with a compiled matcher for assignment and mapping."""

    def __init__(self, values: dict[str, dict[str, FacetValue]]) -> None:
        self._values = {facet: dict(values.get(facet, {})) for facet in FACETS}

    def values(self, facet: str) -> list[FacetValue]:
        """The values of ``facet`` in vocabulary order."""
        return list(self._facet(facet).values())

    def label(self, facet: str, value_id: str) -> str:
        """The Spanish label of ``value_id`` in ``facet``; ``KeyError`` if unknown."""
        return self._facet(facet)[value_id].label

    def assign(self, *texts: str | None) -> Facets:
        """Facet ids whose keywords occur in any of ``texts`` (``None`` and "" ignored)."""
        found: dict[str, set[str]] = {facet: set() for facet in FACETS}
        for text in texts:
            if text:
                self._matcher.find(text, found)
        return Facets(**{facet: sorted(ids) for facet, ids in found.items()})

    def map_values(self, facet: str, raw: str | None) -> list[str]:
        """Map one catalogue cell to ids of ``facet``, sorted.

        The cell is split on ``;``, ``|``, bullets and line breaks; each part maps by its
        whole text (a value's id, label or ``catalog_values``) and by the keywords it contains.
        """
        self._facet(facet)
        if not raw:
            return []
        exact = self._exact[facet]
        found: dict[str, set[str]] = {name: set() for name in FACETS}
        ids = found[facet]
        for part in _CELL_SEPARATORS.split(raw):
            stripped = part.strip()
            if not stripped:
                continue
            normalized = normalize_name(stripped)
            ids.update(exact.get(stripped, ()))
            ids.update(exact.get(normalized, ()))
            self._matcher.find(stripped, found)
        return sorted(ids)

    def _facet(self, facet: str) -> dict[str, FacetValue]:
        if facet not in self._values:
            raise ValueError(f"unknown facet {facet!r}; expected one of {', '.join(FACETS)}")
        return self._values[facet]

    @cached_property
    def _matcher(self) -> _Matcher:
        return _Matcher(
            (facet, value.id, keyword)
            for facet, values in self._values.items()
            for value in values.values()
            for keyword in (value.label, *value.keywords)
        )

    @cached_property
    def _exact(self) -> dict[str, dict[str, set[str]]]:
        """Per facet: whole-cell forms (id, normalised label, catalogue values) → ids."""
        exact: dict[str, dict[str, set[str]]] = {}
        for facet, values in self._values.items():
            table: dict[str, set[str]] = defaultdict(set)
            for value in values.values():
                table[value.id].add(value.id)
                for form in (value.label, *value.catalog_values):
                    table[normalize_name(form)].add(value.id)
            exact[facet] = dict(table)
        return exact


def load_vocabularies(extra_paths: Sequence[str | Path] = ()) -> Vocabularies:
    """Load the shipped vocabularies, then extend them with each user file in order.

    A user value with a new id is added (it needs a label); one with a shipped id adds its
    keywords and catalogue values to the shipped ones (and replaces the label if it gives
    one). Raises :class:`VocabularyError` naming the file on any problem.
    """
    values: dict[str, dict[str, FacetValue]] = {facet: {} for facet in FACETS}
    shipped = [SHIPPED_DIR / f"{facet}.yaml" for facet in FACETS]
    for path in [*shipped, *(Path(p) for p in extra_paths)]:
        for facet, entries in _read_vocabulary_file(path).items():
            for position, entry in enumerate(entries):
                _merge_value(values[facet], entry, f"{path}: {facet}[{position}]")
    return Vocabularies(values)


def _read_vocabulary_file(path: Path) -> dict[str, list[Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise VocabularyError(f"{path}: cannot read vocabulary file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise VocabularyError(
            f"{path}: expected a mapping of facet names ({', '.join(FACETS)}) to lists of values"
        )
    for facet, entries in data.items():
        if facet not in FACETS:
            raise VocabularyError(
                f"{path}: unknown facet {facet!r}; expected one of {', '.join(FACETS)}"
            )
        if not isinstance(entries, list):
            raise VocabularyError(f"{path}: {facet} must be a list of values")
    return data


def _merge_value(values: dict[str, FacetValue], entry: Any, where: str) -> None:
    """Add ``entry`` to ``values`` or extend the value with the same id."""
    if not isinstance(entry, dict):
        raise VocabularyError(f"{where}: expected a mapping with id, label and keywords")
    unknown = set(entry) - {"id", "label", "keywords", "catalog_values"}
    if unknown:
        raise VocabularyError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    value_id = entry.get("id")
    if not isinstance(value_id, str) or not _ID.match(value_id):
        raise VocabularyError(f"{where}: id must be snake_case, got {value_id!r}")
    label = entry.get("label")
    if label is not None and (not isinstance(label, str) or not label.strip()):
        raise VocabularyError(f"{where}: label of {value_id!r} must be a non-empty string")
    keywords = _string_list(entry.get("keywords"), f"{where}: keywords of {value_id!r}")
    catalog_values = _string_list(
        entry.get("catalog_values"), f"{where}: catalog_values of {value_id!r}"
    )
    existing = values.get(value_id)
    if existing is None:
        if label is None:
            raise VocabularyError(f"{where}: new value {value_id!r} needs a label")
        values[value_id] = FacetValue(
            id=value_id, label=label, keywords=keywords, catalog_values=catalog_values
        )
        return
    existing.label = label or existing.label
    existing.keywords = list(dict.fromkeys([*existing.keywords, *keywords]))
    existing.catalog_values = list(dict.fromkeys([*existing.catalog_values, *catalog_values]))


def _string_list(raw: Any, where: str) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise VocabularyError(f"{where} must be a list of strings")
    for item in raw:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise VocabularyError(
                f"{where} must be a list of strings; quote {item!r} (YAML reads yes/no as booleans)"
            )
    return [str(item) for item in raw]


@lru_cache(maxsize=1)
def default_vocabularies() -> Vocabularies:
    """The shipped vocabularies, loaded once."""
    return load_vocabularies()


def assign_facets(*texts: str | None, vocabularies: Vocabularies | None = None) -> Facets:
    """Themes, target groups and support types whose keywords occur in ``texts``."""
    return (vocabularies or default_vocabularies()).assign(*texts)


def map_values(facet: str, raw: str | None, vocabularies: Vocabularies | None = None) -> list[str]:
    """Map a catalogue cell such as "Apoyo económico; Capacitación" to ids of ``facet``."""
    return (vocabularies or default_vocabularies()).map_values(facet, raw)
