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


def start_page(browser, url: str, origin: str, viewport: dict, scheme: str = "light"):
    """Start loading *url*; return the page and a list that collects what goes wrong.

    Requests to other hosts are aborted before they leave the machine and reported.
    """
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    problems: list[str] = []

    def route(route):
        if route.request.url.startswith(origin) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            problems.append(f"Anfrage an fremden Host: {route.request.url}")
            route.abort()

    page.route("**/*", route)
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    page.goto(url, wait_until="commit")
    return page, problems


def open_page(browser, url: str, origin: str, viewport: dict, scheme: str = "light"):
    """Load *url* until the network is quiet; return the page and what went wrong."""
    page, problems = start_page(browser, url, origin, viewport, scheme)
    page.wait_for_load_state("networkidle")
    return page, problems


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


def start_axe(page) -> None:
    """Start axe-core on *page* and return at once: pages run it side by side, each in
    its own renderer process (what Axe.run does, without waiting)."""
    page.evaluate(AXE.axe_script)
    page.evaluate("() => { window.axeRun = axe.run({resultTypes: ['violations']}); }")


def axe_result(page) -> list[str]:
    violations = page.evaluate("() => window.axeRun")["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations]


def axe_violations(page) -> list[str]:
    start_axe(page)
    return axe_result(page)


def site_pages(handbook) -> list[str]:
    return sorted(p.relative_to(handbook.html).as_posix() for p in handbook.html.rglob("*.html")
                  if "_static" not in p.parts)


@pytest.fixture(scope="module")
def site(handbook):
    server, origin = serve(handbook.html)
    yield origin
    server.shutdown()


# Each page in light and dark mode, and on a phone and a tablet. Networkidle waits half a
# second of quiet: the four views load side by side, and the next page's while this one's
# are checked, so the waits overlap.
VIEWS = [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE), ("light", TABLET)]


def test_every_page_in_the_browser(handbook, site, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    paths = site_pages(handbook)

    def load(path: str) -> list:
        return [(scheme, viewport, *start_page(browser, f"{site}/{path}", site, viewport, scheme))
                for scheme, viewport in VIEWS]

    following = load(paths[0])
    for number, path in enumerate(paths):
        name = path.replace("/", "-").removesuffix(".html")
        loading, following = following, load(paths[number + 1]) if number + 1 < len(paths) else []
        checked = []
        for scheme, viewport, page, problems in loading:
            page.wait_for_load_state("networkidle")
            if scheme == "light":  # measured before axe adds its script to the page
                if (overflow := sideways_overflow(page)) > 0:
                    problems.append(f"scrollt um {overflow} px zur Seite")
                problems += [f"abgeschnitten: {c}" for c in clipped(page)]
            if viewport is PHONE:
                page.screenshot(path=SHOTS / f"{name}-phone.png", full_page=True)
            if viewport is DESKTOP:
                # Count broken loads before axe runs: axe re-fetches stylesheets itself and
                # resolves the theme's @import "../basic.css" against the wrong base.
                problems = [*problems]
                start_axe(page)  # light and dark side by side
            checked.append((f"{path} ({scheme}, {viewport['width']} px)", viewport, page, problems))
        for where, viewport, page, problems in checked:
            if viewport is DESKTOP:
                problems += axe_result(page)
                if "(light" in where:
                    page.screenshot(path=SHOTS / f"{name}-desktop.png")
            page.context.close()
            failures += [f"{where}: {p}" for p in problems]
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
<link rel="stylesheet" href="https://fonts.googleapis.invalid/css?family=Roboto"></head>
<body><main><h1>Kaputt</h1><img src="bild.png">
<div style="width: 900px">zu breit</div>
<h2 style="overflow: hidden; white-space: nowrap">Unternehmensprofilüberschriftenlänge</h2>
<div style="overflow-x: auto"><table><tr><td style="min-width: 600px">breit</td></tr></table></div>
</main></body></html>"""


def test_the_browser_checks_catch_a_bad_page(tmp_path, browser):
    (tmp_path / "bad.html").write_text(BAD_PAGE)
    server, origin = serve(tmp_path)
    try:
        page, problems = open_page(browser, f"{origin}/bad.html", origin, PHONE)
        assert any("fonts.googleapis.invalid" in p for p in problems), problems
        assert any(p.startswith("404") for p in problems), problems
        assert any(v.startswith("image-alt") for v in axe_violations(page))
        assert sideways_overflow(page) > 0
        cut = clipped(page)
        assert any(c.startswith("h2.") for c in cut), cut  # hidden overflow
        assert any(c.startswith("div.") and "breit" in c for c in cut), cut  # silent scroll
        page.context.close()
    finally:
        server.shutdown()
