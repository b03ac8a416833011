"""Strict verification: a quote is verified only when it is its article's words after the
documented folding (white space, quote marks, dashes, fixed-width spaces). Anything found
only approximately is *drifted*: located at the right span, never verified."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pledgetui import verify as verify_module
from pledgetui.anchors import FOLD, Anchor, AnchorStatus, fold, locate, select
from pledgetui.articlefile import read_article
from pledgetui.model import Entry, Evidence, Ledger, Source
from pledgetui.verify import Articles, verify
from tests.factory import ARTICLE_003, SEEDS, evidence_for, pledge, write_ledger

TEXT = read_article(SEEDS / ARTICLE_003)
QUOTE = "If there is a peace agreement, Ireland — as part of this coalition — will want to assist."

# --------------------------------------------------------------------------- folding: verified

#: A sentence written with plain ASCII punctuation; each case swaps in one variant.
PLAIN = "The minister said \"we will send 'up to' 500 troops - a first step - within weeks\" on Monday."
LEAD = "Paragraph one sets the scene at some length before anyone is quoted.\n\n"
TAIL = "\n\nA closing paragraph follows the quote and says nothing of note."

DASHES = {f"U+{ord(ch):04X}": ch for ch, to in FOLD.items() if to == "-"}
SPACES = {
    "NBSP": "\u00a0",
    "narrow NBSP": "\u202f",
    "thin space": "\u2009",
    "figure space": "\u2007",
    "hair space": "\u200a",
}

FOLDING_CASES: dict[str, str] = {
    "run of spaces": PLAIN.replace("will send", "will   send"),
    "newline": PLAIN.replace("will send", "will\nsend"),
    "blank line and tab": PLAIN.replace("a first step", "a\n\n\tfirst step"),
    "curly single quotes": PLAIN.replace("'up to'", "\u2018up to\u2019"),
    "curly double quotes": PLAIN.replace('"we', "\u201cwe").replace('weeks"', "weeks\u201d"),
    "low double quote": PLAIN.replace('"we', "\u201ewe"),
    "guillemets": PLAIN.replace('"we', "\u00abwe").replace('weeks"', "weeks\u00bb"),
    **{f"dash {name}": PLAIN.replace(" - ", f" {ch} ") for name, ch in DASHES.items()},
    **{name: PLAIN.replace("500 troops", f"500{ch}troops") for name, ch in SPACES.items()},
}


def test_the_dash_cases_cover_every_dash_the_folding_knows() -> None:
    assert {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"} <= set(DASHES.values())


@pytest.mark.parametrize("case", FOLDING_CASES)
def test_a_re_saved_article_still_verifies_the_plain_quote(case: str) -> None:
    variant = FOLDING_CASES[case]
    assert variant != PLAIN and fold(variant) == fold(PLAIN)
    stored_text = LEAD + PLAIN + TAIL
    sel = select(stored_text, len(LEAD), len(LEAD) + len(PLAIN))
    article = LEAD + variant + TAIL
    found = locate(article, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert found.status is AnchorStatus.FOLDED
    assert found.verified
    assert article[found.start : found.end] == variant


@pytest.mark.parametrize("case", FOLDING_CASES)
def test_a_quote_typed_with_other_punctuation_verifies_against_the_plain_article(case: str) -> None:
    variant = FOLDING_CASES[case]
    article = LEAD + PLAIN + TAIL
    found = locate(article, variant, "", "", len(LEAD), len(LEAD) + len(variant))
    assert found.status is AnchorStatus.FOLDED and found.verified
    assert article[found.start : found.end] == PLAIN


@pytest.mark.parametrize(
    ("stored", "article"),
    [
        ("law...", "law\u2026"),  # ellipsis: not folded any more
        ("troops", "tr\u00f6ops"),  # a letter with a diacritic is another letter
        ("500 troops", "500\u200btroops"),  # a zero-width space is not white space
        ("it's", "it\u2032s"),  # a prime is not an apostrophe
    ],
)
def test_characters_outside_the_folding_are_never_verified(stored: str, article: str) -> None:
    quote = (
        PLAIN.replace("500 troops", stored)
        if "troops" in stored
        else PLAIN.replace("within weeks", f"within weeks {stored}")
    )
    text = quote.replace(stored, article)
    page = LEAD + text + TAIL
    found = locate(page, quote, "", "", len(LEAD), len(LEAD) + len(quote))
    assert found.status in (AnchorStatus.DRIFTED, AnchorStatus.ORPHAN)
    assert not found.verified


# --------------------------------------------------------------------------- drift: located, not verified

DRIFTS = {
    "words inserted": QUOTE.replace("will want", "ZZZ garbled will want"),
    "word changed": QUOTE.replace("peace agreement", "truce agreement"),
    "word dropped": QUOTE.replace("as part of this", "as this"),
    "first letter changed": QUOTE.replace("If there", "Of there"),
    "last word changed": QUOTE.replace("to assist.", "to help."),
}
DRIFT_CASES = list(DRIFTS)


@pytest.mark.parametrize("case", DRIFT_CASES)
def test_a_drifted_quote_is_located_at_the_article_s_words_and_not_verified(case: str) -> None:
    edited = DRIFTS[case]
    start = TEXT.index(QUOTE)
    sel = select(TEXT, start, start + len(QUOTE))
    article = TEXT.replace(QUOTE, edited)
    found = locate(article, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert found.status is AnchorStatus.DRIFTED
    assert found.found and not found.verified
    assert (found.start, found.end) == (start, start + len(edited))
    assert article[found.start : found.end] == edited


@pytest.mark.parametrize("case", DRIFT_CASES)
def test_a_drifted_quote_is_found_without_its_offsets_or_context(case: str) -> None:
    edited = DRIFTS[case]
    article = TEXT.replace(QUOTE, edited)
    found = locate(article, QUOTE, "", "", 0, 0)
    assert found.status is AnchorStatus.DRIFTED and not found.verified
    assert article[found.start : found.end] == edited


def test_a_drift_span_does_not_reach_into_the_previous_sentence() -> None:
    quote = "The deputy provided a breakdown of the anticipated troop contributions here."
    text = f"It covers NATO countries.\n{quote} End."
    edited = quote.replace("anticipated", "ZZZ garbled anticipated")
    article = text.replace(quote, edited)
    start = text.index(quote)
    found = locate(article, quote, "", "", start, start + len(quote))
    assert found.status is AnchorStatus.DRIFTED
    assert article[found.start : found.end] == edited


def test_a_drift_span_does_not_reach_into_the_next_sentence() -> None:
    quote = "Of those, 26 have now signalled readiness to place forces in Ukraine in support roles."
    text = f"Intro line here. {quote} End."
    edited = quote.replace("Of those", "Xf those")
    article = text.replace(quote, edited)
    start = text.index(quote)
    found = locate(article, quote, "", "", start, start + len(quote))
    assert found.status is AnchorStatus.DRIFTED
    assert article[found.start : found.end] == edited


def test_an_unrelated_sentence_is_an_orphan() -> None:
    start = TEXT.index(QUOTE)
    sel = select(TEXT, start, start + len(QUOTE))
    unrelated = "The harvest festival in the valley drew record crowds despite the heavy autumn rain."
    found = locate(TEXT, unrelated, sel.prefix, sel.suffix, sel.start, sel.end)
    assert found.status is AnchorStatus.ORPHAN
    assert not found.found and not found.verified


def test_a_rewritten_passage_in_place_is_an_orphan_even_with_intact_context() -> None:
    start = TEXT.index(QUOTE)
    sel = select(TEXT, start, start + len(QUOTE))
    article = TEXT.replace(QUOTE, "Dublin said nothing whatever about any of it, then or since.")
    found = locate(article, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert found.status is AnchorStatus.ORPHAN


# --------------------------------------------------------------------------- bounded work


def _long_article() -> str:
    """About 200,000 characters of real article text, paragraphs shuffled."""
    paragraphs = [p for path in sorted(SEEDS.glob("*.txt")) for p in read_article(path).split("\n") if p.strip()]
    rng = random.Random(5)
    out: list[str] = []
    while sum(map(len, out)) < 200_000:
        rng.shuffle(paragraphs)
        out.extend(paragraphs)
    return "\n".join(out)


@pytest.mark.parametrize("length", [2_000, 20_000])
def test_a_long_orphan_quote_with_a_one_letter_prefix_finishes(length: int) -> None:
    article = _long_article()
    # Real sentences in an order the article never has: many seeds hit, nothing is close.
    sentences = re.findall(r"[A-Z][^.!?\n]{20,200}[.!?]", article[:40_000])
    rng = random.Random(length)
    rng.shuffle(sentences)
    quote = ""
    while len(quote) < length:
        quote += " ".join(sentences) + " "
    quote = quote[:length].strip()
    assert len(quote) >= length - 1 and quote not in article
    found = locate(article, quote, "a", "", 1_000, 1_000 + len(quote))
    assert found.status is AnchorStatus.ORPHAN


# --------------------------------------------------------------------------- the report


def test_verify_counts_only_folded_exact_and_moved_quotes_as_verified(tmp_path) -> None:
    folder = tmp_path / "ledger"
    path = write_ledger(folder)  # articles copied into folder/seeds
    article = folder / "seeds" / ARTICLE_003
    text = read_article(article)
    source = Source(id="a003", file=ARTICLE_003, title="After the Summit")
    kallas = "Attacks on humanitarian missions are a grave violation of international law."
    ledger = Ledger(
        sources=(source,),
        entries=(
            pledge(id="ireland", actor="Ireland", commitment="ground_troops", summary="s",
                   evidence=[evidence_for(text, "a003", QUOTE)]),
            pledge(id="eu", actor="European Union", commitment="other", summary="s",
                   evidence=[evidence_for(text, "a003", kallas), evidence_for(text, "a003", "absolutely unacceptable")]),
        ),
    )  # fmt: skip
    article.chmod(0o644)
    resaved = text.replace("—", "-").replace(QUOTE.replace("—", "-"), DRIFTS["word changed"].replace("—", "-"))
    resaved = resaved.replace(kallas, kallas.replace("grave", "grave "))  # a double space: folded
    article.write_text("A new first line.\n" + resaved, encoding="utf-8")
    report = verify(ledger, Articles(path))
    statuses = {(c.entry_id, c.index): c.anchor.status for c in report.checks}
    assert statuses == {
        ("ireland", 0): AnchorStatus.DRIFTED,
        ("eu", 0): AnchorStatus.FOLDED,
        ("eu", 1): AnchorStatus.MOVED,
    }
    assert report.verified == 2
    assert [c.entry_id for c in report.drifted] == ["ireland"]
    assert report.orphans == []


# --------------------------------------------------------------------------- the fast path agrees with locate

#: Pieces of articles: words, the white space, quote marks and dashes the folding knows, and
#: hostile characters (controls, a combining accent, a lone surrogate's neighbour, private use).
PIECES = st.sampled_from(
    [
        "The minister said", "we will send", "troops", "to Ukraine", "a", " ", "  ", "\n", "\n\n", "\t",
        "\u00a0", "\u202f", "\u201c", "\u201d", "\u2018", "\u2019", "'", '"', "-", "\u2014", "\u2013",
        "\u0301", "\x00", "\x1b[31m", "\u202e", "\U000f0001", "\ufeff", "\u0130", "word",
    ]
)  # fmt: skip
ARTICLE_TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=14).map("".join)


@st.composite
def statements_in(draw: st.DrawFn, text: str) -> Evidence:
    """A statement quoting ``text``: at its offsets, moved, re-folded, with a word changed, or
    unrelated (orphan), with context and offsets that may or may not fit."""
    n = len(text)
    a = draw(st.integers(0, n))
    b = draw(st.integers(a, n))
    quote = text[a:b]
    kind = draw(st.sampled_from(["exact", "offsets", "folded", "changed", "other"]))
    if kind == "folded":
        quote = fold(quote)
    elif kind == "changed":
        quote = quote.replace("send", "deploy", 1).replace("troops", "soldiers", 1)
    elif kind == "other":
        quote = draw(ARTICLE_TEXTS)
    if kind == "offsets":
        a = draw(st.integers(0, n + 3))
        b = draw(st.integers(a, n + 6))
    if not quote:
        quote = "x"
    return Evidence(
        source="a1", claimant="C", party="first_party", basis="statement", status="announced", quote=quote,
        prefix=draw(st.sampled_from(["", text[max(0, a - 8) : a], "zz"])),
        suffix=draw(st.sampled_from(["", text[b : b + 8], "zz"])),
        start=a, end=b,
    )  # fmt: skip


def verified_with(text: str, statements: list[Evidence], *, memoise: bool) -> list[Anchor]:
    entry = Entry(id="e", actor="A", commitment="other", summary="s", evidence=statements)
    ledger = Ledger(sources=(Source(id="a1", file="a1.txt", title="t"),), entries=(entry,))
    articles = Articles(Path("unused.toml"), texts={"a1": text})
    saved = verify_module.MEMOISE
    verify_module.MEMOISE = memoise
    try:
        return [c.anchor for c in verify(ledger, articles).checks]
    finally:
        verify_module.MEMOISE = saved


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_property_verify_agrees_with_the_full_search_for_every_statement(data: st.DataObject) -> None:
    """The exact-offsets fast path, the article folded once per run and the memo give, statement
    by statement, what locate alone gives (exact, moved, folded, drifted or orphan)."""
    text = data.draw(ARTICLE_TEXTS)
    statements = data.draw(st.lists(statements_in(text), min_size=1, max_size=6))
    statements += statements[:2]  # repeated statements: the memo's case
    expected = [locate(text, ev.quote, ev.prefix, ev.suffix, ev.start, ev.end) for ev in statements]
    assert verified_with(text, statements, memoise=True) == expected
    assert verified_with(text, statements, memoise=False) == expected


def test_verify_agrees_with_locate_on_each_status_and_a_missing_article() -> None:
    lead, moved_in = "Lead paragraph.\n\n", "An inserted paragraph.\n\n"
    body = "The minister said \u201cwe will send 500 troops\u201d to Ukraine on Monday, and more later."
    text = lead + moved_in + body.replace("500 troops", "500  troops").replace("Monday", "Tuesday")
    quotes = {
        "exact": (body[:17], len(lead) + len(moved_in)),  # "The minister said" where it is now
        "moved": ("to Ukraine", len(lead)),
        "folded": ('we will send 500 troops"', 0),
        "drifted": ("on Monday, and more later.", 0),
        "orphan": ("Nothing like this sentence appears anywhere at all.", 0),
    }
    statements = [
        Evidence(source="a1", claimant="C", party="first_party", basis="statement", status="announced",
                 quote=q, start=at, end=at + len(q))
        for q, at in quotes.values()
    ]  # fmt: skip
    anchors = verified_with(text, statements, memoise=True)
    assert [a.status.value for a in anchors] == list(quotes)
    assert anchors == [locate(text, ev.quote, ev.prefix, ev.suffix, ev.start, ev.end) for ev in statements]
    entry = Entry(id="e", actor="A", commitment="other", summary="s", evidence=statements)
    ledger = Ledger(sources=(Source(id="a1", file="a1.txt", title="t"),), entries=(entry,))
    report = verify(ledger, Articles(Path("nowhere") / "pledges.toml"))
    assert {c.anchor.status for c in report.checks} == {AnchorStatus.ORPHAN}
    assert "a1" in report.source_problems
