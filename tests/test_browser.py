"""Every page opened from disk in a real headless Chromium (Debian's, never a download)."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI is set but Chromium is missing: apt-get install chromium")
    pytest.skip("browser tests need Debian's chromium: apt-get install chromium",
                allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

from conftest import ROOT  # noqa: E402

# The pages of the committed site/; test_every_page_was_checked keeps this list honest.
SITE_PAGES = sorted(p.name for p in (ROOT / "site").glob("*.html"))


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def pages_of(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("*.html"))


def open_page(browser, url: str, javascript: bool = True):
    """Open a page and record every request, failure, console error and page error."""
    context = browser.new_context(java_script_enabled=javascript,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = {"requests": [], "failed": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("requestfailed", lambda r: seen["failed"].append(f"{r.url}: {r.failure}"))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(url, wait_until="load")
    return context, page, seen


@pytest.mark.parametrize("name", SITE_PAGES)
def test_page_works_from_disk(browser, real_site, name):
    context, page, seen = open_page(browser, (real_site / name).as_uri())
    figures = page.locator("figure.chart").count()
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.chart')]"
        ".every(f => f.dataset.rendered === 'true' || f.dataset.rendered === 'failed')",
        timeout=15000)
    rendered = page.locator("figure.chart[data-rendered='true'] .chart-live svg").count()
    tables = page.locator("figure.chart + .table-wrap table caption").count()
    context.close()
    assert seen["errors"] == [], f"{name}: console or page errors"
    assert seen["failed"] == [], f"{name}: failed requests"
    assert [u for u in seen["requests"] if not u.startswith(("file:", "data:"))] == []
    assert rendered == figures, f"{name}: {figures - rendered} chart(s) not rendered by vega-embed"
    assert tables == figures


def test_every_page_was_checked(real_site):
    assert len(SITE_PAGES) >= 12
    assert pages_of(real_site) == SITE_PAGES


@pytest.mark.parametrize("name", [n for n in SITE_PAGES if n not in ("404.html",
                                                                     "sources.html")])
def test_charts_and_numbers_show_without_javascript(browser, real_site, name):
    context, page, _ = open_page(browser, (real_site / name).as_uri(), javascript=False)
    figures = page.locator("figure.chart")
    assert figures.count() > 0
    for i in range(figures.count()):
        svg = figures.nth(i).locator(".chart-static svg")
        box = svg.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50, f"{name}: chart {i} hidden"
        rows = figures.nth(i).locator("xpath=following-sibling::div[1]//tbody/tr").count()
        assert rows > 0, f"{name}: chart {i} has an empty table"
    context.close()
