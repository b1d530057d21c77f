"""Shared helpers: a small valid site written inline under tmp_path."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from paysite import pipeline  # noqa: E402

SMALL_DATA = {
    "site.yaml": """\
        title: Small test site
        updated: 2026-01-01
        """,
    "sources.yaml": """\
        sources:
          - id: alpha
            short: Alpha survey
            title: Alpha pay survey
            publisher: Alpha Inc.
            date: "2026"
            population: US national
            method: A survey.
          - id: beta
            short: Beta bands
            title: Beta pay bands
            publisher: Beta Ltd.
            date: "2026-05"
            population: Large tech companies
            method: Pay bands.
        """,
    "roles.yaml": """\
        roles:
          - {id: mle, name: ML engineer, names: {alpha: MLE, beta: ML}}
          - {id: swe, name: Software engineer, names: {alpha: SWE, beta: SW}}
        """,
    "levels.yaml": """\
        ladder:
          - {id: entry, name: Entry}
          - {id: senior, name: Senior}
        mappings:
          alpha:
            - {label: Junior, level: entry}
            - {label: Senior, level: senior}
          beta:
            - {label: L3, level: entry}
        """,
    "cities.yaml": """\
        cities:
          - {id: nyc, name: New York}
        """,
    "measures.yaml": """\
        measures:
          - {id: total_comp, name: Total compensation, unit: usd_per_year}
          - {id: remote_share, name: Remote share, unit: percent}
        """,
    "claims.yaml": """\
        claims:
          - {id: alpha-junior, source: alpha, dimension: experience, group: Junior, measure: total_comp, stat: median, premium: ml_over_swe, value: 25, as_stated: "+25%"}
        """,
    "experience.yaml": """\
        dimension: experience
        groups: level
        observations:
          - {source: alpha, role: mle, group: Junior, measure: total_comp, stat: median, value: 150000, as_stated: "$150,000"}
          - {source: alpha, role: swe, group: Junior, measure: total_comp, stat: median, value: 120000, as_stated: "$120,000"}
          - {source: beta, role: mle, group: L3, measure: total_comp, stat: range, low: 200000, high: 300000, as_stated: "$200k - $300k"}
          - {source: beta, role: swe, group: L3, measure: total_comp, stat: range, low: 150000, high: 250000, as_stated: "$150k - $250k"}
        """,
    "location.yaml": """\
        dimension: location
        groups: city
        observations:
          - {source: alpha, role: mle, group: nyc, measure: total_comp, stat: median, value: 260000, as_stated: "$260,000"}
          - {source: alpha, role: swe, group: nyc, measure: total_comp, stat: median, value: 200000, as_stated: "$200,000"}
        """,
}

SMALL_CONTENT = {
    "index.md": """\
        ---
        title: Home
        summary: The small test site.
        order: 0
        template: home
        dimension: location
        ---
        Welcome.
        """,
    "experience.md": """\
        ---
        title: Experience
        summary: Pay by level.
        order: 1
        dimension: experience
        charts: [pay_by_level, premium_by_level]
        ---
        Some *commentary*.
        """,
}


def write_files(folder: Path, files: dict[str, str]) -> None:
    """Write dedented text files into a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def small_site(tmp_path: Path, monkeypatch) -> pipeline.Paths:
    """A small valid site in tmp_path, built with the real templates; cwd is tmp_path."""
    write_files(tmp_path / "data", SMALL_DATA)
    write_files(tmp_path / "content", SMALL_CONTENT)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return pipeline.Paths(Path("data"), Path("content"), Path("templates"), Path("site"))


# A dimension no chart kind knows: contract work, by kind of client (labels, not in
# alphabetical order), in two units.
CONTRACT = """\
    dimension: contract
    groups: label
    observations:
      - {source: alpha, role: mle, group: Direct clients, measure: total_comp, stat: range, low: 150000, high: 250000, as_stated: "$150k - $250k"}
      - {source: alpha, role: swe, group: Direct clients, measure: total_comp, stat: range, low: 140000, high: 200000, as_stated: "$140k - $200k"}
      - {source: alpha, role: mle, group: Agencies, measure: total_comp, stat: median, value: 190000, as_stated: "$190,000"}
      - {source: alpha, role: swe, group: Agencies, measure: total_comp, stat: median, value: 160000, as_stated: "$160,000"}
      - {source: beta, role: mle, group: Agencies, measure: remote_share, stat: share, value: 40, as_stated: "40%"}
      - {source: beta, role: swe, group: Agencies, measure: remote_share, stat: share, value: 25, as_stated: "25%"}
    """

