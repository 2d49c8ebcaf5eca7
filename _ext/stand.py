"""The handbook's own settings, and the "Stand" (as-of) date wherever it is shown.

conf.py holds the values; this extension registers them and hands the formatted date to
MyST (``{{ stand }}`` in Markdown) and to the HTML templates (``stand_text``).
"""

import datetime

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from german import german_date

logger = logging.getLogger(__name__)


def _publish(app: Sphinx, config: Config) -> None:
    text = german_date(config.stand)
    config.myst_substitutions = {
        **config.myst_substitutions,
        "stand": text,
        # A badge next to every statement about platform features (sphinx-design role).
        "stand_badge": f"{{bdg-secondary}}`Stand: {text}`",
        "version": config.version,
    }
    config.html_context = {
        **config.html_context,
        "stand_text": text,
        "subtitle": config.subtitle,
        "pdf_file": f"{config.pdf_basename}.pdf",
        "epub_file": f"{config.epub_basename}.epub",
        "license_name": config.license_name,
        "license_url": config.license_url,
        "publisher": config.publisher,
    }
    if config.publisher.get("name"):
        config.html_additional_pages = {**config.html_additional_pages, "impressum": "impressum.html"}
    elif config.html_baseurl:
        logger.info("Hinweis: Das Handbuch wird unter %s veröffentlicht, nennt aber keinen "
                    "Herausgeber. Tragen Sie ihn in conf.py unter publisher ein: Wer online "
                    "geschäftsmäßig auftritt, braucht ein Impressum (Kapitel 9).",
                    config.html_baseurl)


def setup(app: Sphinx) -> dict:
    app.add_config_value("stand", datetime.date.today(), "env", types=[datetime.date])
    app.add_config_value("subtitle", "", "env", types=[str])
    app.add_config_value("pdf_basename", "handbuch", "env", types=[str])
    app.add_config_value("pdf_keywords", [], "env", types=[list])
    app.add_config_value("license_name", "", "env", types=[str])
    app.add_config_value("license_url", "", "env", types=[str])
    app.add_config_value("publisher", {}, "env", types=[dict])
    app.connect("config-inited", _publish)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
