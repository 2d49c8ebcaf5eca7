"""Sphinx's linkcheck, told apart from a machine without network.

Offline, every external link fails with a connection error, and plain linkcheck would
call all of them broken. This builder says instead that the network is unreachable and
lists the links it could not check, without failing the build for it. As soon as one
link answers, the machine is online and every failure counts as a dead link again.
Internal problems fail the build as always (-W).
"""

from sphinx.application import Sphinx
from sphinx.builders.linkcheck import (
    CheckExternalLinksBuilder,
    HyperlinkAvailabilityChecker,
    _Status,
)
from sphinx.util import logging

from german import count

logger = logging.getLogger(__name__)

NETWORK_ERRORS = (
    "NameResolutionError", "Failed to resolve", "Temporary failure in name resolution",
    "Max retries exceeded", "Connection refused", "Network is unreachable",
    "ConnectionError", "ConnectTimeout", "No route to host",
)


def is_network_error(status: _Status, message: str) -> bool:
    return status == _Status.TIMEOUT or (
        status == _Status.BROKEN and any(e in message for e in NETWORK_ERRORS))


class OfflineAwareLinkCheck(CheckExternalLinksBuilder):
    def finish(self) -> None:
        results = list(HyperlinkAvailabilityChecker(self.config).check(self.hyperlinks))
        checked = [r for r in results if r.status not in (_Status.IGNORED, _Status.UNCHECKED)]
        offline = bool(checked) and all(is_network_error(r.status, r.message) for r in checked)
        if offline:
            lines = [f"{self.env.doc2path(r.docname, False)}:{r.lineno}: {r.uri}" for r in checked]
            (self.outdir / "output.txt").write_text(
                "nicht geprüft (kein Netz):\n" + "\n".join(lines) + "\n", encoding="utf-8")
            logger.info("")
            logger.info("Keine Verbindung ins Netz: %s nicht geprüft:",
                        count(len(checked), "externer Link", "externe Links"))
            for line in lines:
                logger.info("  %s", line)
            logger.info("Bitte mit Netz erneut prüfen: make linkcheck")
            return
        with (
            open(self.outdir / "output.txt", "w", encoding="utf-8") as self.txt_outfile,
            open(self.outdir / "output.json", "w", encoding="utf-8") as self.json_outfile,
        ):
            for result in results:
                self.process_result(result)
        if self.broken_hyperlinks or self.timed_out_hyperlinks:
            self._app.statuscode = 1


def setup(app: Sphinx) -> dict:
    app.add_builder(OfflineAwareLinkCheck, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
