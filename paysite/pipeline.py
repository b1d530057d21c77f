"""The pipeline: `build` runs the stages in the order the data flows.

load data/ -> load content/ -> recompute claims -> draw charts -> render -> write site/

Each stage is one module; each takes values and returns values. Nothing reaches site/ until
every stage before writing has succeeded.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
import time
from pathlib import Path

from .claims import Recomputed, recompute_claims
from .errors import BuildError, Problem, display_path
from .edition import edition_file
from .links import check_links
from .load import load_data
from .model import Chart, Dataset
from .pages import Page, load_pages
from .render import render_site
from .readings import ROUND_TO
from .ties import pages_problems, recorded_numbers
from .worded_verdicts import WordResult, words_of
from .serialise import PACKAGE_DIGEST
from .write import record_site, site_is_current, write_site


@dataclasses.dataclass(frozen=True)
class Paths:
    """Where the build reads from and writes to."""

    data_dir: Path
    content_dir: Path
    templates_dir: Path
    site_dir: Path
    cache_dir: Path | None = None  # None: draw every chart afresh
    manifest: bool = True  # record site/ for the up-to-date check (a preview records none)


@dataclasses.dataclass(frozen=True)
class Summary:
    """What one build produced."""

    pages: int
    charts: int
    files: int
    seconds: float
    unchanged: bool = False


def build(paths: Paths) -> Summary:
    """Build the whole site; nothing is written unless every input is good."""
    started = time.perf_counter()
    check_fonts(paths.templates_dir / "fonts")
    keep = paths.cache_dir and paths.manifest
    inputs = input_digest(paths) if keep else ""
    manifest = paths.cache_dir / "site-manifest.json" if keep else None
    if inputs and site_is_current(manifest, paths.site_dir, inputs):  # nothing to do
        return Summary(0, 0, 0, time.perf_counter() - started, unchanged=True)
    data = load_data(paths.data_dir)                            # read and check data/
    pages = load_pages(paths.content_dir, data)                 # read and check content/
    audit = recompute_claims(data)                              # recompute stated claims
    words = words_of(data)                                      # judge claims in words
    charts = make_page_charts(paths, pages, data, audit)        # specs, tables, SVGs
    check_ties(paths, pages, charts, audit, words)              # words agree with numbers
    files = render_site(pages, charts, data, audit, words,      # HTML, CSV, JSON, assets
                        paths.templates_dir)
    files.update(edition_file(pages, files, data.site,          # the site in one file
                              paths.templates_dir))
    check_links(pages, files)                                   # every link leads somewhere
    written = write_site(files, paths.site_dir)                 # swap in a complete site/
    record_site(manifest, paths.site_dir, inputs, written)      # for the next build
    return Summary(len(pages), len(charts), len(written), time.perf_counter() - started)


def check_fonts(fonts_dir: Path) -> None:
    """The shipped font makes SVG text metrics, and so the bytes, the same on every machine."""
    if not list(fonts_dir.glob("*.ttf")):
        raise BuildError([Problem(display_path(fonts_dir), 1, 1, "no chart font (*.ttf) here; "
                                  "the build needs it to measure chart text the same way "
                                  "on every machine")])


# The audit's rules as commentary may state them, for ties of the form `rule:`.
RULES = {"dollar_step": f"${ROUND_TO['usd_per_year']:,.0f}"}


def check_ties(paths: Paths, pages: tuple[Page, ...], charts: dict[str, Chart],
               audit: tuple[Recomputed, ...], words: tuple[WordResult, ...]) -> None:
    """Stop at every sentence whose tied value moved, and every number nothing checks."""
    tables = {name: (chart.table.columns, chart.table.rows) for name, chart in charts.items()}
    verdicts = {(result.claim.id, None): result.verdict.kind for result in (*audit, *words)}
    verdicts |= {(result.claim.id, other.source): other.verdict.kind
                 for result in audit for other in result.others}
    problems = pages_problems(pages, tables, verdicts, RULES,
                              recorded_numbers(paths.data_dir))
    if problems:
        raise BuildError(problems)


def make_page_charts(paths: Paths, pages: tuple[Page, ...], data: Dataset,
                     audit: tuple[Recomputed, ...]) -> dict[str, Chart]:
    """Every chart the pages name, each drawn or taken from the renderer's cache."""
    names = sorted({name for page in pages for name in page.charts})
    if not names:
        return {}
    from . import charts  # imports Altair (a quarter of a second): only when a page has a chart
    charts.check_names(pages)
    kinds = {name: kind for name, kind in charts.kinds_of(pages).items() if name in names}
    shown = {dimension for kind in kinds.values() for dimension in kind.reads or ()}
    check_dimensions_shown(paths.data_dir, pages, data, shown)
    try:
        return charts.make_charts(kinds, data, audit, paths.templates_dir / "fonts",
                                  paths.cache_dir)
    except charts.ChartFailures as failures:
        raise BuildError(charts.failure_problems(pages, failures)) from failures


def check_dimensions_shown(data_dir: Path, pages: tuple[Page, ...], data: Dataset,
                           read_by_charts: set[str]) -> None:
    """Stop at each dimension file whose figures no page shows: no page names it as its
    `dimension:` and no chart on a page draws it (a page renamed away from it, say)."""
    shown = read_by_charts | {page.dimension for page in pages}
    problems = [Problem(display_path(data_dir / f"{name}.yaml"), 1, 1,
                        f"no page shows the figures of {name!r}: name it as a page's "
                        "`dimension:`, or show a chart that draws it")
                for name in sorted(data.group_kinds) if name not in shown]
    if problems:
        raise BuildError(problems)


# Files whose bytes decide the output, besides data/, content/, templates/ and the package.
ROOT = Path(__file__).resolve().parent.parent
BUILD_INPUTS = (ROOT / "build.py",)


def input_digest(paths: Paths) -> str:
    """One hash over every input: every entry of data/, content/ and templates/ (its path,
    its kind, a link's target, a file's bytes), every file of the package, build.py and the
    libraries installed."""
    digest = hashlib.sha256(PACKAGE_DIGEST.encode("utf-8"))
    digest.update("\0".join(installed_libraries()).encode("utf-8"))
    for folder in (paths.data_dir, paths.content_dir, paths.templates_dir):
        for path in sorted(Path(folder).rglob("*")):
            kind = f"link {path.readlink()}" if path.is_symlink() else (
                "folder" if path.is_dir() else "file")
            digest.update(f"\0{folder.name}/{path.relative_to(folder)}\0{kind}\0".encode())
            digest.update(path.read_bytes() if kind == "file" else b"")
    for path in BUILD_INPUTS:
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def installed_libraries() -> list[str]:
    """Every library Python may import, by name and version: the folders installers make on
    its path ("Jinja2-3.1.6.dist-info"). An upgrade in place changes the output even where
    requirements.txt does not. (Folder names, not importlib.metadata, whose own import would
    cost more than the whole check on a build with nothing to do.)"""
    return sorted(name for entry in sys.path if os.path.isdir(entry)
                  for name in os.listdir(entry) if name.endswith((".dist-info", ".egg-info")))


def describe_build(summary: Summary, out: Path) -> str:
    """One line saying what a build did."""
    if summary.unchanged:
        return (f"{display_path(out)} is up to date: no input changed "
                f"({summary.seconds:.2f} s)")
    return (f"built {summary.pages} pages, {summary.charts} charts, "
            f"{summary.files} files into {display_path(out)} in {summary.seconds:.2f} s")
