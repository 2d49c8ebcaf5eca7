"""Builder ``pdf``: the handbook and its handouts as print-only HTML pages, typeset by
WeasyPrint (``typeset.py``): the book in ``<name>.pdf``, the handouts in ``handouts/``.
Both come from one build, so the sources are read once and all PDFs share the cores.

Sphinx's single-page builder assembles the chapters; this module fixes what that page
gets wrong for print:

* ids are only unique per source file, so two "Für die Praxis" sections would share one
  id once merged: every id gets its document's prefix, and every link is rewritten;
* cross-document links come out as ``#document-x#label`` (sphinx-doc/sphinx#14221),
  which WeasyPrint cannot follow: they become ``#x--label``;
* the root document is the screen landing page: the PDF starts with a cover and a table
  of contents instead, and ends with the Stichwortverzeichnis;
* external links get their URL as a footnote, internal ones a page number (print.css).
"""

import html
import re
from pathlib import Path
from typing import Any

import segno
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.environment.adapters.indexentries import IndexEntries
from sphinx.util import logging
from sphinx.util.osutil import copyfile, ensuredir
from sphinx.writers.html5 import HTML5Translator

from handouts import (
    OVERVIEW,
    cited_sources,
    handout_file,
    handout_name,
    page_address,
    sources_section,
    unlink_outside,
)
from layout import PRINT_LANG
from stand import template_values
from strict import warned
from typeset import Typesetter

logger = logging.getLogger(__name__)

SITE_FILES = "site-files.txt"  # in the build folder: the PDFs that belong on the site
EXTERNAL = re.compile(r"^(https?|mailto):", re.IGNORECASE)


def local_id(docname: str, old: str) -> str:
    """The id *old* of document *docname*, made unique in the one-page print HTML."""
    return re.sub(r"[^a-z0-9]+", "-", docname.lower()).strip("-") + "--" + old


def localise_ids(tree: nodes.Element, root: str) -> None:
    """Prefix every id with its document's slug and rewrite every link to match."""
    idmap: dict[tuple[str, str], str] = {}
    owner: dict[int, str] = {}

    def walk(node: nodes.Element, doc: str) -> None:
        if isinstance(node, addnodes.start_of_file):
            doc = node["docname"]
        owner[id(node)] = doc
        if node.get("ids"):
            new = []
            for old in node["ids"]:
                idmap[doc, old] = local_id(doc, old)
                new.append(idmap[doc, old])
            node["ids"] = new
        for child in node.children:
            if isinstance(child, nodes.Element):
                walk(child, doc)

    walk(tree, root)

    def lookup(doc: str, old: str) -> str | None:
        return idmap.get((doc, old)) or idmap.get((root, old))

    for node in tree.findall(nodes.Element):
        doc = owner[id(node)]
        if node.get("refid"):
            node["refid"] = lookup(doc, node["refid"]) or node["refid"]
        if node.get("backrefs"):
            node["backrefs"] = [lookup(doc, b) or b for b in node["backrefs"]]
        uri = node.get("refuri", "")
        if uri.startswith("#document-"):
            target_doc, _, fragment = uri[len("#document-"):].partition("#")
            if fragment:
                new = lookup(target_doc, fragment)
                if new is None:
                    logger.warning("Linkziel %s fehlt im PDF.", uri, location=node)
                    continue
                node["refuri"] = "#" + new


class PrintTranslator(HTML5Translator):
    """HTML for print: chapters as page-starting blocks, URLs kept for footnotes."""

    # A section's ids go into the first line of its heading. A heading kept with the
    # text after it may move to the next page while its section box, and even its own
    # top margin, start on this one; page numbers and link targets must name the page
    # the heading's text prints on, and only an inline box is sure to go with the text.
    def visit_section(self, node: nodes.Element) -> None:
        ids, node["ids"] = node["ids"], []
        super().visit_section(node)
        node["ids"] = ids

    def visit_title(self, node: nodes.Element) -> None:
        super().visit_title(node)
        if isinstance(node.parent, nodes.section):
            self.body.extend(f'<span id="{i}"></span>' for i in node.parent["ids"])

    def visit_start_of_file(self, node: nodes.Element) -> None:
        self.docnames.append(node["docname"])
        self.body.append(f'<div class="chapter" id="document-{node["docname"]}">')

    def depart_start_of_file(self, node: nodes.Element) -> None:
        self.body.append("</div>")
        self.docnames.pop()

    def add_secnumber(self, node: nodes.Element) -> None:
        # Sphinx finds section numbers on one page only for a builder named "singlehtml";
        # the print page numbers its chapters (the toctree numbers one level deep).
        if self.section_level == 1 and isinstance(node.parent, nodes.section):
            number = self.builder.chapter_numbers.get(self.docnames[-1])
            if number:
                self.body.append(f'<span class="section-number">{number}</span> ')

    def visit_reference(self, node: nodes.Element) -> None:
        if any("std-term" in child.get("classes", []) for child in node.children
               if isinstance(child, nodes.Element)):
            node["classes"].append("term-ref")
        super().visit_reference(node)

    def depart_reference(self, node: nodes.Element) -> None:
        super().depart_reference(node)
        uri = node.get("refuri", "")
        if EXTERNAL.match(uri) and node.astext().strip() != uri:
            shown = uri.removeprefix("mailto:")
            self.body.append(f'<span class="link-note">{html.escape(shown)}</span>')


