"""Quote anchoring: exact, moved, folded after re-saves (all verified), drifted (located, not verified), orphan."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pledgetui.anchors import Anchor, AnchorStatus, locate, normalise, select
from pledgetui.articlefile import read_article
from tests.factory import ARTICLE_003, SEEDS

TEXT = read_article(SEEDS / ARTICLE_003)
# Curly quotes and an em dash inside: the quote-style tests need both.
QUOTE = "If there is a peace agreement, Ireland — as part of this coalition — will want to assist."
KALLAS = "“Attacks on humanitarian missions are a grave violation of international law."


def anchored(text: str, quote: str) -> tuple[Anchor, Anchor]:
    """Select ``quote`` in TEXT, then locate it in ``text``; return (original span, result)."""
    start = TEXT.index(quote)
    sel = select(TEXT, start, start + len(quote))
    return Anchor(AnchorStatus.EXACT, sel.start, sel.end), locate(
        text, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end
    )


def fold_quotes(text: str) -> str:
    return text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'").replace("—", "-")


# --------------------------------------------------------------------------- exact and moved


def test_exact_at_stored_offsets() -> None:
    original, found = anchored(TEXT, QUOTE)
    assert found == original
    assert found.status is AnchorStatus.EXACT and found.verified
    assert TEXT[found.start : found.end] == QUOTE


def test_paragraph_inserted_before_quote_is_moved_with_new_offsets() -> None:
    insert = "An editor's note was added here, well before the quote.\n\n"
    cut = TEXT.index("Who’s In, Who’s Holding Back")
    changed = TEXT[:cut] + insert + TEXT[cut:]
    original, found = anchored(changed, QUOTE)
    assert found.status is AnchorStatus.MOVED and found.verified
    assert (found.start, found.end) == (original.start + len(insert), original.end + len(insert))
    assert changed[found.start : found.end] == QUOTE


def test_quote_text_removed_from_exact_spot_but_present_elsewhere_is_moved() -> None:
    # Offsets pointing past the end of a shortened text must not raise.
    start = TEXT.index(QUOTE)
    found = locate(QUOTE + " tail", QUOTE, "", "", start, start + len(QUOTE))
    assert found == Anchor(AnchorStatus.MOVED, 0, len(QUOTE))


# --------------------------------------------------------------------------- re-saved text


def test_newlines_and_double_spaces_inside_quote_are_folded() -> None:
    changed_quote = QUOTE.replace("agreement, Ireland", "agreement,\nIreland").replace("will want", "will  want")
    changed = TEXT.replace(QUOTE, changed_quote)
    assert changed != TEXT
    _, found = anchored(changed, QUOTE)
    assert found.status is AnchorStatus.FOLDED and found.verified
    assert changed[found.start : found.end] == changed_quote


@pytest.mark.parametrize(
    ("name", "convert"),
    [
        ("curly to straight", fold_quotes),
        ("em dash to hyphen", lambda t: t.replace("—", "-")),
    ],
)
def test_quote_style_changes_are_folded(name: str, convert) -> None:
    quote = KALLAS if name != "em dash to hyphen" else QUOTE
    changed = convert(TEXT)
    _, found = anchored(changed, quote)
    assert found.status is AnchorStatus.FOLDED and found.verified
    assert changed[found.start : found.end] == convert(quote)


def test_ellipsis_is_not_folded_so_three_dots_against_one_character_is_drifted() -> None:
    """Ellipsis folding is gone: "..." and "…" are different text, so the quote is no
    longer the article's words. It is still located (drifted), never verified."""
    quote = KALLAS[:-1] + "..."
    text = TEXT.replace(KALLAS, quote)  # the stored article had three dots
    start = text.index(quote)
    sel = select(text, start, start + len(quote))
    changed = text.replace(quote, KALLAS[:-1] + "…")  # re-saved with "…"
    found = locate(changed, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert found.status is AnchorStatus.DRIFTED
    assert not found.verified and found.found
    assert "grave violation of international law" in changed[found.start : found.end]
    folded, index = normalise("law\u2026")
    assert folded == "law\u2026" and index == [0, 1, 2, 3, 4]


def test_straight_to_curly_quotes_is_folded() -> None:
    plain = fold_quotes(TEXT)
    quote = fold_quotes(KALLAS)
    start = plain.index(quote)
    sel = select(plain, start, start + len(quote))
    # Re-saved by an editor that curls quotes and adds an extra line break.
    curly = TEXT.replace("Ukraine’s armed forces", "Ukraine’s\n\narmed forces")
    found = locate(curly, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert found.status is AnchorStatus.FOLDED and found.verified
    assert curly[found.start : found.end] == KALLAS


def test_duplicate_quote_prefix_and_suffix_pick_the_right_occurrence() -> None:
    text = 'Alpha said: "the force will deploy" now. Beta said: "the force will deploy" later.'
    quote = '"the force will deploy"'
    second = text.rindex(quote)
    sel = select(text, second, second + len(quote))
    # A long insert shifts everything, so the stored offset is nearer the first occurrence.
    shifted = "X" * 200 + text
    found = locate(shifted, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert found.status is AnchorStatus.MOVED
    assert found.start == 200 + second


def test_duplicate_quote_after_restyling_still_uses_context() -> None:
    text = 'Alpha said: "the force will deploy" now. Beta said: "the force will deploy" later.'
    quote = '"the force will deploy"'
    second = text.rindex(quote)
    sel = select(text, second, second + len(quote))
    shifted = "X" * 200 + text.replace('"', "\u201c")
    found = locate(shifted, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert found.status is AnchorStatus.FOLDED
    assert found.start == 200 + second
    assert shifted[found.end :].startswith(" later.")


def test_duplicate_quote_first_occurrence_chosen_by_context() -> None:
    text = "She said yes today. Later he said yes today, and again."
    quote = "said yes today"
    first = text.index(quote)
    sel = select(text, first, first + len(quote), context=6)
    # Offsets now point at nothing useful; only the context can tell.
    changed = "Prelude. " + text
    found = locate(changed, sel.quote, sel.prefix, sel.suffix, 45, 59)
    assert found.start == len("Prelude. ") + first


# --------------------------------------------------------------------------- approximate and orphans


def test_small_edit_inside_quote_with_intact_context_is_drifted_not_verified() -> None:
    edited = QUOTE.replace("will want to assist", "would want to assist")
    changed = TEXT.replace(QUOTE, edited)
    _, found = anchored(changed, QUOTE)
    assert found.status is AnchorStatus.DRIFTED
    assert found.found and not found.verified
    assert changed[found.start : found.end] == edited


def test_garbled_quote_is_orphan() -> None:
    start = TEXT.index(QUOTE)
    sel = select(TEXT, start, start + len(QUOTE))
    found = locate(TEXT, "Zxq vlorp gnarble fweep — nothing like this is in the article.", "", "", sel.start, sel.end)
    assert found.status is AnchorStatus.ORPHAN
    assert not found.found and not found.verified


def test_rewritten_passage_with_intact_context_is_orphan() -> None:
    rewritten = "Ireland declined to say anything at all about troops or coalitions."
    changed = TEXT.replace(QUOTE, rewritten)
    _, found = anchored(changed, QUOTE)
    assert found.status is AnchorStatus.ORPHAN


def test_empty_quote_is_orphan() -> None:
    assert locate(TEXT, "", "", "", 0, 0).status is AnchorStatus.ORPHAN


def test_quote_against_empty_article_is_orphan() -> None:
    assert locate("", QUOTE, "a", "b", 0, len(QUOTE)).status is AnchorStatus.ORPHAN


def test_select_rejects_spans_outside_text() -> None:
    with pytest.raises(ValueError):
        select("abc", 2, 5)
    with pytest.raises(ValueError):
        select("abc", 2, 2)


def test_select_computes_context() -> None:
    sel = select("0123456789", 4, 6, context=3)
    assert (sel.prefix, sel.quote, sel.suffix) == ("123", "45", "678")


# --------------------------------------------------------------------------- normalise


def test_normalise_folds_and_maps_back() -> None:
    folded, index = normalise("a\u201cb\u201d  \n c\u2014d\u2026")
    assert folded == 'a"b" c-d\u2026'  # the ellipsis is kept: it is not folded
    assert index == [0, 1, 2, 3, 4, 8, 9, 10, 11, 12]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(" \n\t\u00a0\u2026\u201c\u2014'\""))))
def test_normalise_index_map_invariants(text: str) -> None:
    folded, index = normalise(text)
    assert len(index) == len(folded) + 1
    assert index[-1] == len(text)
    assert all(0 <= i < len(text) for i in index[:-1])
    assert all(a <= b for a, b in itertools.pairwise(index))
    # No run of two spaces survives folding, and every original non-space character is kept.
    assert "  " not in folded
    kept = {i for i in index[:-1]}
    assert all(i in kept for i, ch in enumerate(text) if not ch.isspace())


def test_hyphen_to_em_dash_is_folded() -> None:
    plain = fold_quotes(TEXT)
    quote = fold_quotes(QUOTE)
    assert " - as part of this coalition - " in quote
    start = plain.index(quote)
    sel = select(plain, start, start + len(quote))
    found = locate(TEXT, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert found.status is AnchorStatus.FOLDED and found.verified
    assert TEXT[found.start : found.end] == QUOTE
