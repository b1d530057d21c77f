"""Claims: premiums recomputed from each source's own figures, and every stated claim
checked against them (the audit), with what other sources' figures give.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from .model import Claim, Dataset, Figure, claim_pairs
from .readings import (CONSISTENT, CONTRADICTED, GROWTH, OPEN_BOTH, OTHER_READING, OVERSTATED,
                       POSSIBLE, UNDERSTATED, UNTESTABLE, Reading, Result, Verdict, accepted,
                       apply_formula, closed, make_reading, open_top, outcome_of, points_name,
                       printed_step, read_claim, result_of)
from .vocabulary import POINTS, RANGE_STATS, STATS


STAT_PREFERENCE = ("median", "mean", "range", "p25_p75", "avg_range")


@dataclasses.dataclass(frozen=True)
class Premium:
    """How much more one role gets than the other, from one source's own pair of figures."""

    ml: Figure
    swe: Figure
    percent: float  # ML over SWE

    @property
    def source(self) -> str:
        """The source both figures come from."""
        return self.ml.source

    @property
    def group(self) -> str:
        """The group (level label, city) both figures belong to."""
        return self.ml.group

    @property
    def level(self) -> str | None:
        """The group's place on the common ladder, if it is a level."""
        return self.ml.level

    @property
    def result(self) -> Result:
        """The premium with its printed precision and open ends: a floor when the ML figure
        ends in "or more", any value when both do."""
        return result_of("premium", self.ml, self.swe, ("center", "center"))

    @property
    def formula(self) -> str:
        """Say how the premium was computed."""
        return how_compared("ratio", self.ml, self.swe, ("center", "center"))


@dataclasses.dataclass(frozen=True)
class Comparison:
    """One claim's formula applied to one pair of its source's figures."""

    a: Figure
    b: Figure
    formula: str
    points: tuple[str, str]

    @property
    def how(self) -> str:
        """Say which numbers were compared, and how."""
        verb = "difference" if self.formula == "difference" else "ratio"
        return how_compared(verb, self.a, self.b, self.points)


@dataclasses.dataclass(frozen=True)
class CrossCheck:
    """What another source's figures give for the same claim."""

    source: str
    low: float
    high: float
    basis: str
    verdict: Verdict | None = None  # the claim judged on these figures, on the same scale
    premiums: tuple[Premium, ...] = ()


@dataclasses.dataclass(frozen=True)
class Recomputed:
    """A claim next to what its source's own figures give, and what other sources give."""

    claim: Claim
    comparisons: tuple[Comparison, ...]  # under the claim's own reading, one per pair
    verdict: Verdict
    readings: tuple[Reading, ...]  # the claim's own reading first
    rows: tuple[Verdict, ...]  # one per comparison: that pair of figures on its own
    others: tuple[CrossCheck, ...]

    @property
    def low(self) -> float:
        """The lowest number the claim's own reading gives."""
        return self.readings[0].low

    @property
    def high(self) -> float:
        """The highest number the claim's own reading gives."""
        return self.readings[0].high

    @property
    def premiums(self) -> tuple[Premium, ...]:
        """For a premium of one role over the other, each pair as ML over SWE."""
        if not self.claim.premium:
            return ()
        pairs = ((c.a, c.b) if self.claim.premium == "ml_over_swe" else (c.b, c.a)
                 for c in self.comparisons)
        return tuple(make_premium(ml, swe) for ml, swe in pairs)


def make_premium(ml: Figure, swe: Figure) -> Premium:
    """The premium of one ML figure over its SWE counterpart."""
    return Premium(ml, swe, ml_premium(ml, swe))


def ml_premium(ml: Figure, swe: Figure) -> float:
    """Percent by which the ML figure exceeds the SWE figure (centers of ranges)."""
    return apply_formula("premium", ml.center, swe.center)


