#!/usr/bin/env python3
"""Measure the reader's side: how soon each page of a built site paints, how soon its charts
turn interactive, and how much its layout shifts, in Debian's Chromium on a phone-sized
screen, at normal speed and with the CPU slowed 4x (as on a mid-range phone).

    .venv/bin/python benchmarks/reader.py [SITE_DIR] [--runs 5] [--pages a.html,b.html]

Per page and speed, the median of `runs` fresh visits (a new browser context each) of:
- first_paint_ms, first_contentful_paint_ms: the browser's paint entries;
- interactive_ms: from navigation start until the page's first chart is a live Vega view
  (its figure gets data-rendered="true"). The page opens at its top; if that chart is not in
  the window when the page has loaded, the reader scrolls straight to it then, so a chart
  made live only on approach is timed from a reader who goes to it at once (scrolled: true);
- cls: cumulative layout shift (PerformanceObserver, 'layout-shift' entries without recent
  input) over the whole visit: the load, then every chart scrolled into view in turn and
  waited for until it is live;
- live_before_scrolling: charts live when the page has loaded and settled, without scrolling;
- runtime_requested: whether the page asked for assets/vega.min.js.

Prints JSON. benchmarks/bench.py calls measure_reader(). Not part of the test suite: tests
check behaviour, never timings.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 390, "height": 844}
SLOWDOWNS = {"normal": 1, "cpu_4x_slower": 4}
LIVE_TIMEOUT_MS = 20000
SETTLE_MS = 600  # after load, before counting the charts live without scrolling

# Runs before any of the page's own scripts: records layout shifts and, for each chart, the
# moment its live view is on show.
RECORDER = """
window.__reader = {cls: 0, shifts: [], live: {}, first: null};
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__reader.cls += entry.value;
    window.__reader.shifts.push([Math.round(entry.startTime), entry.value]);
  }
}).observe({type: 'layout-shift', buffered: true});
new MutationObserver(records => {
  for (const record of records) {
    const figure = record.target;
    if (figure.getAttribute('data-rendered') !== 'true' || window.__reader.live[figure.id])
      continue;
    window.__reader.live[figure.id] = performance.now();
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-rendered']});
"""

PAINTS = """() => Object.fromEntries(performance.getEntriesByType('paint')
    .map(entry => [entry.name, entry.startTime]))"""

# Scroll the first chart into the middle of the window unless it is already wholly shown.
GO_TO_FIRST_CHART = """() => {
  const figure = document.querySelector('figure.chart');
  const box = figure.getBoundingClientRect();
  if (box.top >= 0 && box.bottom <= window.innerHeight) return false;
  figure.scrollIntoView({block: 'center'});
  return true;
}"""


def chart_is_live(index: int) -> str:
    return (f"() => ['true', 'failed'].includes("
            f"document.querySelectorAll('figure.chart')[{index}].dataset.rendered)")


def open_visit(browser, url: str, slowdown: int):
    """A fresh context and page, the CPU slowed `slowdown` times, the recorder installed."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RECORDER)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    if slowdown > 1:
        session = context.new_cdp_session(page)
        session.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    page.goto(url, wait_until="load")
    return context, page, requests


def walk_the_charts(page, charts: int) -> None:
    """Scroll every chart into view in turn and wait until it is live."""
    for index in range(charts):
        page.evaluate(f"() => document.querySelectorAll('figure.chart')[{index}]"
                      ".scrollIntoView({block: 'center'})")
        page.wait_for_function(chart_is_live(index), timeout=LIVE_TIMEOUT_MS)
    page.wait_for_timeout(300)  # let the last shifts be reported


def visit(browser, url: str, slowdown: int) -> dict:
    """One visit of one page: paints, the first chart live, the layout shift."""
    context, page, requests = open_visit(browser, url, slowdown)
    try:
        charts = page.locator("figure.chart").count()
        scrolled = bool(charts) and page.evaluate(GO_TO_FIRST_CHART)
        if charts:
            page.wait_for_function(chart_is_live(0), timeout=LIVE_TIMEOUT_MS)
        page.wait_for_timeout(SETTLE_MS)
        live_early = len(page.evaluate("() => window.__reader.live"))
        paints = page.evaluate(PAINTS)
        walk_the_charts(page, charts)
        recorded = page.evaluate("() => window.__reader")
    finally:
        context.close()
    first_id = min(recorded["live"], key=recorded["live"].get) if recorded["live"] else None
    return {"first_paint_ms": paints.get("first-paint"),
            "first_contentful_paint_ms": paints.get("first-contentful-paint"),
            "interactive_ms": recorded["live"][first_id] if first_id else None,
            "scrolled": scrolled, "charts": charts,
            "live_before_scrolling": live_early if not scrolled else None,
            "cls": recorded["cls"],
            "runtime_requested": any(u.endswith("/vega.min.js") for u in requests)}


def median_of(visits: list[dict]) -> dict:
    """The median of each number over the visits; flags and counts from the first."""
    summary = {}
    for key, first in visits[0].items():
        values = [v[key] for v in visits if v[key] is not None]
        if isinstance(first, (bool, str)) or key == "charts" or not values:
            summary[key] = first
        else:
            summary[key] = round(statistics.median(values), 4 if key == "cls" else 1)
    return summary


def site_pages(site_dir: Path) -> list[str]:
    return sorted(path.name for path in site_dir.glob("*.html"))


def measure_reader(site_dir: Path, runs: int = 5, pages: list[str] | None = None) -> dict:
    """{page: {speed: medians}} for every page of a built site (or the named ones), in
    Debian's Chromium at 390 px, at normal speed and with the CPU slowed 4x."""
    from playwright.sync_api import sync_playwright
    site_dir = Path(site_dir).resolve()
    results: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for name in pages or site_pages(site_dir):
                url = (site_dir / name).as_uri()
                results[name] = {speed: median_of([visit(browser, url, slowdown)
                                                   for _ in range(runs)])
                                 for speed, slowdown in SLOWDOWNS.items()}
        finally:
            browser.close()
    return results


def worst(results: dict) -> dict:
    """The slowest page for each number and speed: what the issue's goal is about."""
    summary = {}
    for speed in SLOWDOWNS:
        for key in ("first_paint_ms", "interactive_ms", "cls"):
            values = [(r[speed][key], name) for name, r in results.items()
                      if r[speed][key] is not None]
            if values:
                value, name = max(values)
                summary[f"{speed}.{key}"] = {"value": value, "page": name}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    pages = args.pages.split(",") if args.pages else None
    results = measure_reader(args.site, args.runs, pages)
    json.dump({"pages": results, "worst": worst(results)}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
