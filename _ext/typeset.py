"""WeasyPrint's side of the print build: typeset HTML pages into PDFs, safely and in parallel.

* A page is typeset again only when its HTML, the print stylesheet or WeasyPrint changed.
* Pages are typeset side by side, one process per core: layout runs on one core per
  document. The workers fork when the build starts, before it reads the sources: WeasyPrint
  and the German hyphenation patterns are loaded once, the environment is not copied.
* WeasyPrint may read only files below the build's own output folder.
* A PDF is written atomically; any WeasyPrint warning keeps the previous one.
"""

import hashlib
import html
import json
import logging as stdlib_logging
import multiprocessing
import os
import pickle
import re
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from sphinx.errors import SphinxError
from sphinx.util import logging

from german import count, decimal

logger = logging.getLogger(__name__)

# The print pages' language (print-base.html); its hyphenation patterns are read before the
# workers fork, instead of once in every worker.
PRINT_LANG = "de-DE"


class PDFError(SphinxError):
    category = "PDF-Fehler"


class Typesetter:
    """Typesets print pages while the build writes the next ones, one process per core.

    A page whose HTML, stylesheet and WeasyPrint are as at its last PDF is left alone:
    editing one chapter re-typesets the book and that chapter's handout, not all. The
    PDFs are put in place only at the end (*finish*), if the build had no warnings.
    """

    def __init__(self, root: Path):
        self.root = root  # the build folder: pages, _static/print.css, _images
        self.jobs: list[tuple[Path, Path, str, Future]] = []
        # The workers fork now, before the build has read anything: forked later, each of
        # them would carry a copy of the environment and the assembled book (at 10x
        # content 40 MB more for the book's worker, whose own layout takes most of its ~700 MB).
        import weasyprint  # noqa: F401  (loaded once, before the fork)

        load_hyphenation()
        self.pool = ProcessPoolExecutor(os.cpu_count() or 1,
                                        mp_context=multiprocessing.get_context("fork"))
        self.pool.submit(int).result()  # with fork, the first task starts all workers

    def submit(self, page: Path) -> None:
        pdf, stamp = page.with_suffix(".pdf"), page.with_suffix(".key")
        key = layout_key(page.read_text(encoding="utf-8"), self.root, page.parent)
        if pdf.exists() and stamp.exists() and stamp.read_text() == key:
            logger.info("unverändert: %s", pdf.name)
            return
        stamp.unlink(missing_ok=True)
        self.jobs.append((page, pdf, key, self.pool.submit(typeset, page, pdf, self.root)))

    def finish(self, commit: bool) -> None:
        """Wait for every page; with *commit*, put the PDFs that came out clean in place."""
        try:
            for page, pdf, key, future in self.jobs:
                result = future.result()
                if commit and report(page, pdf, result):
                    commit_pdf(pdf, result, key)
        finally:
            self.pool.shutdown(cancel_futures=True)
            for _page, pdf, _key, _future in self.jobs:
                partial_of(pdf).unlink(missing_ok=True)


LOCAL_REF = re.compile(r'\b(?:src|href|data)="([^"#:?]+)"')  # relative: a file beside the page


