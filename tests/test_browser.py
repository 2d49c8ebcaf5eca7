"""The HTML in a real browser (Debian's chromium, driven by Playwright): nothing loaded
from elsewhere, no accessibility violations in light and dark mode, no sideways scrolling
on a phone, a working PDF link. Screenshots land in _build/screenshots/ for review."""

import functools
import http.server
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from helpers import ROOT, pdf_name

pytestmark = pytest.mark.slow  # a browser, and most tests the built handbook

PHONE = {"width": 375, "height": 740}
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = ROOT / "_build" / "screenshots"


AXE = Axe()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class View:
    """One browser tab at one width and colour scheme, for page after page.

    Requests to other hosts are reported in the problems of the page being visited, as are
    failed loads. They never leave the machine: the browser resolves no host name but
    127.0.0.1 (conftest's CHROMIUM_ARGS). Watching requests instead of routing them keeps
    the browser's cache and spares a round trip to Python for every file a page loads."""

    def __init__(self, browser, origin: str, viewport: dict, scheme: str = "light"):
        self.viewport, self.scheme, self.problems = viewport, scheme, []
        self.page = browser.new_context(viewport=viewport, color_scheme=scheme).new_page()
        self.page.on("request", lambda r: r.url.startswith((origin, "data:"))
                     or self.problems.append(f"Anfrage an fremden Host: {r.url}"))
        self.page.on("response", lambda r: r.status >= 400
                     and self.problems.append(f"{r.status}: {r.url}"))

    def start(self, url: str) -> None:
        """Start loading *url* and return at once, so that several views load side by side."""
        self.problems = []
        self.page.goto(url, wait_until="commit")

    def loaded(self) -> list[str]:
        """Wait until the page, everything it links and its fonts have loaded; return
        what went wrong so far. The handbook's pages fetch nothing after their load event,
        so waiting for a quiet network (half a second a view) would only add time."""
        self.page.wait_for_load_state("load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return self.problems

    def close(self) -> None:
        self.page.context.close()


def open_page(browser, url: str, origin: str, viewport: dict, scheme: str = "light"):
    """Load *url* in a view of its own; return the page and what went wrong."""
    view = View(browser, origin, viewport, scheme)
    view.start(url)
    return view.page, view.loaded()


def sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


CLIPPED = """() => [...document.querySelectorAll('main *, article *')].filter(e => {
  const x = getComputedStyle(e).overflowX;
  if (e.scrollWidth <= e.clientWidth + 1 || x === 'visible') return false;
  if (e.clientWidth <= 1 && e.clientHeight <= 1) return false;  // for screen readers only
  // a table may scroll sideways when its box says so (handbook.css)
  return !(e.matches('.pst-scrollable-table-container') &&
           getComputedStyle(e, '::before').content.includes('wischen'));
}).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ` +
            `(${e.scrollWidth} > ${e.clientWidth} px): ${e.textContent.trim().slice(0, 40)}`)"""


def clipped(page) -> list[str]:
    """Elements whose content is cut off, or scrolls sideways without saying so."""
    return page.evaluate(CLIPPED)


def start_axe(page, rules: list[str] | None = None) -> None:
    """Start axe-core on *page* (all its rules, or only *rules*) and return at once:
    pages run it side by side, each in its own renderer process (what Axe.run does,
    without waiting)."""
    options = {"resultTypes": ["violations"], **({"runOnly": rules} if rules else {})}
    page.evaluate(AXE.axe_script)
    page.evaluate("options => { window.axeRun = axe.run(options); }", options)


def axe_result(page) -> list[str]:
    violations = page.evaluate("() => window.axeRun")["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations]


def axe_violations(page, rules: list[str] | None = None) -> list[str]:
    start_axe(page, rules)
    return axe_result(page)


def site_pages(handbook) -> list[str]:
    return sorted(p.relative_to(handbook.html).as_posix() for p in handbook.html.rglob("*.html")
                  if "_static" not in p.parts)


@pytest.fixture(scope="module")
def site(handbook):
    server, origin = serve(handbook.html)
    yield origin
    server.shutdown()


# Each page in light and dark mode, and on a phone and a tablet. A tab per view serves
# every page: a fresh browser context per page and view cost more than the checks.
VIEWS = [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE), ("light", TABLET)]
# Dark mode changes colours and nothing else: the other rules gave their verdict in light.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def test_every_page_in_the_browser(handbook, site, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    views = [View(browser, site, viewport, scheme) for scheme, viewport in VIEWS]
    for path in site_pages(handbook):
        name = path.replace("/", "-").removesuffix(".html")
        for view in views:  # the four views load side by side
            view.start(f"{site}/{path}")
        reported = {}
        for view in views:
            problems = [*view.loaded()]
            page = view.page
            if view.scheme == "light":  # measured before axe adds its script to the page
                if (overflow := sideways_overflow(page)) > 0:
                    problems.append(f"scrollt um {overflow} px zur Seite")
                problems += [f"abgeschnitten: {c}" for c in clipped(page)]
            if view.viewport is PHONE:
                page.screenshot(path=SHOTS / f"{name}-phone.png", full_page=True)
            if view.viewport is DESKTOP:
                # Broken loads are counted before axe runs: axe re-fetches stylesheets
                # itself and resolves the theme's @import "../basic.css" against the
                # wrong base.
                start_axe(page, None if view.scheme == "light" else COLOUR_RULES)
            reported[view] = problems
        for view, problems in reported.items():
            if view.viewport is DESKTOP:
                problems += axe_result(view.page)
                if view.scheme == "light":
                    view.page.screenshot(path=SHOTS / f"{name}-desktop.png")
            where = f"{path} ({view.scheme}, {view.viewport['width']} px)"
            failures += [f"{where}: {p}" for p in problems]
    for view in views:
        view.close()
    assert failures == []


def test_the_pdf_link_downloads_the_pdf(handbook, site, browser):
    page, problems = open_page(browser, f"{site}/chapters/01-about.html", site, DESKTOP)
    link = page.get_by_role("link", name="PDF herunterladen")
    href = link.get_attribute("href")
    response = page.request.get(f"{site}/chapters/{href}")
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
    assert href.endswith(pdf_name())
    page.context.close()
    assert problems == []


BAD_PAGE = """<!DOCTYPE html><html lang="de"><head><title>Kaputt</title>
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"></head>
<body><main><h1>Kaputt</h1><img src="bild.png">
<div style="width: 900px">zu breit</div>
<p style="color: #777; background: #888">blass</p>
<h2 style="overflow: hidden; white-space: nowrap">Unternehmensprofilüberschriftenlänge</h2>
<div style="overflow-x: auto"><table><tr><td style="min-width: 600px">breit</td></tr></table></div>
</main></body></html>"""


def test_the_browser_checks_catch_a_bad_page(tmp_path, browser):
    (tmp_path / "bad.html").write_text(BAD_PAGE)
    server, origin = serve(tmp_path)
    try:
        page, problems = open_page(browser, f"{origin}/bad.html", origin, PHONE)
        assert any("fonts.googleapis.com" in p for p in problems), problems
        assert any(p.startswith("404") for p in problems), problems
        assert any(v.startswith("image-alt") for v in axe_violations(page))
        # the rules dark mode is checked with
        assert [v.split(":")[0] for v in axe_violations(page, COLOUR_RULES)] == ["color-contrast"]
        assert sideways_overflow(page) > 0
        cut = clipped(page)
        assert any(c.startswith("h2.") for c in cut), cut  # hidden overflow
        assert any(c.startswith("div.") and "breit" in c for c in cut), cut  # silent scroll
        page.context.close()
    finally:
        server.shutdown()
