"""What several test modules share: the handbook's facts, builds of throwaway projects, and
the readers for PDFs and QR codes. Plain functions; the fixtures are in conftest.py.

No test module imports another: whatever two of them need lives here.
"""

import io
import os
import re
import runpy
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))  # the tests call the extensions' checks directly

# conf.py is the one home of the handbook's settings: the tests read them from there, so
# raising the Stand or renaming the PDF breaks no test.
CONF = runpy.run_path(str(ROOT / "conf.py"))
STAND = CONF["stand"]
PDF_NAME = f"{CONF['pdf_basename']}.pdf"
EPUB_NAME = f"{CONF['epub_basename']}.epub"
# The public address the tests publish at (HANDBOOK_URL, html_baseurl).
URL = "https://example.org/handbuch/"


def pdf_name() -> str:
    return PDF_NAME


# -- the handbook's chapters -----------------------------------------------------------

CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))


def chapter_title(chapter: Path | str) -> str:
    """A chapter's heading, from its file (a path, or a stem like "05-requests-…")."""
    path = chapter if isinstance(chapter, Path) else ROOT / "chapters" / f"{chapter}.md"
    return next(line.removeprefix("# ") for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith("# "))


def toctree() -> list[str]:
    """The documents of the start page's toctree, in reading order."""
    index = (ROOT / "index.md").read_text(encoding="utf-8")
    block = index.split("```{toctree}")[1].split("```")[0]
    return [line.strip() for line in block.splitlines() if line.strip().startswith("chapters/")]


def chapter_number(stem: str) -> int:
    return [c.stem for c in CHAPTERS].index(stem) + 1


def numbered_title(stem: str) -> str:
    """A chapter's heading as the print edition shows it: "6 Was bringen …"."""
    return f"{chapter_number(stem)} {chapter_title(stem)}"


def chapter_titles(numbered: bool = True) -> list[str]:
    """The chapters' headings in reading order, as printed: "6 Was bringen …"."""
    titles = [chapter_title(ROOT / f"{doc}.md") for doc in toctree()]
    return [f"{n} {t}" if numbered else t for n, t in enumerate(titles, 1)]


# -- builds ------------------------------------------------------------------------------

INFRASTRUCTURE = ["conf.py", "pyproject.toml", "_ext", "_static", "_templates", "locale",
                  "wordlist.txt", "chapters/terminology.toml"]
# A throwaway project cites nothing, and every source must be cited: it gets no sources.
NO_SOURCES = "% Keine Quellen.\n"
STRICT = ["-W", "--keep-going", "-n"]
# Set by `make` (its jobserver, its level) or by a caller; a build the tests start as the
# Makefile would must not inherit them.
FOREIGN = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "HANDBOOK_URL", "SOURCE_DATE_EPOCH")


def clean_environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN}
    return {**env, "PYTHONDONTWRITEBYTECODE": "1", **extra}


