"""Facts of today cite their sources: keys resolve, every source is complete and cited,
the Stand is never older than a source, and the tables say which rows are sourced."""

import datetime
import re

import pytest

from german import german_date
from helpers import CITING, GOOD_ENTRY, ROOT, SOURCES, STAND, make_project, sphinx_in_process
from typography import keep_together

BIB = ROOT / "chapters" / "references.bib"


def build(tmp_path, chapter: str = CITING, bib: str = GOOD_ENTRY, **pages):
    src = make_project(tmp_path / "src", {"chapters/one.md": chapter,
                                           "chapters/references.bib": bib,
                                           "chapters/sources.md": SOURCES, **pages})
    return sphinx_in_process("html", src, tmp_path / "out")


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


def test_citations_render_in_html_and_pdf(handbook, book_texts):
    page = (handbook.html / "chapters" / "09-legal-basics.html").read_text(encoding="utf-8")
    assert re.search(r'class="bibtex-citation"[^>]*>\[<a class="reference internal" '
                     r'href="13-sources.html#', page)
    text = " ".join(book_texts)
    assert re.search(r"\[\d+ \(S\. \d+\)\]", text), "Zitat mit Seitenzahl fehlt im PDF"
    # each source's address is printed as a footnote on paper
    assert "https://www.vg-koeln.nrw.de/behoerde/presse/Pressemitteilungen/08_22072025/" \
        in text.replace("\n", "")


def test_a_handout_lists_the_sources_its_chapter_cites(handout_texts):
    text = " ".join(handout_texts["09-legal-basics"])
    assert "Quellen dieses Kapitels" in text and "Verwaltungsgericht Köln" in text
    text = " ".join(handout_texts["10-decision"])
    assert "Quellen dieses Kapitels" not in text  # cites nothing


# -- known-bad input: each rule fails the build with file and line ---------------------

@pytest.mark.slow
def test_a_good_source_builds(tmp_path):
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_an_unknown_citation_key_fails_with_file_and_line(tmp_path):
    result = build(tmp_path, chapter="# Ein Kapitel\n\nText {cite:p}`quelle-a`, {cite:p}`gibtsnicht`.\n")
    assert result.returncode != 0
    assert "chapters/one.md:3" in result.stderr and "gibtsnicht" in result.stderr, result.stderr


BAD_SOURCES = [
    (GOOD_ENTRY.replace("  url     = {https://example.org/a},\n", ""), "hat keine Adresse (url)"),
    (GOOD_ENTRY.replace(f"  urldate = {{{STAND.isoformat()}}},\n", ""), "hat kein Lesedatum (urldate)"),
    (GOOD_ENTRY.replace("  date    = {2025-07-22},\n", ""), "hat kein Datum der Quelle (date)"),
    (GOOD_ENTRY.replace("2025-07-22", "22.07.2025"), "ungültiges Datum der Quelle"),
    (GOOD_ENTRY.replace(STAND.isoformat(), (STAND + datetime.timedelta(days=1)).isoformat()),
     "ist jünger als der Stand"),
    (GOOD_ENTRY.replace("date    = {2025-07-22}", f"date    = {{{STAND.year + 1}}}"),
     "ist jünger als der Stand"),
    (GOOD_ENTRY.replace("@online", "@misc"), "ist @misc; Quellen sind @online"),
    (GOOD_ENTRY + GOOD_ENTRY.replace("quelle-a", "quelle-b"), "Quelle „quelle-b“ wird nirgends zitiert"),
]


@pytest.fixture(scope="module")
def bad_sources(tmp_path_factory):
    """One build with every bad source, each under a key of its own (fall-N), each cited
    but the one that is not: every rule is checked, and each names its entry's line."""
    bib = "".join(entry.replace("quelle-a", f"fall-{n}") for n, (entry, _) in enumerate(BAD_SOURCES))
    cited = ", ".join(f"{{cite:p}}`fall-{n}`" for n in range(len(BAD_SOURCES)))
    result = build(tmp_path_factory.mktemp("sources"), chapter=f"# Ein Kapitel\n\nTatsachen {cited}.\n",
                   bib=bib)
    assert result.returncode != 0
    return bib, result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("n", range(len(BAD_SOURCES)), ids=[e for _, e in BAD_SOURCES])
