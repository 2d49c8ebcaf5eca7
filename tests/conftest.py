"""Shared fixtures: the handbook is built once per test session, then checked many times.

Bad-input tests build a small throwaway project instead: the handbook's own conf.py,
extensions, templates and styles with a few pages written by the test (helpers.py).

The full builds (the handbook as `make html pdf` builds it, the published site, the
workshop editions, a second clean PDF) and the slow readings of the handbook (its PDFs'
text, EPUBCheck) run one after another in a background thread, all started when the
session starts: this machine has two cores, and while the tests check one build on the
first, the next build runs on the second, at a lower priority, so the checks the session
waits for come first. Only the builds the selected tests use are started, so
`pytest -m "not slow"` or `pytest -k …` builds nothing extra. Every test that uses one of
them is marked `slow` (see pytest_collection_modifyitems).
"""

import multiprocessing
import os
import subprocess
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import pytest

from helpers import (  # noqa: F401  (the names tests have always imported from here)
    ROOT,
    STAND,
    URL,
    Build,
    clean_environ,
    make_project,
    pdf_name,
    sphinx_build,
    split_brands,
    texts_by_name,
)

WORKSHOP = ROOT / "workshops" / "beispiel.toml"
# A workshop edition with a long title, a logo, a public address and duplex printing:
# the combination in which the cover's address once printed over the title.
LONG_TITLE = ("Soziale Netzwerke für Gründerinnen und Gründer: XING, LinkedIn und Facebook "
              "gezielt und sicher nutzen – mit Übungen für Ihr eigenes Profil")
LONG_EDITION = f"""title = "{LONG_TITLE}"
date = 2027-01-14
place = "Gründungszentrum Köln-Mülheim, Großer Saal im Erdgeschoss"
trainer = "Dr. Jürgen Müller-Lüdenscheidt"
contact = "juergen.mueller@example.org, 0221 123456"
logo = "{ROOT / 'workshops' / 'beispiel-logo.svg'}"
slug = "lang"
duplex = true
chapters = [2, 5, 9]
"""


