"""One print design, right in every configuration: the book, every handout, the take-home
sheet and workshop editions, built without and with a public address (HANDBOOK_URL), and
a workshop edition with a long title, umlauts and a logo. On every page: no text over
text or over a graphic, nothing below 8 pt, and every printed page number right."""

from urllib.parse import quote

import pytest
from weasyprint import HTML

from helpers import ROOT, URL
from pdf_checks import (
    half_empty_pages,
    overlapping_words,
    small_print,
    text_over_graphics,
    wrong_page_references,
    wrong_toc_entries,
)


@pytest.fixture(scope="module")
def editions(edition, plain_edition, long_edition) -> dict:
    [with_address] = edition.glob("*.pdf")
    return {"beispiel ohne Adresse": plain_edition, "beispiel mit Adresse": with_address,
            "lang mit Adresse": long_edition}


def found(print_findings: dict, check: str) -> dict:
    return {name: hits[check] for name, hits in print_findings.items() if hits[check]}


def findings(pdfs: dict, check) -> dict:
    return {name: hits for name, pdf in pdfs.items() if (hits := check(pdf))}


def test_the_matrix_holds_every_output(print_findings):
    names = " ".join(print_findings)
    for part in ("Buch ohne", "Buch mit", "00-auf-einen-blick mit Adresse",
                 "08-safety mit Adresse", "Workshop lang mit Adresse"):
        assert part in names


def test_no_text_prints_over_other_text(print_findings):
    assert found(print_findings, "overlap") == {}


def test_no_text_prints_over_an_image_a_qr_code_or_a_line(print_findings):
    assert found(print_findings, "graphics") == {}


def test_nothing_prints_below_8_pt(print_findings):
    assert found(print_findings, "small") == {}


def test_every_contents_entry_names_the_page_its_heading_prints_on(handbook, published,
                                                                  editions):
    pdfs = {"Buch ohne Adresse": handbook.pdf, "Buch mit Adresse": published.pdf,
            **{f"Workshop {name}": pdf for name, pdf in editions.items()}}
    assert findings(pdfs, wrong_toc_entries) == {}


def test_every_printed_page_number_leads_to_that_page(print_findings):
    """Contents, "(S. 12)" after a reference (tables and figures too) and the index."""
    assert found(print_findings, "pages") == {}


def test_figures_and_tables_are_numbered_as_on_screen(book_texts, handout_texts):
    book = " ".join(" ".join(page.split()) for page in book_texts)
    for caption in ("Abbildung 5.1 Empfehlung der Redaktion", "Tabelle 6.1 ", "Tabelle 6.4 "):
        assert caption in book, caption
    assert "Tabelle 6.1 (S. " in book  # a reference to a table names its page
    assert "Tabelle 6.1" in " ".join(handout_texts["06-platform-comparison"][:2])


def test_the_compact_edition_leaves_no_page_half_empty(editions):
    """The example's 90-minute selection on about 16 pages; only a chapter's last page
    may stay half empty."""
    from pypdf import PdfReader

    assert len(PdfReader(editions["beispiel ohne Adresse"]).pages) <= 16
    # (the long edition prints on both sides: its chapters open on a right-hand page)
    compact = {name: pdf for name, pdf in editions.items() if name.startswith("beispiel")}
    assert findings(compact, half_empty_pages) == {}


# -- each check fires on a known-bad page ---------------------------------------------------
def bad_pdf(tmp_path, body: str):
    HTML(string=f"<html lang='de'><body>{body}</body></html>", base_url=str(ROOT)).write_pdf(
        tmp_path / "bad.pdf")
    return tmp_path / "bad.pdf"


def test_the_overlap_check_sees_text_printed_over_text(tmp_path):
    pdf = bad_pdf(tmp_path, '<p style="position:absolute;top:20mm;left:20mm">Version 1.0</p>'
                            '<p style="position:absolute;top:21mm;left:22mm">Online lesen</p>')
    assert overlapping_words(pdf)


def test_the_graphics_check_sees_text_over_a_qr_code_and_a_logo_not_over_a_background(tmp_path):
    import segno

    qr = segno.make(URL, error="m").svg_inline(scale=3, border=0)
    pdf = bad_pdf(tmp_path,
                  f'<div style="position:absolute;top:20mm;left:20mm;width:28mm">{qr}</div>'
                  '<p style="position:absolute;top:25mm;left:22mm">Stand: 1. Dezember</p>'
                  '<img style="position:absolute;top:80mm;left:20mm;width:50mm" '
                  'src="workshops/beispiel-logo.svg">'
                  '<p style="position:absolute;top:82mm;left:30mm">Workshop</p>'
                  '<p style="position:absolute;top:150mm;left:30mm;background:#16324f;'
                  'color:#fff">Auf dunklem Grund</p>')
    hits = " ".join(text_over_graphics(pdf))
    assert "Stand:" in hits and "Workshop" in hits and "dunklem" not in hits


def test_the_size_check_sees_small_print_in_text_and_in_a_diagram(tmp_path):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
           '<text x="0" y="20" font-size="10" font-family="Lato">Diagramm</text></svg>')
    pdf = bad_pdf(tmp_path, '<p style="font-size:9pt">Groß genug</p>'
                            '<p style="font-size:6.5pt">Quelle in Kleinstschrift</p>'
                            f'<img style="width:40mm" src="data:image/svg+xml,{quote(svg)}">')
    hits = " ".join(small_print(pdf))
    assert "Quelle" in hits and "Diagramm" in hits and "Groß" not in hits


CONTENTS = ('<section style="break-after:page"><p>Titelblatt</p></section>'
            '<p>1 Eins . . . . . . . . . . 3</p><p>Ein Abschnitt . . . . . . . . 3</p>'
            '<h1 style="break-before:page">1 Eins</h1><p>Text</p>'
            '<h2 style="break-before:page">Ein Abschnitt</h2><p>Text</p>')


def test_the_contents_check_sees_a_heading_on_a_later_page(tmp_path):
    assert wrong_toc_entries(bad_pdf(tmp_path, CONTENTS)) == [
        "„Ein Abschnitt“: Inhalt nennt S. 3, steht auf S. 4"]


def test_the_page_number_check_sees_a_reference_to_the_wrong_page(tmp_path):
    pdf = bad_pdf(tmp_path, '<p><a href="#ziel">Siehe dort (S. 9)</a></p>'
                            '<p style="break-before:page" id="ziel">Ziel</p>')
    assert wrong_page_references(pdf) == ["S. 1: „Siehe dort (S. 9)“ führt auf S. 2"]


def test_the_half_empty_check_sees_a_break_in_the_middle_of_a_chapter(tmp_path):
    pdf = bad_pdf(tmp_path, '<p style="break-after:page">Titelblatt</p>'
                            '<h1>1 Eins</h1><p style="break-after:page">Kurz.</p>'
                            '<p style="break-after:page">Auch kurz.</p>'
                            '<h1>2 Zwei</h1><p>Ende.</p>')
    assert [hit[:5] for hit in half_empty_pages(pdf)] == ["S. 2:"]
