"""Builder ``workshop``: the edition for one workshop, described in a TOML file.

``make workshop WORKSHOP=workshops/beispiel.toml`` writes ``_build/workshop/<slug>.pdf``:
a cover with the workshop's details, the chosen chapters in the chosen order (table of
contents, page numbers, the book's chapter numbers), the sources they cite, a page for
notes, and "Auf einen Blick" for those chapters as the last page. A reference to a chapter
left out becomes plain text with the chapter's online address. The print design and its
checks are the book's (this is the PDF builder with another selection and template).

Bad input names the file and the key, and nothing is written.
"""

import datetime
import posixpath
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from german import german_date
from handouts import cited_sources, short_answer, sources_section, unlink_outside
from pdf import PDFBuilder, local_id

logger = logging.getLogger(__name__)

REQUIRED = ("title", "date", "place", "trainer", "contact", "chapters")
OPTIONAL = ("logo", "duplex", "slug")
LOGO_TYPES = {".png", ".jpg", ".jpeg", ".svg"}


def slugify(text: str) -> str:
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def read_workshop(path: Path, chapters: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The workshop described in *path*, and every problem with it ("key: message").

    *chapters* are the handbook's chapter documents ("chapters/05-…"); the file names
    them without the folder, in the order the workshop takes them."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return {}, [f"Datei nicht lesbar ({exc.strerror})"]
    except tomllib.TOMLDecodeError as exc:
        return {}, [f"kein gültiges TOML: {exc}"]
    problems = [f"{key}: Angabe fehlt" for key in REQUIRED if key not in data]
    problems += [f"{key}: unbekannte Angabe (erlaubt: {', '.join(REQUIRED + OPTIONAL)})"
                 for key in data if key not in REQUIRED + OPTIONAL]
    for key in ("title", "place", "trainer", "contact", "slug"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            problems.append(f"{key}: muss ein nicht leerer Text sein")

    date = data.get("date")
    if isinstance(date, datetime.datetime):
        date = date.date()
    elif isinstance(date, str):
        try:
            date = datetime.date.fromisoformat(date)
        except ValueError:
            problems.append(f"date: „{date}“ ist kein Datum (JJJJ-MM-TT, etwa 2027-03-18)")
    elif "date" in data and not isinstance(date, datetime.date):
        problems.append("date: muss ein Datum sein (JJJJ-MM-TT, etwa 2027-03-18)")
    data["date"] = date

    known = {posixpath.basename(doc): doc for doc in chapters}
    chosen = data.get("chapters", [])
    if "chapters" in data and (not isinstance(chosen, list) or not chosen):
        problems.append("chapters: muss eine Liste von Kapiteln sein, mindestens eines")
        chosen = []
    docs = []
    for name in chosen:
        doc = known.get(str(name).removeprefix("chapters/"))
        if doc is None:
            problems.append(f"chapters: unbekanntes Kapitel „{name}“ "
                            f"(vorhanden: {', '.join(known)})")
        elif doc in docs:
            problems.append(f"chapters: Kapitel „{name}“ steht zweimal in der Liste")
        else:
            docs.append(doc)
    data["chapters"] = docs

    logo = data.get("logo")
    if logo is not None:
        if not isinstance(logo, str) or not logo.strip():
            problems.append("logo: muss ein Dateipfad sein")
        elif re.match(r"^([a-z][a-z0-9+.-]*:|//)", logo, re.I):
            problems.append(f"logo: „{logo}“ ist keine lokale Datei; das PDF lädt nichts "
                            "aus dem Netz")
        else:
            file = (path.parent / logo).resolve()
            if not file.is_file():
                problems.append(f"logo: Datei „{logo}“ fehlt (gesucht: {file})")
            elif file.suffix.lower() not in LOGO_TYPES:
                problems.append(f"logo: {file.suffix or 'ohne Endung'} geht nicht; "
                                f"erlaubt sind {', '.join(sorted(LOGO_TYPES))}")
            data["logo"] = file
    if not isinstance(data.get("duplex", False), bool):
        problems.append("duplex: muss true oder false sein")
    if not problems:
        data.setdefault("slug", f"{date.isoformat()}-{slugify(data['title'])}")
    return data, problems


class WorkshopBuilder(PDFBuilder):
    name = "workshop"
    epilog = "Die Workshop-Ausgabe liegt in %(outdir)s."

    def init(self) -> None:
        super().init()
        self.workshop: dict[str, Any] | None = None
        source = self.config.workshop_file
        if not source:
            logger.warning("Keine Workshop-Datei angegeben: "
                           "make workshop WORKSHOP=workshops/beispiel.toml",
                           type="handbook", subtype="workshop")
            return
        chapters = sorted(p.relative_to(self.srcdir).with_suffix("").as_posix()
                          for p in Path(self.srcdir, "chapters").glob("[0-9][0-9]-*.md"))
        data, problems = read_workshop(Path(self.confdir, source), chapters)
        for problem in problems:
            logger.warning("%s: %s", source, problem, type="handbook", subtype="workshop")
        if not problems:
            self.workshop = data

    def write_documents(self, _docnames: Any) -> None:
        if self.workshop is None:
            return  # the problems are reported; nothing is written
        book = self.prepare_tree()
        by_doc = {chapter["docname"]: chapter for chapter in book.children}
        edition = book.copy()
        edition.extend(by_doc[doc].deepcopy() for doc in self.workshop["chapters"])
        if cited := cited_sources(edition, book):
            edition.append(self.sources_chapter(cited))
        unlink_outside(edition, self.online_address(book))
        extra = [("notizen", "Notizen"), ("auf-einen-blick", "Auf einen Blick")]
        context = {
            **self.print_context(),
            "body": self.to_html(edition),
            "toc": self.render_toc(edition, extra),
            "glance": "".join(short_answer(self, by_doc[doc]) for doc in self.workshop["chapters"]
                              if doc not in self.config.overview_leaves_out),
            "workshop": {**self.workshop, "date_text": german_date(self.workshop["date"])},
            "logo": self.copy_logo(),
        }
        self.write_page("workshop.html", context, f"{self.workshop['slug']}.html")

    def sources_chapter(self, cited: list[nodes.citation]) -> nodes.Element:
        """The cited entries of the sources list as a chapter of their own."""
        chapter = addnodes.start_of_file(docname="quellen")
        chapter += sources_section(cited, "Quellen", "quellen")
        return chapter

    def online_address(self, book: nodes.Element):
        """The online address of any id in *book*, for references to chapters left out."""
        base = self.config.html_baseurl
        owner = {}
        for chapter in book.children:
            doc = chapter["docname"]
            owner[f"document-{doc}"] = (doc, "")
            prefix = local_id(doc, "")
            for node in chapter.findall(nodes.Element):
                for i in node.get("ids", []):
                    owner[i] = (doc, i.removeprefix(prefix))

        def address(target: str) -> str:
            if not base or target not in owner:
                return ""
            doc, fragment = owner[target]
            page = posixpath.join(base, doc + (self.config.html_file_suffix or ".html"))
            return f"{page}#{fragment}" if fragment else page
        return address

    def copy_logo(self) -> str:
        logo = self.workshop.get("logo")
        if not logo:
            return ""
        target = Path(self.outdir, "_static", f"workshop-logo{logo.suffix.lower()}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(logo, target)
        return target.relative_to(self.outdir).as_posix()


def setup(app: Sphinx) -> dict:
    app.setup_extension("pdf")
    app.add_config_value("workshop_file", "", "", types=[str])
    app.add_builder(WorkshopBuilder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
