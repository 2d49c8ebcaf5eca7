"""The handbook's own settings, and the "Stand" (as-of) date wherever it is shown.

conf.py holds the values; this extension registers them and hands the formatted date to
MyST (``{{ stand }}`` in Markdown) and, with the other settings, to every template
(``stand_text``; ``template_values``). Other extensions that read these settings load
this one first (``app.setup_extension("stand")``).
"""

import datetime

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from german import german_date

logger = logging.getLogger(__name__)


def template_values(config: Config) -> dict:
    """What the templates show of the handbook's settings: the screen pages get it from
    the html-page-context event, the print pages from their builder's context."""
    return {
        "stand_text": german_date(config.stand),
        "subtitle": config.subtitle,
        "pdf_file": f"{config.pdf_basename}.pdf",
        "epub_file": f"{config.epub_basename}.epub",
        "license_name": config.license_name,
        "license_url": config.license_url,
        "publisher": config.publisher,
    }


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict,
                  doctree: object) -> None:
    context.update(template_values(app.config))


def _substitutions(app: Sphinx, config: Config) -> None:
    # MyST takes its substitutions from its config value only, so the date is added there.
    text = german_date(config.stand)
    config.myst_substitutions = {
        **config.myst_substitutions,
        "stand": text,
        # A badge next to every statement about platform features (sphinx-design role).
        "stand_badge": f"{{bdg-secondary}}`Stand: {text}`",
        "version": config.version,
    }
    if not config.publisher.get("name") and config.html_baseurl:
        logger.info("Hinweis: Das Handbuch wird unter %s veröffentlicht, nennt aber keinen "
                    "Herausgeber. Tragen Sie ihn in conf.py unter publisher ein: Wer online "
                    "geschäftsmäßig auftritt, braucht ein Impressum (Kapitel 9).",
                    config.html_baseurl)


def _impressum(app: Sphinx):
    """With a publisher, the site gets its own Impressum page (impressum.html)."""
    if app.config.publisher.get("name"):
        yield "impressum", {}, "impressum.html"


def setup(app: Sphinx) -> dict:
    app.add_config_value("stand", datetime.date.today(), "env", types=[datetime.date])
    app.add_config_value("subtitle", "", "env", types=[str])
    # The book's file name, the PDF's and (conf.py: epub_basename) the EPUB's.
    app.add_config_value("pdf_basename", "handbuch", "env", types=[str])
    app.add_config_value("license_name", "", "env", types=[str])
    app.add_config_value("license_url", "", "env", types=[str])
    app.add_config_value("publisher", {}, "env", types=[dict])
    app.connect("config-inited", _substitutions)
    app.connect("html-page-context", _page_context)
    app.connect("html-collect-pages", _impressum)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
