"""Strict on every run: a build with warnings forgets what it read.

Sphinx stores what it read (the environment) before the checks that run once reading is
done, and on the next run it re-reads only changed pages, so those checks would stay
silent and a failed build would pass when simply run again. After a build with any
warning this extension deletes the stored environment: the next run reads every page
afresh and every check speaks again, until the input is fixed. A clean build keeps its
environment, so an unchanged rerun stays a no-op.

Warnings are counted by a handler on Sphinx's logger (the standard logging API), since
Sphinx offers no public count of them.
"""

import logging

from sphinx.application import ENV_PICKLE_FILENAME, Sphinx


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def warned(app: Sphinx) -> bool:
    """Whether this build has logged a warning so far."""
    return app.strict_counter.count > 0  # type: ignore[attr-defined]


def forget_on_warning(app: Sphinx, exception: Exception | None) -> None:
    if warned(app):
        (app.doctreedir / ENV_PICKLE_FILENAME).unlink(missing_ok=True)


def setup(app: Sphinx) -> dict:
    counter = _Counter()
    logging.getLogger("sphinx").addHandler(counter)
    app.strict_counter = counter  # type: ignore[attr-defined]
    app.connect("build-finished", forget_on_warning, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
