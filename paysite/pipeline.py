"""The pipeline: `build` runs the stages in the order the data flows.

load data/ -> load content/ -> recompute claims -> draw charts -> render -> write site/

Each stage is one module; each takes values and returns values. Nothing reaches site/ until
every stage before writing has succeeded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import time
from pathlib import Path

from . import datamemo
from .claims import Recomputed, recompute_claims
from .drawing import Chart, ChartMemo, chart_keys, fonts_digest, inputs_digest
from .errors import BuildError, Problem, display_path
from .edition import edition_file
from .links import check_links
from .load import load_data
from .model import Dataset
from .parallel import workers_kept
from .pages import Page, load_pages
from .render import render_site
from .write import record_site, site_is_current, write_site



def check_fonts(fonts_dir: Path) -> None:
    """The shipped font makes SVG text metrics, and so the bytes, the same on every machine."""
    if not list(fonts_dir.glob("*.ttf")):
        raise BuildError([Problem(display_path(fonts_dir), 1, 1, "no chart font (*.ttf) here; "
                                  "the build needs it to measure chart text the same way "
                                  "on every machine")])


@dataclasses.dataclass(frozen=True)
class Paths:
    """Where the build reads from and writes to."""

    data_dir: Path
    content_dir: Path
    templates_dir: Path
    site_dir: Path
    cache_dir: Path | None = None  # None: render everything afresh
    jobs: int = 1  # worker processes for reading many pages and drawing charts
    manifest: bool = True  # record site/ for the up-to-date check (a preview records none)


@dataclasses.dataclass(frozen=True)
class Summary:
    """What one build produced."""

    pages: int
    charts: int
    files: int
    seconds: float
    detail: str


def build(paths: Paths) -> Summary:
    """Build the whole site; nothing is written unless every input is good."""
    started = time.perf_counter()
    check_fonts(paths.templates_dir / "fonts")
    keep = paths.cache_dir and paths.manifest
    digest = data_digest(paths)                                  # data/ and the code, hashed
    inputs = input_digest(paths, digest) if keep else ""
    manifest = paths.cache_dir / "site-manifest.json" if keep else None
    if inputs and site_is_current(manifest, paths.site_dir, inputs):  # nothing to do
        return Summary(0, 0, 0, time.perf_counter() - started, "unchanged")
    with workers_kept():  # workers started early serve the whole build, then stop
        return build_site(paths, digest, inputs, manifest, started)


def build_site(paths: Paths, digest: str | None, inputs: str, manifest: Path | None,
               started: float) -> Summary:
    """Build the whole site from its inputs, which have changed since the last build."""
    with stage("reading data/", paths.data_dir):
        data = read_data(paths, digest)                          # read and check data/
    with stage("reading content/", paths.content_dir):
        pages = load_pages(paths.content_dir, data, paths.jobs)  # read and check content/
    with stage("recomputing claims", paths.data_dir):
        audit = recompute_claims(data)                           # recompute stated claims
    with stage("drawing charts", paths.content_dir):
        charts, drawn = make_page_charts(paths, pages, data, audit)  # specs, tables, SVGs
    with stage("rendering pages", paths.templates_dir):
        compiled = paths.cache_dir / "templates" if paths.cache_dir else None
        files = render_site(pages, charts, data, audit,          # HTML, CSV, JSON, assets
                            paths.templates_dir, compiled)
        files.update(edition_file(pages, files, data.site,      # the site in one file
                                  paths.templates_dir, compiled))
        check_links(pages, files)                                # every link leads somewhere
    with stage("writing the site", paths.site_dir):
        written = write_site(files, paths.site_dir)              # swap in a complete site/
        record_site(manifest, paths.site_dir, inputs, written)   # for the next build
    return Summary(len(pages), len(charts), len(written), time.perf_counter() - started,
                   drawn)


@contextlib.contextmanager
def stage(doing: str, folder: Path):
    """Turn an exception that is not an input mistake (a bug, a full disk) into one message
    naming the stage and its folder, never a traceback."""
    try:
        yield
    except (BuildError, KeyboardInterrupt):
        raise
    except Exception as error:
        raise BuildError([Problem(display_path(folder), 1, 1, (
            f"unexpected {type(error).__name__} while {doing}: {error}; this is not a "
            f"mistake in your input but a bug or a fault of the machine: please report it"))
        ]) from error


def data_digest(paths: Paths) -> str | None:
    """What the checked data set depends on (data/ and the code), hashed (None when nothing
    is cached)."""
    if not paths.cache_dir:
        return None
    return inputs_digest(paths.data_dir)


def read_data(paths: Paths, digest: str | None) -> Dataset:
    """The checked data set: from the data memo when data/ and the code are unchanged."""
    folder = paths.cache_dir / "data" if paths.cache_dir else None
    data = datamemo.remembered(folder, digest) if folder else None
    if data is None:
        data = load_data(paths.data_dir)
        if folder:
            datamemo.remember(folder, digest, data)
    return data


def make_page_charts(paths: Paths, pages: tuple[Page, ...], data: Dataset,
                     audit: tuple[Recomputed, ...]) -> tuple[dict[str, Chart], str]:
    """Every chart the pages name, and how many came from the cache or were drawn."""
    names = sorted({name for page in pages for name in page.charts})
    if not names:
        return {}, "0 cached, 0 rendered"
    fonts_dir = paths.templates_dir / "fonts"
    memo = ChartMemo(paths.cache_dir / "charts") if paths.cache_dir else None
    fonts = fonts_digest(fonts_dir) if memo else ""
    reads = memo.reads() if memo else None  # as this code declared them in an earlier build
    keys, found = remembered(memo, reads, names, data, fonts)
    if len(found) == len(names):  # no chart's part of the data changed: Altair not imported
        return found, f"{len(found)} cached, 0 rendered"
    from .layouts import start_renderers  # the workers start while Altair builds the specs
    start_renderers(fonts_dir, paths.jobs, len(names) - len(found))
    from . import charts  # imports Altair (a quarter of a second): only when a page has a chart
    charts.check_names(pages)
    declared = charts.reads_of(charts.KINDS)
    if memo and declared != reads:  # no record for this code yet (or kinds registered since)
        memo.remember_reads(declared)
        keys, found = remembered(memo, declared, names, data, fonts)
    missing = [name for name in names if name not in found]
    cache = charts.RenderCache(paths.cache_dir / "render" if paths.cache_dir else None,
                               fonts_dir)
    try:
        made = charts.make_charts(missing, data, audit, fonts_dir, cache, paths.jobs)
    except charts.ChartFailures as failures:
        raise BuildError(charts.failure_problems(pages, failures)) from failures
    if memo:
        for name, chart in made.items():
            memo.put(keys[name], chart)
    return {**found, **made}, f"{len(found) + cache.hits} cached, {cache.misses} rendered"


def remembered(memo: ChartMemo | None, reads: dict[str, tuple] | None, names: list[str],
               data: Dataset, fonts: str) -> tuple[dict[str, str], dict[str, Chart]]:
    """Every chart kind's key, by what each reads, and the named charts the memo holds under
    them (none without a memo or a record of what the kinds read)."""
    if memo is None or reads is None:
        return {}, {}
    keys = chart_keys(reads, data, fonts)
    return keys, {name: chart for name in names
                  if name in keys and (chart := memo.get(keys[name])) is not None}


# Files whose bytes decide the output, besides data/, the generator's modules and the
# installed libraries (all in `data_digest`), content/ and templates/.
ROOT = Path(__file__).resolve().parent.parent
BUILD_INPUTS = (ROOT / "build.py", ROOT / "requirements.txt")


def input_digest(paths: Paths, data: str) -> str:
    """One hash over every input: `data_digest` (data/ and the code), then every file of
    content/ and templates/ by name and bytes, build.py and the pins."""
    digest = hashlib.sha256(data.encode("utf-8"))
    for folder in (paths.content_dir, paths.templates_dir):
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            digest.update(f"\0{path.relative_to(folder)}\0".encode("utf-8"))
            digest.update(path.read_bytes())
    for path in BUILD_INPUTS:
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def describe_build(summary: Summary, out: Path) -> str:
    """One line saying what a build did."""
    if summary.detail == "unchanged":
        return (f"{display_path(out)} is up to date: no input changed "
                f"({summary.seconds:.2f} s)")
    return (f"built {summary.pages} pages, {summary.charts} charts ({summary.detail}), "
            f"{summary.files} files into {display_path(out)} in {summary.seconds:.2f} s")
