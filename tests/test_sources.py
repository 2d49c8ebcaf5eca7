"""Facts of today cite their sources: keys resolve, every source is complete and cited,
the Stand is never older than a source, and the tables say which rows are sourced."""

import datetime
import re

import pytest
from pypdf import PdfReader

from conftest import ROOT, STAND, make_project, sphinx_build
from german import german_date
from typography import keep_together

BIB = ROOT / "chapters" / "references.bib"
GOOD_ENTRY = """@online{quelle-a,
  author  = {{Beispielamt}},
  title   = {Eine Seite},
  date    = {2025-07-22},
  url     = {https://example.org/a},
  urldate = {%s},
}
""" % STAND.isoformat()
CITING = "# Ein Kapitel\n\nEine Tatsache {cite:p}`quelle-a`.\n"
SOURCES = "# Quellen\n\n```{bibliography}\n```\n"


def build(tmp_path, chapter: str = CITING, bib: str = GOOD_ENTRY, **pages):
    src = make_project(tmp_path / "src", {"chapters/one.md": chapter,
                                           "chapters/references.bib": bib,
                                           "chapters/sources.md": SOURCES, **pages})
    return sphinx_build("html", src, tmp_path / "out")


def bib_keys() -> list[str]:
    return re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8"), re.M)


# -- the real handbook ------------------------------------------------------------------

def test_every_source_is_listed_in_the_sources_chapter(handbook):
    page = (handbook.html / "chapters" / "13-sources.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" id="[^"]+" role="listitem">', page)
    assert len(entries) == len(bib_keys()) > 20
    for url in re.findall(r"^\s*url\s*=\s*\{(.+)\}", BIB.read_text(encoding="utf-8"), re.M):
        assert f'href="{url.replace("&", "&amp;")}"' in page, url
    assert f"abgerufen am {keep_together(german_date(STAND))}" in page


def test_citations_render_in_html_and_pdf(handbook):
    page = (handbook.html / "chapters" / "09-legal-basics.html").read_text(encoding="utf-8")
    assert re.search(r'class="bibtex-citation"[^>]*>\[<a class="reference internal" '
                     r'href="13-sources.html#', page)
    text = " ".join(p.extract_text() for p in PdfReader(handbook.pdf).pages)
    assert re.search(r"\[\d+ \(S\. \d+\)\]", text), "Zitat mit Seitenzahl fehlt im PDF"
    # each source's address is printed as a footnote on paper
    assert "https://www.vg-koeln.nrw.de/behoerde/presse/Pressemitteilungen/08_22072025/" \
        in text.replace("\n", "")


def test_a_handout_lists_the_sources_its_chapter_cites(handbook):
    text = " ".join(p.extract_text() for p in
                    PdfReader(handbook.handouts / "09-legal-basics.pdf").pages)
    assert "Quellen dieses Kapitels" in text and "Verwaltungsgericht Köln" in text
    text = " ".join(p.extract_text() for p in
                    PdfReader(handbook.handouts / "10-decision.pdf").pages)
    assert "Quellen dieses Kapitels" not in text  # cites nothing


# -- known-bad input: each rule fails the build with file and line ---------------------

def test_a_good_source_builds(tmp_path):
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr


def test_an_unknown_citation_key_fails_with_file_and_line(tmp_path):
    result = build(tmp_path, chapter="# Ein Kapitel\n\nText {cite:p}`quelle-a`, {cite:p}`gibtsnicht`.\n")
    assert result.returncode != 0
    assert "chapters/one.md:3" in result.stderr and "gibtsnicht" in result.stderr, result.stderr


@pytest.mark.parametrize(("entry", "expected"), [
    (GOOD_ENTRY.replace("  url     = {https://example.org/a},\n", ""), "hat keine Adresse (url)"),
    (GOOD_ENTRY.replace(f"  urldate = {{{STAND.isoformat()}}},\n", ""), "hat kein Lesedatum (urldate)"),
    (GOOD_ENTRY.replace("  date    = {2025-07-22},\n", ""), "hat kein Datum der Quelle (date)"),
    (GOOD_ENTRY.replace("2025-07-22", "22.07.2025"), "ungültiges Datum der Quelle"),
    (GOOD_ENTRY.replace(STAND.isoformat(), (STAND + datetime.timedelta(days=1)).isoformat()),
     "ist jünger als der Stand"),
    (GOOD_ENTRY.replace("date    = {2025-07-22}", "date    = {2027}"), "ist jünger als der Stand"),
    (GOOD_ENTRY.replace("@online", "@misc"), "ist @misc; Quellen sind @online"),
    (GOOD_ENTRY + GOOD_ENTRY.replace("quelle-a", "quelle-b"), "Quelle „quelle-b“ wird nirgends zitiert"),
])
def test_a_bad_source_fails_with_bib_file_and_line(tmp_path, entry, expected):
    result = build(tmp_path, bib=entry)
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr
    assert re.search(r"chapters/references\.bib:\d+: Quelle", result.stderr), result.stderr


def test_a_bib_syntax_error_names_file_and_line(tmp_path):
    result = build(tmp_path, bib=GOOD_ENTRY.replace("},\n}", "},\n"))
    assert result.returncode != 0
    assert "chapters/references.bib:8: Syntaxfehler" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_an_undated_source_says_so(tmp_path):
    result = build(tmp_path, bib=GOOD_ENTRY.replace("2025-07-22", "o. J."))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "html" / "chapters" / "sources.html").read_text(encoding="utf-8")
    assert f"Ohne Datum, abgerufen am {keep_together(german_date(STAND))}." in page


# -- comparison tables: what kind of statement each row makes --------------------------

TABLE_PAGE = "# Vergleich\n\n```{platform-table} Test\n:file: t.csv\n```\n"
HEADER = "Merkmal,Art,XING,LinkedIn,Facebook,Quellen\n"


def test_table_rows_show_their_kind_and_sources(tmp_path):
    csv = HEADER + "A,Praxis,a,b,c,\nB,Heute,a,b,c,quelle-a\n"
    src = make_project(tmp_path / "src", {"chapters/one.md": TABLE_PAGE, "chapters/t.csv": csv,
                                           "chapters/references.bib": GOOD_ENTRY,
                                           "chapters/sources.md": SOURCES})
    result = sphinx_build("html", src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "html" / "chapters" / "one.html").read_text(encoding="utf-8")
    assert ">Praxis</span>" in page and ">Heute</span>" in page
    assert 'href="sources.html#' in page


@pytest.mark.parametrize(("rows", "expected"), [
    ("A,Heute,a,b,c,\n", "t.csv:2: eine Zeile „Heute“ braucht eine Quelle"),
    ("A,Heute,a,b,c,gibtsnicht\n", "t.csv:2: unbekannte Quelle „gibtsnicht“"),
    ("A,Praxis,a,b,c,quelle-a\n", "t.csv:2: eine Zeile „Praxis“ gibt Erfahrungen"),
    ("A,Damals,a,b,c,\n", "t.csv:2: Art muss Praxis oder Heute sein"),
])
def test_a_table_row_without_a_proper_source_is_caught(tmp_path, rows, expected):
    src = make_project(tmp_path / "src", {"chapters/one.md": TABLE_PAGE,
                                           "chapters/t.csv": HEADER + rows,
                                           "chapters/references.bib": GOOD_ENTRY,
                                           "chapters/two.md": CITING})
    result = sphinx_build("html", src, tmp_path / "out")
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr
