"""Workshop handouts: one PDF per chapter plus the one-page overview."""


import pytest
from pypdf import PdfReader

from helpers import (
    CHAPTERS,
    REFERENCE_PAGES,
    chapter_title,
    chapter_titles,
    link_targets,
    make_project,
    qr_codes,
    qr_width_mm,
    read_qr,
    sphinx_build,
)


def first_page(handout_texts, name: str) -> str:
    return handout_texts[name][0].replace("\n", " ").replace("\u2010", "-").replace("\xa0", " ")


def test_one_handout_per_chapter(handbook):
    made = sorted(p.stem for p in handbook.handouts.glob("[0-9][0-9]-*.pdf"))
    assert made == sorted(["00-auf-einen-blick", *(c.stem for c in CHAPTERS)])


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_handout_starts_with_its_chapter_and_counts_its_own_pages(handout_texts, chapter):
    title = chapter_title(chapter)
    text = first_page(handout_texts, chapter.stem)
    body = text.split("Stand: ", 1)[1]  # after the title block
    assert title in body[:200], body[:200]
    assert f"Seite 1 von {len(handout_texts[chapter.stem])}" in text
    assert "Inhalt" not in text.split(title)[0], "Handouts haben kein Inhaltsverzeichnis"


def test_overview_gathers_every_short_answer_on_one_page(handout_texts):
    assert len(handout_texts["00-auf-einen-blick"]) == 1
    text = first_page(handout_texts, "00-auf-einen-blick")
    left_out = ("Über dieses Handbuch", "Für Trainerinnen und Trainer", "Glossar", "Quellen",
                "Vor dem Workshop prüfen")
    for title in chapter_titles(numbered=False):
        assert (title in text) != (title in left_out), title


def test_chapter_pages_link_their_handout(handbook):
    for chapter in CHAPTERS:
        page = (handbook.html / "chapters" / f"{chapter.stem}.html").read_text(encoding="utf-8")
        href = f"../handouts/{chapter.stem}.pdf"
        assert f'href="{href}"' in page, chapter.stem
        assert (handbook.html / "chapters" / href).resolve().is_file()


def test_start_page_links_the_overview(handbook):
    page = (handbook.html / "index.html").read_text(encoding="utf-8")
    assert 'href="handouts/00-auf-einen-blick.pdf"' in page
    assert (handbook.html / "handouts" / "00-auf-einen-blick.pdf").is_file()


def test_handout_links_all_resolve(handbook):
    for pdf in handbook.handouts.glob("*.pdf"):
        assert link_targets(PdfReader(pdf))[1] == [], pdf.name


@pytest.mark.slow
def test_qr_code_reads_back_as_the_chapters_online_address(tmp_path):
    src = make_project(tmp_path / "src")
    result = sphinx_build("pdf", src, tmp_path / "out", "-D",
                          "html_baseurl=https://handbuch.example/online/")
    assert result.returncode == 0, result.stderr
    codes = read_qr(tmp_path / "out" / "pdf" / "handouts" / "one.pdf", tmp_path)
    assert codes == ["https://handbuch.example/online/chapters/one.html"]


def test_without_a_base_url_there_is_no_qr_code(handbook, tmp_path):
    assert read_qr(handbook.handouts / f"{CHAPTERS[1].stem}.pdf", tmp_path) == []


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_handout_fits_its_sheets(handout_texts, chapter):
    pages = len(handout_texts[chapter.stem])
    assert pages <= REFERENCE_PAGES.get(chapter.stem, 2), f"{chapter.stem}: {pages} Seiten"


@pytest.mark.parametrize("heights, first", [
    ([1, 1, 1, 1], 2),
    ([3, 1, 1, 1], 1),
    ([1, 1, 1], 2),  # a tie: the first column takes more, as CSS columns do
    ([5], 1),
    ([], 0),
])
def test_sources_split_into_two_even_columns(heights, first):
    from handouts import even_split

    assert even_split(heights) == first


def test_a_handouts_sources_fill_two_columns(handbook):
    page = (handbook.handouts / "09-legal-basics.html").read_text(encoding="utf-8")
    sources = page.split('id="handout-sources"', 1)[1]
    columns = sources.split('class="column ')[1:]
    assert len(columns) == 2
    assert all(column.count('class="citation"') >= 5 for column in columns)


def test_sources_are_split_by_their_printed_length():
    """Long entries weigh more: one long entry balances several short ones. The length
    includes the address printed after a link."""
    from docutils import nodes

    from handouts import sources_section

    def entry(ident, text, uri=None):
        paragraph = nodes.paragraph("", text)
        if uri:
            paragraph += nodes.reference("", "Titel", refuri=uri)
        return nodes.citation("", paragraph, ids=[ident])

    def printed(node):
        return " ".join([node.astext(), *(r["refuri"] for r in node.findall(nodes.reference))])

    long = entry("lang", "Quelle", "https://example.org/" + "x" * 300)
    short = [entry(f"kurz-{n}", "Kurze Quelle.") for n in range(4)]
    section = sources_section([long, *short], "Quellen", "handout-sources", printed)
    first, second = [n for n in section.findall(nodes.container) if "column" in n["classes"]]
    assert [c["ids"] for c in first.findall(nodes.citation)] == [["lang"]]
    assert len(list(second.findall(nodes.citation))) == 4


def test_the_qr_size_check_sees_a_small_code(tmp_path):
    import segno
    from weasyprint import HTML

    # 33 modules of 1.7 px (CSS px, 96 to the inch): about 15 mm with its quiet zone
    small = segno.make("https://example.org/", error="m").svg_inline(scale=1.7, border=4)
    HTML(string=f"<div>{small}</div>").write_pdf(tmp_path / "small.pdf")
    codes = qr_codes(tmp_path / "small.pdf", tmp_path, dpi=150)
    assert codes and qr_width_mm(codes[0], dpi=150) < 20
