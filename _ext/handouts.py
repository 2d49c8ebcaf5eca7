"""The handouts' parts: pure functions on doctrees, used by the print builder (pdf.py).

At a workshop the trainer often covers one topic and hands out just that. Each handout
has the handbook's print design without cover and table of contents: a compact title
block, the chapter, its footnoted URLs and, with ``html_baseurl`` set, a QR code of the
chapter's online address. Links to other chapters cannot work on a handout's pages, so
they turn into plain text; the sources a chapter cites are printed at its end instead, so
a handout still says where its facts come from. The overview gathers every chapter's
short answer.
"""

import math
import posixpath
from collections.abc import Callable

from docutils import nodes
from sphinx.application import Sphinx

FOLDER = "handouts"  # in the PDF build's folder, and in the HTML site
OVERVIEW = "00-auf-einen-blick"
# Characters per line of a source column (8 pt Lato, 86 mm). Measured against WeasyPrint's
# own layout of every handout's sources: the split this gives is never more than 0.3 pt
# from the best one.
COLUMN_CHARS = 50


def handout_name(docname: str) -> str:
    return posixpath.basename(docname)


def handout_file(docname: str, suffix: str = ".pdf") -> str:
    """Where a chapter's handout lies, below the PDF build's folder and below the site
    alike ("handouts/05-….pdf"); the take-home sheet is handout_file(OVERVIEW). Templates,
    the link check, the build's list of site files and the tests all ask here."""
    return f"{FOLDER}/{handout_name(docname)}{suffix}"


def page_address(base: str, docname: str, suffix: str) -> str:
    """The public address of the site's page *docname*; "" while the address is unknown."""
    return posixpath.join(base, docname + suffix) if base else ""


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
                    printed: Callable[[nodes.Element], str] | None = None) -> nodes.section:
    """The *cited* entries under *title*; given the *printed* text of an entry, in two
    columns of about equal height."""
    section = nodes.section("", nodes.title("", title), ids=[ident], classes=[ident])
    entries = [entry.deepcopy() for entry in cited]
    if printed is None:
        section.extend(entries)
        return section
    # Split here rather than by CSS columns: WeasyPrint balances those by growing them a
    # pixel per layout pass, which cost seconds a handout.
    first = even_split([math.ceil(len(" ".join(printed(entry).split())) / COLUMN_CHARS)
                        for entry in entries])
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


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict,
                  doctree: object) -> None:
    # The HTML pages link the handouts, which `make` copies into the site's handouts/.
    context.update(handout_file=handout_file, handout_overview=OVERVIEW)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _page_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
