"""The e-reader edition: valid for EPUBCheck, German metadata and cover, every chapter in
its table of contents, and comparison tables that fit a 6-inch screen."""

import re
import zipfile
from pathlib import Path

import pytest

from german import german_date
from helpers import CHAPTERS, STAND, chapter_title

pytestmark = pytest.mark.slow  # the built handbook


def epubcheck_counts(output: str) -> tuple[int, int]:
    """Errors (fatal ones included) and warnings in EPUBCheck's report."""
    counts = re.search(r"Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings?", output)
    assert counts, output
    fatal, errors, warnings = map(int, counts.groups())
    return fatal + errors, warnings


def test_epubcheck_finds_no_error_and_no_warning(epubchecks):
    assert epubcheck_counts(epubchecks["good"]) == (0, 0), epubchecks["good"]


def test_epubcheck_catches_a_broken_epub(epubchecks):
    errors, _warnings = epubcheck_counts(epubchecks["broken"])
    assert errors > 0, epubchecks["broken"]


def read(epub: Path, name: str) -> str:
    with zipfile.ZipFile(epub) as book:
        return book.read(name).decode("utf-8")


def test_metadata_is_german_with_title_author_stand_and_cover(handbook):
    opf = read(handbook.epub, "content.opf")
    assert "<dc:language>de</dc:language>" in opf
    assert "<dc:title>Vernetzt, aber mit Plan</dc:title>" in opf
    assert re.search(r"<dc:creator>Redaktion „Vernetzt, aber mit Plan“</dc:creator>", opf)
    assert re.search(rf"<dc:description>.*Stand: {STAND:%d\.%m\.%Y}</dc:description>", opf)
    # the Stand is the publication date: two builds give one file
    assert f"<dc:date>{STAND.isoformat()}T00:00:00Z</dc:date>" in opf
    assert '<meta name="cover"' in opf and "epub-cover.svg" in opf
    cover = read(handbook.epub, "_static/epub-cover.svg")
    assert "Vernetzt, aber mit Plan" in cover and f"Stand: {german_date(STAND)}" in cover


def test_table_of_contents_lists_every_chapter(handbook):
    nav = read(handbook.epub, "nav.xhtml")
    for chapter in CHAPTERS:
        assert chapter_title(chapter) in nav, chapter.stem
    assert "Glossar" in nav and "Quellen" in nav


def test_no_english_words_from_sphinx_reach_the_reader(handbook):
    with zipfile.ZipFile(handbook.epub) as book:
        text = "".join(book.read(name).decode("utf-8") for name in book.namelist()
                       if name.endswith((".xhtml", ".opf")))
    for english in ("Table of Contents", "Footnotes", 'title="Cover"'):
        assert english not in text, english
    assert "<h1>Inhaltsverzeichnis</h1>" in read(handbook.epub, "nav.xhtml")
    assert '<p class="rubric">Fußnoten</p>' in read(handbook.epub, "chapters/01-about.xhtml")


def sideways_overflow(browser, page: Path, width: int) -> int:
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    tab.goto(page.as_uri())
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    return overflow


def test_comparison_tables_fit_a_six_inch_screen(handbook, tmp_path, browser):
    with zipfile.ZipFile(handbook.epub) as book:
        book.extractall(tmp_path / "book")
    page = tmp_path / "book" / "chapters" / "06-platform-comparison.xhtml"
    # A 6-inch e-reader shows about 600 CSS pixels across; a narrow one 360.
    assert sideways_overflow(browser, page, 360) <= 0
    # and the check notices a table that does not fit: the same page without epub.css
    (tmp_path / "book" / "_static" / "epub.css").write_text("", encoding="utf-8")
    assert sideways_overflow(browser, page, 360) > 0


def test_every_page_names_its_language_and_links_each_stylesheet_once(handbook):
    with zipfile.ZipFile(handbook.epub) as book:
        pages = [n for n in book.namelist() if n.endswith(".xhtml")]
        for name in pages:
            page = book.read(name).decode("utf-8")
            assert re.search(r'<html[^>]* lang="de" xml:lang="de"', page), name
            links = re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', page)
            assert len(links) == len(set(links)), (name, links)
            assert not any(link.endswith(("handbook.css", "print.css")) for link in links), name
    opf = read(handbook.epub, "content.opf")
    assert "unknown" not in opf
    assert 'alt="Titelbild: Vernetzt, aber mit Plan, Stand ' in read(handbook.epub, "epub-cover.xhtml")
