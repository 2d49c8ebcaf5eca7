"""The workshop file: what a trainer writes to get an edition for one workshop (TOML).

``Workshop`` declares every key with its check; ``read_workshop`` reads a file into it and
says, in German, what is wrong, key by key. Nothing here needs Sphinx: ``make workshop``
runs ``python _ext/workshop_file.py FILE`` before the build starts, so a typo is reported
at once, as the last lines of the output.
"""

import dataclasses
import datetime
import posixpath
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from german import german_date

LOGO_TYPES = {".png", ".jpg", ".jpeg", ".svg"}
SLUG = re.compile(r"\w[\w.-]*")  # one file name: no folder, no space
# "hell" prints on any office printer: no full-bleed ink; "dunkel" is the book's cover.
COVERS = ("hell", "dunkel")


@dataclasses.dataclass(frozen=True)
class Context:
    """What a check may need besides the value: the file and the handbook's chapters."""
    file: Path
    titles: dict[str, str]  # "chapters/05-…" -> its title


Check = Callable[[Any, Context], tuple[Any, list[str]]]


def text(value: Any, _context: Context) -> tuple[Any, list[str]]:
    if not isinstance(value, str) or not value.strip():
        return value, ["muss ein nicht leerer Text sein"]
    return value, []


def flag(value: Any, _context: Context) -> tuple[Any, list[str]]:
    return value, [] if isinstance(value, bool) else ["muss true oder false sein"]


def date(value: Any, _context: Context) -> tuple[Any, list[str]]:
    if isinstance(value, datetime.datetime):
        return value.date(), []
    if isinstance(value, datetime.date):
        return value, []
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value), []
        except ValueError:
            return value, [f"„{value}“ ist kein Datum (JJJJ-MM-TT, etwa 2027-03-18)"]
    return value, ["muss ein Datum sein (JJJJ-MM-TT, etwa 2027-03-18)"]


def chapters(value: Any, context: Context) -> tuple[Any, list[str]]:
    if not isinstance(value, list) or not value:
        return (), ["muss eine Liste von Kapiteln sein, mindestens eines"]
    docs: list[str] = []
    problems = []
    for name in value:
        doc = find_chapter(name, context.titles)
        if doc is None:
            choices = "; ".join(f"{posixpath.basename(d)[:2].lstrip('0')} "
                                f"{title or posixpath.basename(d)}"
                                for d, title in context.titles.items())
            problems.append(f"unbekanntes Kapitel „{name}“; möglich sind die Nummern, "
                            f"Dateinamen oder Titel: {choices}")
        elif doc in docs:
            problems.append(f"Kapitel „{name}“ steht zweimal in der Liste")
        else:
            docs.append(doc)
    return tuple(docs), problems


def logo(value: Any, context: Context) -> tuple[Any, list[str]]:
    if not isinstance(value, str) or not value.strip():
        return None, ["muss ein Dateipfad sein"]
    if re.match(r"^([a-z][a-z0-9+.-]*:|//)", value, re.I):
        return None, [f"„{value}“ ist keine lokale Datei; das PDF lädt nichts aus dem Netz"]
    file = (context.file.parent / value).resolve()
    if not file.is_file():
        return None, [f"Datei „{value}“ fehlt (gesucht: {file})"]
    if file.suffix.lower() not in LOGO_TYPES:
        return None, [f"{file.suffix or 'ohne Endung'} geht nicht; "
                      f"erlaubt sind {', '.join(sorted(LOGO_TYPES))}"]
    return file, []


def cover(value: Any, _context: Context) -> tuple[Any, list[str]]:
    if value not in COVERS:
        return value, [f"„{value}“ gibt es nicht; möglich sind "
                       + " oder ".join(f"„{c}“" for c in COVERS)]
    return value, []


def slug(value: Any, context: Context) -> tuple[Any, list[str]]:
    value, problems = text(value, context)
    if not problems and not SLUG.fullmatch(value):
        problems = [f"„{value}“ taugt nicht als Dateiname; erlaubt sind Buchstaben, Ziffern, "
                    "Punkt, Binde- und Unterstrich, etwa vhs-koeln-2027-01"]
    return value, problems


def _key(check: Check, default: Any = dataclasses.MISSING) -> Any:
    return dataclasses.field(default=default, metadata={"check": check})


@dataclasses.dataclass(frozen=True)
class Workshop:
    """One workshop, as its file describes it. Keys without a default must be given."""
    title: str = _key(text)
    date: datetime.date = _key(date)
    place: str = _key(text)
    trainer: str = _key(text)
    contact: str = _key(text)
    chapters: tuple[str, ...] = _key(chapters)  # documents, in the workshop's order
    logo: Path | None = _key(logo, None)
    duplex: bool = _key(flag, False)  # every chapter starts on a right-hand page
    compact: bool = _key(flag, True)  # for paper: chapters follow on, short contents
    cover: str = _key(cover, "hell")
    slug: str = _key(slug, "")  # the file name; by default <date>-<title>

    @property
    def date_text(self) -> str:
        return german_date(self.date)

    @property
    def name(self) -> str:
        """The edition's file name, without suffix."""
        return self.slug or f"{self.date.isoformat()}-{slugify(self.title)}"


