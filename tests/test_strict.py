"""Strict on every run: the same bad input fails the build again when it is simply
rerun, whichever check found it, and a fixed input passes the next run."""

import pytest

from helpers import make_project, sphinx_in_process

pytestmark = pytest.mark.slow  # every test builds a throwaway project

HEAD = "Merkmal,Art,XING,LinkedIn,Facebook,Quellen\n"
BAD = {
    "terminology": ({"chapters/one.md": "# Ein Kapitel\n\nAnfragen von Fremden.\n"}, "Fremden"),
    "uncited source": ({"chapters/references.bib": "@online{quelle-a,\n  author = {{Amt}},\n"
                        "  title = {T},\n  date = {2025},\n  url = {https://example.org/a},\n"
                        "  urldate = {2025-02-01},\n}\n"}, "wird nirgends zitiert"),
    "remote image": ({"chapters/one.md": "# Ein Kapitel\n\n![Bild](https://example.org/x.png)\n"},
                     "fremden Server"),
    "table": ({"chapters/one.md": "# Ein Kapitel\n\n```{platform-table} T\n:file: t.csv\n```\n",
               "chapters/t.csv": HEAD + "A,Praxis,b\n"}, "t.csv:2"),
    "unsourced fact": ({"chapters/one.md": "# Ein Kapitel\n\n:::{admonition} Heute\n"
                        ":class: heute\n\nEine Tatsache ohne Quelle.\n:::\n"}, "Aussage ohne Quelle"),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_failed_build_fails_again_when_rerun(tmp_path, kind):
    pages, expected = BAD[kind]
    src = make_project(tmp_path / "src", pages)
    for run in ("first", "rerun"):
        result = sphinx_in_process("html", src, tmp_path / "out")
        assert result.returncode != 0, f"{run}: der Build hätte scheitern müssen"
        assert expected in result.stderr, (run, result.stderr)


def test_a_clean_rerun_reads_nothing_again(tmp_path):
    src = make_project(tmp_path / "src")
    assert sphinx_in_process("html", src, tmp_path / "out").returncode == 0
    rerun = sphinx_in_process("html", src, tmp_path / "out", quiet=False)
    assert rerun.returncode == 0 and "0 changed" in rerun.stdout, rerun.stdout
