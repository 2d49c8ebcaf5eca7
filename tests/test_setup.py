"""The set-up promise: a hashed lock, and a clear word when system packages are missing."""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from helpers import ROOT, make_project

# The build's lock, and the tests' lock with the build's pins and the test tools on top.
BUILD_LOCK, TEST_LOCK = "requirements.lock", "requirements-test.lock"
TEST_TOOLS = {"pytest", "playwright", "axe-playwright-python", "ruff"}


def read_lock(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [BUILD_LOCK, TEST_LOCK])
def test_every_locked_package_is_pinned_with_a_hash(name):
    lock = read_lock(name)
    requirements = re.findall(r"^[a-z0-9][\w.-]*\b.*$", lock, re.M)
    hashed = re.findall(r"^[a-z0-9][\w.-]*==[\w.]+ \\\n(?:\s+--hash=sha256:[0-9a-f]{64}.*\n)+", lock, re.M)
    assert len(requirements) > 30
    assert len(hashed) == len(requirements), set(requirements) - {h.split(" ")[0] for h in hashed}


def pins(lock: str) -> dict[str, str]:
    """Each package with its version and hashes, as one string to compare."""
    return {m[1]: " ".join(m[2].split()) for m in re.finditer(
        r"^([a-z0-9][\w.-]*)(==[\w.]+ \\\n(?:[ \t]+--hash=\S+.*\n)+)", lock, re.M)}


def lock_problems(build: str, test: str) -> list[str]:
    build_pins, test_pins = pins(build), pins(test)
    return ([f"{name} gehört nicht in {BUILD_LOCK}" for name in sorted(TEST_TOOLS & build_pins.keys())]
            + [f"{name}: {TEST_LOCK} weicht von {BUILD_LOCK} ab"
               for name, pin in build_pins.items() if test_pins.get(name) != pin])


def test_publishing_installs_no_test_tools_and_the_tests_use_the_builds_pins():
    assert lock_problems(read_lock(BUILD_LOCK), read_lock(TEST_LOCK)) == []


def test_a_test_tool_in_the_build_lock_or_a_pin_that_differs_is_found():
    build, test = read_lock(BUILD_LOCK), read_lock(TEST_LOCK)
    pytest_pin = re.search(r"^pytest==.*\n(?:[ \t]+.*\n)+", test, re.M)[0]
    assert lock_problems(build + pytest_pin, test) == [f"pytest gehört nicht in {BUILD_LOCK}"]
    assert lock_problems(build, re.sub(r"^sphinx==\S+", "sphinx==9.0.0.dev0", test, flags=re.M)) \
        == [f"sphinx: {TEST_LOCK} weicht von {BUILD_LOCK} ab"]


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
    built = time.time() + 100
    for output in ("html/.stamp", "pdf/.stamp", ".epub-stamp", ".handbook-url"):
        (src / "_build" / output).parent.mkdir(parents=True, exist_ok=True)
        (src / "_build" / output).touch()
        os.utime(src / "_build" / output, (built, built))
    os.utime(src / changed, (built + 100, built + 100))
    result = subprocess.run(["make", "-n", "-C", str(src), "epub", f"VENV={ROOT / '.venv'}"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    epub = next(line for line in result.stdout.splitlines() if "-M epub" in line)
    assert (" -a " in f"{epub} ") == everything, result.stdout
