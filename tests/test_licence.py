"""The licence shows in every output, and the handbook's own Impressum in the site and the
book once a publisher is named; publishing without one is said plainly."""

import re
import zipfile

import pytest
from pypdf import PdfReader

from helpers import clean_environ, make_project, pdf_name, sphinx_build, sphinx_in_process

LICENCE = "CC BY 4.0"
PUBLISHER = ('publisher = {"name": "Beispiel Medien GmbH", "address": "Musterweg 1\\n'
             '12345 Musterstadt", "email": "impressum@example.org", "phone": ""}\n')


def pages_without_licence(pages: dict[str, str]) -> list[str]:
    return [name for name, page in pages.items()
            if not re.search(rf'rel="license">{re.escape(LICENCE)}</a>', page)]


def test_every_output_names_the_licence(handbook, book_texts, handout_texts):
    html = {p.name: p.read_text(encoding="utf-8") for p in handbook.html.rglob("*.html")
            if "_static" not in p.parts}
    assert pages_without_licence(html) == []
    assert pages_without_licence({"kaputt.html": "<footer>© 2026</footer>"}) == ["kaputt.html"]
    last = book_texts[-1].replace("\xa0", " ")
    assert "Impressum und Lizenz" in last and LICENCE in last
    for name, pages in handout_texts.items():
        assert f"Text: {LICENCE}" in pages[0], name
    with zipfile.ZipFile(handbook.epub) as book:
        opf = book.read("content.opf").decode("utf-8")
    assert re.search(rf"<dc:rights>[^<]*{re.escape(LICENCE)}[^<]*</dc:rights>", opf)


@pytest.mark.slow
def test_a_named_publisher_gets_an_impressum(tmp_path):
    src = make_project(tmp_path / "src")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(PUBLISHER)
    assert sphinx_in_process("html", src, tmp_path / "out").returncode == 0
    impressum = (tmp_path / "out" / "html" / "impressum.html").read_text(encoding="utf-8")
    assert "Beispiel Medien GmbH" in impressum and "12345 Musterstadt" in impressum
    page = (tmp_path / "out" / "html" / "chapters" / "one.html").read_text(encoding="utf-8")
    assert 'href="../impressum.html">Impressum</a>' in page
    assert sphinx_build("pdf", src, tmp_path / "out").returncode == 0
    last = PdfReader(tmp_path / "out" / "pdf" / pdf_name()).pages[-1].extract_text().replace("\xa0", " ")
    assert "Herausgegeben von Beispiel Medien GmbH" in last


@pytest.mark.slow
def test_publishing_without_a_publisher_is_said(tmp_path):
    src = make_project(tmp_path / "src")
    env = clean_environ(HANDBOOK_URL="https://example.org/handbuch/", SOURCE_DATE_EPOCH="1764115200")
    # with an address sphinx-sitemap starts processes: a build of its own
    result = sphinx_build("html", src, tmp_path / "out", quiet=False, env=env)
    assert result.returncode == 0, result.stderr
    assert "Hinweis: Das Handbuch wird unter https://example.org/handbuch/" in result.stdout
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(PUBLISHER)
    named = sphinx_build("html", src, tmp_path / "out2", quiet=False, env=env)
    assert "Hinweis" not in named.stdout
    assert not (tmp_path / "out" / "html" / "impressum.html").exists()