def read_workshop(path: Path, titles: dict[str, str]) -> tuple[Workshop | None, list[str]]:
    """The workshop described in *path*, or None and every problem ("key: message").
    *titles* are the handbook's chapter documents ("chapters/05-…") with their titles."""
    try:
        source = path.read_text(encoding="utf-8")
        data = tomllib.loads(source)
    except OSError as exc:
        return None, [f"Datei nicht lesbar ({exc.strerror})"]
    except tomllib.TOMLDecodeError as exc:
        return None, [toml_problem(source, exc)]
    keys = [field.name for field in dataclasses.fields(Workshop)]
    problems = [f"{field.name}: Angabe fehlt" for field in dataclasses.fields(Workshop)
                if field.default is dataclasses.MISSING and field.name not in data]
    problems += [f"{key}: unbekannte Angabe (erlaubt: {', '.join(keys)})"
                 for key in data if key not in keys]
    context = Context(path, titles)
    values = {}
    for field in dataclasses.fields(Workshop):
        if field.name in data:
            values[field.name], found = field.metadata["check"](data[field.name], context)
            problems += [f"{field.name}: {problem}" for problem in found]
    if problems:
        return None, problems
    return Workshop(**values), []


def toml_problem(source: str, exc: tomllib.TOMLDecodeError) -> str:
    """A TOML syntax error in German: where it is, and what to write instead."""
    match = re.search(r"at line (\d+), column (\d+)", str(exc))
    lines = source.splitlines()
    line = lines[int(match[1]) - 1] if match and int(match[1]) <= len(lines) else ""
    if re.match(r"\s*\w+\s*=\s*\d{1,2}\.\d{1,2}\.\d{2,4}", line):
        hint = 'setzen Sie das Datum in Anführungszeichen: date = "2027-01-14"'
    elif re.match(r"\s*\w+\s*=\s*[^\s\"'\[\d{tf-]", line):
        hint = 'Text gehört in Anführungszeichen, etwa title = "Mein Workshop"'
    elif not match:
        hint = "eine Klammer oder ein Anführungszeichen wird nicht geschlossen"
    else:
        hint = "prüfen Sie Anführungszeichen, Kommas und Klammern"
    where = f"Zeile {match[1]}, Spalte {match[2]}" if match else "am Ende der Datei"
    return f"{where}: kein gültiges TOML – {hint} (Parser: {exc})"


def slugify(title: str) -> str:
    title = title.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return re.sub(r"[^a-z0-9]+", "-", title).strip("-")


def _loose(words: str) -> str:
    """*words* as a trainer may type them: any case, straight quotes, single spaces."""
    words = words.translate(str.maketrans("’‘„“”", "''\"\"\""))
    return " ".join(words.casefold().split())


def find_chapter(name: Any, titles: dict[str, str]) -> str | None:
    """The chapter *name* means: its number (5, "05"), its file name with or without
    ".md", or its title (in any case, or only the part before its colon)."""
    wanted = str(name).strip().removeprefix("chapters/").removesuffix(".md")
    for doc, title in titles.items():
        base = posixpath.basename(doc)
        if (not isinstance(name, bool) and wanted.isdigit() and base[:2].isdigit()
                and int(wanted) == int(base[:2])) or wanted == base \
                or _loose(wanted) in (_loose(title), _loose(title.partition(":")[0])):
            return doc
    return None


def chapter_titles(srcdir: Path) -> dict[str, str]:
    """The chapter documents ("chapters/05-…") with their titles, read from the files."""
    titles = {}
    for file in sorted(Path(srcdir, "chapters").glob("[0-9][0-9]-*.md")):
        heading = next((line for line in file.read_text(encoding="utf-8").splitlines()
                        if line.startswith("# ")), "# ")
        titles[file.relative_to(srcdir).with_suffix("").as_posix()] = heading[2:]
    return titles


def main(argv: list[str]) -> int:
    """`python _ext/workshop_file.py FILE`: check a workshop file before Sphinx starts."""
    if len(argv) != 1 or not argv[0].strip():
        print("Welche Workshop-Datei? make workshop WORKSHOP=workshops/beispiel.toml")
        return 2
    _workshop, problems = read_workshop(Path(argv[0]), chapter_titles(Path(__file__).parents[1]))
    for problem in problems:
        print(f"{argv[0]}: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