def sphinx_build(builder: str, src: Path, out: Path, *extra: str, quiet: bool = True,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`sphinx-build -M builder` as the Makefile runs it (strict), in its own process.

    Throwaway projects get a fixed SOURCE_DATE_EPOCH unless *env* says otherwise."""
    if env is None:  # HANDBOOK_URL of the caller's shell included: a build gets it when asked
        env = clean_environ(SOURCE_DATE_EPOCH="1764115200")
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", builder, str(src), str(out), *STRICT,
         *(["-q"] if quiet else []), *extra],
        capture_output=True, text=True, env=env, check=False)


def sphinx_in_process(builder: str, src: Path, out: Path, *extra: str,
                      quiet: bool = True) -> subprocess.CompletedProcess:
    """The same strict build as sphinx_build, in this process (sphinx.testing): no Python
    to start and no packages to import for each throwaway project.

    For builders that start no processes of their own (html, linkcheck, spelling), and
    without a public address: the print builders fork WeasyPrint workers, and with an
    address sphinx-sitemap forks a multiprocessing Manager, which a process with threads
    must not do (the child hangs), so those stay in sphinx_build. *extra* may hold "-E"
    and "-D name=value". Sphinx's
    global state (docutils' registries, translations, sys.path) is reset after each
    build; the extensions' modules stay imported, which is why their state lives on
    the app, never in the module."""
    from sphinx.testing.util import SphinxTestApp

    overrides: dict[str, str | bool] = {"nitpicky": True}  # -n
    fresh = False
    args = list(extra)
    while args:
        arg = args.pop(0)
        if arg == "-E":
            fresh = True
        elif arg == "-D":
            name, value = args.pop(0).split("=", 1)
            overrides[name] = value
        else:
            raise ValueError(f"sphinx_in_process kennt {arg} nicht")
    if builder not in ("html", "linkcheck", "spelling") or "html_baseurl" in overrides \
            or os.environ.get("HANDBOOK_URL"):
        raise ValueError("dieser Build startet Prozesse: sphinx_build nehmen")
    status, warning = io.StringIO(), io.StringIO()
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1764115200"  # as sphinx_build sets it
    try:
        app = SphinxTestApp(builder, srcdir=src, builddir=out, freshenv=fresh,
                            confoverrides=overrides, status=status, warning=warning,
                            warningiserror=True)  # -W; Sphinx 9 always keeps going
        try:
            app.build()
            code = app.statuscode
        finally:
            app.cleanup()
    except Exception:  # what sphinx-build prints and its exit status
        warning.write(traceback.format_exc())
        code = 2
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return subprocess.CompletedProcess([builder, str(src), str(out), *extra], code,
                                       status.getvalue(), warning.getvalue())


@dataclass
class Build:
    src: Path
    out: Path

    @property
    def html(self) -> Path:
        return self.out / "html"

    @property
    def pdf(self) -> Path:
        return self.out / "pdf" / PDF_NAME

    @property
    def epub(self) -> Path:
        return self.out / "epub" / EPUB_NAME

    @property
    def handouts(self) -> Path:
        return self.out / "pdf" / "handouts"


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


# A source, a page citing it and the list of sources: a throwaway project with citations.
GOOD_ENTRY = f"""@online{{quelle-a,
  author  = {{{{Beispielamt}}}},
  title   = {{Eine Seite}},
  date    = {{2025-07-22}},
  url     = {{https://example.org/a}},
  urldate = {{{STAND.isoformat()}}},
}}
"""
CITING = "# Ein Kapitel\n\nEine Tatsache {cite:p}`quelle-a`.\n"
SOURCES = "# Quellen\n\n```{bibliography}\n```\n"


# -- reading PDFs ------------------------------------------------------------------------

def split_brands(text: str) -> list[str]:
    """Brand names broken across a line with a hyphen, as a PDF's text shows them."""
    from typography import BRAND_NAMES

    found = []
    for brand in BRAND_NAMES:
        for cut in range(1, len(brand)):
            pattern = re.escape(brand[:cut]) + r"[-\u2010\u00ad]\s*\n\s*" + re.escape(brand[cut:])
            found += re.findall(pattern, text)
    return found


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(pdf).pages]


def texts_by_name(pdfs: list[Path]) -> dict[str, list[str]]:
    """PDF name (stem) -> the text of each of its pages."""
    return {pdf.stem: page_texts(pdf) for pdf in pdfs}


def outline_pages(reader) -> dict[str, int]:
    """Top-level bookmarks and the 1-based page each points to."""
    from pypdf.generic import Destination

    return {item.title: reader.get_destination_page_number(item) + 1
            for item in reader.outline if isinstance(item, Destination)}


def fonts(reader) -> dict[str, bool]:
    """Font name -> embedded?"""
    found = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            found[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def link_targets(reader) -> tuple[int, list[str]]:
    """Count the link annotations; list the ones whose destination does not exist."""
    named = reader.named_destinations
    links, dead = 0, []
    for number, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            links += 1
            action = annot.get("/A") or {}
            if action.get("/S") == "/URI":
                continue
            dest = annot.get("/Dest", action.get("/D"))
            if dest is None:
                dead.append(f"S. {number}: Link ohne Ziel")
            elif not isinstance(dest, list) and str(dest) not in named:
                dead.append(f"S. {number}: {dest}")
    return links, dead


# The print stylesheet's families: every character must have a glyph in them.
FAMILIES = ["EB Garamond 12", "Lato"]


def font_file(family: str) -> str:
    return subprocess.run(["fc-match", "-f", "%{file}", family],
                          capture_output=True, text=True, check=True).stdout


def missing_glyphs(text: str) -> dict[str, list[str]]:
    """Characters of *text* that a family has no glyph for."""
    from fontTools.ttLib import TTFont

    chars = set(text) - set(" \n\t\r")
    found = {}
    for family in FAMILIES:
        cmap = TTFont(font_file(family), fontNumber=0).getBestCmap()
        if lacking := sorted(c for c in chars if ord(c) not in cmap):
            found[family] = lacking
    return found


def visible_text(page: str) -> str:
    import html

    return html.unescape(re.sub(r"<style.*?</style>|<[^>]+>", " ", page, flags=re.S))


# -- QR codes ----------------------------------------------------------------------------

def qr_codes(pdf: Path, tmp_path: Path, dpi: int = 72):
    """The QR codes on the first page, rendered at screen resolution: a code that reads
    there reads from paper with any phone."""
    import zxingcpp
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    return zxingcpp.read_barcodes(image)


def read_qr(pdf: Path, tmp_path: Path) -> list[str]:
    return [code.text for code in qr_codes(pdf, tmp_path)]


def qr_width_mm(code, dpi: int = 72) -> float:
    """The printed width of a QR symbol (without its quiet zone)."""
    corners = code.position
    return (corners.top_right.x - corners.top_left.x) / dpi * 25.4


# A handout is one A4 sheet, printed on both sides. The reference chapters hold every
# platform's steps, the warning signs, the Impressum's contents and the comparison tables
# with all their sources: two sheets. The list of all sources is the book's appendix.
REFERENCE_PAGES = {"06-platform-comparison": 4, "07-settings": 4, "08-safety": 4,
                   "09-legal-basics": 4, "13-sources": 6, "14-check-before-workshop": 8}
