"""Finding indicators in a practitioner's own words. Plain: no database, no request.

Every word of a query must match an indicator, in any order. Words match by their stem (Snowball's
English stemmer: "sleeps", "sleeping" and "sleep" are one word); the last word also matches as the start
of a word, so the list narrows while it is typed ("hung" finds "hungry"). A query word or phrase that is in
the shared vocabulary (``vocabulary.toml``: everyday words mapped to the guidance's terms, grouped as
concepts) also matches any of its concept's terms, so "hungry" finds "food" and "diet". The vocabulary only
ever adds to what the words themselves find. An indicator's ``keywords`` are searched as its text is.

A hit says which stretches of the indicator's text matched, for highlighting; when nothing is found, the
result suggests queries that would find something.
"""

from __future__ import annotations

import difflib
import re
import threading
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer  # type: ignore[import-untyped]  # no type information shipped
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .codes import VOCABULARY_FILE
from .schema import Indicator

MAX_QUERY_WORDS = 12  # beyond this a query is a pasted paragraph, not a search
PREFIX_MIN = 3  # "hu" would match half the catalogue

# Dropped everywhere: they carry nothing a practitioner searches for.
STOP = frozenset("""a an the and or of to in on at for with by from as is are am be been being was were it its
this that these those e g eg i e ie etc re s their his her they them he she who which than so if""".split())
# Kept in text and in vocabulary phrases ("no home routine", "off school"), but on their own in a query they
# would demand a word the indicator need not have, so they are dropped there.
WEAK = frozenset("""no not off out very really quite all lot lots some any much many mum mums dad dads
child childs children kid kids pupil pupils young person people parent parents carer carers mum mums mother
dad dads father always often keeps keep seems seem appears""".split())

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_stemmer_lock = threading.Lock()
_stemmer = snowballstemmer.stemmer("english")

