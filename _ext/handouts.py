"""The handouts: one PDF per chapter, and one page "Auf einen Blick" (builder ``pdf``).

At a workshop the trainer often covers one topic and hands out just that. Each handout
has the handbook's print design without cover and table of contents: a compact title
block, the chapter, its footnoted URLs and, with ``html_baseurl`` set, a QR code of the
chapter's online address. Links to other chapters cannot work on a handout's pages, so
they turn into plain text; the sources a chapter cites are printed at its end instead, so
a handout still says where its facts come from. The overview gathers every chapter's
short answer.
"""

import json
import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from typeset import LocalOnlyFetcher, PDFError, layout_key, print_style

FOLDER = "handouts"  # in the PDF build's folder, and in the HTML site
OVERVIEW = "00-auf-einen-blick"


def handout_name(docname: str) -> str:
    return posixpath.basename(docname)


def cited_sources(part: nodes.Element, book: nodes.Element) -> list[nodes.citation]:
    """The entries of the sources list that *part* cites but does not contain, in order."""
    entries = {i: entry for entry in book.findall(nodes.citation) for i in entry["ids"]}
    present = {i for node in part.findall(nodes.Element) for i in node.get("ids", [])}
    cited = []
    for ref in part.findall(nodes.reference):
        target = ref.get("refid") or ref.get("refuri", "").removeprefix("#")
        if target in entries and target not in present and entries[target] not in cited:
            cited.append(entries[target])
    return cited


def sources_section(cited: list[nodes.citation], title: str, ident: str,
                    heights: dict[str, float] | None = None) -> nodes.section:
    """The *cited* entries under *title*; given their *heights*, in two even columns."""
    section = nodes.section("", nodes.title("", title), ids=[ident], classes=[ident])
    entries = [entry.deepcopy() for entry in cited]
    if heights is None:
        section.extend(entries)
        return section
    # Split here rather than by CSS columns: WeasyPrint balances those by growing them a
    # pixel per layout pass, which cost seconds a handout.
    first = even_split([heights[entry["ids"][0]] for entry in entries])
    section += nodes.container("", nodes.container("", *entries[:first], classes=["column"]),
                               nodes.container("", *entries[first:], classes=["column"]),
                               classes=["columns"])
    return section


def even_split(heights: list[float]) -> int:
    """How many of *heights* go into the first of two columns so that the taller column is
    as short as possible; on a tie the first column takes more, as in CSS columns."""
    total = sum(heights)
    return min(range(len(heights) + 1),
               key=lambda k: (max(sum(heights[:k]), total - sum(heights[:k])), -k))


def unlink_outside(tree: nodes.Element) -> None:
    """Links to targets that are not in *tree* become plain text."""
    ids = {i for node in tree.findall(nodes.Element) for i in node.get("ids", [])}
    ids |= {f"document-{sof['docname']}" for sof in tree.children}
    for ref in list(tree.findall(nodes.reference)):
        target = ref.get("refid") or ref.get("refuri", "").removeprefix("#")
        internal = "refid" in ref or ref.get("refuri", "").startswith("#")
        if internal and target not in ids:
            ref.replace_self(nodes.inline("", "", *ref.children, classes=["unlinked"]))


def write_handouts(builder, tree: nodes.document) -> None:
    """One print page per chapter of *tree* (the assembled book), and the overview, in
    *builder*'s folder ``handouts``."""
    singles = []
    for chapter in tree.children:
        single = tree.copy()
        single.append(chapter.deepcopy())
        singles.append((chapter, single, cited_sources(single, tree)))
    heights = source_heights(
        builder, list({entry["ids"][0]: entry for *_, cited in singles for entry in cited}.values()),
        tree)
    answers = []
    for chapter, single, cited in singles:
        docname = chapter["docname"]
        if cited:
            next(single.findall(nodes.section)).append(
                sources_section(cited, "Quellen dieses Kapitels", "handout-sources", heights))
        unlink_outside(single)
        page = docname + (builder.config.html_file_suffix or ".html")
        url = builder.config.html_baseurl and posixpath.join(builder.config.html_baseurl, page)
        context = {**builder.print_context(url), "body": builder.to_html(single),
                   "chapter_title": builder.env.titles[docname].astext()}
        builder.write_page("handout.html", context, f"{FOLDER}/{handout_name(docname)}.html")
        if docname not in builder.config.overview_leaves_out:
            answers.append(short_answer(builder, chapter))
    # The take-home sheet leads to the whole book online, when the build knows its address.
    context = {**builder.print_context(), "body": "".join(a for a in answers if a),
               "overview": True, "chapter_title": "Auf einen Blick"}
    builder.write_page("handout.html", context, f"{FOLDER}/{OVERVIEW}.html")