def test_a_bad_source_fails_with_bib_file_and_line(bad_sources, n):
    bib, stderr = bad_sources
    entry, expected = BAD_SOURCES[n]
    key = "quelle-b" if "quelle-b" in entry else f"fall-{n}"
    line = next(number for number, text in enumerate(bib.splitlines(), 1) if f"{{{key}," in text)
    reported = [text for text in stderr.splitlines() if f"Quelle „{key}“" in text]
    assert any(f"chapters/references.bib:{line}: Quelle „{key}“" in text and expected in text
               for text in reported), stderr


@pytest.mark.slow
def test_a_bib_syntax_error_names_file_and_line(tmp_path):
    result = build(tmp_path, bib=GOOD_ENTRY.replace("},\n}", "},\n"))
    assert result.returncode != 0
    assert "chapters/references.bib:8: Syntaxfehler" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_an_undated_source_says_so(tmp_path):
    result = build(tmp_path, bib=GOOD_ENTRY.replace("2025-07-22", "o. J."))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "html" / "chapters" / "sources.html").read_text(encoding="utf-8")
    assert f"Ohne Datum, abgerufen am {keep_together(german_date(STAND))}." in page


# -- comparison tables: what kind of statement each row makes --------------------------

TABLE_PAGE = "# Vergleich\n\n```{platform-table} Test\n:file: t.csv\n```\n"
HEADER = "Merkmal,Art,XING,LinkedIn,Facebook,Quellen\n"


@pytest.mark.slow
def test_table_rows_show_their_kind_and_sources(tmp_path):
    csv = HEADER + "A,Praxis,a,b,c,\nB,Heute,a,b,c,quelle-a\n"
    src = make_project(tmp_path / "src", {"chapters/one.md": TABLE_PAGE, "chapters/t.csv": csv,
                                           "chapters/references.bib": GOOD_ENTRY,
                                           "chapters/sources.md": SOURCES})
    result = sphinx_in_process("html", src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "html" / "chapters" / "one.html").read_text(encoding="utf-8")
    assert ">Praxis</span>" in page and ">Heute</span>" in page
    assert 'href="sources.html#' in page


BAD_ROWS = [
    ("A,Heute,a,b,c,\n", "t.csv:2: eine Zeile „Heute“ braucht eine Quelle"),
    ("A,Heute,a,b,c,gibtsnicht\n", "t.csv:2: unbekannte Quelle „gibtsnicht“"),
    ("A,Praxis,a,b,c,quelle-a\n", "t.csv:2: eine Zeile „Praxis“ gibt Erfahrungen"),
    ("A,Damals,a,b,c,\n", "t.csv:2: Art muss Praxis oder Heute sein"),
]


@pytest.fixture(scope="module")
def bad_rows(tmp_path_factory):
    """One build with every bad table, each on a page of its own (tN.md, tN.csv)."""
    pages = {"chapters/references.bib": GOOD_ENTRY, "chapters/two.md": CITING}
    for n, (rows, _expected) in enumerate(BAD_ROWS):
        pages[f"chapters/t{n}.md"] = TABLE_PAGE.replace("t.csv", f"t{n}.csv")
        pages[f"chapters/t{n}.csv"] = HEADER + rows
    tmp = tmp_path_factory.mktemp("rows")
    result = sphinx_in_process("html", make_project(tmp / "src", pages), tmp / "out")
    assert result.returncode != 0
    return result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("n", range(len(BAD_ROWS)), ids=[e for _, e in BAD_ROWS])
def test_a_table_row_without_a_proper_source_is_caught(bad_rows, n):
    expected = BAD_ROWS[n][1].replace("t.csv", f"t{n}.csv")
    assert any(f"chapters/t{n}.md:3: " in line and expected in line
               for line in bad_rows.splitlines()), bad_rows
