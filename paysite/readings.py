"""Readings and verdicts: every way a claim can be read off its source's figures, the
interval of results each reading allows, and the verdict that follows.

A printed figure carries its precision: "$182,500" is known to the hundred, "31%" to the
whole percent, and a figure marked "~" one digit less well than it is printed. Each formula
is applied to the ends of those intervals, so every result is an interval, and the stated
claim (itself printed to some precision) is judged against it: there is no blanket tolerance.
A reading is a point of the ranges (midpoints, bottoms or tops) and, for a claim about several
groups, either each group on its own or their average (and, for a claim that says "often",
some of the groups). A figure written "or more"
("$350,000+") is read as "at least": a result that depends on its open end is a floor (or a
ceiling), never a closed number, and a claim that holds only if an open end is high enough is
possible, not shown.
"""

from __future__ import annotations

import dataclasses
import math
import re

from .model import Claim, Figure
from .vocabulary import POINTS, UNTESTABLE_REASONS


OPEN_BOTH = "no figure: both figures end with “or more”, so any result is possible"


CONSISTENT = "consistent"
OTHER_READING = "consistent only under another reading"
POSSIBLE = "possible, not shown"
OVERSTATED = "overstated"
UNDERSTATED = "understated"
CONTRADICTED = "contradicted"
UNTESTABLE = "not testable"
VERDICTS = (CONSISTENT, OTHER_READING, POSSIBLE, OVERSTATED, UNDERSTATED, CONTRADICTED,
            UNTESTABLE)


# A salary printed with trailing zeros ("$130,000", "$150K") does not say whether it was
# rounded further than the thousand: read as rounded to $1,000. Reading every round figure as
# rounded to its first digit would make a $10,000-step table of typical ranges (the bounds its
# source chose) allow any premium from 0% to 15%.
ROUND_TO = {"usd_per_year": 1000.0}


# Whether a formula's result grows (+1) or shrinks (-1) as figure a, and as figure b, grows.
GROWTH = {"premium": (1, -1), "share": (1, -1), "difference": (1, -1), "dip": (-1, 1)}


OPEN_QUALIFIERS = {"open_ended", "at_least"}


@dataclasses.dataclass(frozen=True)
class Result:
    """One recomputed number: its value from the figures as printed, the interval their
    printed precision allows, and whether it is open below or above (an "or more" figure)."""

    value: float
    low: float
    high: float
    open_below: bool = False
    open_above: bool = False

    @property
    def undetermined(self) -> bool:
        """Whether the figures allow any result (both rest on "or more" ends that pull apart)."""
        return self.open_below and self.open_above

    @property
    def lowest(self) -> float:
        """The smallest result the figures allow."""
        return -math.inf if self.open_below else self.low

    @property
    def highest(self) -> float:
        """The largest result the figures allow."""
        return math.inf if self.open_above else self.high


@dataclasses.dataclass(frozen=True)
class Reading:
    """A claim read one way: which points, each group or their average, and what it gives."""

    points: tuple[str, str]
    average: bool
    results: tuple[Result, ...]  # one per group, or the one average
    outcome: str  # "holds", "possible", "below", "above" or "both"
    name: str

    @property
    def holds(self) -> bool:
        """Whether the claim holds under this reading without leaning on an open end."""
        return self.outcome == "holds"

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
    def interval(self) -> tuple[float, float]:
        """The lowest and highest result the printed precision allows (finite ends)."""
        return min(r.low for r in self.shown), max(r.high for r in self.shown)

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
    """The verdict on a claim (or on one group's row): its kind, and the reading, the reason,
    what an open end would have to reach, or a caveat."""

    kind: str
    reading: str | None = None
    reason: str | None = None
    caveat: str | None = None

    @property
    def words(self) -> str:
        """The verdict as a reader sees it in a table."""
        words = self.kind
        if self.kind == OTHER_READING or (self.kind == POSSIBLE and self.reading):
            words = f"{self.kind} ({self.reading})"
        if self.kind == UNTESTABLE:
            why, _, detail = self.reason.partition(": ")
            words = (f"{self.kind} ({why}): {detail}" if why in UNTESTABLE_REASONS and detail
                     else f"{self.kind}: {self.reason}")
        elif self.reason:
            words = f"{words}: {self.reason}"
        return f"{words}; caveat: {self.caveat}" if self.caveat else words


def point_value(fig: Figure, point: str) -> float:
    """The number a claim reads off a figure: its value, or a range's midpoint or end."""
    if fig.value is not None:
        return fig.value
    return {"center": fig.center, "low": fig.low, "high": fig.high}[point]


def apply_formula(formula: str, a: float, b: float) -> float:
    """Compute one formula of FORMULAS."""
    return {"premium": (a / b - 1) * 100, "dip": (1 - a / b) * 100, "share": a / b * 100,
            "difference": a - b}[formula]


NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([kKM]?)")
SCALE = {"": 1, "k": 1000, "K": 1000, "M": 1_000_000}


def printed_step(number: float, as_stated: str, unit: str, approximate: bool) -> float:
    """The step a number is printed to: its last decimal, or for a whole number its trailing
    zeros up to ROUND_TO; one digit coarser when the source marks it "~"."""
    step = None
    for digits, suffix in NUMBER.findall(as_stated):
        if math.isclose(float(digits.replace(",", "")) * SCALE[suffix], number):
            step = digit_step(digits.replace(",", ""), SCALE[suffix], unit)
            break
    if step is None:
        step = digit_step(f"{number:.10g}" if number % 1 else f"{number:.0f}", 1, unit)
    return step * 10 if approximate else step


