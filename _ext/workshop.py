"""Builder ``workshop``: the edition for one workshop, described in a TOML file.

``make workshop WORKSHOP=workshops/beispiel.toml`` writes ``_build/workshop/<slug>.pdf``:
a cover with the workshop's details, the chosen chapters in the chosen order (table of
contents, page numbers, the book's chapter numbers), the sources they cite, a page for
notes, and "Auf einen Blick" for those chapters as the last page. A reference to a chapter
left out becomes plain text; "Online weiterlesen" lists those chapters once, with their
addresses, and the glossary entries the chapters use come along as "Begriffe". The print design and its
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
from pdf import PDFBuilder

logger = logging.getLogger(__name__)

REQUIRED = ("title", "date", "place", "trainer", "contact", "chapters")
OPTIONAL = ("logo", "duplex", "slug", "compact", "cover")
# "hell" prints on any office printer: no full-bleed ink; "dunkel" is the book's cover.
COVERS = ("hell", "dunkel")
LOGO_TYPES = {".png", ".jpg", ".jpeg", ".svg"}
SLUG = re.compile(r"\w[\w.-]*")  # one file name: no folder, no space


def slugify(text: str) -> str:
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def toml_problem(text: str, exc: tomllib.TOMLDecodeError) -> str:
    """A TOML syntax error in German: where it is, and what to write instead."""
    match = re.search(r"at line (\d+), column (\d+)", str(exc))
    lines = text.splitlines()
    line = lines[int(match[1]) - 1] if match and int(match[1]) <= len(lines) else ""
    if re.match(r"\s*\w+\s*=\s*\d{1,2}\.\d{1,2}\.\d{2,4}", line):
        hint = 'setzen Sie das Datum in Anführungszeichen: date = "2027-01-14"'
    elif re.match(r"\s*\w+\s*=\s*[^\s\"'\[\d{tf-]", line):
        hint = 'Text gehört in Anführungszeichen, etwa title = "Mein Workshop"'
    elif not match:
        hint = "eine Klammer oder ein Anführungszeichen wird nicht geschlossen"
    else:
        hint = "prüfen Sie Anführungszeichen, Kommas und Klammern"
    where = f"Zeile {match[1]}, Spalte {match[2]}" if match else "am Ende der Datei"
    return f"{where}: kein gültiges TOML – {hint} (Parser: {exc})"


def _loose(text: str) -> str:
    """*text* as a trainer may type it: any case, straight quotes, single spaces."""
    text = text.translate(str.maketrans("’‘„“”", "''\"\"\""))
    return " ".join(text.casefold().split())


def find_chapter(name: Any, titles: dict[str, str]) -> str | None:
    """The chapter *name* means: its number (5, "05"), its file name with or without
    ".md", or its title (in any case, or only the part before its colon)."""
    text = str(name).strip().removeprefix("chapters/").removesuffix(".md")
    for doc, title in titles.items():
        base = posixpath.basename(doc)
        if (not isinstance(name, bool) and text.isdigit() and base[:2].isdigit()
                and int(text) == int(base[:2])) or text == base \
                or _loose(text) in (_loose(title), _loose(title.partition(":")[0])):
            return doc
    return None


def read_workshop(path: Path, chapters: dict[str, str] | list[str]
                  ) -> tuple[dict[str, Any], list[str]]:
    """The workshop described in *path*, and every problem with it ("key: message").

    *chapters* are the handbook's chapter documents ("chapters/05-…") with their titles;
    the file names them by number, file name or title, in the order the workshop takes
    them."""
    titles = chapters if isinstance(chapters, dict) else {doc: "" for doc in chapters}
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        return {}, [f"Datei nicht lesbar ({exc.strerror})"]
    except tomllib.TOMLDecodeError as exc:
        return {}, [toml_problem(text, exc)]
    problems = [f"{key}: Angabe fehlt" for key in REQUIRED if key not in data]
    problems += [f"{key}: unbekannte Angabe (erlaubt: {', '.join(REQUIRED + OPTIONAL)})"
                 for key in data if key not in REQUIRED + OPTIONAL]
    for key in ("title", "place", "trainer", "contact", "slug"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            problems.append(f"{key}: muss ein nicht leerer Text sein")
    slug = data.get("slug")
    if isinstance(slug, str) and slug.strip() and not SLUG.fullmatch(slug):
        problems.append(f"slug: „{slug}“ taugt nicht als Dateiname; erlaubt sind Buchstaben, "
                        "Ziffern, Punkt, Binde- und Unterstrich, etwa vhs-koeln-2027-01")

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

    chosen = data.get("chapters", [])
    if "chapters" in data and (not isinstance(chosen, list) or not chosen):
        problems.append("chapters: muss eine Liste von Kapiteln sein, mindestens eines")
        chosen = []
    docs = []
    for name in chosen:
        doc = find_chapter(name, titles)
        if doc is None:
            choices = "; ".join(f"{posixpath.basename(d)[:2].lstrip('0')} "
                                f"{title or posixpath.basename(d)}" for d, title in titles.items())
            problems.append(f"chapters: unbekanntes Kapitel „{name}“; möglich sind die "
                            f"Nummern, Dateinamen oder Titel: {choices}")
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
    for key in ("duplex", "compact"):
        if not isinstance(data.get(key, False), bool):
            problems.append(f"{key}: muss true oder false sein")
    data.setdefault("compact", True)
    if data.setdefault("cover", "hell") not in COVERS:
        problems.append(f"cover: „{data['cover']}“ gibt es nicht; möglich sind "
                        + " oder ".join(f"„{c}“" for c in COVERS))
    if not problems:
        data.setdefault("slug", f"{date.isoformat()}-{slugify(data['title'])}")
    return data, problems


class WorkshopBuilder(PDFBuilder):
    name = "workshop"
    epilog = "Die Workshop-Ausgabe liegt in %(outdir)s."

    def init(self) -> None:
        self.workshop = self.read_file()
        super().init()

    def read_file(self) -> dict[str, Any] | None:
        source = self.config.workshop_file
        if not source:
            logger.warning("Keine Workshop-Datei angegeben: "
                           "make workshop WORKSHOP=workshops/beispiel.toml",
                           type="handbook", subtype="workshop")
            return None
        data, problems = read_workshop(Path(self.confdir, source), chapter_titles(self.srcdir))
        if problems:  # one message for all of them; nothing is written
            logger.warning("\n".join(f"{source}: {problem}" for problem in problems),
                           type="handbook", subtype="workshop")
            return None
        return data

    def write_documents(self, _docnames: Any) -> None:
        if self.workshop is None:
            return  # the problems are reported; nothing is written
        book = self.prepare_tree()
        by_doc = {chapter["docname"]: chapter for chapter in book.children}
        edition = book.copy()
        edition.extend(by_doc[doc].deepcopy() for doc in self.workshop["chapters"])
        if terms := self.glossary_entries(edition, book):
            edition.append(terms)
        cited = cited_sources(edition, book)
        if further := self.left_out(edition, book):
            edition.append(self.further_chapter(further))
        if cited:
            edition.append(self.sources_chapter(cited))
        unlink_outside(edition)  # a chapter left out reads as text; its address is listed once
        extra = [("notizen", "Notizen"), ("auf-einen-blick", "Auf einen Blick")]
        context = {
            **self.print_context(),
            "body": self.to_html(edition),
            "toc": self.render_toc(edition, extra, with_sections=not self.workshop["compact"]),
            "glance": "".join(short_answer(self, by_doc[doc]) for doc in self.workshop["chapters"]
                              if doc not in self.config.overview_leaves_out),
            "workshop": {**self.workshop, "date_text": german_date(self.workshop["date"])},
            "logo": self.copy_logo(),
        }
        self.write_page("workshop.html", context, f"{self.workshop['slug']}.html")

    def further_chapter(self, further: list[dict[str, str]]) -> nodes.Element:
        """"Online weiterlesen": the chapters left out that the edition refers to, each
        with its address, and the QR code of the whole handbook."""
        base = self.config.html_baseurl
        section = nodes.section("", nodes.title("", "Online weiterlesen"),
                                ids=["online-weiterlesen"], classes=["further"])
        section += nodes.paragraph("", "Diese Kapitel des Handbuchs nennt die Ausgabe, ohne "
                                   "sie zu enthalten" + (f"; alle stehen online unter {base}:"
                                                         if base else ":"))
        items = nodes.bullet_list(classes=["further-list"])
        for chapter in further:
            line = nodes.paragraph("", f"Kapitel {chapter['number']}: {chapter['title']}")
            if chapter["url"]:
                line += [nodes.Text(" – "), nodes.inline("", chapter["url"], classes=["further-url"])]
            items += nodes.list_item("", line)
        section += items
        if base:
            qr = self.templates.render("qr-online.html", {**self.print_context(),
                                                          "qr_label": "zum Handbuch"})
            section += nodes.raw("", qr, format="html")
        chapter = addnodes.start_of_file(docname="online-weiterlesen")
        chapter += section
        return chapter

    def sources_chapter(self, cited: list[nodes.citation]) -> nodes.Element:
        """The cited entries of the sources list as a chapter of their own."""
        chapter = addnodes.start_of_file(docname="quellen")
        chapter += sources_section(cited, "Quellen", "quellen")
        if self.workshop["compact"]:
            chapter[0]["classes"].append("compact-sources")  # two columns, addresses inline
        return chapter

    def glossary_entries(self, edition: nodes.Element, book: nodes.Element):
        """The glossary's entries for the terms *edition* uses but does not define, as a
        short chapter "Begriffe" (and the terms those entries use in turn)."""
        entries = {i: item for item in book.findall(nodes.definition_list_item)
                   for term in item.findall(nodes.term) for i in term.get("ids", [])}
        present = {i for node in edition.findall(nodes.Element) for i in node.get("ids", [])}
        chosen: list[nodes.Element] = []
        todo = [edition]
        while todo:
            part = todo.pop()
            for ref in part.findall(nodes.reference):
                target = ref.get("refid") or ref.get("refuri", "").removeprefix("#")
                item = entries.get(target)
                if item is not None and target not in present and item not in chosen:
                    chosen.append(item)
                    present |= {i for t in item.findall(nodes.term) for i in t.get("ids", [])}
                    todo.append(item)
        if not chosen:
            return None
        chosen.sort(key=lambda item: item.astext().casefold())
        chapter = addnodes.start_of_file(docname="begriffe")
        section = nodes.section("", nodes.title("", "Begriffe"), ids=["begriffe"])
        section += nodes.definition_list("", *(item.deepcopy() for item in chosen),
                                         classes=["glossary"])
        chapter += section
        return chapter

    def left_out(self, edition: nodes.Element, book: nodes.Element) -> list[dict[str, str]]:
        """The chapters left out that *edition* refers to: number, title, online address."""
        present = {i for node in edition.findall(nodes.Element) for i in node.get("ids", [])}
        owner = {}
        for chapter in book.children:
            for node in chapter.findall(nodes.Element):
                for i in node.get("ids", []):
                    owner[i] = chapter["docname"]
            owner[f"document-{chapter['docname']}"] = chapter["docname"]
        docs = []
        for ref in edition.findall(nodes.reference):
            target = ref.get("refid") or ref.get("refuri", "").removeprefix("#")
            doc = owner.get(target)
            if doc and target not in present and doc not in docs:
                docs.append(doc)
        base = self.config.html_baseurl
        order = [chapter["docname"] for chapter in book.children]
        return [{"number": str(self.chapter_numbers.get(doc, "")),
                 "title": self.env.titles[doc].astext(),
                 "url": posixpath.join(base, doc + (self.config.html_file_suffix or ".html"))
                 if base else ""}
                for doc in sorted(docs, key=order.index)]

    def copy_logo(self) -> str:
        logo = self.workshop.get("logo")
        if not logo:
            return ""
        target = Path(self.outdir, "_static", f"workshop-logo{logo.suffix.lower()}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(logo, target)
        return target.relative_to(self.outdir).as_posix()


def chapter_titles(srcdir: Path) -> dict[str, str]:
    """The chapter documents ("chapters/05-…") with their titles, read from the files."""
    titles = {}
    for file in sorted(Path(srcdir, "chapters").glob("[0-9][0-9]-*.md")):
        heading = next((line for line in file.read_text(encoding="utf-8").splitlines()
                        if line.startswith("# ")), "# ")
        titles[file.relative_to(srcdir).with_suffix("").as_posix()] = heading[2:]
    return titles


def main(argv: list[str]) -> int:
    """`python _ext/workshop.py FILE`: check a workshop file before Sphinx starts (make
    workshop does), so a typo is reported at once and as the last lines of the output."""
    if len(argv) != 1 or not argv[0].strip():
        print("Welche Workshop-Datei? make workshop WORKSHOP=workshops/beispiel.toml")
        return 2
    _data, problems = read_workshop(Path(argv[0]), chapter_titles(Path(__file__).parents[1]))
    for problem in problems:
        print(f"{argv[0]}: {problem}")
    return 1 if problems else 0


def setup(app: Sphinx) -> dict:
    app.setup_extension("pdf")
    app.add_config_value("workshop_file", "", "", types=[str])
    app.add_builder(WorkshopBuilder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
