"""Directive ``platform-table``: a comparison table of the three platforms, read from CSV.

Each CSV row is one statement about all three platforms, and says what kind it is:

    Merkmal,Art,XING,LinkedIn,Facebook,Quellen
    Wo Neuigkeiten erschienen,Praxis,Im Ticker,…,In der Timeline,
    Gruppen,Heute,Seit 11. Januar 2023 abgeschaltet,…,…,ibusiness-xing-gruppen-2022

``Praxis`` rows give the experience of the discussions the source FAQ summarises (undated)
and carry no source;
``Heute`` rows are facts as of the Stand date and must name keys of references.bib.
The table shows the kind as a badge and the sources as citations in the first column.

It is docutils' ``csv-table`` with guarantees on top, so a slip in a data file fails the
build with the file and line instead of printing a lopsided or unsourced table.
"""

import csv
import io
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.tables import CSVTable
from sphinx.application import Sphinx

from german import count, german_date

PLATFORMS = ["XING", "LinkedIn", "Facebook"]
HEADER = ["Merkmal", "Art", *PLATFORMS, "Quellen"]
# The kind of statement a row makes, and the badge that shows it (sphinx-design roles).
KINDS = {"Praxis": "bdg-secondary-line", "Heute": "bdg-primary"}


class PlatformTable(CSVTable):
    required_arguments = 1  # the caption
    optional_arguments = 0
    final_argument_whitespace = True
    option_spec = {
        "file": directives.path,
        "name": directives.unchanged,
        "widths": CSVTable.option_spec["widths"],
    }

    def run(self) -> list[nodes.Node]:
        if "file" not in self.options:
            raise self.error('"platform-table" braucht die Option :file: (eine CSV-Datei).')
        env = self.state.document.settings.env
        rel, path = env.relfn2path(self.options["file"], env.docname)
        env.note_dependency(rel)
        known = env.get_domain("cite").bibdata.data.entries
        self.rows = self._validate(Path(path), rel, known)
        self.options.update({"header-rows": 1, "stub-columns": 1, "encoding": "utf-8"})
        self.options.setdefault("class", []).append("platform-table")
        table_nodes = super().run()
        for table in table_nodes:
            self._label_cells(table)
        note = nodes.paragraph(
            "", "„Praxis“: Erfahrung aus den Diskussionen der FAQ (undatiert). "
            f"„Heute“: geprüft am {german_date(env.config.stand)}, Quellen in eckigen Klammern.",
            classes=["table-note"])
        box = nodes.container("", *table_nodes, note, classes=["platform-table-box"])
        return [box]

    def get_csv_data(self) -> tuple[list[str], str]:
        """The rows as shown: kind and sources move into the first column (MyST markup)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["Merkmal", *PLATFORMS])
        for feature, kind, cells, keys in self.rows:
            label = f"{{{KINDS[kind]}}}`{kind}`"
            if keys:
                label += f" {{cite:p}}`{','.join(keys)}`"
            writer.writerow([f"{feature} {label}", *cells])
        return out.getvalue().splitlines(), self.options["file"]

    @staticmethod
    def _label_cells(table: nodes.Element) -> None:
        """Put the platform's name into each cell, for phones (shown only there)."""
        for body in table.findall(nodes.tbody):
            for row in body.children:
                for platform, entry in zip(PLATFORMS, row.children[1:], strict=True):
                    label = nodes.inline("", platform, classes=["cell-label"])
                    if entry.children and isinstance(entry[0], nodes.paragraph):
                        entry[0].insert(0, label)

    def _validate(self, path: Path, rel: str, known) -> list[tuple[str, str, list, list]]:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise self.error(f"{rel}: kann nicht gelesen werden ({exc.strerror}).") from exc
        reader = csv.reader(text.splitlines(), strict=True, skipinitialspace=True)
        rows = []
        try:
            header = next(reader, [])
            if header != HEADER:
                raise self.error(
                    f"{rel}:1: Kopfzeile muss genau {','.join(HEADER)} lauten, "
                    f"nicht {','.join(header) or 'leer'}.")
            for row in reader:
                line = reader.line_num
                if not row:
                    continue
                if len(row) != len(HEADER):
                    raise self.error(
                        f"{rel}:{line}: {count(len(row), 'Zelle', 'Zellen')} statt "
                        f"{len(HEADER)} ({', '.join(HEADER)}).")
                feature, kind, *cells, sources = row
                for platform, cell in zip(PLATFORMS, cells, strict=True):
                    if not cell.strip():
                        raise self.error(f"{rel}:{line}: leere Zelle für {platform}.")
                if kind not in KINDS:
                    raise self.error(f"{rel}:{line}: Art muss {' oder '.join(KINDS)} sein, "
                                     f"nicht „{kind}“.")
                keys = sources.split()
                if kind == "Heute" and not keys:
                    raise self.error(f"{rel}:{line}: eine Zeile „Heute“ braucht eine Quelle "
                                     "(Schlüssel aus references.bib).")
                if kind == "Praxis" and keys:
                    raise self.error(f"{rel}:{line}: eine Zeile „Praxis“ gibt Erfahrungen "
                                     "wieder und nennt keine Quelle; belegte Aussagen sind „Heute“.")
                for key in keys:
                    if key not in known:
                        raise self.error(f"{rel}:{line}: unbekannte Quelle „{key}“ "
                                         "(nicht in references.bib).")
                rows.append((feature, kind, cells, keys))
        except csv.Error as exc:
            raise self.error(f"{rel}:{reader.line_num}: kein gültiges CSV ({exc}).") from exc
        if not rows:
            raise self.error(f"{rel}: enthält keine Zeilen unter der Kopfzeile.")
        return rows


def setup(app: Sphinx) -> dict:
    app.setup_extension("stand")  # the table note names the Stand
    app.add_directive("platform-table", PlatformTable)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
