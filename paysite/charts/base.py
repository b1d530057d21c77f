"""The chart registry: every chart kind registers here under the name front matter uses."""

from __future__ import annotations

import dataclasses
from typing import Callable

import altair as alt

from ..claims import Recomputed
from ..model import Dataset, Table


class ChartDataError(Exception):
    """The data cannot make this chart (say, no figures of the kind it draws); the message
    says what it needs. A chart kind checks what it needs of the data and raises this: the
    build reports it as a mistake in the input, located where a page names the chart. Any
    other exception from a chart kind is a bug, shown with its traceback."""


class ChartFailures(Exception):
    """The charts that could not be made, by name, each with its reason."""

    def __init__(self, reasons: dict[str, str]):
        self.reasons = reasons
        super().__init__("; ".join(f"{name}: {why}" for name, why in reasons.items()))


@dataclasses.dataclass(frozen=True)
class Drawn:
    """What a chart kind makes: the Altair chart, its table, and a sentence describing it."""

    chart: alt.TopLevelMixin
    table: Table
    description: str


ChartMaker = Callable[[Dataset, tuple[Recomputed, ...]], Drawn]


@dataclasses.dataclass(frozen=True)
class ChartKind:
    """A registered chart kind: the title pages show, the function that makes it, and the
    part of the data it reads (`Dataset.part`: dimensions, None for all, and measures); for
    a chart declared in front matter, also the declaration (part of its cache key)."""

    title: str
    make: ChartMaker
    reads: tuple[str, ...] | None = None
    measures: tuple[str, ...] = ()
    declared: str = ""  # a chart declared in front matter: its declaration, as written


KINDS: dict[str, ChartKind] = {}


def chart_kind(name: str, title: str, reads: tuple[str, ...] | None = None,
               measures: tuple[str, ...] = ()):
    """Register a chart function under the name front matter uses. `reads` names the
    dimensions whose figures and claims it draws (None: the whole data set), `measures` any
    measures it takes from every dimension: the function is given only that part of the data
    (and the claims recomputed from it), and a build makes the chart again only when that
    part has changed."""
    for names in (() if reads is None else reads, measures):  # ("location") is a string
        if not isinstance(names, tuple) or not all(isinstance(n, str) for n in names):
            raise TypeError(f"chart kind {name!r}: reads and measures are tuples of names, "
                            f"such as ('location',); got {names!r}")

    def register(function: ChartMaker) -> ChartMaker:
        KINDS[name] = ChartKind(title, function, reads, measures)
        return function
    return register

