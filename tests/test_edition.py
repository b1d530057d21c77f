"""The single-file edition (site/downloads/ml-vs-swe-pay.html), opened from disk with every
network request refused, without JavaScript, through axe, and printed to PDF."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess

import lxml.html

from checks import CHROMIUM, accessibility_problems, need, open_page, wait_for_charts
from conftest import ROOT, run_build
from paysite import pipeline

need("Chromium", CHROMIUM, "apt-get install chromium")

EDITION = "downloads/ml-vs-swe-pay.html"


class Anchors:
    """Every id, every in-file link and every section of the edition (read with lxml:
    html.parser takes seconds over the inline SVGs)."""

    def __init__(self, root):
        self.ids = [value for value in root.xpath("//@id")]
        self.fragments = [href[1:] for href in root.xpath("//a/@href") if href.startswith("#")]
        self.sections = [section.get("id") for section in root.xpath("//section")
                         if "edition-page" in (section.get("class") or "").split()]


def edition_anchors(real_site) -> Anchors:
    return Anchors(lxml.html.fromstring((real_site / EDITION).read_bytes()))


def test_the_edition_holds_every_page_with_unique_ids_and_working_links(real_site):
    parser = edition_anchors(real_site)
    nav_pages = [line.split('href="')[1].split(".html")[0] for line in (
        real_site / "index.html").read_text().split("\n") if line.startswith("      <li><a")]
    assert parser.sections == nav_pages  # every page in the navigation, in its order
    assert len(parser.ids) == len(set(parser.ids))  # ids unique across the whole file
    assert set(parser.fragments) <= set(parser.ids)  # every in-file link has its target


def test_the_edition_is_the_same_bytes_in_every_build(real_site, tmp_path):
    again = tmp_path / "site"
    result = run_build(pipeline.Paths(ROOT / "data", ROOT / "content", ROOT / "templates",
                                      again), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert (again / EDITION).read_bytes() == (real_site / EDITION).read_bytes()


def test_the_edition_stays_within_400_kb_gzipped(real_site):
    size = len(gzip.compress((real_site / EDITION).read_bytes(), mtime=0))
    assert size <= 400_000, size


def test_the_edition_works_from_disk_with_every_request_refused(browser, real_site):
    url = (real_site / EDITION).resolve().as_uri()
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url == url
                  else route.abort())
    context.add_init_script("window.__csp = []; document.addEventListener("
                            "'securitypolicyviolation', e => "
                            "window.__csp.push(e.violatedDirective));")
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    wait_for_charts(page)
    figures = page.locator("figure.chart").count()
    live = page.locator("figure.chart[data-rendered='true'] .chart-live svg").count()
    tables = page.locator("figure.chart + .table-wrap table tbody tr").count()
    csp = page.evaluate("window.__csp")
    context.close()
    assert figures >= 20 and live == figures  # every chart interactive
    assert tables > figures and requests == [url] and errors == [] and csp == []


def test_the_edition_shows_charts_and_tables_without_javascript(browser, real_site):
    context, page, seen = open_page(browser, (real_site / EDITION).as_uri(),
                                    javascript=False)
    boxes = page.evaluate("() => [...document.querySelectorAll('figure.chart .chart-static')]"
                          ".map(chart => Math.max(...[...chart.querySelectorAll('svg')]"
                          ".map(svg => svg.getBoundingClientRect().width)))")
    tables = page.locator("figure.chart + .table-wrap table").count()
    context.close()
    assert len(boxes) >= 20 and min(boxes) > 100 and tables == len(boxes)
    assert seen["requests"] == [(real_site / EDITION).as_uri()]


def test_the_edition_passes_axe(browser, real_site):
    assert accessibility_problems(browser, (real_site / EDITION).as_uri(), "edition",
                                  "light") == []


def test_the_edition_prints_every_page_chart_and_table(browser, real_site, tmp_path):
    need("pdftotext", shutil.which("pdftotext"), "apt-get install poppler-utils")
    context, page, _ = open_page(browser, (real_site / EDITION).as_uri())
    wait_for_charts(page)
    titles = page.evaluate("() => [...document.querySelectorAll('.edition-page h1, "
                           ".chart-block > h2, .table-wrap caption')].map(e => e.textContent)")
    pdf = tmp_path / "edition.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    context.close()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True).stdout.split())
    sections = len(edition_anchors(real_site).sections)
    assert pages >= sections  # each page of the site starts a printed page
    missing = [t for t in titles if " ".join(t.split())[:40] not in text]
    assert missing == []

