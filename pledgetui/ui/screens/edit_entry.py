"""The edit form: every field of an entry, validated through the model, errors shown next to each field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.selection_list import Selection

from pledgetui.edits import EditError, put_entry, validate_entry_fields
from pledgetui.model import (
    ActorType,
    Backstop,
    Basis,
    CommitmentType,
    Condition,
    Entry,
    EntryKind,
    Evidence,
    Ledger,
    Party,
    Quantity,
    Status,
    Vocabulary,
)
from pledgetui.sanitize import display_line
from pledgetui.ui.text import safe_line
from pledgetui.ui.widgets.safe_inputs import SafeInput, SafeTextArea

_NUMBER = re.compile(
    r"^\s*(?P<label>[^:;]+?)\s*:\s*(?:(?P<upto>up to)\s*)?(?P<low>[\d,_ ]+?)\s*(?:(?:-|–|to)\s*(?P<high>[\d,_ ]+?))?\s*$"
)

TEXT_FIELDS = ("id", "actor", "summary", "condition_detail", "numbers")
SELECT_FIELDS: dict[str, type[Vocabulary]] = {
    "kind": EntryKind,
    "actor_type": ActorType,
    "commitment": CommitmentType,
    "us_backstop": Backstop,
}
#: Each statement's stance, edited per statement (docs/coding.md, sections 3 to 5).
STANCE_SELECTS: dict[str, type[Vocabulary]] = {"party": Party, "basis": Basis, "status": Status}
LABELS = {
    "id": "Id (lower-case slug)",
    "kind": "Kind",
    "actor": "Actor",
    "actor_type": "Actor type",
    "commitment": "Commitment type",
    "conditions": "Conditions",
    "condition_detail": "Condition detail",
    "us_backstop": "US backstop dependency",
    "numbers": "Numbers (label: 20000; label: 20000-50000; label: up to 50000; …)",
    "summary": "One-line summary",
    "notes": "Notes",
    "evidence": "Statements (uncheck to remove one; the entry's status and claimant are derived from them)",
}


def numbers_text(entry: Entry | None) -> str:
    if entry is None:
        return ""
    parts = []
    for q in entry.numbers:
        if q.low is None:
            amount = f"up to {q.high}"
        elif q.high is None or q.high == q.low:
            amount = str(q.low)
        else:
            amount = f"{q.low}-{q.high}"
        parts.append(f"{q.label}: {amount}")
    return "; ".join(parts)


def parse_numbers(text: str) -> list[dict[str, Any]]:
    """``"troops: 20,000-50,000; countries: 26"`` -> quantity dicts. Raises ValueError naming the bad part."""
    out: list[dict[str, Any]] = []
    for part in (p for p in text.split(";") if p.strip()):
        m = _NUMBER.match(part)
        if not m:
            raise ValueError(f"cannot read {part.strip()!r}: write 'label: 20000' or 'label: 20000-50000'")
        first = int(re.sub(r"[,_ ]", "", m["low"]))
        if m["upto"]:
            if m["high"]:
                raise ValueError(f"cannot read {part.strip()!r}: 'up to' takes one number")
            item: dict[str, Any] = {"label": m["label"].strip(), "high": first}
        else:
            item = {"label": m["label"].strip(), "low": first}
            if m["high"]:
                item["high"] = int(re.sub(r"[,_ ]", "", m["high"]))
        Quantity.model_validate(item)
        out.append(item)
    return out


#: What a statement's conditions field holds for ``conditions = []`` (unconditional).
UNCONDITIONAL = "none"


def conditions_text(conditions: Sequence[Condition] | None) -> str:
    """A statement's own conditions as the form shows them: empty when it has none of its own
    (the entry's apply), ``none`` when it is unconditional, else their labels."""
    if conditions is None:
        return ""
    return ", ".join(c.label for c in conditions) or UNCONDITIONAL


def parse_conditions(text: str) -> list[str] | None:
    """The conditions field as data: None (the entry's), [] (``none``) or the values named,
    each a value, a label or an unambiguous prefix; ValueError names what cannot be read."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        return None
    if len(parts) == 1 and parts[0].lower() in (UNCONDITIONAL, "unconditional", "[]"):
        return []
    values: list[str] = []
    for part in parts:
        value = Condition.parse(part).value
        if value not in values:
            values.append(value)
    return values


class EditEntry(ModalScreen[Entry | None]):
    """Edit ``entry`` (a pledge or a counter-position; a new one when None); dismisses with the validated entry, or None on Escape."""

    HELP_TITLE = "Edit form"

    CSS_PATH = "edit_entry.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="edit_form.cancel"),
        Binding("ctrl+s", "save", "Apply", id="edit_form.save"),
    ]

    def __init__(
        self,
        ledger: Ledger,
        entry: Entry | None,
        *,
        replace_id: str | None,
        title: str,
        focus_statement: int | None = None,
    ) -> None:
        """``focus_statement``: the statement whose first field has focus (a statement just
        attached); None: the entry's id."""
        super().__init__()
        self.focus_statement = focus_statement
        self.ledger = ledger
        self.entry = entry
        self.replace_id = replace_id
        self.title_text = title
        self.errors: dict[str, list[str]] = {}
        self.initial: dict[str, str] = {}
        self.kept: list[int] = []  # the statements kept, by their index in the form
        self.shown_at_start: list[object] | None = None

    # ------------------------------------------------------------------ layout

    def _row(self, name: str, widget: Widget) -> ComposeResult:
        with Vertical(classes="field", id=f"field-{name}"):
            yield Label(LABELS[name])
            yield widget
            yield Static("", classes="error", id=f"error-{name}", markup=False)

    def compose(self) -> ComposeResult:
        p = self.entry
        with Vertical(id="dialog"):
            yield Static(safe_line(self.title_text, "bold"), id="dialog-title", markup=False)
            with VerticalScroll(id="form"):
                yield from self._row("id", SafeInput(p.id if p else "", compact=True, id="in-id"))
                yield from self._row("summary", SafeInput(p.summary if p else "", compact=True, id="in-summary"))
                yield from self._row("actor", SafeInput(p.actor if p else "", compact=True, id="in-actor"))
                for name, vocab in SELECT_FIELDS.items():
                    current = getattr(p, name) if p else None
                    options = [(m.label, m.value) for m in vocab]
                    default = {
                        "kind": EntryKind.PLEDGE,
                        "actor_type": ActorType.COUNTRY,
                        "us_backstop": Backstop.UNKNOWN,
                    }.get(name)
                    chosen = current or default
                    value = chosen.value if chosen is not None else Select.NULL
                    yield from self._row(
                        name, Select(options, value=value, allow_blank=default is None, compact=True, id=f"in-{name}")
                    )
                chosen = set(p.conditions) if p else set()
                yield from self._row(
                    "conditions",
                    SelectionList[str](
                        *(Selection(c.label, c.value, c in chosen) for c in Condition), id="in-conditions"
                    ),
                )
                yield from self._row(
                    "condition_detail",
                    SafeInput(p.condition_detail if p else "", compact=True, id="in-condition_detail"),
                )
                yield from self._row("numbers", SafeInput(numbers_text(p), compact=True, id="in-numbers"))
                yield from self._row("notes", SafeTextArea(p.notes if p else "", id="in-notes", soft_wrap=True))
                evidence = p.evidence if p else ()
                items = [
                    Selection(Content(f"[{i + 1}] {ev.source}: ").append(safe_line(_clip(ev.quote))), i, True)
                    for i, ev in enumerate(evidence)
                ]
                yield from self._row("evidence", SelectionList[int](*items, id="in-evidence"))
                for i, ev in enumerate(evidence):
                    yield from self._statement(i, ev)
            yield Static("", id="form-errors", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Apply (ctrl+s)", variant="primary", id="apply")
                yield Button("Cancel (esc)", id="cancel")

    def _statement(self, i: int, ev: Evidence) -> ComposeResult:
        """Statement ``i``'s stance: claimant, who relays it, party, basis, status, date."""
        with Vertical(classes="field statement", id=f"field-statement-{i}"):
            yield Label(Content(f"Statement [{i + 1}] {ev.source}: ").append(safe_line(_clip(ev.quote, 50))))
            with Horizontal(classes="named"):  # a label that stays once the field is filled
                yield Label("claimant")
                yield SafeInput(ev.claimant or "", placeholder="who says it", compact=True, id=f"in-ev{i}-claimant")
            with Horizontal(classes="named"):
                yield Label("relayed by")
                yield SafeInput(
                    ev.relayed_by or "",
                    placeholder="the outlet or agency passing the words on (empty when direct)",
                    compact=True,
                    id=f"in-ev{i}-relayed_by",
                )
            with Horizontal(classes="stance"):
                for name, vocab in STANCE_SELECTS.items():
                    current = getattr(ev, name, None)
                    yield Select(
                        [(m.label, m.value) for m in vocab],
                        value=current.value if current is not None else Select.NULL,
                        allow_blank=current is None,
                        prompt=name,
                        compact=True,
                        id=f"in-ev{i}-{name}",
                    )
            with Horizontal(classes="named"):
                yield Label("conditions")
                yield SafeInput(
                    conditions_text(ev.conditions),
                    placeholder="empty: the entry's; none: unconditional; or its own (peace deal, ceasefire)",
                    compact=True,
                    id=f"in-ev{i}-conditions",
                )
            stated = ev.stated.isoformat() if ev.stated else ""
            with Horizontal(classes="named"):
                yield Label("stated")
                yield SafeInput(
                    stated,
                    placeholder="YYYY-MM-DD, only when the article dates it",
                    compact=True,
                    id=f"in-ev{i}-stated",
                )
            yield Static("", classes="error", id=f"error-statement-{i}", markup=False)

    def on_mount(self) -> None:
        self.initial = {name: self.query_one(f"#in-{name}", Input).value for name in TEXT_FIELDS}
        self.initial["notes"] = self.query_one("#in-notes", TextArea).text
        first = f"#in-ev{self.focus_statement}-claimant" if self.focus_statement is not None else "#in-id"
        field = self.query(first).first(Input) if self.query(first) else self.query_one("#in-id", Input)
        field.focus()
        if field.id != "in-id":  # the whole statement in sight, its heading included
            self.call_after_refresh(self.query_one(f"#field-statement-{self.focus_statement}").scroll_visible)
        self.call_after_refresh(self._remember_shown)

    def _remember_shown(self) -> None:
        self.shown_at_start = self._shown_values()

    def _shown_values(self) -> list[object]:
        """Every field's value as shown: what Esc compares to know whether the form was changed."""
        values: list[object] = []
        for widget in self.query("#form *"):
            if isinstance(widget, Input | Select):
                values.append(widget.value)
            elif isinstance(widget, TextArea):
                values.append(widget.text)
            elif isinstance(widget, SelectionList):
                values.append(sorted(widget.selected))
        return values

    @property
    def changed(self) -> bool:
        return self.shown_at_start is not None and self._shown_values() != self.shown_at_start

    # ------------------------------------------------------------------ data

    def form_data(self) -> dict[str, Any]:
        """The form as entry data; raises EditError for fields that cannot even be read.

        A field the user did not touch keeps its stored value exactly (white space,
        the order of conditions, how a number range was written).
        """
        p = self.entry
        data: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []

        def kept(name: str, shown: str, parsed: Any, original: Any) -> Any:
            return original if p is not None and shown == self.initial.get(name) else parsed

        for name in ("id", "summary", "actor", "condition_detail"):
            shown = self.query_one(f"#in-{name}", Input).value
            data[name] = kept(name, shown, shown.strip(), getattr(p, name, None))
        for name in SELECT_FIELDS:
            value = self.query_one(f"#in-{name}", Select).value
            if value is not Select.NULL:
                data[name] = value
        selected = set(self.query_one("#in-conditions", SelectionList).selected)
        original_conditions = [c.value for c in p.conditions] if p else []
        if selected == set(original_conditions):
            data["conditions"] = original_conditions
        else:
            data["conditions"] = [c.value for c in Condition if c.value in selected]
        notes = self.query_one("#in-notes", TextArea).text
        data["notes"] = kept("notes", notes, notes.strip(), getattr(p, "notes", None))
        numbers = self.query_one("#in-numbers", Input).value
        if p is not None and numbers == self.initial.get("numbers"):
            data["numbers"] = [q.model_dump(exclude_none=True) for q in p.numbers]
        else:
            try:
                data["numbers"] = parse_numbers(numbers)
            except ValueError as exc:
                problems.append(("numbers", str(exc).removeprefix("1 validation error for Quantity\n")))
        keep = set(self.query_one("#in-evidence", SelectionList).selected)
        evidence = p.evidence if p else ()
        self.kept = [i for i in range(len(evidence)) if i in keep]
        data["evidence"] = []
        for k, i in enumerate(self.kept):
            try:
                data["evidence"].append(self._statement_data(i, evidence[i]))
            except ValueError as exc:
                problems.append((f"evidence[{k + 1}].conditions", str(exc)))
        if evidence and not data["evidence"]:
            problems.append(("evidence", "an entry needs at least one statement; keep one checked"))
        if problems:
            raise EditError(problems)
        return data

    def _statement_data(self, i: int, ev: Evidence) -> dict[str, Any]:
        """Statement ``i`` as data: its stored fields, with the stance as the form shows it
        (a claimant, relay or date left as it was keeps its stored value exactly)."""
        data = ev.model_dump(warnings=False)
        claimant = self.query_one(f"#in-ev{i}-claimant", Input).value
        if claimant != (ev.claimant or ""):
            data["claimant"] = claimant.strip()
        relayed_by = self.query_one(f"#in-ev{i}-relayed_by", Input).value
        if relayed_by != (ev.relayed_by or ""):
            data["relayed_by"] = relayed_by.strip()
        for name in STANCE_SELECTS:
            value = self.query_one(f"#in-ev{i}-{name}", Select).value
            data[name] = None if value is Select.NULL else value
        conditions = self.query_one(f"#in-ev{i}-conditions", Input).value
        if conditions != conditions_text(ev.conditions):
            data["conditions"] = parse_conditions(conditions)
        stated = self.query_one(f"#in-ev{i}-stated", Input).value.strip()
        if stated != (ev.stated.isoformat() if ev.stated else ""):
            data["stated"] = stated or None
        return data

    def validate_form(self) -> Entry:
        """The entry the form describes, checked by the model and against the ledger (unique id)."""
        data = self.form_data()
        if not data["evidence"]:
            raise EditError(
                [("evidence", "a new entry needs a statement: open the quote viewer (v), select a passage and press N")]
            )
        entry = validate_entry_fields(data)
        put_entry(self.ledger, entry, self.replace_id)  # dry run: integrity (unique id, known sources)
        return entry

    def show_errors(self, error: EditError) -> None:
        self.errors = error.by_field()
        for name, message in error.problems:
            m = re.match(r"evidence\[(\d+)\]\.(\w+)", name)
            if m:  # a statement's field: shown next to that statement
                k = int(m[1]) - 1
                shown = self.kept[k] if k < len(self.kept) else k
                self.errors.setdefault(f"statement-{shown}", []).append(f"{m[2]}: {message}")
        for static in self.query(".error").results(Static):
            name = (static.id or "").removeprefix("error-")
            messages = self.errors.get(name, [])
            static.update(Content(display_line("; ".join(messages))))
            static.set_class(bool(messages), "-shown")
        # Next to Apply, every problem by the field's name: the fields themselves may be scrolled out of view.
        named = [_problem_name(name, self.kept) + f": {message}" for name, message in error.problems]
        count = f"{len(named)} problem{'s' if len(named) != 1 else ''}"
        summary = f"{count}: " + "; ".join(named) + " (each is marked at its field)"
        self.query_one("#form-errors", Static).update(Content(display_line(summary)))
        first = next(iter(self.errors), None)
        if first and self.query(f"#field-{first}"):
            self.query_one(f"#field-{first}").scroll_visible()

    @on(Input.Changed)
    @on(Select.Changed)
    def _field_changed(self, event: Input.Changed | Select.Changed) -> None:
        """A field changed after Apply found a problem in it: the problem goes at once, not at
        the next Apply ("must not be empty" under a field just filled in)."""
        name = (event.control.id or "").removeprefix("in-")
        m = re.match(r"ev(\d+)-(\w+)$", name)
        key, prefix = (f"statement-{m[1]}", f"{m[2]}: ") if m else (name, "")
        messages = self.errors.get(key)
        if not messages:
            return
        kept = [message for message in messages if prefix and not message.startswith(prefix)]
        self.errors[key] = kept
        if self.query(f"#error-{key}"):
            static = self.query_one(f"#error-{key}", Static)
            static.update(Content(display_line("; ".join(kept))))
            static.set_class(bool(kept), "-shown")

    # ------------------------------------------------------------------ actions

    def action_save(self) -> None:
        try:
            entry = self.validate_form()
        except EditError as exc:
            self.show_errors(exc)
            return
        self.dismiss(entry)

    def action_cancel(self) -> None:
        """Close without applying; a changed form asks first (an Esc by mistake loses nothing)."""
        if not self.changed:
            self.dismiss(None)
            return
        from pledgetui.ui.screens.choice import ChoiceScreen

        def answered(answer: str | None) -> None:
            if answer == "discard":
                self.dismiss(None)

        self.app.push_screen(
            ChoiceScreen(
                "Discard your changes?",
                "You changed this form. Discard drops the changes; Keep editing returns to the form.",
                [("d", "discard", "Discard"), ("escape", "keep", "Keep editing")],
            ),
            answered,
        )

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()


def _problem_name(name: str, kept: list[int]) -> str:
    """A problem's field in the form's words: ``evidence[1].stated`` -> ``Statement 1, stated``."""
    m = re.match(r"evidence\[(\d+)\]\.(\w+)", name)
    if m:
        k = int(m[1]) - 1
        return f"Statement {(kept[k] if k < len(kept) else k) + 1}, {m[2]}"
    top = name.split(".", 1)[0].split("[", 1)[0]
    return LABELS.get(top, top.replace("_", " "))


def _clip(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
