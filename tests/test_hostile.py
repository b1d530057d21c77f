"""Hostile input: fuzzed YAML and front matter, script injection, and builds killed midway."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks import CHROMIUM, CHROMIUM_ARGS, browser_problems, need
from conftest import ROOT, SMALL_CONTENT, SMALL_DATA, snapshot, write_files
from paysite import errors, load, pages, pipeline, schemas, vocabulary, yamlfile

# --------------------------------------------------------------------------- fuzzing

FUZZ = settings(max_examples=800, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)
FIELDS = sorted(schemas.OBSERVATION["properties"]) + ["id", "claims", "observations", "x"]
records = st.dictionaries(st.sampled_from(FIELDS), st.one_of(scalars, documents), max_size=8)


def assert_located(error: errors.BuildError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message


@FUZZ
@given(st.text(max_size=200))
def test_any_text_parses_or_fails_with_a_location(text):
    try:
        yamlfile.parse_yaml(text, Path("fuzz.yaml"))
    except errors.BuildError as error:
        assert_located(error)


@FUZZ
@given(st.binary(max_size=120))
def test_any_bytes_read_or_fail_with_a_location(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(raw)
        try:
            yamlfile.load_yaml_file(path)
        except errors.BuildError as error:
            assert_located(error)


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    write_files(root / "data", SMALL_DATA)
    write_files(root / "content", SMALL_CONTENT)
    return root


def assert_data_loads_or_locates(site: Path, name: str, document) -> None:
    """Put one document in place of a data file: data/ loads, or fails with locations."""
    (site / "data" / name).write_text(yaml.safe_dump(document), encoding="utf-8")
    try:
        load.load_data(site / "data")
    except errors.BuildError as error:
        assert_located(error)
    finally:
        write_files(site / "data", {name: SMALL_DATA[name]})


@FUZZ
@given(name=st.sampled_from(sorted(SMALL_DATA)), document=documents)
def test_any_data_document_builds_or_fails_with_a_location(fuzz_site, name, document):
    assert_data_loads_or_locates(fuzz_site, name, document)


@FUZZ
@given(record=records, kind=st.sampled_from(["experience.yaml", "claims.yaml"]))
def test_any_record_builds_or_fails_with_a_location(fuzz_site, record, kind):
    key = "claims" if kind == "claims.yaml" else "observations"
    head = {} if key == "claims" else {"dimension": "experience", "groups": "level"}
    assert_data_loads_or_locates(fuzz_site, kind, {**head, key: [record]})


@FUZZ
@given(meta=st.one_of(documents, st.dictionaries(st.sampled_from(
    ["title", "summary", "order", "slug", "charts", "template", "nav", "dimension", "x"]),
    st.one_of(scalars, documents), max_size=7)), body=st.text(max_size=80))
def test_any_front_matter_loads_or_fails_with_a_location(fuzz_site, meta, body):
    data = load.load_data(fuzz_site / "data")
    path = fuzz_site / "content" / "fuzz.md"
    path.write_text(f"---\n{yaml.safe_dump(meta)}---\n{body}", encoding="utf-8")
    try:
        pages.read_page(path, data.group_kinds, pages.page_numbers(data))
    except errors.BuildError as error:
        assert_located(error)
    finally:
        path.unlink()


# --------------------------------------------------------------------------- injection

HOSTILE_MARKDOWN = """\
<script>window.__pwned = "script"</script>
<img src="x" onerror="window.__pwned = 'onerror'">
<a href="javascript:window.__pwned='link'">a raw link</a>
<iframe src="javascript:window.__pwned='iframe'"></iframe>
<svg><script>window.__pwned = "svg"</script></svg>
<svg onload="window.__pwned = 'svg-onload'"></svg>
<a href="#" style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</a>
<style>body { display: none }</style>
<object data="javascript:window.__pwned='object'"></object>
<form action="javascript:window.__pwned='form'"><button>go</button></form>
<p onclick="window.__pwned='click'">click me</p>
"""
HOSTILE_DATA = "<img src=x onerror=\\\"window.__pwned='data'\\\"><script>window.__pwned='data'</script>"


class Markup(HTMLParser):
    """Every element of a page with its attributes."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def markup_problems(html: str) -> list[str]:
    """Elements and attributes through which page text could run script or restyle a page."""
    parser = Markup()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.elements:
        if tag in ("iframe", "object", "embed", "form", "style", "base", "meta") and not (
                tag == "meta" and "onload" not in attrs):
            problems.append(f"<{tag}>")
        if tag == "script" and not (attrs.get("src", "").startswith("assets/")
                                    or attrs.get("type") == "application/json"):
            problems.append(f"<script {attrs}>")
        problems += [f"<{tag} {name}>" for name in attrs if name.startswith("on")]
        problems += [f"<{tag} {name}={value}>" for name, value in attrs.items()
                     if name in ("href", "src", "action", "data") and value
                     and value.replace(" ", "").lower().startswith("javascript:")]
        if "style" in attrs and tag != "svg":
            problems.append(f"<{tag} style>")
    return problems


