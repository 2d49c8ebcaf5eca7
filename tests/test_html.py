"""The HTML site: German, self-contained, and every page offers the PDF."""

import re
from html.parser import HTMLParser

import pytest

from helpers import EPUB_NAME, PDF_NAME, make_project, pdf_name, sphinx_in_process
from internal_links import check_site

RESOURCE_ATTRS = {("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"),
                  ("object", "data"), ("source", "src"), ("video", "src"), ("audio", "src")}


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external: list[str] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        for name, value in attrs.items():
            if (tag, name) in RESOURCE_ATTRS and value and re.match(r"^(https?:)?//", value):
                self.external.append(f"<{tag} {name}={value}>")


def pages(handbook):
    return [p for p in sorted(handbook.html.rglob("*.html")) if "_static" not in p.parts]


def test_every_page_is_german_and_loads_nothing_from_elsewhere(handbook):
    for page in pages(handbook):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.lang == "de", page.name
        assert parser.external == [], page.name


def test_stylesheets_fetch_nothing_from_elsewhere(handbook):
    for css in handbook.html.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


def test_every_page_links_the_pdf_and_shows_the_stand(handbook):
    for page in pages(handbook):
        text = page.read_text(encoding="utf-8")
        match = re.search(r'href="([^"]*' + re.escape(pdf_name()) + r')"[^>]*>\s*(.*?)</a>', text, re.S)
        assert match and "PDF herunterladen" in match[2], page.name
        assert (page.parent / match[1]).resolve().is_file(), page.name
        assert "Stand: " in text, page.name


def test_the_site_carries_every_download(handbook):
    """What `make html pdf` ships: its copy_pdf puts the book, the EPUB and every handout,
    as built, into the site (and nothing of the handouts' print pages)."""
    assert (handbook.html / PDF_NAME).read_bytes() == handbook.pdf.read_bytes()
    assert (handbook.html / EPUB_NAME).read_bytes() == handbook.epub.read_bytes()
    made = sorted(p.name for p in handbook.handouts.glob("*.pdf"))
    assert len(made) > 10
    assert sorted(p.name for p in (handbook.html / "handouts").iterdir()) == made
    for name in made:
        assert (handbook.html / "handouts" / name).read_bytes() == \
            (handbook.handouts / name).read_bytes(), name


def test_search_is_german(handbook):
    options = (handbook.html / "_static" / "documentation_options.js").read_text()
    assert re.search(r"LANGUAGE: 'de'", options)
    assert "GermanStemmer" in (handbook.html / "_static" / "language_data.js").read_text()


def test_internal_links_of_the_site_all_resolve(handbook):
    assert check_site(handbook.html) == []


def test_dead_internal_links_are_found(tmp_path):
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="b.html">x</a> <a href="a.html#there">y</a>'
        ' <a href="#here">ok</a> <img src="missing.png"></p>')
    found = {(page.name, message) for page, _line, message in check_site(tmp_path)}
    assert found == {("a.html", "Datei fehlt: b.html"), ("a.html", "Anker fehlt: a.html#there"),
                     ("a.html", "Datei fehlt: missing.png")}


@pytest.mark.slow
@pytest.mark.parametrize("href", ["nirgends.html", "one.html#nirgends"])
def test_a_dead_link_in_a_page_fails_the_html_build(tmp_path, href):
    page = f'# Ein Kapitel\n\n```{{raw}} html\n<a href="{href}">weg</a>\n```\n'
    src = make_project(tmp_path / "src", {"chapters/one.md": page})
    result = sphinx_in_process("html", src, tmp_path / "out")
    assert result.returncode != 0
    assert "chapters/one.md" in result.stderr and "fehlt" in result.stderr, result.stderr
