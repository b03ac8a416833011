"""Baseline: Textual's built-in DataTable showing the rows of a CSV export (cells as Text, never markup).

python -m bench.datatable_app EXPORT.csv
"""

import csv
import sys

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

COLUMNS = (
    "id",
    "country",
    "commitment_type",
    "status",
    "conditions",
    "us_backstop",
    "claimant",
    "date_stated",
    "sources",
)


class Table(App[None]):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="table")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        with open(self.path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            rows = [tuple(Text(row[c]) for c in COLUMNS) for row in reader]
        table.add_columns(*COLUMNS)
        table.add_rows(rows)
        table.focus()


if __name__ == "__main__":
    Table(sys.argv[1]).run()