def make(out: Path, *goals: str, **variables: str) -> Build:
    """Run the real Makefile into *out* (its BUILDDIR), as CI and the Pages workflow do."""
    settings = [f"{name}={value}" for name, value in {"BUILDDIR": out, **variables}.items()]
    result = subprocess.run(["make", "-C", str(ROOT), *goals, *settings], env=clean_environ(),
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return Build(ROOT, out)


def build_handbook(tmp: Path, _builds: "Builds") -> Build:
    """The real handbook, built as `make html pdf` builds it, downloads copied into the site."""
    return make(tmp / "_build", "html", "pdf")


def build_published(tmp: Path, _builds: "Builds") -> Build:
    """The handbook built as the Pages workflow builds it (make html pdf), with a public
    address; the EPUB, which no test of the published build reads, left out."""
    out = tmp / "_build"
    return make(out, "html", str(out / "pdf" / ".stamp"), HANDBOOK_URL=URL)


def build_pdf_again(tmp: Path, _builds: "Builds") -> Path:
    """A second clean build of the book's PDF, in the environment make gives it."""
    result = sphinx_build("pdf", ROOT, tmp, env=clean_environ())
    assert result.returncode == 0, result.stderr
    return tmp / "pdf" / pdf_name()


def build_workshop(tmp: Path, toml: Path, *extra: str, **environ: str) -> Path:
    result = sphinx_build("workshop", ROOT, tmp / "out", "-D", f"workshop_file={toml}", *extra,
                          env=clean_environ(SOURCE_DATE_EPOCH="1764115200", **environ))
    assert result.returncode == 0, result.stderr
    return tmp / "out" / "workshop"


def build_edition(tmp: Path, _builds: "Builds") -> Path:
    """The example workshop's edition (workshops/beispiel.toml), with a public address."""
    return build_workshop(tmp, WORKSHOP, "-D", f"html_baseurl={URL}")


def build_plain_edition(tmp: Path, _builds: "Builds") -> Path:
    """The example workshop's edition as a build without a public address makes it."""
    [pdf] = build_workshop(tmp, WORKSHOP).glob("*.pdf")
    return pdf


def build_long_edition(tmp: Path, _builds: "Builds") -> Path:
    (tmp / "lang.toml").write_text(LONG_EDITION, encoding="utf-8")
    return build_workshop(tmp, tmp / "lang.toml", HANDBOOK_URL=URL) / "lang.pdf"


def build_spelling(tmp: Path, _builds: "Builds"):
    return sphinx_build("spelling", ROOT, tmp)


def read_pdf_texts(tmp: Path, builds: "Builds") -> Future:
    """The text of every page of the book and the handouts, read in a process of its own
    (pypdf holds the GIL; a thread would slow the tests down)."""
    handbook = builds.get("handbook")
    # spawned, not forked: this process has threads
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(texts_by_name, [handbook.pdf, *sorted(handbook.handouts.glob("*.pdf"))])
    pool.shutdown(wait=False)
    return future


def print_matrix(handbook: Build, published: Build, edition: Path, plain_edition: Path,
                 long_edition: Path) -> dict[str, Path]:
    """Name -> PDF, for every printed output in every configuration: the book and each
    handout without and with a public address, the example workshop without and with one,
    and the long edition (title over four lines, umlauts, logo, address, duplex)."""
    pdfs = {}
    for label, build in (("ohne Adresse", handbook), ("mit Adresse", published)):
        pdfs[f"Buch {label}"] = build.pdf
        pdfs |= {f"{pdf.stem} {label}": pdf for pdf in sorted(build.handouts.glob("*.pdf"))}
    [with_address] = edition.glob("*.pdf")
    return pdfs | {"Workshop beispiel ohne Adresse": plain_edition,
                   "Workshop beispiel mit Adresse": with_address,
                   "Workshop lang mit Adresse": long_edition}


def check_print_matrix(tmp: Path, builds: "Builds") -> dict[str, Future]:
    """Every check of pdf_checks.py on every PDF of the print matrix, in processes on
    both cores, started as soon as the PDFs are there (spawned: this process has threads)."""
    from pdf_checks import every_finding

    pdfs = print_matrix(*(builds.get(name) for name in
                          ("handbook", "published", "edition", "plain_edition", "long_edition")))
    pool = ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn"))
    futures = {name: pool.submit(every_finding, pdf) for name, pdf in pdfs.items()}
    pool.shutdown(wait=False)
    return futures


EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


def start_epubchecks(tmp: Path, builds: "Builds") -> dict[str, subprocess.Popen]:
    """EPUBCheck on the handbook's EPUB and on a copy broken on purpose, started side by
    side. Debian's /usr/bin/epubcheck is a bare jar run through binfmt_misc, which
    containers lack: the jar runs through java instead."""
    handbook = builds.get("handbook")
    broken = tmp / "kaputt.epub"
    with zipfile.ZipFile(handbook.epub) as good, zipfile.ZipFile(broken, "w") as bad:
        for item in good.infolist():
            data = good.read(item)
            if item.filename.endswith("01-about.xhtml"):
                data = data.replace(b"</body>", b"<p>offen</body>")  # not well-formed
            bad.writestr(item, data)
    return {name: subprocess.Popen(["java", "-jar", str(EPUBCHECK), str(epub)], text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for name, epub in (("good", handbook.epub), ("broken", broken))}


# The full builds and readings, each a session fixture of the same name, in the order
# they run, and the tests in the order of their builds: the handbook, which most tests
# read, first; the print matrix's builds next, so that its checks run beside the tests;
# the second clean PDF and the spelling run, each read by one test, last.
# Those that read another build ask the Builds for it.
FULL_BUILDS: dict[str, Callable[..., object]] = {
    "handbook": build_handbook,
    "pdf_texts": read_pdf_texts,
    "epubchecks": start_epubchecks,
    "published": build_published,
    "edition": build_edition,
    "plain_edition": build_plain_edition,
    "long_edition": build_long_edition,
    "print_findings": check_print_matrix,
    "pdf_again": build_pdf_again,
    "handbook_spelling": build_spelling,
}


class Builds:
    """The full builds, run one at a time in a background thread."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory, names: list[str]):
        self.factory = tmp_path_factory
        self.done = {name: threading.Event() for name in FULL_BUILDS}
        self.results: dict[str, object] = {}
        self.lock = threading.RLock()
        self.queued = names
        threading.Thread(target=self._run_all, args=(names,), daemon=True).start()

    def _run_all(self, names: list[str]) -> None:
        for name in names:
            self._run(name)

    def _run(self, name: str) -> None:
        with self.lock:  # one build at a time; a test may ask for one the thread has not reached
            if self.done[name].is_set():
                return
            try:
                self.results[name] = FULL_BUILDS[name](self.factory.mktemp(name), self)
            except BaseException as exc:  # reported to every test that uses the build
                self.results[name] = exc
            self.done[name].set()

    def get(self, name: str):
        if name in self.queued:
            self.done[name].wait()
        else:  # not foreseen at the start: built here, after the build under way
            self._run(name)
        result = self.results[name]
        if isinstance(result, BaseException):
            raise result
        return result


def _last_build(item) -> int:
    """Where the latest full build *item* uses stands in FULL_BUILDS (-1: none)."""
    used = set(getattr(item, "fixturenames", ()))
    return max((i for i, name in enumerate(FULL_BUILDS) if name in used), default=-1)


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects
def pytest_collection_modifyitems(config, items):
    """Tests run in the order their builds finish: those that build nothing while the
    handbook builds, those of the last build last, so the session works while builds run
    instead of waiting for one early."""
    for item in items:
        if _last_build(item) >= 0:
            item.add_marker(pytest.mark.slow)
    items.sort(key=_last_build)


def builds_needed(items) -> list[str]:
    """The full builds the selected tests use, in the order of FULL_BUILDS."""
    used = {name for item in items for name in getattr(item, "fixturenames", ())}
    return [name for name in FULL_BUILDS if name in used]


@pytest.fixture(scope="session")
def builds(request, tmp_path_factory) -> Builds:
    return Builds(tmp_path_factory, builds_needed(request.session.items))


@pytest.fixture(scope="session", autouse=True)
def _start_builds(request):
    """Start the background builds with the session, not when the first test needs one."""
    if builds_needed(request.session.items):
        request.getfixturevalue("builds")


@pytest.fixture(scope="session")
def handbook(builds) -> Build:
    """The real handbook, built as `make html pdf` builds it (its copy_pdf included)."""
    return builds.get("handbook")


@pytest.fixture(scope="session")
def published(builds) -> Build:
    """The handbook built as the Pages workflow builds it, at the address URL."""
    return builds.get("published")


@pytest.fixture(scope="session")
def pdf_again(builds) -> Path:
    return builds.get("pdf_again")


@pytest.fixture(scope="session")
def edition(builds) -> Path:
    """The folder with the example workshop's edition (PDF and its print HTML)."""
    return builds.get("edition")


@pytest.fixture(scope="session")
def plain_edition(builds) -> Path:
    return builds.get("plain_edition")


@pytest.fixture(scope="session")
def long_edition(builds) -> Path:
    return builds.get("long_edition")


@pytest.fixture(scope="session")
def handbook_spelling(builds) -> subprocess.CompletedProcess:
    return builds.get("handbook_spelling")


@pytest.fixture(scope="session")
def pdf_texts(builds) -> dict[str, list[str]]:
    return builds.get("pdf_texts").result()


@pytest.fixture(scope="session")
def book_texts(handbook, pdf_texts) -> list[str]:
    """The text of each page of the book's PDF, extracted once for every test."""
    return pdf_texts[handbook.pdf.stem]


@pytest.fixture(scope="session")
def handout_texts(handbook, pdf_texts) -> dict[str, list[str]]:
    """Handout name (stem) -> the text of each of its pages."""
    return {pdf.stem: pdf_texts[pdf.stem] for pdf in sorted(handbook.handouts.glob("*.pdf"))}


@pytest.fixture(scope="session")
def print_findings(builds) -> dict[str, dict[str, list[str]]]:
    """PDF name (see print_matrix) -> check name (pdf_checks.CHECKS) -> what it found."""
    return {name: future.result() for name, future in builds.get("print_findings").items()}


@pytest.fixture(scope="session")
def epubchecks(builds) -> dict[str, str]:
    """EPUBCheck's report on the handbook's EPUB ("good") and on a broken copy ("broken")."""
    return {name: process.communicate()[0] for name, process in builds.get("epubchecks").items()}


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 # without these chromium phones home at start-up
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync",
                 # no request leaves the machine: every host but the test server's is unknown
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, driven by Playwright: started once for every module."""
    import shutil

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()

