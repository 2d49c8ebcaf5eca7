"""The handbook's sources: a German bibliography style and the rules every source obeys.

Facts about a platform or a law today cite an entry of ``chapters/references.bib``
(sphinxcontrib-bibtex). Each entry is ``@online`` with the source's own ``date`` (or
``o. J.`` where the source shows none) and the ``urldate`` on which the editors read it;
the "Quellen" chapter lists them as

    Verwaltungsgericht Köln: Titel (link). 22. Juli 2025, abgerufen am 27. November 2026.

The build fails, naming the .bib file and line, when an entry lacks its address or one
of its dates, was read or written after the Stand date (the Stand means "checked against
the sources on this date"), or is cited nowhere.
"""

import datetime
import re
from pathlib import Path

from docutils import nodes
from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.database import parse_file
from pybtex.plugin import register_plugin
from pybtex.richtext import HRef, Tag, Text
from pybtex.scanner import PybtexSyntaxError
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from german import german_date, german_month

logger = logging.getLogger(__name__)

STYLE = "handbuch"
UNDATED = "o. J."  # "ohne Jahr": the source itself shows no date
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse_date(value: str) -> tuple[datetime.date, str] | None:
    """An ISO date, a year-month or a year: its first possible day, and how to print it."""
    match = ISO_DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            date = datetime.date(year, month, day)
            return date, german_date(date)
        if month:
            date = datetime.date(year, month, 1)
            return date, german_month(date)
        return datetime.date(year, 1, 1), str(year)
    except ValueError:
        return None


def plain(text: str) -> str:
    """BibTeX protects names with braces; the reader should not see them."""
    return text.replace("{", "").replace("}", "")


class HandbookStyle(BaseStyle):
    """Who, what (linked), when written, when read: in German, numbered in citation order."""

    default_label_style = "number"
    default_sorting_style = "none"

    def format_entry(self, label, entry, bib_data=None):
        fields = entry.fields
        who = " / ".join(plain(str(person)) for person in entry.persons.get("author", []))
        parts = [Text(who, ": ") if who else Text(),
                 HRef(fields.get("url", ""), Tag("em", plain(fields.get("title", entry.key))))]
        if "note" in fields:
            parts.append(Text(", ", plain(fields["note"])))
        written = parse_date(fields.get("date", ""))
        read = parse_date(fields.get("urldate", ""))
        when = [written[1] if written else "Ohne Datum"]
        if read:
            when.append(f"abgerufen am {read[1]}")
        parts.append(Text(". ", ", ".join(when), "."))
        return FormattedEntry(entry.key, Text(*parts), label)


def check_syntax(app: Sphinx) -> None:
    """Name file and line of a .bib syntax error, where sphinxcontrib-bibtex would crash.

    The broken file is then left out, so the build goes on to report every citation that
    it leaves unresolved, and fails (-W)."""
    readable = []
    for name in app.config.bibtex_bibfiles:
        try:
            parse_file(Path(app.confdir, name), "bibtex")
            readable.append(name)
        except PybtexSyntaxError as exc:
            message = str(exc).split(": ", 1)[-1]
            logger.warning("%s:%s: Syntaxfehler in den Quellen (%s); die Datei wird nicht "
                           "gelesen.", name, exc.lineno, message,
                           type="handbook", subtype="sources")
    app.config.bibtex_bibfiles = readable


def entry_lines(bibfile: Path) -> dict[str, int]:
    """Line of each ``@type{key,`` in *bibfile*: pybtex does not keep them."""
    lines = {}
    for number, line in enumerate(bibfile.read_text(encoding="utf-8").splitlines(), 1):
        if match := re.match(r"\s*@\w+\s*\{\s*([^,\s]+)\s*,", line):
            lines[match[1]] = number
    return lines


def check_sources(app: Sphinx, env: BuildEnvironment) -> None:
    domain = env.get_domain("cite")
    cited = {target.key for ref in domain.citation_refs for target in ref.targets}
    stand = app.config.stand
    for bibfile, info in domain.bibdata.bibfiles.items():
        lines = entry_lines(bibfile)
        for key in info.keys:
            entry = domain.bibdata.data.entries[key]
            location = f"{bibfile}:{lines.get(key, 1)}"

            def problem(message: str) -> None:
                logger.warning("%s: Quelle „%s“ %s", location, key, message,
                               type="handbook", subtype="sources")

            if entry.type != "online":
                problem(f"ist @{entry.type}; Quellen sind @online.")
            if not entry.fields.get("url", "").startswith(("https://", "http://")):
                problem("hat keine Adresse (url).")
            for field, meaning in (("date", "Datum der Quelle"), ("urldate", "Lesedatum")):
                value = entry.fields.get(field)
                parsed = parse_date(value) if value else None
                if not value:
                    problem(f"hat kein {meaning} ({field}).")
                elif field == "date" and value == UNDATED:
                    continue
                elif not parsed:
                    problem(f"hat ein ungültiges {meaning}: {field} = {value} "
                            "(JJJJ-MM-TT, JJJJ-MM, JJJJ oder „o. J.“).")
                elif parsed[0] > stand:
                    problem(f"ist jünger als der Stand {german_date(stand)}: {field} = {value}. "
                            "Stand in conf.py anpassen, nachdem alle Quellen geprüft sind.")
            if key not in cited:
                problem("wird nirgends zitiert.")


def visit_citation(self, node: nodes.citation) -> None:
    # Docutils marks each entry role="doc-biblioentry", a role DPUB-ARIA 1.1 deprecated
    # and axe reports; inside docutils' role="list" wrapper a list item is what it is.
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup(app: Sphinx) -> dict:
    app.setup_extension("stand")  # sources are never younger than the Stand
    app.setup_extension("sphinxcontrib.bibtex")
    register_plugin("pybtex.style.formatting", STYLE, HandbookStyle)
    # pybtex looks a plugin up among all installed packages' entry points on every call,
    # and sphinxcontrib-bibtex asks for this one once per citation: half a second a build.
    register_plugin("pybtex.backends", "plaintext", PlainTextBackend, force=True)
    # Before sphinxcontrib-bibtex reads the files (its handler has the default priority).
    app.connect("builder-inited", check_syntax, priority=400)
    app.connect("env-check-consistency", check_sources)
    app.add_node(nodes.citation, override=True,
                 html=(visit_citation, HTML5Translator.depart_citation))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
