"""German typography: what belongs together stays on one line, brand names are whole."""

import re

import pytest

from helpers import split_brands
from typography import NBSP, keep_together

BREAKABLE = {
    "number and unit": re.compile(r"\d (?:%|Euro|Prozent)"),
    "Kapitel N": re.compile(r"\bKapitel \d"),
    "§ N": re.compile(r"§ \d"),
    "Abs. N": re.compile(r"\bAbs\. \d"),
    "date": re.compile(r"(?<!\])\b\d{1,2}\. (?:Januar|Februar|März|April|Mai|Juni|Juli|August|"
                       r"September|Oktober|November|Dezember)"),
    "file number": re.compile(r"\b\d{1,2} [A-Z][A-Za-z]{0,3} \d{1,4}/\d{2}\b"),
}
# a footnote's number before a date („…]45. Oktober 2023“) is not a day


def breakable(text: str) -> list[str]:
    return [f"{name}: {m[0]}" for name, pattern in BREAKABLE.items()
            for m in pattern.finditer(text)]


@pytest.mark.parametrize(("before", "after"), [
    ("17 % der Befragten", "17\u00a0% der Befragten"),
    ("bis zu 50.000 Euro", "bis zu 50.000\u00a0Euro"),
    ("steht in Kapitel 5", "steht in Kapitel\u00a05"),
    ("§ 5 Abs. 1 Nr. 6 DDG", "§\u00a05 Abs.\u00a01 Nr.\u00a06 DDG"),
    ("am 14. Mai 2024", "am 14.\u00a0Mai\u00a02024"),
    ("im Juli 2022", "im Juli\u00a02022"),
    ("(2 U 16/25)", "(2\u00a0U\u00a016/25)"),
    ("(15 UKl 2/25)", "(15\u00a0UKl\u00a02/25)"),
    ("(2 HK O 54/11)", "(2\u00a0HK\u00a0O\u00a054/11)"),
    ("auf S. 12", "auf S.\u00a012"),
])
def test_what_belongs_together_gets_no_break_spaces(before, after):
    assert keep_together(before) == after


def test_ordinary_spaces_stay():
    assert keep_together("Sie haben 3 Kontakte") == "Sie haben 3 Kontakte"
    assert NBSP not in keep_together("Kapitel und Seite")


def test_no_breakable_pair_in_the_books_html(handbook):
    found = {}
    for page in sorted((handbook.html / "chapters").glob("*.html")):
        text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
        if problems := breakable(text.replace("&#160;", NBSP)):
            found[page.name] = problems
    assert found == {}


def split_pairs(text: str) -> list[str]:
    """Pairs that belong together but stand on two lines of a PDF's text."""
    return [m for pattern in BREAKABLE.values()
            for m in re.findall(pattern.pattern.replace(" ", r"\n"), text)]


def test_no_pair_is_split_across_lines_in_the_pdf(book_texts):
    text = "\n".join(book_texts)
    assert split_pairs(text) == []
    assert split_pairs("in Kapitel\n5 und 17\n%") == ["7\n%", "Kapitel\n5"]


def test_no_brand_name_is_hyphenated_in_any_pdf(handbook, book_texts, handout_texts):
    texts = {handbook.pdf.name: book_texts,
             **{f"{name}.pdf": pages for name, pages in handout_texts.items()}}
    found = {name: split_brands("\n".join(pages)) for name, pages in texts.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_brand_check_sees_a_split_name():
    assert split_brands("mit Linke-\ndIn und Face\u2010\nbook") == ["Linke-\ndIn", "Face\u2010\nbook"]
    assert split_brands("LinkedIn-Profil") == []
    assert split_brands("laut Linked-\nIns Hilfe") == ["Linked-\nIn"]


def test_the_html_check_sees_ordinary_spaces():
    assert breakable("17 % und Kapitel 5 am 3. Mai") == ["number and unit: 7 %", "Kapitel N: Kapitel 5",
                                                        "date: 3. Mai"]
