"""A ledger and an article full of text that must render literally and never reach the terminal raw."""

from __future__ import annotations

from pathlib import Path

from pledgetui.anchors import select
from pledgetui.model import Evidence, Ledger, Source
from pledgetui.store import save
from tests.factory import STANCE, pledge

OSC_TITLE = "\x1b]0;pwned\x07"
OSC_CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
CSI_CLEAR = "\x1b[2J\x1b[H"
BIDI = "\u202eevil\u202c"
MARKUP = "[/] [/bold] [bold]loud[/bold] [link=https://example.invalid]click[/link] [stage] n=1 [@click=app.quit]x[/]"
CYRILLIC = "Коаліція охочих — гарантії безпеки"
EMOJI = "🇺🇦🛡️👩‍👩‍👧‍👦"
LONG = ("very long line " * 400).strip()
HOSTILE = f"{MARKUP} {OSC_TITLE}{OSC_CLIPBOARD}{CSI_CLEAR}{BIDI} {CYRILLIC} {EMOJI} \x00\x07\x08\x7f\x85\x9b"

ARTICLE = (
    f"Headline {MARKUP}\n"
    f"Officials said {OSC_TITLE}the force [/bold] would deploy{CSI_CLEAR} after a ceasefire.\n"
    f"{BIDI} {CYRILLIC} {EMOJI}\n"
    f"{LONG}\n"
    "Tabs\there and a bell \x07 and DEL \x7f and C1 \x9b end.\n"
)


#: A ledger file name that would retitle the window if it reached the terminal raw.
HOSTILE_NAME = "pledges\x1b]0;pwned\x07\u202e.toml"


def write_hostile(folder: Path, name: str = HOSTILE_NAME) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "seeds").mkdir(exist_ok=True)
    (folder / "seeds" / "hostile.txt").write_text(ARTICLE, encoding="utf-8")
    quote = f"{OSC_TITLE}the force [/bold] would deploy{CSI_CLEAR}"
    start = ARTICLE.index(quote)
    sel = select(ARTICLE, start, start + len(quote))
    ev = Evidence(
        **STANCE, source="h1", quote=sel.quote, prefix=sel.prefix, suffix=sel.suffix, start=sel.start, end=sel.end
    )
    start2 = ARTICLE.index(MARKUP)
    sel2 = select(ARTICLE, start2, start2 + len(MARKUP))
    ev2 = Evidence(
        **STANCE, source="h1", quote=sel2.quote, prefix=sel2.prefix, suffix=sel2.suffix, start=sel2.start, end=sel2.end
    )
    source = Source(
        id="h1", file="hostile.txt", title=f"Title {HOSTILE}", outlet=f"Outlet {MARKUP}", note=f"Note {HOSTILE}"
    )
    pledges = (
        pledge(
            id="hostile-1",
            actor=f"[/bold]Ruritania {OSC_TITLE}{BIDI}",
            commitment="ground_troops",
            status="announced",
            conditions=["peace_deal", "other"],
            condition_detail=HOSTILE,
            us_backstop="required",
            claimant=f"{MARKUP} {CSI_CLEAR}",
            summary=f"Summary {HOSTILE}",
            notes=f"{HOSTILE}\n{LONG}",
            numbers=[{"label": f"troops {MARKUP}", "low": 1, "high": 2}],
            evidence=(ev, ev2),
        ),
        pledge(
            id="hostile-2",
            kind="counter_position",
            actor=f"{CYRILLIC} [link=x]",
            commitment="air",
            status="declined",
            claimant=EMOJI,
            summary=LONG[:480],
            evidence=(ev2,),
        ),
    )
    path = folder / name
    save(Ledger(sources=(source,), entries=pledges), path, backup=False)
    return path
