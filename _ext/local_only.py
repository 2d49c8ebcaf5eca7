"""The handbook loads nothing from other hosts: a remote image is an error, not a fetch.

Readers of the HTML would otherwise send requests elsewhere, and the PDF build would
need the network. Sphinx itself only warns for builders that download remote images
(and then downloads them), so the check is made here, for every builder.
"""

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _refuse_remote_images(app: Sphinx, doctree: nodes.document) -> None:
    for image in doctree.findall(nodes.image):
        if "://" in image["uri"] or image["uri"].startswith("//"):
            logger.warning(
                "Bild von einem fremden Server: %s – bitte die Datei ins Projekt legen.",
                image["uri"], location=image, type="handbook", subtype="remote_image")


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", _refuse_remote_images)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
