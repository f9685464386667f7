"""Gazetteer matching: spaCy PhraseMatcher over accent-free, case-folded token norms.

Long names and aliases match on the folded norm (``Bío-Bío`` = ``Bio-Bio`` = ``BIO-BIO``);
acronyms, and entries flagged case-sensitive, match on the exact token text so that an acronym
that is also a Spanish word (``CAN``) only matches in capitals.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.attrs import NORM
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from graph.normalize import name_key, normalize_name, strip_accents
from loaders.extract.candidates import Candidate


@dataclass
class LexEntry:
    """One gazetteer entry as the matcher needs it."""

    name: str
    label: str = "Institution"
    acronyms: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    kind: str | None = None
    level: str | None = None
    country: str | None = None
    sector: str | None = None
    parent: str | None = None
    case_sensitive: bool = False


# Whitespace-separated chunks whose tokens the tokenizer keeps (spaCy keeps 10,000 by default).
CACHED_CHUNKS = 1_000_000


@lru_cache(maxsize=1)
def _nlp() -> spacy.language.Language:
    """Blank Spanish tokenizer that also splits hyphens and slashes inside words, so that
    "CEPAL-BMZ/GIZ" yields three acronyms (gazetteer forms are tokenised the same way).

    Every token's norm is its folded text (:func:`_fold`): it is set once per word of the
    vocabulary (a lexeme attribute), not per token, and the tokenizer's special cases carry
    no norm of their own.
    """
    nlp = spacy.blank("es")
    nlp.max_length = 200_000_000  # only the tokenizer runs: no parser memory to protect
    infixes = [*nlp.Defaults.infixes, r"(?<=[\w])[-/](?=[\w])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.tokenizer.rules = {
        key: [{attr: value for attr, value in token.items() if attr != NORM} for token in tokens]
        for key, tokens in nlp.tokenizer.rules.items()
    }
    nlp.vocab.lex_attr_getters[NORM] = _fold
    for lexeme in nlp.vocab:
        lexeme.norm_ = _fold(lexeme.orth_)
    nlp.tokenizer.max_cache_size = CACHED_CHUNKS
    return nlp


_FOLD_CACHE: dict[str, str] = {}


def _fold(text: str) -> str:
    folded = _FOLD_CACHE.get(text)
    if folded is None:
        folded = strip_accents(text).casefold()
        if len(_FOLD_CACHE) < 500_000:
            _FOLD_CACHE[text] = folded
    return folded


_SEEN_CHUNKS: set[str] = set()


def _cache_chunks(tokenizer: Tokenizer, text: str) -> None:
    """Tokenise alone each whitespace-separated chunk of ``text`` not met before.

    spaCy caches a chunk's tokens only while the text being tokenised has met none of its
    special cases (abbreviations such as "Art." or "Sr."): a flag for the whole text, so in
    legal text almost nothing is cached after the first lines and every chunk goes through
    the prefix, suffix and infix expressions again. A chunk tokenised alone is cached unless
    it holds a special case itself; the tokens of the text are the same either way.
    """
    if len(_SEEN_CHUNKS) >= CACHED_CHUNKS:
        return
    new = set(text.split()).difference(_SEEN_CHUNKS)
    for chunk in new:
        tokenizer(chunk)
    _SEEN_CHUNKS.update(new)


def make_doc(text: str) -> Doc:
    """Tokenise ``text`` with the blank Spanish tokenizer; token norms are folded text."""
    nlp = _nlp()
    _cache_chunks(nlp.tokenizer, text)
    return nlp.make_doc(text)


def _needs_capital(form: str) -> bool:
    """Whether ``form`` names something proper, so that all-lowercase text must not match it.

    Lowercase forms ("municipios") and sentence-case terms of several words ("Plan regulador
    comunal") are common nouns and match in any case; a form with a capital beyond its first
    letter, or a capitalised single word ("Pará", "Europa"), is a proper name: "para" in running
    text is a preposition, not the Brazilian state.
    """
    if form.islower():
        return False
    words = form.split()
    capitals = sum(1 for ch in form if ch.isupper())
    return len(words) == 1 or capitals > 1 or not form[0].isupper()


class _LowerWords:
    """The lower-case words of a document, collected on first use."""

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        self._words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self._words is None:
            self._words = {t.text for t in self._doc if t.is_lower}
        return word in self._words


def _word_in_capitals(doc: Doc, start: int, end: int, words: _LowerWords) -> bool:
    """Whether an acronym match is a Spanish word of an upper-case heading: "RENDIR UNA CUENTA"
    is not the Universidad Nacional de Asunción when the document also writes "una"."""
    neighbours = [doc[i] for i in (start - 1, end) if 0 <= i < len(doc)]
    in_capitals = any(t.is_upper and len(t.text) > 1 for t in neighbours)
    return in_capitals and doc[start:end].text.lower() in words


class Lexicon:
    """A compiled gazetteer: entries by key and the two phrase matchers."""

    def __init__(self, entries: Iterable[LexEntry]) -> None:
        nlp = _nlp()
        self.entries: list[LexEntry] = []
        self.by_name: dict[str, LexEntry] = {}
        self.all_by_name: dict[str, list[LexEntry]] = {}
        self.all_by_key: dict[str, list[LexEntry]] = {}
        self.acronyms: dict[str, list[LexEntry]] = {}
        self._norm = PhraseMatcher(nlp.vocab, attr="NORM")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._surface: dict[int, tuple[LexEntry, str]] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: LexEntry) -> None:
        """Add one entry; its name, aliases and acronyms become patterns."""
        index = len(self.entries)
        self.entries.append(entry)
        for acronym in entry.acronyms:
            self.acronyms.setdefault(acronym, []).append(entry)
        for name in (entry.name, *entry.aliases, *entry.acronyms):
            norm = normalize_name(name)
            self.by_name.setdefault(norm, entry)
            for table, form in ((self.all_by_name, norm), (self.all_by_key, name_key(name))):
                same = table.setdefault(form, [])
                if entry not in same:
                    same.append(entry)
        long_forms = [n for n in (entry.name, *entry.aliases) if n]
        exact_forms = list(entry.acronyms)
        if entry.case_sensitive:
            exact_forms += long_forms
            long_forms = []
        for form in long_forms:
            self._norm.add(f"e{index}:{int(_needs_capital(form))}", [make_doc(form)])
        if exact_forms:
            self._exact.add(f"e{index}:0", [_nlp().make_doc(n) for n in exact_forms])

    def match(self, doc: Doc) -> Iterator[Candidate]:
        """Every gazetteer span in ``doc`` as a candidate (overlaps are resolved later)."""
        vocab = doc.vocab
        words = _LowerWords(doc)
        for matcher, source in ((self._norm, "gazetteer"), (self._exact, "gazetteer")):
            for match_id, start, end in matcher(doc):
                index, needs_capital = vocab.strings[match_id][1:].split(":")
                entry = self.entries[int(index)]
                span = doc[start:end]
                surface = span.text
                if (
                    len(span) == 1
                    and not surface.isupper()
                    and not any(
                        surface.casefold() == form.casefold() for form in self._forms(entry)
                    )
                ):
                    continue  # one word must keep its accents: "Para" is not "Pará"
                if needs_capital == "1" and (
                    surface.islower()
                    or (
                        len(span) == 1
                        and surface.isupper()
                        and len(surface) > 3
                        and surface not in entry.acronyms
                    )
                ):
                    continue
                is_acronym = surface in entry.acronyms
                if is_acronym and _word_in_capitals(doc, start, end, words):
                    continue
                yield Candidate(
                    span.start_char,
                    span.end_char,
                    entry.label,
                    entry.name,
                    source,
                    acronym=entry.acronyms[0] if entry.acronyms else None,
                    kind=entry.kind,
                    level=entry.level,
                    country=entry.country,
                    sector=entry.sector,
                    parent=entry.parent,
                    aliases=[*entry.aliases, *entry.acronyms],
                    confidence=0.95 if not is_acronym else 0.9,
                )

    @staticmethod
    def _forms(entry: LexEntry) -> list[str]:
        return [entry.name, *entry.aliases, *entry.acronyms]

    def lookup(self, name: str) -> LexEntry | None:
        """The entry carrying ``name`` as name, alias or acronym (normalised), if any."""
        return self.by_name.get(normalize_name(name))

    def lookup_all(self, name: str) -> list[LexEntry]:
        """Every entry carrying ``name`` as name, alias or acronym (normalised), in file order;
        else every entry one of whose forms has the same resolution key ("Gobierno Regional
        Puno" is the Gobierno Regional de Puno; see :func:`graph.normalize.name_key`)."""
        return self.all_by_name.get(normalize_name(name)) or self.all_by_key.get(
            name_key(name), []
        )


def lexicon_from_gazetteer(gazetteer) -> Lexicon:  # type: ignore[no-untyped-def]
    """Compile a :class:`graph.gazetteer.Gazetteer` (entries and territories) into a Lexicon."""
    entries: list[LexEntry] = [
        LexEntry(
            name=e.name,
            label=e.label,
            acronyms=list(e.acronyms),
            aliases=list(e.aliases),
            kind=e.kind,
            level=e.level,
            country=e.country,
            sector=e.sector,
            parent=e.parent,
            case_sensitive=e.case_sensitive,
        )
        for e in gazetteer.entries
    ]
    entries += [
        LexEntry(
            name=t.name,
            label="Territory",
            aliases=list(t.aliases),
            kind=t.kind,
            country=t.country,
            parent=t.parent,
        )
        for t in gazetteer.territories
    ]
    return Lexicon(entries)


@lru_cache(maxsize=8)
def default_lexicon(extra_paths: tuple[str, ...] = ()) -> Lexicon:
    """The shipped gazetteer (plus users' YAML files) compiled once per process."""
    from graph.gazetteer import load_gazetteer

    return lexicon_from_gazetteer(load_gazetteer(extra_paths))
