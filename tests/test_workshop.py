"""A workshop's own edition from a TOML file: its cover, its chapters in its order, the
book's print quality, notes and "Auf einen Blick" at the end; bad input names file and
key and writes nothing."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import (
    ROOT,
    URL,
    chapter_title,
    fonts,
    link_targets,
    missing_glyphs,
    numbered_title,
    outline_pages,
    sphinx_build,
    split_brands,
    visible_text,
)

EXAMPLE = ROOT / "workshops" / "beispiel.toml"


@pytest.fixture(scope="module")
def example(edition):
    """The example workshop's edition: its folder, its PDF and the text of each page."""
    pdfs = list(edition.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["2027-03-18-soziale-netzwerke-fuer-selbststaendige.pdf"]
    reader = PdfReader(pdfs[0])
    return edition, reader, [p.extract_text().replace("\xa0", " ") for p in reader.pages]


CHOSEN = ["02-whether-to-join", "05-requests-from-strangers", "09-legal-basics"]


def test_cover_carries_the_workshops_details(example):
    _out, _reader, texts = example
    cover = texts[0].replace("\n", " ")
    for detail in ("Soziale Netzwerke für Selbstständige", "18. März 2027",
                   "Gründungszentrum Musterstadt, Raum 2", "Dana Beispiel",
                   "dana.beispiel@example.org", "Stand"):
        assert detail in cover, detail
    assert URL in re.sub(r"\s+", "", cover)


def test_the_chosen_chapters_in_their_order_and_no_other(example):
    _out, reader, _texts = example
    bookmarks = list(outline_pages(reader))
    chapters = [b for b in bookmarks if re.match(r"^\d+ ", b)]
    assert chapters == [numbered_title(stem) for stem in CHOSEN]
    assert bookmarks[-5:] == ["Begriffe", "Online weiterlesen", "Quellen", "Notizen",
                              "Auf einen Blick"]


def test_every_link_resolves_and_left_out_chapters_give_their_address(example):
    _out, reader, texts = example
    assert link_targets(reader)[1] == []
    whole = " ".join(texts).replace("\n", " ")
    # chapter 2 refers to chapter 3, which this workshop leaves out: plain text in the
    # chapter, its address once in "Online weiterlesen"
    compact = re.sub(r"\s+", "", whole)  # a long address breaks across lines
    assert "(online:" not in whole
    assert compact.count(f"{URL}chapters/03-every-contact-online.html") == 1
    further = whole[whole.index("Online weiterlesen Diese Kapitel"):]
    assert "Kapitel 3: Persönliche Bekannte auch online verbinden?" in further
    # the glossary is left out: the terms the chapters use are defined in "Begriffe"
    terms = whole[:whole.index("Online weiterlesen Diese")]  # chapter 12 is not chosen
    assert "Kontaktanfrage Die Bitte, sich auf einer Plattform" in terms
    # sources cited in the chosen chapters are in the edition, with their page
    assert re.search(r"\[\d+ \(S\. \d+\)\]", whole), "Quellenverweis mit Seitenzahl"


def test_glance_is_the_last_page_with_the_chosen_chapters_only(example):
    _out, _reader, texts = example
    last = texts[-1].replace("\n", " ")
    assert last.startswith("Auf einen Blick")
    for stem in CHOSEN:
        assert chapter_title(stem) in last
    assert chapter_title("04-what-platforms-offer") not in last
    assert texts[-2].startswith("Notizen")
    # the participants take the trainer's name and contact home, and the book's address
    assert "Leitung: Dana Beispiel" in last and "dana.beispiel@example.org" in last
    assert URL in re.sub(r"\s+", "", last)


def test_same_print_quality_as_the_book(example):
    out, reader, texts = example
    assert split_brands("\n".join(texts)) == []
    found = fonts(reader)
    assert found and all(found.values()), found
    assert reader.trailer["/Root"]["/Lang"] == "de-DE"
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert missing_glyphs(visible_text(page)) == {}


def test_duplex_starts_every_chapter_on_a_right_hand_page(long_edition):
    reader = PdfReader(long_edition)
    starts = [page for name, page in outline_pages(reader).items() if re.match(r"^\d+ ", name)]
    assert starts and all(page % 2 == 1 for page in starts), starts
    blank = [p.extract_text() for p in reader.pages if "Diese Seite bleibt frei" in p.extract_text()]
    assert blank, "keine markierte Leerseite"


BAD_INPUT = [
    (('"09-legal-basics",', '"09-legal-basics",\n  "13-gibtsnicht",'),
     "chapters: unbekanntes Kapitel „13-gibtsnicht“"),
    (('logo = "beispiel-logo.svg"', 'logo = "fehlt.png"'), "logo: Datei „fehlt.png“ fehlt"),
    (('logo = "beispiel-logo.svg"', 'logo = "https://example.org/logo.png"'),
     "logo: „https://example.org/logo.png“ ist keine lokale Datei"),
    (("date = 2027-03-18", 'date = "18.03.2027"'), "date: „18.03.2027“ ist kein Datum"),
    (('trainer = "Dana Beispiel"\n', ""), "trainer: Angabe fehlt"),
    (('place = "', 'ort = "'), "ort: unbekannte Angabe"),
]


def changed_example(tmp_path, *changes) -> Path:
    """The example's file with *changes*, beside its logo."""
    toml = EXAMPLE.read_text(encoding="utf-8")
    for change in changes:
        assert change[0] in toml
        toml = toml.replace(*change)
    (tmp_path / "workshop.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "beispiel-logo.svg").write_text(
        (ROOT / "workshops" / "beispiel-logo.svg").read_text(encoding="utf-8"))
    return tmp_path / "workshop.toml"


@pytest.mark.parametrize(("change", "expected"), BAD_INPUT, ids=[e for _, e in BAD_INPUT])
def test_bad_input_names_the_key(tmp_path, change, expected):
    from workshop_file import chapter_titles, read_workshop

    _data, problems = read_workshop(changed_example(tmp_path, change), chapter_titles(ROOT))
    assert any(problem.startswith(expected) for problem in problems), problems


@pytest.mark.slow
def test_the_build_names_file_and_key_of_every_problem_and_writes_nothing(tmp_path):
    # all of them but the second logo at once: the build reports every problem
    toml = changed_example(tmp_path, *(change for n, (change, _) in enumerate(BAD_INPUT) if n != 2))
    out = tmp_path / "out"
    result = sphinx_build("workshop", ROOT, out, "-D", f"workshop_file={toml}")
    assert result.returncode != 0
    for n, (_change, expected) in enumerate(BAD_INPUT):
        if n != 2:
            assert f"workshop.toml: {expected}" in result.stderr, result.stderr
    assert not list((out / "workshop").glob("*.pdf")) and not list((out / "workshop").glob("*.html"))


# -- the workshop file forgives what a trainer types (pure functions, no build) ----------

def check(tmp_path, text: str):
    from workshop_file import chapter_titles, read_workshop

    (tmp_path / "w.toml").write_text(text, encoding="utf-8")
    return read_workshop(tmp_path / "w.toml", chapter_titles(ROOT))


GOOD = ('title = "T"\ndate = "2027-01-14"\nplace = "P"\ntrainer = "T"\ncontact = "c"\n'
        'chapters = CHAPTERS\n')


def test_chapters_by_number_file_name_or_title(tmp_path):
    data, problems = check(tmp_path, GOOD.replace(
        "CHAPTERS", '[2, "05", "09-legal-basics.md", "Ihre Entscheidung: ein Arbeitsblatt"]'))
    assert problems == []
    assert list(data.chapters) == ["chapters/02-whether-to-join", "chapters/05-requests-from-strangers",
                                "chapters/09-legal-basics", "chapters/10-decision"]


def test_an_unknown_chapter_lists_the_choices_with_titles(tmp_path):
    _data, problems = check(tmp_path, GOOD.replace("CHAPTERS", "[99]"))
    assert len(problems) == 1 and "unbekanntes Kapitel „99“" in problems[0]
    assert "5 Kontaktanfragen von Unbekannten" in problems[0]


@pytest.mark.parametrize(("line", "expected"), [
    ("date = 14.01.2027", 'Zeile 2, Spalte 13: kein gültiges TOML – setzen Sie das Datum in '
                          'Anführungszeichen: date = "2027-01-14"'),
    ("place = Köln", "Text gehört in Anführungszeichen"),
    ('chapters = [1, 2', "am Ende der Datei"),
])
def test_a_toml_slip_is_told_in_german_with_line_and_hint(tmp_path, line, expected):
    text = 'title = "T"\n' + line + "\n"
    _data, problems = check(tmp_path, text)
    assert len(problems) == 1 and expected in problems[0], problems


def test_a_slug_must_be_one_file_name(tmp_path):
    toml = GOOD.replace("CHAPTERS", "[2]") + 'slug = "VHS Köln Januar/2027"\n'
    _data, problems = check(tmp_path, toml)
    assert problems == ["slug: „VHS Köln Januar/2027“ taugt nicht als Dateiname; erlaubt sind "
                        "Buchstaben, Ziffern, Punkt, Binde- und Unterstrich, etwa vhs-koeln-2027-01"]
    assert check(tmp_path, GOOD.replace("CHAPTERS", "[2]") + 'slug = "vhs-köln_2027.01"\n')[1] == []


def test_make_checks_the_file_first_and_ends_with_the_problem(tmp_path):
    bad = tmp_path / "mein ordner" / "w.toml"
    bad.parent.mkdir()
    bad.write_text('title = "T"\ndate = 14.01.2027\n', encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "_ext" / "workshop_file.py"), str(bad)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stdout.strip().splitlines()[-1].startswith(f"{bad}: Zeile 2, Spalte 13")


def test_a_bad_file_stops_the_builder_before_any_typesetting_worker_starts(tmp_path):
    import io

    from sphinx.application import Sphinx

    bad = tmp_path / "w.toml"
    bad.write_text('title = "T"\n', encoding="utf-8")
    warnings = io.StringIO()
    app = Sphinx(ROOT, ROOT, tmp_path / "out", tmp_path / "doctrees", "workshop",
                 confoverrides={"workshop_file": str(bad)}, status=None, warning=warnings)
    assert app.builder.typesetter is None
    assert "date: Angabe fehlt" in warnings.getvalue()
