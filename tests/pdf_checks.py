"""Checks of a typeset PDF that read what is printed where: the words and their boxes
(pdftotext -bbox), the glyphs and their sizes (pdfminer), the graphics without the text
(Ghostscript), the bookmarks and link targets (pypdf). Each returns what it found wrong,
so a test asserts an empty list and a known-bad PDF proves the check fires."""

import re
import subprocess
import tempfile
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
FLOOR_PT = 8.0  # nothing a reader must read prints smaller
# A word's box on the graphics layer: a background is one flat tone; an image, a QR code
# or a line through the word is not. 60 of 255 grey levels leaves anti-aliased edges alone.
CONTRAST = 60


def page_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, each word with its box (x0, y0, x1, y1 in pt, from the top left)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [[(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(page)]
            for page in out.split("<page ")[1:]]


def small_print(pdf: Path, floor: float = FLOOR_PT) -> list[str]:
    """Runs of glyphs set below *floor* pt, diagrams (SVG text) included."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTContainer

    def glyphs(item):
        if isinstance(item, LTChar):
            yield item
        elif isinstance(item, LTContainer):
            for child in item:
                yield from glyphs(child)

    found = []
    for number, page in enumerate(extract_pages(pdf), 1):
        runs: dict[float, str] = {}
        for glyph in glyphs(page):
            if glyph.size < floor - 0.05:
                size = round(glyph.size, 1)
                runs[size] = runs.get(size, "") + glyph.get_text()
        found += [f"S. {number}: {size} pt „{text.strip()[:40]}“" for size, text in runs.items()]
    return found


def overlapping_words(pdf: Path) -> list[str]:
    """Pairs of words on one page whose boxes cover each other."""
    found = []
    for number, words in enumerate(page_words(pdf), 1):
        words.sort(key=lambda word: word[1])  # top to bottom: compare only words in reach
        for i, (x0, y0, x1, y1, w) in enumerate(words):
            for u0, v0, u1, v1, other in words[i + 1:]:
                if v0 >= y1:
                    break
                dx, dy = min(x1, u1) - max(x0, u0), min(y1, v1) - max(y0, v0)
                if dx > 0 and dy > 0.5 * min(y1 - y0, v1 - v0) \
                        and dx * dy > 0.3 * min((x1 - x0) * (y1 - y0), (u1 - u0) * (v1 - v0)):
                    found.append(f"S. {number}: „{w}“ über „{other}“")
    return found


def text_over_graphics(pdf: Path, dpi: int = 100) -> list[str]:
    """Words printed over an image, a QR code or a line: Ghostscript draws each page
    without its text, and the middle band of each word's box must be one flat tone."""
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        # Links are invisible, and Ghostscript's PDF interpreter takes ten times longer
        # over a book's hundreds of link annotations: they stay out.
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pgmraw",
                        f"-r{dpi}", "-dFILTERTEXT", "-dShowAnnots=false",
                        f"-sOutputFile={tmp}/p-%d.pgm", str(pdf)], check=True)
        scale = dpi / 72
        for number, words in enumerate(page_words(pdf), 1):
            with Image.open(f"{tmp}/p-{number}.pgm") as graphics:
                for x0, y0, x1, y1, word in words:
                    band = (y1 - y0) * 0.3  # leaves out underlines and the next line's ink
                    box = (round((x0 + 0.5) * scale), round((y0 + band) * scale),
                           round((x1 - 0.5) * scale), round((y1 - band) * scale))
                    if box[2] > box[0] and box[3] > box[1]:
                        low, high = graphics.crop(box).getextrema()
                        if high - low > CONTRAST:
                            found.append(f"S. {number}: „{word}“ über einer Grafik")
    return found


def outline(reader: PdfReader) -> list[tuple[str, int]]:
    """Every bookmark (chapters and their sections) in order, with its 1-based page."""
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield " ".join(item.title.split()), reader.get_destination_page_number(item) + 1
    return list(walk(reader.outline))


TOC_LINE = re.compile(r"^(.*?)\s*(?:\.\s*){3,}(\d+)$")


