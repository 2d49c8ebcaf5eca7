"""Every statement of today's facts names its source.

Where the handbook states what a platform or a law does today (a box "Heute", and the
chapters listed in ``sourced_documents``: the settings, safety and legal chapters), each
paragraph carries a citation (``{cite:p}``), refers to the place where the fact is
sourced (``{numref}``, ``{ref}``), or says „nicht belegt“. An editors' recommendation
there rests on at least one citation. Exempt are what is not a statement of fact: the
boxes "Kurz gesagt", the FAQ's experience ("Aus der Praxis"), the legal disclaimer, the
checklist "Für die Praxis", the Stand badge on its own, a provenance line (a badge
„Ergänzung der Redaktion“ or „Vorschlag der Redaktion“ and what it says) and a sentence
that introduces the list below it (ending in a colon).

The check reads every page's stored doctree on every build, so an unsourced statement
fails the build each time until it is fixed, not only when its page is re-read.
"""

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

UNSOURCED_MARK = "nicht belegt"
NOT_STATEMENTS = {"kurz-gesagt", "praxis", "warning"}
RECOMMENDATION = "ergaenzung"
CHECKLIST_TITLE = "Für die Praxis"
PROVENANCE = {"Ergänzung der Redaktion", "Vorschlag der Redaktion"}


def _classes(node: nodes.Element) -> set[str]:
    return set(node.get("classes", []))


def _is_sourced(node: nodes.Element) -> bool:
    for ref in node.findall(addnodes.pending_xref):
        if ref.get("refdomain") == "cite" or ref.get("reftype") in {"numref", "ref", "doc"}:
            return True
    return UNSOURCED_MARK in node.astext().lower()


def _exempt(paragraph: nodes.paragraph) -> bool:
    first = paragraph.children[0] if paragraph.children else None
    if isinstance(first, nodes.inline) and "sd-badge" in _classes(first):
        badge = first.astext()
        if badge in PROVENANCE or paragraph.astext().strip() == badge:
            return True  # a provenance line, or the Stand badge alone
    return paragraph.astext().rstrip().endswith(":")


def _inside(node: nodes.Node, test) -> bool:
    parent = node.parent
    while parent is not None:
        if test(parent):
            return True
        parent = parent.parent
    return False


def _checklist_section(node: nodes.Node) -> bool:
    return (isinstance(node, nodes.section) and node.children
            and node[0].astext() == CHECKLIST_TITLE)


def unsourced(doctree: nodes.document, whole_page: bool) -> list[nodes.Element]:
    """The paragraphs and recommendation boxes that state a fact without a source."""
    found: list[nodes.Element] = []

    def in_box(node, kinds) -> bool:
        return _inside(node, lambda p: isinstance(p, nodes.Admonition) and _classes(p) & kinds)

    for box in doctree.findall(nodes.Admonition):
        if whole_page and RECOMMENDATION in _classes(box) and not _is_sourced(box):
            found.append(box)
    for paragraph in doctree.findall(nodes.paragraph):
        if _exempt(paragraph) or _is_sourced(paragraph):
            continue
        if isinstance(paragraph.parent, nodes.list_item) and _is_sourced(paragraph.parent):
            continue  # an item whose source stands in a later paragraph of the same item
        if in_box(paragraph, NOT_STATEMENTS | {RECOMMENDATION}):
            continue
        if _inside(paragraph, _checklist_section) or _inside(paragraph, lambda p: isinstance(p, nodes.table)):
            continue
        if isinstance(paragraph.parent, nodes.caption) \
                or _inside(paragraph, lambda p: isinstance(p, nodes.figure)):
            continue
        if whole_page or in_box(paragraph, {"heute"}):
            found.append(paragraph)
    return sorted(found, key=lambda node: node.line or 0)


def check_sourced(app: Sphinx, env: BuildEnvironment) -> None:
    whole = set(app.config.sourced_documents)
    for docname in sorted(env.found_docs):
        doctree = env.get_doctree(docname)
        for node in unsourced(doctree, docname in whole):
            text = node.astext().replace("\n", " ")
            logger.warning(
                "Aussage ohne Quelle: „%s“ – belegen Sie sie mit {cite:p}`…`, verweisen Sie "
                "auf ihre Stelle oder schreiben Sie „nicht belegt – bitte selbst prüfen“.",
                text[:70] + ("…" if len(text) > 70 else ""),
                location=node, type="handbook", subtype="sourced")


def setup(app: Sphinx) -> dict:
    app.add_config_value("sourced_documents", [], "env", types=[list])
    app.connect("env-check-consistency", check_sourced)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
