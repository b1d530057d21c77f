"""Drawn charts as plain values (`Table`, `Chart`), and the chart memo: every chart of the
last build stored whole under the hash of everything that made it, so a build whose data and
code have not changed takes its charts from disk without importing Altair or building a spec.

Nothing here imports the chart package; the pipeline asks the memo first.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Iterable


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
    svgs: tuple[str, ...]  # one per layout width (charts.draw.LAYOUT_WIDTHS)
    table: Table
    plots: tuple[int | None, ...] = ()  # each layout's plot width (None: the chart's own)


PACKAGE = Path(__file__).resolve().parent


def inputs_digest(data_dir: Path, fonts_dir: Path, pins: Path) -> str:
    """One hash over what every chart depends on: data/, the generator's code, the chart
    font and the pinned versions (the renderer's among them)."""
    digest = hashlib.sha256()
    files = [*sorted(Path(data_dir).rglob("*.yaml")), *sorted(PACKAGE.rglob("*.py")),
             *sorted(Path(fonts_dir).glob("*.ttf")), pins]
    for path in files:
        digest.update(f"\0{path.name}\0".encode("utf-8"))
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


class ChartMemo:
    """Whole charts on disk under (inputs digest, chart name)."""

    def __init__(self, folder: Path, digest: str):
        self.folder, self.digest = folder, digest

    def path(self, name: str) -> Path:
        key = hashlib.sha256(f"{self.digest}\0{name}".encode("utf-8")).hexdigest()
        return self.folder / key[:2] / key

    def get_all(self, names: Iterable[str]) -> dict[str, Chart] | None:
        """Every named chart, or None if any is missing or damaged (then all are made)."""
        found = {}
        for name in sorted(set(names)):
            try:
                found[name] = chart_from_json(json.loads(self.path(name).read_bytes()))
            except (OSError, ValueError, KeyError, TypeError):
                return None
        return found

    def put_all(self, charts: dict[str, Chart]) -> None:
        for name, chart in sorted(charts.items()):
            path = self.path(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(dataclasses.asdict(chart), sort_keys=True),
                                 encoding="utf-8")
            os.replace(temporary, path)  # whole or absent, even if the build is killed


def chart_from_json(found: dict) -> Chart:
    """A chart as the memo stored it, with its tuples restored."""
    table = found["table"]
    return Chart(found["name"], found["title"], found["description"], found["spec"],
                 found["vega_spec"], tuple(found["svgs"]),
                 Table(table["caption"], tuple(table["columns"]),
                       tuple(tuple(row) for row in table["rows"])), tuple(found["plots"]))