def test_script_in_content_and_data_never_runs(small_site, tmp_path):
    need("Chromium", CHROMIUM, "apt-get install chromium")
    from playwright.sync_api import sync_playwright
    page_file = small_site.content_dir / "experience.md"
    page_file.write_text(page_file.read_text() + "\n" + HOSTILE_MARKDOWN, encoding="utf-8")
    sources = small_site.data_dir / "sources.yaml"
    sources.write_text(sources.read_text().replace(
        "short: Alpha survey", f'short: "Alpha {HOSTILE_DATA}"'), encoding="utf-8")
    pipeline.build(small_site)
    html = (small_site.site_dir / "experience.html").read_text(encoding="utf-8")
    assert markup_problems(html) == []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        url = (small_site.site_dir / "experience.html").resolve().as_uri()
        problems = browser_problems(browser, url, "experience.html", ("file:", "data:"))
        context = browser.new_context()
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.wait_for_timeout(500)
        # Point at and click what a reader would: paragraphs, links and the charts.
        for box in page.locator("main .prose p, main .prose a, .chart-live").all():
            size = box.bounding_box()
            if size and size["width"] > 0 and size["height"] > 0:
                box.scroll_into_view_if_needed()
                box.hover()
                box.click(no_wait_after=True, modifiers=["Alt"])
        pwned = page.evaluate("window.__pwned")
        body_visible = page.locator("main").is_visible()
        text = page.locator("main").inner_text()
        browser.close()
    assert pwned is None and dialogs == []
    assert body_visible
    assert "Alpha <img src=x" in text  # data text is shown as text, not markup
    assert problems == []  # no CSP violation and no error from the site's own scripts


# --------------------------------------------------------------------------- killed builds