Span = tuple[int, int]


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """The stem of one word, lower-cased, accents and apostrophes' curl removed."""
    plain = unicodedata.normalize("NFKD", word.casefold().replace("’", "'"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    with _stemmer_lock:  # a Snowball stemmer object keeps state between calls: one caller at a time
        return _stemmer.stemWord(plain)


@dataclass(frozen=True)
class Token:
    raw: str  # lower-cased, as written
    stem: str
    span: Span


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[Token, ...]:
    """The words of a text with their places in it, stop words left out."""
    out = []
    for m in _WORD.finditer(text):
        raw = m.group().casefold().replace("’", "'")
        if raw.replace("_", "") and raw not in STOP:
            out.append(Token(raw, stem(raw), m.span()))
    return tuple(out)


def _stems(phrase: str) -> tuple[str, ...]:
    return tuple(t.stem for t in tokens(phrase))


# --- the vocabulary --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Concept:
    """Something practitioners see, in their words (``everyday``) and in the guidance's (``terms``).
    A later issue tags indicators with the same concepts, so ids are stable."""

    id: str
    name: str
    everyday: tuple[str, ...]
    terms: tuple[str, ...]
    note: str = ""


class VocabularyError(ValueError):
    pass


def parse_vocabulary(text: str) -> tuple[Concept, ...]:
    """Read and check the vocabulary file's text; refuse a malformed one naming the concept."""
    data = tomllib.loads(text)
    concepts, seen = [], set()
    for n, raw in enumerate(data.get("concept", [])):
        cid = raw.get("id", "")
        where = f"concept {n + 1} ({cid or 'no id'})"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", cid) or cid in seen:
            raise VocabularyError(f"{where}: id must be unique, lower case letters, digits and _")
        unknown = set(raw) - {"id", "name", "everyday", "terms", "note"}
        if unknown:
            raise VocabularyError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        everyday, terms = tuple(raw.get("everyday", [])), tuple(raw.get("terms", []))
        if not raw.get("name") or not everyday or not terms:
            raise VocabularyError(f"{where}: needs a name, everyday words and guidance terms")
        for phrase in everyday + terms:
            if not isinstance(phrase, str) or not _stems(phrase):
                raise VocabularyError(f"{where}: {phrase!r} has no searchable word")
        seen.add(cid)
        concepts.append(Concept(cid, raw["name"], everyday, terms, raw.get("note", "")))
    return tuple(concepts)


@cache
def vocabulary() -> tuple[Concept, ...]:
    """The shared vocabulary, read once per process."""
    return parse_vocabulary(VOCABULARY_FILE.read_text(encoding="utf-8"))


@cache
def _by_phrase() -> dict[tuple[str, ...], tuple[Concept, ...]]:
    """Each everyday word or term (as stems) -> the concepts it belongs to. A guidance term typed as a
    query leads to its concept too, so "nutrition" also finds "food"."""
    index: dict[tuple[str, ...], list[Concept]] = {}
    for concept in vocabulary():
        for phrase in concept.everyday + concept.terms:
            found = index.setdefault(_stems(phrase), [])
            if concept not in found:
                found.append(concept)
    return {k: tuple(v) for k, v in index.items()}


# --- queries ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """One thing the query asks for: the user's word or phrase (all its words, anywhere), or any of the
    terms of the concepts it names. An indicator must satisfy every unit of a query."""

    words: tuple[Token, ...]
    prefix: bool = False  # the last word, perhaps still being typed
    concepts: tuple[Concept, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(t.raw for t in self.words)


def parse(query: str) -> list[Unit]:
    """Split a query into units: vocabulary phrases first (longest first, their words in any order), then
    one unit per remaining word."""
    words = list(tokens(query[:500]))[:MAX_QUERY_WORDS]
    if not words:
        return []
    typing = query[-1:].isalnum()  # no space or punctuation after the last word yet
    last = words[-1]
    index = _by_phrase()
    units: list[Unit] = []
    left = list(words)
    for size in sorted({len(k) for k in index if len(k) > 1}, reverse=True):
        for key in [k for k in index if len(k) == size]:
            stems = [t.stem for t in left]
            if all(stems.count(s) >= key.count(s) for s in set(key)):
                used = []
                for s in key:
                    tok = next(t for t in left if t.stem == s)
                    left.remove(tok)
                    used.append(tok)
                units.append(Unit(tuple(used), concepts=index[key]))
    for tok in left:
        if tok.raw in WEAK and (units or any(t.raw not in WEAK for t in left)):
            continue
        units.append(Unit((tok,), prefix=typing and tok is last and len(tok.raw) >= PREFIX_MIN,
                          concepts=index.get((tok.stem,), ())))
    # Keep the user's order, so suggestions and tests read naturally.
    order = {id(t): n for n, t in enumerate(words)}
    return sorted(units, key=lambda u: min(order[id(t)] for t in u.words))


# --- matching --------------------------------------------------------------------------------------------

def _word_spans(toks: Sequence[Token], word: Token, prefix: bool) -> list[Span]:
    return [t.span for t in toks if t.stem == word.stem or t.raw == word.raw
            or (prefix and t.raw.startswith(word.raw))]


def _phrase_spans(toks: Sequence[Token], stems: tuple[str, ...]) -> list[Span]:
    """Where the phrase's words come one after another (stop words between them ignored)."""
    n = len(stems)
    return [(toks[i].span[0], toks[i + n - 1].span[1]) for i in range(len(toks) - n + 1)
            if tuple(t.stem for t in toks[i:i + n]) == stems]


def _unit_spans(toks: Sequence[Token], unit: Unit) -> list[Span] | None:
    """The stretches of text that satisfy the unit, or None if it is not satisfied."""
    spans: list[Span] = []
    own = [_word_spans(toks, w, unit.prefix) for w in unit.words]
    satisfied = all(own)
    if satisfied:
        spans += [s for found in own for s in found]
    for concept in unit.concepts:
        for term in concept.terms:
            found = _phrase_spans(toks, _stems(term))
            if found:
                satisfied = True
                spans += found
    return spans if satisfied else None


@dataclass(frozen=True)
class Hit:
    indicator: Indicator
    spans: tuple[Span, ...]  # stretches of indicator.text that matched, in order, not overlapping

    def highlighted(self) -> SafeString:
        return highlight(self.indicator.text, self.spans)


@dataclass(frozen=True)
class Result:
    query: str
    hits: list[Hit]  # in the order the indicators were given
    suggestions: list[str]  # only when nothing was found: queries that would find something

    @property
    def ids(self) -> list[str]:
        return [h.indicator.id for h in self.hits]

    @property
    def spans(self) -> dict[str, tuple[Span, ...]]:
        return {h.indicator.id: h.spans for h in self.hits}


def _merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((a, b) for a, b in out)


def match(indicator: Indicator, units: Sequence[Unit]) -> Hit | None:
    """The indicator if every unit is satisfied by its text or its keywords, with what matched in the text."""
    text_tokens = tokens(indicator.text)
    keyword_tokens = [tokens(k) for k in indicator.keywords]
    spans: list[Span] = []
    for unit in units:
        found = _unit_spans(text_tokens, unit)
        if found is None and not any(_unit_spans(k, unit) is not None for k in keyword_tokens):
            return None
        spans += found or []
    return Hit(indicator, _merge(spans))


def search(indicators: Sequence[Indicator], query: str) -> Result:
    """The indicators the query finds, in their order; suggestions when it finds none. A blank query finds
    them all, nothing highlighted."""
    units = parse(query)
    if not units:
        return Result(query, [Hit(i, ()) for i in indicators], [])
    hits = [h for i in indicators if (h := match(i, units)) is not None]
    return Result(query, hits, [] if hits else suggest(indicators, units))


# --- "nothing found — try …" -----------------------------------------------------------------------------

def _finds(indicators: Sequence[Indicator], query: str) -> bool:
    units = parse(query + " ")  # a whole word now: no prefix matching for a suggestion
    return bool(units) and any(match(i, units) is not None for i in indicators)


def suggest(indicators: Sequence[Indicator], units: Sequence[Unit], limit: int = 5) -> list[str]:
    """Queries that find something: each word that finds something on its own (when together they do
    not), close spellings of a word that finds nothing (from the indicators' words and the vocabulary), and
    failing those, vocabulary words that find something here."""
    out: list[str] = []

    def add(q: str) -> None:
        if q not in out and len(out) < limit and _finds(indicators, q):
            out.append(q)

    texts = [unit.text for unit in units]
    finding = [t for t in texts if _finds(indicators, t)]
    if len(units) > 1:
        for t in finding:
            add(t)
    known = sorted({t.raw for i in indicators for t in tokens(i.text) if len(t.raw) > 2 and t.raw.isalpha()}
                   | {p.casefold() for c in vocabulary() for p in c.everyday + c.terms})
    for n, t in enumerate(texts):
        if t in finding:
            continue
        for close in difflib.get_close_matches(t, known, n=3, cutoff=0.75):
            add(" ".join(texts[:n] + [close] + texts[n + 1:]))
            add(close)
    if not out:
        for concept in vocabulary():
            add(concept.everyday[0])
    return out


# --- highlighting ----------------------------------------------------------------------------------------

def highlight(text: str, spans: Iterable[Span]) -> SafeString:
    """The text, escaped, with each matched stretch in <mark>."""
    parts, at = [], 0
    for start, end in _merge(spans):
        parts += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above is escaped


# --- the review page -------------------------------------------------------------------------------------

def vocabulary_page(catalogues: Sequence[tuple[str, Sequence[Indicator]]]) -> str:
    """docs/search-vocabulary.md: each concept, its words, and which partnerships' guidance uses each term
    (a term no guidance uses finds nothing and is a mistake)."""
    out = ["# Search vocabulary", "",
           "Generated by `python manage.py vocabulary_report > docs/search-vocabulary.md` from",
           "`catalogues/vocabulary.toml` and `fixtures/catalogues/`; a test fails when it is out of date.", "",
           "The indicator search (the assessment page and the catalogue admin's draft page) matches every word",
           "of a query, in any order, by its stem (Snowball's English stemmer). A word or phrase listed below,",
           "everyday or guidance term, also finds the indicators that use any of its concept's guidance terms,",
           "so the vocabulary only adds results. It maps words to the guidance's **terms**, never to a",
           "conclusion: \"sleeps all day\" leads to sleep and routines, not to mental health. Review it when a",
           "partnership's guidance changes: each term must occur in at least one partnership's indicators.", "",
           "When nothing matches, the page suggests what to try: each word that finds something on its own,",
           "close spellings (from the catalogue's words and this vocabulary) and, failing those, everyday",
           "words below that find something in that partnership's guidance.", "",
           "Why these tools: stemming uses `snowballstemmer` (the Snowball project's own stemmers, pure",
           "Python, no dependencies, long maintained; Sphinx's search uses it) rather than a stemmer of our",
           "own. Close spellings use the standard library's `difflib`: a few thousand words per query is",
           "fast enough, so a fuzzy-matching library does not earn its place.", "",
           "The live filter asks the server (`/assessments/<id>/indicators/?q=…`, the same search as the",
           "Filter button without JavaScript). It answers with catalogue text only, no ticks and no child,",
           "so a keystroke is not audited as a view of the case; it is scoped like the assessment page, so",
           "nobody can probe an assessment they cannot see (404).", "",
           "| Concept | Everyday words (what is typed) | Guidance terms (what is found) |",
           "| --- | --- | --- |"]
    for c in vocabulary():
        terms = []
        for term in c.terms:
            where = [name for name, inds in catalogues
                     if any(_phrase_spans(tokens(i.text), _stems(term)) for i in inds)]
            terms.append(f"{term} ({', '.join(where) or 'NOWHERE'})")
        name = f"**{c.name}** (`{c.id}`)" + (f"<br>{c.note}" if c.note else "")
        out.append(f"| {name} | {', '.join(c.everyday)} | {'; '.join(terms)} |")
    return "\n".join(out) + "\n"