def source_heights(builder, entries: list[nodes.citation],
                   tree: nodes.document) -> dict[str, float]:
    """Each entry's height in a handout's source column. WeasyPrint lays them all out
    once, in the first column, on a page long enough to hold them; the heights are kept
    for the next build, which measures again only if the layout would differ."""
    if not entries:
        return {}
    probe = tree.copy()
    probe += sources_section(entries, "", "handout-sources",
                             dict.fromkeys((entry["ids"][0] for entry in entries), 0.0))
    page = builder.templates.render("handout.html", {
        **builder.print_context(""), "body": builder.to_html(probe), "chapter_title": ""})
    key = layout_key(page, builder.outdir)
    cache = builder.outdir / FOLDER / ".source-heights.json"
    try:
        known = json.loads(cache.read_text(encoding="utf-8"))
        if known["key"] == key:
            return known["heights"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none yet, or unreadable: measure
    heights = measure_sources(page, builder.outdir, [entry["ids"][0] for entry in entries])
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": key, "heights": heights}), encoding="utf-8")
    return heights


def measure_sources(page: str, root: Path, ids: list[str]) -> dict[str, float]:
    """The height of each source entry (by id) that *page* lays out in one column, with
    the print stylesheet below *root* (as the typesetting workers read it)."""
    from weasyprint import CSS, HTML

    style = print_style(root)
    document = HTML(string=page, base_url=f"{root}/", url_fetcher=LocalOnlyFetcher(root)).render(
        stylesheets=[*style["stylesheets"], CSS(string="@page { size: 210mm 5000mm !important }")],
        font_config=style["font_config"])
    heights = {}
    boxes = [document.pages[0]._page_box]
    while boxes:  # WeasyPrint has no public API for box geometry
        box = boxes.pop()
        element_id = box.element is not None and box.element.get("id")
        if element_id and box.element_tag == "div" and \
                "citation" in box.element.get("class", "").split():
            heights[element_id] = box.margin_height()
        boxes.extend(getattr(box, "children", []))
    missing = [i for i in ids if i not in heights]
    if missing or len(document.pages) > 1:
        raise PDFError(f"Quellen der Handouts nicht messbar: {', '.join(missing) or 'zu lang'}")
    return heights


def short_answer(builder, chapter: nodes.Element) -> str:
    """The chapter's "Kurz gesagt" box as a section of the overview page."""
    for box in chapter.findall(nodes.admonition):
        if "kurz-gesagt" in box["classes"]:
            doc = nodes.document(builder.docsettings, chapter.document.reporter)
            section = nodes.section("", classes=["glance"],
                                    ids=[f"glance-{handout_name(chapter['docname'])}"])
            section += nodes.title("", builder.env.titles[chapter["docname"]].astext())
            section.extend(child.deepcopy() for child in box.children
                           if not isinstance(child, nodes.title))
            doc += section
            return builder.to_html(doc)
    return ""


def _publish(app: Sphinx, config) -> None:
    # The HTML pages link the handouts, which `make` copies into the site's handouts/.
    config.html_context = {**config.html_context, "handout_dir": FOLDER,
                           "handout_overview": f"{OVERVIEW}.pdf"}


def setup(app: Sphinx) -> dict:
    # "Auf einen Blick" is the participants' take-home sheet: the chapters named here
    # (about the book itself, for trainers) have no place on it.
    app.add_config_value("overview_leaves_out", [], "env", types=[list])
    app.connect("config-inited", _publish)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
