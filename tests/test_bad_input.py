"""Bad input fails the build loudly, with file and line, and never costs the last good PDF."""

import logging

import pytest

from helpers import CHAPTER, make_project, pdf_name, sphinx_build, sphinx_in_process


def build_good_project(tmp_path):
    """A small project whose PDF was built once, successfully."""
    src = make_project(tmp_path / "src")
    out = tmp_path / "out"
    result = sphinx_build("pdf", src, out)
    assert result.returncode == 0, result.stderr
    return src, out, (out / "pdf" / pdf_name()).read_bytes()


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    return build_good_project(tmp_path_factory.mktemp("good"))


@pytest.fixture
def good_project(good_build):
    """The small project, its PDF built once: each bad input is one more failed build after
    it, and the PDF must still be that first one. Its good page is put back afterwards."""
    src, _out, _before = good_build
    yield good_build
    (src / "chapters" / "one.md").write_text(CHAPTER, encoding="utf-8")


def rebuild_fails(src, out, page: str, text: str, expected: str) -> str:
    (src / page).parent.mkdir(parents=True, exist_ok=True)
    (src / page).write_text(text, encoding="utf-8")
    result = sphinx_build("pdf", src, out)
    assert result.returncode != 0, "der Build hätte scheitern müssen"
    assert expected in result.stderr, result.stderr
    return result.stderr


@pytest.mark.slow
def test_a_warning_fails_the_build_with_file_and_line(good_project):
    src, out, before = good_project
    rebuild_fails(src, out, "chapters/one.md", "# Ein Kapitel\n\nSiehe {term}`Gibtsnicht`.\n",
                  "chapters/one.md:3")
    assert (out / "pdf" / pdf_name()).read_bytes() == before


@pytest.mark.slow
def test_a_remote_image_is_an_error_not_a_download(good_project):
    src, out, before = good_project
    stderr = rebuild_fails(src, out, "chapters/one.md",
                           "# Ein Kapitel\n\n![Logo](https://example.invalid/logo.png)\n",
                           "chapters/one.md:3")
    assert "fremden Server" in stderr
    assert (out / "pdf" / pdf_name()).read_bytes() == before


@pytest.mark.slow
def test_weasyprint_may_not_fetch_anything_remote(good_project):
    src, out, before = good_project
    page = '# Ein Kapitel\n\n<img alt="x" src="http://127.0.0.1:9/x.png">\n'
    rebuild_fails(src, out, "chapters/one.md", page, "darf nur Dateien aus")
    assert (out / "pdf" / pdf_name()).read_bytes() == before


def test_a_dead_anchor_keeps_the_previous_pdf(tmp_path, caplog):
    from typeset import write_pdf  # conftest puts _ext on the import path

    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "print.css").write_text("a { color: black; }\n")
    source = tmp_path / "page.html"
    source.write_text('<html lang="de"><body><a href="#nirgends">x</a></body></html>')
    target = tmp_path / "old.pdf"
    target.write_bytes(b"previous")
    with caplog.at_level(logging.WARNING):
        write_pdf(source, target, tmp_path)
    assert target.read_bytes() == b"previous"
    assert "nirgends" in caplog.text
    assert not list(tmp_path.glob(".*partial"))


HEAD = "Merkmal,Art,XING,LinkedIn,Facebook,Quellen\n"
BROKEN_TABLES = [
    ("Merkmal,XING,Facebook\nA,b,c\n", "t.csv:1: Kopfzeile"),
    (HEAD + "A,Praxis,b,c,d,\nB,Praxis,b,c\n", "t.csv:3: 4 Zellen statt 6"),
    (HEAD + "A,Praxis,b\n", "t.csv:2: 3 Zellen statt 6"),
    (HEAD + "A\n", "t.csv:2: 1 Zelle statt 6"),
    (HEAD + "A,Praxis,b, ,d,\n", "t.csv:2: leere Zelle für LinkedIn"),
    (HEAD, "t.csv: enthält keine Zeilen"),
    (HEAD + 'A,Praxis,"b,c,d\n', "t.csv:2: kein gültiges CSV"),
]
TABLE_PAGE = "# Vergleich {n}\n\n```{{platform-table}} Test\n:file: {csv}\n```\n"


@pytest.fixture(scope="module")
def broken_tables(tmp_path_factory):
    """One build of a project with every broken table, each on a page of its own: every
    table is checked, and each error names its own page and file."""
    tmp = tmp_path_factory.mktemp("tables")
    pages = {"chapters/missing.md": TABLE_PAGE.format(n="fehlt", csv="fehlt.csv")}
    for n, (csv, _expected) in enumerate(BROKEN_TABLES):
        pages[f"chapters/t{n}.md"] = TABLE_PAGE.format(n=n, csv=f"t{n}.csv")
        pages[f"chapters/t{n}.csv"] = csv
    result = sphinx_in_process("html", make_project(tmp / "src", pages), tmp / "out")
    assert result.returncode != 0
    return result.stderr


def error_of(stderr: str, page: str) -> str:
    """The error the build reports for *page*, with file and line."""
    found = [line for line in stderr.splitlines() if f"chapters/{page}.md:3: " in line]
    assert len(found) == 1, stderr
    return found[0]


@pytest.mark.slow
@pytest.mark.parametrize("n", range(len(BROKEN_TABLES)),
                         ids=[expected for _csv, expected in BROKEN_TABLES])
def test_a_broken_comparison_table_names_file_and_line(broken_tables, n):
    expected = BROKEN_TABLES[n][1].replace("t.csv", f"t{n}.csv")
    assert expected in error_of(broken_tables, f"t{n}")


@pytest.mark.slow
def test_a_missing_table_file_is_named(broken_tables):
    assert "fehlt.csv: kann nicht gelesen werden" in error_of(broken_tables, "missing")


@pytest.mark.slow
def test_only_changed_pages_are_typeset_again(tmp_path):
    src, out, _before = build_good_project(tmp_path)
    pdf = out / "pdf" / pdf_name()
    stamp = pdf.stat().st_mtime_ns
    assert sphinx_build("pdf", src, out, "-E").returncode == 0
    assert pdf.stat().st_mtime_ns == stamp, "unveränderte Seite neu gesetzt"
    css = src / "_static" / "print.css"
    css.write_text(css.read_text() + "\nh1 { color: black; }\n")
    assert sphinx_build("pdf", src, out).returncode == 0
    assert pdf.stat().st_mtime_ns != stamp, "geänderte Gestaltung nicht übernommen"
