"""Filter and sort pledges: one small query syntax for the dashboard and the command line.

Syntax (terms are ANDed; case-insensitive):

    france                      free text, matched in every text field and quote
    "peace deal"                a quoted phrase
    country:france              field filter (``actor:`` is the same): contains
    actor="United Kingdom"      ``=``: the whole value, exactly (quotes keep spaces and commas)
    status:signed,announced     a comma means OR
    -status:declined            a leading ``-`` negates a term
    type:air backstop:required condition:ceasefire source:a002 kind:counter
    claimant:rutte              any statement's claimant contains "rutte"
    relay:yellowstone           any statement's relay contains it (relay:a matches any relay)
    basis:partisan party:third  any statement with that basis / that party
    date:2026-01 summary:troops the date stated starts with / the summary contains

Only double quotes group words (an apostrophe is an ordinary character); inside
them ``\"`` is a quote. Text is matched as it reads: NFKC-normalised, invisible
format characters ignored (``Fr<U+00AD>ance`` is France), case-insensitive. Vocabulary fields accept the value, the label or an
unambiguous prefix (``status:signe`` is ``signed``; ``status:sign`` is ambiguous).
Sorting takes ``FIELD[,-FIELD]``; ``-`` is descending.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pledgetui.model import (
    Backstop,
    CommitmentType,
    Condition,
    Entry,
    EntryKind,
    Ledger,
    Status,
    Vocabulary,
)
from pledgetui.textcheck import comparable
from pledgetui.vocab import Basis, Party


class QueryError(ValueError):
    """A query that cannot be understood; the message says which term and why."""


FIELD_ALIASES: dict[str, str] = {
    "country": "actor",
    "actor": "actor",
    "type": "commitment",
    "commitment": "commitment",
    "status": "status",
    "backstop": "backstop",
    "us_backstop": "backstop",
    "condition": "condition",
    "conditions": "condition",
    "source": "source",
    "claimant": "claimant",
    "relay": "relay",
    "relayed_by": "relay",
    "party": "party",
    "basis": "basis",
    "kind": "kind",
    "is": "kind",
    "id": "id",
    "date": "date",
    "stated": "date",
    "summary": "summary",
}

_VOCAB: dict[str, type[Vocabulary]] = {
    "commitment": CommitmentType,
    "status": Status,
    "backstop": Backstop,
    "condition": Condition,
    "party": Party,
    "basis": Basis,
}

_KIND_WORDS = {
    "pledge": EntryKind.PLEDGE,
    "pledges": EntryKind.PLEDGE,
    "counter": EntryKind.COUNTER_POSITION,
    "counter_position": EntryKind.COUNTER_POSITION,
    "counter-position": EntryKind.COUNTER_POSITION,
}


def field_values(field: str) -> tuple[tuple[str, str], ...]:
    """The (value, label) pairs a vocabulary field accepts (``status``, ``type``, ``kind`` ...);
    empty for a free-text field (``actor``, ``claimant``, ``date`` ...)."""
    canonical = FIELD_ALIASES.get(field.lower(), field)
    if canonical == "kind":
        return (("pledge", EntryKind.PLEDGE.label), ("counter", EntryKind.COUNTER_POSITION.label))
    vocab = _VOCAB.get(canonical)
    return tuple((m.value, m.label) for m in vocab) if vocab is not None else ()


@dataclass(frozen=True, slots=True)
class Term:
    field: str | None  # None: free text
    values: tuple[object, ...]
    negate: bool = False
    exact: bool = False  # ``field=value``: the whole value, not a part of it


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    terms: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.terms


def _vocab_value(field: str, raw: str) -> object:
    if field == "kind":
        key = raw.lower()
        if key in _KIND_WORDS:
            return _KIND_WORDS[key]
        raise QueryError(f"kind:{raw}: use kind:pledge or kind:counter")
    try:
        return _VOCAB[field].parse(raw)
    except ValueError as exc:
        raise QueryError(f"{field}:{raw}: {exc}") from None


def _tokens(text: str) -> list[list[tuple[str, bool]]]:
    """Split on white space outside double quotes; each token is its (text, was_quoted) pieces."""
    tokens: list[list[tuple[str, bool]]] = []
    pieces: list[tuple[str, bool]] = []
    buf: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
                buf.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                pieces.append(("".join(buf), True))
                buf, quoted = [], False
            else:
                buf.append(ch)
        elif ch == '"':
            if buf:
                pieces.append(("".join(buf), False))
            buf, quoted = [], True
        elif ch.isspace():
            if buf:
                pieces.append(("".join(buf), False))
                buf = []
            if pieces:
                tokens.append(pieces)
                pieces = []
        else:
            buf.append(ch)
        i += 1
    if quoted:
        raise QueryError('a double quote is not closed: add the closing "')
    if buf:
        pieces.append(("".join(buf), False))
    if pieces:
        tokens.append(pieces)
    return tokens


def _field_term(name: str, op: str, pieces: list[tuple[str, bool]], negate: bool, word: str) -> Term:
    field = FIELD_ALIASES[name.lower()]
    # One quoted value: commas and spaces are part of it.
    one_quoted = len(pieces) == 1 and pieces[0][1]
    raw_values = [pieces[0][0]] if one_quoted else "".join(text for text, _ in pieces).split(",")
    raw_values = [v.strip() for v in raw_values if v.strip()]
    if not raw_values:
        raise QueryError(f"{word}: give a value after '{name}{op}'")
    if field in _VOCAB or field == "kind":
        values: tuple[object, ...] = tuple(_vocab_value(field, v) for v in raw_values)
    else:
        values = tuple(comparable(v) for v in raw_values)
    return Term(field, values, negate, exact=op == "=")


def parse_query(text: str) -> Query:
    """Parse a query string. Raises :class:`QueryError` naming the bad term."""
    terms: list[Term] = []
    for pieces in _tokens(text):
        word = "".join(t if not q else f'"{t}"' for t, q in pieces)
        first, first_quoted = pieces[0]
        negate = not first_quoted and first.startswith("-") and (len(first) > 1 or len(pieces) > 1)
        if negate:
            first = first[1:]
            if first.startswith("-"):
                raise QueryError(f"{word}: one '-' negates a term; '--' is not allowed")
        rest = [(first, first_quoted), *pieces[1:]] if first else list(pieces[1:])
        head, head_quoted = rest[0] if rest else ("", False)
        cut = min((i for i in (head.find(":"), head.find("=")) if i >= 0), default=-1)
        if not head_quoted and cut >= 0:
            name, op = head[:cut], head[cut]
            value_pieces = ([(head[cut + 1 :], False)] if head[cut + 1 :] else []) + rest[1:]
            if name.lower() in FIELD_ALIASES:
                terms.append(_field_term(name, op, value_pieces, negate, word))
                continue
            if not name:
                raise QueryError(f"{word}: put a field name before '{op}' (e.g. status{op}signed)")
            if name.isidentifier():
                known = ", ".join(sorted(set(FIELD_ALIASES)))
                raise QueryError(f"unknown field '{name}' in '{word}' (fields: {known})")
        phrase = "".join(t for t, _ in rest)
        if phrase:
            terms.append(Term(None, (comparable(phrase),), negate))
    return Query(text=text, terms=tuple(terms))


# --------------------------------------------------------------------------- the index


def _haystack(p: Entry, ledger_titles: dict[str, str]) -> bytes:
    parts = [
        p.id,
        p.actor,
        *p.claimants,
        p.summary,
        p.notes,
        p.condition_detail,
        p.commitment.value,
        p.commitment.label,
        p.status.value,
        p.status.label,
        p.us_backstop.label,
        p.kind.label,
    ]
    parts.extend(c.label for c in p.conditions)
    parts.extend(str(q) for q in p.numbers)
    for ev in p.evidence:
        parts.append(ev.quote)
        if ev.relayed_by:
            parts.append(ev.relayed_by)
        parts.append(ev.source)
        parts.append(ledger_titles.get(ev.source, ""))
    return _utf8(comparable("\n".join(parts)))


def _utf8(text: str) -> bytes:
    """Search text as UTF-8: half the memory of the text for most ledgers (a quote with one
    curly quote mark makes a whole ``str`` two bytes a character), and a substring of the
    text is exactly a substring of its UTF-8 bytes. Lone surrogates pass through unchanged
    on both sides, so they still match themselves."""
    return text.encode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class SortKey:
    field: str
    descending: bool = False


_MIN_DATE = dt.date.min


def _since_recency(p: Entry) -> object:
    from pledgetui.history import since_recency

    return since_recency(p)


def _conditions_key(p: Entry) -> tuple[bool, tuple[str, ...]]:
    return (len(p.conditions) == 0, tuple(c.label for c in p.conditions))


SORT_FIELDS: dict[str, Callable[[Entry], object]] = {
    "id": lambda p: p.id,
    "actor": lambda p: comparable(p.actor),
    "commitment": lambda p: p.commitment.label,
    "status": lambda p: p.status.strength,
    "conditions": _conditions_key,
    "backstop": lambda p: p.us_backstop.label,
    "claimant": lambda p: comparable(p.claimant),
    "date": lambda p: p.date_span.recency(),
    "sources": lambda p: len(p.source_ids),
    "since": lambda p: _since_recency(p),
    "kind": lambda p: p.kind.value,
    "summary": lambda p: p.summary.casefold(),
}
#: Sort fields whose keys depend on one value that repeats across entries (actors, claimants,
#: sets of conditions): the key is computed once per distinct value and shared.
_SHARED_KEYS: dict[str, Callable[[Entry], object]] = {
    "actor": lambda p: p.actor,
    "claimant": lambda p: p.claimant,
    "conditions": lambda p: p.conditions,
}
SORT_ALIASES = {"country": "actor", "type": "commitment", "us_backstop": "backstop", "date_stated": "date"}


def parse_sort(text: str) -> tuple[SortKey, ...]:
    """``"status,-date"`` -> keys; raises :class:`QueryError` for an unknown field."""
    keys: list[SortKey] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        desc = part.startswith("-")
        name = part.lstrip("-+").lower()
        name = SORT_ALIASES.get(name, name)
        if name not in SORT_FIELDS:
            raise QueryError(f"cannot sort by '{part}' (fields: {', '.join(SORT_FIELDS)})")
        keys.append(SortKey(name, desc))
    return tuple(keys)


#: Field filters matched by equality with one vocabulary value of the entry (see ``_term_matches``).
_VOCAB_FIELDS: dict[str, Callable[[Entry], object]] = {
    "status": lambda p: p.status,
    "commitment": lambda p: p.commitment,
    "backstop": lambda p: p.us_backstop,
    "kind": lambda p: p.kind,
}


def _narrows(before: Query, after: Query) -> bool:
    """Whether every entry ``after`` matches is one ``before`` matches, known from the queries
    alone: each of ``before``'s terms is free text that some free-text term of ``after`` holds
    (``fr`` then ``fran``; ``peace`` then ``peace status:signed``). Terms are all required, so
    ``after``'s other terms only narrow further."""
    if before.empty:
        return False
    words = [t.values[0] for t in after.terms if t.field is None and not t.negate]
    for term in before.terms:
        if term.field is not None or term.negate:
            return False
        value = term.values[0]
        if not any(value in word for word in words):  # type: ignore[operator]
            return False
    return True


