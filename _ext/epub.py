"""The e-reader edition, built by Sphinx's own epub builder: what it needs beyond conf.py.

* A cover drawn from the handbook's own title, subtitle, author and Stand (SVG), so it
  can never show an old date.
* Diagrams as PNG: graphviz writes SVG with a DOCTYPE that declares external entities,
  which EPUB 3 forbids.
* Its own stylesheet (``_static/epub.css``): the comparison tables stacked per platform,
  as on a phone, because a 6-inch screen has no room for four columns.
* The publication date is the Stand, not the day of the build.
* German for the few words Sphinx's builder writes itself (it has no translation for them):
  the table of contents' heading, the cover's name, the footnotes' heading.

The last two are the builder's own: a subclass of Sphinx's EPUB 3 builder takes its place.
"""

import html
import textwrap
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder

from german import german_date

COVER = "_static/epub-cover.svg"


def cover_svg(config) -> str:
    """A plain A-format cover: title, subtitle, version, Stand, author."""
    lines = [(170, 64, 700, config.project)]
    y = 300
    for part in textwrap.wrap(config.subtitle, 34):  # SVG text does not wrap by itself
        lines.append((y, 34, 400, part))
        y += 46
    lines.append((y + 94, 30, 400, f"Version {config.version} · Stand: {german_date(config.stand)}"))
    lines.append((1480, 28, 400, config.author))
    text = "".join(
        f'<text x="80" y="{y}" font-size="{size}" font-weight="{weight}">{html.escape(t)}</text>'
        for y, size, weight, t in lines)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1600" '
            'viewBox="0 0 1000 1600" role="img" aria-label="Titelbild">'
            '<rect width="1000" height="1600" fill="#16324f"/>'
            f'<g fill="#ffffff" font-family="serif">{text}</g></svg>\n')


class HandbookEpubBuilder(Epub3Builder):
    guide_titles = {"toc": "Inhaltsverzeichnis", "cover": "Titelbild"}

    def init(self) -> None:
        super().init()
        # Every page says its language, the cover page too (Sphinx's tag names none).
        lang = self.config.language
        self.html_tag = ('<html xmlns="http://www.w3.org/1999/xhtml" '
                         f'xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" '
                         f'xml:lang="{lang}">')

    def content_metadata(self) -> dict:
        # dc:date and dcterms:modified: the Stand, not the time of the build.
        metadata = super().content_metadata()
        metadata["date"] = f"{self.config.stand:%Y-%m-%d}T00:00:00Z"
        return metadata

    def add_visible_links(self, tree: nodes.document, show_urls: str = "inline") -> None:
        super().add_visible_links(tree, show_urls)
        # Sphinx heads the URL footnotes with an English constant that no translation
        # (locale/) reaches: renamed once it is in the tree.
        for rubric in tree.findall(nodes.rubric):
            if rubric.astext() == "Footnotes":
                rubric.replace(rubric[0], nodes.Text("Fußnoten"))


def _prepare(app: Sphinx) -> None:
    if app.builder.name != "epub":
        return
    app.config.graphviz_output_format = "png"
    # graphviz writes an image map (.map) beside each PNG; the EPUB leaves it out, rightly.
    app.config.suppress_warnings = [*app.config.suppress_warnings, "epub.unknown_project_files"]
    # Sphinx lists every page it finds in its output folder; the cover page it wrote last
    # time would enter the reading order a second time (EPUBCheck RSC-005).
    Path(app.outdir, "epub-cover.xhtml").unlink(missing_ok=True)
    cover = Path(app.outdir, COVER)
    cover.parent.mkdir(parents=True, exist_ok=True)
    cover.write_text(cover_svg(app.config), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.setup_extension("stand")  # the cover shows the subtitle and the Stand
    app.add_builder(HandbookEpubBuilder, override=True)
    app.connect("builder-inited", _prepare)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
