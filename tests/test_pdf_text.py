"""Text in the PDF: umlauts and ß survive extraction, and every character has a glyph in
the fonts the print stylesheet names (otherwise WeasyPrint falls back or draws a box)."""

import re
import subprocess

import pytest

from helpers import FAMILIES, missing_glyphs, visible_text


def matched_family(family: str) -> str:
    """What fontconfig gives for *family*; it falls back to another font rather than fail."""
    return subprocess.run(["fc-match", "-f", "%{family}", family],
                          capture_output=True, text=True, check=True).stdout


def test_the_print_fonts_are_installed_not_replaced():
    for family in FAMILIES:
        assert family in matched_family(family).split(","), matched_family(family)
    assert "Gibt es nicht" not in matched_family("Gibt es nicht").split(",")


def test_every_character_has_a_glyph_in_the_print_fonts(handbook):
    page = handbook.pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert missing_glyphs(visible_text(page)) == {}


def test_the_glyph_check_notices_a_missing_glyph():
    assert set(missing_glyphs("Häkchen ☐ und 🙂")["EB Garamond 12"]) == {"☐", "🙂"}


@pytest.mark.parametrize("words", ["Über dieses Handbuch", "nüchterne Frage", "Gespräche",
                                   "Anmeldung in zwei Schritten bei XING",
                                   "außerhalb der Plattform", "Was ins Impressum gehört",
                                   "Schritt 1: Was spricht dafür, was dagegen?",
                                   "erfahrungsgemäß von höherer"])
def test_umlauts_and_sharp_s_survive_extraction(book_texts, words):
    text = re.sub(r"\s+", " ", " ".join(book_texts).replace("\u2010", "-"))
    assert words in text
