"""One schema: every form of the ledger follows a change of one constraint in it.

Each change is made to the source of the module (``pledgetui.schema``, or ``pledgetui.vocab``
for a vocabulary the schema takes from it) in a fresh interpreter, before anything imports it,
as editing the file would. Then the fast reader, the full parser, a load (with the fast path
and without), the canonical writer and its fast twin, and the cache are asked about two files:
one the change refuses and one it still accepts.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
import tomli_w

from pledgetui import cache, canonical, fastread, fastwrite, ledgerfile, records, schema, store
from pledgetui.model import Backstop, Entry, Ledger
from tests.factory import small_ledger
from tests.patched import Patch, run

KEY = b"k" * 32
SHA = "0" * 64

# In the edited interpreter: for each file, what every reader says of it.
CHECK = r"""
import base64, tomli_w
from pathlib import Path
from pledgetui import cache, canonical, fastread, fastwrite, ledgerfile, schema, store

def outcome(data, path):
    said = {}
    try:
        fast = fastread.read(data)
        said["fast"] = True
    except fastread.Unexpected:
        fast, said["fast"] = None, False
    try:
        full = ledgerfile.validate_document(Path("<ledger>"), ledgerfile.parse_document(Path("<ledger>"), data))
        said["full"] = True
    except ledgerfile.LedgerError:
        full, said["full"] = None, False
    path.write_bytes(data)
    try:
        store.load(path, use_cache=False)
        said["load"] = True
    except ledgerfile.LedgerError:
        said["load"] = False
    if full is not None:
        said["same"] = fast is None or fast == full
        written = canonical.dumps(full)
        said["rewritten"] = written == tomli_w.dumps(canonical.to_document(full), multiline_strings=False).encode()
        said["round_trip"] = ledgerfile.loads(written) == full
        try:
            fastwrite.entries(full.entries)
            said["fast_writer"] = True
        except fastwrite.Unsupported:
            said["fast_writer"] = False
        back = cache.decode(cache.encode(full, "0" * 64, b"k" * 32), "0" * 64, b"k" * 32)
        said["cache_round_trip"] = back == full
    return said

folder = Path(DATA["folder"])
result = {name: outcome(base64.b64decode(b), folder / f"{name}.toml") for name, b in DATA["files"].items()}
try:
    cache.decode(base64.b64decode(DATA["cache"]), "0" * 64, b"k" * 32)
    result["old_cache"] = "read"
except cache.CacheMiss:
    result["old_cache"] = "refused"