def pair_figures(figures: Iterable[Figure]) -> list[tuple[Figure, Figure]]:
    """Pair ML and SWE figures that share source, group, measure, stat and scope."""
    by_key: dict[tuple, dict[str, Figure]] = {}
    for fig in figures:
        key = (fig.source, fig.dimension, fig.group, fig.measure, fig.stat, fig.scope)
        by_key.setdefault(key, {})[fig.side] = fig
    return [(roles["mle"], roles["swe"])
            for key, roles in sorted(by_key.items(), key=lambda item: str(item[0]))
            if "mle" in roles and "swe" in roles]


def premiums(figures: Iterable[Figure], dimension: str,
             unit: str = "usd_per_year") -> list[Premium]:
    """One ML premium per source and group: medians where given, else range midpoints."""
    best: dict[tuple[str, str], tuple[Figure, Figure]] = {}
    for ml, swe in pair_figures(f for f in figures if f.dimension == dimension):
        if ml.unit != unit or ml.stat not in STAT_PREFERENCE:
            continue
        key = (ml.source, ml.group)
        if key not in best or rank_stat(ml) < rank_stat(best[key][0]):
            best[key] = (ml, swe)
    return [make_premium(*best[key]) for key in sorted(best)]


def place_order(data: Dataset, level: str | None, group: str) -> int:
    """Where a group stands: its level on the ladder, else its city in cities.yaml, else 0."""
    if level:
        return list(data.ladder).index(level)
    return list(data.cities).index(group) if group in data.cities else 0


def order_premiums(data: Dataset, found: list[Premium]) -> list[Premium]:
    """Sort premiums by source, then ladder or place order."""
    sources = list(data.sources)
    return sorted(found, key=lambda p: (sources.index(p.source),
                                        place_order(data, p.level, p.group), p.group))


def rank_stat(fig: Figure) -> int:
    """Order statistics by how well they stand for a typical salary."""
    return STAT_PREFERENCE.index(fig.stat)


def how_compared(verb: str, a: Figure, b: Figure, points: tuple[str, str]) -> str:
    """Say which numbers of two figures were compared: "ratio of the two medians"."""
    (point_a, stat_a), (point_b, stat_b) = (point_words(a, points[0]),
                                            point_words(b, points[1]))
    if (point_a, stat_a) == (point_b, stat_b):
        if point_a is None:
            return f"{verb} of the two {stat_a}s"
        return f"{verb} of the {POINTS[point_a]}s of the two {stat_a}s"
    first, second = ((stat if point is None else f"{POINTS[point]} of the {stat}")
                     for point, stat in ((point_a, stat_a), (point_b, stat_b)))
    return f"{verb} of the {first} to the {second}"


def point_words(fig: Figure, point: str) -> tuple[str | None, str]:
    """Which point of a figure is read (None for a single value), and what the figure is."""
    if fig.value is not None:
        return None, STATS[fig.stat]
    return point, STATS[fig.stat] if fig.stat in RANGE_STATS else f"{STATS[fig.stat]} range"


def compare(claim: Claim, a: Figure, b: Figure, points: tuple[str, str]) -> Comparison:
    """One pair of figures the claim's formula is applied to, at the given points (the
    numbers it gives are the readings' results)."""
    return Comparison(a, b, claim.formula, points)


def recompute_claims(data: Dataset) -> tuple[Recomputed, ...]:
    """Recompute every claim from its source's own figures and other sources', and judge it."""
    by_dimension = {name: premiums(data.figures, name) for name in data.group_kinds}
    results = []
    for claim in data.claims:
        pairs = claim_pairs(claim, data.figures)
        found = tuple(compare(claim, a, b, (claim.a.point, claim.b.point)) for a, b in pairs)
        readings = read_claim(claim, pairs, GROUP_WORDS[data.group_kinds[claim.dimension]])
        rows = tuple(row_verdict(claim, readings, i, pairs)
                     for i in range(len(pairs)))
        results.append(Recomputed(claim, found, judge(claim, readings, pairs), readings,
                                  rows, cross_checks(claim, pairs, data,
                                                     by_dimension[claim.dimension])))
    return tuple(results)


