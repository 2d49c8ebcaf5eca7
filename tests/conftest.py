"""Shared fixtures: the handbook is built once per test session, then checked many times.

Bad-input tests build a small throwaway project instead: the handbook's own conf.py,
extensions, templates and styles with a few pages written by the test.
"""

import os
import re
import runpy
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INFRASTRUCTURE = ["conf.py", "pyproject.toml", "_ext", "_static", "_templates", "locale",
                  "wordlist.txt", "chapters/terminology.toml"]
# A throwaway project cites nothing, and every source must be cited: it gets no sources.
NO_SOURCES = "% Keine Quellen.\n"
STRICT = ["-W", "--keep-going", "-n"]
sys.path.insert(0, str(ROOT / "_ext"))  # the tests call the extensions' checks directly

# conf.py's values, as Sphinx reads them. The Stand has its one home there: raising it
# must not break a test.
CONF = runpy.run_path(str(ROOT / "conf.py"))
STAND = CONF["stand"]


def pdf_name() -> str:
    return CONF["pdf_basename"] + ".pdf"


def sphinx_build(builder: str, src: Path, out: Path, *extra: str,
                 quiet: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764115200", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", builder, str(src), str(out), *STRICT,
         *(["-q"] if quiet else []), *extra],
        capture_output=True, text=True, env=env, check=False)


@dataclass
class Build:
    src: Path
    out: Path

    @property
    def html(self) -> Path:
        return self.out / "html"

    @property
    def pdf(self) -> Path:
        return self.out / "pdf" / pdf_name()

    @property
    def epub(self) -> Path:
        return self.out / "epub" / pdf_name().replace(".pdf", ".epub")

    @property
    def handouts(self) -> Path:
        return self.out / "pdf" / "handouts"


@pytest.fixture(scope="session")
def handbook(tmp_path_factory) -> Build:
    """The real handbook, built as `make html pdf` builds it."""
    build = Build(ROOT, tmp_path_factory.mktemp("handbook"))
    for builder in ("html", "pdf", "epub"):
        result = sphinx_build(builder, ROOT, build.out)
        assert result.returncode == 0, result.stderr
    shutil.copy(build.pdf, build.html / build.pdf.name)
    shutil.copy(build.epub, build.html / build.epub.name)
    shutil.copytree(build.handouts, build.html / "handouts",
                    ignore=shutil.ignore_patterns("*.html", "_*"))
    return build


PUBLIC_URL = "https://example.org/handbuch/"


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Build:
    """The handbook built as the Pages workflow builds it, with a public address."""
    build = Build(ROOT, tmp_path_factory.mktemp("published"))
    os.environ["HANDBOOK_URL"] = PUBLIC_URL
    try:
        for builder in ("html", "pdf"):
            result = sphinx_build(builder, ROOT, build.out)
            assert result.returncode == 0, result.stderr
    finally:
        del os.environ["HANDBOOK_URL"]
    return build


CHAPTER = """# Ein Kapitel

:::{admonition} Kurz gesagt
:class: kurz-gesagt

Eine kurze Antwort.
:::

Ein Absatz mit einem Link zu [Sphinx](https://www.sphinx-doc.org/).

## Für die Praxis

- [ ] Ein Schritt.
"""


def make_project(root: Path, pages: dict[str, str] | None = None) -> Path:
    """A throwaway project with the handbook's machinery and the given pages."""
    root.mkdir(parents=True, exist_ok=True)
    for name in INFRASTRUCTURE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, root / name)
    pages = {"chapters/one.md": CHAPTER, "chapters/references.bib": NO_SOURCES, **(pages or {})}
    chapters = sorted(p.removesuffix(".md") for p in pages if p.startswith("chapters/") and p.endswith(".md"))
    pages.setdefault("index.md", "# Test\n\n```{toctree}\n" + "\n".join(chapters) + "\n```\n")
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def split_brands(text: str) -> list[str]:
    """Brand names broken across a line with a hyphen, as a PDF's text shows them."""
    from typography import BRAND_NAMES

    found = []
    for brand in BRAND_NAMES:
        for cut in range(1, len(brand)):
            pattern = re.escape(brand[:cut]) + r"[-\u2010\u00ad]\s*\n\s*" + re.escape(brand[cut:])
            found += re.findall(pattern, text)
    return found
