"""The print build's infrastructure: typeset HTML pages into PDFs, safely and in parallel.
How one page is laid out (stylesheet, hyphenation, page numbers) is ``layout.py``'s.

* A page is typeset again only when its HTML, the files it loads, the print stylesheet, the
  fonts it names or WeasyPrint changed.
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
import re
import subprocess
import time
from concurrent.futures import Future, ProcessPoolExecutor
from functools import cache
from pathlib import Path
from typing import NamedTuple

from sphinx.errors import SphinxError
from sphinx.util import logging

from german import count, decimal
from layout import LocalOnlyFetcher, PageNumbers, load_hyphenation, print_style

logger = logging.getLogger(__name__)


class PDFError(SphinxError):
    category = "PDF-Fehler"


class Typesetter:
    """Typesets print pages while the build writes the next ones, one process per core.

    A page whose HTML, stylesheet and WeasyPrint are as at its last PDF is left alone:
    editing one chapter re-typesets the book and that chapter's handout, not all. The
    PDFs are put in place only at the end (*finish*), if the build had no warnings.
    """

    def __init__(self, root: Path, known_numbers: bool = True):
        self.root = root  # the build folder: pages, _static/print.css, _images
        self.known_numbers = known_numbers  # see layout.PageNumbers
        self.jobs: list[tuple[Path, Path, str, Future]] = []
        # The workers fork now, before the build has read anything: forked later, each of
        # them would carry a copy of the environment and the assembled book (at 10x
        # content 40 MB more for the book's worker, whose own layout takes most of its ~700 MB).
        import weasyprint  # noqa: F401  (loaded once, before the fork)

        load_hyphenation(root.parent / ".cache" / "pyphen")
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
        self.jobs.append((page, pdf, key, self.pool.submit(typeset, page, pdf, self.root,
                                                               self.known_numbers)))

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
    style = (root / "_static" / "print.css").read_bytes()
    digest.update(style)
    digest.update(weasyprint.__version__.encode())
    for file in font_files(style):
        digest.update(str(file).encode() + b"\0" + file.read_bytes())
    if folder is not None:
        for ref in sorted(set(LOCAL_REF.findall(page))):
            file = folder / html.unescape(ref)
            if file.is_file():
                digest.update(ref.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


FONT_FAMILY = re.compile(r'font-family:\s*"?([^",;]+)')  # the first: the one we install


@cache
def font_files(style: bytes) -> tuple[Path, ...]:
    """The font files of every family *style* names. They come from fontconfig, not from
    the page, so the page's references do not show them: a font package's update must
    still typeset the pages again."""
    files: set[Path] = set()
    for family in sorted(set(FONT_FAMILY.findall(style.decode()))):
        found = subprocess.run(["fc-list", "--format", "%{file}\n", f":family={family}"],
                               capture_output=True, text=True, check=True).stdout
        files.update(Path(line) for line in found.splitlines() if line)
    return tuple(sorted(files))


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


def typeset(source: Path, target: Path, root: Path, known_numbers: bool = True) -> Typeset:
    """Typeset *source* for *target* into its partial file, reading files below *root*
    only; *commit_pdf* puts it in place, so the old *target* stays until then. With
    *known_numbers*, the page numbers of its links are taken from the last PDF.

    Runs in a worker process, so it reports instead of logging."""
    # Imported here: every build loads this module, only PDF builds need WeasyPrint.
    from weasyprint import HTML
    from weasyprint.logger import LOGGER
    from weasyprint.urls import FatalURLFetchingError

    problems: list[str] = []

    class Collect(stdlib_logging.Handler):
        def emit(self, record: stdlib_logging.LogRecord) -> None:
            problems.append(record.getMessage())

    # Tagged and accessible; WeasyPrint wants the variant at layout and at output.
    options = {"pdf_variant": "pdf/ua-1"}

    def render(html: str):
        problems.clear()  # only the last layout's warnings count
        return HTML(string=html, base_url=f"{root}/", url_fetcher=LocalOnlyFetcher(root)).render(
            **print_style(root), **options)

    collect = Collect(stdlib_logging.WARNING)
    LOGGER.addHandler(collect)
    partial = partial_of(target)
    start = time.perf_counter()
    page = source.read_text(encoding="utf-8")
    numbers = PageNumbers(numbers_of(target), enabled=known_numbers)
    try:
        document = numbers.layout(page, render)
        document.write_pdf(partial, **options)
        # A dead anchor or a missing font is a broken PDF: keep the previous one.
        return Typeset(not problems, len(document.pages), time.perf_counter() - start,
                       problems, "", numbers.found(page, document))
    except FatalURLFetchingError as exc:
        return Typeset(False, 0, 0.0, problems, str(exc), {})
    finally:
        LOGGER.removeHandler(collect)


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


def write_pdf(source: Path, target: Path, root: Path, known_numbers: bool = True) -> bool:
    """Typeset *source* into *target* here and now, and report it."""
    logger.info("WeasyPrint setzt %s …", target.name)
    result = typeset(source, target, root, known_numbers)
    try:
        if written := report(source, target, result):
            commit_pdf(target, result)
        return written
    finally:
        partial_of(target).unlink(missing_ok=True)
