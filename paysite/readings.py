"""Readings and verdicts: every way a claim can be read off its source's figures, the
interval of results each reading allows, and the verdict that follows.

A reading is a point of the ranges (midpoints, bottoms or tops) and, for a claim about
several groups, either each group on its own or their average. A figure written "or more"
("$350,000+") is read as "at least": a result that depends on its open end is a floor (or a
ceiling), never a closed number. Premiums and dips are judged on the ratio of the two
figures, so the tolerance is the same whichever role is on top.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable, Iterable

from .model import Claim, Figure
from .vocabulary import POINTS


OPEN_BOTH = "both figures end with “or more”, so any result is possible"


CONSISTENT = "consistent"
OTHER_READING = "consistent only under another reading"
CONTRADICTED = "contradicted"
UNTESTABLE = "not testable"
VERDICTS = (CONSISTENT, OTHER_READING, CONTRADICTED, UNTESTABLE)


# Premiums and dips are ratios: a result agrees when its ratio is within a factor of 1.02 of
# the stated one, either way (about 2 points near 0%, 2.6 points at +30%). The same factor
# holds on the ML-over-SWE and the SWE-over-ML scale.
RATIO_TOLERANCE = 1.02


# Ratio formulas, as functions to and from a ratio that grows with the result: a / b for a
# premium, b / a for a dip.
RATIOS: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    "premium": (lambda v: 1 + v / 100, lambda r: (r - 1) * 100),
    "dip": (lambda v: 1 / (1 - v / 100) if v < 100 else math.inf,
            lambda r: (1 - 1 / r) * 100),
}


# Every other formula: a fixed allowance by unit, else half the last digit the source printed.
ALLOWANCES = {"usd_per_year": 5000.0}


# Whether a formula's result grows (+1) or shrinks (-1) as figure a, and as figure b, grows.
GROWTH = {"premium": (1, -1), "share": (1, -1), "difference": (1, -1), "dip": (-1, 1)}


OPEN_QUALIFIERS = {"open_ended", "at_least"}


@dataclasses.dataclass(frozen=True)
class Result:
    """One recomputed number, open below or above when it rests on an "or more" figure."""

    value: float
    open_below: bool = False
    open_above: bool = False

    @property
    def undetermined(self) -> bool:
        """Whether the figures allow any result (both rest on "or more" ends that pull apart)."""
        return self.open_below and self.open_above

    @property
    def lowest(self) -> float:
        """The smallest result the figures allow."""
        return -math.inf if self.open_below else self.value

    @property
    def highest(self) -> float:
        """The largest result the figures allow."""
        return math.inf if self.open_above else self.value


@dataclasses.dataclass(frozen=True)
class Reading:
    """A claim read one way: which points, each group or their average, and what it gives."""

    points: tuple[str, str]
    average: bool
    results: tuple[Result, ...]  # one per group, or the one average
    holds: bool
    name: str

    @property
    def shown(self) -> list[Result]:
        """The results the figures determine, or all of them if none is determined."""
        return closed(list(self.results)) or list(self.results)

    @property
    def low(self) -> float:
        """The lowest recomputed number (its finite value, even when open below)."""
        return min(r.value for r in self.shown)

    @property
    def high(self) -> float:
        """The highest recomputed number (its finite value, even when open above)."""
        return max(r.value for r in self.shown)

    @property
    def open_below(self) -> bool:
        """Whether some result is only a ceiling."""
        return any(r.open_below for r in self.shown)

    @property
    def open_above(self) -> bool:
        """Whether some result is only a floor."""
        return any(r.open_above for r in self.shown)

    @property
    def undetermined(self) -> int:
        """How many results the figures leave wholly open (both end with "or more")."""
        return sum(r.undetermined for r in self.results)


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The verdict on a claim (or on one group's row): its kind, and the reading or reason."""

    kind: str
    reading: str | None = None
    reason: str | None = None

    @property
    def words(self) -> str:
        """The verdict as a reader sees it in a table."""
        if self.kind == OTHER_READING:
            return f"consistent only under another reading ({self.reading})"
        if self.kind == UNTESTABLE:
            return f"not testable: {self.reason}"
        return self.kind


