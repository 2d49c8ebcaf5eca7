"""The trainer's checklist "Vor dem Workshop prüfen" is generated from the citations."""

import re

from helpers import ROOT
from recheck import sections

PAGE = """(kap-x)=
# Ein Kapitel

Einleitung ohne Quelle.

## Erster Abschnitt

Eine Tatsache {cite:p}`quelle-a`, noch eine {cite:p}`quelle-b,quelle-a`.

## Ohne Quellen

Nur Rat.

### Mit {term}`Tabelle <Begriff>`

```{platform-table} Titel
:file: t.csv
```
"""


def test_each_section_with_sources_gives_one_line(tmp_path):
    (tmp_path / "t.csv").write_text("Merkmal,Art,XING,LinkedIn,Facebook,Quellen\n"
                                    "A,Heute,a,b,c,quelle-c quelle-a\nB,Praxis,a,b,c,\n",
                                    encoding="utf-8")
    label, found = sections(PAGE, tmp_path)
    assert label == "kap-x"
    assert found == [("Erster Abschnitt", ["quelle-a", "quelle-b"]),
                     ("Mit Tabelle", ["quelle-c", "quelle-a"])]


def test_the_checklist_names_every_source_of_the_book(handbook):
    checklist = (handbook.html / "chapters" / "14-check-before-workshop.html").read_text(
        encoding="utf-8")
    items = re.findall(r'<li class="task-list-item">(.*?)</li>', checklist, re.S)
    assert 'href="07-settings.html#wer-ihre-kontakte-auf-xing-sieht"' in checklist
    numbers = {n for item in items for n in re.findall(r">(\d+)</a>", item)}
    entries = re.findall(r"^@online\{", (ROOT / "chapters" / "references.bib").read_text(
        encoding="utf-8"), re.M)
    assert len(numbers) == len(entries)
