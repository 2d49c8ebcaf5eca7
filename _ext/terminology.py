"""One set of words: the build fails on a variant that chapters/terminology.toml avoids.

Every page and every data file (tables, diagrams) is read from disk on every build, so
a finding cannot hide behind Sphinx's cache of unchanged pages. Each finding names file
and line and what to write instead.

Text in German quotation marks („…“) is a platform's on-screen label or someone else's
words, which the handbook quotes as they are: a rule looks into quotes only when it says
``quoted = true`` (for the fixed phrases the handbook itself puts in quotes). That each
rule's ``term`` is a glossary entry is checked by the tests: a throwaway test project has
no glossary.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


QUOTE = re.compile(r"„[^“\n]*“")


@dataclass
class Rule:
    use: str
    avoid: list[re.Pattern]
    term: str = ""
    quoted: bool = False  # also inside „…“
    exempt: frozenset[str] = frozenset()  # documents where the variant is right


def load(path: Path) -> tuple[list[Rule], dict]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = [Rule(r["use"], [re.compile(p) for p in r["avoid"]], r.get("term", ""),
                  r.get("quoted", False), frozenset(r.get("exempt", [])))
             for r in data["rule"]]
    return rules, data


def _unquoted(line: str) -> str:
    """*line* with quoted passages blanked out, so columns stay where they were."""
    return QUOTE.sub(lambda m: " " * len(m[0]), line)


def findings(text: str, rules: list[Rule], docname: str | None = None):
    """(line, variant, rule) for every avoided variant in *text* (a page named *docname*)."""
    for number, line in enumerate(text.splitlines(), 1):
        bare = _unquoted(line)
        for rule in rules:
            if docname in rule.exempt:
                continue
            for pattern in rule.avoid:
                for match in pattern.finditer(line if rule.quoted else bare):
                    yield number, match[0], rule


def check_terminology(app: Sphinx, env: BuildEnvironment) -> None:
    source = Path(app.srcdir, app.config.terminology_file)
    try:
        rules, data = load(source)
    except (OSError, tomllib.TOMLDecodeError, KeyError, re.error) as exc:
        logger.warning("%s: Begriffsliste unlesbar: %s", source, exc,
                       type="handbook", subtype="terminology")
        return
    targets = [(Path(env.doc2path(doc)), doc) for doc in sorted(env.found_docs)]
    targets += [(path, None) for pattern in data.get("files", [])
                for path in sorted(Path(app.srcdir).glob(pattern))]
    for path, docname in targets:
        for line, variant, rule in findings(path.read_text(encoding="utf-8"), rules, docname):
            where = (docname, line) if docname else f"{path.relative_to(app.srcdir)}:{line}"
            logger.warning("„%s“: Wir schreiben %s (%s).", variant, rule.use,
                           source.name, location=where, type="handbook", subtype="terminology")


def depend_on_rules(app: Sphinx, doctree) -> None:
    # Every page depends on the list: a new rule makes Sphinx read every page again, and
    # the check that runs after reading then applies it.
    app.env.note_dependency(app.config.terminology_file)


def setup(app: Sphinx) -> dict:
    app.add_config_value("terminology_file", "chapters/terminology.toml", "env", types=[str])
    app.connect("doctree-read", depend_on_rules)
    app.connect("env-check-consistency", check_terminology)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
