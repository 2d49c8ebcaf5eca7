"""The set-up promise: a hashed lock, and a clear word when system packages are missing."""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from helpers import CONF, ROOT, make_project


def test_every_locked_package_is_pinned_with_a_hash():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    requirements = re.findall(r"^[a-z0-9][\w.-]*\b.*$", lock, re.M)
    hashed = re.findall(r"^[a-z0-9][\w.-]*==[\w.]+ \\\n(?:\s+--hash=sha256:[0-9a-f]{64}.*\n)+", lock, re.M)
    assert len(requirements) > 30
    assert len(hashed) == len(requirements), set(requirements) - {h.split(" ")[0] for h in hashed}


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("runuser"),
                    reason="braucht root, um als anderer Benutzer zu prüfen")
def test_without_root_missing_packages_are_named_in_one_sudo_line():
    # A copy of the Makefile in a folder the other user may enter (the checkout may
    # live in root's home, which nobody else can read).
    tmp_path = Path(tempfile.mkdtemp(prefix="handbuch-setup-"))
    tmp_path.chmod(0o777)
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    result = subprocess.run(
        ["runuser", "-u", "nobody", "--", "make", "-s", "-C", str(tmp_path),
         f"VENV={tmp_path}/venv", "BUILD_DEBS=gibt-es-nicht-eins gibt-es-nicht-zwei",
         f"{tmp_path}/venv/.debs"],
        capture_output=True, text=True)
    created = (tmp_path / "venv").exists()
    shutil.rmtree(tmp_path)
    assert result.returncode != 0
    assert "sudo apt-get install gibt-es-nicht-eins gibt-es-nicht-zwei" in result.stdout, \
        result.stdout + result.stderr
    assert not created, "abbrechen, bevor irgendetwas angelegt wird"


@pytest.mark.parametrize(("changed", "everything"), [("_ext/epub.py", True),
                                                      ("chapters/one.md", False)])
def test_the_epub_rewrites_every_page_after_a_changed_extension(tmp_path, changed, everything):
    """The EPUB reuses the HTML build's environment: Sphinx alone would keep its pages
    from before a changed extension (make -n shows what make would run)."""
    src = make_project(tmp_path)
    for name in ("Makefile", "requirements.lock"):
        shutil.copy2(ROOT / name, src / name)  # older than the venv's stamp: it is current
    name = CONF["pdf_basename"]
    built = time.time() + 100
    for output in ("html/.stamp", f"pdf/{name}.pdf", f"epub/{name}.epub", ".handbook-url"):
        (src / "_build" / output).parent.mkdir(parents=True, exist_ok=True)
        (src / "_build" / output).touch()
        os.utime(src / "_build" / output, (built, built))
    os.utime(src / changed, (built + 100, built + 100))
    result = subprocess.run(["make", "-n", "-C", str(src), "epub", f"VENV={ROOT / '.venv'}"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    epub = next(line for line in result.stdout.splitlines() if "-M epub" in line)
    assert (" -a " in f"{epub} ") == everything, result.stdout