def judge(claim: Claim, readings: tuple[Reading, ...], pairs) -> Verdict:
    """The claim's own reading decides when it holds or leans on an open end; failing that,
    the first other reading that holds, or leans on an open end; failing every reading, the
    side the figures fall on."""
    if claim.untestable:
        return Verdict(UNTESTABLE, reason=claim.untestable)
    if not any(closed(list(r.results)) for r in readings):
        return Verdict(UNTESTABLE, reason=OPEN_BOTH)
    own = readings[0]
    if own.holds:
        return Verdict(CONSISTENT, own.name, caveat=claim.caveat)
    other = next((r for r in readings[1:] if r.holds), None)
    if own.outcome == "possible":
        also = f"; it holds under another reading ({other.name})" if other else ""
        return Verdict(POSSIBLE, reason=open_end_needed(claim, own, pairs) + also,
                       caveat=claim.caveat)
    if other:
        return Verdict(OTHER_READING, other.name, caveat=claim.caveat)
    other = next((r for r in readings[1:] if r.outcome == "possible"), None)
    if other:
        return Verdict(POSSIBLE, other.name, open_end_needed(claim, other, pairs),
                       caveat=claim.caveat)
    return Verdict(failed(claim, readings), caveat=claim.caveat)


def failed(claim: Claim, readings: tuple[Reading, ...]) -> str:
    """A claim no reading allows: overstated or understated when the figures point the way it
    does and every reading that falls on one side of it falls on the same side (a reading of
    each group on its own may straddle it); contradicted otherwise."""
    sides = {r.outcome for r in readings if closed(list(r.results))} - {"both"}
    low, high = claim.stated
    results = [r for x in readings for r in closed(list(x.results))]
    if claim.formula in ("premium", "dip") and (
            (low > 0 and all(r.highest <= 0 for r in results))
            or (high is not None and high < 0 and all(r.lowest >= 0 for r in results))):
        return CONTRADICTED
    if sides == {"below"}:
        return OVERSTATED
    return UNDERSTATED if sides == {"above"} else CONTRADICTED


def row_verdict(claim: Claim, readings: tuple[Reading, ...], index: int,
                pairs: list[tuple[Figure, Figure]]) -> Verdict:
    """The verdict on one pair of figures (one level or place) under the points readings."""
    if claim.untestable:
        return Verdict(UNTESTABLE, reason=claim.untestable)
    each = [r for r in readings if not r.average]
    if all(r.results[index].undetermined for r in each):
        return Verdict(UNTESTABLE, reason=OPEN_BOTH)
    rows = tuple(make_reading(claim, r.points, False, [r.results[index]],
                              points_name(r.points, pairs)) for r in each)
    return judge(dataclasses.replace(claim, caveat=None), rows, [pairs[index]])


def open_end_needed(claim: Claim, reading: Reading, pairs) -> str:
    """Say how high an "or more" figure must be for the claim to hold under a reading."""
    needs = []
    for result, (a, b) in zip(() if reading.average else reading.results, pairs):
        if outcome_of(claim, result) == "possible":
            fig, goal = open_figure(claim, result, a, b, reading.points)
            needs.append(f"only if “{fig.as_stated}” reaches "
                         f"{reach(claim, (a, b), fig, reading.points, goal)}"
                         f"{'' if fig.value is not None else ' at its top'}")
    return "; ".join(needs) or "only if the figures written “or more” are high enough"


def open_figure(claim: Claim, result: Result, a: Figure, b: Figure,
                points: tuple[str, str]) -> tuple[Figure, float]:
    """The open figure whose rise would bring a result to the claim, and the end of the
    claim it must reach (its bottom from below, its top from above)."""
    low, high = accepted(claim)
    rising = result.high < low
    fig = next(f for f, p, g in zip((a, b), points, GROWTH[claim.formula])
               if open_top(f, p) and (g > 0) == rising)
    return fig, low if rising else high