result["digest"] = schema.digest()
result["signature"] = cache.SIGNATURE_DIGEST
result["supported"] = [fastread.SUPPORTED, fastwrite.SUPPORTED, cache.SUPPORTED]
print(__import__("json").dumps(result))
"""


def with_entry(**changes: Any) -> Ledger:
    ledger = small_ledger()
    first, *rest = ledger.entries
    entry = Entry.model_validate({**first.model_dump(), **changes})
    return ledger.model_copy(update={"entries": (entry, *rest)})


def name_limit() -> tuple[list[Patch], Ledger, Ledger]:
    return (
        [("pledgetui.schema", "MAX_NAME = 500\n", "MAX_NAME = 400\n")],
        with_entry(summary="s" * 399),
        with_entry(summary="s" * 450),
    )


def vocabulary() -> tuple[list[Patch], Ledger, Ledger]:
    source = (store.Path(store.__file__).parent / "vocab.py").read_text(encoding="utf-8")
    lines = [line for line in source.splitlines(keepends=True) if "PROVIDES" in line]
    assert len(lines) == 3  # the member, its label, its short label
    return (
        [("pledgetui.vocab", line, "") for line in lines],
        with_entry(us_backstop=Backstop.REQUIRED),
        with_entry(us_backstop=Backstop.PROVIDES),
    )


def id_pattern() -> tuple[list[Patch], Ledger, Ledger]:
    return (
        [("pledgetui.schema", "{0,79}$", "{0,19}$")],  # ids of up to 20 characters
        with_entry(id="twenty-characters-20"),
        with_entry(id="twenty-one-characters"),
    )


@pytest.mark.parametrize("change", [name_limit, vocabulary, id_pattern])
def test_every_reader_and_writer_follows_a_change_of_one_constraint(change: Any, tmp_path: Any) -> None:
    patches, kept, refused = change()
    files = {"kept": canonical.dumps(kept), "refused": canonical.dumps(refused)}
    # Before the change both files are read, the same way, by the fast path and the full parser.
    for data in files.values():
        assert fastread.read(data) == ledgerfile.validate_document(tmp_path, ledgerfile.parse_document(tmp_path, data))
    old_cache = cache.encode(kept, SHA, KEY)
    said = run(
        patches,
        CHECK,
        {
            "folder": str(tmp_path),
            "files": {k: base64.b64encode(v).decode() for k, v in files.items()},
            "cache": base64.b64encode(old_cache).decode(),
        },
    )
    assert said["supported"] == [True, True, True]
    assert said["refused"] == {"fast": False, "full": False, "load": False}
    assert said["kept"] == {
        "fast": True,
        "full": True,
        "load": True,
        "same": True,
        "rewritten": True,
        "round_trip": True,
        "fast_writer": True,
        "cache_round_trip": True,
    }
    assert said["digest"] != schema.digest()
    assert said["signature"] != cache.SIGNATURE_DIGEST
    assert said["old_cache"] == "refused"  # a cache written under another schema is never read


def test_an_unchanged_schema_reads_as_before(tmp_path: Any) -> None:
    """The same run without a change: every reader accepts both files, the digest is the same
    (so the refusals above are the change's doing)."""
    _, kept, refused = name_limit()
    files = {"kept": canonical.dumps(kept), "refused": canonical.dumps(refused)}
    said = run(
        [],
        CHECK,
        {
            "folder": str(tmp_path),
            "files": {k: base64.b64encode(v).decode() for k, v in files.items()},
            "cache": base64.b64encode(cache.encode(kept, SHA, KEY)).decode(),
        },
    )
    assert said["refused"]["fast"] and said["refused"]["full"] and said["refused"]["load"]
    assert said["digest"] == schema.digest()
    assert said["old_cache"] == "read"


def test_each_model_agrees_with_its_record() -> None:
    assert records.agrees() == []
    assert records.SUPPORTED and fastread.SUPPORTED and fastwrite.SUPPORTED and cache.SUPPORTED
    from pledgetui.validation import TWINS

    for name, record in schema.RECORDS.items():
        cls = records.MODELS[name]
        assert tuple(cls.model_fields) == record.names
        assert tuple(cls.__slots__[: len(record.names)]) == record.names
        twin = TWINS[name]
        assert tuple(twin.model_fields) == record.names
        for f in record.fields:
            info = twin.model_fields[f.name]
            assert info.is_required() == f.required
            if not f.required:
                assert info.default == f.default


def test_the_cache_signature_carries_the_schema_digest() -> None:
    assert schema.digest() in cache.SIGNATURE
    assert all(repr(record.names) in cache.SIGNATURE for record in schema.RECORDS.values())


def test_a_model_that_differs_from_its_record_is_found() -> None:
    from typing import Annotated

    from pydantic import BaseModel, StringConstraints

    class Shorter(BaseModel):
        label: Annotated[str, StringConstraints(min_length=1, max_length=400)]
        low: int | None = None
        high: int | None = None

    problems = records.field_problems(Shorter, schema.QUANTITY)
    assert any("Shorter.label: constraints" in p for p in problems)
    assert any("Shorter.low: constraints" in p for p in problems)  # its bounds are missing


def test_the_digest_covers_every_constraint() -> None:
    import dataclasses

    before = schema.digest()
    summary = schema.ENTRY.field("summary")
    shorter = dataclasses.replace(summary, max_length=400)
    fields = tuple(shorter if f is summary else f for f in schema.ENTRY.fields)
    changed = dataclasses.replace(schema.ENTRY, fields=fields)
    try:
        schema.RECORDS["entry"] = changed
        assert schema.digest() != before
    finally:
        schema.RECORDS["entry"] = schema.ENTRY
    assert schema.digest() == before


def test_no_form_copies_a_constant_of_the_schema() -> None:
    """The limits and patterns are written once, in the schema module."""
    package = store.Path(store.__file__).parent
    for module in ("fastread", "fastwrite", "cache", "model", "records", "store", "journal"):
        text = (package / f"{module}.py").read_text(encoding="utf-8")
        for literal in ("500", "20_000", "100_000_000", "1_000_000_000", "{0,79}", "{0,199}"):
            assert literal not in text, f"{module}.py holds {literal}"
    assert not hasattr(fastread, "MAX_NAME")
    assert tomli_w  # the canonical writer is tomli_w's text (used in the edited interpreter)


def test_the_schema_needs_no_pydantic_and_the_file_formats_no_cache() -> None:
    """The schema is plain data (a compact record form can be built from it without pydantic);
    the canonical reader and writer do not depend on the cache."""
    import subprocess
    import sys

    from tests.factory import REPO

    script = (
        "import sys, pledgetui.schema\n"
        "assert 'pydantic' not in sys.modules, 'schema'\n"
        "import pledgetui.fastread, pledgetui.fastwrite\n"
        "assert 'pledgetui.cache' not in sys.modules, 'fastread'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_code_written_from_the_schema_takes_each_field_in_order() -> None:
    """The fast reader, the cache and the fast writer each write their per-record code from
    the schema at import: every field of each record they handle appears in it, in the
    schema's order, with the schema's limits."""
    import re

    def order(source: str, function: str, names: tuple[str, ...], pattern: str) -> None:
        body = source.split(f"def {function}(", 1)[1].split("\ndef ", 1)[0]
        found = [n for n in re.findall(pattern, body) if n in names]
        assert list(dict.fromkeys(found)) == list(names), function

    assert fastread._LAYOUT is not None
    for record in fastread._LAYOUT.built:
        keys = tuple(f.name for f in record.fields if not f.tables)
        order(fastread._LAYOUT.source, f"build_{record.name}", keys, r"\bv_(\w+) = ")
    assert f"<= {schema.MAX_NAME}:" in fastread._LAYOUT.source
    assert f"<= {schema.MAX_OFFSET}:" in fastread._LAYOUT.source
    for record in schema.RECORDS.values():
        order(cache.SOURCE, f"decode_{record.name}", record.names, r"(?m)^        .*?\bt_(\w+)")
        order(cache.SOURCE, f"encode_{record.name}", record.names, r"\bm\.(\w+)")
    for function, record in (("write_entries", schema.ENTRY), ("write_entries_evidence", schema.EVIDENCE)):
        keys = tuple(f.name for f in record.fields if not f.tables)
        order(fastwrite.SOURCE, function, keys, r"\bv_(\w+) = ")
    for source in (fastread._LAYOUT.source, cache.SOURCE, fastwrite.SOURCE):
        compile(source, "<written from the schema>", "exec")
