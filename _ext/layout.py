"""WeasyPrint's layout of one print page: the stylesheet and its fonts, the German
hyphenation patterns, the files a page may load, and the page numbers of its links.
``typeset.py`` runs this in its workers; nothing here knows about Sphinx.
"""

import functools
import json
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

# The print pages' language (print-base.html); its hyphenation patterns are read before the
# workers fork, instead of once in every worker.
PRINT_LANG = "de-DE"


class LocalOnlyFetcher:
    """Lets WeasyPrint read files below one folder and nothing else."""

    def __init__(self, folder: Path):
        from weasyprint.urls import URLFetcher

        self.folder = folder.resolve()
        self.fetcher = URLFetcher(allowed_protocols={"file", "data"})

    def __call__(self, url: str):
        from weasyprint.urls import FatalURLFetchingError

        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(parts.path).resolve()
            if path.is_relative_to(self.folder):
                return self.fetcher.fetch(url)
        elif parts.scheme == "data":
            return self.fetcher.fetch(url)
        raise FatalURLFetchingError(f"Das PDF darf nur Dateien aus {self.folder} laden: {url}")


def print_style(root: Path) -> dict:
    """The print stylesheet below *root* and the fonts it loads, parsed once per process
    and version of the file rather than once per page (the pages do not link it)."""
    path = root / "_static" / "print.css"
    return _print_style(path, path.stat().st_mtime_ns, path.stat().st_size, root)


@functools.lru_cache(maxsize=4)
def _print_style(path: Path, _mtime: int, _size: int, root: Path) -> dict:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return {"stylesheets": [CSS(filename=path, font_config=fonts, url_fetcher=LocalOnlyFetcher(root))],
            "font_config": fonts}


def load_hyphenation(folder: Path) -> None:
    """The German hyphenation patterns into pyphen's cache, kept parsed in *folder* (a
    build folder): pyphen parses its pattern file in a second.

    pyphen has no public way to preload patterns; this function is the one place that
    touches its module cache ``hdcache``, and does nothing if a pyphen lacks it."""
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(PRINT_LANG)]
    cache = folder / f"{path.stem}-{path.stat().st_size}.pickle"
    if not hasattr(pyphen, "hdcache") or path in pyphen.hdcache:
        return  # loaded already, or a pyphen that caches differently
    try:
        pyphen.hdcache[path] = pickle.loads(cache.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pyphen.Pyphen(lang=PRINT_LANG)
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_bytes(pickle.dumps(pyphen.hdcache[path]))
        except OSError:
            pass  # a read-only folder: parse again next time


class PageNumbers:
    """Page numbers of links (contents, index, "(S. 12)") known from a page's last PDF.

    print.css asks WeasyPrint for target-counter(), which lays out every page with such a
    link two more times. Once a page has been typeset, the numbers it found are kept in
    *file* and written into the HTML (data-page) the next time; if the text moved and a
    number no longer agrees, the page is laid out again with the numbers found, as
    target-counter() would. The PDF is the same either way, byte for byte. With
    *enabled* false nothing is read, and WeasyPrint counts the pages itself.
    """

    ATTEMPTS = 3
    LINK = re.compile(r'(<a\b[^>]*?\bhref="#([^"]+)")')

    def __init__(self, file: Path, enabled: bool = True):
        self.file = file
        self.enabled = enabled

    def known(self) -> dict[str, int]:
        if not self.enabled:
            return {}
        try:
            return json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def layout(self, page: str, render: Callable[[str], object]):
        """*render* (HTML -> WeasyPrint document) *page*, with the numbers known."""
        numbers = self.known()
        for attempt in range(self.ATTEMPTS + 1):
            if attempt == self.ATTEMPTS:
                numbers = {}  # no agreement: WeasyPrint counts the pages itself
            document = render(self.with_numbers(page, numbers))
            found = self.anchors(document)
            if all(found.get(anchor) == number for anchor, number in numbers.items()):
                return document
            numbers = {anchor: found[anchor] for anchor in numbers if anchor in found}
        return document

    def found(self, page: str, document) -> dict[str, int]:
        """The numbers to keep for *page*: the page of each link's target."""
        anchors = self.anchors(document)
        targets = {match[2] for match in self.LINK.finditer(page)}
        return {anchor: anchors[anchor] for anchor in targets if anchor in anchors}

    def with_numbers(self, page: str, numbers: dict[str, int]) -> str:
        def number(match: re.Match) -> str:
            known = numbers.get(match[2])
            return f'{match[1]} data-page="{known}"' if known else match[1]
        return self.LINK.sub(number, page) if numbers else page

    @staticmethod
    def anchors(document) -> dict[str, int]:
        """Anchor -> page number. The page counter is never reset in print.css, so the
        n-th page is page n."""
        found: dict[str, int] = {}
        for number, page in enumerate(document.pages, start=1):
            for anchor in page.anchors:
                found.setdefault(anchor, number)
        return found