def reach(claim: Claim, pair: tuple[Figure, Figure], fig: Figure, points, goal: float) -> str:
    """The smallest value of an open figure's end, in steps of its printed precision, at which
    the result reaches the goal, in its unit."""
    end = "value" if fig.value is not None else "high"
    growth = GROWTH[claim.formula][pair.index(fig)]
    step = printed_step(getattr(fig, end), fig.as_stated, fig.unit, False)
    start = getattr(fig, end)

    def met(steps: int) -> bool:
        moved = dataclasses.replace(fig, **{end: start + steps * step}, as_stated="")
        new = result_of(claim.formula, *[moved if f is fig else f for f in pair], points)
        return new.high >= goal if growth > 0 else new.low <= goal
    low, high = 0, 1
    while not met(high) and high < 10 ** 9:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if met(middle) else (middle, high)
    value = start + high * step
    return f"${value:,.0f}" if fig.unit == "usd_per_year" else f"{value:g}"


GROUP_WORDS = {"level": "level", "city": "place", "label": "group", "none": "group"}


def spread(values: Iterable[float]) -> tuple[float, float]:
    """The lowest and highest of some numbers."""
    values = list(values)
    return min(values), max(values)


def cross_checks(claim: Claim, pairs: list[tuple[Figure, Figure]], data: Dataset,
                 found_premiums: list[Premium]) -> tuple[CrossCheck, ...]:
    """The same premium from every other source's figures, at the same levels or places, of
    the same measure and between the same populations (a premium of base salary does not
    test one of total compensation; the job board's AI software engineers are not software
    engineers in general)."""
    if not claim.premium:
        return ()
    roles = {(f.role, f.side) for pair in pairs for f in pair}
    kind = data.group_kinds[claim.dimension]
    groups = claim.groups
    levels = ({data.level_maps[claim.source][g]["level"] for g in groups} if groups
              else set(data.ladder)) if kind == "level" else None
    found: dict[str, list[Premium]] = {}
    for premium in found_premiums:
        if (premium.source == claim.source or premium.ml.measure != claim.measure
                or not {(f.role, f.side) for f in (premium.ml, premium.swe)} <= roles):
            continue
        if levels is not None and premium.level not in levels:
            continue
        if levels is None and groups is not None and premium.group not in groups:
            continue
        found.setdefault(premium.source, []).append(premium)
    return tuple(cross_check(claim, data, found[s]) for s in data.sources if s in found)


def cross_check(claim: Claim, data: Dataset, found: list[Premium]) -> CrossCheck:
    """One other source's premiums for a claim, and the claim judged on them as it is on its
    own source's figures (the other source's own caveats and reasons do not carry over)."""
    values = [p.percent if claim.premium == "ml_over_swe" else swe_premium(p) for p in found]
    pairs = [(p.ml, p.swe) if claim.premium == "ml_over_swe" else (p.swe, p.ml) for p in found]
    plain = dataclasses.replace(claim, untestable=None, caveat=None)
    readings = read_claim(plain, pairs, GROUP_WORDS[data.group_kinds[claim.dimension]])
    basis = f"{data.measures[found[0].ml.measure]['name'].lower()}, {found[0].formula}"
    return CrossCheck(found[0].source, *spread(values), basis,
                      judge(plain, readings, pairs), tuple(found))


def swe_premium(premium: Premium) -> float:
    """Percent by which the SWE figure exceeds the ML figure."""
    return apply_formula("premium", premium.swe.center, premium.ml.center)


def ml_premium_range(result: Recomputed) -> tuple[float, float]:
    """The recomputed premiums as ML over SWE (negative when SWE is paid more)."""
    return spread(p.percent for p in result.premiums)


def as_ml_premium(swe_over_ml: float) -> float:
    """Turn "SWE gets X% more" into "ML gets Y% more" (Y is negative)."""
    return (1 / (1 + swe_over_ml / 100) - 1) * 100


def stated_as_ml_premium(claim: Claim) -> tuple[float, float]:
    """A claim's stated low and high, as ML over SWE."""
    low, high = claim.stated
    if claim.premium == "ml_over_swe":
        return low, high
    return tuple(sorted((as_ml_premium(low), as_ml_premium(high))))
