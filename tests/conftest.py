"""Shared fixtures: the handbook is built once per test session, then checked many times.

Bad-input tests build a small throwaway project instead: the handbook's own conf.py,
extensions, templates and styles with a few pages written by the test (helpers.py).

The full builds (the handbook as `make html pdf` builds it, the published site, the
workshop editions, a second clean PDF) run one after another in a background thread, all
started when the session starts: this machine has two cores, and while the tests check
one build on the first, the next build runs on the second. Only the builds the selected
tests use are started, so `pytest -m "not slow"` or `pytest -k …` builds nothing extra.
Every test that uses one of them is marked `slow` (see pytest_collection_modifyitems).
"""

import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import (  # noqa: F401  (the names tests have always imported from here)
    ROOT,
    STAND,
    URL,
    Build,
    clean_environ,
    make_project,
    page_texts,
    pdf_name,
    sphinx_build,
    split_brands,
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


def build_handbook(tmp: Path) -> Build:
    """The real handbook, built as `make html pdf` builds it, downloads copied into the site."""
    return make(tmp / "_build", "html", "pdf")


def build_published(tmp: Path) -> Build:
    """The handbook built as the Pages workflow builds it: with a public address."""
    return make(tmp / "_build", "html", "pdf", HANDBOOK_URL=URL)


def build_pdf_again(tmp: Path) -> Path:
    """A second clean build of the book's PDF, in the environment make gives it."""
    result = sphinx_build("pdf", ROOT, tmp, env=clean_environ())
    assert result.returncode == 0, result.stderr
    return tmp / "pdf" / pdf_name()


def build_workshop(tmp: Path, toml: Path, *extra: str, **environ: str) -> Path:
    result = sphinx_build("workshop", ROOT, tmp / "out", "-D", f"workshop_file={toml}", *extra,
                          env=clean_environ(SOURCE_DATE_EPOCH="1764115200", **environ))
    assert result.returncode == 0, result.stderr
    return tmp / "out" / "workshop"


def build_edition(tmp: Path) -> Path:
    """The example workshop's edition (workshops/beispiel.toml), with a public address."""
    return build_workshop(tmp, WORKSHOP, "-D", f"html_baseurl={URL}")


def build_long_edition(tmp: Path) -> Path:
    (tmp / "lang.toml").write_text(LONG_EDITION, encoding="utf-8")
    return build_workshop(tmp, tmp / "lang.toml", HANDBOOK_URL=URL) / "lang.pdf"


def build_spelling(tmp: Path):
    return sphinx_build("spelling", ROOT, tmp)


# The full builds, in the order they start when more than one is needed: the handbook first,
# as most tests read it; then in the order the tests that use them come.
FULL_BUILDS: dict[str, Callable[[Path], object]] = {
    "handbook": build_handbook,
    "long_edition": build_long_edition,
    "pdf_again": build_pdf_again,
    "published": build_published,
    "handbook_spelling": build_spelling,
    "edition": build_edition,
}


class Builds:
    """The full builds, run one at a time in a background thread."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory, names: list[str]):
        self.factory = tmp_path_factory
        self.done = {name: threading.Event() for name in FULL_BUILDS}
        self.results: dict[str, object] = {}
        self.lock = threading.Lock()
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
                self.results[name] = FULL_BUILDS[name](self.factory.mktemp(name))
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


def pytest_collection_modifyitems(config, items):
    for item in items:
        if set(FULL_BUILDS) & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def builds(request, tmp_path_factory) -> Builds:
    used = {name for item in request.session.items
            for name in getattr(item, "fixturenames", ()) if name in FULL_BUILDS}
    return Builds(tmp_path_factory, [name for name in FULL_BUILDS if name in used])


@pytest.fixture(scope="session", autouse=True)
def _start_builds(request):
    """Start the background builds with the session, not when the first test needs one."""
    if any(name in FULL_BUILDS for item in request.session.items
           for name in getattr(item, "fixturenames", ())):
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
def long_edition(builds) -> Path:
    return builds.get("long_edition")


@pytest.fixture(scope="session")
def handbook_spelling(builds) -> subprocess.CompletedProcess:
    return builds.get("handbook_spelling")


@pytest.fixture(scope="session")
def book_texts(handbook) -> list[str]:
    """The text of each page of the book's PDF, extracted once for every test."""
    return page_texts(handbook.pdf)


@pytest.fixture(scope="session")
def handout_texts(handbook) -> dict[str, list[str]]:
    """Handout name (stem) -> the text of each of its pages."""
    return {pdf.stem: page_texts(pdf) for pdf in sorted(handbook.handouts.glob("*.pdf"))}


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 # without these chromium phones home at start-up
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


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

