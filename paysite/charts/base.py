"""The chart registry: every chart kind registers here under the name front matter uses."""

from __future__ import annotations

import dataclasses
from typing import Callable

import altair as alt

from ..claims import Recomputed
from ..model import Dataset


@dataclasses.dataclass(frozen=True)
class Table:
    """The numbers behind a chart, as rows of text."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


ChartMaker = Callable[[Dataset, tuple[Recomputed, ...]], tuple["alt.TopLevelMixin", Table, str]]


CHART_MAKERS: dict[str, tuple[str, ChartMaker]] = {}


def chart_kind(name: str, title: str):
    """Register a chart function under the name front matter uses."""
    def register(function: ChartMaker) -> ChartMaker:
        CHART_MAKERS[name] = (title, function)
        return function
    return register
