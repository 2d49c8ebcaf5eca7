"""Diagrams (sphinx.ext.graphviz, SVG) with an accessible name.

Sphinx embeds SVG diagrams as <object> and puts the alt text inside as fallback
content, which assistive technology does not read as the object's name (axe:
"object-alt"). This adds role="img" and aria-label with the same alt text.
"""

import html

from sphinx.application import Sphinx
from sphinx.ext.graphviz import graphviz, render_dot_html


def _visit_graphviz(self, node: graphviz) -> None:
    start = len(self.body)
    try:  # render_dot_html always ends by raising SkipNode
        render_dot_html(self, node, node["code"], node["options"], filename=node.get("filename"))
    finally:
        alt = html.escape(node.get("alt", ""), quote=True)
        for i in range(start, len(self.body)):
            if self.body[i].startswith("<object ") and alt:
                self.body[i] = self.body[i].replace(
                    "<object ", f'<object role="img" aria-label="{alt}" ', 1)


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx.ext.graphviz")
    app.add_node(graphviz, override=True, html=(_visit_graphviz, None))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