class Index:
    """Pledges of one ledger with what filtering and sorting need, computed once.

    Rows are addressed by their position in ``ledger.entries``. Filtering is a
    pass over precomputed lower-cased text; sort keys are computed per field on
    first use and cached, so a re-sort of 100k rows is one ``sorted`` call.
    """

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.entries: list[Entry] = list(ledger.entries)
        self._titles = {s.id: s.title for s in ledger.sources}
        self._files = {s.id: comparable(s.file) for s in ledger.sources}
        self._title_keys = {s.id: comparable(s.title) for s in ledger.sources}
        self._hay: list[bytes] | None = None
        self._keys: dict[str, list[object]] = {}
        self._counters: frozenset[int] | None = None
        self._last: tuple[Query, list[int]] | None = None  # the last filter over every row
        self._vocab: dict[str, list[object]] = {}
        self._building = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def counter_positions(self) -> frozenset[int]:
        """Positions of the counter-positions (few; computed once)."""
        if self._counters is None:
            counter = EntryKind.COUNTER_POSITION  # compared directly: at 100k a property call per entry is 30 ms
            self._counters = frozenset(i for i, p in enumerate(self.entries) if p.kind is counter)
        return self._counters

    def derive(self, ledger: Ledger) -> Index:
        """An index for an edited ``ledger``, reusing the search text of every pledge object it shares
        with this one (an edit touches one pledge; rebuilding 100k haystacks would stall the UI)."""
        new = Index(ledger)
        if self._hay is not None and self._titles == new._titles:
            known = {id(p): h for p, h in zip(self.entries, self._hay)}
            new._hay = [known.get(id(p)) or _haystack(p, new._titles) for p in new.entries]
        return new

    @property
    def haystacks(self) -> list[bytes]:
        """Each entry's search text (:func:`comparable`, UTF-8 encoded), computed once."""
        if self._hay is None:
            with self._building:  # built once: a second thread asking meanwhile waits for it
                if self._hay is None:
                    self._hay = [_haystack(p, self._titles) for p in self.entries]
        return self._hay

    def sort_keys(self, field: str) -> list[object]:
        keys = self._keys.get(field)
        if keys is None:
            fn = SORT_FIELDS[field]
            by = _SHARED_KEYS.get(field)
            if by is None:
                keys = [fn(p) for p in self.entries]
            else:  # few distinct values: compute each once and share the key object
                memo: dict[object, object] = {}
                keys = []
                for p in self.entries:
                    value = by(p)
                    key = memo.get(value, memo)
                    if key is memo:
                        key = memo[value] = fn(p)
                    keys.append(key)
            self._keys[field] = keys
        return keys

    # ---- matching

    def _term_matches(self, term: Term, i: int) -> bool:
        p = self.entries[i]
        f = term.field
        if f is None:
            return _utf8(str(term.values[0])) in self.haystacks[i]
        if f == "actor":
            actor = comparable(p.actor)
            if term.exact:
                return actor in term.values
            return any(v in actor for v in term.values)  # type: ignore[operator]
        if f == "claimant":  # any statement's claimant
            claimants = [comparable(c) for c in p.claimants]
            if term.exact:
                return any(c in term.values for c in claimants)
            return any(v in c for v in term.values for c in claimants)  # type: ignore[operator]
        if f == "relay":  # any statement's relay (who passes the claimant's words on)
            relays = [comparable(ev.relayed_by) for ev in p.evidence if ev.relayed_by.strip()]
            if term.exact:
                return any(r in term.values for r in relays)
            return any(v in r for v in term.values for r in relays)  # type: ignore[operator]
        if f == "party":
            return any(ev.party in term.values for ev in p.evidence)
        if f == "basis":
            return any(ev.basis in term.values for ev in p.evidence)
        if f == "id":  # starts with, as date: does: id:ireland finds ireland-ground; id= is exact
            ident = comparable(p.id)
            return ident in term.values if term.exact else any(ident.startswith(v) for v in term.values)  # type: ignore[arg-type]
        if (
            f == "date"
        ):  # the derived date (a stated day, else its article's): starts with, so date:2026-01 is January 2026
            hi = p.date_span.hi
            day = hi.isoformat() if hi else ""
            return day in term.values if term.exact else any(day.startswith(v) for v in term.values)  # type: ignore[arg-type]
        if f == "summary":
            summary = comparable(p.summary)
            return summary in term.values if term.exact else any(v in summary for v in term.values)  # type: ignore[operator]
        vocab = _VOCAB_FIELDS.get(f)
        if vocab is not None:  # status, commitment, backstop, kind
            return vocab(p) in term.values
        if f == "condition":
            return any(c in term.values for c in p.conditions)
        if f == "source":
            for sid in p.source_ids:
                names = (comparable(sid), self._files.get(sid, ""), self._title_keys.get(sid, ""))
                if any(v in n for v in term.values for n in names):  # type: ignore[operator]
                    return True
            return False
        raise QueryError(f"unknown field {f!r}")

    def filter(self, query: Query, candidates: Iterable[int] | None = None) -> list[int]:
        if candidates is None:
            last = self._last
            if last is not None and _narrows(last[0], query):
                # Typing on: every row the new query matches, the last one matched too
                candidates = last[1]
            found = self._filter(query, candidates)
            if not query.empty:
                self._last = (query, found)
            return found
        return self._filter(query, candidates)

    def _filter(self, query: Query, candidates: Iterable[int] | None = None) -> list[int]:
        """The rows (of ``candidates``, else all) every term of ``query`` matches. Terms are
        applied one after the other, each over the rows the ones before kept (all are
        required, so the order changes only the work)."""
        every = candidates is None
        rows: Iterable[int] = range(len(self.entries)) if candidates is None else candidates
        if query.empty:
            return list(rows)
        for term in query.terms:
            rows = self._apply(term, rows, every)
            every = False
        return list(rows)

    def _apply(self, term: Term, rows: Iterable[int], every: bool) -> list[int]:
        """The ``rows`` that ``term`` matches (or, negated, does not); ``every``: ``rows`` are all of them."""
        flip = term.negate
        if term.field is None:
            hay = self.haystacks
            needle = _utf8(str(term.values[0]))
            if every:  # no index lookups: a pass over 100k entries costs half as much
                return [i for i, h in enumerate(hay) if (needle in h) is not flip]
            return [i for i in rows if (needle in hay[i]) is not flip]
        if term.field in _VOCAB_FIELDS:
            values = self._vocab_values(term.field)
            wanted = frozenset(term.values)
            return [i for i in rows if (values[i] in wanted) is not flip]
        return [i for i in rows if self._term_matches(term, i) is not flip]

    def prepare(self) -> None:
        """Compute now what filtering and sorting would compute on first use: the search text,
        every column's sort keys and the vocabulary fields' values (for a worker thread, so
        that the first keystroke or sort does not pay for them)."""
        _ = self.haystacks
        _ = self.counter_positions
        for field in SORT_FIELDS:
            self.sort_keys(field)
        for field in _VOCAB_FIELDS:
            self._vocab_values(field)

    def _vocab_values(self, field: str) -> list[object]:
        """Each entry's value of a one-word vocabulary field, computed once (a field filter
        then costs one set lookup per row, not a pass through the models)."""
        found = self._vocab.get(field)
        if found is None:
            get = _VOCAB_FIELDS[field]
            found = self._vocab[field] = [get(p) for p in self.entries]
        return found

    def sort(self, rows: Sequence[int], keys: Sequence[SortKey]) -> list[int]:
        """Stable sort: apply keys last to first, so ties keep their previous order."""
        out = list(rows)
        for key in reversed(keys):
            values: list[Any] = self.sort_keys(key.field)
            out.sort(key=values.__getitem__, reverse=key.descending)
        return out

    def view(self, query: Query | str = "", sort: Sequence[SortKey] | str = ()) -> list[Entry]:
        """Convenience for scripts and the CLI: the pledges a query and sort select."""
        q = parse_query(query) if isinstance(query, str) else query
        s = parse_sort(sort) if isinstance(sort, str) else sort
        return [self.entries[i] for i in self.sort(self.filter(q), s)]


def select_entries(ledger: Ledger, query: str = "", sort: str = "") -> list[Entry]:
    """The pledges of ``ledger`` matching ``query`` in ``sort`` order (ledger order for ties)."""
    return Index(ledger).view(query, sort)
