"""The print PDF, checked on the real handbook with pypdf."""

import html
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from helpers import (
    CONF,
    ROOT,
    chapter_titles,
    fonts,
    link_targets,
    make_project,
    outline_pages,
    pdf_name,
    sphinx_build,
)

A4 = (595.28, 841.89)  # points


@pytest.fixture(scope="module")
def reader(handbook) -> PdfReader:
    return PdfReader(handbook.pdf)


@pytest.fixture(scope="module")
def texts(book_texts) -> list[str]:
    # The print fonts map space and no-break space to one glyph: either may come back.
    return [text.replace("\xa0", " ") for text in book_texts]


def test_every_page_is_a4(reader):
    for number, page in enumerate(reader.pages, 1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4, abs=0.5), f"Seite {number}: {size}"


def test_outline_lists_every_chapter(reader):
    bookmarks = outline_pages(reader)
    for title in chapter_titles():
        assert title in bookmarks, f"Lesezeichen fehlt: {title}"
    assert "Stichwortverzeichnis" in bookmarks


def test_sections_are_nested_bookmarks(reader):
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert nested and all(isinstance(child, Destination) for group in nested for child in group)


def toc_entries(texts: list[str], first_chapter: int) -> dict[str, int]:
    """Title -> printed page number, read from the pages between cover and chapter 1."""
    entries = {}
    for text in texts[1:first_chapter - 1]:
        for line in text.splitlines():
            if match := re.match(r"^(.+?)[\s.]*?\.[\s.]+(\d+)$", line.strip()):
                entries[match[1].strip()] = int(match[2])
    return entries


def test_toc_page_numbers_match_where_chapters_start(reader, texts):
    actual = outline_pages(reader)
    printed = toc_entries(texts, actual[chapter_titles()[0]])
    assert len(printed) > len(chapter_titles()), printed
    for title in [*chapter_titles(), "Stichwortverzeichnis"]:
        assert title in printed, f"nicht im Inhaltsverzeichnis: {title}"
        assert printed[title] == actual[title], title
        # The chapter heading really is on that page (not just the bookmark).
        assert title in texts[actual[title] - 1].replace("\n", " ")


def test_running_header_and_page_footer(reader, texts):
    total = len(reader.pages)
    actual = outline_pages(reader)
    for title in chapter_titles():
        page = actual[title]
        text = texts[page - 1].replace("\n", " ").replace("\u2010", "-")
        assert text.count(title) >= 2, f"kein Kolumnentitel auf S. {page}: {title}"
    for number in range(2, total + 1):
        assert f"Seite {number} von {total}" in texts[number - 1]
    assert "Seite 1 von" not in texts[0], "das Titelblatt trägt keine Seitenzahl"


def page_of(texts: list[str], words: str) -> int:
    found = [n for n, text in enumerate(texts) if words in " ".join(text.split())]
    assert len(found) == 1, f"„{words}“ auf Seiten {found}"
    return found[0]


# A heading, a table's caption and the sentence that introduces a table stay with the table.
@pytest.mark.parametrize(("before", "first_row"), [
    ("Ablauf für 90 Minuten Zeit Block", "0:00–0:10"),
    ("Ablauf für einen halben Tag Zeit Block", "0:00–0:15"),
])
def test_a_table_starts_on_the_page_that_introduces_it(texts, before, first_row):
    assert page_of(texts, before) == page_of(texts, first_row)


def test_a_handouts_table_caption_stays_with_its_rows(handout_texts):
    texts = handout_texts["06-platform-comparison"]
    assert page_of(texts, "Berufliche Nutzung in Deutschland") == \
        page_of(texts, "Vor allem beruflich, und dort gern")


def test_cover_shows_title_version_and_stand(texts):
    cover = texts[0]
    assert CONF["project"] in cover and CONF["version"] in cover and "Stand" in cover


def test_fonts_are_the_projects_own_embedded_and_subset(reader):
    found = fonts(reader)
    assert found and all(found.values()), found
    families = {name.split("+", 1)[1].split("-")[0] for name in found}
    assert families <= {"EB", "Lato", "DejaVu"}, families
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in found), "nicht als Teilmenge eingebettet"


def test_metadata_and_language(reader):
    meta = reader.metadata
    for field in ("/Title", "/Author", "/Subject", "/Keywords"):
        assert meta.get(field), f"{field} fehlt"
    assert reader.trailer["/Root"]["/Lang"] == "de-DE"


def test_pdf_is_tagged_for_accessibility(reader):
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_external_links_are_printed_as_footnotes(handbook, texts):
    urls = re.findall(r'<span class="link-note">([^<]+)</span>',
                      (handbook.out / "pdf" / handbook.pdf.with_suffix(".html").name).read_text())
    assert urls, "das Handbuch hat keinen externen Link"
    whole = "".join(texts).replace("\n", "")
    for url in map(html.unescape, urls):
        assert url in whole, f"URL nicht als Fußnote gedruckt: {url}"


def page_repeated_in_a_group(text: str) -> list[str]:
    """Citation groups that print a page number before their last source."""
    return re.findall(r"\[[^\]]*\(S\.\s?\d+\),\s*\d[^\]]*\]", text)


def test_footnotes_are_letters_and_a_group_of_sources_names_its_page_once(texts):
    text = "\n".join(texts)
    assert re.search(r"^[a-z]{1,2}\) https?://", text, re.M), "Fußnoten ohne Buchstaben"
    assert not re.search(r"^\d+\. https?://", text, re.M)
    assert re.search(r"\[\d+, \d+[^\]]*\(S\.\s?\d+\)\]", text.replace("\n", " "))
    assert page_repeated_in_a_group(text.replace("\n", " ")) == []
    assert page_repeated_in_a_group("[4 (S. 36), 9 (S. 36)]") == ["[4 (S. 36), 9 (S. 36)]"]


