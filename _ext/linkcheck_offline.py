"""Sphinx's linkcheck, told apart from a machine without network.

Offline, every external link fails with a connection error, and plain linkcheck would
call all of them broken. This builder says instead that the network is unreachable and
lists the links it could not check, without failing the build for it. As soon as one
link answers, the machine is online and every failure counts as a dead link again.
Internal problems fail the build as always (-W).

Sphinx's builder reports each result as it comes in (``process_result``); this one holds
back the failures until a link answers, then reports them in the order they came. If no
link answers, they are listed as not checked instead.
"""

from sphinx.application import Sphinx
from sphinx.builders.linkcheck import CheckExternalLinksBuilder, CheckResult
from sphinx.util import logging

from german import count

logger = logging.getLogger(__name__)

NETWORK_ERRORS = (
    "NameResolutionError", "Failed to resolve", "Temporary failure in name resolution",
    "Max retries exceeded", "Connection refused", "Network is unreachable",
    "ConnectionError", "ConnectTimeout", "No route to host",
)
# Statuses as linkcheck writes them into output.json.
NOT_CHECKED = ("ignored", "unchecked")


def is_network_error(status: str, message: str) -> bool:
    return status == "timeout" or (
        status == "broken" and any(e in message for e in NETWORK_ERRORS))


class OfflineAwareLinkCheck(CheckExternalLinksBuilder):
    def finish(self) -> None:
        self.held: list[CheckResult] | None = []  # None: online, results pass straight on
        super().finish()
        if not self.held:
            return  # online, or there was nothing to check
        lines = [f"{self.env.doc2path(r.docname, False)}:{r.lineno}: {r.uri}" for r in self.held]
        (self.outdir / "output.txt").write_text(
            "nicht geprüft (kein Netz):\n" + "\n".join(lines) + "\n", encoding="utf-8")
        logger.info("Keine Verbindung ins Netz: %s nicht geprüft:",
                    count(len(lines), "externer Link", "externe Links"))
        for line in lines:
            logger.info("  %s", line)
        logger.info("Bitte mit Netz erneut prüfen: make linkcheck")

    def process_result(self, result: CheckResult) -> None:
        if self.held is not None and result.status not in NOT_CHECKED:
            if is_network_error(result.status, result.message):
                self.held.append(result)
                return
            held, self.held = self.held, None  # a link answered: the machine is online
            for earlier in held:
                super().process_result(earlier)
        super().process_result(result)


def setup(app: Sphinx) -> dict:
    app.add_builder(OfflineAwareLinkCheck, override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
