"""Directive ``recheck-list``: what a trainer checks again before the day.

One checklist line per section of the book that states today's facts: the chapter, the
section (linked) and the sources it cites, whose entries in the list of sources give
title, date and address. The lines are generated from the chapters' own citations (in
the text and in the comparison tables' CSV files), so the list never lags behind the
book; the page is rebuilt whenever a chapter or a table changes.
"""

import csv
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from myst_parser.slugs import github_slugify
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

CITE = re.compile(r"\{cite:p\}`([^`]+)`")
HEADING = re.compile(r"^(#{1,3}) (.+)$")
LABEL = re.compile(r"^\((kap-[\w-]+)\)=$")
TABLE_FILE = re.compile(r"^:file: (\S+\.csv)$", re.M)
MARKUP = re.compile(r"\{\w+(?::\w+)?\}`([^`<]*?)(?: <[^`]*>)?`")


def sections(text: str, folder: Path) -> tuple[str | None, list[tuple[str, list[str]]]]:
    """The chapter's label and, per section, its title and the keys it cites, in order."""
    label, found = None, []
    title, keys = None, []

    def close():
        if title and keys:
            found.append((title, list(dict.fromkeys(keys))))

    for line in text.splitlines():
        if (match := LABEL.match(line)) and label is None:
            label = match[1]
        elif match := HEADING.match(line):
            close()
            title, keys = MARKUP.sub(r"\1", match[2]).strip(), []
        else:
            for cited in CITE.findall(line):
                keys += [key.strip() for key in cited.split(",")]
            if match := TABLE_FILE.match(line.strip()):
                keys += table_keys(folder / match[1])
    close()
    return label, found


def table_keys(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as data:
        return [key for row in csv.DictReader(data) for key in row["Quellen"].split()]


class RecheckList(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        lines = []
        for docname in self._chapters():
            path = Path(self.env.doc2path(docname))
            self.env.note_dependency(str(path))
            text = path.read_text(encoding="utf-8")
            for table in TABLE_FILE.findall(text):
                self.env.note_dependency(str(path.parent / table))
            label, found = sections(text, path.parent)
            for title, keys in found:
                where = f"{{numref}}`{label}`" if label else ""
                anchor = github_slugify(title)
                lines.append(f"- [ ] {where}, [{title}]({Path(docname).name}.md#{anchor}): "
                             f"{{cite:p}}`{','.join(keys)}`")
        container = nodes.container(classes=["recheck-list"])
        self.state.nested_parse(StringList(lines, source=self.env.docname), self.content_offset,
                                container)
        return [container]

    def _chapters(self) -> list[str]:
        """The chapters beside this page, in reading order (their names are numbered)."""
        folder = str(Path(self.env.docname).parent)
        return [doc for doc in sorted(self.env.found_docs)
                if str(Path(doc).parent) == folder and doc != self.env.docname]


def setup(app: Sphinx) -> dict:
    app.add_directive("recheck-list", RecheckList)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