def digit_step(digits: str, scale: float, unit: str) -> float:
    """The step of one printed number ("1.2" in millions: 100,000; "130000": up to ROUND_TO)."""
    if "." in digits:
        return 10 ** -len(digits.split(".")[1]) * scale
    zeros = len(digits) - len(digits.rstrip("0"))
    return min(10 ** zeros * scale, max(ROUND_TO.get(unit, 1.0), scale))


def half_width(fig: Figure | Claim, number: float) -> float:
    """How far a printed number may be from the true one: half its step."""
    return printed_step(number, fig.as_stated, fig.unit,
                        "approximate" in fig.qualifiers) / 2


def point_interval(fig: Figure, point: str) -> tuple[float, float]:
    """The interval of a figure's number at a point: its value, or a range's end or midpoint,
    each widened by its printed precision."""
    if fig.value is not None:
        spread = half_width(fig, fig.value)
    elif point == "center":
        spread = (half_width(fig, fig.low) + half_width(fig, fig.high)) / 2
    else:
        spread = half_width(fig, point_value(fig, point))
    centre = point_value(fig, point)
    return centre - spread, centre + spread


def open_top(fig: Figure, point: str) -> bool:
    """Whether the number read off a figure is only a floor ("$350,000+" at its top or middle)."""
    return bool(OPEN_QUALIFIERS & set(fig.qualifiers)) and (fig.value is not None
                                                            or point != "low")


def result_of(formula: str, a: Figure, b: Figure, points: tuple[str, str]) -> Result:
    """Apply a formula to two figures at the given points: its value, the interval their
    printed precision allows, and which side stays open."""
    value = apply_formula(formula, point_value(a, points[0]), point_value(b, points[1]))
    corners = [apply_formula(formula, x, y) for x in point_interval(a, points[0])
               for y in point_interval(b, points[1])]
    below = above = False
    for fig, point, growth in zip((a, b), points, GROWTH[formula]):
        if open_top(fig, point):
            above, below = (True, below) if growth > 0 else (above, True)
    return Result(value, min(corners), max(corners), below, above)


def accepted(claim: Claim) -> tuple[float, float]:
    """The results a claim's statement allows: its value or range, at its printed precision;
    a claim stated with "or more" has no upper limit."""
    low, high = claim.stated
    if high is None or OPEN_QUALIFIERS & set(claim.qualifiers):
        return low - half_width(claim, low), math.inf
    return low - half_width(claim, low), high + half_width(claim, high)


def outcome_of(claim: Claim, result: Result) -> str:
    """Where a result stands against a claim: it meets the claim ("holds"), meets it only
    through its open end ("possible"), or lies wholly "below" or "above" it."""
    low, high = accepted(claim)
    if result.low <= high and result.high >= low:
        return "holds"
    if result.lowest <= high and result.highest >= low:
        return "possible"
    return "below" if result.high < low else "above"


def average(results: list[Result]) -> Result:
    """The mean of several results, open on a side where any of them is (one undetermined
    result leaves the average undetermined too)."""
    def mean(values):
        return sum(values) / len(results)
    return Result(mean(r.value for r in results), mean(r.low for r in results),
                  mean(r.high for r in results), any(r.open_below for r in results),
                  any(r.open_above for r in results))


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
    readings, some = [], []
    for points in reading_points(claim, pairs):
        results = [result_of(claim.formula, a, b, points) for a, b in pairs]
        name = points_name(points, pairs)
        if len(results) == 1:
            readings.append(make_reading(claim, points, False, results, name))
            continue
        each = make_reading(claim, points, False, results, f"{name}, each {group_word} on its own")
        readings += [each, mean_reading(claim, points, results, name, group_word)]
        if "often" in claim.qualifiers:
            some.append(some_reading(claim, each, name))
    return tuple(readings + some)


def some_reading(claim: Claim, each: Reading, name: str) -> Reading:
    """A reading of each group on its own, for a claim that says "often": it holds when the
    claim holds in at least one comparison (and says in how many), is possible when one
    meets it only through an open end, and else fails as the comparisons do."""
    outcomes = [outcome_of(claim, r) for r in closed(list(each.results))]
    outcome = ("holds" if "holds" in outcomes else
               "possible" if "possible" in outcomes else each.outcome)
    return Reading(each.points, False, each.results, outcome,
                   f"{name}, in {outcomes.count('holds')} of its {len(outcomes)} comparisons")


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
    """A reading and its outcome: it holds when every result the figures determine meets the
    claim; it is possible when some meet it only through an open end; else it fails below,
    above, or on both sides (results open at both ends say nothing)."""
    outcomes = {outcome_of(claim, r) for r in closed(results)}
    if not outcomes or outcomes <= {"holds"}:
        outcome = "holds" if outcomes else "both"
    elif outcomes <= {"holds", "possible"}:
        outcome = "possible"
    else:
        failing = outcomes - {"holds", "possible"}
        outcome = failing.pop() if len(failing) == 1 else "both"
    return Reading(points, mean, tuple(results), outcome, name)


def first_holding(readings) -> Verdict:
    """For claims in words: consistent when the first reading holds; else consistent only
    under the first other reading that holds, named; else contradicted."""
    if readings[0].holds:
        return Verdict(CONSISTENT, readings[0].name)
    other = next((r for r in readings[1:] if r.holds), None)
    return Verdict(OTHER_READING, other.name) if other else Verdict(CONTRADICTED)


TOLERANCE_WORDS = ("each figure is read at the precision it is printed to (a salary to the "
                   "$1,000, or as finely as printed; one digit coarser when marked ~), the "
                   "result is the interval those allow, and the stated claim is read at its "
                   "own printed precision. A claim stated with 'or more' has no upper limit; "
                   "a figure stated with 'or more' is read as 'at least'")
