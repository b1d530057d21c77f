"""Drawn charts as plain values (`Table`, `Chart`), and the chart memo: every chart stored
whole under the hash of everything that made it (the code, the fonts and the part of the data
it reads), so a build takes from disk every chart whose part of the data has not changed,
and imports Altair and builds specs only for the others (none, when no figure changed).

Nothing here imports the chart package; the pipeline asks the memo first.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from pathlib import Path

from .model import Dataset
from .serialise import write_whole


@dataclasses.dataclass(frozen=True)
class Table:
    """The numbers behind a chart, as rows of text."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclasses.dataclass(frozen=True)
class Chart:
    """One chart: its Vega-Lite spec, its build-time SVGs, its table and its words."""

    name: str
    title: str
    description: str
    spec: dict
    vega_spec: dict
    svgs: tuple[str, ...]  # one per layout width (layouts.LAYOUT_WIDTHS)
    table: Table
    plots: tuple[int | None, ...] = ()  # each layout's plot width (None: the chart's own)


PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_digest() -> str:
    """The generator's code and the installed versions of the libraries output depends on.
    Taken once per process, by its first build that keeps a cache (a build with none never
    needs it, nor importlib.metadata's import), or when a preview starts: a long-running
    preview keeps the code it started with, so its cache entries are filed under that code,
    never under newer files it has not loaded."""
    from importlib import metadata
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(f"\0{path.relative_to(PACKAGE)}\0".encode("utf-8") + path.read_bytes())
    for name in ("altair", "vl-convert-python", "jinja2", "markdown", "pyyaml", "nh3",
                 "jsonschema"):
        digest.update(f"\0{name} {metadata.version(name)}".encode("utf-8"))
    return digest.hexdigest()


def inputs_digest(data_dir: Path) -> str:
    """One hash over what the checked data set depends on: every entry of data/ (its path,
    its kind, a link's target, a file's bytes, so that a stray file or link is seen as the
    cold build sees it) and the code (`code_digest`). Charts are keyed apart (`chart_keys`)."""
    digest = hashlib.sha256(code_digest().encode("utf-8"))
    for path in sorted(Path(data_dir).rglob("*")):
        kind = "link " + os.readlink(path) if path.is_symlink() else (
            "folder" if path.is_dir() else "file")
        digest.update(f"\0{path.relative_to(data_dir)}\0{kind}\0".encode("utf-8"))
        if kind == "file":
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fonts_digest(fonts_dir: Path) -> str:
    """The chart fonts' bytes, hashed: SVG text is measured with them. A build asks up to four
    times (the chart memo, the render cache, and the renderers' key, twice); the fonts (800 KB)
    are read again only when one's size or modification time differs, as the site manifest
    tells changed outputs apart."""
    files = []
    for path in sorted(Path(fonts_dir).resolve().glob("*.ttf")):
        stat = path.stat()
        files.append((path, stat.st_size, stat.st_mtime_ns))
    return digest_of_files(tuple(files))


@functools.lru_cache(maxsize=8)
def digest_of_files(files: tuple[tuple[Path, int, int], ...]) -> str:
    """The bytes of these files (path, size, modification time), hashed in order."""
    return hashlib.sha256(b"".join(path.read_bytes() for path, _, _ in files)).hexdigest()


def chart_keys(reads: dict[str, tuple], data: Dataset, fonts: str) -> dict[str, str]:
    """What each chart depends on, hashed: the code (`code_digest`), the fonts' digest, the
    chart's name and the part of the data set it reads (`Dataset.part`, by `reads`: name ->
    (dimensions, measures)), all of whose values its frozen dataclasses and dicts spell out
    in their repr. Each distinct part is spelled out once."""
    parts, keys = {}, {}
    for name, (dimensions, measures) in sorted(reads.items()):
        if (dimensions, measures) not in parts:
            parts[dimensions, measures] = repr(data.part(dimensions, measures))
        text = f"{code_digest()}\0{fonts}\0{name}\0{parts[dimensions, measures]}"
        keys[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return keys


class ChartMemo:
    """Whole charts on disk, each under its key (`chart_keys`); and what each chart kind
    reads, as the code that declares it said (in a file named by that code's digest), so
    that a build can work out every chart's key without importing the chart package."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def reads_path(self) -> Path:
        # One per code: a preview may run older code.
        return self.folder / f"reads-{code_digest()}.json"

    def reads(self) -> dict[str, tuple] | None:
        """Each chart kind's (dimensions, measures), if recorded by this code."""
        try:
            found = json.loads(self.reads_path().read_bytes())
            return {name: (None if dims is None else tuple(dims), tuple(measures))
                    for name, (dims, measures) in found.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def remember_reads(self, reads: dict[str, tuple]) -> None:
        write_whole(self.reads_path(), json.dumps(reads, sort_keys=True).encode("utf-8"))

    def get(self, key: str) -> Chart | None:
        """The chart stored under this key, or None if it is missing or damaged."""
        try:
            return chart_from_json(json.loads(self.path(key).read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, chart: Chart) -> None:
        # Not dataclasses.asdict: it would copy the specs, every dict in them, first.
        record = {**vars(chart), "table": vars(chart.table)}
        write_whole(self.path(key), json.dumps(record, sort_keys=True).encode("utf-8"))


def chart_from_json(found: dict) -> Chart:
    """A chart as the memo stored it, with its tuples restored."""
    table = found["table"]
    return Chart(found["name"], found["title"], found["description"], found["spec"],
                 found["vega_spec"], tuple(found["svgs"]),
                 Table(table["caption"], tuple(table["columns"]),
                       tuple(tuple(row) for row in table["rows"])), tuple(found["plots"]))