def test_ctrl_c_during_a_build_stops_it_with_one_line(small_site, capsys, monkeypatch):
    """Ctrl-C while the pages are read: status 130, one line, no traceback, nothing written."""
    import build

    def interrupted(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(pipeline, "load_pages", interrupted)
    status = build.main(["--no-cache", "--data", "data", "--content", "content",
                         "--templates", "templates", "--out", "site"])
    assert (status, *capsys.readouterr()) == (errors.EXIT_INTERRUPTED, "", "interrupted\n")
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["content", "data", "templates"]


def test_a_build_killed_midway_leaves_the_old_site_and_is_cleaned_up(tmp_path):
    """SIGKILL the real build while it writes; site/ stays complete; the next build cleans up."""
    out = tmp_path / "site"
    command = [sys.executable, str(ROOT / "build.py"), "-q", "--out", str(out)]
    subprocess.run(command, check=True)
    fresh = snapshot(out)
    (out / "index.html").write_text("old published page\n")  # tell old from new apart
    old = snapshot(out)
    caught_writing = 0
    for _ in range(8):
        process = subprocess.Popen(command)
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if any(p.name.startswith(".site.building-") for p in tmp_path.iterdir()):
                os.kill(process.pid, signal.SIGKILL)
                caught_writing += 1
                break
        process.wait()
        now = snapshot(out)
        assert now in (old, fresh), "site/ is neither the old site nor a complete new one"
        if now == fresh:
            (out / "index.html").write_text("old published page\n")
        if caught_writing >= 2:
            break
    assert caught_writing >= 1, "the build was never caught while writing"
    assert any(p.name.startswith(".site.") for p in tmp_path.iterdir())  # a leftover
    subprocess.run(command, check=True)
    assert snapshot(out) == fresh
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    shutil.rmtree(out)


# Numbers a data file can hold that a chart or a writer must never choke on.
# Plausible figures most of the time, so most documents load and reach the charts; extremes
# and special floats often enough to be tried.
plausible = st.one_of(st.integers(0, 10**7), st.floats(min_value=0, max_value=1e7))
numbers = st.one_of(plausible, plausible, plausible, plausible,
                    st.sampled_from([0, 1e-300, 5e-324, 1e308, 10**8]),
                    st.floats(allow_nan=True, allow_infinity=True))
FIGURE_GROUPS = {"alpha": ["Junior", "Senior"], "beta": ["L3"]}
LOADED: list[int] = []  # documents that loaded, so the test can see it drew real charts


@st.composite
def experience_records(draw) -> dict:
    """One schema-valid observation for the small site's experience file."""
    source = draw(st.sampled_from(sorted(FIGURE_GROUPS)))
    record = {"source": source, "role": draw(st.sampled_from(["mle", "swe"])),
              "group": draw(st.sampled_from(FIGURE_GROUPS[source])),
              "measure": "total_comp", "stat": draw(st.sampled_from(sorted(schemas.STATS))),
              "as_stated": "x", "scope": draw(st.sampled_from([None, "a", "b"]))}
    if record["stat"] not in vocabulary.RANGE_STATS and draw(st.booleans()):
        record["value"] = draw(numbers)
    else:
        low, high = draw(numbers), draw(numbers)
        record["low"], record["high"] = (high, low) if high < low else (low, high)
    return {key: value for key, value in record.items() if value is not None}


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(observations=st.lists(experience_records(), min_size=1, max_size=6, unique_by=lambda r: (
    r["source"], r["role"], r["group"], r["stat"], r.get("scope"))))
def test_schema_valid_data_through_every_chart_maker(fuzz_site, observations):
    """Data that loads never makes a chart maker or a writer fail, whatever its numbers."""
    from paysite import charts, claims, serialise
    document = {"dimension": "experience", "groups": "level", "observations": observations}
    (fuzz_site / "data" / "experience.yaml").write_text(yaml.safe_dump(document), "utf-8")
    (fuzz_site / "data" / "claims.yaml").write_text("claims: []\n", "utf-8")
    try:
        data = load.load_data(fuzz_site / "data")
    except errors.BuildError as error:
        assert_located(error)
        return
    finally:
        write_files(fuzz_site / "data", {name: SMALL_DATA[name]
                                         for name in ("experience.yaml", "claims.yaml")})
    LOADED.append(len(observations))
    audit = claims.recompute_claims(data)
    for name, kind in sorted(charts.KINDS.items()):
        try:
            drawn = kind.make(data, audit)
        except charts.ChartDataError:
            continue
        serialise.spec_json(drawn.chart.to_dict())
        serialise.csv_text(drawn.table.columns, drawn.table.rows)


def test_the_chart_maker_fuzzing_drew_charts():
    """Most generated documents load (a fuzz test whose data never loads tests nothing)."""
    assert len(LOADED) >= 40, LOADED


link_targets = st.one_of(
    st.sampled_from(["index.html", "experience.html#chart-pay-by-level", "#x", "nope.html",
                     "downloads/figures.csv", "https://example.org/a", "mailto:a@b.c",
                     "javascript:alert(1)", "data:x", "", "./index.html", "%2e%2e/x"]),
    st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12))
line_ends = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(targets=st.lists(link_targets, max_size=4), end=line_ends)
def test_any_links_and_line_ends_build_or_fail_with_a_location(fuzz_site, targets, end):
    """Links anywhere, with any line ends: the page is read and checked, or located."""
    from paysite import links
    lines = ["---", "title: T", "summary: S", "order: 9", "---"]
    lines += [f"See [it {i}]({target})." for i, target in enumerate(targets)]
    path = fuzz_site / "content" / "fuzz.md"
    path.write_bytes(end.join(lines).encode("utf-8"))
    data = load.load_data(fuzz_site / "data")
    try:
        page = pages.read_page(path, data.group_kinds, pages.page_numbers(data))
        links.check_links((page,), {"index.html": b'<h2 id="x">', "fuzz.html": b""})
    except errors.BuildError as error:
        assert_located(error)
    finally:
        path.unlink()
