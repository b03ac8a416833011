"""Run code in a fresh interpreter where modules of pledgetui are edited before anything imports them.

``run(patches, script, data)``: each patch is (module, old text, new text), applied to the
module's source as it is on disk (the old text must occur exactly once), in order, each
module run once with all of its edits, before
``script`` runs; ``data`` (JSON) is the script's ``DATA``; what it prints last (JSON) is returned.
This is what editing the module would do: every other module imports the edited one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.factory import REPO

_PRELUDE = """
import importlib.util, json, pathlib, sys
import pledgetui
edits = {}
for name, old, new in json.loads(sys.argv[1]):
    edits.setdefault(name, []).append((old, new))
for name, changes in edits.items():
    spec = importlib.util.find_spec(name)
    source = pathlib.Path(spec.origin).read_text(encoding="utf-8")
    for old, new in changes:
        if source.count(old) != 1:
            raise SystemExit(f"{name}: {old!r} occurs {source.count(old)} times")
        source = source.replace(old, new)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    exec(compile(source, spec.origin, "exec"), module.__dict__)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)
DATA = json.loads(sys.stdin.read())
"""

Patch = tuple[str, str, str]


def run(patches: list[Patch], script: str, data: Any) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", _PRELUDE + script, json.dumps(patches)],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