def wrong_toc_entries(pdf: Path) -> list[str]:
    """Table-of-contents entries whose printed page is not the page their heading prints
    on (WeasyPrint puts a bookmark where the heading's text is)."""
    reader = PdfReader(pdf)
    marks = outline(reader)
    first = next(page for title, page in marks if re.match(r"\d+ ", title))
    entries = [(" ".join(m[1].split()), int(m[2]))
               for page in reader.pages[1:first]  # a compact edition starts on that page
               for line in page.extract_text().splitlines()
               if (m := TOC_LINE.match(line.strip()))]
    found, at = [], 0
    for title, printed in entries:
        hits = [i for i in range(at, len(marks)) if marks[i][0] == title]
        if not hits:
            found.append(f"„{title}“ hat kein Lesezeichen")
            continue
        at = hits[0] + 1
        if marks[hits[0]][1] != printed:
            found.append(f"„{title}“: Inhalt nennt S. {printed}, steht auf S. {marks[hits[0]][1]}")
    if not entries:
        found.append("kein Inhaltsverzeichnis gefunden")
    return found


PAGE_REF = re.compile(r"(?:\(S\.\s?(\d+)\)|(?:\.\s*){3,}(\d+)|^(\d+))\]?$")


def wrong_page_references(pdf: Path) -> list[str]:
    """Links that print a page number ("(S. 12)", a contents line, an index entry) and
    lead to another page."""
    reader = PdfReader(pdf)
    named = reader.named_destinations
    words = page_words(pdf)
    index_from = dict(outline(reader)).get("Stichwortverzeichnis", len(reader.pages) + 1)
    found = []
    for number, page in enumerate(reader.pages, 1):
        height = float(page.mediabox.height)
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            dest = annot.get("/Dest", (annot.get("/A") or {}).get("/D"))
            if annot.get("/Subtype") != "/Link" or dest is None or str(dest) not in named:
                continue
            a, b, c, d = (float(v) for v in annot["/Rect"])
            x0, x1, y0, y1 = min(a, c), max(a, c), min(b, d), max(b, d)
            text = " ".join(w for a, b, c, d, w in words[number - 1]
                            if x0 <= (a + c) / 2 <= x1 and y0 <= height - (b + d) / 2 <= y1)
            match = PAGE_REF.search(text)
            if not match or (match[3] and number < index_from):
                continue  # no page number printed; or a source's number, not an index entry
            printed = int(match[1] or match[2] or match[3])
            target = reader.get_destination_page_number(named[str(dest)]) + 1
            if printed != target:
                found.append(f"S. {number}: „{text}“ führt auf S. {target}")
    return found


def half_empty_pages(pdf: Path) -> list[str]:
    """Pages whose text ends in the upper half of the page, other than a chapter's last
    page (the next page opens a chapter, the notes or the back page), the notes page
    (ruled lines, no words) and the first and last page."""
    reader = PdfReader(pdf)
    marks = outline(reader)
    opens = {page for title, page in marks
             if re.match(r"\d+ ", title) or title in ("Notizen", "Auf einen Blick")}
    skip = {1, len(reader.pages)} | {page - 1 for page in opens} | \
        {page for title, page in marks if title == "Notizen"}
    found = []
    for number, words in enumerate(page_words(pdf), 1):
        height = float(reader.pages[number - 1].mediabox.height)
        body = [w for w in words if height * 0.07 < w[1] < height * 0.93]  # no running heads
        bottom = max((w[3] for w in body), default=0.0)
        if number not in skip and bottom < height * 0.5:
            found.append(f"S. {number}: Text endet bei {bottom / height:.0%} der Seitenhöhe")
    return found


CHECKS = {"overlap": overlapping_words, "graphics": text_over_graphics,
          "small": small_print, "pages": wrong_page_references}


def every_finding(pdf: Path) -> dict[str, list[str]]:
    """Each of CHECKS on *pdf*, by name: one call per PDF for a pool of processes."""
    return {name: check(pdf) for name, check in CHECKS.items()}