def point_value(fig: Figure, point: str) -> float:
    """The number a claim reads off a figure: its value, or a range's midpoint or end."""
    if fig.value is not None:
        return fig.value
    return {"center": fig.center, "low": fig.low, "high": fig.high}[point]


def apply_formula(formula: str, a: float, b: float) -> float:
    """Compute one formula of FORMULAS."""
    return {"premium": (a / b - 1) * 100, "dip": (1 - a / b) * 100, "share": a / b * 100,
            "difference": a - b}[formula]


def open_top(fig: Figure, point: str) -> bool:
    """Whether the number read off a figure is only a floor ("$350,000+" at its top or middle)."""
    return bool(OPEN_QUALIFIERS & set(fig.qualifiers)) and (fig.value is not None
                                                            or point != "low")


def result_of(formula: str, a: Figure, b: Figure, points: tuple[str, str]) -> Result:
    """Apply a formula to two figures at the given points, keeping which side stays open."""
    value = apply_formula(formula, point_value(a, points[0]), point_value(b, points[1]))
    below = above = False
    for fig, point, growth in zip((a, b), points, GROWTH[formula]):
        if open_top(fig, point):
            above, below = (True, below) if growth > 0 else (above, True)
    return Result(value, below, above)


def accepted(claim: Claim) -> tuple[float, float]:
    """The results a claim's statement allows: its value or range, widened by the tolerance."""
    low, high = claim.stated
    high = math.inf if OPEN_QUALIFIERS & set(claim.qualifiers) else high
    if claim.formula in RATIOS:
        to_ratio, from_ratio = RATIOS[claim.formula]
        return (from_ratio(to_ratio(low) / RATIO_TOLERANCE),
                math.inf if high == math.inf else from_ratio(to_ratio(high) * RATIO_TOLERANCE))
    allowance = ALLOWANCES.get(claim.unit, half_last_digit(claim.stated))
    return low - allowance, high + allowance


def half_last_digit(numbers: Iterable[float]) -> float:
    """Half a unit of the last digit printed: 91 allows 90.5 to 91.5; 2.5 allows 2.45 to 2.55."""
    decimals = max(len(repr(float(n)).split(".")[1].rstrip("0")) for n in numbers)
    return 0.5 * 10 ** -decimals


def allows(claim: Claim, result: Result) -> bool:
    """Whether the results a figure allows meet the results the claim allows."""
    low, high = accepted(claim)
    return result.lowest <= high and result.highest >= low


def average(results: list[Result]) -> Result:
    """The mean of several results, open on a side where any of them is (one undetermined
    result leaves the average undetermined too)."""
    return Result(sum(r.value for r in results) / len(results),
                  any(r.open_below for r in results), any(r.open_above for r in results))


def closed(results: list[Result]) -> list[Result]:
    """The results the figures determine (not open at both ends)."""
    return [r for r in results if not r.undetermined]


def reading_points(claim: Claim, pairs: list[tuple[Figure, Figure]]) -> list[tuple[str, str]]:
    """The claim's own points first, then each other common point when a figure is a range."""
    own = (claim.a.point, claim.b.point)
    if all(f.value is not None for pair in pairs for f in pair):
        return [own]
    return [own] + [(p, p) for p in POINTS if (p, p) != own]


def points_name(points: tuple[str, str], pairs: list[tuple[Figure, Figure]]) -> str:
    """Name the points read: "midpoints", "bottoms", "top against midpoint"."""
    if all(f.value is not None for pair in pairs for f in pair):
        return "the figures as printed"
    first, second = (POINTS[p] for p in points)
    return f"{first}s of the ranges" if first == second else f"{first} against {second}"


