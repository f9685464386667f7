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
from spacy.attrs import IS_LOWER, IS_UPPER, NORM, ORTH
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string
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
    legal_codes: list[str] = field(default_factory=list)


# Whitespace-separated chunks whose tokens the tokenizer keeps (spaCy keeps 10,000 by default).
CACHED_CHUNKS = 1_000_000


_LEXEME_ATTRIBUTES = frozenset({NORM, IS_LOWER, IS_UPPER})
"""The lexical attributes the matching reads (:meth:`Lexicon.match`, :func:`_lower_words`,
:func:`_word_in_capitals`)."""


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
    # "Ministro de Hacienda.-": Chilean laws end sentences and signatures with ".-" (8,988
    # times in ../shared/bulk); the name before it is a name like any other
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[\w)])\.-+"]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    nlp.tokenizer.rules = {
        key: [{attr: value for attr, value in token.items() if attr != NORM} for token in tokens]
        for key, tokens in nlp.tokenizer.rules.items()
    }
    nlp.vocab.lex_attr_getters[NORM] = _fold
    # a new word's lexeme gets only the attributes read here (NORM, IS_LOWER, IS_UPPER):
    # spaCy's other getters (shape, like_num, stop words...) were a third of its cost
    for attr in [a for a in nlp.vocab.lex_attr_getters if a not in _LEXEME_ATTRIBUTES]:
        del nlp.vocab.lex_attr_getters[attr]
    for lexeme in nlp.vocab:
        lexeme.norm_ = _fold(lexeme.orth_)
    nlp.tokenizer.max_cache_size = CACHED_CHUNKS
    return nlp


_FOLD_CACHE: dict[str, str] = {}
CHUNK_CHARS = 100_000
"""Characters of text tokenised at once when matching a long text (about 25,000 tokens)."""
_Found = tuple[Candidate, str | None]
"""A match and, for an acronym among capitals, its lower-case form (kept unless the text
also writes that form in lower case)."""


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


def _lower_words(doc: Doc) -> set[int]:
    """The string ids of the all-lower-case tokens of ``doc``."""
    if not len(doc):
        return set()
    rows = doc.to_array([IS_LOWER, ORTH])
    return set(rows[rows[:, 0] == 1, 1].tolist())


def _word_in_capitals(doc: Doc, start: int, end: int) -> str | None:
    """The lower-case form of an acronym match written among upper-case words, else None.

    "RENDIR UNA CUENTA" is not the Universidad Nacional de Asunción when the document also
    writes "una": the caller drops the match if the form is one of the document's lower-case
    words."""
    neighbours = [doc[i] for i in (start - 1, end) if 0 <= i < len(doc)]
    if any(t.is_upper and len(t.text) > 1 for t in neighbours):
        return doc[start:end].text.lower()
    return None


def text_chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of about ``size`` characters, each with its offset, cut after a line
    break (no gazetteer name spans one: a line break is a token of its own), else after a
    sentence's full stop, else after a space; a text under ``size`` is one piece."""
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = -1
        for separator in ("\n", ". ", " "):
            found = text.rfind(separator, start, end)
            if found > start:
                cut = found + len(separator)
                break
        cut = cut if cut > start else end
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


class Lexicon:
    """A compiled gazetteer: entries by key and the two phrase matchers."""

    def __init__(self, entries: Iterable[LexEntry]) -> None:
        nlp = _nlp()
        self.entries: list[LexEntry] = []
        self.by_name: dict[str, LexEntry] = {}
        self.all_by_name: dict[str, list[LexEntry]] = {}
        self.all_by_key: dict[str, list[LexEntry]] = {}
        self.acronyms: dict[str, list[LexEntry]] = {}
        self.legal_codes: dict[tuple[str | None, str], LexEntry] = {}
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
        for code in entry.legal_codes:
            self.legal_codes.setdefault((entry.country, code), entry)
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

    def issuer_of_code(self, code: str, country: str | None) -> LexEntry | None:
        """The body of ``country`` whose legal identifiers end with ``code`` ("PCM")."""
        return self.legal_codes.get((country, code))

    def match(self, doc: Doc) -> list[Candidate]:
        """Every gazetteer span in ``doc`` as a candidate (overlaps are resolved later)."""
        found = self._scan(doc, 0)
        return self._settle([found], _lower_words(doc))

    def match_text(self, text: str, chunk_chars: int = CHUNK_CHARS) -> list[Candidate]:
        """Every gazetteer span in ``text``, as :meth:`match` finds them in ``make_doc(text)``,
        tokenised a piece at a time (:func:`text_chunks`): the tokens of a long text are never
        all held at once."""
        scans = []
        words: set[int] = set()
        for offset, chunk in text_chunks(text, chunk_chars):
            doc = make_doc(chunk)
            scans.append(self._scan(doc, offset))
            words |= _lower_words(doc)
        return self._settle(scans, words)

    @staticmethod
    def _settle(scans: list[list[list[_Found]]], words: set[int]) -> list[Candidate]:
        """The candidates of every scan, matcher by matcher, without acronyms in capitals
        whose lower-case form the text also writes (``words``: string ids)."""
        return [
            candidate
            for matcher in range(2)
            for scan in scans
            for candidate, lowered in scan[matcher]
            if lowered is None or hash_string(lowered) not in words
        ]

    def _scan(self, doc: Doc, offset: int) -> list[list[_Found]]:
        """The matches of each matcher in ``doc`` (whose text starts at ``offset``)."""
        vocab = doc.vocab
        scan: list[list[_Found]] = []
        # one aliases list per entry, shared by its matches (components replace a candidate's
        # list, never change it in place): a name repeated 100,000 times costs no more lists
        aliases: dict[str, list[str]] = {}
        for matcher in (self._norm, self._exact):
            found: list[_Found] = []
            scan.append(found)
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
                shared = aliases.get(index)
                if shared is None:
                    shared = aliases[index] = [*entry.aliases, *entry.acronyms]
                is_acronym = surface in entry.acronyms
                lowered = _word_in_capitals(doc, start, end) if is_acronym else None
                candidate = Candidate(
                    offset + span.start_char,
                    offset + span.end_char,
                    entry.label,
                    entry.name,
                    "gazetteer",
                    acronym=entry.acronyms[0] if entry.acronyms else None,
                    kind=entry.kind,
                    level=entry.level,
                    country=entry.country,
                    sector=entry.sector,
                    parent=entry.parent,
                    aliases=shared,
                    confidence=0.95 if not is_acronym else 0.9,
                )
                found.append((candidate, lowered))
        return scan

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
            legal_codes=list(e.legal_codes),
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