def layout_key(page: str, root: Path, folder: Path | None = None) -> str:
    """What WeasyPrint's layout of *page* depends on: the page, the print stylesheet
    below *root*, WeasyPrint itself and, with the page's *folder*, the bytes of every local
    file the page loads (images, a workshop's logo, stylesheets). The same key means the
    same layout; a recoloured image under its old name gives a new key."""
    import weasyprint

    digest = hashlib.sha256(page.encode())
    digest.update((root / "_static" / "print.css").read_bytes())
    digest.update(weasyprint.__version__.encode())
    if folder is not None:
        for ref in sorted(set(LOCAL_REF.findall(page))):
            file = folder / html.unescape(ref)
            if file.is_file():
                digest.update(ref.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def load_hyphenation(folder: Path = Path(sys.prefix, "var", "cache", "pyphen")) -> None:
    """The German hyphenation patterns into pyphen's cache. pyphen parses its pattern file
    in a second; its parsed form is kept, like bytecode, in the environment it came with."""
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
            pass  # a read-only environment: parse again next time


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


class Typeset(NamedTuple):
    written: bool  # the partial PDF is complete and WeasyPrint had nothing to say
    pages: int
    seconds: float
    problems: list[str]  # WeasyPrint's warnings: any of them keeps the previous PDF
    refused: str  # a fetch outside the build folder: the build fails
    numbers: dict[str, int]  # the page of each link's target, for the next time


def partial_of(target: Path) -> Path:
    return target.with_name(f".{target.name}.partial")


def numbers_of(target: Path) -> Path:
    return target.with_suffix(".pages.json")


def commit_pdf(target: Path, result: Typeset, key: str | None = None) -> None:
    """Put a cleanly typeset PDF in place, with what the next build compares against:
    the page numbers it found and, from a build, the *key* of its sources."""
    os.replace(partial_of(target), target)
    numbers_of(target).write_text(json.dumps(result.numbers, sort_keys=True), encoding="utf-8")
    if key:
        target.with_suffix(".key").write_text(key)


def typeset(source: Path, target: Path, root: Path) -> Typeset:
    """Typeset *source* for *target* into its partial file, reading files below *root*
    only; *commit_pdf* puts it in place, so the old *target* stays until then.

    Runs in a worker process, so it reports instead of logging."""
    # Imported here: every build loads this module, only PDF builds need WeasyPrint.
    from weasyprint import HTML
    from weasyprint.logger import LOGGER
    from weasyprint.urls import FatalURLFetchingError

    problems: list[str] = []

    class Collect(stdlib_logging.Handler):
        def emit(self, record: stdlib_logging.LogRecord) -> None:
            problems.append(record.getMessage())

    collect = Collect(stdlib_logging.WARNING)
    LOGGER.addHandler(collect)
    partial = partial_of(target)
    start = time.perf_counter()
    page = source.read_text(encoding="utf-8")
    try:
        numbers = json.loads(numbers_of(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        numbers = {}
    try:
        # Tagged and accessible; WeasyPrint wants the variant at layout and at output.
        options = {"pdf_variant": "pdf/ua-1"}
        for attempt in range(PAGE_NUMBER_ATTEMPTS + 1):
            if attempt == PAGE_NUMBER_ATTEMPTS:
                numbers = {}  # no agreement: WeasyPrint counts the pages itself
            problems.clear()
            document = HTML(string=with_page_numbers(page, numbers), base_url=f"{root}/",
                            url_fetcher=LocalOnlyFetcher(root)).render(
                **print_style(root), **options)
            found = page_numbers(document)
            if all(found.get(anchor) == number for anchor, number in numbers.items()):
                break
            numbers = {anchor: found[anchor] for anchor in numbers if anchor in found}
        document.write_pdf(partial, **options)
        # A dead anchor or a missing font is a broken PDF: keep the previous one.
        return Typeset(not problems, len(document.pages), time.perf_counter() - start,
                       problems, "",
                       {anchor: found[anchor] for anchor in linked(page) if anchor in found})
    except FatalURLFetchingError as exc:
        return Typeset(False, 0, 0.0, problems, str(exc), {})
    finally:
        LOGGER.removeHandler(collect)


_styles: dict[tuple, dict] = {}


def print_style(root: Path) -> dict:
    """The print stylesheet and the fonts it loads, parsed once per process rather than
    once per page (the pages do not link it)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    path = root / "_static" / "print.css"
    key = (path, path.stat().st_mtime_ns, path.stat().st_size)
    if key not in _styles:
        fonts = FontConfiguration()
        _styles[key] = {"stylesheets": [CSS(filename=path, font_config=fonts,
                                            url_fetcher=LocalOnlyFetcher(root))],
                        "font_config": fonts}
    return _styles[key]


# Page numbers of links (table of contents, index, "(S. 12)"): print.css asks WeasyPrint
# for target-counter(), which lays out every page with such a link two more times. Once a
# page has been typeset, the numbers it found are kept beside its PDF and written into the
# HTML (data-page) the next time; if the text moved and a number no longer agrees, the
# page is laid out again with the numbers found, as target-counter() would. The PDF is the
# same either way, byte for byte.
PAGE_NUMBER_ATTEMPTS = 3
LINK = re.compile(r'(<a\b[^>]*?\bhref="#([^"]+)")')


def linked(page: str) -> set[str]:
    """The anchors that the links in *page* point to."""
    return {match[2] for match in LINK.finditer(page)}


def with_page_numbers(page: str, numbers: dict[str, int]) -> str:
    """*page* with the page number of each link's target that *numbers* knows."""
    def number(match: re.Match) -> str:
        known = numbers.get(match[2])
        return f'{match[1]} data-page="{known}"' if known else match[1]
    return LINK.sub(number, page) if numbers else page


def page_numbers(document) -> dict[str, int]:
    """Anchor -> page number. The page counter is never reset in print.css, so the n-th
    page is page n."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def report(source: Path, target: Path, result: Typeset) -> bool:
    """Say what typesetting *source* gave; returns whether the PDF came out clean, so
    that it may replace *target*."""
    if result.refused:
        raise PDFError(result.refused)
    if result.written:
        logger.info("  %s: %s in %s s", target.name, count(result.pages, "Seite", "Seiten"),
                    decimal(result.seconds))
    for message in result.problems:
        logger.warning("WeasyPrint (%s): %s", source.name, message,
                       type="handbook", subtype="weasyprint")
    return result.written


def write_pdf(source: Path, target: Path, root: Path) -> bool:
    """Typeset *source* into *target* here and now, and report it."""
    logger.info("WeasyPrint setzt %s …", target.name)
    result = typeset(source, target, root)
    try:
        if written := report(source, target, result):
            commit_pdf(target, result)
        return written
    finally:
        partial_of(target).unlink(missing_ok=True)
