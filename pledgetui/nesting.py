"""Where a TOML document nests arrays and inline tables too deep to parse.

The parser recurses once per level of ``[`` / ``{`` nesting, so a document of a
few hundred brackets exhausts the interpreter's stack. :mod:`pledgetui.store`
catches that and calls :func:`too_deep` to say where the nesting goes too deep.
This scan is a tokeniser just good enough to skip strings and comments: it runs
only on a document the parser has already refused.
"""

from __future__ import annotations

import re

#: Deeper than any ledger needs (a ledger nests three levels: pledges, evidence, a quote's fields).
MAX_NESTING = 100

_TOKEN = re.compile(
    r"""[^\[\]{}"'#]+"""  # anything that is not a bracket, a string or a comment
    r'|"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'  # multi-line basic string
    r"|'''[^']*(?:'(?!'')[^']*)*'''"  # multi-line literal string
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # basic string
    r"|'[^'\n]*'"  # literal string
    r"|#[^\n]*"  # comment
    r"|([\[{])|([\]}])"  # an opening or a closing bracket
    r"|[\s\S]"  # anything else (an unclosed quote): one character
)


def too_deep(text: str, limit: int = MAX_NESTING) -> tuple[int, int] | None:
    """(line, column), both from 1, of the first bracket nested deeper than ``limit``; None if none is."""
    depth = 0
    for match in _TOKEN.finditer(text):
        if match.group(1):
            depth += 1
            if depth > limit:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                return line, start - (text.rfind("\n", 0, start) + 1) + 1
        elif match.group(2):
            depth = max(0, depth - 1)
    return None
