"""German typography, set by the build in every output.

No line breaks inside what belongs together: a number and its unit („17 %“,
„50.000 Euro“), „Kapitel 5“, „S. 12“, „§ 5“, „Abs. 1“, a date („14. Mai 2024“) and a
court's file number („2 U 16/25“). The spaces there become no-break spaces after Sphinx
has resolved its references, so the „Kapitel 5“ that ``{numref}`` writes is caught too.

Brand names are never hyphenated: each is wrapped in ``<span class="brand">``, which
the stylesheets set to ``hyphens: manual``.
"""

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

NBSP = "\u00a0"
MONTHS = ("Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November"
          "|Dezember")
UNITS = r"%|Prozent|Euro|€|Zeichen|Minuten|Stunden|Seiten|Millionen|Prozentpunkte"
# Each pattern's spaces between its groups become no-break spaces.
KEEP_TOGETHER = [
    re.compile(rf"\d (?:{UNITS})\b|\d %"),
    re.compile(r"\b(?:Kapitel|Tabelle|Abbildung|S\.|Nr\.|Abs\.|Art\.|Rn\.|Az\.) \d"),
    re.compile(r"§§? \d"),
    re.compile(rf"\b\d{{1,2}}\. (?:{MONTHS})(?: \d{{4}})?"),
    re.compile(rf"\b(?:{MONTHS}) \d{{4}}"),
    # file numbers: "2 U 16/25", "13 K 1419/23", "15 UKl 2/25", "2 HK O 54/11", "C-210/16"
    re.compile(r"\b\d{1,2}(?:-\d{2})? [A-Z][A-Za-z]{0,3}(?: [A-Z][a-z]?)? \d{1,4}/\d{2}\b"),
]
BRAND_NAMES = ("XING", "LinkedIn", "Facebook", "Instagram", "WhatsApp", "Meta", "Google")
BRANDS = re.compile(rf"\b(?:{'|'.join(BRAND_NAMES)})s?\b")  # with the genitive s
SKIP = (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment)


def keep_together(text: str) -> str:
    """*text* with no-break spaces wherever a rule above matches."""
    for pattern in KEEP_TOGETHER:
        text = pattern.sub(lambda m: m[0].replace(" ", NBSP), text)
    return text


class GermanTypography(SphinxPostTransform):
    default_priority = 900  # after references are resolved

    def run(self, **kwargs) -> None:
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or isinstance(parent, SKIP) or "brand" in parent.get("classes", []):
                continue
            if any(isinstance(a, SKIP) for a in _ancestors(parent)):
                continue
            new = keep_together(str(text))
            parts = _brands(new)
            if parts is None:
                if new != str(text):
                    parent.replace(text, nodes.Text(new))
                continue
            index = parent.index(text)
            parent.remove(text)
            for offset, part in enumerate(parts):
                parent.insert(index + offset, part)


def _brands(text: str) -> list[nodes.Node] | None:
    """The text split around brand names, each in a span; None if it names none."""
    matches = list(BRANDS.finditer(text))
    if not matches:
        return None
    parts: list[nodes.Node] = []
    last = 0
    for match in matches:
        if match.start() > last:
            parts.append(nodes.Text(text[last:match.start()]))
        parts.append(nodes.inline(match[0], match[0], classes=["brand"]))
        last = match.end()
    if last < len(text):
        parts.append(nodes.Text(text[last:]))
    return parts


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def setup(app: Sphinx) -> dict:
    app.add_post_transform(GermanTypography)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
