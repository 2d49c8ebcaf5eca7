"""Today's facts name their sources: in a box "Heute" and on the pages that state such
facts throughout, a statement without a citation fails the build with file and line."""

import pytest

from helpers import make_project, sphinx_in_process

pytestmark = pytest.mark.slow  # every test builds a throwaway project

GOOD_ENTRY = """@online{quelle-a,
  author  = {{Beispielamt}},
  title   = {Eine Seite},
  date    = {2025-07-22},
  url     = {https://example.org/a},
  urldate = {2025-08-01},
}
"""
SOURCES = "# Quellen\n\n```{bibliography}\n```\n"

HEUTE_BOX = """# Ein Kapitel

:::{admonition} Heute
:class: heute

{{ stand_badge }}

Eine Tatsache mit Quelle {cite:p}`quelle-a`.

Eine Tatsache ohne Quelle.

- Ein Punkt mit Quelle {cite:p}`quelle-a`.
- Ein Punkt ohne Quelle.
- Eine Bezeichnung: nicht belegt – bitte selbst prüfen.
:::

Fließtext außerhalb eines Kastens braucht hier keine Quelle.
"""

SOURCED_PAGE = """# Recht

:::{admonition} Kurz gesagt
:class: kurz-gesagt

Eine Zusammenfassung ohne Quelle.
:::

{bdg-secondary-line}`Ergänzung der Redaktion` Woher das Kapitel stammt.

{{ stand_badge }} Eine Tatsache hinter dem Stand, ohne Quelle.

Ein Satz, der eine Liste einleitet:

- Eine Pflicht mit Quelle {cite:p}`quelle-a`.
- Eine Pflicht ohne Quelle.

Siehe {numref}`kap-one` für die Einzelheiten.

:::{admonition} Empfehlung der Redaktion
:class: ergaenzung

Ein Rat, der auf keiner Tatsache ruht.
:::

## Für die Praxis

- [ ] Ein Schritt ohne Quelle.
"""
ONE = "(kap-one)=\n# Eins\n\nText.\n"


def build(tmp_path, pages):
    src = make_project(tmp_path / "src", {"chapters/references.bib": GOOD_ENTRY,
                                           "chapters/sources.md": SOURCES, **pages})
    return sphinx_in_process("html", src, tmp_path / "out")


def test_a_heute_box_without_a_source_fails_with_file_and_line(tmp_path):
    result = build(tmp_path, {"chapters/one.md": HEUTE_BOX})
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "Aussage ohne Quelle" in line]
    assert len(errors) == 2, result.stderr
    assert "chapters/one.md:10:" in errors[0] and "Eine Tatsache ohne Quelle" in errors[0]
    assert "chapters/one.md:13:" in errors[1] and "Ein Punkt ohne Quelle" in errors[1]


def test_a_page_of_todays_facts_needs_a_source_for_every_statement(tmp_path):
    result = build(tmp_path, {"chapters/09-legal-basics.md": SOURCED_PAGE,
                              "chapters/one.md": ONE + "\nEin Zitat {cite:p}`quelle-a`.\n"})
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "Aussage ohne Quelle" in line]
    assert len(errors) == 3, result.stderr
    assert "09-legal-basics.md:11:" in errors[0] and "Eine Tatsache hinter dem Stand" in errors[0]
    assert "09-legal-basics.md:16:" in errors[1] and "Eine Pflicht ohne Quelle" in errors[1]
    assert "09-legal-basics.md:20:" in errors[2] and "Ein Rat" in errors[2]


def test_sourced_statements_pass_and_keep_failing_on_a_rerun(tmp_path):
    fixed = HEUTE_BOX.replace("Eine Tatsache ohne Quelle.", "Belegt {cite:p}`quelle-a`.")
    fixed = fixed.replace("- Ein Punkt ohne Quelle.", "- Auch belegt {cite:p}`quelle-a`.")
    assert build(tmp_path / "good", {"chapters/one.md": fixed}).returncode == 0
    # the same bad page built twice into one output fails twice
    assert build(tmp_path / "bad", {"chapters/one.md": HEUTE_BOX}).returncode != 0
    rerun = sphinx_in_process("html", tmp_path / "bad" / "src", tmp_path / "bad" / "out")
    assert rerun.returncode != 0 and "Aussage ohne Quelle" in rerun.stderr, rerun.stderr
