"""No text prints over other text on any page: the book and a workshop edition with a
long title, a logo, a public address and duplex printing (conftest.LONG_EDITION; the
combination that overlapped before)."""

import re
import subprocess

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def overlapping_words(pdf) -> list[str]:
    """Pairs of words on one page whose boxes cover each other (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    found = []
    for number, page in enumerate(html.split("<page ")[1:], 1):
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(page)]
        for i, (x0, y0, x1, y1, w) in enumerate(words):
            for u0, v0, u1, v1, other in words[i + 1:]:
                dx, dy = min(x1, u1) - max(x0, u0), min(y1, v1) - max(y0, v0)
                if dx > 0 and dy > 0.5 * min(y1 - y0, v1 - v0) \
                        and dx * dy > 0.3 * min((x1 - x0) * (y1 - y0), (u1 - u0) * (v1 - v0)):
                    found.append(f"S. {number}: „{w}“ über „{other}“")
    return found


def test_no_text_overlaps_in_a_long_workshop_edition_with_an_address(long_edition):
    assert overlapping_words(long_edition) == []


def test_no_text_overlaps_in_the_book_and_its_handouts(handbook):
    pdfs = [handbook.pdf, *sorted(handbook.handouts.glob("*.pdf"))]
    assert {pdf.name: hits for pdf in pdfs if (hits := overlapping_words(pdf))} == {}


def test_the_overlap_check_sees_text_printed_over_text(tmp_path):
    from weasyprint import HTML

    page = ('<p style="position:absolute;top:20mm;left:20mm;font-size:14pt">Version 1.0</p>'
            '<p style="position:absolute;top:21mm;left:22mm;font-size:14pt">Online lesen</p>')
    HTML(string=page).write_pdf(tmp_path / "bad.pdf")
    assert overlapping_words(tmp_path / "bad.pdf")
