"""A ledger and an article full of text that must render literally and never reach the terminal raw."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pledgetui.anchors import select
from pledgetui.model import Evidence, Ledger, Source
from pledgetui.store import save
from tests.factory import STANCE, evidence_for, pledge, restance, small_ledger, write_ledger

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


# --------------------------------------------------------------------------- files that try to hang or leak

#: A 904-byte document of nested arrays: one line, 450 levels deep.
NESTED_ARRAYS = "a = " + "[" * 450 + "]" * 450
#: The same with inline tables.
NESTED_TABLES = "a = " + "{b = " * 600 + "1" + "}" * 600


def make_loop(folder: Path) -> Path:
    (folder / "loop-a").symlink_to(folder / "loop-b")
    (folder / "loop-b").symlink_to(folder / "loop-a")
    return folder / "loop-a"


SECRET = "SECRET_TOKEN=hunter2 would deploy forces after a ceasefire\n"


def ledger_quoting_a_link(tmp_path: Path, *, link_folder: bool = False) -> tuple[Path, Path]:
    """A ledger whose source ``leak.txt`` is a link to a file outside the ledger's folder,
    and a pledge quoting that file's text (so a followed link "verifies")."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "leak.txt"
    secret.write_text(SECRET, encoding="utf-8")
    base = small_ledger()
    ev = evidence_for(SECRET, "leak", "SECRET_TOKEN=hunter2")
    ledger = Ledger(
        sources=(*base.sources, Source(id="leak", file="leak.txt", title="Leak")),
        entries=(
            *base.entries,
            pledge(
                id="leak-1", actor="X", commitment="air", status="claimed", claimant="x", summary="x", evidence=(ev,)
            ),
        ),
    )
    path = write_ledger(tmp_path / "ledger", ledger)
    seeds = path.parent / "seeds"
    if link_folder:
        for item in seeds.iterdir():
            (outside / item.name).write_bytes(item.read_bytes())
        for item in seeds.iterdir():
            item.unlink()
        seeds.rmdir()
        seeds.symlink_to(outside)
    else:
        (seeds / "leak.txt").symlink_to(secret)
    return path, secret


# --------------------------------------------------------------------------- invisible characters


def invisible_in(text: str) -> list[str]:
    return [
        f"U+{ord(c):04X}"
        for c in text
        if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp") and c != "\n"
    ]


def lookalike_ledger() -> Ledger:
    """Six French entries: four spelled plainly, one with a tag character, one with a soft hyphen."""
    base = small_ledger()
    france = base.entry("france-ground")
    assert france is not None
    spellings = ["France", "France", "Fran\U000e0041ce", "Fr\u00adance", "France", "France"]
    extra = tuple(
        restance(
            france.model_copy(update={"id": f"fr-{n}", "actor": actor, "summary": "co-signed"}),
            claimant="\u2060Élysée" if n == 3 else france.claimant,
        )
        for n, actor in enumerate(spellings[1:], 1)
    )
    return Ledger(sources=base.sources, entries=(*base.entries, *extra))
