"""Build benchmark: times, peak memory and PDF size, against sphinx-simplepdf as the peer.

    make bench                      # all of it (about 15 minutes on 2 cores)
    make bench BENCH_ARGS="--scales 1,10"

Prints one table. The repository's own _build/ is used for the make measurements (clean
build, no-op rebuild, one edited chapter); the scaled runs build copies of the handbook
with its chapters repeated, under _build/bench/. sphinx-simplepdf is installed only into
_build/bench/venv-simplepdf, next to the same locked packages the handbook uses.
Figures go to the console, never into tests.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "_ext"))
from german import decimal  # noqa: E402  (figures with a decimal comma)

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "_build" / "bench"
PEER_VENV = WORK / "venv-simplepdf"
PEER_VERSION = "1.7.0"
INFRASTRUCTURE = ["conf.py", "pyproject.toml", "_ext", "_static", "_templates", "locale",
                  "wordlist.txt"]
# Reference lists appear once; their entries are cited from every copy of the topics.
ONCE = ("glossary", "sources")
PEER_CONF = """
try:
    import sphinx_simplepdf  # noqa: F401
    extensions.append("sphinx_simplepdf")
except ImportError:
    pass
"""


def measure(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, float]:
    """Run *cmd*; return wall seconds and the peak memory (MB) of its largest process."""
    # stderr goes to a file: a pipe nobody reads while waiting fills up and blocks the build.
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            log.seek(0)
            sys.exit(f"fehlgeschlagen: {' '.join(cmd)}\n{log.read()[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M)[1])


def peer_python() -> Path:
    if not (PEER_VENV / "bin" / "sphinx-build").exists():
        print("Richte sphinx-simplepdf ein (nur für den Vergleich) …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        pip = [str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "-q",
               "--disable-pip-version-check"]
        subprocess.run([*pip, "--require-hashes", "--no-deps", "-r",
                        str(ROOT / "requirements.lock")], check=True)
        subprocess.run([*pip, f"sphinx-simplepdf=={PEER_VERSION}"], check=True)
    return PEER_VENV / "bin"


def _labels() -> dict[str, bool]:
    """Every label the chapters define -> whether it lives in a reference list (ONCE)."""
    labels = {}
    for chapter in (ROOT / "chapters").glob("[0-9][0-9]-*.md"):
        text = chapter.read_text(encoding="utf-8")
        for label in re.findall(r"^(?:\(([\w-]+)\)=|:name: ([\w-]+))", text, re.M):
            labels["".join(label)] = chapter.stem.endswith(ONCE)
    return labels


def copy_labels(text: str, round_: int) -> str:
    """Labels and the references to them, and links to chapters, made unique for one copy
    (the reference lists exist once, in the first)."""
    text = re.sub(r"(?<=<)(\d\d-[\w-]+)(?=>)",
                  lambda m: f"r{1 if m[1].endswith(ONCE) else round_:02d}-{m[1]}", text)
    for label, once in _labels().items():
        prefix = f"r{1 if once else round_:02d}-"
        text = re.sub(rf"(?<=[(`<#]){label}(?=[)`>])|(?<=:name: ){label}$", prefix + label,
                      text, flags=re.M)
    return text


def scaled_sources(factor: int) -> Path:
    """The handbook with every topic chapter repeated *factor* times."""
    src = WORK / f"src-{factor}x"
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    for name in INFRASTRUCTURE:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, src / name)
    shutil.copytree(ROOT / "chapters", src / "chapters",
                    ignore=shutil.ignore_patterns("[0-9][0-9]-*.md"))
    entries = []
    for round_ in range(1, factor + 1):
        for chapter in sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md")):
            if chapter.stem.endswith(ONCE) and round_ > 1:
                continue
            text = copy_labels(chapter.read_text(encoding="utf-8"), round_)
            name = f"r{round_:02d}-{chapter.stem}"
            (src / "chapters" / f"{name}.md").write_text(text, encoding="utf-8")
            entries.append(f"chapters/{name}")
    index = (ROOT / "index.md").read_text(encoding="utf-8")
    head = re.sub(r"chapters/(\d\d-)", r"chapters/r01-\1", copy_labels(index.split("```{toctree}")[0], 1))
    options = re.search(r"```\{toctree\}\n((?::.*\n)*)", index)[1]  # numbered, as the book
    (src / "index.md").write_text(
        head + "```{toctree}\n" + options + "\n" + "\n".join(entries) + "\n```\n", encoding="utf-8")
    # The peer's extension exists only in its own environment.
    (src / "conf.py").write_text((src / "conf.py").read_text() + PEER_CONF, encoding="utf-8")
    return src


def build_ours(src: Path) -> dict:
    out = src / "_out-ours"
    shutil.rmtree(out, ignore_errors=True)
    seconds, peak = measure([str(ROOT / ".venv" / "bin" / "sphinx-build"), "-M", "pdf",
                             str(src), str(out), "-q"])
    pdf = next((out / "pdf").glob("*.pdf"))
    return {"s": seconds, "mb": peak, "pages": pdf_pages(pdf), "bytes": pdf.stat().st_size}


def build_peer(src: Path, bin_dir: Path) -> dict:
    out = src / "_out-peer"
    shutil.rmtree(out, ignore_errors=True)
    # simplepdf runs the `weasyprint` command, so its venv must be on PATH.
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    seconds, peak = measure([str(bin_dir / "sphinx-build"), "-M", "simplepdf", str(src),
                             str(out), "-q"], env=env)
    pdf = next((out / "simplepdf").glob("*.pdf"))
    return {"s": seconds, "mb": peak, "pages": pdf_pages(pdf), "bytes": pdf.stat().st_size}


def clean_outputs() -> None:
    # Not `make clean`: that would also remove the peer's environment under _build/bench.
    for output in ("html", "pdf", "epub"):
        shutil.rmtree(ROOT / "_build" / output, ignore_errors=True)
    for doctrees in (ROOT / "_build").glob("doctrees*"):
        shutil.rmtree(doctrees)


def stage_figures() -> str:
    """Each stage of a clean `make html pdf`, one after another, as make runs them (make
    runs HTML and print side by side; the EPUB reuses the HTML build's doctrees)."""
    clean_outputs()
    build = [str(ROOT / ".venv" / "bin" / "sphinx-build"), "-M"]
    options = [str(ROOT), str(ROOT / "_build"), "-W", "--keep-going", "-n", "-q"]
    times = [(name, measure([*build, builder, *options, "-d", str(ROOT / "_build" / doctrees)])[0])
             for name, builder, doctrees in (("HTML", "html", "doctrees-html"),
                                             ("EPUB", "epub", "doctrees-html"),
                                             ("Buch-PDF und Handouts", "pdf", "doctrees-pdf"))]
    return " · ".join(f"{name} {decimal(seconds)} s" for name, seconds in times)


def full_ours(src: Path) -> float:
    """Everything `make html pdf` builds, as it builds it, on *src* (warnings allowed:
    the repeated chapters repeat their labels)."""
    for name in ("Makefile", "requirements.lock"):  # with their times: the venv is current
        shutil.copy2(ROOT / name, src / name)
    seconds, _ = measure(["make", "-s", "html", "pdf", f"VENV={ROOT / '.venv'}",
                          "SPHINXOPTS=-q"], cwd=src)
    return seconds


def full_peer(src: Path, bin_dir: Path) -> float:
    """The peer's equivalent: the HTML site and sphinx-simplepdf's PDF."""
    out = src / "_out-peer-full"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return sum(measure([str(bin_dir / "sphinx-build"), "-M", builder, str(src), str(out), "-q"],
                       env=env)[0] for builder in ("html", "simplepdf"))


def make_figures() -> list[tuple[str, str]]:
    print("make: sauberer Build, Leerlauf, ein Kapitel geändert …", flush=True)
    subprocess.run(["make", "-s", "setup"], cwd=ROOT, check=True)
    stages = stage_figures()
    clean_outputs()
    clean, clean_mb = measure(["make", "html", "pdf"])
    noop, _ = measure(["make", "html", "pdf"])
    chapter = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))[1]
    original = chapter.read_text(encoding="utf-8")
    try:  # a real edit: a touched but unchanged chapter would not be typeset again
        chapter.write_text(original + "\nEin Absatz, den der Benchmark ergänzt.\n", encoding="utf-8")
        edited, _ = measure(["make", "html", "pdf"])
    finally:
        chapter.write_text(original, encoding="utf-8")
    book = next((ROOT / "_build" / "pdf").glob("*.pdf"))
    pages = pdf_pages(book)
    return [
        ("make html pdf, sauber (mit Handouts und EPUB)",
         f"{decimal(clean)} s, {decimal(clean_mb, 0)} MB Spitze"),
        ("die Stufen einzeln, sauber nacheinander", stages),
        ("make html pdf, nichts geändert", f"{decimal(noop, 2)} s"),
        (f"make html pdf, {chapter.name} geändert",
         f"{decimal(edited)} s = {decimal(edited / clean, 2)} × sauber (Ziel ≤ 0,5)"),
        ("PDF je Seite", f"{decimal(book.stat().st_size / pages / 1024)} KB bei {pages} Seiten"
                         " (Ziel ≤ 10 KB)"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,10,50")
    parser.add_argument("--no-make", action="store_true", help="nur die Skalierung messen")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    # Started by `make bench`: the builds measured are their own make runs, with their own
    # two jobs, not children of this one's job server.
    for variable in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        os.environ.pop(variable, None)

    rows = [] if args.no_make else make_figures()
    for name, value in rows:
        print(f"  {name}: {value}", flush=True)
    peer_bin = peer_python()
    scaling = []
    for factor in (int(f) for f in args.scales.split(",")):
        print(f"Skalierung {factor}× …", flush=True)
        src = scaled_sources(factor)
        ours, peer = build_ours(src), build_peer(src, peer_bin)
        print(f"  wir {decimal(ours['s'])} s / {decimal(ours['mb'], 0)} MB, "
              f"simplepdf {decimal(peer['s'])} s / {decimal(peer['mb'], 0)} MB", flush=True)
        # The whole build against the peer's HTML + PDF, alternating, median of three.
        ratios = []
        for _round in range(3):
            ratios.append(full_ours(src) / full_peer(src, peer_bin))
            for leftover in [src / "_build", src / "_out-peer-full"]:
                shutil.rmtree(leftover, ignore_errors=True)
        ours["full_ratio"] = sorted(ratios)[1]
        print(f"  alles (make html pdf) gegen HTML + simplepdf: "
              f"{decimal(ours['full_ratio'], 2)} (Median aus 3)", flush=True)
        scaling.append((factor, ours, peer))
        shutil.rmtree(src)

    print()
    print("| Messung | Ergebnis |")
    print("| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print()
    print("Druckausgabe (sphinx-build -M pdf: Buch und Handouts), sauber, gegen sphinx-simplepdf "
          f"{PEER_VERSION} auf denselben Quellen im selben Lauf:")
    print()
    print("| Umfang | Seiten (wir / simplepdf) | Zeit wir | Zeit simplepdf | Verhältnis"
          " | Spitze wir | Spitze simplepdf | KB/Seite Buch |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for factor, ours, peer in scaling:
        print(f"| {factor}× | {ours['pages']} / {peer['pages']} | {decimal(ours['s'])} s | "
              f"{decimal(peer['s'])} s | {decimal(ours['s'] / peer['s'], 2)} | {decimal(ours['mb'], 0)} MB | "
              f"{decimal(peer['mb'], 0)} MB | {decimal(ours['bytes'] / ours['pages'] / 1024)} |")
    print()
    print("Alles (`make html pdf`: HTML, Buch-PDF, Handouts, EPUB) gegen HTML + simplepdf, "
          "sauber, abwechselnd, Median aus 3 (Ziel ≤ 0,6):")
    print()
    for factor, ours, _peer in scaling:
        print(f"- {factor}×: {decimal(ours['full_ratio'], 2)}")


if __name__ == "__main__":
    main()
