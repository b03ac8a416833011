"""Text as a reader sees it: comparison that ignores invisible format characters."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pledgetui.textcheck import _format_chars, canonical, comparable

_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            ["\n", "\t", "\r", " ", "\u00a0", "\u00ad", "\u200b", "\u200d", "\u2028", "\U000e0041", "’", "é"]
        ),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_canonical_is_nfkc_without_format_characters(text: str) -> None:
    expected = _format_chars().sub("", unicodedata.normalize("NFKC", text))
    assert canonical(text) == expected
    assert comparable(text) == expected.casefold()


def test_format_characters_go_even_beside_line_breaks() -> None:
    assert canonical("Fran\U000e0041ce\nparis") == "France\nparis"
    assert canonical("Fr\u00adance\tx") == "France\tx"
    assert comparable("Fran\u200bce’s\n") == "france’s\n"