def test_internal_references_carry_page_numbers(texts):
    assert re.search(r"\(S\.\s?\d+\)", "".join(texts))


def test_every_link_in_the_pdf_resolves(reader):
    links, dead = link_targets(reader)
    assert links > 20 and dead == []


def test_two_clean_builds_give_identical_bytes(handbook, pdf_again):
    assert pdf_again.read_bytes() == handbook.pdf.read_bytes()


def test_the_pdf_link_check_finds_a_dead_destination(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(*A4)
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([FloatObject(0)] * 4),
        NameObject("/Dest"): TextStringObject("nirgends")})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    writer.write(tmp_path / "dead.pdf")
    assert link_targets(PdfReader(tmp_path / "dead.pdf")) == (1, ["S. 1: nirgends"])


def test_page_numbers_known_from_the_last_build_give_the_same_pdf(handbook, tmp_path):
    """A page is typeset with the page numbers its last PDF found (no extra layout passes);
    numbers that no longer agree, as after an edit, are found again: the PDF is the same."""
    from typeset import write_pdf

    root = tmp_path / "pdf"
    shutil.copytree(handbook.out / "pdf", root)
    page = root / "handouts" / "05-requests-from-strangers.html"
    first = page.with_suffix(".pdf").read_bytes()
    numbers_file = page.with_suffix(".pages.json")
    numbers = json.loads(numbers_file.read_text(encoding="utf-8"))
    assert numbers and max(numbers.values()) == 2

    for known in (numbers, {anchor: number % 2 + 1 for anchor, number in numbers.items()}):
        numbers_file.write_text(json.dumps(known), encoding="utf-8")
        target = page.with_suffix(".pdf")
        target.unlink()
        assert write_pdf(page, target, root)
        assert target.read_bytes() == first
        assert json.loads(numbers_file.read_text(encoding="utf-8")) == numbers
    # Switched off (pdf_known_page_numbers = False), WeasyPrint counts itself: same PDF.
    numbers_file.write_text(json.dumps({anchor: 99 for anchor in numbers}), encoding="utf-8")
    page.with_suffix(".pdf").unlink()
    assert write_pdf(page, page.with_suffix(".pdf"), root, known_numbers=False)
    assert page.with_suffix(".pdf").read_bytes() == first


def test_the_hyphenation_cache_survives_a_broken_file(tmp_path):
    import pyphen

    from layout import PRINT_LANG, load_hyphenation

    path = pyphen.LANGUAGES[pyphen.language_fallback(PRINT_LANG)]
    expected = pyphen.Pyphen(lang=PRINT_LANG).hd.positions("Kontaktanfrage")
    for content in (None, b"kaputt"):
        pyphen.hdcache.pop(path, None)
        for cache in tmp_path.glob("*.pickle"):
            cache.write_bytes(content)
        load_hyphenation(tmp_path)
        assert pyphen.hdcache[path].positions("Kontaktanfrage") == expected
    assert len(list(tmp_path.glob("*.pickle"))) == 1


@pytest.mark.slow
def test_a_changed_image_under_its_old_name_gives_a_new_pdf(tmp_path):
    """The typesetting cache sees the bytes of every file a page loads, not only its HTML."""
    page = "# Ein Kapitel\n\n![Ein Logo](logo.svg)\n"
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
           '<rect width="40" height="40" fill="{}"/></svg>')
    src = make_project(tmp_path / "src", {"chapters/one.md": page,
                                          "chapters/logo.svg": svg.format("#16324f")})
    assert sphinx_build("pdf", src, tmp_path / "out").returncode == 0
    first = (tmp_path / "out" / "pdf" / pdf_name()).read_bytes()
    (src / "chapters" / "logo.svg").write_text(svg.format("#b3541e"), encoding="utf-8")
    assert sphinx_build("pdf", src, tmp_path / "out").returncode == 0
    assert (tmp_path / "out" / "pdf" / pdf_name()).read_bytes() != first


def test_an_updated_font_under_its_old_name_gives_a_new_layout_key(tmp_path):
    """Fonts come from fontconfig, not from the page's references: the typesetting cache
    hashes the files of every family the print stylesheet names."""
    fonts_dir = tmp_path / "fonts"
    fonts_dir.mkdir()
    lato = fonts_dir / "Lato-Regular.ttf"
    shutil.copy("/usr/share/fonts/truetype/lato/Lato-Regular.ttf", lato)
    config = tmp_path / "fonts.conf"
    config.write_text(f"<fontconfig><dir>{fonts_dir}</dir>"
                      f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    root = tmp_path / "root"
    (root / "_static").mkdir(parents=True)
    (root / "_static" / "print.css").write_text("body { font-family: Lato, sans-serif; }")

    def files_and_key() -> list[str]:
        # A process of its own: a fontconfig of its own, never seen by a build of this session
        script = ("import sys; from pathlib import Path; sys.path.insert(0, '_ext')\n"
                  "from typeset import font_files, layout_key\n"
                  f"root = Path({str(root)!r})\n"
                  "print(*font_files((root / '_static' / 'print.css').read_bytes()))\n"
                  "print(layout_key('<p>Text</p>', root))")
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, text=True,
                                capture_output=True, check=True,
                                env={**os.environ, "FONTCONFIG_FILE": str(config)})
        return result.stdout.splitlines()

    files, before = files_and_key()
    assert files == str(lato)
    lato.write_bytes(lato.read_bytes() + b"\0")  # same name, other bytes
    assert files_and_key()[1] != before
