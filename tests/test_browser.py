"""Every page in a real headless Chromium (Debian's, never a download), as readers open it:
from disk, over HTTP under a sub-path, without JavaScript, in print, on a phone, and through
axe-core in light and dark colour schemes."""

import collections
import functools
import http.server
import json
import re
import threading
from pathlib import Path

import pytest

from checks import (CHROMIUM, accessibility_problems, broken_copy, browser_problems, need,
                    open_page, wait_for_charts)
from conftest import (ROOT, charts_on, page_showing, page_with_most_charts,
                      page_without_charts, real_pages)

need("Chromium", CHROMIUM, "apt-get install chromium")

# The pages of the committed site/; test_every_page_is_checked keeps this list honest.
SITE_PAGES = sorted(p.name for p in (ROOT / "site").glob("*.html"))
SCREENSHOTS = ROOT / "tests" / "screenshots"
SUB_PATH = "repo"  # GitHub Pages serves a project site under /<repository>/
HOVERED = "pay_by_city"  # a chart kind whose marks carry tooltips


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class PagesHandler(QuietHandler):
    """Answers a missing address with the site's 404.html and status 404, as GitHub Pages
    does, at any depth."""

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / SUB_PATH / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server(real_site, tmp_path_factory):
    """Serve the built site at http://127.0.0.1:PORT/repo/, as GitHub Pages would."""
    root = tmp_path_factory.mktemp("pages")
    (root / SUB_PATH).symlink_to(real_site, target_is_directory=True)
    handler = functools.partial(PagesHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_every_page_is_checked(real_site):
    assert len(SITE_PAGES) >= 12
    assert sorted(p.name for p in real_site.glob("*.html")) == SITE_PAGES


@pytest.mark.parametrize("name", SITE_PAGES)
def test_page_works_from_disk(browser, real_site, name):
    assert browser_problems(browser, (real_site / name).as_uri(), name, ("file:", "data:")) == []


@pytest.mark.parametrize("name", SITE_PAGES)
def test_page_works_over_http_under_a_sub_path(browser, server, name):
    base = f"{server}/{SUB_PATH}/"
    assert browser_problems(browser, base + name, name, (base, "data:")) == []


STYLED = ("() => [...document.styleSheets].some(sheet => "
          "{ try { return sheet.cssRules.length > 0 } catch (e) { return false } })")


@pytest.mark.parametrize("address", ["no-such-page.html", "experience/", "a/b/c/gone.html"])
def test_a_missing_address_gets_the_styled_not_found_page_linking_home(browser, server,
                                                                        address):
    """GitHub Pages serves 404.html at the missing address itself, however deep."""
    base = f"{server}/{SUB_PATH}/"
    context, page, seen = open_page(browser, base + address)
    try:
        assert page.locator("h1").inner_text() == "Page not found"
        page.wait_for_function(STYLED, timeout=10000)
        home = page.locator("main a", has_text="home page")
        # The page's script points its links at the site once it has found the stylesheet;
        # wait for that, then follow the link (listening before the click, so no race).
        page.wait_for_function("([a, home]) => a.href === home", arg=[home.element_handle(),
                                                                      base + "index.html"],
                               timeout=10000)
        links = page.eval_on_selector_all("main a, .site-name a, nav a",
                                          "links => links.map(a => a.href)")
        violations = page.evaluate("window.__csp")
        with page.expect_navigation(url=base + "index.html", wait_until="commit"):
            home.click()
        page.wait_for_function(STYLED, timeout=10000)
    finally:
        context.close()
    assert violations == []
    # Only the stylesheet's failed loads below the site's root, as the page looks for it.
    assert all("404" in e or "MIME type" in e for e in seen["errors"]), seen["errors"]
    assert set(links) >= {base + page.out_name for page in real_pages() if page.nav}
    assert all(link.startswith(base) and "/a/" not in link and "/experience/" not in link
               for link in links)


def test_hovering_a_mark_shows_its_figure(browser, real_site):
    """The interactive view answers the pointer: a tooltip names the figure under it."""
    name = page_showing(HOVERED)
    rows = json.loads((real_site / "downloads" / name.removesuffix(".html") /
                       f"{HOVERED}.json").read_text(encoding="utf-8"))["rows"]
    context, page, seen = open_page(browser, (real_site / name).as_uri())
    wait_for_charts(page)
    chart_id = f"#chart-{HOVERED.replace('_', '-')}"
    page.locator(chart_id).scroll_into_view_if_needed()
    marks = page.locator(f"{chart_id} .chart-live svg .role-mark :is(path, line)")
    shown = []
    for i in range(marks.count()):
        box = marks.nth(i).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(80)  # Vega handles pointer events asynchronously
        tooltip = page.locator("#vg-tooltip-element.visible")
        if tooltip.count():
            shown.append(tooltip.inner_text())
    context.close()
    # Some mark's tooltip names a figure of the chart's table and its source.
    assert any(row["Figure"] in text and row["Source"] in text for text in shown for row in rows)
    assert seen["errors"] == []


CHART_PAGES = [n for n in SITE_PAGES
               if '<figure class="chart"' in (ROOT / "site" / n).read_text(encoding="utf-8")]


@pytest.mark.parametrize("name", CHART_PAGES)
def test_charts_and_numbers_show_without_javascript(browser, real_site, name):
    context, page, _ = open_page(browser, (real_site / name).as_uri(), javascript=False)
    figures = page.locator("figure.chart")
    assert figures.count() > 0
    for i in range(figures.count()):
        box = figures.nth(i).locator(".chart-static svg:visible").bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50, f"{name}: chart {i} hidden"
        rows = figures.nth(i).locator("xpath=following-sibling::div[1]//tbody/tr").count()
        assert rows > 0, f"{name}: chart {i} has an empty table"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", SITE_PAGES)
def test_accessibility(browser, real_site, name, scheme):
    assert accessibility_problems(browser, (real_site / name).as_uri(), name, scheme) == []


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("name", SITE_PAGES)
def test_screenshot_and_nothing_wider_than_the_screen(browser, real_site, name, width):
    """Screenshots for a person to look at, in tests/screenshots/ (ignored by git)."""
    context, page, _ = open_page(browser, (real_site / name).as_uri(), width=width)
    wait_for_charts(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{Path(name).stem}-{width}.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    too_wide = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')]
        .filter(svg => svg.getBoundingClientRect().width > window.innerWidth)
        .map(svg => svg.closest('figure').id)""")
    context.close()
    assert overflow <= 0, f"{name} at {width}px: the page scrolls sideways by {overflow}px"
    assert too_wide == [], f"{name} at {width}px: charts wider than the screen"


@pytest.mark.parametrize("name", sorted({page_with_most_charts(), page_showing("claims_audit")}))
def test_print_shows_charts_and_tables_without_navigation(browser, real_site, name):
    context, page, _ = open_page(browser, (real_site / name).as_uri())
    wait_for_charts(page)
    page.emulate_media(media="print")
    assert not page.locator("header.masthead").is_visible()
    assert not page.locator("footer").is_visible()
    # One build-time layout of each chart in print (the widest), none hidden.
    charts = page.locator("figure.chart .chart-static svg:visible")
    assert charts.count() == page.locator("figure.chart").count() > 0
    assert page.locator(".table-wrap table").first.is_visible()
    assert len(page.pdf(format="A4")) > 10_000
    context.close()


# Each mistake a change could bring in, and the check that must then name page and problem.
BROKEN = [
    ("a CDN script", "</head>",
     '<script src="https://cdn.jsdelivr.net/npm/vega@6"></script></head>', "browser",
     "Content-Security-Policy violation: script-src-elem blocked https://cdn.jsdelivr.net"),
    ("an image without alt text", "<main id=\"main\">",
     '<main id="main"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">',
     "axe", "image-alt"),
    ("a chart whose spec throws", '<script type="application/json" class="chart-spec">',
     '<script type="application/json" class="chart-spec">{"marks": [{"type": "nope"}]}'
     '</script><script type="application/json" class="unused">', "browser",
     "console or page error"),
    ("low-contrast text", "<p class=\"summary\">",
     '<p class="summary"><font color="#e0e0e0">pale words</font> ', "axe", "color-contrast"),
]


@pytest.mark.parametrize("what, old, new, check, expected", BROKEN,
                         ids=[b[0] for b in BROKEN])
def test_breaking_a_page_on_purpose_is_caught(browser, real_site, tmp_path, what, old, new,
                                              check, expected):
    page = broken_copy(real_site, tmp_path, old, new, page_with_most_charts())
    if check == "browser":
        problems = browser_problems(browser, page.as_uri(), page.name, ("file:", "data:"))
    else:
        problems = accessibility_problems(browser, page.as_uri(), page.name, "light")
    assert any(p.startswith(page.name) and expected in p for p in problems), problems


PREMIUM = re.compile(r"[+−-]\d+%")  # a premium written past its bar, not an axis label


def test_the_comparator_keeps_exactly_the_pairs_that_match(browser, real_site):
    """The level with the most pairs keeps exactly its rows of the chart's table; a place
    with that level matches none (places come from city figures, which name no level)."""
    name = page_showing("comparator")
    rows = json.loads((real_site / "downloads" / name.removesuffix(".html") /
                       "comparator.json").read_text(encoding="utf-8"))["rows"]
    levels = collections.Counter(row["Level"] for row in rows if row["Level"] != "any")
    level = levels.most_common(1)[0][0]
    place = next(row["Place"] for row in rows if row["Place"] != "any")
    assert not any(row["Level"] == level and row["Place"] == place for row in rows)
    expected = sorted(row["ML premium"] for row in rows if row["Level"] == level)
    context, page, seen = open_page(browser, (real_site / name).as_uri())
    wait_for_charts(page)
    live = page.locator("#chart-comparator .chart-live")
    shown = "() => [...document.querySelectorAll('#chart-comparator .chart-live svg text')]" \
            ".map(t => t.textContent)"
    page.locator("#chart-comparator .vega-bind select").nth(0).select_option(level)
    page.wait_for_function(f"() => ({shown})().some(t => t.startsWith('{len(expected)} pair'))")
    texts = page.evaluate(shown)
    assert sorted(t for t in texts if PREMIUM.fullmatch(t)) == expected
    live.locator(".vega-bind select").nth(1).select_option(place)
    page.wait_for_function(f"() => ({shown})().includes('No source covers this combination.')")
    assert not [t for t in page.evaluate(shown) if PREMIUM.fullmatch(t)]
    context.close()
    assert seen["errors"] == []


@pytest.mark.parametrize("name", SITE_PAGES)
def test_every_table_shows_its_figures_on_a_phone_without_scrolling(browser, real_site, name):
    context, page, _ = open_page(browser, (real_site / name).as_uri(), width=360)
    hidden = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')].flatMap(wrap => {
        const figure = [...wrap.querySelectorAll('tbody td')].find(td => /\\d/.test(td.textContent));
        const box = figure && figure.getBoundingClientRect();
        return (wrap.scrollWidth > wrap.clientWidth + 1 || (box && box.right > window.innerWidth))
            ? [wrap.querySelector('caption') ? wrap.querySelector('caption').textContent
                                             : wrap.getAttribute('aria-labelledby')] : [];
    })""")
    roles = page.evaluate("() => [...document.querySelectorAll('.table-wrap table')]"
                          ".map(t => getComputedStyle(t).display)")
    context.close()
    assert hidden == [], f"{name} at 360px: tables that need sideways scrolling: {hidden}"
    assert all(display == "block" for display in roles)  # laid out as blocks on a phone


# Each chart as a reader sees it: its drawn width over the text column's, its smallest text
# in CSS px (font size times the scale the SVG is drawn at), and any text cut with "…".
# Only the SVG on show counts: the build-time chart comes in three layouts, one shown at a
# time.
CHART_FIT = """(where) => {
  const main = document.querySelector('main');
  const style = getComputedStyle(main);
  const column = main.clientWidth - parseFloat(style.paddingLeft)
                 - parseFloat(style.paddingRight);
  return [...document.querySelectorAll('figure.chart')].map(figure => {
    const svg = [...figure.querySelectorAll(where + ' svg')]
      .find(s => s.getBoundingClientRect().width > 0);
    if (!svg) return {id: figure.id, ratio: 0, smallest: 0, cut: ['no SVG on show']};
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
    const sizes = texts.map(t => {
      const m = t.getScreenCTM();
      return parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    });
    // Axis labels side by side closer than 2 px read as one ("$200k$300k").
    const touching = [];
    for (const group of svg.querySelectorAll('.role-axis-label')) {
      const boxes = [...group.querySelectorAll('text')]
        .filter(t => t.textContent.trim() && getComputedStyle(t).opacity !== '0')
        .map(t => [t.textContent, t.getBoundingClientRect()]);
      boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, q]) => {
        if (r.left < q.right + 2 && q.left < r.right + 2 && r.top < q.bottom && q.top < r.bottom)
          touching.push(a + ' / ' + b);
      }));
    }
    return {id: figure.id, ratio: svg.getBoundingClientRect().width / column,
            smallest: Math.min(...sizes), touching: touching,
            cut: texts.map(t => t.textContent).filter(text => text.includes('\u2026'))};
  });
}"""


def chart_fit_problems(charts: list[dict], what: str) -> list[str]:
    """Charts narrower than 90% of the column or wider than it, text under 11 px, cut text,
    axis labels touching."""
    return [f"{what} {c['id']}: width {c['ratio']:.2f} of the column, smallest text "
            f"{c['smallest']:.1f}px, cut: {c['cut']}, touching: {c['touching']}"
            for c in charts if not 0.9 <= c["ratio"] <= 1.005 or c["smallest"] < 11
            or c["cut"] or c["touching"]]


@pytest.mark.parametrize("width", [360, 768, 1280])
@pytest.mark.parametrize("name", CHART_PAGES)
def test_charts_span_the_column_with_whole_labels_of_11_px_or_more(browser, real_site, name,
                                                                  width):
    """The build-time SVG (before any script) and the live view, at a phone's, a tablet's
    and a laptop's width: each spans the column, no text under 11 px or cut, no axis labels
    touching."""
    problems = []
    for what, javascript in (("build-time SVG", False), ("live view", True)):
        context, page, _ = open_page(browser, (real_site / name).as_uri(),
                                     javascript=javascript, width=width)
        if javascript:
            wait_for_charts(page)
        charts = page.evaluate(CHART_FIT, ".chart-live" if javascript else ".chart-static")
        context.close()
        assert charts, f"{name}: no chart measured"
        problems += chart_fit_problems(charts, what)
    assert problems == [], f"{name} at {width}px"


def test_live_charts_lay_themselves_out_again_when_the_window_narrows(browser, real_site):
    name = page_with_most_charts()
    context, page, _ = open_page(browser, (real_site / name).as_uri(), width=1280)
    wait_for_charts(page)
    page.set_viewport_size({"width": 360, "height": 900})
    # Drawn again for the phone layout: each view within 5% of the column (CSS scales it
    # the rest of the way; the fit check below sees its text stay 11 px or more).
    page.wait_for_function("() => [...document.querySelectorAll('.chart-live svg')].every("
                           "svg => svg.getAttribute('width') <= 1.05 * "
                           "svg.closest('figure').clientWidth)", timeout=20000)
    charts = page.evaluate(CHART_FIT, ".chart-live")
    context.close()
    assert len(charts) == len(charts_on(name)) and chart_fit_problems(charts, "live view") == []


RUNTIME = ("/assets/vega.min.js", "/assets/vega-extras.js")


def test_a_page_without_charts_never_asks_for_the_vega_runtime(browser, real_site):
    """Checked against a chart page, which does ask for it, so the check is seen to see."""
    asked = {}
    plain, charted = page_without_charts(), page_with_most_charts()
    for name in (plain, charted):
        context, page, seen = open_page(browser, (real_site / name).as_uri(), width=390)
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(500)
        wait_for_charts(page)
        context.close()
        asked[name] = [u for u in seen["requests"] if u.endswith(RUNTIME)]
        assert seen["errors"] == []
    assert asked[plain] == []
    assert len(charts_on(charted)) > 1 and len(asked[charted]) == 2  # each file once


# Charts whose top is more than three windows below the top of the page.
FAR_CHARTS = """() => [...document.querySelectorAll('figure.chart')]
    .filter(f => f.getBoundingClientRect().top > 3 * window.innerHeight).map(f => f.id)"""
RENDERED = "id => document.getElementById(id).dataset.rendered || null"


def test_charts_far_below_are_made_live_only_when_the_reader_comes_near(browser, real_site):
    name = page_with_most_charts()
    context, page, seen = open_page(browser, (real_site / name).as_uri(), width=390)
    # The runtime comes while the first chart is still a few windows away.
    page.wait_for_function("() => window.vega && window.vega.expressionInterpreter",
                           timeout=20000)
    page.wait_for_timeout(1000)  # time enough to build a view, were it asked for
    far = page.evaluate(FAR_CHARTS)
    before = [page.evaluate(RENDERED, chart_id) for chart_id in far]
    for chart_id in far:
        page.locator(f"#{chart_id}").scroll_into_view_if_needed()
        page.wait_for_function(RENDERED, arg=chart_id, timeout=20000)
    after = [page.evaluate(RENDERED, chart_id) for chart_id in far]
    context.close()
    assert far, f"no chart far below the top of {name} at 390 px"
    assert before == [None] * len(far)
    assert after == ["true"] * len(far)
    assert seen["errors"] == []


# Sums the layout shifts the page reports (none caused by the reader's input).
LAYOUT_SHIFTS = """window.__shift = 0;
new PerformanceObserver(list => list.getEntries().forEach(entry => {
  if (!entry.hadRecentInput) window.__shift += entry.value;
})).observe({type: 'layout-shift', buffered: true});"""


# Each chart's height on the page; a live chart's inputs (Vega's selects, which the
# build-time SVG cannot show) are left out.
FIGURE_HEIGHTS = """() => [...document.querySelectorAll('figure.chart')]
    .filter(f => !f.querySelector('.vega-bindings:not(:empty)'))
    .map(f => [f.id, Math.round(f.getBoundingClientRect().height)])"""


@pytest.mark.parametrize("name", CHART_PAGES)
def test_a_chart_turning_live_moves_nothing_on_the_page(browser, real_site, name):
    """Cumulative layout shift over a visit on a phone: each chart scrolled into the
    middle of the window, then swapped from its build-time SVG to its live view there; and
    each chart as tall live as drawn at build time (seen without JavaScript)."""
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto((real_site / name).as_uri(), wait_until="load")
    drawn = dict(page.evaluate(FIGURE_HEIGHTS))
    context.close()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(LAYOUT_SHIFTS)
    page = context.new_page()
    page.goto((real_site / name).as_uri(), wait_until="load")
    wait_for_charts(page)
    page.wait_for_timeout(200)  # shifts are reported after the frame that made them
    shift = page.evaluate("window.__shift")
    figures = page.locator("figure.chart").count()
    rendered = page.locator("figure.chart[data-rendered='true']").count()
    live = page.evaluate(FIGURE_HEIGHTS)
    context.close()
    assert rendered == figures > 0
    assert shift < 0.01, f"{name}: cumulative layout shift {shift:.4f}"
    assert [[chart_id, drawn[chart_id]] for chart_id, _ in live] == live


def test_charts_declared_in_front_matter_render_read_and_fit_a_phone(browser, contract_site):
    """A page of charts from the general kinds, for a dimension no chart kind knows: drawn
    by Vega from disk, accessible in both colour schemes, and no wider than a phone."""
    from conftest import run_build
    assert run_build(contract_site).returncode == 0
    url = (contract_site.site_dir / "contract.html").resolve().as_uri()
    assert browser_problems(browser, url, "contract.html", ("file:", "data:")) == []
    for scheme in ("light", "dark"):
        assert accessibility_problems(browser, url, "contract.html", scheme) == []
    context, page, _ = open_page(browser, url, width=360)
    try:
        wait_for_charts(page)
        too_wide = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')]
            .filter(svg => svg.getBoundingClientRect().width > window.innerWidth).length""")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    finally:
        context.close()
    assert too_wide == 0 and overflow <= 0
