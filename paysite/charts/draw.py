"""Each named chart made: its Altair spec and table from the data, then its SVGs drawn by the
renderer (paysite/svg.py), one chart after another.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import altair as alt

from .. import svg
from ..claims import Recomputed, recompute_claims
from ..model import Chart, Dataset
from .base import ChartDataError, ChartFailures, ChartKind


def make_charts(kinds: dict[str, ChartKind], data: Dataset, audit: tuple[Recomputed, ...],
                fonts_dir: Path, cache_dir: Path | None,
                specs: dict | None = None) -> dict[str, Chart]:
    """Every chart of `kinds` (by name): spec and table made here, SVGs from the renderer's
    cache or drawn. `specs`, when given, keeps each chart's spec and table in memory under
    what it draws and the part of the data it reads, for the next build in this process (the
    live preview)."""
    made, failures, used = {}, {}, {}
    for name, kind in sorted(kinds.items()):
        try:
            made[name] = made_or_kept(name, kind, data, audit, specs, used)
        except ChartDataError as error:
            failures[name] = str(error)
    if specs is not None:  # what this build did not use is let go
        specs.clear()
        specs.update(used)
    if failures:
        raise ChartFailures(failures)
    svg.start(fonts_dir)
    salt = svg.salt(fonts_dir)
    charts = {}
    for name, (title, description, spec, table) in made.items():
        drawn = svg.drawn(spec, cache_dir, salt)
        charts[name] = Chart(name, title, description, spec, drawn["vega"],
                             tuple(drawn["svgs"]), tuple(drawn["plots"]), table)
    return charts


def made_or_kept(name: str, kind: ChartKind, data: Dataset, audit: tuple[Recomputed, ...],
                 specs: dict | None, used: dict) -> tuple:
    """One chart's title, description, spec and table, from `specs` when they hold it for
    the same kind (a declared chart's options are part of it) and the part of the data it
    reads (each kept in `used`)."""
    if specs is None:
        return made_chart(kind, *chart_data(kind, data, audit))
    part = data if kind.reads is None else data.part(kind.reads, kind.measures)
    key = hashlib.sha256(f"{name}\0{kind!r}\0{part!r}".encode("utf-8")).hexdigest()
    if key not in specs:
        specs[key] = made_chart(kind, *chart_data(kind, data, audit))
    used[key] = specs[key]
    return used[key]


def chart_data(kind: ChartKind, data: Dataset,
               audit: tuple[Recomputed, ...]) -> tuple[Dataset, tuple[Recomputed, ...]]:
    """The part of the data set a chart kind reads, and the claims recomputed from it."""
    if kind.reads is None:
        return data, audit
    part = data.part(kind.reads, kind.measures)
    return part, recompute_claims(part)


def made_chart(kind: ChartKind, data: Dataset, audit: tuple[Recomputed, ...]) -> tuple:
    """One chart kind's title, description, spec and table. A kind that finds the data
    cannot make its chart raises ChartDataError; any other exception is a bug, left to
    surface with its traceback."""
    # Altair checks each part of a chart against the Vega-Lite schema as it is made (its
    # debug mode) and the whole spec once more when it is written: a quarter of the time the
    # specs take. The test suite checks every chart kind's spec (tests/test_incremental.py).
    missing = [dimension for dimension in kind.reads or ()
               if dimension not in data.group_kinds]
    if missing:  # a dimension renamed or removed: the chart would be drawn empty
        raise ChartDataError(f"it draws the figures of {', '.join(map(repr, missing))}, and no "
                             f"file of data/ says `dimension: {missing[0]}`")
    with alt.utils.schemapi.debug_mode(False):
        drawn = kind.make(data, audit)
        spec = drawn.chart.to_dict(validate=False)
    if not drawn.table.rows:
        raise ChartDataError("it has no rows: no figure of data/ is of the kind it draws")
    return kind.title, drawn.description, spec, drawn.table
