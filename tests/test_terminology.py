"""One set of words: the build names file and line of every variant to avoid, and every
term the list relies on is defined in the glossary."""

import tomllib

import pytest

from helpers import ROOT, make_project, sphinx_in_process
from terminology import findings, load

TERMS = ROOT / "chapters" / "terminology.toml"
GLOSSARY = ROOT / "chapters" / "12-glossary.md"


def glossary_terms(text: str) -> set[str]:
    block = text.split("```{glossary}")[1].split("```")[0]
    return {line.strip().lower() for line in block.splitlines()
            if line.strip() and not line.startswith((" ", ":"))}


def missing_from_glossary(rules: list[dict], glossary: str) -> list[str]:
    terms = glossary_terms(glossary)
    return [r["term"] for r in rules if r.get("term") and r["term"].lower() not in terms]


def test_every_term_of_the_list_is_in_the_glossary():
    rules = tomllib.loads(TERMS.read_text(encoding="utf-8"))["rule"]
    assert missing_from_glossary(rules, GLOSSARY.read_text(encoding="utf-8")) == []
    # known-bad: a term the glossary lacks
    assert missing_from_glossary([{"term": "Gibtsnicht", "use": "x", "avoid": []}],
                                 GLOSSARY.read_text(encoding="utf-8")) == ["Gibtsnicht"]


RULES, _ = load(TERMS)


def found(line: str, docname: str = "chapters/one") -> list[str]:
    return [variant for _, variant, _ in findings(line, RULES, docname)]


@pytest.mark.parametrize(("line", "variant"), [
    ("Er wollte einen Kontakt knüpfen.", "knüpfen"),
    ("Was bringen Kontakte mit Unbekannten?", "Kontakte mit"),
    ("Den Kontakt können Sie jederzeit entfernen.", "Kontakt können Sie jederzeit entfernen"),
    ("Anfragen von Fremden sind häufig.", "Fremden"),
    ("Jeden persönlichen Kontakt online bestätigen?", "persönlichen Kontakt"),
    ("Ein Kontaktwunsch kommt herein.", "Kontaktwunsch"),
    ("„Jetzt nicht“ ist in Ordnung.", "Jetzt nicht"),
    ("Werbung ist oft unerwünscht.", "unerwünscht"),
    ("Fragen Sie Ihre Kunden.", "Kunden"),
    ("Alle Teilnehmer kennen das.", "Teilnehmer"),
    ("Die Workshops nahmen den Einwand ernst.", "Workshops"),
    ("Das berichteten Teilnehmende.", "berichteten"),
    ("Fragen, die Teilnehmende stellten.", "Teilnehmende"),
])
def test_a_banned_variant_is_found(line, variant):
    assert variant in found(line)


@pytest.mark.parametrize("line", [
    "Gehen Sie eine Verbindung ein oder lösen Sie sie.",
    "Anfragen von Unbekannten sind häufig.",
    "Trainerinnen und Trainer, Selbstständige und Kundschaft.",
    "„Jetzt noch nicht“ ist eine Antwort.",
    "Werbung ist nicht immer gern gesehen.",
    # a platform's on-screen label is quoted as it is
    "Tippen Sie auf „Kontakt entfernen“.",
    "Die Schaltfläche „Kontakte mit Unbekannten“ gibt es nicht.",
])
def test_the_preferred_words_and_quoted_labels_pass(line):
    assert found(line) == []


def test_a_rule_spares_the_pages_it_exempts():
    assert found("Die Teilnehmenden Ihres Workshops", "chapters/11-for-trainers") == []
    assert found("Die Teilnehmenden Ihres Workshops", "chapters/02-whether-to-join") != []
    assert found("Man sagt nicht „Fremde“, sondern Fremde.", "chapters/12-glossary") == []


@pytest.mark.slow
def test_the_build_fails_with_file_and_line(tmp_path):
    page = "# Ein Kapitel\n\nEin guter Satz.\n\nAnfragen von Fremden.\n"
    src = make_project(tmp_path / "src", {"chapters/one.md": page})
    result = sphinx_in_process("html", src, tmp_path / "out")
    assert result.returncode != 0
    assert "chapters/one.md:5: WARNING: „Fremden“: Wir schreiben" in result.stderr, result.stderr


@pytest.mark.slow
def test_a_new_rule_fails_the_next_build(tmp_path):
    src = make_project(tmp_path / "src", {"chapters/one.md": "# Ein Kapitel\n\nEin Quatschwort.\n"})
    assert sphinx_in_process("html", src, tmp_path / "out").returncode == 0
    rules = src / "chapters" / "terminology.toml"
    rules.write_text(rules.read_text(encoding="utf-8")
                     + '\n[[rule]]\nuse = "Unsinn"\navoid = ["Quatschwort"]\n', encoding="utf-8")
    again = sphinx_in_process("html", src, tmp_path / "out")
    assert again.returncode != 0 and "chapters/one.md:3" in again.stderr, again.stderr


@pytest.mark.slow
def test_the_tables_are_checked_too(tmp_path):
    page = "# Vergleich\n\n```{platform-table} Test\n:file: comparison/t.csv\n```\n"
    csv = "Merkmal,Art,XING,LinkedIn,Facebook,Quellen\nAnfragen,Praxis,von Fremden,b,c,\n"
    src = make_project(tmp_path / "src", {"chapters/one.md": page,
                                           "chapters/comparison/t.csv": csv})
    result = sphinx_in_process("html", src, tmp_path / "out")
    assert result.returncode != 0
    assert "chapters/comparison/t.csv:2: WARNING: „Fremden“" in result.stderr, result.stderr