DECLARED = {
    "contract_pay": {"kind": "figures", "dimension": "contract", "title": "Contract pay",
                     "measure": "total_comp"},
    "contract_premium": {"kind": "premiums", "dimension": "contract",
                         "title": "Contract premium", "measure": "total_comp"},
    "contract_remote": {"kind": "counts", "dimension": "contract", "title": "Remote contracts",
                        "measure": "remote_share"},
}


def contract_page(charts: list) -> str:
    return "---\n" + yaml.safe_dump({"title": "Contracts", "summary": "Contract pay.",
                                     "order": 3, "charts": charts}, sort_keys=False) + "---\nText.\n"


def declared(**overrides) -> list[dict]:
    """The three declared charts as front matter, with some fields replaced."""
    return [{"name": name, **dict(fields, **overrides.get(name, {}))}
            for name, fields in DECLARED.items()]


@pytest.fixture
def contract_site(small_site) -> pipeline.Paths:
    write_files(small_site.data_dir, {"contract.yaml": CONTRACT})
    (small_site.content_dir / "contract.md").write_text(contract_page(declared()),
                                                        encoding="utf-8")
    return small_site


# One render cache for the whole test session, apart from the repository's own .cache/;
# removed when the session ends (pytest_sessionfinish), so no run leaves it behind.
TEST_CACHE = Path(tempfile.mkdtemp(prefix="paysite-test-cache-"))


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(TEST_CACHE, ignore_errors=True)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One short summary of the tests skipped for a missing tool, and how to install them all."""
    from checks import INSTALL_ALL, MISSING
    missing: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else "")
        if MISSING in reason:
            tool = reason.removeprefix("Skipped: ").split(f" {MISSING}")[0]
            missing[tool] = missing.get(tool, 0) + 1
    if missing:
        tools = ", ".join(f"{tool} ({count})" for tool, count in sorted(missing.items()))
        terminalreporter.write_sep("=", "tools missing")
        terminalreporter.write_line(f"Skipped, for want of a tool (tests or modules): {tools}.")
        terminalreporter.write_line(f"Install them all (Debian, as root): {INSTALL_ALL}")


def run_build(paths: pipeline.Paths, *extra: str) -> subprocess.CompletedProcess:
    """Run build.py as a separate process, the way an editor does."""
    cache = [] if {"--cache", "--no-cache"} & set(extra) else ["--cache", str(TEST_CACHE)]
    command = [sys.executable, str(ROOT / "build.py"), "--data", str(paths.data_dir),
               "--content", str(paths.content_dir), "--templates", str(paths.templates_dir),
               "--out", str(paths.site_dir), *cache, *extra]
    return subprocess.run(command, capture_output=True, text=True, env=dict(os.environ))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# The real site's pages, found by what they show, never by name: an editor who renames or
# adds a page changes no test.
@functools.cache
def real_pages() -> tuple:
    """The pages of the repository's content/, as the build reads them."""
    from paysite import load, pages
    return pages.load_pages(ROOT / "content", load.load_data(ROOT / "data"))


def page_showing(chart: str) -> str:
    """The file name of the first page that shows a chart kind (a name in the code)."""
    return next(page.out_name for page in real_pages() if chart in page.charts)


def page_with_most_charts() -> str:
    """The file name of the page with the most charts (the first of them, in order)."""
    return max(real_pages(), key=lambda page: len(page.charts)).out_name


def charts_on(name: str) -> tuple[str, ...]:
    """The chart kinds a page shows, by its file name."""
    return next(page.charts for page in real_pages() if page.out_name == name)


def page_without_charts() -> str:
    """The file name of the first page in the navigation that shows no chart."""
    return next(page.out_name for page in real_pages() if page.nav and not page.charts)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The repository's own data and content, built into a temporary folder."""
    out = tmp_path_factory.mktemp("real") / "site"
    paths = pipeline.Paths(ROOT / "data", ROOT / "content", ROOT / "templates", out)
    result = run_build(paths)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright, for one test module. Not for the session: a
    Playwright instance left running would stop tests that start their own."""
    from checks import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