def read_claim(claim: Claim, pairs: list[tuple[Figure, Figure]],
               group_word: str) -> tuple[Reading, ...]:
    """Every reading of a claim: each point, and for several groups each one and their mean."""
    readings = []
    for points in reading_points(claim, pairs):
        results = [result_of(claim.formula, a, b, points) for a, b in pairs]
        name = points_name(points, pairs)
        if len(results) == 1:
            readings.append(make_reading(claim, points, False, results, name))
            continue
        readings.append(make_reading(claim, points, False, results,
                                     f"{name}, each {group_word} on its own"))
        readings.append(mean_reading(claim, points, results, name, group_word))
    return tuple(readings)


def mean_reading(claim: Claim, points: tuple[str, str], results: list[Result], name: str,
                 group_word: str) -> Reading:
    """The average reading: of every group, or, when some pair is open at both ends (any
    average would then be possible), of the groups whose figures are closed, named so."""
    determined = closed(results)
    if not determined or len(determined) == len(results):
        return make_reading(claim, points, True, [average(results)],
                            f"{name}, average of the {group_word}s")
    return make_reading(claim, points, True, [average(determined)],
                        f"{name}, average of the {len(determined)} {group_word}s whose "
                        f"figures are closed")


def make_reading(claim: Claim, points: tuple[str, str], mean: bool,
                 results: list[Result], name: str) -> Reading:
    """A reading, and whether the claim holds under it: every result the figures determine
    is allowed, and there is at least one (results open at both ends say nothing)."""
    determined = closed(results)
    holds = bool(determined) and all(allows(claim, r) for r in determined)
    return Reading(points, mean, tuple(results), holds, name)


def judge(readings: tuple[Reading, ...], untestable: str | None) -> Verdict:
    """The claim's own reading decides; failing that, name the first reading that holds."""
    if untestable:
        return Verdict(UNTESTABLE, reason=untestable)
    if not any(closed(list(r.results)) for r in readings):
        return Verdict(UNTESTABLE, reason=OPEN_BOTH)
    return first_holding(readings)


def first_holding(readings) -> Verdict:
    """Consistent when the first reading holds; else consistent only under the first other
    reading that holds, named; else contradicted. (Readings of numeric claims and outcomes
    of claims in words alike: anything with a name and whether it holds.)"""
    if readings[0].holds:
        return Verdict(CONSISTENT, readings[0].name)
    other = next((r for r in readings[1:] if r.holds), None)
    return Verdict(OTHER_READING, other.name) if other else Verdict(CONTRADICTED)


def row_verdict(claim: Claim, readings: tuple[Reading, ...], index: int,
                pairs: list[tuple[Figure, Figure]]) -> Verdict:
    """The verdict on one pair of figures (one level or place) under the points readings."""
    if claim.untestable:
        return Verdict(UNTESTABLE, reason=claim.untestable)
    each = [r for r in readings if not r.average]
    if each[0].results[index].undetermined:
        return Verdict(UNTESTABLE, reason=OPEN_BOTH)
    passing = [r for r in each if allows(claim, r.results[index])]
    if passing and passing[0] is each[0]:
        return Verdict(CONSISTENT, points_name(each[0].points, pairs))
    if passing:
        return Verdict(OTHER_READING, points_name(passing[0].points, pairs))
    return Verdict(CONTRADICTED)


TOLERANCE_WORDS = ("a premium or dip agrees when its ratio is within a factor of "
                   f"{RATIO_TOLERANCE:g} of the stated one, either way (about 2 points near "
                   "0%, the same whichever role is on top); a dollar gap within "
                   f"${ALLOWANCES['usd_per_year']:,.0f}; a share within half the last digit "
                   "printed. A claim stated with 'or more' has no upper limit; a figure "
                   "stated with 'or more' is read as 'at least'")
