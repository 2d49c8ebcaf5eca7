"""`make linkcheck`: offline it lists what it could not check and passes; online a dead
link fails with file and line."""

import http.server
import itertools
import threading

import pytest

from helpers import ROOT, STAND, make_project, sphinx_in_process


class _Site(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/da" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def local_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def linkcheck(tmp_path, body: str):
    src = make_project(tmp_path / "src", {"chapters/one.md": f"# Ein Kapitel\n\n{body}\n"})
    # not quiet: the report of unchecked links goes to the console
    return sphinx_in_process("linkcheck", src, tmp_path / "out", quiet=False)


@pytest.mark.slow
def test_offline_it_lists_the_unchecked_links_and_passes(tmp_path):
    # Port 9 on loopback refuses connections: the same errors as a machine without network.
    result = linkcheck(tmp_path, "[a](http://127.0.0.1:9/eins) und [b](http://127.0.0.1:9/zwei)")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Keine Verbindung ins Netz: 2 externe Links nicht geprüft" in result.stdout
    assert "chapters/one.md:3: http://127.0.0.1:9/zwei" in result.stdout


@pytest.mark.slow
def test_online_a_dead_link_fails_with_file_and_line(tmp_path, local_site):
    result = linkcheck(tmp_path, f"[gut]({local_site}/da)\n\n[tot]({local_site}/weg)")
    assert result.returncode != 0
    assert "broken" in result.stdout and f"{local_site}/weg" in result.stdout
    report = (tmp_path / "out" / "linkcheck" / "output.txt").read_text()
    assert f"chapters/one.md:5: [broken] {local_site}/weg" in report


def test_every_ignored_link_has_a_reason():
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    block = conf.split("linkcheck_ignore = [")[1].split("]\n")[0]
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    for previous, line in itertools.pairwise(lines):
        if not line.startswith("#"):
            assert previous.startswith("#"), f"Ausnahme ohne Begründung: {line}"


@pytest.mark.slow
def test_the_addresses_of_sources_are_checked_too(tmp_path, local_site):
    """Citations list their source with its URL: linkcheck must see those links."""
    bib = ("@online{quelle-a,\n  author = {{Amt}},\n  title = {Seite},\n  date = {2025},\n"
           f"  url = {{{local_site}/weg}},\n  urldate = {{{STAND.isoformat()}}},\n}}\n")
    src = make_project(tmp_path / "src", {
        "chapters/one.md": "# Ein Kapitel\n\nEine Tatsache {cite:p}`quelle-a`.\n",
        "chapters/sources.md": "# Quellen\n\n```{bibliography}\n```\n",
        "chapters/references.bib": bib})
    result = sphinx_in_process("linkcheck", src, tmp_path / "out", quiet=False)
    assert result.returncode != 0
    report = (tmp_path / "out" / "linkcheck" / "output.txt").read_text()
    assert f"[broken] {local_site}/weg" in report, report
