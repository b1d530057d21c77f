"""The data model: figures and claims as plain frozen values, and which figures a claim is about.

`load` builds these from data/; every later stage only reads them.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from .vocabulary import PREMIUMS


@dataclasses.dataclass(frozen=True)
class Figure:
    """One observation as a source states it, placed on the common ladder."""

    source: str
    role: str
    dimension: str
    group: str
    level: str | None
    measure: str
    unit: str
    stat: str
    value: float | None
    low: float | None
    high: float | None
    qualifiers: tuple[str, ...]
    scope: str | None
    as_stated: str
    compared_as: str | None = None  # the role it stands for in comparisons (roles.yaml)

    @property
    def side(self) -> str:
        """The role the figure is compared as: the job board's "AI Software Engineer" is its
        own role, set against ML engineers where a source compares the two."""
        return self.compared_as or self.role

    @property
    def center(self) -> float:
        """The figure's single value, or the midpoint of its range."""
        return self.value if self.value is not None else (self.low + self.high) / 2


@dataclasses.dataclass(frozen=True)
class Selector:
    """Which of a source's figures one side (a or b) of a claim is about."""

    role: str | None
    groups: tuple[str, ...] | None  # None: any group
    scope: str | None
    point: str

    def matches(self, fig: Figure) -> bool:
        """Whether a figure belongs on this side of the claim."""
        return ((self.role is None or self.role in (fig.role, fig.side))
                and (self.groups is None or fig.group in self.groups)
                and fig.scope == self.scope)


@dataclasses.dataclass(frozen=True)
class Claim:
    """A claim as a source states it, and which of its figures it should follow from."""

    id: str
    source: str
    dimension: str
    measure: str
    stat: str
    formula: str
    a: Selector
    b: Selector
    paired_on: tuple[str, ...]  # fields a pair of figures must share ("group", "role")
    unit: str
    value: float | None
    low: float | None
    high: float | None
    qualifiers: tuple[str, ...]
    headline: bool
    as_stated: str
    untestable: str | None = None  # why the figures cannot test the claim, if they cannot
    caveat: str | None = None  # what the reader should weigh beside a verdict

    @property
    def stated(self) -> tuple[float, float]:
        """The stated number as (low, high); a single value gives low == high."""
        if self.value is not None:
            return self.value, self.value
        return self.low, self.high

    @property
    def premium(self) -> str | None:
        """For a premium of one role over the other, its direction; else None."""
        for name, roles in PREMIUMS.items():
            if self.formula == "premium" and (self.a.role, self.b.role) == roles:
                return name
        return None

    @property
    def groups(self) -> tuple[str, ...] | None:
        """The groups the claim is about, when both sides share them."""
        return self.a.groups if self.a.groups == self.b.groups else None


@dataclasses.dataclass(frozen=True)
class WordCheck:
    """One reading of a claim in words, as a check on the source's figures (see
    `worded_verdicts`)."""

    kind: str  # order, rank, trend, overlap, share, size or width
    reading: str  # how the words are read, in the site's words
    dimension: str
    measure: str
    stat: str
    a: dict = dataclasses.field(default_factory=dict)  # order, overlap: one side's filter
    b: dict = dataclasses.field(default_factory=dict)
    roles: tuple[str, ...] = ("mle", "swe")
    groups: tuple[str, ...] | None = None
    within: float | None = None  # rank: the top k
    shape: str | None = None  # trend: rises, falls, widest or narrowest
    named: tuple[str, ...] = ()  # trend: the groups said to be widest or narrowest
    at_least: float | None = None
    at_most: float | None = None
    low: float | None = None  # size: the premium band the words are read as
    high: float | None = None
    size: str | None = None  # size: the word of the size-word table that set low and high
    above: str | None = None  # size: what a gap above the band makes of the words


@dataclasses.dataclass(frozen=True)
class WordClaim:
    """A claim a source makes in words, with the checks that test it (or why none can)."""

    id: str
    source: str
    line: int  # the line of the saved source text
    as_stated: str
    checks: tuple[WordCheck, ...]
    untestable: str | None


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Everything in data/, validated and cross-referenced."""

    site: dict[str, str]  # the site's title and the date its data and text were updated
    sources: dict[str, dict]
    roles: dict[str, dict]
    ladder: dict[str, dict]
    level_maps: dict[str, dict[str, dict]]
    cities: dict[str, dict]
    measures: dict[str, dict]
    group_kinds: dict[str, str]
    figures: tuple[Figure, ...]
    claims: tuple[Claim, ...]
    words: tuple[WordClaim, ...] = ()
    size_words: tuple[dict, ...] = ()  # the size-word table claims in words are read by

    def part(self, dimensions: tuple[str, ...] | None,
             measures: tuple[str, ...] = ()) -> Dataset:
        """The part of the data set a chart reads (`@chart_kind(reads=...)`): the figures of
        these dimensions or measures and the claims of these dimensions, with every source,
        role, level, place and measure; no claims in words, and not the site's title and
        date. All of it when `dimensions` is None. A chart is made from its part alone, so
        the part's value is all it can depend on: the cache keeps each chart's spec under
        it (charts/draw.py)."""
        if dimensions is None:
            return self
        return dataclasses.replace(
            self, site={}, words=(), size_words=(),
            figures=tuple(f for f in self.figures
                          if f.dimension in dimensions or f.measure in measures),
            claims=tuple(c for c in self.claims if c.dimension in dimensions))


def role_behind(figures: Iterable[Figure], side: str) -> str:
    """The role some figures give for a side compared: their own role where it stands for
    another (the job board's AI software engineer for software engineers), else the side."""
    roles = {f.role for f in figures if f.side == side}
    return roles.pop() if len(roles) == 1 else side


def claim_pairs(claim: Claim, figures: Iterable[Figure]) -> list[tuple[Figure, Figure]]:
    """Find the pairs of figures (a, b) a claim is about, in data order."""
    pool = [f for f in figures if (f.source, f.dimension, f.measure, f.stat)
            == (claim.source, claim.dimension, claim.measure, claim.stat)]
    return [(a, b) for a in pool if claim.a.matches(a) for b in pool if claim.b.matches(b)
            and a is not b and all(getattr(a, f) == getattr(b, f) for f in claim.paired_on)]


def source_counts(data: Dataset, items: Iterable[Figure | Claim]) -> dict[str, int]:
    """How many figures (or claims) each source contributes."""
    counts = dict.fromkeys(data.sources, 0)
    for item in items:
        counts[item.source] += 1
    return counts


@dataclasses.dataclass(frozen=True)
class Table:
    """The numbers behind a chart, as rows of text."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclasses.dataclass(frozen=True)
class Chart:
    """One chart: its Vega-Lite spec, its Vega spec for the browser, its SVG at each layout
    width (svg.LAYOUT_WIDTHS) with the plot width each was drawn at (None: the chart's own),
    the signals of the Vega spec that hold the plot width, its table and its words."""

    name: str
    title: str
    description: str
    spec: dict
    vega_spec: dict
    svgs: tuple[str, ...]
    plots: tuple[int | None, ...]
    plot_signals: tuple[str, ...]
    table: Table
