"""Checklists ("- [ ]") as lists to tick with a pen, not as form controls.

MyST writes a disabled <input type="checkbox"> into every item. Screen readers announce
it as an unlabelled form field (axe: "label"), and it can't be ticked anyway. The item
keeps its class task-list-item; the box is drawn by CSS (handbook.css, print.css).
"""

from docutils import nodes
from sphinx.application import Sphinx


def _drop_checkboxes(app: Sphinx, doctree: nodes.document) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if raw.astext().startswith('<input class="task-list-item-checkbox"'):
            raw.parent.remove(raw)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", _drop_checkboxes)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
