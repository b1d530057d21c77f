"""Each named chart made: its Altair spec and table from the data, then its SVGs drawn by the
renderer (paysite/svg.py), one chart after another. Both are kept on disk under the hash of
everything that decides them, so a build makes again only the charts whose part of the data,
declaration or code changed.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt

from .. import svg
from ..claims import Recomputed, recompute_claims
from ..model import Chart, Dataset, Table
from ..serialise import PACKAGE_DIGEST, kept
from .base import ChartDataError, ChartFailures, ChartKind


def make_charts(kinds: dict[str, ChartKind], data: Dataset, audit: tuple[Recomputed, ...],
                fonts_dir: Path, cache_dir: Path | None) -> dict[str, Chart]:
    """Every chart of `kinds` (by name): its spec and table, then its SVGs, each from the
    cache (`cache_dir`: specs/ and svg/; None: none) or made and kept there."""
    made, failures = {}, {}
    for name, kind in sorted(kinds.items()):
        try:
            made[name] = made_or_kept(name, kind, data, audit,
                                      cache_dir / "specs" if cache_dir else None)
        except ChartDataError as error:
            failures[name] = str(error)
    if failures:
        raise ChartFailures(failures)
    svg.start(fonts_dir)
    salt = svg.salt(fonts_dir)
    charts = {}
    for name, (title, description, spec, table) in made.items():
        drawing = svg.drawn(spec, cache_dir / "svg" if cache_dir else None, salt)
        charts[name] = Chart(name, title, description, spec, drawing["vega"],
                             tuple(drawing["svgs"]), tuple(drawing["plots"]),
                             tuple(drawing["signals"]), table)
    return charts


def made_or_kept(name: str, kind: ChartKind, data: Dataset, audit: tuple[Recomputed, ...],
                 cache_dir: Path | None) -> tuple:
    """One chart's title, description, spec and table: from the cache when it holds them
    under this key (the generator's files, Altair's version, which writes the spec, the
    chart's name and declaration, the part of the data it reads), else made and kept there."""
    def made() -> list:
        title, description, spec, table = made_chart(kind, *chart_data(kind, data, audit))
        return [title, description, spec, [table.caption, table.columns, table.rows]]
    title, description, spec, (caption, columns, rows) = kept(
        cache_dir, f"{PACKAGE_DIGEST}\0altair {alt.__version__}\0{name}\0{kind.declared}\0"
                   f"{data.part(kind.reads, kind.measures)!r}", made)
    return title, description, spec, Table(caption, tuple(columns), tuple(map(tuple, rows)))


def chart_data(kind: ChartKind, data: Dataset,
               audit: tuple[Recomputed, ...]) -> tuple[Dataset, tuple[Recomputed, ...]]:
    """The part of the data set a chart kind reads, and the claims recomputed from it."""
    part = data.part(kind.reads, kind.measures)
    if part is data:
        return data, audit
    return part, recompute_claims(part)


def made_chart(kind: ChartKind, data: Dataset, audit: tuple[Recomputed, ...]) -> tuple:
    """One chart kind's title, description, spec and table. A kind that finds the data
    cannot make its chart raises ChartDataError; any other exception is a bug, left to
    surface with its traceback."""
    # Altair checks each part of a chart against the Vega-Lite schema as it is made (its
    # debug mode) and the whole spec once more when it is written; both are off here. The
    # test suite checks every chart kind's spec (tests/test_incremental.py).
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
