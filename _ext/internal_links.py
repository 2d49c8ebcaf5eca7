"""Offline link check of the built HTML: every href, src and #fragment must resolve.

Sphinx checks the references it resolves itself (nitpicky), but not what templates,
raw HTML or a theme write into the pages. This runs after every HTML build, offline,
and reports each dead target as a warning naming the page's source file and the line in
the output, so a strict build (-W) fails on it.
"""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sphinx.application import Sphinx
from sphinx.util import logging

from handouts import OVERVIEW, handout_file

logger = logging.getLogger(__name__)

ATTRS = {"href", "src", "data"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            elif name in ATTRS:
                self.links.append((self.getpos()[0], value))


def check_site(outdir: Path, produced_later=lambda path: False) -> list[tuple[Path, int, str]]:
    """Return (page, line, message) for every internal link in *outdir* that is dead."""
    pages: dict[Path, _Page] = {}
    for path in sorted(outdir.rglob("*.html")):
        if "_static" in path.relative_to(outdir).parts:
            continue  # the theme's template fragments, not pages
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = parser

    problems = []
    for path, page in pages.items():
        for line, link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("javascript:", "mailto:")):
                continue  # external: `make linkcheck`'s job
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if parts.path and not target.exists():
                root = outdir.resolve()
                if target.is_relative_to(root) and produced_later(target.relative_to(root)):
                    continue
                problems.append((path, line, f"Datei fehlt: {link}"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in pages[target].ids:
                problems.append((path, line, f"Anker fehlt: {link}"))
    return problems


def _check(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html" or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    # The PDF and EPUB builds run after this one and copy their files into the site.
    downloads = {Path(f"{app.config.pdf_basename}.pdf"), Path(f"{app.config.epub_basename}.epub"),
                 Path(handout_file(OVERVIEW)),
                 *(Path(handout_file(doc)) for doc in app.env.found_docs
                   if doc.startswith("chapters/"))}

    def produced_later(path: Path) -> bool:
        return path in downloads

    for page, line, message in check_site(outdir, produced_later):
        docname = page.relative_to(outdir).with_suffix("").as_posix()
        logger.warning("%s (in %s, Zeile %d)", message, page.relative_to(outdir), line,
                       location=docname if docname in app.env.all_docs else None,
                       type="handbook", subtype="dead_link")


def setup(app: Sphinx) -> dict:
    app.setup_extension("stand")  # pdf_basename
    app.connect("build-finished", _check)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
