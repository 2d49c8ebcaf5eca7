"""The e-reader edition, built by Sphinx's own epub builder: what it needs beyond conf.py.

* A cover drawn from the handbook's own title, subtitle, author and Stand (SVG), so it
  can never show an old date.
* Diagrams as PNG: graphviz writes SVG with a DOCTYPE that declares external entities,
  which EPUB 3 forbids.
* Its own stylesheet (``_static/epub.css``): the comparison tables stacked per platform,
  as on a phone, because a 6-inch screen has no room for four columns.
* The publication date is the Stand (SOURCE_DATE_EPOCH), so two builds give one file.
* German for the few words Sphinx's builder writes itself (it has no translation for them):
  the table of contents' heading, the cover's name, the footnotes' heading.
"""

import calendar
import html
import os
import textwrap
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders import _epub_base

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


def _prepare(app: Sphinx) -> None:
    if app.builder.name != "epub":
        return
    app.config.graphviz_output_format = "png"
    # graphviz writes an image map (.map) beside each PNG; the EPUB leaves it out, rightly.
    app.config.suppress_warnings = [*app.config.suppress_warnings, "epub.unknown_project_files"]
    app.builder.guide_titles = {"toc": "Inhaltsverzeichnis", "cover": "Titelbild"}
    # Every page says its language, the cover page too (Sphinx's tag names none).
    lang = app.config.language
    app.builder.html_tag = ('<html xmlns="http://www.w3.org/1999/xhtml" '
                            f'xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" '
                            f'xml:lang="{lang}">')
    # Read at the time the URL footnotes are added; Sphinx's own comment says these
    # strings are not localised yet.
    _epub_base.FOOTNOTES_RUBRIC_NAME = "Fußnoten"
    # Sphinx lists every page it finds in its output folder; the cover page it wrote last
    # time would enter the reading order a second time (EPUBCheck RSC-005).
    Path(app.outdir, "epub-cover.xhtml").unlink(missing_ok=True)
    cover = Path(app.outdir, COVER)
    cover.parent.mkdir(parents=True, exist_ok=True)
    cover.write_text(cover_svg(app.config), encoding="utf-8")
    os.environ.setdefault("SOURCE_DATE_EPOCH",
                          str(calendar.timegm(app.config.stand.timetuple())))


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _prepare)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
