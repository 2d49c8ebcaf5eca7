"""WeasyPrint's side of the print build: typeset HTML pages into PDFs, safely and in parallel.

* A page is typeset again only when its HTML, the print stylesheet or WeasyPrint changed.
* Pages are typeset side by side, one process per core: layout runs on one core per
  document. The workers fork from the build, so WeasyPrint and the German hyphenation
  patterns are loaded once, before the fork.
* WeasyPrint may read only files below the build's own output folder.
* A PDF is written atomically; any WeasyPrint warning keeps the previous one.
"""

import hashlib
import logging as stdlib_logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
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


def typeset_changed(pages: list[Path], root: Path) -> None:
    """Typeset every page of *pages* (HTML files below *root*) whose PDF is not current.

    Editing one chapter then re-typesets the book and that chapter's handout, not all.
    """
    import pyphen
    import weasyprint

    style = (root / "_static" / "print.css").read_bytes()
    jobs = []
    for page in pages:
        pdf, stamp = page.with_suffix(".pdf"), page.with_suffix(".key")
        key = hashlib.sha256(page.read_bytes() + style + weasyprint.__version__.encode())
        if pdf.exists() and stamp.exists() and stamp.read_text() == key.hexdigest():
            logger.info("unverändert: %s", pdf.name)
            continue
        stamp.unlink(missing_ok=True)
        jobs.append((page, pdf, stamp, key.hexdigest()))
    if not jobs:
        return
    pyphen.Pyphen(lang=PRINT_LANG)  # cached by pyphen for every later use
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = pool.map(typeset, [j[0] for j in jobs], [j[1] for j in jobs],
                               [root] * len(jobs))
            for (page, pdf, stamp, key), result in zip(jobs, results):
                if report(page, pdf, result):
                    stamp.write_text(key)
    else:
        for page, pdf, stamp, key in jobs:
            if write_pdf(page, pdf, root):
                stamp.write_text(key)


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
    written: bool
    pages: int
    seconds: float
    problems: list[str]  # WeasyPrint's warnings: any of them keeps the previous PDF
    refused: str  # a fetch outside the build folder: the build fails


def typeset(source: Path, target: Path, root: Path) -> Typeset:
    """Typeset *source* into *target*, reading files below *root* only; on any problem the
    old *target* stays as it was.

    Runs in a worker process too, so it reports instead of logging."""
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
    partial = target.with_name(f".{target.name}.partial")
    start = time.perf_counter()
    try:
        # Tagged and accessible; WeasyPrint wants the variant at layout and at output.
        options = {"pdf_variant": "pdf/ua-1"}
        document = HTML(filename=source, base_url=f"{root}/",
                        url_fetcher=LocalOnlyFetcher(root)).render(
            **options)
        document.write_pdf(partial, **options)
        # A dead anchor or a missing font is a broken PDF: keep the previous one.
        if not problems:
            os.replace(partial, target)
        return Typeset(not problems, len(document.pages), time.perf_counter() - start,
                       problems, "")
    except FatalURLFetchingError as exc:
        return Typeset(False, 0, 0.0, problems, str(exc))
    finally:
        LOGGER.removeHandler(collect)
        partial.unlink(missing_ok=True)


def report(source: Path, target: Path, result: Typeset) -> bool:
    """Say what typesetting *source* gave; returns whether *target* was written."""
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
    return report(source, target, typeset(source, target, root))
