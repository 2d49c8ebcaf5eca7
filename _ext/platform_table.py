"""Directive ``platform-table``: a comparison table of the three platforms, read from CSV.

It is docutils' ``csv-table`` with three guarantees on top, so a slip in a data file
fails the build with the file and line instead of printing a lopsided table:
the header names exactly the platforms, every row has a cell for each of them, and no
platform cell is empty. Below the table it prints the "Stand" date and the source.
"""

import csv
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.tables import CSVTable
from sphinx.application import Sphinx

from stand import german_date

PLATFORMS = ["XING", "LinkedIn", "Facebook"]
DEFAULT_SOURCE = "Erfahrungen aus Workshops mit Freiberuflern und kleinen Unternehmen"


class PlatformTable(CSVTable):
    required_arguments = 1  # the caption
    optional_arguments = 0
    final_argument_whitespace = True
    option_spec = {
        "file": directives.path,
        "name": directives.unchanged,
        "source": directives.unchanged,
        "widths": CSVTable.option_spec["widths"],
    }

    def run(self) -> list[nodes.Node]:
        if "file" not in self.options:
            raise self.error('"platform-table" braucht die Option :file: (eine CSV-Datei).')
        env = self.state.document.settings.env
        rel, path = env.relfn2path(self.options["file"], env.docname)
        env.note_dependency(rel)
        self._validate(Path(path), rel)
        self.options.update({"header-rows": 1, "stub-columns": 1, "encoding": "utf-8"})
        self.options.setdefault("class", []).append("platform-table")
        table_nodes = super().run()
        for table in table_nodes:
            self._label_cells(table)
        source = self.options.get("source", DEFAULT_SOURCE)
        note = nodes.paragraph(
            "", f"Stand: {german_date(env.config.stand)} · Quelle: {source}",
            classes=["table-note"])
        box = nodes.container("", *table_nodes, note, classes=["platform-table-box"])
        return [box]

    @staticmethod
    def _label_cells(table: nodes.Element) -> None:
        """Put the platform's name into each cell, for phones (shown only there)."""
        for body in table.findall(nodes.tbody):
            for row in body.children:
                for platform, entry in zip(PLATFORMS, row.children[1:]):
                    label = nodes.inline("", platform, classes=["cell-label"])
                    if entry.children and isinstance(entry[0], nodes.paragraph):
                        entry[0].insert(0, label)

    def _validate(self, path: Path, rel: str) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise self.error(f"{rel}: kann nicht gelesen werden ({exc.strerror}).") from exc
        reader = csv.reader(text.splitlines(), strict=True, skipinitialspace=True)
        try:
            header = next(reader, [])
            if header[1:] != PLATFORMS:
                raise self.error(
                    f"{rel}:1: Kopfzeile muss nach der ersten Spalte genau "
                    f"{', '.join(PLATFORMS)} nennen, nicht {', '.join(header[1:]) or 'nichts'}.")
            rows = 0
            for row in reader:
                line = reader.line_num
                if not row:
                    continue
                rows += 1
                if len(row) != len(header):
                    raise self.error(
                        f"{rel}:{line}: {len(row)} Zellen statt {len(header)} "
                        f"(Merkmal + {len(PLATFORMS)} Plattformen).")
                for platform, cell in zip(PLATFORMS, row[1:]):
                    if not cell.strip():
                        raise self.error(f"{rel}:{line}: leere Zelle für {platform}.")
        except csv.Error as exc:
            raise self.error(f"{rel}:{reader.line_num}: kein gültiges CSV ({exc}).") from exc
        if not rows:
            raise self.error(f"{rel}: enthält keine Zeilen unter der Kopfzeile.")


def setup(app: Sphinx) -> dict:
    app.add_directive("platform-table", PlatformTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
