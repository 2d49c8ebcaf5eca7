"""Published at a public address (HANDBOOK_URL): QR codes lead to the right pages, the
sitemap lists every page, and no page points at this machine or loads from elsewhere."""

import re
from html.parser import HTMLParser
from xml.etree import ElementTree

from pypdf import PdfReader

from helpers import CHAPTERS, REFERENCE_PAGES, URL, qr_codes, qr_width_mm, read_qr


def test_qr_codes_lead_to_the_book_and_to_each_chapter(published, tmp_path):
    (tmp_path / "book").mkdir()
    assert read_qr(published.pdf, tmp_path / "book") == [URL]
    for chapter in CHAPTERS:
        (tmp_path / chapter.stem).mkdir()
        codes = read_qr(published.handouts / f"{chapter.stem}.pdf", tmp_path / chapter.stem)
        assert codes == [f"{URL}chapters/{chapter.stem}.html"], chapter.stem


def test_every_qr_code_is_at_least_20_mm(published, tmp_path):
    for pdf in [published.pdf, *sorted(published.handouts.glob("*.pdf"))]:
        (tmp_path / pdf.stem).mkdir()
        codes = qr_codes(pdf, tmp_path / pdf.stem)
        assert len(codes) == 1 and qr_width_mm(codes[0]) >= 20, (pdf.name, codes)


def test_the_take_home_sheet_leads_to_the_book(published, tmp_path):
    assert read_qr(published.handouts / "00-auf-einen-blick.pdf", tmp_path) == [URL]
    assert len(PdfReader(published.handouts / "00-auf-einen-blick.pdf").pages) == 1


def test_every_handout_keeps_its_sheets_with_the_address(published):
    for chapter in CHAPTERS:
        pages = len(PdfReader(published.handouts / f"{chapter.stem}.pdf").pages)
        assert pages <= REFERENCE_PAGES.get(chapter.stem, 2), f"{chapter.stem}: {pages} Seiten"


def test_the_sitemap_lists_every_page(published):
    tree = ElementTree.parse(published.html / "sitemap.xml")
    listed = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {"index", *(f"chapters/{c.stem}" for c in CHAPTERS)}
    assert {f"{URL}{page}.html" for page in pages} <= listed
    assert all(url.startswith(URL) for url in listed), listed


def test_pages_carry_their_canonical_address(published):
    page = (published.html / "chapters" / f"{CHAPTERS[4].stem}.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{URL}chapters/{CHAPTERS[4].stem}.html" />' in page


class _Refs(HTMLParser):
    """Every address a page links to, and every one it loads."""

    LOADS = {("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"),
             ("object", "data"), ("source", "src"), ("video", "src"), ("audio", "src")}

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name in ("href", "src", "data") and value:
                self.links.append(value)
                rel = attrs.get("rel", "")
                if (tag, name) in self.LOADS and not (tag == "link" and rel in (
                        "canonical", "alternate", "index", "search", "next", "prev")):
                    self.loads.append(value)


def problems(html: str) -> list[str]:
    refs = _Refs()
    refs.feed(html)
    local = [r for r in refs.links
             if re.match(r"(file:|https?://(localhost|127\.|\[::1\]))", r, re.I)]
    remote = [r for r in refs.loads if re.match(r"(https?:)?//", r, re.I)]
    return [f"zeigt auf diesen Rechner: {r}" for r in local] + \
           [f"lädt von fremdem Host: {r}" for r in remote]


def test_no_page_points_at_this_machine_or_loads_from_elsewhere(published):
    found = {}
    for page in published.html.rglob("*.html"):
        if found_here := problems(page.read_text(encoding="utf-8")):
            found[page.relative_to(published.html).as_posix()] = found_here
    assert found == {}


def test_the_page_check_catches_bad_pages():
    assert problems('<a href="file:///home/x/handbuch.pdf">x</a>') == [
        "zeigt auf diesen Rechner: file:///home/x/handbuch.pdf"]
    assert problems('<a href="http://localhost:8000/">x</a>')
    assert problems('<link rel="stylesheet" href="https://fonts.example.com/a.css">') == [
        "lädt von fremdem Host: https://fonts.example.com/a.css"]
    assert problems('<script src="//cdn.example.com/x.js"></script>')
    assert problems(f'<link rel="canonical" href="{URL}">') == []


def test_without_an_address_the_build_has_no_sitemap(handbook):
    assert not (handbook.html / "sitemap.xml").exists()
    assert 'rel="canonical"' not in (handbook.html / "index.html").read_text(encoding="utf-8")