class PDFBuilder(SingleFileHTMLBuilder):
    name = "pdf"
    epilog = "Das PDF und die Handouts liegen in %(outdir)s."
    search = False
    default_translator_class = PrintTranslator

    def init(self) -> None:
        super().init()
        # Each print page becomes one PDF. The workers fork here: only when there is
        # something to typeset, so bad input fails before any of them starts.
        self.typesetter = Typesetter(Path(self.outdir), self.config.pdf_known_page_numbers) \
            if self.has_input() else None
        self.pdfs: list[str] = []  # every PDF this build writes, below outdir

    def has_input(self) -> bool:
        return True

    # -- assembling ------------------------------------------------------------------
    def assemble_doctree(self) -> nodes.document:
        tree = super().assemble_doctree()
        # Only the chapters: the root document's own text is the screen landing page.
        chapters = [sof for sof in tree.findall(addnodes.start_of_file)
                    if not any(isinstance(a, addnodes.start_of_file) for a in _ancestors(sof))]
        tree.children = []
        tree.extend(chapters)
        localise_ids(tree, self.config.root_doc)
        return tree

    def write_documents(self, _docnames: Any) -> None:
        tree = self.prepare_tree()
        context = {**self.print_context(), "body": self.to_html(tree),
                   "toc": self.toc_entries(tree), "index": self.index_entries()}
        self.write_page("print.html", context, f"{self.config.pdf_basename}.html")
        self.write_handouts(tree)

    def write_handouts(self, tree: nodes.document) -> None:
        """One print page per chapter of *tree* (the assembled book), and the take-home
        sheet with every short answer, in the folder ``handouts``."""
        answers = []
        for chapter in tree.children:
            docname = chapter["docname"]
            single = tree.copy()
            single.append(chapter.deepcopy())
            if cited := cited_sources(single, tree):
                next(single.findall(nodes.section)).append(sources_section(
                    cited, "Quellen dieses Kapitels", "handout-sources", self.printed_text))
            unlink_outside(single)
            url = page_address(self.config.html_baseurl, docname,
                               self.config.html_file_suffix or ".html")
            context = {**self.print_context(url), "body": self.to_html(single),
                       "chapter_title": self.env.titles[docname].astext()}
            self.write_page("handout.html", context, handout_file(docname, ".html"))
            if docname not in self.config.overview_leaves_out:
                answers.append(self.short_answer(chapter))
        # The take-home sheet leads to the whole book online, when the build knows its address.
        context = {**self.print_context(), "body": "".join(answers), "overview": True,
                   "chapter_title": "Auf einen Blick"}
        self.write_page("handout.html", context, handout_file(OVERVIEW, ".html"))

    def short_answer(self, chapter: nodes.Element) -> str:
        """The chapter's "Kurz gesagt" box as a section of a page of short answers."""
        for box in chapter.findall(nodes.admonition):
            if "kurz-gesagt" in box["classes"]:
                doc = nodes.document(self.docsettings, chapter.document.reporter)
                section = nodes.section("", classes=["glance"],
                                        ids=[f"glance-{handout_name(chapter['docname'])}"])
                section += nodes.title("", self.env.titles[chapter["docname"]].astext())
                section.extend(child.deepcopy() for child in box.children
                               if not isinstance(child, nodes.title))
                doc += section
                return self.to_html(doc)
        return ""

    @staticmethod
    def printed_text(node: nodes.Element) -> str:
        """*node*'s text as printed: with the address after each external link."""
        notes = [ref["refuri"] for ref in node.findall(nodes.reference)
                 if EXTERNAL.match(ref.get("refuri", "")) and ref.astext().strip() != ref["refuri"]]
        return " ".join([node.astext(), *notes])

    # -- shared with the workshop builder ------------------------------------------------
    def prepare_tree(self) -> nodes.document:
        self.prepare_writing(self.env.all_docs.keys())
        tree = self.assemble_doctree()
        self.chapter_numbers = {doc: ".".join(map(str, numbers[""]))
                                for doc, numbers in self.env.toc_secnumbers.items()
                                if "" in numbers}
        # "Tabelle 6.1" as on screen: the translator looks numbers up by figure type and
        # id, and every id now carries its document's prefix.
        fignumbers: dict[str, dict[str, tuple[int, ...]]] = {}
        for doc, by_type in self.env.toc_fignumbers.items():
            for figtype, numbers in by_type.items():
                for old, number in numbers.items():
                    fignumbers.setdefault(figtype, {})[local_id(doc, old)] = number
        self.env.toc_secnumbers = self.assemble_toc_secnumbers()
        self.env.toc_fignumbers = self.assemble_toc_fignumbers()
        self.write_doc_serialized(self.config.root_doc, tree)
        # WeasyPrint starts on the first page while the next are written: it needs these.
        self.copy_image_files()
        self.copy_static_files()
        self.secnumbers, self.fignumbers = {}, fignumbers
        self.imgpath, self.dlpath = "_images", "_downloads"
        self.current_docname = self.config.root_doc
        return tree

    def to_html(self, tree: nodes.document) -> str:
        tree.settings = self.docsettings
        visitor = self.create_translator(tree, self)
        tree.walkabout(visitor)
        return "".join(visitor.fragment)

    def write_page(self, template: str, context: dict[str, Any], filename: str) -> Path:
        path = Path(self.outdir, filename)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.templates.render(template, context), encoding="utf-8")
        self.pdfs.append(path.with_suffix(".pdf").relative_to(self.outdir).as_posix())
        if self.typesetter and not self.failed():  # a failed build keeps its PDFs
            self.typesetter.submit(path)
        return path

    def print_context(self, url: str | None = None) -> dict[str, Any]:
        cfg = self.config
        url = cfg.html_baseurl if url is None else url
        return {
            **self.globalcontext,
            **template_values(cfg),
            "author": cfg.author,
            "print_lang": PRINT_LANG,
            "stand_iso": cfg.stand.isoformat(),
            "keywords": ", ".join(cfg.pdf_keywords),
            "online_url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=3, border=0) if url else "",
        }

    def toc_entries(self, tree: nodes.document,
                    extra: tuple = (("stichwortverzeichnis", "Stichwortverzeichnis"),),
                    with_sections: bool = True) -> list[dict[str, Any]]:
        """The contents (print-toc.html): chapters (and their sections, *with_sections*),
        then *extra* (anchor, title) entries."""
        entries = []
        for chapter in tree.children:
            sections = [s for s in chapter.children if isinstance(s, nodes.section)]
            if not sections:
                continue
            number = self.chapter_numbers.get(chapter["docname"])
            title = sections[0][0].astext()
            entries.append({
                "anchor": f"document-{chapter['docname']}",
                "title": f"{number} {title}" if number else title,
                "sections": [{"anchor": s["ids"][0], "title": s[0].astext()}
                             for s in sections[0].children
                             if with_sections and isinstance(s, nodes.section)]})
        return entries + [{"anchor": anchor, "title": title, "sections": []}
                          for anchor, title in extra]

    def index_entries(self) -> list[tuple[str, list]]:
        """Sphinx's own index (IndexEntries), its links pointing into the print page
        (print-index.html): [(letter, [(term, [anchor], [(subterm, [anchor])])])]."""

        def anchors(refs: list) -> list[str]:
            found = []
            for _main, uri in refs:
                doc, _, fragment = uri[len("#document-"):].partition("#")
                if doc != self.config.root_doc:  # the landing page is not part of the PDF
                    found.append(local_id(doc, fragment))
            return found

        return [(letter, [(name, anchors(refs), [(sub, anchors(subrefs)) for sub, subrefs in subs])
                          for name, (refs, subs, _key) in entries])
                for letter, entries in IndexEntries(self.env).create_index(self)]

    # -- output ------------------------------------------------------------------------
    def copy_static_files(self) -> None:
        # The print page needs its own stylesheet only, not the screen theme's files.
        ensuredir(self.outdir / "_static")
        copyfile(self.srcdir / "_static" / "print.css", self.outdir / "_static" / "print.css",
                 force=True)

    def failed(self) -> bool:
        # The build runs with -W: a warning fails it. Sphinx keeps going to report them
        # all, but the previous PDF must survive a failed build.
        return warned(self.app)

    def finish(self) -> None:
        failed = self.failed()
        if self.typesetter:
            self.typesetter.finish(commit=not failed)
        if not failed:
            # What `make` copies into the site, at the same paths: this build's PDFs only,
            # so a handout of a renamed chapter does not linger online.
            Path(self.outdir, SITE_FILES).write_text("".join(f"{pdf}\n" for pdf in self.pdfs),
                                                     encoding="utf-8")
        if failed:
            logger.warning("PDF nicht neu geschrieben: der Build hatte Warnungen.",
                           type="handbook", subtype="pdf_skipped")

def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def setup(app: Sphinx) -> dict:
    app.setup_extension("stand")  # the Stand, the file name, what the templates show
    app.setup_extension("handouts")
    app.setup_extension("strict")
    app.add_config_value("pdf_keywords", [], "env", types=[list])
    # "Auf einen Blick" is the participants' take-home sheet: the chapters named here
    # (about the book itself, for trainers) have no place on it.
    app.add_config_value("overview_leaves_out", [], "env", types=[list])
    # Off: WeasyPrint finds every link's page number afresh (layout.PageNumbers).
    app.add_config_value("pdf_known_page_numbers", True, "", types=[bool])
    app.add_builder(PDFBuilder)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
