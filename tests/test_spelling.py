"""German spelling (hunspell-de-de, new orthography) finds nothing in the handbook, and
finds each planted mistake with file and line."""

import re

import pytest

from helpers import ROOT, make_project, sphinx_in_process


def test_the_handbook_has_no_spelling_mistakes(handbook_spelling):
    assert handbook_spelling.returncode == 0, handbook_spelling.stderr


@pytest.mark.slow
def test_planted_mistakes_are_each_reported_with_file_and_line(tmp_path):
    page = ("# Ein Kapitel\n\n"
            "Die Benachrichtungen kommen sofort.\n\n"   # line 3: a letter missing
            "Wen er vorher kannt hat, erfährt es.\n\n"  # line 5: the FAQ's own typo
            "Ihre Privatsphare ist wichtig.\n\n"        # line 7: umlaut lost
            "Er weiß, daß es stimmt.\n")                # line 9: old orthography
    src = make_project(tmp_path / "src", {"chapters/one.md": page})
    result = sphinx_in_process("spelling", src, tmp_path / "out")
    assert result.returncode != 0
    for line, word in [(3, "Benachrichtungen"), (5, "kannt"), (7, "Privatsphare"), (9, "daß")]:
        assert re.search(rf"chapters/one\.md:{line}: .*{word}", result.stderr), (word, result.stderr)


def test_the_word_list_is_sorted_small_and_every_entry_is_used():
    words = (ROOT / "wordlist.txt").read_text(encoding="utf-8").split()
    assert words == sorted(words, key=str.casefold)
    assert len(words) <= 90  # names of sources and platforms, quoted labels, abbreviations of the law
    text = "".join(p.read_text(encoding="utf-8")
                   for p in [ROOT / "index.md", *ROOT.glob("chapters/**/*.*")]
                   if p.suffix in {".md", ".csv"})
    for word in words:
        assert re.search(rf"\b{re.escape(word)}\b", text), f"unbenutzt in wordlist.txt: {word}"
