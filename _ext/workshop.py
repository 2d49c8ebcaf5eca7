"""Builder ``workshop``: the edition for one workshop, described in a TOML file
(``workshop_file.py`` reads and checks it).

``make workshop WORKSHOP=workshops/beispiel.toml`` writes ``_build/workshop/<slug>.pdf``:
a cover with the workshop's details, the chosen chapters in the chosen order (contents,
page numbers, the book's chapter numbers), "Begriffe" (the glossary entries the chapters
use), "Online weiterlesen" (the chapters left out that they refer to, each once with its
address; in the text such a reference reads as plain text), the sources they cite, a page
for notes, and "Auf einen Blick" for those chapters as the last page. The print design
and its checks are the book's: this is the PDF builder with another selection and
template. Bad input names the file and the key, and nothing is written.
"""

import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from handouts import cited_sources, page_address, sources_section, unlink_outside
from pdf import PDFBuilder
from workshop_file import Workshop, chapter_titles, read_workshop

logger = logging.getLogger(__name__)


class WorkshopBuilder(PDFBuilder):
    name = "workshop"
    epilog = "Die Workshop-Ausgabe liegt in %(outdir)s."

    def init(self) -> None:
        self.workshop = self.read_file()
        super().init()

    def has_input(self) -> bool:
        return self.workshop is not None

    def read_file(self) -> Workshop | None:
        source = self.config.workshop_file
        if not source:
            logger.warning("Keine Workshop-Datei angegeben: "
                           "make workshop WORKSHOP=workshops/beispiel.toml",
                           type="handbook", subtype="workshop")
            return None
        workshop, problems = read_workshop(Path(self.confdir, source), chapter_titles(self.srcdir))
        if problems:  # one message for all of them; nothing is written
            logger.warning("\n".join(f"{source}: {problem}" for problem in problems),
                           type="handbook", subtype="workshop")
        return workshop

    def write_documents(self, _docnames: Any) -> None:
        if self.workshop is None:
            return  # the problems are reported; nothing is written
        book = self.prepare_tree()
        by_doc = {chapter["docname"]: chapter for chapter in book.children}
        edition = book.copy()
        edition.extend(by_doc[doc].deepcopy() for doc in self.workshop.chapters)
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
            "toc": self.toc_entries(edition, extra, with_sections=not self.workshop.compact),
            "glance": "".join(self.short_answer(by_doc[doc]) for doc in self.workshop.chapters
                              if doc not in self.config.overview_leaves_out),
            "workshop": self.workshop,
            "logo": self.copy_logo(),
        }
        self.write_page("workshop.html", context, f"{self.workshop.name}.html")

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
        if self.workshop.compact:
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
        order = [chapter["docname"] for chapter in book.children]
        return [{"number": str(self.chapter_numbers.get(doc, "")),
                 "title": self.env.titles[doc].astext(),
                 "url": page_address(self.config.html_baseurl, doc,
                                     self.config.html_file_suffix or ".html")}
                for doc in sorted(docs, key=order.index)]

    def copy_logo(self) -> str:
        logo = self.workshop.logo
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
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

