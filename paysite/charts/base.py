"""The chart registry: every chart kind registers here under the name front matter uses."""

from __future__ import annotations

import dataclasses
from typing import Callable

import altair as alt

from ..claims import Recomputed
from ..drawing import Table
from ..model import Dataset


class ChartDataError(Exception):
    """The data cannot make this chart (say, no figures of the kind it draws); the message
    says what it needs."""


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
    """A registered chart kind: the title pages show and the function that makes it."""

    title: str
    make: ChartMaker


KINDS: dict[str, ChartKind] = {}


def chart_kind(name: str, title: str):
    """Register a chart function under the name front matter uses."""
    def register(function: ChartMaker) -> ChartMaker:
        KINDS[name] = ChartKind(title, function)
        return function
    return register
